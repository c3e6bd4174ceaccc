//! The shared row reader of every import: the header mapped to field names (or their Chinese
//! aliases), the rows as cells by field with the line each starts on (as wide as the header, or
//! refused), the checks every row gets (required cells, control and invisible characters,
//! length, duplicate keys, and the engine's `Registry` of codes and names), the cell parsers,
//! and the problems, each a typed `Reason` shown as `FILE:LINE: column: reason` in the user's
//! language (a column by its Chinese name in Chinese). Imports domain types and `i18n` only.

use super::Kind;
use crate::domain::command::Record;
use crate::domain::ident;
use crate::domain::reject::field_label;
use crate::domain::rules::validate::{Registry, MAX_TEXT};
use crate::domain::{Lang, Reason, State};
use crate::i18n::t;
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use std::collections::{BTreeMap, HashMap};
use std::mem::Discriminant;

/// A file read and its header understood.
pub(super) struct Sheet {
    /// The field each column holds (`None`: unknown, already reported).
    index: Vec<Option<&'static str>>,
    /// The rows as wide as the header, each with the line it starts on.
    records: Vec<(usize, csv::StringRecord)>,
    /// The rows refused as they were read (more or fewer fields than the header).
    pub problems: Vec<Problem>,
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
    pub fn read(kind: Kind, file: &str, text: &str) -> Result<Sheet, Problems> {
        let mut rdr = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
        let lines = Lines::new(text);
        let fail = |list| Err(Problems { file: file.to_string(), kind, list });
        let headers = match rdr.headers() {
            Ok(h) => h.clone(),
            Err(_) => return fail(vec![Problem::new(1, Column::Header, Reason::NotCsv)]),
        };
        let index = match header_index(kind, lines.at(headers.position()), &headers) {
            Ok(index) => index,
            Err(list) => return fail(list),
        };
        let (mut records, mut problems) = (Vec::new(), Vec::new());
        for record in rdr.records() {
            match record {
                Ok(r) => {
                    let line = lines.at(r.position());
                    match ragged(&r, index.len()) {
                        Some(why) => problems.push(Problem::new(line, Column::Row, why)),
                        None => records.push((line, r)),
                    }
                }
                Err(e) => {
                    let line = lines.at(e.position());
                    return fail(vec![Problem::new(line, Column::Row, Reason::NotCsv)]);
                }
            }
        }
        Ok(Sheet { index, records, problems })
    }

    pub fn rows(&self) -> Vec<Row<'_>> {
        (self.records.iter())
            .map(|(line, r)| Row {
                line: *line,
                cells: self.index.iter().zip(r.iter()).filter_map(|(c, v)| c.map(|c| (c, v))).collect(),
            })
            .collect()
    }
}

/// Why a row is not as wide as the header: fewer fields, or more that are not empty (a stray
/// comma shifts every value after it).
fn ragged(r: &csv::StringRecord, width: usize) -> Option<Reason> {
    let extra = r.iter().skip(width).any(|c| !c.is_empty());
    (r.len() < width || extra).then_some(Reason::FieldCount { has: r.len(), header: width })
}

/// Where each line of a text starts, to name the line a record starts on (CRLF, CR or LF).
struct Lines<'t> {
    /// The byte offset of every line end.
    ends: Vec<usize>,
    bytes: &'t [u8],
}

impl<'t> Lines<'t> {
    fn new(text: &'t str) -> Lines<'t> {
        let b = text.as_bytes();
        let ends = (0..b.len()).filter(|&i| b[i] == b'\n' || (b[i] == b'\r' && b.get(i + 1) != Some(&b'\n'))).collect();
        Lines { ends, bytes: b }
    }

    /// The line a record starts on: the csv reader's position is where it began reading, so
    /// the blank lines it skipped come first.
    fn at(&self, pos: Option<&csv::Position>) -> usize {
        let mut byte = pos.map_or(0, |p| p.byte() as usize);
        while self.bytes.get(byte).is_some_and(|b| *b == b'\r' || *b == b'\n') {
            byte += 1;
        }
        self.ends.partition_point(|&e| e < byte) + 1
    }
}

/// Where in a line a problem is.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Column {
    /// A field of the file's kind (or of the record it makes), by its `--json` name.
    Field(String),
    /// A header cell naming no field, as typed in the file.
    Typed(String),
    /// A header cell left empty, by its position (from 1).
    Nth(usize),
    /// The whole row.
    Row,
    /// The header line.
    Header,
    /// The bytes of the line.
    Encoding,
}

