//! Ledger benchmarks (criterion), with the targets of issue #2 on the 2-core machine:
//!
//! - `commit/group`: acknowledged (flushed) commands per second with group commit: 8 threads
//!   submit restocks and dispatches through one `EngineHandle`. Target: at least 5,000/s.
//! - `commit/single`: the one-at-a-time rate, one caller of `Engine::submit` (a flush each).
//!   Reported for comparison; no target.
//! - `open/1m`: `Engine::open` on a store of 1,000,000 events, then the stock table
//!   (`views::stock::stock_rows`, every point+item with days of cover), repeated in this process; closing
//!   the store is not timed. Target: under 200 ms.
//! - Peak memory (`VmHWM`) of a fresh process doing the same open + stock table. Target: under
//!   100 MB. Printed after `open/1m` with that process's open time (a cold start: the first open
//!   in a process also pays for faulting in sled's page table); it never fails the run.
//!
//! The 1M-event store (45 days of restocks, deliveries to villages, transfers and receipts,
//! prices, reports, adjustments for 20 points x 30 items) is built once with `submit_batch` and a
//! manual clock, and cached in `target/bench-data/`; it is reused while its marker and event
//! count match, rebuilt otherwise. Under `cargo test --benches` (criterion's test mode) every
//! benchmark runs once against a small store in a temporary directory instead.

#[path = "support/mod.rs"]
mod support;
use baogong::api::{Caller, Reply, Request};
use baogong::domain::alerts::Thresholds;
use baogong::domain::command::{AdjustReason, Command, Dest, Face, Record, Source};
use baogong::domain::state::Dispatch;
use baogong::domain::{Fen, Item, ItemGroup, Point, PointKind, Qty, State, Village, Zone};
use baogong::engine::{Engine, EngineHandle, ManualClock};
use baogong::store::Store;
use baogong::views::stock::stock_rows;
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, TimeZone};
use criterion::{Criterion, SamplingMode, Throughput};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Instant;
use support::bench_data_dir;

const POINTS: usize = 20;
const ITEMS: usize = 30;
const VILLAGES_PER_POINT: usize = 3;
/// Concurrent submitters in `commit/group`.
const SUBMITTERS: u64 = 8;

/// Events in the big store, and the days its history spans.
const BIG_EVENTS: u64 = 1_000_000;
const BIG_DAYS: u32 = 45;
/// Events and days of the store used in criterion's test mode.
const SMALL_EVENTS: u64 = 3_000;
const SMALL_DAYS: u32 = 3;
/// Commands per `submit_batch` while building a history.
const BUILD_BATCH: u64 = 1_000;
/// Bump when the generated history changes, so a cached store is rebuilt.
const GENERATOR: &str = "ledger-history-v1";

/// Set in the child process that only opens the store and reports its peak memory.
const CHILD_DIR: &str = "BAOGONG_BENCH_PEAK_DIR";
const CHILD_DAYS: &str = "BAOGONG_BENCH_PEAK_DAYS";

fn point_code(p: usize) -> String {
    format!("P{:02}", p + 1)
}

fn item_code(i: usize) -> String {
    format!("I{:02}", i + 1)
}

fn village_code(p: usize, v: usize) -> String {
    format!("V{:02}{}", p + 1, (b'a' + v as u8) as char)
}

fn tz() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8")
}

fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 5).expect("date")
}

fn at(day: NaiveDate, minutes: i64) -> DateTime<FixedOffset> {
    tz().from_local_datetime(&day.and_hms_opt(0, 0, 0).expect("midnight")).single().expect("time")
        + Duration::minutes(minutes)
}

/// When the stock table is computed for a history of `days` days: the last day's evening.
fn open_time(days: u32) -> DateTime<FixedOffset> {
    at(first_day() + Duration::days(i64::from(days) - 1), 21 * 60)
}

fn caller() -> Caller {
    Caller::officer("bench", Face::Cli)
}

