//! Property tests (proptest) of the ledger through the real engine and store: random sequences
//! of restocks, dispatches (to points and villages), receipts and adjustments, valid and invalid,
//! from officers, point clerks and viewers, in group-committed batches, with the clock moving.
//! A model computed independently from the accepted commands predicts which commands are
//! accepted and what stock each point+item holds. Checked: acceptance matches the rules; stock
//! is never negative; stock = restocks + receipts − outflow ± adjustments (from the model and
//! from the daily flow view); `store::check` finds no difference, before and after reopening;
//! a command id sent twice applies once.

use crate::support::fixture::*;
use baogong::api::{Caller, Refusal, Request};
use baogong::domain::command::{AdjustReason, Command, Source};
use baogong::domain::qty::MAX_QTY;
use baogong::domain::{Qty, State};
use baogong::engine::Engine;
use chrono::Duration;
use proptest::prelude::*;
use std::collections::BTreeMap;

const POINTS: [&str; 4] = ["DEPOT", "P01", "P02", "PX"];
const ITEMS: [&str; 3] = ["rice", "mask", "salt"];
const VILLAGES: [&str; 4] = ["V01", "V02", "V03", "V99"];

#[derive(Clone, Debug)]
enum Who {
    Officer,
    Clerk01,
    Viewer,
}

/// A quantity: as given, or relative to what is there (stock at the source, or what was sent),
/// so that the edges (all of it, a thousandth more) come up often.
#[derive(Clone, Copy, Debug)]
enum Amount {
    Raw(i64),
    Edge(i64),
}

#[derive(Clone, Debug)]
enum Op {
    Restock {
        p: usize,
        i: usize,
        q: i64,
    },
    ToPoint {
        from: usize,
        to: usize,
        i: usize,
        q: Amount,
    },
    ToVillage {
        from: usize,
        v: usize,
        i: usize,
        q: Amount,
    },
    /// Receive one of the dispatches made so far (or an unknown one), in full or in part.
    /// `open`: pick among the transfers still in transit, else among all dispatches.
    Receive {
        open: bool,
        which: usize,
        q: Option<Amount>,
    },
    Adjust {
        p: usize,
        i: usize,
        q: Amount,
        reason: usize,
    },
    /// Send an id already accepted again, with its own command or another: only the same user
    /// with the same command gets the first result, anything else is refused.
    Resend {
        which: usize,
    },
}

#[derive(Clone, Debug)]
enum Step {
    /// Commands submitted together (one flush).
    Batch(Vec<(Who, Op)>),
    /// The clock moves on by this many minutes and the alerts are re-evaluated.
    Advance(i64),
}

/// Quantities in thousandths: whole units, fractions, zero, negative, absurd.
fn qty() -> impl Strategy<Value = i64> {
    prop_oneof![
        12 => (1i64..=60).prop_map(|n| n * 1000),
        3 => 1i64..=60_000,
        1 => Just(0i64),
        1 => -20_000i64..0,
        1 => Just(MAX_QTY.0 + 1000),
    ]
}

fn amount() -> impl Strategy<Value = Amount> {
    prop_oneof![
        3 => qty().prop_map(Amount::Raw),
        1 => prop_oneof![Just(0i64), Just(1), Just(-1), Just(1000), Just(-1000), -5000i64..0].prop_map(Amount::Edge),
    ]
}

/// What a receipt says arrived: nothing said (all of it), near what was sent, or anything.
fn received() -> impl Strategy<Value = Option<Amount>> {
    prop_oneof![
        2 => Just(None),
        2 => prop_oneof![Just(0i64), Just(1), Just(-1), Just(1000), Just(-1000), -5000i64..0]
            .prop_map(|e| Some(Amount::Edge(e))),
        1 => qty().prop_map(|q| Some(Amount::Raw(q))),
    ]
}

fn who() -> impl Strategy<Value = Who> {
    prop_oneof![12 => Just(Who::Officer), 2 => Just(Who::Clerk01), 1 => Just(Who::Viewer)]
}

