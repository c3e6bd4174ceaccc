//! Replenishment planning (`domain::rules::plan`): hand-made states with known answers (reserve first,
//! then the recipient's zone, then other zones; donors keep their target plus margin; batches
//! that expire first leave first; transfers in transit count; tiny shortfalls are not worth a
//! trip; a what-if level scales demand; the request upward is exactly the shortfall), and
//! property tests over random towns: no donor below its target or below zero, nothing suggested
//! beyond what donors can spare, every point at its target when supply suffices, the request
//! equal to the shortfall, the same plan for the same state.

use baogong::domain::command::{Dest, LotTake};
use baogong::domain::rules::cover;
use baogong::domain::rules::plan::{plan_with, Draw, Plan, PlanSettings};
use baogong::domain::state::{Dispatch, Lot, Pair};
use baogong::domain::{Item, ItemGroup, Point, PointKind, Qty, ResponseLevel, State};
use chrono::{Duration, FixedOffset, NaiveDate, TimeZone};
use proptest::prelude::*;
use std::collections::BTreeMap;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 10).expect("valid date")
}

fn u(n: i64) -> Qty {
    Qty::units(n)
}

fn item(norm_days: f64) -> Item {
    Item {
        code: "rice".into(),
        name_zh: "大米".into(),
        name_en: "Rice".into(),
        group: ItemGroup::GrainOil,
        unit: "kg".into(),
        norm_days,
        max_days: None,
        per_household_daily: 0.5,
        components: Vec::new(),
    }
}

fn point(code: &str, zone: &str, kind: PointKind) -> Point {
    Point {
        code: code.into(),
        name: code.into(),
        kind,
        zone: zone.into(),
        households: 0,
        population: 0,
        staff: 0,
        vehicles: 0,
        manager: String::new(),
        phone: String::new(),
        carries: Vec::new(),
    }
}

/// A town of `points` (code, zone, kind) carrying rice with norm `norm_days`.
fn town(points: &[(&str, &str, PointKind)], norm_days: f64) -> State {
    let mut s = State::default();
    let it = item(norm_days);
    for (code, zone, kind) in points {
        s.points.insert(code.to_string(), point(code, zone, *kind));
        s.pairs.insert(
            (code.to_string(), it.code.clone()),
            Pair { point: code.to_string(), item: it.code.clone(), zero_since: None },
        );
    }
    s.items.insert(it.code.clone(), it);
    s
}

fn lot(s: &mut State, point: &str, qty: Qty, batch: &str, expiry: Option<NaiveDate>) {
    s.lots.insert(
        (point.to_string(), "rice".to_string(), batch.to_string()),
        Lot { point: point.into(), item: "rice".into(), batch: batch.into(), qty, expiry },
    );
}

/// Plans with fixed daily rates per point.
fn plan(s: &State, settings: &PlanSettings, level: Option<ResponseLevel>, rates: &BTreeMap<String, f64>) -> Plan {
    plan_with(s, today(), settings, level, None, &|p, _| rates.get(p).copied())
}

fn rates(list: &[(&str, f64)]) -> BTreeMap<String, f64> {
    list.iter().map(|(p, r)| (p.to_string(), *r)).collect()
}

fn settings(horizon: f64, margin: f64) -> PlanSettings {
    // No reserve floor: these tests are about the order and arithmetic of draws.
    PlanSettings {
        horizon_days: horizon,
        donor_margin_pct: margin,
        min_transfer_days: 0.0,
        reserve_floor_days: 0.0,
        ..PlanSettings::default()
    }
}

