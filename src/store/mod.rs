//! The store: the only module that imports sled. Trees: `meta` (schema version), `events`
//! (`keys::EVENTS_PER_ROW` consecutive events per row, as JSON lines, keyed by the row number
//! big-endian), `views` (every view row, keyed by a view tag and the row's key; see `keys`),
//! `idem` (client command ids with their sequence numbers, in 65,536 buckets by a hash of the
//! id). One batch's events, view rows and ids commit in one sled transaction; `flush` makes them
//! durable, and the engine acknowledges only after it. Opening loads the stored views; it never
//! replays events. Row packing is in `rows`, key encoding in `keys`, opening's load in `load`,
//! the rebuild check in `check`. Never imports the engine, the link or a face.
//!
//! Why rows are packed: sled 0.34 splits a leaf page beyond 16 entries and, from the moment it
//! opens, holds a few hundred bytes in memory for every page (its page table, fed by a snapshot
//! that lists every page). One row per event, per command id and per delivery made a store of
//! 1,000,000 events ~250,000 pages and ~110 MB before the first read; packed, it is a tenth.
//!
//! Faults: opening refuses a world-writable data directory, names a full disk and a read-only
//! file system as such, and clears a snapshot sled began but never finished. After a failed
//! write sled refuses every later one until reopened (`reopen`); `check_room` refuses to write
//! with less than `SPARE_BYTES` free; `salvage` reads a damaged store without its snapshots.
//! The process holding the store writes `DIR/baogong.pid` (its pid and what it is, `Holder`),
//! so that another can say who holds it.

mod check;
mod county;
pub mod keys;
mod load;
pub mod rows;
mod uplink;
mod words;

pub use check::{check, CheckReport};
pub use county::CountyStore;

use crate::domain::state::{Dispatch, State, ViewKey};
use crate::domain::Event;
use sled::transaction::{ConflictableTransactionError, TransactionError};
use sled::Transactional;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// The schema this build reads and writes.
pub const SCHEMA_VERSION: u64 = 2;

/// Free space a write needs on the store's file system (two of sled's 512 KiB log segments,
/// a snapshot and headroom).
pub const SPARE_BYTES: u64 = 4 * 1024 * 1024;

/// Why the store could not be used, in words a duty officer can act on.
#[derive(Debug)]
pub enum StoreError {
    Locked {
        dir: PathBuf,
        pid: Option<u32>,
        /// What holds it, as that process recorded next to its pid.
        holder: Option<Holder>,
    },
    NewerSchema {
        dir: PathBuf,
        found: u64,
    },
    OlderSchema {
        dir: PathBuf,
        found: u64,
    },
    Corrupt {
        dir: PathBuf,
        detail: String,
    },
    Io {
        dir: PathBuf,
        detail: String,
    },
    /// The disk (or the quota, or the file size limit) has no room for another write.
    Full {
        dir: PathBuf,
        detail: String,
    },
    /// The file system holding the store is mounted read-only.
    ReadOnly {
        dir: PathBuf,
    },
    /// The data directory (or the store in it) is writable by every user.
    Insecure {
        dir: PathBuf,
        mode: u32,
    },
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Locked { dir, pid, holder: Some(Holder::Daemon) } => {
                let who = pid.map(|p| format!(" (pid {p})")).unwrap_or_default();
                write!(
                    f,
                    "the store at {} is held by the baogong daemon{who}, which is starting and has not opened its socket yet; try again in a moment, or see its log if this lasts",
                    dir.display()
                )
            }
            StoreError::Locked { dir, pid, holder } => {
                let who = pid.map(|p| format!(" (pid {p})")).unwrap_or_default();
                let what = holder.map_or("another baogong", Holder::described);
                write!(
                    f,
                    "the store at {} is held by {what}{who} that opened it directly; close that one, then start `baogong serve` so that several consoles and commands can work at once",
                    dir.display()
                )
            }
            StoreError::NewerSchema { dir, found } => write!(
                f,
                "the store at {} has schema version {found}, newer than this baogong understands ({SCHEMA_VERSION}); use a newer baogong, or move the data with `baogong export events` from one",
                dir.display()
            ),
            StoreError::OlderSchema { dir, found } => write!(
                f,
                "the store at {} has schema version {found}, older than this baogong's ({SCHEMA_VERSION}); export it with `baogong export events` using the baogong that wrote it, then `baogong import events` into an empty data directory with this one",
                dir.display()
            ),
            StoreError::Corrupt { dir, detail } => write!(
                f,
                "the store at {} is damaged ({detail}); save what `baogong export events > FILE` can still read (it also tries without sled's snapshot), then restore that, or your latest exported log, into a new data directory with `baogong import events FILE`",
                dir.display()
            ),
            StoreError::Io { dir, detail } => write!(f, "the store at {} cannot be used: {detail}", dir.display()),
            StoreError::Full { dir, detail } => write!(
                f,
                "disk full: the store at {} has no room to write ({detail}); nothing was saved. Free space on that disk: baogong saves again by itself once there is room, no restart needed",
                dir.display()
            ),
            StoreError::ReadOnly { dir } => write!(
                f,
                "read-only: the store at {} is on a read-only file system; nothing was saved. Remount it read-write (or move the data directory), then try again",
                dir.display()
            ),
            StoreError::Insecure { dir, mode } => write!(
                f,
                "refusing to use {}: it is writable by every user (mode {mode:04o}), so anyone could replace the store or the socket; run `chmod o-w {}` and start again",
                dir.display(),
                dir.display()
            ),
        }
    }
}

