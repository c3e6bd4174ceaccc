//! What the test binaries share; each includes it as `#[path = "../support/mod.rs"] mod support;`.
//! `fixture`: the small hand-made town on a real `Engine` with a `ManualClock`; `bin`: the real
//! binary with a neutral environment, and the scenario file it is seeded from; `tui`: the demo
//! town's console model and keys fed to `update`; `pty`: a real face in a pseudo-terminal; `zh`: the
//! checker of English words left on a Chinese screen or error;
//! `assert_snapshot`: the insta files in `tests/snapshots/`. Test code: imports `baogong` and
//! dev-dependencies only; nothing in `src/` imports it.
#![allow(dead_code)]

pub mod bin;
pub mod fixture;
pub mod pty;
pub mod tui;
pub mod zh;

/// Snapshots `value` as `tests/snapshots/{suite}__{name}.snap`, where `suite` is the test binary
/// that first wrote the file (`tui_snapshots`, `faces`, `report`): the files keep their names now
/// that several suites share a binary, whose module path would otherwise prefix them.
pub fn assert_snapshot(suite: &str, name: &str, value: impl std::fmt::Display) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!(format!("{suite}__{name}"), value.to_string()));
}
