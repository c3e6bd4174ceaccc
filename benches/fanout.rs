//! Live push latency through the daemon: starts `baogong serve` on a temporary store, attaches
//! 50 subscribed faces over the Unix socket, then submits commands one at a time from another
//! client and measures, for every face, the time from sending the command to the event's arrival
//! (an upper bound on commit-to-arrival). Prints p50, p99 and max; the target is p99 under
//! 100 ms. A bench binary rather than criterion: the figure is a distribution over faces.
//! Then the sustained rate: a wall and 20 point faces attached and draining every event while
//! 8 clients submit restocks as fast as the daemon acknowledges them for 10 s; prints commands
//! per second and checks that every face received every event.
//! `cargo bench --bench fanout` runs it; under `cargo test` it does nothing.

use baogong::api::Request;
use baogong::domain::command::{Command, Source};
use baogong::domain::Qty;
use baogong::link::client;
use baogong::proto::{Down, FaceKind};
use std::process::{Command as Proc, Stdio};
use std::time::{Duration, Instant};

const FACES: usize = 50;
const COMMANDS: usize = 200;
/// Faces attached while the sustained rate is measured: a wall and this many point faces.
const POINT_FACES: usize = 20;
const WRITERS: usize = 8;
const SUSTAIN: Duration = Duration::from_secs(10);

fn restock(n: usize) -> Command {
    Command::Restock {
        point: if n.is_multiple_of(2) { "P01" } else { "P02" }.into(),
        item: "rice".into(),
        qty: Qty::units(1),
        source: Source::Supplier,
        batch: None,
        expiry: None,
        note: String::new(),
    }
}

/// Commands per second acknowledged while a wall and `POINT_FACES` point faces are attached.
async fn sustained(data: &std::path::Path) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    let received = Arc::new(AtomicUsize::new(0));
    let mut faces = vec![FaceKind::Wall];
    faces.extend(
        (0..POINT_FACES).map(|k| FaceKind::Point { point: if k.is_multiple_of(2) { "P01" } else { "P02" }.into() }),
    );
    let n_faces = faces.len();
    for face in faces {
        let (mut s, _) = client::connect(data, face, true).await.expect("attach");
        let received = received.clone();
        tokio::spawn(async move {
            while let Ok(d) = s.recv().await {
                if matches!(d, Down::Event(_)) {
                    received.fetch_add(1, Ordering::Relaxed);
                }
            }
        });
    }
    let start = Instant::now();
    let mut writers = Vec::new();
    for w in 0..WRITERS {
        let data = data.to_path_buf();
        writers.push(tokio::spawn(async move {
            let (mut s, _) = client::connect(&data, FaceKind::Cli, false).await.expect("attach");
            let mut n = 0usize;
            while start.elapsed() < SUSTAIN {
                let req = Request { cmd_id: format!("sus-{w}-{n}"), cmd: restock(n) };
                assert!(s.submit(req).await.expect("reply").is_ok());
                n += 1;
            }
            n
        }));
    }
    let mut acked = 0;
    for w in writers {
        acked += w.await.expect("writer");
    }
    let secs = start.elapsed().as_secs_f64();
    // Every face gets every event (they may still be draining).
    let want = acked * n_faces;
    let deadline = Instant::now() + Duration::from_secs(30);
    while received.load(Ordering::Relaxed) < want && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let got = received.load(Ordering::Relaxed);
    println!(
        "fanout/sustained: {:.0} commands/s acknowledged from {WRITERS} clients over {secs:.1} s ({acked} commands) with a wall and {POINT_FACES} point faces attached; faces received {got} of {want} events",
        acked as f64 / secs
    );
    assert_eq!(got, want, "every face received every event");
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = tmp.path().join("data");
    let scenario = tmp.path().join("town.toml");
    std::fs::write(&scenario, include_str!("../tests/support/town.toml")).expect("scenario");
    let bin = env!("CARGO_BIN_EXE_baogong");
    let ok =
        Proc::new(bin).arg("--data").arg(&data).args(["init", "--scenario"]).arg(&scenario).status().expect("init");
    assert!(ok.success());
    let mut daemon = Proc::new(bin).arg("--data").arg(&data).arg("serve").stderr(Stdio::null()).spawn().expect("serve");
    let deadline = Instant::now() + Duration::from_secs(20);
    while !client::daemon_running(&data) {
        assert!(Instant::now() < deadline, "daemon did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    // First, before the 50 faces below attach: only a wall and 20 point faces.
    rt.block_on(sustained(&data));
    let samples = rt.block_on(async {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(String, Instant)>();
        for _ in 0..FACES {
            let (mut s, _) = client::connect(&data, FaceKind::Wall, true).await.expect("attach");
            let tx = tx.clone();
            tokio::spawn(async move {
                while let Ok(d) = s.recv().await {
                    if let Down::Event(ev) = d {
                        let _ = tx.send((ev.cmd_id.clone(), Instant::now()));
                    }
                }
            });
        }
        let (mut writer, _) = client::connect(&data, FaceKind::Cli, false).await.expect("attach");
        let mut samples = Vec::with_capacity(FACES * COMMANDS);
        for n in 0..COMMANDS {
            let id = format!("fan-{n}");
            let cmd = Command::Restock {
                point: "P01".into(),
                item: "rice".into(),
                qty: Qty::units(1),
                source: Source::Supplier,
                batch: None,
                expiry: None,
                note: String::new(),
            };
            let sent = Instant::now();
            let reply = writer.submit(Request { cmd_id: id.clone(), cmd }).await.expect("reply");
            assert!(reply.is_ok());
            let mut got = 0;
            while got < FACES {
                let (cmd_id, at) =
                    tokio::time::timeout(Duration::from_secs(10), rx.recv()).await.expect("event").expect("open");
                if cmd_id == id {
                    samples.push(at.duration_since(sent));
                    got += 1;
                }
            }
        }
        samples
    });
    let _ = daemon.kill();
    let _ = daemon.wait();
    let mut ms: Vec<f64> = samples.iter().map(|d| d.as_secs_f64() * 1000.0).collect();
    ms.sort_by(f64::total_cmp);
    let pct = |p: f64| ms[((ms.len() as f64 * p) as usize).min(ms.len() - 1)];
    println!(
        "fanout/{FACES}_faces: {} samples, send-to-arrival p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms (target p99 < 100 ms)",
        ms.len(),
        pct(0.50),
        pct(0.99),
        ms[ms.len() - 1]
    );
}
