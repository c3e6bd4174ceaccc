//! Days of cover and stock status, as the field defines them: usable stock on hand divided by
//! average daily consumption over the last 7 full days (fewer on a store younger than a week;
//! adjusted for days stocked out, as OpenLMIS does: C × D ÷ (D − stockout days)); with no outflow in that window, the population
//! norm (households × per-household daily rate). Stock that expires before it could be used
//! does not count. Never averaged across items or points.
//! A rule: imports the domain's leaf types only; never the store, the engine or a face.

use crate::domain::catalog::{Item, ItemGroup};
use crate::domain::lang::Lang;
use crate::domain::qty::Qty;
use crate::domain::state::{Flow, Lot, State};
use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// Days in the consumption window.
pub const WINDOW_DAYS: i64 = 7;

/// Beyond this many days of cover no run-out day is given.
pub const RUNS_OUT_HORIZON_DAYS: f64 = 3650.0;

/// How far before the window `consumption` looks for the stock a quiet day started from.
const LOOKBACK_DAYS: i64 = 28;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StockStatus {
    /// 断档: nothing on hand. Ordered worst first.
    StockedOut,
    BelowNorm,
    Ok,
    Over,
}

impl StockStatus {
    pub fn code(self) -> &'static str {
        match self {
            StockStatus::StockedOut => "stocked_out",
            StockStatus::BelowNorm => "below_norm",
            StockStatus::Ok => "ok",
            StockStatus::Over => "over",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            StockStatus::StockedOut => lang.pick("stocked out", "断档"),
            StockStatus::BelowNorm => lang.pick("below norm", "低于储备"),
            StockStatus::Ok => lang.pick("ok", "正常"),
            StockStatus::Over => lang.pick("over", "超储"),
        }
    }
}

/// Where a consumption rate came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// Outflow over the last 7 days.
    History,
    /// Households served × the item's per-household daily norm.
    Norm,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cover {
    pub qty: Qty,
    /// Average daily consumption in the item's unit, if known.
    pub daily: Option<f64>,
    pub basis: Option<Basis>,
    /// Days of cover, `None` when consumption is unknown.
    pub days: Option<f64>,
    pub norm_days: f64,
    pub status: StockStatus,
    pub earliest_expiry: Option<NaiveDate>,
    /// The day usable stock runs out at the current rate (today when there is none), if the rate
    /// is known.
    pub runs_out: Option<NaiveDate>,
}

/// The households a point serves: its own figure, else the sum of its villages.
pub fn households(state: &State, point: &str) -> u64 {
    match state.points.get(point) {
        Some(p) if p.households > 0 => p.households as u64,
        Some(_) => state.villages.values().filter(|v| v.point == point).map(|v| v.households as u64).sum(),
        None => 0,
    }
}

/// All households in the town.
pub fn town_households(state: &State) -> u64 {
    state.points.keys().map(|p| households(state, p)).sum()
}

/// Days of figures the window holds on `today`: the days since the store's first flow, at most
/// `WINDOW_DAYS` (a fresh store has not seen a week yet, so averages divide by what it has seen).
/// O(log n): the first key of the flows.
pub fn days_observed(state: &State, today: NaiveDate) -> i64 {
    state.flows.keys().next().map_or(0, |(first, _, _)| (today - *first).num_days().clamp(0, WINDOW_DAYS))
}

fn window(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    (today - Duration::days(WINDOW_DAYS), today - Duration::days(1))
}

/// Average daily consumption of an item at a point on `today`. O(days of the window and the
/// lookback × log flows).
pub fn consumption(state: &State, point: &str, item: &Item, today: NaiveDate) -> Option<(f64, Basis)> {
    let (from, _) = window(today);
    // One key, its date moved day by day (no allocation per lookup).
    let mut key = (from, point.to_string(), item.code.clone());
    let flow_on = |day: NaiveDate| {
        key.0 = day;
        state.flows.get(&key)
    };
    consumption_from(state, point, item, today, flow_on)
}

