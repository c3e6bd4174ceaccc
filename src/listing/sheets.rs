//! The sheets sent upward: `report daily` (Markdown, CSV or JSON) and `plan` (text, Markdown,
//! CSV or JSON), drawn from a snapshot of the state.

use super::args::{PlanArgs, PlanFormat, ReportFormat};
use super::{write_json, Exit};
use crate::config::Config;
use crate::domain::reject::{Reason, Rejection};
use crate::domain::state::State;
use crate::domain::{Lang, ResponseLevel};
use chrono::{DateTime, FixedOffset};
use color_eyre::eyre::{bail, eyre, Result};
use std::io::Write;

pub fn daily(
    state: &State,
    now: DateTime<FixedOffset>,
    config: &Config,
    date: Option<&str>,
    format: ReportFormat,
    lang: Lang,
    out: &mut impl Write,
) -> Result<Exit> {
    let date = match date {
        Some(d) => super::log::date_arg("date", d).map_err(|r| eyre!(r.message(lang)))?,
        None => now.date_naive(),
    };
    let r = match crate::report::daily(state, date, now, &config.alerts, &config.report.key_items, lang) {
        Ok(r) => r,
        // A date the report cannot be made for is a refused input: the reason, exit 2.
        Err(e) => {
            eprintln!("{}", crate::text::scrub(&e.message(lang)));
            return Ok(Exit::Rejected);
        }
    };
    match format {
        ReportFormat::Json => write_json(out, &r)?,
        ReportFormat::Csv => out.write_all(&crate::report::csv(&r, lang)?)?,
        ReportFormat::Md => out.write_all(crate::report::markdown(&r, lang).as_bytes())?,
    }
    Ok(Exit::Ok)
}

pub fn plan(
    state: &State,
    now: DateTime<FixedOffset>,
    config: &Config,
    args: &PlanArgs,
    lang: Lang,
    out: &mut impl Write,
) -> Result<Exit> {
    let item = args.item.as_deref();
    if let Some(i) = item {
        if !state.items.contains_key(i) {
            bail!("{}", Rejection::new("item", Reason::UnknownItem { code: i.to_string() }).message(lang));
        }
    }
    let level = match args.level.as_deref().map(ResponseLevel::parse) {
        None => None,
        Some(Some(l)) => Some(l),
        Some(None) => bail!("{}", super::log::level_rejection().message(lang)),
    };
    let plan = crate::domain::rules::plan::plan(state, now.date_naive(), &config.plan, level, item);
    let format = if args.json { PlanFormat::Json } else { args.format };
    match format {
        PlanFormat::Json => write_json(out, &crate::plan_sheet::json(&plan))?,
        PlanFormat::Md => out.write_all(crate::plan_sheet::markdown(&plan, state, lang).as_bytes())?,
        PlanFormat::Csv => out.write_all(&crate::plan_sheet::csv(&plan, state, lang)?)?,
        PlanFormat::Text => {
            for line in crate::plan_sheet::text_lines(&plan, state, lang) {
                writeln!(out, "{line}")?;
            }
        }
    }
    Ok(Exit::Ok)
}
