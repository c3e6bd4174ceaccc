//! Issue 16's commands: a dispatch on a vehicle whose pass has ended is refused naming the pass
//! and its last day, one on its last day is accepted with a warning; `Pass` renews a pass and
//! clears its alert; `Count` takes the quantity counted and records the difference; `Ack` of a
//! cleared alert is refused, `Ack` records the officer on duty, `Unack` withdraws it.

use crate::support::fixture::*;
use baogong::domain::alerts::AlertKind;
use baogong::domain::command::{Command, Record};
use baogong::domain::{DutyShift, Lang, Qty, Reason, Rejection, Vehicle};
use chrono::{Duration, NaiveDate};

fn rej(field: &str, reason: Reason) -> Rejection {
    Rejection::new(field, reason)
}

fn vehicle(until: NaiveDate) -> Command {
    let v =
        Vehicle { plate: "冀EF7580".into(), point: "P01".into(), pass_no: "BG-012".into(), pass_valid_until: until };
    Command::Upsert { records: vec![Record::Vehicle(v)] }
}

fn send_on(vehicle: &str) -> Command {
    match to_point("P01", "P02", "rice", u(5)) {
        Command::Dispatch { from, to, item, qty, note, .. } => {
            Command::Dispatch { from, to, item, qty, vehicle: Some(vehicle.into()), note, requests: Vec::new() }
        }
        other => other,
    }
}

fn pass(number: &str, until: NaiveDate) -> Command {
    Command::Pass { vehicle: "冀EF7580".into(), number: number.into(), valid_until: until }
}

#[test]
fn an_expired_pass_is_refused_naming_it_and_its_end() {
    let mut fx = Fx::new();
    fx.ok(restock("P01", "rice", u(100)));
    fx.ok(vehicle(date(9)));
    let r = fx.reject(send_on("冀EF7580"));
    assert_eq!(r, rej("vehicle", Reason::PassExpired { pass: "BG-012".into(), until: "2026-03-09".into() }));
    assert!(r.message(Lang::En).contains("BG-012") && r.message(Lang::En).contains("2026-03-09"));
    assert_eq!(r.message(Lang::Zh), "车辆: 通行证 BG-012 已于 2026-03-09 到期,请先续办");
}

#[test]
fn a_pass_ending_today_warns_and_the_dispatch_goes() {
    let mut fx = Fx::new();
    fx.ok(restock("P01", "rice", u(100)));
    fx.ok(vehicle(date(10)));
    let o = fx.ok(send_on("冀EF7580"));
    assert!(o.dispatch.is_some());
    assert_eq!(
        o.warnings,
        vec![rej("vehicle", Reason::PassEndsToday { pass: "BG-012".into(), until: "2026-03-10".into() })]
    );
    fx.ok(vehicle(date(11)));
    assert!(fx.ok(send_on("冀EF7580")).warnings.is_empty(), "valid tomorrow: no warning");
}

#[test]
fn renewing_a_pass_clears_its_alert_and_lets_the_vehicle_go() {
    let mut fx = Fx::new();
    fx.ok(restock("P01", "rice", u(100)));
    fx.ok(vehicle(date(9)));
    assert_eq!(fx.open(AlertKind::PassExpiring).len(), 1);
    assert_eq!(
        fx.reject(pass("BG-099", date(9))),
        rej("valid_until", Reason::ExpiryPast { expiry: "2026-03-09".into() })
    );
    assert_eq!(fx.reject(pass(" ", date(30))).field, "number");
    let o = fx.ok(pass("BG-099", date(30)));
    assert_eq!(o.cleared.len(), 1, "the pass alert clears");
    let v = &fx.engine.state().vehicles["冀EF7580"];
    assert_eq!((v.pass_no.as_str(), v.pass_valid_until), ("BG-099", date(30)));
    fx.ok(send_on("冀EF7580"));
    let unknown = Command::Pass { vehicle: "冀X".into(), number: "N".into(), valid_until: date(30) };
    assert_eq!(fx.reject(unknown), rej("vehicle", Reason::UnknownVehicle { plate: "冀X".into() }));
    fx.assert_check_clean();
}

fn count(qty: Qty, batch: Option<&str>) -> Command {
    let (point, item, note) = ("P01".into(), "rice".into(), String::new());
    Command::Count { point, item, counted: qty, batch: batch.map(str::to_string), note }
}

#[test]
fn a_count_records_the_difference_from_the_stock_at_that_moment() {
    let mut fx = Fx::new();
    fx.ok(restock("P01", "rice", u(100)));
    let o = fx.ok(count(u(97), None));
    assert_eq!((o.delta, fx.qty("P01", "rice")), (Some(u(-3)), u(97)));
    let ev = fx.engine.store().event(o.seq).unwrap().unwrap();
    assert_eq!(ev.resolved.delta, Some(u(-3)), "the event records the difference");
    let o = fx.ok(count(u(110), None));
    assert_eq!((o.delta, fx.qty("P01", "rice")), (Some(u(13)), u(110)));
    assert_eq!(fx.ok(count(Qty::ZERO, None)).delta, Some(u(-110)));
    fx.ok(restock("P01", "rice", u(5)));
    let same = fx.reject(count(u(5), None));
    assert_eq!(same, rej("counted", Reason::CountMatches { qty: "5".into(), unit: "kg".into() }));
    assert_eq!(fx.reject(count(u(-1), None)), rej("counted", Reason::NotPositive));
    fx.assert_check_clean();
    let fx = fx.reopen();
    assert_eq!(fx.qty("P01", "rice"), u(5), "the count replays from the log");
}

fn ack(id: &str) -> Command {
    Command::Ack { alert: id.into() }
}

#[test]
fn ack_refuses_a_cleared_alert_records_the_officer_on_duty_and_unack_withdraws_it() {
    let mut fx = Fx::new();
    let shift = DutyShift {
        start: at(10, 8, 0),
        end: at(10, 8, 0) + Duration::hours(24),
        duty_officer: ALICE.into(),
        leader_on_call: CAROL.into(),
    };
    fx.ok(Command::Upsert { records: vec![Record::Shift(shift)] });
    fx.ok(vehicle(date(9)));
    let id = baogong::domain::alerts::Alert::label(fx.open(AlertKind::PassExpiring)[0].id);
    fx.ok(ack(&id));
    let a = fx.open(AlertKind::PassExpiring).remove(0);
    assert_eq!((a.acked_by.as_deref(), a.acked_on_duty.as_deref()), (Some("alice"), Some(ALICE)));
    fx.ok(Command::Unack { alert: id.clone() });
    let a = fx.open(AlertKind::PassExpiring).remove(0);
    assert_eq!((a.acked_by, a.acked_at, a.acked_on_duty), (None, None, None));
    assert_eq!(fx.reject(Command::Unack { alert: id.clone() }), rej("alert", Reason::NotAcked { id: id.clone() }));
    fx.ok(pass("BG-099", date(30)));
    assert_eq!(fx.reject(ack(&id)), rej("alert", Reason::AlreadyCleared { id: id.clone() }));
    let clerk = clerk("P01");
    assert_eq!(fx.reject_as(&clerk, Command::Unack { alert: id }).field, "alert");
    fx.assert_check_clean();
}