impl std::error::Error for StoreError {}

impl StoreError {
    /// The data directory the error is about.
    pub fn dir(&self) -> &Path {
        match self {
            StoreError::Full { dir, .. } | StoreError::Io { dir, .. } | StoreError::Corrupt { dir, .. } => dir,
            StoreError::ReadOnly { dir } | StoreError::Insecure { dir, .. } | StoreError::Locked { dir, .. } => dir,
            StoreError::NewerSchema { dir, .. } | StoreError::OlderSchema { dir, .. } => dir,
        }
    }

    /// What went wrong in a few words, without the advice of the full message (which, for a
    /// failed write, says that nothing was saved).
    pub fn cause(&self) -> String {
        match self {
            StoreError::Full { detail, .. } => format!("disk full: {detail}"),
            StoreError::Io { detail, .. } | StoreError::Corrupt { detail, .. } => detail.clone(),
            StoreError::ReadOnly { .. } => "read-only file system".into(),
            other => other.to_string(),
        }
    }

    /// A sled error in words: a full disk and a read-only file system named as such.
    fn of_sled(dir: &Path, e: &sled::Error) -> StoreError {
        match e {
            sled::Error::Io(io) => StoreError::of_io(dir, io),
            sled::Error::Corruption { .. } | sled::Error::Unsupported(_) | sled::Error::ReportableBug(_) => {
                StoreError::Corrupt { dir: dir.to_path_buf(), detail: e.to_string() }
            }
            other => StoreError::Io { dir: dir.to_path_buf(), detail: other.to_string() },
        }
    }

    fn of_io(dir: &Path, e: &std::io::Error) -> StoreError {
        use std::io::ErrorKind as K;
        let dir = dir.to_path_buf();
        let detail = match e.kind() {
            K::StorageFull => "no space left on the device",
            K::QuotaExceeded => "disk quota exceeded",
            K::FileTooLarge => "file size limit reached",
            K::ReadOnlyFilesystem => return StoreError::ReadOnly { dir },
            _ => return StoreError::Io { dir, detail: e.to_string() },
        };
        StoreError::Full { dir, detail: detail.into() }
    }
}

/// Refuses a data directory (and the store in it) that every user may write to.
fn check_permissions(dir: &Path) -> Result<(), StoreError> {
    use std::os::unix::fs::PermissionsExt;
    for d in [dir.to_path_buf(), dir.join("store")] {
        if let Ok(meta) = std::fs::metadata(&d) {
            let mode = meta.permissions().mode() & 0o7777;
            if mode & 0o002 != 0 {
                return Err(StoreError::Insecure { dir: d, mode });
            }
        }
    }
    Ok(())
}

pub struct Store {
    dir: PathBuf,
    /// `None` once closed after a failed write, until `reopen` succeeds.
    t: Option<Trees>,
}

