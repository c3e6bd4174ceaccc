//! Running the real `baogong` binary on a data directory with a neutral environment, and the
//! scenario file the binary's tests seed their stores from.

use std::path::Path;
use std::process::{Child, Command, Output};
use std::time::{Duration, Instant};

/// A small town for `init --scenario`: a depot, P01 (100 households) serving V01, P02 (200
/// households) serving V02; rice (kg, 0.5 kg per household per day, norm 15 days) and masks; two
/// duty officers; a van whose pass ends tomorrow and one whose pass is good for a month. No
/// history.
pub const TOWN: &str = include_str!("town.toml");

/// `TOWN` with two days of history: a rota, prices, a shelf life, a stockout and short pairs, a
/// missing report, both spikes, a transfer in transit and an expiring batch.
pub fn town_with_history() -> String {
    TOWN.replace("history_days = 0", "history_days = 2") + include_str!("history.toml")
}

/// The binary on `data` with a neutral environment: no inherited data directory or locale,
/// no backtraces, no colour. Callers add arguments and environment.
pub fn command(data: impl AsRef<Path>) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_baogong"));
    cmd.arg("--data")
        .arg(data.as_ref())
        .env_remove("BAOGONG_DATA")
        .env_remove("LC_ALL")
        .env("LANG", "C")
        .env("RUST_BACKTRACE", "0")
        .env("NO_COLOR", "1");
    cmd
}

pub fn run(data: &Path, args: &[&str]) -> Output {
    command(data).args(args).output().expect("run baogong")
}

/// Runs and expects success; returns standard output.
pub fn ok(data: &Path, args: &[&str]) -> String {
    let out = run(data, args);
    assert!(out.status.success(), "{args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8")
}

/// Waits until the daemon started as `child` serves `data`. Fails, showing its `log` file if it
/// has one, when it ends first or is not serving within 30 seconds.
pub fn wait_serving(data: &Path, child: &mut Child, log: Option<&Path>) {
    let log = || log.and_then(|l| std::fs::read_to_string(l).ok()).unwrap_or_default();
    let deadline = Instant::now() + Duration::from_secs(30);
    while !baogong::link::client::daemon_running(data) {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("the daemon ended ({status}): {}", log());
        }
        assert!(Instant::now() < deadline, "the daemon did not start: {}", log());
        std::thread::sleep(Duration::from_millis(20));
    }
}
