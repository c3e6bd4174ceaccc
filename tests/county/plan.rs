//! The county plan (`county::plan`), the town plan's rule one level up, over hand-made county
//! views with known answers: towns short draw on the county reserve first, then on towns above
//! their targets, most spare first; a donor town keeps its target and margin; what is left is
//! the county's request to the city, exactly the shortfall; expired reserve stock is not
//! released, and a reserve that has not reported releases nothing; a town counting an item in
//! another unit is planned apart, never mixed. A property test over random counties checks
//! the same rules, and a county of demo towns plans with every quantity in its item's unit.

use baogong::county::plan::{plan, CountyPlan};
use baogong::county::summary::{ExpiryQty, ItemSummary};
use baogong::county::{CountyView, TownSummary};
use baogong::domain::rules::cover::StockStatus;
use baogong::domain::rules::plan::{Draw, PlanSettings};
use baogong::domain::{Item, ItemGroup, Qty};
use baogong::report::Reporting;
use chrono::{Duration, NaiveDate};
use proptest::prelude::*;
use std::collections::BTreeMap;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 10).expect("valid date")
}

fn u(n: i64) -> Qty {
    Qty::units(n)
}

fn item(unit: &str, norm_days: f64) -> Item {
    Item {
        code: "rice".into(),
        name_zh: "大米".into(),
        name_en: "Rice".into(),
        group: ItemGroup::GrainOil,
        unit: unit.into(),
        norm_days,
        max_days: None,
        per_household_daily: 0.5,
        components: Vec::new(),
    }
}

/// A town holding `lots` (qty, expiry) of rice in `unit`, consuming `daily` a day (None: no
/// deliveries, as a reserve office).
fn town(code: &str, unit: &str, daily: Option<f64>, lots: &[(i64, Option<NaiveDate>)]) -> TownSummary {
    let it = item(unit, 10.0);
    let qty: Qty = lots.iter().map(|(q, _)| u(*q)).sum();
    TownSummary {
        town: code.into(),
        name: code.into(),
        last_seq: 1,
        events: 1,
        last_event_at: None,
        stocked_out_points: 0,
        critical_alerts: 0,
        report: Reporting::Reported,
        report_late: false,
        items: vec![ItemSummary {
            item: it.code.clone(),
            name: it.name_zh.clone(),
            unit: it.unit.clone(),
            qty,
            days_of_cover: daily.map(|d| qty.as_f64() / d),
            status: StockStatus::Ok,
            daily,
            lots: lots.iter().map(|(q, e)| ExpiryQty { expiry: *e, qty: u(*q) }).collect(),
            def: it,
        }],
        requests: Vec::new(),
        alerts: Vec::new(),
    }
}

fn view(towns: Vec<TownSummary>) -> CountyView {
    CountyView { updated_at: None, silent_minutes: 60, towns }
}

/// No horizon, no floor, no threshold: the order and arithmetic of the draws alone.
fn settings(margin: f64) -> PlanSettings {
    PlanSettings {
        horizon_days: 0.0,
        donor_margin_pct: margin,
        min_transfer_days: 0.0,
        reserve_floor_days: 0.0,
        ..PlanSettings::default()
    }
}

fn transfers(p: &CountyPlan) -> Vec<(&str, &str, i64, Draw)> {
    p.plan.transfers.iter().map(|t| (t.from.as_str(), t.to.as_str(), t.qty.0 / Qty::SCALE, t.draw)).collect()
}

#[test]
fn towns_short_draw_on_the_reserve_first_then_on_towns_above_their_target() {
    // T1 uses 10/day against a 10-day norm: target 100, holds 10, needs 90. The reserve holds
    // 30; T2 (1/day, target 10) holds 50, T3 holds 200: T3 spares most and gives first.
    let v = view(vec![
        town("RES", "kg", None, &[(30, None)]),
        town("T1", "kg", Some(10.0), &[(10, None)]),
        town("T2", "kg", Some(1.0), &[(50, None)]),
        town("T3", "kg", Some(1.0), &[(200, None)]),
    ]);
    let p = plan(&v, Some("RES"), &settings(0.0), today());
    assert_eq!(transfers(&p), vec![("RES", "T1", 30, Draw::Depot), ("T3", "T1", 60, Draw::SameZone)]);
    assert!(p.plan.transfers.iter().all(|t| t.unit == "kg" && t.item == "rice"));
    assert!(p.plan.requests.is_empty(), "the county covers it: {:?}", p.plan.requests);
    assert!(p.reserve_reported);
}