fn op() -> impl Strategy<Value = Op> {
    // Mostly known codes; the last of each list is unknown.
    let p = || prop_oneof![19 => 0usize..3, 1 => Just(3usize)];
    let i = || prop_oneof![19 => 0usize..2, 1 => Just(2usize)];
    // Another point (or, now and then, the same one or an unknown one).
    let other = || prop_oneof![18 => 1usize..3, 1 => Just(0usize), 1 => Just(3usize)];
    prop_oneof![
        4 => (p(), i(), qty()).prop_map(|(p, i, q)| Op::Restock { p, i, q }),
        3 => (p(), other(), i(), amount()).prop_map(|(from, off, i, q)| Op::ToPoint { from, to: if off == 3 { 3 } else { (from + off) % 3 }, i, q }),
        // Mostly a village the point serves (V01 is P01's, V02 and V03 are P02's).
        3 => (p(), prop_oneof![3 => Just(None), 1 => (0usize..4).prop_map(Some)], i(), amount())
            .prop_map(|(from, v, i, q)| Op::ToVillage { from, v: v.unwrap_or([2, 0, 1, 0][from]), i, q }),
        3 => (any::<bool>(), any::<usize>(), received())
            .prop_map(|(open, which, q)| Op::Receive { open, which, q }),
        2 => (p(), i(), amount(), 0usize..5).prop_map(|(p, i, q, reason)| Op::Adjust { p, i, q, reason }),
        1 => any::<usize>().prop_map(|which| Op::Resend { which }),
    ]
}

fn steps() -> impl Strategy<Value = Vec<Step>> {
    let step = prop_oneof![
        5 => proptest::collection::vec((who(), op()), 1..5).prop_map(Step::Batch),
        1 => (1i64..=600).prop_map(Step::Advance),
    ];
    proptest::collection::vec(step, 1..24)
}

fn caller(w: &Who) -> Caller {
    match w {
        Who::Officer => officer(),
        Who::Clerk01 => clerk("P01"),
        Who::Viewer => viewer(),
    }
}

/// A dispatch as the model knows it.
#[derive(Clone, Debug)]
struct Sent {
    to: Option<String>,
    item: String,
    qty: i64,
    received: bool,
}

/// The expected ledger, computed from the accepted commands alone.
#[derive(Default, Debug)]
struct Model {
    /// Stock per point+item in thousandths.
    stock: BTreeMap<(String, String), i64>,
    /// Totals per point+item of each flow column.
    flows: BTreeMap<(String, String), [i64; 6]>,
    dispatches: BTreeMap<u64, Sent>,
    /// Accepted command ids, their sequence numbers, and who sent which command with them.
    accepted: Vec<(String, u64, String, Command)>,
    last_seq: u64,
    next_id: u64,
}

fn known_point(p: &str) -> bool {
    POINTS[..3].contains(&p)
}

fn known_item(i: &str) -> bool {
    ITEMS[..2].contains(&i)
}

/// A moved quantity that passes the rules for this item.
fn good_qty(item: &str, q: i64) -> bool {
    q > 0 && q <= MAX_QTY.0 && (item != "mask" || q % 1000 == 0)
}

/// Whether a caller may write for a point.
fn may_write(who: &Who, point: &str) -> bool {
    match who {
        Who::Officer => true,
        Who::Clerk01 => point == "P01",
        Who::Viewer => false,
    }
}

/// The village's point, for known villages.
fn served_by(v: &str) -> Option<&'static str> {
    match v {
        "V01" => Some("P01"),
        "V02" | "V03" => Some("P02"),
        _ => None,
    }
}

fn resolve(a: Amount, there: i64) -> i64 {
    match a {
        Amount::Raw(q) => q,
        Amount::Edge(off) => there + off,
    }
}

/// What an accepted command does to the model.
type Effect = Box<dyn FnOnce(&mut Model)>;

