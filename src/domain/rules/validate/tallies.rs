//! Validation of `Tally`: a village's tally for a day, by the point that serves it (a tally for
//! a village another point serves is refused), with lines of known items and sensible
//! quantities, no item twice, or a zero tally; once per village and day. Its lines become
//! requests needed by the delivery day `lead_days` later; the next tally is due `tally_days`
//! later. Cost: the village, its lines and one lookup of the day's tally.
//! Imports domain types and the shared checks of `validate` only.

use super::{check_code, item, may_write_point, quantity, rej, requests::next_request, Ctx, R};
use crate::domain::command::Resolved;
use crate::domain::demand::{Request, TallyLine};
use crate::domain::reject::{Reason, Rejection};
use crate::domain::state::State;
use chrono::{Duration, NaiveDate};

pub(super) fn tally(
    state: &State,
    ctx: &Ctx,
    village: &str,
    date: NaiveDate,
    lines: &[TallyLine],
    zero: bool,
) -> R<Resolved> {
    check_code("village", village)?;
    let v = state
        .villages
        .get(village)
        .ok_or_else(|| Rejection::new("village", Reason::UnknownVillage { code: village.to_string() }))?;
    may_write_point(ctx.access, "village", &v.point)?;
    super::daily::day_held(date, ctx.now.date_naive())?;
    if state.tallies.contains_key(&(date, village.to_string())) {
        return rej("village", Reason::AlreadyTallied { village: village.to_string(), date: date.to_string() });
    }
    match (zero, lines.is_empty()) {
        (true, false) => return rej("line", Reason::ZeroWithLines),
        (false, true) => return rej("line", Reason::Empty),
        _ => {}
    }
    for (n, line) in lines.iter().enumerate() {
        let it = item(state, &line.item)?;
        quantity("qty", line.qty, it)?;
        if lines[..n].iter().any(|l| l.item == line.item) {
            return rej("line", Reason::NamedTwice { id: line.item.clone() });
        }
    }
    let days = |n: u32| Duration::days(i64::from(n));
    Ok(Resolved {
        request: (!lines.is_empty()).then(|| Request::label(next_request(state, ctx.seq))),
        by: Some(date + days(ctx.demand.lead_days)),
        next_due: Some(date + days(ctx.demand.tally_days)),
        ..Resolved::default()
    })
}
