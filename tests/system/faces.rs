//! The delivery-point and wall faces as real processes in a pseudo-terminal: a clerk logs a
//! delivery to a village in one form and confirms a transfer in part, all from the keyboard;
//! the wall ignores keys and quits on `q` with the terminal restored; a point face attached to
//! a running daemon sees another user's change live.

use crate::support::bin;
use crate::support::pty::*;
use std::process::{Child, Stdio};
use std::time::Duration;

#[test]
fn a_clerk_logs_a_delivery_and_a_partial_receipt_from_the_keyboard() {
    let data = demo_copy();
    let dir = data.path();
    let mut c = Console::spawn(dir, "en", 100, 30, &["point", "P06"]);
    c.wait_text("P06 ");
    c.wait_text("Sent out today");
    // One form: d, village, Tab, item (replaces the pre-filled one), Tab, quantity, Enter.
    c.send("d");
    c.wait_text("destination");
    c.send("V22\trice\t3\r");
    let screen = c.wait_text("Recorded D");
    assert!(!screen.contains("destination*"), "the form closed:\n{screen}");
    c.send("q");
    c.wait_exit();
    let all = json(dir, &["dispatches", "--all", "--json"]);
    let d = all
        .as_array()
        .expect("array")
        .iter()
        .find(|d| d["from"] == "P06" && d["to_village"] == "V22" && d["item"] == "rice")
        .unwrap_or_else(|| panic!("the delivery is listed: {all:#}"));
    assert_eq!((d["qty"].as_f64(), d["status"].as_str()), (Some(3.0), Some("delivered")));
    let events = cli(dir, &["export", "events"]);
    assert!(events.lines().any(|l| l.contains("\"to\":{\"village\":\"V22\"}") && l.contains("\"face\":\"point\"")));

    // P02 has a transfer of 800 kg rice on its way: confirm 790 of it.
    let mut c = Console::spawn(dir, "en", 100, 30, &["point", "P02"]);
    c.wait_text("Transfers coming in (1)");
    c.send("c");
    c.wait_text("Confirm receipt");
    c.send("\t790\r");
    c.wait_text("Recorded D");
    c.wait_text("Transfers coming in (0)");
    c.send("q");
    c.wait_exit();
    let all = json(dir, &["dispatches", "--all", "--json"]);
    let d = all
        .as_array()
        .expect("array")
        .iter()
        .find(|d| d["to_point"] == "P02" && d["item"] == "rice" && d["qty"] == 800.0)
        .unwrap_or_else(|| panic!("the transfer is listed: {all:#}"));
    assert_eq!((d["received_qty"].as_f64(), d["status"].as_str()), (Some(790.0), Some("short")));
}

#[test]
fn a_clerk_cannot_write_for_another_point() {
    let data = demo_copy();
    let mut c = Console::spawn(data.path(), "en", 100, 30, &["point", "P06"]);
    c.wait_text("Sent out today");
    // The from field is the clerk's own; changing it to another point is refused by the engine.
    c.send("d");
    c.wait_text("destination");
    c.send("\x1b[Z"); // Shift-Tab back to the from field
    c.send("P07\tV30\trice\t1\r");
    let screen = c.wait_text("writes only for P06");
    assert!(screen.contains("belongs to another point"), "{screen}");
    assert!(screen.contains("Dispatch"), "the form stays open:\n{screen}");
}

#[test]
fn the_wall_ignores_keys_and_quits_on_q() {
    let data = demo_copy();
    let mut c = Console::spawn(data.path(), "zh", 80, 24, &["wall", "--rotate", "2"]);
    let first = c.wait_text("断档送货点");
    assert!(first.contains("全镇保障天数"));
    c.send("drcsph/?1");
    std::thread::sleep(Duration::from_millis(500));
    let after = c.screen();
    for word in ["补货", "调拨", "帮助", "按键"] {
        assert!(!after.contains(word), "a key opened something ({word}):\n{after}");
    }
    // The zone detail rotates.
    c.wait_for("the next zone page", |s| !s.contains(first.lines().nth(18).unwrap_or("")) || s.contains("片区 2/3"));
    c.send("q");
    c.wait_exit();
    assert!(!c.alternate_screen(), "left the alternate screen");
}

/// A daemon over a data directory, killed when dropped.
pub(crate) struct Daemon(pub(crate) Child);

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn a_point_face_on_the_daemon_sees_changes_live() {
    let data = demo_copy();
    let dir = data.path();
    let _daemon = start_daemon(dir);
    let mut c = Console::spawn(dir, "en", 100, 30, &["point", "P09"]);
    c.wait_text("connected");
    c.wait_for("eggs stocked out", |s| s.lines().any(|l| l.contains("Eggs") && l.contains("stocked out")));
    // Another user restocks P09's eggs through the daemon; the clerk's screen follows.
    cli(dir, &["log", "restock", "--point", "P09", "--item", "eggs", "--qty", "640"]);
    c.wait_for("the restock on screen", |s| s.lines().any(|l| l.contains("Eggs") && l.contains("640 kg")));
    c.send("q");
    c.wait_exit();
}

