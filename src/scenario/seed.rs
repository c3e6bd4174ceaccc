//! Seeding: a scenario becomes ordinary commands submitted through an engine over a scratch
//! store, with a manual clock walking through the past days, one step of each day at a time;
//! the events it recorded then reach the real store in one transaction (all or nothing).
//! Imports the engine, the api types and the domain; never the store directly or a face.

use super::gen::{pair_listed, whole, Gen};
use super::Scenario;
use crate::api::{Caller, Refusal, Request};
use crate::domain::alerts::Thresholds;
use crate::domain::command::{Command, Dest, Event, Face, Record, Source};
use crate::domain::rules::cover;
use crate::domain::state::Dispatch;
use crate::domain::{Fen, Point, PointKind, Qty, Vehicle, Village};
use crate::engine::{Engine, ManualClock};
use chrono::{DateTime, Duration, FixedOffset, NaiveDate};
use color_eyre::eyre::{bail, eyre, Result, WrapErr};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::path::Path;
use std::sync::Arc;

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

/// Where, inside the data directory, the history is generated before it is written.
const SCRATCH: &str = "seeding.tmp";

/// Seeds `scenario` into an empty store, its history ending at `now`, as one change: the
/// history is generated through an engine over a scratch store (`DIR/seeding.tmp`), then its
/// events are written to the store in one transaction. A scenario refused anywhere in its
/// history, or a failed write, leaves the store empty, so seeding can simply be run again.
pub fn seed(engine: &mut Engine, scenario: &Scenario, now: DateTime<FixedOffset>) -> Result<SeedSummary> {
    if !engine.store().is_empty() {
        bail!("the store at {} already holds data; seed only an empty store", engine.store().dir().display());
    }
    let scratch = engine.store().dir().join(SCRATCH);
    let _ = std::fs::remove_dir_all(&scratch);
    let result = draft(&scratch, engine.thresholds(), scenario, now).and_then(|(events, summary)| {
        engine.restore(&events).map_err(|e| eyre!("the seeded history could not be written: {e}"))?;
        Ok(summary)
    });
    let _ = std::fs::remove_dir_all(&scratch);
    result.wrap_err("nothing was written: the store is still empty")
}

/// Generates the history into a new store at `scratch`: every event, and what was recorded.
fn draft(
    scratch: &Path,
    thresholds: &Thresholds,
    scenario: &Scenario,
    now: DateTime<FixedOffset>,
) -> Result<(Vec<Event>, SeedSummary)> {
    let offset = *now.offset();
    let first = now.date_naive() - Duration::days(scenario.town.history_days as i64);
    let clock = ManualClock::new(at(first, 7, 0, offset)?);
    let mut engine = Engine::open(scratch, Arc::new(clock.clone()), thresholds.clone())?;
    // The scratch is thrown away whole if anything fails: no flush per step.
    engine.defer_flush(true).map_err(|e| eyre!("{e}"))?;
    let mut s = Seeder {
        engine: &mut engine,
        clock,
        caller: Caller::officer(&crate::config::os_user(), Face::System),
        summary: SeedSummary { first_day: Some(first), ..Default::default() },
        n: 0,
    };
    seed_history(&mut s, scenario, first, now)?;
    let summary = std::mem::take(&mut s.summary);
    let events = engine.store().events().collect::<Result<Vec<Event>, _>>()?;
    Ok((events, summary))
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
    /// A batch of the household register (`people::households`).
    Households(u8),
    /// Hotline call `k` of the last day, and what was done since about the earlier ones.
    Call(u8),
    /// Stale remainders cancelled, and the village tallies due that day.
    Demand,
    /// The day's deliveries for requests signed for at the checkpoints.
    Sign,
    /// The evening's approvals of the day's requests, booked into tomorrow's slots.
    Approve,
}

