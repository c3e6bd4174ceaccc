//! Shared fixture for the integration tests: a small hand-made town (one depot, two delivery
//! points, three villages, two items, three people) on a fresh store in a temp dir, driven
//! through the real `Engine` with a `ManualClock`.
#![allow(dead_code)]

use baogong::api::{Caller, Outcome, Refusal, Request};
use baogong::domain::alerts::{Alert, AlertKind, Thresholds};
use baogong::domain::command::{Command, Dest, Record, Source};
use baogong::domain::{Access, Face, Item, ItemGroup, Person, Point, PointKind, Qty, Rejection, Role, Village, Zone};
use baogong::engine::{Engine, ManualClock};
use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};
use std::path::Path;
use std::sync::Arc;
use tempfile::TempDir;

/// China Standard Time, the offset every fixture time uses.
pub fn cst() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("valid offset")
}

/// A local time on a day of March 2026: `at(10, 9, 0)` is 2026-03-10 09:00 +08:00.
pub fn at(day: u32, h: u32, m: u32) -> DateTime<FixedOffset> {
    cst().with_ymd_and_hms(2026, 3, day, h, m, 0).single().expect("valid time")
}

pub fn date(day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, day).expect("valid date")
}

/// The day every fixture starts: 2026-03-10 10:00 +08:00.
pub fn t0() -> DateTime<FixedOffset> {
    at(10, 10, 0)
}

/// 1 unit = 1000 thousandths.
pub fn u(n: i64) -> Qty {
    Qty::units(n)
}

pub fn officer() -> Caller {
    Caller::officer("alice", Face::Cli)
}

pub fn viewer() -> Caller {
    Caller { user: "wall".into(), access: Access::Viewer, face: Face::Wall }
}

pub fn clerk(point: &str) -> Caller {
    Caller { user: format!("clerk-{point}"), access: Access::Point(point.into()), face: Face::Point }
}

/// Rice: kg (divisible), norm 15 days, max 60, 0.5 kg per household per day.
pub fn rice() -> Item {
    Item {
        code: "rice".into(),
        name_zh: "大米".into(),
        name_en: "Rice".into(),
        group: ItemGroup::GrainOil,
        unit: "kg".into(),
        norm_days: 15.0,
        max_days: Some(60.0),
        per_household_daily: 0.5,
        components: Vec::new(),
    }
}

/// Masks: counted whole (piece), norm 30 days, max 90, 0.1 piece per household per day.
pub fn mask() -> Item {
    Item {
        code: "mask".into(),
        name_zh: "一次性医用口罩".into(),
        name_en: "Disposable mask".into(),
        group: ItemGroup::Protective,
        unit: "piece".into(),
        norm_days: 30.0,
        max_days: Some(90.0),
        per_household_daily: 0.1,
        components: Vec::new(),
    }
}

fn point(code: &str, kind: PointKind, households: u32) -> Point {
    Point {
        code: code.into(),
        name: format!("{code} 超市"),
        kind,
        zone: "Z1".into(),
        households,
        population: households * 3,
        staff: 8,
        vehicles: 2,
        manager: String::new(),
        phone: String::new(),
        carries: Vec::new(),
    }
}

fn village(code: &str, point: &str, households: u32) -> Village {
    Village {
        code: code.into(),
        name: format!("{code} 村"),
        point: point.into(),
        households,
        checkpoint: format!("{code} 卡口"),
    }
}

pub fn person(name: &str, role: Role) -> Person {
    Person {
        name: name.into(),
        title: String::new(),
        unit: "保供办".into(),
        role,
        duty: String::new(),
        phone: "13800000000".into(),
    }
}

pub const ALICE: &str = "孙红霞";
pub const BOB: &str = "马俊峰";
pub const CAROL: &str = "朱玉兰";

/// The reference data of the small town.
///
/// - DEPOT: depot, no households (no norm: cover unknown);
/// - P01: delivery point, 100 households (rice 50 kg/day, masks 10/day by norm), serves V01;
/// - P02: delivery point, households from its villages V02 (80) + V03 (40) = 120.
pub fn records() -> Vec<Record> {
    vec![
        Record::Zone(Zone { code: "Z1".into(), name: "东片区".into(), lead: "林永生".into() }),
        Record::Point(point("DEPOT", PointKind::Depot, 0)),
        Record::Point(point("P01", PointKind::Delivery, 100)),
        Record::Point(point("P02", PointKind::Delivery, 0)),
        Record::Village(village("V01", "P01", 60)),
        Record::Village(village("V02", "P02", 80)),
        Record::Village(village("V03", "P02", 40)),
        Record::Item(rice()),
        Record::Item(mask()),
        Record::Person(person(ALICE, Role::DutyStaff)),
        Record::Person(person(BOB, Role::DutyStaff)),
        Record::Person(person(CAROL, Role::OfficeDirector)),
    ]
}

pub fn restock(point: &str, item: &str, qty: Qty) -> Command {
    Command::Restock {
        point: point.into(),
        item: item.into(),
        qty,
        source: Source::Supplier,
        batch: None,
        expiry: None,
        note: String::new(),
    }
}

pub fn restock_batch(point: &str, item: &str, qty: Qty, batch: &str, expiry: NaiveDate) -> Command {
    Command::Restock {
        point: point.into(),
        item: item.into(),
        qty,
        source: Source::Supplier,
        batch: Some(batch.into()),
        expiry: Some(expiry),
        note: String::new(),
    }
}

