//! Rows of a requests file and of a tallies file as the commands they submit, with the problems
//! of each row noted (named by its line) before anything is sent. A request row is one
//! `Request`; tally rows are grouped by village and day into one `Tally` each (a row with no
//! item, or a quantity of 0, makes a zero tally). Each command's id is made from its rows, so
//! importing the same file again records nothing new. A bad row stops the whole file (the
//! problems are the caller's to report); the commands of a good file go in slices. Imports domain types and the row reader.

use super::sheet::{Check, Row};
use crate::domain::command::Command;
use crate::domain::demand::{Requester, TallyLine};
use crate::domain::{Item, Qty, Reason};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// The request of a good row, with its id and origin; none when a cell is bad.
pub(super) fn request(c: &mut Check, row: &Row) -> Option<(String, Command, String)> {
    let village = row.get("village");
    known_village(c, row, village);
    let code = match (row.get("item"), row.get("kit")) {
        ("", kit) => kit,
        (item, "") => item,
        (item, _) => {
            c.bad(row, "kit", Reason::ItemAndKit);
            item
        }
    };
    let it = known_item(c, row, code);
    let qty = quantity(c, row, it, false)?;
    let by = match row.get("by") {
        "" => c.today.succ_opt().unwrap_or(c.today),
        text => day(c, row, "by", text)?,
    };
    if by < c.today {
        c.bad(row, "by", Reason::BeforeToday { date: by.to_string() });
        return None;
    }
    let urgent = match row.get("urgent") {
        "" | "false" | "0" | "no" | "否" => false,
        "true" | "1" | "yes" | "是" => true,
        other => {
            c.bad(row, "urgent", Reason::NotYesNo { value: other.into() });
            false
        }
    };
    let slot = Some(row.get("slot").to_string()).filter(|s| !s.is_empty());
    let text =
        format!("{village}:{code}:{}:{by}:{}:{urgent}:{}", qty.0, slot.clone().unwrap_or_default(), row.get("id"));
    let id = crate::api::fit_id(&format!("import-request:{}:", row.line), &text);
    let cmd = Command::Request {
        requester: Requester::Village { code: village.into() },
        item: code.into(),
        qty,
        by,
        slot,
        urgent,
        note: row.get("note").into(),
    };
    Some((id, cmd, format!("{}:{}", c.file, row.line)))
}

/// The tallies of good rows, one per village and day, in the order they first appear.
pub(super) fn tallies(c: &mut Check, rows: &[Row]) -> Vec<(String, Command, String)> {
    let mut groups: BTreeMap<(String, NaiveDate), (usize, Vec<TallyLine>, bool)> = BTreeMap::new();
    for row in rows {
        let village = row.get("village");
        known_village(c, row, village);
        let date = match row.get("date") {
            "" => Some(c.today),
            text => day(c, row, "date", text),
        };
        let code = row.get("item");
        let zero = code.is_empty() || matches!(Qty::parse(row.get("qty")), Ok(q) if q.0 == 0);
        let line = if zero {
            None
        } else {
            let it = known_item(c, row, code);
            quantity(c, row, it, true).map(|qty| TallyLine { item: code.into(), qty })
        };
        let Some(date) = date else { continue };
        let g = groups.entry((village.to_string(), date)).or_insert((row.line, Vec::new(), false));
        match line {
            Some(l) => g.1.push(l),
            None => g.2 |= zero,
        }
    }
    let mut out: Vec<(usize, (String, Command, String))> = groups
        .into_iter()
        .map(|((village, date), (line, lines, zero))| {
            let zero = zero && lines.is_empty();
            let text: Vec<String> = lines.iter().map(|l| format!("{}={}", l.item, l.qty)).collect();
            let id = crate::api::fit_id(&format!("import-tally:{village}:{date}:"), &text.join(","));
            (line, (id, Command::Tally { village, date, lines, zero }, format!("{}:{line}", c.file)))
        })
        .collect();
    out.sort_by_key(|(line, _)| *line);
    out.into_iter().map(|(_, cmd)| cmd).collect()
}

fn known_village(c: &mut Check, row: &Row, village: &str) {
    if !village.is_empty() && !c.state.villages.contains_key(village) {
        c.bad(row, "village", Reason::UnknownVillage { code: village.into() });
    }
}

fn known_item<'s>(c: &mut Check<'s>, row: &Row, code: &str) -> Option<&'s Item> {
    let it = c.state.items.get(code);
    if it.is_none() {
        let (col, code) = (if row.get("kit").is_empty() { "item" } else { "kit" }, code.to_string());
        let why = if col == "kit" { Reason::UnknownKit { code } } else { Reason::UnknownItem { code } };
        c.bad(row, col, why);
    }
    it
}

/// A positive quantity (zero too where `zero_ok`), whole where the unit is counted whole.
fn quantity(c: &mut Check, row: &Row, it: Option<&Item>, zero_ok: bool) -> Option<Qty> {
    match Qty::parse(row.get("qty")) {
        Ok(q) if q.0 > 0 && it.is_none_or(|i| i.divisible() || q.is_whole()) => Some(q),
        Ok(q) if q.0 == 0 && zero_ok => Some(q),
        Ok(q) if q.0 > 0 => {
            c.bad(row, "qty", Reason::NotWhole { unit: it.map_or_else(String::new, |i| i.unit.clone()) });
            None
        }
        Ok(_) => {
            c.bad(row, "qty", Reason::NotPositive);
            None
        }
        Err(e) => {
            c.bad(row, "qty", e.reason());
            None
        }
    }
}

fn day(c: &mut Check, row: &Row, col: &str, text: &str) -> Option<NaiveDate> {
    match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            c.bad(row, col, Reason::BadDate);
            None
        }
    }
}
