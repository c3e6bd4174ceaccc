//! `log`, `ack` and `level`: one command each, sent through the link (the daemon when one
//! runs). Arguments become a `Command` here; a bad quantity or date is rejected (exit 2) before
//! anything is sent.

use super::args::LogCmd;
use super::{rejected, Exit};
use crate::api::{Outcome, Refusal, Request};
use crate::domain::command::{AdjustReason, Command, Dest};
use crate::domain::reject::{Reason, Rejection};
use crate::domain::{Fen, Lang, Qty, ResponseLevel};
use crate::i18n::t;
use crate::link::Link;
use chrono::NaiveDate;
use color_eyre::eyre::{eyre, Result};
use std::io::Write;

pub fn log(link: &mut Link, cmd: LogCmd, lang: Lang, out: &mut impl Write) -> Result<Exit> {
    let today = chrono::Local::now().date_naive();
    match log_request(cmd, today) {
        Ok((req, json)) => submit(link, req, json, lang, out),
        Err(rej) => Ok(rejected(&rej, lang)),
    }
}

pub fn ack(
    link: &mut Link,
    alert: String,
    id: Option<String>,
    json: bool,
    lang: Lang,
    out: &mut impl Write,
) -> Result<Exit> {
    let req = Request { cmd_id: id.unwrap_or_default(), cmd: Command::Ack { alert } };
    submit(link, req, json, lang, out)
}

pub fn level(
    link: &mut Link,
    level: &str,
    id: Option<String>,
    json: bool,
    lang: Lang,
    out: &mut impl Write,
) -> Result<Exit> {
    let Some(level) = ResponseLevel::parse(level) else {
        return Ok(rejected(&level_rejection(), lang));
    };
    let req = Request { cmd_id: id.unwrap_or_default(), cmd: Command::Level { level } };
    submit(link, req, json, lang, out)
}

/// An unknown response level.
pub(super) fn level_rejection() -> Rejection {
    let options = ResponseLevel::ALL.map(|l| l.code()).join(", ");
    Rejection::new("level", Reason::NotAChoice { options })
}

/// Sends one command. Without `--id` it gets a fresh id, so a retry after a broken connection
/// cannot apply it twice.
pub(super) fn submit(link: &mut Link, mut req: Request, json: bool, lang: Lang, out: &mut impl Write) -> Result<Exit> {
    if req.cmd_id.is_empty() {
        req.cmd_id = crate::api::fresh_id("cli");
    }
    match link.submit(req)? {
        Ok(o) => {
            print_outcome(&o, json, lang, out)?;
            Ok(Exit::Ok)
        }
        Err(Refusal::Rejected(r)) => Ok(rejected(&r, lang)),
        Err(Refusal::Fault(fault)) => Err(eyre!(fault.message(lang))),
    }
}

fn print_outcome(o: &Outcome, json: bool, lang: Lang, out: &mut impl Write) -> Result<()> {
    if json {
        serde_json::to_writer(&mut *out, o)?;
        writeln!(out)?;
        return Ok(());
    }
    let mut line = format!("{} {}", t(lang, "cli.recorded_event"), o.seq);
    if let Some(q) = &o.request {
        line.push_str(&format!(", {} {q}", t(lang, "cli.request")));
    }
    if let Some(k) = &o.case {
        line.push_str(&format!(", {} {k}", t(lang, "cli.case")));
    }
    if let Some(d) = &o.dispatch {
        line.push_str(&format!(", {} {d}", t(lang, "cli.dispatch")));
    }
    if o.duplicate {
        line.push_str(t(lang, "cli.duplicate"));
    }
    if !o.raised.is_empty() {
        line.push_str(&format!("; {} {}", t(lang, "cli.alerts_raised"), o.raised.join(" ")));
    }
    if !o.cleared.is_empty() {
        line.push_str(&format!("; {} {}", t(lang, "cli.alerts_cleared"), o.cleared.join(" ")));
    }
    if let Some(d) = o.delta {
        line.push_str(&format!("; {} {d}", t(lang, "cli.count_difference")));
    }
    writeln!(out, "{line}")?;
    for w in &o.warnings {
        writeln!(out, "{} {}", t(lang, "cli.warning"), crate::text::scrub(&w.message(lang)))?;
    }
    Ok(())
}

pub(super) fn qty_arg(field: &str, text: &str) -> Result<Qty, Rejection> {
    Qty::parse(text).map_err(|e| Rejection::new(field, e.reason()))
}

