//! The ledger's state: reference data and the views (stock lots, daily flows, prices, reports,
//! dispatches, alerts, handovers), the queries on them, `apply` (in `apply.rs`), the one
//! function that changes them from an accepted event, and `check_arithmetic` (in `arith.rs`),
//! which every command and every restored event passes first. Every view row carries its own
//! key fields; how rows are encoded and stored is the store's business (`store::rows`).
//! Imports only leaf types; never the rules, the store or a face.

mod apply;
mod arith;
mod hotline;
mod requests;

use super::alerts::Alert;
use super::catalog::Item;
use super::command::{Command, Dest, Event, LotTake};
use super::demand::{Request, Tally};
use super::hotline::Case;
use super::household::Household;
use super::lang::Lang;
use super::level::ResponseLevel;
use super::network::{Point, Vehicle, Village, Zone};
use super::qty::{Fen, Qty};
use super::roster::{DutyShift, Handover, Person};
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Town-wide settings and counters.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    pub town: String,
    /// The town's code (`Command::Town`); empty when none was given.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub code: String,
    pub level: ResponseLevel,
    /// The next alert number to hand out.
    pub next_alert: u64,
    /// Delivery slots imported (`import slots`): for their zone and code they replace the
    /// slots of `[demand]` in `baogong.toml`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub slots: Vec<super::demand::Slot>,
    /// The town's own names and meanings of the response levels (a scenario's `[[levels]]`),
    /// one per level at most; a level not named here has its built-in name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub levels: Vec<super::level::LevelName>,
}

impl Settings {
    /// The town's own entry for `level`, if it named it.
    fn level_entry(&self, level: ResponseLevel) -> Option<&super::level::LevelName> {
        self.levels.iter().find(|l| l.level == level.number())
    }

    /// The name of `level` as this town calls it (`[[levels]]`), else the built-in one.
    pub fn level_name(&self, level: ResponseLevel, lang: super::lang::Lang) -> &str {
        match self.level_entry(level).map(|l| l.name(lang)) {
            Some(name) if !name.trim().is_empty() => name,
            _ => level.label(lang),
        }
    }

    /// What `level` means in one line, as this town says (`[[levels]]`), else the built-in one.
    pub fn level_meaning(&self, level: ResponseLevel, lang: super::lang::Lang) -> &str {
        match self.level_entry(level).map(|l| l.meaning(lang)) {
            Some(text) if !text.trim().is_empty() => text,
            _ => level.meaning(lang),
        }
    }
}

/// One batch of one item at one point.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lot {
    pub point: String,
    pub item: String,
    /// "" for stock that came without a batch number.
    pub batch: String,
    pub qty: Qty,
    #[serde(default)]
    pub expiry: Option<NaiveDate>,
}

/// A point+item the point carries (has held stock at some time).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pair {
    pub point: String,
    pub item: String,
    /// The day stock last fell to zero, while it is still zero.
    #[serde(default)]
    pub zero_since: Option<NaiveDate>,
}

/// One day's movements of one item at one point.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flow {
    pub date: NaiveDate,
    pub point: String,
    pub item: String,
    /// Restocks from suppliers, donations and the level above.
    #[serde(default)]
    pub restocked: Qty,
    /// Transfers received from other points.
    #[serde(default)]
    pub received: Qty,
    /// Deliveries to villages.
    #[serde(default)]
    pub delivered: Qty,
    /// Transfers sent to other points.
    #[serde(default)]
    pub transferred: Qty,
    #[serde(default)]
    pub adjusted_in: Qty,
    #[serde(default)]
    pub adjusted_out: Qty,
    /// Into this item's stock by assembly (kits made) or unpacking (components back).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub kitted_in: Qty,
    /// Out of it the same ways (components into kits, kits taken apart).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub kitted_out: Qty,
    /// Stock at the last movement of the day (end-of-day stock).
    pub closing: Qty,
    /// Whether stock stood at zero at some moment that day.
    #[serde(default)]
    pub stocked_out: bool,
}

fn is_zero(q: &Qty) -> bool {
    *q == Qty::ZERO
}

impl Flow {
    /// Consumption as the field defines it: deliveries, issues and transfers out.
    pub fn outflow(&self) -> Qty {
        self.delivered + self.transferred
    }

