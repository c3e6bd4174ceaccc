//! The full-screen faces on the generated district (`baogong init --district --days N`: 20
//! zones, 600 points, 3,000 villages, 60 items; `BAOGONG_DISTRICT_DAYS`, default 2), with the
//! targets of issue 12. Each face runs in a child process of this binary, opened exactly as the
//! binary opens it (`tui::open_face`) and drawn into a 200x50 `TestBackend`:
//!
//! - `first`: the first screen, from `open_face` to the first frame drawn, attached to a
//!   running `baogong serve` (target ≤ 500 ms) and embedded over the store (target ≤ 1 s);
//! - `memory`: the face's peak resident memory (VmHWM) once attached and drawn, and after the
//!   catch-up below (target ≤ 80 MB);
//! - `catch-up`: another client sends 1,000 ordinary commands (restocks and deliveries to
//!   villages, spread over the points) in one second through the daemon; the face applies what
//!   arrives as its loop does (everything queued, up to 100 ms, then one frame) and the figure
//!   is the time from the last command's acknowledgement to the frame that shows the last
//!   event (target ≤ 1 s).
//!
//! Console, point face (P0021) and wall, `RUNS` children each; medians printed. The seeded
//! store is cached in `target/bench-data/`, keyed by the days of history and the date (the
//! history is seeded up to today). Run: `cargo bench --bench faces` (add `-- first`,
//! `-- catch-up` to run one part: memory comes with both). A plain binary: under `cargo test`
//! it does nothing.

#[path = "support/store.rs"]
mod store;
#[path = "support/mod.rs"]
mod support;
use baogong::api::Request;
use baogong::config::Config;
use baogong::domain::command::{Command, Dest, Source};
use baogong::domain::{Lang, PointKind, Qty};
use baogong::link::client::{self, LinkMsg};
use baogong::proto::FaceKind;
use baogong::tui::theme::Theme;
use baogong::tui::update::{update, Msg};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command as Proc, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use store::{cached, district_days, median};

const BIN: &str = env!("CARGO_BIN_EXE_baogong");
const CHILD_FACE: &str = "BAOGONG_BENCH_FACE";
const CHILD_DIR: &str = "BAOGONG_BENCH_DIR";
/// Children per face and part; the figures are their medians.
const RUNS: usize = 3;
const COMMANDS: usize = 1_000;
const WRITERS: usize = 4;
/// The longest a burst of queued events delays a frame, as in the app loop.
const BURST: Duration = Duration::from_millis(100);
const POINT: &str = "P0021";

fn unix_ms() -> f64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

fn status_mb(field: &str) -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb: f64 = (status.lines().find(|l| l.starts_with(field)))
        .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        .unwrap_or(f64::NAN);
    kb / 1024.0
}

fn face_of(name: &str) -> FaceKind {
    match name {
        "wall" => FaceKind::Wall,
        "point" => FaceKind::Point { point: POINT.into() },
        _ => FaceKind::Console,
    }
}

/// The child: opens the face, draws the first frame and says so (`ready first_ms=… rss_mb=…`);
/// then applies events as the app loop does until it has shown `COMMANDS` events of the
/// catch-up (`caught_up_unix_ms=… hwm_mb=…`), or, with nothing to catch up, ends.
fn child(face: &str, dir: &Path) {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().expect("runtime");
    let config = Config::load(dir).expect("config");
    let mut term = Terminal::new(TestBackend::new(200, 50)).expect("terminal");
    let theme = Theme { color: true };
    let start = Instant::now();
    let open = baogong::tui::open_face(dir, &config, Lang::Zh, face_of(face), 0, &rt).expect("open the face");
    let (mut model, mut msgs, sender) = (open.model, open.msgs, open.sender);
    term.draw(|f| baogong::tui::faces::render(&model, theme, f)).expect("draw");
    let first_ms = start.elapsed().as_secs_f64() * 1000.0;
    println!("ready first_ms={first_ms:.1} hwm_mb={:.1} rss_mb={:.1}", status_mb("VmHWM:"), status_mb("VmRSS:"));
    let _ = std::io::stdout().flush();
    if std::env::var("BAOGONG_BENCH_CATCHUP").is_err() {
        sender.close();
        return;
    }
    let mut shown = 0usize;
    while shown < COMMANDS {
        let Some(first) = rt.block_on(msgs.recv()) else { break };
        let burst = Instant::now();
        let mut next = Some(first);
        while let Some(msg) = next.take() {
            if let LinkMsg::Event(ev) = msg {
                shown += usize::from(ev.cmd_id.starts_with("catch-"));
                update(&mut model, Msg::Event(ev));
            }
            if burst.elapsed() >= BURST {
                break;
            }
            next = msgs.try_recv().ok();
        }
        term.draw(|f| baogong::tui::faces::render(&model, theme, f)).expect("draw");
    }
    println!("caught_up_unix_ms={:.1} hwm_mb={:.1}", unix_ms(), status_mb("VmHWM:"));
    let _ = std::io::stdout().flush();
    sender.close();
}

