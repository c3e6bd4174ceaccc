//! Validation of `Restock`: stock arriving at a point, as one lot.
//! Imports domain types and the shared checks of `validate` only.

use super::{check_text, last_day, quantity, rej, writable_stock, Ctx, R};
use crate::domain::command::{LotTake, Resolved};
use crate::domain::qty::Qty;
use crate::domain::reject::Reason;
use crate::domain::state::State;
use chrono::NaiveDate;

/// The point, item, quantity and note.
pub(super) fn check(state: &State, ctx: &Ctx, point: &str, item: &str, qty: Qty, note: &str) -> R<()> {
    let it = writable_stock(state, ctx, "point", point, item)?;
    quantity("qty", qty, it)?;
    check_text("note", note)
}

/// The lot the stock joins: its batch (named, or made from the expiry) and an expiry that is
/// neither past, absurdly far, nor at odds with the batch already held.
pub(super) fn lot(
    state: &State,
    ctx: &Ctx,
    point: &str,
    item: &str,
    qty: Qty,
    batch: Option<&str>,
    expiry: Option<NaiveDate>,
) -> R<Resolved> {
    let today = ctx.now.date_naive();
    if let Some(b) = batch {
        check_text("batch", b)?;
    }
    if let Some(e) = expiry {
        last_day("expiry", e, today)?;
    }
    let batch = match (batch.map(str::trim).filter(|b| !b.is_empty()), expiry) {
        (Some(b), _) => b.to_string(),
        (None, Some(e)) => format!("EXP{}", e.format("%Y%m%d")),
        (None, None) => String::new(),
    };
    if let Some(existing) = state.lots.get(&(point.to_string(), item.to_string(), batch.clone())) {
        if existing.expiry.is_some() && expiry.is_some() && existing.expiry != expiry {
            let expiry = existing.expiry.map(|e| e.to_string()).unwrap_or_default();
            return rej("expiry", Reason::ExpiryMismatch { batch, expiry });
        }
    }
    Ok(Resolved { lots: vec![LotTake { batch, expiry, qty }], ..Resolved::default() })
}
