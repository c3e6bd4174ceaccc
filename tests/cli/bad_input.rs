//! Bad input on the command line, table-driven, through the real binary on one `init`ed demo
//! store: every `log` subcommand, `ack`, `level`, `stock --point/--item` and `report daily
//! --date`, each field with every bad value class (empty, whitespace, huge and absurd numbers,
//! negative and fractional quantities of whole-unit items, non-numbers, NaN/inf, impossible, past
//! and far-future dates, unknown codes, mixed-width Chinese, control characters and ANSI escapes,
//! 10 kB values). The commands run through a daemon serving the store (fast, and through the
//! socket), the listings, the Chinese subset and the reasons on the store itself. Each is
//! refused with a non-zero exit, names its field on stderr (in Chinese too for a subset), never
//! panics, never echoes a control character, and leaves the event log as it was.
//! `init --scenario` with broken scenario files fails plainly and writes nothing.

use crate::support::bin;

use serde_json::Value;
use std::path::Path;

/// One run of the binary.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run_env(data: &Path, args: &[String], env: &[(&str, &str)]) -> Run {
    let mut cmd = bin::command(data);
    cmd.args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run baogong");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn run(data: &Path, args: &[&str]) -> Run {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    run_env(data, &args, &[])
}

/// The events that are not clock ticks (each run ticks the clock; a tick may record alerts).
fn changes(data: &Path) -> Vec<String> {
    let r = run(data, &["export", "events"]);
    assert_eq!(r.code, Some(0), "export events: {}", r.stderr);
    r.stdout.lines().filter(|l| !l.contains(r#""cmd":{"cmd":"tick"}"#)).map(str::to_string).collect()
}

fn long(n: usize) -> String {
    "长".repeat(n / 3)
}

/// Codes and names that must name something known.
fn bad_codes() -> Vec<String> {
    vec![
        "".into(),
        "   ".into(),
        "NOPE".into(),
        "P０１".into(),
        "送货点P01".into(),
        "P01\x07".into(),
        "\x1b[2J".into(),
        "P01\r".into(),
        "\x1b[31mP01\x1b[0m".into(),
        "99999999999999999999".into(),
        long(10 * 1024),
    ]
}

/// Quantities that must be positive: `whole` is an item counted in whole pieces.
fn bad_quantities() -> Vec<String> {
    vec![
        "".into(),
        "  ".into(),
        "1e30".into(),
        "99999999999999999999".into(),
        "1000000001".into(),
        "-5".into(),
        "0".into(),
        "-0".into(),
        "-0.5".into(),
        "1.5".into(),
        "0.001".into(),
        "1.0001".into(),
        "abc".into(),
        "NaN".into(),
        "inf".into(),
        "-inf".into(),
        "1,000".into(),
        "１２".into(),
        "0x10".into(),
        "5\x07".into(),
        "\x1b[2J".into(),
        "9".repeat(10 * 1024),
    ]
}

/// Signed stock-take differences of a whole-unit item.
fn bad_deltas() -> Vec<String> {
    vec![
        "".into(),
        " ".into(),
        "1e30".into(),
        "99999999999999999999".into(),
        "-99999999999999999999".into(),
        "-999999999".into(),
        "0".into(),
        "-0".into(),
        "1.5".into(),
        "-2.5".into(),
        "abc".into(),
        "NaN".into(),
        "-inf".into(),
        "１２".into(),
        "\x1b[2J".into(),
        "9".repeat(10 * 1024),
    ]
}

fn bad_yuan() -> Vec<String> {
    vec![
        "".into(),
        " ".into(),
        "1e30".into(),
        "99999999999999999999".into(),
        "100001".into(),
        "-1".into(),
        "0".into(),
        "1.234".into(),
        "abc".into(),
        "NaN".into(),
        "inf".into(),
        "１２".into(),
        "\x1b[2J".into(),
        "9".repeat(10 * 1024),
    ]
}

/// Dates that are malformed, impossible, long past or far ahead.
fn bad_dates() -> Vec<String> {
    vec![
        "".into(),
        " ".into(),
        "2026-02-30".into(),
        "2026-13-01".into(),
        "9999-12-31".into(),
        "1900-01-01".into(),
        "29/11/2026".into(),
        "二〇二六年一月一日".into(),
        "2026-01-01\x1b[2J".into(),
        long(10 * 1024),
    ]
}

/// Free text that must not carry control characters or run to 10 kB.
fn bad_texts() -> Vec<String> {
    vec!["\x07".into(), "\x1b[2J".into(), "a\rb".into(), "\x1b[31mred\x1b[0m".into(), "x".repeat(501), long(10 * 1024)]
}

fn bad_choices() -> Vec<String> {
    vec!["".into(), " ".into(), "bogus".into(), "捐赠".into(), "\x1b[2J".into(), long(10 * 1024)]
}

/// A case: the arguments and what stderr must contain to name the field at fault.
struct Case {
    args: Vec<String>,
    names: String,
}

/// Every bad value of every field of a command: `base` is a valid command as (flag, value)
/// pairs; `fields` lists (flag, what stderr names, bad values).
fn cases(head: &[&str], base: &[(&str, &str)], fields: Vec<(&str, &str, Vec<String>)>) -> Vec<Case> {
    let mut out = Vec::new();
    for (flag, names, values) in fields {
        for v in values {
            let mut args: Vec<String> = head.iter().map(|s| s.to_string()).collect();
            let mut placed = false;
            for (f, x) in base {
                args.push(format!("--{f}"));
                if *f == flag {
                    args.push(v.clone());
                    placed = true;
                } else {
                    args.push(x.to_string());
                }
            }
            if !placed {
                args.push(format!("--{flag}"));
                args.push(v.clone());
            }
            out.push(Case { args, names: names.to_string() });
        }
    }
    out
}

/// stderr without its line ends holds no control character.
fn control_free(s: &str) -> bool {
    !s.chars().any(|c| c.is_control() && c != '\n')
}

fn show(args: &[String]) -> String {
    let mut s = format!("{args:?}");
    if s.len() > 200 {
        let mut end = 200;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
        s.push_str("...");
    }
    s
}

/// Runs every case; returns how many were tried and the failures.
fn try_all(
    data: &Path,
    all: &[Case],
    env: &[(&str, &str)],
    check: impl Fn(&Case, &Run) -> Option<String>,
) -> Vec<String> {
    let mut failures = Vec::new();
    for c in all {
        let r = run_env(data, &c.args, env);
        let mut why = Vec::new();
        match r.code {
            Some(1) | Some(2) => {}
            other => why.push(format!("exit {other:?} (stdout {:?})", r.stdout)),
        }
        if r.stderr.contains("panicked") {
            why.push("panicked".into());
        }
        if !control_free(&r.stderr) {
            why.push("control character on stderr".into());
        }
        if let Some(w) = check(c, &r) {
            why.push(w);
        }
        if !why.is_empty() {
            let mut err = r.stderr.clone();
            err.truncate(err.char_indices().nth(300).map_or(err.len(), |(i, _)| i));
            failures.push(format!("{}: {} -- stderr: {err:?}", show(&c.args), why.join("; ")));
        }
    }
    failures
}

/// `baogong serve` on a data directory, stopped (SIGTERM) when dropped.
struct Daemon {
    child: std::process::Child,
}

impl Daemon {
    fn start(data: &Path) -> Daemon {
        let child = bin::command(data)
            .arg("serve")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("serve");
        let mut daemon = Daemon { child };
        bin::wait_serving(data, &mut daemon.child, None);
        daemon
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        if let Ok(pid) = i32::try_from(self.child.id()) {
            // SAFETY: signals our own child, still unreaped, so the pid cannot have been reused.
            unsafe { libc::kill(pid, libc::SIGTERM) };
        }
        let _ = self.child.wait();
    }
}

#[test]
fn every_bad_value_of_every_field_is_refused_naming_the_field() {
    let shm = Path::new("/dev/shm");
    let tmp = if shm.is_dir() { tempfile::tempdir_in(shm) } else { tempfile::tempdir() }.expect("temp dir");
    let data = tmp.path().join("data");
    let r = run(&data, &["init"]);
    assert_eq!(r.code, Some(0), "init: {}", r.stderr);
    // A transfer of a whole-unit item in transit, to receive in fractions.
    let r = run(
        &data,
        &["log", "dispatch", "--from", "DEPOT", "--to-point", "P01", "--item", "mask", "--qty", "10", "--json"],
    );
    assert_eq!(r.code, Some(0), "dispatch: {}", r.stderr);
    let out: Value = serde_json::from_str(&r.stdout).expect("outcome JSON");
    let transfer = out["dispatch"].as_str().expect("a dispatch id").to_string();
    let people = run(&data, &["people", "--json"]);
    let people: Value = serde_json::from_str(&people.stdout).expect("people JSON");
    let someone = people[0]["name"].as_str().expect("a person").to_string();
    let before = changes(&data);

    let mut all = Vec::new();
    all.extend(cases(
        &["log", "restock"],
        &[("point", "P01"), ("item", "mask"), ("qty", "10")],
        vec![
            ("point", "point:", bad_codes()),
            ("item", "item:", bad_codes()),
            ("qty", "qty:", bad_quantities()),
            ("source", "--source", bad_choices()),
            ("batch", "batch:", bad_texts()),
            ("expiry", "expiry:", bad_dates()),
            ("note", "note:", bad_texts()),
        ],
    ));
    let mut vehicles = bad_codes();
    vehicles.retain(|v| !v.trim().is_empty());
    all.extend(cases(
        &["log", "dispatch"],
        &[("from", "P01"), ("to-point", "P02"), ("item", "mask"), ("qty", "1")],
        vec![
            ("from", "from:", bad_codes()),
            ("to-point", "to_point:", bad_codes()),
            ("item", "item:", bad_codes()),
            ("qty", "qty:", bad_quantities()),
            ("vehicle", "vehicle:", vehicles),
            ("note", "note:", bad_texts()),
        ],
    ));
    let mut village = bad_codes();
    village.push("V06".into()); // a village another point serves
    all.extend(cases(
        &["log", "dispatch"],
        &[("from", "P01"), ("to-village", "V01"), ("item", "mask"), ("qty", "1")],
        vec![("to-village", "to_village:", village)],
    ));
    let mut dispatches = bad_codes();
    dispatches.extend(["D99999999999999999999".into(), "D-1".into(), "D0".into()]);
    let mut received = bad_quantities();
    received.retain(|q| !matches!(q.as_str(), "0" | "-0"));
    received.extend(["11".into(), "9.5".into()]);
    all.extend(cases(
        &["log", "receive"],
        &[("dispatch", &transfer), ("qty", "10")],
        vec![("dispatch", "dispatch:", dispatches), ("qty", "qty:", received)],
    ));
    all.extend(cases(
        &["log", "adjust"],
        &[("point", "P01"), ("item", "mask"), ("delta", "-1"), ("reason", "lost")],
        vec![
            ("point", "point:", bad_codes()),
            ("item", "item:", bad_codes()),
            ("delta", "delta:", bad_deltas()),
            ("reason", "--reason", bad_choices()),
            ("batch", "batch:", bad_texts()),
            ("note", "note:", bad_texts()),
        ],
    ));
    all.extend(cases(
        &["log", "price"],
        &[("point", "P01"), ("item", "rice"), ("yuan", "5")],
        vec![("point", "point:", bad_codes()), ("item", "item:", bad_codes()), ("yuan", "yuan:", bad_yuan())],
    ));
    let mut report_dates = bad_dates();
    report_dates.push("2099-01-01".into());
    all.extend(cases(
        &["log", "report"],
        &[("point", "P01")],
        vec![("point", "point:", bad_codes()), ("date", "date:", report_dates.clone()), ("note", "note:", bad_texts())],
    ));
    all.extend(cases(
        &["log", "handover"],
        &[("to", &someone)],
        vec![("to", "to:", bad_codes()), ("note", "note:", bad_texts())],
    ));
    let mut alerts = bad_codes();
    alerts.retain(|a| a != "99999999999999999999");
    alerts.extend(["A99999999".into(), "A99999999999999999999".into(), "A-1".into(), "Ａ1".into()]);
    for a in alerts {
        all.push(Case { args: vec!["ack".into(), a], names: "alert:".into() });
    }
    let mut levels = bad_choices();
    levels.extend(["level9".into(), "level-1".into(), "五级".into(), "99999999999999999999".into(), "routine".into()]);
    for l in levels {
        all.push(Case { args: vec!["level".into(), l], names: "level:".into() });
    }
    // Listings read the whole state: they run on the store itself, below.
    let mut listings = Vec::new();
    for (flag, names) in [("point", "point:"), ("item", "item:")] {
        for v in bad_codes() {
            listings.push(Case { args: vec!["stock".into(), format!("--{flag}"), v], names: names.into() });
        }
    }
    for d in report_dates {
        listings.push(Case { args: vec!["report".into(), "daily".into(), "--date".into(), d], names: "date".into() });
    }

    let named = |c: &Case, r: &Run| (!r.stderr.contains(&c.names)).then(|| format!("stderr does not name {}", c.names));
    // The commands through a daemon serving the store (a command there takes milliseconds, not
    // the half second of opening the store), which also takes each through the socket and back.
    let mut failures = {
        let _daemon = Daemon::start(&data);
        try_all(&data, &all, &[], named)
    };
    // The listings, and (below) the Chinese refusals and the reasons, on the store itself.
    failures.extend(try_all(&data, &listings, &[], named));
    eprintln!("CLI bad inputs tried (English): {} through the daemon, {} on the store", all.len(), listings.len());
    let total = all.len() + listings.len();
    assert!(failures.is_empty(), "{} of {total} bad inputs mishandled:\n{}", failures.len(), failures.join("\n"));

    // The same refusals in Chinese, by --lang and by LANG: the field's Chinese name.
    let zh: Vec<(Vec<&str>, &str)> = vec![
        (vec!["log", "restock", "--point", "P01", "--item", "mask", "--qty", "1.5"], "数量"),
        (vec!["log", "restock", "--point", "P01", "--item", "mask", "--qty", "1", "--expiry", "1900-01-01"], "有效期"),
        (vec!["log", "restock", "--point", "P01", "--item", "mask", "--qty", "1", "--expiry", "9999-12-31"], "有效期"),
        (vec!["log", "restock", "--point", "\x1b[2J", "--item", "mask", "--qty", "1"], "送货点"),
        (vec!["log", "dispatch", "--from", "P01", "--to-point", "NOPE", "--item", "mask", "--qty", "1"], "目的点"),
        (vec!["log", "receive", "--dispatch", &transfer, "--qty", "2.5"], "数量"),
        (vec!["log", "adjust", "--point", "P01", "--item", "mask", "--delta", "0", "--reason", "lost"], "差额"),
        (vec!["log", "price", "--point", "P01", "--item", "rice", "--yuan", "1e30"], "价格"),
        (vec!["log", "report", "--point", "P01", "--date", "1900-01-01"], "日期"),
        (vec!["log", "handover", "--to", "无此人"], "接班人"),
        (vec!["log", "handover", "--to", &someone, "--note", "\x1b[2J"], "备注"),
        (vec!["ack", "A99999999"], "预警"),
        (vec!["level", "level9"], "响应级别"),
        (vec!["stock", "--point", "NOPE"], "送货点"),
        (vec!["report", "daily", "--date", "2026-02-30"], "日期"),
    ];
    let zh_cases: Vec<Case> = zh
        .iter()
        .map(|(a, n)| Case { args: a.iter().map(|s| s.to_string()).collect(), names: n.to_string() })
        .collect();
    let mut failures = try_all(&data, &zh_cases, &[("LANG", "zh_CN.UTF-8")], named);
    let with_flag: Vec<Case> = zh_cases
        .iter()
        .map(|c| Case {
            args: [vec!["--lang".to_string(), "zh".into()], c.args.clone()].concat(),
            names: c.names.clone(),
        })
        .collect();
    failures.extend(try_all(&data, &with_flag, &[], |c, r| {
        named(c, r).or_else(|| {
            (!(r.stderr.contains("已拒绝") || r.stderr.contains("错误"))).then(|| "stderr is not in Chinese".into())
        })
    }));
    eprintln!("CLI bad inputs tried (Chinese): {}", zh_cases.len() + with_flag.len());
    assert!(failures.is_empty(), "Chinese refusals mishandled:\n{}", failures.join("\n"));

    // The reasons themselves, where a plain "field: is wrong" would not do.
    let reasons: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["log", "restock", "--point", "P01", "--item", "mask", "--qty", "1.5"],
            "qty: must be a whole number of piece",
        ),
        (vec!["log", "receive", "--dispatch", &transfer, "--qty", "2.5"], "qty: must be a whole number of piece"),
        (
            vec!["log", "adjust", "--point", "P01", "--item", "mask", "--delta", "-2.5", "--reason", "lost"],
            "whole number",
        ),
        (
            vec!["log", "restock", "--point", "P01", "--item", "mask", "--qty", "1", "--expiry", "9999-12-31"],
            "years ahead",
        ),
        (vec!["log", "report", "--point", "P01", "--date", "1900-01-01"], "date: 1900-01-01 is too long ago"),
        (vec!["log", "report", "--point", "P01", "--date", "9999-12-31"], "is in the future"),
        (vec!["level", "level9"], "level: must be one of: routine, level1"),
        (vec!["stock", "--point", "\x1b[2J"], "no point with code"),
        (vec!["stock", "--point", "P\x1b[2J01\x07"], "P?[2J01?"),
        (
            vec!["log", "restock", "--point", "P01", "--item", "mask", "--qty", "1", "--note", "\x07"],
            "note: contains control",
        ),
    ];
    let reason_cases: Vec<Case> = reasons
        .iter()
        .map(|(a, n)| Case { args: a.iter().map(|s| s.to_string()).collect(), names: n.to_string() })
        .collect();
    let failures = try_all(&data, &reason_cases, &[], named);
    assert!(failures.is_empty(), "reasons mishandled:\n{}", failures.join("\n"));

    let after = changes(&data);
    assert_eq!(before.len(), after.len(), "a refused command changed the store: {:?}", after.last());
    assert_eq!(before, after, "the event log is unchanged");
    let r = run(&data, &["check"]);
    assert_eq!(r.code, Some(0), "check after the bad inputs: {}{}", r.stdout, r.stderr);
}

