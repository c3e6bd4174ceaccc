//! Alert rows: open ones first, most severe and newest first, then cleared ones. One order and
//! one JSON form for `alerts`, `export alerts`, the alert panels and the wall.

use super::opt_num;
use crate::domain::alerts::{Alert, AlertKind, Severity, Thresholds};
use crate::domain::rules::alerts::live_value;
use crate::domain::state::State;
use crate::domain::Lang;
use crate::i18n::t;
use chrono::{DateTime, FixedOffset};
use serde_json::json;
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// The order of alert rows everywhere: open before cleared, then severity, then newest first.
pub fn order(a: &Alert, b: &Alert) -> Ordering {
    a.cleared_at
        .is_some()
        .cmp(&b.cleared_at.is_some())
        .then(a.severity.cmp(&b.severity))
        .then(b.first_seen.cmp(&a.first_seen))
}

/// Open alerts (all, with history, when `all`) in `order`.
pub fn list(state: &State, all: bool) -> Vec<&Alert> {
    let mut rows: Vec<&Alert> = state.alerts.values().filter(|a| all || a.cleared_at.is_none()).collect();
    rows.sort_by(|a, b| order(a, b));
    rows
}

/// "raised 2d4h ago at 13.8d": when an alert was raised and its figure then, beside the live
/// figure in the feed and `alerts`.
pub fn raised_detail(a: &Alert, now: DateTime<FixedOffset>, lang: Lang) -> String {
    let at = a.value.map(|v| value_text(a.kind, v, lang)).filter(|t| !t.is_empty());
    let age = age(a.first_seen, now, lang);
    match at {
        Some(v) => format!("{} {age} {} {v}", t(lang, "alerts.raised"), t(lang, "alerts.raised_at")),
        None => format!("{} {age} {}", t(lang, "alerts.raised"), t(lang, "alerts.ago")),
    }
}

/// An alert's figure in words: days of cover, ratio, hours, days to expiry.
pub fn value_text(kind: AlertKind, v: f64, lang: Lang) -> String {
    use AlertKind::*;
    match kind {
        Stockout => String::new(),
        BelowNorm | StockoutSoon => format!("{v:.1}{}", t(lang, "unit.days")),
        OutflowSpike | PriceSpike => format!("x{v:.1}"),
        ReportOverdue | TransferUnreceived | NoHandover => format!("{v:.1}{}", t(lang, "unit.hours")),
        BatchExpiring => format!("{v:.0}"),
        PassExpiring | TallyOverdue | NamedDeliveryOverdue => format!("{v:.0}{}", t(lang, "unit.days")),
        CaseOverdue => format!("{v:.1}{}", t(lang, "unit.hours")),
        ShortageCalls => format!("{v:.0}"),
    }
}

/// "5m", "3h12m", "2d4h" / "5分", "3小时12分", "2天4小时".
pub fn age(from: DateTime<FixedOffset>, now: DateTime<FixedOffset>, lang: Lang) -> String {
    let mins = (now - from).num_minutes().max(0);
    let (d, h, m) = (t(lang, "age.days"), t(lang, "age.hours"), t(lang, "age.minutes"));
    match mins {
        n if n < 60 => format!("{n}{m}"),
        n if n < 24 * 60 => format!("{}{h}{:02}{m}", n / 60, n % 60),
        n => format!("{}{d}{}{h}", n / (24 * 60), (n / 60) % 24),
    }
}

/// The widest age `age` writes under a fortnight ("13d23h" / "13天23时"), for a column.
pub fn age_width(lang: Lang) -> u16 {
    let (from, now) = (DateTime::UNIX_EPOCH.fixed_offset(), DateTime::UNIX_EPOCH.fixed_offset());
    let widest = age(from, now + chrono::Duration::minutes(14 * 24 * 60 - 1), lang);
    u16::try_from(crate::text::width(&widest)).unwrap_or(u16::MAX)
}

/// Who acknowledged an alert: the OS user, and the officer on duty when another person.
pub fn acked_by(a: &Alert) -> Option<String> {
    let by = a.acked_by.as_deref()?;
    Some(match a.acked_on_duty.as_deref().filter(|o| *o != by) {
        Some(officer) => format!("{by} / {officer}"),
        None => by.to_string(),
    })
}

/// Alerts as JSON objects (the `alerts --json` fields). `value` is the live figure (days of
/// cover, ratio, hours now); `raised_value` the figure when the alert was raised.
pub fn json(state: &State, now: DateTime<FixedOffset>, th: &Thresholds, rows: &[&Alert]) -> Vec<serde_json::Value> {
    let evaluated = state.last_at.unwrap_or(now).max(now);
    rows.iter()
        .map(|a| {
            json!({
                "id": Alert::label(a.id),
                "kind": a.kind.code(),
                "severity": a.severity.code(),
                "subject": a.subject,
                "point": a.point,
                "item": a.item,
                "value": opt_num(live_value(state, a, evaluated, th)),
                "raised_value": opt_num(a.value),
                "first_seen": a.first_seen,
                "last_seen": a.last_seen(evaluated),
                "acked_by": a.acked_by,
                "acked_at": a.acked_at,
                "cleared_at": a.cleared_at,
            })
        })
        .collect()
}

/// Open alerts of one kind in one zone: a line of the feed that works as a to-do list.
pub struct Group<'a> {
    pub kind: AlertKind,
    /// The zone of the alerts' point; "" for alerts about no point (duty post, vehicle passes).
    pub zone: String,
    /// The most severe of its alerts.
    pub severity: Severity,
    /// Its alerts in `order`.
    pub alerts: Vec<&'a Alert>,
    /// How many are not yet acknowledged.
    pub unacked: usize,
}

/// Open alerts grouped by kind and zone: critical groups first, then the most alerts to deal
/// with, then kind and zone. `rows` come in `order`, and each group keeps it. O(n log g) in the
/// open alerts and their g groups.
pub fn groups<'a>(state: &State, rows: &[&'a Alert]) -> Vec<Group<'a>> {
    let mut by: BTreeMap<(AlertKind, String), Vec<&'a Alert>> = BTreeMap::new();
    for a in rows.iter().filter(|a| a.cleared_at.is_none()) {
        let zone = a.point.as_ref().and_then(|p| state.points.get(p)).map(|p| p.zone.clone()).unwrap_or_default();
        by.entry((a.kind, zone)).or_default().push(a);
    }
    let mut out: Vec<Group<'a>> = by
        .into_iter()
        .map(|((kind, zone), alerts)| {
            let severity = alerts.iter().map(|a| a.severity).min().unwrap_or(Severity::Info);
            let unacked = alerts.iter().filter(|a| a.acked_by.is_none()).count();
            Group { kind, zone, severity, alerts, unacked }
        })
        .collect();
    out.sort_by(|a, b| {
        a.severity
            .cmp(&b.severity)
            .then(b.unacked.cmp(&a.unacked))
            .then(b.alerts.len().cmp(&a.alerts.len()))
            .then(a.kind.cmp(&b.kind))
            .then(a.zone.cmp(&b.zone))
    });
    out
}
