//! The engine: the single writer. For each command it checks the caller's access and the rules,
//! applies it to the state, evaluates the alerts it may change, commits events and views in one
//! transaction, and acknowledges only after the store has flushed. Commands that arrive together
//! share one transaction and one flush (group commit). Time comes from an injected clock.
//! Imports the api types, the domain and the store; never the link, the cli or a face.

mod clock;
mod handle;

pub use clock::{Clock, ManualClock, SystemClock};
pub use handle::{EngineHandle, MAX_BATCH};

use crate::api::{check_id, check_resend, fresh_id, Caller, Fault, Outcome, Refusal, Reply, Request};
use crate::domain::alerts::Thresholds;
use crate::domain::command::{Command, Dest, Event, Face};
use crate::domain::demand::DemandSettings;
use crate::domain::retention::HOT_CLOSED_DISPATCHES;
use crate::domain::rules::alerts::{self, Scope};
use crate::domain::rules::validate::{validate, Ctx};
use crate::domain::state::Dispatch;
use crate::domain::state::ViewKey;
use crate::domain::State;
use crate::store::{Store, StoreError};
use chrono::{DateTime, FixedOffset, NaiveDate};
use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;

/// An event applied to the state, with the view rows it touched, waiting to be written.
type Applied = (Event, Vec<ViewKey>);

/// A function told of each durable event.
type Listener = Box<dyn FnMut(&Event) + Send>;

pub struct Engine {
    store: Store,
    state: State,
    clock: Arc<dyn Clock>,
    thresholds: Thresholds,
    pruned_on: Option<NaiveDate>,
    /// Dispatches held in memory after the last prune.
    dispatches_after_prune: usize,
    /// Called with every committed, flushed event (live push to faces).
    listeners: Vec<Listener>,
    /// The last batch failed to write and the store was reopened: try it once more.
    retry_after_reopen: bool,
    /// The day every alert rule was last evaluated. The rules about a pair read the clock only
    /// through the date, so within that day a command evaluates only what it can change.
    evaluated_on: Option<NaiveDate>,
    /// Seeding an empty store: batches are written without a flush each (see `defer_flush`).
    flush_deferred: bool,
    /// Who approves requests (`[demand]` in baogong.toml).
    demand: DemandSettings,
}

impl Engine {
    pub fn open(dir: &Path, clock: Arc<dyn Clock>, thresholds: Thresholds) -> Result<Engine, StoreError> {
        let store = Store::open(dir)?;
        let state = store.load_state(clock.now().date_naive())?;
        Ok(Engine {
            store,
            state,
            clock,
            thresholds,
            pruned_on: None,
            dispatches_after_prune: 0,
            listeners: Vec::new(),
            retry_after_reopen: false,
            evaluated_on: None,
            flush_deferred: false,
            demand: DemandSettings::default(),
        })
    }

    /// The demand settings the rules use from now on (`[demand]` in baogong.toml).
    pub fn set_demand(&mut self, demand: DemandSettings) {
        self.demand = demand;
    }

