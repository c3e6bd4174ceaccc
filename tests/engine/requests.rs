//! Requests: the life from requested to closed, partial fulfilment with the remainder open,
//! and every refusal naming its field, changing nothing.

use crate::support::fixture::*;
use baogong::domain::command::{Command, Dest};
use baogong::domain::demand::{Approver, DemandSettings, RequestStatus, Requester};
use baogong::domain::{Qty, Reason};

fn ask(village: &str, item: &str, qty: Qty) -> Command {
    Command::Request {
        requester: Requester::Village { code: village.into() },
        item: item.into(),
        qty,
        by: date(11),
        slot: None,
        urgent: false,
        note: String::new(),
    }
}

fn approve(q: &str, qty: Option<Qty>, reason: &str) -> Command {
    Command::Approve { request: q.into(), qty, reason: reason.into() }
}

fn send(from: &str, village: &str, item: &str, qty: Qty, requests: &[&str]) -> Command {
    Command::Dispatch {
        from: from.into(),
        to: Dest::Village(village.into()),
        item: item.into(),
        qty,
        vehicle: None,
        note: String::new(),
        requests: requests.iter().map(|r| r.to_string()).collect(),
    }
}

fn deliver(d: &str, qty: Qty, by: &str) -> Command {
    Command::Deliver { dispatch: d.into(), qty, signed_by: by.into(), note: String::new(), household: None }
}

fn status(fx: &Fx, q: &str) -> RequestStatus {
    let id = baogong::domain::demand::Request::parse_label(q).expect("label");
    fx.engine.state().requests[&id].status()
}

fn stocked() -> Fx {
    let mut fx = Fx::new();
    fx.ok(restock("P02", "rice", u(500)));
    fx
}

#[test]
fn a_request_lives_from_requested_to_closed_with_partial_delivery() {
    let mut fx = stocked();
    let clerk = clerk("P02");
    let q = fx.ok_as(&clerk, ask("V02", "rice", u(100))).request.expect("request id");
    assert_eq!(status(&fx, &q), RequestStatus::Requested);
    fx.ok_as(&clerk, approve(&q, Some(u(80)), "stock is short"));
    assert_eq!(status(&fx, &q), RequestStatus::Approved);
    let d1 = fx.ok_as(&clerk, send("P02", "V02", "rice", u(50), &[&q])).dispatch.expect("dispatch");
    assert_eq!(status(&fx, &q), RequestStatus::Dispatched);
    fx.ok_as(&clerk, deliver(&d1, u(45), "王书记"));
    assert_eq!(status(&fx, &q), RequestStatus::Delivered);
    let id = baogong::domain::demand::Request::parse_label(&q).expect("label");
    let r = fx.engine.state().requests[&id].clone();
    assert_eq!((r.approved(), r.dispatched(), r.delivered(), r.outstanding()), (u(80), u(50), u(45), u(35)));
    let d2 = fx.ok_as(&clerk, send("P02", "V02", "rice", u(30), &[&q])).dispatch.expect("dispatch");
    fx.ok_as(&clerk, deliver(&d2, u(30), "王书记"));
    assert_eq!(status(&fx, &q), RequestStatus::Delivered, "45 + 30 of 80: 5 still open");
    fx.ok_as(&clerk, Command::CancelRequest { request: q.clone(), reason: "village has enough".into() });
    assert_eq!(status(&fx, &q), RequestStatus::Closed);
    fx.assert_check_clean();
    let fx = fx.reopen();
    assert_eq!(status(&fx, &q), RequestStatus::Closed, "requests survive a reopen");
}

#[test]
fn one_delivery_fulfils_several_requests_in_order() {
    let mut fx = stocked();
    let a = fx.ok(ask("V02", "rice", u(10))).request.expect("id");
    let b = fx.ok(ask("V02", "rice", u(20))).request.expect("id");
    fx.ok(approve(&a, None, ""));
    fx.ok(approve(&b, None, ""));
    let d = fx.ok(send("P02", "V02", "rice", u(30), &[&a, &b])).dispatch.expect("dispatch");
    fx.ok(deliver(&d, u(25), "李会计"));
    assert_eq!(status(&fx, &a), RequestStatus::Closed);
    assert_eq!(status(&fx, &b), RequestStatus::Delivered);
    let err = fx.reject(deliver(&d, u(25), "李会计"));
    assert_eq!(err.field, "dispatch", "signed once only: {err}");
    fx.assert_check_clean();
}

