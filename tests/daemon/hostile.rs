//! The daemon against hostile neighbours and hostile data (issue 13): a socket bound by another
//! user while the daemon was down gets nothing from a client, not even its Hello; a flood of
//! idle connections from one user leaves room for the others, a silent connection is closed
//! after the Hello deadline, and a refused client says "busy" in its language; stored events,
//! rows and import batches of any size (far beyond one frame) go through the daemon; a quoted
//! id or note with line breaks and escape sequences stays one line of the log; a command run
//! while the daemon is starting waits for its socket, and a store held by an embedded face
//! names that face.
//! Tests that need other uids skip with a message unless run as root.

use crate::support::bin;
use crate::support::pty::Console;

use baogong::api::{Caller, Request};
use baogong::domain::command::{Command, Source};
use baogong::domain::{Face, Qty};
use baogong::engine::{Engine, SystemClock};
use baogong::link::client;
use baogong::proto::{self, Down, FaceKind};
use futures_util::StreamExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Output, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tempfile::TempDir;

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

/// A seeded data directory, the daemon serving it (logging to `serve.log`), started with an
/// optional file-descriptor limit.
struct Site {
    tmp: TempDir,
    daemon: Option<Child>,
}

impl Site {
    /// The test town, with `config` as its `baogong.toml`; not served yet.
    fn new(config: &str) -> Site {
        let tmp = tempfile::tempdir().expect("temp dir");
        let scenario = tmp.path().join("town.toml");
        std::fs::write(&scenario, bin::TOWN).expect("scenario");
        let data = tmp.path().join("data");
        let out = bin::command(&data).args(["init", "--scenario"]).arg(&scenario).output().expect("init");
        assert!(out.status.success(), "init: {}", stderr(&out));
        std::fs::write(data.join("baogong.toml"), config).expect("config");
        Site { tmp, daemon: None }
    }

    fn data(&self) -> PathBuf {
        self.tmp.path().join("data")
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.tmp.path().join("serve.log")).unwrap_or_default()
    }

    /// Starts `serve` without waiting for it.
    fn spawn(&mut self, fd_limit: Option<u64>) -> &mut Child {
        let mut cmd = bin::command(self.data());
        cmd.arg("serve").arg("--log").arg(self.tmp.path().join("serve.log"));
        cmd.stdout(Stdio::null()).stderr(Stdio::null());
        if let Some(limit) = fd_limit {
            // SAFETY: setrlimit is async-signal-safe and touches only the child being started.
            unsafe {
                cmd.pre_exec(move || {
                    let lim = libc::rlimit { rlim_cur: limit as libc::rlim_t, rlim_max: limit as libc::rlim_t };
                    if libc::setrlimit(libc::RLIMIT_NOFILE, &lim) != 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                    Ok(())
                });
            }
        }
        self.daemon.insert(cmd.spawn().expect("serve"))
    }

    fn serve(&mut self, fd_limit: Option<u64>) {
        let log = self.tmp.path().join("serve.log");
        let data = self.data();
        bin::wait_serving(&data, self.spawn(fd_limit), Some(&log));
    }

    fn stop(&mut self) {
        if let Some(mut c) = self.daemon.take() {
            // SAFETY: signalling our own child.
            unsafe { libc::kill(c.id() as i32, libc::SIGTERM) };
            let _ = c.wait();
        }
    }

    /// Lets other uids into the directory and the socket (what the README's group setup gives).
    fn open_to_others(&self) {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path, m: u32| std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).expect("chmod");
        mode(self.tmp.path(), 0o755);
        mode(&self.data(), 0o755);
        mode(&self.data().join(proto::SOCKET), 0o666);
    }
}

