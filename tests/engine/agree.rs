//! Figures that agree (issue 12), on the small fixture town: an open alert shows its live
//! figure (and keeps the one it was raised with); the daily report's fill rate is per item and
//! unit, never kilograms and pieces added; following every transfer of the plan raises no
//! critical alert at the reserve depot or a donor.

use crate::support::fixture::*;
use baogong::domain::alerts::{AlertKind, Severity, Thresholds};
use baogong::domain::rules::plan::{self, PlanSettings};
use baogong::domain::Lang;
use baogong::views;
use std::collections::BTreeSet;

#[test]
fn an_open_alert_shows_its_live_figure_and_the_one_it_was_raised_with() {
    let mut fx = Fx::new();
    // P01: 100 households × 0.5 kg = 50 kg a day; 300 kg is 6 days, under the norm of 15.
    fx.ok(restock("P01", "rice", u(300)));
    let raised = fx.open(AlertKind::BelowNorm);
    assert_eq!(raised.len(), 1);
    assert_eq!(raised[0].value, Some(6.0));
    // 100 kg go out: 4 days left, still below the norm, so the same alert stays open.
    fx.ok(to_village("P01", "V01", "rice", u(100)));
    let state = fx.engine.state();
    let rows = views::alerts::list(state, false);
    let json = views::alerts::json(state, fx.clock_now(), &Thresholds::default(), &rows);
    let row = json.iter().find(|r| r["kind"] == "below_norm").expect("the below-norm alert");
    assert_eq!(row["id"], baogong::domain::alerts::Alert::label(raised[0].id), "the same alert");
    assert_eq!(row["value"], 4.0, "live days of cover, as `stock` says: {row}");
    assert_eq!(row["raised_value"], 6.0);
    let stock = views::stock::point_cover(state, "P01", &rice(), fx.clock_now().date_naive());
    assert_eq!(stock.days, Some(4.0));
}

#[test]
fn fill_rate_is_per_item_and_unit() {
    let mut fx = Fx::new();
    fx.ok(restock("DEPOT", "rice", u(1000)));
    fx.ok(restock("DEPOT", "mask", u(1000)));
    let rice_d = fx.ok(to_point("DEPOT", "P02", "rice", u(200))).dispatch.expect("dispatch");
    let mask_d = fx.ok(to_point("DEPOT", "P02", "mask", u(1000))).dispatch.expect("dispatch");
    fx.ok(receive(&rice_d, Some(u(100))));
    fx.ok(receive(&mask_d, None));
    let now = fx.clock_now();
    let key = vec!["rice".to_string(), "mask".to_string()];
    let r = baogong::report::daily(fx.engine.state(), now.date_naive(), now, &Thresholds::default(), &key, Lang::En)
        .expect("report");
    // 100 kg of 200 and 1000 pieces of 1000: never (100 + 1000) / (200 + 1000).
    assert_eq!(r.fill_rate, None, "no town-wide figure across units");
    let town = |i: &str| r.totals.iter().find(|l| l.item == i).and_then(|l| l.fill_rate);
    assert_eq!(town("rice"), Some(0.5));
    assert_eq!(town("mask"), Some(1.0));
    let p02 = r.points.iter().find(|p| p.point == "P02").expect("P02");
    assert_eq!(p02.items.iter().find(|l| l.item == "rice").and_then(|l| l.fill_rate), Some(0.5));
    let md = baogong::report::markdown(&r, Lang::En);
    assert!(
        md.contains(
            "- fill rate of transfers: Rice 50%, Disposable mask 100%
"
        ),
        "{md}"
    );
}

#[test]
fn following_the_plan_raises_no_critical_alert_at_the_depot_or_a_donor() {
    let mut fx = Fx::new();
    // P01 needs (15 + 3) days × 50 kg and holds nothing; the depot holds 300 kg, P02 plenty.
    fx.ok(restock("DEPOT", "rice", u(300)));
    fx.ok(restock("P02", "rice", u(5000)));
    fx.ok(restock("P01", "rice", u(1)));
    fx.ok(to_village("P01", "V01", "rice", u(1)));
    let before: BTreeSet<u64> =
        fx.engine.state().alerts.values().filter(|a| a.cleared_at.is_none()).map(|a| a.id).collect();
    let today = fx.clock_now().date_naive();
    let p = plan::plan(fx.engine.state(), today, &PlanSettings::default(), None, None);
    assert!(p.transfers.iter().any(|t| t.from == "DEPOT"), "the depot is drawn on: {:?}", p.transfers);
    let donors: BTreeSet<String> = p.transfers.iter().map(|t| t.from.clone()).collect();
    for t in &p.transfers {
        fx.ok(to_point(&t.from, &t.to, &t.item, t.qty));
    }
    assert!(fx.qty("DEPOT", "rice") > u(0), "the depot keeps its floor");
    let new_critical: Vec<String> = fx
        .engine
        .state()
        .alerts
        .values()
        .filter(|a| a.cleared_at.is_none() && !before.contains(&a.id) && a.severity == Severity::Critical)
        .filter(|a| a.point.as_ref().is_some_and(|p| donors.contains(p)))
        .map(|a| a.subject.clone())
        .collect();
    assert!(new_critical.is_empty(), "critical alerts the plan could foresee: {new_critical:?}");
    // The officer may still send the rest by hand: the floor is the plan's, not a rule.
    let left = fx.qty("DEPOT", "rice");
    fx.ok(to_point("DEPOT", "P01", "rice", left));
    assert_eq!(fx.open(AlertKind::Stockout).iter().filter(|a| a.subject == "DEPOT/rice").count(), 1);
}

#[test]
fn an_item_a_point_is_meant_to_carry_and_does_not_hold_is_stocked_out() {
    use baogong::domain::command::{Command, Record};
    let mut fx = Fx::new();
    fx.ok(restock("P01", "rice", u(3000)));
    let mut p03 = fx.engine.state().points["P01"].clone();
    p03.code = "P03".into();
    p03.name = "P03 超市".into();
    // An unknown carried item is refused, naming the field.
    p03.carries = vec!["rice".into(), "soap".into()];
    let rej = fx.reject(Command::Upsert { records: vec![Record::Point(p03.clone())] });
    assert_eq!(rej.field, "carries");
    p03.carries = vec!["rice".into(), "mask".into()];
    fx.ok(Command::Upsert { records: vec![Record::Point(p03)] });
    let state = fx.engine.state();
    let today = fx.clock_now().date_naive();
    let rows = views::stock::stock_rows(state, today, Some("P03"), None, false);
    let statuses: Vec<(&str, &str)> = rows.iter().map(|r| (r.item.code.as_str(), r.cover.status.code())).collect();
    assert_eq!(statuses, [("mask", "stocked_out"), ("rice", "stocked_out")], "carried, held nowhere");
    let out: BTreeSet<String> = fx.open(AlertKind::Stockout).into_iter().map(|a| a.subject).collect();
    assert!(out.contains("P03/rice") && out.contains("P03/mask"), "{out:?}");
    // The point it came from still carries only what it has held.
    assert_eq!(views::stock::stock_rows(state, today, Some("P01"), None, false).len(), 1);
    fx.assert_check_clean();
}
