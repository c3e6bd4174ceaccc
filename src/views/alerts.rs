//! Alert rows: open ones first, most severe and newest first, then cleared ones. One order and
//! one JSON form for `alerts`, `export alerts`, the alert panels and the wall.

use super::opt_num;
use crate::domain::alerts::Alert;
use crate::domain::state::State;
use chrono::{DateTime, FixedOffset};
use serde_json::json;
use std::cmp::Ordering;

/// The order of alert rows everywhere: open before cleared, then severity, then newest first.
pub fn order(a: &Alert, b: &Alert) -> Ordering {
    a.cleared_at
        .is_some()
        .cmp(&b.cleared_at.is_some())
        .then(a.severity.cmp(&b.severity))
        .then(b.first_seen.cmp(&a.first_seen))
}

/// Open alerts (all, with history, when `all`) in `order`.
pub fn list(state: &State, all: bool) -> Vec<&Alert> {
    let mut rows: Vec<&Alert> = state.alerts.values().filter(|a| all || a.cleared_at.is_none()).collect();
    rows.sort_by(|a, b| order(a, b));
    rows
}

/// Alerts as JSON objects (the `alerts --json` fields).
pub fn json(state: &State, now: DateTime<FixedOffset>, rows: &[&Alert]) -> Vec<serde_json::Value> {
    let evaluated = state.last_at.unwrap_or(now).max(now);
    rows.iter()
        .map(|a| {
            json!({
                "id": Alert::label(a.id),
                "kind": a.kind.code(),
                "severity": a.severity.code(),
                "subject": a.subject,
                "point": a.point,
                "item": a.item,
                "value": opt_num(a.value),
                "first_seen": a.first_seen,
                "last_seen": a.last_seen(evaluated),
                "acked_by": a.acked_by,
                "acked_at": a.acked_at,
                "cleared_at": a.cleared_at,
            })
        })
        .collect()
}
