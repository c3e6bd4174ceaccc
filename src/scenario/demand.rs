//! The demo history's demand side: every village tallies every third day (a few villages fall
//! behind lately, so their tallies are overdue), the office approves the day before's requests
//! the next morning (a few for less, a few refused), deliveries to villages go to approved
//! requests first, the checkpoints sign for them in the evening (a few short), and remainders
//! left two days past their day are cancelled. Pure functions of the scenario and the state
//! that return commands for the seeding walk; draws only on the demand stream, never on the
//! supply side's. Imports the domain and the generator only.

use super::gen::{whole, Gen};
use crate::domain::command::{Command, Dest};
use crate::domain::demand::{DemandSettings, Request, RequestStatus, TallyLine};
use crate::domain::state::{Dispatch, State};
use crate::domain::{Item, Qty};
use chrono::{DateTime, Duration, FixedOffset, NaiveDate};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// What villages tally for, where their point carries it.
const TALLIED: &[&str] = &["rice", "flour", "oil", "pork", "eggs", "greens", "cabbage", "milk", "noodles"];
/// Who signs at the checkpoints.
const SIGNERS: &[&str] = &["王建民", "李桂兰", "张志强", "刘秀珍", "陈国华", "杨玉梅", "赵德胜", "孙丽娟"];

/// Village `i` tallies on the days `(day − first + i) % 3 == 0`; every 17th village (from the
/// 6th) stops five days before today, so its tally is overdue when the console opens.
pub(super) fn tallies(
    g: &Gen,
    state: &State,
    first: NaiveDate,
    day: NaiveDate,
    today: NaiveDate,
    rng: &mut ChaCha8Rng,
) -> Vec<Command> {
    let n = (day - first).num_days();
    let mut cmds = Vec::new();
    for (i, v) in g.sc.villages.iter().enumerate() {
        let lagging = i % 17 == 5 && day > today - Duration::days(5);
        if (n + i as i64) % 3 != 0 || lagging || state.tallies.contains_key(&(day, v.code.clone())) {
            continue;
        }
        let Some(p) = g.sc.points.iter().find(|p| p.code == v.point) else { continue };
        let carried = g.carried(p);
        let mut lines = Vec::new();
        if rng.random_range(0.0..1.0) >= 0.08 {
            for code in TALLIED.iter().filter(|c| carried.iter().any(|x| x == *c)) {
                let Some(item) = g.items.get(code) else { continue };
                if rng.random_range(0.0..1.0) < 0.6 {
                    continue;
                }
                let qty = whole(item, need(item, v.households) * rng.random_range(0.25..0.5));
                if qty > Qty::ZERO {
                    lines.push(TallyLine { item: item.code.clone(), qty });
                }
            }
        }
        let zero = lines.is_empty();
        cmds.push(Command::Tally { village: v.code.clone(), date: day, lines, zero });
    }
    cmds
}

/// Three days of a village's need of `item`.
fn need(item: &Item, households: u32) -> f64 {
    f64::from(households.max(20)) * item.per_household_daily * 3.0
}

/// The requests waiting since before `t`: most approved in full, one in ten for 80 %
/// (the stock is short), one in twenty-five refused.
pub(super) fn approvals(state: &State, t: DateTime<FixedOffset>, rng: &mut ChaCha8Rng) -> Vec<Command> {
    let waiting = (state.requests.values()).filter(|r| r.status() == RequestStatus::Requested && r.at < t);
    let mut cmds = Vec::new();
    for r in waiting {
        let request = Request::label(r.id);
        let roll = rng.random_range(0.0..1.0);
        let less = state.items.get(&r.item).map(|i| whole(i, r.qty.as_f64() * 0.8)).filter(|q| *q > Qty::ZERO);
        cmds.push(match less {
            _ if roll < 0.04 => Command::Refuse { request, reason: "本轮库存不足,请下次统计再报".into() },
            Some(q) if roll < 0.14 && q < r.qty => {
                Command::Approve { request, qty: Some(q), reason: "按库存核减".into() }
            }
            _ => Command::Approve { request, qty: None, reason: String::new() },
        });
    }
    cmds
}

