//! The alert rules of the people who cannot wait: a household's need past due without a named
//! delivery ("named delivery overdue", critical for medicine, naming the household's code and
//! never its head), a hotline case open or assigned past its due time, and as many shortage
//! calls about one item from one zone in a day as `[alerts] shortage_calls`. Reads the domain
//! types only; never the store, the engine or a face.

use super::alerts::Condition;
use crate::domain::alerts::{AlertKind, Severity, Thresholds};
use crate::domain::catalog::ItemGroup;
use crate::domain::hotline::{Case, CaseHours, CaseKind};
use crate::domain::state::State;
use chrono::{DateTime, FixedOffset};
use std::collections::BTreeMap;

/// Every hotline condition at `now`. Cost: one pass over the households' needs, the pending
/// cases and the cases taken today (the tail of the cases), never the whole history.
pub fn conditions(state: &State, now: DateTime<FixedOffset>, th: &Thresholds, found: &mut Vec<Condition>) {
    overdue_deliveries(state, now, found);
    overdue_cases(state, now, th, found);
    shortage_calls(state, now, th, found);
}

/// Needs past their due day: the value is the days overdue; subject `HOUSEHOLD/ITEM`.
fn overdue_deliveries(state: &State, now: DateTime<FixedOffset>, found: &mut Vec<Condition>) {
    let today = now.date_naive();
    for h in state.households.values() {
        let point = state.villages.get(&h.village).map(|v| v.point.clone());
        for n in &h.needs {
            let late = (today - n.due(h.registered)).num_days();
            if late <= 0 {
                continue;
            }
            let medicine = state.items.get(&n.item).is_some_and(|i| i.group == ItemGroup::Medicine);
            found.push(Condition {
                kind: AlertKind::NamedDeliveryOverdue,
                severity: if medicine { Severity::Critical } else { Severity::Warning },
                subject: format!("{}/{}", h.code, n.item),
                point: point.clone(),
                item: Some(n.item.clone()),
                value: Some(late as f64),
            });
        }
    }
}

/// Pending cases past due: the value is the hours overdue; urgent ones are critical.
fn overdue_cases(state: &State, now: DateTime<FixedOffset>, th: &Thresholds, found: &mut Vec<Condition>) {
    let hours = CaseHours::of(th);
    for c in state.pending_cases.iter().filter_map(|id| state.cases.get(id)) {
        if !c.overdue(now, hours) {
            continue;
        }
        found.push(Condition {
            kind: AlertKind::CaseOverdue,
            severity: if c.urgent { Severity::Critical } else { Severity::Warning },
            subject: Case::label(c.id),
            point: state.villages.get(&c.village).map(|v| v.point.clone()),
            item: c.item.clone(),
            value: Some((now - c.due(hours)).num_minutes() as f64 / 60.0),
        });
    }
}

/// Today's shortage calls per zone and item, at or above the threshold: subject `ZONE/ITEM`,
/// the value the number of calls.
fn shortage_calls(state: &State, now: DateTime<FixedOffset>, th: &Thresholds, found: &mut Vec<Condition>) {
    let today = now.date_naive();
    let mut calls: BTreeMap<(String, String), u32> = BTreeMap::new();
    for c in state.cases.values().rev().take_while(|c| c.at.date_naive() == today) {
        let (CaseKind::Shortage, Some(item)) = (c.kind, &c.item) else { continue };
        let zone = state.villages.get(&c.village).and_then(|v| state.points.get(&v.point)).map(|p| p.zone.clone());
        if let Some(zone) = zone {
            let n = calls.entry((zone, item.clone())).or_insert(0);
            *n = n.saturating_add(1);
        }
    }
    for ((zone, item), n) in calls {
        if n >= th.shortage_calls {
            found.push(Condition {
                kind: AlertKind::ShortageCalls,
                severity: Severity::Warning,
                subject: format!("{zone}/{item}"),
                point: None,
                item: Some(item),
                value: Some(f64::from(n)),
            });
        }
    }
}
