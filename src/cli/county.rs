//! `county [serve | status | plan | wall]`: with no subcommand the county console. `status`,
//! `plan` and the faces read `DIR/county.json`, which `county serve` rewrites as events
//! arrive; `plan` and the console plan it with `[plan]` and `[county] reserve` of this
//! directory's `baogong.toml`.

use super::args::CountyCmd;
use super::Exit;
use crate::config::Config;
use crate::county::{CountyView, TownSummary};
use crate::domain::Lang;
use crate::i18n::t;
use color_eyre::eyre::{bail, Result};
use serde_json::json;
use std::io::Write;
use std::path::Path;

pub fn run(dir: &Path, config: &Config, cmd: Option<CountyCmd>, lang: Lang, out: &mut impl Write) -> Result<Exit> {
    match cmd {
        None => crate::tui::county::run(dir, config, lang, false).map(|()| Exit::Ok),
        Some(CountyCmd::Wall) => crate::tui::county::run(dir, config, lang, true).map(|()| Exit::Ok),
        Some(CountyCmd::Plan { json }) => plan(dir, config, json, lang, out),
        Some(CountyCmd::Serve { nats, credentials, silent_minutes }) => {
            crate::county::serve::serve(dir, &nats, credentials.as_deref(), silent_minutes).map(|()| Exit::Ok)
        }
        Some(CountyCmd::Status { json }) => status(dir, json, lang, out),
    }
}

fn load(dir: &Path, lang: Lang) -> Result<CountyView> {
    match CountyView::load(dir) {
        Some(v) => Ok(v),
        None => bail!("{} {}", t(lang, "county.no_view"), dir.display()),
    }
}

/// One town as `county status --json` lists it.
fn town_json(s: &TownSummary, now: chrono::DateTime<chrono::FixedOffset>, silent_minutes: u64) -> serde_json::Value {
    json!({
        "town": s.town, "name": s.name, "last_seq": s.last_seq, "events": s.events,
        "last_event_at": s.last_event_at, "stocked_out_points": s.stocked_out_points,
        "critical_alerts": s.critical_alerts, "report": s.report, "report_late": s.report_late,
        "silent_since": s.silent_since(now, silent_minutes), "requests": s.requests,
        "alerts": s.alerts,
    })
}

fn status(dir: &Path, json: bool, lang: Lang, out: &mut impl Write) -> Result<Exit> {
    let view = load(dir, lang)?;
    let now = chrono::Local::now().fixed_offset();
    if json {
        let towns: Vec<_> = view.towns.iter().map(|s| town_json(s, now, view.silent_minutes)).collect();
        super::write_json(out, &towns)?;
        return Ok(Exit::Ok);
    }
    for line in crate::county::summary::text_lines(&view, now, lang) {
        writeln!(out, "{line}")?;
    }
    Ok(Exit::Ok)
}

fn plan(dir: &Path, config: &Config, json: bool, lang: Lang, out: &mut impl Write) -> Result<Exit> {
    let view = load(dir, lang)?;
    let today = chrono::Local::now().date_naive();
    let cp = crate::county::plan::plan(&view, config.county.reserve.as_deref(), &config.plan, today);
    if json {
        super::write_json(out, &crate::county::plan::json(&cp))?;
    } else {
        write!(out, "{}", crate::county::plan::text(&cp, lang))?;
    }
    Ok(Exit::Ok)
}
