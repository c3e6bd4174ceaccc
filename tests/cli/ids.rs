//! Command ids through the real binary: `--id` bound to its command (the same id for another
//! command exits 2 naming the id, in English and Chinese; the same command again says it was
//! already applied and exits 0), and refused unless at most 128 bytes of `[A-Za-z0-9._:-]`,
//! on `log`, `ack` and `level` alike; an opening-stock import with Chinese point codes and a
//! long batch makes ids that fit, and importing it again still adds nothing.

use crate::support::bin::{self, ok, run};
use std::path::Path;

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn seeded() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().expect("tmp");
    let d = tmp.path().join("data");
    let scenario = tmp.path().join("town.toml");
    std::fs::write(&scenario, bin::TOWN).expect("scenario");
    ok(&d, &["init", "--scenario", scenario.to_str().unwrap()]);
    (tmp, d)
}

fn restock(d: &Path, qty: &str, id: &str, lang: &str) -> std::process::Output {
    run(d, &["--lang", lang, "log", "restock", "--point", "P02", "--item", "rice", "--qty", qty, "--id", id])
}

fn rice_at_p02(d: &Path) -> serde_json::Value {
    let rows: serde_json::Value =
        serde_json::from_str(&ok(d, &["stock", "--point", "P02", "--item", "rice", "--json"])).expect("json");
    rows[0]["qty"].clone()
}

#[test]
fn an_id_used_for_one_command_is_refused_for_another() {
    let (_tmp, d) = seeded();
    let id = "cron-2026-12-01-P02-rice";
    let out = restock(&d, "5", id, "en");
    assert!(out.status.success(), "{}", stderr(&out));
    let out = restock(&d, "500", id, "en");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains(&format!("id: {id} was already used for a different command")), "{}", stderr(&out));
    let out = restock(&d, "500", id, "zh");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains(&format!("命令编号: {id} 已用于另一条命令")), "{}", stderr(&out));
    let out = run(&d, &["level", "level2", "--id", id]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    // The same command again: the first result, nothing changed.
    let out = restock(&d, "5", id, "en");
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("already applied earlier; nothing changed"));
    assert_eq!(rice_at_p02(&d), 5.0);
}

#[test]
fn an_id_outside_the_rule_is_refused_on_every_command() {
    let (_tmp, d) = seeded();
    let long = "a".repeat(129);
    let huge = "b".repeat(100_000);
    for id in [long.as_str(), huge.as_str(), "a b", "two\nlines", "cron/2026", "张三-1", "a\u{200b}b", "x;y"] {
        let out = restock(&d, "1", id, "en");
        assert_eq!(out.status.code(), Some(2), "{id:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("id: may hold only letters A-Z a-z, digits and . _ : - (at most 128)"),
            "{}",
            stderr(&out)
        );
        let out = run(&d, &["--lang", "zh", "ack", "A1", "--id", id]);
        assert_eq!(out.status.code(), Some(2), "{id:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("命令编号: 只能由字母"), "{}", stderr(&out));
        let out = run(&d, &["level", "level2", "--id", id]);
        assert_eq!(out.status.code(), Some(2), "{id:?}: {}", stderr(&out));
    }
    assert_eq!(rice_at_p02(&d), serde_json::Value::Null, "nothing was recorded");
    let longest = "a".repeat(128);
    assert!(restock(&d, "1", &longest, "en").status.success());
    assert!(restock(&d, "1", "A.z_0:9-", "en").status.success());
}

#[test]
fn imported_opening_stock_with_chinese_batches_gets_ids_that_fit() {
    let (tmp, d) = seeded();
    let points = tmp.path().join("points.csv");
    std::fs::write(&points, "code,name,kind,zone,households\nT01,测试超市,delivery,Z1,10\n").expect("write");
    ok(&d, &["import", "points", points.to_str().unwrap()]);
    let stock = tmp.path().join("stock.csv");
    let batch = "批".repeat(50);
    std::fs::write(
        &stock,
        format!("point,item,qty,batch,expiry\nT01,rice,12,{batch},2099-01-01\nP01,mask,100,{batch},2099-01-01\n"),
    )
    .expect("write");
    let said = ok(&d, &["import", "stock", stock.to_str().unwrap()]);
    assert!(said.starts_with("2 rows read"), "{said}");
    let count = || ok(&d, &["export", "events"]).lines().filter(|l| l.contains("\"cmd\":\"restock\"")).count();
    let before = count();
    ok(&d, &["import", "stock", stock.to_str().unwrap()]);
    assert_eq!(count(), before, "the same opening stock is not added twice");
    for line in ok(&d, &["export", "events"]).lines() {
        let ev: serde_json::Value = serde_json::from_str(line).expect("event");
        let id = ev["cmd_id"].as_str().expect("id");
        assert!(baogong::api::check_id(id).is_ok(), "{id}");
    }
}
