//! The real `baogong` binary in a pseudo-terminal (portable-pty), its screen read back through a
//! terminal emulator (vt100): open the demo town, log a restock and a dispatch with the keys,
//! quit, reopen and see them; resize while a form is open; a rejected dispatch keeps the form;
//! the terminal is restored on quit and on SIGTERM/SIGHUP; a face whose terminal hangs up (an
//! SSH drop: SIGHUP), embedded or attached to a daemon, leaves no process and no lock behind.
//!
//! The demo town is seeded once per test binary (`baogong init`) and copied for each test.

use crate::support::bin;
use crate::support::pty::*;
use baogong::domain::Qty;

/// The toast's dispatch id ("Recorded D10251") or event number ("Recorded #10250").
fn recorded(screen: &str, prefix: char) -> String {
    let at = screen.find(&format!("Recorded {prefix}")).expect("a Recorded toast") + "Recorded ".len();
    screen[at..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '#').collect()
}

#[test]
fn restock_and_dispatch_from_the_keyboard_survive_a_restart() {
    let data = demo_copy();
    let dir = data.path();
    let before = stock_qty(dir, "P01", "rice");

    let mut c = Console::open(dir, "en", 120, 40);
    c.wait_text("3 Stock & cover whole town");
    // r, point code, Tab, item code, Tab, quantity, Enter.
    c.send("r");
    c.wait_text("Restock (receipt at a point)");
    c.send("P01\trice\t100\r");
    let s = c.wait_text("Recorded #");
    assert!(!s.contains("Restock (receipt at a point)"), "the form closed:\n{s}");
    let event = recorded(&s, '#');
    // A delivery to a village: d, source point, Tab, village, Tab, item, Tab, quantity, Enter.
    c.send("d");
    c.wait_text("Dispatch (transfer or delivery)");
    c.send("P01\tV01\trice\t5\r");
    let s = c.wait_text("Recorded D");
    let dispatch = recorded(&s, 'D');
    assert!(!s.contains("Dispatch (transfer or delivery)"), "the form closed:\n{s}");
    c.send("q");
    assert!(c.wait_exit().success(), "q ends the console cleanly");

    // The ledger has both.
    let after = stock_qty(dir, "P01", "rice");
    assert_eq!(after, Qty(before.0 + Qty::units(100).0 - Qty::units(5).0), "rice at P01: {before} + 100 - 5");
    let all = json(dir, &["dispatches", "--all", "--json"]);
    let d = all
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == dispatch.as_str())
        .unwrap_or_else(|| panic!("{dispatch} listed"));
    assert_eq!(d["from"], "P01");
    assert_eq!(d["to_village"], "V01");
    assert_eq!(d["item"], "rice");
    assert_eq!(d["qty"], 5.0);
    assert_eq!(d["status"], "delivered");
    assert!(event.len() > 1, "event number in {event}");

    // Reopened, the console shows them: the dispatch in P01's drill-in, the stock in its panel.
    let mut c = Console::open(dir, "en", 120, 40);
    c.send("2");
    c.wait_text("2 Zones & points");
    c.send("/P01\r");
    c.wait_text("[/P01]");
    c.send("\r");
    let s = c.wait_text("recent dispatches and receipts");
    let line = s.lines().find(|l| l.contains(&dispatch)).unwrap_or_else(|| panic!("{dispatch} in the drill-in:\n{s}"));
    assert!(line.contains("-> V01") && line.contains("rice") && line.contains(" 5 "), "{line}");
    c.send("3");
    let s = c.wait_text("3 Stock & cover P01");
    let rice = s.lines().find(|l| l.contains("│rice ")).unwrap_or_else(|| panic!("rice row:\n{s}"));
    assert!(rice.contains(&format!("{after} kg")), "the stock panel shows {after} kg: {rice}");
    c.send("q");
    assert!(c.wait_exit().success());
}