/// Name the town, then one zone, 20 points (one depot), 3 villages each, 30 items.
fn reference() -> Vec<Command> {
    let mut records = vec![Record::Zone(Zone { code: "Z1".into(), name: "Bench zone".into(), lead: "Lead".into() })];
    let kinds = [PointKind::Delivery, PointKind::Convenience, PointKind::Drop];
    for p in 0..POINTS {
        let depot = p == 0;
        let households = if depot { 0 } else { 300 + 20 * p as u32 };
        records.push(Record::Point(Point {
            code: point_code(p),
            name: format!("Point {}", p + 1),
            kind: if depot { PointKind::Depot } else { kinds[p % kinds.len()] },
            zone: "Z1".into(),
            households,
            population: households * 3,
            staff: 4,
            vehicles: 1,
            manager: format!("Manager {}", p + 1),
            phone: String::new(),
            carries: Vec::new(),
        }));
        for v in 0..VILLAGES_PER_POINT {
            records.push(Record::Village(Village {
                code: village_code(p, v),
                name: format!("Village {}-{}", p + 1, v + 1),
                point: point_code(p),
                households: 120 + 10 * v as u32,
                checkpoint: format!("Gate {}-{}", p + 1, v + 1),
            }));
        }
    }
    for i in 0..ITEMS {
        records.push(Record::Item(Item {
            code: item_code(i),
            name_zh: format!("物资{}", i + 1),
            name_en: format!("Item {}", i + 1),
            group: ItemGroup::ALL[i % ItemGroup::ALL.len()],
            unit: if i % 2 == 0 { "kg".into() } else { "box".into() },
            norm_days: 7.0,
            max_days: Some(45.0),
            per_household_daily: 0.05 + 0.01 * (i % 5) as f64,
            components: Vec::new(),
        }));
    }
    vec![Command::Town { name: "Bench town".into(), code: String::new() }, Command::Upsert { records }]
}

fn restock(p: usize, i: usize, units: i64) -> Command {
    Command::Restock {
        point: point_code(p),
        item: item_code(i),
        qty: Qty::units(units),
        source: Source::Supplier,
        batch: None,
        expiry: None,
        note: String::new(),
    }
}

fn deliver(p: usize, v: usize, i: usize, units: i64) -> Command {
    Command::Dispatch {
        from: point_code(p),
        to: Dest::Village(village_code(p, v)),
        item: item_code(i),
        qty: Qty::units(units),
        vehicle: None,
        note: String::new(),
        requests: Vec::new(),
    }
}

static NEXT_ID: AtomicU64 = AtomicU64::new(0);

fn request(cmd: Command) -> Request {
    Request { cmd_id: format!("bench-{}", NEXT_ID.fetch_add(1, Ordering::Relaxed)), cmd }
}

fn submit_all(engine: &mut Engine, cmds: Vec<Command>) -> Vec<Reply> {
    let caller = caller();
    engine.submit_batch(cmds.into_iter().map(|c| (caller.clone(), request(c))).collect())
}

/// Whether criterion runs for real (`cargo bench`) rather than once as a test (`cargo test
/// --benches`, or `-- --test`), or only lists the benchmarks.
fn benchmarking() -> bool {
    let args: Vec<String> = std::env::args().collect();
    let has = |f: &str| args.iter().any(|a| a == f);
    has("--bench") && !has("--test") && !has("--list")
}

// ---------------------------------------------------------------------------------------------
// commit/group and commit/single

/// A fresh engine with the reference data and plenty of stock at every point+item.
fn commit_engine(dir: &Path) -> Engine {
    let clock = ManualClock::new(at(first_day(), 8 * 60));
    let mut engine = Engine::open(dir, Arc::new(clock), Thresholds::default()).expect("open the bench store");
    let mut cmds = reference();
    for p in 0..POINTS {
        for i in 0..ITEMS {
            cmds.push(restock(p, i, 1_000_000));
        }
    }
    for reply in submit_all(&mut engine, cmds) {
        reply.expect("set up the commit bench");
    }
    engine
}

