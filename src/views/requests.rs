//! Request rows for `requests`, the Requests panel and the wall: filtered by village, point and
//! status, overdue first, then open ones by needed-by day, urgent before regular, oldest first,
//! then the ended ones newest first; and their
//! JSON form (`requests --json`); and the demand of a day per point and item for the daily
//! report. Cost: one pass over the requests held.

use crate::domain::demand::{Request, RequestStatus};
use crate::domain::qty::Qty;
use crate::domain::state::State;
use chrono::{Datelike, NaiveDate};
use serde_json::json;
use std::collections::BTreeMap;

/// Which requests to list.
#[derive(Clone, Debug, Default)]
pub struct Filter<'a> {
    pub village: Option<&'a str>,
    pub point: Option<&'a str>,
    pub status: Option<RequestStatus>,
}

/// The requests that pass the filter, overdue first, then open ones by needed-by day, urgent
/// first, then ended ones newest first.
pub fn rows<'a>(state: &'a State, filter: &Filter, today: NaiveDate) -> Vec<&'a Request> {
    let mut rows: Vec<&Request> = state
        .requests
        .values()
        .filter(|r| filter.village.is_none_or(|v| r.requester.village() == v))
        .filter(|r| filter.point.is_none_or(|p| r.point == p))
        .filter(|r| filter.status.is_none_or(|s| r.status() == s))
        .collect();
    rows.sort_by_key(|r| {
        let open = r.status().is_open();
        // Open ones soonest first; ended ones newest first (the oldest matter least).
        let day = if open { r.by.num_days_from_ce() } else { -r.by.num_days_from_ce() };
        (!r.overdue(today), !open, day, !r.urgent, if open { r.id as i64 } else { -(r.id as i64) })
    });
    rows
}

/// One request as JSON: `id`, `village`, `point`, `item`, `qty`, `approved`, `dispatched`,
/// `delivered`, `outstanding`, `status`, `by` and the rest of what it records.
pub fn json(r: &Request, today: NaiveDate) -> serde_json::Value {
    json!({
        "id": Request::label(r.id),
        "requester": r.requester,
        "village": r.requester.village(),
        "point": r.point,
        "item": r.item,
        "qty": r.qty.as_f64(),
        "approved": r.approved().as_f64(),
        "dispatched": r.dispatched().as_f64(),
        "delivered": r.delivered().as_f64(),
        "outstanding": r.outstanding().as_f64(),
        "status": r.status().code(),
        "by": r.by,
        "overdue": r.overdue(today),
        "slot": r.slot,
        "urgent": r.urgent,
        "note": r.note,
        "requested_at": r.at,
        "requested_by": r.asked_by,
        "approval_reason": r.approval.as_ref().map(|a| a.reason.clone()),
        "dispatches": r.shares.iter().map(|s| crate::domain::state::Dispatch::label(s.dispatch)).collect::<Vec<_>>(),
        "signed_by": r.shares.iter().filter_map(|s| s.signed_by.clone()).collect::<Vec<_>>(),
        "end_reason": r.ending.as_ref().map(|e| e.reason.clone()),
    })
}

/// The demand of the requests needed by one day, per point and item: asked for, approved,
/// delivered and outstanding (as they stand now), in the item's unit.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Demand {
    pub requested: Qty,
    pub approved: Qty,
    pub delivered: Qty,
    pub outstanding: Qty,
}

impl Demand {
    fn add(&mut self, r: &Request) {
        self.requested += r.qty;
        self.approved += r.approved();
        self.delivered += r.delivered();
        self.outstanding += r.outstanding();
    }

    /// Delivered ÷ requested, when anything was requested.
    pub fn fill_rate(&self) -> Option<f64> {
        (self.requested > Qty::ZERO).then(|| self.delivered.as_f64() / self.requested.as_f64())
    }
}

/// Demand by (point, or `None` for the town) and item, of the requests needed by `date` that
/// were not refused. One pass over the requests held.
pub fn demand_on(state: &State, date: NaiveDate) -> BTreeMap<(Option<String>, String), Demand> {
    let mut out: BTreeMap<(Option<String>, String), Demand> = BTreeMap::new();
    for r in state.requests.values().filter(|r| r.by == date && r.status() != RequestStatus::Refused) {
        out.entry((Some(r.point.clone()), r.item.clone())).or_default().add(r);
        out.entry((None, r.item.clone())).or_default().add(r);
    }
    out
}
