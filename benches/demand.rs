//! The demand side at city scale (plain binary, medians printed), on the generated district
//! (`Scenario::district`: 20 zones, 600 points, 3,000 villages), with the targets of issue 14:
//!
//! - `tallies`: a day of village tallies for the 3,000 villages (3 lines each, 9,000 rows)
//!   imported as `import tallies` does it: the file checked whole, then all-or-nothing slices of
//!   `import::SLICE` commands; each tally's lines become requests. Target: ≤ 5 s.
//! - `schedule`: the rows of `schedule` (today and tomorrow, every zone) for the district with
//!   3 slots per zone and one request per village booked into them. Target: ≤ 50 ms.
//!
//! Each part builds a fresh store of the district's reference data in a temp directory (no
//! history: under a second). Run: `cargo bench --bench demand` (`-- tallies` / `-- schedule`
//! runs one part).
//!
//! Medians on the shared 2-core machine: tallies 3.3 s for a day (the first day into an empty
//! store 1.5 s, later days about 3.3 s); schedule 1.5 ms for 40 zone-days and 3,000 bookings.

use baogong::api::{Caller, Request};
use baogong::domain::alerts::Thresholds;
use baogong::domain::command::{Command, Face};
use baogong::domain::demand::{DemandSettings, Requester, Slot};
use baogong::domain::Qty;
use baogong::engine::{Engine, ManualClock};
use baogong::scenario::{self, Scenario};
use chrono::{DateTime, Duration, FixedOffset, NaiveTime, TimeZone};
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

fn now() -> DateTime<FixedOffset> {
    let tz = FixedOffset::east_opt(8 * 3600).expect("UTC+8");
    tz.with_ymd_and_hms(2026, 3, 16, 11, 0, 0).single().expect("time")
}

fn caller() -> Caller {
    Caller::officer("bench", Face::Cli)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

/// A fresh store holding the district's reference data, and the district.
fn district(dir: &Path) -> (Engine, Scenario) {
    let mut sc = Scenario::district(7, 0).expect("district");
    sc.history = None;
    let clock = ManualClock::new(now());
    let mut engine = Engine::open(dir, Arc::new(clock), Thresholds::default()).expect("open");
    let start = Instant::now();
    scenario::seed(&mut engine, &sc, now()).expect("reference data");
    println!("district reference data seeded in {:.1} s", start.elapsed().as_secs_f64());
    (engine, sc)
}

/// The tallies file of one day: three lines for every village.
fn tallies_csv(sc: &Scenario, day: chrono::NaiveDate) -> String {
    let items: Vec<&str> = sc.items.iter().take(3).map(|i| i.code.as_str()).collect();
    let mut out = String::from("village,date,item,qty\n");
    for (n, v) in sc.villages.iter().enumerate() {
        for (k, item) in items.iter().enumerate() {
            out.push_str(&format!("{},{day},{item},{}\n", v.code, 5 + (n + k) % 20));
        }
    }
    out
}

fn tallies() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (mut engine, sc) = district(&tmp.path().join("store"));
    let mut secs = Vec::new();
    for back in 0..3 {
        let day = now().date_naive() - Duration::days(back);
        let text = tallies_csv(&sc, day);
        let start = Instant::now();
        let plan = baogong::import::plan(
            baogong::import::Kind::Tallies,
            "tallies.csv",
            &text,
            engine.state(),
            now().date_naive(),
            *now().offset(),
        )
        .expect("a good file");
        let reqs: Vec<_> = plan.commands.into_iter().map(|(cmd_id, cmd)| (caller(), Request { cmd_id, cmd })).collect();
        let mut ok = 0;
        for slice in reqs.chunks(baogong::import::SLICE) {
            ok += engine.submit_atomic(slice.to_vec()).iter().filter(|r| r.is_ok()).count();
        }
        let s = start.elapsed().as_secs_f64();
        println!("tallies/{day}: {} rows, {ok} tallies recorded in {s:.2} s", plan.rows);
        secs.push(s);
    }
    println!("tallies: median {:.2} s for a day of 3,000 villages (target <= 5 s)", median(secs));
}

fn slots(sc: &Scenario) -> DemandSettings {
    let t = |h| NaiveTime::from_hms_opt(h, 0, 0).expect("time");
    let slots = sc
        .zones
        .iter()
        .flat_map(|z| {
            [("AM", 8, 11), ("NOON", 11, 14), ("PM", 14, 17)].map(|(code, a, b)| Slot {
                zone: z.code.clone(),
                code: code.into(),
                start: t(a),
                end: t(b),
                trips: 2,
                days: Vec::new(),
            })
        })
        .collect();
    DemandSettings { slots, ..DemandSettings::default() }
}

fn schedule() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (mut engine, sc) = district(&tmp.path().join("store"));
    let demand = slots(&sc);
    engine.set_demand(demand.clone());
    let item = sc.items[0].code.clone();
    let tomorrow = now().date_naive() + Duration::days(1);
    let mut n = 0u64;
    let mut submit = |engine: &mut Engine, cmd: Command| {
        n += 1;
        engine.submit(&caller(), Request { cmd_id: format!("bench-{n}"), cmd }).expect("accepted")
    };
    let start = Instant::now();
    for (k, v) in sc.villages.iter().enumerate() {
        let requester = Requester::Village { code: v.code.clone() };
        let ask = Command::Request {
            requester,
            item: item.clone(),
            qty: Qty::units(10),
            by: tomorrow,
            slot: None,
            urgent: false,
            note: String::new(),
        };
        let q = submit(&mut engine, ask).request.expect("request id");
        submit(&mut engine, Command::Approve { request: q.clone(), qty: None, reason: String::new() });
        let slot = ["AM", "NOON", "PM"][k % 3].to_string();
        submit(&mut engine, Command::Schedule { request: q, slot, date: None, vehicle: None });
    }
    println!("schedule: {} requests booked in {:.1} s", sc.villages.len(), start.elapsed().as_secs_f64());
    let st = engine.state();
    let dates = [now().date_naive(), tomorrow];
    let ms: Vec<f64> = (0..11)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(baogong::views::schedule::rows(st, &demand, &dates, None).len());
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    let rows = baogong::views::schedule::rows(st, &demand, &dates, None);
    let booked: usize = rows.iter().flat_map(|z| &z.slots).map(|s| s.requests).sum();
    println!(
        "schedule/district: median {:.1} ms for {} zone-days, {booked} bookings (target <= 50 ms)",
        median(ms),
        rows.len()
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let want = |part: &str| args.is_empty() || args.iter().any(|a| a == part);
    if want("tallies") {
        tallies();
    }
    if want("schedule") {
        schedule();
    }
}