/// The `n`th command of the commit benches: restocks and deliveries to villages in turn,
/// walking through every point+item.
fn traffic(n: u64) -> Command {
    let pair = (n / 2) as usize % (POINTS * ITEMS);
    let (p, i) = (pair % POINTS, pair / POINTS);
    if n.is_multiple_of(2) {
        restock(p, i, 10)
    } else {
        deliver(p, (n / 2) as usize % VILLAGES_PER_POINT, i, 5)
    }
}

fn commit_benches(c: &mut Criterion, scratch: &Path) {
    let mut group = c.benchmark_group("commit");
    group.throughput(Throughput::Elements(1));
    group.sample_size(10);
    group.warm_up_time(std::time::Duration::from_secs(2));
    group.measurement_time(std::time::Duration::from_secs(10));

    let dir = tempfile::tempdir_in(scratch).expect("temp dir");
    let (handle, join) = EngineHandle::spawn(commit_engine(dir.path()));
    let counter = AtomicU64::new(0);
    group.bench_function("group", |b| {
        b.iter_custom(|iters| {
            let start = Instant::now();
            std::thread::scope(|s| {
                for t in 0..SUBMITTERS {
                    let handle = handle.clone();
                    let counter = &counter;
                    let mine = iters / SUBMITTERS + u64::from(t < iters % SUBMITTERS);
                    s.spawn(move || {
                        let caller = caller();
                        for _ in 0..mine {
                            let n = counter.fetch_add(1, Ordering::Relaxed);
                            if let Err(e) = handle.submit(&caller, request(traffic(n))) {
                                panic!("command {n} refused: {e}");
                            }
                        }
                    });
                }
            });
            start.elapsed()
        })
    });
    drop(handle);
    drop(join.join().expect("engine thread"));

    let dir = tempfile::tempdir_in(scratch).expect("temp dir");
    let mut engine = commit_engine(dir.path());
    let caller = caller();
    let mut n = 0u64;
    group.bench_function("single", |b| {
        b.iter(|| {
            n += 1;
            engine.submit(&caller, request(traffic(n))).expect("command accepted")
        })
    });
    group.finish();
}

// ---------------------------------------------------------------------------------------------
// The history behind open/1m

/// Per point+item stock level the generator restocks towards, in units (20 days of cover at
/// about 90 units a day); a few pairs are kept short so some alerts stay open.
fn target_level(p: usize, i: usize) -> i64 {
    match (p, i) {
        (0, _) => 1_000_000,
        (17..=19, 27..=29) => 400,
        (19, 0) => 0,
        _ => 1_800,
    }
}

/// Whole units of an item at a point as a batch under construction leaves them.
fn level<'a>(stock: &'a mut HashMap<(usize, usize), i64>, state: &State, p: usize, i: usize) -> &'a mut i64 {
    stock.entry((p, i)).or_insert_with(|| state.qty(&point_code(p), &item_code(i)).0 / Qty::SCALE)
}

struct History {
    rng: ChaCha8Rng,
    /// Transfers waiting for their receipt: (the batch slot after which to receive, label).
    in_transit: Vec<(u64, String)>,
    slot: u64,
}

