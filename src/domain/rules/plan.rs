//! Replenishment planning: the arithmetic that tells the duty officer where to move stock before
//! a point runs out, and what to ask of the level above. For each item, every point is brought up
//! to its norm as it will stand at the end of the horizon, drawing first on the town reserve depot
//! (local reserves first, as the plans order), then on points holding more than their own target
//! plus a margin (a donor never goes below its target), preferring donors in the recipient's zone;
//! each donor gives the batches that expire first, exactly as a dispatch takes them. What the town
//! cannot cover becomes a request upward: item, quantity, by when, why. A response level under
//! consideration scales demand by the configured factor, as a what-if: nothing here changes the
//! ledger; every movement still goes through a logged dispatch. The demand over the horizon is
//! the villages' open requests where they exist, the consumption estimate otherwise
//! (`plan_demand`), and each transfer says which. The allocation (`plan_holdings`) reads
//! holdings, not the ledger: `plan_with` gathers the town's points as holdings, and the county
//! (`county::plan`) gathers its towns the same way, one level up, so both follow one rule.
//!
//! Pure: a function of the state, the day, the settings and the consumption rates; no I/O.
//! A rule: imports the leaf types, `rules::cover` and `rules::plan_demand`; never the store, the engine or a face.

use super::cover;
use super::plan_demand::{self, DemandBasis, Requested};
use crate::domain::catalog::Item;
use crate::domain::command::{Dest, LotTake};
use crate::domain::lang::Lang;
use crate::domain::level::ResponseLevel;
use crate::domain::network::{Point, PointKind};
use crate::domain::qty::Qty;
use crate::domain::state::{consume_order, DispatchStatus, Lot, State};
use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `[plan]` in baogong.toml.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PlanSettings {
    /// Points are brought up to their norm as it will stand this many days from today.
    pub horizon_days: f64,
    /// A point gives only what it holds above its own target plus this many percent of it.
    pub donor_margin_pct: f64,
    /// A point short by less than this many days of its consumption is not worth a trip.
    pub min_transfer_days: f64,
    /// The reserve depot keeps this many days of its own issues (the plan's transfers counted
    /// in them), so following the plan never empties it; the officer may send more by editing
    /// the quantity in the dispatch form.
    pub reserve_floor_days: f64,
    /// Demand at each response level relative to routine (`[plan.demand]`).
    pub demand: Demand,
}

impl Default for PlanSettings {
    fn default() -> Self {
        PlanSettings {
            horizon_days: 3.0,
            donor_margin_pct: 20.0,
            min_transfer_days: 0.5,
            reserve_floor_days: 3.0,
            demand: Demand::default(),
        }
    }
}

/// Demand multipliers per response level, relative to routine.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Demand {
    pub routine: f64,
    pub level1: f64,
    pub level2: f64,
    pub level3: f64,
    pub level4: f64,
}

impl Default for Demand {
    fn default() -> Self {
        Demand { routine: 1.0, level1: 1.1, level2: 1.25, level3: 1.5, level4: 2.0 }
    }
}

impl Demand {
    pub fn at(&self, level: ResponseLevel) -> f64 {
        match level {
            ResponseLevel::Routine => self.routine,
            ResponseLevel::Level1 => self.level1,
            ResponseLevel::Level2 => self.level2,
            ResponseLevel::Level3 => self.level3,
            ResponseLevel::Level4 => self.level4,
        }
    }

    /// How much demand at `considered` differs from demand at `current` (recent consumption was
    /// measured under the current level).
    pub fn factor(&self, current: ResponseLevel, considered: ResponseLevel) -> f64 {
        let (now, then) = (self.at(current), self.at(considered));
        if now > 0.0 && then > 0.0 && now.is_finite() && then.is_finite() {
            then / now
        } else {
            1.0
        }
    }
}

/// Where a suggested transfer draws from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Draw {
    /// The town reserve depot.
    Depot,
    /// A point of the recipient's zone holding more than it needs.
    SameZone,
    /// A point of another zone holding more than it needs.
    OtherZone,
}

impl Draw {
    pub fn code(self) -> &'static str {
        match self {
            Draw::Depot => "depot",
            Draw::SameZone => "same_zone",
            Draw::OtherZone => "other_zone",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Draw::Depot => lang.pick("reserve", "储备库"),
            Draw::SameZone => lang.pick("same zone", "同片区"),
            Draw::OtherZone => lang.pick("other zone", "跨片区"),
        }
    }
}