    pub fn state(&self) -> &State {
        &self.state
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn thresholds(&self) -> &Thresholds {
        &self.thresholds
    }

    pub fn now(&self) -> DateTime<FixedOffset> {
        self.clock.now()
    }

    /// While on, batches commit without flushing each one; turning it off flushes. Only for
    /// seeding an empty store, whose history is not acknowledged to anyone until it is whole (a
    /// crash mid-seed leaves a store to delete either way): a flush per step was most of the
    /// demo town's first-run time.
    pub fn defer_flush(&mut self, on: bool) -> Result<(), StoreError> {
        self.flush_deferred = on;
        if on {
            Ok(())
        } else {
            self.store.flush()
        }
    }

    /// Registers a function called with each event once it is durable.
    pub fn on_commit(&mut self, f: impl FnMut(&Event) + Send + 'static) {
        self.listeners.push(Box::new(f));
    }

    /// Applies one command and flushes before answering.
    pub fn submit(&mut self, caller: &Caller, req: Request) -> Reply {
        self.submit_batch(vec![(caller.clone(), req)]).pop().unwrap_or(Err(Refusal::Fault(Fault::Stopped)))
    }

    /// Applies commands in order, then writes all their events and view rows in one transaction
    /// with one flush (group commit): the batch is saved whole or not at all.
    ///
    /// When the store cannot write (disk full, read-only, I/O error) the batch is refused with
    /// that reason and the store is reopened so that memory matches the disk again; while it
    /// cannot even be reopened every command is refused, and each new command tries again, so
    /// writing resumes by itself once the fault is gone. A batch whose write failed is tried
    /// once more on the reopened store: sled's background flusher may have met the fault (and
    /// poisoned the store) before this batch, which would then fail for an older reason.
    pub fn submit_batch(&mut self, reqs: Vec<(Caller, Request)>) -> Vec<Reply> {
        self.batch(reqs, false)
    }

    /// Like `submit_batch`, but all or nothing (an import, a scenario): when any command is
    /// refused, none is recorded, and each one that would have applied answers that the batch
    /// was refused. (`submit_batch` folds unrelated callers' commands into one flush, so there
    /// one refusal must not undo the others.)
    pub fn submit_atomic(&mut self, reqs: Vec<(Caller, Request)>) -> Vec<Reply> {
        self.batch(reqs, true)
    }

    fn batch(&mut self, reqs: Vec<(Caller, Request)>, atomic: bool) -> Vec<Reply> {
        let again = reqs.clone();
        let replies = self.batch_once(reqs, atomic);
        if std::mem::take(&mut self.retry_after_reopen) {
            return self.batch_once(again, atomic);
        }
        replies
    }

    fn batch_once(&mut self, reqs: Vec<(Caller, Request)>, atomic: bool) -> Vec<Reply> {
        self.retry_after_reopen = false;
        if !self.store.is_open() {
            if let Err(e) = self.recover() {
                return reqs.iter().map(|_| Err(refusal(&e))).collect();
            }
        }
        if let Err(e) = self.store.check_room() {
            return reqs.iter().map(|_| Err(refusal(&e))).collect();
        }
        self.prune_if_due();
        let (replies, committed, touched) = self.apply_each(reqs);
        if atomic {
            if let Some(first) = replies.iter().position(Result::is_err) {
                if !committed.is_empty() {
                    self.undo_unwritten();
                }
                let fault = Fault::BatchRefused { command: first + 1 };
                return replies
                    .into_iter()
                    .map(|r| match r {
                        Ok(_) => Err(Refusal::Fault(fault.clone())),
                        refused => refused,
                    })
                    .collect();
            }
        }
        if committed.is_empty() {
            return replies;
        }
        // The rows as the state holds them after the whole batch: the last command to touch
        // a row decides its stored value, as it would have committing one by one.
        let saved = (self.store.commit_batch(&committed, &touched, &self.state)).and_then(|()| {
            if self.flush_deferred {
                Ok(())
            } else {
                self.store.flush()
            }
        });
        if let Err(e) = saved {
            return self.unsaved(e, &committed, replies);
        }
        self.notify(&committed);
        replies
    }

    /// Drops what memory applied of a batch that is not written: the store still holds the state
    /// before it, so the state is read back (O(store), paid only by a refused import or
    /// scenario; copying the state before every atomic batch made each slice of an import
    /// cost O(store)). If it cannot be read, the store is reopened as after a failed write.
    fn undo_unwritten(&mut self) {
        match self.store.load_state(self.clock.now().date_naive()) {
            Ok(state) => {
                self.state = state;
                self.pruned_on = None;
                self.dispatches_after_prune = self.state.dispatches.len();
                self.evaluated_on = None;
            }
            Err(_) => {
                let _ = self.recover();
            }
        }
    }

    /// Applies each request of a batch in turn: the replies, the events to write, the rows they
    /// touched. A command id seen earlier in the batch is answered as a duplicate of it (when
    /// the same user sends the same command with it).
    fn apply_each(&mut self, reqs: Vec<(Caller, Request)>) -> (Vec<Reply>, Vec<Event>, BTreeSet<ViewKey>) {
        let mut replies = Vec::with_capacity(reqs.len());
        let mut committed: Vec<Event> = Vec::new();
        let mut touched: BTreeSet<ViewKey> = BTreeSet::new();
        // Ids applied earlier in this batch, not yet in the store: index into `committed`.
        let mut pending: HashMap<String, usize> = HashMap::new();
        for (caller, req) in reqs {
            if let Some(&i) = pending.get(&req.cmd_id) {
                let first = &committed[i];
                replies.push(
                    check_resend(first, &caller, &req).map(|()| Outcome::of(first, true)).map_err(Refusal::Rejected),
                );
                continue;
            }
            match self.apply_one(&caller, req) {
                Ok((outcome, Some((ev, keys)))) => {
                    touched.extend(keys);
                    pending.insert(ev.cmd_id.clone(), committed.len());
                    committed.push(ev);
                    replies.push(Ok(outcome));
                }
                Ok((outcome, None)) => replies.push(Ok(outcome)),
                Err(r) => replies.push(Err(r)),
            }
        }
        (replies, committed, touched)
    }

    /// After a failed write: the replies of a batch that was not saved (except what the disk
    /// says landed after all).
    fn unsaved(&mut self, e: StoreError, committed: &[Event], replies: Vec<Reply>) -> Vec<Reply> {
        // Memory is ahead of the disk, and sled refuses every write after a failed one:
        // reopen, and let the disk say which of the batch (if any) was saved after all. When it
        // cannot be reopened nobody can say (closing sled flushes once more): the reply says so.
        let reopened = self.recover().is_ok();
        let failed = if reopened { refusal(&e) } else { unconfirmed(&e) };
        let landed: BTreeSet<u64> = committed
            .iter()
            .filter(|ev| reopened && self.store.seen(&ev.cmd_id).ok().flatten() == Some(ev.seq))
            .map(|ev| ev.seq)
            .collect();
        self.notify(committed.iter().filter(|ev| landed.contains(&ev.seq)));
        self.retry_after_reopen = reopened && landed.is_empty();
        let in_batch: BTreeSet<u64> = committed.iter().map(|ev| ev.seq).collect();
        replies
            .into_iter()
            .map(|r| match r {
                Ok(o) if (!o.duplicate || in_batch.contains(&o.seq)) && !landed.contains(&o.seq) => Err(failed.clone()),
                other => other,
            })
            .collect()
    }

    /// Tells every listener of each durable event.
    fn notify<'e>(&mut self, events: impl IntoIterator<Item = &'e Event>) {
        for ev in events {
            for l in &mut self.listeners {
                l(ev);
            }
        }
    }