    pub fn inflow(&self) -> Qty {
        self.restocked + self.received
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceObs {
    pub date: NaiveDate,
    pub point: String,
    pub item: String,
    pub fen: Fen,
    pub at: DateTime<FixedOffset>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub date: NaiveDate,
    pub point: String,
    pub zero: bool,
    #[serde(default)]
    pub note: String,
    pub at: DateTime<FixedOffset>,
    pub by: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dispatch {
    pub id: u64,
    pub from: String,
    pub to: Dest,
    pub item: String,
    pub qty: Qty,
    pub lots: Vec<LotTake>,
    #[serde(default)]
    pub vehicle: Option<String>,
    #[serde(default)]
    pub note: String,
    pub sent_at: DateTime<FixedOffset>,
    pub sent_by: String,
    #[serde(default)]
    pub received_qty: Option<Qty>,
    #[serde(default)]
    pub received_at: Option<DateTime<FixedOffset>>,
    #[serde(default)]
    pub received_by: Option<String>,
    /// The requests a delivery to a village fulfils.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requests: Vec<String>,
    /// Who signed for a delivery at the village checkpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_by: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DispatchStatus {
    /// A transfer on its way, not yet confirmed.
    InTransit,
    /// Confirmed in full.
    Received,
    /// Confirmed with a shortfall.
    Short,
    /// Delivered to a village checkpoint.
    Delivered,
}

impl DispatchStatus {
    pub fn code(self) -> &'static str {
        match self {
            DispatchStatus::InTransit => "in_transit",
            DispatchStatus::Received => "received",
            DispatchStatus::Short => "short",
            DispatchStatus::Delivered => "delivered",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            DispatchStatus::InTransit => lang.pick("in transit", "在途"),
            DispatchStatus::Received => lang.pick("received", "已签收"),
            DispatchStatus::Short => lang.pick("received short", "短收"),
            DispatchStatus::Delivered => lang.pick("delivered", "已送达"),
        }
    }
}

impl Dispatch {
    pub fn label(id: u64) -> String {
        format!("D{id}")
    }

    /// Parses "D12", "d12" or "12".
    pub fn parse_label(text: &str) -> Option<u64> {
        let t = text.trim();
        let digits = t.strip_prefix(['D', 'd']).unwrap_or(t);
        digits.parse().ok()
    }

    /// The dispatch an accepted dispatch event creates; `None` for any other event.
    pub fn of_event(ev: &Event) -> Option<Dispatch> {
        let Command::Dispatch { from, to, item, qty, vehicle, note, requests } = &ev.cmd else { return None };
        let id = ev.resolved.dispatch.as_deref().and_then(Dispatch::parse_label)?;
        Some(Dispatch {
            id,
            from: from.clone(),
            to: to.clone(),
            item: item.clone(),
            qty: *qty,
            lots: ev.resolved.lots.clone(),
            vehicle: vehicle.clone(),
            note: note.clone(),
            sent_at: ev.at,
            sent_by: ev.actor.clone(),
            received_qty: None,
            received_at: None,
            received_by: None,
            requests: requests.clone(),
            signed_by: None,
        })
    }

    /// Whether this is a transfer still on its way to `point`.
    pub fn inbound_to(&self, point: &str) -> bool {
        self.status() == DispatchStatus::InTransit && matches!(&self.to, Dest::Point(p) if p == point)
    }

    pub fn status(&self) -> DispatchStatus {
        match (&self.to, self.received_qty) {
            (Dest::Village(_), _) => DispatchStatus::Delivered,
            (Dest::Point(_), None) => DispatchStatus::InTransit,
            (Dest::Point(_), Some(q)) if q < self.qty => DispatchStatus::Short,
            (Dest::Point(_), Some(_)) => DispatchStatus::Received,
        }
    }
}

/// The key of one view row: what `apply` reports it touched. The store encodes it and its value.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ViewKey {
    Settings,
    Zone(String),
    Point(String),
    Village(String),
    Item(String),
    Person(String),
    Shift(DateTime<FixedOffset>),
    Vehicle(String),
    Handover(u64),
    Lot(String, String, String),
    Pair(String, String),
    Flow(NaiveDate, String, String),
    Price(NaiveDate, String, String),
    Report(NaiveDate, String),
    Dispatch(u64),
    InFlight(u64),
    Alert(u64),
    OpenAlert(u64),
    Delivery(u64),
    Request(u64),
    Tally(NaiveDate, String),
    Household(String),
    Case(u64),
}

type PI = (String, String);

/// A handover up to this many hours before a shift starts counts as the handover into it.
pub const HANDOVER_LEAD_HOURS: i64 = 2;

/// Everything the engine and the faces read. Reference data and current stock are whole; the
/// growing histories (flows, prices, reports, dispatches, alerts, handovers) hold a recent window
/// in memory, the full history stays in the store.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct State {
    pub settings: Settings,
    pub zones: BTreeMap<String, Zone>,
    pub points: BTreeMap<String, Point>,
    pub villages: BTreeMap<String, Village>,
    pub items: BTreeMap<String, Item>,
    pub people: BTreeMap<String, Person>,
    pub shifts: BTreeMap<DateTime<FixedOffset>, DutyShift>,
    pub vehicles: BTreeMap<String, Vehicle>,
    pub handovers: BTreeMap<u64, Handover>,
    pub lots: BTreeMap<(String, String, String), Lot>,
    pub pairs: BTreeMap<PI, Pair>,
    pub flows: BTreeMap<(NaiveDate, String, String), Flow>,
    pub prices: BTreeMap<(NaiveDate, String, String), PriceObs>,
    pub reports: BTreeMap<(NaiveDate, String), Report>,
    pub dispatches: BTreeMap<u64, Dispatch>,
    pub alerts: BTreeMap<u64, Alert>,
    /// The newest `HOT_CLOSED_DISPATCHES` deliveries to villages: the only ones the store keeps
    /// rows for (`Delivery` rows; transfers are `Dispatch` rows, all kept). A delivery is final
    /// when sent and its event holds all of it, so older ones are read from the event log; a row
    /// for each would cost sled memory for good.
    pub deliveries: BTreeSet<u64>,
    /// Open alerts by their condition key (derived, not stored). Ordered, so the alerts about
    /// one point+item pair (keys `KIND|POINT/ITEM...`) are a range per kind.
    pub open_alerts: BTreeMap<String, u64>,
    /// Requests by number (`Q…`).
    pub requests: BTreeMap<u64, Request>,
    /// Village tallies by day and village, back to the retention cutoff.
    pub tallies: BTreeMap<(NaiveDate, String), Tally>,
    /// Each village's latest tally day (derived from `tallies`, not stored).
    pub last_tally: BTreeMap<String, NaiveDate>,
    /// The register of vulnerable households, by code.
    pub households: BTreeMap<String, Household>,
    /// Hotline cases by number (`K…`).
    pub cases: BTreeMap<u64, Case>,
    /// The cases open or assigned (derived from `cases`, not stored).
    pub pending_cases: BTreeSet<u64>,
    /// Sequence number and time of the last applied event.
    pub last_seq: u64,
    pub last_at: Option<DateTime<FixedOffset>>,
}

