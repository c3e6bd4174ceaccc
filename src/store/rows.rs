//! Row packing: the view trees of the store (`View`), the tree of each `ViewKey`, and how a
//! row of the state is encoded (`State::row`, `State::stored_row`), listed (`State::keys`) and
//! decoded (`State::load_row`). The domain knows nothing of this; the link's snapshot uses the same
//! rows. Imports domain types only; no sled here (keys are encoded in `keys`).

use crate::domain::alerts::Alert;
use crate::domain::catalog::Item;
use crate::domain::command::Dest;
use crate::domain::demand::Request;
use crate::domain::household::Household;
use crate::domain::network::{Point, Vehicle, Village, Zone};
use crate::domain::roster::{DutyShift, Handover, Person};
use crate::domain::state::{Dispatch, DispatchStatus, Flow, Lot, Pair, PriceObs, Report, State, ViewKey};
use serde::Serialize;

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
    Requests,
    Tallies,
    Households,
    Cases,
}

impl View {
    pub const ALL: [View; 23] = [
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
        View::Requests,
        View::Tallies,
        View::Households,
        View::Cases,
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
            View::Requests => "v_requests",
            View::Tallies => "v_tallies",
            View::Households => "v_households",
            View::Cases => "v_cases",
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
            ViewKey::Request(_) => View::Requests,
            ViewKey::Tally(..) => View::Tallies,
            ViewKey::Household(_) => View::Households,
            ViewKey::Case(_) => View::Cases,
        }
    }
}

impl State {
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
            ViewKey::Request(id) => enc(self.requests.get(id)),
            ViewKey::Tally(d, v) => enc(self.tallies.get(&(*d, v.clone()))),
            ViewKey::Household(c) => enc(self.households.get(c)),
            ViewKey::Case(id) => enc(self.cases.get(id)),
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
        k.extend(self.requests.keys().copied().map(ViewKey::Request));
        k.extend(self.tallies.keys().map(|(d, v)| ViewKey::Tally(*d, v.clone())));
        k.extend(self.households.keys().cloned().map(ViewKey::Household));
        k.extend(self.cases.keys().copied().map(ViewKey::Case));
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
            View::Requests => {
                let r: Request = serde_json::from_slice(bytes)?;
                self.requests.insert(r.id, r);
            }
            View::Tallies => self.insert_tally(serde_json::from_slice(bytes)?),
            View::Households => {
                let h: Household = serde_json::from_slice(bytes)?;
                self.households.insert(h.code.clone(), h);
            }
            View::Cases => self.insert_case(serde_json::from_slice(bytes)?),
        }
        Ok(())
    }
}
