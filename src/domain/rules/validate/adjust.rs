//! Validation of `Adjust` (a correction by a change, up into a batch or down from the lots) and
//! `Count` (a stock-take: the quantity counted, whose difference from the stock is recorded).
//! Imports domain types and the shared checks of `validate` only.

use super::{check_text, rej, writable_stock, Ctx, R};
use crate::domain::command::{LotTake, Resolved};
use crate::domain::qty::{Qty, MAX_QTY};
use crate::domain::reject::{Reason, Rejection};
use crate::domain::state::State;

/// A non-zero, not absurd correction in the item's unit; a reduction no larger than the stock
/// (of the batch, if one is named).
pub(super) fn adjust(
    state: &State,
    ctx: &Ctx,
    p: &str,
    i: &str,
    delta: Qty,
    batch: Option<&str>,
    note: &str,
) -> R<Resolved> {
    let it = writable_stock(state, ctx, "point", p, i)?;
    check_text("note", note)?;
    if delta.0 == 0 {
        return rej("delta", Reason::Zero);
    }
    let Some(magnitude) = delta.checked_abs().filter(|m| *m <= MAX_QTY) else {
        return rej("delta", Reason::TooLarge);
    };
    if !it.divisible() && !magnitude.is_whole() {
        return rej("delta", Reason::NotWhole { unit: it.unit.clone() });
    }
    let batch = batch.map(str::trim).filter(|b| !b.is_empty());
    if let Some(b) = batch {
        check_text("batch", b)?;
    }
    let key = |b: &str| (p.to_string(), i.to_string(), b.to_string());
    let lots = if delta.0 > 0 {
        let b = batch.unwrap_or_default();
        let expiry = state.lots.get(&key(b)).and_then(|l| l.expiry);
        vec![LotTake { batch: b.to_string(), expiry, qty: delta }]
    } else {
        state.plan_take(p, i, magnitude, batch).ok_or_else(|| {
            let available = match batch {
                Some(b) => state.lots.get(&key(b)).map_or(Qty::ZERO, |l| l.qty),
                None => state.qty(p, i),
            };
            Rejection::new(
                "delta",
                Reason::BeyondStock { available: available.to_string(), unit: it.unit.clone(), point: p.to_string() },
            )
        })?
    };
    Ok(Resolved { lots, ..Resolved::default() })
}

/// A stock-take: the quantity counted, not negative, not absurd, whole where the unit is; the
/// difference from the stock held at this moment (of the batch, if one is named) is resolved
/// into the event and applied as an adjustment. Cost: that of `adjust`, O(lots of the pair).
pub(super) fn count(
    state: &State,
    ctx: &Ctx,
    p: &str,
    i: &str,
    counted: Qty,
    batch: Option<&str>,
    note: &str,
) -> R<Resolved> {
    let it = writable_stock(state, ctx, "point", p, i)?;
    if counted.0 < 0 {
        return rej("counted", Reason::NotPositive);
    }
    if counted > MAX_QTY {
        return rej("counted", Reason::TooLarge);
    }
    if !it.divisible() && !counted.is_whole() {
        return rej("counted", Reason::NotWhole { unit: it.unit.clone() });
    }
    let held = match batch.map(str::trim).filter(|b| !b.is_empty()) {
        Some(b) => state.lots.get(&(p.to_string(), i.to_string(), b.to_string())).map_or(Qty::ZERO, |l| l.qty),
        None => state.qty(p, i),
    };
    let delta = counted.checked_sub(held).ok_or_else(|| Rejection::new("counted", Reason::TooLarge))?;
    if delta.0 == 0 {
        return rej("counted", Reason::CountMatches { qty: held.to_string(), unit: it.unit.clone() });
    }
    let res = adjust(state, ctx, p, i, delta, batch, note)?;
    Ok(Resolved { delta: Some(delta), ..res })
}