pub(crate) fn start_daemon(dir: &std::path::Path) -> Daemon {
    let mut d = Daemon(bin::command(dir).arg("serve").stderr(Stdio::null()).spawn().expect("serve"));
    bin::wait_serving(dir, &mut d.0, None);
    d
}

#[test]
fn the_console_rides_out_a_daemon_restart_and_applies_its_command_once() {
    let data = demo_copy();
    let dir = data.path();
    let before = stock_qty(dir, "P01", "rice");
    let mut daemon = start_daemon(dir);
    // Wide enough for the whole status bar, connection state included.
    let mut c = Console::open(dir, "en", 170, 40);
    c.wait_text("console connected");
    // The daemon dies: the console says so and keeps working.
    let _ = daemon.0.kill();
    let _ = daemon.0.wait();
    c.wait_text("DISCONNECTED since");
    // A restock typed while disconnected waits with its id, and the form stays open.
    c.send("r");
    c.wait_text("Restock");
    c.send("P01\trice\t25\r");
    let screen = c.wait_text("saving");
    assert!(screen.contains("25"), "the typed quantity is still there:\n{screen}");
    // The daemon comes back: the console reconnects, resends, and the command applies once.
    let _daemon = start_daemon(dir);
    c.wait_text("Recorded");
    c.wait_for("the connection back", |s| s.contains("connected") && !s.contains("DISCONNECTED"));
    c.send("q");
    c.wait_exit();
    drop(_daemon);
    let after = stock_qty(dir, "P01", "rice");
    assert_eq!(after.0 - before.0, baogong::domain::Qty::units(25).0, "applied exactly once");
}

/// The demand round trip on one daemon: a clerk enters a village's tally at the point face,
/// the officer approves the request it made and dispatches for it from the console's Requests
/// panel, and the clerk signs for the delivery at the checkpoint; the request ends closed.
#[test]
fn a_clerk_tallies_the_officer_approves_and_dispatches_and_the_clerk_signs() {
    let data = demo_copy();
    let dir = data.path();
    let _daemon = start_daemon(dir);
    // A village of P03 that has not tallied today.
    let tallies = json(dir, &["tallies", "--json"]);
    let village = tallies
        .as_array()
        .expect("array")
        .iter()
        .find(|t| t["point"] == "P03" && t["tallied"] == false)
        .and_then(|t| t["village"].as_str())
        .expect("a village of P03 still to tally today")
        .to_string();
    let mut clerk = Console::spawn(dir, "en", 100, 30, &["point", "P03"]);
    clerk.wait_text("connected");
    clerk.send("t");
    clerk.wait_text("Village tally");
    clerk.send(&format!("{village}\trice=7 oil=2\r"));
    clerk.wait_text("Recorded");
    let asked = json(dir, &["requests", "--village", &village, "--status", "requested", "--json"]);
    let q = asked
        .as_array()
        .expect("array")
        .iter()
        .find(|r| r["item"] == "rice" && r["qty"] == 7.0)
        .and_then(|r| r["id"].as_str())
        .unwrap_or_else(|| panic!("the tally made a request: {asked:#}"))
        .to_string();

    let mut officer = Console::open(dir, "en", 100, 30);
    officer.send("5");
    officer.wait_text("5 Requests");
    approve_and_dispatch(&mut officer, &q);
    officer.send("q");
    officer.wait_exit();

    clerk.send("g");
    clerk.wait_text("Delivery signed for");
    clerk.send("李桂兰\r");
    clerk.wait_for("the signature", |s| s.contains("Recorded") && !s.contains("Delivery signed for"));
    clerk.send("q");
    clerk.wait_exit();
    let done = json(dir, &["requests", "--village", &village, "--json"]);
    let r = done.as_array().expect("array").iter().find(|r| r["id"] == q.as_str()).expect("the request");
    assert_eq!((r["status"].as_str(), r["delivered"].as_f64()), (Some("closed"), Some(7.0)), "{r:#}");
    assert_eq!(r["signed_by"][0], "李桂兰");
    let events = cli(dir, &["export", "events"]);
    for (cmd, face) in
        [("\"cmd\":\"tally\"", "point"), ("\"cmd\":\"approve\"", "console"), ("\"cmd\":\"deliver\"", "point")]
    {
        assert!(
            events.lines().any(|l| l.contains(cmd) && l.contains(&format!("\"face\":\"{face}\""))),
            "{cmd} from the {face} face"
        );
    }
}

/// On the Requests panel: finds request `q`, approves it as asked, and dispatches it from the
/// form the approval opens, waiting for the dispatch's toast.
pub(crate) fn approve_and_dispatch(officer: &mut Console, q: &str) {
    officer.send(&format!("/{q}\r"));
    officer.wait_text(&format!("[/{q}]"));
    officer.send("v");
    officer.wait_text("Approve a request");
    officer.send("\r");
    officer.wait_for("the approval", |s| s.contains("Recorded") && !s.contains("Approve a request"));
    officer.send("\r");
    officer.wait_text("for requests");
    officer.send("\r");
    officer.wait_text("Recorded D");
}