impl Column {
    /// The column as the user reads it: a field by its first Chinese alias (else its Chinese
    /// label) in Chinese; a header cell as typed.
    pub fn name(&self, kind: Kind, lang: Lang) -> String {
        match self {
            Column::Field(f) if lang == Lang::Zh => kind
                .columns()
                .iter()
                .find(|(name, _, _)| name == f)
                .and_then(|(_, _, zh)| zh.iter().find(|z| !z.is_ascii()))
                .map_or_else(|| field_label(f, lang), |z| z.to_string()),
            Column::Field(f) | Column::Typed(f) => f.clone(),
            Column::Nth(n) => t(lang, "import.column_nth").replace("{n}", &n.to_string()),
            Column::Row => t(lang, "import.row").to_string(),
            Column::Header => t(lang, "import.header").to_string(),
            Column::Encoding => t(lang, "import.encoding").to_string(),
        }
    }
}

/// One problem of a file: its line, the column, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub column: Column,
    pub reason: Reason,
}

impl Problem {
    pub fn new(line: usize, column: Column, reason: Reason) -> Problem {
        Problem { line, column, reason }
    }

    /// What groups a cascade of like problems: the column and the kind of reason (of a list
    /// cell's part, the part's).
    fn class(&self) -> (&Column, Discriminant<Reason>) {
        fn of(r: &Reason) -> Discriminant<Reason> {
            match r {
                Reason::Part { reason, .. } => of(reason),
                r => std::mem::discriminant(r),
            }
        }
        (&self.column, of(&self.reason))
    }
}

/// Every problem of a file of one kind, in line order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problems {
    pub file: String,
    pub kind: Kind,
    pub list: Vec<Problem>,
}

impl Problems {
    /// Each problem as `FILE:LINE: column: reason`, in English.
    pub fn lines(&self) -> Vec<String> {
        self.lines_in(Lang::En)
    }

    /// Each problem as `FILE:LINE: column: reason`, in `lang`.
    pub fn lines_in(&self, lang: Lang) -> Vec<String> {
        self.list.iter().map(|p| self.line(p, lang)).collect()
    }

    fn line(&self, p: &Problem, lang: Lang) -> String {
        let sep = if lang == Lang::Zh { ":" } else { ": " };
        format!("{}:{}: {}{sep}{}", self.file, p.line, p.column.name(self.kind, lang), p.reason.text(lang))
    }

    /// The first `per` problems of each column and kind of reason, in line order, and for each
    /// with more, how many more and the first of them (`(1980, "in.csv:2")`). O(problems).
    pub fn shown(&self, per: usize, lang: Lang) -> (Vec<String>, Vec<(usize, String)>) {
        let mut seen: HashMap<(&Column, Discriminant<Reason>), (usize, usize)> = HashMap::new();
        let mut shown = Vec::new();
        for (i, p) in self.list.iter().enumerate() {
            let (n, _) = seen.entry(p.class()).or_insert((0, i));
            *n += 1;
            if *n <= per {
                shown.push(self.line(p, lang));
            }
        }
        let mut more: Vec<(usize, usize)> =
            seen.into_values().filter(|(n, _)| *n > per).map(|(n, i)| (i, n - per)).collect();
        more.sort_unstable();
        let at = |i: usize| format!("{}:{}", self.file, self.list[i].line);
        (shown, more.into_iter().map(|(i, n)| (n, at(i))).collect())
    }
}

