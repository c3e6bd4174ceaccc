//! Scenario files (TOML): a town's reference data, its duty rota pattern, and the knobs of a
//! generated history. `seed` turns a scenario into ordinary commands submitted through the engine
//! (so the event log alone reproduces the store), with a manual clock walking through the past
//! days; the history is deterministic for the scenario's seed and the seeding time.

use crate::api::{Caller, Refusal, Request};
use crate::domain::command::{Command, Dest, Face, Record, Source};
use crate::domain::{DutyShift, Fen, Item, Person, Point, PointKind, Qty, State, Vehicle, Village, Zone};
use crate::engine::{Engine, ManualClock};
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveTime};
use color_eyre::eyre::{bail, eyre, Result, WrapErr};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

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

/// What seeding recorded.
#[derive(Debug, Default)]
pub struct SeedSummary {
    pub events: u64,
    pub first_day: Option<NaiveDate>,
}

struct Seeder<'a> {
    engine: &'a mut Engine,
    clock: ManualClock,
    caller: Caller,
    summary: SeedSummary,
    n: u64,
}

impl Seeder<'_> {
    /// Submits commands at time `at` with one flush; any refusal is a bug in the scenario.
    fn run(&mut self, at: DateTime<FixedOffset>, cmds: Vec<Command>) -> Result<()> {
        if cmds.is_empty() {
            return Ok(());
        }
        self.clock.set(at);
        let reqs = cmds
            .into_iter()
            .map(|cmd| {
                self.n += 1;
                (self.caller.clone(), Request { cmd_id: format!("seed-{}", self.n), cmd })
            })
            .collect();
        // All or nothing: a refused command leaves the store as it was, and names its field.
        let replies = self.engine.submit_atomic(reqs);
        if let Some(Err(e)) = replies.iter().find(|r| matches!(r, Err(Refusal::Rejected(_)))) {
            bail!("the scenario was refused at {at}: {e}");
        }
        for reply in replies {
            match reply {
                Ok(o) if !o.duplicate => self.summary.events += 1,
                Ok(_) => {}
                Err(e) => bail!("the scenario was not saved at {at}: {e}"),
            }
        }
        Ok(())
    }

    fn tick(&mut self, at: DateTime<FixedOffset>) -> Result<()> {
        self.clock.set(at);
        if self.engine.tick().map_err(|e| eyre!("{e}"))?.is_some() {
            self.summary.events += 1;
        }
        Ok(())
    }
}

fn at(day: NaiveDate, h: u32, m: u32, offset: FixedOffset) -> Result<DateTime<FixedOffset>> {
    day.and_hms_opt(h, m, 0)
        .and_then(|t| t.and_local_timezone(offset).single())
        .ok_or_else(|| eyre!("bad time {day} {h}:{m}"))
}

/// Seeds `scenario` into an empty store, its history ending at `now`.
pub fn seed(engine: &mut Engine, scenario: &Scenario, now: DateTime<FixedOffset>) -> Result<SeedSummary> {
    if !engine.store().is_empty() {
        bail!("the store at {} already holds data; seed only an empty store", engine.store().dir().display());
    }
    let offset = *now.offset();
    let today = now.date_naive();
    let first = today - Duration::days(scenario.town.history_days as i64);
    let clock = ManualClock::new(at(first, 7, 0, offset)?);
    let real = engine.replace_clock(Arc::new(clock.clone()));
    let mut s = Seeder {
        engine,
        clock,
        caller: Caller::officer(&crate::config::os_user(), Face::System),
        summary: SeedSummary { first_day: Some(first), ..Default::default() },
        n: 0,
    };
    let result = seed_inner(&mut s, scenario, first, now);
    let summary = std::mem::take(&mut s.summary);
    s.engine.replace_clock(real);
    result.map(|_| summary)
}

/// One step of a generated day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Phase {
    Tick,
    Handover,
    Reports,
    Deliveries(u8),
    Prices,
    Replenish,
    Receive,
    Transit,
    Spikes,
}

