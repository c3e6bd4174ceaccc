//! The embedded side of the link: the engine over the store in this process, for when no
//! daemon serves the data directory. Opens the store on first use (`check` and `export events`
//! read the store without loading the engine), seeds the demo town for a full-screen face on
//! an empty store, and reads a damaged store through `Store::salvage`. Imports the engine, the
//! store and the scenario; never the faces (`cli`, `tui`).

use crate::api::{Caller, Listed, Query, Reply, Request};
use crate::config::Config;
use crate::domain::command::Event;
use crate::domain::state::State;
use crate::domain::Lang;
use crate::engine::{Engine, SystemClock};
use crate::scenario::{self, Scenario};
use crate::store::{self, CheckReport, Store, StoreError};
use chrono::{DateTime, FixedOffset};
use color_eyre::eyre::{Result, WrapErr};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Opens the engine over the store at `dir`, with the configured alert thresholds and demand
/// settings.
pub fn open_engine(dir: &Path, config: &Config) -> Result<Engine> {
    let mut engine = Engine::open(dir, Arc::new(SystemClock), config.alerts.clone())?;
    engine.set_demand(config.demand.clone());
    Ok(engine)
}

/// Seeds the demo town into the engine's empty store.
pub fn seed_demo(engine: &mut Engine) -> Result<scenario::SeedSummary> {
    let sc = Scenario::demo()?;
    let now = engine.now();
    scenario::seed(engine, &sc, now)
}

/// Opens the engine for a full-screen face, seeding the demo town into an empty store.
pub fn open_for_console(dir: &Path, config: &Config) -> Result<Engine> {
    let lang = crate::i18n::chosen();
    let mut engine = open_engine(dir, config).wrap_err(crate::i18n::t(lang, "cli.opening_store"))?;
    if engine.store().is_empty() {
        eprintln!("baogong: {} {} ...", crate::i18n::t(lang, "cli.first_run_seeding"), dir.display());
        seed_demo(&mut engine).wrap_err(crate::i18n::t(lang, "cli.seeding_demo"))?;
    }
    Ok(engine)
}

/// What `export events` read: how many events, and, when sled called the store damaged, the
/// damage (the events came from its log without the snapshot).
pub struct Exported {
    pub events: u64,
    pub salvaged_from: Option<StoreError>,
}

/// The store in this process, opened when first needed.
pub struct Local {
    dir: PathBuf,
    config: Config,
    caller: Caller,
    engine: Option<Engine>,
}

impl Local {
    pub fn new(dir: &Path, config: &Config, caller: Caller) -> Local {
        Local { dir: dir.to_path_buf(), config: config.clone(), caller, engine: None }
    }

    pub fn caller(&self) -> &Caller {
        &self.caller
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The engine, opened on first use.
    pub fn engine(&mut self) -> Result<&mut Engine> {
        let engine = match self.engine.take() {
            Some(e) => e,
            None => open_engine(&self.dir, &self.config)?,
        };
        Ok(self.engine.insert(engine))
    }

    /// The state with alerts re-evaluated now, and the time.
    pub fn snapshot(&mut self) -> Result<(State, DateTime<FixedOffset>)> {
        let engine = self.engine()?;
        let _ = engine.tick();
        Ok((engine.state().clone(), engine.now()))
    }

    /// A listing over the state with alerts re-evaluated now.
    pub fn listing(&mut self, query: &Query, lang: Lang) -> Result<Listed> {
        let (config, access) = (self.config.clone(), self.caller.access.clone());
        let engine = self.engine()?;
        let _ = engine.tick();
        Ok(crate::listing::render(engine.state(), engine.now(), &config, &access, query, lang))
    }

    pub fn submit(&mut self, req: Request) -> Result<Reply> {
        let caller = self.caller.clone();
        let engine = self.engine()?;
        let _ = engine.tick();
        Ok(engine.submit(&caller, req))
    }

    pub fn submit_atomic(&mut self, reqs: Vec<Request>) -> Result<Vec<Reply>> {
        let caller = self.caller.clone();
        Ok(self.engine()?.submit_atomic(reqs.into_iter().map(|r| (caller.clone(), r)).collect()))
    }

    pub fn check(&mut self) -> Result<CheckReport> {
        match &self.engine {
            Some(e) => Ok(store::check(e.store())?),
            None => Ok(store::check(&Store::open(&self.dir)?)?),
        }
    }

    /// Passes every event of the log to `each`, in order. A store sled calls damaged is read
    /// through a copy without its snapshot; what that recovers is passed on and the damage
    /// returned with it.
    pub fn export_events(&mut self, each: &mut dyn FnMut(&Event) -> std::io::Result<()>) -> Result<Exported> {
        let damage = match self.engine.as_ref().map(Engine::store) {
            Some(store) => return Ok(Exported { events: write_events(store, each)?, salvaged_from: None }),
            None => match Store::open(&self.dir) {
                Ok(store) => return Ok(Exported { events: write_events(&store, each)?, salvaged_from: None }),
                Err(e @ StoreError::Corrupt { .. }) => e,
                Err(e) => return Err(e.into()),
            },
        };
        let scratch = std::env::temp_dir().join(format!("baogong-salvage-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&scratch);
        let salvaged = Store::salvage(&self.dir, &scratch)
            .map_err(color_eyre::Report::from)
            .and_then(|store| write_events(&store, each));
        let _ = std::fs::remove_dir_all(&scratch);
        match salvaged {
            Ok(events) if events > 0 => Ok(Exported { events, salvaged_from: Some(damage) }),
            _ => Err(color_eyre::Report::from(damage).wrap_err("nothing could be read from the store's log either")),
        }
    }

    /// The engine for a full-screen face: the demo town is seeded into an empty store.
    pub fn into_face_engine(self) -> Result<Engine> {
        match self.engine {
            Some(e) => Ok(e),
            None => open_for_console(&self.dir, &self.config),
        }
    }
}

fn write_events(store: &Store, each: &mut dyn FnMut(&Event) -> std::io::Result<()>) -> Result<u64> {
    let mut n = 0;
    for ev in store.events() {
        each(&ev?)?;
        n += 1;
    }
    Ok(n)
}
