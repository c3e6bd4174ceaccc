//! The demand side of the command line: `log request|approve|refuse|cancel|deliver|tally|
//! schedule|assemble|unpack` made into
//! commands (a bad quantity or date is refused before anything is sent); the `requests` and
//! `tallies` listings are rendered by `listing::demand`.

use super::args::LogCmd;
use super::log::{date_arg, qty_arg};
use crate::domain::command::Command;
use crate::domain::demand::{Requester, TallyLine};
use crate::domain::reject::{Reason, Rejection};
use chrono::NaiveDate;

/// A demand `log` subcommand as a command and its common options.
pub(super) fn command(log: LogCmd, today: NaiveDate) -> Result<(Command, super::args::Common), Rejection> {
    Ok(match log {
        LogCmd::Request { village, household, case, item, kit, qty, by, slot, urgent, note, common } => {
            let item = item.or(kit);
            let by = match by {
                Some(b) => date_arg("by", &b)?,
                None => today.succ_opt().unwrap_or(today),
            };
            let requester = match (village, household, case) {
                (Some(code), _, _) => Requester::Village { code },
                (None, Some(code), _) => Requester::Household { code, village: String::new() },
                (None, None, Some(id)) => Requester::Case { id },
                (None, None, None) => return Err(Rejection::new("village", Reason::Empty)),
            };
            // From a case without --item: the engine takes the case's item.
            let item = item.unwrap_or_default();
            (Command::Request { requester, item, qty: qty_arg("qty", &qty)?, by, slot, urgent, note }, common)
        }
        LogCmd::Approve { request, qty, reason, common } => {
            (Command::Approve { request, qty: qty.map(|q| qty_arg("qty", &q)).transpose()?, reason }, common)
        }
        LogCmd::Refuse { request, reason, common } => (Command::Refuse { request, reason }, common),
        LogCmd::Cancel { request, reason, common } => (Command::CancelRequest { request, reason }, common),
        LogCmd::Deliver { dispatch, qty, signed_by, note, household, common } => {
            (Command::Deliver { dispatch, qty: qty_arg("qty", &qty)?, signed_by, note, household }, common)
        }
        LogCmd::Tally { village, date, lines, zero, common } => {
            let date = date.map(|d| date_arg("date", &d)).transpose()?.unwrap_or(today);
            let lines = lines.iter().map(|l| tally_line(l)).collect::<Result<_, _>>()?;
            (Command::Tally { village, date, lines, zero }, common)
        }
        LogCmd::Schedule { request, slot, date, vehicle, common } => {
            let date = date.map(|d| date_arg("date", &d)).transpose()?;
            (Command::Schedule { request, slot, date, vehicle }, common)
        }
        LogCmd::Assemble { point, kit, qty, common } => {
            (Command::Assemble { point, kit, qty: qty_arg("qty", &qty)? }, common)
        }
        LogCmd::Unpack { point, kit, qty, common } => {
            (Command::Unpack { point, kit, qty: qty_arg("qty", &qty)? }, common)
        }
        _ => return Err(Rejection::new("cmd", Reason::Empty)),
    })
}

/// `ITEM=QTY`.
fn tally_line(text: &str) -> Result<TallyLine, Rejection> {
    let (item, qty) = text.split_once('=').ok_or_else(|| Rejection::new("line", Reason::BadLine))?;
    Ok(TallyLine { item: item.trim().to_string(), qty: qty_arg("qty", qty)? })
}
