//! One row of an opening-stock file as the restock it submits, with an id made from the row (so
//! importing the same file again applies nothing new). Imports domain types and the row reader.

use super::sheet::{Check, Row};
use crate::domain::command::{Command, Source};
use crate::domain::rules::validate::MAX_EXPIRY_YEARS;
use crate::domain::{Item, Qty, Reason};
use chrono::{Months, NaiveDate};

/// The restock of a good row (with its id); none when the quantity is bad.
pub(super) fn restock(c: &mut Check, row: &Row) -> Option<(String, Command)> {
    let (point, item) = (row.get("point"), row.get("item"));
    if !point.is_empty() && !c.state.points.contains_key(point) {
        c.bad(row, "point", Reason::UnknownPoint { code: point.into() });
    }
    let it = c.state.items.get(item);
    if !item.is_empty() && it.is_none() {
        c.bad(row, "item", Reason::UnknownItem { code: item.into() });
    }
    let qty = quantity(c, row, it);
    let expiry = expiry(c, row);
    let batch = Some(row.get("batch").to_string()).filter(|b| !b.is_empty());
    let qty = qty?;
    // The id is the row itself: importing the same file again applies nothing new. Codes in
    // another script, or a long batch, are hashed to fit the id rule.
    let row_text = format!(
        "{point}:{item}:{}:{}:{}",
        qty.0,
        batch.clone().unwrap_or_default(),
        expiry.map(|d| d.to_string()).unwrap_or_default()
    );
    let id = crate::api::fit_id(&format!("import-stock:{}:", row.line), &row_text);
    let note = format!("{}:{}", c.file, row.line);
    let cmd =
        Command::Restock { point: point.into(), item: item.into(), qty, source: Source::Supplier, batch, expiry, note };
    Some((id, cmd))
}

/// A positive quantity, whole where the item's unit is counted whole.
fn quantity(c: &mut Check, row: &Row, it: Option<&Item>) -> Option<Qty> {
    match Qty::parse(row.get("qty")) {
        Ok(q) if q.0 > 0 && it.is_none_or(|i| i.divisible() || q.is_whole()) => Some(q),
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

/// An expiry date, neither past nor absurdly far; none when empty or bad.
fn expiry(c: &mut Check, row: &Row) -> Option<NaiveDate> {
    let v = row.get("expiry");
    if v.is_empty() {
        return None;
    }
    let furthest = c.today.checked_add_months(Months::new(12 * MAX_EXPIRY_YEARS)).unwrap_or(c.today);
    match NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        Ok(d) if d < c.today => {
            c.bad(row, "expiry", Reason::ExpiryPast { expiry: d.to_string() });
            None
        }
        Ok(d) if d > furthest => {
            c.bad(row, "expiry", Reason::FarFuture { date: d.to_string(), years: MAX_EXPIRY_YEARS });
            None
        }
        Ok(d) => Some(d),
        Err(_) => {
            c.bad(row, "expiry", Reason::BadDate);
            None
        }
    }
}
