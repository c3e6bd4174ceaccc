//! The households and the hotline through the real binary: `log household` adds and changes
//! (a change names only what changes), `households [--village] [--due] [--json]`, `import
//! households` from GB18030 CSV by Chinese aliases (a bad row names its line and nothing is
//! imported; the same file again records nothing), a call taken, turned into a request in one
//! step, delivered as a named delivery and resolved, then closed; `cases --status --json`, and
//! the refusals with exit 2.

use crate::support::bin::{ok, run, TOWN};
use std::path::Path;

fn town() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tmp");
    let scenario = tmp.path().join("town.toml");
    std::fs::write(&scenario, TOWN).expect("scenario");
    ok(&tmp.path().join("d"), &["init", "--scenario", scenario.to_str().expect("path")]);
    tmp
}

fn json(data: &Path, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&ok(data, args)).expect("json")
}

/// The number after `word` in a line of output (`request Q12` → "Q12").
fn after(text: &str, word: &str) -> String {
    let rest = text.split(word).nth(1).expect("word in output");
    rest.trim_start().split([',', ';', ' ', '\n']).next().unwrap_or_default().to_string()
}

#[test]
fn a_household_is_added_changed_listed_and_imported() {
    let tmp = town();
    let d = tmp.path().join("d");
    ok(
        &d,
        &[
            "log",
            "household",
            "--code",
            "H1",
            "--name",
            "王秀英",
            "--village",
            "V01",
            "--phone",
            "13812345678",
            "--category",
            "elderly_alone",
            "--need",
            "rice=5/7",
        ],
    );
    ok(&d, &["log", "household", "--code", "H1", "--address", "幸福路1号"]);
    let rows = json(&d, &["households", "--json"]);
    let h = &rows[0];
    assert_eq!(
        (h["code"].as_str(), h["name"].as_str(), h["village"].as_str()),
        (Some("H1"), Some("王秀英"), Some("V01"))
    );
    assert_eq!((h["phone"].as_str(), h["address"].as_str()), (Some("13812345678"), Some("幸福路1号")));
    assert_eq!(h["categories"], serde_json::json!(["elderly_alone"]));
    assert!(h["next_due"].is_string(), "{h}");
    assert_eq!(json(&d, &["households", "--due", "--json"]), serde_json::json!([]), "due in 7 days, not today");
    assert_eq!(json(&d, &["households", "--village", "V02", "--json"]), serde_json::json!([]));
    // A GB18030 file with Chinese headers: a bad row names its line, nothing is imported.
    let csv = "户编码,户主,村/小区,联系电话,人群类别,需求\nH2,李桂兰,V02,13900000002,独居老人,rice=5/7\nH3,张德福,V02,abc,disabled,rice=5/0\n";
    let (gb, _, _) = encoding_rs::GB18030.encode(csv);
    let file = tmp.path().join("hh.csv");
    std::fs::write(&file, &gb).expect("csv");
    let out = run(&d, &["import", "households", file.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("hh.csv:3: phone: is not a phone number"), "{err}");
    assert!(err.contains("hh.csv:3: needs"), "{err}");
    assert!(!err.contains("abc"), "the phone is not quoted: {err}");
    assert_eq!(json(&d, &["households", "--json"]).as_array().map(Vec::len), Some(1), "nothing imported");
    let good = csv.replace("abc", "13900000003").replace("rice=5/0", "rice=10/14");
    std::fs::write(&file, encoding_rs::GB18030.encode(&good).0).expect("csv");
    let said = ok(&d, &["import", "households", file.to_str().expect("path")]);
    assert!(said.contains("1 events recorded") || said.contains("; 1 "), "{said}");
    let rows = json(&d, &["households", "--village", "V02", "--json"]);
    assert_eq!(rows.as_array().map(Vec::len), Some(2));
    assert_eq!(rows[0]["name"], "李桂兰");
    assert_eq!(rows[0]["categories"], serde_json::json!(["elderly_alone"]), "a Chinese category label");
    let again = ok(&d, &["import", "households", file.to_str().expect("path")]);
    assert!(again.contains("; 0 "), "the same file again records nothing: {again}");
}

#[test]
fn a_call_becomes_a_request_a_named_delivery_and_is_resolved() {
    let tmp = town();
    let d = tmp.path().join("d");
    ok(&d, &["log", "restock", "--point", "P01", "--item", "rice", "--qty", "100"]);
    ok(&d, &["log", "household", "--code", "H1", "--name", "王秀英", "--village", "V01", "--need", "rice=5/7"]);
    let said = ok(
        &d,
        &[
            "log",
            "case",
            "--caller",
            "张三",
            "--phone",
            "13700000000",
            "--household",
            "H1",
            "--kind",
            "shortage",
            "--item",
            "rice",
            "--text",
            "没有米了",
            "--urgent",
        ],
    );
    let k = after(&said, "case");
    assert!(k.starts_with('K'), "{said}");
    let q = after(&ok(&d, &["log", "request", "--case", &k, "--qty", "5"]), "request");
    ok(&d, &["log", "approve", "--request", &q]);
    ok(&d, &["log", "assign", "--case", &k, "--to", "孙红霞"]);
    let dsp = after(
        &ok(
            &d,
            &[
                "log",
                "dispatch",
                "--from",
                "P01",
                "--to-village",
                "V01",
                "--item",
                "rice",
                "--qty",
                "5",
                "--request",
                &q,
            ],
        ),
        "dispatch",
    );
    ok(&d, &["log", "deliver", "--dispatch", &dsp, "--qty", "5", "--signed-by", "王秀英", "--household", "H1"]);
    let h = &json(&d, &["households", "--json"])[0];
    assert!(h["needs"][0]["last"].is_string(), "the named delivery is recorded: {h}");
    ok(&d, &["log", "resolve", "--case", &k, "--text", "已送米", "--request", &q]);
    let rows = json(&d, &["cases", "--status", "resolved", "--json"]);
    let c = &rows[0];
    assert_eq!(
        (c["id"].as_str(), c["kind"].as_str(), c["status"].as_str()),
        (Some(k.as_str()), Some("shortage"), Some("resolved"))
    );
    assert_eq!(
        (c["village"].as_str(), c["household"].as_str(), c["item"].as_str()),
        (Some("V01"), Some("H1"), Some("rice"))
    );
    assert_eq!(c["request"].as_str(), Some(q.as_str()));
    assert!(c["due"].is_string());
    ok(&d, &["log", "close", "--case", &k]);
    let out = run(&d, &["--lang", "zh", "log", "resolve", "--case", &k, "--text", "again"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("已关闭"), "{}", String::from_utf8_lossy(&out.stderr));
    let out = run(&d, &["log", "assign", "--case", &k, "--to", "nobody"]);
    assert_eq!(out.status.code(), Some(2));
    ok(&d, &["log", "reopen", "--case", &k]);
    assert_eq!(json(&d, &["cases", "--status", "assigned", "--json"]).as_array().map(Vec::len), Some(1));
    assert_eq!(json(&d, &["cases", "--overdue", "--json"]), serde_json::json!([]), "due in 2 hours from the reopening");
}
