//! Alert rules: which conditions hold now (stockout, projected stockout, below norm, outflow and price spikes, overdue
//! reports, expiring batches, transfers not received, no handover, passes expiring), and the
//! delta against the open alerts: raise what is new, clear what has ended. History stays.
//! Reads the domain types and `rules::cover`; never the store, the engine or a face.

use super::cover::{self, StockStatus};
use crate::domain::alerts::{condition_key, Alert, AlertDelta, AlertKind, Severity, Thresholds};
use crate::domain::catalog::Item;
use crate::domain::command::Dest;
use crate::domain::qty::Qty;
use crate::domain::state::{Dispatch, DispatchStatus, Lot, State};
use chrono::{DateTime, Duration, FixedOffset, NaiveDate};
use std::collections::BTreeMap;

/// Which rules to run: all of them, or only those about some point+item pairs (what a stock
/// movement or a price can change).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    All,
    Pairs(Vec<(String, String)>),
    /// Some pairs and the rules about no pair (reports, transfers, the duty post, passes): what
    /// a report, a handover or a receipt can change. Cost: that of the pairs, plus one pass
    /// over the points, the transfers in transit and the vehicles, never every pair.
    General(Vec<(String, String)>),
    /// Every pair, none of the rules about no pair: a stock movement on a new day.
    EveryPair,
}

impl Scope {
    /// The pairs it names (none for `All`, which means every pair).
    fn pairs(&self) -> Option<&[(String, String)]> {
        match self {
            Scope::All | Scope::EveryPair => None,
            Scope::Pairs(p) | Scope::General(p) => Some(p),
        }
    }
}

/// A condition that holds now.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    pub kind: AlertKind,
    pub severity: Severity,
    pub subject: String,
    pub point: Option<String>,
    pub item: Option<String>,
    pub value: Option<f64>,
}

impl Condition {
    fn pair(kind: AlertKind, severity: Severity, point: &str, item: &str, value: Option<f64>) -> Condition {
        Condition {
            kind,
            severity,
            subject: format!("{point}/{item}"),
            point: Some(point.to_string()),
            item: Some(item.to_string()),
            value,
        }
    }
}

/// Every condition that holds at `now` within `scope`, keyed by condition key.
pub fn evaluate(
    state: &State,
    now: DateTime<FixedOffset>,
    th: &Thresholds,
    scope: &Scope,
) -> BTreeMap<String, Condition> {
    let today = now.date_naive();
    let mut found = Vec::new();
    for (point, item) in &pairs_in(state, today, scope) {
        pair_conditions(state, point, item, today, th, &mut found);
    }
    if matches!(scope, Scope::All | Scope::General(_)) {
        overdue_reports(state, now, th, &mut found);
        unreceived_transfers(state, now, th, &mut found);
        unmanned_post(state, now, th, &mut found);
        expiring_passes(state, today, th, &mut found);
        overdue_tallies(state, today, &mut found);
        super::hotline::conditions(state, now, th, &mut found);
    }
    found.into_iter().map(|c| (condition_key(c.kind, &c.subject), c)).collect()
}

/// An alert's figure as it stands at `now`: an open alert's days of cover, spike ratio, hours
/// waiting or days to a pass's end move on after it was raised, and the feed shows where they
/// are now (the figure at raising stays in `Alert::value`). A cleared alert, or one whose
/// condition no longer holds, keeps the figure it was raised with. O(one pair's rules).
pub fn live_value(state: &State, a: &Alert, now: DateTime<FixedOffset>, th: &Thresholds) -> Option<f64> {
    if a.cleared_at.is_some() {
        return a.value;
    }
    let hours = (now - a.first_seen).num_minutes().max(0) as f64 / 60.0;
    match a.kind {
        AlertKind::ReportOverdue | AlertKind::TransferUnreceived | AlertKind::NoHandover | AlertKind::CaseOverdue => {
            a.value.map(|v| v + hours)
        }
        AlertKind::PassExpiring => {
            a.value.map(|v| v - (now.date_naive() - a.first_seen.date_naive()).num_days().max(0) as f64)
        }
        _ => {
            let (Some(point), Some(item)) = (&a.point, &a.item) else { return a.value };
            let found = evaluate(state, now, th, &Scope::Pairs(vec![(point.clone(), item.clone())]));
            found.get(&condition_key(a.kind, &a.subject)).map_or(a.value, |c| c.value)
        }
    }
}