/// A child running `face` over `dir`, and the lines it prints.
fn spawn_child(face: &str, dir: &Path, catch_up: bool) -> (Child, std::sync::mpsc::Receiver<String>) {
    let exe = std::env::current_exe().expect("this executable");
    let mut cmd = Proc::new(exe);
    cmd.env(CHILD_FACE, face).env(CHILD_DIR, dir).stdout(Stdio::piped()).stderr(Stdio::inherit());
    if catch_up {
        cmd.env("BAOGONG_BENCH_CATCHUP", "1");
    }
    let mut child = cmd.spawn().expect("spawn the face");
    let out = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    (child, rx)
}

fn field(line: &str, name: &str) -> f64 {
    line.split_whitespace().find_map(|w| w.strip_prefix(name)?.strip_prefix('=')?.parse().ok()).unwrap_or(f64::NAN)
}

fn wait_line(rx: &std::sync::mpsc::Receiver<String>, prefix: &str) -> String {
    loop {
        match rx.recv_timeout(Duration::from_secs(120)) {
            Ok(l) if l.starts_with(prefix) => return l,
            Ok(_) => {}
            Err(e) => panic!("the face said no `{prefix}`: {e}"),
        }
    }
}

/// The district seeded up to today by the binary itself, cached per days of history and date
/// (`support::store::cached`).
fn seeded(days: u32) -> PathBuf {
    let today = chrono::Local::now().date_naive();
    let dir = cached(&format!("faces-district-{days}d-{today}"), |dir| {
        let ok = Proc::new(BIN)
            .arg("--data")
            .arg(dir.join("data"))
            .args(["init", "--district", "--days", &days.to_string()])
            .stdout(Stdio::null())
            .status()
            .expect("init");
        assert!(ok.success(), "init --district failed");
    });
    dir.join("data")
}

