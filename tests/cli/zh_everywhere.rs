//! Every error the command line can print, in Chinese: one list of cases (`CASES`: a rejection
//! of each kind, clap's usage errors, a held and an insecure store, the point face's unknown
//! point after the first-run seeding note) run with `--lang zh`, each failing on any ASCII
//! word in its stderr that is not a code, a number, a unit symbol the locale allows, a flag, a
//! path or a quoted command (the checker is `support::zh::english_words`, which the console's
//! screens use too). A case added here is checked the same way.

use crate::support::bin::{command, ok, TOWN};
use crate::support::zh::english_words;
use std::collections::BTreeSet;
use std::path::Path;

/// What a case needs before it runs.
#[derive(Clone, Copy, PartialEq)]
enum Setup {
    /// The test town, seeded.
    Town,
    /// An empty data directory (a face seeds the demo town on first run).
    Empty,
    /// The test town, its store held by another process.
    Held,
    /// The test town in a directory every user may write.
    Insecure,
}

const P01_RICE: [&str; 4] = ["--point", "P01", "--item", "rice"];

/// (setup, arguments after `--lang zh`).
fn cases() -> Vec<(Setup, Vec<&'static str>)> {
    use Setup::*;
    let adjust = |rest: &[&'static str]| [&["log", "adjust"][..], &P01_RICE[..], rest].concat();
    vec![
        (Town, vec!["stock", "--point", "P99"]),
        (Town, vec!["stock", "--item", "nope"]),
        (Town, vec!["log", "restock", "--point", "P99", "--item", "rice", "--qty", "1"]),
        (Town, vec!["log", "restock", "--point", "P01", "--item", "mask", "--qty", "1.5"]),
        (Town, vec!["log", "restock", "--point", "P01", "--item", "rice", "--qty", "abc"]),
        (Town, vec!["log", "dispatch", "--from", "P01", "--to-point", "P02", "--item", "rice", "--qty", "99999"]),
        (Town, vec!["log", "dispatch", "--from", "P01", "--to-village", "V02", "--item", "rice", "--qty", "1"]),
        (Town, vec!["log", "receive", "--dispatch", "D99"]),
        (Town, adjust(&["--reason", "counted", "--delta", "1"])),
        (Town, adjust(&["--reason", "lost", "--counted", "1"])),
        (Town, adjust(&["--reason", "counted", "--counted", "0"])),
        (Town, vec!["log", "pass", "--vehicle", "冀X", "--number", "N1", "--valid-until", "2030-01-01"]),
        (Town, vec!["log", "pass", "--vehicle", "冀EA0001", "--number", "N1", "--valid-until", "2020-01-01"]),
        (Town, vec!["log", "unack", "--alert", "A999"]),
        (Town, vec!["ack", "A999"]),
        (Town, vec!["level", "level9"]),
        (Town, vec!["report", "daily", "--date", "1999-01-01"]),
        (Town, vec!["log", "report", "--point", "P01", "--date", "someday"]),
        (Town, vec!["plan", "--item", "nope"]),
        (Town, vec!["bogus"]),
        (Town, vec!["log", "restock", "--point", "P01"]),
        (Town, vec!["stock", "--bogus"]),
        (Town, adjust(&["--reason", "xx", "--delta", "1"])),
        (Town, vec!["init", "--empty", "--district"]),
        (Town, vec!["log", "assemble", "--point", "P01", "--kit", "nope", "--qty", "1"]),
        (Town, vec!["log", "unpack", "--point", "P01", "--kit", "rice", "--qty", "1"]),
        (Town, vec!["log", "request", "--village", "V01", "--item", "rice", "--qty", "1", "--slot", "AM"]),
        (Town, vec!["log", "schedule", "--request", "Q99", "--slot", "AM"]),
        (Town, vec!["schedule", "--zone", "Z9"]),
        (Town, vec!["schedule", "--date", "someday"]),
        // Households and the hotline (issue 15).
        (Town, vec!["log", "household", "--code", "H1", "--name", "王奶奶", "--village", "V01", "--phone", "abc"]),
        (Town, vec!["log", "household", "--code", "H1", "--name", "王奶奶", "--village", "V99"]),
        (Town, vec!["log", "household", "--code", "H1", "--name", "王奶奶", "--village", "V01", "--need", "rice=5/0"]),
        (Town, vec!["log", "household", "--code", "H1", "--name", "王奶奶", "--village", "V01", "--need", "rice"]),
        (Town, vec!["log", "household", "--code", "H1", "--name", "王奶奶", "--village", "V01", "--need", "nope=1/7"]),
        (Town, vec!["log", "household", "--code", "H1", "--phone", "13812345678"]),
        (Town, vec!["households", "--bogus"]),
        (Town, vec!["log", "household", "--code", "H1", "--name", "王", "--village", "V01", "--category", "rich"]),
        (
            Town,
            vec![
                "log",
                "case",
                "--caller",
                "张",
                "--phone",
                "13700000000",
                "--village",
                "V01",
                "--kind",
                "x",
                "--text",
                "问",
            ],
        ),
        (Town, vec!["cases", "--status", "nope"]),
        (
            Town,
            vec![
                "log",
                "case",
                "--caller",
                "张三",
                "--phone",
                "12",
                "--village",
                "V01",
                "--kind",
                "other",
                "--text",
                "问",
            ],
        ),
        (
            Town,
            vec![
                "log",
                "case",
                "--caller",
                "张三",
                "--phone",
                "13700000000",
                "--household",
                "H9",
                "--kind",
                "other",
                "--text",
                "问",
            ],
        ),
        (
            Town,
            vec!["log", "case", "--caller", "张三", "--phone", "13700000000", "--village", "V01", "--kind", "other"],
        ),
        (Town, vec!["log", "assign", "--case", "K999", "--to", "张三"]),
        (Town, vec!["log", "resolve", "--case", "K999", "--text", "好"]),
        (Town, vec!["log", "reopen", "--case", "K999"]),
        (Town, vec!["log", "close", "--case", "K999"]),
        (Town, vec!["log", "request", "--household", "H9", "--item", "rice", "--qty", "1"]),
        (Town, vec!["log", "request", "--case", "K999", "--qty", "1"]),
        (Town, vec!["log", "deliver", "--dispatch", "D99", "--qty", "1", "--signed-by", "王", "--household", "H9"]),
        (Held, vec!["stock"]),
        (Insecure, vec!["stock"]),
        (Empty, vec!["point", "P99"]),
    ]
}

/// The codes of the test town and of the demo town, which stay as they are in any language.
fn codes() -> BTreeSet<String> {
    // Unit symbols, the program's name, encodings, date and time formats and the words a
    // command line or a file takes as values (reasons, levels, kinds, groups, roles): what the
    // user types stays as typed.
    let fixed = ["kg", "L", "baogong", "UTF-8", "GB18030", "CSV", "YYYY-MM-DD", "YYYY-MM-DDTHH", "HH", "MM"];
    let mut set: BTreeSet<String> = fixed.map(str::to_string).into();
    set.extend(baogong::domain::command::AdjustReason::ALL.map(|r| r.code().to_string()));
    set.extend(baogong::domain::ResponseLevel::ALL.map(|l| l.code().to_string()));
    set.extend(baogong::domain::hotline::CaseStatus::ALL.map(|s| s.code().to_string()));
    set.extend(baogong::domain::hotline::CaseKind::ALL.map(|k| k.code().to_string()));
    set.extend(baogong::domain::household::Category::ALL.map(|c| c.code().to_string()));
    set.extend(baogong::domain::PointKind::ALL.map(|k| k.code().to_string()));
    set.extend(baogong::domain::ItemGroup::ALL.map(|g| g.code().to_string()));
    set.extend(baogong::domain::Role::ALL.map(|r| r.code().to_string()));
    for text in [TOWN, include_str!("../../assets/scenarios/wangguanzhuang.toml")] {
        for line in text.lines() {
            if let Some((key, value)) = line.split_once(" = ") {
                if matches!(key.trim(), "code" | "plate" | "pass_no" | "point" | "unit") {
                    set.insert(value.trim().trim_matches('"').to_string());
                }
            }
        }
    }
    set
}

fn prepare(setup: Setup, d: &Path, scenario: &Path) -> Option<baogong::store::Store> {
    if setup != Setup::Empty {
        ok(d, &["init", "--scenario", scenario.to_str().unwrap()]);
    }
    match setup {
        Setup::Held => Some(baogong::store::Store::open(d).expect("hold the store")),
        Setup::Insecure => {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o777)).expect("chmod");
            None
        }
        _ => None,
    }
}

