//! One row of a reference-data file (zones, points, villages, items, people, duty shifts,
//! vehicles, kits, delivery slots) as the
//! record it upserts, with its problems noted. Imports domain types and the shared row reader.

use super::sheet::{Check, Row};
use crate::domain::catalog::Component;
use crate::domain::command::Record;
use crate::domain::demand::Slot;
use crate::domain::{DutyShift, Item, ItemGroup, Person, Point, PointKind, Qty, Reason, Role, Vehicle, Village, Zone};
use chrono::NaiveDate;

pub(super) fn zone(row: &Row) -> Record {
    Record::Zone(Zone { code: row.get("code").into(), name: row.get("name").into(), lead: row.get("lead").into() })
}

pub(super) fn point(c: &mut Check, row: &Row) -> Record {
    let households = c.whole(row, "households");
    let population = c.whole(row, "population");
    let staff = c.whole(row, "staff");
    let vehicles = c.whole(row, "vehicles");
    let kind = PointKind::parse(row.get("kind"));
    let zone = row.get("zone");
    if kind.is_none() {
        let options = "depot, delivery, convenience, transfer, drop".into();
        c.bad(row, "kind", Reason::NotAChoice { options });
    }
    known_zone(c, row, zone);
    let carries = carried_items(c, row);
    Record::Point(Point {
        code: row.get("code").into(),
        name: row.get("name").into(),
        kind: kind.unwrap_or(PointKind::Delivery),
        zone: zone.into(),
        households,
        population,
        staff,
        vehicles,
        manager: row.get("manager").into(),
        phone: row.get("phone").into(),
        carries,
    })
}

/// The `carries` cell: item codes separated by spaces, commas, semicolons or 、; each must be a
/// known item.
fn carried_items(c: &mut Check, row: &Row) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for code in row.get("carries").split([' ', ',', ';', '，', '；', '、']).filter(|s| !s.is_empty()) {
        if !c.state.items.contains_key(code) {
            c.bad(row, "carries", Reason::UnknownItem { code: code.into() });
        } else if !out.iter().any(|x| x == code) {
            out.push(code.to_string());
        }
    }
    out
}

fn known_zone(c: &mut Check, row: &Row, zone: &str) {
    if !zone.is_empty() && !c.state.zones.contains_key(zone) {
        c.bad(row, "zone", Reason::UnknownZone { code: zone.into() });
    }
}

pub(super) fn village(c: &mut Check, row: &Row) -> Record {
    let households = c.whole(row, "households");
    let point = row.get("point");
    if !point.is_empty() && !c.state.points.contains_key(point) {
        c.bad(row, "point", Reason::UnknownPoint { code: point.into() });
    }
    Record::Village(Village {
        code: row.get("code").into(),
        name: row.get("name").into(),
        point: point.into(),
        households,
        checkpoint: row.get("checkpoint").into(),
    })
}

pub(super) fn item(c: &mut Check, row: &Row) -> Record {
    let norm_days = c.float(row, "norm_days", true).unwrap_or(0.0);
    let max_days = c.float(row, "max_days", false);
    let per_household_daily = c.float(row, "per_household_daily", false).unwrap_or(0.0);
    let group = ItemGroup::parse(row.get("group"));
    if group.is_none() {
        c.bad(row, "group", Reason::NotAChoice { options: ItemGroup::ALL.map(|g| g.code()).join(", ") });
    }
    Record::Item(Item {
        code: row.get("code").into(),
        name_zh: row.get("name_zh").into(),
        name_en: row.get("name_en").into(),
        group: group.unwrap_or(ItemGroup::Other),
        unit: row.get("unit").into(),
        norm_days,
        max_days,
        per_household_daily,
        components: Vec::new(),
    })
}

/// A kit: an item whose `components` cell lists `ITEM=QTY` (separated by spaces, commas,
/// semicolons or 、), each a known plain item named once with a positive quantity of it, whole
/// where its unit is; the kit's own unit counted whole. Name in English defaults to the Chinese,
/// group to `other`, norm to 0 days.
pub(super) fn kit(c: &mut Check, row: &Row) -> Record {
    let norm_days = c.float(row, "norm_days", false).unwrap_or(0.0);
    let group = match row.get("group") {
        "" => Some(ItemGroup::Other),
        g => ItemGroup::parse(g),
    };
    if group.is_none() {
        c.bad(row, "group", Reason::NotAChoice { options: ItemGroup::ALL.map(|g| g.code()).join(", ") });
    }
    let name_zh = row.get("name_zh");
    let name_en = Some(row.get("name_en")).filter(|n| !n.is_empty()).unwrap_or(name_zh);
    let kit = Item {
        code: row.get("code").into(),
        name_zh: name_zh.into(),
        name_en: name_en.into(),
        group: group.unwrap_or(ItemGroup::Other),
        unit: row.get("unit").into(),
        norm_days,
        max_days: None,
        per_household_daily: 0.0,
        components: components(c, row),
    };
    if kit.divisible() {
        c.bad(row, "unit", Reason::KitCountedWhole { unit: kit.unit.clone() });
    }
    Record::Item(kit)
}

