//! Restoring an exported event log (`export events`, JSON lines) into an empty store: the
//! backup and the migration path between store versions. Every event is applied as recorded,
//! so the views come out identical (`check` passes), after its arithmetic is checked
//! (`State::check_arithmetic`: no overflow, no negative stock, quantities within `MAX_QTY`); a
//! bad line is named by file and line and nothing after it is written.

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
    let mut chunk = Chunk::default();
    let mut n = 0u64;
    for (i, line) in reader.lines().enumerate() {
        let line = line.wrap_err_with(|| format!("{}:{}: cannot read", file.display(), i + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        let ev: Event =
            serde_json::from_str(&line).map_err(|e| eyre!("{}:{}: not an event: {e}", file.display(), i + 1))?;
        chunk.events.push(ev);
        chunk.encoded.push(line.trim().as_bytes().to_vec());
        chunk.lines.push(i + 1);
        if chunk.events.len() == CHUNK {
            n += chunk.write(engine, file, written)?;
        }
    }
    n += chunk.write(engine, file, written)?;
    Ok(n)
}

/// Events read and not yet written, with their JSON lines and their line numbers in the file.
#[derive(Default)]
struct Chunk {
    events: Vec<Event>,
    encoded: Vec<Vec<u8>>,
    lines: Vec<usize>,
}

impl Chunk {
    /// Writes the chunk (nothing when empty) and empties it; an error names the line at fault.
    fn write(&mut self, engine: &mut Engine, file: &Path, written: &mut u64) -> Result<u64> {
        if self.events.is_empty() {
            return Ok(0);
        }
        let restored = engine.restore_encoded(&self.events, &self.encoded);
        if let Err((i, e)) = restored {
            if i >= self.events.len() {
                // The store failed while writing: some of the chunk may have reached it.
                *written += 1;
            }
            let line = self.lines.get(i).or(self.lines.last()).copied().unwrap_or_default();
            return Err(eyre!("{}:{line}: {e}", file.display()));
        }
        *written += 1;
        let n = self.events.len() as u64;
        self.events.clear();
        self.encoded.clear();
        self.lines.clear();
        Ok(n)
    }
}