/// The open alerts a scope may clear: all of them, or those whose key is about one of the
/// pairs (`KIND|POINT/ITEM`, and `KIND|POINT/ITEM/BATCH` for batches; `diff` filters the range's
/// neighbours such as `POINT/ITEM2` by the alert's own point and item).
fn open_in<'s>(state: &'s State, scope: &Scope) -> Vec<(&'s String, &'s u64)> {
    let Some(pairs) = scope.pairs() else { return state.open_alerts.iter().collect() };
    let mut out = Vec::new();
    let prefixed =
        |from: String| state.open_alerts.range(from.clone()..).take_while(move |(k, _)| k.starts_with(&from));
    if matches!(scope, Scope::General(_)) {
        for kind in AlertKind::ALL.iter().filter(|k| !k.about_stock()) {
            out.extend(prefixed(condition_key(*kind, "")));
        }
    }
    for (p, i) in pairs {
        for kind in AlertKind::ALL.iter().filter(|k| k.about_stock()) {
            out.extend(prefixed(condition_key(*kind, &format!("{p}/{i}"))));
        }
    }
    out
}

/// The point+item pairs a scope covers.
fn pairs_in(state: &State, today: NaiveDate, scope: &Scope) -> Vec<(String, String)> {
    match scope {
        // Every pair a point carries, and every pair with a price today (prices are watched
        // whether or not the point stocks the item).
        Scope::All | Scope::EveryPair => {
            let mut all: std::collections::BTreeSet<(String, String)> = state.pairs.keys().cloned().collect();
            all.extend(
                state
                    .prices
                    .range((today, String::new(), String::new())..)
                    .take_while(|((d, _, _), _)| *d == today)
                    .map(|((_, p, i), _)| (p.clone(), i.clone())),
            );
            all.into_iter().collect()
        }
        Scope::Pairs(p) | Scope::General(p) => p.clone(),
    }
}

/// The conditions about one point+item pair: price spike; for a pair the point carries also
/// stockout, below norm, stockout soon, outflow spike and expiring batches.
fn pair_conditions(
    state: &State,
    point: &str,
    item_code: &str,
    today: NaiveDate,
    th: &Thresholds,
    found: &mut Vec<Condition>,
) {
    let Some(item) = state.items.get(item_code) else { return };
    if let Some(ratio) = price_spike(state, point, item_code, today, th) {
        found.push(Condition::pair(AlertKind::PriceSpike, Severity::Warning, point, item_code, Some(ratio)));
    }
    if !state.pairs.contains_key(&(point.to_string(), item_code.to_string())) {
        return;
    }
    let c = cover::point_cover(state, point, item, today);
    match c.status {
        StockStatus::StockedOut => {
            found.push(Condition::pair(AlertKind::Stockout, Severity::Critical, point, item_code, Some(0.0)))
        }
        StockStatus::BelowNorm => {
            found.push(Condition::pair(AlertKind::BelowNorm, Severity::Warning, point, item_code, c.days))
        }
        _ => {}
    }
    if let Some(days) = c.days.filter(|d| c.status != StockStatus::StockedOut && *d < th.stockout_within_days) {
        found.push(Condition::pair(AlertKind::StockoutSoon, Severity::Warning, point, item_code, Some(days)));
    }
    if let Some(ratio) = outflow_spike(state, point, item_code, today, th) {
        found.push(Condition::pair(AlertKind::OutflowSpike, Severity::Warning, point, item_code, Some(ratio)));
    }
    for (lot, at_risk) in expiring_lots(state, point, item, c.daily, today, th.expiry_days) {
        let days = lot.expiry.map_or(0, |e| (e - today).num_days());
        found.push(Condition {
            kind: AlertKind::BatchExpiring,
            severity: if days < 0 { Severity::Critical } else { Severity::Warning },
            subject: format!("{point}/{item_code}/{}", lot.batch),
            point: Some(point.to_string()),
            item: Some(item_code.to_string()),
            value: Some(if days < 0 { days as f64 } else { at_risk.as_f64() }),
        });
    }
}

