//! Scenario files (TOML): a town's reference data, its duty rota pattern, and the knobs of a
//! generated history. `seed` turns a scenario into ordinary commands submitted through the engine
//! (so the event log alone reproduces the store), with a manual clock walking through the past
//! days; the history is deterministic for the scenario's seed and the seeding time. This file
//! holds the scenario's format (serialisable, so tests can enumerate its numeric keys), the
//! range of every number in it (checked on loading) and its rota; `seed` the walk through the
//! days, `gen` the generator's arithmetic. Imports domain types only; never the store directly or a face.

mod demand;
pub mod district;
mod gen;
mod people;
mod seed;

pub use seed::{seed, SeedSummary};

use crate::domain::qty::MAX_QTY;
use crate::domain::reject::{check_range, InFile};
use crate::domain::{DutyShift, Item, Person, Point, Qty, Rejection, Village, Zone};
use chrono::{Duration, FixedOffset, NaiveDate, NaiveTime};
use color_eyre::eyre::{bail, eyre, Result, WrapErr};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// The demo town shipped with baogong.
pub const DEMO: &str = include_str!("../../assets/scenarios/wangguanzhuang.toml");

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub town: Town,
    #[serde(default)]
    pub rota: Option<Rota>,
    #[serde(default)]
    pub zones: Vec<Zone>,
    #[serde(default)]
    pub points: Vec<Point>,
    #[serde(default)]
    pub villages: Vec<Village>,
    #[serde(default)]
    pub items: Vec<Item>,
    #[serde(default)]
    pub people: Vec<Person>,
    /// Explicit duty shifts, besides those the rota generates.
    #[serde(default)]
    pub duty: Vec<DutyShift>,
    #[serde(default)]
    pub vehicles: Vec<VehicleSpec>,
    /// Delivery slots per zone (分区分时段), as `[[demand.slots]]` in `baogong.toml` takes them.
    #[serde(default)]
    pub slots: Vec<crate::domain::demand::Slot>,
    /// The town's own names and meanings of the response levels (`[[levels]]`: level 0 to 4,
    /// name_en, name_zh, meaning_en, meaning_zh); a level not named keeps the plans' name.
    #[serde(default)]
    pub levels: Vec<crate::domain::level::LevelName>,
    #[serde(default)]
    pub history: Option<History>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Town {
    pub name: String,
    /// The town's code (`init --town CODE`): its name at the county and its uplink subject.
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub seed: u64,
    #[serde(default)]
    pub history_days: u32,
}

/// A repeating rota: shifts of `hours` from `start`, officers and leaders taking turns.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rota {
    pub start: String,
    pub hours: u32,
    #[serde(default = "default_days_ahead")]
    pub days_ahead: u32,
    pub officers: Vec<String>,
    pub leaders: Vec<String>,
}

fn default_days_ahead() -> u32 {
    7
}

