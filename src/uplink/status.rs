//! The uplink's state as `baogong uplink status` reads it: `DIR/uplink.json`, rewritten whole
//! (a temporary file renamed over it) by the daemon whenever it connects, fails or is
//! acknowledged. Imports the config; nothing else of baogong.

use crate::config::UplinkConfig;
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

pub const STATUS_FILE: &str = "uplink.json";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UplinkStatus {
    pub town: String,
    pub nats: String,
    /// The daemon writing this file.
    pub pid: u32,
    pub connected: bool,
    /// The last event sequence the server acknowledged.
    pub acked: u64,
    /// When that event was recorded in the town.
    pub acked_at: Option<DateTime<FixedOffset>>,
    /// Why it is not connected, or the last failure.
    pub error: Option<String>,
    pub updated_at: DateTime<FixedOffset>,
}

fn path(dir: &Path) -> PathBuf {
    dir.join(STATUS_FILE)
}

impl UplinkStatus {
    pub fn new(config: &UplinkConfig) -> UplinkStatus {
        UplinkStatus {
            town: config.town.clone(),
            nats: config.nats.clone(),
            pid: std::process::id(),
            connected: false,
            acked: 0,
            acked_at: None,
            error: None,
            updated_at: chrono::Local::now().fixed_offset(),
        }
    }

    /// Writes the file (best effort: a status that cannot be written must not stop the uplink).
    pub fn save(&mut self, dir: &Path) {
        self.updated_at = chrono::Local::now().fixed_offset();
        let Ok(text) = serde_json::to_vec_pretty(self) else { return };
        let tmp = dir.join(format!("{STATUS_FILE}.tmp"));
        if std::fs::write(&tmp, text).is_ok() {
            let _ = std::fs::rename(&tmp, path(dir));
        }
    }

    /// The file as the daemon last wrote it, if any.
    pub fn load(dir: &Path) -> Option<UplinkStatus> {
        let text = std::fs::read(path(dir)).ok()?;
        serde_json::from_slice(&text).ok()
    }

    /// Whether the daemon that wrote it still runs.
    pub fn writer_alive(&self) -> bool {
        let Ok(pid) = i32::try_from(self.pid) else { return false };
        // SAFETY: kill with signal 0 only checks that the process exists.
        pid > 0 && unsafe { libc::kill(pid, 0) } == 0
    }
}
