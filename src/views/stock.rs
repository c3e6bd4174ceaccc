//! Stock rows: a point and item (or the town's total of an item) with its cover and status,
//! worst first. One order and one JSON form for `stock`, `export stock`, the stock panels and
//! the wall.

use super::opt_num;
use crate::domain::rules::cover::{self, Cover};
use crate::domain::state::State;
use crate::domain::Item;
use chrono::NaiveDate;
use serde_json::json;

/// One stock row: a point+item (or the town's total of an item) with its cover.
pub struct StockRow<'a> {
    pub point: Option<&'a str>,
    pub item: &'a Item,
    pub cover: Cover,
}

/// Stock rows for a point, an item, or everything; worst cover first.
pub fn stock_rows<'a>(
    state: &'a State,
    today: NaiveDate,
    point: Option<&str>,
    item: Option<&str>,
    town: bool,
) -> Vec<StockRow<'a>> {
    let mut rows: Vec<StockRow> = if town {
        state
            .items
            .values()
            .filter(|i| item.is_none_or(|x| x == i.code))
            .map(|i| StockRow { point: None, item: i, cover: cover::town_cover(state, i, today) })
            .collect()
    } else {
        state
            .pairs
            .keys()
            .filter(|(p, i)| point.is_none_or(|x| x == p) && item.is_none_or(|x| x == i))
            .filter_map(|(p, i)| {
                let it = state.items.get(i)?;
                Some(StockRow { point: Some(p.as_str()), item: it, cover: cover::point_cover(state, p, it, today) })
            })
            .collect()
    };
    sort_stock_rows(&mut rows);
    rows
}

/// Worst cover first (stocked out, then the lowest share of its norm), then point and item.
pub fn sort_stock_rows(rows: &mut [StockRow]) {
    rows.sort_by(|a, b| {
        cover::ratio(&a.cover)
            .total_cmp(&cover::ratio(&b.cover))
            .then(a.point.cmp(&b.point))
            .then(a.item.code.cmp(&b.item.code))
    });
}

/// Days of cover as a listing shows them (`999+` for practically unlimited, `-` unknown).
pub fn days_text(c: &Cover) -> String {
    match c.days {
        Some(d) if d >= 999.0 => "999+".into(),
        Some(d) => format!("{d:.1}"),
        None => "-".into(),
    }
}

/// Stock rows as JSON objects (the `stock --json` fields).
pub fn json(rows: &[StockRow]) -> Vec<serde_json::Value> {
    rows.iter()
        .map(|r| {
            json!({
                "point": r.point,
                "item": r.item.code,
                "qty": r.cover.qty.as_f64(),
                "unit": r.item.unit,
                "days_of_cover": opt_num(r.cover.days),
                "norm_days": r.item.norm_days,
                "daily": opt_num(r.cover.daily),
                "basis": r.cover.basis,
                "status": r.cover.status.code(),
                "runs_out": r.cover.runs_out,
                "expiry": r.cover.earliest_expiry,
            })
        })
        .collect()
}
