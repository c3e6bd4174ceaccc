//! Opening: the stored views loaded into a state, reference data and stock whole, histories
//! back to the retention cutoff. Part of the store (the only sled user); never imports the
//! engine or a face.

use super::keys;
use super::rows::View;
use super::{Store, StoreError};
use crate::domain::retention::{self, HOT_CLOSED_DISPATCHES, HOT_HANDOVERS};
use crate::domain::state::{State, ViewKey};
use chrono::NaiveDate;

impl Store {
    /// Loads the stored views: reference data and stock whole, histories from `today` minus
    /// `retention::HOT_DAYS` (closed dispatches: the newest `HOT_CLOSED_DISPATCHES` of those).
    pub fn load_state(&self, today: NaiveDate) -> Result<State, StoreError> {
        let mut state = State::default();
        let cutoff = retention::cutoff(today);
        for view in View::ALL {
            match view {
                View::Flows | View::Prices | View::Reports | View::Tallies => {
                    self.load_dated(&mut state, view, cutoff)?
                }
                View::Dispatches => self.load_dispatches(&mut state, cutoff)?,
                View::Alerts | View::Handovers => self.load_newest(&mut state, view, cutoff)?,
                View::Deliveries => self.load_delivery_ids(&mut state)?,
                View::InFlight | View::OpenAlerts => self.load_indexed(&mut state, view)?,
                _ => self.load_whole(&mut state, view)?,
            }
        }
        state.last_seq = self.last_seq()?;
        if let Some(ev) = self.event(state.last_seq)? {
            state.last_at = Some(ev.at);
        }
        Ok(state)
    }

    /// Loads one stored row of `view` into the state.
    fn load_row(&self, state: &mut State, view: View, bytes: &[u8]) -> Result<(), StoreError> {
        state.load_row(view, bytes).map_err(|e| self.corrupt(format!("{}: {e}", view.name())))
    }

    /// A dated view (flows, prices, reports) from the cutoff on.
    fn load_dated(&self, state: &mut State, view: View, cutoff: NaiveDate) -> Result<(), StoreError> {
        let hi = [keys::tag(view) + 1];
        for kv in self.t()?.views.range(keys::date_floor(view, cutoff)..hi.to_vec()) {
            let (_, v) = kv.map_err(|e| self.sled(&e))?;
            self.load_row(state, view, &v)?;
        }
        Ok(())
    }

    /// Transfers and the deliveries kept, merged newest first, back to the cutoff and at most
    /// `HOT_CLOSED_DISPATCHES`. Those in transit come through their index (`load_indexed`).
    fn load_dispatches(&self, state: &mut State, cutoff: NaiveDate) -> Result<(), StoreError> {
        let t = self.t()?;
        let mut transfers = t.views.scan_prefix([keys::tag(View::Dispatches)]).rev().peekable();
        let mut kept = t.views.scan_prefix([keys::tag(View::Deliveries)]).rev().peekable();
        loop {
            let next = match (peek_id(&mut transfers), peek_id(&mut kept)) {
                (None, None) => break,
                (Some(t), Some(d)) if t >= d => transfers.next(),
                (Some(_), None) => transfers.next(),
                _ => kept.next(),
            };
            let Some(kv) = next else { break };
            let (_, v) = kv.map_err(|e| self.sled(&e))?;
            if !recent_enough(View::Dispatches, &v, cutoff) {
                break;
            }
            self.load_row(state, View::Dispatches, &v)?;
            if state.dispatches.len() >= HOT_CLOSED_DISPATCHES {
                break;
            }
        }
        Ok(())
    }

    /// Alerts or handovers, newest first, back to the cutoff (handovers: at most `HOT_HANDOVERS`).
    fn load_newest(&self, state: &mut State, view: View, cutoff: NaiveDate) -> Result<(), StoreError> {
        for kv in self.t()?.views.scan_prefix([keys::tag(view)]).rev() {
            let (_, v) = kv.map_err(|e| self.sled(&e))?;
            if !recent_enough(view, &v, cutoff) {
                break;
            }
            self.load_row(state, view, &v)?;
            if view == View::Handovers && state.handovers.len() >= HOT_HANDOVERS {
                break;
            }
        }
        Ok(())
    }

    /// Which deliveries have rows (their values load with the dispatches).
    fn load_delivery_ids(&self, state: &mut State) -> Result<(), StoreError> {
        for kv in self.t()?.views.scan_prefix([keys::tag(View::Deliveries)]) {
            let (k, _) = kv.map_err(|e| self.sled(&e))?;
            let id = keys::number_of(&k).ok_or_else(|| self.corrupt("bad delivery key"))?;
            state.deliveries.insert(id);
        }
        Ok(())
    }

    /// The rows an index (in flight, open alerts) points at, however old.
    fn load_indexed(&self, state: &mut State, view: View) -> Result<(), StoreError> {
        let target = if view == View::InFlight { View::Dispatches } else { View::Alerts };
        for kv in self.t()?.views.scan_prefix([keys::tag(view)]) {
            let (k, _) = kv.map_err(|e| self.sled(&e))?;
            let id = keys::number_of(&k).ok_or_else(|| self.corrupt("bad index key"))?;
            let key = if target == View::Dispatches { ViewKey::Dispatch(id) } else { ViewKey::Alert(id) };
            if let Some(v) = self.t()?.views.get(keys::encode(&key)).map_err(|e| self.sled(&e))? {
                // The row is one of the target view's, not of the index.
                self.load_row(state, target, &v)?;
            }
        }
        Ok(())
    }

    /// Every row of a view (reference data, stock, settings).
    fn load_whole(&self, state: &mut State, view: View) -> Result<(), StoreError> {
        for kv in self.t()?.views.scan_prefix([keys::tag(view)]) {
            let (_, v) = kv.map_err(|e| self.sled(&e))?;
            self.load_row(state, view, &v)?;
        }
        Ok(())
    }
}

/// The id in the next key of a newest-first scan of a numeric view; an error comes first.
fn peek_id(it: &mut std::iter::Peekable<impl Iterator<Item = sled::Result<(sled::IVec, sled::IVec)>>>) -> Option<u64> {
    Some(match it.peek()? {
        Ok((k, _)) => keys::number_of(k).unwrap_or(u64::MAX),
        Err(_) => u64::MAX,
    })
}

/// Whether a stored row of a history view is newer than `cutoff` (or still open).
fn recent_enough(view: View, bytes: &[u8], cutoff: NaiveDate) -> bool {
    #[derive(serde::Deserialize)]
    struct Stamp {
        #[serde(default)]
        sent_at: Option<chrono::DateTime<chrono::FixedOffset>>,
        #[serde(default)]
        first_seen: Option<chrono::DateTime<chrono::FixedOffset>>,
        #[serde(default)]
        at: Option<chrono::DateTime<chrono::FixedOffset>>,
    }
    let Ok(s) = serde_json::from_slice::<Stamp>(bytes) else { return true };
    let t = match view {
        View::Dispatches => s.sent_at,
        View::Alerts => s.first_seen,
        _ => s.at,
    };
    t.is_none_or(|t| t.date_naive() >= cutoff)
}
