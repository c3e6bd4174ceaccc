//! The daily report's demand: per point and key item and in the town totals, what the requests
//! needed by the day asked for, what was approved, delivered (signed for at the checkpoint) and
//! is still outstanding, and delivered ÷ requested.

use crate::support::fixture::*;
use baogong::domain::alerts::Thresholds;
use baogong::domain::command::{Command, Dest};
use baogong::domain::demand::Requester;
use baogong::domain::Lang;
use baogong::report;

#[test]
fn demand_per_point_item_and_town() {
    let mut fx = Fx::new();
    fx.ok(restock("P02", "rice", u(500)));
    fx.ok(restock("P01", "rice", u(500)));
    let ask = |v: &str, q| Command::Request {
        requester: Requester::Village { code: v.into() },
        item: "rice".into(),
        qty: u(q),
        by: date(10),
        slot: None,
        urgent: false,
        note: String::new(),
    };
    let a = fx.ok(ask("V02", 100)).request.expect("id");
    let b = fx.ok(ask("V01", 40)).request.expect("id");
    let refused = fx.ok(ask("V03", 70)).request.expect("id");
    fx.ok(Command::Refuse { request: refused, reason: "duplicate".into() });
    fx.ok(Command::Approve { request: a.clone(), qty: Some(u(80)), reason: "short".into() });
    fx.ok(Command::Approve { request: b, qty: None, reason: String::new() });
    let d = fx
        .ok(Command::Dispatch {
            from: "P02".into(),
            to: Dest::Village("V02".into()),
            item: "rice".into(),
            qty: u(60),
            vehicle: None,
            note: String::new(),
            requests: vec![a],
        })
        .dispatch
        .expect("dispatch");
    fx.ok(Command::Deliver {
        dispatch: d,
        qty: u(50),
        signed_by: "王书记".into(),
        note: String::new(),
        household: None,
    });
    let r = report::daily(fx.engine.state(), date(10), at(10, 20, 0), &Thresholds::default(), &[], Lang::En)
        .expect("report");
    let p02 = r.points.iter().find(|p| p.point == "P02").and_then(|p| p.items.iter().find(|l| l.item == "rice"));
    let p02 = p02.expect("P02 rice line");
    assert_eq!((p02.requested, p02.approved, p02.delivered, p02.outstanding), (100.0, 80.0, 50.0, 30.0));
    assert_eq!(p02.request_fill_rate, Some(0.5));
    let town = r.totals.iter().find(|l| l.item == "rice").expect("town rice");
    assert_eq!((town.requested, town.approved, town.delivered, town.outstanding), (140.0, 120.0, 50.0, 70.0));
    let json = serde_json::to_value(&r).expect("json");
    assert_eq!(json["totals"][0]["outstanding"], serde_json::json!(70.0), "{json}");
}