/// What the model expects of one request.
enum Expect {
    Accepted,
    Rejected,
    /// A resend: the sequence number of the original.
    Duplicate(u64),
}

impl Model {
    fn have(&self, p: &str, i: &str) -> i64 {
        self.stock.get(&(p.to_string(), i.to_string())).copied().unwrap_or(0)
    }

    /// Books a movement of `q` (signed) under one of the flow columns.
    fn add(&mut self, p: &str, i: &str, col: Col, q: i64) {
        *self.stock.entry((p.to_string(), i.to_string())).or_default() += q;
        self.flows.entry((p.to_string(), i.to_string())).or_default()[col as usize] += q.abs();
    }

    fn fresh_id(&mut self) -> String {
        self.next_id += 1;
        format!("p-{}", self.next_id)
    }

    /// Turns an op into a request, predicts the engine's answer and, when accepted, applies it.
    fn step(&mut self, who: &Who, op: &Op) -> (Request, Expect) {
        let seq = self.last_seq + 1;
        let (cmd, ok, effect): (Command, bool, Effect) = match op.clone() {
            Op::Restock { p, i, q } => {
                let (p, i) = (POINTS[p], ITEMS[i]);
                let ok = known_point(p) && known_item(i) && good_qty(i, q) && may_write(who, p);
                let cmd = Command::Restock {
                    point: p.into(),
                    item: i.into(),
                    qty: Qty(q),
                    source: Source::Supplier,
                    batch: None,
                    expiry: None,
                    note: String::new(),
                };
                (cmd, ok, Box::new(move |m: &mut Model| m.add(p, i, Col::Restocked, q)))
            }
            Op::ToPoint { from, to, i, q } => {
                let (from, to, i) = (POINTS[from], POINTS[to], ITEMS[i]);
                let q = resolve(q, self.have(from, i));
                let ok = known_point(from)
                    && known_point(to)
                    && from != to
                    && known_item(i)
                    && good_qty(i, q)
                    && q <= self.have(from, i)
                    && may_write(who, from);
                (
                    to_point(from, to, i, Qty(q)),
                    ok,
                    Box::new(move |m: &mut Model| {
                        m.add(from, i, Col::Transferred, -q);
                        m.dispatches.insert(seq, Sent { to: Some(to.into()), item: i.into(), qty: q, received: false });
                    }),
                )
            }
            Op::ToVillage { from, v, i, q } => {
                let (from, v, i) = (POINTS[from], VILLAGES[v], ITEMS[i]);
                let q = resolve(q, self.have(from, i));
                let ok = known_point(from)
                    && served_by(v).is_some_and(|s| s == from || from == "DEPOT")
                    && known_item(i)
                    && good_qty(i, q)
                    && q <= self.have(from, i)
                    && may_write(who, from);
                (
                    to_village(from, v, i, Qty(q)),
                    ok,
                    Box::new(move |m: &mut Model| {
                        m.add(from, i, Col::Delivered, -q);
                        m.dispatches.insert(seq, Sent { to: None, item: i.into(), qty: q, received: false });
                    }),
                )
            }
            Op::Receive { open, which, q } => {
                let ids: Vec<u64> = self
                    .dispatches
                    .iter()
                    .filter(|(_, d)| !open || (d.to.is_some() && !d.received))
                    .map(|(id, _)| *id)
                    .collect();
                // Now and then (or when there is none) a dispatch that does not exist.
                let id = if ids.is_empty() || which % 10 == 0 { 9_999 } else { ids[which % ids.len()] };
                let sent = self.dispatches.get(&id).cloned();
                let q = q.map(|a| resolve(a, sent.as_ref().map_or(0, |s| s.qty)));
                let ok = match &sent {
                    Some(Sent { to: Some(to), item, qty, received: false }) => {
                        let got = q.unwrap_or(*qty);
                        got >= 0 && got <= *qty && (item != "mask" || got % 1000 == 0) && may_write(who, to)
                    }
                    _ => false,
                };
                let cmd = receive(&format!("D{id}"), q.map(Qty));
                (
                    cmd,
                    ok,
                    Box::new(move |m: &mut Model| {
                        let s = m.dispatches.get_mut(&id).expect("known dispatch");
                        s.received = true;
                        let (to, item, got) = (s.to.clone().unwrap_or_default(), s.item.clone(), q.unwrap_or(s.qty));
                        m.add(&to, &item, Col::Received, got);
                    }),
                )
            }
            Op::Adjust { p, i, q, reason } => {
                let (p, i) = (POINTS[p], ITEMS[i]);
                let reason = AdjustReason::ALL[reason];
                let q = resolve(q, self.have(p, i));
                // Counted goes either way; damaged, expired and lost take away; found adds.
                let delta = match reason {
                    AdjustReason::Found => q,
                    AdjustReason::Counted if q % 2 == 0 => q,
                    _ => -q,
                };
                let mag = delta.abs();
                let ok = known_point(p)
                    && known_item(i)
                    && delta != 0
                    && mag <= MAX_QTY.0
                    && (i != "mask" || mag % 1000 == 0)
                    && (delta > 0 || mag <= self.have(p, i))
                    && may_write(who, p);
                let cmd = Command::Adjust {
                    point: p.into(),
                    item: i.into(),
                    delta: Qty(delta),
                    reason,
                    batch: None,
                    note: String::new(),
                };
                let col = if delta > 0 { Col::AdjustedIn } else { Col::AdjustedOut };
                (cmd, ok, Box::new(move |m: &mut Model| m.add(p, i, col, delta)))
            }
            Op::Resend { which } => {
                if self.accepted.is_empty() {
                    // Nothing to resend yet: an ordinary restock instead.
                    return self.step(who, &Op::Restock { p: 1, i: 0, q: 1000 });
                }
                let (id, seq, user, first) = self.accepted[which % self.accepted.len()].clone();
                let cmd = if which % 2 == 0 { first.clone() } else { restock("P01", "rice", u(1)) };
                let same = caller(who).user == user && cmd == first;
                return (Request { cmd_id: id, cmd }, if same { Expect::Duplicate(seq) } else { Expect::Rejected });
            }
        };
        let id = self.fresh_id();
        if ok {
            effect(self);
            self.last_seq = seq;
            self.accepted.push((id.clone(), seq, caller(who).user, cmd.clone()));
            (Request { cmd_id: id, cmd }, Expect::Accepted)
        } else {
            (Request { cmd_id: id, cmd }, Expect::Rejected)
        }
    }
}