/// The consumption of every carried pair on `today` (as `consumption` gives it, pair by pair)
/// from one pass over the flows of the window and its lookback: O(those flows + pairs), where
/// asking pair by pair costs O(pairs × days × log flows). What a face computes on attach and at
/// a new day.
pub fn consumptions(state: &State, today: NaiveDate) -> HashMap<(&str, &str), Option<(f64, Basis)>> {
    let (from, to) = window(today);
    let first = from - Duration::days(LOOKBACK_DAYS);
    let mut by_pair: HashMap<(&str, &str), Vec<&Flow>> = HashMap::new();
    for ((_, p, i), f) in
        state.flows.range((first, String::new(), String::new())..).take_while(|((d, _, _), _)| *d <= to)
    {
        by_pair.entry((p.as_str(), i.as_str())).or_default().push(f);
    }
    state
        .pairs
        .keys()
        .filter_map(|(p, i)| {
            let item = state.items.get(i)?;
            let flows = by_pair.get(&(p.as_str(), i.as_str())).map_or(&[][..], Vec::as_slice);
            // Flows of one pair come in date order, a day at most once.
            let flow_on = |day: NaiveDate| flows.binary_search_by(|f| f.date.cmp(&day)).ok().map(|k| flows[k]);
            Some(((p.as_str(), i.as_str()), consumption_from(state, p, item, today, flow_on)))
        })
        .collect()
}

/// The one formula of consumption, reading a pair's flow of a day through `flow_on`.
fn consumption_from<'a>(
    state: &State,
    point: &str,
    item: &Item,
    today: NaiveDate,
    mut flow_on: impl FnMut(NaiveDate) -> Option<&'a Flow>,
) -> Option<(f64, Basis)> {
    let (from, to) = window(today);
    let zero_since = state.pairs.get(&(point.to_string(), item.code.clone())).and_then(|p| p.zero_since);
    // A day without movements stands at the closing stock of the last movement before it.
    let mut closing = (1..=LOOKBACK_DAYS).find_map(|k| flow_on(from - Duration::days(k))).map(|f| f.closing);
    let mut out = Qty::ZERO;
    let mut stockout_days = 0i64;
    let mut day = from;
    while day <= to {
        let flow = flow_on(day);
        if let Some(f) = flow {
            out += f.outflow();
        }
        let out_all_day =
            flow.is_none() && (closing.is_some_and(|c| c <= Qty::ZERO) || zero_since.is_some_and(|z| z <= day));
        if flow.is_some_and(|f| f.stocked_out) || out_all_day {
            stockout_days += 1;
        }
        if let Some(f) = flow {
            closing = Some(f.closing);
        }
        day += Duration::days(1);
    }
    if out > Qty::ZERO {
        let stocked = (days_observed(state, today) - stockout_days).max(1) as f64;
        return Some((out.as_f64() / stocked, Basis::History));
    }
    // A reserve depot serves no households itself: with no issues in the window its rate is
    // unknown (never the whole town's demand), unless it is given households of its own.
    norm_rate(households(state, point), item)
}

fn norm_rate(households: u64, item: &Item) -> Option<(f64, Basis)> {
    let rate = households as f64 * item.per_household_daily;
    (rate > 0.0).then_some((rate, Basis::Norm))
}

/// Days that `lots` last at `daily` consumption, earliest expiry first, counting only what can
/// be used before it expires.
pub fn usable_days<'a>(lots: impl Iterator<Item = &'a Lot>, daily: f64, today: NaiveDate) -> f64 {
    let mut sorted: Vec<&Lot> = lots.collect();
    sorted.sort_by_key(|l| (l.expiry.is_none(), l.expiry));
    let mut t = 0.0f64;
    for lot in sorted {
        let qty = lot.qty.as_f64();
        let days_of_lot = qty / daily;
        match lot.expiry {
            None => t += days_of_lot,
            Some(e) => {
                // Usable through the end of its expiry day.
                let left = (e - today).num_days() as f64 + 1.0 - t;
                if left > 0.0 {
                    t += days_of_lot.min(left);
                }
            }
        }
    }
    t
}

fn status(qty: Qty, days: Option<f64>, item: &Item) -> StockStatus {
    match days {
        _ if qty <= Qty::ZERO => StockStatus::StockedOut,
        Some(d) if d < item.norm_days => StockStatus::BelowNorm,
        Some(d) if item.max_days.is_some_and(|m| d > m) => StockStatus::Over,
        _ => StockStatus::Ok,
    }
}

