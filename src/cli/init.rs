//! `init`: creates the store, seeded with the demo town, a scenario file, or nothing. Seeding
//! is one change: a scenario refused anywhere leaves the store empty, for `init` to run again.

use super::Exit;
use crate::domain::Lang;
use crate::i18n::t;
use crate::link::Link;
use crate::scenario::{self, Scenario};
use color_eyre::eyre::{bail, Result, WrapErr};
use std::io::Write;
use std::path::Path;

pub fn init(
    link: &mut Link,
    dir: &Path,
    scenario: Option<&Path>,
    empty: bool,
    lang: Lang,
    out: &mut impl Write,
) -> Result<Exit> {
    let engine = link.engine()?;
    if !engine.store().is_empty() {
        bail!(
            "the store at {} already holds {} events; init works only on an empty data directory",
            dir.display(),
            engine.store().last_seq()?
        );
    }
    if empty {
        writeln!(out, "{}", t(lang, "cli.empty_store_created"))?;
        writeln!(out, "{}", dir.display())?;
        return Ok(Exit::Ok);
    }
    let sc = match scenario {
        Some(path) => Scenario::load(path)?,
        None => Scenario::demo()?,
    };
    let now = engine.now();
    let origin = scenario.map_or_else(|| "the demo town".to_string(), |p| p.display().to_string());
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