/// Daily reports missing for the latest day whose deadline has passed.
fn overdue_reports(state: &State, now: DateTime<FixedOffset>, th: &Thresholds, found: &mut Vec<Condition>) {
    let due_date = th.latest_due_date(now);
    let reporting_since = state.flows.keys().next().map(|(d, _, _)| *d);
    if reporting_since.is_none_or(|s| s > due_date) {
        return;
    }
    for p in state.points.values().filter(|p| p.kind.reports_daily()) {
        if !state.reports.contains_key(&(due_date, p.code.clone())) {
            let hours = th.report_due(due_date, *now.offset()).map(|due| (now - due).num_minutes() as f64 / 60.0);
            found.push(Condition {
                kind: AlertKind::ReportOverdue,
                severity: Severity::Warning,
                subject: format!("{} {}", p.code, due_date),
                point: Some(p.code.clone()),
                item: None,
                value: hours,
            });
        }
    }
}

/// Transfers not confirmed in time.
fn unreceived_transfers(state: &State, now: DateTime<FixedOffset>, th: &Thresholds, found: &mut Vec<Condition>) {
    for d in state.dispatches.values().filter(|d| d.status() == DispatchStatus::InTransit) {
        let waited = now - d.sent_at;
        if waited >= Duration::hours(th.transfer_hours) {
            let dest = match &d.to {
                Dest::Point(p) => Some(p.clone()),
                Dest::Village(_) => None,
            };
            found.push(Condition {
                kind: AlertKind::TransferUnreceived,
                severity: Severity::Warning,
                subject: Dispatch::label(d.id),
                point: dest,
                item: Some(d.item.clone()),
                value: Some(waited.num_minutes() as f64 / 60.0),
            });
        }
    }
}

/// Duty post: a shift under way with no handover into it.
fn unmanned_post(state: &State, now: DateTime<FixedOffset>, th: &Thresholds, found: &mut Vec<Condition>) {
    let Some(shift) = state.shift_at(now) else { return };
    let grace = shift.start + Duration::minutes(th.handover_grace_minutes);
    if now >= grace && state.handover_into(shift, now).is_none() {
        found.push(Condition {
            kind: AlertKind::NoHandover,
            severity: Severity::Critical,
            subject: format!("{} {}", shift.start.format("%Y-%m-%d %H:%M"), shift.duty_officer),
            point: None,
            item: None,
            value: Some((now - shift.start).num_minutes() as f64 / 60.0),
        });
    }
}

/// Vehicle passes expiring or expired.
fn expiring_passes(state: &State, today: NaiveDate, th: &Thresholds, found: &mut Vec<Condition>) {
    for v in state.vehicles.values() {
        let days = (v.pass_valid_until - today).num_days();
        if days <= th.pass_days {
            found.push(Condition {
                kind: AlertKind::PassExpiring,
                severity: if days < 0 { Severity::Critical } else { Severity::Warning },
                subject: v.plate.clone(),
                point: Some(v.point.clone()),
                item: None,
                value: Some(days as f64),
            });
        }
    }
}

/// Villages whose latest tally's successor is past due: the value is the days overdue. A
/// village that never tallied is not yet in the cycle. Cost: one pass over the villages'
/// latest tallies.
fn overdue_tallies(state: &State, today: NaiveDate, found: &mut Vec<Condition>) {
    for (village, date) in &state.last_tally {
        let Some(t) = state.tallies.get(&(*date, village.clone())) else { continue };
        let late = (today - t.next_due).num_days();
        if late > 0 {
            found.push(Condition {
                kind: AlertKind::TallyOverdue,
                severity: Severity::Warning,
                subject: village.clone(),
                point: Some(t.point.clone()),
                item: None,
                value: Some(late as f64),
            });
        }
    }
}

/// Batches that expire within `within` days with stock that consumption will not use up by
/// then (all of an expired batch is at risk), with the quantity at risk. Without a known
/// consumption rate every batch expiring that soon counts.
pub fn expiring_lots<'a>(
    state: &'a State,
    point: &str,
    item: &Item,
    daily: Option<f64>,
    today: NaiveDate,
    within: i64,
) -> Vec<(&'a Lot, Qty)> {
    let mut out = Vec::new();
    let mut used_days = 0.0f64;
    for lot in state.lots_of(point, &item.code) {
        let Some(expiry) = lot.expiry else { continue };
        let days_left = (expiry - today).num_days();
        let usable = match daily {
            Some(d) if d > 0.0 && days_left >= 0 => {
                let window = (days_left as f64 + 1.0 - used_days).max(0.0);
                let q = (window * d * Qty::SCALE as f64) as i64;
                Qty(q.min(lot.qty.0))
            }
            _ => Qty::ZERO,
        };
        if let Some(d) = daily.filter(|d| *d > 0.0) {
            used_days += usable.as_f64() / d;
        }
        let at_risk = lot.qty - usable;
        if days_left <= within && at_risk > Qty::ZERO {
            out.push((lot, at_risk));
        }
    }
    out
}

