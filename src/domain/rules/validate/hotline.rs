//! Validation of the register of households (`Households`) and of hotline cases (`Case`,
//! `AssignCase`, `ResolveCase`, `ReopenCase`, `CloseCase`). Officers and the clerk of the point
//! that serves the village write them. A phone that is not a phone, an unknown village, item,
//! category, household, case or person, a need of cadence 0, a step that does not apply in the
//! case's status: refused naming the field. Cost: the changes named and one lookup each.
//! Imports domain types and the shared checks of `validate` only.

use super::{check_code, check_ident, check_name, check_text, item, may_write_point, quantity, rej, Ctx, R};
use crate::domain::command::Resolved;
use crate::domain::demand::Request;
use crate::domain::hotline::{Case, CaseStatus};
use crate::domain::household::{phone_ok, Category, HouseholdChange, NeedSpec};
use crate::domain::lang::Lang;
use crate::domain::reject::{Reason, Rejection};
use crate::domain::state::State;

/// The longest cadence of a need, in days.
pub const MAX_EVERY_DAYS: u32 = 366;

/// New or changed households, each checked as the change leaves it.
pub(super) fn households(state: &State, ctx: &Ctx, changes: &[HouseholdChange]) -> R<Resolved> {
    if changes.is_empty() {
        return rej("household", Reason::Empty);
    }
    for (n, c) in changes.iter().enumerate() {
        check_ident("household", &c.code)?;
        if changes[..n].iter().any(|x| x.code == c.code) {
            return rej("household", Reason::NamedTwice { id: c.code.clone() });
        }
        change(state, ctx, c)?;
    }
    Ok(Resolved::default())
}

fn change(state: &State, ctx: &Ctx, c: &HouseholdChange) -> R<()> {
    let base = state.households.get(&c.code);
    if let Some(b) = base {
        may_write_village(state, ctx, &b.village)?;
    }
    let h = c.merged(base, ctx.now.date_naive());
    check_name("name", &h.name)?;
    check_code("village", &h.village)?;
    may_write_village(state, ctx, &h.village)?;
    check_text("address", &h.address)?;
    check_text("responsible", &h.responsible)?;
    check_text("note", &h.note)?;
    phone("phone", &h.phone)?;
    phone("responsible_phone", &h.responsible_phone)?;
    for t in c.categories.iter().flatten() {
        if Category::parse(t).is_none() {
            return rej("categories", Reason::NotAChoice { options: Category::ALL.map(|k| k.code()).join(", ") });
        }
    }
    let needs = c.needs.as_deref().unwrap_or_default();
    for (n, need) in needs.iter().enumerate() {
        self::need(state, need)?;
        if needs[..n].iter().any(|x| x.item == need.item) {
            return rej("need", Reason::NamedTwice { id: need.item.clone() });
        }
    }
    Ok(())
}

fn need(state: &State, need: &NeedSpec) -> R<()> {
    let it = item(state, &need.item)?;
    quantity("qty", need.qty, it)?;
    match need.every_days {
        0 => rej("every_days", Reason::Zero),
        d if d > MAX_EVERY_DAYS => rej("every_days", Reason::TooLarge),
        _ => Ok(()),
    }
}

/// A phone, when one is given (the number is never quoted back).
fn phone(field: &str, text: &str) -> R<()> {
    if text.trim().is_empty() || phone_ok(text) {
        return Ok(());
    }
    rej(field, Reason::BadPhone)
}

/// A known village whose point the caller may write for.
fn may_write_village(state: &State, ctx: &Ctx, code: &str) -> R<()> {
    let v = state
        .villages
        .get(code)
        .ok_or_else(|| Rejection::new("village", Reason::UnknownVillage { code: code.to_string() }))?;
    may_write_point(ctx.access, "village", &v.point)
}

/// A known household (field `household`).
pub(super) fn household<'a>(state: &'a State, code: &str) -> R<&'a crate::domain::household::Household> {
    check_code("household", code)?;
    state
        .households
        .get(code)
        .ok_or_else(|| Rejection::new("household", Reason::UnknownHousehold { code: code.to_string() }))
}