#[test]
fn resizing_keeps_an_open_form_and_its_text() {
    let data = demo_copy();
    let mut c = Console::open(data.path(), "zh", 120, 40);
    c.send("r");
    c.wait_text("补货入库");
    c.send("P01\t大");
    c.wait_for("the typed text", |s| s.contains("送货点* P01") && s.contains("物资* 大"));

    // Small: one panel, the form over it, every row drawn for the new size.
    c.resize(80, 24);
    let s = c.wait_for("the form at 80x24", |s| {
        s.lines().nth(23).is_some_and(|l| l.starts_with("Tab 下一项")) && s.contains("物资* 大")
    });
    let rows: Vec<&str> = s.lines().collect();
    assert_eq!(rows.len(), 24);
    assert!(rows[0].starts_with(" 王官庄镇 | "), "status bar: {s}");
    assert!(rows[1].starts_with(" 1 领导小组与值班"), "tab bar: {s}");
    assert!(rows[2].starts_with("┌ 3 库存与保障天数 全镇 ─"), "panel top: {s}");
    assert!(rows[22].starts_with("└") && rows[22].ends_with("┘"), "panel bottom: {s}");
    assert!(s.contains("送货点* P01"), "{s}");
    // The form (76 wide, centred: columns 2 to 77) is whole on every row it covers.
    let top = rows.iter().position(|r| r.contains("┌ 补货入库 ─")).expect("form top") as u16;
    let bottom = (top + 1..23).find(|r| c.cell(*r, 2) == "└").expect("form bottom");
    assert_eq!((c.cell(top, 2), c.cell(top, 77), c.cell(bottom, 77)), ("┌".into(), "┐".into(), "┘".into()), "{s}");
    for r in top + 1..bottom {
        assert_eq!((c.cell(r, 2), c.cell(r, 77)), ("│".into(), "│".into()), "form row {r}:\n{s}");
        assert_eq!((c.cell(r, 0), c.cell(r, 79)), ("│".into(), "│".into()), "panel row {r}:\n{s}");
    }

    // Large: four panels, the form still open with the same text.
    c.resize(200, 50);
    // The whole frame: its last panel row drawn too (a capture can land mid-frame).
    let s = c.wait_for("the grid at 200x50", |s| {
        s.contains("1 领导小组与值班 ─")
            && s.contains("3 库存与保障天数 全镇 ─")
            && s.lines().nth(48).is_some_and(|r| r.trim_end().ends_with('┘'))
    });
    assert!(s.contains("送货点* P01") && s.contains("物资* 大"), "typed text survives:\n{s}");
    let rows: Vec<&str> = s.lines().collect();
    assert_eq!(rows.len(), 50);
    for (i, r) in rows.iter().enumerate().take(49).skip(1) {
        let last = r.chars().last().unwrap();
        assert!(matches!(last, '┐' | '│' | '┘'), "row {i} ends with the right panel's border, not {last:?}:\n{s}");
    }
    // Back to work: the rest of the restock goes through.
    c.send("米\t100\r");
    let s = c.wait_text("已记录 #");
    assert!(!s.contains("补货入库"), "{s}");
    c.send("q");
    assert!(c.wait_exit().success());
}

#[test]
fn a_rejected_dispatch_keeps_the_form_and_shows_why() {
    let data = demo_copy();
    let mut c = Console::open(data.path(), "zh", 100, 30);
    c.send("d");
    c.wait_text("调拨/配送");
    c.send("P01\tV01\trice\t99999\r");
    let s = c.wait_text("仅有库存");
    let line = s.lines().find(|l| l.contains("仅有库存")).unwrap();
    assert!(line.contains("数量* 99999") && line.contains("P01 仅有库存"), "the reason on the quantity: {line}");
    for kept in ["发出点* P01", "送往* V01", "物资* rice"] {
        assert!(s.contains(kept), "{kept} kept:\n{s}");
    }
    // Corrected, it goes through.
    c.send("\x7f\x7f\x7f\x7f\r");
    let s = c.wait_text("已记录 D");
    assert!(!s.contains("调拨/配送"), "{s}");
    // Esc on a dirty form closes it at once; what was typed comes back as a draft.
    c.send("d");
    c.wait_text("调拨/配送");
    c.send("P0");
    c.wait_text("发出点* P0 ");
    c.esc();
    c.wait_for("the form closed", |s| !s.contains("调拨/配送"));
    c.send("d");
    let s = c.wait_text("已恢复草稿");
    assert!(s.contains("发出点* P0 "), "the draft is restored:\n{s}");
    c.esc();
    c.wait_for("the form closed", |s| !s.contains("调拨/配送"));
    // Quitting with a draft asks once; y quits.
    c.send("q");
    c.wait_text("退出并丢弃未保存的草稿");
    c.send("y");
    assert!(c.wait_exit().success());
}

