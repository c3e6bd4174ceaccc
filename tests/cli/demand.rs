//! The demand side through the real binary: `import kits`, `kits [--json]`, `log assemble` and
//! `log unpack` (refused naming what is short, in Chinese too), `log request --kit`, delivery
//! slots in `baogong.toml` with `log request --slot` and `log schedule`, `schedule --json`,
//! `import requests` and `import tallies` (a bad row named by its line, nothing imported).

use crate::support::bin::{command, ok, run, TOWN};
use std::path::{Path, PathBuf};

const KITS: &str = "code,name_zh,name_en,unit,components\nbox,标准箱,Standard box,box,rice=5 mask=2\n";

fn town() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tmp");
    let (d, scenario) = (tmp.path().join("data"), tmp.path().join("town.toml"));
    std::fs::write(&scenario, TOWN).expect("write");
    ok(&d, &["init", "--scenario", scenario.to_str().expect("path")]);
    (tmp, d)
}

fn file(d: &Path, name: &str, text: &str) -> String {
    let path = d.join(name);
    std::fs::write(&path, text).expect("write");
    path.to_str().expect("path").to_string()
}

fn json(d: &Path, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&ok(d, args)).expect("json")
}

fn with_kit() -> (tempfile::TempDir, PathBuf) {
    let (tmp, d) = town();
    let kits = file(&d, "kits.csv", KITS);
    ok(&d, &["import", "kits", &kits]);
    ok(&d, &["log", "restock", "--point", "P01", "--item", "rice", "--qty", "52"]);
    ok(&d, &["log", "restock", "--point", "P01", "--item", "mask", "--qty", "100"]);
    (tmp, d)
}

#[test]
fn kits_are_imported_assembled_listed_and_unpacked() {
    let (_tmp, d) = with_kit();
    ok(&d, &["log", "assemble", "--point", "P01", "--kit", "box", "--qty", "4"]);
    let kits = json(&d, &["kits", "--json"]);
    let k = &kits[0];
    assert_eq!((k["code"].as_str(), k["held"].as_f64(), k["makeable"].as_f64()), (Some("box"), Some(4.0), Some(6.0)));
    assert_eq!(k["components"][0]["item"], "rice");
    let table = ok(&d, &["kits"]);
    assert!(table.contains("rice=5 mask=2"), "{table}");
    ok(&d, &["log", "unpack", "--point", "P01", "--kit", "box", "--qty", "1"]);
    let stock = json(&d, &["stock", "--point", "P01", "--json"]);
    let rice = stock.as_array().expect("rows").iter().find(|r| r["item"] == "rice").expect("rice").clone();
    assert_eq!(rice["qty"].as_f64(), Some(37.0), "52 - 20 + 5");
    let again = run(&d, &["log", "unpack", "--point", "P01", "--kit", "box", "--qty", "9"]);
    assert_eq!(again.status.code(), Some(2));
    ok(&d, &["check"]);
}