/// A suggested transfer, to be logged as a dispatch.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Transfer {
    pub item: String,
    /// The item's unit: the quantity's.
    #[serde(default)]
    pub unit: String,
    pub from: String,
    pub to: String,
    pub qty: Qty,
    pub draw: Draw,
    /// The batches the dispatch would take from the donor, earliest expiry first.
    pub lots: Vec<LotTake>,
    /// The recipient's days of cover before any suggested transfer (in transit counted).
    pub to_days: f64,
    /// The day the recipient runs out without it.
    pub to_runs_out: NaiveDate,
    /// Whether the recipient's demand came from its villages' requests or the estimate.
    #[serde(default)]
    pub demand: DemandBasis,
}

/// A point the town cannot bring up to its norm, and by how much.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Short {
    pub point: String,
    pub qty: Qty,
    /// The day it runs out with what it holds plus what the plan sends it.
    pub runs_out: NaiveDate,
}

/// A request to the level above for one item.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Request {
    pub item: String,
    /// The item's unit: every quantity's here.
    #[serde(default)]
    pub unit: String,
    pub qty: Qty,
    /// The first day a short point runs out.
    pub by: NaiveDate,
    /// What the points need in all to reach their norm.
    pub need: Qty,
    /// What the reserve depot holds to release.
    pub depot_spare: Qty,
    /// What points above their norm can spare.
    pub donor_spare: Qty,
    /// The points left short, most short first.
    pub short: Vec<Short>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub date: NaiveDate,
    /// The level planned for.
    pub level: ResponseLevel,
    /// The level in force.
    pub current: ResponseLevel,
    /// Demand multiplier applied to recent consumption.
    pub factor: f64,
    pub horizon_days: f64,
    pub transfers: Vec<Transfer>,
    pub requests: Vec<Request>,
}

/// One point's position in one item.
struct Position<'a> {
    point: &'a str,
    zone: &'a str,
    depot: bool,
    daily: f64,
    /// Usable stock plus transfers on their way to it.
    usable: Qty,
    /// The donor's lots in the order a dispatch takes them.
    lots: Vec<Lot>,
    spare: Qty,
    need: Qty,
    demand: DemandBasis,
}

/// A computed figure as a quantity, bounded to what one command may move (a huge demand factor
/// or a saturated stock never reaches the unit rounding below as an overflow).
fn qty_of(x: f64) -> Qty {
    let bound = crate::domain::qty::MAX_QTY.0;
    Qty(((x * Qty::SCALE as f64).round() as i64).clamp(-bound, bound))
}

/// Rounds up to whole units.
fn ceil_units(q: Qty) -> Qty {
    Qty(q.0.saturating_add(Qty::SCALE - 1).div_euclid(Qty::SCALE).saturating_mul(Qty::SCALE))
}

/// Rounds down to whole units.
fn floor_units(q: Qty) -> Qty {
    Qty(q.0.div_euclid(Qty::SCALE) * Qty::SCALE)
}

/// The day stock of `days` days of cover runs out.
fn runs_out(today: NaiveDate, days: f64) -> NaiveDate {
    let d = if days.is_finite() { days.clamp(0.0, 36_500.0) } else { 36_500.0 };
    today + Duration::days(d.floor() as i64)
}

/// The plan for `level` (None: the level in force), for one item or all, with consumption from
/// the ledger's cover model.
pub fn plan(
    state: &State,
    today: NaiveDate,
    settings: &PlanSettings,
    level: Option<ResponseLevel>,
    item: Option<&str>,
) -> Plan {
    plan_with(state, today, settings, level, item, &|point, it| {
        cover::consumption(state, point, it, today).map(|(d, _)| d)
    })
}