/// Stock per point+item as the engine holds it (pairs with no stock left out).
fn engine_stock(state: &State) -> BTreeMap<(String, String), i64> {
    let mut out = BTreeMap::new();
    for l in state.lots.values() {
        *out.entry((l.point.clone(), l.item.clone())).or_insert(0) += l.qty.0;
    }
    out
}

/// The columns of the daily flow view.
#[derive(Clone, Copy, Debug)]
enum Col {
    Restocked,
    Received,
    Delivered,
    Transferred,
    AdjustedIn,
    AdjustedOut,
}

/// Totals per point+item of each flow column, summed over the days.
fn flow_totals(state: &State) -> BTreeMap<(String, String), [i64; 6]> {
    let mut out: BTreeMap<(String, String), [i64; 6]> = BTreeMap::new();
    for f in state.flows.values() {
        let t = out.entry((f.point.clone(), f.item.clone())).or_default();
        for (k, q) in
            [f.restocked, f.received, f.delivered, f.transferred, f.adjusted_in, f.adjusted_out].into_iter().enumerate()
        {
            t[k] += q.0;
        }
    }
    out
}

/// Stock per point+item summed from the daily flows: restocks + receipts − outflow ± adjustments.
fn flow_stock(state: &State) -> BTreeMap<(String, String), i64> {
    let mut out = BTreeMap::new();
    for f in state.flows.values() {
        let net = f.restocked.0 + f.received.0 + f.adjusted_in.0 - f.delivered.0 - f.transferred.0 - f.adjusted_out.0;
        *out.entry((f.point.clone(), f.item.clone())).or_insert(0) += net;
    }
    out.retain(|_, v| *v != 0);
    out
}

