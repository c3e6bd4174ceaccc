//! The county store (`DIR/county/`, its own sled database, under the same rules as a town's:
//! refused when world-writable, faults named, flushed before the consumer acknowledges). Trees:
//! `events` (each town's events as received, keyed by the town code, a 0 byte and the sequence
//! big-endian) and `towns` (town code → the sequence applied so far). Receiving is idempotent:
//! an event stored again is the same row, so a redelivery changes nothing. Opening replays no
//! rule: the county replays each town's stored events into its own state (`county::Replica`).
//! Never imports the engine, the link or a face.

use super::{check_permissions, StoreError};
use crate::domain::Event;
use std::path::{Path, PathBuf};

pub struct CountyStore {
    dir: PathBuf,
    db: sled::Db,
    events: sled::Tree,
    towns: sled::Tree,
}

fn event_key(town: &str, seq: u64) -> Vec<u8> {
    let mut k = Vec::with_capacity(town.len() + 9);
    k.extend_from_slice(town.as_bytes());
    k.push(0);
    k.extend_from_slice(&seq.to_be_bytes());
    k
}

impl CountyStore {
    /// Opens (creating if needed) the county store in `dir/county`.
    pub fn open(dir: &Path) -> Result<CountyStore, StoreError> {
        check_permissions(dir)?;
        let io = |e: &dyn std::fmt::Display| StoreError::Io { dir: dir.to_path_buf(), detail: e.to_string() };
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o750)
            .create(dir.join("county"))
            .map_err(|e| StoreError::of_io(dir, &e))?;
        let config =
            sled::Config::new().path(dir.join("county")).cache_capacity(32 * 1024 * 1024).flush_every_ms(Some(500));
        let db = config.open().map_err(|e| match e {
            sled::Error::Io(ref ioe)
                if ioe.kind() == std::io::ErrorKind::WouldBlock || ioe.to_string().contains("lock") =>
            {
                StoreError::Locked { dir: dir.join("county"), pid: None, holder: None }
            }
            e => io(&e),
        })?;
        let events = db.open_tree("events").map_err(|e| io(&e))?;
        let towns = db.open_tree("towns").map_err(|e| io(&e))?;
        Ok(CountyStore { dir: dir.to_path_buf(), db, events, towns })
    }

    fn sled(&self, e: &sled::Error) -> StoreError {
        StoreError::of_sled(&self.dir, e)
    }

    /// Stores events as received (any order, repeats welcome) and flushes. O(events).
    pub fn receive(&self, evs: &[(String, Event)]) -> Result<(), StoreError> {
        let mut batch = sled::Batch::default();
        for (town, ev) in evs {
            let v =
                serde_json::to_vec(ev).map_err(|e| StoreError::Io { dir: self.dir.clone(), detail: e.to_string() })?;
            batch.insert(event_key(town, ev.seq), v);
        }
        self.events.apply_batch(batch).map_err(|e| self.sled(&e))?;
        self.db.flush().map(|_| ()).map_err(|e| self.sled(&e))
    }

    /// The town's event `seq`, if received. O(log events).
    pub fn event(&self, town: &str, seq: u64) -> Result<Option<Event>, StoreError> {
        let Some(v) = self.events.get(event_key(town, seq)).map_err(|e| self.sled(&e))? else { return Ok(None) };
        serde_json::from_slice(&v).map(Some).map_err(|e| StoreError::Corrupt {
            dir: self.dir.clone(),
            detail: format!("county event {town}:{seq}: {e}"),
        })
    }

    /// Every town with the sequence applied so far, in code order.
    pub fn towns(&self) -> Result<Vec<(String, u64)>, StoreError> {
        let mut out = Vec::new();
        for kv in self.towns.iter() {
            let (k, v) = kv.map_err(|e| self.sled(&e))?;
            let seq = v.as_ref().try_into().map(u64::from_be_bytes).unwrap_or(0);
            out.push((String::from_utf8_lossy(&k).into_owned(), seq));
        }
        Ok(out)
    }

    /// Records how far a town's events are applied (no flush: it is rebuilt from `events`).
    pub fn set_applied(&self, town: &str, seq: u64) -> Result<(), StoreError> {
        self.towns.insert(town.as_bytes(), &seq.to_be_bytes()).map(|_| ()).map_err(|e| self.sled(&e))
    }
}
