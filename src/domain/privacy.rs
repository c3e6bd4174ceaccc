//! Who sees personal data: the names, addresses, phones and notes of households and the names
//! and phones of hotline callers are shown to officers and to the clerk of the point that
//! serves the village; everyone else (viewers, the wall, other points' clerks) gets them blanked
//! and marked `masked`. The daemon applies this where it builds what leaves it: snapshot rows,
//! pushed events and listings; the uplink sends every event `outward`, masked for everyone. Cost: one village lookup per household or case. A leaf: imports
//! only the state and the leaf types.

use super::access::Access;
use super::command::{Command, Event};
use super::state::{State, ViewKey};

/// Whether `access` may see the personal data of someone in `village`.
pub fn sees(state: &State, access: &Access, village: &str) -> bool {
    match access {
        Access::Officer => true,
        Access::Point(p) => state.villages.get(village).is_some_and(|v| &v.point == p),
        Access::Viewer => false,
    }
}

/// The row of `key` as `access` may read it: households and cases masked where not entitled.
pub fn row(state: &State, key: &ViewKey, access: &Access) -> Option<Vec<u8>> {
    match key {
        ViewKey::Household(code) => {
            let h = state.households.get(code)?;
            if sees(state, access, &h.village) {
                return state.row(key);
            }
            serde_json::to_vec(&h.masked()).ok()
        }
        ViewKey::Case(id) => {
            let c = state.cases.get(id)?;
            if sees(state, access, &c.village) {
                return state.row(key);
            }
            serde_json::to_vec(&c.masked()).ok()
        }
        _ => state.row(key),
    }
}

/// Whether an event carries personal data at all (only these need `event`).
pub fn personal(ev: &Event) -> bool {
    matches!(ev.cmd, Command::Households { .. } | Command::Case { .. })
}

/// The event as it leaves the town (the uplink to the county): personal data blanked whoever
/// asks, for the county needs the figures, not the people. Cost: a copy of the event.
pub fn outward(ev: &Event) -> Event {
    event(&State::default(), ev, &Access::Viewer)
}

/// The event as `access` may receive it, read against the state after it was applied: the
/// personal fields of the households and the case it names blanked where not entitled.
pub fn event(state: &State, ev: &Event, access: &Access) -> Event {
    let mut out = ev.clone();
    match &mut out.cmd {
        Command::Households { changes } => {
            for c in changes.iter_mut() {
                let village = c.village.clone().or_else(|| state.households.get(&c.code).map(|h| h.village.clone()));
                if !village.is_some_and(|v| sees(state, access, &v)) {
                    c.name = None;
                    c.address = None;
                    c.phone = None;
                    c.note = None;
                }
            }
        }
        Command::Case { caller, phone, .. } => {
            let village = ev.resolved.case.as_deref().and_then(crate::domain::hotline::Case::parse_label);
            let seen = village.and_then(|id| state.cases.get(&id)).is_some_and(|c| sees(state, access, &c.village));
            if !seen {
                caller.clear();
                phone.clear();
            }
        }
        _ => {}
    }
    out
}
