//! The daemon over a real Unix socket: live push of every committed change to every attached
//! client; the same results through the daemon as embedded; protocol abuse (garbage, oversized
//! frames, a wrong protocol version, a request before Hello) refused without disturbing others;
//! the daemon killed (SIGKILL) and restarted mid-stream with nothing acknowledged lost and
//! nothing applied twice; roles enforced for other OS users (when the tests run as root, which
//! CI does: clients run as uids with no password entry, named `uid<N>` in `[access]`).

use baogong::domain::command::{Command, Source};
use baogong::domain::Qty;
use baogong::engine::{Refusal, Request};
use baogong::link::client::{self, AttachError};
use baogong::proto::{self, Down, FaceKind};
use bytes::Bytes;
use futures_util::{SinkExt, StreamExt};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command as Proc, Stdio};
use std::time::{Duration, Instant};
use tempfile::TempDir;
use tokio::net::UnixStream;
use tokio_util::codec::Framed;

const TOWN: &str = include_str!("common/town.toml");

fn bin() -> Proc {
    let mut c = Proc::new(env!("CARGO_BIN_EXE_baogong"));
    c.env_remove("BAOGONG_DATA").env_remove("LC_ALL").env("LANG", "C");
    c
}

/// A seeded data directory and the daemon serving it.
struct Site {
    tmp: TempDir,
    daemon: Option<Child>,
}

impl Site {
    fn new() -> Site {
        let tmp = tempfile::tempdir().expect("temp dir");
        let scenario = tmp.path().join("town.toml");
        std::fs::write(&scenario, TOWN).expect("scenario");
        let out = bin()
            .arg("--data")
            .arg(tmp.path().join("data"))
            .args(["init", "--scenario"])
            .arg(&scenario)
            .output()
            .expect("init");
        assert!(out.status.success(), "init failed: {}", String::from_utf8_lossy(&out.stderr));
        let mut site = Site { tmp, daemon: None };
        site.start();
        site
    }

    fn data(&self) -> PathBuf {
        self.tmp.path().join("data")
    }

    fn start(&mut self) {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.tmp.path().join("daemon.log"))
            .expect("log");
        let child =
            bin().arg("--data").arg(self.data()).arg("serve").stdout(Stdio::null()).stderr(log).spawn().expect("serve");
        self.daemon = Some(child);
        let deadline = Instant::now() + Duration::from_secs(20);
        while !client::daemon_running(&self.data()) {
            assert!(Instant::now() < deadline, "the daemon did not start: {}", self.log());
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn kill(&mut self) {
        if let Some(mut c) = self.daemon.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.tmp.path().join("daemon.log")).unwrap_or_default()
    }

    fn cli(&self, args: &[&str]) -> std::process::Output {
        bin().arg("--data").arg(self.data()).args(args).output().expect("cli")
    }

    fn write_config(&self, text: &str) {
        std::fs::write(self.data().join("baogong.toml"), text).expect("config");
    }
}

impl Drop for Site {
    fn drop(&mut self) {
        self.kill();
    }
}

fn restock(point: &str, qty: i64) -> Command {
    Command::Restock {
        point: point.into(),
        item: "rice".into(),
        qty: Qty::units(qty),
        source: Source::Supplier,
        batch: None,
        expiry: None,
        note: String::new(),
    }
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime")
}

/// Reads frames until one satisfies `want`, or fails after `secs`.
async fn until(session: &mut client::Session, secs: u64, mut want: impl FnMut(&Down) -> bool) -> Down {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    loop {
        let d = tokio::time::timeout_at(deadline, session.recv())
            .await
            .expect("timed out waiting for a frame")
            .expect("frame");
        if want(&d) {
            return d;
        }
    }
}

#[test]
fn every_change_reaches_every_attached_face() {
    let site = Site::new();
    rt().block_on(async {
        let mut faces = Vec::new();
        for face in [FaceKind::Console, FaceKind::Wall, FaceKind::Point { point: "P01".into() }] {
            let (s, state) = client::connect(&site.data(), face, true).await.expect("attach");
            let state = state.expect("snapshot");
            assert_eq!(state.settings.town, "测试镇");
            assert!(state.points.contains_key("P02"));
            faces.push(s);
        }
        let (mut writer, _) = client::connect(&site.data(), FaceKind::Cli, false).await.expect("attach");
        let reply = writer.submit(Request { cmd_id: "push-1".into(), cmd: restock("P02", 40) }).await.expect("reply");
        assert!(reply.is_ok(), "{reply:?}");
        for s in faces.iter_mut() {
            let d = until(s, 10, |d| matches!(d, Down::Event(ev) if ev.cmd_id == "push-1")).await;
            let Down::Event(ev) = d else { unreachable!() };
            assert_eq!(ev.cmd, restock("P02", 40));
        }
    });
    // The same answer through the daemon as embedded.
    let out = site.cli(&["stock", "--point", "P02", "--item", "rice", "--json"]);
    assert!(out.status.success());
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(rows[0]["qty"], 40.0);
}

