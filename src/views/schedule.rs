//! The delivery schedule (分区分时段配送) for `schedule` and the faces: per day and zone, each
//! slot running that day with the villages booked into it, the load in units, the trips booked
//! against the zone's vehicles × the slot's trips, and the staff against the seed's norms (1
//! delivery worker per 10 households in closed communities; 8 staff and 2-3 vehicles per ~1,000
//! households at a central point); overloaded slots are marked. Pure: reads the state and the
//! configured slots, never a face or the store.
//!
//! Cost: one pass over the requests held (bounded by retention, not by the event log) to
//! gather the bookings of the days asked, one over the points and one over the villages, then
//! O(slots × bookings of the slot): 1.5 ms (median) for the 600-point district with 3,000
//! bookings over two days (`benches/demand.rs`).

use crate::domain::demand::{DemandSettings, Request, RequestStatus};
use crate::domain::qty::Qty;
use crate::domain::state::State;
use chrono::{NaiveDate, NaiveTime};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Households one delivery worker serves in a closed community.
pub const HOUSEHOLDS_PER_WORKER: u64 = 10;
/// A central point's norm per 1,000 households: staff, and vehicles (2 to 3).
pub const CENTRAL_STAFF_PER_1000: u64 = 8;
pub const CENTRAL_VEHICLES_PER_1000: (u64, u64) = (2, 3);

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SlotRow {
    pub slot: String,
    #[serde(serialize_with = "hhmm")]
    pub start: NaiveTime,
    #[serde(serialize_with = "hhmm")]
    pub end: NaiveTime,
    /// The villages booked into it, each once.
    pub villages: Vec<String>,
    pub requests: usize,
    /// The approved quantity booked, per unit (kg, boxes, pieces are never added together).
    #[serde(serialize_with = "units")]
    pub load: BTreeMap<String, Qty>,
    /// One trip per vehicle and village (a booking without a vehicle is a trip of its own).
    pub trips: u64,
    /// The zone's vehicles × the slot's trips per vehicle.
    pub capacity: u64,
    /// Households of the villages booked, and the workers they need at 1 per 10.
    pub households: u64,
    pub workers_needed: u64,
    /// More trips than the vehicles can make, or more workers needed than the zone's staff.
    pub overloaded: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ZoneDay {
    pub date: NaiveDate,
    pub zone: String,
    /// Households the zone's points serve, and its staff and vehicles against the central norm.
    pub households: u64,
    pub staff: u64,
    pub staff_norm: u64,
    pub vehicles: u64,
    pub vehicles_norm: (u64, u64),
    pub slots: Vec<SlotRow>,
}

fn hhmm<S: serde::Serializer>(t: &NaiveTime, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&t.format("%H:%M").to_string())
}

fn units<S: serde::Serializer>(load: &BTreeMap<String, Qty>, s: S) -> Result<S::Ok, S::Error> {
    s.collect_map(load.iter().map(|(unit, q)| (unit, q.as_f64())))
}

/// A slot's load as text: `420 kg 30 box` (`420 公斤 30 箱`), units in code order, each named
/// in `lang`; `0` when nothing is booked.
pub fn load_text(load: &BTreeMap<String, Qty>, lang: crate::domain::Lang) -> String {
    if load.is_empty() {
        return "0".into();
    }
    load.iter().map(|(unit, q)| format!("{q} {}", crate::i18n::unit(lang, unit))).collect::<Vec<_>>().join(" ")
}

/// The approved quantities of `booked` summed per unit of their item (a kit's own unit).
fn load(state: &State, booked: &[&Request]) -> BTreeMap<String, Qty> {
    let mut out: BTreeMap<String, Qty> = BTreeMap::new();
    for r in booked {
        let unit = state.items.get(&r.item).map_or("", |i| i.unit.as_str());
        let q = out.entry(unit.to_string()).or_default();
        *q += r.approved();
    }
    out
}

