//! Validation of the duty officer's commands: `Town`, `Handover`, `Ack`, `Unack`, `Level`, `Pass`.
//! Imports domain types and the shared checks of `validate` only.

use super::{check_code, check_ident, check_name, check_text, last_day, officer_only, rej, Ctx, R};
use crate::domain::alerts::Alert;
use crate::domain::command::Resolved;
use crate::domain::level::ResponseLevel;
use crate::domain::reject::{Reason, Rejection};
use crate::domain::state::State;
use chrono::NaiveDate;

/// The town's name.
pub(super) fn town(ctx: &Ctx, name: &str, code: &str) -> R<Resolved> {
    officer_only(ctx.access, "town")?;
    check_name("town", name)?;
    if !code.is_empty() && !crate::domain::ident::town_code_ok(code) {
        return rej("code", Reason::BadTownCode { max: crate::domain::ident::MAX_TOWN_CODE });
    }
    Ok(Resolved::default())
}

/// The watch passing to a known person, and resolving who hands it over.
pub(super) fn handover(state: &State, ctx: &Ctx, to: &str, note: &str) -> R<Resolved> {
    officer_only(ctx.access, "to")?;
    check_code("to", to)?;
    check_text("note", note)?;
    if !state.people.contains_key(to) {
        return rej("to", Reason::UnknownPerson { name: to.to_string() });
    }
    // The watch passes from whoever last took it by handover; with none logged yet, from
    // the rota: the previous shift's officer when the current shift's officer is taking
    // over, else the current shift's.
    let current = state.shift_at(ctx.now);
    let previous = current.and_then(|c| state.shift_at(c.start - chrono::Duration::seconds(1)));
    let from = state
        .handovers
        .values()
        .next_back()
        .map(|h| h.to.clone())
        .or_else(|| match (current, previous) {
            (Some(c), Some(p)) if c.duty_officer == to => Some(p.duty_officer.clone()),
            (Some(c), _) => Some(c.duty_officer.clone()),
            (None, _) => None,
        })
        .unwrap_or_default();
    if from == to {
        return rej("to", Reason::SamePerson { name: to.to_string() });
    }
    Ok(Resolved { from: Some(from), ..Resolved::default() })
}

/// A known alert, named by its label, that the caller (an officer) may acknowledge or not.
fn known_alert<'a>(state: &'a State, ctx: &Ctx, alert: &str) -> R<&'a Alert> {
    officer_only(ctx.access, "alert")?;
    check_code("alert", alert)?;
    let unknown = || Rejection::new("alert", Reason::UnknownAlert { id: alert.to_string() });
    let id = Alert::parse_label(alert).ok_or_else(unknown)?;
    state.alerts.get(&id).ok_or_else(unknown)
}

/// An acknowledgement of a known open alert not yet acknowledged; resolves the officer on
/// duty, recorded beside the OS user. Cost: O(log alerts + log handovers).
pub(super) fn ack(state: &State, ctx: &Ctx, alert: &str) -> R<Resolved> {
    let a = known_alert(state, ctx, alert)?;
    if a.cleared_at.is_some() {
        return rej("alert", Reason::AlreadyCleared { id: Alert::label(a.id) });
    }
    if let Some(by) = &a.acked_by {
        return rej("alert", Reason::AlreadyAcked { id: Alert::label(a.id), by: by.clone() });
    }
    Ok(Resolved { on_duty: state.officer_on_duty(ctx.now), ..Resolved::default() })
}

/// Withdrawing the acknowledgement of a known, acknowledged alert. Cost: O(log alerts).
pub(super) fn unack(state: &State, ctx: &Ctx, alert: &str) -> R<Resolved> {
    let a = known_alert(state, ctx, alert)?;
    if a.acked_by.is_none() {
        return rej("alert", Reason::NotAcked { id: Alert::label(a.id) });
    }
    Ok(Resolved::default())
}

/// A vehicle's pass issued or renewed: a known vehicle, a pass number, a last day not before
/// today and not absurdly far ahead. Cost: O(log vehicles).
pub(super) fn pass(state: &State, ctx: &Ctx, plate: &str, number: &str, until: NaiveDate) -> R<Resolved> {
    officer_only(ctx.access, "vehicle")?;
    check_code("vehicle", plate)?;
    if !state.vehicles.contains_key(plate) {
        return rej("vehicle", Reason::UnknownVehicle { plate: plate.to_string() });
    }
    check_ident("number", number)?;
    last_day("valid_until", until, ctx.now.date_naive())?;
    Ok(Resolved::default())
}

/// A change of the response level in force.
pub(super) fn level(state: &State, ctx: &Ctx, level: ResponseLevel) -> R<Resolved> {
    officer_only(ctx.access, "level")?;
    if level == state.settings.level {
        return rej("level", Reason::SameLevel { level: level.code().to_string() });
    }
    Ok(Resolved::default())
}
