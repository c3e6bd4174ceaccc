//! Running the real `baogong` binary on a data directory with a neutral environment.

use std::path::Path;
use std::process::{Command, Output};

/// The binary on `data` with a neutral environment: no inherited data directory or locale,
/// no backtraces, no colour. Callers add arguments and environment.
pub fn command(data: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_baogong"));
    cmd.arg("--data")
        .arg(data)
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