/// `init --scenario` with a broken file: a plain message naming the file or the field, a
/// non-zero exit, and an empty store afterwards (the good scenario still seeds).
#[test]
fn init_with_a_broken_scenario_writes_nothing() {
    let good = bin::TOWN;
    let tmp = tempfile::tempdir().expect("temp dir");
    let with = |from: &str, to: &str| {
        assert!(good.contains(from), "the scenario holds {from:?}");
        good.replacen(from, to, 1)
    };
    let bad: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty", Vec::new(), "town"),
        ("garbage", vec![0xff, 0xfe, 0x00, 0x1b, b'[', b'2', b'J', 0x07], "garbage.toml"),
        ("not toml", b"this is = not [ toml".to_vec(), "not toml.toml"),
        ("wrong shape", b"[town]\nname = 3\n".to_vec(), "name"),
        ("huge households", with("households = 100", "households = 99999999999999999999").into_bytes(), "households"),
        ("negative households", with("households = 100", "households = -100").into_bytes(), "households"),
        ("fractional households", with("households = 100", "households = 1.5").into_bytes(), "households"),
        ("escape in a name", with("name = \"惠民超市\"", "name = \"惠民\\u001b[2J超市\"").into_bytes(), "name"),
        ("bell in a code", with("code = \"P02\"", "code = \"P02\\u0007\"").into_bytes(), "code"),
        ("empty code", with("code = \"P02\"", "code = \"  \"").into_bytes(), "code"),
        ("long name", with("name = \"家家福超市\"", &format!("name = \"{}\"", long(10 * 1024))).into_bytes(), "name"),
        (
            "unknown zone",
            with("zone = \"Z1\"\nhouseholds = 200", "zone = \"Z9\"\nhouseholds = 200").into_bytes(),
            "zone",
        ),
        ("unknown point", with("point = \"P02\"", "point = \"P99\"").into_bytes(), "point"),
        ("NaN norm", with("norm_days = 15", "norm_days = nan").into_bytes(), "norm_days"),
        ("inf norm", with("norm_days = 15", "norm_days = inf").into_bytes(), "norm_days"),
        ("negative norm", with("norm_days = 15", "norm_days = -15").into_bytes(), "norm_days"),
        ("far history", with("history_days = 0", "history_days = 4000000000").into_bytes(), "history_days"),
        ("long history", with("history_days = 0", "history_days = 100000").into_bytes(), "history_days"),
        ("far pass", with("valid_days = 30", "valid_days = 9223372036854775807").into_bytes(), "valid_days"),
        ("past pass", with("valid_days = 30", "valid_days = -9223372036854775807").into_bytes(), "valid_days"),
    ];
    let mut failures = Vec::new();
    for (what, bytes, names) in &bad {
        let dir = tmp.path().join(what.replace(' ', "_"));
        let file = tmp.path().join(format!("{what}.toml"));
        std::fs::write(&file, bytes).expect("write scenario");
        let r = run(&dir, &["init", "--scenario", file.to_str().expect("utf-8 path")]);
        let mut why = Vec::new();
        if !matches!(r.code, Some(1) | Some(2)) {
            why.push(format!("exit {:?}", r.code));
        }
        if r.stderr.contains("panicked") {
            why.push("panicked".into());
        }
        if !control_free(&r.stderr) {
            why.push("control character on stderr".into());
        }
        if !r.stderr.contains(names) {
            why.push(format!("stderr does not name {names}"));
        }
        // Nothing half-written: the good scenario still seeds this directory.
        let good_file = tmp.path().join("good.toml");
        std::fs::write(&good_file, good).expect("write scenario");
        let again = run(&dir, &["init", "--scenario", good_file.to_str().expect("utf-8 path")]);
        if again.code != Some(0) {
            why.push(format!("the store was left half-written: {}", again.stderr.trim()));
        }
        if !why.is_empty() {
            let mut err = r.stderr.clone();
            err.truncate(err.char_indices().nth(400).map_or(err.len(), |(i, _)| i));
            failures.push(format!("{what}: {} -- stderr: {err:?}", why.join("; ")));
        }
    }
    // A missing file and a directory.
    for (what, path) in [("missing", tmp.path().join("nope.toml")), ("directory", tmp.path().to_path_buf())] {
        let r = run(&tmp.path().join(what), &["init", "--scenario", path.to_str().expect("utf-8 path")]);
        if r.code != Some(1) || !r.stderr.contains(path.to_str().expect("utf-8")) || r.stderr.contains("panicked") {
            failures.push(format!("{what}: exit {:?} stderr {:?}", r.code, r.stderr));
        }
    }
    eprintln!("CLI bad scenario files tried: {}", bad.len() + 2);
    assert!(failures.is_empty(), "broken scenarios mishandled:\n{}", failures.join("\n"));
}
