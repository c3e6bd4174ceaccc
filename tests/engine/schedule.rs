//! Delivery slots by zone: a request asks for a slot of its zone, an approved request is booked
//! into one (status `scheduled`) on a vehicle of its point, and the schedule counts the load,
//! trips against vehicles × trips and workers against the 1-per-10-households norm, marking
//! overloaded slots. Every refusal names its field and changes nothing.

use crate::support::fixture::*;
use baogong::domain::command::{Command, Record};
use baogong::domain::demand::{DemandSettings, Request, RequestStatus, Requester, Slot};
use baogong::domain::{Qty, Reason, Vehicle};
use baogong::views::schedule;
use chrono::NaiveTime;
use std::collections::BTreeMap;

fn slot(code: &str, start: u32, end: u32, trips: u32, days: &[u32]) -> Slot {
    let t = |h| NaiveTime::from_hms_opt(h, 0, 0).expect("time");
    Slot { zone: "Z1".into(), code: code.into(), start: t(start), end: t(end), trips, days: days.to_vec() }
}

/// 2026-03-11 is a Wednesday (3): AM runs every day, PM on Mondays only.
fn demand() -> DemandSettings {
    DemandSettings { slots: vec![slot("AM", 8, 11, 1, &[]), slot("PM", 14, 17, 1, &[1])], ..DemandSettings::default() }
}

fn slotted() -> Fx {
    let mut fx = Fx::new();
    fx.engine.set_demand(demand());
    let van = |plate: &str, point: &str| {
        Record::Vehicle(Vehicle {
            plate: plate.into(),
            point: point.into(),
            pass_no: "X".into(),
            pass_valid_until: date(30),
        })
    };
    fx.ok(Command::Upsert { records: vec![van("冀E1", "P02"), van("冀E2", "P01")] });
    fx
}

fn ask(village: &str, qty: Qty, slot: Option<&str>) -> Command {
    Command::Request {
        requester: Requester::Village { code: village.into() },
        item: "rice".into(),
        qty,
        by: date(11),
        slot: slot.map(str::to_string),
        urgent: false,
        note: String::new(),
    }
}

fn book(q: &str, slot: &str, vehicle: Option<&str>) -> Command {
    Command::Schedule { request: q.into(), slot: slot.into(), date: None, vehicle: vehicle.map(str::to_string) }
}

fn approved(fx: &mut Fx, village: &str, qty: Qty) -> String {
    let q = fx.ok(ask(village, qty, None)).request.expect("id");
    fx.ok(Command::Approve { request: q.clone(), qty: None, reason: String::new() });
    q
}

/// Kilograms and pieces booked into one slot are two loads, never one sum.
#[test]
fn a_slots_load_is_counted_per_unit() {
    let mut fx = slotted();
    let rice = approved(&mut fx, "V01", u(30));
    fx.ok(book(&rice, "AM", None));
    let mut masks = ask("V01", u(200), None);
    if let Command::Request { item, .. } = &mut masks {
        *item = "mask".into();
    }
    let q = fx.ok(masks).request.expect("id");
    fx.ok(Command::Approve { request: q.clone(), qty: None, reason: String::new() });
    fx.ok(book(&q, "AM", None));
    let rows = schedule::rows(fx.engine.state(), &demand(), &[date(11)], None);
    let am = &rows[0].slots[0];
    assert_eq!(am.load, BTreeMap::from([("kg".to_string(), u(30)), ("piece".to_string(), u(200))]));
    assert_eq!(schedule::load_text(&am.load, baogong::domain::Lang::En), "30 kg 200 piece");
    assert_eq!(schedule::load_text(&am.load, baogong::domain::Lang::Zh), "30 公斤 200 件");
}

fn status(fx: &Fx, q: &str) -> RequestStatus {
    fx.engine.state().requests[&Request::parse_label(q).expect("id")].status()
}

