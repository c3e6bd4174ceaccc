//! The generated district (`Scenario::district`): its size, that it is the same for a seed,
//! and that its CSV lists import cleanly into a store seeded with its reference data.

use crate::support::fixture::t0;
use baogong::domain::alerts::Thresholds;
use baogong::engine::{Engine, ManualClock};
use baogong::import::{plan, Kind};
use baogong::scenario::{self, Scenario};
use std::sync::Arc;

#[test]
fn the_district_has_the_size_of_a_city_district_and_is_the_same_for_a_seed() {
    let sc = Scenario::district(7, 14).unwrap();
    assert_eq!((sc.zones.len(), sc.points.len(), sc.villages.len(), sc.items.len()), (20, 600, 3000, 60));
    assert_eq!(sc.town.history_days, 14);
    let again = Scenario::district(7, 14).unwrap();
    assert_eq!(format!("{:?}", sc.villages), format!("{:?}", again.villages));
    let other = Scenario::district(8, 14).unwrap();
    assert_ne!(format!("{:?}", sc.villages), format!("{:?}", other.villages));
}

#[test]
fn the_district_names_every_item_once_and_every_lead_and_manager_with_a_mobile() {
    use std::collections::BTreeSet;
    let sc = Scenario::district(7, 0).unwrap();
    let zh: BTreeSet<&str> = sc.items.iter().map(|i| i.name_zh.as_str()).collect();
    let en: BTreeSet<&str> = sc.items.iter().map(|i| i.name_en.as_str()).collect();
    assert_eq!((zh.len(), en.len()), (60, 60), "two items share a name");
    assert!(sc.items.iter().all(|i| !i.name_en.ends_with(char::is_numeric)), "a name numbered, not named");
    let phone = |name: &str| sc.people.iter().find(|p| p.name == name).map(|p| p.phone.clone());
    for z in &sc.zones {
        assert!(phone(&z.lead).is_some_and(|m| m.len() == 11), "zone {} lead {:?} has no mobile", z.code, z.lead);
    }
    let managers: BTreeSet<&str> = sc.points.iter().map(|p| p.manager.as_str()).collect();
    assert_eq!(managers.len(), 600, "two points share a manager");
    for p in &sc.points {
        assert_eq!(phone(&p.manager), Some(p.phone.clone()), "point {} manager", p.code);
        assert_eq!(p.phone.len(), 11);
    }
    let plates: BTreeSet<&str> = sc.vehicles.iter().map(|v| v.plate.as_str()).collect();
    assert_eq!(plates.len(), 1_200, "every point's two vehicles, each its own plate");
    assert!(sc.vehicles.iter().any(|v| v.valid_days < 0), "some pass has lapsed");
}

#[test]
fn the_district_lists_import_cleanly_with_about_25k_stock_rows() {
    let sc = Scenario::district(7, 0).unwrap();
    let dir = tempfile::tempdir().unwrap();
    sc.write_csv(&dir.path().join("all"), usize::MAX).unwrap();
    let all = std::fs::read_to_string(dir.path().join("all/stock.csv")).unwrap();
    assert!((23_000..=26_000).contains(&(all.lines().count() - 1)), "{} stock rows", all.lines().count() - 1);
    sc.write_csv(&dir.path().join("csv"), 2_500).unwrap();
    let mut engine =
        Engine::open(&dir.path().join("store"), Arc::new(ManualClock::new(t0())), Thresholds::default()).unwrap();
    // Reference data only (no history days): then the stock file must check against it.
    scenario::seed(&mut engine, &sc, t0()).unwrap();
    for (kind, file) in
        [(Kind::Zones, "zones"), (Kind::Points, "points"), (Kind::Villages, "villages"), (Kind::Items, "items")]
    {
        let text = std::fs::read_to_string(dir.path().join(format!("csv/{file}.csv"))).unwrap();
        let p = plan(kind, file, &text, engine.state(), t0().date_naive(), *t0().offset()).unwrap();
        assert!(p.commands.is_empty(), "{file}: the store already holds every row: {:?}", p.commands.first());
    }
    let text = std::fs::read_to_string(dir.path().join("csv/stock.csv")).unwrap();
    let p = plan(Kind::Stock, "stock.csv", &text, engine.state(), t0().date_naive(), *t0().offset()).unwrap();
    assert_eq!((p.rows, p.commands.len()), (2_500, 2_500));
}

#[test]
fn every_district_item_is_carried_by_some_point_that_can_hold_it() {
    use std::collections::BTreeSet;
    let sc = Scenario::district(7, 0).unwrap();
    let h = sc.history.as_ref().unwrap();
    let shelf = |code: &str| h.shelf_life.get(code).copied();
    let fresh: BTreeSet<&str> =
        sc.items.iter().filter(|i| shelf(&i.code).is_some_and(|d| d < 30)).map(|i| i.code.as_str()).collect();
    assert!(fresh.len() > 4, "the district has fresh food beyond the first list: {fresh:?}");
    let delivered: BTreeSet<&str> = h.delivery_items.iter().map(String::as_str).collect();
    assert_eq!(delivered.len(), 44);
    // The depots hold no fresh food and no medicines: a delivery point must carry those.
    for i in &sc.items {
        let depot_can = shelf(&i.code).is_none_or(|d| d >= 30) && i.group != baogong::domain::ItemGroup::Medicine;
        assert!(depot_can || delivered.contains(i.code.as_str()), "{} ({}) is carried by no point", i.code, i.name_en);
    }
    for name in ["Beef", "Frozen chicken", "Tomatoes", "Yoghurt"] {
        let code = &sc.items.iter().find(|i| i.name_en == name).unwrap().code;
        assert!(delivered.contains(code.as_str()), "{name} is not at the delivery points");
    }
}
