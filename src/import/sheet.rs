//! The shared row reader of every import: the header mapped to field names (or their Chinese
//! aliases), the rows as cells by field, the checks every row gets (required cells, control
//! characters, length, duplicate keys), the cell parsers, and the list of problems, each as
//! `FILE:LINE: column: reason`. Imports domain types only.

use super::Kind;
use crate::domain::rules::validate::MAX_TEXT;
use crate::domain::State;
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Display;

/// A file read and its header understood.
pub(super) struct Sheet {
    /// The field each column holds (`None`: unknown, already reported).
    index: Vec<Option<&'static str>>,
    records: Vec<csv::StringRecord>,
}

/// One row: its line in the file and its cells by field.
pub(super) struct Row<'a> {
    pub line: usize,
    cells: HashMap<&'static str, &'a str>,
}

impl Row<'_> {
    pub fn get(&self, col: &str) -> &str {
        self.cells.get(col).map_or("", |v| v.trim())
    }
}

impl Sheet {
    /// Reads the header and every record; `Err` holds every problem of the header.
    pub fn read(kind: Kind, file: &str, text: &str) -> Result<Sheet, Vec<String>> {
        let mut rdr = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
        let headers = match rdr.headers() {
            Ok(h) => h.clone(),
            Err(e) => return Err(vec![format!("{file}:1: header: not a CSV header: {e}")]),
        };
        let index = header_index(kind, file, &headers)?;
        let records: Vec<csv::StringRecord> = match rdr.records().collect::<Result<_, _>>() {
            Ok(r) => r,
            Err(e) => return Err(vec![format!("{file}:{}: row: {e}", e.position().map_or(0, |p| p.line()))]),
        };
        Ok(Sheet { index, records })
    }

    pub fn rows(&self) -> Vec<Row<'_>> {
        (self.records.iter().enumerate())
            .map(|(i, r)| Row {
                line: r.position().map_or(i + 2, |p| p.line() as usize),
                cells: self.index.iter().zip(r.iter()).filter_map(|(c, v)| c.map(|c| (c, v))).collect(),
            })
            .collect()
    }
}

/// The field of each header column: unknown, doubled and missing columns are problems.
fn header_index(kind: Kind, file: &str, headers: &csv::StringRecord) -> Result<Vec<Option<&'static str>>, Vec<String>> {
    let cols = kind.columns();
    let mut errors = Vec::new();
    let mut index: Vec<Option<&'static str>> = Vec::new();
    for (n, h) in headers.iter().enumerate() {
        let h = h.trim().trim_start_matches('\u{feff}');
        let found = cols.iter().find(|(f, _, zh)| *f == h.to_lowercase() || zh.contains(&h)).map(|(f, _, _)| *f);
        if found.is_none() {
            let known: Vec<&str> = cols.iter().map(|(f, _, _)| *f).collect();
            let name = if h.is_empty() { format!("column {}", n + 1) } else { crate::text::truncate(h, 40) };
            errors.push(format!("{file}:1: {name}: unknown column (the columns are {})", known.join(", ")));
        }
        if found.is_some() && index.contains(&found) {
            errors.push(format!("{file}:1: {h}: the column appears twice"));
        }
        index.push(found);
    }
    for (f, required, _) in cols {
        if *required && !index.contains(&Some(*f)) {
            errors.push(format!("{file}:1: {f}: missing column"));
        }
    }
    if errors.is_empty() {
        Ok(index)
    } else {
        Err(errors)
    }
}

/// What checking a file needs, and the problems found so far.
pub(super) struct Check<'a> {
    pub file: &'a str,
    pub state: &'a State,
    pub today: NaiveDate,
    pub offset: FixedOffset,
    /// The key of each row seen, with its line.
    seen: BTreeMap<String, usize>,
    pub errors: Vec<String>,
}

impl<'a> Check<'a> {
    pub fn new(file: &'a str, state: &'a State, today: NaiveDate, offset: FixedOffset) -> Check<'a> {
        Check { file, state, today, offset, seen: BTreeMap::new(), errors: Vec::new() }
    }

    /// Records a problem in `col` of `row`.
    pub fn bad(&mut self, row: &Row, col: &str, why: impl Display) {
        self.errors.push(format!("{}:{}: {col}: {why}", self.file, row.line));
    }

    /// The checks every row gets: required cells, control characters, length, duplicate keys.
    pub fn common(&mut self, kind: Kind, row: &Row) {
        for (f, required, _) in kind.columns() {
            if *required && row.get(f).is_empty() {
                self.bad(row, f, "is empty");
            }
        }
        for (col, v) in &row.cells {
            if v.chars().any(|c| c.is_control()) {
                self.bad(row, col, "contains control characters");
            }
            if v.chars().count() > MAX_TEXT {
                self.bad(row, col, format!("is too long (at most {MAX_TEXT} characters)"));
            }
        }
        // The column that identifies a row.
        let key_col = match kind {
            Kind::People => "name",
            Kind::Duty => "start",
            _ => "code",
        };
        let key = if kind == Kind::Stock { String::new() } else { row.get(key_col).to_string() };
        if !key.is_empty() {
            if let Some(first) = self.seen.insert(key.clone(), row.line) {
                let shown = crate::text::truncate(&key, 40);
                self.bad(row, key_col, format!("duplicate {shown} (first on line {first})"));
            }
        }
    }

    /// A whole, non-negative number (0 when empty or bad).
    pub fn whole(&mut self, row: &Row, col: &str) -> u32 {
        let v = row.get(col);
        if v.is_empty() {
            return 0;
        }
        match v.parse::<i64>() {
            Ok(n) if n < 0 => {
                self.bad(row, col, "must not be negative");
                0
            }
            Ok(n) => u32::try_from(n).unwrap_or_else(|_| {
                self.bad(row, col, "is absurdly large");
                0
            }),
            Err(_) => {
                self.bad(row, col, "is not a whole number");
                0
            }
        }
    }

    /// A non-negative number; an empty cell is 0 when required, else none.
    pub fn float(&mut self, row: &Row, col: &str, required: bool) -> Option<f64> {
        let v = row.get(col);
        if v.is_empty() {
            return if required { Some(0.0) } else { None };
        }
        match v.parse::<f64>() {
            Ok(x) if x.is_finite() && x >= 0.0 => Some(x),
            Ok(_) => {
                self.bad(row, col, "must not be negative");
                None
            }
            Err(_) => {
                self.bad(row, col, "is not a number");
                None
            }
        }
    }

    /// A time, RFC 3339 or local `YYYY-MM-DD HH:MM`.
    pub fn time(&mut self, row: &Row, col: &str) -> Option<DateTime<FixedOffset>> {
        let v = row.get(col);
        let parsed = DateTime::parse_from_rfc3339(v).ok().or_else(|| {
            ["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y/%m/%d %H:%M"]
                .iter()
                .find_map(|f| NaiveDateTime::parse_from_str(v, f).ok())
                .and_then(|t| t.and_local_timezone(self.offset).single())
        });
        if parsed.is_none() && !v.is_empty() {
            self.bad(row, col, format!("{v} is not a time (YYYY-MM-DD HH:MM)"));
        }
        parsed
    }
}