/// The plan with consumption rates from `daily` (a face passes the rates it already holds).
pub fn plan_with(
    state: &State,
    today: NaiveDate,
    settings: &PlanSettings,
    level: Option<ResponseLevel>,
    item: Option<&str>,
    daily: &dyn Fn(&str, &Item) -> Option<f64>,
) -> Plan {
    let current = state.settings.level;
    let level = level.unwrap_or(current);
    let horizon = Knobs::of(settings, 1.0).horizon;
    // Transfers already on their way count for their destination.
    let mut inbound: BTreeMap<(&str, &str), Qty> = BTreeMap::new();
    for d in state.dispatches.values().filter(|d| d.status() == DispatchStatus::InTransit) {
        if let Dest::Point(to) = &d.to {
            *inbound.entry((to.as_str(), d.item.as_str())).or_default() += d.qty;
        }
    }
    // One ordered walk over the pairs with their lots beside them (both maps are ordered by
    // point, then item): no search per pair, which matters at 500 points x 60 items.
    let requested = plan_demand::requested(state, today, horizon);
    let mut holdings: Vec<(&Item, Holding<'_>)> = Vec::new();
    let mut lots = state.lots.values().peekable();
    let mut point: Option<&Point> = None;
    for (p, i) in state.pairs.keys() {
        let mut held: Vec<&Lot> = Vec::new();
        while let Some(l) = lots.next_if(|l| (l.point.as_str(), l.item.as_str()) <= (p.as_str(), i.as_str())) {
            if l.point == *p && l.item == *i {
                held.push(l);
            }
        }
        if item.is_some_and(|x| x != i) {
            continue;
        }
        if point.is_none_or(|x| x.code != *p) {
            point = state.points.get(p);
        }
        let (Some(pt), Some(it)) = (point, state.items.get(i)) else { continue };
        held.sort_by(|a, b| consume_order(a, b));
        let key = (p.as_str(), i.as_str());
        holdings.push((
            it,
            Holding {
                holder: p,
                zone: &pt.zone,
                depot: pt.kind == PointKind::Depot,
                lots: held,
                inbound: inbound.get(&key).copied(),
                requested: requested.get(&key).copied(),
            },
        ));
    }
    plan_holdings(holdings, today, settings, (current, level), daily)
}

/// One holder's stock of one item as the plan reads it: a point of the town (its lots, what is
/// on its way to it, its villages' open requests) or, one level up, a town of the county
/// (`county::plan`). Donors of the recipient's `zone` are drawn on before the others; a
/// `depot` is the reserve, released first.
pub struct Holding<'a> {
    pub holder: &'a str,
    pub zone: &'a str,
    pub depot: bool,
    /// Its lots in the order a dispatch takes them (`state::consume_order`).
    pub lots: Vec<&'a Lot>,
    /// Transfers on their way to it.
    pub inbound: Option<Qty>,
    pub requested: Option<Requested>,
}

/// The plan over `holdings`, each with its item, planned for `level` while `current` is in
/// force, at the consumption rates of `daily` (by holder and item): the one allocation both
/// levels use. Items are told apart by code and unit, so quantities in different units are
/// never added or moved into one another. Kits are left out (the plan moves their components).
/// O(holdings + lots + transfers × log).
pub fn plan_holdings<'a>(
    holdings: impl IntoIterator<Item = (&'a Item, Holding<'a>)>,
    today: NaiveDate,
    settings: &PlanSettings,
    (current, level): (ResponseLevel, ResponseLevel),
    daily: &dyn Fn(&str, &Item) -> Option<f64>,
) -> Plan {
    let factor = settings.demand.factor(current, level);
    let knobs = Knobs::of(settings, factor);
    let mut out = Plan {
        date: today,
        level,
        current,
        factor,
        horizon_days: knobs.horizon,
        transfers: Vec::new(),
        requests: Vec::new(),
    };
    type ByItem<'a> = BTreeMap<(&'a str, &'a str), (&'a Item, Vec<Position<'a>>)>;
    let mut by_item: ByItem<'a> = BTreeMap::new();
    for (it, h) in holdings {
        // Kits are assembled from their components, which the plan moves: never a kit itself.
        if it.is_kit() {
            continue;
        }
        if let Some(pos) = position(h, it, today, &knobs, daily) {
            by_item.entry((it.code.as_str(), it.unit.as_str())).or_insert((it, Vec::new())).1.push(pos);
        }
    }
    for (it, positions) in by_item.into_values() {
        plan_item(it, positions, today, &mut out);
    }
    // Most urgent first across items: the recipient that runs out soonest.
    out.transfers.sort_by(|a, b| {
        a.to_days.total_cmp(&b.to_days).then(a.item.cmp(&b.item)).then(a.to.cmp(&b.to)).then(a.draw.cmp(&b.draw))
    });
    out
}

