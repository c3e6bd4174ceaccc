//! A face applies each event's delta (issue 12): after restocks, transfers sent and received,
//! deliveries and reports, the console's derived figures (covers, town covers, transfers in
//! flight, last reports), kept up to date event by event, are those computed afresh.

use crate::support::fixture::*;
use crate::support::tui::key_event;
use baogong::domain::command::Command;
use baogong::domain::Lang;
use baogong::tui::model::{alert_rows, Derived, Model, Overlay};
use baogong::tui::update::{update, Msg};
use crossterm::event::{KeyCode, KeyModifiers};

fn same(a: &Derived, b: &Derived, after: &str) {
    assert_eq!(a.covers, b.covers, "covers after {after}");
    assert_eq!(a.town, b.town, "town covers after {after}");
    assert_eq!(a.in_flight, b.in_flight, "transfers in flight after {after}");
    assert_eq!(a.last_report, b.last_report, "last reports after {after}");
    assert_eq!(a.alert_order, b.alert_order, "alert order after {after}");
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

/// The alert feed's order is kept in the model and sorted only when an event touches an alert
/// (issue 12): after events that raise and clear alerts, the feed is the fresh order of every
/// alert. Fails if the kept order goes stale (a raised alert missing, a cleared one still
/// listed among the open ones).
#[test]
fn the_feeds_kept_alert_order_follows_the_events_that_raise_and_clear_alerts() {
    let mut fx = Fx::new();
    let mut m = Model::new(fx.engine.state().clone(), fx.clock_now(), Lang::En, "u".into(), Default::default());
    let mut feeds = vec![feed(&m)];
    for cmd in [
        restock("P01", "rice", u(20)),
        restock("P01", "mask", u(5)),
        restock("P01", "rice", u(5000)),
        to_village("P01", "V01", "mask", u(5)),
        restock("P01", "mask", u(4000)),
    ] {
        let shown = format!("{cmd:?}");
        let out = fx.ok(cmd);
        let ev = fx.engine.store().event(out.seq).expect("read").expect("the event");
        m.apply(&ev);
        let fresh: Vec<(u64, bool)> = baogong::views::alerts::list(fx.engine.state(), true)
            .iter()
            .map(|a| (a.id, a.cleared_at.is_none()))
            .collect();
        assert_eq!(feed(&m), fresh, "the feed after {shown}");
        feeds.push(feed(&m));
    }
    assert!(feeds.iter().any(|f| f.iter().any(|(_, open)| *open)), "an alert was raised: {feeds:?}");
    assert!(feeds.iter().any(|f| f.iter().any(|(_, open)| !*open)), "an alert was cleared: {feeds:?}");
}

/// The feed's rows as (id, open), in the order shown.
fn feed(m: &Model) -> Vec<(u64, bool)> {
    alert_rows(m).iter().map(|a| (a.id, a.cleared_at.is_none())).collect()
}

/// The report screen's text is kept in the model and recomputed when an event arrives, not
/// per frame (issue 12): after a restock, the kept lines are today's report computed afresh
/// from the engine's state. Fails if the kept report goes stale.
#[test]
fn the_report_screens_kept_lines_follow_an_event() {
    let mut fx = Fx::new();
    let mut m = Model::new(fx.engine.state().clone(), fx.clock_now(), Lang::En, "u".into(), Default::default());
    m.overlays.push(Overlay::Report { date: m.now.date_naive(), scroll: 0 });
    m.refresh_report();
    let fresh = |fx: &Fx, m: &Model| {
        let r =
            baogong::report::daily(fx.engine.state(), m.now.date_naive(), m.now, &m.thresholds, &m.key_items, m.lang);
        r.map(|r| baogong::report::text_lines(&r, m.lang)).map_err(|e| e.message(m.lang))
    };
    let before = m.report_cache.clone().expect("kept while the screen is open").lines;
    assert_eq!(before, fresh(&fx, &m));
    let out = fx.ok(restock("P01", "rice", u(700)));
    let ev = fx.engine.store().event(out.seq).expect("read").expect("the event");
    update(&mut m, Msg::Event(Box::new(ev)));
    let after = m.report_cache.clone().expect("kept").lines;
    assert_ne!(after, before, "the restock shows in the report");
    assert_eq!(after, fresh(&fx, &m));
    update(&mut m, Msg::Key(key_event(KeyCode::Esc, KeyModifiers::NONE)));
    assert!(m.report_cache.is_none(), "dropped with the screen");
}

/// A kit's cover at a point follows its components during catch-up (issue 12): a restock of
/// the component that limits how many kits the point could still make changes the kit's cover,
/// kept event by event as computed afresh. Fails if `Derived::touched` recomputes only the
/// restocked pair (the kit's cover would stay at the old count).
#[test]
fn a_kits_cover_follows_a_component_restocked_during_catch_up() {
    use baogong::domain::catalog::{Component, Item};
    use baogong::domain::command::Record;
    let mut fx = Fx::new();
    let kit = Item {
        code: "box".into(),
        name_zh: "标准箱".into(),
        name_en: "Standard box".into(),
        unit: "box".into(),
        components: vec![Component { item: "rice".into(), qty: u(5) }, Component { item: "mask".into(), qty: u(2) }],
        per_household_daily: 0.01,
        ..rice()
    };
    fx.ok(Command::Upsert { records: vec![Record::Item(kit)] });
    fx.ok(restock("P01", "rice", u(100)));
    fx.ok(restock("P01", "mask", u(400)));
    fx.ok(Command::Assemble { point: "P01".into(), kit: "box".into(), qty: u(2) });
    let mut m = Model::new(fx.engine.state().clone(), fx.clock_now(), Lang::En, "u".into(), Default::default());
    let pair = ("P01".to_string(), "box".to_string());
    let before = m.derived.covers.get(&pair).cloned().expect("P01 carries the kit");
    let out = fx.ok(restock("P01", "rice", u(500)));
    let ev = fx.engine.store().event(out.seq).expect("read").expect("the event");
    m.apply(&ev);
    let after = m.derived.covers.get(&pair).cloned().expect("still carried");
    assert_ne!(after, before, "more rice makes more boxes possible");
    let fresh = Derived::full(fx.engine.state(), m.now.date_naive());
    assert_eq!(Some(&after), fresh.covers.get(&pair), "the kit's cover as computed afresh");
}
