//! One row of a households file as the change it makes to the register, with its problems
//! noted: a phone that is not a phone (never quoted: personal data), an unknown village, item
//! or category, a need not written ITEM=QTY/DAYS or with a cadence of 0. Imports domain types
//! and the shared row reader.

use super::sheet::{Check, Row};
use crate::domain::household::{phone_ok, Category, HouseholdChange, NeedSpec};
use crate::domain::qty::Qty;
use crate::domain::rules::validate::MAX_EVERY_DAYS;
use crate::domain::Reason;

/// How the items of a list cell are separated.
const SEPARATORS: [char; 6] = [' ', ',', ';', '，', '；', '、'];

pub(super) fn household(c: &mut Check, row: &Row) -> HouseholdChange {
    let village = row.get("village");
    if !village.is_empty() && !c.state.villages.contains_key(village) {
        c.bad(row, "village", Reason::UnknownVillage { code: village.into() });
    }
    for col in ["phone", "responsible_phone"] {
        let p = row.get(col);
        if !p.is_empty() && !phone_ok(p) {
            c.bad(row, col, Reason::BadPhone);
        }
    }
    let mut categories = Vec::new();
    for t in row.get("categories").split(SEPARATORS).filter(|s| !s.is_empty()) {
        match Category::parse(t) {
            Some(k) => categories.push(k.code().to_string()),
            None => {
                let reason = Box::new(Reason::NotAChoice { options: Category::ALL.map(|k| k.code()).join(", ") });
                c.bad(row, "categories", Reason::Part { part: t.into(), reason });
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
    let state = c.state;
    let mut bad = |reason: Reason| c.bad(row, "needs", Reason::Part { part: text.into(), reason: Box::new(reason) });
    let Some((item, qty, every_days)) = parsed else {
        bad(Reason::BadNeed);
        return None;
    };
    if !state.items.contains_key(item) {
        bad(Reason::UnknownItem { code: item.into() });
    }
    if qty <= Qty::ZERO {
        bad(Reason::NotPositive);
    }
    if every_days == 0 || every_days > MAX_EVERY_DAYS {
        let (value, max) = (every_days.to_string(), MAX_EVERY_DAYS.to_string());
        bad(Reason::OutOfRange { value, min: "1".into(), max });
    }
    Some(NeedSpec { item: item.to_string(), qty, every_days })
}
