//! Village tallies: lines become requests needed by the delivery day, a zero tally, the
//! "village tally overdue" alert raised past the due day and cleared when the tally arrives,
//! and the refusals (another point's village, a day tallied twice, a zero tally with lines).

use crate::support::fixture::*;
use baogong::domain::alerts::AlertKind;
use baogong::domain::command::Command;
use baogong::domain::demand::{RequestStatus, TallyLine};
use baogong::domain::Reason;

fn tally(village: &str, day: u32, lines: &[(&str, i64)]) -> Command {
    Command::Tally {
        village: village.into(),
        date: date(day),
        lines: lines.iter().map(|(i, q)| TallyLine { item: i.to_string(), qty: u(*q) }).collect(),
        zero: lines.is_empty(),
    }
}

#[test]
fn a_tally_makes_requests_and_its_absence_raises_an_alert() {
    let mut fx = Fx::new();
    let clerk = clerk("P02");
    let o = fx.ok_as(&clerk, tally("V02", 10, &[("rice", 120), ("mask", 40)]));
    let first = o.request.expect("first request");
    let s = fx.engine.state();
    let made: Vec<_> = s.requests.values().filter(|r| r.requester.village() == "V02").collect();
    assert_eq!(made.len(), 2, "one request per line");
    assert!(made.iter().all(|r| r.by == date(11) && r.status() == RequestStatus::Requested));
    assert_eq!(baogong::domain::demand::Request::label(made[0].id), first);
    // A plain request after the tally gets a fresh number.
    let q = fx
        .ok(Command::Request {
            requester: baogong::domain::demand::Requester::Village { code: "V02".into() },
            item: "rice".into(),
            qty: u(1),
            by: date(11),
            slot: None,
            urgent: false,
            note: String::new(),
        })
        .request
        .expect("id");
    assert_eq!(fx.engine.state().requests.len(), 3, "{q} did not overwrite a tally's request");
    fx.tick_at(at(13, 12, 0));
    assert!(fx.open(AlertKind::TallyOverdue).is_empty(), "due on day 13: not yet overdue");
    fx.tick_at(at(14, 9, 0));
    let open = fx.open(AlertKind::TallyOverdue);
    assert_eq!(open.len(), 1, "{open:?}");
    assert_eq!(open[0].subject, "V02");
    fx.ok_as(&clerk, tally("V02", 14, &[]));
    assert!(fx.open(AlertKind::TallyOverdue).is_empty(), "a zero tally clears it");
    fx.assert_check_clean();
    let fx = fx.reopen();
    assert_eq!(fx.engine.state().last_tally.get("V02"), Some(&date(14)));
}

#[test]
fn bad_tallies_are_refused() {
    let mut fx = Fx::new();
    let other = fx.reject_as(&clerk("P01"), tally("V02", 10, &[("rice", 1)]));
    assert!(matches!(other.reason, Reason::OtherPoint { .. }), "{other}");
    assert_eq!(other.field, "village");
    assert!(matches!(fx.reject(tally("V99", 10, &[("rice", 1)])).reason, Reason::UnknownVillage { .. }));
    assert!(matches!(fx.reject(tally("V02", 10, &[("salt", 1)])).reason, Reason::UnknownItem { .. }));
    assert_eq!(fx.reject(tally("V02", 11, &[("rice", 1)])).field, "date", "future");
    assert!(matches!(fx.reject(tally("V02", 10, &[("rice", 1), ("rice", 2)])).reason, Reason::NamedTwice { .. }));
    let mut zero_with = tally("V02", 10, &[("rice", 1)]);
    if let Command::Tally { zero, .. } = &mut zero_with {
        *zero = true;
    }
    assert!(matches!(fx.reject(zero_with).reason, Reason::ZeroWithLines));
    fx.ok(tally("V02", 10, &[("rice", 1)]));
    let twice = fx.reject(tally("V02", 10, &[]));
    assert!(matches!(twice.reason, Reason::AlreadyTallied { .. }));
    assert!(twice.message(baogong::domain::Lang::Zh).contains("已报送"));
}
