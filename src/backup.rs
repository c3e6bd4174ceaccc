//! Restoring an exported event log (`export events`, JSON lines) into an empty store: the
//! backup and the migration path between store versions. Every event is applied as recorded,
//! so the views come out identical (`check` passes); a bad line is named by file and line and
//! nothing after it is written.

use crate::domain::Event;
use crate::engine::Engine;
use color_eyre::eyre::{bail, eyre, Result, WrapErr};
use std::io::BufRead;
use std::path::Path;

/// Events written per transaction.
const CHUNK: usize = 2000;

/// Restores `file` into the engine's (empty) store; returns the number of events.
pub fn restore(engine: &mut Engine, file: &Path) -> Result<u64> {
    if !engine.store().is_empty() {
        bail!(
            "the store at {} already holds events; restore into an empty data directory",
            engine.store().dir().display()
        );
    }
    let f = std::fs::File::open(file).wrap_err_with(|| format!("opening {}", file.display()))?;
    let mut chunk: Vec<Event> = Vec::with_capacity(CHUNK);
    let mut n = 0u64;
    for (i, line) in std::io::BufReader::new(f).lines().enumerate() {
        let line = line.wrap_err_with(|| format!("{}:{}: cannot read", file.display(), i + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        let ev: Event =
            serde_json::from_str(&line).map_err(|e| eyre!("{}:{}: not an event: {e}", file.display(), i + 1))?;
        chunk.push(ev);
        if chunk.len() == CHUNK {
            engine.restore(&chunk).map_err(|e| eyre!("{}:{}: {e}", file.display(), i + 1))?;
            n += chunk.len() as u64;
            chunk.clear();
        }
    }
    if !chunk.is_empty() {
        engine.restore(&chunk).map_err(|e| eyre!("{}: {e}", file.display()))?;
        n += chunk.len() as u64;
    }
    Ok(n)
}