#[test]
fn reserve_first_then_same_zone_then_other_zones() {
    use PointKind::*;
    let mut s = town(
        &[("DEPOT", "Z1", Depot), ("P01", "Z1", Delivery), ("P02", "Z1", Delivery), ("P03", "Z2", Delivery)],
        10.0,
    );
    // P01 uses 10/day, target 10 days + 0 horizon = 100; holds 10: needs 90.
    lot(&mut s, "P01", u(10), "", None);
    lot(&mut s, "DEPOT", u(30), "", None);
    // P02 (same zone) and P03 (other zone) use 1/day: target 10, keep 10 (no margin).
    lot(&mut s, "P02", u(50), "", None);
    lot(&mut s, "P03", u(200), "", None);
    let r = rates(&[("P01", 10.0), ("P02", 1.0), ("P03", 1.0)]);
    let p = plan(&s, &settings(0.0, 0.0), None, &r);
    let got: Vec<(&str, i64, Draw)> = p.transfers.iter().map(|t| (t.from.as_str(), t.qty.0 / 1000, t.draw)).collect();
    assert_eq!(got, vec![("DEPOT", 30, Draw::Depot), ("P02", 40, Draw::SameZone), ("P03", 20, Draw::OtherZone)]);
    assert!(p.transfers.iter().all(|t| t.to == "P01" && t.item == "rice"));
    assert!(p.requests.is_empty(), "the town covers it: {:?}", p.requests);
}

#[test]
fn a_donor_keeps_its_target_and_margin() {
    use PointKind::*;
    let mut s = town(&[("P01", "Z1", Delivery), ("P02", "Z1", Delivery)], 10.0);
    lot(&mut s, "P01", u(0), "", None);
    // P02: 2/day, horizon 5 → target 2 × 15 = 30, margin 50% → keeps 45; holds 100: spares 55.
    lot(&mut s, "P02", u(100), "", None);
    let r = rates(&[("P01", 10.0), ("P02", 2.0)]);
    let p = plan(&s, &settings(5.0, 50.0), None, &r);
    assert_eq!(p.transfers.len(), 1);
    assert_eq!(p.transfers[0].qty, u(55));
    // P01 needs 10 × 15 = 150; gets 55; 95 goes upward, by the day it runs out (today: it holds
    // nothing but 55 arrive, 5.5 days).
    assert_eq!(p.requests.len(), 1);
    let req = &p.requests[0];
    assert_eq!((req.qty, req.need, req.donor_spare, req.depot_spare), (u(95), u(150), u(55), u(0)));
    assert_eq!(req.by, today() + Duration::days(5));
    assert_eq!(req.short[0].point, "P01");
}

#[test]
fn batches_that_expire_first_leave_first_as_a_dispatch_takes_them() {
    use PointKind::*;
    let mut s = town(&[("DEPOT", "Z1", Depot), ("P01", "Z1", Delivery)], 10.0);
    let soon = today() + Duration::days(20);
    let late = today() + Duration::days(90);
    lot(&mut s, "DEPOT", u(40), "LATE", Some(late));
    lot(&mut s, "DEPOT", u(30), "SOON", Some(soon));
    lot(&mut s, "DEPOT", u(50), "", None);
    let r = rates(&[("P01", 5.0)]);
    let p = plan(&s, &settings(0.0, 0.0), None, &r);
    assert_eq!(p.transfers.len(), 1);
    let t = &p.transfers[0];
    assert_eq!(t.qty, u(50));
    let want = vec![
        LotTake { batch: "SOON".into(), expiry: Some(soon), qty: u(30) },
        LotTake { batch: "LATE".into(), expiry: Some(late), qty: u(20) },
    ];
    assert_eq!(t.lots, want);
    assert_eq!(s.plan_take("DEPOT", "rice", t.qty, None), Some(want), "the dispatch takes the same batches");
}

#[test]
fn expired_reserve_stock_is_not_offered() {
    use PointKind::*;
    let mut s = town(&[("DEPOT", "Z1", Depot), ("P01", "Z1", Delivery)], 10.0);
    lot(&mut s, "DEPOT", u(500), "OLD", Some(today() - Duration::days(1)));
    let p = plan(&s, &settings(0.0, 0.0), None, &rates(&[("P01", 5.0)]));
    assert!(p.transfers.is_empty());
    assert_eq!(p.requests[0].qty, u(50));
    assert_eq!(p.requests[0].depot_spare, u(0));
}

