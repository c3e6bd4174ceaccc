//! A town's summary as the county reads it, computed from its replica with the town's own
//! views: stock, cover, consumption, status and stock by expiry day per item
//! (`views::stock::town_cover`; what the county plan reads), the points stocked out, its open
//! critical alerts (the newest `ALERTS_KEPT`: kind, point, item and since, never the subject
//! text, which may name a household or a caller), today's daily report (`report::daily`), the
//! town's request to the level above (`domain::rules::plan`). `CountyView` is every town's
//! summary with the time it was made, as `county serve` writes it to `DIR/county.json`.
//! Cost: O(the town's pairs + lots + open alerts + today's flows + its plan) per summary, paid
//! only for a town whose events changed, at most a few times a second; its size is bounded by
//! the town's items, their expiry days and `ALERTS_KEPT`, not by the town's history.

use super::Replica;
use crate::domain::alerts::{AlertKind, Severity, Thresholds};
use crate::domain::rules::cover::StockStatus;
use crate::domain::rules::plan::{self, PlanSettings};
use crate::domain::{Item, Lang, Qty};
use crate::report::{self, Reporting};
use crate::views::stock;
use chrono::{DateTime, Duration, FixedOffset};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

pub const VIEW_FILE: &str = "county.json";

/// The most open critical alerts a summary lists per town (the newest); `critical_alerts`
/// still counts them all.
pub const ALERTS_KEPT: usize = 20;

/// One item town-wide.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ItemSummary {
    pub item: String,
    pub name: String,
    pub unit: String,
    pub qty: Qty,
    pub days_of_cover: Option<f64>,
    pub status: StockStatus,
    /// Average daily consumption town-wide (deliveries to villages), if known.
    pub daily: Option<f64>,
    /// The town's stock by expiry day (None: no expiry), earliest first.
    pub lots: Vec<ExpiryQty>,
    /// The item as the town defines it (unit, norm, kit or not): the county plan's item.
    pub def: Item,
}

/// Stock of one item expiring on one day, town-wide.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExpiryQty {
    pub expiry: Option<chrono::NaiveDate>,
    pub qty: Qty,
}

/// An open critical alert of a town as the county lists it: no subject text and no figure.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AlertBrief {
    pub kind: AlertKind,
    pub point: Option<String>,
    pub item: Option<String>,
    pub since: DateTime<FixedOffset>,
}

/// What the town asks of the level above for one item (from its plan).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Upward {
    pub item: String,
    pub qty: Qty,
    pub by: chrono::NaiveDate,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TownSummary {
    pub town: String,
    pub name: String,
    pub last_seq: u64,
    /// Events applied: each of the town's events once.
    pub events: u64,
    pub last_event_at: Option<DateTime<FixedOffset>>,
    pub stocked_out_points: usize,
    pub critical_alerts: usize,
    /// Today's daily report: reported, zero or missing.
    pub report: Reporting,
    /// Yesterday's reports not all in by their deadline.
    pub report_late: bool,
    pub items: Vec<ItemSummary>,
    pub requests: Vec<Upward>,
    /// The newest `ALERTS_KEPT` open critical alerts, newest first.
    #[serde(default)]
    pub alerts: Vec<AlertBrief>,
}

/// Every town, as `county serve` last wrote it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CountyView {
    pub updated_at: Option<DateTime<FixedOffset>>,
    pub silent_minutes: u64,
    pub towns: Vec<TownSummary>,
}

impl TownSummary {
    pub fn of(r: &Replica, now: DateTime<FixedOffset>) -> TownSummary {
        let s = &r.state;
        let today = now.date_naive();
        let mut covers = stock::town_covers(s, today);
        let items = s
            .items
            .values()
            .filter_map(|i| {
                let c = covers.remove(&i.code)?;
                let name = i.name_zh.clone();
                Some(ItemSummary {
                    item: i.code.clone(),
                    name,
                    unit: i.unit.clone(),
                    qty: c.qty,
                    days_of_cover: c.days,
                    status: c.status,
                    daily: c.daily,
                    lots: by_expiry(s, &i.code),
                    def: i.clone(),
                })
            })
            .collect();
        let out: BTreeSet<&str> = s
            .pairs
            .keys()
            .filter(|(p, i)| {
                s.items.get(i).is_some_and(|it| stock::point_cover(s, p, it, today).status == StockStatus::StockedOut)
            })
            .map(|(p, _)| p.as_str())
            .collect();
        let (critical, alerts) = open_critical(s);
        let (report, report_late) = reporting(r, now);
        let requests = plan::plan(s, today, &PlanSettings::default(), None, None)
            .requests
            .into_iter()
            .map(|q| Upward { item: q.item, qty: q.qty, by: q.by })
            .collect();
        TownSummary {
            town: r.code.clone(),
            name: s.settings.town.clone(),
            last_seq: s.last_seq,
            events: r.applied,
            last_event_at: s.last_at,
            stocked_out_points: out.len(),
            critical_alerts: critical,
            report,
            report_late,
            items,
            requests,
            alerts,
        }
    }