#[test]
fn a_donor_town_keeps_its_target_and_margin_and_the_rest_goes_to_the_city() {
    // T1 needs 500 - 0 = 500. The reserve spares 40. T2 (target 10, keeps 12 at 20 %) holds
    // 30: spares 18. T3 at its target spares nothing. The city is asked for 500 - 40 - 18.
    let v = view(vec![
        town("RES", "kg", None, &[(40, None)]),
        town("T1", "kg", Some(50.0), &[]),
        town("T2", "kg", Some(1.0), &[(30, None)]),
        town("T3", "kg", Some(1.0), &[(12, None)]),
    ]);
    let p = plan(&v, Some("RES"), &settings(20.0), today());
    assert_eq!(transfers(&p), vec![("RES", "T1", 40, Draw::Depot), ("T2", "T1", 18, Draw::SameZone)]);
    let r = &p.plan.requests;
    assert_eq!(r.len(), 1, "{r:?}");
    assert_eq!((r[0].item.as_str(), r[0].unit.as_str(), r[0].qty), ("rice", "kg", u(442)));
    assert_eq!((r[0].need, r[0].depot_spare, r[0].donor_spare), (u(500), u(40), u(18)));
    assert_eq!(r[0].short.len(), 1);
    assert_eq!((r[0].short[0].point.as_str(), r[0].short[0].qty), ("T1", u(442)));
    // With the 58 it gets T1 lasts a day at 50 a day: the city's rice is needed by tomorrow.
    assert_eq!(r[0].by, today() + Duration::days(1));
}

#[test]
fn expired_reserve_stock_is_not_released_and_a_silent_reserve_releases_nothing() {
    let yesterday = today() - Duration::days(1);
    let v = view(vec![
        town("RES", "kg", None, &[(100, Some(yesterday)), (20, Some(today() + Duration::days(30)))]),
        town("T1", "kg", Some(10.0), &[(10, None)]),
    ]);
    let p = plan(&v, Some("RES"), &settings(0.0), today());
    assert_eq!(transfers(&p), vec![("RES", "T1", 20, Draw::Depot)]);
    assert_eq!(p.plan.requests[0].qty, u(70));
    // Named but not reporting: its stock is unknown, every shortfall goes to the city.
    let p = plan(&v, Some("XQ"), &settings(0.0), today());
    assert!(!p.reserve_reported);
    assert!(p.plan.transfers.is_empty(), "{:?}", p.plan.transfers);
    assert_eq!(p.plan.requests[0].qty, u(90));
    // No reserve at all: a town holding rice with no consumption is not a donor either.
    let p = plan(&v, None, &settings(0.0), today());
    assert_eq!((p.reserve.as_deref(), p.plan.transfers.len(), p.plan.requests[0].qty), (None, 0, u(90)));
}

#[test]
fn a_town_counting_an_item_in_another_unit_is_planned_apart() {
    // T2 holds 500 bags of rice it hardly uses; T1 is short in kg and T3 in bags. Bags go only
    // to bags; the kg shortfall goes to the city in kg.
    let v = view(vec![
        town("T1", "kg", Some(10.0), &[(10, None)]),
        town("T2", "bag", Some(1.0), &[(500, None)]),
        town("T3", "bag", Some(10.0), &[(40, None)]),
    ]);
    let p = plan(&v, None, &settings(0.0), today());
    assert_eq!(transfers(&p), vec![("T2", "T3", 60, Draw::SameZone)]);
    assert_eq!(p.plan.transfers[0].unit, "bag");
    let r: Vec<(&str, Qty)> = p.plan.requests.iter().map(|r| (r.unit.as_str(), r.qty)).collect();
    assert_eq!(r, vec![("kg", u(90))]);
}

#[test]
fn the_reserve_keeps_its_floor() {
    // Floor 3 days of its issues (none yet): it keeps 3 × (0 + 100) ÷ (7 + 3) = 30 and releases 70.
    let v = view(vec![town("RES", "kg", None, &[(100, None)]), town("T1", "kg", Some(10.0), &[])]);
    let set = PlanSettings { reserve_floor_days: 3.0, ..settings(0.0) };
    let p = plan(&v, Some("RES"), &set, today());
    assert_eq!(transfers(&p), vec![("RES", "T1", 70, Draw::Depot)]);
    assert_eq!(p.plan.requests[0].qty, u(30));
}