/// The settings as numbers the arithmetic can trust.
#[derive(Clone, Copy)]
struct Knobs {
    factor: f64,
    horizon: f64,
    margin: f64,
    min_days: f64,
    floor_days: f64,
}

impl Knobs {
    fn of(settings: &PlanSettings, factor: f64) -> Knobs {
        let finite = |x: f64, lo: f64, hi: f64| if x.is_finite() { x.clamp(lo, hi) } else { 0.0 };
        Knobs {
            factor,
            horizon: finite(settings.horizon_days, 0.0, 365.0),
            margin: finite(settings.donor_margin_pct, 0.0, f64::MAX) / 100.0,
            min_days: finite(settings.min_transfer_days, 0.0, f64::MAX),
            floor_days: finite(settings.reserve_floor_days, 0.0, 365.0),
        }
    }
}

fn position<'a>(
    h: Holding<'a>,
    item: &Item,
    today: NaiveDate,
    k: &Knobs,
    daily: &dyn Fn(&str, &Item) -> Option<f64>,
) -> Option<Position<'a>> {
    let Knobs { factor, horizon, margin, min_days, floor_days } = *k;
    let Holding { holder: point, zone, depot, lots: held_lots, inbound, requested: req } = h;
    let rate = daily(point, item).map(|d| d * factor).filter(|d| d.is_finite() && *d > 0.0);
    // Only a donor's lots are needed (to name the batches it gives).
    let owned =
        |spare: Qty| if spare > Qty::ZERO { held_lots.iter().map(|l| (*l).clone()).collect() } else { Vec::new() };
    if depot {
        // The reserve exists to be released: what has not expired, above its own floor.
        let fresh: Qty = held_lots.iter().filter(|l| l.expiry.is_none_or(|e| e >= today)).map(|l| l.qty).sum();
        let spare = floor_units((fresh - reserve_floor(fresh, rate.unwrap_or(0.0), floor_days)).max(Qty::ZERO));
        return Some(Position {
            point,
            zone,
            depot,
            daily: rate.unwrap_or(0.0),
            usable: fresh,
            lots: owned(spare),
            spare,
            need: Qty::ZERO,
            demand: DemandBasis::Estimate,
        });
    }
    let daily = rate?;
    let held: Qty = held_lots.iter().map(|l| l.qty).sum();
    let usable_days = cover::usable_days(held_lots.iter().copied(), daily, today);
    let usable = qty_of(usable_days * daily).min(held).max(Qty::ZERO) + inbound.unwrap_or(Qty::ZERO);
    let (ahead, demand) = plan_demand::over_horizon(daily, horizon, today, req);
    let target = ceil_units(qty_of(daily * item.norm_days.max(0.0) + ahead));
    let keep = qty_of(target.as_f64() * (1.0 + margin)).max(target);
    let short = target - usable;
    let need = if short > Qty::ZERO && short.as_f64() >= daily * min_days { ceil_units(short) } else { Qty::ZERO };
    // A donor gives from what it holds, never what is still on its way to it.
    let spare = if usable > keep && inbound.is_none() { floor_units((usable - keep).min(held)) } else { Qty::ZERO };
    Some(Position { point, zone, depot, daily, usable, lots: owned(spare), spare, need, demand })
}

/// What the depot keeps of `fresh` stock: `days` of its issues as they will stand once what it
/// gives counts in its 7-day outflow. Keeping F of it, it gives `fresh - F`, so its rate becomes
/// `daily + (fresh - F) / 7`; F = days × that rate gives F = days × (7 daily + fresh) ÷ (7 + days).
fn reserve_floor(fresh: Qty, daily: f64, days: f64) -> Qty {
    let w = cover::WINDOW_DAYS as f64;
    let keep = days * (w * daily.max(0.0) + fresh.as_f64()) / (w + days);
    ceil_units(qty_of(keep)).min(fresh)
}

