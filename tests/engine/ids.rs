//! Command ids in the engine: an id is bound to the user who first used it and to that command
//! (another user, or another command, is refused with field `id` and changes nothing, one by
//! one and within one batch); an id is at most 128 bytes of `[A-Za-z0-9._:-]`; every id the
//! program makes itself (auto ids, the console's generator, import ids) fits that rule.

use crate::support::fixture::*;
use baogong::api::{self, check_id, Caller, Refusal, Reply, Request};
use baogong::domain::{Lang, Reason, Rejection};
use baogong::tui::model::IdGen;

fn req(id: &str, qty: i64) -> Request {
    Request { cmd_id: id.into(), cmd: restock("P01", "rice", u(qty)) }
}

fn refused(reply: &Reply) -> &Rejection {
    match reply {
        Err(Refusal::Rejected(r)) => r,
        other => panic!("expected a rejection, got {other:?}"),
    }
}

/// Submits `r` and expects it refused on field `id`, with nothing changed.
fn refused_id(fx: &mut Fx, caller: &Caller, r: Request) -> Reason {
    let (seq, rice) = (fx.engine.state().last_seq, fx.qty("P01", "rice"));
    let reply = fx.engine.submit(caller, r);
    let rej = refused(&reply).clone();
    assert_eq!(rej.field, "id", "{rej:?}");
    assert_eq!((fx.engine.state().last_seq, fx.qty("P01", "rice")), (seq, rice), "a refused id changed something");
    rej.reason
}

#[test]
fn an_id_answers_only_its_own_user_and_command() {
    let mut fx = Fx::new();
    let clerk = clerk("P01");
    // The clerk takes an id first (the issue's squat).
    let first = fx.engine.submit(&clerk, req("cron-2026-12-01-P01-rice", 5)).expect("clerk's restock");
    // The officer's real command under that id is refused, not "already applied".
    let why = refused_id(&mut fx, &officer(), req("cron-2026-12-01-P01-rice", 500));
    assert_eq!(why, Reason::IdOfOtherUser { id: "cron-2026-12-01-P01-rice".into() });
    // Even the clerk's exact command from another user.
    refused_id(&mut fx, &officer(), req("cron-2026-12-01-P01-rice", 5));
    // The clerk with another command under the same id.
    let why = refused_id(&mut fx, &clerk, req("cron-2026-12-01-P01-rice", 6));
    assert_eq!(why, Reason::IdForOtherCommand { id: "cron-2026-12-01-P01-rice".into() });
    // The clerk's resend returns the first result, also after reopening.
    let again = fx.engine.submit(&clerk, req("cron-2026-12-01-P01-rice", 5)).expect("resend");
    assert!(again.duplicate && again.seq == first.seq);
    let mut fx = fx.reopen();
    refused_id(&mut fx, &officer(), req("cron-2026-12-01-P01-rice", 500));
    let again = fx.engine.submit(&clerk, req("cron-2026-12-01-P01-rice", 5)).expect("resend");
    assert!(again.duplicate && again.seq == first.seq);
    assert_eq!(fx.qty("P01", "rice"), u(5));
    fx.assert_check_clean();
}

#[test]
fn within_one_batch_an_id_is_bound_the_same_way() {
    let mut fx = Fx::new();
    let seq = fx.engine.state().last_seq;
    let replies = fx.engine.submit_batch(vec![
        (clerk("P01"), req("b-1", 5)),
        (officer(), req("b-1", 5)),
        (clerk("P01"), req("b-1", 7)),
        (clerk("P01"), req("b-1", 5)),
    ]);
    let first = replies[0].as_ref().expect("first");
    assert_eq!(refused(&replies[1]).reason, Reason::IdOfOtherUser { id: "b-1".into() });
    assert_eq!(refused(&replies[2]).reason, Reason::IdForOtherCommand { id: "b-1".into() });
    let dup = replies[3].as_ref().expect("resend");
    assert!(dup.duplicate && dup.seq == first.seq);
    assert_eq!((fx.engine.state().last_seq, fx.qty("P01", "rice")), (seq + 1, u(5)));
    // An all-or-nothing batch with a reused id is refused whole.
    let replies = fx.engine.submit_atomic(vec![(officer(), req("b-2", 1)), (officer(), req("b-1", 5))]);
    assert!(replies.iter().all(Result::is_err), "{replies:?}");
    assert_eq!(fx.qty("P01", "rice"), u(5));
    fx.assert_check_clean();
}

