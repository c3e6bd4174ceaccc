//! A real `baogong` in a pseudo-terminal (portable-pty + vt100), no tmux: the demo store
//! seeded once per test binary and copied per test, a `Console` that spawns a face, reads its
//! screen and types into it, and waits that fail with the screen printed.
#![allow(dead_code)]

use baogong::domain::Qty;
use portable_pty::{native_pty_system, Child, CommandBuilder, MasterPty, PtySize};
use serde_json::Value;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_baogong");
/// Generous: a debug build on a busy machine loads the demo store in a few seconds.
pub const TIMEOUT: Duration = Duration::from_secs(20);

/// Where copies of the store go: memory if there is a tmpfs (sled flushes a lot), else target/tmp.
pub fn scratch() -> PathBuf {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        shm.to_path_buf()
    } else {
        PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
    }
}

/// The demo town, seeded by `baogong init` once per run of this binary.
pub fn template() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("console_e2e_demo");
        let _ = std::fs::remove_dir_all(&dir);
        let seeding = tempfile::tempdir_in(scratch()).expect("temp dir");
        let out = Command::new(BIN)
            .args(["--lang", "en", "--data"])
            .arg(seeding.path())
            .arg("init")
            .output()
            .expect("run baogong init");
        assert!(out.status.success(), "init failed: {}", String::from_utf8_lossy(&out.stderr));
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.starts_with("seeded 王官庄镇"), "init said: {stdout}");
        copy_dir(seeding.path(), &dir);
        dir
    })
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("dir entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// A private copy of the demo store for one test.
pub fn demo_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir_in(scratch()).expect("temp dir");
    copy_dir(template(), dir.path());
    dir
}

/// Runs a subcommand and returns its standard output.
pub fn cli(dir: &Path, args: &[&str]) -> String {
    let out = Command::new(BIN).args(["--lang", "en", "--data"]).arg(dir).args(args).output().expect("run baogong");
    assert!(out.status.success(), "baogong {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8 output")
}

pub fn json(dir: &Path, args: &[&str]) -> Value {
    serde_json::from_str(&cli(dir, args)).expect("JSON output")
}

/// Quantity of `item` at `point`, from `baogong stock --json`.
pub fn stock_qty(dir: &Path, point: &str, item: &str) -> Qty {
    let rows = json(dir, &["stock", "--point", point, "--item", item, "--json"]);
    let q = &rows.as_array().and_then(|r| r.first()).expect("one stock row")["qty"];
    Qty::parse(&q.to_string()).expect("a quantity")
}

/// The console running in a pseudo-terminal.
pub struct Console {
    child: Box<dyn Child + Send + Sync>,
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    parser: Arc<Mutex<vt100::Parser>>,
    reader: Option<JoinHandle<()>>,
}

impl Console {
    pub fn open(dir: &Path, lang: &str, cols: u16, rows: u16) -> Console {
        let c = Console::spawn(dir, lang, cols, rows, &[]);
        c.wait_for("the console to open", |s| s.contains(" 王官庄镇 |") && s.contains("┘"));
        c
    }

    /// Runs `baogong --lang LANG --data DIR ARGS...` in a pty of `cols`x`rows`.
    pub fn spawn(dir: &Path, lang: &str, cols: u16, rows: u16, args: &[&str]) -> Console {
        let pty = native_pty_system();
        let pair = pty.openpty(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).expect("open a pty");
        let mut cmd = CommandBuilder::new(BIN);
        cmd.args(["--lang", lang, "--data"]);
        cmd.arg(dir);
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("NO_COLOR");
        cmd.cwd(dir);
        let child = pair.slave.spawn_command(cmd).expect("spawn the console");
        // Only the child holds the terminal side: reading gets EOF when it exits.
        drop(pair.slave);
        let parser = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let sink = Arc::clone(&parser);
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => sink.lock().unwrap_or_else(|p| p.into_inner()).process(&buf[..n]),
                }
            }
        });
        let writer = pair.master.take_writer().expect("pty writer");
        Console { child, master: pair.master, writer, parser, reader: Some(reader) }
    }

    /// The screen, one line per row (a double-width character counts once), rows joined by '\n'.
    pub fn screen(&self) -> String {
        let p = self.parser.lock().unwrap_or_else(|p| p.into_inner());
        let screen = p.screen();
        let (rows, cols) = screen.size();
        let mut out = String::new();
        for r in 0..rows {
            for c in 0..cols {
                match screen.cell(r, c) {
                    Some(cell) if cell.is_wide_continuation() => {}
                    Some(cell) if cell.has_contents() => out.push_str(cell.contents()),
                    _ => out.push(' '),
                }
            }
            out.push('\n');
        }
        out
    }

    /// What one cell shows ("" for the right half of a double-width character).
    pub fn cell(&self, row: u16, col: u16) -> String {
        let p = self.parser.lock().unwrap_or_else(|p| p.into_inner());
        p.screen().cell(row, col).map(|c| c.contents().to_string()).unwrap_or_default()
    }

    /// Polls the screen until `ok` holds; fails with the screen after `TIMEOUT`.
    pub fn wait_for(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if ok(&s) {
                return s;
            }
            if start.elapsed() > TIMEOUT {
                panic!("timed out after {TIMEOUT:?} waiting for {what}; the screen:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn wait_text(&self, text: &str) -> String {
        self.wait_for(&format!("{text:?} on screen"), |s| s.contains(text))
    }

    /// Sends what a keyboard would: text as typed, "\t" Tab, "\r" Enter.
    pub fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("write to the pty");
        self.writer.flush().expect("flush the pty");
    }

    /// Esc alone (followed at once by more bytes it would read as Alt-something).
    pub fn esc(&mut self) {
        self.send("\x1b");
        std::thread::sleep(Duration::from_millis(300));
    }

    pub fn resize(&mut self, cols: u16, rows: u16) {
        self.parser.lock().unwrap_or_else(|p| p.into_inner()).screen_mut().set_size(rows, cols);
        self.master.resize(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).expect("resize the pty");
    }

    pub fn pid(&self) -> i32 {
        self.child.process_id().expect("child pid") as i32
    }

    /// Waits for the process to end, then for the last of its output.
    pub fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let start = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("poll the child") {
                break status;
            }
            if start.elapsed() > TIMEOUT {
                panic!("the console did not exit within {TIMEOUT:?}; the screen:\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        if let Some(reader) = self.reader.take() {
            reader.join().expect("reader thread");
        }
        status
    }

    pub fn alternate_screen(&self) -> bool {
        self.parser.lock().unwrap_or_else(|p| p.into_inner()).screen().alternate_screen()
    }

    pub fn cursor_hidden(&self) -> bool {
        self.parser.lock().unwrap_or_else(|p| p.into_inner()).screen().hide_cursor()
    }

    /// Whether the terminal is in raw mode (no line editing, no echo).
    pub fn raw_mode(&self) -> bool {
        let fd = self.master.as_raw_fd().expect("pty fd");
        // SAFETY: a zeroed termios is a valid out-parameter; fd is the open pty master.
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        assert_eq!(unsafe { libc::tcgetattr(fd, &mut t) }, 0, "tcgetattr");
        t.c_lflag & (libc::ICANON | libc::ECHO) == 0
    }
}

impl Drop for Console {
    fn drop(&mut self) {
        // A failed test must not leave a console running.
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
