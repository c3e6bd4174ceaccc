//! One row of a households file as the change it makes to the register, with its problems
//! noted: a phone that is not a phone (never quoted: personal data), an unknown village, item
//! or category, a need not written ITEM=QTY/DAYS or with a cadence of 0. Imports domain types
//! and the shared row reader.

use super::sheet::{why, Check, Row};
use crate::domain::household::{phone_ok, Category, HouseholdChange, NeedSpec};
use crate::domain::qty::Qty;
use crate::domain::rules::validate::MAX_EVERY_DAYS;

/// How the items of a list cell are separated.
const SEPARATORS: [char; 6] = [' ', ',', ';', '，', '；', '、'];

pub(super) fn household(c: &mut Check, row: &Row) -> HouseholdChange {
    let village = row.get("village");
    if !village.is_empty() && !c.state.villages.contains_key(village) {
        c.bad(row, "village", why("unknown village", format!("unknown village {village}")));
    }
    for col in ["phone", "responsible_phone"] {
        let p = row.get(col);
        if !p.is_empty() && !phone_ok(p) {
            c.bad(row, col, why("not a phone", "is not a phone number"));
        }
    }
    let mut categories = Vec::new();
    for t in row.get("categories").split(SEPARATORS).filter(|s| !s.is_empty()) {
        match Category::parse(t) {
            Some(k) => categories.push(k.code().to_string()),
            None => {
                let all = Category::ALL.map(|k| k.code()).join(", ");
                c.bad(row, "categories", why("not a category", format!("{t} is not a category ({all})")));
            }
        }
    }
    let needs = row.get("needs").split(SEPARATORS).filter(|s| !s.is_empty()).filter_map(|t| need(c, row, t)).collect();
    let text = |col: &str| Some(row.get(col).to_string());
    HouseholdChange {
        code: row.get("code").into(),
        name: text("name"),
        village: text("village"),
        address: text("address"),
        phone: text("phone"),
        categories: Some(categories),
        needs: Some(needs),
        responsible: text("responsible"),
        responsible_phone: text("responsible_phone"),
        note: text("note"),
    }
}

/// `ITEM=QTY/DAYS`.
fn need(c: &mut Check, row: &Row, text: &str) -> Option<NeedSpec> {
    let parsed = text.split_once('=').and_then(|(item, rest)| {
        let (qty, days) = rest.split_once('/')?;
        Some((
            item.trim(),
            Qty::parse(qty.trim()).ok()?,
            days.trim().trim_end_matches(['d', '天']).parse::<u32>().ok()?,
        ))
    });
    let Some((item, qty, every_days)) = parsed else {
        c.bad(row, "needs", why("not a need", format!("{text} is not ITEM=QTY/DAYS")));
        return None;
    };
    if !c.state.items.contains_key(item) {
        c.bad(row, "needs", why("unknown item", format!("unknown item {item}")));
    }
    if qty <= Qty::ZERO {
        c.bad(row, "needs", why("not positive", format!("{text}: the quantity must be positive")));
    }
    if every_days == 0 || every_days > MAX_EVERY_DAYS {
        let w = format!("{text}: every 1 to {MAX_EVERY_DAYS} days, not {every_days}");
        c.bad(row, "needs", why("bad cadence", w));
    }
    Some(NeedSpec { item: item.to_string(), qty, every_days })
}
