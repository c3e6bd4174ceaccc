//! The demand side of the command line: `log request|approve|refuse|cancel|deliver` made into
//! commands (a bad quantity or date is refused before anything is sent) and the `requests`
//! listing, whose rows and JSON come from `views::requests`.

use super::args::{LogCmd, RequestsArgs};
use super::log::{date_arg, qty_arg};
use super::{write_json, Exit};
use crate::domain::command::Command;
use crate::domain::demand::{Request, RequestStatus, Requester, TallyLine};
use crate::domain::reject::{Reason, Rejection};
use crate::domain::state::State;
use crate::domain::Lang;
use crate::text;
use crate::views::requests::{self, Filter};
use chrono::NaiveDate;
use color_eyre::eyre::Result;
use std::io::Write;

/// A demand `log` subcommand as a command and its common options.
pub(super) fn command(log: LogCmd, today: NaiveDate) -> Result<(Command, super::args::Common), Rejection> {
    Ok(match log {
        LogCmd::Request { village, item, qty, by, slot, urgent, note, common } => {
            let by = match by {
                Some(b) => date_arg("by", &b)?,
                None => today.succ_opt().unwrap_or(today),
            };
            let requester = Requester::Village { code: village };
            (Command::Request { requester, item, qty: qty_arg("qty", &qty)?, by, slot, urgent, note }, common)
        }
        LogCmd::Approve { request, qty, reason, common } => {
            (Command::Approve { request, qty: qty.map(|q| qty_arg("qty", &q)).transpose()?, reason }, common)
        }
        LogCmd::Refuse { request, reason, common } => (Command::Refuse { request, reason }, common),
        LogCmd::Cancel { request, reason, common } => (Command::CancelRequest { request, reason }, common),
        LogCmd::Deliver { dispatch, qty, signed_by, note, common } => {
            (Command::Deliver { dispatch, qty: qty_arg("qty", &qty)?, signed_by, note }, common)
        }
        LogCmd::Tally { village, date, lines, zero, common } => {
            let date = date.map(|d| date_arg("date", &d)).transpose()?.unwrap_or(today);
            let lines = lines.iter().map(|l| tally_line(l)).collect::<Result<_, _>>()?;
            (Command::Tally { village, date, lines, zero }, common)
        }
        _ => return Err(Rejection::new("cmd", Reason::Empty)),
    })
}

/// `ITEM=QTY`.
fn tally_line(text: &str) -> Result<TallyLine, Rejection> {
    let (item, qty) = text.split_once('=').ok_or_else(|| Rejection::new("line", Reason::BadLine))?;
    Ok(TallyLine { item: item.trim().to_string(), qty: qty_arg("qty", qty)? })
}

/// `tallies`: every village with its tally of the day (or none), its latest and the next due.
pub(super) fn tallies(
    state: &State,
    today: NaiveDate,
    date: Option<&str>,
    json: bool,
    lang: Lang,
    out: &mut impl Write,
) -> Result<Exit> {
    let date = match date.map(|d| date_arg("date", d)).transpose() {
        Ok(d) => d.unwrap_or(today),
        Err(r) => return Ok(super::rejected(&r, lang)),
    };
    let rows = crate::views::tallies::rows(state, date, today);
    if json {
        write_json(out, &rows)?;
        return Ok(Exit::Ok);
    }
    let t: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let lines = if r.zero {
                "0".to_string()
            } else {
                r.lines.iter().map(|l| format!("{}={}", l.item, l.qty)).collect::<Vec<_>>().join(" ")
            };
            let last = r.last.map(|d| d.to_string()).unwrap_or_default();
            let due = r.next_due.map(|d| d.to_string()).unwrap_or_default();
            let state = if r.overdue { "!" } else { "" };
            vec![format!("{state}{}", r.village), r.point.clone(), lines, last, due]
        })
        .collect();
    write!(out, "{}", text::table(&["village", "point", "lines", "last", "next_due"], &t))?;
    Ok(Exit::Ok)
}

/// `requests`: a table, or the JSON array scripts rely on.
pub(super) fn list(
    state: &State,
    today: NaiveDate,
    args: &RequestsArgs,
    lang: Lang,
    out: &mut impl Write,
) -> Result<Exit> {
    let status = match args.status.as_deref().map(|s| (s, RequestStatus::parse(s))) {
        None => None,
        Some((_, Some(s))) => Some(s),
        Some((_, None)) => {
            let options = RequestStatus::ALL.map(|s| s.code()).join(", ");
            return Ok(super::rejected(&Rejection::new("status", Reason::NotAChoice { options }), lang));
        }
    };
    let filter = Filter { village: args.village.as_deref(), point: args.point.as_deref(), status };
    let rows = requests::rows(state, &filter, today);
    if args.json {
        let v: Vec<_> = rows.iter().map(|r| requests::json(r, today)).collect();
        write_json(out, &v)?;
        return Ok(Exit::Ok);
    }
    let t: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let overdue = if r.overdue(today) { "!" } else { "" };
            vec![
                format!("{overdue}{}", Request::label(r.id)),
                r.requester.village().to_string(),
                r.point.clone(),
                r.item.clone(),
                r.qty.to_string(),
                r.approved().to_string(),
                r.dispatched().to_string(),
                r.delivered().to_string(),
                r.outstanding().to_string(),
                r.status().label(lang).to_string(),
                r.by.to_string(),
            ]
        })
        .collect();
    let heads = [
        "id",
        "village",
        "point",
        "item",
        "qty>",
        "approved>",
        "dispatched>",
        "delivered>",
        "outstanding>",
        "status",
        "by",
    ];
    write!(out, "{}", text::table(&heads, &t))?;
    Ok(Exit::Ok)
}