#[test]
fn every_cli_error_reads_in_chinese() {
    let codes = codes();
    let mut failures = Vec::new();
    for (setup, args) in cases() {
        let tmp = tempfile::tempdir().expect("tmp");
        let (d, scenario) = (tmp.path().join("data"), tmp.path().join("town.toml"));
        std::fs::write(&scenario, TOWN).expect("write");
        let held = prepare(setup, &d, &scenario);
        let out = command(&d).arg("--lang").arg("zh").args(&args).output().expect("run");
        drop(held);
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        if out.status.success() || err.trim().is_empty() {
            failures.push(format!("{args:?}: expected an error, got status {:?}: {err}", out.status.code()));
            continue;
        }
        let bad = english_words(&err, &args, &codes);
        if !bad.is_empty() {
            failures.push(format!("{args:?}: English words {bad:?} in:\n{err}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} errors are not Chinese:\n{}",
        failures.len(),
        cases().len(),
        failures.join("\n")
    );
}

#[test]
fn the_checker_catches_an_english_word() {
    let codes = codes();
    assert_eq!(
        english_words("已拒绝: 送货点: there is no point P99", &["P99"], &codes),
        ["there", "is", "no", "point"]
    );
    assert!(english_words("已拒绝: 数量: P01 仅有库存 3 kg;`baogong init`", &[], &codes).is_empty());
}

/// (kind, file): for every import kind a file whose rows are bad in as many ways as the kind
/// has, each problem on its own line; and files bad in their header, width and encoding.
fn bad_imports() -> Vec<(&'static str, Vec<u8>)> {
    let text = |k: &'static str, t: &str| (k, t.as_bytes().to_vec());
    let mut mixed = "code,name,lead\nZ7,测试点,\n".as_bytes().to_vec();
    mixed.extend_from_slice(&encoding_rs::GB18030.encode("Z9,第三,\n").0);
    vec![
        text("zones", "code,name,lead\nZ1,重复,\n,无编码,\nZ\u{200b}2,乙,\nZ3,东片区,\n"),
        text("zones", "code,name,colour\nZ5,甲,red\n"),
        text("zones", "code,lead\nZ5,甲\n"),
        text("zones", "code,name,lead\nZ5,甲,乙,丙\n"),
        ("zones", mixed),
        ("zones", b"code,name,lead\nZ7,\xff\xff,\n".to_vec()),
        text("points", "code,name,kind,zone,households,carries\nP05,五号,shop,Z9,-5,soap\nP06,六号,delivery,Z1,x,\nP07,七号,delivery,Z1,99999999999,\n"),
        text("villages", "code,name,point,households\nV05,五村,P77,1.5\n"),
        text("items", "code,name_zh,name_en,group,unit,norm_days\nflour,面粉,Flour,bread,kg,x\noil,油,Oil,daily,L,-1\n"),
        text("people", "name,role\n赵六,boss\n"),
        text("duty", "start,end,duty_officer,leader_on_call\n2026-12-01 08:00,2026-11-30 08:00,无名,无名\nsoon,2026-12-01 08:00,孙红霞,马俊峰\n"),
        text("stock", "point,item,qty,batch,expiry\nP99,rice,1,,\nP01,ghost,-2,,2001-01-01\nP01,mask,1.5,,\nP01,rice,abc,,2026-13-01\nP01,rice,1,,2999-01-01\n"),
        text("vehicles", "plate,point,pass_no,pass_valid_until\n冀X1,P99,N1,tomorrow\n"),
        text("kits", "code,name_zh,unit,components\nkit1,礼包,kg,rice\nkit2,礼包二,box,nope=1 mask=0.5 mask=1 rice=x\n"),
        text("requests", "village,item,kit,qty,by,urgent\nV99,rice,mask,1,2000-01-01,maybe\nV01,nope,,abc,,\nV01,mask,,1.5,someday,\n"),
        text("tallies", "village,date,item,qty\nV99,someday,rice,1\nV01,,nope,1\nV01,,mask,1.5\n"),
        text("slots", "zone,code,start,end,trips,days\nZ9,AM,8am,10:00,1,mon\nZ1,PM,14:00,12:00,0,\n"),
        text("households", "code,name,village,phone,categories,needs\nH1,王奶奶,V99,abc,rich,rice\nH2,李爷爷,V01,,,nope=1/7 rice=0/7 rice=1/0\n"),
    ]
}

#[test]
fn every_import_problem_reads_in_chinese_with_its_line() {
    let codes = codes();
    let tmp = tempfile::tempdir().expect("tmp");
    let (d, scenario) = (tmp.path().join("data"), tmp.path().join("town.toml"));
    std::fs::write(&scenario, TOWN).expect("write");
    prepare(Setup::Town, &d, &scenario);
    let mut failures = Vec::new();
    for (n, (kind, bytes)) in bad_imports().into_iter().enumerate() {
        let file = tmp.path().join(format!("bad{n}.csv"));
        std::fs::write(&file, &bytes).expect("write");
        let path = file.to_str().expect("a path");
        // What the file's rows hold is the user's own text (each word as typed); its header is not.
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let mut typed: BTreeSet<&str> =
            text.lines().skip(1).flat_map(|l| l.split(|c: char| !c.is_ascii_alphanumeric())).collect();
        // The one header cell naming no column, shown as typed.
        typed.insert("colour");
        for env_lang in [false, true] {
            let mut cmd = command(&d);
            if env_lang {
                cmd.env("LANG", "zh_CN.UTF-8");
            } else {
                cmd.args(["--lang", "zh"]);
            }
            let out = cmd.args(["import", kind, path]).output().expect("run");
            let err = String::from_utf8_lossy(&out.stderr).into_owned();
            if out.status.code() != Some(2) {
                failures.push(format!("{kind} {n}: expected exit 2, got {:?}: {err}", out.status.code()));
                continue;
            }
            let problems: Vec<&str> = err.lines().filter(|l| l.starts_with(path)).collect();
            if problems.is_empty() {
                failures.push(format!("{kind} {n}: no FILE:LINE problem in:\n{err}"));
            }
            for p in &problems {
                let line = p[path.len()..].strip_prefix(':').and_then(|r| r.split_once(':')).map(|(l, _)| l);
                if line.is_none_or(|l| l.parse::<usize>().is_err()) {
                    failures.push(format!("{kind} {n}: no line number in {p:?}"));
                }
            }
            let mut bad = english_words(&err.replace(path, ""), &[], &codes);
            bad.retain(|w| !typed.contains(w.as_str()));
            if !bad.is_empty() {
                failures.push(format!("{kind} {n} (LANG={env_lang}): English words {bad:?} in:\n{err}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