/// Cover of one item at one point. A kit's stock counts the kits assembled plus those its
/// components at the point could still make (`makeable`), expiring with the earliest of them:
/// O(components × their lots) more for a kit, nothing for a plain item.
pub fn point_cover(state: &State, point: &str, item: &Item, today: NaiveDate) -> Cover {
    point_cover_at(state, point, item, today, consumption(state, point, item, today))
}

/// Cover of one item at one point at a consumption `rate` already known (`consumption`, or
/// `consumptions` for every pair at once): O(lots of the pair), more for a kit (`makeable`).
pub fn point_cover_at(state: &State, point: &str, item: &Item, today: NaiveDate, rate: Option<(f64, Basis)>) -> Cover {
    let mut lots: Vec<&Lot> = state.lots_of(point, &item.code).collect();
    let makeable = makeable(state, point, item);
    if let Some(m) = &makeable {
        lots.push(m);
    }
    let qty: Qty = lots.iter().map(|l| l.qty).sum();
    cover_of(qty, &lots, rate, item, today)
}

/// The kits a point's components could still make, as a lot expiring with the earliest
/// component lot; `None` for a plain item or when they make none. O(components × their lots).
pub fn makeable(state: &State, point: &str, kit: &Item) -> Option<Lot> {
    let mut kits: Option<i64> = None;
    let mut expiry: Option<NaiveDate> = None;
    for c in &kit.components {
        let lots: Vec<&Lot> = state.lots_of(point, &c.item).collect();
        let held: Qty = lots.iter().map(|l| l.qty).sum();
        let n = if c.qty.0 > 0 { held.0 / c.qty.0 } else { 0 };
        kits = Some(kits.map_or(n, |k| k.min(n)));
        expiry = lots.iter().filter_map(|l| l.expiry).chain(expiry).min();
    }
    let qty = Qty::units(kits.filter(|k| *k > 0)?);
    Some(Lot { point: point.to_string(), item: kit.code.clone(), batch: String::new(), qty, expiry })
}

/// Cover of `qty` held in `lots` at consumption `rate` on `today`: the one formula behind
/// every figure of days of cover and status.
pub fn cover_of(qty: Qty, lots: &[&Lot], rate: Option<(f64, Basis)>, item: &Item, today: NaiveDate) -> Cover {
    let days = rate.map(|(daily, _)| usable_days(lots.iter().copied(), daily, today));
    Cover {
        qty,
        daily: rate.map(|r| r.0),
        basis: rate.map(|r| r.1),
        days,
        norm_days: item.norm_days,
        status: status(qty, days, item),
        earliest_expiry: lots.iter().filter_map(|l| l.expiry).min(),
        runs_out: match days {
            _ if qty <= Qty::ZERO => Some(today),
            Some(d) if d < RUNS_OUT_HORIZON_DAYS => Some(today + Duration::days(d.floor() as i64)),
            _ => None,
        },
    }
}

/// Town-wide cover of an item: town stock ÷ town consumption (deliveries to villages; transfers
/// between points are not consumption).
pub fn town_cover(state: &State, item: &Item, today: NaiveDate) -> Cover {
    let lots: Vec<&Lot> = state.lots.values().filter(|l| l.item == item.code).collect();
    let qty: Qty = lots.iter().map(|l| l.qty).sum();
    cover_of(qty, &lots, town_consumption(state, item, today), item, today)
}

/// Every item's town-wide cover on `today` (as `town_cover` gives it, item by item) from one
/// pass over the lots and one over the flows of the window: O(lots + flows in the window +
/// items), where asking item by item costs O(items × (lots + flows in the window)).
pub fn town_covers(state: &State, today: NaiveDate) -> BTreeMap<String, Cover> {
    let rates = town_consumptions(state, today);
    // In the order of `state.lots`, as `town_cover` takes them, so the figure is the very same.
    let mut lots: HashMap<&str, Vec<&Lot>> = HashMap::new();
    for l in state.lots.values() {
        lots.entry(l.item.as_str()).or_default().push(l);
    }
    state
        .items
        .values()
        .map(|item| {
            let lots = lots.get(item.code.as_str()).map_or(&[][..], Vec::as_slice);
            let qty: Qty = lots.iter().map(|l| l.qty).sum();
            let rate = rates.get(&item.code).copied().flatten();
            (item.code.clone(), cover_of(qty, lots, rate, item, today))
        })
        .collect()
}

