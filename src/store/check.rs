//! `check`: rebuilds every view from the event log alone and compares it with the stored views.
//! Imports the domain and the store's own modules; never the engine or a face.

use super::{keys, Store, StoreError};
use crate::domain::State;
use std::collections::BTreeMap;

#[derive(Debug, Default)]
pub struct CheckReport {
    pub events: u64,
    pub rows: u64,
    /// One line per difference: which row, and how it differs.
    pub differences: Vec<String>,
}

impl CheckReport {
    pub fn is_clean(&self) -> bool {
        self.differences.is_empty()
    }
}

fn describe(key: &[u8]) -> String {
    use super::rows::View;
    let view = key.first().and_then(|t| keys::view_of(*t));
    let name = view.map_or("?", |v| v.name());
    let rest = match view {
        Some(
            View::Handovers | View::Dispatches | View::InFlight | View::Alerts | View::OpenAlerts | View::Deliveries,
        ) => keys::number_of(key).map_or_else(|| "?".into(), |n| n.to_string()),
        Some(View::Shifts) => {
            keys::number_of(key).map_or_else(|| "?".into(), |n| format!("t={}", (n ^ (1 << 63)) as i64))
        }
        _ => String::from_utf8_lossy(&key[1.min(key.len())..]).trim_end_matches('\0').replace('\0', "/"),
    };
    format!("{name} {rest}")
}

/// Replays the event log into a fresh state and compares every view row.
pub fn check(store: &Store) -> Result<CheckReport, StoreError> {
    let mut report = CheckReport::default();
    let mut state = State::default();
    let mut image: BTreeMap<Vec<u8>, Option<Vec<u8>>> = BTreeMap::new();
    let mut expected_seq = 1u64;
    for ev in store.events() {
        let ev = match ev {
            Ok(ev) => ev,
            Err(e) => {
                report.differences.push(format!("unreadable event: {e}"));
                continue;
            }
        };
        if ev.seq != expected_seq {
            report.differences.push(format!("event sequence jumps from {} to {}", expected_seq - 1, ev.seq));
        }
        expected_seq = ev.seq + 1;
        match store.seen(&ev.cmd_id)? {
            Some(s) if s == ev.seq => {}
            other => {
                report.differences.push(format!("command id {} of event {} maps to {:?}", ev.cmd_id, ev.seq, other))
            }
        }
        for key in state.apply(&ev) {
            image.insert(keys::encode(&key), state.stored_row(&key));
        }
        report.events += 1;
    }
    let mut stored: BTreeMap<Vec<u8>, Vec<u8>> = BTreeMap::new();
    for row in store.view_rows() {
        let (k, v) = row?;
        stored.insert(k.to_vec(), v.to_vec());
    }
    report.rows = stored.len() as u64;
    for (k, want) in &image {
        match (want, stored.get(k)) {
            (Some(w), Some(s)) if w == s => {}
            (None, None) => {}
            (Some(_), None) => report.differences.push(format!("missing row {}", describe(k))),
            (None, Some(_)) => report.differences.push(format!("row {} should have been removed", describe(k))),
            (Some(_), Some(_)) => report.differences.push(format!("row {} differs from the event log", describe(k))),
        }
    }
    for k in stored.keys() {
        if !image.contains_key(k) {
            report.differences.push(format!("row {} has no event behind it", describe(k)));
        }
    }
    Ok(report)
}
