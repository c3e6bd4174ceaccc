//! Validation of `Receive`: a transfer confirmed at its destination.
//! Imports domain types and the shared checks of `validate` only.

use super::{check_code, check_text, may_write_point, rej, Ctx, R};
use crate::domain::command::{Dest, LotTake, Resolved};
use crate::domain::qty::Qty;
use crate::domain::reject::{Reason, Rejection};
use crate::domain::state::{Dispatch, DispatchStatus, State};
use std::borrow::Cow;

/// A transfer in transit to a point the caller may write for (looked up in the store's history
/// when no longer in memory), received in full or in part, never more than was sent.
pub(super) fn receive(state: &State, ctx: &Ctx, dispatch: &str, qty: Option<Qty>, note: &str) -> R<Resolved> {
    check_text("note", note)?;
    let (id, d) = known_dispatch(state, ctx, dispatch)?;
    let d = d.as_ref();
    let dest = match &d.to {
        Dest::Point(p) => p,
        Dest::Village(_) => return rej("dispatch", Reason::NotATransfer { id: Dispatch::label(id) }),
    };
    may_write_point(ctx.access, "dispatch", dest)?;
    if d.status() != DispatchStatus::InTransit {
        let at = d.received_at.map(|t| t.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default();
        return rej("dispatch", Reason::AlreadyReceived { id: Dispatch::label(id), at });
    }
    let got = qty.unwrap_or(d.qty);
    if got.0 < 0 {
        return rej("qty", Reason::NotPositive);
    }
    if got > d.qty {
        return rej("qty", Reason::MoreThanSent { sent: d.qty.to_string() });
    }
    if let Some(it) = state.items.get(&d.item) {
        if !it.divisible() && !got.is_whole() {
            return rej("qty", Reason::NotWhole { unit: it.unit.clone() });
        }
    }
    Ok(Resolved { lots: arrived(d, got), dispatch: Some(Dispatch::label(id)), ..Resolved::default() })
}

/// What arrived, batch by batch in the order they were sent.
fn arrived(d: &Dispatch, got: Qty) -> Vec<LotTake> {
    let mut lots = Vec::new();
    let mut left = got;
    for lot in &d.lots {
        if left <= Qty::ZERO {
            break;
        }
        let take = if lot.qty < left { lot.qty } else { left };
        lots.push(LotTake { batch: lot.batch.clone(), expiry: lot.expiry, qty: take });
        left -= take;
    }
    lots
}

/// A known dispatch (field `dispatch`): held in memory, or looked up in the store's history.
pub(super) fn known_dispatch<'a>(state: &'a State, ctx: &Ctx, label: &str) -> R<(u64, Cow<'a, Dispatch>)> {
    check_code("dispatch", label)?;
    let unknown = || Rejection::new("dispatch", Reason::UnknownDispatch { id: label.to_string() });
    let id = Dispatch::parse_label(label).ok_or_else(unknown)?;
    match state.dispatch(id) {
        Some(d) => Ok((id, Cow::Borrowed(d))),
        None => Ok((id, Cow::Owned((ctx.past_dispatch)(id).ok_or_else(unknown)?))),
    }
}