/// A vehicle whose pass validity is given relative to the seeding day.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VehicleSpec {
    pub plate: String,
    pub point: String,
    pub pass_no: String,
    /// Days from the seeding day to the end of the pass (negative: already expired).
    pub valid_days: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PairSpec {
    pub point: String,
    pub item: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpikeSpec {
    pub point: String,
    pub item: String,
    pub factor: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransitSpec {
    pub from: String,
    pub to: String,
    pub item: String,
    pub qty: i64,
    pub hours_ago: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpiringSpec {
    pub point: String,
    pub item: String,
    pub batch: String,
    pub qty: i64,
    pub days: i64,
}

/// Knobs of the generated history.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct History {
    pub delivery_items: Vec<String>,
    pub convenience_items: Vec<String>,
    #[serde(default)]
    pub prices: BTreeMap<String, f64>,
    #[serde(default)]
    pub shelf_life: BTreeMap<String, i64>,
    #[serde(default)]
    pub stockout: Vec<PairSpec>,
    #[serde(default)]
    pub short: Vec<PairSpec>,
    #[serde(default)]
    pub missing_report: Option<String>,
    #[serde(default)]
    pub price_spike: Option<SpikeSpec>,
    #[serde(default)]
    pub outflow_spike: Option<SpikeSpec>,
    #[serde(default)]
    pub in_transit: Option<TransitSpec>,
    #[serde(default)]
    pub expiring: Option<ExpiringSpec>,
    /// Kits assembled at points right after the opening stock.
    #[serde(default)]
    pub assembled: Vec<AssembleSpec>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssembleSpec {
    pub point: String,
    pub kit: String,
    pub qty: i64,
}

impl Scenario {
    pub fn parse(text: &str, origin: &str) -> Result<Scenario> {
        let sc: Scenario = toml::from_str(text).wrap_err_with(|| format!("reading scenario {origin}"))?;
        sc.check_ranges().map_err(|rejection| InFile { file: origin.to_string(), rejection })?;
        Ok(sc)
    }

    /// Every number the seeder computes with, within what it can: days that keep a date in
    /// range, counts and rates whose products stay far from overflowing a quantity, positive
    /// finite prices and factors. Refused before anything is written, naming the key.
    fn check_ranges(&self) -> Result<(), Rejection> {
        check_range("town.history_days", self.town.history_days, 0..=MAX_HISTORY_DAYS)?;
        if let Some(r) = &self.rota {
            check_range("rota.hours", r.hours, 1..=24 * 7)?;
            check_range("rota.days_ahead", r.days_ahead, 0..=MAX_SPAN_DAYS as u32)?;
        }
        for p in &self.points {
            let key = |k: &str| format!("points[{}].{k}", p.code);
            check_range(&key("households"), p.households, 0..=MAX_HOUSEHOLDS)?;
            check_range(&key("population"), p.population, 0..=10 * MAX_HOUSEHOLDS)?;
            check_range(&key("staff"), p.staff, 0..=MAX_COUNT)?;
            check_range(&key("vehicles"), p.vehicles, 0..=MAX_COUNT)?;
        }
        for v in &self.villages {
            check_range(&format!("villages[{}].households", v.code), v.households, 0..=MAX_HOUSEHOLDS)?;
        }
        for i in &self.items {
            let key = |k: &str| format!("items[{}].{k}", i.code);
            check_range(&key("norm_days"), i.norm_days, 0.0..=MAX_HISTORY_DAYS as f64)?;
            if let Some(max) = i.max_days {
                check_range(&key("max_days"), max, 0.0..=MAX_SPAN_DAYS as f64)?;
            }
            check_range(&key("per_household_daily"), i.per_household_daily, 0.0..=1000.0)?;
        }
        for v in &self.vehicles {
            check_range(&format!("vehicles[{}].valid_days", v.plate), v.valid_days, -MAX_SPAN_DAYS..=MAX_SPAN_DAYS)?;
        }
        self.history.as_ref().map_or(Ok(()), History::check_ranges)
    }

    pub fn load(path: &Path) -> Result<Scenario> {
        let text = std::fs::read_to_string(path).wrap_err_with(|| format!("reading {}", path.display()))?;
        Scenario::parse(&text, &path.display().to_string())
    }

    pub fn demo() -> Result<Scenario> {
        Scenario::parse(DEMO, "demo (wangguanzhuang.toml)")
    }

    /// The duty shifts: explicit ones plus the rota's, from `from` to `to`.
    pub fn shifts(&self, from: NaiveDate, to: NaiveDate, offset: FixedOffset) -> Result<Vec<DutyShift>> {
        let mut out = self.duty.clone();
        if let Some(rota) = &self.rota {
            if rota.officers.is_empty() || rota.leaders.is_empty() || rota.hours == 0 {
                bail!("rota: officers, leaders and hours must not be empty");
            }
            let start = NaiveTime::parse_from_str(&rota.start, "%H:%M").wrap_err("rota.start: expected HH:MM")?;
            let mut t = from
                .and_time(start)
                .and_local_timezone(offset)
                .single()
                .ok_or_else(|| eyre!("rota.start: not a valid local time"))?;
            let mut n = (from - NaiveDate::default()).num_days().unsigned_abs() as usize;
            while t.date_naive() <= to {
                let end = t + Duration::hours(rota.hours as i64);
                out.push(DutyShift {
                    start: t,
                    end,
                    duty_officer: rota.officers[n % rota.officers.len()].clone(),
                    leader_on_call: rota.leaders[n % rota.leaders.len()].clone(),
                });
                t = end;
                n += 1;
            }
        }
        Ok(out)
    }
}

impl History {
    fn check_ranges(&self) -> Result<(), Rejection> {
        for (item, yuan) in &self.prices {
            check_range(&format!("history.prices.{item}"), *yuan, 0.01..=MAX_YUAN)?;
        }
        for (item, days) in &self.shelf_life {
            check_range(&format!("history.shelf_life.{item}"), *days, 1..=MAX_SPAN_DAYS)?;
        }
        if let Some(sp) = &self.price_spike {
            check_range("history.price_spike.factor", sp.factor, 0.01..=100.0)?;
        }
        if let Some(sp) = &self.outflow_spike {
            check_range("history.outflow_spike.factor", sp.factor, 0.0..=100.0)?;
        }
        if let Some(tr) = &self.in_transit {
            check_range("history.in_transit.qty", tr.qty, 1..=MAX_UNITS)?;
            check_range("history.in_transit.hours_ago", tr.hours_ago, 0..=MAX_SPAN_DAYS * 24)?;
        }
        if let Some(e) = &self.expiring {
            check_range("history.expiring.qty", e.qty, 1..=MAX_UNITS)?;
            check_range("history.expiring.days", e.days, 0..=MAX_SPAN_DAYS)?;
        }
        for a in &self.assembled {
            check_range(&format!("history.assembled[{}/{}].qty", a.point, a.kit), a.qty, 1..=MAX_UNITS)?;
        }
        Ok(())
    }
}

/// The longest history a scenario may generate.
pub const MAX_HISTORY_DAYS: u32 = 366;
/// The furthest a scenario's relative day counts (pass validity, rota) may reach.
pub const MAX_SPAN_DAYS: i64 = 3660;
/// The most households a point or village of a scenario may have.
const MAX_HOUSEHOLDS: u32 = 1_000_000;
/// The most staff or vehicles a point of a scenario may have.
const MAX_COUNT: u32 = 100_000;
/// The largest quantity a scenario may name, in units (the engine's own limit).
const MAX_UNITS: i64 = MAX_QTY.0 / Qty::SCALE;
/// The highest base price a scenario may give, in yuan.
const MAX_YUAN: f64 = 1_000_000.0;
