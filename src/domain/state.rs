//! The ledger's state: reference data and the views (stock lots, daily flows, prices, reports,
//! dispatches, alerts, handovers), and `apply`, the one function that changes them from an
//! accepted event. Every view row carries its own key fields, so the store can load a row
//! without decoding keys. `apply` reports which rows it touched; the store writes exactly those.

use super::alerts::{Alert, AlertDelta};
use super::catalog::Item;
use super::command::{Command, Dest, Event, LotTake, Record};
use super::network::{Point, Vehicle, Village, Zone};
use super::qty::{Fen, Qty};
use super::roster::{DutyShift, Handover, Person};
use super::ResponseLevel;
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Town-wide settings and counters.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    pub town: String,
    pub level: ResponseLevel,
    /// The next alert number to hand out.
    pub next_alert: u64,
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
    /// Stock at the last movement of the day (end-of-day stock).
    pub closing: Qty,
    /// Whether stock stood at zero at some moment that day.
    #[serde(default)]
    pub stocked_out: bool,
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

    pub fn label(self, lang: super::Lang) -> &'static str {
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
        let Command::Dispatch { from, to, item, qty, vehicle, note } = &ev.cmd else { return None };
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
        })
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

/// The key of one view row. The store encodes it; `State::row` gives its value.
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
}

/// The view trees, one per kind of row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum View {
    Settings,
    Zones,
    Points,
    Villages,
    Items,
    People,
    Shifts,
    Vehicles,
    Handovers,
    Lots,
    Pairs,
    Flows,
    Prices,
    Reports,
    Dispatches,
    InFlight,
    Alerts,
    OpenAlerts,
    /// The newest deliveries to villages (see `State::deliveries`); transfers are `Dispatches`.
    Deliveries,
}

impl View {
    pub const ALL: [View; 19] = [
        View::Settings,
        View::Zones,
        View::Points,
        View::Villages,
        View::Items,
        View::People,
        View::Shifts,
        View::Vehicles,
        View::Handovers,
        View::Lots,
        View::Pairs,
        View::Flows,
        View::Prices,
        View::Reports,
        View::Dispatches,
        View::InFlight,
        View::Alerts,
        View::OpenAlerts,
        View::Deliveries,
    ];

    pub fn name(self) -> &'static str {
        match self {
            View::Settings => "v_settings",
            View::Zones => "v_zones",
            View::Points => "v_points",
            View::Villages => "v_villages",
            View::Items => "v_items",
            View::People => "v_people",
            View::Shifts => "v_shifts",
            View::Vehicles => "v_vehicles",
            View::Handovers => "v_handovers",
            View::Lots => "v_lots",
            View::Pairs => "v_pairs",
            View::Flows => "v_flows",
            View::Prices => "v_prices",
            View::Reports => "v_reports",
            View::Dispatches => "v_dispatches",
            View::InFlight => "v_inflight",
            View::Alerts => "v_alerts",
            View::OpenAlerts => "v_open_alerts",
            View::Deliveries => "v_deliveries",
        }
    }
}

impl ViewKey {
    pub fn view(&self) -> View {
        match self {
            ViewKey::Settings => View::Settings,
            ViewKey::Zone(_) => View::Zones,
            ViewKey::Point(_) => View::Points,
            ViewKey::Village(_) => View::Villages,
            ViewKey::Item(_) => View::Items,
            ViewKey::Person(_) => View::People,
            ViewKey::Shift(_) => View::Shifts,
            ViewKey::Vehicle(_) => View::Vehicles,
            ViewKey::Handover(_) => View::Handovers,
            ViewKey::Lot(..) => View::Lots,
            ViewKey::Pair(..) => View::Pairs,
            ViewKey::Flow(..) => View::Flows,
            ViewKey::Price(..) => View::Prices,
            ViewKey::Report(..) => View::Reports,
            ViewKey::Dispatch(_) => View::Dispatches,
            ViewKey::InFlight(_) => View::InFlight,
            ViewKey::Alert(_) => View::Alerts,
            ViewKey::OpenAlert(_) => View::OpenAlerts,
            ViewKey::Delivery(_) => View::Deliveries,
        }
    }
}

type PI = (String, String);

/// A handover up to this many hours before a shift starts counts as the handover into it.
pub const HANDOVER_LEAD_HOURS: i64 = 2;