impl History {
    /// One batch of `want` commands for `day` (0-based), given the engine's current state.
    fn batch(&mut self, engine: &Engine, day: i64, first_of_day: bool, want: u64) -> Vec<Command> {
        let state = engine.state();
        let date = first_day() + Duration::days(day);
        let mut out = Vec::with_capacity(want as usize);
        // Stock per point+item in whole units as this batch leaves it, so that no command of
        // the batch asks for more than is there.
        let mut stock: HashMap<(usize, usize), i64> = HashMap::new();
        if first_of_day && day > 0 {
            for p in 1..POINTS {
                if out.len() as u64 >= want {
                    break;
                }
                out.push(Command::Report {
                    point: point_code(p),
                    date: date - Duration::days(1),
                    zero: false,
                    note: String::new(),
                });
            }
        }
        let due: Vec<String> = {
            let slot = self.slot;
            let (due, later): (Vec<_>, Vec<_>) = self.in_transit.drain(..).partition(|(s, _)| *s <= slot);
            self.in_transit = later;
            due.into_iter().map(|(_, l)| l).collect()
        };
        for label in due {
            if out.len() as u64 >= want {
                // No room in this batch: receive it in the next one.
                self.in_transit.push((self.slot, label));
                continue;
            }
            let short = self.rng.random_ratio(1, 20);
            let qty = if short {
                Dispatch::parse_label(&label).and_then(|id| state.dispatch(id)).map(|d| Qty(d.qty.0 - Qty::SCALE))
            } else {
                None
            };
            out.push(Command::Receive { dispatch: label, qty, note: String::new() });
        }
        while (out.len() as u64) < want {
            let r: f64 = self.rng.random();
            let p = self.rng.random_range(0..POINTS);
            let i = self.rng.random_range(0..ITEMS);
            let cmd = if r < 0.01 {
                // Price monitoring at the points that sell.
                if p == 0 {
                    continue;
                }
                let base = 500 + 37 * i as i64;
                Command::Price {
                    point: point_code(p),
                    item: item_code(i),
                    fen: Fen(base + self.rng.random_range(0..60)),
                }
            } else if r < 0.024 {
                // A transfer from the depot, received a few batches later.
                let q = self.rng.random_range(20..60);
                let depot = level(&mut stock, state, 0, i);
                if p == 0 || *depot < q {
                    continue;
                }
                *depot -= q;
                Command::Dispatch {
                    from: point_code(0),
                    to: Dest::Point(point_code(p)),
                    item: item_code(i),
                    qty: Qty::units(q),
                    vehicle: None,
                    note: "replenish".into(),
                    requests: Vec::new(),
                }
            } else if r < 0.026 {
                // A damaged unit written off.
                let have = level(&mut stock, state, p, i);
                if *have < 1 {
                    continue;
                }
                *have -= 1;
                Command::Adjust {
                    point: point_code(p),
                    item: item_code(i),
                    delta: Qty::units(-1),
                    reason: AdjustReason::Damaged,
                    batch: None,
                    note: String::new(),
                }
            } else if r < 0.2 {
                // A supplier restock up to the pair's level; perishables come in dated batches.
                let have = level(&mut stock, state, p, i);
                let q = (target_level(p, i) - *have).clamp(0, 600);
                if q == 0 {
                    continue;
                }
                *have += q;
                let perishable = i < 5;
                Command::Restock {
                    point: point_code(p),
                    item: item_code(i),
                    qty: Qty::units(q),
                    source: Source::Supplier,
                    batch: perishable.then(|| format!("B{}", date.format("%m%d"))),
                    expiry: perishable.then(|| date + Duration::days(30)),
                    note: String::new(),
                }
            } else {
                // A delivery to one of the point's villages.
                let q = self.rng.random_range(1..=5);
                let have = level(&mut stock, state, p, i);
                if *have < q {
                    continue;
                }
                *have -= q;
                deliver(p, self.rng.random_range(0..VILLAGES_PER_POINT), i, q)
            };
            out.push(cmd);
        }
        out
    }
}