/// The open sled database and its trees.
struct Trees {
    db: sled::Db,
    meta: sled::Tree,
    events: sled::Tree,
    views: sled::Tree,
    idem: sled::Tree,
}

fn pid_file(dir: &Path) -> PathBuf {
    dir.join("baogong.pid")
}

/// What kind of baogong process holds a store, recorded next to its pid in `baogong.pid`
/// (`PID KIND`) so that another process can say who it waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder {
    /// `baogong serve`.
    Daemon,
    Console,
    Point,
    Wall,
    /// A one-shot subcommand (an import, a restore ...).
    Command,
}

impl Holder {
    const ALL: [Holder; 5] = [Holder::Daemon, Holder::Console, Holder::Point, Holder::Wall, Holder::Command];

    fn word(self) -> &'static str {
        match self {
            Holder::Daemon => "daemon",
            Holder::Console => "console",
            Holder::Point => "point",
            Holder::Wall => "wall",
            Holder::Command => "command",
        }
    }

    fn described(self) -> &'static str {
        match self {
            Holder::Daemon => "the baogong daemon",
            Holder::Console => "a baogong console",
            Holder::Point => "a baogong point terminal",
            Holder::Wall => "a baogong wall display",
            Holder::Command => "a baogong command",
        }
    }
}

/// What this process is, recorded with its pid whenever it opens a store.
static HOLDER: std::sync::OnceLock<Holder> = std::sync::OnceLock::new();

/// Declares what this process is (once; a later call changes nothing), before it opens a store.
pub fn declare_holder(holder: Holder) {
    let _ = HOLDER.set(holder);
}

/// The process that last claimed the store in `dir` and what it is (an older baogong wrote the
/// pid alone). Says nothing of whether that process still runs.
pub fn claimant(dir: &Path) -> Option<(u32, Option<Holder>)> {
    let text = std::fs::read_to_string(pid_file(dir)).ok()?;
    let mut words = text.split_whitespace();
    let pid = words.next()?.parse::<u32>().ok()?;
    let holder = words.next().and_then(|w| Holder::ALL.into_iter().find(|h| h.word() == w));
    Some((pid, holder))
}

impl Store {
    /// Opens (creating if needed) the store in `dir/store`. A data directory writable by every
    /// user is refused.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        check_permissions(dir)?;
        // Created here, it is private to the daemon's user and group whatever the umask.
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o750)
            .create(dir.join("store"))
            .map_err(|e| StoreError::of_io(dir, &e))?;
        let store = Store { dir: dir.to_path_buf(), t: Some(Trees::open(dir)?) };
        // Best effort: name ourselves so a second process can say who holds the store.
        let claim = match HOLDER.get() {
            Some(h) => format!("{} {}", std::process::id(), h.word()),
            None => std::process::id().to_string(),
        };
        let _ = std::fs::write(pid_file(dir), claim);
        Ok(store)
    }

    /// Closes sled and opens the store again from what is on disk. After a failed write sled
    /// refuses every later write until it is reopened, and its memory may hold the failed
    /// transaction: only a reopen shows what was really saved. On failure the store stays
    /// closed (every call returns that error) until a later `reopen` succeeds.
    pub fn reopen(&mut self) -> Result<(), StoreError> {
        // sled locks its files: the old handles must be gone before new ones open.
        self.t = None;
        self.t = Some(Trees::open(&self.dir)?);
        Ok(())
    }

    /// Opens a copy of a damaged store for reading what is left: the store's files are copied
    /// into `scratch` (which must not exist yet) without sled's snapshot files, so sled rebuilds
    /// its index from the log alone. Recovers a store whose only damage is a bad snapshot; the
    /// original files are not touched.
    pub fn salvage(dir: &Path, scratch: &Path) -> Result<Store, StoreError> {
        let io = |e: std::io::Error| StoreError::of_io(scratch, &e);
        let to = scratch.join("store");
        std::fs::create_dir_all(&to).map_err(io)?;
        for entry in std::fs::read_dir(dir.join("store")).map_err(io)? {
            let entry = entry.map_err(io)?;
            let name = entry.file_name();
            if entry.file_type().map_err(io)?.is_file() && !name.to_string_lossy().starts_with("snap.") {
                std::fs::copy(entry.path(), to.join(&name)).map_err(io)?;
            }
        }
        Ok(Store { dir: scratch.to_path_buf(), t: Some(Trees::open(scratch)?) })
    }

    /// Writes the schema version (for a migration; tests use it to make a store look newer).
    pub fn stamp_schema(&self, version: u64) -> Result<(), StoreError> {
        self.t()?.meta.insert("schema", &version.to_be_bytes()).map_err(|e| self.sled(&e))?;
        self.flush()
    }

    /// Refuses to write when the file system holding the store has less than `SPARE_BYTES`
    /// free: sled poisons itself on a failed write (and 0.34.7 can leave a half-written
    /// snapshot behind), so it is better never to let it run into a full disk.
    pub fn check_room(&self) -> Result<(), StoreError> {
        use std::os::unix::ffi::OsStrExt;
        let Ok(path) = std::ffi::CString::new(self.dir.join("store").as_os_str().as_bytes()) else { return Ok(()) };
        // SAFETY: statvfs fills the zeroed struct we own from a NUL-terminated path.
        let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
        if unsafe { libc::statvfs(path.as_ptr(), &mut st) } != 0 {
            return Ok(());
        }
        if st.f_flag & libc::ST_RDONLY != 0 {
            return Err(StoreError::ReadOnly { dir: self.dir.clone() });
        }
        let free = (st.f_bavail as u64).saturating_mul(st.f_frsize as u64);
        if free < SPARE_BYTES {
            return Err(StoreError::Full {
                dir: self.dir.clone(),
                detail: format!("{} KiB free, baogong keeps {} KiB spare", free / 1024, SPARE_BYTES / 1024),
            });
        }
        Ok(())
    }

    /// Whether the store is open (not closed after a failed write).
    pub fn is_open(&self) -> bool {
        self.t.is_some()
    }

    fn t(&self) -> Result<&Trees, StoreError> {
        self.t.as_ref().ok_or_else(|| StoreError::Io {
            dir: self.dir.clone(),
            detail: "closed after a failed write, and not yet reopened".into(),
        })
    }
}

