//! The sheets sent upward: `report daily` (Markdown, CSV or JSON) and `plan` (text, Markdown,
//! CSV or JSON), drawn from the state.

use super::write_json;
use crate::api::{Ending, SheetFormat};
use crate::config::Config;
use crate::domain::reject::{Reason, Rejection};
use crate::domain::state::State;
use crate::domain::{Lang, ResponseLevel};
use chrono::{DateTime, FixedOffset, NaiveDate};
use color_eyre::eyre::{bail, Result};
use std::io::Write;

pub fn daily(
    state: &State,
    now: DateTime<FixedOffset>,
    config: &Config,
    date: Option<NaiveDate>,
    format: SheetFormat,
    lang: Lang,
    out: &mut impl Write,
) -> Result<Ending> {
    let date = date.unwrap_or(now.date_naive());
    let r = match crate::report::daily(state, date, now, &config.alerts, &config.report.key_items, lang) {
        Ok(r) => r,
        // A date the report cannot be made for is a refused input: the reason, exit 2.
        Err(e) => return Ok(Ending::Rejected { message: crate::text::scrub(&e.message(lang)) }),
    };
    match format {
        SheetFormat::Json => write_json(out, &r)?,
        SheetFormat::Csv => out.write_all(&crate::report::csv(&r, lang)?)?,
        SheetFormat::Md | SheetFormat::Text => out.write_all(crate::report::markdown(&r, lang).as_bytes())?,
    }
    Ok(Ending::Listed)
}

#[allow(clippy::too_many_arguments)]
pub fn plan(
    state: &State,
    now: DateTime<FixedOffset>,
    config: &Config,
    item: Option<&str>,
    level: Option<ResponseLevel>,
    format: SheetFormat,
    lang: Lang,
    out: &mut impl Write,
) -> Result<Ending> {
    if let Some(i) = item {
        if !state.items.contains_key(i) {
            bail!("{}", Rejection::new("item", Reason::UnknownItem { code: i.to_string() }).message(lang));
        }
    }
    let plan = crate::domain::rules::plan::plan(state, now.date_naive(), &config.plan, level, item);
    match format {
        SheetFormat::Json => write_json(out, &crate::plan_sheet::json(&plan))?,
        SheetFormat::Md => out.write_all(crate::plan_sheet::markdown(&plan, state, lang).as_bytes())?,
        SheetFormat::Csv => out.write_all(&crate::plan_sheet::csv(&plan, state, lang)?)?,
        SheetFormat::Text => {
            for line in crate::plan_sheet::text_lines(&plan, state, lang) {
                writeln!(out, "{line}")?;
            }
        }
    }
    Ok(Ending::Listed)
}