#[test]
fn a_transfer_in_transit_counts_for_its_destination() {
    use PointKind::*;
    let mut s = town(&[("DEPOT", "Z1", Depot), ("P01", "Z1", Delivery)], 10.0);
    lot(&mut s, "DEPOT", u(500), "", None);
    let r = rates(&[("P01", 5.0)]);
    assert_eq!(plan(&s, &settings(0.0, 0.0), None, &r).transfers[0].qty, u(50));
    let sent = FixedOffset::east_opt(8 * 3600).and_then(|o| o.with_ymd_and_hms(2026, 3, 10, 8, 0, 0).single());
    s.dispatches.insert(
        1,
        Dispatch {
            id: 1,
            from: "DEPOT".into(),
            to: Dest::Point("P01".into()),
            item: "rice".into(),
            qty: u(30),
            lots: vec![],
            vehicle: None,
            note: String::new(),
            sent_at: sent.expect("valid time"),
            sent_by: "alice".into(),
            received_qty: None,
            received_at: None,
            received_by: None,
            requests: vec![],
            signed_by: None,
        },
    );
    assert_eq!(plan(&s, &settings(0.0, 0.0), None, &r).transfers[0].qty, u(20));
}

#[test]
fn a_shortfall_smaller_than_the_threshold_is_not_worth_a_trip() {
    use PointKind::*;
    let mut s = town(&[("DEPOT", "Z1", Depot), ("P01", "Z1", Delivery)], 10.0);
    lot(&mut s, "DEPOT", u(500), "", None);
    // Target 100, holds 98: short by 0.2 days of consumption.
    lot(&mut s, "P01", u(98), "", None);
    let r = rates(&[("P01", 10.0)]);
    let lax = PlanSettings { min_transfer_days: 0.5, ..settings(0.0, 0.0) };
    assert!(plan(&s, &lax, None, &r).transfers.is_empty());
    let strict = PlanSettings { min_transfer_days: 0.1, ..settings(0.0, 0.0) };
    assert_eq!(plan(&s, &strict, None, &r).transfers[0].qty, u(2));
}

#[test]
fn a_what_if_level_scales_demand_and_changes_nothing() {
    use PointKind::*;
    let mut s = town(&[("DEPOT", "Z1", Depot), ("P01", "Z1", Delivery)], 10.0);
    lot(&mut s, "DEPOT", u(1000), "", None);
    lot(&mut s, "P01", u(100), "", None);
    let before = s.clone();
    let r = rates(&[("P01", 10.0)]);
    let mut set = settings(0.0, 0.0);
    set.demand.level3 = 1.5;
    // Routine: target 100, holds 100: nothing to do.
    assert!(plan(&s, &set, None, &r).transfers.is_empty());
    // Scenario 3 at ×1.5: 15/day, target 150, holds 100 (6.7 days): 50 more.
    let p = plan(&s, &set, Some(ResponseLevel::Level3), &r);
    assert_eq!((p.level, p.current, p.factor), (ResponseLevel::Level3, ResponseLevel::Routine, 1.5));
    assert_eq!(p.transfers[0].qty, u(50));
    assert_eq!(s, before, "planning changes nothing");
    // Already at scenario 3, recent consumption was measured under it: no scaling.
    s.settings.level = ResponseLevel::Level3;
    assert!(plan(&s, &set, None, &r).transfers.is_empty());
}

#[test]
fn the_most_urgent_recipient_comes_first_and_gets_served_first() {
    use PointKind::*;
    let mut s = town(&[("DEPOT", "Z1", Depot), ("P01", "Z1", Delivery), ("P02", "Z1", Delivery)], 10.0);
    lot(&mut s, "DEPOT", u(60), "", None);
    lot(&mut s, "P01", u(50), "", None); // 5 days
    lot(&mut s, "P02", u(10), "", None); // 1 day
    let p = plan(&s, &settings(0.0, 0.0), None, &rates(&[("P01", 10.0), ("P02", 10.0)]));
    assert_eq!(p.transfers.len(), 1);
    assert_eq!((p.transfers[0].to.as_str(), p.transfers[0].qty), ("P02", u(60)));
    assert_eq!(p.transfers[0].to_runs_out, today() + Duration::days(1));
    let req = &p.requests[0];
    assert_eq!(req.qty, u(80));
    let short: Vec<(&str, Qty)> = req.short.iter().map(|x| (x.point.as_str(), x.qty)).collect();
    assert_eq!(short, vec![("P01", u(50)), ("P02", u(30))]);
}