/// The field of each header column: unknown, doubled and missing columns are problems.
fn header_index(
    kind: Kind,
    line: usize,
    headers: &csv::StringRecord,
) -> Result<Vec<Option<&'static str>>, Vec<Problem>> {
    let cols = kind.columns();
    let mut errors = Vec::new();
    let mut index: Vec<Option<&'static str>> = Vec::new();
    for (n, h) in headers.iter().enumerate() {
        let h = h.trim().trim_start_matches('\u{feff}');
        let found = cols.iter().find(|(f, _, zh)| *f == h.to_lowercase() || zh.contains(&h)).map(|(f, _, _)| *f);
        if found.is_none() {
            let known: Vec<&str> = cols.iter().map(|(f, _, _)| *f).collect();
            let known_zh: Vec<&str> =
                cols.iter().map(|(f, _, zh)| *zh.iter().find(|z| !z.is_ascii()).unwrap_or(f)).collect();
            let name = if h.is_empty() { Column::Nth(n + 1) } else { Column::Typed(crate::text::truncate(h, 40)) };
            let why = Reason::UnknownColumn { known: known.join(", "), known_zh: known_zh.join("、") };
            errors.push(Problem::new(line, name, why));
        }
        if let Some(f) = found.filter(|_| index.contains(&found)) {
            errors.push(Problem::new(line, Column::Field(f.to_string()), Reason::ColumnTwice));
        }
        index.push(found);
    }
    for (f, required, _) in cols {
        if *required && !index.contains(&Some(*f)) {
            errors.push(Problem::new(line, Column::Field(f.to_string()), Reason::MissingColumn));
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
    /// The codes and names of the state and of the rows so far, as the engine compares them.
    registry: Registry<'a>,
    pub problems: Vec<Problem>,
}

impl<'a> Check<'a> {
    pub fn new(file: &'a str, state: &'a State, today: NaiveDate, offset: FixedOffset) -> Check<'a> {
        let (seen, registry) = (BTreeMap::new(), Registry::new(state));
        Check { file, state, today, offset, seen, registry, problems: Vec::new() }
    }

    /// Records a problem in `col` of `row`.
    pub fn bad(&mut self, row: &Row, col: &str, why: Reason) {
        self.problems.push(Problem::new(row.line, Column::Field(col.to_string()), why));
    }

    /// The checks every row gets: required cells, control and invisible characters, codes in
    /// one script, length, duplicate keys.
    pub fn common(&mut self, kind: Kind, row: &Row) {
        for (f, required, _) in kind.columns() {
            if *required && row.get(f).is_empty() {
                self.bad(row, f, Reason::Empty);
            }
        }
        let mut cells: Vec<(&&str, &&str)> = row.cells.iter().collect();
        cells.sort();
        for (col, v) in cells {
            if v.chars().any(|c| c.is_control()) {
                self.bad(row, col, Reason::BadText);
            } else if let Err(r) = hygiene(kind, col, v.trim()) {
                self.bad(row, col, r);
            }
            if v.chars().count() > MAX_TEXT {
                self.bad(row, col, Reason::TooLong { max: MAX_TEXT });
            }
        }
        // The column that identifies a row.
        let key_col = match kind {
            Kind::People => "name",
            Kind::Duty => "start",
            Kind::Vehicles => "plate",
            _ => "code",
        };
        let key = match kind {
            Kind::Stock => String::new(),
            // A slot's code is its zone's: the same code in two zones is two slots.
            Kind::Slots => format!("{}/{}", row.get("zone"), row.get("code")),
            _ => row.get(key_col).to_string(),
        };
        if !key.is_empty() {
            if let Some(first) = self.seen.insert(key.clone(), row.line) {
                let key = crate::text::truncate(&key, 40);
                self.bad(row, key_col, Reason::DuplicateRow { key, first });
            }
        }
    }

    /// Compares the row's record with the state and the rows before it, as the engine will.
    /// A column already found bad in this row is not reported again.
    pub fn admit(&mut self, row: &Row, record: &Record) {
        if let Err(r) = self.registry.admit(record) {
            let row_problems = self.problems.iter().rev().take_while(|p| p.line == row.line);
            if row_problems.clone().any(|p| p.column == Column::Field(r.field.clone())) {
                return;
            }
            self.bad(row, &r.field, r.reason);
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
                self.bad(row, col, Reason::Negative);
                0
            }
            Ok(n) => u32::try_from(n).unwrap_or_else(|_| {
                let (value, max) = (n.to_string(), u32::MAX.to_string());
                self.bad(row, col, Reason::OutOfRange { value, min: "0".into(), max });
                0
            }),
            Err(_) => {
                self.bad(row, col, Reason::NotWholeNumber);
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
                self.bad(row, col, Reason::Negative);
                None
            }
            Err(_) => {
                self.bad(row, col, Reason::NotANumber);
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
            self.bad(row, col, Reason::BadTime);
        }
        parsed
    }
}

/// The engine's check of a code or name cell (`ident`); other cells are free text.
fn hygiene(kind: Kind, col: &str, v: &str) -> Result<(), Reason> {
    match (kind, col) {
        (Kind::People | Kind::Duty | Kind::Stock, "code") => Ok(()),
        (_, "code") => ident::check_code(v),
        (_, "name" | "name_zh" | "name_en") => ident::check_name(v),
        _ => Ok(()),
    }
}