/// Town-wide daily consumption of an item on `today`: deliveries to villages over the window,
/// else the population norm of every household. O(flows in the window).
pub fn town_consumption(state: &State, item: &Item, today: NaiveDate) -> Option<(f64, Basis)> {
    let (from, to) = window(today);
    let delivered: Qty = state
        .flows
        .range((from, String::new(), String::new())..)
        .take_while(|((d, _, _), _)| *d <= to)
        .filter(|((_, _, i), _)| *i == item.code)
        .map(|(_, f)| f.delivered)
        .sum();
    town_rate(state, item, today, delivered, &|| town_households(state))
}

/// The town consumption of every item on `today` (as `town_consumption` gives it, item by
/// item) from one pass over the flows of the window: O(flows in the window + items + points),
/// where asking item by item costs O(items × flows in the window).
pub fn town_consumptions(state: &State, today: NaiveDate) -> BTreeMap<String, Option<(f64, Basis)>> {
    let (from, to) = window(today);
    let mut delivered: HashMap<&str, Qty> = HashMap::new();
    for ((_, _, i), f) in
        state.flows.range((from, String::new(), String::new())..).take_while(|((d, _, _), _)| *d <= to)
    {
        *delivered.entry(i.as_str()).or_default() += f.delivered;
    }
    let households = std::cell::OnceCell::new();
    let town_hh = || *households.get_or_init(|| town_households(state));
    state
        .items
        .values()
        .map(|item| {
            let out = delivered.get(item.code.as_str()).copied().unwrap_or(Qty::ZERO);
            (item.code.clone(), town_rate(state, item, today, out, &town_hh))
        })
        .collect()
}

/// The one formula of town consumption: `delivered` over the window's days, else the norm of
/// the town's households (counted only when needed).
fn town_rate(
    state: &State,
    item: &Item,
    today: NaiveDate,
    delivered: Qty,
    households: &dyn Fn() -> u64,
) -> Option<(f64, Basis)> {
    if delivered > Qty::ZERO {
        Some((delivered.as_f64() / days_observed(state, today).max(1) as f64, Basis::History))
    } else {
        norm_rate(households(), item)
    }
}

/// Town-wide cover of a group: the worst item's cover (items of a group have different units,
/// so they are never summed or averaged).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupCover {
    pub group: ItemGroup,
    /// The item with the fewest days of cover against its norm.
    pub worst_item: String,
    pub cover: Cover,
}

/// Kits are left out: their cover is made of their components', which count themselves.
pub fn group_cover(state: &State, group: ItemGroup, today: NaiveDate) -> Option<GroupCover> {
    group_cover_of(state, group, |i| Some(town_cover(state, i, today)))
}

/// The group's cover from town covers already known (`town_of`, e.g. a face's derived
/// figures): the same choice as `group_cover`, O(items).
pub fn group_cover_of(state: &State, group: ItemGroup, town_of: impl Fn(&Item) -> Option<Cover>) -> Option<GroupCover> {
    state
        .items
        .values()
        .filter(|i| i.group == group && !i.is_kit())
        .filter_map(|i| Some((i, town_of(i)?)))
        .min_by(|(_, a), (_, b)| ratio(a).total_cmp(&ratio(b)))
        .map(|(i, c)| GroupCover { group, worst_item: i.code.clone(), cover: c })
}

/// Cover as a share of its norm, for ordering worst first (stocked out is worst, unknown last).
pub fn ratio(c: &Cover) -> f64 {
    if c.qty <= Qty::ZERO {
        return -1.0;
    }
    match c.days {
        Some(d) if c.norm_days > 0.0 => d / c.norm_days,
        Some(d) => d,
        None => f64::MAX,
    }
}