fn components(c: &mut Check, row: &Row) -> Vec<Component> {
    let mut out: Vec<Component> = Vec::new();
    let state = c.state;
    for part in row.get("components").split([' ', ',', ';', '，', '；', '、']).filter(|s| !s.is_empty()) {
        let mut bad =
            |reason: Reason| c.bad(row, "components", Reason::Part { part: part.into(), reason: Box::new(reason) });
        let Some((code, qty)) = part.split_once('=') else {
            bad(Reason::BadLine);
            continue;
        };
        let Some(it) = state.items.get(code) else {
            bad(Reason::UnknownItem { code: code.into() });
            continue;
        };
        match Qty::parse(qty) {
            _ if it.is_kit() => bad(Reason::KitInKit { code: code.into() }),
            _ if out.iter().any(|o| o.item == code) => bad(Reason::NamedTwice { id: code.into() }),
            Ok(q) if q.0 > 0 && (it.divisible() || q.is_whole()) => out.push(Component { item: code.into(), qty: q }),
            Ok(q) if q.0 > 0 => bad(Reason::NotWhole { unit: it.unit.clone() }),
            Ok(_) => bad(Reason::NotPositive),
            Err(e) => bad(e.reason()),
        }
    }
    out
}

/// A delivery slot of a known zone: `HH:MM` times, the end after the start, trips per vehicle
/// and weekdays (1-7, separated by spaces, commas or 、; none: every day) within range. None
/// when a cell is bad.
pub(super) fn slot(c: &mut Check, row: &Row) -> Option<Record> {
    let zone = row.get("zone");
    known_zone(c, row, zone);
    let mut time = |col: &str| {
        let v = row.get(col);
        let t = chrono::NaiveTime::parse_from_str(v, "%H:%M").ok();
        if t.is_none() && !v.is_empty() {
            c.bad(row, col, Reason::BadTimeOfDay);
        }
        t
    };
    let (start, end) = (time("start"), time("end"));
    let trips = c.whole(row, "trips");
    let mut days = Vec::new();
    for d in row.get("days").split([' ', ',', ';', '，', '、']).filter(|s| !s.is_empty()) {
        match d.parse::<u32>() {
            Ok(n) => days.push(n),
            Err(_) => c.bad(row, "days", Reason::NotAWeekday { value: d.into() }),
        }
    }
    let slot = Slot { zone: zone.into(), code: row.get("code").into(), start: start?, end: end?, trips, days };
    if let Err((field, reason)) = slot.check() {
        c.bad(row, field, reason);
        return None;
    }
    Some(Record::Slot(slot))
}

pub(super) fn person(c: &mut Check, row: &Row) -> Record {
    let role = Role::parse(row.get("role"));
    if role.is_none() {
        c.bad(row, "role", Reason::NotAChoice { options: Role::ALL.map(|r| r.code()).join(", ") });
    }
    Record::Person(Person {
        name: row.get("name").into(),
        title: row.get("title").into(),
        unit: row.get("unit").into(),
        role: role.unwrap_or(Role::Member),
        duty: row.get("duty").into(),
        phone: row.get("phone").into(),
    })
}

/// A duty shift; none when a time is missing or bad.
pub(super) fn shift(c: &mut Check, row: &Row) -> Option<Record> {
    let (start, end) = (c.time(row, "start"), c.time(row, "end"));
    for col in ["duty_officer", "leader_on_call"] {
        let who = row.get(col);
        if !who.is_empty() && !c.state.people.contains_key(who) {
            c.bad(row, col, Reason::UnknownPerson { name: who.into() });
        }
    }
    let (s, e) = (start?, end?);
    if e <= s {
        c.bad(row, "end", Reason::ShiftEndsBeforeStart);
    }
    Some(Record::Shift(DutyShift {
        start: s,
        end: e,
        duty_officer: row.get("duty_officer").into(),
        leader_on_call: row.get("leader_on_call").into(),
    }))
}

/// A vehicle and its pass, kept by a known point; none when the pass date is missing or bad (a
/// pass already ended is taken: the pass alert shows it).
pub(super) fn vehicle(c: &mut Check, row: &Row) -> Option<Record> {
    let point = row.get("point");
    if !point.is_empty() && !c.state.points.contains_key(point) {
        c.bad(row, "point", Reason::UnknownPoint { code: point.into() });
    }
    let until = row.get("pass_valid_until");
    let Ok(day) = NaiveDate::parse_from_str(until, "%Y-%m-%d") else {
        if !until.is_empty() {
            c.bad(row, "pass_valid_until", Reason::BadDate);
        }
        return None;
    };
    Some(Record::Vehicle(Vehicle {
        plate: row.get("plate").into(),
        point: point.into(),
        pass_no: row.get("pass_no").into(),
        pass_valid_until: day,
    }))
}