#[test]
fn esc_leaves_a_form_at_once_and_no_key_is_swallowed() {
    let data = demo_copy();
    let mut c = Console::open(data.path(), "en", 100, 30);
    c.wait_text("3 Stock & cover whole town");
    c.send("r");
    c.wait_text("Restock (receipt at a point)");
    c.send("NOPE\t");
    c.wait_text("point* NOPE");
    c.esc();
    let s = c.wait_for("the form closed at once", |s| !s.contains("Restock (receipt at a point)"));
    assert!(!s.contains("Discard"), "nothing is asked:\n{s}");
    // The second Esc is the main screen's (nothing to go back from); then a, h, y are keys:
    // the alerts panel, the handover form, a letter typed into it.
    c.esc();
    c.send("a");
    c.wait_text("4 Alerts (");
    c.send("h");
    c.wait_text("Shift handover");
    c.send("y");
    let s = c.wait_text("hand over to* y");
    assert!(!s.contains("NOPE"), "the draft was not typed into:\n{s}");
    c.esc();
    c.wait_for("the handover form closed", |s| !s.contains("Shift handover"));
    // q asks once (a draft is kept), n goes back, q and y quit.
    c.send("q");
    c.wait_text("Quit and lose unsaved drafts?");
    c.send("n");
    c.wait_for("the question closed", |s| !s.contains("Quit and lose"));
    c.send("q");
    c.wait_text("Quit and lose unsaved drafts?");
    c.send("y");
    assert!(c.wait_exit().success());
}

#[test]
fn the_terminal_is_restored_on_quit() {
    let data = demo_copy();
    let mut c = Console::open(data.path(), "en", 80, 24);
    assert!(c.alternate_screen(), "the console runs on the alternate screen");
    assert!(c.raw_mode(), "in raw mode");
    c.send("q");
    assert!(c.wait_exit().success());
    assert!(!c.alternate_screen(), "left the alternate screen:\n{}", c.screen());
    assert!(!c.cursor_hidden(), "the cursor is shown again");
    assert!(!c.raw_mode(), "line editing and echo are back");
    assert!(!c.screen().contains("王官庄镇"), "the console's screen is gone:\n{}", c.screen());
    // Ctrl-C with a half-filled form asks, then y quits just as cleanly.
    let mut c = Console::open(data.path(), "en", 80, 24);
    c.send("rP01");
    c.wait_text("point* P01");
    c.send("\x03");
    c.wait_text("Quit and lose unsaved drafts?");
    c.send("y");
    assert!(c.wait_exit().success());
    assert!(!c.alternate_screen() && !c.cursor_hidden() && !c.raw_mode());
}

#[test]
fn the_terminal_is_restored_on_sigterm_and_sighup() {
    let data = demo_copy();
    for (name, sig) in [("SIGTERM", libc::SIGTERM), ("SIGHUP", libc::SIGHUP)] {
        let mut c = Console::open(data.path(), "en", 80, 24);
        // Mid-form, to show nothing waits for the keyboard.
        c.send("r");
        c.wait_text("Restock (receipt at a point)");
        assert!(c.alternate_screen() && c.raw_mode());
        // SAFETY: signalling our own child process.
        assert_eq!(unsafe { libc::kill(c.pid(), sig) }, 0, "kill");
        let status = c.wait_exit();
        assert!(status.success(), "{name}: exits cleanly, got {status:?}");
        assert!(!c.alternate_screen(), "{name}: left the alternate screen:\n{}", c.screen());
        assert!(!c.cursor_hidden(), "{name}: cursor shown");
        assert!(!c.raw_mode(), "{name}: raw mode off");
    }
}

