//! Validation: checks a command against the state, the caller's access and the clock, and
//! resolves what the event must record (new dispatch id, batches taken). A rejection names the
//! field and the reason and changes nothing. This file holds the checks every command shares and
//! `validate`, which hands each command to its own module. Imports domain types only; never the
//! store, the engine or a face.

mod adjust;
mod daily;
mod dispatch;
mod hotline;
mod kits;
mod names;
mod receive;
mod records;
mod requests;
mod restock;
mod tallies;
mod watch;

pub use hotline::MAX_EVERY_DAYS;
pub use names::Registry;

use crate::domain::access::Access;
use crate::domain::catalog::Item;
use crate::domain::command::{Command, Resolved};
use crate::domain::demand::DemandSettings;
use crate::domain::network::Point;
use crate::domain::qty::{Fen, Qty, MAX_QTY};
use crate::domain::reject::{Reason, Rejection};
use crate::domain::state::{Dispatch, State};
use chrono::{DateTime, FixedOffset, NaiveDate};

/// The longest note or name accepted.
pub const MAX_TEXT: usize = 500;
/// The highest price accepted, in fen (100,000 yuan).
pub const MAX_FEN: Fen = Fen(10_000_000);

/// The furthest ahead an expiry date may lie: anything later is a typing mistake.
pub const MAX_EXPIRY_YEARS: u32 = 100;

/// What validation needs besides the state.
pub struct Ctx<'a> {
    pub now: DateTime<FixedOffset>,
    pub access: &'a Access,
    /// The sequence number the event will get (dispatch ids are made from it).
    pub seq: u64,
    /// A dispatch no longer held in memory, looked up in the store's history.
    pub past_dispatch: &'a dyn Fn(u64) -> Option<Dispatch>,
    /// Who approves requests (`[demand]`).
    pub demand: &'a DemandSettings,
}

type R<T> = Result<T, Rejection>;

fn rej<T>(field: &str, reason: Reason) -> R<T> {
    Err(Rejection::new(field, reason))
}

/// Text a person typed: no control characters, not too long.
pub fn check_text(field: &str, text: &str) -> R<()> {
    if text.chars().any(|c| c.is_control()) {
        return rej(field, Reason::BadText);
    }
    if text.chars().count() > MAX_TEXT {
        return rej(field, Reason::TooLong { max: MAX_TEXT });
    }
    Ok(())
}

/// A code or name that must be present.
pub fn check_code(field: &str, text: &str) -> R<()> {
    if text.trim().is_empty() {
        return rej(field, Reason::Empty);
    }
    check_text(field, text)
}

/// A code of reference data: present, plain text, every character showing, one script.
pub fn check_ident(field: &str, text: &str) -> R<()> {
    check_code(field, text)?;
    crate::domain::ident::check_code(text).map_err(|r| Rejection::new(field, r))
}

/// A name of reference data: present, plain text, every character showing.
pub fn check_name(field: &str, text: &str) -> R<()> {
    check_code(field, text)?;
    crate::domain::ident::check_name(text).map_err(|r| Rejection::new(field, r))
}

fn point<'a>(state: &'a State, field: &str, code: &str) -> R<&'a Point> {
    check_code(field, code)?;
    state.points.get(code).ok_or_else(|| Rejection::new(field, Reason::UnknownPoint { code: code.to_string() }))
}

fn item<'a>(state: &'a State, code: &str) -> R<&'a Item> {
    check_code("item", code)?;
    state.items.get(code).ok_or_else(|| Rejection::new("item", Reason::UnknownItem { code: code.to_string() }))
}

/// A quantity moved: positive, not absurd, whole where the unit is counted whole.
fn quantity(field: &str, qty: Qty, item: &Item) -> R<()> {
    if qty.0 == 0 {
        return rej(field, Reason::Zero);
    }
    if qty.0 < 0 {
        return rej(field, Reason::NotPositive);
    }
    if qty > MAX_QTY {
        return rej(field, Reason::TooLarge);
    }
    if !item.divisible() && !qty.is_whole() {
        return rej(field, Reason::NotWhole { unit: item.unit.clone() });
    }
    Ok(())
}

/// The last day something is good for (an expiry, a pass): not before today, not absurdly far
/// ahead.
fn last_day(field: &str, day: NaiveDate, today: NaiveDate) -> R<()> {
    if day < today {
        return rej(field, Reason::ExpiryPast { expiry: day.to_string() });
    }
    let furthest = today.checked_add_months(chrono::Months::new(12 * MAX_EXPIRY_YEARS)).unwrap_or(today);
    if day > furthest {
        return rej(field, Reason::FarFuture { date: day.to_string(), years: MAX_EXPIRY_YEARS });
    }
    Ok(())
}

/// Whether the caller may write for `point`.
fn may_write_point(access: &Access, field: &str, point: &str) -> R<()> {
    match access {
        Access::Officer => Ok(()),
        Access::Point(own) if own == point => Ok(()),
        Access::Point(own) => rej(field, Reason::OtherPoint { own: own.clone() }),
        Access::Viewer => rej(field, Reason::ReadOnly),
    }
}

