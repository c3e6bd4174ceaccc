//! Property test over random request histories through the real engine and store: requests,
//! approvals (in full or for less), refusals, cancellations, deliveries naming one or two
//! requests (any quantity, often too much) and receipts signed at the checkpoint (any quantity,
//! often more than sent), by the officer and by clerks of the right and the wrong point; kits
//! (a standard box of rice and masks) assembled and unpacked at the points, requested and sent
//! like rice, and requests booked into delivery slots (a slot of the zone, or one outside it).
//! Whatever is accepted or refused, every request keeps delivered ≤ dispatched ≤ approved ≤
//! requested, outstanding = approved − delivered while open, and `store::check` stays clean,
//! before and after reopening.

use crate::support::fixture::*;
use baogong::api::Caller;
use baogong::domain::command::Record;
use baogong::domain::command::{Command, Dest};
use baogong::domain::demand::{DemandSettings, Request, RequestStatus, Requester, Slot};
use baogong::domain::Qty;
use proptest::prelude::*;

const VILLAGES: [&str; 3] = ["V01", "V02", "V03"];
const ITEMS: [&str; 2] = ["rice", "box"];
const POINTS: [&str; 3] = ["DEPOT", "P01", "P02"];

#[derive(Clone, Debug)]
enum Op {
    Ask { v: usize, i: usize, q: i64 },
    Assemble { p: usize, q: i64 },
    Unpack { p: usize, q: i64 },
    Schedule { r: usize, outside: bool },
    Approve { r: usize, q: Option<i64> },
    Refuse { r: usize },
    Cancel { r: usize },
    Send { v: usize, i: usize, r: Vec<usize>, q: i64 },
    Sign { d: usize, q: i64 },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..3usize, 0..2usize, 1..40i64).prop_map(|(v, i, q)| Op::Ask { v, i, q }),
        (0..3usize, 1..30i64).prop_map(|(p, q)| Op::Assemble { p, q }),
        (0..3usize, 1..30i64).prop_map(|(p, q)| Op::Unpack { p, q }),
        (0..8usize, proptest::bool::weighted(0.2)).prop_map(|(r, outside)| Op::Schedule { r, outside }),
        (0..8usize, proptest::option::of(1..45i64)).prop_map(|(r, q)| Op::Approve { r, q }),
        (0..8usize).prop_map(|r| Op::Refuse { r }),
        (0..8usize).prop_map(|r| Op::Cancel { r }),
        (0..3usize, 0..2usize, proptest::collection::vec(0..8usize, 1..3), 1..50i64)
            .prop_map(|(v, i, r, q)| Op::Send { v, i, r, q }),
        (0..8usize, 0..50i64).prop_map(|(d, q)| Op::Sign { d, q }),
    ]
}

fn who(n: usize) -> Caller {
    match n % 3 {
        0 => officer(),
        1 => clerk("P01"),
        _ => clerk("P02"),
    }
}

fn pick<T: Clone>(v: &[T], i: usize) -> Option<T> {
    (!v.is_empty()).then(|| v[i % v.len()].clone())
}

fn check_requests(fx: &Fx) {
    for r in fx.engine.state().requests.values() {
        let (a, d, g) = (r.approved(), r.dispatched(), r.delivered());
        assert!(g <= d && d <= a && a <= r.qty, "{}: {g} ≤ {d} ≤ {a} ≤ {}", Request::label(r.id), r.qty);
        if r.ending.is_none() {
            assert_eq!(r.outstanding(), a - g, "{}", Request::label(r.id));
        } else {
            assert_eq!(r.outstanding(), Qty::ZERO);
        }
        if r.status() == RequestStatus::Scheduled {
            assert!(
                r.booking.as_ref().is_some_and(|b| b.slot == "AM"),
                "{}: booked into AM only",
                Request::label(r.id)
            );
        }
    }
    for l in fx.engine.state().lots.values() {
        assert!(l.qty > Qty::ZERO, "{l:?}: no empty or negative lot");
    }
}

