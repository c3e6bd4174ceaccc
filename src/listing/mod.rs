//! Every listing and sheet a subcommand prints (`stock`, `alerts`, `report daily`, `plan`, the
//! reference lists), rendered from a state by `render` for an `api::Query`: in the daemon over
//! its own state when one serves the store (the CLI then receives only the rendered rows, never
//! the whole state), else in the CLI's process over the embedded engine's. One function either
//! way, so the figures cannot differ. Rows and their order come from `views`. Imports the
//! domain, `views`, `report`, `plan_sheet`, `config`, `text` and `i18n`; never a face, the link
//! or the store.

mod demand;
mod hotline;
mod list;
mod sheets;

use crate::api::{Ending, Listed, Query};
use crate::config::Config;
use crate::domain::access::Access;
use crate::domain::state::State;
use crate::domain::Lang;
use chrono::{DateTime, FixedOffset};
use color_eyre::eyre::{eyre, Result};
use std::io::Write;

/// `query` rendered from `state` at `now` in `lang`, for a reader with `access` (personal data
/// is masked for those not entitled to it). Cost: that of the listing's view (for the
/// district's town stock about 60 × the lots; for alerts the open alerts), never a copy of the
/// state.
pub fn render(
    state: &State,
    now: DateTime<FixedOffset>,
    config: &Config,
    access: &Access,
    query: &Query,
    lang: Lang,
) -> Listed {
    let mut out = Vec::new();
    let ending = match write(state, now, config, access, query, lang, &mut out) {
        Ok(ending) => ending,
        Err(e) => Ending::Failed { message: e.to_string() },
    };
    let out = String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    Listed { out, ending, empty_store: state.last_seq == 0 }
}

fn write(
    state: &State,
    now: DateTime<FixedOffset>,
    config: &Config,
    access: &Access,
    query: &Query,
    lang: Lang,
    out: &mut Vec<u8>,
) -> Result<Ending> {
    match query {
        Query::Households { village, due, json } => {
            let filter = crate::views::hotline::HouseholdFilter { village: village.as_deref(), due: *due };
            let who = hotline::Reader { access, lang };
            hotline::households(state, &who, now, &filter, *json, out).map(|()| Ending::Listed)
        }
        Query::Cases { status, overdue, json } => {
            let filter = crate::views::hotline::CaseFilter { status: *status, overdue: *overdue };
            let who = hotline::Reader { access, lang };
            hotline::cases(state, &who, now, &config.alerts, filter, *json, out).map(|()| Ending::Listed)
        }
        Query::Daily { date, format } => sheets::daily(state, now, config, *date, *format, lang, out),
        Query::Plan { item, level, format } => {
            sheets::plan(state, now, config, item.as_deref(), *level, *format, lang, out)
        }
        Query::Schedule { date, zone, json } => {
            demand::schedule(state, now.date_naive(), &config.demand, *date, zone.as_deref(), *json, lang, out)
                .map(|()| Ending::Listed)
        }
        Query::Unknown => Err(eyre!("{}", crate::i18n::t(lang, "cli.unknown_listing"))),
        other => list::list(state, now, &config.alerts, other, lang, out).map(|()| Ending::Listed),
    }
}

fn write_json(out: &mut impl Write, v: &impl serde::Serialize) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, v)?;
    writeln!(out)?;
    Ok(())
}
