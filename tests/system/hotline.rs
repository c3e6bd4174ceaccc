//! Issue 15 end to end with real processes on one daemon: the officer takes a call on the
//! console's hotline screen, turns it into a request in one step, approves it and dispatches
//! for it from the Requests panel; the clerk of the serving point signs for the delivery at the
//! point face; the officer resolves the case naming the request. Asserted on the screens and on
//! `cases --json` / `requests --json` afterwards.

use super::faces::{approve_and_dispatch, start_daemon};
use crate::support::pty::*;

/// The id the toast names after "Recorded " (`K12`, `Q13`, `D14`).
fn recorded(screen: &str, prefix: char) -> String {
    let at = screen.find(&format!("Recorded {prefix}")).expect("a toast") + "Recorded ".len();
    screen[at..].chars().take_while(|c| c.is_ascii_alphanumeric()).collect()
}

#[test]
fn a_call_is_taken_turned_into_a_request_delivered_and_resolved() {
    let data = demo_copy();
    let dir = data.path();
    let _daemon = start_daemon(dir);
    let village = "V03";
    let point = json(dir, &["villages", "--json"])
        .as_array()
        .and_then(|vs| vs.iter().find(|v| v["code"] == village))
        .and_then(|v| v["point"].as_str())
        .expect("the village's point")
        .to_string();

    let mut officer = Console::open(dir, "en", 100, 30);
    officer.send("K");
    officer.wait_text("Hotline (");
    officer.send("n");
    officer.wait_text("Hotline call taken");
    officer.send(&format!("王阿姨\t13912345678\t{village}\t\trice\t买不到大米\tyes\r"));
    let case = recorded(&officer.wait_text("Recorded K"), 'K');
    // The screen lists it as urgent, due within two hours; the filter keeps it alone.
    officer.send(&format!("/{case}\r"));
    let s = officer.wait_text(&format!("[/{case}]"));
    let line = s.lines().find(|l| l.contains(&case) && l.contains("urgent")).unwrap_or_else(|| panic!("{s}"));
    assert!(line.contains("in 1h") || line.contains("in 2h"), "{line}");
    assert!(s.contains("caller 王阿姨 13912345678"), "the officer sees the caller:\n{s}");
    // One step: the request form filled from the case; the quantity, Enter.
    officer.send("\r");
    let s = officer.wait_text("New request");
    assert!(s.contains(&format!("village/hh* {village}")) && s.contains(&format!("case  {case}")), "{s}");
    officer.send("12\r");
    let q = recorded(&officer.wait_text("Recorded Q"), 'Q');
    officer.wait_text(&format!("request {q}"));
    // Approved and dispatched from the Requests panel.
    officer.esc();
    officer.send("5");
    officer.wait_text("5 Requests");
    approve_and_dispatch(&mut officer, &q);

    // The serving point's clerk signs for it at the checkpoint.
    // Wide enough for the status line of a point with a long name, connection state included.
    let mut clerk = Console::spawn(dir, "en", 140, 30, &["point", &point]);
    clerk.wait_text("connected");
    clerk.send("g");
    clerk.wait_text("Delivery signed for");
    clerk.send("王阿姨\r");
    clerk.wait_for("the signature", |s| s.contains("Recorded") && !s.contains("Delivery signed for"));
    clerk.send("q");
    clerk.wait_exit();

    // Back on the hotline screen: resolved, naming the request it made.
    officer.send("K");
    officer.wait_text("Hotline (");
    officer.send(&format!("/{case}\r"));
    officer.wait_text(&format!("[/{case}]"));
    officer.send("r");
    let s = officer.wait_text("Resolve a hotline case");
    assert!(s.contains(&format!("request  {q}")), "the form names the request:\n{s}");
    officer.send("大米已送到\r");
    officer.wait_text(&format!("Recorded {case}"));
    let s = officer.wait_text("resolved: 大米已送到");
    assert!(s.lines().any(|l| l.contains(&case) && l.contains("resolved")), "{s}");
    officer.send("\x1b");
    officer.esc();
    officer.send("q");
    officer.wait_exit();

    let cases = json(dir, &["cases", "--json"]);
    let c = cases.as_array().and_then(|a| a.iter().find(|c| c["id"] == case.as_str())).expect("the case").clone();
    assert_eq!(
        (c["status"].as_str(), c["request"].as_str(), c["village"].as_str(), c["item"].as_str()),
        (Some("resolved"), Some(q.as_str()), Some(village), Some("rice")),
        "{c:#}"
    );
    assert_eq!((c["kind"].as_str(), c["urgent"].as_bool()), (Some("shortage"), Some(true)));
    let requests = json(dir, &["requests", "--village", village, "--json"]);
    let r = requests.as_array().and_then(|a| a.iter().find(|r| r["id"] == q.as_str())).expect("the request");
    assert_eq!((r["status"].as_str(), r["delivered"].as_f64()), (Some("closed"), Some(12.0)), "{r:#}");
    assert_eq!(r["signed_by"][0], "王阿姨");
}
