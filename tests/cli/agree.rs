//! Figures that agree (issue 12): on the demo town's generated history (14 days of restocks,
//! deliveries, transfers and stockouts), `stock --json`, `stock --town --json` and
//! `report daily --format json` give the same stock, days of cover and status for every point
//! and item, the town row included; a date before the store's first movement is refused.

use crate::support::bin;
use serde_json::Value;
use std::collections::BTreeMap;

fn json(data: &std::path::Path, args: &[&str]) -> Value {
    let out = bin::ok(data, args);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?} is not JSON ({e}): {out}"))
}

/// (point or "town", item) → (stock, days of cover, status) of `stock --json` rows.
fn listed(rows: &Value, town: bool) -> BTreeMap<(String, String), (f64, Value, String)> {
    let rows = rows.as_array().expect("an array of stock rows");
    rows.iter()
        .map(|r| {
            let point = if town { "town".to_string() } else { r["point"].as_str().expect("point").to_string() };
            let key = (point, r["item"].as_str().expect("item").to_string());
            (
                key,
                (
                    r["qty"].as_f64().expect("qty"),
                    r["days_of_cover"].clone(),
                    r["status"].as_str().expect("status").into(),
                ),
            )
        })
        .collect()
}

fn reported(line: &Value) -> (f64, Value, String) {
    (
        line["stock"].as_f64().expect("stock"),
        line["days_of_cover"].clone(),
        line["status"].as_str().expect("status").into(),
    )
}

#[test]
fn stock_and_the_daily_report_agree_on_every_point_item_and_the_town() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = tmp.path().join("data");
    bin::ok(&data, &["init"]);
    let points = listed(&json(&data, &["stock", "--json"]), false);
    let town = listed(&json(&data, &["stock", "--town", "--json"]), true);
    let report = json(&data, &["report", "daily", "--format", "json"]);
    let mut compared = 0;
    for p in report["points"].as_array().expect("points") {
        for line in p["items"].as_array().expect("items") {
            let key =
                (p["point"].as_str().expect("point").to_string(), line["item"].as_str().expect("item").to_string());
            let listed = points.get(&key).unwrap_or_else(|| panic!("{key:?} is in the report but not in `stock`"));
            assert_eq!(&reported(line), listed, "{key:?}: report vs stock");
            compared += 1;
        }
    }
    assert!(compared > 50, "only {compared} point lines compared");
    let mut stocked_out = 0;
    for line in report["totals"].as_array().expect("totals") {
        let key = ("town".to_string(), line["item"].as_str().expect("item").to_string());
        let listed = town.get(&key).unwrap_or_else(|| panic!("{key:?} is in the report but not in `stock --town`"));
        assert_eq!(&reported(line), listed, "{key:?}: report town line vs stock --town");
        stocked_out += usize::from(listed.2 == "stocked_out");
    }
    assert_eq!(stocked_out, 0, "the demo town holds every key item somewhere");
    // Stockouts are among the lines compared: the history has them.
    assert!(points.values().any(|v| v.2 == "stocked_out"), "the demo history has a stockout");
}

#[test]
fn a_report_before_the_first_movement_says_so_and_exits_2() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = tmp.path().join("data");
    let scenario = tmp.path().join("town.toml");
    std::fs::write(&scenario, bin::TOWN).expect("write scenario");
    bin::ok(&data, &["init", "--scenario", scenario.to_str().expect("utf-8 path")]);
    bin::ok(&data, &["log", "restock", "--point", "P01", "--item", "rice", "--qty", "100"]);
    let before = (chrono::Local::now().date_naive() - chrono::Duration::days(3)).to_string();
    for (lang, says) in [("en", "nothing was recorded yet on"), ("zh", "该日尚无任何记录")] {
        let out = bin::run(&data, &["--lang", lang, "report", "daily", "--date", &before, "--format", "json"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{lang}: {stderr}");
        assert!(stderr.contains(says) && stderr.contains(&before), "{lang}: {stderr}");
        assert!(out.stdout.is_empty(), "{lang}: nothing listed");
    }
    // Today's report is made, and opens on today by default.
    let today = json(&data, &["report", "daily", "--format", "json"]);
    assert_eq!(today["date"], chrono::Local::now().date_naive().to_string());
}

/// The statuses `stock --point P --json` lists, by item.
fn statuses(data: &std::path::Path, point: &str) -> BTreeMap<String, String> {
    let rows = json(data, &["stock", "--point", point, "--json"]);
    rows.as_array()
        .expect("rows")
        .iter()
        .map(|r| (r["item"].as_str().expect("item").into(), r["status"].as_str().expect("status").into()))
        .collect()
}

#[test]
fn carried_items_come_from_the_scenario_or_the_points_sheet_and_count_as_stocked_out() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = tmp.path().join("data");
    // The scenario says P02 carries rice (it holds none yet).
    let town = bin::TOWN.replacen("code = \"P02\"\n", "code = \"P02\"\ncarries = [\"rice\"]\n", 1);
    assert_ne!(town, bin::TOWN, "the scenario names P02");
    let scenario = tmp.path().join("town.toml");
    std::fs::write(&scenario, town).expect("write scenario");
    bin::ok(&data, &["init", "--scenario", scenario.to_str().expect("utf-8 path")]);
    let p02 = statuses(&data, "P02");
    assert_eq!(p02.get("rice").map(String::as_str), Some("stocked_out"), "{p02:?}");
    // A points sheet with a carries column (Chinese header, 、 between codes).
    let sheet = tmp.path().join("points.csv");
    std::fs::write(&sheet, "编码,名称,类型,片区,户数,经营品种\nP03,新店,delivery,Z1,50,rice、mask\n").expect("write");
    bin::ok(&data, &["import", "points", sheet.to_str().expect("utf-8 path")]);
    let p03 = statuses(&data, "P03");
    assert_eq!(p03.values().map(String::as_str).collect::<Vec<_>>(), ["stocked_out", "stocked_out"], "{p03:?}");
    let alerts = json(&data, &["alerts", "--json"]);
    let subjects: Vec<&str> = alerts.as_array().expect("alerts").iter().filter_map(|a| a["subject"].as_str()).collect();
    assert!(subjects.contains(&"P03/rice") && subjects.contains(&"P03/mask"), "{subjects:?}");
    // An unknown item in the column is named with its line, and nothing is imported.
    std::fs::write(&sheet, "code,name,kind,zone,carries\nP04,又一店,delivery,Z1,rice soap\n").expect("write");
    let out = bin::run(&data, &["import", "points", sheet.to_str().expect("utf-8 path")]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && stderr.contains(":2: carries: no item with code soap"), "{stderr}");
    let points = json(&data, &["points", "--json"]);
    assert!(points.as_array().expect("points").iter().all(|p| p["code"] != "P04"), "nothing imported");
}