impl State {
    /// Total stock of an item at a point.
    pub fn qty(&self, point: &str, item: &str) -> Qty {
        self.lots_of(point, item).map(|l| l.qty).sum()
    }

    /// The lots of an item at a point, in the order they are consumed: earliest expiry first,
    /// lots without expiry last.
    pub fn lots_of<'a>(&'a self, point: &str, item: &str) -> impl Iterator<Item = &'a Lot> + 'a {
        let lo = (point.to_string(), item.to_string(), String::new());
        let p = point.to_string();
        let i = item.to_string();
        let mut v: Vec<&Lot> =
            self.lots.range(lo..).take_while(move |((lp, li, _), _)| *lp == p && *li == i).map(|(_, l)| l).collect();
        v.sort_by(|a, b| consume_order(a, b));
        v.into_iter()
    }

    /// Plans taking `qty` from a point's lots, earliest expiry first (or from one batch).
    pub fn plan_take(&self, point: &str, item: &str, qty: Qty, batch: Option<&str>) -> Option<Vec<LotTake>> {
        let mut left = qty;
        let mut out = Vec::new();
        for lot in self.lots_of(point, item) {
            if left <= Qty::ZERO {
                break;
            }
            if batch.is_some_and(|b| b != lot.batch) {
                continue;
            }
            let take = if lot.qty < left { lot.qty } else { left };
            if take > Qty::ZERO {
                out.push(LotTake { batch: lot.batch.clone(), expiry: lot.expiry, qty: take });
                left -= take;
            }
        }
        (left <= Qty::ZERO).then_some(out)
    }

    pub fn dispatch(&self, id: u64) -> Option<&Dispatch> {
        self.dispatches.get(&id)
    }

    /// The shift in force at `at`, if any.
    pub fn shift_at(&self, at: DateTime<FixedOffset>) -> Option<&DutyShift> {
        self.shifts.range(..=at).next_back().map(|(_, s)| s).filter(|s| s.end > at)
    }

    /// The next shift starting after `at`.
    pub fn next_shift(&self, at: DateTime<FixedOffset>) -> Option<&DutyShift> {
        use std::ops::Bound::{Excluded, Unbounded};
        self.shifts.range((Excluded(at), Unbounded)).next().map(|(_, s)| s)
    }

    /// Who holds the watch at `at`: whoever last took it over by handover since the shift in
    /// force began (or two hours before, for an early handover), else the rota's duty officer.
    pub fn officer_on_duty(&self, at: DateTime<FixedOffset>) -> Option<String> {
        let shift = self.shift_at(at);
        let since = shift.map(|s| s.start - chrono::Duration::hours(HANDOVER_LEAD_HOURS));
        let handed =
            self.handovers.values().rev().find(|h| h.at <= at && since.is_none_or(|s| h.at >= s)).map(|h| h.to.clone());
        handed.or_else(|| shift.map(|s| s.duty_officer.clone()))
    }

    /// The handover into the shift starting at `start`, if one was logged.
    pub fn handover_into(&self, shift: &DutyShift, until: DateTime<FixedOffset>) -> Option<&Handover> {
        let from = shift.start - chrono::Duration::hours(HANDOVER_LEAD_HOURS);
        self.handovers.values().rev().find(|h| h.at >= from && h.at <= until)
    }
}

/// Earliest expiry first; lots without expiry last; then by batch.
pub fn consume_order(a: &Lot, b: &Lot) -> std::cmp::Ordering {
    match (a.expiry, b.expiry) {
        (Some(x), Some(y)) => x.cmp(&y).then_with(|| a.batch.cmp(&b.batch)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.batch.cmp(&b.batch),
    }
}