/// Processes other than this test whose command line names `dir` (faces and daemons of a test).
fn processes_on(dir: &std::path::Path) -> Vec<(i32, String)> {
    let me = std::process::id() as i32;
    let needle = dir.to_string_lossy().into_owned();
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").expect("/proc").flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|n| n.parse::<i32>().ok()) else { continue };
        let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else { continue };
        let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
        // A zombie has an empty command line: it is gone but for its exit status.
        if pid != me && cmdline.contains(&needle) {
            found.push((pid, cmdline));
        }
    }
    found
}

/// A child process killed (if still running) and reaped when dropped, so a failed test leaves
/// no daemon behind.
struct Reaped(std::process::Child);

impl Drop for Reaped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn hang_up(c: &mut Console, what: &str) {
    // SAFETY: signalling our own child process.
    assert_eq!(unsafe { libc::kill(c.pid(), libc::SIGHUP) }, 0, "kill");
    let status = c.wait_exit();
    assert!(status.success(), "{what}: ends cleanly on SIGHUP, got {status:?}");
    assert!(!c.alternate_screen() && !c.raw_mode(), "{what}: terminal restored");
}

#[test]
fn a_face_whose_terminal_hangs_up_leaves_no_process_and_no_lock() {
    let data = demo_copy();
    let dir = data.path();
    // Embedded: each face holds the store itself, and must let go of it.
    for (what, args, ready) in
        [("embedded console", &[][..], " 王官庄镇 |"), ("embedded point face", &["point", "P01"][..], "Sent out today")]
    {
        let mut c = Console::spawn(dir, "en", 100, 30, args);
        c.wait_text(ready);
        let out = bin::command(dir).arg("stock").output().expect("run");
        assert!(!out.status.success(), "{what}: the store is held while the face runs");
        hang_up(&mut c, what);
        assert_eq!(processes_on(dir), vec![], "{what}: nothing left running");
        // Nothing locked: a command and another console open the store themselves.
        cli(dir, &["stock", "--point", "P01", "--item", "rice"]);
    }
    let mut c = Console::open(dir, "en", 100, 30);
    c.send("q");
    assert!(c.wait_exit().success());

    // Attached to a daemon: the faces go, the daemon keeps serving everyone else.
    let mut daemon = Reaped(bin::command(dir).arg("serve").stderr(std::process::Stdio::null()).spawn().expect("serve"));
    bin::wait_serving(dir, &mut daemon.0, None);
    let daemon_pid = daemon.0.id() as i32;
    // (With the daemon holding the store, a face that opens at all is attached to it.)
    for (what, args, ready) in
        [("attached console", &[][..], " 王官庄镇 |"), ("attached point face", &["point", "P01"][..], "connected")]
    {
        let mut c = Console::spawn(dir, "en", 160, 30, args);
        c.wait_text(ready);
        hang_up(&mut c, what);
        let left: Vec<i32> = processes_on(dir).into_iter().map(|(pid, _)| pid).collect();
        assert_eq!(left, vec![daemon_pid], "{what}: only the daemon is left");
        // Nothing held: a write through the daemon and another face still work.
        cli(dir, &["log", "restock", "--point", "P01", "--item", "rice", "--qty", "1"]);
        let mut other = Console::spawn(dir, "en", 160, 30, &["point", "P02"]);
        other.wait_text("connected");
        other.send("q");
        assert!(other.wait_exit().success());
    }
    // SAFETY: signalling our own child process.
    assert_eq!(unsafe { libc::kill(daemon_pid, libc::SIGTERM) }, 0);
    let status = daemon.0.wait().expect("daemon exit");
    assert!(status.success(), "the daemon stops cleanly: {status:?}");
    assert_eq!(processes_on(dir), vec![]);
    cli(dir, &["check"]);
}
