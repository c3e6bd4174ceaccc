//! Validation of `Assemble` and `Unpack`: kits made at a point from its components and taken
//! apart again, and of a kit's recipe in `Upsert`. An assembly takes each component earliest
//! expiry first (as a dispatch does) and its kits join the batch of the earliest expiry taken;
//! an unpacking takes the kits earliest expiry first and puts each component back as a batch
//! named after the kit batch, expiring with it (the components' own batches are not traced
//! through a kit, so the kit's expiry is the safe one). Cost: O(components × the lots of each
//! at the point), nothing that grows with the store.
//! Imports domain types and the shared checks of `validate` only.

use super::{quantity, rej, writable_stock, Ctx, R};
use crate::domain::catalog::{Component, Item};
use crate::domain::command::{LotTake, PartLots, Record, Resolved};
use crate::domain::qty::Qty;
use crate::domain::reject::{Reason, Rejection, Short};
use crate::domain::state::State;
use chrono::NaiveDate;

/// A kit at a point the caller may write for, and a whole, sensible number of kits.
fn kit_at<'a>(state: &'a State, ctx: &Ctx, point: &str, kit: &str, qty: Qty) -> R<&'a Item> {
    let it = writable_stock(state, ctx, "point", point, kit).map_err(|e| match e.reason {
        Reason::UnknownItem { code } => Rejection::new("kit", Reason::UnknownKit { code }),
        _ => e,
    })?;
    if !it.is_kit() {
        return rej("kit", Reason::UnknownKit { code: kit.to_string() });
    }
    quantity("qty", qty, it)?;
    Ok(it)
}

/// How much of a component `kits` kits hold.
fn need(c: &Component, kits: Qty) -> R<Qty> {
    let n = kits.0 / Qty::SCALE;
    c.qty.0.checked_mul(n).map(Qty).filter(|q| q.in_range()).ok_or_else(|| Rejection::new("qty", Reason::TooLarge))
}

/// The batch kits or their components are kept in: named by the expiry, as a restock's.
fn batch_of(expiry: Option<NaiveDate>) -> String {
    expiry.map_or_else(String::new, |e| format!("EXP{}", e.format("%Y%m%d")))
}

pub(super) fn assemble(state: &State, ctx: &Ctx, point: &str, kit: &str, qty: Qty) -> R<Resolved> {
    let it = kit_at(state, ctx, point, kit, qty)?;
    let mut parts = Vec::with_capacity(it.components.len());
    let mut short = Vec::new();
    for c in &it.components {
        let needed = need(c, qty)?;
        match state.plan_take(point, &c.item, needed, None) {
            Some(lots) => parts.push(PartLots { item: c.item.clone(), lots }),
            None => short.push(Short {
                item: c.item.clone(),
                needed: needed.to_string(),
                held: state.qty(point, &c.item).to_string(),
                unit: state.items.get(&c.item).map_or_else(String::new, |i| i.unit.clone()),
            }),
        }
    }
    if !short.is_empty() {
        return rej("kit", Reason::ComponentsShort { point: point.to_string(), short });
    }
    let expiry = parts.iter().flat_map(|p| p.lots.iter().filter_map(|l| l.expiry)).min();
    let lots = vec![LotTake { batch: batch_of(expiry), expiry, qty }];
    Ok(Resolved { lots, parts, ..Resolved::default() })
}

pub(super) fn unpack(state: &State, ctx: &Ctx, point: &str, kit: &str, qty: Qty) -> R<Resolved> {
    let it = kit_at(state, ctx, point, kit, qty)?;
    let Some(lots) = state.plan_take(point, kit, qty, None) else {
        let available = state.qty(point, kit).to_string();
        return rej("qty", Reason::BeyondStock { available, unit: it.unit.clone(), point: point.to_string() });
    };
    let mut parts = Vec::with_capacity(it.components.len());
    for c in &it.components {
        let mut back = Vec::with_capacity(lots.len());
        for kl in &lots {
            let batch = format!("{kit}-{}", if kl.batch.is_empty() { "unpacked" } else { &kl.batch });
            back.push(LotTake { batch, expiry: kl.expiry, qty: need(c, kl.qty)? });
        }
        parts.push(PartLots { item: c.item.clone(), lots: back });
    }
    Ok(Resolved { lots, parts, ..Resolved::default() })
}

/// A kit's recipe in reference data: counted whole, each component a known plain item (in the
/// state or the same command) named once, with a quantity of it that one kit holds.
pub(super) fn recipe(state: &State, records: &[Record], kit: &Item) -> R<()> {
    if !kit.is_kit() {
        return Ok(());
    }
    if kit.divisible() {
        return rej("unit", Reason::KitCountedWhole { unit: kit.unit.clone() });
    }
    let find = |code: &str| {
        let earlier = records.iter().find_map(|r| match r {
            Record::Item(i) if i.code == code => Some(i),
            _ => None,
        });
        earlier.or_else(|| state.items.get(code))
    };
    for (n, c) in kit.components.iter().enumerate() {
        let part =
            find(&c.item).ok_or_else(|| Rejection::new("components", Reason::UnknownItem { code: c.item.clone() }))?;
        if part.is_kit() || c.item == kit.code {
            return rej("components", Reason::KitInKit { code: c.item.clone() });
        }
        if kit.components[..n].iter().any(|o| o.item == c.item) {
            return rej("components", Reason::NamedTwice { id: c.item.clone() });
        }
        quantity("components", c.qty, part)?;
    }
    Ok(())
}