/// Removes snapshot files sled began but never finished (`snap.<lsn>.generating`). sled 0.34.7
/// writes a snapshot under that name and renames it when complete, but reads the newest
/// `snap.*` file whatever its suffix: one left empty by a full disk makes every later open
/// fail as corrupt. Only done while holding sled's own lock on `store/db`, so never under a
/// process that has the store open.
fn clear_unfinished_snapshots(dir: &Path) {
    use std::os::fd::AsRawFd;
    let store = dir.join("store");
    let Ok(db) = std::fs::OpenOptions::new().read(true).write(true).open(store.join("db")) else { return };
    // SAFETY: flock on a descriptor we own; the lock goes when `db` is closed below.
    if unsafe { libc::flock(db.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0 {
        return;
    }
    if let Ok(entries) = std::fs::read_dir(&store) {
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with("snap.") && name.ends_with(".generating") {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    drop(db);
}

impl Trees {
    fn open(dir: &Path) -> Result<Trees, StoreError> {
        let io = |e: &sled::Error| StoreError::of_sled(dir, e);
        clear_unfinished_snapshots(dir);
        let config =
            sled::Config::new().path(dir.join("store")).cache_capacity(32 * 1024 * 1024).flush_every_ms(Some(500));
        let locked = |e: &sled::Error| matches!(e, sled::Error::Io(ioe) if ioe.kind() == std::io::ErrorKind::WouldBlock || ioe.to_string().contains("lock"));
        // A lock nobody else claims (no pid file, or this process's own: a reopen) is one being
        // let go: a store just closed, whose sled threads are finishing. Wait for it up to two
        // seconds before calling it held.
        let letting_go = || claimant(dir).is_none_or(|(pid, _)| pid == std::process::id());
        let mut tries = 0;
        let db = loop {
            match config.open() {
                Err(e) if locked(&e) && letting_go() && tries < 40 => {
                    tries += 1;
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
                Err(e) if locked(&e) => {
                    let (pid, holder) = claimant(dir).map_or((None, None), |(p, h)| (Some(p), h));
                    return Err(StoreError::Locked { dir: dir.to_path_buf(), pid, holder });
                }
                other => break other.map_err(|e| io(&e))?,
            }
        };
        let tree = |name: &str| db.open_tree(name).map_err(|e| io(&e));
        let store =
            Trees { meta: tree("meta")?, events: tree("events")?, views: tree("views")?, idem: tree("idem")?, db };
        match store.meta.get("schema").map_err(|e| io(&e))? {
            None => {
                store.meta.insert("schema", &SCHEMA_VERSION.to_be_bytes()).map_err(|e| io(&e))?;
                store.db.flush().map_err(|e| io(&e))?;
            }
            Some(v) => {
                let found = v.as_ref().try_into().map(u64::from_be_bytes).map_err(|_| StoreError::Corrupt {
                    dir: dir.to_path_buf(),
                    detail: "unreadable schema version".into(),
                })?;
                if found > SCHEMA_VERSION {
                    return Err(StoreError::NewerSchema { dir: dir.to_path_buf(), found });
                }
                if found < SCHEMA_VERSION {
                    return Err(StoreError::OlderSchema { dir: dir.to_path_buf(), found });
                }
            }
        }
        if store.meta.get("restoring").map_err(|e| io(&e))?.is_some() {
            return Err(StoreError::Corrupt {
                dir: dir.to_path_buf(),
                detail: "a restore from a backup was interrupted; delete this data directory and run `baogong import events` again".into(),
            });
        }
        Ok(store)
    }
}

impl Store {
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn corrupt(&self, detail: impl fmt::Display) -> StoreError {
        StoreError::Corrupt { dir: self.dir.clone(), detail: detail.to_string() }
    }

    fn io(&self, e: impl fmt::Display) -> StoreError {
        StoreError::Io { dir: self.dir.clone(), detail: e.to_string() }
    }

    fn sled(&self, e: &sled::Error) -> StoreError {
        StoreError::of_sled(&self.dir, e)
    }

    /// Whether no event has been recorded yet.
    pub fn is_empty(&self) -> bool {
        self.t.as_ref().is_some_and(|t| t.events.is_empty())
    }

    /// The sequence number of the last event, 0 if none.
    pub fn last_seq(&self) -> Result<u64, StoreError> {
        match self.t()?.events.last().map_err(|e| self.sled(&e))? {
            None => Ok(0),
            Some((k, v)) => {
                let row = self.row_number(&k)?;
                Ok(keys::first_seq(row) + lines(&v).count() as u64 - 1)
            }
        }
    }

    fn row_number(&self, key: &[u8]) -> Result<u64, StoreError> {
        key.try_into().map(u64::from_be_bytes).map_err(|_| self.corrupt("bad event key"))
    }

    /// The events of one row of the `events` tree, each an error if unreadable.
    fn row_events(&self, key: &[u8], value: &[u8]) -> Vec<Result<Event, StoreError>> {
        let row = match self.row_number(key) {
            Ok(row) => row,
            Err(e) => return vec![Err(e)],
        };
        lines(value)
            .enumerate()
            .map(|(i, line)| {
                let seq = keys::first_seq(row) + i as u64;
                serde_json::from_slice(line).map_err(|e| self.corrupt(format!("event {seq}: {e}")))
            })
            .collect()
    }

    /// The sequence number already recorded for a client command id.
    pub fn seen(&self, cmd_id: &str) -> Result<Option<u64>, StoreError> {
        match self.t()?.idem.get(keys::id_bucket(cmd_id)).map_err(|e| self.sled(&e))? {
            None => Ok(None),
            Some(bucket) => keys::find_id(&bucket, cmd_id).map_err(|_| self.corrupt("bad command id bucket")),
        }
    }

    pub fn event(&self, seq: u64) -> Result<Option<Event>, StoreError> {
        if seq == 0 {
            return Ok(None);
        }
        let row = keys::event_row(seq);
        let Some(v) = self.t()?.events.get(keys::row_key(row)).map_err(|e| self.sled(&e))? else { return Ok(None) };
        let index = (seq - keys::first_seq(row)) as usize;
        let Some(line) = lines(&v).nth(index) else { return Ok(None) };
        let ev: Event = serde_json::from_slice(line).map_err(|e| self.corrupt(format!("event {seq}: {e}")))?;
        if ev.seq != seq {
            return Err(self.corrupt(format!("event {seq} is stored as event {}", ev.seq)));
        }
        Ok(Some(ev))
    }

    /// Every event in order; a damaged one is an error item, and iteration goes on.
    pub fn events(&self) -> impl Iterator<Item = Result<Event, StoreError>> + '_ {
        let (trees, closed) = split(self.t());
        let evs = trees.into_iter().flat_map(|t| t.events.iter()).flat_map(move |kv| match kv {
            Ok((k, v)) => self.row_events(&k, &v),
            Err(e) => vec![Err(self.sled(&e))],
        });
        closed.into_iter().map(Err).chain(evs)
    }

    /// Up to `limit` events from sequence number `from` on.
    pub fn events_from(&self, from: u64, limit: usize) -> Result<Vec<Event>, StoreError> {
        self.t()?
            .events
            .range(keys::row_key(keys::event_row(from))..)
            .flat_map(|kv| match kv {
                Ok((k, v)) => self.row_events(&k, &v),
                Err(e) => vec![Err(self.sled(&e))],
            })
            .filter(|ev| ev.as_ref().map_or(true, |ev| ev.seq >= from))
            .take(limit)
            .collect()
    }

    /// A dispatch from the full history (for those no longer held in memory): its row (a
    /// transfer, or one of the newest deliveries to villages), or for an older delivery (final
    /// when sent, no row kept) its event.
    pub fn dispatch(&self, id: u64) -> Option<Dispatch> {
        let t = self.t.as_ref()?;
        for key in [ViewKey::Dispatch(id), ViewKey::Delivery(id)] {
            if let Some(v) = t.views.get(keys::encode(&key)).ok()? {
                return serde_json::from_slice(&v).ok();
            }
        }
        self.event(id).ok()?.as_ref().and_then(Dispatch::of_event).filter(|d| d.id == id)
    }

    /// Every stored row of the views, in key order (for `check`).
    pub(crate) fn view_rows(&self) -> impl Iterator<Item = Result<(sled::IVec, sled::IVec), StoreError>> + '_ {
        let (trees, closed) = split(self.t());
        let rows = trees.into_iter().flat_map(|t| t.views.iter()).map(move |kv| kv.map_err(|e| self.sled(&e)));
        closed.into_iter().map(Err).chain(rows)
    }

    /// Writes one event with the view rows it touched (as `state` now holds them) and its
    /// command id, atomically. Not durable until `flush`.
    pub fn commit(&self, ev: &Event, touched: &[ViewKey], state: &State) -> Result<(), StoreError> {
        self.commit_batch(std::slice::from_ref(ev), touched, state)
    }

    /// Writes events with the view rows they touched (as `state` now holds them) and their
    /// command ids in one transaction: all or nothing. Not durable until `flush`. One sled
    /// transaction writes out sled's log buffer, so a batch costs about what one command does.
    pub fn commit_batch<'a>(
        &self,
        evs: &[Event],
        touched: impl IntoIterator<Item = &'a ViewKey>,
        state: &State,
    ) -> Result<(), StoreError> {
        let encoded = evs
            .iter()
            .map(|ev| serde_json::to_vec(ev).map_err(|e| self.io(e)))
            .collect::<Result<Vec<_>, StoreError>>()?;
        self.commit_encoded(evs, &encoded, touched, state)
    }

    /// `commit_batch` with each event's JSON already at hand (a restore writes the exported
    /// lines as they are). The events must follow the last stored one without a gap.
    pub fn commit_encoded<'a>(
        &self,
        evs: &[Event],
        encoded: &[Vec<u8>],
        touched: impl IntoIterator<Item = &'a ViewKey>,
        state: &State,
    ) -> Result<(), StoreError> {
        // Lines to append per row of `events`, entries to append per bucket of `idem`.
        let mut event_rows: BTreeMap<[u8; 8], Vec<u8>> = BTreeMap::new();
        let mut buckets: BTreeMap<[u8; 2], Vec<u8>> = BTreeMap::new();
        for (ev, json) in evs.iter().zip(encoded) {
            if json.contains(&b'\n') {
                return Err(self.io(format!("event {} spans lines", ev.seq)));
            }
            let lines = event_rows.entry(keys::row_key(keys::event_row(ev.seq))).or_default();
            if !lines.is_empty() {
                lines.push(b'\n');
            }
            lines.extend_from_slice(json);
            keys::push_id(buckets.entry(keys::id_bucket(&ev.cmd_id)).or_default(), &ev.cmd_id, ev.seq);
        }
        let rows: Vec<(Vec<u8>, Option<Vec<u8>>)> =
            touched.into_iter().map(|k| (keys::encode(k), state.stored_row(k))).collect();
        let t = self.t()?;
        let result: Result<(), TransactionError<()>> =
            (&t.events, &t.views, &t.idem).transaction(|(events_tree, views, idem)| {
                for (key, new) in &event_rows {
                    let value = match events_tree.get(key)? {
                        Some(old) => [old.as_ref(), b"\n", new].concat(),
                        None => new.clone(),
                    };
                    events_tree.insert(key, value)?;
                }
                for (key, new) in &buckets {
                    let value = match idem.get(key)? {
                        Some(old) => [old.as_ref(), new].concat(),
                        None => new.clone(),
                    };
                    idem.insert(key, value)?;
                }
                for (k, v) in &rows {
                    match v {
                        Some(v) => views.insert(k.as_slice(), v.as_slice())?,
                        None => views.remove(k.as_slice())?,
                    };
                }
                Ok::<(), ConflictableTransactionError<()>>(())
            });
        result.map_err(|e| match e {
            TransactionError::Storage(e) => self.sled(&e),
            TransactionError::Abort(()) => self.io("the transaction was aborted"),
        })
    }

    /// Marks the store as being restored from a backup (or done, `false`). Opening a store whose
    /// restore was interrupted is refused with a plain message.
    pub fn mark_restoring(&self, restoring: bool) -> Result<(), StoreError> {
        if restoring {
            self.t()?.meta.insert("restoring", &[1u8]).map_err(|e| self.sled(&e))?;
        } else {
            self.t()?.meta.remove("restoring").map_err(|e| self.sled(&e))?;
        }
        self.flush()
    }

    /// Makes everything committed so far durable.
    pub fn flush(&self) -> Result<(), StoreError> {
        self.t()?.db.flush().map(|_| ()).map_err(|e| self.sled(&e))
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        if let Some(t) = &self.t {
            let _ = t.db.flush();
        }
        let _ = std::fs::remove_file(pid_file(&self.dir));
    }
}

/// The trees, or why there are none, as two options (for iterators that yield the error once).
fn split(t: Result<&Trees, StoreError>) -> (Option<&Trees>, Option<StoreError>) {
    match t {
        Ok(t) => (Some(t), None),
        Err(e) => (None, Some(e)),
    }
}

/// The JSON lines of a row of the `events` tree.
fn lines(value: &[u8]) -> impl Iterator<Item = &[u8]> {
    value.split(|b| *b == b'\n').filter(|l| !l.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// "Perhaps not saved" is built from the cause alone: the full message of a failed write
    /// says nothing was saved, which is what such a reply cannot know.
    #[test]
    fn a_failed_writes_cause_leaves_out_the_claim_that_nothing_was_saved() {
        let e = StoreError::Full { dir: "/srv/baogong".into(), detail: "file size limit reached".into() };
        assert!(e.to_string().contains("nothing was saved"));
        assert_eq!(e.cause(), "disk full: file size limit reached");
        assert_eq!(e.dir(), Path::new("/srv/baogong"));
        assert_eq!(StoreError::ReadOnly { dir: "/srv/baogong".into() }.cause(), "read-only file system");
    }

    /// A store written by another schema is refused with a plain message, not misread.
    #[test]
    fn other_schemas_are_refused_plainly() {
        for (found, word) in [(SCHEMA_VERSION - 1, "older"), (SCHEMA_VERSION + 1, "newer")] {
            let dir = tempfile::tempdir().unwrap();
            {
                let store = Store::open(dir.path()).unwrap();
                store.stamp_schema(found).unwrap();
            }
            let message = Store::open(dir.path()).err().expect("refused").to_string();
            assert!(message.contains(&format!("schema version {found}, {word}")), "{message}");
            assert!(message.contains("export events"), "{message}");
        }
    }
}
