//! Export and restore through the real binary: `export events` → `import events` into an empty
//! data directory reproduces identical views (`check` clean, the same stock, dispatches and
//! alerts); a bad line is named by file and line and nothing is imported after it; restoring
//! into a store that holds data is refused; `export stock|dispatches|alerts` writes CSV with a
//! UTF-8 byte-order mark or JSON.

use crate::support::bin::{ok, run, TOWN};
use std::path::{Path, PathBuf};

/// A small town with some history: restocks, a transfer received short, a delivery, a price,
/// a report and an acknowledged alert.
fn town(tmp: &Path) -> PathBuf {
    let scenario = tmp.join("town.toml");
    std::fs::write(&scenario, TOWN).expect("scenario");
    let data = tmp.join("a");
    ok(&data, &["init", "--scenario", scenario.to_str().expect("path")]);
    ok(&data, &["log", "restock", "--point", "DEPOT", "--item", "rice", "--qty", "900"]);
    ok(
        &data,
        &[
            "log",
            "restock",
            "--point",
            "P01",
            "--item",
            "rice",
            "--qty",
            "120",
            "--batch",
            "B1",
            "--expiry",
            "2099-01-01",
        ],
    );
    let out = ok(
        &data,
        &["log", "dispatch", "--from", "DEPOT", "--to-point", "P02", "--item", "rice", "--qty", "50", "--json"],
    );
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    ok(&data, &["log", "receive", "--dispatch", v["dispatch"].as_str().expect("id"), "--qty", "45"]);
    ok(&data, &["log", "dispatch", "--from", "P01", "--to-village", "V01", "--item", "rice", "--qty", "20"]);
    ok(&data, &["log", "price", "--point", "P01", "--item", "rice", "--yuan", "3.2"]);
    ok(&data, &["log", "report", "--point", "P01"]);
    let alerts: serde_json::Value = serde_json::from_str(&ok(&data, &["alerts", "--json"])).expect("json");
    if let Some(id) = alerts[0]["id"].as_str() {
        ok(&data, &["ack", id]);
    }
    data
}

#[test]
fn export_then_import_reproduces_the_store() {
    let tmp = tempfile::tempdir().expect("tmp");
    let a = town(tmp.path());
    let log = tmp.path().join("events.jsonl");
    std::fs::write(&log, ok(&a, &["export", "events"])).expect("write log");
    let b = tmp.path().join("b");
    let said = ok(&b, &["import", "events", log.to_str().expect("path")]);
    let events = std::fs::read_to_string(&log).expect("log").lines().count();
    assert_eq!(said.trim(), format!("restored {events} events"));
    assert!(ok(&b, &["check"]).contains("no differences"));
    assert_eq!(ok(&a, &["stock", "--json"]), ok(&b, &["stock", "--json"]), "stock differs after restore");
    // Alerts alike but for `last_seen`, which is the time of asking.
    let alerts = |d: &Path| -> serde_json::Value {
        let mut v: serde_json::Value = serde_json::from_str(&ok(d, &["alerts", "--all", "--json"])).expect("json");
        for a in v.as_array_mut().expect("array") {
            a.as_object_mut().expect("object").remove("last_seen");
        }
        v
    };
    assert_eq!(alerts(&a), alerts(&b), "alerts differ after restore");
    assert_eq!(ok(&a, &["dispatches", "--all", "--json"]), ok(&b, &["dispatches", "--all", "--json"]));
    assert_eq!(ok(&a, &["export", "events"]), ok(&b, &["export", "events"]), "the log itself round-trips");
    // A second import into the now non-empty store is refused.
    let again = run(&b, &["import", "events", log.to_str().expect("path")]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already holds events"));
}

#[test]
fn a_bad_line_is_named_and_nothing_after_it_is_written() {
    let tmp = tempfile::tempdir().expect("tmp");
    let a = town(tmp.path());
    let mut lines: Vec<String> = ok(&a, &["export", "events"]).lines().map(str::to_string).collect();
    lines.insert(3, "{\"seq\": \"not a number\"}".into());
    let log = tmp.path().join("bad.jsonl");
    std::fs::write(&log, lines.join("\n")).expect("write");
    let b = tmp.path().join("b");
    let out = run(&b, &["import", "events", log.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.jsonl:4: not an event"), "{err}");
    assert!(ok(&b, &["export", "events"]).is_empty(), "nothing was imported");
}

#[test]
fn views_export_as_csv_with_bom_or_json() {
    let tmp = tempfile::tempdir().expect("tmp");
    let a = town(tmp.path());
    let out = run(&a, &["export", "stock"]);
    assert!(out.status.success());
    assert_eq!(&out.stdout[..3], &[0xEF, 0xBB, 0xBF]);
    let text = String::from_utf8(out.stdout[3..].to_vec()).expect("utf-8");
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("point,item,qty,unit,days_of_cover,norm_days,daily,basis,status,runs_out,expiry"));
    assert!(text.lines().any(|l| l.starts_with("P01,rice,100,kg,")), "{text}");
    let disp = ok(&a, &["export", "dispatches", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&disp).expect("json");
    assert_eq!(v.as_array().expect("array").len(), 2);
    let alerts = String::from_utf8(run(&a, &["export", "alerts"]).stdout).expect("utf-8");
    assert!(alerts.trim_start_matches('\u{feff}').starts_with("id,kind,severity,subject,"), "{alerts}");
}