/// `n × per / 1000`, rounded up.
fn per_thousand(households: u64, per: u64) -> u64 {
    households.saturating_mul(per).div_ceil(1000)
}

/// Zone figures: households, staff, vehicles of its points.
#[derive(Default)]
struct ZoneFigures {
    households: u64,
    staff: u64,
    vehicles: u64,
}

/// The schedule of `dates` (each zone, or the one asked), zones in code order.
pub fn rows(state: &State, demand: &DemandSettings, dates: &[NaiveDate], zone: Option<&str>) -> Vec<ZoneDay> {
    let mut zones: BTreeMap<&str, ZoneFigures> = BTreeMap::new();
    for p in state.points.values().filter(|p| zone.is_none_or(|z| z == p.zone)) {
        let z = zones.entry(p.zone.as_str()).or_default();
        z.households += crate::domain::rules::cover::households(state, &p.code);
        z.staff += u64::from(p.staff);
        z.vehicles += u64::from(p.vehicles);
    }
    let booked = bookings(state, dates);
    let mut out = Vec::new();
    for date in dates {
        for (code, z) in &zones {
            let slots = state
                .slots_on(demand, code, *date)
                .into_iter()
                .map(|s| {
                    let of_slot = booked.get(&(*date, *code, s.code.as_str())).map_or(&[][..], |v| v.as_slice());
                    slot_row(state, s, of_slot, z)
                })
                .collect();
            out.push(ZoneDay {
                date: *date,
                zone: code.to_string(),
                households: z.households,
                staff: z.staff,
                staff_norm: per_thousand(z.households, CENTRAL_STAFF_PER_1000),
                vehicles: z.vehicles,
                vehicles_norm: (
                    per_thousand(z.households, CENTRAL_VEHICLES_PER_1000.0),
                    per_thousand(z.households, CENTRAL_VEHICLES_PER_1000.1),
                ),
                slots,
            });
        }
    }
    out
}

type Booked<'a> = BTreeMap<(NaiveDate, &'a str, &'a str), Vec<&'a Request>>;

/// The requests booked on `dates` and still to go (not refused or cancelled), by day, zone and
/// slot. One pass over the requests held.
fn bookings<'a>(state: &'a State, dates: &[NaiveDate]) -> Booked<'a> {
    let mut out: Booked = BTreeMap::new();
    for r in state.requests.values() {
        let Some(b) = &r.booking else { continue };
        if !dates.contains(&b.date) || matches!(r.status(), RequestStatus::Refused | RequestStatus::Cancelled) {
            continue;
        }
        let Some(p) = state.points.get(&r.point) else { continue };
        out.entry((b.date, p.zone.as_str(), b.slot.as_str())).or_default().push(r);
    }
    out
}

fn slot_row(state: &State, s: &crate::domain::demand::Slot, booked: &[&Request], z: &ZoneFigures) -> SlotRow {
    let villages: BTreeSet<&str> = booked.iter().map(|r| r.requester.village()).collect();
    let trips: BTreeSet<(Option<&str>, &str, u64)> = booked
        .iter()
        .map(|r| {
            let vehicle = r.booking.as_ref().and_then(|b| b.vehicle.as_deref());
            // Without a vehicle each booking is a trip of its own.
            (vehicle, r.requester.village(), if vehicle.is_some() { 0 } else { r.id })
        })
        .collect();
    let households: u64 = villages.iter().filter_map(|v| state.villages.get(*v)).map(|v| u64::from(v.households)).sum();
    let workers_needed = households.div_ceil(HOUSEHOLDS_PER_WORKER);
    let capacity = z.vehicles.saturating_mul(u64::from(s.trips));
    let trips = trips.len() as u64;
    SlotRow {
        slot: s.code.clone(),
        start: s.start,
        end: s.end,
        villages: villages.iter().map(|v| v.to_string()).collect(),
        requests: booked.len(),
        load: load(state, booked),
        trips,
        capacity,
        households,
        workers_needed,
        overloaded: trips > capacity || workers_needed > z.staff,
    }
}
