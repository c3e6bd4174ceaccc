//! Live push latency through the daemon: starts `baogong serve` on a temporary store, attaches
//! 50 subscribed faces over the Unix socket, then submits commands one at a time from another
//! client and measures, for every face, the time from sending the command to the event's arrival
//! (an upper bound on commit-to-arrival). Prints p50, p99 and max; the target is p99 under
//! 100 ms. A bench binary rather than criterion: the figure is a distribution over faces.
//! `cargo bench --bench fanout` runs it; under `cargo test` it does nothing.

use baogong::domain::command::{Command, Source};
use baogong::domain::Qty;
use baogong::engine::Request;
use baogong::link::client;
use baogong::proto::{Down, FaceKind};
use std::process::{Command as Proc, Stdio};
use std::time::{Duration, Instant};

const FACES: usize = 50;
const COMMANDS: usize = 200;

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = tmp.path().join("data");
    let scenario = tmp.path().join("town.toml");
    std::fs::write(&scenario, include_str!("../tests/common/town.toml")).expect("scenario");
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
