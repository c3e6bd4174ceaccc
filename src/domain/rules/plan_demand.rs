//! The demand the plan brings a point up to over its horizon: where open requests of the
//! point's villages fall within the horizon they are the demand from the first day they are
//! needed by (overdue ones count today) to the horizon's end, and the consumption estimate
//! before that day; with none, the estimate alone. A request counts what is still to leave the
//! point: all it asks while waiting for approval, else what is approved and not yet sent. The
//! plan says which it used (`DemandBasis`). Pure; imports the domain's leaf types only.

use crate::domain::demand::RequestStatus;
use crate::domain::lang::Lang;
use crate::domain::qty::Qty;
use crate::domain::state::State;
use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where the demand over the horizon came from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DemandBasis {
    /// The consumption estimate (history or the population norm).
    #[default]
    Estimate,
    /// Open requests cover the whole horizon.
    Requests,
    /// The estimate until the first request's day, requests from then on.
    Mixed,
}

impl DemandBasis {
    pub fn code(self) -> &'static str {
        match self {
            DemandBasis::Estimate => "estimate",
            DemandBasis::Requests => "requests",
            DemandBasis::Mixed => "mixed",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            DemandBasis::Estimate => lang.pick("estimate", "估算"),
            DemandBasis::Requests => lang.pick("requests", "需求单"),
            DemandBasis::Mixed => lang.pick("mixed", "估算+需求单"),
        }
    }
}

/// The open requests of one point and item within the horizon: the first day needed (today
/// for overdue ones) and what is still to leave the point for them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Requested {
    pub first: NaiveDate,
    pub qty: Qty,
}

/// Open requests by point and item, for the days up to the horizon's end. One pass over the
/// requests held (bounded by retention).
pub fn requested(state: &State, today: NaiveDate, horizon: f64) -> BTreeMap<(&str, &str), Requested> {
    let end = today + Duration::days(horizon.ceil().clamp(0.0, 366.0) as i64);
    let mut out: BTreeMap<(&str, &str), Requested> = BTreeMap::new();
    for r in state.requests.values().filter(|r| r.by < end) {
        let qty = match r.status() {
            RequestStatus::Requested => r.qty,
            s if s.is_open() => r.unsent(),
            _ => continue,
        };
        if qty <= Qty::ZERO {
            continue;
        }
        let first = r.by.max(today);
        let e = out.entry((r.point.as_str(), r.item.as_str())).or_insert(Requested { first, qty: Qty::ZERO });
        e.first = e.first.min(first);
        e.qty += qty;
    }
    out
}

/// The demand over `horizon` days at `daily`, with the requests where they exist.
pub fn over_horizon(daily: f64, horizon: f64, today: NaiveDate, req: Option<Requested>) -> (f64, DemandBasis) {
    let Some(req) = req else { return (daily * horizon, DemandBasis::Estimate) };
    let before = ((req.first - today).num_days() as f64).clamp(0.0, horizon);
    let basis = if before > 0.0 { DemandBasis::Mixed } else { DemandBasis::Requests };
    (daily * before + req.qty.as_f64(), basis)
}
