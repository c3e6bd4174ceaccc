//! The listings and sheets (`zones` .. `dispatches`, `report daily`, `plan`): each asked of the
//! engine as an `api::Query` and rendered where the state is (`listing::render`, in the daemon
//! when one serves the store), then printed as it came. Only what the command line itself can
//! refuse (a date or level that does not parse) is checked here.

use super::args::{ListCmd, PlanArgs, PlanFormat, ReportFormat};
use super::Exit;
use crate::api::{Ending, Query, SheetFormat};
use crate::domain::demand::RequestStatus;
use crate::domain::reject::{Reason, Rejection};
use crate::domain::{Lang, ResponseLevel};
use crate::i18n::t;
use crate::link::Link;
use color_eyre::eyre::{bail, eyre, Result};
use std::io::Write;
use std::path::Path;

/// The query a listing subcommand asks; a filter that does not parse is refused here.
pub fn query(cmd: ListCmd) -> Result<Query, Rejection> {
    Ok(match cmd {
        ListCmd::Zones(a) => Query::Zones { json: a.json },
        ListCmd::Points(a) => Query::Points { json: a.json },
        ListCmd::Villages(a) => Query::Villages { json: a.json },
        ListCmd::Items(a) => Query::Items { json: a.json },
        ListCmd::People(a) => Query::People { json: a.json },
        ListCmd::Duty(a) => Query::Duty { json: a.json },
        ListCmd::Vehicles(a) => Query::Vehicles { json: a.json },
        ListCmd::Stock(a) => {
            Query::Stock { point: a.point, item: a.item, town: a.town, batches: a.batches, json: a.json }
        }
        ListCmd::Alerts { all, json } => Query::Alerts { all, json },
        ListCmd::Dispatches { all, json } => Query::Dispatches { all, json },
        ListCmd::Requests(a) => {
            let status = a.status.as_deref().map(status_arg).transpose()?;
            Query::Requests { village: a.village, point: a.point, status, json: a.json }
        }
        ListCmd::Tallies { date, json } => {
            Query::Tallies { date: date.map(|d| super::log::date_arg("date", &d)).transpose()?, json }
        }
        ListCmd::Kits(a) => Query::Kits { json: a.json },
        ListCmd::Schedule { date, zone, json } => {
            Query::Schedule { date: date.map(|d| super::log::date_arg("date", &d)).transpose()?, zone, json }
        }
        ListCmd::Households { village, due, json } => Query::Households { village, due, json },
        ListCmd::Cases { status, overdue, json } => {
            let status = status.as_deref().map(super::hotline::status_arg).transpose()?;
            Query::Cases { status, overdue, json }
        }
    })
}

fn status_arg(text: &str) -> Result<RequestStatus, Rejection> {
    RequestStatus::parse(text).ok_or_else(|| {
        let options = RequestStatus::ALL.map(|s| s.code()).join(", ");
        Rejection::new("status", Reason::NotAChoice { options })
    })
}

/// `report daily`: a date that does not parse is refused here (exit 1, as before).
pub fn daily_query(date: Option<&str>, format: ReportFormat, lang: Lang) -> Result<Query> {
    let date = date.map(|d| super::log::date_arg("date", d).map_err(|r| eyre!(r.message(lang)))).transpose()?;
    let format = match format {
        ReportFormat::Md => SheetFormat::Md,
        ReportFormat::Csv => SheetFormat::Csv,
        ReportFormat::Json => SheetFormat::Json,
    };
    Ok(Query::Daily { date, format })
}

/// `plan`: a level that is not one of the choices is refused here.
pub fn plan_query(args: PlanArgs, lang: Lang) -> Result<Query> {
    let level = match args.level.as_deref().map(ResponseLevel::parse) {
        None => None,
        Some(Some(l)) => Some(l),
        Some(None) => bail!("{}", super::log::level_rejection().message(lang)),
    };
    let format = match (args.json, args.format) {
        (true, _) | (_, PlanFormat::Json) => SheetFormat::Json,
        (_, PlanFormat::Text) => SheetFormat::Text,
        (_, PlanFormat::Md) => SheetFormat::Md,
        (_, PlanFormat::Csv) => SheetFormat::Csv,
    };
    Ok(Query::Plan { item: args.item, level, format })
}

/// Asks `query` of the engine and prints the answer: the rows on stdout; on stderr a word when
/// the store is empty, or the reason it was refused (exit 2) or failed (exit 1).
pub fn print(link: &mut Link, query: &Query, dir: &Path, lang: Lang, out: &mut impl Write) -> Result<Exit> {
    let listed = link.listing(query, lang)?;
    if listed.empty_store {
        eprintln!("{} {}; {}", t(lang, "cli.store_empty"), dir.display(), t(lang, "cli.run_init"));
    }
    out.write_all(listed.out.as_bytes())?;
    match listed.ending {
        Ending::Listed => Ok(Exit::Ok),
        Ending::Rejected { message } => {
            eprintln!("{message}");
            Ok(Exit::Rejected)
        }
        Ending::Failed { message } => bail!("{message}"),
    }
}