#[test]
fn bad_steps_are_refused_with_the_field_and_change_nothing() {
    let mut fx = stocked();
    assert!(matches!(fx.reject(ask("V99", "rice", u(1))).reason, Reason::UnknownVillage { .. }));
    let other = fx.reject_as(&clerk("P01"), ask("V02", "rice", u(1)));
    assert_eq!(other.field, "village");
    let mut past = ask("V02", "rice", u(1));
    if let Command::Request { by, .. } = &mut past {
        *by = date(9);
    }
    assert_eq!(fx.reject(past).field, "by");
    assert_eq!(fx.reject(ask("V02", "mask", Qty(1500))).field, "qty", "masks are whole");
    let q = fx.ok(ask("V02", "rice", u(10))).request.expect("id");
    let more = fx.reject(approve(&q, Some(u(11)), "x"));
    assert!(matches!(more.reason, Reason::MoreThanRequested { .. }), "{more}");
    assert_eq!(fx.reject(approve(&q, Some(u(5)), "")).field, "reason", "less needs a reason");
    let early = fx.reject(send("P02", "V02", "rice", u(5), &[&q]));
    assert!(matches!(early.reason, Reason::RequestIs { .. }), "not approved yet: {early}");
    fx.ok(approve(&q, None, ""));
    assert!(matches!(fx.reject(send("P02", "V02", "rice", u(11), &[&q])).reason, Reason::MoreThanApproved { .. }));
    assert!(matches!(fx.reject(send("P02", "V03", "rice", u(5), &[&q])).reason, Reason::RequestOfOther { .. }));
    assert!(matches!(fx.reject(send("P02", "V02", "mask", u(5), &[&q])).field.as_str(), "request" | "qty"));
    assert!(matches!(fx.reject(send("P02", "V02", "rice", u(5), &[&q, &q])).reason, Reason::NamedTwice { .. }));
    let d = fx.ok(send("P02", "V02", "rice", u(10), &[&q])).dispatch.expect("dispatch");
    assert!(matches!(fx.reject(deliver(&d, u(11), "王")).reason, Reason::MoreThanSent { .. }));
    assert_eq!(fx.reject(deliver(&d, u(10), "")).field, "signed_by");
    assert_eq!(fx.reject_as(&clerk("P01"), deliver(&d, u(10), "王")).field, "dispatch");
    let cancel = fx.reject(Command::CancelRequest { request: q.clone(), reason: "x".into() });
    assert!(matches!(cancel.reason, Reason::AwaitingSignature { .. }), "{cancel}");
    let refuse = fx.reject(Command::Refuse { request: q.clone(), reason: "x".into() });
    assert!(matches!(refuse.reason, Reason::RequestIs { .. }));
    assert!(matches!(fx.reject(approve("Q999", None, "")).reason, Reason::UnknownRequest { .. }));
    assert!(fx.reject(Command::Refuse { request: q, reason: " ".into() }).field == "request");
}

#[test]
fn approval_is_the_points_or_the_officers_as_configured() {
    let mut fx = stocked();
    let q = fx.ok_as(&clerk("P02"), ask("V02", "rice", u(10))).request.expect("id");
    assert_eq!(fx.reject_as(&clerk("P01"), approve(&q, None, "")).field, "request");
    assert!(matches!(fx.reject_as(&viewer(), approve(&q, None, "")).reason, Reason::ReadOnly));
    fx.engine.set_demand(DemandSettings { approve_by: Approver::Officer, ..DemandSettings::default() });
    let refused = fx.reject_as(&clerk("P02"), approve(&q, None, ""));
    assert!(matches!(refused.reason, Reason::NotAllowed { .. }), "{refused}");
    fx.ok(approve(&q, None, ""));
    let zh = refused.message(baogong::domain::Lang::Zh);
    assert!(zh.starts_with("需求单"), "{zh}");
}

#[test]
fn refused_and_cancelled_requests_owe_nothing() {
    let mut fx = stocked();
    let q = fx.ok(ask("V02", "rice", u(10))).request.expect("id");
    fx.ok(Command::Refuse { request: q.clone(), reason: "duplicate of yesterday's".into() });
    assert_eq!(status(&fx, &q), RequestStatus::Refused);
    let again = fx.reject(approve(&q, None, ""));
    assert!(matches!(again.reason, Reason::RequestIs { .. }));
    let c = fx.ok(ask("V02", "rice", u(10))).request.expect("id");
    fx.ok(Command::CancelRequest { request: c.clone(), reason: "typed twice".into() });
    assert_eq!(status(&fx, &c), RequestStatus::Cancelled);
    fx.assert_check_clean();
}
