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
const CHUNK: usize = 5_000;

/// Restores `file` into the engine's (empty) store; returns the number of events.
pub fn restore(engine: &mut Engine, file: &Path) -> Result<u64> {
    if !engine.store().is_empty() {
        bail!(
            "the store at {} already holds events; restore into an empty data directory",
            engine.store().dir().display()
        );
    }
    let f = std::fs::File::open(file).wrap_err_with(|| format!("opening {}", file.display()))?;
    engine.store().mark_restoring(true)?;
    let mut written = 0u64;
    match restore_lines(engine, file, std::io::BufReader::new(f), &mut written) {
        Ok(n) => {
            engine.store().mark_restoring(false)?;
            Ok(n)
        }
        Err(e) => {
            if written == 0 {
                // Nothing reached the store: it is as empty as before.
                engine.store().mark_restoring(false)?;
            }
            Err(e)
        }
    }
}

fn restore_lines(engine: &mut Engine, file: &Path, reader: impl BufRead, written: &mut u64) -> Result<u64> {
    let mut chunk: Vec<Event> = Vec::with_capacity(CHUNK);
    let mut lines: Vec<Vec<u8>> = Vec::with_capacity(CHUNK);
    let mut n = 0u64;
    for (i, line) in reader.lines().enumerate() {
        let line = line.wrap_err_with(|| format!("{}:{}: cannot read", file.display(), i + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        let ev: Event =
            serde_json::from_str(&line).map_err(|e| eyre!("{}:{}: not an event: {e}", file.display(), i + 1))?;
        chunk.push(ev);
        lines.push(line.trim().as_bytes().to_vec());
        if chunk.len() == CHUNK {
            *written += 1;
            engine.restore_encoded(&chunk, &lines).map_err(|e| eyre!("{}:{}: {e}", file.display(), i + 1))?;
            n += chunk.len() as u64;
            chunk.clear();
            lines.clear();
        }
    }
    if !chunk.is_empty() {
        *written += 1;
        engine.restore_encoded(&chunk, &lines).map_err(|e| eyre!("{}: {e}", file.display()))?;
        n += chunk.len() as u64;
    }
    Ok(n)
}
