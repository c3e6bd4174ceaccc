//! Household and hotline case rows for `households`, `cases`, the faces and the daily report:
//! each as its reader may see it (personal data masked through `privacy`), households with the
//! next named delivery due, overdue first; cases pending first by due time. The JSON names are
//! those of the household import. Cost: one pass over the register or the cases held.

use crate::domain::access::Access;
use crate::domain::hotline::{Case, CaseHours, CaseStatus};
use crate::domain::household::Household;
use crate::domain::privacy;
use crate::domain::state::State;
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde_json::json;

/// Which households to list.
#[derive(Clone, Debug, Default)]
pub struct HouseholdFilter<'a> {
    pub village: Option<&'a str>,
    /// Only those with a named delivery due today or overdue.
    pub due: bool,
}

/// The households that pass the filter as `access` may see them, soonest due first.
pub fn households(state: &State, access: &Access, filter: &HouseholdFilter, today: NaiveDate) -> Vec<Household> {
    let mut rows: Vec<Household> = state
        .households
        .values()
        .filter(|h| filter.village.is_none_or(|v| h.village == v))
        .filter(|h| !filter.due || h.next_due().is_some_and(|d| d <= today))
        .map(|h| if privacy::sees(state, access, &h.village) { h.clone() } else { h.masked() })
        .collect();
    rows.sort_by(|a, b| a.next_due().cmp(&b.next_due()).then_with(|| a.code.cmp(&b.code)));
    rows.sort_by_key(|h| h.next_due().is_none());
    rows
}

/// A personal field: `null` when masked.
fn personal(masked: bool, text: &str) -> serde_json::Value {
    if masked {
        serde_json::Value::Null
    } else {
        json!(text)
    }
}

/// One household as JSON: `code`, `name`, `village`, `point`, `address`, `phone`,
/// `categories`, `needs` (each with its `due` day), `responsible`, `next_due`, `overdue`,
/// `masked`.
pub fn household_json(state: &State, h: &Household, today: NaiveDate) -> serde_json::Value {
    let m = h.masked;
    let needs: Vec<serde_json::Value> = h
        .needs
        .iter()
        .map(|n| {
            json!({
                "item": n.item, "qty": n.qty.as_f64(), "every_days": n.every_days,
                "last": n.last, "due": n.due(h.registered),
            })
        })
        .collect();
    json!({
        "code": h.code,
        "name": personal(m, &h.name),
        "village": h.village,
        "point": state.villages.get(&h.village).map(|v| v.point.clone()),
        "address": personal(m, &h.address),
        "phone": personal(m, &h.phone),
        "categories": h.categories.iter().map(|c| c.code()).collect::<Vec<_>>(),
        "needs": needs,
        "responsible": h.responsible,
        "responsible_phone": h.responsible_phone,
        "note": personal(m, &h.note),
        "registered": h.registered,
        "next_due": h.next_due(),
        "overdue": h.next_due().is_some_and(|d| d < today),
        "masked": m,
    })
}

/// Which cases to list.
#[derive(Clone, Copy, Debug, Default)]
pub struct CaseFilter {
    pub status: Option<CaseStatus>,
    /// Only pending cases past due.
    pub overdue: bool,
}

/// The cases that pass the filter as `access` may see them: pending ones first by due time,
/// then the others newest first.
pub fn cases(
    state: &State,
    access: &Access,
    filter: CaseFilter,
    now: DateTime<FixedOffset>,
    hours: CaseHours,
) -> Vec<Case> {
    let mut rows: Vec<Case> = state
        .cases
        .values()
        .filter(|c| filter.status.is_none_or(|s| c.status == s))
        .filter(|c| !filter.overdue || c.overdue(now, hours))
        .map(|c| if privacy::sees(state, access, &c.village) { c.clone() } else { c.masked() })
        .collect();
    rows.sort_by_key(|c| (!c.status.is_pending(), if c.status.is_pending() { c.due(hours) } else { c.since }));
    let split = rows.iter().position(|c| !c.status.is_pending()).unwrap_or(rows.len());
    rows[split..].reverse();
    rows
}

/// One case as JSON: `id`, `at`, `kind`, `status`, `urgent`, `due`, `overdue`, `village`,
/// `household`, `item`, `text`, `caller`, `phone`, `assigned_to`, `resolution`, `request`,
/// `masked`.
pub fn case_json(c: &Case, now: DateTime<FixedOffset>, hours: CaseHours) -> serde_json::Value {
    json!({
        "id": Case::label(c.id),
        "at": c.at,
        "kind": c.kind.code(),
        "status": c.status.code(),
        "urgent": c.urgent,
        "due": c.due(hours),
        "overdue": c.overdue(now, hours),
        "village": c.village,
        "household": c.household,
        "item": c.item,
        "text": c.text,
        "caller": personal(c.masked, &c.caller),
        "phone": personal(c.masked, &c.phone),
        "assigned_to": c.assigned_to,
        "resolution": c.resolution,
        "request": c.request.map(crate::domain::demand::Request::label),
        "masked": c.masked,
    })
}

/// A day's hotline and named-delivery figures for the daily report.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct HotlineDay {
    /// Cases taken that day.
    pub cases_opened: usize,
    /// Cases resolved that day.
    pub cases_resolved: usize,
    /// Cases whose due time fell that day (by `now`, for today) and that were not resolved by
    /// it.
    pub cases_overdue: usize,
    /// Needs due that day or earlier and not delivered before it.
    pub named_due: usize,
    /// Named deliveries made that day.
    pub named_made: usize,
    /// Of those due, the ones past their day and not delivered that day either.
    pub named_overdue: usize,
}

/// The figures of `date` as the state stands at `now`. Cost: one pass over the cases and the
/// households' needs.
pub fn day(state: &State, date: NaiveDate, now: DateTime<FixedOffset>, hours: CaseHours) -> HotlineDay {
    let mut d = HotlineDay::default();
    for c in state.cases.values() {
        d.cases_opened += usize::from(c.at.date_naive() == date);
        d.cases_resolved += usize::from(c.resolved_at.is_some_and(|t| t.date_naive() == date));
        let due = c.due(hours);
        let missed = due <= now && c.resolved_at.is_none_or(|t| t > due);
        d.cases_overdue += usize::from(due.date_naive() == date && missed);
    }
    for h in state.households.values() {
        for n in &h.needs {
            let due = h.due_before(n, date);
            let made = h.delivered_on(&n.item, date);
            d.named_made += usize::from(made);
            d.named_due += usize::from(due <= date);
            d.named_overdue += usize::from(due < date && !made);
        }
    }
    d
}
