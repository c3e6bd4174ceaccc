//! Dispatch rows and their JSON form for `dispatches`, `export dispatches` and the panels.

use crate::domain::command::Dest;
use crate::domain::state::Dispatch;
use serde_json::json;

/// Dispatches as JSON objects (the `dispatches --json` fields), quantities in the item's unit.
pub fn json(rows: &[&Dispatch]) -> Vec<serde_json::Value> {
    rows.iter()
        .map(|d| {
            let (to_point, to_village) = match &d.to {
                Dest::Point(p) => (Some(p), None),
                Dest::Village(v) => (None, Some(v)),
            };
            json!({
                "id": Dispatch::label(d.id),
                "from": d.from,
                "to_point": to_point,
                "to_village": to_village,
                "item": d.item,
                "qty": d.qty.as_f64(),
                "received_qty": d.received_qty.map(|q| q.as_f64()),
                "status": d.status().code(),
                "vehicle": d.vehicle,
                "sent_at": d.sent_at,
                "sent_by": d.sent_by,
                "received_at": d.received_at,
                "note": d.note,
            })
        })
        .collect()
}
