//! Numbers out of range in the files baogong reads, and `init` as one change: a `baogong.toml`
//! duration or ratio out of range stops every command and `serve` with exit 1 naming the file,
//! the key and the allowed range (English, Chinese with `--lang zh` or `LANG`), writing
//! nothing; a scenario refused anywhere (a bad reference, a bad history value, a bad number
//! late in the file) leaves the store empty, so `init` runs again.

use crate::support::bin::{self, ok, run};
use std::path::Path;

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn events(data: &Path) -> usize {
    ok(data, &["export", "events"]).lines().count()
}

#[test]
fn a_config_number_out_of_range_stops_every_command_naming_file_key_and_range() {
    let tmp = tempfile::tempdir().expect("tmp");
    let d = tmp.path().join("data");
    std::fs::create_dir(&d).expect("mkdir");
    let cases = [
        ("[alerts]\ntransfer_hours = 9223372036854775807\n", "alerts.transfer_hours: 9223372036854775807", "0 to 720"),
        (
            "[alerts]\ntransfer_hours = -9223372036854775807\n",
            "alerts.transfer_hours: -9223372036854775807",
            "0 to 720",
        ),
        ("[alerts]\nhandover_grace_minutes = -1\n", "alerts.handover_grace_minutes: -1", "0 to 1440"),
        ("[alerts]\nhandover_grace_minutes = 9223372036854775807\n", "alerts.handover_grace_minutes", "0 to 1440"),
        ("[alerts]\nexpiry_days = 9223372036854775807\n", "alerts.expiry_days", "0 to 366"),
        ("[alerts]\nstockout_within_days = nan\n", "alerts.stockout_within_days: NaN", "0 to 366"),
        ("[alerts]\nspike_ratio = inf\n", "alerts.spike_ratio: inf", "1 to 1000"),
        ("[plan.demand]\nlevel4 = -2.5\n", "plan.demand.level4: -2.5", "0.1 to 10"),
    ];
    let file = d.join("baogong.toml");
    for (text, key, range) in cases {
        std::fs::write(&file, text).expect("config");
        for args in [&["stock"][..], &["alerts"], &["serve"], &["init"]] {
            let out = run(&d, args);
            assert_eq!(out.status.code(), Some(1), "{args:?} with {text}: {}", stderr(&out));
            let want = format!("in {}: {key}", file.display());
            assert!(stderr(&out).contains(&want), "{args:?} with {text}: {}", stderr(&out));
            assert!(stderr(&out).contains(&format!("out of range (allowed {range})")), "{}", stderr(&out));
        }
    }
    assert!(!d.join("store").exists(), "a refused config wrote a store");
    let out = run(&d, &["--lang", "zh", "stock"]);
    assert!(
        stderr(&out).contains("baogong.toml 中 plan.demand.level4: -2.5 超出允许范围(0.1 至 10)"),
        "{}",
        stderr(&out)
    );
    let out = bin::command(&d).env("LANG", "zh_CN.UTF-8").arg("serve").output().expect("serve");
    assert!(stderr(&out).contains("超出允许范围"), "{}", stderr(&out));
}

#[test]
fn a_bad_config_leaves_a_seeded_store_as_it_was() {
    let tmp = tempfile::tempdir().expect("tmp");
    let d = tmp.path().join("data");
    let scenario = tmp.path().join("town.toml");
    std::fs::write(&scenario, bin::town_with_history()).expect("scenario");
    ok(&d, &["init", "--scenario", scenario.to_str().unwrap()]);
    let before = events(&d);
    std::fs::write(d.join("baogong.toml"), "[alerts]\ntransfer_hours = 9223372036854775807\n").expect("config");
    for args in [&["stock"][..], &["log", "restock", "--point", "P01", "--item", "rice", "--qty", "1"], &["check"]] {
        assert_eq!(run(&d, args).status.code(), Some(1), "{args:?}");
    }
    std::fs::remove_file(d.join("baogong.toml")).expect("rm");
    assert_eq!(events(&d), before);
}

/// The test town with history, with `from` replaced by `to` (which must be there).
fn scenario_with(from: &str, to: &str) -> String {
    let text = bin::town_with_history();
    assert!(text.contains(from), "{from} not in the scenario");
    text.replace(from, to)
}

#[test]
fn init_with_a_bad_scenario_writes_nothing_and_can_run_again() {
    let tmp = tempfile::tempdir().expect("tmp");
    let d = tmp.path().join("data");
    let cases = [
        // A reference the engine refuses in the reference data itself.
        ("point = \"P01\"\nhouseholds = 100", "point = \"NOPE\"\nhouseholds = 100", "point: no point with code NOPE"),
        // References refused with the opening stock, and with the transfer at the end.
        ("expiring = { point = \"DEPOT\"", "expiring = { point = \"NOPE\"", "point: no point with code NOPE"),
        ("in_transit = { from = \"DEPOT\"", "in_transit = { from = \"NOPE\"", "from: no point with code NOPE"),
        // History values the engine refuses, the last hours before now.
        ("qty = 80, hours_ago = 8", "qty = 900000, hours_ago = 8", "qty: only"),
        ("prices = { rice = 3.2 }", "prices = { rice = 3.2, ghost = 3.0 }", "item: no item with code ghost"),
        // Numbers late in the file, out of range on loading.
        (
            "qty = 1200, days = 5",
            "qty = 1200, days = 9223372036854775807",
            "history.expiring.days: 9223372036854775807",
        ),
        ("shelf_life = { mask = 730 }", "shelf_life = { mask = 9223372036854775807 }", "history.shelf_life.mask"),
        ("hours_ago = 8", "hours_ago = 9223372036854775807", "history.in_transit.hours_ago"),
        ("valid_days = 30", "valid_days = -9223372036854775808", "vehicles[冀EA0002].valid_days"),
    ];
    let scenario = tmp.path().join("bad.toml");
    for (from, to, why) in cases {
        std::fs::write(&scenario, scenario_with(from, to)).expect("scenario");
        let out = run(&d, &["init", "--scenario", scenario.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "{to}: {}", stderr(&out));
        let said = stderr(&out);
        assert!(said.contains(why), "{to}: {said}");
        assert_eq!(events(&d), 0, "{to}: a failed init left events");
        assert!(!d.join("seeding.tmp").exists(), "the scratch store is left behind");
    }
    // Out of range names the file and the range, in Chinese too.
    let out = run(&d, &["--lang", "zh", "init", "--scenario", scenario.to_str().unwrap()]);
    assert!(
        stderr(&out).contains("vehicles[冀EA0002].valid_days: -9223372036854775808 超出允许范围"),
        "{}",
        stderr(&out)
    );
    // The store is still empty: init runs.
    std::fs::write(&scenario, bin::town_with_history()).expect("scenario");
    let said = ok(&d, &["init", "--scenario", scenario.to_str().unwrap()]);
    assert!(said.starts_with("seeded 测试镇"), "{said}");
    assert!(events(&d) > 30);
    assert!(ok(&d, &["check"]).contains("no differences"));
}