/// Approved requests due from `day` on and not yet booked, each into a slot of its zone on its
/// day: a village's requests share one slot, villages alternating between the zone's slots, and
/// each booking names one of the point's vehicles whose pass is valid that day, in turn (none if
/// it has none). O(requests + slots + vehicles).
pub(super) fn bookings(state: &State, day: NaiveDate) -> Vec<Command> {
    let config = DemandSettings::default();
    let mut cmds = Vec::new();
    let waiting = (state.requests.values())
        .filter(|r| r.status() == RequestStatus::Approved && r.booking.is_none() && r.by >= day);
    for r in waiting {
        let Some(zone) = state.points.get(&r.point).map(|p| p.zone.as_str()) else { continue };
        let slots = state.slots_on(&config, zone, r.by);
        let village = r.requester.village();
        let turn = village.bytes().map(usize::from).sum::<usize>();
        let Some(slot) = slots.get(turn % slots.len().max(1)) else { continue };
        let vehicles: Vec<&str> = (state.vehicles.values())
            .filter(|v| v.point == r.point && v.pass_valid_until >= r.by)
            .map(|v| v.plate.as_str())
            .collect();
        cmds.push(Command::Schedule {
            request: Request::label(r.id),
            slot: slot.code.clone(),
            date: None,
            vehicle: vehicles.get(turn % vehicles.len().max(1)).map(|v| v.to_string()),
        });
    }
    cmds
}

/// Requests still open two days after their day, with nothing waiting for a signature: the
/// remainder is cancelled, to be tallied again.
pub(super) fn stale(state: &State, day: NaiveDate) -> Vec<Command> {
    (state.requests.values())
        .filter(|r| r.status().is_open() && r.by <= day - Duration::days(2) && r.unsigned().next().is_none())
        .map(|r| Command::CancelRequest {
            request: Request::label(r.id), reason: "逾期未送完,余量并入下次统计".into()
        })
        .collect()
}

/// A delivery of `qty` of `item` from `point`: the part that goes to its approved requests
/// (oldest day first, one dispatch per request naming it) and what is left. O(requests).
pub(super) fn fulfil(state: &State, point: &str, item: &Item, qty: Qty) -> (Vec<Command>, Qty) {
    let mut open: Vec<&Request> = (state.requests.values())
        .filter(|r| r.point == point && r.item == item.code && r.unsent() > Qty::ZERO)
        .collect();
    open.sort_by_key(|r| (r.by, r.id));
    let mut left = qty;
    let mut cmds = Vec::new();
    for r in open {
        if left <= Qty::ZERO {
            break;
        }
        let take = if r.unsent() < left { r.unsent() } else { left };
        left -= take;
        cmds.push(Command::Dispatch {
            from: point.to_string(),
            to: Dest::Village(r.requester.village().to_string()),
            item: item.code.clone(),
            qty: take,
            vehicle: None,
            note: String::new(),
            requests: vec![Request::label(r.id)],
        });
    }
    (cmds, left)
}

/// Every delivery waiting for its checkpoint's signature is signed for, one in twenty a unit
/// short.
pub(super) fn signatures(state: &State, rng: &mut ChaCha8Rng) -> Vec<Command> {
    let mut ids: Vec<u64> = state.requests.values().flat_map(|r| r.unsigned()).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut cmds = Vec::new();
    for d in ids.iter().filter_map(|id| state.dispatch(*id)) {
        let Dest::Village(v) = &d.to else { continue };
        let short = rng.random_range(0.0..1.0) < 0.05 && d.qty > Qty::units(1);
        let qty = if short { d.qty - Qty::units(1) } else { d.qty };
        let signer = SIGNERS[v.bytes().map(usize::from).sum::<usize>() % SIGNERS.len()];
        let note = if short { "少一件,已登记".to_string() } else { String::new() };
        cmds.push(Command::Deliver {
            dispatch: Dispatch::label(d.id),
            qty,
            signed_by: signer.into(),
            note,
            household: None,
        });
    }
    cmds
}
