//! Stock rows: a point and item (or the town's total of an item) with its cover and status,
//! worst first. One order and one JSON form for `stock`, `export stock`, the stock panels and
//! the wall.

use super::opt_num;
use crate::domain::rules::cover::{self, Cover};
use crate::domain::state::{Lot, State};
use crate::domain::{Item, Qty};
use chrono::{Duration, NaiveDate};
use serde_json::json;

/// One stock row: a point+item (or the town's total of an item) with its cover.
pub struct StockRow<'a> {
    pub point: Option<&'a str>,
    pub item: &'a Item,
    pub cover: Cover,
}

/// Stock rows for a point, an item, or everything; worst cover first. O(pairs × (lots of a
/// pair + days in the window)) for points, O(lots + flows in the window + items) for the town.
pub fn stock_rows<'a>(
    state: &'a State,
    today: NaiveDate,
    point: Option<&str>,
    item: Option<&str>,
    town: bool,
) -> Vec<StockRow<'a>> {
    let mut rows: Vec<StockRow> = if town {
        let mut covers = town_covers(state, today);
        state
            .items
            .values()
            .filter(|i| item.is_none_or(|x| x == i.code))
            .filter_map(|i| Some(StockRow { point: None, item: i, cover: covers.remove(&i.code)? }))
            .collect()
    } else {
        state
            .pairs
            .keys()
            .filter(|(p, i)| point.is_none_or(|x| x == p) && item.is_none_or(|x| x == i))
            .filter_map(|(p, i)| {
                let it = state.items.get(i)?;
                Some(StockRow { point: Some(p.as_str()), item: it, cover: point_cover(state, p, it, today) })
            })
            .collect()
    };
    sort_stock_rows(&mut rows);
    rows
}

/// The live cover of an item at a point: what the stock panel, `stock`, today's report, the
/// wall and the alerts all show. O(lots of the pair + days in the window).
pub fn point_cover(state: &State, point: &str, item: &Item, today: NaiveDate) -> Cover {
    cover::point_cover(state, point, item, today)
}

/// The live town-wide cover of an item (`stock --town`, the report's town line, the wall).
/// O(lots of the item + flows in the window).
pub fn town_cover(state: &State, item: &Item, today: NaiveDate) -> Cover {
    cover::town_cover(state, item, today)
}

/// Every item's live town-wide cover, as `town_cover` gives each, from one pass over the lots
/// and the flows of the window: O(lots + flows in the window + items).
pub fn town_covers(state: &State, today: NaiveDate) -> std::collections::BTreeMap<String, Cover> {
    cover::town_covers(state, today)
}

/// Cover of an item at a point (the town when `point` is None) as it stood at the close of
/// `date`: on `today` (or later) the live cover itself; on a past day, that day's closing stock
/// at the consumption of the window ending with it (as the next morning's figure read).
pub fn cover_on(state: &State, point: Option<&str>, item: &Item, date: NaiveDate, today: NaiveDate) -> Cover {
    if date >= today {
        return match point {
            Some(p) => point_cover(state, p, item, today),
            None => town_cover(state, item, today),
        };
    }
    let morning = date + Duration::days(1);
    let (qty, rate) = match point {
        Some(p) => (closing_stock(state, p, &item.code, date, today), cover::consumption(state, p, item, morning)),
        None => (
            state.points.keys().map(|p| closing_stock(state, p, &item.code, date, today)).sum(),
            cover::town_consumption(state, item, morning),
        ),
    };
    one_lot_cover(qty, rate, item, morning)
}

/// Every item's town-wide cover at the close of `date`, as `cover_on` gives each with no
/// point: from one pass over the flows of the window (and over the lots on `today`), not one
/// per item. O(lots + flows in the window + items × points × log flows) on a past day.
pub fn town_covers_on(state: &State, date: NaiveDate, today: NaiveDate) -> std::collections::BTreeMap<String, Cover> {
    if date >= today {
        return town_covers(state, today);
    }
    let morning = date + Duration::days(1);
    let rates = cover::town_consumptions(state, morning);
    state
        .items
        .values()
        .map(|item| {
            let qty = state.points.keys().map(|p| closing_stock(state, p, &item.code, date, today)).sum();
            let rate = rates.get(&item.code).copied().flatten();
            (item.code.clone(), one_lot_cover(qty, rate, item, morning))
        })
        .collect()
}

/// The cover of `qty` of an item held as one lot (no expiry known) at `rate`: a past day's figure.
fn one_lot_cover(qty: Qty, rate: Option<(f64, cover::Basis)>, item: &Item, morning: NaiveDate) -> Cover {
    let lot = Lot { point: String::new(), item: item.code.clone(), batch: String::new(), qty, expiry: None };
    cover::cover_of(qty, &[&lot], rate, item, morning)
}

/// A point's stock of an item at the close of `date`: the closing stock of its last movement on
/// or before that day, else (no movement since either) the stock now.
pub fn closing_stock(state: &State, point: &str, item: &str, date: NaiveDate, today: NaiveDate) -> Qty {
    let at = |d: NaiveDate| state.flows.get(&(d, point.to_string(), item.to_string()));
    let mut d = date;
    for _ in 0..=crate::domain::retention::HOT_DAYS {
        if let Some(f) = at(d) {
            return f.closing;
        }
        d -= Duration::days(1);
    }
    let mut d = date + Duration::days(1);
    while d <= today {
        if at(d).is_some() {
            return Qty::ZERO;
        }
        d += Duration::days(1);
    }
    state.qty(point, item)
}

/// Items before kits (a kit is made of items above it and has no norm of its own), then worst
/// cover first (stocked out, then the lowest share of its norm), then point and item.
pub fn sort_stock_rows(rows: &mut [StockRow]) {
    rows.sort_by(|a, b| {
        a.item
            .is_kit()
            .cmp(&b.item.is_kit())
            .then(cover::ratio(&a.cover).total_cmp(&cover::ratio(&b.cover)))
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
