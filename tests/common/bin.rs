//! Running the real `baogong` binary on a data directory with a neutral environment.

use std::path::Path;
use std::process::{Command, Output};

pub fn run(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_baogong"))
        .arg("--data")
        .arg(data)
        .args(args)
        .env_remove("BAOGONG_DATA")
        .env("LANG", "C")
        .output()
        .expect("run baogong")
}

/// Runs and expects success; returns standard output.
pub fn ok(data: &Path, args: &[&str]) -> String {
    let out = run(data, args);
    assert!(out.status.success(), "{args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8")
}