#[test]
fn an_approved_request_is_scheduled_into_a_slot_of_its_zone() {
    let mut fx = slotted();
    let q = approved(&mut fx, "V02", u(40));
    fx.ok_as(&clerk("P02"), book(&q, "AM", Some("冀E1")));
    assert_eq!(status(&fx, &q), RequestStatus::Scheduled);
    let r = fx.engine.state().requests[&Request::parse_label(&q).expect("id")].clone();
    let b = r.booking.expect("booked");
    assert_eq!((b.slot.as_str(), b.date, b.vehicle.as_deref()), ("AM", date(11), Some("冀E1")));
    fx.ok(restock("P02", "rice", u(100)));
    let mut send = to_village("P02", "V02", "rice", u(40));
    if let Command::Dispatch { requests, .. } = &mut send {
        requests.push(q.clone());
    }
    fx.ok(send);
    assert_eq!(status(&fx, &q), RequestStatus::Dispatched, "a scheduled request is dispatched");
    fx.assert_check_clean();
    let fx = fx.reopen();
    assert!(fx.engine.state().requests[&Request::parse_label(&q).expect("id")].booking.is_some());
}

#[test]
fn a_slot_outside_the_zones_slots_is_refused() {
    let mut fx = slotted();
    let r = fx.reject(ask("V02", u(5), Some("NIGHT")));
    assert_eq!(r.field, "slot");
    assert_eq!(r.reason, Reason::UnknownSlot { slot: "NIGHT".into(), zone: "Z1".into(), known: "AM".into() });
    // PM runs on Mondays only; the 11th is a Wednesday.
    let q = approved(&mut fx, "V02", u(5));
    assert!(matches!(fx.reject(book(&q, "PM", None)).reason, Reason::UnknownSlot { .. }));
    fx.ok(ask("V02", u(5), Some("AM")));
}

#[test]
fn scheduling_is_refused_before_approval_on_another_points_vehicle_and_for_another_point() {
    let mut fx = slotted();
    let q = fx.ok(ask("V02", u(5), None)).request.expect("id");
    assert!(matches!(fx.reject(book(&q, "AM", None)).reason, Reason::RequestIs { .. }));
    fx.ok(Command::Approve { request: q.clone(), qty: None, reason: String::new() });
    let r = fx.reject(book(&q, "AM", Some("冀E2")));
    assert_eq!(
        (r.field.as_str(), r.reason),
        ("vehicle", Reason::VehicleOfOther { plate: "冀E2".into(), point: "P01".into() })
    );
    assert!(matches!(fx.reject(book(&q, "AM", Some("冀E9"))).reason, Reason::UnknownVehicle { .. }));
    let other = fx.reject_as(&clerk("P01"), book(&q, "AM", None));
    assert!(matches!(other.reason, Reason::OtherPoint { .. }), "{other:?}");
    let past = Command::Schedule { request: q, slot: "AM".into(), date: Some(date(9)), vehicle: None };
    assert!(matches!(fx.reject(past).reason, Reason::BeforeToday { .. }));
}

#[test]
fn the_schedule_counts_load_trips_and_workers_and_marks_overload() {
    let mut fx = slotted();
    // Zone Z1: 3 points × 2 vehicles, 1 trip each in AM: capacity 6; staff 3 × 8 = 24.
    for village in ["V01", "V02", "V03"] {
        for _ in 0..3 {
            let q = approved(&mut fx, village, u(10));
            fx.ok(book(&q, "AM", None));
        }
    }
    let rows = schedule::rows(fx.engine.state(), &demand(), &[date(11)], None);
    assert_eq!(rows.len(), 1);
    let zd = &rows[0];
    assert_eq!((zd.vehicles, zd.staff), (6, 24));
    assert_eq!(zd.slots.len(), 1, "PM does not run on a Wednesday");
    let am = &zd.slots[0];
    assert_eq!(am.villages, vec!["V01", "V02", "V03"]);
    assert_eq!((am.requests, am.trips, am.capacity), (9, 9, 6));
    assert_eq!(am.load, BTreeMap::from([("kg".to_string(), u(90))]));
    // 60 + 80 + 40 households: 18 workers at 1 per 10.
    assert_eq!((am.households, am.workers_needed), (180, 18));
    assert!(am.overloaded, "9 trips for 6");
    // On vehicles, the trips are one per vehicle and village.
    let mut fx = slotted();
    for _ in 0..3 {
        let q = approved(&mut fx, "V02", u(10));
        fx.ok(book(&q, "AM", Some("冀E1")));
    }
    let rows = schedule::rows(fx.engine.state(), &demand(), &[date(11)], Some("Z1"));
    let am = &rows[0].slots[0];
    assert_eq!((am.trips, am.overloaded), (1, false));
}
