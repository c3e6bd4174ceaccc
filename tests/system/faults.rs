//! Faults of the disk and of the data directory, through the real binary: a full disk (a real
//! small tmpfs when root may mount one) and a file size limit (RLIMIT_FSIZE, any user) refuse
//! writes by name, leave nothing half-written, keep the daemon serving reads and recover without
//! a restart; a read-only file system, damaged or truncated sled files, a store from a newer
//! schema, a stale socket and a world-writable data directory each give a plain message and
//! exit 1, never a panic; `export events` salvages what sled can still read; the socket is 0660.

use crate::support::bin::{self, run};
use crate::support::fixture::{restock, u};

use baogong::api::{Refusal, Reply, Request};
use baogong::domain::{Lang, Qty};
use baogong::link::client;
use baogong::proto::{Down, FaceKind};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command as Proc, Output, Stdio};
use std::time::Duration;

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Exit 1 with a message containing `want`, and no panic.
fn assert_plain_failure(o: &Output, want: &str, what: &str) {
    let err = stderr(o);
    assert!(!err.contains("panicked"), "{what}: panicked:\n{err}");
    assert_eq!(o.status.code(), Some(1), "{what}: exit code; stderr:\n{err}");
    assert!(err.contains(want), "{what}: the message names {want:?}:\n{err}");
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// Seeds the small test town into `data`.
fn seed(scratch: &Path, data: &Path) {
    let scenario = scratch.join("town.toml");
    std::fs::write(&scenario, bin::TOWN).expect("scenario");
    let out = bin::command(data).args(["init", "--scenario"]).arg(&scenario).output().expect("init");
    assert!(out.status.success(), "init failed: {}", stderr(&out));
}

/// `baogong serve` on a data directory, killed when dropped.
struct Daemon {
    child: Child,
    log: PathBuf,
}

impl Daemon {
    fn start(data: &Path, log: &Path) -> Daemon {
        let child = bin::command(data)
            .arg("serve")
            .arg("--log")
            .arg(log)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("serve");
        let mut d = Daemon { child, log: log.to_path_buf() };
        bin::wait_serving(data, &mut d.child, Some(log));
        d
    }

    /// Limits the size of the files the daemon may write (RLIMIT_FSIZE).
    fn limit_file_size(&self, cur: u64) {
        let lim = libc::rlimit { rlim_cur: cur, rlim_max: libc::RLIM_INFINITY };
        // SAFETY: sets a resource limit of our own child process.
        let rc = unsafe { libc::prlimit(self.pid(), libc::RLIMIT_FSIZE, &lim, std::ptr::null_mut()) };
        assert_eq!(rc, 0, "prlimit: {}", std::io::Error::last_os_error());
    }

    fn pid(&self) -> i32 {
        self.child.id() as i32
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A tmpfs of `mb` MiB mounted at `at` (root only), lazily unmounted when dropped.
struct Mount(PathBuf);

impl Mount {
    fn tmpfs(at: &Path, mb: u32) -> Option<Mount> {
        std::fs::create_dir_all(at).expect("mount point");
        let ok = Proc::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={mb}m"), "tmpfs"])
            .arg(at)
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Mount(at.to_path_buf()))
    }

    fn remount(&self, opts: &str) {
        let ok = Proc::new("mount").args(["-o", &format!("remount,{opts}")]).arg(&self.0).status().expect("mount");
        assert!(ok.success(), "remount {opts}");
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Proc::new("umount").arg("-l").arg(&self.0).status();
    }
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime")
}

/// P01's rice as a fresh face attached to the daemon sees it (a read through the daemon).
async fn rice_seen_by_a_new_face(data: &Path) -> Qty {
    let (_, state) = client::connect(data, FaceKind::Wall, true).await.expect("a face attaches");
    state.expect("snapshot").qty("P01", "rice")
}

/// How many times each command id is in the event log (read through the daemon).
async fn id_counts(data: &Path) -> BTreeMap<String, usize> {
    let (mut s, _) = client::connect(data, FaceKind::Cli, false).await.expect("attach");
    let mut counts = BTreeMap::new();
    s.export(|ev| {
        *counts.entry(ev.cmd_id.clone()).or_default() += 1;
        Ok(())
    })
    .await
    .expect("export");
    counts
}

async fn check_clean(data: &Path) {
    let (mut s, _) = client::connect(data, FaceKind::Cli, false).await.expect("attach");
    let (_, _, differences) = s.check().await.expect("check");
    assert!(differences.is_empty(), "check: {differences:#?}");
}

fn failed_message(reply: &Reply) -> Option<String> {
    match reply {
        Err(Refusal::Fault(fault)) => Some(fault.message(Lang::En)),
        _ => None,
    }
}

#[test]
fn a_full_disk_refuses_writes_by_name_keeps_reads_and_recovers_when_space_returns() {
    if !is_root() {
        eprintln!("skipped: mounting a small tmpfs needs root (the file size limit test covers the rest)");
        return;
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let Some(_mount) = Mount::tmpfs(&tmp.path().join("disk"), 32) else {
        eprintln!("skipped: this machine does not let root mount a tmpfs");
        return;
    };
    let data = tmp.path().join("disk/data");
    seed(tmp.path(), &data);
    let daemon = Daemon::start(&data, &tmp.path().join("daemon.log"));
    rt().block_on(async {
        let (mut watcher, _) = client::connect(&data, FaceKind::Console, true).await.expect("attach");
        let (mut writer, _) = client::connect(&data, FaceKind::Cli, false).await.expect("attach");
        let ok = writer
            .submit(Request { cmd_id: "before-full".into(), cmd: restock("P01", "rice", u(5)) })
            .await
            .expect("reply");
        assert!(ok.is_ok(), "{ok:?}");
        // Fill the disk to the last byte.
        let filler = tmp.path().join("disk/filler");
        {
            use std::io::Write;
            let mut f = std::fs::File::create(&filler).expect("filler");
            let chunk = vec![7u8; 1 << 20];
            while f.write_all(&chunk).is_ok() {}
            let _ = f.sync_all();
        }
        // Writes are refused, by name, through the socket and through the CLI.
        let reply = writer
            .submit(Request { cmd_id: "while-full".into(), cmd: restock("P01", "rice", u(7)) })
            .await
            .expect("reply");
        let message = failed_message(&reply).unwrap_or_else(|| panic!("refused as a failure: {reply:?}"));
        assert!(message.contains("disk full") && message.contains(&data.display().to_string()), "{message}");
        let out = run(&data, &["log", "restock", "--point", "P01", "--item", "rice", "--qty", "9", "--id", "cli-full"]);
        assert_plain_failure(&out, "disk full", "a CLI write on a full disk");
        // Reads go on: a listing through the daemon, a face attaching, the attached face's beat.
        assert_eq!(rice_seen_by_a_new_face(&data).await, Qty::units(5));
        let out = run(&data, &["stock", "--point", "P01", "--item", "rice", "--json"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let rows: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        assert_eq!(rows[0]["qty"], 5.0, "the refused restocks are not in stock");
        // Space comes back: the next command goes through, no restart.
        std::fs::remove_file(&filler).expect("remove filler");
        let ok = writer
            .submit(Request { cmd_id: "after-full".into(), cmd: restock("P01", "rice", u(11)) })
            .await
            .expect("reply");
        assert!(ok.is_ok(), "after space returns: {ok:?}");
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            let d = tokio::time::timeout_at(deadline, watcher.recv()).await.expect("event in time").expect("frame");
            match d {
                Down::Event(ev) if ev.cmd_id == "after-full" => break,
                Down::Event(ev) => assert_ne!(ev.cmd_id, "while-full", "a refused command was pushed"),
                _ => {}
            }
        }
        let counts = id_counts(&data).await;
        assert_eq!(counts.get("before-full"), Some(&1));
        assert_eq!(counts.get("after-full"), Some(&1));
        assert_eq!(counts.get("while-full"), None, "the refused command is not in the log");
        assert_eq!(counts.get("cli-full"), None, "the refused command is not in the log");
        check_clean(&data).await;
        assert_eq!(rice_seen_by_a_new_face(&data).await, Qty::units(16));
    });
    assert!(daemon.log().contains("failed while-full"), "the daemon logs the failure: {}", daemon.log());
}

/// The test town seeded under `scratch` and served by a daemon whose sled log may grow no
/// further than it is now: its next segment cannot be written (EFBIG, SIGXFSZ being ignored by
/// baogong).
fn daemon_at_its_file_size_limit(scratch: &Path) -> (PathBuf, Daemon) {
    let data = scratch.join("data");
    seed(scratch, &data);
    let daemon = Daemon::start(&data, &scratch.join("daemon.log"));
    let size = std::fs::metadata(data.join("store/db")).expect("db").len();
    daemon.limit_file_size(size);
    (data, daemon)
}

#[test]
fn a_failed_write_reopens_the_store_and_writing_resumes_without_a_restart() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let (data, daemon) = daemon_at_its_file_size_limit(tmp.path());
    rt().block_on(async {
        let (mut writer, _) = client::connect(&data, FaceKind::Cli, false).await.expect("attach");
        let mut saved = 0i64;
        let mut failed = Vec::new();
        for n in 0..5000 {
            let id = format!("w-{n}");
            let reply =
                writer.submit(Request { cmd_id: id.clone(), cmd: restock("P01", "rice", u(1)) }).await.expect("reply");
            match failed_message(&reply) {
                None => {
                    assert!(reply.is_ok(), "{reply:?}");
                    saved += 1;
                }
                Some(message) => {
                    assert!(message.contains("disk full") && message.contains("file size limit"), "{message}");
                    failed.push(id);
                    if failed.len() == 3 {
                        break;
                    }
                }
            }
        }
        assert_eq!(failed.len(), 3, "writes past the limit must fail ({saved} saved)");
        assert!(saved > 0, "some commands fit before the limit");
        // Memory matches the disk: the failed commands are nowhere, reads still served.
        assert_eq!(rice_seen_by_a_new_face(&data).await, Qty::units(saved));
        let counts = id_counts(&data).await;
        for id in &failed {
            assert_eq!(counts.get(id), None, "{id} failed and must not be in the log");
        }
        check_clean(&data).await;
        // The limit goes: the next command is saved, by the same daemon.
        daemon.limit_file_size(libc::RLIM_INFINITY);
        let reply = writer
            .submit(Request { cmd_id: "after-limit".into(), cmd: restock("P01", "rice", u(100)) })
            .await
            .expect("reply");
        assert!(reply.is_ok(), "writing resumes: {reply:?}\n{}", daemon.log());
        // A resend of a failed id now applies it, once.
        let reply = writer
            .submit(Request { cmd_id: failed[0].clone(), cmd: restock("P01", "rice", u(1)) })
            .await
            .expect("reply");
        assert!(matches!(&reply, Ok(o) if !o.duplicate), "{reply:?}");
        assert_eq!(rice_seen_by_a_new_face(&data).await, Qty::units(saved + 101));
        let counts = id_counts(&data).await;
        assert_eq!(counts.get("after-limit"), Some(&1));
        assert_eq!(counts.get(&failed[0]), Some(&1));
        check_clean(&data).await;
    });
    drop(daemon);
    // And after a restart everything acknowledged is there.
    let out = run(&data, &["check"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
}

/// Several writers at once when the disk gives out, their commands folded into shared batches
/// and retried after a reopen: whatever a writer was told was saved is in the log exactly once,
/// whatever it was told failed is nowhere, what it was told "perhaps not saved" is there at
/// most once, and stock matches what is in the log.
#[test]
fn concurrent_writers_meeting_a_failed_write_are_told_the_truth() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let (data, daemon) = daemon_at_its_file_size_limit(tmp.path());
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    rt.block_on(async {
        let writers: Vec<_> = (0..6)
            .map(|w| {
                let data = data.clone();
                tokio::spawn(async move {
                    let (mut writer, _) = client::connect(&data, FaceKind::Cli, false).await.expect("attach");
                    let (mut saved, mut failed, mut unsure) = (Vec::new(), Vec::new(), Vec::new());
                    for n in 0..3000 {
                        let id = format!("w{w}-{n}");
                        let reply = writer
                            .submit(Request { cmd_id: id.clone(), cmd: restock("P01", "rice", u(1)) })
                            .await
                            .expect("reply");
                        match failed_message(&reply) {
                            None => {
                                assert!(matches!(&reply, Ok(o) if !o.duplicate), "{id}: {reply:?}");
                                saved.push(id);
                            }
                            // The store could not be reopened to see: it may be either way.
                            Some(m) if m.starts_with("perhaps not saved") => unsure.push(id),
                            Some(_) => {
                                failed.push(id);
                                if failed.len() == 3 {
                                    break;
                                }
                            }
                        }
                    }
                    (saved, failed, unsure)
                })
            })
            .collect();
        let (mut saved, mut failed, mut unsure) = (Vec::new(), Vec::new(), Vec::new());
        for w in writers {
            let (s, f, u) = w.await.expect("writer");
            saved.extend(s);
            failed.extend(f);
            unsure.extend(u);
        }
        assert!(!failed.is_empty(), "writes past the limit must fail ({} saved)", saved.len());
        // sled may not even read the store while the limit holds: lift it, and one more
        // write reopens the store.
        daemon.limit_file_size(libc::RLIM_INFINITY);
        let (mut writer, _) = client::connect(&data, FaceKind::Cli, false).await.expect("attach");
        let reply = writer.submit(Request { cmd_id: "after".into(), cmd: restock("P01", "rice", u(1)) }).await;
        assert!(matches!(reply, Ok(Ok(_))), "writing resumes: {reply:?}");
        saved.push("after".into());
        let counts = id_counts(&data).await;
        for id in &saved {
            assert_eq!(counts.get(id), Some(&1), "{id} was acknowledged and must be in the log once");
        }
        for id in &failed {
            assert_eq!(counts.get(id), None, "{id} failed and must not be in the log");
        }
        let landed = unsure.iter().filter(|id| counts.get(*id) == Some(&1)).count();
        assert!(unsure.iter().all(|id| counts.get(id).is_none_or(|n| *n == 1)), "never twice: {unsure:?}");
        let saved_qty = i64::try_from(saved.len() + landed).expect("count");
        assert_eq!(rice_seen_by_a_new_face(&data).await, Qty::units(saved_qty));
        check_clean(&data).await;
    });
    drop(daemon);
}

#[test]
fn a_read_only_file_system_is_named_and_nothing_starts_half_way() {
    if !is_root() {
        eprintln!("skipped: remounting a tmpfs read-only needs root");
        return;
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let Some(mount) = Mount::tmpfs(&tmp.path().join("disk"), 32) else {
        eprintln!("skipped: this machine does not let root mount a tmpfs");
        return;
    };
    let data = tmp.path().join("disk/data");
    seed(tmp.path(), &data);
    mount.remount("ro");
    let dir = data.display().to_string();
    for args in [
        &["serve"][..],
        &["log", "restock", "--point", "P01", "--item", "rice", "--qty", "1"],
        &["stock"],
        &["export", "events"],
    ] {
        let out = run(&data, args);
        assert_plain_failure(&out, "read-only", &format!("{args:?} on a read-only file system"));
        assert!(stderr(&out).contains(&dir), "names the store: {}", stderr(&out));
    }
    mount.remount("rw");
    let out = run(&data, &["log", "restock", "--point", "P01", "--item", "rice", "--qty", "1"]);
    assert!(out.status.success(), "read-write again: {}", stderr(&out));
    let out = run(&data, &["check"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
}

/// A store with a few events, closed cleanly.
fn small_store(tmp: &Path) -> PathBuf {
    let data = tmp.join("base");
    seed(tmp, &data);
    for n in 0..10 {
        let id = format!("r{n}");
        let out = run(&data, &["log", "restock", "--point", "P01", "--item", "rice", "--qty", "1", "--id", &id]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    data
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("dir");
    for e in std::fs::read_dir(from).expect("read dir") {
        let e = e.expect("entry");
        if e.file_type().expect("type").is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).expect("copy");
        }
    }
}

fn snapshots(store: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(store)
        .expect("store dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("snap.")))
        .collect();
    v.sort();
    v
}

fn write_at(path: &Path, offset: u64, bytes: &[u8]) {
    use std::io::{Seek, SeekFrom, Write};
    let mut f = std::fs::OpenOptions::new().write(true).open(path).expect("open for damage");
    f.seek(SeekFrom::Start(offset)).expect("seek");
    f.write_all(bytes).expect("damage");
}

fn truncate(path: &Path, len: u64) {
    std::fs::OpenOptions::new().write(true).open(path).expect("open").set_len(len).expect("truncate");
}

/// What a damaged store gives: `Refused` (exit 1, a plain message, nothing exported),
/// `Salvaged` (`check` and listings refuse, `export events` writes every event and exits 1
/// saying so) or `Intact` (sled does not notice: everything works, `check` clean).
#[derive(Debug, PartialEq, Clone, Copy)]
enum Outcome {
    Refused,
    Salvaged,
    Intact,
}

#[test]
fn damaged_or_truncated_store_files_give_a_plain_message_and_export_salvages_what_it_can() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let base = small_store(tmp.path());
    let all = run(&base, &["export", "events"]);
    let all_events = String::from_utf8_lossy(&all.stdout).lines().count();
    assert_eq!(all_events, 12, "two from init, ten restocks");
    type Damage = fn(&Path);
    let cases: Vec<(&str, Damage, Outcome)> = vec![
        ("db truncated to nothing", |s| truncate(&s.join("db"), 0), Outcome::Refused),
        ("db truncated to 3000 bytes", |s| truncate(&s.join("db"), 3000), Outcome::Refused),
        ("db missing", |s| std::fs::remove_file(s.join("db")).expect("rm"), Outcome::Refused),
        ("db zeroed at 2000..2500", |s| write_at(&s.join("db"), 2000, &[0; 500]), Outcome::Refused),
        ("db bytes flipped at 1000", |s| write_at(&s.join("db"), 1000, &[0xff; 4]), Outcome::Refused),
        ("conf emptied", |s| truncate(&s.join("conf"), 0), Outcome::Intact),
        ("conf garbage", |s| std::fs::write(s.join("conf"), "garbage\n").expect("write"), Outcome::Intact),
        ("snapshot emptied", |s| snapshots(s).iter().for_each(|p| truncate(p, 0)), Outcome::Salvaged),
        ("snapshot bytes flipped", |s| snapshots(s).iter().for_each(|p| write_at(p, 20, b"XXXX")), Outcome::Salvaged),
        (
            "an unfinished snapshot left by a full disk",
            |s| std::fs::write(s.join("snap.00000000FFFFFFFF.generating"), b"").expect("write"),
            Outcome::Intact,
        ),
    ];
    let mut table = Vec::new();
    for (i, (name, damage, want)) in cases.into_iter().enumerate() {
        let data = tmp.path().join(format!("case{i}"));
        copy_dir(&base, &data);
        damage(&data.join("store"));
        let check = run(&data, &["check"]);
        let stock = run(&data, &["stock"]);
        let export = run(&data, &["export", "events"]);
        for (what, o) in [("check", &check), ("stock", &stock), ("export events", &export)] {
            let err = stderr(o);
            assert!(!err.contains("panicked"), "{name}: {what} panicked:\n{err}");
            assert!(matches!(o.status.code(), Some(0 | 1)), "{name}: {what} exit {:?}:\n{err}", o.status);
        }
        let exported: Vec<serde_json::Value> = String::from_utf8_lossy(&export.stdout)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{name}: exported line {l}: {e}")))
            .collect();
        let got = match (check.status.code(), export.status.code()) {
            (Some(0), Some(0)) => Outcome::Intact,
            (Some(1), Some(1)) if !exported.is_empty() => Outcome::Salvaged,
            _ => Outcome::Refused,
        };
        table.push(format!("{name}: {got:?}, {} of {all_events} events exported", exported.len()));
        assert_eq!(got, want, "{name}: check {:?} / export {:?}:\n{}", check.status, export.status, stderr(&export));
        match got {
            Outcome::Refused => {
                assert_plain_failure(&check, "is damaged", name);
                assert_plain_failure(&stock, "is damaged", name);
                assert_plain_failure(&export, "nothing could be read", name);
            }
            Outcome::Salvaged => {
                assert_plain_failure(&check, "is damaged", name);
                assert_eq!(exported.len(), all_events, "{name}: every event salvaged");
                assert!(stderr(&export).contains(&format!("exported the {all_events} events")), "{}", stderr(&export));
                let seqs: Vec<u64> = exported.iter().filter_map(|v| v["seq"].as_u64()).collect();
                assert_eq!(seqs, (1..=all_events as u64).collect::<Vec<_>>(), "{name}: in order, no gap");
                // What was salvaged restores into a new data directory, whole.
                let file = tmp.path().join(format!("case{i}.jsonl"));
                std::fs::write(&file, &export.stdout).expect("write export");
                let fresh = tmp.path().join(format!("restored{i}"));
                let out = bin::command(&fresh).args(["import", "events"]).arg(&file).output().expect("run");
                assert!(out.status.success(), "{name}: restore: {}", stderr(&out));
                let out = run(&fresh, &["check"]);
                assert!(out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stdout));
            }
            Outcome::Intact => {
                assert_eq!(exported.len(), all_events, "{name}");
                assert!(stock.status.success(), "{name}: {}", stderr(&stock));
            }
        }
    }
    println!("{}", table.join("\n"));
    // The daemon on a damaged store says so and ends.
    let data = tmp.path().join("case0");
    let out = run(&data, &["serve"]);
    assert_plain_failure(&out, "is damaged", "serve on a damaged store");
}

#[test]
fn a_store_from_a_newer_schema_is_refused_plainly() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = tmp.path().join("data");
    seed(tmp.path(), &data);
    {
        let store = baogong::store::Store::open(&data).expect("open");
        store.stamp_schema(baogong::store::SCHEMA_VERSION + 1).expect("stamp");
    }
    let newer = format!("schema version {}, newer than this baogong", baogong::store::SCHEMA_VERSION + 1);
    for args in [&["stock"][..], &["serve"], &["check"], &["export", "events"], &["level", "level1"]] {
        let out = run(&data, args);
        assert_plain_failure(&out, &newer, &format!("{args:?} on a newer store"));
    }
}

#[test]
fn a_stale_socket_is_removed_by_the_daemon_and_ignored_by_commands() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = tmp.path().join("data");
    seed(tmp.path(), &data);
    let sock = data.join(baogong::proto::SOCKET);
    // A socket file nobody listens on, as a killed daemon leaves it.
    drop(std::os::unix::net::UnixListener::bind(&sock).expect("bind"));
    assert!(sock.exists());
    let out = run(&data, &["stock", "--json"]);
    assert!(out.status.success(), "a command opens the store itself: {}", stderr(&out));
    {
        let daemon = Daemon::start(&data, &tmp.path().join("daemon.log"));
        assert!(daemon.log().contains("removed a stale socket"), "{}", daemon.log());
        let out = run(&data, &["stock", "--json"]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    // Something that is not a socket in its place: a plain refusal.
    let _ = std::fs::remove_file(&sock);
    std::fs::create_dir(&sock).expect("dir in the socket's place");
    let out = run(&data, &["serve"]);
    assert_plain_failure(&out, "removing the stale socket", "serve with a directory as its socket");
}

#[test]
fn a_world_writable_data_directory_is_refused_and_the_socket_is_0660() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = tmp.path().join("data");
    seed(tmp.path(), &data);
    let chmod =
        |p: &Path, mode: u32| std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).expect("chmod");
    for (dir, mode) in [(data.clone(), 0o777), (data.clone(), 0o1777), (data.join("store"), 0o757)] {
        chmod(&dir, mode);
        let want = format!("chmod o-w {}", dir.display());
        for args in [&["serve"][..], &["stock"], &["level", "level1"]] {
            let out = run(&data, args);
            assert_plain_failure(&out, &want, &format!("{args:?} with {} at {mode:o}", dir.display()));
            assert!(stderr(&out).contains("writable by every user"), "{}", stderr(&out));
        }
        chmod(&dir, 0o755);
    }
    let out = run(&data, &["stock"]);
    assert!(out.status.success(), "after chmod o-w: {}", stderr(&out));
    let _daemon = Daemon::start(&data, &tmp.path().join("daemon.log"));
    let mode = std::fs::metadata(data.join(baogong::proto::SOCKET)).expect("socket").permissions().mode();
    assert_eq!(mode & 0o777, 0o660, "socket mode {:o}", mode & 0o777);
}