    /// Appends events from a backup exactly as they were recorded (they are the record: no
    /// validation, no alert evaluation), applying each to the views; one flush per call. The
    /// log must continue without a gap. Call between `Store::mark_restoring(true)` and `(false)`.
    pub fn restore(&mut self, events: &[Event]) -> Result<(), String> {
        let encoded =
            events.iter().map(serde_json::to_vec).collect::<Result<Vec<_>, _>>().map_err(|e| e.to_string())?;
        self.restore_encoded(events, &encoded).map_err(|(_, e)| e)
    }

    /// `restore` with each event's exported JSON line kept as it was read. Each event's
    /// arithmetic is checked first (`State::check_arithmetic`); the error holds the index of
    /// the event at fault (the chunk's length for a write failure), and then nothing of the
    /// chunk is written (the state in memory is then ahead of the store: drop the engine).
    pub fn restore_encoded(&mut self, events: &[Event], encoded: &[Vec<u8>]) -> Result<(), (usize, String)> {
        let mut touched: BTreeSet<ViewKey> = BTreeSet::new();
        for (i, ev) in events.iter().enumerate() {
            let fault = if ev.seq != self.state.last_seq + 1 {
                Some(format!("event {} does not follow event {}: the log has a gap", ev.seq, self.state.last_seq))
            } else {
                let checked = self.state.check_arithmetic(&ev.cmd, &ev.resolved, ev.at.date_naive());
                checked.err().map(|r| format!("event {}: {r}", ev.seq))
            };
            if let Some(fault) = fault {
                return Err((i, fault));
            }
            touched.extend(self.state.apply(ev));
        }
        let at_end = |e: StoreError| (events.len(), e.to_string());
        self.store.commit_encoded(events, encoded, &touched, &self.state).map_err(at_end)?;
        self.store.flush().map_err(at_end)?;
        // Keep memory bounded as the history streams in: prune once a day of it has passed.
        if let Some(day) = events.last().map(|ev| ev.at.date_naive()) {
            if self.pruned_on != Some(day) {
                self.state.prune_history(day);
                self.pruned_on = Some(day);
            }
        }
        Ok(())
    }