    /// Since when the town has been silent, when longer than `minutes`.
    pub fn silent_since(&self, now: DateTime<FixedOffset>, minutes: u64) -> Option<DateTime<FixedOffset>> {
        let last = self.last_event_at?;
        (now - last > Duration::minutes(minutes as i64)).then_some(last)
    }
}

/// An item's stock town-wide by expiry day, earliest first (no expiry last). O(lots held).
fn by_expiry(s: &crate::domain::State, item: &str) -> Vec<ExpiryQty> {
    let mut days: std::collections::BTreeMap<(bool, Option<chrono::NaiveDate>), Qty> = Default::default();
    for l in s.lots.values().filter(|l| l.item == item && l.qty > Qty::ZERO) {
        *days.entry((l.expiry.is_none(), l.expiry)).or_default() += l.qty;
    }
    days.into_iter().map(|((_, expiry), qty)| ExpiryQty { expiry, qty }).collect()
}

/// The open critical alerts not acknowledged: how many, and the newest `ALERTS_KEPT` of them.
/// O(open alerts), through the open-alert index.
fn open_critical(s: &crate::domain::State) -> (usize, Vec<AlertBrief>) {
    let mut open: Vec<&crate::domain::alerts::Alert> = s
        .open_alerts
        .values()
        .filter_map(|id| s.alerts.get(id))
        .filter(|a| a.cleared_at.is_none() && a.acked_by.is_none() && a.severity == Severity::Critical)
        .collect();
    open.sort_by(|a, b| b.first_seen.cmp(&a.first_seen).then(b.id.cmp(&a.id)));
    let briefs = open
        .iter()
        .take(ALERTS_KEPT)
        .map(|a| AlertBrief { kind: a.kind, point: a.point.clone(), item: a.item.clone(), since: a.first_seen })
        .collect();
    (open.len(), briefs)
}

/// Today's report state, and whether yesterday's is overdue.
fn reporting(r: &Replica, now: DateTime<FixedOffset>) -> (Reporting, bool) {
    let th = Thresholds::default();
    let today = now.date_naive();
    let state = match report::daily(&r.state, today, now, &th, &[], Lang::En) {
        Ok(d) if d.received < d.expected => Reporting::Missing,
        Ok(d) if d.expected > 0 && d.points.iter().all(|p| p.reporting != Reporting::Reported) => Reporting::Zero,
        Ok(_) => Reporting::Reported,
        Err(_) => Reporting::Missing,
    };
    let late = today.pred_opt().and_then(|y| report::daily(&r.state, y, now, &th, &[], Lang::En).ok());
    let late = late.is_some_and(|d| now > d.deadline && d.received < d.expected);
    (state, late)
}

fn path(dir: &Path) -> PathBuf {
    dir.join(VIEW_FILE)
}

impl CountyView {
    /// Writes the view whole (a temporary file renamed over it).
    pub fn save(&self, dir: &Path) -> std::io::Result<()> {
        let text = serde_json::to_vec(self).map_err(std::io::Error::other)?;
        let tmp = dir.join(format!("{VIEW_FILE}.tmp"));
        std::fs::write(&tmp, text)?;
        std::fs::rename(&tmp, path(dir))
    }

    /// The view `county serve` last wrote, if any.
    pub fn load(dir: &Path) -> Option<CountyView> {
        serde_json::from_slice(&std::fs::read(path(dir)).ok()?).ok()
    }
}

/// A town's state as the county reads it: today's report, "yesterday's LATE", and "town
/// silent since HH:MM" past the view's limit (`county status` and the county faces).
pub fn state_text(s: &TownSummary, view: &CountyView, now: DateTime<FixedOffset>, lang: Lang) -> String {
    use crate::i18n::t;
    let mut text = s.report.label(lang).to_string();
    if s.report_late {
        text = format!("{text}, {}", t(lang, "county.late"));
    }
    if let Some(since) = s.silent_since(now, view.silent_minutes) {
        text = format!("{text}  {} {}", t(lang, "county.silent_since"), since.format("%H:%M"));
    }
    text
}

/// The towns as a plain table (`county status`): code, name, events, last event, points
/// stocked out, critical alerts, today's report, and "silent since HH:MM" past the limit.
pub fn text_lines(view: &CountyView, now: DateTime<FixedOffset>, lang: Lang) -> Vec<String> {
    use crate::i18n::t;
    let mut lines = vec![format!(
        "{:<10} {:<14} {:>8} {:<16} {:>6} {:>6} {}",
        t(lang, "county.town"),
        t(lang, "county.name"),
        t(lang, "county.events"),
        t(lang, "county.last_event"),
        t(lang, "county.stocked_out"),
        t(lang, "county.critical"),
        t(lang, "county.report"),
    )];
    for s in &view.towns {
        let last = s.last_event_at.map_or("-".to_string(), |a| a.format("%m-%d %H:%M").to_string());
        let report = state_text(s, view, now, lang);
        lines.push(format!(
            "{:<10} {:<14} {:>8} {:<16} {:>6} {:>6} {report}",
            crate::text::scrub(&s.town),
            crate::text::scrub(&s.name),
            s.events,
            last,
            s.stocked_out_points,
            s.critical_alerts,
        ));
    }
    lines
}
