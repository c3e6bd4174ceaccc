//! Property test over random request histories through the real engine and store: requests,
//! approvals (in full or for less), refusals, cancellations, deliveries naming one or two
//! requests (any quantity, often too much) and receipts signed at the checkpoint (any quantity,
//! often more than sent), by the officer and by clerks of the right and the wrong point.
//! Whatever is accepted or refused, every request keeps delivered ≤ dispatched ≤ approved ≤
//! requested, outstanding = approved − delivered while open, and `store::check` stays clean,
//! before and after reopening.

use crate::support::fixture::*;
use baogong::api::Caller;
use baogong::domain::command::{Command, Dest};
use baogong::domain::demand::{Request, Requester};
use baogong::domain::Qty;
use proptest::prelude::*;

const VILLAGES: [&str; 3] = ["V01", "V02", "V03"];

#[derive(Clone, Debug)]
enum Op {
    Ask { v: usize, q: i64 },
    Approve { r: usize, q: Option<i64> },
    Refuse { r: usize },
    Cancel { r: usize },
    Send { v: usize, r: Vec<usize>, q: i64 },
    Sign { d: usize, q: i64 },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..3usize, 1..40i64).prop_map(|(v, q)| Op::Ask { v, q }),
        (0..8usize, proptest::option::of(1..45i64)).prop_map(|(r, q)| Op::Approve { r, q }),
        (0..8usize).prop_map(|r| Op::Refuse { r }),
        (0..8usize).prop_map(|r| Op::Cancel { r }),
        (0..3usize, proptest::collection::vec(0..8usize, 1..3), 1..50i64).prop_map(|(v, r, q)| Op::Send { v, r, q }),
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
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]
    #[test]
    fn request_figures_stay_ordered(ops in proptest::collection::vec((op(), 0..3usize), 1..40)) {
        let mut fx = Fx::new();
        for p in ["DEPOT", "P01", "P02"] {
            fx.ok(restock(p, "rice", u(1000)));
        }
        let (mut requests, mut dispatches): (Vec<String>, Vec<String>) = (Vec::new(), Vec::new());
        for (op, w) in ops {
            let caller = who(w);
            let cmd = match op {
                Op::Ask { v, q } => Command::Request {
                    requester: Requester::Village { code: VILLAGES[v].into() },
                    item: "rice".into(), qty: u(q), by: date(12), slot: None, urgent: false, note: String::new(),
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
                Op::Send { v, r, q } => {
                    let named: Vec<String> = r.iter().filter_map(|i| pick(&requests, *i)).collect();
                    let from = if v == 0 { "P01" } else { "P02" };
                    Command::Dispatch {
                        from: from.into(), to: Dest::Village(VILLAGES[v].into()), item: "rice".into(),
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
