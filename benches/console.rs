//! Render time of the duty console (a full frame into a ratatui TestBackend): the demo town at
//! 200x50 (target: under 2 ms median) and a large county of 500 points x 60 items (target: under
//! 5 ms). Also the replenishment plan: the demo town, and 500 points x 60 items with a reserve
//! depot (target: under 50 ms), both from the ledger's cover model (`baogong plan`) and from the
//! rates a console already holds (the `P` screen).

use baogong::domain::alerts::Thresholds;
use baogong::domain::command::{Command, Event, Face, LotTake, Record, Resolved, Source};
use baogong::domain::rules::plan::{self, PlanSettings};
use baogong::domain::{Item, ItemGroup, Lang, Point, PointKind, Qty, ResponseLevel, State, Zone};
use baogong::engine::{Engine, ManualClock};
use baogong::scenario::{self, Scenario};
use baogong::tui::faces::render;
use baogong::tui::model::{Model, Panel};
use baogong::tui::theme::Theme;
use chrono::{DateTime, Duration, FixedOffset};
use criterion::{criterion_group, criterion_main, Criterion};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::sync::Arc;

fn fixed_now() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-29T10:30:00+08:00").expect("fixed time")
}

fn demo_state() -> State {
    let dir = tempfile::tempdir().expect("temp dir");
    let now = fixed_now();
    let mut engine =
        Engine::open(dir.path(), Arc::new(ManualClock::new(now)), Thresholds::default()).expect("open store");
    scenario::seed(&mut engine, &Scenario::demo().expect("demo"), now).expect("seed demo");
    engine.state().clone()
}

fn event(seq: u64, at: DateTime<FixedOffset>, cmd: Command, resolved: Resolved) -> Event {
    Event {
        seq,
        at,
        actor: "bench".into(),
        face: Face::System,
        cmd_id: format!("b{seq}"),
        cmd,
        resolved,
        alerts: Default::default(),
    }
}

/// Applies a restock of unbatched stock as event `seq`.
fn restock(state: &mut State, seq: u64, at: DateTime<FixedOffset>, point: &str, item: &str, qty: Qty, source: Source) {
    let cmd = Command::Restock {
        point: point.into(),
        item: item.into(),
        qty,
        source,
        batch: None,
        expiry: None,
        note: String::new(),
    };
    let lots = vec![LotTake { batch: String::new(), expiry: None, qty }];
    state.apply(&event(seq, at, cmd, Resolved { lots, ..Resolved::default() }));
}

/// 500 points in 10 zones, 60 items, every point carrying every item, a week of deliveries.
fn large_state() -> State {
    let mut state = State::default();
    let t0 = fixed_now() - Duration::days(8);
    let zones: Vec<Record> = (0..10)
        .map(|z| Record::Zone(Zone { code: format!("Z{z}"), name: format!("片区{z}"), lead: String::new() }))
        .collect();
    let points: Vec<Record> = (0..500)
        .map(|p| {
            Record::Point(Point {
                code: format!("P{p:03}"),
                name: format!("送货点{p:03}号超市"),
                kind: PointKind::Delivery,
                zone: format!("Z{}", p % 10),
                households: 800 + (p % 7) * 50,
                population: 3000,
                staff: 8,
                vehicles: 2,
                manager: String::new(),
                phone: String::new(),
                carries: Vec::new(),
            })
        })
        .collect();
    let items: Vec<Record> = (0..60)
        .map(|i| {
            Record::Item(Item {
                code: format!("i{i:02}"),
                name_zh: format!("物资{i:02}"),
                name_en: format!("Item {i:02}"),
                group: ItemGroup::ALL[i % ItemGroup::ALL.len()],
                unit: "kg".into(),
                norm_days: 7.0,
                max_days: Some(30.0),
                per_household_daily: 0.1,
                components: Vec::new(),
            })
        })
        .collect();
    let mut seq = 1;
    let mut records = zones;
    records.extend(points);
    records.extend(items);
    state.apply(&event(seq, t0, Command::Upsert { records }, Resolved::default()));
    for p in 0..500 {
        for i in 0..60 {
            seq += 1;
            let qty = Qty::units(100 + ((p * 7 + i * 13) % 900) as i64);
            restock(&mut state, seq, t0, &format!("P{p:03}"), &format!("i{i:02}"), qty, Source::Supplier);
        }
    }
    state
}

/// The large county plus a reserve depot holding every item.
fn with_depot(mut state: State) -> State {
    let t0 = fixed_now() - Duration::days(8);
    let mut seq = state.last_seq + 1;
    let depot = Record::Point(Point {
        code: "DEPOT".into(),
        name: "县物资储备库".into(),
        kind: PointKind::Depot,
        zone: "Z0".into(),
        households: 0,
        population: 0,
        staff: 20,
        vehicles: 10,
        manager: String::new(),
        phone: String::new(),
        carries: Vec::new(),
    });
    state.apply(&event(seq, t0, Command::Upsert { records: vec![depot] }, Resolved::default()));
    for i in 0..60 {
        seq += 1;
        restock(&mut state, seq, t0, "DEPOT", &format!("i{i:02}"), Qty::units(20_000), Source::Reserve);
    }
    state
}

fn plans(c: &mut Criterion) {
    let mut g = c.benchmark_group("plan");
    let settings = PlanSettings::default();
    let today = fixed_now().date_naive();
    let demo = demo_state();
    g.bench_function("demo", |b| b.iter(|| plan::plan(&demo, today, &settings, None, None)));
    let county = with_depot(large_state());
    let p = plan::plan(&county, today, &settings, None, None);
    eprintln!("county plan: {} transfers, {} requests", p.transfers.len(), p.requests.len());
    g.bench_function("county_500x60", |b| b.iter(|| plan::plan(&county, today, &settings, None, None)));
    let model = Model::new(county, fixed_now(), Lang::Zh, "bench".into(), Thresholds::default());
    g.bench_function("county_500x60_console", |b| b.iter(|| model.compute_plan(ResponseLevel::Level3)));
    g.finish();
}

fn frame(model: &Model, terminal: &mut Terminal<TestBackend>) {
    terminal.draw(|f| render(model, Theme { color: true }, f)).expect("draw");
}

fn benches(c: &mut Criterion) {
    let mut g = c.benchmark_group("render");
    let demo = Model::new(demo_state(), fixed_now(), Lang::Zh, "bench".into(), Thresholds::default());
    let mut term = Terminal::new(TestBackend::new(200, 50)).expect("terminal");
    g.bench_function("demo_200x50", |b| b.iter(|| frame(&demo, &mut term)));
    let mut small = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    g.bench_function("demo_80x24", |b| b.iter(|| frame(&demo, &mut small)));
    let mut large = Model::new(large_state(), fixed_now(), Lang::Zh, "bench".into(), Thresholds::default());
    g.bench_function("county_500x60_200x50", |b| b.iter(|| frame(&large, &mut term)));
    large.panel = Panel::Points;
    large.stock_point = Some("P250".into());
    g.bench_function("county_500x60_point_200x50", |b| b.iter(|| frame(&large, &mut term)));
    g.finish();
}

criterion_group!(console, benches, plans);
criterion_main!(console);
