//! The town's identity: `init --town CODE [--name N]` and `town --name N --code C` (one event,
//! what is not given keeps its value), the code's characters checked in both languages, and
//! an `[uplink] town` that is not the store's code refused when the daemon starts.

use crate::support::bin;

fn last_town_event(dir: &std::path::Path) -> serde_json::Value {
    let log = bin::ok(dir, &["export", "events"]);
    let ev = log
        .lines()
        .rev()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|e| e["cmd"]["cmd"] == "town")
        .expect("a town event");
    ev["cmd"].clone()
}

#[test]
fn init_names_the_demo_town_and_its_code() {
    let tmp = tempfile::tempdir().expect("tmp");
    bin::ok(tmp.path(), &["init", "--town", "WGZ2", "--name", "二号镇"]);
    let cmd = last_town_event(tmp.path());
    assert_eq!((cmd["name"].as_str(), cmd["code"].as_str()), (Some("二号镇"), Some("WGZ2")));
}

#[test]
fn an_empty_store_gets_a_town_from_the_town_command() {
    let tmp = tempfile::tempdir().expect("tmp");
    bin::ok(tmp.path(), &["init", "--empty"]);
    bin::ok(tmp.path(), &["town", "--name", "新建镇", "--code", "XJZ"]);
    bin::ok(tmp.path(), &["town", "--code", "XJZ-1"]);
    let cmd = last_town_event(tmp.path());
    assert_eq!((cmd["name"].as_str(), cmd["code"].as_str()), (Some("新建镇"), Some("XJZ-1")), "the name stays");
    bin::ok(tmp.path(), &["town", "--name", "新名"]);
    assert_eq!(last_town_event(tmp.path())["code"], "XJZ-1", "the code stays");
}

#[test]
fn a_bad_town_code_is_refused_naming_the_field_in_both_languages() {
    let tmp = tempfile::tempdir().expect("tmp");
    bin::ok(tmp.path(), &["init", "--empty"]);
    for (lang, field, word) in [("en", "code", "may hold only letters"), ("zh", "编码", "只能由字母")] {
        let out = bin::run(tmp.path(), &["--lang", lang, "town", "--name", "镇", "--code", "a.b"]);
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(field) && err.contains(word), "{err}");
    }
    let out = bin::run(tmp.path(), &["init", "--town", "T 1"]);
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    let log = bin::ok(tmp.path(), &["export", "events"]);
    assert!(!log.contains("\"town\""), "nothing was recorded: {log}");
}

#[test]
fn the_uplink_town_must_be_the_stores_code() {
    let tmp = tempfile::tempdir().expect("tmp");
    bin::ok(tmp.path(), &["init", "--empty", "--town", "AAA"]);
    std::fs::write(tmp.path().join("baogong.toml"), "[uplink]\nnats = \"nats://127.0.0.1:1\"\ntown = \"BBB\"\n")
        .expect("config");
    let out = bin::run(tmp.path(), &["serve"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("town code is \"AAA\""));
    std::fs::write(tmp.path().join("baogong.toml"), "[uplink]\nnats = \"nats://x\"\ntown = \"B.B\"\n").expect("config");
    let out = bin::run(tmp.path(), &["stock"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("[uplink] town"));
}
