//! Tally rows for `tallies` and the faces: every village with its tally of a day (if any), its
//! latest tally and the next one due, overdue ones first; the JSON names are those of the
//! tally import. Cost: one pass over the villages and a lookup each.

use crate::domain::demand::TallyLine;
use crate::domain::state::State;
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TallyRow {
    pub village: String,
    pub point: String,
    pub date: NaiveDate,
    /// Whether the village tallied that day, and what.
    pub tallied: bool,
    pub zero: bool,
    pub lines: Vec<TallyLine>,
    pub last: Option<NaiveDate>,
    pub next_due: Option<NaiveDate>,
    /// The next tally is past due (as of today).
    pub overdue: bool,
}

pub fn rows(state: &State, date: NaiveDate, today: NaiveDate) -> Vec<TallyRow> {
    let mut rows: Vec<TallyRow> = state
        .villages
        .values()
        .map(|v| {
            let of_day = state.tallies.get(&(date, v.code.clone()));
            let last = state.last_tally.get(&v.code).copied();
            let next_due = last.and_then(|d| state.tallies.get(&(d, v.code.clone()))).map(|t| t.next_due);
            TallyRow {
                village: v.code.clone(),
                point: v.point.clone(),
                date,
                tallied: of_day.is_some(),
                zero: of_day.is_some_and(|t| t.lines.is_empty()),
                lines: of_day.map(|t| t.lines.clone()).unwrap_or_default(),
                last,
                next_due,
                overdue: next_due.is_some_and(|d| d < today),
            }
        })
        .collect();
    rows.sort_by_key(|r| !r.overdue);
    rows
}
