//! Bad input to the CSV importer (`import::plan` and `baogong import`): property tests with
//! random bytes and random spreadsheets (shuffled, aliased, unknown, empty and repeated columns;
//! cells empty, negative, fractional, huge, NaN, malformed or impossible dates, unknown codes,
//! control characters, 600-character names) for every import kind. Planning never panics; every
//! problem is reported as `FILE:LINE: column: reason` with a real line and column; a plan the
//! engine then refuses in part records nothing. Through the real binary, embedded and through
//! the daemon: a bad file exits 2 naming each line and the store is unchanged.

use crate::support::bin;
use crate::support::fixture::{cst, officer, t0, Fx};
use baogong::api::{Caller, Request};
use baogong::import::{self, Kind};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use std::cell::RefCell;
use std::path::Path;
use std::process::Stdio;

const FILE: &str = "lists/坏.csv";

/// Each kind with its columns (as the README lists them) and a Chinese alias of one of them.
const KINDS: [(&str, &[&str], &str); 7] = [
    ("zones", &["code", "name", "lead"], "片区负责人"),
    (
        "points",
        &["code", "name", "kind", "zone", "households", "population", "staff", "vehicles", "manager", "phone"],
        "户数",
    ),
    ("villages", &["code", "name", "point", "households", "checkpoint"], "村卡口"),
    (
        "items",
        &["code", "name_zh", "name_en", "group", "unit", "norm_days", "max_days", "per_household_daily"],
        "户均日耗",
    ),
    ("people", &["name", "title", "unit", "role", "duty", "phone"], "职责分工"),
    ("duty", &["start", "end", "duty_officer", "leader_on_call"], "带班领导"),
    ("stock", &["point", "item", "qty", "batch", "expiry"], "有效期"),
];

/// Checks that every error reads `FILE:LINE: column: reason`, the line within the file and,
/// for a data row, the column one of the kind's (by field name) or the row itself.
fn well_formed(errors: &[String], text: &str, columns: &[&str]) -> Result<(), TestCaseError> {
    prop_assert!(!errors.is_empty(), "an Err holds at least one problem");
    let last_line = text.matches('\n').count() + text.matches('\r').count() + 2;
    let header = header_line(text);
    for e in errors {
        let rest = e.strip_prefix(&format!("{FILE}:")).ok_or_else(|| TestCaseError::fail(format!("no FILE: {e}")))?;
        let (line, rest) = rest.split_once(": ").ok_or_else(|| TestCaseError::fail(format!("no LINE: {e}")))?;
        let line: usize = line.parse().map_err(|_| TestCaseError::fail(format!("LINE is not a number: {e}")))?;
        prop_assert!((1..=last_line).contains(&line), "line {} outside the file: {}", line, e);
        let (column, reason) =
            rest.split_once(": ").ok_or_else(|| TestCaseError::fail(format!("no column: reason in {e}")))?;
        prop_assert!(!column.trim().is_empty() && !reason.trim().is_empty(), "{}", e);
        if line > header {
            prop_assert!(columns.contains(&column) || column == "row", "{:?} is not a column: {}", column, e);
        }
    }
    Ok(())
}

/// The line the header is on: blank lines before it are skipped, and a lone `\r`, a `\n`
/// or `\r\n` each end one line.
fn header_line(text: &str) -> usize {
    let blank = text.len() - text.trim_start_matches(['\r', '\n']).len();
    1 + text[..blank].replace("\r\n", "\n").len()
}

/// Cell values: good ones and every bad class.
fn cell() -> impl Strategy<Value = String> {
    let pool: Vec<String> = vec![
        "",
        " ",
        "P01",
        "P02",
        "DEPOT",
        "V01",
        "Z1",
        "rice",
        "mask",
        "孙红霞",
        "delivery",
        "depot",
        "grain_oil",
        "duty_staff",
        "kg",
        "piece",
        "B1",
        "12",
        "-5",
        "1.5",
        "0",
        "0.0001",
        "1e30",
        "99999999999999999999",
        "NaN",
        "inf",
        "abc",
        "１２",
        "2026-02-30",
        "9999-12-31",
        "1900-01-01",
        "2026-03-20",
        "2026-04-01",
        "2026-03-11 08:00",
        "2026-03-11 20:00",
        "2026-03-11T08:00",
        "\x1b[2J",
        "a\x07b",
        "\"quoted, with comma\"",
        "\"unterminated",
        "送货点",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    prop_oneof![
        8 => prop::sample::select(pool),
        1 => Just("名".repeat(600)),
        1 => "[\\PC]{0,12}",
        1 => any::<String>(),
    ]
}

/// A header: some of the kind's columns in any order, sometimes an alias, an unknown, an empty
/// or a repeated column.
fn header(columns: &'static [&'static str], alias: &'static str) -> impl Strategy<Value = Vec<String>> {
    let cols: Vec<String> = columns.iter().map(|c| c.to_string()).collect();
    (
        Just(cols.clone()).prop_shuffle(),
        0..=cols.len(),
        prop_oneof![
            6 => Just(None),
            1 => Just(Some(alias.to_string())),
            1 => Just(Some("unknown".to_string())),
            1 => Just(Some(String::new())),
            1 => Just(Some(cols[0].to_uppercase())),
        ],
    )
        .prop_map(|(mut shuffled, drop, extra)| {
            // Mostly every column; sometimes a few missing.
            let keep = if drop % 3 == 0 { shuffled.len() - drop.min(shuffled.len() - 1) } else { shuffled.len() };
            shuffled.truncate(keep.max(1));
            if let Some(x) = extra {
                shuffled.push(x);
            }
            shuffled
        })
}