/// Today's outflow against the average of the 7 days before (of the days the store has seen, when
/// fewer); `Some(ratio)` when it is a spike. O(log n) per day looked at.
pub fn outflow_spike(state: &State, point: &str, item: &str, today: NaiveDate, th: &Thresholds) -> Option<f64> {
    let out_on =
        |d: NaiveDate| state.flows.get(&(d, point.to_string(), item.to_string())).map_or(Qty::ZERO, |f| f.outflow());
    let today_out = out_on(today).as_f64();
    if today_out < th.spike_min_units {
        return None;
    }
    let days = cover::days_observed(state, today);
    if days == 0 {
        return None;
    }
    let trailing: f64 = (1..=days).map(|k| out_on(today - Duration::days(k)).as_f64()).sum::<f64>() / days as f64;
    if trailing <= 0.0 {
        return None;
    }
    let ratio = today_out / trailing;
    (ratio >= th.spike_ratio).then_some(ratio)
}

/// The latest price today against the average of the previous 7 days' prices.
pub fn price_spike(state: &State, point: &str, item: &str, today: NaiveDate, th: &Thresholds) -> Option<f64> {
    let key = |d: NaiveDate| (d, point.to_string(), item.to_string());
    let now = state.prices.get(&key(today))?.fen.0 as f64;
    let past: Vec<f64> = (1..=cover::WINDOW_DAYS)
        .filter_map(|k| state.prices.get(&key(today - Duration::days(k))))
        .map(|p| p.fen.0 as f64)
        .collect();
    if past.is_empty() {
        return None;
    }
    let avg = past.iter().sum::<f64>() / past.len() as f64;
    let ratio = now / avg;
    (avg > 0.0 && ratio >= 1.0 + th.price_spike_pct / 100.0).then_some(ratio)
}

/// The alert changes that bring the open alerts in `scope` in line with `conditions`.
///
/// Cost: for `Scope::Pairs`, O(k log n) for k alerts open about those pairs among n open
/// alerts (a key range per stock kind and pair), so a stock movement's cost does not grow with
/// the open alerts elsewhere; `Scope::General` adds the open alerts about no pair; for
/// `Scope::All`, O(n log n).
pub fn diff(
    state: &State,
    conditions: BTreeMap<String, Condition>,
    scope: &Scope,
    now: DateTime<FixedOffset>,
) -> AlertDelta {
    let mut delta = AlertDelta::default();
    let in_scope = |a: &Alert| match scope {
        Scope::All => true,
        Scope::EveryPair => a.kind.about_stock(),
        Scope::General(_) if !a.kind.about_stock() => true,
        Scope::Pairs(pairs) | Scope::General(pairs) => match (&a.point, &a.item) {
            (Some(p), Some(i)) => a.kind.about_stock() && pairs.iter().any(|(pp, ii)| pp == p && ii == i),
            _ => false,
        },
    };
    let mut open: Vec<(&String, &u64)> = open_in(state, scope);
    open.sort_by_key(|(_, id)| **id);
    for (key, id) in open {
        let Some(alert) = state.alerts.get(id) else { continue };
        if !in_scope(alert) {
            continue;
        }
        let still = conditions.get(key);
        // A change of severity (expiring → expired) clears the old alert and raises a new one.
        if still.is_none_or(|c| c.severity != alert.severity) {
            delta.cleared.push(*id);
        }
    }
    let cleared: std::collections::BTreeSet<u64> = delta.cleared.iter().copied().collect();
    let mut next = state.settings.next_alert.max(1);
    for (key, c) in conditions {
        let open = state.open_alerts.get(&key).and_then(|id| state.alerts.get(id)).filter(|a| !cleared.contains(&a.id));
        if open.is_some() {
            continue;
        }
        delta.raised.push(Alert {
            id: next,
            kind: c.kind,
            severity: c.severity,
            subject: c.subject,
            point: c.point,
            item: c.item,
            value: c.value.map(|v| (v * 100.0).round() / 100.0),
            first_seen: now,
            acked_by: None,
            acked_at: None,
            acked_on_duty: None,
            cleared_at: None,
        });
        next += 1;
    }
    delta
}
