//! Hostile and careless spreadsheets and event logs: line numbers of LF, CRLF and CR files with
//! blank lines and quoted newlines; a cascade of one problem capped with a count; mixed and
//! broken encodings refused naming the line; ragged rows refused; invisible characters, mixed
//! scripts and NFKC duplicates in codes and names; a crafted event log refused by restore.
//! Imports `baogong` and `support` only.

use crate::support::bin;
use crate::support::fixture::{cst, restock, t0, to_village, u, Fx};
use baogong::domain::command::{LotTake, Resolved};
use baogong::domain::{Event, Lang, Qty};
use baogong::import::{self, Kind};
use std::path::{Path, PathBuf};

const FILE: &str = "in.csv";

/// The problems of planning `text` as `kind` against the small town.
fn problems(kind: &str, text: &str) -> Vec<String> {
    let fx = Fx::new();
    let kind = Kind::parse(kind).expect("a kind");
    match import::plan(kind, FILE, text, fx.engine.state(), t0().date_naive(), cst()) {
        Ok(_) => vec![],
        Err(p) => p.lines(),
    }
}

#[test]
fn line_numbers_are_the_files_own_lines() {
    let header = "point,item,qty,batch,expiry";
    for eol in ["\n", "\r\n", "\r"] {
        // Line 4 is bad after a blank line 3; line 5 holds a quoted two-line cell (a newline is
        // not allowed in a cell); line 7 is bad after it.
        let rows = [header, "P01,rice,1,,", "", "P01,rice,-1,,", "P01,rice,1,\"two\nlines\",", "P01,nope,1,,"];
        let text = rows.join(eol);
        let got = problems("stock", &text);
        assert_eq!(
            got,
            [
                format!("{FILE}:4: qty: must be a positive number"),
                format!("{FILE}:5: batch: contains control characters"),
                format!("{FILE}:7: item: no item with code nope")
            ],
            "{eol:?}"
        );
    }
    // A row with a quoted newline is named by the line it starts on, and so is the row after.
    let got = problems("stock", "point,item,qty,batch,expiry\r\n\r\nP01,rice,x,\"a\r\nb\",\r\nP01,rice,0,,\r\n");
    let want = [
        format!("{FILE}:3: batch: contains control characters"),
        format!("{FILE}:3: qty: is not a number"),
        format!("{FILE}:5: qty: must be a positive number"),
    ];
    assert_eq!(got, want);
}

#[test]
fn ragged_rows_are_refused_with_their_line() {
    let text = "code,name,kind,zone,manager,phone\nPX1,新点,delivery,Z1,王五,138\nPX2,二,号,delivery,Z1,赵六,139\nPX3,三点,delivery,Z1\nPX4,四点,delivery,Z1,李四,137,,\n";
    let got = problems("points", text);
    assert_eq!(
        got,
        [
            format!("{FILE}:3: row: has 7 fields, the header has 6"),
            format!("{FILE}:4: row: has 4 fields, the header has 6")
        ]
    );
}

#[test]
fn encodings_are_one_or_the_file_is_refused() {
    let utf8 = "code,name,lead\nZ7,测试点,\n".as_bytes().to_vec();
    assert_eq!(import::decode(&utf8).expect("utf-8"), "code,name,lead\nZ7,测试点,\n");
    let (gb, _, _) = encoding_rs::GB18030.encode("code,name,lead\nZ7,测试点,\n");
    assert_eq!(import::decode(&gb).expect("gb18030"), "code,name,lead\nZ7,测试点,\n");
    // UTF-8 lines 2-3, then a GB18030 cell on line 4.
    let mut mixed = "code,name,lead\nZ7,测试点,\nZ8,第二,\n".as_bytes().to_vec();
    mixed.extend_from_slice(&encoding_rs::GB18030.encode("Z9,第三,\n").0);
    let p = import::decode(&mixed).expect_err("mixed");
    assert_eq!(
        (p.line, p.reason.text(Lang::En).as_str()),
        (4, "mixed encodings: this line is not UTF-8 like lines 2-3")
    );
    // Bytes that are neither.
    let p = import::decode(b"code,name,lead\nZ7,\xff\xff,\n").expect_err("neither");
    assert_eq!((p.line, &p.column), (2, &import::Column::Encoding));
    assert!(p.reason.text(Lang::En).contains("neither UTF-8 nor GB18030"), "{p:?}");
}

#[test]
fn codes_and_names_that_do_not_show_or_mix_scripts_are_refused() {
    let text = "code,name,lead\nP0\u{200b}1,甲,\n\u{feff}Z8,乙,\nZ9,丙\u{202e}丁,\n\u{420}X1,戊,\n\u{420}01,己,\nＺ１,庚,\nZ10,东片区,\nZ11, 辛 ,\nZ12,辛,\n";
    let got = problems("zones", text);
    let want = [
        "2: code: contains an invisible or damaged character (U+200B)",
        "3: code: contains an invisible or damaged character (U+FEFF)",
        "4: name: contains an invisible or damaged character (U+202E)",
        "5: code: mixes scripts (Cyrillic, Latin)",
        "6: code: is written in Cyrillic, the other codes in Latin",
        "7: code: Ｚ１ is the same as Z1",
        "8: name: 东片区 is the same as 东片区 (Z1)",
        "10: name: 辛 is the same as 辛 (Z11)",
    ];
    let want: Vec<String> = want.iter().map(|w| format!("{FILE}:{w}")).collect();
    assert_eq!(got, want);
}