/// Reference data, then (if the scenario has a history) opening stock and every day up to `now`,
/// then a last tick at `now`.
fn seed_history(s: &mut Seeder, sc: &Scenario, first: NaiveDate, now: DateTime<FixedOffset>) -> Result<()> {
    let offset = *now.offset();
    let t0 = at(first, 7, 0, offset)?.min(now);
    let records = reference(sc, first, now)?;
    s.run(
        t0,
        vec![Command::Town { name: sc.town.name.clone(), code: sc.town.code.clone() }, Command::Upsert { records }],
    )?;
    let Some(h) = &sc.history else { return Ok(()) };
    let town_hh = cover::town_households(s.engine.state()) as f64;
    let g = Gen { sc, h, items: sc.items.iter().map(|i| (i.code.as_str(), i)).collect(), town_hh };
    let mut w = Walk {
        s,
        g,
        rng: ChaCha8Rng::seed_from_u64(sc.town.seed),
        first,
        now,
        t0,
        reporting: sc.points.iter().filter(|p| p.kind.reports_daily()).collect(),
        replenished_after: 0,
        cases: Vec::new(),
        demand: ChaCha8Rng::seed_from_u64(sc.town.seed ^ DEMAND_SEED),
    };
    let opening = w.opening_stock()?;
    w.s.run(at(first, 7, 30, offset)?, opening)?;
    w.s.run(at(first, 7, 30, offset)?, super::people::medicine_stock(sc))?;
    let mut day = first;
    while day <= now.date_naive() {
        for (t, phase) in w.agenda(day)? {
            if t <= now {
                w.phase(day, t, phase)?;
            }
        }
        day += Duration::days(1);
    }
    // Kits assembled this morning, so the demo's kits are fresh.
    let kits = h.assembled.iter().map(|a| Command::Assemble {
        point: a.point.clone(),
        kit: a.kit.clone(),
        qty: Qty::units(a.qty),
    });
    w.s.run(now, kits.collect())?;
    w.s.tick(now)?;
    Ok(())
}

/// The reference data: zones, points, villages, items, people, the shifts from the day before
/// the history to the rota's days ahead, vehicles with passes relative to today, delivery slots,
/// the town's names of the response levels.
fn reference(sc: &Scenario, first: NaiveDate, now: DateTime<FixedOffset>) -> Result<Vec<Record>> {
    let today = now.date_naive();
    let mut records: Vec<Record> = Vec::new();
    records.extend(sc.zones.iter().cloned().map(Record::Zone));
    records.extend(sc.points.iter().cloned().map(Record::Point));
    records.extend(sc.villages.iter().cloned().map(Record::Village));
    records.extend(sc.items.iter().cloned().map(Record::Item));
    records.extend(sc.people.iter().cloned().map(Record::Person));
    let days_ahead = sc.rota.as_ref().map_or(7, |r| r.days_ahead) as i64;
    let shifts = sc.shifts(first - Duration::days(1), today + Duration::days(days_ahead), *now.offset())?;
    records.extend(shifts.iter().cloned().map(Record::Shift));
    records.extend(sc.vehicles.iter().map(|v| {
        Record::Vehicle(Vehicle {
            plate: v.plate.clone(),
            point: v.point.clone(),
            pass_no: v.pass_no.clone(),
            pass_valid_until: today + Duration::days(v.valid_days),
        })
    }));
    records.extend(sc.slots.iter().cloned().map(Record::Slot));
    records.extend(sc.levels.iter().cloned().map(Record::Level));
    Ok(records)
}

/// A walk through the generated days: the seeder, the generator and the one random stream, drawn
/// from in a fixed order (the demo town must come out the same every time).
struct Walk<'a, 'e> {
    s: &'a mut Seeder<'e>,
    g: Gen<'a>,
    rng: ChaCha8Rng,
    first: NaiveDate,
    now: DateTime<FixedOffset>,
    /// When the history starts (or `now`, if sooner).
    t0: DateTime<FixedOffset>,
    /// The points that send daily reports.
    reporting: Vec<&'a Point>,
    /// The last event before the latest replenishment's transfers (those are received later).
    replenished_after: u64,
    /// The hotline cases taken so far, and whether each is resolved.
    cases: Vec<(String, bool)>,
    /// The demand side's own random stream, so that the supply side's history (stock, cover,
    /// alerts) comes out as it did before requests were seeded.
    demand: ChaCha8Rng,
}

/// Mixed into the town's seed for the demand stream.
const DEMAND_SEED: u64 = 0xD3A4_0014;

impl Walk<'_, '_> {
    fn offset(&self) -> FixedOffset {
        *self.now.offset()
    }

    fn today(&self) -> NaiveDate {
        self.now.date_naive()
    }

