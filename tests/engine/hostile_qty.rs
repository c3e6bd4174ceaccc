//! Extreme quantities through the engine: every command that carries one (restock, dispatch to a
//! point and to a village, receive, adjust up and down, price) with i64::MIN/MAX, MAX_QTY±1,
//! ±1 and 0, at random. Nothing panics, stock is never negative, a quantity out of range is
//! rejected and changes nothing, and `check` stays clean. A restore refuses an event whose
//! arithmetic is wrong, naming it. Imports `baogong` and `support` only.

use crate::support::fixture::*;
use baogong::api::Refusal;
use baogong::domain::command::{AdjustReason, Command, LotTake, Resolved};
use baogong::domain::qty::{Fen, MAX_QTY};
use baogong::domain::Qty;
use baogong::engine::{Engine, ManualClock};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::cell::RefCell;
use std::sync::Arc;

fn extreme() -> impl Strategy<Value = i64> {
    prop_oneof![
        Just(i64::MIN),
        Just(i64::MIN + 1),
        Just(i64::MAX),
        Just(MAX_QTY.0),
        Just(MAX_QTY.0 + 1),
        Just(MAX_QTY.0 - 1),
        Just(-MAX_QTY.0),
        Just(-MAX_QTY.0 - 1),
        Just(0),
        Just(1),
        Just(-1),
        Just(1000),
        any::<i64>(),
    ]
}

fn command(kind: u8, q: i64, last_dispatch: &str) -> Command {
    let qty = Qty(q);
    match kind % 7 {
        0 => restock("P01", "rice", qty),
        1 => to_point("P01", "P02", "rice", qty),
        2 => to_village("P01", "V01", "rice", qty),
        3 => receive(last_dispatch, Some(qty)),
        4 | 5 => Command::Adjust {
            point: "P01".into(),
            item: "rice".into(),
            delta: if kind % 7 == 4 { qty } else { Qty(q.saturating_neg()) },
            reason: AdjustReason::Counted,
            batch: None,
            note: String::new(),
        },
        _ => Command::Price { point: "P01".into(), item: "rice".into(), fen: Fen(q) },
    }
}

/// Whether a command with this quantity must be refused whatever the stock.
fn out_of_range(kind: u8, q: i64) -> bool {
    match kind % 7 {
        3 => q < 0,
        4 | 5 => q == 0 || q.checked_abs().is_none_or(|a| a > MAX_QTY.0),
        6 => q <= 0,
        _ => q <= 0 || q > MAX_QTY.0,
    }
}

#[test]
fn extreme_quantities_never_panic_nor_make_stock_negative() {
    let fx = RefCell::new(Fx::new());
    fx.borrow_mut().ok(restock("P01", "rice", u(500)));
    let ops = prop::collection::vec((0u8..7, extreme()), 1..12);
    let mut runner = TestRunner::new(Config { cases: 48, failure_persistence: None, ..Config::default() });
    runner
        .run(&ops, |ops| {
            let mut fx = fx.borrow_mut();
            let mut last = String::from("D1");
            for (kind, q) in ops {
                let before = fx.engine.state().clone();
                let reply = fx.submit(&officer(), command(kind, q, &last));
                if out_of_range(kind, q) {
                    prop_assert!(matches!(reply, Err(Refusal::Rejected(_))), "{kind} {q} accepted: {reply:?}");
                    prop_assert_eq!(fx.engine.state(), &before, "a refusal changed the state");
                }
                if let Ok(o) = &reply {
                    if let Some(d) = fx.engine.store().event(o.seq).ok().flatten().and_then(|e| e.resolved.dispatch) {
                        last = d;
                    }
                }
                for lot in fx.engine.state().lots.values() {
                    prop_assert!(lot.qty > Qty::ZERO, "stock {} at {} after {} {}", lot.qty, lot.point, kind, q);
                }
            }
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
    fx.borrow().assert_check_clean();
}

#[test]
fn adjust_by_i64_min_is_refused() {
    let mut fx = Fx::new();
    fx.ok(restock("P01", "rice", u(10)));
    for delta in [i64::MIN, i64::MIN + 1, -MAX_QTY.0 - 1] {
        let cmd = Command::Adjust {
            point: "P01".into(),
            item: "rice".into(),
            delta: Qty(delta),
            reason: AdjustReason::Counted,
            batch: None,
            note: String::new(),
        };
        let r = fx.reject(cmd);
        assert_eq!(r.field, "delta", "{r}");
    }
    assert_eq!(fx.qty("P01", "rice"), u(10));
}

/// Restores `events` into a fresh store; the error names the event at fault.
fn restore(events: &[baogong::domain::Event]) -> Result<(), String> {
    let dir = tempfile::tempdir().expect("temp dir");
    let clock = Arc::new(ManualClock::new(t0()));
    let mut engine = Engine::open(dir.path(), clock, Default::default()).expect("open engine");
    engine.restore(events)
}

#[test]
fn restore_refuses_events_whose_arithmetic_is_wrong() {
    let mut fx = Fx::new();
    fx.ok(restock("P01", "rice", u(10)));
    let good: Vec<_> =
        (1..=fx.engine.state().last_seq).filter_map(|s| fx.engine.store().event(s).ok().flatten()).collect();
    assert_eq!(restore(&good), Ok(()), "the log as recorded restores");
    let mut next = good.last().cloned().expect("an event");
    next.seq += 1;
    next.cmd_id = "crafted".into();
    let huge = Qty(99_999_666 * 1000);
    let crafted = [
        // Dispatching far more than the stock: -99,989,656 kg on base.
        (to_village("P01", "V01", "rice", huge), vec![LotTake { batch: String::new(), expiry: None, qty: huge }]),
        // An adjustment by i64::MIN.
        (
            Command::Adjust {
                point: "P01".into(),
                item: "rice".into(),
                delta: Qty(i64::MIN),
                reason: AdjustReason::Counted,
                batch: None,
                note: String::new(),
            },
            vec![],
        ),
        // A restock whose batches say more than its quantity.
        (restock("P01", "rice", u(1)), vec![LotTake { batch: String::new(), expiry: None, qty: Qty(i64::MAX) }]),
        // A restock beyond MAX_QTY.
        (
            restock("P01", "rice", Qty(MAX_QTY.0 + 1)),
            vec![LotTake { batch: String::new(), expiry: None, qty: Qty(MAX_QTY.0 + 1) }],
        ),
    ];
    for (cmd, lots) in crafted {
        let mut ev = next.clone();
        ev.cmd = cmd;
        ev.resolved = Resolved { lots, ..Resolved::default() };
        let mut log = good.clone();
        log.push(ev);
        let err = restore(&log).expect_err("a crafted event is refused");
        assert!(err.contains(&format!("event {}", next.seq)), "names the event: {err}");
    }
}
