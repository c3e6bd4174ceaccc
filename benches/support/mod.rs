//! Shared by the bench binaries: where cached stores live.

use std::path::{Path, PathBuf};

/// Where cached stores live: `target/bench-data/`, found from this executable's path
/// (`target/release/deps/NAME-…`), else from the manifest directory.
pub fn bench_data_dir() -> PathBuf {
    let from_exe = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.ancestors().find(|a| a.file_name().is_some_and(|n| n == "deps")).map(Path::to_path_buf))
        .and_then(|deps| deps.parent()?.parent().map(Path::to_path_buf));
    let target = from_exe.unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("bench-data")
}