#[test]
fn the_engine_refuses_the_same_codes_and_names_from_any_caller() {
    use baogong::domain::command::{Command, Record};
    use baogong::domain::Zone;
    let mut fx = Fx::new();
    let zone = |code: &str, name: &str| Command::Upsert {
        records: vec![Record::Zone(Zone { code: code.into(), name: name.into(), lead: String::new() })],
    };
    for (code, name, field) in [
        ("P0\u{200b}1", "甲", "code"),
        ("\u{420}X1", "乙", "code"),
        ("\u{420}01", "丙", "code"),
        ("Z2", "东片区\u{3000}", "name"),
    ] {
        let r = fx.reject(zone(code, name));
        assert_eq!(r.field, field, "{code:?} {name:?}: {r}");
    }
    fx.ok(zone("Z2", "西片区"));
}

/// Imports `file` as `kind` into `data`; the exit code and stderr.
fn import_file(data: &Path, kind: &str, file: &Path) -> (Option<i32>, String) {
    let out = bin::command(data).args(["import", kind]).arg(file).output().expect("import");
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// A temp dir with the small town initialised in `data` under it.
fn town() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = tmp.path().join("data");
    let scenario = tmp.path().join("town.toml");
    std::fs::write(&scenario, bin::TOWN).expect("scenario");
    let out = bin::command(&data).args(["init", "--scenario"]).arg(&scenario).output().expect("init");
    assert!(out.status.success(), "init: {}", String::from_utf8_lossy(&out.stderr));
    (tmp, data)
}

#[test]
fn a_cascade_shows_twenty_problems_then_a_count() {
    let (tmp, data) = town();
    let mut text = String::from("point,item,qty,batch,expiry\r\n");
    for _ in 0..2_000 {
        text.push_str("P01,nothing,1,,\r\n");
    }
    text.push_str("P01,rice,-1,,\r\n");
    let file = tmp.path().join("cascade.csv");
    std::fs::write(&file, &text).expect("write");
    let (code, stderr) = import_file(&data, "stock", &file);
    assert_eq!(code, Some(2), "{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 20 + 1 + 1 + 1, "{stderr}");
    assert!(lines[0].ends_with("cascade.csv:2: item: no item with code nothing"), "{stderr}");
    assert!(lines[19].ends_with("cascade.csv:21: item: no item with code nothing"), "{stderr}");
    assert!(lines[20].ends_with("cascade.csv:2002: qty: must be a positive number"), "{stderr}");
    assert!(lines[21].starts_with("… and 1,980 more like ") && lines[21].ends_with("cascade.csv:2"), "{stderr}");
    assert_eq!(lines[22], "2,001 problems; nothing was imported");
}

#[test]
fn restore_refuses_a_crafted_log_naming_its_line() {
    let (tmp, data) = town();
    let out = bin::command(&data).args(["export", "events"]).output().expect("export");
    assert!(out.status.success());
    let log = String::from_utf8(out.stdout).expect("utf-8");
    let mut lines: Vec<String> = log.lines().map(str::to_string).collect();
    // A restock of 10 kg, then a dispatch of 99,999,666 kg: -99,999,656 kg on base.
    let last: Event = serde_json::from_str(lines.last().expect("an event")).expect("an event");
    let lot =
        |qty: Qty| Resolved { lots: vec![LotTake { batch: String::new(), expiry: None, qty }], ..Resolved::default() };
    let huge = Qty(99_999_666_000);
    let crafted = [(restock("P01", "rice", u(10)), lot(u(10))), (to_village("P01", "V01", "rice", huge), lot(huge))];
    for (n, (cmd, resolved)) in crafted.into_iter().enumerate() {
        let seq = last.seq + 1 + n as u64;
        let ev = Event { seq, cmd_id: format!("crafted-{seq}"), cmd, resolved, ..last.clone() };
        lines.push(serde_json::to_string(&ev).expect("json"));
    }
    let at = lines.len() - 1;
    let file = tmp.path().join("crafted.jsonl");
    std::fs::write(&file, lines.join("\n") + "\n").expect("write");
    let empty = tmp.path().join("restored");
    let out = bin::command(&empty).args(["import", "events"]).arg(&file).output().expect("restore");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "a crafted log was restored: {stderr}");
    assert!(stderr.contains(&format!("crafted.jsonl:{}:", at + 1)), "names the line: {stderr}");
    assert_ne!(out.status.code(), Some(101), "panicked: {stderr}");
}
