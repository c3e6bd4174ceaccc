//! Validation of `Dispatch`: stock leaving a point for another point or a village.
//! Imports domain types and the shared checks of `validate` only.

use super::{check_code, check_text, item, may_write_point, point, quantity, rej, Ctx, R};
use crate::domain::command::{Dest, Resolved};
use crate::domain::network::PointKind;
use crate::domain::qty::Qty;
use crate::domain::reject::{Reason, Rejection};
use crate::domain::state::{Dispatch, State};

/// The source the caller may write for, and a destination it may send to: another known point,
/// or a known village it serves (a depot serves every village).
pub(super) fn route(state: &State, ctx: &Ctx, from: &str, to: &Dest) -> R<()> {
    let src = point(state, "from", from)?;
    may_write_point(ctx.access, "from", from)?;
    match to {
        Dest::Point(q) => {
            point(state, "to_point", q)?;
            if q == from {
                return rej("to_point", Reason::SamePoint);
            }
        }
        Dest::Village(v) => {
            check_code("to_village", v)?;
            let village = state
                .villages
                .get(v)
                .ok_or_else(|| Rejection::new("to_village", Reason::UnknownVillage { code: v.clone() }))?;
            if village.point != from && src.kind != PointKind::Depot {
                return rej(
                    "to_village",
                    Reason::VillageNotServed { village: v.clone(), served_by: village.point.clone() },
                );
            }
        }
    }
    Ok(())
}

/// What is sent: a known item in stock at the source, on a known vehicle if one is named; the
/// lots are taken earliest expiry first and the dispatch gets its id from the event.
pub(super) fn load(
    state: &State,
    ctx: &Ctx,
    from: &str,
    item_code: &str,
    qty: Qty,
    vehicle: Option<&str>,
    note: &str,
) -> R<Resolved> {
    let it = item(state, item_code)?;
    quantity("qty", qty, it)?;
    check_text("note", note)?;
    if let Some(v) = vehicle.filter(|v| !v.trim().is_empty()) {
        check_text("vehicle", v)?;
        if !state.vehicles.contains_key(v) {
            return rej("vehicle", Reason::UnknownVehicle { plate: v.to_string() });
        }
    }
    let lots = state.plan_take(from, item_code, qty, None).ok_or_else(|| {
        Rejection::new(
            "qty",
            Reason::BeyondStock {
                available: state.qty(from, item_code).to_string(),
                unit: it.unit.clone(),
                point: from.to_string(),
            },
        )
    })?;
    Ok(Resolved { lots, dispatch: Some(Dispatch::label(ctx.seq)), ..Resolved::default() })
}