#[test]
fn the_refusal_reads_in_both_languages() {
    let mut fx = Fx::new();
    fx.engine.submit(&officer(), req("x-1", 1)).expect("first");
    let reply = fx.engine.submit(&officer(), req("x-1", 2));
    let rej = refused(&reply);
    assert_eq!(rej.message(Lang::En), "id: x-1 was already used for a different command; nothing changed");
    assert_eq!(rej.message(Lang::Zh), "命令编号: x-1 已用于另一条命令;未做任何更改");
    let reply = fx.engine.submit(&clerk("P01"), req("x-1", 1));
    assert!(refused(&reply).message(Lang::En).contains("by another user"));
    let reply = fx.engine.submit(&officer(), req("x 1", 1));
    assert_eq!(
        refused(&reply).message(Lang::En),
        "id: may hold only letters A-Z a-z, digits and . _ : - (at most 128)"
    );
    assert!(refused(&reply).message(Lang::Zh).starts_with("命令编号: 只能由字母"));
}

#[test]
fn an_id_is_at_most_128_bytes_of_letters_digits_and_dot_underscore_colon_dash() {
    let mut fx = Fx::new();
    let longest = "a".repeat(128);
    let every = "azAZ09._:-";
    for (n, good) in [longest.as_str(), every, "7", "import-stock:2:P01:rice"].into_iter().enumerate() {
        let o = fx.engine.submit(&officer(), req(good, n as i64 + 1));
        assert!(o.is_ok_and(|o| !o.duplicate), "{good} refused");
    }
    let huge = "x".repeat(120 * 1024);
    let too_long = "a".repeat(129);
    let bad = [
        too_long.as_str(),
        huge.as_str(),
        "a b",
        "line\nforged",
        "a\r",
        "a/b",
        "a~b",
        "a\u{200b}b",
        "张三-1",
        "Р01",
        "a\0",
        "%41",
        "'; --",
    ];
    for id in bad {
        let why = refused_id(&mut fx, &officer(), req(id, 1));
        assert_eq!(why, Reason::BadId { max: 128 }, "{id:?}");
        assert!(check_id(id).is_err());
    }
    // No command id is needed: the engine makes one that fits.
    let o = fx.engine.submit(&officer(), req("", 1)).expect("auto id");
    assert!(check_id(&o.cmd_id).is_ok(), "{}", o.cmd_id);
    fx.assert_check_clean();
}

#[test]
fn every_id_the_program_makes_fits_the_rule() {
    let long = "长".repeat(200);
    for name in ["alice", "张三", "o'brien smith", "", "a\nb", long.as_str(), &"x".repeat(300)] {
        let fresh = api::fresh_id(name);
        assert!(check_id(&fresh).is_ok(), "fresh_id({name:?}) = {fresh}");
        let mut ids = IdGen::new(name);
        let made = ids.next_id();
        assert!(check_id(&made).is_ok(), "IdGen::new({name:?}) made {made}");
        let mut console = IdGen::new(fresh);
        assert!(check_id(&console.next_id()).is_ok());
        let part = api::id_part(name);
        assert!(check_id(&part).is_ok() && !part.is_empty(), "id_part({name:?}) = {part}");
    }
    // A valid name stands as it is; others are hashed the same way every time.
    assert!(api::fresh_id("alice").starts_with("alice-"));
    assert_eq!(IdGen::new("alice").next_id(), "alice-1");
    assert_eq!(api::id_part("张三"), api::id_part("张三"));
    assert_ne!(api::id_part("张三"), api::id_part("李四"));
    let built = api::fit_id("import-stock:3:", &format!("测试点:rice:5000:{}:", "批".repeat(60)));
    assert!(check_id(&built).is_ok() && built.starts_with("import-stock:3:"), "{built}");
    assert_eq!(api::fit_id("import-stock:3:", "P01:rice:5000::"), "import-stock:3:P01:rice:5000::");
}
