//! The store: the only module that imports sled. Trees: `meta` (schema version), `events`
//! (sequence number, big-endian → event JSON), `views` (every view row, keyed by a view tag and
//! the row's key; see `keys`), `idem` (client command id → sequence number). One command's
//! event, view rows and id commit in one sled transaction; `flush` makes them durable, and the
//! engine acknowledges only after it. Opening loads the stored views; it never replays events.
//!
//! Faults: opening refuses a world-writable data directory, names a full disk and a read-only
//! file system as such, and clears a snapshot sled began but never finished. After a failed
//! write sled refuses every later one until reopened (`reopen`); `check_room` refuses to write
//! with less than `SPARE_BYTES` free; `salvage` reads a damaged store without its snapshots.

mod check;
pub mod keys;

pub use check::{check, CheckReport};

use crate::domain::state::{Dispatch, State, View, ViewKey, HOT_CLOSED_DISPATCHES};
use crate::domain::Event;
use chrono::{Duration, NaiveDate};
use sled::transaction::{ConflictableTransactionError, TransactionError};
use sled::Transactional;
use std::fmt;
use std::path::{Path, PathBuf};

/// The schema this build reads and writes.
pub const SCHEMA_VERSION: u64 = 1;

/// Free space a write needs on the store's file system (two of sled's 512 KiB log segments,
/// a snapshot and headroom).
pub const SPARE_BYTES: u64 = 4 * 1024 * 1024;

/// Days of history (flows, prices, reports, dispatches, alerts) held in memory.
pub const HOT_DAYS: i64 = 35;

/// Why the store could not be used, in words a duty officer can act on.
#[derive(Debug)]
pub enum StoreError {
    Locked {
        dir: PathBuf,
        pid: Option<u32>,
    },
    NewerSchema {
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
            StoreError::Locked { dir, pid } => {
                let who = pid.map(|p| format!(" (pid {p})")).unwrap_or_default();
                write!(
                    f,
                    "the store at {} is held by another baogong{who} that opened it directly; close that one, then start `baogong serve` so that several consoles and commands can work at once",
                    dir.display()
                )
            }
            StoreError::NewerSchema { dir, found } => write!(
                f,
                "the store at {} has schema version {found}, newer than this baogong understands ({SCHEMA_VERSION}); use a newer baogong, or move the data with `baogong export events` from one",
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
        let _ = std::fs::write(pid_file(dir), std::process::id().to_string());
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
        let db = sled::Config::new()
            .path(dir.join("store"))
            .cache_capacity(32 * 1024 * 1024)
            .flush_every_ms(Some(500))
            .open()
            .map_err(|e| match e {
                sled::Error::Io(ref ioe)
                    if ioe.kind() == std::io::ErrorKind::WouldBlock || ioe.to_string().contains("lock") =>
                {
                    let pid = std::fs::read_to_string(pid_file(dir)).ok().and_then(|s| s.trim().parse().ok());
                    StoreError::Locked { dir: dir.to_path_buf(), pid }
                }
                other => io(&other),
            })?;
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
            Some((k, _)) => k.as_ref().try_into().map(u64::from_be_bytes).map_err(|_| self.corrupt("bad event key")),
        }
    }

    /// Loads the stored views: reference data and stock whole, histories from `today` minus
    /// `HOT_DAYS` (closed dispatches: the newest `HOT_CLOSED_DISPATCHES` of those).
    pub fn load_state(&self, today: NaiveDate) -> Result<State, StoreError> {
        let mut state = State::default();
        let cutoff = today - Duration::days(HOT_DAYS);
        for view in View::ALL {
            let tag = [keys::tag(view)];
            let load = |state: &mut State, bytes: &[u8]| {
                state.load_row(view, bytes).map_err(|e| self.corrupt(format!("{}: {e}", view.name())))
            };
            match view {
                View::Flows | View::Prices | View::Reports => {
                    let hi = [keys::tag(view) + 1];
                    for kv in self.t()?.views.range(keys::date_floor(view, cutoff)..hi.to_vec()) {
                        let (_, v) = kv.map_err(|e| self.sled(&e))?;
                        load(&mut state, &v)?;
                    }
                }
                View::Dispatches | View::Alerts | View::Handovers => {
                    // Newest first, back to the cutoff.
                    for kv in self.t()?.views.scan_prefix(tag).rev() {
                        let (_, v) = kv.map_err(|e| self.sled(&e))?;
                        let recent = recent_enough(view, &v, cutoff);
                        if !recent {
                            break;
                        }
                        load(&mut state, &v)?;
                        if view == View::Handovers && state.handovers.len() >= 200 {
                            break;
                        }
                        // Those in transit come through their index below.
                        if view == View::Dispatches && state.dispatches.len() >= HOT_CLOSED_DISPATCHES {
                            break;
                        }
                    }
                }
                View::InFlight | View::OpenAlerts => {
                    let target = if view == View::InFlight { View::Dispatches } else { View::Alerts };
                    for kv in self.t()?.views.scan_prefix(tag) {
                        let (k, _) = kv.map_err(|e| self.sled(&e))?;
                        let id = keys::number_of(&k).ok_or_else(|| self.corrupt("bad index key"))?;
                        let key = if target == View::Dispatches { ViewKey::Dispatch(id) } else { ViewKey::Alert(id) };
                        if let Some(v) = self.t()?.views.get(keys::encode(&key)).map_err(|e| self.sled(&e))? {
                            // The row is one of the target view's, not of the index.
                            state.load_row(target, &v).map_err(|e| self.corrupt(format!("{}: {e}", target.name())))?;
                        }
                    }
                }
                _ => {
                    for kv in self.t()?.views.scan_prefix(tag) {
                        let (_, v) = kv.map_err(|e| self.sled(&e))?;
                        load(&mut state, &v)?;
                    }
                }
            }
        }
        state.last_seq = self.last_seq()?;
        if let Some(ev) = self.event(state.last_seq)? {
            state.last_at = Some(ev.at);
        }
        Ok(state)
    }

