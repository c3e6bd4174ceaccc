//! The retention policy: how much history the engine, the store and a face hold in memory (the
//! store keeps it all), and `State::prune_history`, the one function that drops the rest. Imports
//! the state's types; `State::apply` reads the dispatch bound from here. Never imports the rules,
//! the store or a face.

use super::state::{DispatchStatus, State};
use chrono::{Duration, NaiveDate};

/// Days of history (flows, prices, reports, dispatches, alerts) held in memory.
pub const HOT_DAYS: i64 = 35;

/// Closed dispatches (delivered to villages, received) kept in memory: the newest ones (the
/// engine prunes when another as many have come in). Transfers still in transit are always held;
/// the full history stays in the store. A busy town sends thousands a day, so the days of history
/// alone would not bound memory or the time to open the store.
pub const HOT_CLOSED_DISPATCHES: usize = 2_000;

/// Handovers held in memory: the newest ones.
pub const HOT_HANDOVERS: usize = 200;

/// The oldest day of history held in memory on `today`.
pub fn cutoff(today: NaiveDate) -> NaiveDate {
    today - Duration::days(HOT_DAYS)
}

impl State {
    /// Drops from memory the history `today` no longer holds (the store keeps it all): flows,
    /// prices, reports, closed dispatches before the cutoff (and all but the newest
    /// `HOT_CLOSED_DISPATCHES`), alerts cleared before it, all but the newest `HOT_HANDOVERS`.
    pub fn prune_history(&mut self, today: NaiveDate) {
        let keep_from = cutoff(today);
        self.flows.retain(|(d, _, _), _| *d >= keep_from);
        self.prices.retain(|(d, _, _), _| *d >= keep_from);
        self.reports.retain(|(d, _), _| *d >= keep_from);
        let mut closed = 0;
        let mut keep_closed_from = 0;
        for d in self.dispatches.values().rev().filter(|d| d.status() != DispatchStatus::InTransit) {
            closed += 1;
            if closed == HOT_CLOSED_DISPATCHES {
                keep_closed_from = d.id;
                break;
            }
        }
        self.dispatches.retain(|id, d| {
            d.status() == DispatchStatus::InTransit || (d.sent_at.date_naive() >= keep_from && *id >= keep_closed_from)
        });
        self.alerts.retain(|_, a| a.cleared_at.is_none_or(|c| c.date_naive() >= keep_from));
        while self.handovers.len() > HOT_HANDOVERS {
            self.handovers.pop_first();
        }
    }
}
