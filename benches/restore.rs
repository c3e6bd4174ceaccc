//! Restoring an exported event log: `baogong export events` of the 1,000,000-event store that
//! `cargo bench --bench ledger` builds under `target/bench-data/`, then `baogong import events`
//! into an empty data directory, timed as whole commands (the release binary), followed by
//! `check`. Target: under 60 s. A bench binary rather than criterion: one run takes about a
//! minute. `cargo bench --bench restore` runs it; under `cargo test` it does nothing.

use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let bin = env!("CARGO_BIN_EXE_baogong");
    let target = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target");
    let store = target.join("bench-data").join("ledger-1000000");
    if !store.join("store").is_dir() {
        println!("restore: no 1M-event store at {}; build it first with `cargo bench --bench ledger`", store.display());
        return;
    }
    let tmp = tempfile::tempdir_in(&target).expect("temp dir");
    let log = tmp.path().join("events.jsonl");
    let start = Instant::now();
    let out = Command::new(bin).arg("--data").arg(&store).args(["export", "events"]).output().expect("export");
    assert!(out.status.success(), "export failed: {}", String::from_utf8_lossy(&out.stderr));
    std::fs::write(&log, &out.stdout).expect("write the log");
    let exported = start.elapsed();
    let lines = out.stdout.iter().filter(|b| **b == b'\n').count();
    let data = tmp.path().join("restored");
    let start = Instant::now();
    let st = Command::new(bin).arg("--data").arg(&data).args(["import", "events"]).arg(&log).status().expect("import");
    let restored = start.elapsed();
    assert!(st.success(), "import failed");
    let check = Command::new(bin).arg("--data").arg(&data).arg("check").output().expect("check");
    println!(
        "restore/1m: {lines} events exported in {:.1} s, restored in {:.1} s (target < 60 s); check: {}",
        exported.as_secs_f64(),
        restored.as_secs_f64(),
        String::from_utf8_lossy(&check.stdout).trim()
    );
}
