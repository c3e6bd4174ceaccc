//! Validation of a point's daily figures: `Price` and `Report`.
//! Imports domain types and the shared checks of `validate` only.

use super::{check_text, item, may_write_point, point, rej, Ctx, MAX_FEN, R};
use crate::domain::command::Resolved;
use crate::domain::qty::Fen;
use crate::domain::reject::Reason;
use crate::domain::retention;
use crate::domain::state::State;
use chrono::NaiveDate;

/// A positive, not absurd price of a known item at a point the caller may write for.
pub(super) fn price(state: &State, ctx: &Ctx, p: &str, i: &str, fen: Fen) -> R<Resolved> {
    point(state, "point", p)?;
    may_write_point(ctx.access, "point", p)?;
    item(state, i)?;
    if fen.0 <= 0 {
        return rej("yuan", Reason::NotPositive);
    }
    if fen > MAX_FEN {
        return rej("yuan", Reason::TooLarge);
    }
    Ok(Resolved::default())
}

/// The daily report of a point the caller may write for, for a day not in the future and still
/// held in memory.
pub(super) fn report(state: &State, ctx: &Ctx, p: &str, date: NaiveDate, note: &str) -> R<Resolved> {
    point(state, "point", p)?;
    may_write_point(ctx.access, "point", p)?;
    check_text("note", note)?;
    day_held(date, ctx.now.date_naive())?;
    Ok(Resolved::default())
}

/// A day (field `date`) not in the future and still held in memory: a report or tally for a
/// day whose figures are no longer held is a typing mistake.
pub(super) fn day_held(date: NaiveDate, today: NaiveDate) -> R<()> {
    if date > today {
        return rej("date", Reason::FutureDate { date: date.to_string() });
    }
    let oldest = retention::cutoff(today);
    if date < oldest {
        return rej("date", Reason::PastDate { date: date.to_string(), oldest: oldest.to_string() });
    }
    Ok(())
}
