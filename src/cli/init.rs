//! `init`: creates the store, seeded with the demo town, a scenario file, the generated district
//! (`Scenario::district`, for trying and benchmarking at city scale), or nothing. Seeding
//! is one change: a scenario refused anywhere leaves the store empty, for `init` to run again.

use super::Exit;
use crate::api::{fresh_id, Refusal, Request};
use crate::domain::ident::{town_code_ok, MAX_TOWN_CODE};
use crate::domain::{Command, Lang, Reason, Rejection};
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

/// `--town CODE` and `--name N`: what the seeded town is called, over the scenario's own.
pub struct Naming {
    pub code: Option<String>,
    pub name: Option<String>,
}

pub fn init(
    link: &mut Link,
    dir: &Path,
    seed: &Seed,
    naming: &Naming,
    lang: Lang,
    out: &mut impl Write,
) -> Result<Exit> {
    if naming.code.as_deref().is_some_and(|c| !town_code_ok(c)) {
        let reason = Reason::BadTownCode { max: MAX_TOWN_CODE };
        return Ok(super::rejected(&Rejection::new("town", reason), lang));
    }
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
            if naming.code.is_some() || naming.name.is_some() {
                // A town named only by its code is called by it until `baogong town --name`.
                let name = naming.name.clone().or_else(|| naming.code.clone()).unwrap_or_default();
                let cmd = Command::Town { name, code: naming.code.clone().unwrap_or_default() };
                match link.submit(Request { cmd_id: fresh_id("init"), cmd })? {
                    Ok(_) => {}
                    Err(Refusal::Rejected(r)) => return Ok(super::rejected(&r, lang)),
                    Err(fault) => bail!("naming the town: {fault}"),
                }
            }
            writeln!(out, "{}", t(lang, "cli.empty_store_created"))?;
            writeln!(out, "{}", dir.display())?;
            return Ok(Exit::Ok);
        }
        Seed::Demo => (Scenario::demo()?, "the demo town".to_string()),
        Seed::File(path) => (Scenario::load(path)?, path.display().to_string()),
        Seed::District { days } => (Scenario::district(DISTRICT_SEED, *days)?, "the generated district".to_string()),
    };
    let sc = named(sc, naming);
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

/// The scenario with the town's code and name as `init` was told.
fn named(mut sc: Scenario, naming: &Naming) -> Scenario {
    if let Some(code) = &naming.code {
        sc.town.code = code.clone();
    }
    if let Some(name) = &naming.name {
        sc.town.name = name.clone();
    }
    sc
}
