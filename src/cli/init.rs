//! `init`: creates the store, seeded with the demo town, a scenario file, the generated district
//! (`Scenario::district`, for trying and benchmarking at city scale), or nothing. Seeding
//! is one change: a scenario refused anywhere leaves the store empty, for `init` to run again.

use super::Exit;
use crate::domain::Lang;
use crate::i18n::t;
use crate::link::Link;
use crate::scenario::{self, Scenario};
use color_eyre::eyre::{bail, Result, WrapErr};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The seed for the district `init --district`: fixed, so every office's district is the same.
const DISTRICT_SEED: u64 = 12;

/// What `init` seeds the new store with.
pub enum Seed {
    Demo,
    File(PathBuf),
    District { days: u32 },
    Empty,
}

pub fn init(link: &mut Link, dir: &Path, seed: &Seed, lang: Lang, out: &mut impl Write) -> Result<Exit> {
    let engine = link.engine()?;
    if !engine.store().is_empty() {
        bail!(
            "the store at {} already holds {} events; init works only on an empty data directory",
            dir.display(),
            engine.store().last_seq()?
        );
    }
    let (sc, origin) = match seed {
        Seed::Empty => {
            writeln!(out, "{}", t(lang, "cli.empty_store_created"))?;
            writeln!(out, "{}", dir.display())?;
            return Ok(Exit::Ok);
        }
        Seed::Demo => (Scenario::demo()?, "the demo town".to_string()),
        Seed::File(path) => (Scenario::load(path)?, path.display().to_string()),
        Seed::District { days } => (Scenario::district(DISTRICT_SEED, *days)?, "the generated district".to_string()),
    };
    let now = engine.now();
    let summary = scenario::seed(engine, &sc, now).wrap_err_with(|| format!("seeding {origin}"))?;
    writeln!(
        out,
        "{} {} ({} {}) {}",
        t(lang, "cli.seeded"),
        sc.town.name,
        summary.events,
        t(lang, "cli.events"),
        dir.display()
    )?;
    Ok(Exit::Ok)
}