/// A random county: a reserve and up to six towns, each with a rate and stock of rice in kg.
fn county_strategy() -> impl Strategy<Value = (i64, Vec<(u8, i64)>, u8)> {
    (0i64..300, prop::collection::vec((1u8..40, 0i64..600), 1..7), 0u8..60)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn county_plans_keep_every_rule((reserve, towns, margin) in county_strategy()) {
        let mut list = vec![town("RES", "kg", None, &[(reserve, None)])];
        for (i, (daily, held)) in towns.iter().enumerate() {
            list.push(town(&format!("T{i}"), "kg", Some(*daily as f64), &[(*held, None)]));
        }
        let v = view(list);
        let margin = margin as f64;
        let p = plan(&v, Some("RES"), &settings(margin), today());
        let target = |d: u8| d as i64 * 10;
        let mut given: BTreeMap<&str, i64> = BTreeMap::new();
        let mut got: BTreeMap<&str, i64> = BTreeMap::new();
        for t in &p.plan.transfers {
            prop_assert!(t.qty > Qty::ZERO && t.from != t.to && t.unit == "kg");
            *given.entry(t.from.as_str()).or_default() += t.qty.0 / Qty::SCALE;
            *got.entry(t.to.as_str()).or_default() += t.qty.0 / Qty::SCALE;
        }
        prop_assert!(given.get("RES").copied().unwrap_or(0) <= reserve, "the reserve gives at most what it holds");
        let mut shortfall = 0;
        for (i, (daily, held)) in towns.iter().enumerate() {
            let code = format!("T{i}");
            let (out, inn) = (given.get(code.as_str()).copied().unwrap_or(0), got.get(code.as_str()).copied().unwrap_or(0));
            prop_assert!(out == 0 || inn == 0, "{} both gives and gets", code);
            if out > 0 {
                // Its target plus the margin, to the thousandth as quantities are, in whole units.
                let keep_milli = (target(*daily) as f64 * (1.0 + margin / 100.0) * 1000.0).round() as i64;
                let keep = (keep_milli + 999) / 1000;
                prop_assert!(held - out >= keep, "{} gives {} of {}, below its target and margin {}", code, out, held, keep);
            }
            shortfall += (target(*daily) - held - inn).max(0);
        }
        let asked: i64 = p.plan.requests.iter().map(|r| r.qty.0 / Qty::SCALE).sum();
        prop_assert_eq!(asked, shortfall, "the request to the city is the shortfall left");
        // Nothing is asked of the city while anyone still has something to spare.
        if asked > 0 {
            let r = &p.plan.requests[0];
            let given_all: i64 = given.values().sum();
            prop_assert_eq!(given_all, (r.depot_spare + r.donor_spare).0 / Qty::SCALE);
        }
    }
}

/// Through the real path: three towns publish over a nats-server, `county serve` keeps their
/// summaries, and `county plan --json` plans with `[county] reserve` of the county's
/// `baogong.toml`: the reserve's rice goes to the town with none, then the surplus town's
/// spare above its target and margin, and the rest is the request to the city, in kg.
#[test]
fn the_county_plan_over_towns_that_publish_through_nats() {
    use crate::nats::{County, Nats, Town};
    use crate::support::bin;
    let wait = std::time::Duration::from_secs(60);
    let Some(nats) = Nats::start() else { return };
    let county = County::start(&nats.url());
    let config = "[county]\nreserve = \"RES\"\n\n[plan]\nreserve_floor_days = 0.0\n";
    std::fs::write(county.dir.path().join("baogong.toml"), config).expect("config");
    // The support town: 300 households at 0.5 kg of rice a day = 150 kg/day; its target is
    // 150 × (15 days norm + 3 days horizon) = 2700 kg, and a donor keeps 2700 × 1.2 = 3240.
    let mut towns: Vec<Town> = ["RES", "T1", "T2"].iter().map(|c| Town::new(c, &nats.url())).collect();
    for t in &mut towns {
        t.start();
    }
    let restock = |t: &Town, point: &str, qty: &str| {
        bin::ok(t.dir.path(), &["log", "restock", "--point", point, "--item", "rice", "--qty", qty]);
    };
    restock(&towns[0], "DEPOT", "1000");
    restock(&towns[2], "P01", "3500");
    for t in &towns {
        t.wait_acked(wait);
    }
    let want: Vec<(&str, u64)> = towns.iter().map(|t| (t.code.as_str(), t.exported())).collect();
    county.wait_for(&want, wait);
    let out = bin::ok(county.dir.path(), &["county", "plan", "--json"]);
    let p: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(p["reserve"], "RES", "{p}");
    assert_eq!(p["reserve_reported"], true, "{p}");
    let rice: Vec<(String, String, f64, String, String)> = p["transfers"]
        .as_array()
        .expect("transfers")
        .iter()
        .filter(|t| t["item"] == "rice")
        .map(|t| {
            let s = |k: &str| t[k].as_str().unwrap_or_default().to_string();
            (s("from"), s("to"), t["qty"].as_f64().unwrap_or(0.0), s("unit"), s("draw"))
        })
        .collect();
    let want = vec![
        ("RES".into(), "T1".into(), 1000.0, "kg".into(), "reserve".into()),
        ("T2".into(), "T1".into(), 260.0, "kg".into(), "town".into()),
    ];
    assert_eq!(rice, want, "{p}");
    let req = p["requests"].as_array().expect("requests").iter().find(|r| r["item"] == "rice").expect("rice asked");
    assert_eq!((req["qty"].as_f64(), req["unit"].as_str()), (Some(1440.0), Some("kg")), "{p}");
    assert_eq!(req["short"][0]["town"], "T1", "{p}");
    let text = bin::ok(county.dir.path(), &["county", "plan"]);
    assert!(text.contains("county reserve RES") && text.contains("Request to the city"), "{text}");
}