/// The first screen of each face over `dir`, `RUNS` children each, medians printed under
/// `mode` (embedded, or attached when a daemon serves `dir`).
fn first_screens(faces: &[&str], dir: &Path, mode: &str, days: u32) {
    for face in faces {
        let (mut first, mut hwm) = (Vec::new(), Vec::new());
        for _ in 0..RUNS {
            let (mut c, rx) = spawn_child(face, dir, false);
            let line = wait_line(&rx, "ready");
            let _ = c.wait();
            first.push(field(&line, "first_ms"));
            hwm.push(field(&line, "hwm_mb"));
        }
        println!(
            "first/{face}/{mode}/district-{days}d: first screen {:.0} ms, peak {:.1} MB (median of {RUNS})",
            median(first),
            median(hwm)
        );
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else if entry.file_name() != baogong::proto::SOCKET {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

/// Ordinary commands spread over the delivery points: a restock of a carried item, then a
/// delivery of one unit of it to one of the point's villages.
fn commands(dir: &Path, rt: &tokio::runtime::Runtime) -> Vec<Command> {
    let (_, state) = rt.block_on(client::connect(dir, FaceKind::Cli, true)).expect("attach");
    let st = state.expect("state");
    let points: Vec<_> = st.points.values().filter(|p| p.kind == PointKind::Delivery).collect();
    (0..COMMANDS)
        .map(|k| {
            let p = points[(k / 2 * 37) % points.len()];
            let item = st.pairs.keys().filter(|(pp, _)| *pp == p.code).nth(k / 2 % 7).map(|(_, i)| i.clone());
            let item = item.expect("a carried item");
            let village = st.villages.values().find(|v| v.point == p.code).map(|v| v.code.clone()).expect("a village");
            if k % 2 == 0 {
                Command::Restock {
                    point: p.code.clone(),
                    item,
                    qty: Qty::units(10),
                    source: Source::Supplier,
                    batch: None,
                    expiry: None,
                    note: String::new(),
                }
            } else {
                Command::Dispatch {
                    from: p.code.clone(),
                    to: Dest::Village(village),
                    item,
                    qty: Qty::units(1),
                    vehicle: None,
                    note: String::new(),
                    requests: Vec::new(),
                }
            }
        })
        .collect()
}

/// Sends `cmds` through the daemon at `COMMANDS` a second from `WRITERS` clients; the time of
/// the last acknowledgement (ms since the epoch) and how many were refused.
fn send_in_a_second(dir: &Path, rt: &tokio::runtime::Runtime, cmds: &[Command], run: usize) -> (f64, usize) {
    rt.block_on(async {
        let start = Instant::now();
        let mut writers = Vec::new();
        for w in 0..WRITERS {
            let (mut s, _) = client::connect(dir, FaceKind::Cli, false).await.expect("attach a writer");
            let mine: Vec<(usize, Command)> =
                cmds.iter().cloned().enumerate().filter(|(k, _)| k % WRITERS == w).collect();
            writers.push(tokio::spawn(async move {
                let (mut last, mut refused) = (0.0f64, 0usize);
                for (k, cmd) in mine {
                    let due = start + Duration::from_secs(1) * k as u32 / COMMANDS as u32;
                    tokio::time::sleep_until(due.into()).await;
                    let req = Request { cmd_id: format!("catch-{run}-{k}"), cmd };
                    refused += usize::from(s.submit(req).await.expect("reply").is_err());
                    last = last.max(unix_ms());
                }
                (last, refused)
            }));
        }
        let mut out = (0.0f64, 0usize);
        for w in writers {
            let (last, refused) = w.await.expect("writer");
            out = (out.0.max(last), out.1 + refused);
        }
        out
    })
}

fn start_daemon(dir: &Path) -> Child {
    let daemon = Proc::new(BIN).arg("--data").arg(dir).arg("serve").stderr(Stdio::null()).spawn().expect("serve");
    let deadline = Instant::now() + Duration::from_secs(60);
    while !client::daemon_running(dir) {
        assert!(Instant::now() < deadline, "the daemon did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    daemon
}

fn main() {
    if let (Ok(face), Ok(dir)) = (std::env::var(CHILD_FACE), std::env::var(CHILD_DIR)) {
        child(&face, Path::new(&dir));
        return;
    }
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let want = |part: &str| args.is_empty() || args.iter().any(|a| a == part);
    let days = district_days();
    let store = seeded(days);
    let faces = ["console", "point", "wall"];
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("data");
    copy_dir(&store, &dir);
    if want("first") {
        first_screens(&faces, &dir, "embedded", days);
    }
    let mut daemon = start_daemon(&dir);
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    if want("first") {
        first_screens(&faces, &dir, "attached", days);
    }
    if want("catch-up") {
        let cmds = commands(&dir, &rt);
        let mut run = 0;
        for face in faces {
            let (mut behind, mut hwm) = (Vec::new(), Vec::new());
            for _ in 0..RUNS {
                run += 1;
                let (mut c, rx) = spawn_child(face, &dir, true);
                wait_line(&rx, "ready");
                let (last_ack, refused) = send_in_a_second(&dir, &rt, &cmds, run);
                assert_eq!(refused, 0, "every command of the catch-up is accepted");
                let line = wait_line(&rx, "caught_up");
                let _ = c.wait();
                behind.push(field(&line, "caught_up_unix_ms") - last_ack);
                hwm.push(field(&line, "hwm_mb"));
            }
            println!(
                "catch-up/{face}/district-{days}d: {COMMANDS} commands in 1 s, caught up {:.0} ms after the last \
                 (target <= 1000), peak {:.1} MB (median of {RUNS})",
                median(behind).max(0.0),
                median(hwm)
            );
        }
    }
    let _ = daemon.kill();
    let _ = daemon.wait();
}