    /// The sequence number already recorded for a client command id.
    pub fn seen(&self, cmd_id: &str) -> Result<Option<u64>, StoreError> {
        Ok(self
            .t()?
            .idem
            .get(cmd_id.as_bytes())
            .map_err(|e| self.sled(&e))?
            .and_then(|v| v.as_ref().try_into().ok().map(u64::from_be_bytes)))
    }

    pub fn event(&self, seq: u64) -> Result<Option<Event>, StoreError> {
        match self.t()?.events.get(keys::seq_key(seq)).map_err(|e| self.sled(&e))? {
            None => Ok(None),
            Some(v) => serde_json::from_slice(&v).map(Some).map_err(|e| self.corrupt(format!("event {seq}: {e}"))),
        }
    }

    /// Every event in order; a damaged one is an error item, and iteration goes on.
    pub fn events(&self) -> impl Iterator<Item = Result<Event, StoreError>> + '_ {
        let (trees, closed) = split(self.t());
        let evs = trees.into_iter().flat_map(|t| t.events.iter()).map(move |kv| {
            let (k, v) = kv.map_err(|e| self.sled(&e))?;
            serde_json::from_slice(&v).map_err(|e| self.corrupt(format!("event {:?}: {e}", k.as_ref())))
        });
        closed.into_iter().map(Err).chain(evs)
    }

    /// Up to `limit` events from sequence number `from` on.
    pub fn events_from(&self, from: u64, limit: usize) -> Result<Vec<Event>, StoreError> {
        self.t()?
            .events
            .range(keys::seq_key(from)..)
            .take(limit)
            .map(|kv| {
                let (k, v) = kv.map_err(|e| self.sled(&e))?;
                serde_json::from_slice(&v).map_err(|e| self.corrupt(format!("event {:?}: {e}", k.as_ref())))
            })
            .collect()
    }

    /// A dispatch from the full history (for those no longer held in memory).
    pub fn dispatch(&self, id: u64) -> Option<Dispatch> {
        let v = self.t.as_ref()?.views.get(keys::encode(&ViewKey::Dispatch(id))).ok()??;
        serde_json::from_slice(&v).ok()
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
    /// lines as they are).
    pub fn commit_encoded<'a>(
        &self,
        evs: &[Event],
        encoded: &[Vec<u8>],
        touched: impl IntoIterator<Item = &'a ViewKey>,
        state: &State,
    ) -> Result<(), StoreError> {
        let events: Vec<([u8; 8], &[u8], &[u8])> = evs
            .iter()
            .zip(encoded)
            .map(|(ev, json)| (keys::seq_key(ev.seq), ev.cmd_id.as_bytes(), json.as_slice()))
            .collect();
        let rows: Vec<(Vec<u8>, Option<Vec<u8>>)> =
            touched.into_iter().map(|k| (keys::encode(k), state.row(k))).collect();
        let t = self.t()?;
        let result: Result<(), TransactionError<()>> =
            (&t.events, &t.views, &t.idem).transaction(|(events_tree, views, idem)| {
                for (seq, cmd_id, event) in &events {
                    events_tree.insert(seq, *event)?;
                    idem.insert(*cmd_id, seq)?;
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

/// Whether a stored row of a history view is newer than `cutoff` (or still open).
fn recent_enough(view: View, bytes: &[u8], cutoff: NaiveDate) -> bool {
    #[derive(serde::Deserialize)]
    struct Stamp {
        #[serde(default)]
        sent_at: Option<chrono::DateTime<chrono::FixedOffset>>,
        #[serde(default)]
        first_seen: Option<chrono::DateTime<chrono::FixedOffset>>,
        #[serde(default)]
        at: Option<chrono::DateTime<chrono::FixedOffset>>,
    }
    let Ok(s) = serde_json::from_slice::<Stamp>(bytes) else { return true };
    let t = match view {
        View::Dispatches => s.sent_at,
        View::Alerts => s.first_seen,
        _ => s.at,
    };
    t.is_none_or(|t| t.date_naive() >= cutoff)
}