#[test]
fn cli_goes_through_the_daemon_when_it_runs() {
    let site = Site::new();
    let out = site.cli(&["log", "restock", "--point", "P01", "--item", "rice", "--qty", "12", "--id", "via-daemon"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // A rejection through the daemon still exits 2 naming the field.
    let out = site.cli(&["log", "dispatch", "--from", "P01", "--to-village", "V01", "--item", "rice", "--qty", "500"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("qty: only 12 kg in stock at P01"));
    let out = site.cli(&["check"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    let out = site.cli(&["export", "events"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.lines().any(|l| l.contains("\"cmd_id\":\"via-daemon\"") && l.contains("\"face\":\"cli\"")));
    // While the daemon holds the store, opening it directly is refused with a plain message.
    let out = site.cli(&["init"]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("served by the running baogong daemon"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

async fn raw(path: &Path) -> Framed<UnixStream, tokio_util::codec::LengthDelimitedCodec> {
    let stream = UnixStream::connect(path.join(proto::SOCKET)).await.expect("connect");
    Framed::new(stream, proto::codec())
}

async fn next_down(conn: &mut Framed<UnixStream, tokio_util::codec::LengthDelimitedCodec>) -> Option<Down> {
    match tokio::time::timeout(Duration::from_secs(10), conn.next()).await.expect("timed out") {
        Some(Ok(b)) => Some(serde_json::from_slice(&b).expect("a Down frame")),
        _ => None,
    }
}

#[test]
fn protocol_abuse_is_refused_and_others_keep_being_served() {
    let site = Site::new();
    let data = site.data();
    rt().block_on(async {
        let (mut watcher, _) = client::connect(&data, FaceKind::Console, true).await.expect("attach");
        // A wrong protocol version.
        let mut c = raw(&data).await;
        let hello = serde_json::json!({"type": "hello", "protocol_version": 99, "face": "console"});
        c.send(Bytes::from(hello.to_string())).await.expect("send");
        match next_down(&mut c).await {
            Some(Down::Refused { reason }) => assert!(reason.contains("protocol version 99"), "{reason}"),
            other => panic!("expected a refusal, got {other:?}"),
        }
        assert!(next_down(&mut c).await.is_none(), "the connection must be closed");
        // Garbage instead of JSON.
        let mut c = raw(&data).await;
        c.send(Bytes::from_static(b"\x00\xffnot json at all")).await.expect("send");
        match next_down(&mut c).await {
            Some(Down::Refused { reason }) => assert!(reason.contains("not a baogong frame"), "{reason}"),
            other => panic!("expected a refusal, got {other:?}"),
        }
        // Valid JSON of the wrong shape.
        let mut c = raw(&data).await;
        c.send(Bytes::from_static(br#"{"type":"submit","cmd":"nothing"}"#)).await.expect("send");
        assert!(matches!(next_down(&mut c).await, Some(Down::Refused { .. })));
        // An oversized frame: the length prefix alone exceeds the limit.
        let mut s = UnixStream::connect(data.join(proto::SOCKET)).await.expect("connect");
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        s.write_all(&(64u32 * 1024 * 1024).to_be_bytes()).await.expect("write");
        // The daemon may already have hung up on the length alone: a failed write is fine.
        let _ = s.write_all(&[b'x'; 1024]).await;
        let mut buf = Vec::new();
        let _ = tokio::time::timeout(Duration::from_secs(10), s.read_to_end(&mut buf)).await.expect("closed in time");
        let text = String::from_utf8_lossy(&buf);
        assert!(text.contains("refused") || buf.is_empty(), "{text}");
        // Random bytes with a plausible length.
        let mut s = UnixStream::connect(data.join(proto::SOCKET)).await.expect("connect");
        let _ = s.write_all(&[0, 0, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8]).await;
        let mut buf = Vec::new();
        let _ = tokio::time::timeout(Duration::from_secs(10), s.read_to_end(&mut buf)).await.expect("closed in time");
        // The watcher still gets live events, and a new client still gets served.
        let (mut writer, _) = client::connect(&data, FaceKind::Cli, false).await.expect("attach after abuse");
        let reply =
            writer.submit(Request { cmd_id: "after-abuse".into(), cmd: restock("P01", 5) }).await.expect("reply");
        assert!(reply.is_ok());
        until(&mut watcher, 10, |d| matches!(d, Down::Event(ev) if ev.cmd_id == "after-abuse")).await;
    });
    assert!(site.log().contains("serving"), "{}", site.log());
}

#[test]
fn daemon_killed_and_restarted_loses_nothing_and_applies_nothing_twice() {
    let mut site = Site::new();
    let data = site.data();
    let total = 60usize;
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    let submitter = std::thread::spawn(move || {
        rt().block_on(async {
            for n in 0..total {
                let id = format!("k-{n}");
                // Retry the same id until it is acknowledged, whatever happens to the daemon.
                loop {
                    let attempt = async {
                        let (mut s, _) = client::connect(&data, FaceKind::Cli, false).await?;
                        s.submit(Request { cmd_id: id.clone(), cmd: restock("P01", 1) }).await
                    };
                    match tokio::time::timeout(Duration::from_secs(5), attempt).await {
                        Ok(Ok(Ok(_))) => break,
                        Ok(Ok(Err(Refusal::Rejected(r)))) => panic!("rejected: {r}"),
                        Ok(Ok(Err(Refusal::Failed { message }))) => panic!("failed: {message}"),
                        Ok(Err(AttachError::Refused(r))) => panic!("refused: {r}"),
                        _ => tokio::time::sleep(Duration::from_millis(30)).await,
                    }
                }
                let _ = tx.send(id);
            }
        })
    });
    let mut acked = Vec::new();
    for round in 0..4 {
        std::thread::sleep(Duration::from_millis(150 + 70 * round));
        acked.extend(rx.try_iter());
        site.kill();
        std::thread::sleep(Duration::from_millis(100));
        site.start();
    }
    submitter.join().expect("submitter");
    acked.extend(rx.try_iter());
    assert_eq!(acked.len(), total, "every command was acknowledged in the end");
    let out = site.cli(&["export", "events"]);
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("event json");
        if let Some(id) = v["cmd_id"].as_str().filter(|id| id.starts_with("k-")) {
            *count.entry(id.to_string()).or_default() += 1;
        }
    }
    for id in &acked {
        assert_eq!(count.get(id), Some(&1), "{id} must be present exactly once");
    }
    assert_eq!(count.len(), total);
    let out = site.cli(&["stock", "--point", "P01", "--item", "rice", "--json"]);
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(rows[0]["qty"], total as f64, "stock equals the acknowledged restocks");
    let out = site.cli(&["check"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(site.log().contains("removed a stale socket"), "a killed daemon leaves its socket behind: {}", site.log());
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// Runs the CLI as another uid (root only).
fn cli_as(site: &Site, uid: u32, args: &[&str]) -> std::process::Output {
    use std::os::unix::process::CommandExt;
    bin().arg("--data").arg(site.data()).args(args).uid(uid).gid(uid).output().expect("cli as uid")
}

#[test]
fn roles_are_enforced_by_the_daemon_for_other_users() {
    if !is_root() {
        eprintln!("skipped: needs root to run clients as other uids");
        return;
    }
    let site = Site::new();
    site.write_config("[access]\nuid4242 = \"viewer\"\nuid4243 = \"point:P01\"\n");
    // The config is read at start: restart the daemon to pick it up.
    let mut site = site;
    site.kill();
    site.start();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(site.tmp.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    std::fs::set_permissions(site.data(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    std::fs::set_permissions(site.data().join(proto::SOCKET), std::fs::Permissions::from_mode(0o666)).expect("chmod");
    let stderr = |o: &std::process::Output| String::from_utf8_lossy(&o.stderr).to_string();
    // A viewer reads but cannot write.
    let out = cli_as(&site, 4242, &["stock", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = cli_as(&site, 4242, &["log", "restock", "--point", "P01", "--item", "rice", "--qty", "1"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("read-only"), "{}", stderr(&out));
    // A clerk writes for its own point only.
    let out = cli_as(&site, 4243, &["log", "restock", "--point", "P01", "--item", "rice", "--qty", "3"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = cli_as(&site, 4243, &["log", "restock", "--point", "P02", "--item", "rice", "--qty", "3"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("writes only for P01"), "{}", stderr(&out));
    let out = cli_as(&site, 4243, &["level", "level2"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not allowed for role point:P01"), "{}", stderr(&out));
    // An unlisted user is refused at the handshake, by name.
    let out = cli_as(&site, 4244, &["stock"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("user uid4244 is not listed"), "{}", stderr(&out));
    // Every event records the OS user and face.
    let out = site.cli(&["export", "events"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.lines().any(|l| l.contains("\"actor\":\"uid4243\"") && l.contains("\"face\":\"cli\"")));
}