/// A whole file: header and rows joined by commas, with `\n` or `\r\n` line ends.
fn spreadsheet(columns: &'static [&'static str], alias: &'static str) -> impl Strategy<Value = String> {
    (header(columns, alias), prop::collection::vec(prop::collection::vec(cell(), 0..12), 0..8), any::<bool>()).prop_map(
        |(head, rows, crlf)| {
            let end = if crlf { "\r\n" } else { "\n" };
            let mut text = head.join(",");
            for r in rows {
                text.push_str(end);
                text.push_str(&r.join(","));
            }
            text.push_str(end);
            text
        },
    )
}

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config { cases, failure_persistence: None, ..Config::default() })
}

/// Plans `text` against the engine's state; an accepted plan goes to the engine all or nothing.
fn plan_and_apply(fx: &RefCell<Fx>, kind: Kind, columns: &[&str], text: &str) -> Result<(), TestCaseError> {
    let mut fx = fx.borrow_mut();
    let state = fx.engine.state().clone();
    let today = t0().date_naive();
    match import::plan(kind, FILE, text, &state, today, cst()) {
        Err(errors) => well_formed(&errors.lines(), text, columns),
        Ok(plan) => {
            let before = fx.engine.state().last_seq;
            let caller: Caller = officer();
            let reqs =
                plan.commands.into_iter().map(|(cmd_id, cmd)| (caller.clone(), Request { cmd_id, cmd })).collect();
            let replies = fx.engine.submit_atomic(reqs);
            if replies.iter().any(Result::is_err) {
                prop_assert_eq!(fx.engine.state().last_seq, before, "a refused import recorded something");
                let store_last = fx.engine.store().last_seq().map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert_eq!(store_last, before, "a refused import reached the store");
            }
            Ok(())
        }
    }
}

#[test]
fn random_bytes_never_panic_and_errors_name_line_and_column() {
    let fx = RefCell::new(Fx::new());
    // Once found: a header after blank lines is named on its own line, not as a data row.
    for text in ["\n丂丂丂丂", "\r\n\r\nfoo,code", "\r\r\n\nfoo"] {
        let (_, columns, _) = KINDS[1];
        let problems = import::plan(
            Kind::parse("points").expect("a kind"),
            FILE,
            text,
            fx.borrow().engine.state(),
            t0().date_naive(),
            cst(),
        );
        let Err(problems) = problems else { panic!("{text:?}: an unknown column is refused") };
        let errors = problems.lines();
        well_formed(&errors, text, columns).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        assert!(errors.iter().all(|e| e.starts_with(&format!("{FILE}:{}:", header_line(text)))), "{errors:?}");
    }
    let mut tried = 0;
    for (name, columns, _) in KINDS {
        let kind = Kind::parse(name).expect("a kind");
        let bytes = prop::collection::vec(any::<u8>(), 0..2048);
        runner(128)
            .run(&bytes, |b| {
                let text = match import::decode(&b) {
                    Ok(text) => text,
                    // Undecodable bytes are refused naming a line of the file.
                    Err(p) => {
                        prop_assert!((1..=b.split(|c| *c == b'\n').count()).contains(&p.line), "{:?}", p);
                        return Ok(());
                    }
                };
                plan_and_apply(&fx, kind, columns, &text)
            })
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        tried += 128;
    }
    eprintln!("CSV random byte files tried: {tried}");
}

#[test]
fn random_spreadsheets_report_every_bad_cell_or_import_whole() {
    let fx = RefCell::new(Fx::new());
    let mut tried = 0;
    for (name, columns, alias) in KINDS {
        let kind = Kind::parse(name).expect("a kind");
        runner(256)
            .run(&spreadsheet(columns, alias), |text| plan_and_apply(&fx, kind, columns, &text))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        tried += 256;
    }
    eprintln!("CSV random spreadsheets tried: {tried}");
}

