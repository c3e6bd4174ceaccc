//! `init --district`: the generated city-scale district through the real binary (600 points,
//! 3 of them reserve depots, across 20 zones), `--days` bounded to 1..=14 and only with
//! `--district`, and a second `init` refused on the seeded store.

use crate::support::bin::{ok, run};
use std::collections::BTreeSet;

#[test]
fn init_district_seeds_six_hundred_points_in_twenty_zones() {
    let tmp = tempfile::tempdir().expect("tmp");
    let d = tmp.path().join("data");
    let said = ok(&d, &["init", "--district", "--days", "1"]);
    assert!(said.contains("events"), "{said}");
    let points: serde_json::Value = serde_json::from_str(&ok(&d, &["points", "--json"])).expect("json");
    let points = points.as_array().expect("an array of points");
    assert_eq!(points.len(), 600, "{}", points.len());
    let depots = points.iter().filter(|p| p["kind"] == "depot").count();
    assert_eq!(depots, 3);
    let zones: BTreeSet<_> = points.iter().map(|p| p["zone"].to_string()).collect();
    assert_eq!(zones.len(), 20, "{zones:?}");
    let again = run(&d, &["init", "--district"]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already holds"));
}

#[test]
fn days_are_bounded_and_need_the_district() {
    let tmp = tempfile::tempdir().expect("tmp");
    let d = tmp.path().join("data");
    for args in
        [&["init", "--district", "--days", "0"][..], &["init", "--district", "--days", "15"], &["init", "--days", "3"]]
    {
        let out = run(&d, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("--days"), "{args:?}");
    }
    assert!(!d.join("db").exists());
}
