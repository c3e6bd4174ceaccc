//! A store younger than a week: averages divide by the days it has seen, not by 7, so a fresh
//! district's cover is not overstated and its ordinary days are not outflow spikes.

use crate::support::fixture::*;
use baogong::domain::alerts::AlertKind;
use baogong::domain::rules::cover::{self, Basis};
use baogong::views::stock;

/// Restocked on day 10, 20 kg out on days 10 and 11: on day 12 two days are seen.
fn two_days() -> Fx {
    let mut fx = Fx::new();
    fx.ok(restock("P01", "rice", u(200)));
    fx.ok(to_village("P01", "V01", "rice", u(20)));
    fx.clock.set(at(11, 10, 0));
    fx.ok(to_village("P01", "V01", "rice", u(20)));
    fx.tick_at(at(12, 10, 0));
    fx
}

#[test]
fn consumption_divides_by_the_days_seen() {
    let fx = two_days();
    let state = fx.engine.state();
    assert_eq!(cover::days_observed(state, date(12)), 2);
    assert_eq!(cover::days_observed(state, date(10)), 0);
    assert_eq!(cover::days_observed(state, date(30)), cover::WINDOW_DAYS);
    let c = stock::point_cover(state, "P01", &rice(), date(12));
    assert_eq!((c.daily, c.basis), (Some(20.0), Some(Basis::History)), "40 kg over 2 days, not over 7");
    assert_eq!(c.days, Some(8.0), "160 kg at 20 kg a day");
    let t = stock::town_cover(state, &rice(), date(12));
    assert_eq!((t.daily, t.days), (Some(20.0), Some(8.0)), "the town's deliveries over the same 2 days");
}

#[test]
fn an_ordinary_third_day_is_no_spike() {
    let mut fx = two_days();
    fx.ok(to_village("P01", "V01", "rice", u(25)));
    assert!(fx.open(AlertKind::OutflowSpike).is_empty(), "25 kg against 20 a day is no panic buying");
    // Twice the days' mean is.
    fx.ok(to_village("P01", "V01", "rice", u(20)));
    assert_eq!(fx.open(AlertKind::OutflowSpike).len(), 1, "45 kg against 20 a day");
}
