//! A face applies each event's delta (issue 12): after restocks, transfers sent and received,
//! deliveries and reports, the console's derived figures (covers, town covers, transfers in
//! flight, last reports), kept up to date event by event, are those computed afresh.

use crate::support::fixture::*;
use baogong::domain::command::Command;
use baogong::domain::Lang;
use baogong::tui::model::{Derived, Model};

fn same(a: &Derived, b: &Derived, after: &str) {
    assert_eq!(a.covers, b.covers, "covers after {after}");
    assert_eq!(a.town, b.town, "town covers after {after}");
    assert_eq!(a.in_flight, b.in_flight, "transfers in flight after {after}");
    assert_eq!(a.last_report, b.last_report, "last reports after {after}");
}

#[test]
fn figures_kept_event_by_event_are_those_computed_afresh() {
    let mut fx = Fx::new();
    let mut m = Model::new(fx.engine.state().clone(), fx.clock_now(), Lang::En, "u".into(), Default::default());
    let step = |fx: &mut Fx, m: &mut Model, cmd: Command| -> Option<String> {
        let shown = format!("{cmd:?}");
        let out = fx.ok(cmd);
        let ev = fx.engine.store().event(out.seq).expect("read").expect("the event");
        m.apply(&ev);
        same(&m.derived, &Derived::full(fx.engine.state(), m.now.date_naive()), &shown);
        out.dispatch
    };
    step(&mut fx, &mut m, restock("DEPOT", "rice", u(1000)));
    step(&mut fx, &mut m, restock("P01", "mask", u(300)));
    let t1 = step(&mut fx, &mut m, to_point("DEPOT", "P02", "rice", u(200))).expect("dispatch");
    let t2 = step(&mut fx, &mut m, to_point("DEPOT", "P01", "rice", u(100))).expect("dispatch");
    assert_eq!(m.derived.in_flight.get("DEPOT"), Some(&2));
    step(&mut fx, &mut m, receive(&t1, Some(u(180))));
    step(&mut fx, &mut m, to_village("P02", "V02", "rice", u(30)));
    step(&mut fx, &mut m, receive(&t2, None));
    assert_eq!(m.derived.in_flight.get("DEPOT"), None, "both received");
    fx.clock.set(at(11, 8, 0));
    step(&mut fx, &mut m, Command::Report { point: "P01".into(), date: date(10), zero: false, note: String::new() });
    assert_eq!(m.derived.last_report.get("P01"), Some(&at(11, 8, 0)));
}