/// Builds a store of exactly `events` events spanning `days` days in `dir` (empty).
fn build_history(dir: &Path, events: u64, days: u32) {
    let clock = ManualClock::new(at(first_day(), 6 * 60));
    let mut engine = Engine::open(dir, Arc::new(clock.clone()), Thresholds::default()).expect("open the new store");
    let mut setup = reference();
    for p in 0..POINTS {
        for i in 0..ITEMS {
            // A pair kept at level 0 starts with a little stock and runs out.
            setup.push(restock(p, i, target_level(p, i).max(100)));
        }
    }
    for reply in submit_all(&mut engine, setup) {
        reply.expect("set up the history");
    }
    let mut history = History { rng: ChaCha8Rng::seed_from_u64(2), in_transit: Vec::new(), slot: 0 };
    let start = Instant::now();
    for day in 0..i64::from(days) {
        if day > 0 && day.rem_euclid(5) == 0 {
            eprintln!("  day {day}/{days}: {} events, {:.0} s", engine.state().last_seq, start.elapsed().as_secs_f64());
        }
        let date = first_day() + Duration::days(day);
        let day_start = engine.state().last_seq;
        let today = (events - day_start) / (i64::from(days) - day) as u64;
        let slots = today.div_ceil(BUILD_BATCH).max(1);
        for s in 0..slots {
            // Spread the day's batches from 07:00 to 20:00.
            clock.set(at(date, 7 * 60 + (s * 780 / slots) as i64));
            let goal =
                if day + 1 == i64::from(days) && s + 1 == slots { events } else { day_start + today * (s + 1) / slots };
            // A rejected command leaves its batch short: go on until the slot's goal is met.
            while engine.state().last_seq < goal {
                let want = (goal - engine.state().last_seq).min(BUILD_BATCH);
                let cmds = history.batch(&engine, day, s == 0, want);
                let replies = submit_all(&mut engine, cmds);
                history.slot += 1;
                for outcome in replies.into_iter().flatten() {
                    let transfer = outcome.dispatch.as_deref().and_then(Dispatch::parse_label).and_then(|id| {
                        engine
                            .state()
                            .dispatch(id)
                            .filter(|d| matches!(d.to, Dest::Point(_)) && d.received_qty.is_none())
                    });
                    if let Some(d) = transfer {
                        history.in_transit.push((history.slot + 2, Dispatch::label(d.id)));
                    }
                }
            }
        }
    }
    assert_eq!(engine.state().last_seq, events, "the history has the wrong number of events");
}

