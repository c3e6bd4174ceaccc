//! Alert upkeep at scale: an ordinary command evaluates only the rules it can change, and the
//! first command of a day every pair (a new day moves every cover and expiry), so no figure
//! waits for the next tick.

use crate::support::fixture::{at, date, restock, restock_batch, u, Fx};
use baogong::domain::alerts::AlertKind;

#[test]
fn the_first_command_of_a_day_raises_what_the_new_day_brings_at_any_pair() {
    let mut fx = Fx::new();
    fx.ok(restock_batch("P01", "rice", u(100_000), "R-1", date(20)));
    assert!(fx.open(AlertKind::BatchExpiring).is_empty(), "ten days ahead: not yet");
    // Days later, with no tick in between, a restock somewhere else is the day's first command.
    fx.clock.set(at(16, 8, 0));
    fx.ok(restock("P02", "mask", u(10)));
    let expiring = fx.open(AlertKind::BatchExpiring);
    assert_eq!(expiring.len(), 1, "{expiring:?}");
    assert_eq!(expiring[0].point.as_deref(), Some("P01"));
    // Later the same day a movement evaluates only its own pair: nothing else is raised again.
    fx.clock.set(at(16, 9, 0));
    let before = fx.engine.state().alerts.len();
    fx.ok(restock("P02", "mask", u(10)));
    assert_eq!(fx.engine.state().alerts.len(), before);
}
