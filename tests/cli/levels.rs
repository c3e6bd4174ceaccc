//! Issue 16: a scenario's `[[levels]]` through the real binary. `init --scenario` seeds the
//! town's names of the response levels, which `plan` then names the level by (English and
//! Chinese) and `baogong level` sets; a bad entry (level 7, an empty name) stops `init` naming the
//! field and writes nothing.

use crate::support::bin::{ok, run, TOWN};
use std::path::Path;

const LEVELS: &str = r#"
[[levels]]
level = 0
name_en = "0 normal watch"
name_zh = "零级 常态监测"

[[levels]]
level = 3
name_en = "3 town sealed"
name_zh = "三级 全镇封控"
meaning_en = "every village sealed, one delivery a day"
meaning_zh = "各村封闭,每日配送一次"
"#;

fn init(dir: &Path, levels: &str) -> std::process::Output {
    let sc = dir.join("town.toml");
    std::fs::write(&sc, format!("{TOWN}\n{levels}")).expect("write");
    run(&dir.join("data"), &["init", "--scenario", sc.to_str().expect("utf-8 path")])
}

#[test]
fn a_scenarios_level_names_are_what_the_plan_calls_the_level() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = init(tmp.path(), LEVELS);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let d = tmp.path().join("data");
    assert!(ok(&d, &["plan"]).contains("0 normal watch"));
    assert!(ok(&d, &["--lang", "zh", "plan"]).contains("零级 常态监测"));
    ok(&d, &["level", "3"]);
    let plan = ok(&d, &["plan"]);
    assert!(plan.contains("3 town sealed") && !plan.contains("local outbreak"), "{plan}");
    // A level the scenario leaves out keeps the plans' name.
    assert!(ok(&d, &["--lang", "zh", "plan", "--level", "2"]).contains("情景二 来源不明散发及聚集"));
}

#[test]
fn a_bad_level_entry_stops_init_naming_the_field() {
    for (from, to, field) in
        [("level = 3", "level = 7", "level:"), ("name_en = \"0 normal watch\"", "name_en = \"\"", "name_en:")]
    {
        let tmp = tempfile::tempdir().expect("tmp");
        let out = init(tmp.path(), &LEVELS.replace(from, to));
        assert_eq!(out.status.code(), Some(1), "{to}");
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(said.contains(field), "{to}: {said}");
        assert!(ok(&tmp.path().join("data"), &["export", "events"]).trim().is_empty(), "{to}: nothing written");
    }
}