// ---- properties over random towns ----

#[derive(Clone, Debug)]
struct PointSpec {
    zone: u8,
    rate: Option<u32>,
    lots: Vec<(u32, Option<i8>)>,
}

#[derive(Clone, Debug)]
struct Town {
    depot_lots: Vec<(u32, Option<i8>)>,
    points: Vec<PointSpec>,
    norm: u8,
    horizon: u8,
    margin: u8,
    min_tenths: u8,
    level: u8,
}

fn lots_strategy() -> impl Strategy<Value = Vec<(u32, Option<i8>)>> {
    prop::collection::vec((0u32..3_000_000, prop::option::of(-5i8..60)), 0..4)
}

fn town_strategy() -> impl Strategy<Value = Town> {
    let point = (0u8..3, prop::option::of(1u32..60_000), lots_strategy()).prop_map(|(zone, rate, lots)| PointSpec {
        zone,
        rate,
        lots,
    });
    (lots_strategy(), prop::collection::vec(point, 1..9), 1u8..20, 0u8..6, 0u8..60, 0u8..10, 0u8..5).prop_map(
        |(depot_lots, points, norm, horizon, margin, min_tenths, level)| Town {
            depot_lots,
            points,
            norm,
            horizon,
            margin,
            min_tenths,
            level,
        },
    )
}

/// The state, the rates (per day, in units) and the settings a random town stands for.
fn build(t: &Town) -> (State, BTreeMap<String, f64>, PlanSettings) {
    let mut specs: Vec<(String, String, PointKind)> = vec![("DEPOT".into(), "Z0".into(), PointKind::Depot)];
    for (i, p) in t.points.iter().enumerate() {
        specs.push((format!("P{i:02}"), format!("Z{}", p.zone), PointKind::Delivery));
    }
    let refs: Vec<(&str, &str, PointKind)> = specs.iter().map(|(c, z, k)| (c.as_str(), z.as_str(), *k)).collect();
    let mut s = town(&refs, t.norm as f64);
    let add = |s: &mut State, point: &str, lots: &[(u32, Option<i8>)]| {
        for (i, (qty, exp)) in lots.iter().enumerate() {
            let expiry = exp.map(|d| today() + Duration::days(d as i64));
            lot(s, point, Qty(*qty as i64), &format!("B{i}"), expiry);
        }
    };
    add(&mut s, "DEPOT", &t.depot_lots);
    let mut r = BTreeMap::new();
    for (i, p) in t.points.iter().enumerate() {
        let code = format!("P{i:02}");
        add(&mut s, &code, &p.lots);
        if let Some(rate) = p.rate {
            r.insert(code, rate as f64 / 1000.0);
        }
    }
    let settings = PlanSettings {
        horizon_days: t.horizon as f64,
        donor_margin_pct: t.margin as f64,
        min_transfer_days: t.min_tenths as f64 / 10.0,
        reserve_floor_days: 0.0,
        ..PlanSettings::default()
    };
    (s, r, settings)
}

fn level_of(n: u8) -> ResponseLevel {
    ResponseLevel::ALL[n as usize % ResponseLevel::ALL.len()]
}