pub fn to_village(from: &str, village: &str, item: &str, qty: Qty) -> Command {
    Command::Dispatch {
        from: from.into(),
        to: Dest::Village(village.into()),
        item: item.into(),
        qty,
        vehicle: None,
        note: String::new(),
        requests: Vec::new(),
    }
}

pub fn to_point(from: &str, to: &str, item: &str, qty: Qty) -> Command {
    Command::Dispatch {
        from: from.into(),
        to: Dest::Point(to.into()),
        item: item.into(),
        qty,
        vehicle: None,
        note: String::new(),
        requests: Vec::new(),
    }
}

pub fn receive(dispatch: &str, qty: Option<Qty>) -> Command {
    Command::Receive { dispatch: dispatch.into(), qty, note: String::new() }
}

/// A store in a temp dir with the small town loaded, an engine on it and the clock at `t0()`.
pub struct Fx {
    pub dir: TempDir,
    pub clock: ManualClock,
    pub engine: Engine,
    n: u64,
}

impl Fx {
    /// The small town, with default thresholds.
    pub fn new() -> Fx {
        Fx::with(Thresholds::default())
    }

    pub fn with(thresholds: Thresholds) -> Fx {
        let dir = tempfile::tempdir().expect("temp dir");
        let clock = ManualClock::new(t0());
        let engine = Engine::open(dir.path(), Arc::new(clock.clone()), thresholds).expect("open engine");
        let mut fx = Fx { dir, clock, engine, n: 0 };
        fx.ok(Command::Town { name: "测试镇".into(), code: String::new() });
        fx.ok(Command::Upsert { records: records() });
        fx
    }

    /// Closes the engine and opens it again on the same store (same clock).
    pub fn reopen(self) -> Fx {
        let Fx { dir, clock, engine, n } = self;
        let thresholds = engine.thresholds().clone();
        drop(engine);
        let engine = Engine::open(dir.path(), Arc::new(clock.clone()), thresholds).expect("reopen");
        Fx { dir, clock, engine, n }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn next_id(&mut self) -> String {
        self.n += 1;
        format!("t-{}", self.n)
    }

    pub fn submit(&mut self, caller: &Caller, cmd: Command) -> Result<Outcome, Refusal> {
        let id = self.next_id();
        self.engine.submit(caller, Request { cmd_id: id, cmd })
    }

    /// Submits as the officer and expects acceptance.
    pub fn ok(&mut self, cmd: Command) -> Outcome {
        let caller = officer();
        self.ok_as(&caller, cmd)
    }

    pub fn ok_as(&mut self, caller: &Caller, cmd: Command) -> Outcome {
        let shown = format!("{cmd:?}");
        match self.submit(caller, cmd) {
            Ok(o) => {
                assert!(!o.duplicate, "fresh id reported as duplicate: {shown}");
                o
            }
            Err(e) => panic!("expected {shown} to be accepted, got {e}"),
        }
    }

    /// Submits as the officer and expects a rejection that changes nothing.
    pub fn reject(&mut self, cmd: Command) -> Rejection {
        let caller = officer();
        self.reject_as(&caller, cmd)
    }

    /// Submits and expects a rejection; asserts that neither the store (last sequence number,
    /// stored views, command id) nor the in-memory state (stock included) changed.
    pub fn reject_as(&mut self, caller: &Caller, cmd: Command) -> Rejection {
        let today = self.clock_now().date_naive();
        let seq_before = self.engine.store().last_seq().expect("last_seq");
        let state_before = self.engine.state().clone();
        let stored_before = self.engine.store().load_state(today).expect("load");
        let shown = format!("{cmd:?}");
        let id = self.next_id();
        let reply = self.engine.submit(caller, Request { cmd_id: id.clone(), cmd });
        let rejection = match reply {
            Err(Refusal::Rejected(r)) => r,
            other => panic!("expected {shown} to be rejected, got {other:?}"),
        };
        assert_eq!(self.engine.store().last_seq().expect("last_seq"), seq_before, "a rejection wrote an event");
        assert_eq!(self.engine.state(), &state_before, "a rejection changed the state");
        assert_eq!(self.engine.store().load_state(today).expect("load"), stored_before, "a rejection changed views");
        assert_eq!(self.engine.store().seen(&id).expect("seen"), None, "a rejection recorded its command id");
        rejection
    }

    pub fn clock_now(&self) -> DateTime<FixedOffset> {
        use baogong::engine::Clock;
        self.clock.now()
    }

    /// Moves the clock to `t` and re-evaluates the alerts.
    pub fn tick_at(&mut self, t: DateTime<FixedOffset>) {
        self.clock.set(t);
        self.engine.tick().expect("tick");
    }

    pub fn qty(&self, point: &str, item: &str) -> Qty {
        self.engine.state().qty(point, item)
    }

    /// Open alerts of a kind, by subject.
    pub fn open(&self, kind: AlertKind) -> Vec<Alert> {
        self.engine.state().alerts.values().filter(|a| a.kind == kind && a.cleared_at.is_none()).cloned().collect()
    }

    /// Every alert of a kind, open or cleared.
    pub fn all(&self, kind: AlertKind) -> Vec<Alert> {
        self.engine.state().alerts.values().filter(|a| a.kind == kind).cloned().collect()
    }

    /// `store::check` finds no difference between the stored views and the event log.
    pub fn assert_check_clean(&self) {
        let report = baogong::store::check(self.engine.store()).expect("check");
        assert!(report.is_clean(), "check found differences: {:#?}", report.differences);
    }
}

impl Default for Fx {
    fn default() -> Self {
        Fx::new()
    }
}