/// What a new case says.
pub(super) struct NewCase<'a> {
    pub caller: &'a str,
    pub phone: &'a str,
    pub village: Option<&'a str>,
    pub household: Option<&'a str>,
    pub item: Option<&'a str>,
    pub text: &'a str,
}

/// A call taken: a caller with a phone, about a known village or household, a known item if
/// any, and what was said. The case gets the event's number.
pub(super) fn case(state: &State, ctx: &Ctx, new: &NewCase) -> R<Resolved> {
    check_name("caller", new.caller)?;
    check_code("phone", new.phone)?;
    if !phone_ok(new.phone) {
        return rej("phone", Reason::BadPhone);
    }
    let village = match (new.village, new.household) {
        (Some(v), None) => v.to_string(),
        (None, Some(h)) => household(state, h)?.village.clone(),
        _ => return rej("village", Reason::VillageOrHousehold),
    };
    check_code("village", &village)?;
    may_write_village(state, ctx, &village)?;
    if let Some(i) = new.item {
        item(state, i)?;
    }
    check_code("text", new.text)?;
    Ok(Resolved { case: Some(Case::label(ctx.seq)), village: Some(village), ..Resolved::default() })
}

/// A known case the caller may act on, in one of `allowed`.
fn known<'a>(state: &'a State, ctx: &Ctx, label: &str, allowed: &[CaseStatus]) -> R<&'a Case> {
    check_code("case", label)?;
    let c = Case::parse_label(label)
        .and_then(|id| state.cases.get(&id))
        .ok_or_else(|| Rejection::new("case", Reason::UnknownCase { id: label.to_string() }))?;
    may_write_village(state, ctx, &c.village)?;
    if !allowed.contains(&c.status) {
        let (status, status_zh) = (c.status.label(Lang::En).to_string(), c.status.label(Lang::Zh).to_string());
        return rej("case", Reason::CaseIs { id: Case::label(c.id), status, status_zh });
    }
    Ok(c)
}

fn acted_on(c: &Case) -> R<Resolved> {
    Ok(Resolved { case: Some(Case::label(c.id)), ..Resolved::default() })
}

/// Given (or given again) to a person on the roster.
pub(super) fn assign(state: &State, ctx: &Ctx, label: &str, to: &str) -> R<Resolved> {
    let c = known(state, ctx, label, &[CaseStatus::Open, CaseStatus::Assigned])?;
    check_code("assignee", to)?;
    if !state.people.contains_key(to) {
        return rej("assignee", Reason::UnknownPerson { name: to.to_string() });
    }
    acted_on(c)
}

/// Resolved with what was done, and the request it led to if any; not once resolved or closed.
pub(super) fn resolve(state: &State, ctx: &Ctx, label: &str, text: &str, request: Option<&str>) -> R<Resolved> {
    let c = known(state, ctx, label, &[CaseStatus::Open, CaseStatus::Assigned])?;
    check_code("text", text)?;
    if let Some(q) = request {
        check_code("request", q)?;
        if !Request::parse_label(q).is_some_and(|id| state.requests.contains_key(&id)) {
            return rej("request", Reason::UnknownRequest { id: q.to_string() });
        }
    }
    acted_on(c)
}

/// A resolved or closed case taken up again: due afresh from now.
pub(super) fn reopen(state: &State, ctx: &Ctx, label: &str) -> R<Resolved> {
    acted_on(known(state, ctx, label, &[CaseStatus::Resolved, CaseStatus::Closed])?)
}

/// A resolved case closed.
pub(super) fn close(state: &State, ctx: &Ctx, label: &str) -> R<Resolved> {
    acted_on(known(state, ctx, label, &[CaseStatus::Resolved])?)
}

/// A case a request is made from: known, writable, not closed.
pub(super) fn case_for_request<'a>(state: &'a State, ctx: &Ctx, label: &str) -> R<&'a Case> {
    known(state, ctx, label, &[CaseStatus::Open, CaseStatus::Assigned, CaseStatus::Resolved])
}