/// Usable stock and target of a point in thousandths, computed here from the definitions:
/// stock usable before it expires (never more than is held), and consumption over the norm plus
/// the horizon, rounded up to whole units.
fn usable_and_target(s: &State, point: &str, daily: f64, norm: f64, horizon: f64) -> (i64, i64) {
    let held: i64 = s.lots_of(point, "rice").map(|l| l.qty.0).sum();
    let usable =
        ((cover::usable_days(s.lots_of(point, "rice"), daily, today()) * daily * 1000.0).round() as i64).min(held);
    let target = (daily * (norm + horizon) * 1000.0).round() as i64;
    (usable.max(0), (target + 999).div_euclid(1000) * 1000)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn plans_keep_every_rule(t in town_strategy()) {
        let (s, r, set) = build(&t);
        let level = Some(level_of(t.level));
        let p = plan(&s, &set, level, &r);
        let factor = p.factor;
        let norm = t.norm as f64;
        let horizon = t.horizon as f64;
        prop_assert_eq!(&p, &plan(&s.clone(), &set, level, &r), "the same state gives the same plan");

        let mut given: BTreeMap<&str, i64> = BTreeMap::new();
        let mut got: BTreeMap<&str, i64> = BTreeMap::new();
        for tr in &p.transfers {
            prop_assert!(tr.qty > Qty::ZERO && tr.qty.is_whole(), "{:?}", tr);
            prop_assert!(tr.from != tr.to);
            let taken: Qty = tr.lots.iter().map(|l| l.qty).sum();
            prop_assert_eq!(taken, tr.qty);
            *given.entry(tr.from.as_str()).or_default() += tr.qty.0;
            *got.entry(tr.to.as_str()).or_default() += tr.qty.0;
        }
        let fresh = |point: &str| -> i64 {
            s.lots_of(point, "rice").filter(|l| l.expiry.is_none_or(|e| e >= today())).map(|l| l.qty.0).sum()
        };
        // Donors: never below zero; points never below their own target.
        for (point, out) in &given {
            let held: i64 = s.lots_of(point, "rice").map(|l| l.qty.0).sum();
            prop_assert!(*out <= held, "{} gives {} of {}", point, out, held);
            if *point == "DEPOT" {
                prop_assert!(*out <= fresh(point), "the reserve gives only stock that has not expired");
            } else {
                let (usable, target) = usable_and_target(&s, point, r[*point] * factor, norm, horizon);
                prop_assert!(usable - out >= target, "{} left at {} below its target {}", point, usable - out, target);
                prop_assert!(!got.contains_key(point), "{} both gives and receives", point);
            }
        }
        // What each point needs and what donors could spare, from the definitions.
        let mut need_total = 0i64;
        let mut spare_total = fresh("DEPOT").div_euclid(1000) * 1000;
        let mut needs: Vec<(&str, i64, i64)> = Vec::new();
        for (point, daily) in &r {
            let daily = daily * factor;
            let (usable, target) = usable_and_target(&s, point, daily, norm, horizon);
            let keep = (((target as f64) * (1.0 + t.margin as f64 / 100.0)).round() as i64).max(target);
            let held: i64 = s.lots_of(point, "rice").map(|l| l.qty.0).sum();
            if usable > keep {
                spare_total += (usable - keep).min(held).div_euclid(1000) * 1000;
            }
            let short = target - usable;
            if short > 0 && short as f64 / 1000.0 >= daily * set.min_transfer_days {
                need_total += (short + 999).div_euclid(1000) * 1000;
                needs.push((point.as_str(), usable, target));
            }
        }
        let moved: i64 = p.transfers.iter().map(|t| t.qty.0).sum();
        prop_assert!(moved <= spare_total, "moved {} of {} spare", moved, spare_total);
        prop_assert!(moved <= need_total, "moved {} for a need of {}", moved, need_total);
        // The request upward is exactly the shortfall.
        let requested: i64 = p.requests.iter().map(|q| q.qty.0).sum();
        prop_assert_eq!(requested, (need_total - spare_total).max(0), "request against the shortfall");
        prop_assert_eq!(requested, need_total - moved);
        if need_total <= spare_total {
            prop_assert!(p.requests.is_empty());
            for (point, usable, target) in &needs {
                let after = usable + got.get(point).copied().unwrap_or(0);
                prop_assert!(after >= *target, "{} ends at {} below {}", point, after, target);
            }
        }
        for q in &p.requests {
            prop_assert!(q.by >= today());
            let sum: Qty = q.short.iter().map(|x| x.qty).sum();
            prop_assert_eq!(sum, q.qty);
        }
    }
}
