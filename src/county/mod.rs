//! The level above: the county's picture of its towns, built from their events as the towns
//! publish them (`uplink`). Each town's events are replayed into a `domain::State` of its own
//! (`Replica`), with the town's own `State::apply`, so the county's figures are the town's
//! figures: no rule is forked. `summary` turns a replica into the row the county reads;
//! `serve` is the durable JetStream consumer that keeps the county store and `DIR/county.json`
//! (what `county status`, the county console and wall read while `county serve` holds the
//! store). Imports the domain, the views, the report, the store and the uplink's stream
//! names; never the link, the cli or a face.

pub mod plan;
pub mod serve;
pub mod summary;

pub use summary::{CountyView, TownSummary};

use crate::domain::{Event, State};

/// One town as the county holds it: its state, replayed from its events in order.
#[derive(Default)]
pub struct Replica {
    pub code: String,
    pub state: State,
    /// The last sequence applied (every event before it applied once).
    pub applied: u64,
}

impl Replica {
    pub fn new(code: &str) -> Replica {
        Replica { code: code.to_string(), ..Replica::default() }
    }

    /// Applies the next event when it is the next one; an event already applied is skipped (a
    /// redelivery) and one after a gap waits (false). O(the event's effect).
    pub fn apply(&mut self, ev: &Event) -> bool {
        if ev.seq != self.applied + 1 {
            return false;
        }
        self.state.apply(ev);
        self.applied = ev.seq;
        true
    }
}
