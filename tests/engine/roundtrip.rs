//! Export → import round trip over random histories (proptest): whatever mix of restocks,
//! transfers, receipts, deliveries, stock-takes, prices, reports, acknowledgements, households,
//! hotline cases and their steps, named deliveries and clock moves the engine accepted, restoring its event log into an empty store gives the same event
//! log, the same views (the states loaded from both stores are equal) and a clean `check`.

use crate::support::fixture::*;
use baogong::domain::command::{AdjustReason, Command};
use baogong::domain::hotline::CaseKind;
use baogong::domain::household::{HouseholdChange, NeedSpec};
use baogong::domain::{Event, Fen};
use baogong::engine::{Engine, ManualClock};
use baogong::store::{self, Store};
use chrono::Duration;
use proptest::prelude::*;
use std::sync::Arc;

#[derive(Debug, Clone)]
enum Op {
    Restock(usize, usize, i64),
    Transfer(usize, usize, i64),
    Receive(Option<i64>),
    Deliver(usize, i64),
    Adjust(usize, usize, i64),
    Price(usize, i64),
    Report(usize, bool),
    Ack,
    Wait(i64),
    /// A household of a village with a rice need every N days (a change when it exists).
    Household(usize, u32),
    /// A call about a village (or its household), and a step on the oldest case.
    Case(usize, bool),
    CaseStep(u8),
    /// A named delivery to the first household.
    Named(i64),
}

const POINTS: [&str; 3] = ["DEPOT", "P01", "P02"];
const ITEMS: [&str; 2] = ["rice", "mask"];
const VILLAGES: [(&str, &str); 3] = [("P01", "V01"), ("P02", "V02"), ("P02", "V03")];

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..3usize, 0..2usize, 1..500i64).prop_map(|(p, i, q)| Op::Restock(p, i, q)),
        (0..3usize, 0..3usize, 1..300i64).prop_map(|(a, b, q)| Op::Transfer(a, b, q)),
        proptest::option::of(0..300i64).prop_map(Op::Receive),
        (0..3usize, 1..200i64).prop_map(|(v, q)| Op::Deliver(v, q)),
        (0..3usize, 0..2usize, -100..100i64).prop_map(|(p, i, d)| Op::Adjust(p, i, d)),
        (1..3usize, 100..2000i64).prop_map(|(p, f)| Op::Price(p, f)),
        (1..3usize, any::<bool>()).prop_map(|(p, z)| Op::Report(p, z)),
        Just(Op::Ack),
        (1..30i64).prop_map(Op::Wait),
        (0..3usize, 0..9u32).prop_map(|(v, n)| Op::Household(v, n)),
        (0..3usize, any::<bool>()).prop_map(|(v, u)| Op::Case(v, u)),
        (0..4u8).prop_map(Op::CaseStep),
        (1..20i64).prop_map(Op::Named),
    ]
}

fn command(fx: &Fx, op: &Op) -> Option<Command> {
    let state = fx.engine.state();
    Some(match op {
        Op::Restock(p, i, q) => restock(POINTS[*p], ITEMS[*i], u(*q)),
        Op::Transfer(a, b, q) => to_point(POINTS[*a], POINTS[*b], "rice", u(*q)),
        Op::Receive(q) => {
            let d = state
                .dispatches
                .values()
                .find(|d| d.received_qty.is_none() && matches!(d.to, baogong::domain::Dest::Point(_)))?;
            receive(&format!("D{}", d.id), q.map(u))
        }
        Op::Deliver(v, q) => to_village(VILLAGES[*v].0, VILLAGES[*v].1, "rice", u(*q)),
        Op::Adjust(p, i, d) => Command::Adjust {
            point: POINTS[*p].into(),
            item: ITEMS[*i].into(),
            delta: u(*d),
            reason: AdjustReason::Counted,
            batch: None,
            note: String::new(),
        },
        Op::Price(p, f) => Command::Price { point: POINTS[*p].into(), item: "rice".into(), fen: Fen(*f) },
        Op::Report(p, z) => Command::Report {
            point: POINTS[*p].into(),
            date: fx.clock_now().date_naive(),
            zero: *z,
            note: String::new(),
        },
        Op::Ack => {
            let a = state.alerts.values().find(|a| a.acked_by.is_none())?;
            Command::Ack { alert: format!("A{}", a.id) }
        }
        Op::Wait(_) => return None,
        Op::Household(v, every) => Command::Households {
            changes: vec![HouseholdChange {
                code: format!("H{v}"),
                name: Some("王秀英".into()),
                village: Some(VILLAGES[*v].1.into()),
                phone: Some("13812345678".into()),
                needs: Some(vec![NeedSpec { item: "rice".into(), qty: u(5), every_days: *every }]),
                ..HouseholdChange::default()
            }],
        },
        Op::Case(v, urgent) => Command::Case {
            caller: "张三".into(),
            phone: "13700000000".into(),
            village: Some(VILLAGES[*v].1.into()),
            household: None,
            kind: CaseKind::Shortage,
            item: Some("rice".into()),
            text: "没有米了".into(),
            urgent: *urgent,
        },
        Op::CaseStep(n) => {
            let case = format!("K{}", state.cases.keys().next()?);
            match n {
                0 => Command::AssignCase { case, to: ALICE.into() },
                1 => Command::ResolveCase { case, text: "已处理".into(), request: None },
                2 => Command::ReopenCase { case },
                _ => Command::CloseCase { case },
            }
        }
        Op::Named(q) => {
            let h = state.households.values().next()?;
            let d =
                state.dispatches.values().rev().find(|d| d.to == baogong::domain::Dest::Village(h.village.clone()))?;
            Command::Deliver {
                dispatch: format!("D{}", d.id),
                qty: u(*q),
                signed_by: "王秀英".into(),
                note: String::new(),
                household: Some(h.code.clone()),
            }
        }
    })
}

fn log_of(store: &Store) -> Vec<Event> {
    store.events().collect::<Result<Vec<_>, _>>().expect("readable log")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn export_then_restore_gives_the_same_store(ops in proptest::collection::vec(op(), 1..60)) {
        let mut fx = Fx::new();
        for o in &ops {
            if let Op::Wait(h) = o {
                fx.clock.advance(Duration::hours(*h));
                fx.tick_at(fx.clock_now());
                continue;
            }
            if let Some(cmd) = command(&fx, o) {
                let caller = officer();
                let _ = fx.submit(&caller, cmd);
            }
        }
        let log = log_of(fx.engine.store());
        let now = fx.clock_now();
        let tmp = tempfile::tempdir().expect("tmp");
        let mut restored = Engine::open(tmp.path(), Arc::new(ManualClock::new(now)), Default::default()).expect("open");
        for chunk in log.chunks(7) {
            restored.restore(chunk).expect("restore");
        }
        let b = restored.store();
        prop_assert_eq!(log_of(b), log.clone());
        prop_assert!(store::check(b).expect("check").is_clean());
        let today = now.date_naive();
        let a_state = fx.engine.store().load_state(today).expect("load original");
        let b_state = b.load_state(today).expect("load restored");
        prop_assert_eq!(a_state, b_state);
    }
}