/// The small town with a standard box (5 kg of rice, 2 masks) and a morning slot in its zone.
fn town() -> Fx {
    let mut fx = Fx::new();
    let kit = baogong::domain::Item {
        code: "box".into(),
        name_zh: "标准箱".into(),
        name_en: "Standard box".into(),
        unit: "box".into(),
        components: vec![
            baogong::domain::catalog::Component { item: "rice".into(), qty: u(5) },
            baogong::domain::catalog::Component { item: "mask".into(), qty: u(2) },
        ],
        ..rice()
    };
    fx.ok(Command::Upsert { records: vec![Record::Item(kit)] });
    let t = |h| chrono::NaiveTime::from_hms_opt(h, 0, 0).expect("time");
    let am = Slot { zone: "Z1".into(), code: "AM".into(), start: t(8), end: t(11), trips: 2, days: Vec::new() };
    fx.engine.set_demand(DemandSettings { slots: vec![am], ..DemandSettings::default() });
    for p in POINTS {
        fx.ok(restock(p, "rice", u(1000)));
        fx.ok(restock(p, "mask", u(100)));
    }
    fx
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]
    #[test]
    fn request_figures_stay_ordered(ops in proptest::collection::vec((op(), 0..3usize), 1..40)) {
        let mut fx = town();
        let (mut requests, mut dispatches): (Vec<String>, Vec<String>) = (Vec::new(), Vec::new());
        for (op, w) in ops {
            let caller = who(w);
            let cmd = match op {
                Op::Ask { v, i, q } => Command::Request {
                    requester: Requester::Village { code: VILLAGES[v].into() },
                    item: ITEMS[i].into(), qty: u(q), by: date(12), slot: None, urgent: false, note: String::new(),
                },
                Op::Assemble { p, q } => Command::Assemble { point: POINTS[p].into(), kit: "box".into(), qty: u(q) },
                Op::Unpack { p, q } => Command::Unpack { point: POINTS[p].into(), kit: "box".into(), qty: u(q) },
                Op::Schedule { r, outside } => match pick(&requests, r) {
                    Some(request) => {
                        let slot = if outside { "NIGHT" } else { "AM" }.to_string();
                        Command::Schedule { request, slot, date: None, vehicle: None }
                    }
                    None => continue,
                },
                Op::Approve { r, q } => match pick(&requests, r) {
                    Some(request) => Command::Approve { request, qty: q.map(u), reason: "short".into() },
                    None => continue,
                },
                Op::Refuse { r } => match pick(&requests, r) {
                    Some(request) => Command::Refuse { request, reason: "no".into() },
                    None => continue,
                },
                Op::Cancel { r } => match pick(&requests, r) {
                    Some(request) => Command::CancelRequest { request, reason: "no".into() },
                    None => continue,
                },
                Op::Send { v, i, r, q } => {
                    let named: Vec<String> = r.iter().filter_map(|i| pick(&requests, *i)).collect();
                    let from = if v == 0 { "P01" } else { "P02" };
                    Command::Dispatch {
                        from: from.into(), to: Dest::Village(VILLAGES[v].into()), item: ITEMS[i].into(),
                        qty: u(q), vehicle: None, note: String::new(), requests: named,
                    }
                }
                Op::Sign { d, q } => match pick(&dispatches, d) {
                    Some(dispatch) => Command::Deliver { dispatch, qty: u(q), signed_by: "王书记".into(), note: String::new(), household: None },
                    None => continue,
                },
            };
            if let Ok(o) = fx.submit(&caller, cmd.clone()) {
                if let (Command::Request { .. }, Some(q)) = (&cmd, o.request) {
                    requests.push(q);
                }
                if let (Command::Dispatch { .. }, Some(d)) = (&cmd, o.dispatch) {
                    dispatches.push(d);
                }
            }
            check_requests(&fx);
        }
        fx.assert_check_clean();
        let fx = fx.reopen();
        check_requests(&fx);
        fx.assert_check_clean();
    }
}