/// Closed dispatches (delivered to villages, received) kept in memory: the newest ones (the
/// engine prunes when another as many have come in). Transfers still in transit are always held;
/// the full history stays in the store. A busy town sends thousands a day, so the days of history
/// alone would not bound memory or the time to open the store.
pub const HOT_CLOSED_DISPATCHES: usize = 2_000;

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
    /// Open alerts by their condition key (derived, not stored).
    pub open_alerts: HashMap<String, u64>,
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

    /// Applies an accepted event, returning the view rows it touched.
    pub fn apply(&mut self, ev: &Event) -> Vec<ViewKey> {
        let mut touched = Vec::new();
        let day = ev.at.date_naive();
        match &ev.cmd {
            Command::Town { name } => {
                self.settings.town = name.clone();
                touched.push(ViewKey::Settings);
            }
            Command::Upsert { records } => {
                for r in records {
                    touched.push(self.upsert(r.clone()));
                }
            }
            Command::Restock { point, item, qty, .. } => {
                for lot in &ev.resolved.lots {
                    touched.push(self.add_lot(point, item, lot));
                }
                self.flow_mut(day, point, item).restocked += *qty;
                self.after_change(day, point, item, &mut touched);
            }
            Command::Dispatch { from, to, item, qty, .. } => {
                for lot in &ev.resolved.lots {
                    touched.push(self.take_lot(from, item, lot));
                }
                let f = self.flow_mut(day, from, item);
                match to {
                    Dest::Point(_) => f.transferred += *qty,
                    Dest::Village(_) => f.delivered += *qty,
                }
                self.after_change(day, from, item, &mut touched);
                if let Some(d) = Dispatch::of_event(ev) {
                    let id = d.id;
                    self.dispatches.insert(id, d);
                    match to {
                        Dest::Point(_) => {
                            touched.push(ViewKey::Dispatch(id));
                            touched.push(ViewKey::InFlight(id));
                        }
                        Dest::Village(_) => {
                            self.deliveries.insert(id);
                            touched.push(ViewKey::Delivery(id));
                            while self.deliveries.len() > HOT_CLOSED_DISPATCHES {
                                if let Some(old) = self.deliveries.pop_first() {
                                    touched.push(ViewKey::Delivery(old));
                                }
                            }
                        }
                    }
                }
            }
            Command::Receive { dispatch, .. } => {
                let id = Dispatch::parse_label(dispatch);
                let found = id.and_then(|id| self.dispatches.get_mut(&id));
                if let Some(d) = found {
                    let total: Qty = ev.resolved.lots.iter().map(|l| l.qty).sum();
                    d.received_qty = Some(total);
                    d.received_at = Some(ev.at);
                    d.received_by = Some(ev.actor.clone());
                    let (dest, item, id) = match &d.to {
                        Dest::Point(p) => (p.clone(), d.item.clone(), d.id),
                        Dest::Village(_) => return touched,
                    };
                    touched.push(ViewKey::Dispatch(id));
                    touched.push(ViewKey::InFlight(id));
                    for lot in &ev.resolved.lots {
                        touched.push(self.add_lot(&dest, &item, lot));
                    }
                    self.flow_mut(day, &dest, &item).received += total;
                    self.after_change(day, &dest, &item, &mut touched);
                }
            }
            Command::Adjust { point, item, delta, .. } => {
                for lot in &ev.resolved.lots {
                    if *delta > Qty::ZERO {
                        touched.push(self.add_lot(point, item, lot));
                    } else {
                        touched.push(self.take_lot(point, item, lot));
                    }
                }
                let f = self.flow_mut(day, point, item);
                if *delta > Qty::ZERO {
                    f.adjusted_in += *delta;
                } else {
                    f.adjusted_out += Qty(-delta.0);
                }
                self.after_change(day, point, item, &mut touched);
            }
            Command::Price { point, item, fen } => {
                self.prices.insert(
                    (day, point.clone(), item.clone()),
                    PriceObs { date: day, point: point.clone(), item: item.clone(), fen: *fen, at: ev.at },
                );
                touched.push(ViewKey::Price(day, point.clone(), item.clone()));
            }
            Command::Report { point, date, zero, note } => {
                self.reports.insert(
                    (*date, point.clone()),
                    Report {
                        date: *date,
                        point: point.clone(),
                        zero: *zero,
                        note: note.clone(),
                        at: ev.at,
                        by: ev.actor.clone(),
                    },
                );
                touched.push(ViewKey::Report(*date, point.clone()));
            }
            Command::Handover { to, note } => {
                self.handovers.insert(
                    ev.seq,
                    Handover {
                        seq: ev.seq,
                        at: ev.at,
                        from: ev.resolved.from.clone().unwrap_or_default(),
                        to: to.clone(),
                        note: note.clone(),
                    },
                );
                touched.push(ViewKey::Handover(ev.seq));
            }
            Command::Ack { alert } => {
                if let Some(a) = Alert::parse_label(alert).and_then(|id| self.alerts.get_mut(&id)) {
                    a.acked_by = Some(ev.actor.clone());
                    a.acked_at = Some(ev.at);
                    touched.push(ViewKey::Alert(a.id));
                }
            }
            Command::Level { level } => {
                self.settings.level = *level;
                touched.push(ViewKey::Settings);
            }
            Command::Tick => {}
        }
        self.apply_alerts(&ev.alerts, ev.at, &mut touched);
        self.last_seq = ev.seq;
        self.last_at = Some(ev.at);
        touched.sort();
        touched.dedup();
        touched
    }

    /// Applies an event's alert changes (part of `apply`; the engine calls it on its own once
    /// it has computed the delta of a command it just applied).
    pub fn apply_alerts(&mut self, delta: &AlertDelta, at: DateTime<FixedOffset>, touched: &mut Vec<ViewKey>) {
        for id in &delta.cleared {
            if let Some(a) = self.alerts.get_mut(id) {
                a.cleared_at = Some(at);
                self.open_alerts.remove(&a.key());
                touched.push(ViewKey::Alert(*id));
                touched.push(ViewKey::OpenAlert(*id));
            }
        }
        for a in &delta.raised {
            self.open_alerts.insert(a.key(), a.id);
            if a.id >= self.settings.next_alert {
                self.settings.next_alert = a.id + 1;
                touched.push(ViewKey::Settings);
            }
            touched.push(ViewKey::Alert(a.id));
            touched.push(ViewKey::OpenAlert(a.id));
            self.alerts.insert(a.id, a.clone());
        }
    }

    fn upsert(&mut self, r: Record) -> ViewKey {
        match r {
            Record::Zone(z) => {
                let k = ViewKey::Zone(z.code.clone());
                self.zones.insert(z.code.clone(), z);
                k
            }
            Record::Point(p) => {
                let k = ViewKey::Point(p.code.clone());
                self.points.insert(p.code.clone(), p);
                k
            }
            Record::Village(v) => {
                let k = ViewKey::Village(v.code.clone());
                self.villages.insert(v.code.clone(), v);
                k
            }
            Record::Item(i) => {
                let k = ViewKey::Item(i.code.clone());
                self.items.insert(i.code.clone(), i);
                k
            }
            Record::Person(p) => {
                let k = ViewKey::Person(p.name.clone());
                self.people.insert(p.name.clone(), p);
                k
            }
            Record::Shift(s) => {
                let k = ViewKey::Shift(s.start);
                self.shifts.insert(s.start, s);
                k
            }
            Record::Vehicle(v) => {
                let k = ViewKey::Vehicle(v.plate.clone());
                self.vehicles.insert(v.plate.clone(), v);
                k
            }
        }
    }

    fn add_lot(&mut self, point: &str, item: &str, take: &LotTake) -> ViewKey {
        let key = (point.to_string(), item.to_string(), take.batch.clone());
        let lot = self.lots.entry(key).or_insert_with(|| Lot {
            point: point.to_string(),
            item: item.to_string(),
            batch: take.batch.clone(),
            qty: Qty::ZERO,
            expiry: take.expiry,
        });
        lot.qty += take.qty;
        if lot.expiry.is_none() {
            lot.expiry = take.expiry;
        }
        ViewKey::Lot(point.to_string(), item.to_string(), take.batch.clone())
    }

    fn take_lot(&mut self, point: &str, item: &str, take: &LotTake) -> ViewKey {
        let key = (point.to_string(), item.to_string(), take.batch.clone());
        if let Some(lot) = self.lots.get_mut(&key) {
            lot.qty -= take.qty;
            if lot.qty <= Qty::ZERO {
                self.lots.remove(&key);
            }
        }
        ViewKey::Lot(point.to_string(), item.to_string(), take.batch.clone())
    }

    fn flow_mut(&mut self, day: NaiveDate, point: &str, item: &str) -> &mut Flow {
        self.flows.entry((day, point.to_string(), item.to_string())).or_insert_with(|| Flow {
            date: day,
            point: point.to_string(),
            item: item.to_string(),
            ..Flow::default()
        })
    }

    /// Brings the pair and the day's flow up to date after stock at a point changed.
    fn after_change(&mut self, day: NaiveDate, point: &str, item: &str, touched: &mut Vec<ViewKey>) {
        let total = self.qty(point, item);
        let f = self.flow_mut(day, point, item);
        f.closing = total;
        if total <= Qty::ZERO {
            f.stocked_out = true;
        }
        let pair = self.pairs.entry((point.to_string(), item.to_string())).or_insert_with(|| Pair {
            point: point.to_string(),
            item: item.to_string(),
            zero_since: None,
        });
        let zero_since = if total <= Qty::ZERO { pair.zero_since.or(Some(day)) } else { None };
        pair.zero_since = zero_since;
        touched.push(ViewKey::Flow(day, point.to_string(), item.to_string()));
        touched.push(ViewKey::Pair(point.to_string(), item.to_string()));
    }

    /// The stored form of one view row; `None` when the row is gone.
    pub fn row(&self, key: &ViewKey) -> Option<Vec<u8>> {
        fn enc<T: Serialize>(v: Option<&T>) -> Option<Vec<u8>> {
            v.and_then(|v| serde_json::to_vec(v).ok())
        }
        fn k2(a: &str, b: &str) -> (String, String) {
            (a.to_string(), b.to_string())
        }
        match key {
            ViewKey::Settings => enc(Some(&self.settings)),
            ViewKey::Zone(c) => enc(self.zones.get(c)),
            ViewKey::Point(c) => enc(self.points.get(c)),
            ViewKey::Village(c) => enc(self.villages.get(c)),
            ViewKey::Item(c) => enc(self.items.get(c)),
            ViewKey::Person(c) => enc(self.people.get(c)),
            ViewKey::Shift(s) => enc(self.shifts.get(s)),
            ViewKey::Vehicle(c) => enc(self.vehicles.get(c)),
            ViewKey::Handover(s) => enc(self.handovers.get(s)),
            ViewKey::Lot(p, i, b) => enc(self.lots.get(&(p.clone(), i.clone(), b.clone()))),
            ViewKey::Pair(p, i) => enc(self.pairs.get(&k2(p, i))),
            ViewKey::Flow(d, p, i) => enc(self.flows.get(&(*d, p.clone(), i.clone()))),
            ViewKey::Price(d, p, i) => enc(self.prices.get(&(*d, p.clone(), i.clone()))),
            ViewKey::Report(d, p) => enc(self.reports.get(&(*d, p.clone()))),
            ViewKey::Dispatch(id) => enc(self.dispatches.get(id)),
            ViewKey::InFlight(id) => {
                self.dispatches.get(id).filter(|d| d.status() == DispatchStatus::InTransit).map(|_| Vec::new())
            }
            ViewKey::Alert(id) => enc(self.alerts.get(id)),
            ViewKey::OpenAlert(id) => self.alerts.get(id).filter(|a| a.cleared_at.is_none()).map(|_| Vec::new()),
            ViewKey::Delivery(id) => enc(self.dispatches.get(id).filter(|_| self.deliveries.contains(id))),
        }
    }

    /// The row as the store keeps it: `row`, except that a delivery to a village is stored as a
    /// `Delivery` row (not a `Dispatch` one), and only while it is one of `deliveries`.
    pub fn stored_row(&self, key: &ViewKey) -> Option<Vec<u8>> {
        if let ViewKey::Dispatch(id) = key {
            if self.dispatches.get(id).is_some_and(|d| matches!(d.to, Dest::Village(_))) {
                return None;
            }
        }
        self.row(key)
    }

    /// The keys of every row held in memory (index views excluded): what a snapshot sends.
    pub fn keys(&self) -> Vec<ViewKey> {
        let mut k = vec![ViewKey::Settings];
        k.extend(self.zones.keys().cloned().map(ViewKey::Zone));
        k.extend(self.points.keys().cloned().map(ViewKey::Point));
        k.extend(self.villages.keys().cloned().map(ViewKey::Village));
        k.extend(self.items.keys().cloned().map(ViewKey::Item));
        k.extend(self.people.keys().cloned().map(ViewKey::Person));
        k.extend(self.shifts.keys().copied().map(ViewKey::Shift));
        k.extend(self.vehicles.keys().cloned().map(ViewKey::Vehicle));
        k.extend(self.handovers.keys().copied().map(ViewKey::Handover));
        k.extend(self.lots.keys().map(|(p, i, b)| ViewKey::Lot(p.clone(), i.clone(), b.clone())));
        k.extend(self.pairs.keys().map(|(p, i)| ViewKey::Pair(p.clone(), i.clone())));
        k.extend(self.flows.keys().map(|(d, p, i)| ViewKey::Flow(*d, p.clone(), i.clone())));
        k.extend(self.prices.keys().map(|(d, p, i)| ViewKey::Price(*d, p.clone(), i.clone())));
        k.extend(self.reports.keys().map(|(d, p)| ViewKey::Report(*d, p.clone())));
        k.extend(self.dispatches.keys().copied().map(ViewKey::Dispatch));
        k.extend(self.alerts.keys().copied().map(ViewKey::Alert));
        k
    }

    /// Loads one stored row of a view (the inverse of `row`). Index views carry no value and are
    /// loaded by the store through the rows they point at.
    pub fn load_row(&mut self, view: View, bytes: &[u8]) -> Result<(), serde_json::Error> {
        match view {
            View::Settings => self.settings = serde_json::from_slice(bytes)?,
            View::Zones => {
                let z: Zone = serde_json::from_slice(bytes)?;
                self.zones.insert(z.code.clone(), z);
            }
            View::Points => {
                let p: Point = serde_json::from_slice(bytes)?;
                self.points.insert(p.code.clone(), p);
            }
            View::Villages => {
                let v: Village = serde_json::from_slice(bytes)?;
                self.villages.insert(v.code.clone(), v);
            }
            View::Items => {
                let i: Item = serde_json::from_slice(bytes)?;
                self.items.insert(i.code.clone(), i);
            }
            View::People => {
                let p: Person = serde_json::from_slice(bytes)?;
                self.people.insert(p.name.clone(), p);
            }
            View::Shifts => {
                let s: DutyShift = serde_json::from_slice(bytes)?;
                self.shifts.insert(s.start, s);
            }
            View::Vehicles => {
                let v: Vehicle = serde_json::from_slice(bytes)?;
                self.vehicles.insert(v.plate.clone(), v);
            }
            View::Handovers => {
                let h: Handover = serde_json::from_slice(bytes)?;
                self.handovers.insert(h.seq, h);
            }
            View::Lots => {
                let l: Lot = serde_json::from_slice(bytes)?;
                self.lots.insert((l.point.clone(), l.item.clone(), l.batch.clone()), l);
            }
            View::Pairs => {
                let p: Pair = serde_json::from_slice(bytes)?;
                self.pairs.insert((p.point.clone(), p.item.clone()), p);
            }
            View::Flows => {
                let f: Flow = serde_json::from_slice(bytes)?;
                self.flows.insert((f.date, f.point.clone(), f.item.clone()), f);
            }
            View::Prices => {
                let p: PriceObs = serde_json::from_slice(bytes)?;
                self.prices.insert((p.date, p.point.clone(), p.item.clone()), p);
            }
            View::Reports => {
                let r: Report = serde_json::from_slice(bytes)?;
                self.reports.insert((r.date, r.point.clone()), r);
            }
            View::Dispatches => {
                let d: Dispatch = serde_json::from_slice(bytes)?;
                self.dispatches.insert(d.id, d);
            }
            View::Alerts => {
                let a: Alert = serde_json::from_slice(bytes)?;
                if a.cleared_at.is_none() {
                    self.open_alerts.insert(a.key(), a.id);
                }
                self.alerts.insert(a.id, a);
            }
            View::Deliveries => {
                let d: Dispatch = serde_json::from_slice(bytes)?;
                self.deliveries.insert(d.id);
                self.dispatches.insert(d.id, d);
            }
            View::InFlight | View::OpenAlerts => {}
        }
        Ok(())
    }

    /// Drops history older than `keep_from` from memory (the store keeps it all): flows, prices,
    /// reports, closed dispatches (and all but the newest `HOT_CLOSED_DISPATCHES`), cleared
    /// alerts, old handovers.
    pub fn prune(&mut self, keep_from: NaiveDate) {
        self.flows.retain(|(d, _, _), _| *d >= keep_from);
        self.prices.retain(|(d, _, _), _| *d >= keep_from);
        self.reports.retain(|(d, _), _| *d >= keep_from);
        let mut closed = 0;
        let mut keep_closed_from = 0;
        for d in self.dispatches.values().rev().filter(|d| d.status() != DispatchStatus::InTransit) {
            closed += 1;
            if closed == HOT_CLOSED_DISPATCHES {
                keep_closed_from = d.id;
                break;
            }
        }
        self.dispatches.retain(|id, d| {
            d.status() == DispatchStatus::InTransit || (d.sent_at.date_naive() >= keep_from && *id >= keep_closed_from)
        });
        self.alerts.retain(|_, a| a.cleared_at.is_none_or(|c| c.date_naive() >= keep_from));
        while self.handovers.len() > 200 {
            self.handovers.pop_first();
        }
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