    /// Re-evaluates every alert rule at the clock's time; records an event only if alerts
    /// changed. Returns that event.
    pub fn tick(&mut self) -> Result<Option<Event>, Refusal> {
        let caller = Caller::officer("baogong", Face::System);
        let req = Request { cmd_id: String::new(), cmd: Command::Tick };
        match self.submit(&caller, req) {
            Ok(o) if o.seq > 0 && !o.duplicate => self.store.event(o.seq).map_err(|e| refusal(&e)),
            Ok(_) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Drops old history from memory once a day, and whenever enough dispatches have come in
    /// since the last time to exceed the in-memory bound.
    fn prune_if_due(&mut self) {
        let today = self.clock.now().date_naive();
        let grown = self.state.dispatches.len() > self.dispatches_after_prune + HOT_CLOSED_DISPATCHES;
        if self.pruned_on != Some(today) || grown {
            self.state.prune_history(today);
            self.pruned_on = Some(today);
            self.dispatches_after_prune = self.state.dispatches.len();
        }
    }

    /// After a failed write the in-memory state may be ahead of the disk: reopen the store and
    /// read the state back from it. If the store cannot be reopened it stays closed (and the
    /// state as it was) until a later call succeeds.
    fn recover(&mut self) -> Result<(), StoreError> {
        self.store.reopen()?;
        let state = self.store.load_state(self.clock.now().date_naive())?;
        self.state = state;
        self.pruned_on = None;
        self.evaluated_on = None;
        self.dispatches_after_prune = self.state.dispatches.len();
        Ok(())
    }

    /// Which alert rules a command can change: a stock movement or a price only its pair's, a
    /// report or a handover the rules about no pair, a receipt those and its destination's
    /// pair; anything else (reference data, settings) every rule. The first command of a day
    /// also evaluates every pair (a new day moves every cover's window). So an ordinary command
    /// costs O(its pairs' rules + log n), not O(every pair in the store).
    fn scope(&mut self, cmd: &Command, today: NaiveDate) -> Scope {
        let scope = match self.narrow_scope(cmd) {
            Scope::Pairs(_) if self.evaluated_on != Some(today) => Scope::EveryPair,
            Scope::General(_) if self.evaluated_on != Some(today) => Scope::All,
            scope => scope,
        };
        if matches!(scope, Scope::All | Scope::EveryPair) {
            self.evaluated_on = Some(today);
        }
        scope
    }

    /// The rules a command can change within a day (see `scope`).
    fn narrow_scope(&self, cmd: &Command) -> Scope {
        match cmd {
            Command::Restock { point, item, .. }
            | Command::Adjust { point, item, .. }
            | Command::Price { point, item, .. }
            | Command::Count { point, item, .. } => Scope::Pairs(vec![(point.clone(), item.clone())]),
            Command::Dispatch { from, item, .. } => Scope::Pairs(vec![(from.clone(), item.clone())]),
            Command::Report { .. }
            | Command::Handover { .. }
            | Command::Tally { .. }
            | Command::Households { .. }
            | Command::Case { .. }
            | Command::AssignCase { .. }
            | Command::ResolveCase { .. }
            | Command::ReopenCase { .. }
            | Command::CloseCase { .. }
            | Command::Deliver { household: Some(_), .. } => Scope::General(Vec::new()),
            Command::Receive { dispatch, .. } => {
                match (Dispatch::parse_label(dispatch)).and_then(|id| self.state.dispatch(id)).map(|d| (&d.to, &d.item))
                {
                    Some((Dest::Point(to), item)) => Scope::General(vec![(to.clone(), item.clone())]),
                    _ => Scope::All,
                }
            }
            // Requests move no stock: no alert about a pair or the watch can change.
            Command::Request { .. }
            | Command::Approve { .. }
            | Command::Refuse { .. }
            | Command::CancelRequest { .. }
            | Command::Deliver { .. }
            | Command::Schedule { .. } => Scope::Pairs(Vec::new()),
            Command::Assemble { point, kit, .. } | Command::Unpack { point, kit, .. } => {
                let parts = self.state.items.get(kit).map(|k| k.components.as_slice()).unwrap_or_default();
                let items = std::iter::once(kit.clone()).chain(parts.iter().map(|c| c.item.clone()));
                Scope::Pairs(items.map(|i| (point.clone(), i)).collect())
            }
            _ => Scope::All,
        }
    }

    /// Checks and applies one command to the state. Returns the event and the view rows it
    /// touched, for `submit_batch` to write; `None` when nothing is to be recorded. A malformed
    /// id is refused; a recorded one answers with its event only for the same user and command.
    fn apply_one(&mut self, caller: &Caller, req: Request) -> Result<(Outcome, Option<Applied>), Refusal> {
        if !req.cmd_id.is_empty() {
            check_id(&req.cmd_id).map_err(Refusal::Rejected)?;
            if let Some(seq) = self.store.seen(&req.cmd_id).map_err(|e| refusal(&e))? {
                let ev = self
                    .store
                    .event(seq)
                    .map_err(|e| refusal(&e))?
                    .ok_or(Refusal::Fault(Fault::EventMissing { seq }))?;
                check_resend(&ev, caller, &req).map_err(Refusal::Rejected)?;
                return Ok((Outcome::of(&ev, true), None));
            }
        }
        let now = self.clock.now();
        let seq = self.state.last_seq + 1;
        let store = &self.store;
        let past = |id: u64| store.dispatch(id);
        let ctx = Ctx { now, access: &caller.access, seq, past_dispatch: &past, demand: &self.demand };
        let resolved = validate(&self.state, &req.cmd, &ctx).map_err(Refusal::Rejected)?;
        let scope = self.scope(&req.cmd, now.date_naive());
        let mut ev = Event {
            seq,
            at: now,
            actor: caller.user.clone(),
            face: caller.face,
            cmd_id: if req.cmd_id.is_empty() { format!("auto-{seq}-{}", fresh_id("e")) } else { req.cmd_id },
            cmd: req.cmd,
            resolved,
            alerts: Default::default(),
        };
        let touched = if matches!(ev.cmd, Command::Tick) {
            let conditions = alerts::evaluate(&self.state, now, &self.thresholds, &scope);
            ev.alerts = alerts::diff(&self.state, conditions, &scope, now);
            if ev.alerts.is_empty() {
                // Nothing changed: a tick leaves no trace.
                return Ok((Outcome::of(&ev, false).nothing(), None));
            }
            self.state.apply(&ev)
        } else {
            let mut touched = self.state.apply(&ev);
            let conditions = alerts::evaluate(&self.state, now, &self.thresholds, &scope);
            ev.alerts = alerts::diff(&self.state, conditions, &scope, now);
            self.state.apply_alerts(&ev.alerts, now, &mut touched);
            touched.sort();
            touched.dedup();
            touched
        };
        Ok((Outcome::of(&ev, false), Some((ev, touched))))
    }
}

/// A failed write whose outcome the store could not be reopened to confirm.
fn unconfirmed(e: &StoreError) -> Refusal {
    Refusal::Fault(Fault::Unconfirmed { dir: e.dir().display().to_string(), detail: e.cause() })
}

/// A store error as the fault a face shows: full disk, read-only and damage by kind.
fn refusal(e: &StoreError) -> Refusal {
    let dir = |d: &Path| d.display().to_string();
    Refusal::Fault(match e {
        StoreError::Full { dir: d, detail } => Fault::DiskFull { dir: dir(d), detail: detail.clone() },
        StoreError::ReadOnly { dir: d } => Fault::ReadOnly { dir: dir(d) },
        StoreError::Corrupt { dir: d, detail } => Fault::Damaged { dir: dir(d), detail: detail.clone() },
        StoreError::Io { dir: d, detail } => Fault::Io { dir: dir(d), detail: detail.clone() },
        other => Fault::Unusable { detail: other.to_string() },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::command::{Dest, Record, Source};
    use crate::domain::state::{Dispatch, DispatchStatus};
    use crate::domain::{Item, ItemGroup, Point, PointKind, Qty, Village, Zone};
    use chrono::Duration;
    use chrono::TimeZone;

    fn at(day: u32) -> DateTime<FixedOffset> {
        FixedOffset::east_opt(8 * 3600).and_then(|tz| tz.with_ymd_and_hms(2026, 3, day, 9, 0, 0).single()).unwrap()
    }

    fn req(id: &str, cmd: Command) -> (Caller, Request) {
        (Caller::officer("t", Face::Cli), Request { cmd_id: id.into(), cmd })
    }

    fn point(code: &str) -> Record {
        Record::Point(Point {
            code: code.into(),
            name: code.into(),
            kind: PointKind::Delivery,
            zone: "Z".into(),
            households: 100,
            population: 0,
            staff: 0,
            vehicles: 0,
            manager: String::new(),
            phone: String::new(),
            carries: Vec::new(),
        })
    }

    fn restock(p: &str, units: i64) -> Command {
        let (point, item, qty) = (p.into(), "rice".into(), Qty::units(units));
        Command::Restock { point, item, qty, source: Source::Supplier, batch: None, expiry: None, note: String::new() }
    }

    fn send(to: Dest) -> Command {
        let (from, item, qty) = ("P1".into(), "rice".into(), Qty::units(1));
        Command::Dispatch { from, to, item, qty, vehicle: None, note: String::new(), requests: Vec::new() }
    }

    fn open(dir: &Path, clock: &ManualClock) -> Engine {
        Engine::open(dir, Arc::new(clock.clone()), Thresholds::default()).unwrap()
    }

    fn setup(engine: &mut Engine) {
        let records = vec![
            Record::Zone(Zone { code: "Z".into(), name: "Z".into(), lead: String::new() }),
            point("P1"),
            point("P2"),
            Record::Village(Village {
                code: "V1".into(),
                name: "V1".into(),
                point: "P1".into(),
                households: 10,
                checkpoint: String::new(),
            }),
            Record::Item(Item {
                code: "rice".into(),
                name_zh: "大米".into(),
                name_en: "Rice".into(),
                group: ItemGroup::GrainOil,
                unit: "kg".into(),
                norm_days: 7.0,
                max_days: None,
                per_household_daily: 0.5,
                components: Vec::new(),
            }),
        ];
        let replies = engine.submit_batch(vec![
            req("town", Command::Town { name: "T".into(), code: String::new() }),
            req("ref", Command::Upsert { records }),
            req("stock", restock("P1", 100_000)),
        ]);
        assert!(replies.iter().all(Result::is_ok), "{replies:?}");
    }

    /// A batch is one transaction: its events, rows and ids all land, and a repeated id inside
    /// the batch applies once.
    #[test]
    fn a_batch_commits_together_and_applies_an_id_once() {
        let dir = tempfile::tempdir().unwrap();
        let clock = ManualClock::new(at(2));
        let mut engine = open(dir.path(), &clock);
        setup(&mut engine);
        let replies = engine.submit_batch(vec![
            req("a", restock("P2", 5)),
            req("b", send(Dest::Village("V1".into()))),
            req("a", restock("P2", 5)),
        ]);
        let outcomes: Vec<&Outcome> = replies.iter().map(|r| r.as_ref().unwrap()).collect();
        assert!(!outcomes[0].duplicate && outcomes[2].duplicate);
        assert_eq!(outcomes[0].seq, outcomes[2].seq);
        assert_eq!(engine.state().qty("P2", "rice"), Qty::units(5));
        drop(engine);
        let engine = open(dir.path(), &clock);
        assert_eq!(engine.state().qty("P2", "rice"), Qty::units(5));
        assert_eq!(engine.state().qty("P1", "rice"), Qty::units(99_999));
        assert_eq!(engine.store().seen("b").unwrap(), Some(outcomes[1].seq));
        assert!(crate::store::check(engine.store()).unwrap().is_clean());
    }

    /// Memory holds the newest closed dispatches only, yet every transfer in transit, and an
    /// open alert raised before the history window, come back on reopening.
    #[test]
    fn old_transfers_in_transit_and_open_alerts_survive_the_bounds() {
        let dir = tempfile::tempdir().unwrap();
        let clock = ManualClock::new(at(1));
        let mut engine = open(dir.path(), &clock);
        setup(&mut engine);
        // P2 carries rice and runs out: a stockout alert stays open.
        engine.submit_batch(vec![req("p2", restock("P2", 1))]);
        let out = Command::Dispatch {
            from: "P2".into(),
            to: Dest::Point("P1".into()),
            item: "rice".into(),
            qty: Qty::units(1),
            vehicle: None,
            note: String::new(),
            requests: Vec::new(),
        };
        let transfer = engine.submit(&Caller::officer("t", Face::Cli), Request { cmd_id: "t1".into(), cmd: out });
        let transfer = transfer.unwrap().dispatch.unwrap();
        assert_eq!(engine.state().open_alerts.len(), 1, "{:?}", engine.state().alerts);
        // Many deliveries later, past the in-memory bound and the days of history.
        clock.set(at(30) + Duration::days(15));
        let n = HOT_CLOSED_DISPATCHES * 2 + 10;
        let reqs = (0..n).map(|k| req(&format!("d{k}"), send(Dest::Village("V1".into())))).collect();
        let replies = engine.submit_batch(reqs);
        assert!(replies.iter().all(Result::is_ok));
        let first_delivery = replies[0].as_ref().unwrap().dispatch.clone().unwrap();
        engine.submit_batch(vec![req("again", send(Dest::Village("V1".into())))]);
        assert!(engine.state().dispatches.len() <= 2 * HOT_CLOSED_DISPATCHES + 2);
        drop(engine);
        let mut engine = open(dir.path(), &clock);
        let closed = engine.state().dispatches.values().filter(|d| d.status() != DispatchStatus::InTransit).count();
        assert_eq!(closed, HOT_CLOSED_DISPATCHES);
        assert_eq!(engine.state().open_alerts.len(), 1);
        let id = Dispatch::parse_label(&transfer).unwrap();
        assert_eq!(engine.state().dispatch(id).map(Dispatch::status), Some(DispatchStatus::InTransit));
        let before = engine.state().qty("P1", "rice");
        let got = Command::Receive { dispatch: transfer, qty: None, note: String::new() };
        engine.submit(&Caller::officer("t", Face::Cli), Request { cmd_id: "r1".into(), cmd: got }).unwrap();
        assert_eq!(engine.state().qty("P1", "rice"), before + Qty::units(1));
        assert!(crate::store::check(engine.store()).unwrap().is_clean());
        // The store keeps rows for the newest deliveries only; an older one comes from its event.
        assert_eq!(engine.state().deliveries.len(), HOT_CLOSED_DISPATCHES);
        let old = Dispatch::parse_label(&first_delivery).unwrap();
        assert!(engine.state().dispatch(old).is_none());
        let past = engine.store().dispatch(old).expect("an old delivery is found in the log");
        assert_eq!((past.id, past.status(), past.qty), (old, DispatchStatus::Delivered, Qty::units(1)));
        let again = Command::Receive { dispatch: first_delivery, qty: None, note: String::new() };
        let refused = engine.submit(&Caller::officer("t", Face::Cli), Request { cmd_id: "r2".into(), cmd: again });
        assert!(format!("{refused:?}").contains("NotATransfer"), "{refused:?}");
    }
}
