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
    let warnings = match vehicle.filter(|v| !v.trim().is_empty()) {
        Some(v) => pass(state, ctx, v)?,
        None => Vec::new(),
    };
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
    Ok(Resolved { lots, dispatch: Some(Dispatch::label(ctx.seq)), warnings, ..Resolved::default() })
}

/// A known vehicle whose pass is valid today: refused when the pass ended before today (the
/// reason names the pass and its last day), a warning when it ends today. Cost: O(log vehicles).
fn pass(state: &State, ctx: &Ctx, plate: &str) -> R<Vec<Rejection>> {
    check_text("vehicle", plate)?;
    let v = state
        .vehicles
        .get(plate)
        .ok_or_else(|| Rejection::new("vehicle", Reason::UnknownVehicle { plate: plate.to_string() }))?;
    let today = ctx.now.date_naive();
    let (pass, until) = (v.pass_no.clone(), v.pass_valid_until.to_string());
    if v.pass_valid_until < today {
        return rej("vehicle", Reason::PassExpired { pass, until });
    }
    Ok(if v.pass_valid_until == today {
        vec![Rejection::new("vehicle", Reason::PassEndsToday { pass, until })]
    } else {
        Vec::new()
    })
}