fn nonzero(m: &BTreeMap<(String, String), i64>) -> BTreeMap<(String, String), i64> {
    m.iter().filter(|(_, v)| **v != 0).map(|(k, v)| (k.clone(), *v)).collect()
}

fn assert_clean(engine: &Engine) -> Result<(), TestCaseError> {
    let report = baogong::store::check(engine.store()).expect("check runs");
    prop_assert!(report.is_clean(), "check: {:?}", report.differences);
    prop_assert_eq!(report.events, engine.state().last_seq);
    Ok(())
}

fn run(steps: Vec<Step>) -> Result<(), TestCaseError> {
    let mut fx = Fx::new();
    let mut model = Model { last_seq: fx.engine.state().last_seq, ..Model::default() };
    // Opening stock everywhere, so that most moves have something to move.
    let opening: Vec<(Who, Op)> =
        (0..3).flat_map(|p| (0..2).map(move |i| (Who::Officer, Op::Restock { p, i, q: 100_000 }))).collect();
    for step in std::iter::once(Step::Batch(opening)).chain(steps) {
        match step {
            Step::Advance(minutes) => {
                fx.clock.advance(Duration::minutes(minutes));
                fx.engine.tick().expect("tick");
                model.last_seq = fx.engine.state().last_seq;
            }
            Step::Batch(ops) => {
                let seq_before = fx.engine.state().last_seq;
                let mut reqs = Vec::new();
                let mut expects = Vec::new();
                for (who, op) in &ops {
                    let (req, expect) = model.step(who, op);
                    reqs.push((caller(who), req));
                    expects.push(expect);
                }
                let shown: Vec<String> = reqs.iter().map(|(c, r)| format!("{:?} {:?}", c.access, r.cmd)).collect();
                let replies = fx.engine.submit_batch(reqs);
                prop_assert_eq!(replies.len(), expects.len());
                let mut seq = seq_before;
                for ((reply, expect), shown) in replies.iter().zip(&expects).zip(&shown) {
                    match (reply, expect) {
                        (Ok(o), Expect::Accepted) => {
                            seq += 1;
                            prop_assert!(!o.duplicate, "{}", shown);
                            prop_assert_eq!(o.seq, seq, "{}", shown);
                        }
                        (Ok(o), Expect::Duplicate(first)) => {
                            prop_assert!(o.duplicate, "resend not reported as duplicate: {}", shown);
                            prop_assert_eq!(o.seq, *first);
                        }
                        (Err(Refusal::Rejected(_)), Expect::Rejected) => {}
                        (other, Expect::Accepted) => {
                            prop_assert!(false, "expected {} accepted, got {:?}", shown, other)
                        }
                        (other, _) => prop_assert!(false, "unexpected reply to {}: {:?}", shown, other),
                    }
                }
                prop_assert_eq!(fx.engine.state().last_seq, seq, "one event per accepted command, none for others");
            }
        }
        let state = fx.engine.state();
        prop_assert!(state.lots.values().all(|l| l.qty > Qty::ZERO), "a lot at or below zero: {:?}", state.lots);
        prop_assert_eq!(engine_stock(state), nonzero(&model.stock));
    }
    let state = fx.engine.state();
    prop_assert!(model.stock.values().all(|q| *q >= 0));
    prop_assert_eq!(flow_stock(state), nonzero(&model.stock), "flows disagree with the model");
    let nonempty = |m: BTreeMap<(String, String), [i64; 6]>| -> BTreeMap<(String, String), [i64; 6]> {
        m.into_iter().filter(|(_, v)| v.iter().any(|x| *x != 0)).collect()
    };
    prop_assert_eq!(nonempty(flow_totals(state)), nonempty(model.flows.clone()), "flow columns disagree");
    for (p, i) in model.stock.keys() {
        prop_assert_eq!(state.qty(p, i).0, model.have(p, i));
    }
    // Every accepted id is in the log exactly once.
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for ev in fx.engine.store().events() {
        *counts.entry(ev.expect("readable event").cmd_id).or_default() += 1;
    }
    for (id, seq, _, _) in &model.accepted {
        prop_assert_eq!(counts.get(id).copied(), Some(1), "id {}", id);
        prop_assert_eq!(fx.engine.store().seen(id).expect("seen"), Some(*seq));
    }
    prop_assert!(counts.values().all(|n| *n == 1), "an id recorded twice");
    assert_clean(&fx.engine)?;

    // Reopen: the stored views give the same stock, check is still clean, resends still apply once.
    let before = fx.engine.state().lots.clone();
    let mut fx = fx.reopen();
    prop_assert_eq!(&fx.engine.state().lots, &before);
    prop_assert_eq!(engine_stock(fx.engine.state()), nonzero(&model.stock));
    assert_clean(&fx.engine)?;
    if let Some((id, seq, user, cmd)) = model.accepted.last().cloned() {
        let who = [Who::Officer, Who::Clerk01, Who::Viewer].into_iter().find(|w| caller(w).user == user);
        let o = fx.engine.submit(&caller(&who.expect("a known user")), Request { cmd_id: id, cmd });
        let o = o.expect("resend answered");
        prop_assert!(o.duplicate);
        prop_assert_eq!(o.seq, seq);
        prop_assert_eq!(engine_stock(fx.engine.state()), nonzero(&model.stock));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn random_sequences_keep_the_ledger_consistent(steps in steps()) {
        run(steps)?;
    }

    /// Any accepted command sent twice (one after the other, or twice in one batch) is one event.
    #[test]
    fn the_same_id_twice_applies_once(op in op(), together in any::<bool>()) {
        let mut fx = Fx::new();
        fx.ok(restock("P01", "rice", u(100)));
        fx.ok(restock("P01", "mask", u(100)));
        fx.ok(restock("DEPOT", "rice", u(100)));
        let mut model = Model { last_seq: fx.engine.state().last_seq, ..Model::default() };
        for (p, i) in [("P01", "rice"), ("P01", "mask"), ("DEPOT", "rice")] {
            model.add(p, i, Col::Restocked, 100_000);
        }
        let (req, expect) = model.step(&Who::Officer, &op);
        let first_seq = fx.engine.state().last_seq + 1;
        let replies = if together {
            fx.engine.submit_batch(vec![(officer(), req.clone()), (officer(), req.clone())])
        } else {
            let a = fx.engine.submit(&officer(), req.clone());
            let b = fx.engine.submit(&officer(), req.clone());
            vec![a, b]
        };
        let n = fx.engine.store().events().filter(|e| e.as_ref().expect("event").cmd_id == req.cmd_id).count();
        match expect {
            Expect::Accepted => {
                let (a, b) = (replies[0].as_ref().expect("first"), replies[1].as_ref().expect("second"));
                prop_assert!(!a.duplicate && b.duplicate);
                prop_assert_eq!((a.seq, b.seq), (first_seq, first_seq));
                prop_assert_eq!(n, 1);
                prop_assert_eq!(fx.engine.state().last_seq, first_seq);
            }
            _ => {
                // A rejected id is not remembered: both attempts are rejected, nothing recorded.
                prop_assert!(replies.iter().all(|r| matches!(r, Err(Refusal::Rejected(_)))));
                prop_assert_eq!(n, 0);
                prop_assert_eq!(fx.engine.state().last_seq, first_seq - 1);
            }
        }
        prop_assert_eq!(engine_stock(fx.engine.state()), nonzero(&model.stock));
        assert_clean(&fx.engine)?;
    }
}
