//! Issue 16's commands through the real binary: `import vehicles` (GB18030 with Chinese
//! headers; a bad row names its line), `log pass`, a dispatch refused on an ended pass and
//! warned on its last day, `log adjust --reason counted --counted`, the wrong quantity refused
//! for each reason, `log unack`.

use crate::support::bin::{ok, run, TOWN};
use std::path::Path;

fn seeded() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().expect("tmp");
    let d = tmp.path().join("data");
    let sc = tmp.path().join("town.toml");
    std::fs::write(&sc, TOWN).expect("write");
    ok(&d, &["init", "--scenario", sc.to_str().unwrap()]);
    (tmp, d)
}

fn stderr_of(d: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out = run(d, args);
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

fn vehicles(d: &Path) -> serde_json::Value {
    serde_json::from_str(&ok(d, &["vehicles", "--json"])).expect("json")
}

#[test]
fn vehicles_import_from_a_chinese_spreadsheet_and_a_bad_row_names_its_line() {
    let (tmp, d) = seeded();
    let file = tmp.path().join("车辆.csv");
    let text =
        "车牌号,所属送货点,通行证号,有效期至\n冀EF7580,P01,BG-TX-012,2020-01-01\n冀EG0001,P02,BG-TX-030,2099-12-31\n";
    std::fs::write(&file, encoding_rs::GB18030.encode(text).0).expect("write");
    assert!(ok(&d, &["import", "vehicles", file.to_str().unwrap()]).starts_with("2 rows read"));
    let v = vehicles(&d);
    let plate = |p: &str| v.as_array().unwrap().iter().find(|x| x["plate"] == p).cloned().expect(p);
    assert_eq!(plate("冀EG0001")["pass_valid_until"], "2099-12-31");
    assert_eq!(plate("冀EF7580")["pass_no"], "BG-TX-012");
    let bad = tmp.path().join("bad.csv");
    std::fs::write(&bad, "plate,point,pass_no,pass_valid_until\n冀EH1,P01,N1,2030-01-01\n冀EH2,P99,N2,tomorrow\n")
        .expect("write");
    let (code, err) = stderr_of(&d, &["import", "vehicles", bad.to_str().unwrap()]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("bad.csv:3: point: no point with code P99"), "{err}");
    assert!(err.contains("bad.csv:3: pass_valid_until: is not a date"), "{err}");
    assert!(!vehicles(&d).to_string().contains("冀EH1"), "nothing imported");
}

#[test]
fn a_pass_renewed_from_the_command_line_lets_the_vehicle_go() {
    let (tmp, d) = seeded();
    let file = tmp.path().join("v.csv");
    std::fs::write(&file, "plate,point,pass_no,pass_valid_until\n冀EF7580,P01,BG-012,2020-01-01\n").expect("write");
    ok(&d, &["import", "vehicles", file.to_str().unwrap()]);
    ok(&d, &["log", "restock", "--point", "P01", "--item", "rice", "--qty", "50"]);
    let send = [
        "log",
        "dispatch",
        "--from",
        "P01",
        "--to-point",
        "P02",
        "--item",
        "rice",
        "--qty",
        "1",
        "--vehicle",
        "冀EF7580",
    ];
    let (code, err) = stderr_of(&d, &[&["--lang", "zh"], &send[..]].concat());
    assert_eq!((code, err.trim()), (Some(2), "已拒绝: 车辆: 通行证 BG-012 已于 2020-01-01 到期,请先续办"));
    let today = chrono::Local::now().date_naive().to_string();
    let out = ok(&d, &["log", "pass", "--vehicle", "冀EF7580", "--number", "BG-099", "--valid-until", &today]);
    assert!(out.contains("alerts cleared"), "{out}");
    let out = ok(&d, &send);
    assert!(out.contains(&format!("warning: vehicle: pass BG-099 ends today ({today})")), "{out}");
    let (code, err) =
        stderr_of(&d, &["log", "pass", "--vehicle", "冀EF7580", "--number", "X", "--valid-until", "2020-01-01"]);
    assert_eq!((code, err.trim()), (Some(2), "rejected: valid_until: 2020-01-01 is in the past"));
}

#[test]
fn a_stock_take_takes_the_counted_quantity_and_each_reason_its_own() {
    let (_tmp, d) = seeded();
    ok(&d, &["log", "restock", "--point", "P01", "--item", "rice", "--qty", "50"]);
    let base = ["log", "adjust", "--point", "P01", "--item", "rice"];
    let out = ok(&d, &[&base[..], &["--reason", "counted", "--counted", "47.5"]].concat());
    assert!(out.contains("difference -2.5"), "{out}");
    let stock: serde_json::Value =
        serde_json::from_str(&ok(&d, &["stock", "--point", "P01", "--item", "rice", "--json"])).expect("json");
    assert_eq!(stock[0]["qty"], 47.5);
    for (args, expected) in [
        (
            vec!["--reason", "counted", "--delta", "-1"],
            "rejected: delta: a stock-take takes the quantity counted (--counted), not a change",
        ),
        (
            vec!["--reason", "lost", "--counted", "3"],
            "rejected: counted: is only for a stock-take; lost takes a change (--delta)",
        ),
        (vec!["--reason", "counted"], "rejected: counted: is empty"),
        (vec!["--reason", "damaged"], "rejected: delta: is empty"),
        (
            vec!["--reason", "counted", "--counted", "47.5"],
            "rejected: counted: equals the stock held (47.5 kg): nothing to correct",
        ),
    ] {
        let (code, err) = stderr_of(&d, &[&base[..], &args[..]].concat());
        assert_eq!((code, err.trim()), (Some(2), expected), "{args:?}");
    }
    ok(&d, &[&base[..], &["--reason", "lost", "--delta", "-0.5"]].concat());
}

#[test]
fn an_acknowledgement_can_be_withdrawn() {
    let (_tmp, d) = seeded();
    let alerts: serde_json::Value = serde_json::from_str(&ok(&d, &["alerts", "--json"])).expect("json");
    let id = alerts[0]["id"].as_str().map(str::to_string).unwrap_or_else(|| format!("A{}", alerts[0]["id"]));
    ok(&d, &["ack", &id]);
    ok(&d, &["log", "unack", "--alert", &id]);
    let (code, err) = stderr_of(&d, &["log", "unack", "--alert", &id]);
    assert_eq!((code, err.trim().to_string()), (Some(2), format!("rejected: alert: {id} is not acknowledged")));
    ok(&d, &["ack", &id]);
}
