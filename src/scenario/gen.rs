//! The history generator's arithmetic: which items a point carries, its daily rate, dated
//! batches, and the replenishment round. Pure functions of the scenario and the state; reads the
//! domain's cover rules, never the engine or the store.

use super::{History, PairSpec, Scenario};
use crate::domain::command::{Command, Dest, Source};
use crate::domain::rules::cover;
use crate::domain::{Item, Point, PointKind, Qty, State};
use chrono::{Duration, NaiveDate};
use std::collections::BTreeMap;

pub(super) fn pair_listed(list: &[PairSpec], point: &str, item: &str) -> bool {
    list.iter().any(|x| x.point == point && x.item == item)
}

/// Rounds a generated quantity to what the item's unit allows (0.1 kg, or whole units). A
/// quantity too large for a `Qty` saturates, for the engine to refuse as too large.
pub(super) fn whole(item: &Item, q: f64) -> Qty {
    if item.divisible() {
        Qty(((q * 10.0).round() as i64).saturating_mul(Qty::SCALE / 10))
    } else {
        Qty((q.round() as i64).saturating_mul(Qty::SCALE))
    }
}

/// The history generator's view of a scenario.
pub(super) struct Gen<'a> {
    pub sc: &'a Scenario,
    pub h: &'a History,
    pub items: BTreeMap<&'a str, &'a Item>,
    pub town_hh: f64,
}

impl Gen<'_> {
    /// The items a point carries; the depot holds storable reserves, not fresh food (nor
    /// medicines, stocked apart).
    pub fn carried(&self, p: &Point) -> Vec<String> {
        match p.kind {
            PointKind::Depot => self
                .sc
                .items
                .iter()
                // Kits are assembled at the points (`history.assembled`), never stocked by the depot.
                .filter(|i| !i.is_kit() && self.h.shelf_life.get(&i.code).is_none_or(|d| *d >= 30))
                // Medicines are stocked apart (`people::medicine_stock`), outside the random walk.
                .filter(|i| i.group != crate::domain::ItemGroup::Medicine)
                .map(|i| i.code.clone())
                .collect(),
            PointKind::Convenience | PointKind::Drop => self.h.convenience_items.clone(),
            _ => self.h.delivery_items.clone(),
        }
    }

    /// The population-norm daily rate of an item at a point.
    pub fn rate(&self, state: &State, p: &Point, item: &Item) -> f64 {
        let hh =
            if p.kind == PointKind::Depot { self.town_hh * 0.25 } else { cover::households(state, &p.code) as f64 };
        hh.max(60.0) * item.per_household_daily
    }

    /// Perishable items arrive in dated batches.
    pub fn batch_for(&self, item: &Item, day: NaiveDate) -> (Option<String>, Option<NaiveDate>) {
        match self.h.shelf_life.get(&item.code) {
            Some(life) => (
                Some(format!("{}-{}", item.code.to_uppercase(), day.format("%m%d"))),
                Some(day + Duration::days(*life)),
            ),
            None => (None, None),
        }
    }

    /// Every third day: transfers from the depot where it can cover them, restocks from
    /// suppliers (and the level above, for the depot) for the rest. Short pairs stay short, the
    /// stockout pair gets nothing.
    pub fn replenish(&self, state: &State, day: NaiveDate) -> (Vec<Command>, Vec<Command>) {
        let (sc, h) = (self.sc, self.h);
        let is = pair_listed;
        let depot_point = sc.points.iter().find(|d| d.kind == PointKind::Depot);
        let mut depot_left: BTreeMap<String, Qty> = BTreeMap::new();
        let mut transfers = Vec::new();
        let mut restocks = Vec::new();
        for p in &sc.points {
            for code in self.carried(p) {
                let Some(item) = self.items.get(code.as_str()) else { continue };
                if is(&h.stockout, &p.code, &code) {
                    continue;
                }
                let short = is(&h.short, &p.code, &code);
                let depot = p.kind == PointKind::Depot;
                // The generator keeps the depot stocked to back the whole town when it has issued
                // nothing lately (its cover is unknown then, not the town's).
                let town_rate = || Some(self.town_hh * item.per_household_daily).filter(|r| depot && *r > 0.0);
                let r = cover::consumption(state, &p.code, item, day)
                    .map(|c| c.0)
                    .or_else(town_rate)
                    .unwrap_or_else(|| self.rate(state, p, item));
                let have = state.qty(&p.code, &code).as_f64();
                let life = h.shelf_life.get(&code).map_or(f64::MAX, |d| *d as f64 * 0.7);
                let (fill, trigger) = match (short, depot) {
                    (true, _) => (0.5, 0.5),
                    (false, true) => (2.2, 1.6),
                    (false, false) => (1.6, 1.2),
                };
                let target = r * (item.norm_days * fill).min(life);
                if have >= r * (item.norm_days * trigger).min(life * 0.8) {
                    continue;
                }
                let q = whole(item, target - have);
                if q <= Qty::ZERO {
                    continue;
                }
                let (batch, expiry) = self.batch_for(item, day);
                let from_depot = depot_point.filter(|d| d.code != p.code && batch.is_none());
                let spare =
                    from_depot.map(|d| *depot_left.entry(code.clone()).or_insert_with(|| state.qty(&d.code, &code)));
                match (from_depot, spare) {
                    (Some(d), Some(spare)) if spare >= q => {
                        depot_left.insert(code.clone(), spare - q);
                        transfers.push(Command::Dispatch {
                            from: d.code.clone(),
                            to: Dest::Point(p.code.clone()),
                            item: code.clone(),
                            qty: q,
                            vehicle: sc
                                .vehicles
                                .iter()
                                .find(|v| v.point == d.code && v.valid_days > 0)
                                .map(|v| v.plate.clone()),
                            note: String::new(),
                            requests: Vec::new(),
                        });
                    }
                    _ => restocks.push(Command::Restock {
                        point: p.code.clone(),
                        item: code.clone(),
                        qty: q,
                        source: if p.kind == PointKind::Depot { Source::Reserve } else { Source::Supplier },
                        batch,
                        expiry,
                        note: String::new(),
                    }),
                }
            }
        }
        (restocks, transfers)
    }
}