fn officer_only(access: &Access, field: &str) -> R<()> {
    match access {
        Access::Officer => Ok(()),
        Access::Point(p) => rej(field, Reason::NotAllowed { role: format!("point:{p}") }),
        Access::Viewer => rej(field, Reason::ReadOnly),
    }
}

/// Checks `cmd` and resolves what its event records.
pub fn validate(state: &State, cmd: &Command, ctx: &Ctx) -> R<Resolved> {
    let res = match cmd {
        Command::Tick => Resolved::default(),
        Command::Town { name, code } => watch::town(ctx, name, code)?,
        Command::Upsert { records } => records::upsert(state, ctx, records)?,
        Command::Restock { point, item, qty, batch, expiry, note, .. } => {
            restock::check(state, ctx, point, item, *qty, note)?;
            restock::lot(state, ctx, point, item, *qty, batch.as_deref(), *expiry)?
        }
        Command::Dispatch { from, to, item, qty, vehicle, note, requests: named } => {
            dispatch::route(state, ctx, from, to)?;
            let shares = requests::shares(state, to, item, *qty, named)?;
            Resolved { shares, ..dispatch::load(state, ctx, from, item, *qty, vehicle.as_deref(), note)? }
        }
        Command::Receive { dispatch, qty, note } => receive::receive(state, ctx, dispatch, *qty, note)?,
        Command::Adjust { point, item, delta, batch, note, .. } => {
            adjust::adjust(state, ctx, point, item, *delta, batch.as_deref(), note)?
        }
        Command::Price { point, item, fen } => daily::price(state, ctx, point, item, *fen)?,
        Command::Report { point, date, note, .. } => daily::report(state, ctx, point, *date, note)?,
        Command::Handover { to, note } => watch::handover(state, ctx, to, note)?,
        Command::Ack { alert } => watch::ack(state, ctx, alert)?,
        Command::Level { level } => watch::level(state, ctx, *level)?,
        Command::Pass { vehicle, number, valid_until } => watch::pass(state, ctx, vehicle, number, *valid_until)?,
        Command::Count { point, item, counted, batch, note } => {
            adjust::count(state, ctx, point, item, *counted, batch.as_deref(), note)?
        }
        Command::Unack { alert } => watch::unack(state, ctx, alert)?,
        Command::Request { requester, item, qty, by, slot, note, .. } => {
            let new = requests::NewRequest { requester, item, qty: *qty, by: *by, slot: slot.as_deref(), note };
            requests::request(state, ctx, &new)?
        }
        Command::Approve { request, qty, reason } => requests::approve(state, ctx, request, *qty, reason)?,
        Command::Refuse { request, reason } => requests::refuse(state, ctx, request, reason)?,
        Command::CancelRequest { request, reason } => requests::cancel(state, ctx, request, reason)?,
        Command::Deliver { dispatch, qty, signed_by, note, household } => {
            let res = requests::deliver(state, ctx, dispatch, *qty, signed_by, note)?;
            match household {
                Some(h) => requests::named(state, dispatch, h, res)?,
                None => res,
            }
        }
        Command::Tally { village, date, lines, zero } => tallies::tally(state, ctx, village, *date, lines, *zero)?,
        Command::Assemble { point, kit, qty } => kits::assemble(state, ctx, point, kit, *qty)?,
        Command::Unpack { point, kit, qty } => kits::unpack(state, ctx, point, kit, *qty)?,
        Command::Schedule { request, slot, date, vehicle } => {
            requests::schedule(state, ctx, request, slot, *date, vehicle.as_deref())?
        }
        Command::Households { changes } => hotline::households(state, ctx, changes)?,
        Command::Case { caller, phone, village, household, item, text, .. } => {
            let new = hotline::NewCase {
                caller,
                phone,
                village: village.as_deref(),
                household: household.as_deref(),
                item: item.as_deref(),
                text,
            };
            hotline::case(state, ctx, &new)?
        }
        Command::AssignCase { case, to } => hotline::assign(state, ctx, case, to)?,
        Command::ResolveCase { case, text, request } => hotline::resolve(state, ctx, case, text, request.as_deref())?,
        Command::ReopenCase { case } => hotline::reopen(state, ctx, case)?,
        Command::CloseCase { case } => hotline::close(state, ctx, case)?,
    };
    if matches!(ctx.access, Access::Viewer) && !matches!(cmd, Command::Tick) {
        return rej("cmd", Reason::ReadOnly);
    }
    state.check_arithmetic(cmd, &res, ctx.now.date_naive())?;
    Ok(res)
}

/// A point the caller may write for, and a known item: where every stock command starts.
fn writable_stock<'a>(state: &'a State, ctx: &Ctx, field: &str, point_code: &str, item_code: &str) -> R<&'a Item> {
    point(state, field, point_code)?;
    may_write_point(ctx.access, field, point_code)?;
    item(state, item_code)
}