fn seed_inner(s: &mut Seeder, sc: &Scenario, first: NaiveDate, now: DateTime<FixedOffset>) -> Result<()> {
    let offset = *now.offset();
    let today = now.date_naive();
    let t0 = at(first, 7, 0, offset)?.min(now);
    // Reference data.
    let mut records: Vec<Record> = Vec::new();
    records.extend(sc.zones.iter().cloned().map(Record::Zone));
    records.extend(sc.points.iter().cloned().map(Record::Point));
    records.extend(sc.villages.iter().cloned().map(Record::Village));
    records.extend(sc.items.iter().cloned().map(Record::Item));
    records.extend(sc.people.iter().cloned().map(Record::Person));
    let days_ahead = sc.rota.as_ref().map_or(7, |r| r.days_ahead) as i64;
    let shifts = sc.shifts(first - Duration::days(1), today + Duration::days(days_ahead), offset)?;
    records.extend(shifts.iter().cloned().map(Record::Shift));
    records.extend(sc.vehicles.iter().map(|v| {
        Record::Vehicle(Vehicle {
            plate: v.plate.clone(),
            point: v.point.clone(),
            pass_no: v.pass_no.clone(),
            pass_valid_until: today + Duration::days(v.valid_days),
        })
    }));
    s.run(t0, vec![Command::Town { name: sc.town.name.clone() }, Command::Upsert { records }])?;
    let Some(h) = &sc.history else { return Ok(()) };
    let mut rng = ChaCha8Rng::seed_from_u64(sc.town.seed);
    let town_hh = crate::domain::rules::cover::town_households(s.engine.state()) as f64;
    let g = Gen { sc, h, items: sc.items.iter().map(|i| (i.code.as_str(), i)).collect(), town_hh };
    let items = &g.items;
    // Opening stock.
    let mut cmds = Vec::new();
    for p in &sc.points {
        for code in g.carried(p) {
            let Some(item) = items.get(code.as_str()) else { bail!("history: unknown item {code}") };
            let r = g.rate(s.engine.state(), p, item);
            let days = if pair_listed(&h.stockout, &p.code, &code) {
                2.5
            } else if pair_listed(&h.short, &p.code, &code) {
                item.norm_days * 0.45
            } else if p.kind == PointKind::Depot {
                item.norm_days * rng.random_range(1.6..2.4)
            } else {
                item.norm_days * rng.random_range(1.1..1.9)
            };
            let qty = whole(item, r * days);
            if qty <= Qty::ZERO {
                continue;
            }
            let (batch, expiry) = g.batch_for(item, first);
            cmds.push(Command::Restock {
                point: p.code.clone(),
                item: code.clone(),
                qty,
                source: Source::Supplier,
                batch,
                expiry,
                note: String::new(),
            });
        }
    }
    if let Some(e) = &h.expiring {
        cmds.push(Command::Restock {
            point: e.point.clone(),
            item: e.item.clone(),
            qty: Qty::units(e.qty),
            source: Source::Reserve,
            batch: Some(e.batch.clone()),
            expiry: Some(today + Duration::days(e.days)),
            note: String::new(),
        });
    }
    s.run(at(first, 7, 30, offset)?, cmds)?;
    let reporting: Vec<&Point> = sc.points.iter().filter(|p| p.kind.reports_daily()).collect();
    let transit_at = h.in_transit.as_ref().map(|tr| now - Duration::hours(tr.hours_ago));
    let mut replenished_after = 0u64;
    let mut day = first;
    while day <= today {
        let is_today = day == today;
        let mut agenda: Vec<(DateTime<FixedOffset>, Phase)> = vec![
            (at(day, 7, 50, offset)?, Phase::Handover),
            (at(day, 8, 20, offset)?, Phase::Reports),
            (at(day, 9, 0, offset)?, Phase::Deliveries(55)),
            (at(day, 10, 0, offset)?, Phase::Prices),
            (at(day, 15, 0, offset)?, Phase::Deliveries(45)),
        ];
        if (day - first).num_days() % 3 == 1 {
            agenda.push((at(day, 13, 0, offset)?, Phase::Replenish));
            agenda.push((at(day, 16, 0, offset)?, Phase::Receive));
        }
        for hour in (0..24).step_by(2) {
            agenda.push((at(day, hour, 30, offset)?, Phase::Tick));
        }
        if let Some(t) = transit_at.filter(|t| t.date_naive() == day && *t >= t0) {
            agenda.push((t, Phase::Transit));
        }
        if is_today {
            // Panic buying and a price jump shortly before the console first opens.
            let mut t = (now - Duration::minutes(25)).max(at(day, 0, 5, offset)?).min(now);
            // After the day's price round, if it has happened, or that round overwrites the jump.
            let prices = at(day, 10, 0, offset)?;
            if prices <= now {
                t = t.max(prices);
            }
            agenda.push((t, Phase::Spikes));
        }
        agenda.sort();
        for (t, phase) in agenda {
            if t > now {
                continue;
            }
            match phase {
                Phase::Tick => s.tick(t)?,
                Phase::Handover => {
                    let shift = s.engine.state().shift_at(t + Duration::hours(1)).cloned();
                    if let Some(shift) = shift {
                        let holder = s.engine.state().handovers.values().next_back().map(|h| h.to.clone());
                        if holder.as_deref() != Some(shift.duty_officer.as_str()) {
                            let note =
                                if is_today { "夜间平稳,P09鸡蛋断档待补" } else { "夜间平稳,无异常" };
                            s.run(t, vec![Command::Handover { to: shift.duty_officer.clone(), note: note.into() }])?;
                        }
                    }
                }
                Phase::Reports => {
                    if day > first {
                        let missing = |p: &str| h.missing_report.as_deref() == Some(p) && (today - day).num_days() <= 1;
                        let cmds = reporting
                            .iter()
                            .filter(|p| !missing(&p.code))
                            .map(|p| Command::Report {
                                point: p.code.clone(),
                                date: day - Duration::days(1),
                                zero: p.households == 0,
                                note: String::new(),
                            })
                            .collect();
                        s.run(t, cmds)?;
                    }
                }
                Phase::Prices => {
                    let mut cmds = Vec::new();
                    for p in sc.points.iter().filter(|p| p.kind == PointKind::Delivery) {
                        for (item, base) in &h.prices {
                            let yuan = base * rng.random_range(0.96..1.04);
                            cmds.push(Command::Price {
                                point: p.code.clone(),
                                item: item.clone(),
                                fen: Fen((yuan * 100.0).round() as i64),
                            });
                        }
                    }
                    s.run(t, cmds)?;
                }
                Phase::Deliveries(share) => {
                    let share = share as f64 / 100.0;
                    let mut cmds = Vec::new();
                    let state = s.engine.state();
                    for p in sc.points.iter().filter(|p| p.kind != PointKind::Depot) {
                        let villages: Vec<&Village> = sc.villages.iter().filter(|v| v.point == p.code).collect();
                        if villages.is_empty() {
                            continue;
                        }
                        for code in g.carried(p) {
                            let Some(item) = items.get(code.as_str()) else { continue };
                            let need = g.rate(state, p, item) * share * rng.random_range(0.85..1.15);
                            let have = state.qty(&p.code, &code).as_f64();
                            let q = whole(item, need.min(have));
                            if q <= Qty::ZERO || q.as_f64() > have {
                                continue;
                            }
                            let v = villages[rng.random_range(0..villages.len())];
                            cmds.push(Command::Dispatch {
                                from: p.code.clone(),
                                to: Dest::Village(v.code.clone()),
                                item: code.clone(),
                                qty: q,
                                vehicle: None,
                                note: String::new(),
                            });
                        }
                    }
                    s.run(t, cmds)?;
                }
                Phase::Replenish => {
                    let (restocks, transfers) = g.replenish(s.engine.state(), day);
                    s.run(t, restocks)?;
                    replenished_after = s.engine.state().last_seq;
                    s.run(t, transfers)?;
                }
                Phase::Receive => {
                    let ids: Vec<String> = s
                        .engine
                        .state()
                        .dispatches
                        .values()
                        .filter(|d| {
                            d.id > replenished_after && matches!(d.to, Dest::Point(_)) && d.received_qty.is_none()
                        })
                        .map(|d| crate::domain::state::Dispatch::label(d.id))
                        .collect();
                    s.run(
                        t,
                        ids.into_iter()
                            .map(|d| Command::Receive { dispatch: d, qty: None, note: String::new() })
                            .collect(),
                    )?;
                }
                Phase::Spikes => {
                    let mut cmds = Vec::new();
                    let state = s.engine.state();
                    if let Some(sp) = &h.outflow_spike {
                        let p = sc.points.iter().find(|p| p.code == sp.point);
                        let v = sc.villages.iter().find(|v| v.point == sp.point);
                        if let (Some(p), Some(v), Some(item)) = (p, v, items.get(sp.item.as_str())) {
                            let want = g.rate(state, p, item) * sp.factor;
                            let q = whole(item, want.min(state.qty(&p.code, &item.code).as_f64()));
                            if q > Qty::ZERO {
                                cmds.push(Command::Dispatch {
                                    from: p.code.clone(),
                                    to: Dest::Village(v.code.clone()),
                                    item: item.code.clone(),
                                    qty: q,
                                    vehicle: None,
                                    note: "村民集中抢购".into(),
                                });
                            }
                        }
                    }
                    if let (Some(sp), Some(base)) =
                        (&h.price_spike, h.price_spike.as_ref().and_then(|sp| h.prices.get(&sp.item)))
                    {
                        cmds.push(Command::Price {
                            point: sp.point.clone(),
                            item: sp.item.clone(),
                            fen: Fen((base * sp.factor * 100.0).round() as i64),
                        });
                    }
                    s.run(t, cmds)?;
                }
                Phase::Transit => {
                    if let Some(tr) = &h.in_transit {
                        s.run(
                            t,
                            vec![Command::Dispatch {
                                from: tr.from.clone(),
                                to: Dest::Point(tr.to.clone()),
                                item: tr.item.clone(),
                                qty: Qty::units(tr.qty),
                                vehicle: sc
                                    .vehicles
                                    .iter()
                                    .find(|v| v.point == tr.from && v.valid_days > 0)
                                    .map(|v| v.plate.clone()),
                                note: "急需补货".into(),
                            }],
                        )?;
                    }
                }
            }
        }
        day += Duration::days(1);
    }
    s.tick(now)?;
    Ok(())
}

