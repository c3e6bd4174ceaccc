//! Shared by the benches that measure a seeded store (`district`, `faces`): the cache of seeded
//! stores under `target/bench-data/`, the district's days of history, medians.

use crate::support::bench_data_dir;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The days of history of the generated district: `BAOGONG_DISTRICT_DAYS`, default 2.
pub fn district_days() -> u32 {
    std::env::var("BAOGONG_DISTRICT_DAYS").ok().and_then(|d| d.parse().ok()).unwrap_or(2)
}

/// The middle value (NaN for none).
pub fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

/// `target/bench-data/NAME`, seeded once by `seed` (given that directory, empty) and marked
/// done; seeded afresh when the marker is missing (an interrupted seeding). Prints how long
/// seeding took.
pub fn cached(name: &str, seed: impl FnOnce(&Path)) -> PathBuf {
    let dir = bench_data_dir().join(name);
    let marker = dir.join("seeded.marker");
    if marker.exists() {
        return dir;
    }
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("mkdir the bench store");
    let start = Instant::now();
    seed(&dir);
    println!("seeded {name} in {:.1} s", start.elapsed().as_secs_f64());
    std::fs::write(&marker, b"ok").expect("marker");
    dir
}