fn plan_item(item: &Item, mut positions: Vec<Position<'_>>, today: NaiveDate, out: &mut Plan) {
    // Most urgent first: the fewest days of cover, then the point code.
    let mut recipients: Vec<usize> = (0..positions.len()).filter(|&i| positions[i].need > Qty::ZERO).collect();
    recipients.sort_by(|&a, &b| {
        let (pa, pb) = (&positions[a], &positions[b]);
        (pa.usable.as_f64() / pa.daily).total_cmp(&(pb.usable.as_f64() / pb.daily)).then(pa.point.cmp(pb.point))
    });
    let need: Qty = recipients.iter().map(|&i| positions[i].need).sum();
    if need <= Qty::ZERO {
        return;
    }
    let depot_spare: Qty = positions.iter().filter(|p| p.depot).map(|p| p.spare).sum();
    let donor_spare: Qty = positions.iter().filter(|p| !p.depot).map(|p| p.spare).sum();
    // Donors in the order they are drawn on: the depot, then points by what they can spare
    // (most first), the recipient's zone before the others. Exhausted donors drop out.
    let mut depots: Vec<usize> = (0..positions.len()).filter(|&i| positions[i].depot).collect();
    let mut others: Vec<usize> = (0..positions.len()).filter(|&i| !positions[i].depot).collect();
    others
        .sort_by(|&a, &b| positions[b].spare.cmp(&positions[a].spare).then(positions[a].point.cmp(positions[b].point)));
    let mut short = Vec::new();
    for r in recipients {
        depots.retain(|&i| positions[i].spare > Qty::ZERO);
        others.retain(|&i| positions[i].spare > Qty::ZERO);
        let zone = positions[r].zone;
        let donors: Vec<(Draw, usize)> = depots
            .iter()
            .map(|&i| (Draw::Depot, i))
            .chain(others.iter().filter(|&&i| positions[i].zone == zone).map(|&i| (Draw::SameZone, i)))
            .chain(others.iter().filter(|&&i| positions[i].zone != zone).map(|&i| (Draw::OtherZone, i)))
            .collect();
        let before = positions[r].usable.as_f64() / positions[r].daily;
        let mut left = positions[r].need;
        let mut got = Qty::ZERO;
        for (draw, d) in donors {
            if left <= Qty::ZERO {
                break;
            }
            let qty = left.min(positions[d].spare);
            let lots = take(&mut positions[d].lots, qty);
            positions[d].spare -= qty;
            left -= qty;
            got += qty;
            out.transfers.push(Transfer {
                item: item.code.clone(),
                unit: item.unit.clone(),
                from: positions[d].point.to_string(),
                to: positions[r].point.to_string(),
                qty,
                draw,
                lots,
                to_days: before,
                to_runs_out: runs_out(today, before),
                demand: positions[r].demand,
            });
        }
        if left > Qty::ZERO {
            let p = &positions[r];
            let after = (p.usable + got).as_f64() / p.daily;
            short.push(Short { point: p.point.to_string(), qty: left, runs_out: runs_out(today, after) });
        }
    }
    if short.is_empty() {
        return;
    }
    short.sort_by(|a, b| b.qty.cmp(&a.qty).then(a.point.cmp(&b.point)));
    let by = short.iter().map(|s| s.runs_out).min().unwrap_or(today);
    out.requests.push(Request {
        item: item.code.clone(),
        unit: item.unit.clone(),
        qty: short.iter().map(|s| s.qty).sum(),
        by,
        need,
        depot_spare,
        donor_spare,
        short,
    });
}

/// Takes `qty` from `lots` in dispatch order, as `State::plan_take` does.
fn take(lots: &mut Vec<Lot>, qty: Qty) -> Vec<LotTake> {
    let mut left = qty;
    let mut out = Vec::new();
    for lot in lots.iter_mut() {
        if left <= Qty::ZERO {
            break;
        }
        let n = lot.qty.min(left);
        if n > Qty::ZERO {
            out.push(LotTake { batch: lot.batch.clone(), expiry: lot.expiry, qty: n });
            lot.qty -= n;
            left -= n;
        }
    }
    lots.retain(|l| l.qty > Qty::ZERO);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A figure far past any stock (a demand factor's product, a saturated quantity) is bounded
    /// before the unit rounding, which then cannot overflow.
    #[test]
    fn extreme_figures_round_without_overflow() {
        assert_eq!(qty_of(4e29), crate::domain::qty::MAX_QTY);
        assert_eq!(qty_of(f64::NAN), Qty::ZERO);
        assert!(ceil_units(Qty(i64::MAX)).0 > 0);
        assert_eq!(ceil_units(qty_of(1e40)), crate::domain::qty::MAX_QTY);
    }
}