fn pair_listed(list: &[PairSpec], point: &str, item: &str) -> bool {
    list.iter().any(|x| x.point == point && x.item == item)
}

/// Rounds a generated quantity to what the item's unit allows (0.1 kg, or whole units).
fn whole(item: &Item, q: f64) -> Qty {
    if item.divisible() {
        Qty((q * 10.0).round() as i64 * 100)
    } else {
        Qty::units(q.round() as i64)
    }
}

/// The history generator's view of a scenario.
struct Gen<'a> {
    sc: &'a Scenario,
    h: &'a History,
    items: BTreeMap<&'a str, &'a Item>,
    town_hh: f64,
}

impl Gen<'_> {
    /// The items a point carries; the depot holds storable reserves, not fresh food.
    fn carried(&self, p: &Point) -> Vec<String> {
        match p.kind {
            PointKind::Depot => self
                .sc
                .items
                .iter()
                .filter(|i| self.h.shelf_life.get(&i.code).is_none_or(|d| *d >= 30))
                .map(|i| i.code.clone())
                .collect(),
            PointKind::Convenience | PointKind::Drop => self.h.convenience_items.clone(),
            _ => self.h.delivery_items.clone(),
        }
    }

    /// The population-norm daily rate of an item at a point.
    fn rate(&self, state: &State, p: &Point, item: &Item) -> f64 {
        let hh = if p.kind == PointKind::Depot {
            self.town_hh * 0.25
        } else {
            crate::domain::rules::cover::households(state, &p.code) as f64
        };
        hh.max(60.0) * item.per_household_daily
    }

    /// Perishable items arrive in dated batches.
    fn batch_for(&self, item: &Item, day: NaiveDate) -> (Option<String>, Option<NaiveDate>) {
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
    fn replenish(&self, state: &State, day: NaiveDate) -> (Vec<Command>, Vec<Command>) {
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
                let r = crate::domain::rules::cover::consumption(state, &p.code, item, day)
                    .map_or_else(|| self.rate(state, p, item), |c| c.0);
                let have = state.qty(&p.code, &code).as_f64();
                let depot = p.kind == PointKind::Depot;
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