impl Drop for Site {
    fn drop(&mut self) {
        if let Some(mut c) = self.daemon.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime")
}

/// A clerk (uid 4244) runs a daemon of its own and moves its socket into the officer's data
/// directory while the officer's daemon is down: the officer's command refuses it, naming both
/// users, and the clerk's daemon never hears a Hello.
#[test]
fn a_socket_served_by_another_user_gets_nothing() {
    if !is_root() {
        eprintln!("skipped: needs root to run a fake daemon as another uid");
        return;
    }
    const CLERK: u32 = 4244;
    let site = Site::new("");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(site.tmp.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let own = site.tmp.path().join("clerk");
    std::fs::create_dir(&own).expect("clerk dir");
    std::os::unix::fs::chown(&own, Some(CLERK), Some(CLERK)).expect("chown");
    let clerk_log = own.join("fake.log");
    let mut fake = bin::command(&own)
        .arg("serve")
        .arg("--log")
        .arg(&clerk_log)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .uid(CLERK)
        .gid(CLERK)
        .spawn()
        .expect("the clerk's daemon");
    bin::wait_serving(&own, &mut fake, Some(&clerk_log));
    std::fs::rename(own.join(proto::SOCKET), site.data().join(proto::SOCKET)).expect("move the socket");
    let out = bin::run(&site.data(), &["stock", "--json"]);
    let _ = fake.kill();
    let _ = fake.wait();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let want = format!(
        "the socket {} is served by user uid{CLERK}, not by the data directory's owner root: refusing to send anything",
        site.data().join(proto::SOCKET).display()
    );
    assert!(stderr(&out).contains(&want), "{}", stderr(&out));
    let heard = std::fs::read_to_string(&clerk_log).unwrap_or_default();
    assert!(!heard.contains("refused root"), "the fake daemon got the Hello:\n{heard}");
}

/// Connections that keep every slot they can: idle, reopened as soon as the daemon closes one.
async fn hold(sock: PathBuf, until: Instant) -> usize {
    let mut busy = 0;
    while Instant::now() < until {
        let Ok(stream) = tokio::net::UnixStream::connect(&sock).await else {
            tokio::time::sleep(Duration::from_millis(5)).await;
            continue;
        };
        let mut framed = tokio_util::codec::Framed::new(stream, proto::codec());
        let left = until.saturating_duration_since(Instant::now());
        if let Ok(Some(Ok(bytes))) = tokio::time::timeout(left, framed.next()).await {
            if serde_json::from_slice::<Down>(&bytes).is_ok_and(|d| d == Down::Busy) {
                busy += 1;
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    }
    busy
}

/// One uid (root, the test) floods the daemon with idle connections, more than its whole cap:
/// another uid's command still gets through promptly, the flooder's own command is told the
/// daemon is busy (in English and Chinese), and the flood ends up answered "busy".
#[test]
fn idle_connections_from_one_user_do_not_lock_out_the_others() {
    if !is_root() {
        eprintln!("skipped: needs root to run clients as other uids");
        return;
    }
    const FLOOD: usize = 300;
    let mut site = Site::new("[access]\nuid4242 = \"viewer\"\n");
    // 256 descriptors: a cap of 192 connections in all, below the flood.
    site.serve(Some(256));
    site.open_to_others();
    let sock = site.data().join(proto::SOCKET);
    let rt = runtime();
    let until = Instant::now() + Duration::from_secs(6);
    let flood: Vec<_> = (0..FLOOD).map(|_| rt.spawn(hold(sock.clone(), until))).collect();
    std::thread::sleep(Duration::from_millis(500));
    let started = Instant::now();
    let other = bin::command(site.data()).args(["stock", "--json"]).uid(4242).gid(4242).output().expect("cli");
    let took = started.elapsed();
    let en = bin::run(&site.data(), &["stock"]);
    let zh = bin::command(site.data()).arg("stock").env("LANG", "zh_CN.UTF-8").output().expect("cli");
    let busy: usize = rt.block_on(async {
        let mut n = 0;
        for t in flood {
            n += t.await.expect("flood task");
        }
        n
    });
    eprintln!("flood of {FLOOD}: {busy} answered busy; the other user's command took {took:?}");
    assert!(other.status.success(), "the other user is locked out: {}", stderr(&other));
    assert!(took < Duration::from_secs(2), "the other user waited {took:?}");
    assert_eq!(en.status.code(), Some(1), "{}", stderr(&en));
    assert!(stderr(&en).contains("the daemon is busy with too many connections"), "{}", stderr(&en));
    assert!(!stderr(&en).contains("Broken pipe"), "{}", stderr(&en));
    assert!(stderr(&zh).contains("守护进程正忙：连接过多"), "{}", stderr(&zh));
    assert!(busy > 0, "the flood was never answered busy");
    // Once the flood is gone, the flooder is served again.
    let out = bin::run(&site.data(), &["stock", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

/// A connection that says nothing is told why and closed after the Hello deadline (2 s).
#[test]
fn a_silent_connection_is_closed_after_the_hello_deadline() {
    let mut site = Site::new("");
    site.serve(None);
    let sock = site.data().join(proto::SOCKET);
    let (closed_after, said) = runtime().block_on(async {
        let stream = tokio::net::UnixStream::connect(&sock).await.expect("connect");
        let mut framed = tokio_util::codec::Framed::new(stream, proto::codec());
        let start = Instant::now();
        let first = tokio::time::timeout(Duration::from_secs(5), framed.next()).await.expect("closed within 5 s");
        let said = first.and_then(Result::ok).and_then(|b| serde_json::from_slice::<Down>(&b).ok());
        let end = tokio::time::timeout(Duration::from_secs(5), framed.next()).await.expect("closed within 5 s");
        assert!(end.is_none(), "the connection was closed after the refusal");
        (start.elapsed(), said)
    });
    assert!(closed_after >= Duration::from_millis(1500), "closed too soon: {closed_after:?}");
    assert!(closed_after <= Duration::from_millis(3000), "closed too late: {closed_after:?}");
    assert_eq!(said, Some(Down::Refused { reason: "no Hello within 2 seconds".into() }));
}

fn restock(point: &str, note: String) -> Command {
    Command::Restock {
        point: point.into(),
        item: "rice".into(),
        qty: Qty::units(1),
        source: Source::Supplier,
        batch: None,
        expiry: None,
        note,
    }
}

/// Events and rows far larger than a frame, recorded straight through the engine (as a restore
/// records them, past every check of what a person may type): nine events with 120 KB ids and
/// notes, one of 3 MB, a town name of 1.5 MB in a state row. The daemon streams them all, its
/// export byte for byte what the store gives without it.
#[test]
fn stored_events_and_rows_of_any_size_stream_through_the_daemon() {
    let mut site = Site::new("");
    {
        let mut engine = Engine::open(&site.data(), Arc::new(SystemClock), Default::default()).expect("engine");
        let caller = Caller::officer("root", Face::Cli);
        let reply = engine.submit(&caller, Request { cmd_id: "small".into(), cmd: restock("P01", String::new()) });
        assert!(reply.is_ok(), "{reply:?}");
        let last = engine.store().last_seq().expect("seq");
        let template = engine.store().event(last).expect("read").expect("the restock");
        let mut big: Vec<(String, Command)> = (0..9)
            .map(|i| (format!("big-{i}-{}", "i".repeat(120 * 1024)), restock("P01", "n".repeat(120 * 1024))))
            .collect();
        big.push(("big-9".into(), restock("P01", "x".repeat(3 * 1024 * 1024))));
        big.push(("big-town".into(), Command::Town { name: "镇".repeat(512 * 1024), code: String::new() }));
        let events: Vec<_> = big
            .into_iter()
            .zip(last + 1..)
            .map(|((cmd_id, cmd), seq)| baogong::domain::Event { seq, cmd_id, cmd, ..template.clone() })
            .collect();
        engine.store().mark_restoring(true).expect("mark");
        engine.restore(&events).expect("restore");
        engine.store().mark_restoring(false).expect("unmark");
    }
    site.serve(None);
    let through = bin::run(&site.data(), &["export", "events"]);
    assert!(through.status.success(), "export through the daemon: {}", stderr(&through));
    let stock = bin::run(&site.data(), &["stock", "--json"]);
    assert!(stock.status.success(), "a snapshot through the daemon: {}", stderr(&stock));
    site.stop();
    let direct = bin::run(&site.data(), &["export", "events"]);
    assert!(direct.status.success(), "{}", stderr(&direct));
    assert!(through.stdout == direct.stdout, "the daemon's export differs from the store's");
    let text = String::from_utf8_lossy(&through.stdout);
    assert!(text.contains("big-8-") && text.contains("big-9") && text.contains("big-town"));
}

/// An import batch larger than a frame (3,000 restocks with 400-character notes, ~2 MB) goes up
/// in parts and is applied whole.
#[test]
fn a_batch_larger_than_a_frame_goes_up_in_parts() {
    let mut site = Site::new("");
    site.serve(None);
    let reqs: Vec<Request> =
        (0..3000).map(|i| Request { cmd_id: format!("b-{i}"), cmd: restock("P01", "n".repeat(400)) }).collect();
    assert!(proto::encode(&proto::Up::Batch { requests: reqs.clone() }).expect("encode").len() > proto::MAX_FRAME);
    let replies = runtime().block_on(async {
        let (mut s, _) = client::connect(&site.data(), FaceKind::Cli, false).await.expect("attach");
        s.submit_batch(reqs).await.expect("replies")
    });
    assert_eq!(replies.len(), 3000);
    assert!(replies.iter().all(Result::is_ok), "{:?}", replies.iter().find(|r| r.is_err()));
}

/// An id, a point code and a note with line breaks and escape sequences, refused by the daemon:
/// the log has exactly one line for it, with no control character in it.
#[test]
fn a_quoted_id_or_note_stays_one_line_of_the_log() {
    let mut site = Site::new("");
    site.serve(None);
    let forged = "\n2026-12-01 00:00:00 baogong: serving forged\r\x1b[2K\x1b[31m";
    let req = Request {
        cmd_id: format!("evil{forged}id"),
        cmd: restock(&format!("P9{forged}"), format!("note{forged}\u{202e}")),
    };
    let reply = runtime().block_on(async {
        let (mut s, _) = client::connect(&site.data(), FaceKind::Cli, false).await.expect("attach");
        s.submit(req).await.expect("reply")
    });
    assert!(reply.is_err(), "an unknown point is refused: {reply:?}");
    site.stop();
    let log = site.log();
    let lines: Vec<&str> = log.lines().filter(|l| l.contains("evil")).collect();
    assert_eq!(lines.len(), 1, "{log}");
    assert!(lines[0].contains("evil\\n2026-12-01 00:00:00 baogong: serving forged\\r\\u{1b}[2K"), "{}", lines[0]);
    assert!(!log.lines().any(|l| l.starts_with("2026-12-01 00:00:00")), "a forged line:\n{log}");
    assert!(!log.chars().any(|c| c != '\n' && c.is_control()), "a control character reached the log:\n{log}");
    assert_eq!(log.lines().count(), 3, "serving, the refusal, stopped:\n{log}");
}

/// Whether process `pid` claims the store in `data` (`baogong.pid` names it).
fn claims(data: &Path, pid: u32) -> bool {
    std::fs::read_to_string(data.join("baogong.pid"))
        .ok()
        .and_then(|t| t.split_whitespace().next().map(|w| w == pid.to_string()))
        .unwrap_or(false)
}

/// Starts the daemon and stops it (SIGSTOP) as soon as `stage(pid)` holds, before it opens its
/// socket (and, with `unclaimed`, before it claims the store); a start that got past that point
/// is ended and tried again. Returns the stopped daemon's pid.
fn stop_while_starting(site: &mut Site, stage: impl Fn(u32) -> bool, unclaimed: bool) -> u32 {
    for attempt in 0..20 {
        let pid = site.spawn(None).id();
        let deadline = Instant::now() + Duration::from_secs(10);
        while !stage(pid) {
            assert!(Instant::now() < deadline, "the daemon never reached the stage");
        }
        // SAFETY: signalling our own child.
        unsafe { libc::kill(pid as i32, libc::SIGSTOP) };
        let too_late = site.data().join(proto::SOCKET).exists() || (unclaimed && claims(&site.data(), pid));
        if !too_late {
            return pid;
        }
        eprintln!("attempt {attempt}: stopped too late; again");
        // SAFETY: as above.
        unsafe { libc::kill(pid as i32, libc::SIGCONT) };
        site.stop();
    }
    panic!("the daemon always got past the stage before it could be stopped");
}

/// Runs `stock` while the daemon `pid` is stopped, lets the daemon go on after a second, and
/// asserts the command waited and was then served.
fn served_once_started(site: &Site, pid: u32) {
    let started = Instant::now();
    let mut cmd = bin::command(site.data());
    let mut cmd = cmd.args(["stock", "--json"]).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("cli");
    std::thread::sleep(Duration::from_millis(1000));
    let waiting = matches!(cmd.try_wait(), Ok(None));
    // SAFETY: signalling our own child.
    unsafe { libc::kill(pid as i32, libc::SIGCONT) };
    let out = cmd.wait_with_output().expect("cli");
    assert!(out.status.success(), "a command during the daemon's start: {}", stderr(&out));
    assert!(waiting, "the command did not wait for the daemon");
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
}

/// The daemon is stopped after claiming the store and before opening its socket: a command run
/// then waits, and once the daemon goes on it is served through the socket. A daemon killed
/// outright leaves its claim behind: a command does not wait for it.
#[test]
fn a_command_waits_for_a_starting_daemon() {
    let mut site = Site::new("");
    let data = site.data();
    let pid = stop_while_starting(&mut site, |pid| claims(&data, pid), false);
    served_once_started(&site, pid);
    if let Some(mut d) = site.daemon.take() {
        let _ = d.kill();
        let _ = d.wait();
    }
    let started = Instant::now();
    let out = bin::run(&site.data(), &["stock", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(started.elapsed() < Duration::from_secs(2), "waited for a dead daemon: {:?}", started.elapsed());
}

/// The daemon is stopped inside the store's open (sled has started its threads) before it
/// claimed the store: a command run then finds the store locked by nobody named, and once the
/// daemon claims it, goes through the daemon's socket.
#[test]
fn a_command_that_finds_the_store_locked_by_a_starting_daemon_goes_through_it() {
    let mut site = Site::new("");
    let data = site.data();
    let threads = |pid: u32| std::fs::read_dir(format!("/proc/{pid}/task")).map_or(0, |d| d.count());
    let pid = stop_while_starting(&mut site, |pid| threads(pid) > 1 || claims(&data, pid), true);
    served_once_started(&site, pid);
}

/// A console holding the store embedded is named by a command and by `serve`, with its pid.
#[test]
fn a_store_held_by_an_embedded_face_names_that_face() {
    let site = Site::new("");
    let console = Console::spawn(&site.data(), "en", 120, 40, &[]);
    console.wait_for("the console to open", |s| s.contains("┘"));
    let want = format!("is held by a baogong console (pid {}) that opened it directly", console.pid());
    let out = bin::run(&site.data(), &["log", "restock", "--point", "P01", "--item", "rice", "--qty", "1"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains(&want), "{}", stderr(&out));
    let out = bin::run(&site.data(), &["serve"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains(&want), "{}", stderr(&out));
}

/// The per-user cap is read from `[limits]` and range-checked, naming the file and the range.
#[test]
fn the_per_user_cap_is_range_checked() {
    let site = Site::new("[limits]\nconnections_per_user = 0\n");
    let out = bin::run(&site.data(), &["serve"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains(&site.data().join("baogong.toml").display().to_string()), "{err}");
    assert!(err.contains("limits.connections_per_user") && err.contains("allowed 1 to 1024"), "{err}");
}