pub(super) fn date_arg(field: &str, text: &str) -> Result<NaiveDate, Rejection> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| Rejection::new(field, Reason::BadDate))
}

fn log_request(log: LogCmd, today: NaiveDate) -> Result<(Request, bool), Rejection> {
    let (cmd, common) = match log {
        LogCmd::Restock { point, item, qty, source, batch, expiry, note, common } => (
            Command::Restock {
                point,
                item,
                qty: qty_arg("qty", &qty)?,
                source: source.into(),
                batch,
                expiry: expiry.map(|e| date_arg("expiry", &e)).transpose()?,
                note,
            },
            common,
        ),
        LogCmd::Dispatch { from, to_point, to_village, item, qty, vehicle, note, requests, common } => {
            let to = match (to_point, to_village) {
                (Some(p), _) => Dest::Point(p),
                (None, Some(v)) => Dest::Village(v),
                (None, None) => return Err(Rejection::new("to_point", Reason::Empty)),
            };
            (Command::Dispatch { from, to, item, qty: qty_arg("qty", &qty)?, vehicle, note, requests }, common)
        }
        LogCmd::Receive { dispatch, qty, note, common } => {
            (Command::Receive { dispatch, qty: qty.map(|q| qty_arg("qty", &q)).transpose()?, note }, common)
        }
        LogCmd::Adjust { point, item, delta, counted, reason, batch, note, common } => {
            (adjust_command(point, item, delta, counted, reason.into(), batch, note)?, common)
        }
        LogCmd::Price { point, item, yuan, common } => (
            Command::Price {
                point,
                item,
                fen: Fen::parse_yuan(&yuan).map_err(|e| Rejection::new("yuan", e.reason()))?,
            },
            common,
        ),
        LogCmd::Report { point, date, zero, note, common } => (
            Command::Report {
                point,
                date: date.map(|d| date_arg("date", &d)).transpose()?.unwrap_or(today),
                zero,
                note,
            },
            common,
        ),
        LogCmd::Handover { to, note, common } => (Command::Handover { to, note }, common),
        LogCmd::Pass { vehicle, number, valid_until, common } => {
            (Command::Pass { vehicle, number, valid_until: date_arg("valid_until", &valid_until)? }, common)
        }
        LogCmd::Unack { alert, common } => (Command::Unack { alert }, common),
        demand @ (LogCmd::Request { .. }
        | LogCmd::Approve { .. }
        | LogCmd::Refuse { .. }
        | LogCmd::Cancel { .. }
        | LogCmd::Deliver { .. }
        | LogCmd::Tally { .. }
        | LogCmd::Schedule { .. }
        | LogCmd::Assemble { .. }
        | LogCmd::Unpack { .. }) => super::requests::command(demand, today)?,
        hotline @ (LogCmd::Household(_)
        | LogCmd::Case { .. }
        | LogCmd::Assign { .. }
        | LogCmd::Resolve { .. }
        | LogCmd::Reopen { .. }
        | LogCmd::Close { .. }) => super::hotline::command(hotline)?,
    };
    Ok((Request { cmd_id: common.id.unwrap_or_default(), cmd }, common.json))
}

/// A stock-take takes the quantity counted (`Count`); the other reasons a change (`Adjust`).
/// Either given with the wrong reason is refused naming it, before anything is sent.
fn adjust_command(
    point: String,
    item: String,
    delta: Option<String>,
    counted: Option<String>,
    reason: AdjustReason,
    batch: Option<String>,
    note: String,
) -> Result<Command, Rejection> {
    match (reason, delta, counted) {
        (AdjustReason::Counted, None, Some(c)) => {
            Ok(Command::Count { point, item, counted: qty_arg("counted", &c)?, batch, note })
        }
        (AdjustReason::Counted, Some(_), _) => Err(Rejection::new("delta", Reason::CountedNotDelta)),
        (AdjustReason::Counted, None, None) => Err(Rejection::new("counted", Reason::Empty)),
        (_, _, Some(_)) => {
            Err(Rejection::new("counted", Reason::DeltaNotCounted { reason: reason.code().to_string() }))
        }
        (_, Some(d), None) => Ok(Command::Adjust { point, item, delta: qty_arg("delta", &d)?, reason, batch, note }),
        (_, None, None) => Err(Rejection::new("delta", Reason::Empty)),
    }
}
