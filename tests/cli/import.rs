//! CSV import through the real binary: Chinese headers in GB18030 and UTF-8 with a BOM; every
//! class of bad row reported as FILE:LINE: column: reason with nothing imported; importing the
//! same file twice changes nothing; a changed row updates; opening stock arrives as restocks.

use crate::support::bin::{ok, run};
use std::path::Path;

fn gb18030(text: &str) -> Vec<u8> {
    encoding_rs::GB18030.encode(text).0.into_owned()
}

fn events(data: &Path) -> usize {
    ok(data, &["export", "events"]).lines().count()
}

#[test]
fn a_town_from_spreadsheets() {
    let tmp = tempfile::tempdir().expect("tmp");
    let d = tmp.path().join("data");
    ok(&d, &["init", "--empty"]);
    let zones = tmp.path().join("zones.csv");
    std::fs::write(&zones, gb18030("片区负责人,编码,名称\n林永生,Z1,东片区\n罗桂芳,Z2,西片区\n")).expect("write");
    assert!(ok(&d, &["import", "zones", zones.to_str().unwrap()]).starts_with("2 rows read"));
    let z: serde_json::Value = serde_json::from_str(&ok(&d, &["zones", "--json"])).expect("json");
    assert_eq!(
        z[0],
        serde_json::json!({"code": "Z1", "name": "东片区", "lead": "林永生"}),
        "GB18030 decoded, columns in any order"
    );
    // The same file again changes nothing.
    let before = events(&d);
    ok(&d, &["import", "zones", zones.to_str().unwrap()]);
    assert_eq!(events(&d), before, "re-import records no event");
    // A changed row updates.
    std::fs::write(&zones, gb18030("编码,名称,片区负责人\nZ1,东片区,高秀兰\nZ2,西片区,罗桂芳\n")).expect("write");
    ok(&d, &["import", "zones", zones.to_str().unwrap()]);
    assert_eq!(events(&d), before + 1);
    let z: serde_json::Value = serde_json::from_str(&ok(&d, &["zones", "--json"])).expect("json");
    assert_eq!(z[0]["lead"], "高秀兰");

    let points = tmp.path().join("points.csv");
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(
        "code,name,kind,zone,households\nP01,惠民超市,delivery,Z1,100\nDEPOT,储备库,depot,Z2,\n".as_bytes(),
    );
    std::fs::write(&points, bom).expect("write");
    ok(&d, &["import", "points", points.to_str().unwrap()]);
    let items = tmp.path().join("items.csv");
    std::fs::write(&items, "code,name_zh,name_en,group,unit,norm_days,max_days,per_household_daily\nrice,大米,Rice,grain_oil,kg,15,60,0.5\nmask,口罩,Mask,protective,piece,30,,0.1\n").expect("write");
    ok(&d, &["import", "items", items.to_str().unwrap()]);
    let stock = tmp.path().join("stock.csv");
    std::fs::write(&stock, "point,item,qty,batch,expiry\nP01,rice,120,,\nDEPOT,mask,1000,M1,2099-01-01\n")
        .expect("write");
    ok(&d, &["import", "stock", stock.to_str().unwrap()]);
    let before = events(&d);
    ok(&d, &["import", "stock", stock.to_str().unwrap()]);
    assert_eq!(events(&d), before, "the same opening stock is not added twice");
    let log = ok(&d, &["export", "events"]);
    assert_eq!(
        log.lines().filter(|l| l.contains("\"cmd\":\"restock\"")).count(),
        2,
        "opening stock arrives as restock events"
    );
    let s: serde_json::Value = serde_json::from_str(&ok(&d, &["stock", "--point", "P01", "--json"])).expect("json");
    assert_eq!(s[0]["qty"], 120.0);
    assert!(ok(&d, &["check"]).contains("no differences"));
}

#[test]
fn every_bad_row_is_named_and_nothing_is_imported() {
    let tmp = tempfile::tempdir().expect("tmp");
    let d = tmp.path().join("data");
    ok(&d, &["init", "--empty"]);
    let zones = tmp.path().join("zones.csv");
    std::fs::write(&zones, "code,name\nZ1,东片区\n").expect("write");
    ok(&d, &["import", "zones", zones.to_str().unwrap()]);
    let before = events(&d);
    let bad = tmp.path().join("points.csv");
    std::fs::write(&bad, "code,name,kind,zone,households,colour\nP01,惠民超市,delivery,Z1,100,red\n").expect("write");
    let out = run(&d, &["import", "points", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(err.contains("points.csv:1: colour: unknown column"), "{err}");

    std::fs::write(
        &bad,
        "code,name,kind,zone,households\nP01,惠民超市,delivery,Z1,100\nP02,家家福,shop,Z9,-5\nP01,重复,delivery,Z1,x\n,无编码,delivery,Z1,1\n",
    )
    .expect("write");
    let out = run(&d, &["import", "points", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    for want in [
        "points.csv:3: kind: must be one of: depot, delivery",
        "points.csv:3: zone: no zone with code Z9",
        "points.csv:3: households: must not be negative",
        "points.csv:4: code: duplicate P01 (first on line 2)",
        "points.csv:4: households: is not a whole number",
        "points.csv:5: code: is empty",
        "nothing was imported",
    ] {
        assert!(err.contains(want), "missing {want:?} in:\n{err}");
    }
    assert_eq!(events(&d), before, "a bad file changes nothing");

    let stock = tmp.path().join("stock.csv");
    std::fs::write(&stock, "point,item,qty,expiry\nPX,rice,1,\nZ1,ghost,-2,2001-01-01\nPX,rice,1,2026-13-01\n")
        .expect("write");
    let out = run(&d, &["import", "stock", stock.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    for want in [
        "stock.csv:2: point: no point with code PX",
        "stock.csv:2: item: no item with code rice",
        "stock.csv:3: qty: must be a positive number",
        "stock.csv:3: expiry: 2001-01-01 is in the past",
    ] {
        assert!(err.contains(want), "missing {want:?} in:\n{err}");
    }
    let villages = tmp.path().join("villages.csv");
    std::fs::write(&villages, "code,name,point\nV01,北村,P77\n").expect("write");
    let err = String::from_utf8_lossy(&run(&d, &["import", "villages", villages.to_str().unwrap()]).stderr).to_string();
    assert!(err.contains("villages.csv:2: point: no point with code P77"), "{err}");
    let duty = tmp.path().join("duty.csv");
    std::fs::write(&duty, "start,end,duty_officer,leader_on_call\n2026-12-01 08:00,2026-11-30 08:00,无名,无名\n")
        .expect("write");
    let err = String::from_utf8_lossy(&run(&d, &["import", "duty", duty.to_str().unwrap()]).stderr).to_string();
    assert!(
        err.contains("duty.csv:2: end: ends before it starts")
            && err.contains("duty_officer: no person named 无名 on the roster"),
        "{err}"
    );
    assert_eq!(events(&d), before);
}