    /// Opening stock: every carried pair for some days of its norm (short and stockout pairs
    /// less), and the expiring batch.
    fn opening_stock(&mut self) -> Result<Vec<Command>> {
        let (g, h) = (&self.g, self.g.h);
        let mut cmds = Vec::new();
        for p in &g.sc.points {
            for code in g.carried(p) {
                let Some(item) = g.items.get(code.as_str()) else { bail!("history: unknown item {code}") };
                let r = g.rate(self.s.engine.state(), p, item);
                let days = if pair_listed(&h.stockout, &p.code, &code) {
                    2.5
                } else if pair_listed(&h.short, &p.code, &code) {
                    item.norm_days * 0.45
                } else if p.kind == PointKind::Depot {
                    item.norm_days * self.rng.random_range(1.6..2.4)
                } else {
                    item.norm_days * self.rng.random_range(1.1..1.9)
                };
                let qty = whole(item, r * days);
                if qty <= Qty::ZERO {
                    continue;
                }
                let (batch, expiry) = g.batch_for(item, self.first);
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
                expiry: Some(self.today() + Duration::days(e.days)),
                note: String::new(),
            });
        }
        Ok(cmds)
    }

    /// The steps of one day, in time order.
    fn agenda(&self, day: NaiveDate) -> Result<Vec<(DateTime<FixedOffset>, Phase)>> {
        let offset = self.offset();
        let mut agenda: Vec<(DateTime<FixedOffset>, Phase)> = vec![
            (at(day, 7, 50, offset)?, Phase::Handover),
            (at(day, 8, 20, offset)?, Phase::Reports),
            (at(day, 9, 0, offset)?, Phase::Deliveries(55)),
            (at(day, 10, 0, offset)?, Phase::Prices),
            (at(day, 15, 0, offset)?, Phase::Deliveries(45)),
            (at(day, 8, 40, offset)?, Phase::Demand),
            (at(day, 17, 30, offset)?, Phase::Sign),
            (at(day, 17, 45, offset)?, Phase::Approve),
        ];
        if (day - self.first).num_days() % 3 == 1 {
            agenda.push((at(day, 13, 0, offset)?, Phase::Replenish));
            agenda.push((at(day, 16, 0, offset)?, Phase::Receive));
        }
        for hour in (0..24).step_by(2) {
            agenda.push((at(day, hour, 30, offset)?, Phase::Tick));
        }
        let transit_at = self.g.h.in_transit.as_ref().map(|tr| self.now - Duration::hours(tr.hours_ago));
        if let Some(t) = transit_at.filter(|t| t.date_naive() == day && *t >= self.t0) {
            agenda.push((t, Phase::Transit));
        }
        if day == self.today() {
            // Panic buying and a price jump shortly before the console first opens.
            let now = self.now;
            let mut t = (now - Duration::minutes(25)).max(at(day, 0, 5, offset)?).min(now);
            // After the day's price round, if it has happened, or that round overwrites the jump.
            let prices = at(day, 10, 0, offset)?;
            if prices <= now {
                t = t.max(prices);
            }
            agenda.push((t, Phase::Spikes));
        }
        for (b, days) in super::people::BATCH_DAYS_AGO.iter().enumerate() {
            if day == (self.today() - Duration::days(*days)).max(self.first) {
                agenda.push((at(day, 8, 40, offset)?, Phase::Households(b as u8)));
            }
        }
        for k in 0..super::people::CALLS {
            let t = self.now - Duration::hours(24) + Duration::minutes(80 * (k as i64 + 1));
            if t.date_naive() == day && t >= self.t0 {
                agenda.push((t, Phase::Call(k as u8)));
            }
        }
        agenda.sort();
        Ok(agenda)
    }

    /// Runs one step of `day` at `t`.
    fn phase(&mut self, day: NaiveDate, t: DateTime<FixedOffset>, phase: Phase) -> Result<()> {
        match phase {
            Phase::Tick => self.s.tick(t),
            Phase::Handover => self.handover(day, t),
            Phase::Reports => self.reports(day, t),
            Phase::Prices => {
                let cmds = self.prices();
                self.s.run(t, cmds)
            }
            Phase::Deliveries(share) => {
                let cmds = self.deliveries(share);
                self.s.run(t, cmds)
            }
            Phase::Replenish => {
                let (restocks, transfers) = self.g.replenish(self.s.engine.state(), day);
                self.s.run(t, restocks)?;
                self.replenished_after = self.s.engine.state().last_seq;
                self.s.run(t, transfers)
            }
            Phase::Receive => self.receive(t),
            Phase::Spikes => {
                let cmds = self.spikes();
                self.s.run(t, cmds)
            }
            Phase::Transit => self.transit(t),
            Phase::Households(batch) => {
                let changes = super::people::households(self.g.sc, batch as usize);
                let cmds = if changes.is_empty() { Vec::new() } else { vec![Command::Households { changes }] };
                self.s.run(t, cmds)
            }
            Phase::Call(k) => self.call(t, k as usize),
            Phase::Demand => self.demand(day, t),
            Phase::Approve => self.approve(day, t),
            Phase::Sign => {
                let cmds = super::demand::signatures(self.s.engine.state(), &mut self.demand);
                self.s.run(t, cmds)
            }
        }
    }

    /// Hotline call `k`; earlier cases assigned (every second call) and resolved (every third,
    /// and an urgent one at the next call).
    fn call(&mut self, t: DateTime<FixedOffset>, k: usize) -> Result<()> {
        let households = &self.s.engine.state().households;
        let Some(cmd) = super::people::call(self.g.sc, k, |h| households.contains_key(h)) else { return Ok(()) };
        self.s.run(t, vec![cmd])?;
        self.cases.push((crate::domain::hotline::Case::label(self.s.engine.state().last_seq), false));
        let people: Vec<String> = self.g.sc.people.iter().map(|p| p.name.clone()).collect();
        let mut cmds = Vec::new();
        if let (Some(j), Some(to)) =
            (k.checked_sub(2).filter(|_| k.is_multiple_of(2)), people.get(k % people.len().max(1)))
        {
            if let Some((case, false)) = self.cases.get(j) {
                cmds.push(Command::AssignCase { case: case.clone(), to: to.clone() });
            }
        }
        let resolve = [k.checked_sub(3).filter(|_| k.is_multiple_of(3)), k.checked_sub(1).filter(|j| j % 6 == 3)];
        for j in resolve.into_iter().flatten() {
            if let Some((case, done @ false)) = self.cases.get_mut(j) {
                *done = true;
                cmds.push(Command::ResolveCase {
                    case: case.clone(), text: "已协调处理并回访".into(), request: None
                });
            }
        }
        self.s.run(t, cmds)
    }

    /// The morning's demand round: remainders gone stale cancelled, then the tallies due today.
    fn demand(&mut self, day: NaiveDate, t: DateTime<FixedOffset>) -> Result<()> {
        let cancels = super::demand::stale(self.s.engine.state(), day);
        self.s.run(t, cancels)?;
        let tallies =
            super::demand::tallies(&self.g, self.s.engine.state(), self.first, day, self.today(), &mut self.demand);
        self.s.run(t, tallies)
    }

    /// The evening round: the day's requests approved (a few for less, a few refused) and booked
    /// into the slots of the day they are for.
    fn approve(&mut self, day: NaiveDate, t: DateTime<FixedOffset>) -> Result<()> {
        let approvals = super::demand::approvals(self.s.engine.state(), t, &mut self.demand);
        self.s.run(t, approvals)?;
        let bookings = super::demand::bookings(self.s.engine.state(), day);
        self.s.run(t, bookings)
    }

    /// The officer of the shift about to start takes over, unless already holding the watch.
    fn handover(&mut self, day: NaiveDate, t: DateTime<FixedOffset>) -> Result<()> {
        let state = self.s.engine.state();
        let Some(shift) = state.shift_at(t + Duration::hours(1)).cloned() else { return Ok(()) };
        let holder = state.handovers.values().next_back().map(|h| h.to.clone());
        if holder.as_deref() == Some(shift.duty_officer.as_str()) {
            return Ok(());
        }
        let note = if day == self.today() { "夜间平稳,P09鸡蛋断档待补" } else { "夜间平稳,无异常" };
        self.s.run(t, vec![Command::Handover { to: shift.duty_officer, note: note.into() }])
    }

    /// Yesterday's daily reports (but the missing one, lately).
    fn reports(&mut self, day: NaiveDate, t: DateTime<FixedOffset>) -> Result<()> {
        if day <= self.first {
            return Ok(());
        }
        let (h, today) = (self.g.h, self.today());
        let missing = |p: &str| h.missing_report.as_deref() == Some(p) && (today - day).num_days() <= 1;
        let cmds = (self.reporting.iter())
            .filter(|p| !missing(&p.code))
            .map(|p| Command::Report {
                point: p.code.clone(),
                date: day - Duration::days(1),
                zero: p.households == 0,
                note: String::new(),
            })
            .collect();
        self.s.run(t, cmds)
    }

    /// The day's price round at the delivery points.
    fn prices(&mut self) -> Vec<Command> {
        let mut cmds = Vec::new();
        for p in self.g.sc.points.iter().filter(|p| p.kind == PointKind::Delivery) {
            for (item, base) in &self.g.h.prices {
                let yuan = base * self.rng.random_range(0.96..1.04);
                cmds.push(Command::Price {
                    point: p.code.clone(),
                    item: item.clone(),
                    fen: Fen((yuan * 100.0).round() as i64),
                });
            }
        }
        cmds
    }

    /// A `share` (percent) of a day's need delivered to villages, each to a random village the
    /// point serves, never more than the point holds.
    fn deliveries(&mut self, share: u8) -> Vec<Command> {
        let share = share as f64 / 100.0;
        let (g, state) = (&self.g, self.s.engine.state());
        let mut cmds = Vec::new();
        for p in g.sc.points.iter().filter(|p| p.kind != PointKind::Depot) {
            let villages: Vec<&Village> = g.sc.villages.iter().filter(|v| v.point == p.code).collect();
            if villages.is_empty() {
                continue;
            }
            for code in g.carried(p) {
                let Some(item) = g.items.get(code.as_str()) else { continue };
                let need = g.rate(state, p, item) * share * self.rng.random_range(0.85..1.15);
                let have = state.qty(&p.code, &code).as_f64();
                let q = whole(item, need.min(have));
                if q <= Qty::ZERO || q.as_f64() > have {
                    continue;
                }
                let v = villages[self.rng.random_range(0..villages.len())];
                // Approved requests take the delivery first; what is left goes where it did.
                let (for_requests, left) = super::demand::fulfil(state, &p.code, item, q);
                cmds.extend(for_requests);
                if left <= Qty::ZERO {
                    continue;
                }
                cmds.push(Command::Dispatch {
                    from: p.code.clone(),
                    to: Dest::Village(v.code.clone()),
                    item: code.clone(),
                    qty: left,
                    vehicle: None,
                    note: String::new(),
                    requests: Vec::new(),
                });
            }
        }
        cmds
    }

    /// The latest replenishment's transfers arrive.
    fn receive(&mut self, t: DateTime<FixedOffset>) -> Result<()> {
        let ids: Vec<String> = (self.s.engine.state().dispatches.values())
            .filter(|d| d.id > self.replenished_after && matches!(d.to, Dest::Point(_)) && d.received_qty.is_none())
            .map(|d| Dispatch::label(d.id))
            .collect();
        let cmds = ids.into_iter().map(|d| Command::Receive { dispatch: d, qty: None, note: String::new() }).collect();
        self.s.run(t, cmds)
    }

    /// Panic buying at one point and a price jump at another.
    fn spikes(&self) -> Vec<Command> {
        let (g, h, state) = (&self.g, self.g.h, self.s.engine.state());
        let mut cmds = Vec::new();
        if let Some(sp) = &h.outflow_spike {
            let p = g.sc.points.iter().find(|p| p.code == sp.point);
            let v = g.sc.villages.iter().find(|v| v.point == sp.point);
            if let (Some(p), Some(v), Some(item)) = (p, v, g.items.get(sp.item.as_str())) {
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
                        requests: Vec::new(),
                    });
                }
            }
        }
        if let (Some(sp), Some(base)) = (&h.price_spike, h.price_spike.as_ref().and_then(|sp| h.prices.get(&sp.item))) {
            cmds.push(Command::Price {
                point: sp.point.clone(),
                item: sp.item.clone(),
                fen: Fen((base * sp.factor * 100.0).round() as i64),
            });
        }
        cmds
    }

    /// The transfer still in transit when the console opens.
    fn transit(&mut self, t: DateTime<FixedOffset>) -> Result<()> {
        let Some(tr) = &self.g.h.in_transit else { return Ok(()) };
        let vehicle =
            (self.g.sc.vehicles.iter()).find(|v| v.point == tr.from && v.valid_days > 0).map(|v| v.plate.clone());
        let cmd = Command::Dispatch {
            from: tr.from.clone(),
            to: Dest::Point(tr.to.clone()),
            item: tr.item.clone(),
            qty: Qty::units(tr.qty),
            vehicle,
            note: "急需补货".into(),
            requests: Vec::new(),
        };
        self.s.run(t, vec![cmd])
    }
}
