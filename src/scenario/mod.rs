//! Scenario files (TOML): a town's reference data, its duty rota pattern, and the knobs of a
//! generated history. `seed` turns a scenario into ordinary commands submitted through the engine
//! (so the event log alone reproduces the store), with a manual clock walking through the past
//! days; the history is deterministic for the scenario's seed and the seeding time. This file
//! holds the scenario's format and its rota; `seed` the walk through the days, `gen` the
//! generator's arithmetic. Imports domain types only; never the store directly or a face.

pub mod district;
mod gen;
mod seed;

pub use seed::{seed, SeedSummary};

use crate::domain::{DutyShift, Item, Person, Point, Village, Zone};
use chrono::{Duration, FixedOffset, NaiveDate, NaiveTime};
use color_eyre::eyre::{bail, eyre, Result, WrapErr};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// The demo town shipped with baogong.
pub const DEMO: &str = include_str!("../../assets/scenarios/wangguanzhuang.toml");

#[derive(Debug, Clone, Deserialize)]
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
    #[serde(default)]
    pub history: Option<History>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Town {
    pub name: String,
    #[serde(default)]
    pub seed: u64,
    #[serde(default)]
    pub history_days: u32,
}

/// A repeating rota: shifts of `hours` from `start`, officers and leaders taking turns.
#[derive(Debug, Clone, Deserialize)]
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
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VehicleSpec {
    pub plate: String,
    pub point: String,
    pub pass_no: String,
    /// Days from the seeding day to the end of the pass (negative: already expired).
    pub valid_days: i64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PairSpec {
    pub point: String,
    pub item: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpikeSpec {
    pub point: String,
    pub item: String,
    pub factor: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransitSpec {
    pub from: String,
    pub to: String,
    pub item: String,
    pub qty: i64,
    pub hours_ago: i64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpiringSpec {
    pub point: String,
    pub item: String,
    pub batch: String,
    pub qty: i64,
    pub days: i64,
}

/// Knobs of the generated history.
#[derive(Debug, Clone, Deserialize)]
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
}

impl Scenario {
    pub fn parse(text: &str, origin: &str) -> Result<Scenario> {
        let sc: Scenario = toml::from_str(text).wrap_err_with(|| format!("reading scenario {origin}"))?;
        sc.check_spans().wrap_err_with(|| format!("reading scenario {origin}"))?;
        Ok(sc)
    }

    /// Spans of days the seeder does date arithmetic with: out of range they would overflow a
    /// date (or seed for hours), so they are refused before anything is written.
    fn check_spans(&self) -> Result<()> {
        if self.town.history_days > MAX_HISTORY_DAYS {
            bail!("town.history_days: {} is more than {MAX_HISTORY_DAYS}", self.town.history_days);
        }
        if let Some(r) = &self.rota {
            if r.days_ahead > MAX_SPAN_DAYS as u32 {
                bail!("rota.days_ahead: {} is more than {MAX_SPAN_DAYS}", r.days_ahead);
            }
            if r.hours > 24 * 7 {
                bail!("rota.hours: {} is more than a week", r.hours);
            }
        }
        for v in &self.vehicles {
            if v.valid_days.abs() > MAX_SPAN_DAYS {
                bail!("vehicles.valid_days: {} for {} is more than {MAX_SPAN_DAYS} days", v.valid_days, v.plate);
            }
        }
        Ok(())
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

/// The longest history a scenario may generate.
pub const MAX_HISTORY_DAYS: u32 = 366;
/// The furthest a scenario's relative day counts (pass validity, rota) may reach.
pub const MAX_SPAN_DAYS: i64 = 3660;