/// A ready store of `events` events under `dir`: reused when its marker and event count match.
fn ensure_store(dir: &Path, events: u64, days: u32) -> PathBuf {
    let marker = dir.join("bench-store.ok");
    let expect = format!("{GENERATOR} events={events} days={days}\n");
    let ok = std::fs::read_to_string(&marker).is_ok_and(|m| m == expect)
        && Store::open(dir).and_then(|s| s.last_seq()).is_ok_and(|n| n == events);
    if ok {
        return dir.to_path_buf();
    }
    if dir.exists() {
        std::fs::remove_dir_all(dir).expect("remove the stale bench store");
    }
    std::fs::create_dir_all(dir).expect("create the bench store dir");
    eprintln!("building a store of {events} events over {days} days in {} ...", dir.display());
    let start = Instant::now();
    build_history(dir, events, days);
    let built = start.elapsed();
    let size = dir_size(dir);
    eprintln!(
        "built the {events}-event store in {:.1} s ({:.0} events/s, {:.0} MB on disk)",
        built.as_secs_f64(),
        events as f64 / built.as_secs_f64(),
        size as f64 / 1e6
    );
    // The first open after a long run of writes recovers sled's log since its last snapshot.
    let start = Instant::now();
    let rows = open_and_table(dir, days);
    eprintln!("first open after the build (sled log recovery) + stock table: {:.0} ms, {rows} rows", ms(start));
    std::fs::write(&marker, expect).expect("write the marker");
    dir.to_path_buf()
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => dir_size(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}

fn ms(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1e3
}

// ---------------------------------------------------------------------------------------------
// open/1m and peak memory

/// Opens the engine on `dir` at the end of its history and computes the stock table.
fn open_and_table(dir: &Path, days: u32) -> usize {
    let now = open_time(days);
    let engine = Engine::open(dir, Arc::new(ManualClock::new(now)), Thresholds::default()).expect("open the store");
    let rows = stock_rows(engine.state(), now.date_naive(), None, None, false);
    assert!(!rows.is_empty(), "the stock table is empty");
    rows.len()
}

fn vm_hwm_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The child: open + stock table, print the peak resident set, exit.
fn child(dir: &str, days: &str) {
    let days: u32 = days.parse().expect("days");
    let before = vm_hwm_kb();
    let start = Instant::now();
    let rows = open_and_table(Path::new(dir), days);
    let took = ms(start);
    let after = vm_hwm_kb();
    println!(
        "rows={rows} ms={took:.1} hwm_before_kb={} hwm_kb={}",
        before.unwrap_or_default(),
        after.unwrap_or_default()
    );
}

fn peak_memory(dir: &Path, days: u32, label: &str) {
    let exe = std::env::current_exe().expect("this executable");
    let out = std::process::Command::new(exe)
        .env(CHILD_DIR, dir)
        .env(CHILD_DAYS, days.to_string())
        .output()
        .expect("run the peak-memory child");
    let text = String::from_utf8_lossy(&out.stdout);
    let field = |name: &str| -> Option<f64> {
        text.split_whitespace().find_map(|w| w.strip_prefix(name)?.strip_prefix('=')?.parse().ok())
    };
    match (out.status.success(), field("hwm_kb"), field("ms"), field("hwm_before_kb")) {
        (true, Some(kb), Some(took), before) => {
            let mb = kb / 1024.0;
            let verdict = if mb < 100.0 { "meets" } else { "MISSES" };
            println!(
                "{label}: peak memory (VmHWM) of a fresh process opening the store and computing the stock table: \
                 {mb:.1} MiB ({verdict} the < 100 MB target; {:.1} MiB before opening); that open took {took:.0} ms",
                before.unwrap_or_default() / 1024.0
            );
        }
        _ => println!(
            "{label}: peak memory not measured: the child failed ({}): {}{}",
            out.status,
            text,
            String::from_utf8_lossy(&out.stderr)
        ),
    }
}

fn open_benches(c: &mut Criterion, scratch: &Path, full: bool) {
    let (events, days) = if full { (BIG_EVENTS, BIG_DAYS) } else { (SMALL_EVENTS, SMALL_DAYS) };
    let small = if full { None } else { Some(tempfile::tempdir_in(scratch).expect("temp dir")) };
    let store: OnceLock<PathBuf> = OnceLock::new();
    let dir = || {
        store.get_or_init(|| match &small {
            Some(t) => ensure_store(t.path(), events, days),
            None => ensure_store(&bench_data_dir().join(format!("ledger-{events}")), events, days),
        })
    };
    let mut group = c.benchmark_group("open");
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.warm_up_time(std::time::Duration::from_secs(1));
    group.measurement_time(std::time::Duration::from_secs(8));
    // Built lazily, so that a filter that skips `open/1m` does not build the store.
    let mut measured = false;
    group.bench_function("1m", |b| {
        let dir = dir();
        measured = true;
        b.iter_custom(|iters| {
            let mut total = std::time::Duration::ZERO;
            for _ in 0..iters {
                let now = open_time(days);
                let start = Instant::now();
                let engine =
                    Engine::open(dir, Arc::new(ManualClock::new(now)), Thresholds::default()).expect("open the store");
                let rows = stock_rows(engine.state(), now.date_naive(), None, None, false);
                std::hint::black_box(rows.len());
                total += start.elapsed();
                // Closing the store (joining sled's flusher) is not part of opening it.
                drop(rows);
                drop(engine);
            }
            total
        })
    });
    group.finish();
    if measured {
        peak_memory(dir(), days, &format!("open/{}", if full { "1m" } else { "small" }));
    }
}

fn main() {
    if let (Ok(dir), Ok(days)) = (std::env::var(CHILD_DIR), std::env::var(CHILD_DAYS)) {
        child(&dir, &days);
        return;
    }
    let full = benchmarking();
    let scratch = if full { bench_data_dir() } else { std::env::temp_dir() };
    std::fs::create_dir_all(&scratch).expect("create the bench data dir");
    let mut c = Criterion::default().configure_from_args();
    commit_benches(&mut c, &scratch);
    open_benches(&mut c, &scratch, full);
    c.final_summary();
}