#[test]
fn assembling_short_is_refused_naming_what_is_short_in_either_language() {
    let (_tmp, d) = with_kit();
    let out = run(&d, &["log", "assemble", "--point", "P01", "--kit", "box", "--qty", "20"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("kit: components short at P01: rice needs 100 kg, holds 52"), "{err}");
    let zh =
        command(&d).args(["--lang", "zh", "log", "assemble", "--point", "P01", "--kit", "box", "--qty", "20"]).output();
    let zh = String::from_utf8_lossy(&zh.expect("run").stderr).into_owned();
    assert!(zh.contains("组合包: P01 组件不足:rice 需要 100 公斤,仅有 52"), "{zh}");
    let kits = json(&d, &["kits", "--json"]);
    assert_eq!(kits[0]["held"].as_f64(), Some(0.0), "nothing assembled");
}

#[test]
fn a_kit_is_requested_with_kit() {
    let (_tmp, d) = with_kit();
    ok(&d, &["log", "request", "--village", "V01", "--kit", "box", "--qty", "3"]);
    let rows = json(&d, &["requests", "--json"]);
    assert_eq!((rows[0]["item"].as_str(), rows[0]["qty"].as_f64()), (Some("box"), Some(3.0)));
}

const SLOTS: &str = "[[demand.slots]]\nzone = \"Z1\"\ncode = \"AM\"\nstart = \"08:00\"\nend = \"11:00\"\ntrips = 1\n";

#[test]
fn requests_are_scheduled_into_the_zones_slots() {
    let (_tmp, d) = town();
    std::fs::write(d.join("baogong.toml"), SLOTS).expect("config");
    let bad = run(&d, &["log", "request", "--village", "V01", "--item", "rice", "--qty", "5", "--slot", "PM"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("slot: PM is not a delivery slot of zone Z1 (its slots: AM)"));
    let out =
        json(&d, &["log", "request", "--village", "V01", "--item", "rice", "--qty", "5", "--slot", "AM", "--json"]);
    let q = out["request"].as_str().expect("id").to_string();
    ok(&d, &["log", "approve", "--request", &q]);
    ok(&d, &["log", "schedule", "--request", &q, "--slot", "AM", "--vehicle", "冀EA0001"]);
    let rows = json(&d, &["requests", "--json"]);
    assert_eq!(rows[0]["status"], "scheduled");
    let sched = json(&d, &["schedule", "--json"]);
    let slots: Vec<&serde_json::Value> =
        sched.as_array().expect("days").iter().flat_map(|z| z["slots"].as_array().expect("slots")).collect();
    let booked: Vec<_> = slots.iter().filter(|s| s["requests"].as_u64() == Some(1)).collect();
    assert_eq!(booked.len(), 1, "{sched}");
    assert_eq!((booked[0]["load"]["kg"].as_f64(), booked[0]["villages"][0].as_str()), (Some(5.0), Some("V01")));
    let table = ok(&d, &["schedule", "--zone", "Z1"]);
    assert!(table.contains("08:00-11:00"), "{table}");
    assert_eq!(run(&d, &["schedule", "--zone", "Z9"]).status.code(), Some(1));
    std::fs::write(d.join("baogong.toml"), SLOTS.replace("trips = 1", "trips = 0")).expect("config");
    let refused = run(&d, &["requests"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("demand.slots[Z1/AM].trips"), "range-checked");
}

#[test]
fn requests_and_tallies_are_imported_all_or_nothing() {
    let (_tmp, d) = with_kit();
    let bad = file(&d, "bad.csv", "village,item,qty\nV01,rice,5\nV02,salt,1\n");
    let out = run(&d, &["import", "requests", &bad]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.csv:3: item: no item with code salt"));
    assert_eq!(json(&d, &["requests", "--json"]).as_array().map(Vec::len), Some(0), "nothing imported");
    let good = file(&d, "good.csv", "village,item,kit,qty,urgent\nV01,rice,,5,true\nV02,,box,2,\n");
    ok(&d, &["import", "requests", &good]);
    let again = ok(&d, &["import", "requests", &good]);
    assert!(again.contains("0 events recorded"), "{again}");
    let rows = json(&d, &["requests", "--json"]);
    assert_eq!(rows.as_array().map(Vec::len), Some(2));
    let tallies = file(&d, "t.csv", "村,物资,数量\nV01,rice,30\nV01,mask,10\nV02,,\n");
    ok(&d, &["import", "tallies", &tallies]);
    let t = json(&d, &["tallies", "--json"]);
    let v01 = t.as_array().expect("rows").iter().find(|r| r["village"] == "V01").expect("V01").clone();
    assert_eq!(v01["lines"].as_array().map(Vec::len), Some(2));
    let v02 = t.as_array().expect("rows").iter().find(|r| r["village"] == "V02").expect("V02").clone();
    assert_eq!(v02["zero"], true);
    ok(&d, &["check"]);
}

#[test]
fn imported_slots_join_and_replace_the_configured_ones() {
    let (_tmp, d) = town();
    std::fs::write(d.join("baogong.toml"), SLOTS).expect("config");
    let bad = file(&d, "bad.csv", "zone,code,start,end,trips,days\nZ1,PM,14:00,13:00,1,\nZ9,EVE,17:00,19:00,1,8\n");
    let out = run(&d, &["import", "slots", &bad]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.csv:2: end:") && err.contains("bad.csv:3: zone: no zone with code Z9"), "{err}");
    let good = file(&d, "slots.csv", "片区,时段,开始,结束,趟数,星期\nZ1,PM,14:00,17:00,2,\nZ1,AM,07:00,10:00,3,\n");
    ok(&d, &["import", "slots", &good]);
    let sched = json(&d, &["schedule", "--json"]);
    let slots = sched[0]["slots"].as_array().expect("slots").clone();
    let shown: Vec<(&str, &str)> =
        slots.iter().map(|s| (s["slot"].as_str().unwrap_or(""), s["start"].as_str().unwrap_or(""))).collect();
    assert_eq!(shown, vec![("PM", "14:00"), ("AM", "07:00")], "the imported AM replaces the configured one");
    ok(&d, &["log", "request", "--village", "V01", "--item", "rice", "--qty", "5", "--slot", "PM"]);
    ok(&d, &["check"]);
}