// ---------------------------------------------------------------------------------------------
// Through the real binary, embedded and through the daemon.

fn events(data: &Path) -> usize {
    let out = bin::command(data).args(["export", "events"]).output().expect("export");
    assert!(out.status.success(), "export: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).lines().filter(|l| !l.contains(r#""cmd":{"cmd":"tick"}"#)).count()
}

/// Imports `file`; returns the exit code and stderr.
fn import(data: &Path, kind: &str, file: &Path) -> (Option<i32>, String) {
    let out = bin::command(data).args(["import", kind]).arg(file).output().expect("import");
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// Every line of stderr but the closing summary reads `FILE:LINE: column: reason`, with no
/// control character.
fn names_lines(stderr: &str, file: &Path, columns: &[&str]) {
    let prefix = format!("{}:", file.display());
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(lines.len() >= 2, "{stderr}");
    for l in &lines[..lines.len() - 1] {
        let rest = l.strip_prefix(&prefix).unwrap_or_else(|| panic!("{l:?} does not name the file"));
        let (line, rest) = rest.split_once(": ").unwrap_or_else(|| panic!("{l:?}: no line"));
        assert!(line.parse::<usize>().is_ok_and(|n| n >= 1), "{l:?}: no line number");
        let column = rest.split(": ").next().unwrap_or_default();
        assert!(columns.contains(&column), "{l:?}: {column:?} is not a column");
    }
    assert!(!stderr.chars().any(|c| c.is_control() && c != '\n'), "control characters on stderr: {stderr:?}");
    assert!(lines[lines.len() - 1].contains("nothing was imported"), "{stderr}");
}

#[test]
fn bad_files_through_the_binary_name_their_lines_and_change_nothing() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = tmp.path().join("data");
    let scenario = tmp.path().join("town.toml");
    std::fs::write(&scenario, bin::TOWN).expect("scenario");
    let out = bin::command(&data).args(["init", "--scenario"]).arg(&scenario).output().expect("init");
    assert!(out.status.success(), "init: {}", String::from_utf8_lossy(&out.stderr));
    let stock_cols = ["point", "item", "qty", "batch", "expiry"];
    // Every row bad in its own way.
    let bad = tmp.path().join("bad stock.csv");
    let rows = [
        "point,item,qty,batch,expiry",
        "P01,rice,-5,,",
        "P01,mask,1.5,,",
        "P01,rice,1e30,,",
        "P01,rice,NaN,,",
        "P99,rice,1,,",
        "P01,flour,1,,",
        "P01,rice,1,,2026-02-30",
        "P01,rice,1,,1900-01-01",
        "P01,rice,1,,9999-12-31",
        "P01,rice,1,\x1b[2J,",
        ",rice,1,,",
        &format!("P01,rice,1,{},", "名".repeat(600)),
    ];
    std::fs::write(&bad, rows.join("\n")).expect("write");
    // Rows each fine on their own that the engine refuses together: one batch, two expiries.
    let clash = tmp.path().join("clash.csv");
    std::fs::write(&clash, "point,item,qty,batch,expiry\nP01,rice,5,B7,2099-01-01\nP01,rice,5,B7,2098-01-01\n")
        .expect("write");
    let good = tmp.path().join("good.csv");
    std::fs::write(&good, "point,item,qty,batch,expiry\nP02,mask,40,M9,2099-06-01\n").expect("write");

    for through_daemon in [false, true] {
        let mut daemon = None;
        if through_daemon {
            let mut child =
                bin::command(&data).arg("serve").stdout(Stdio::null()).stderr(Stdio::null()).spawn().expect("serve");
            bin::wait_serving(&data, &mut child, None);
            daemon = Some(child);
        }
        let before = events(&data);
        let (code, stderr) = import(&data, "stock", &bad);
        assert_eq!(code, Some(2), "{stderr}");
        names_lines(&stderr, &bad, &stock_cols);
        assert_eq!(stderr.lines().count(), rows.len() - 1 + 1, "one line per bad row, then the summary: {stderr}");
        let (code, stderr) = import(&data, "stock", &clash);
        assert_eq!(code, Some(2), "{stderr}");
        assert!(stderr.contains("clash.csv:3") && stderr.contains("expiry"), "the refused row is named: {stderr}");
        assert_eq!(events(&data), before, "nothing imported (daemon: {through_daemon})");
        if through_daemon {
            // A good file goes through the daemon as one batch.
            let (code, stderr) = import(&data, "stock", &good);
            assert_eq!(code, Some(0), "{stderr}");
            assert_eq!(events(&data), before + 1);
        }
        if let Some(mut d) = daemon {
            let _ = d.kill();
            let _ = d.wait();
        }
    }
}
