//! Kits: a recipe in the catalog, assembly earliest expiry first with the kit expiring with its
//! earliest component, unpacking back, the kit's cover counting what its components could still
//! make, and every refusal naming its field, changing nothing.

use crate::support::fixture::*;
use baogong::domain::catalog::{Component, Item};
use baogong::domain::command::{Command, Record};
use baogong::domain::rules::cover;
use baogong::domain::{ItemGroup, Qty, Reason};

/// A standard box: 5 kg of rice and 2 masks.
pub fn box_std() -> Item {
    Item {
        code: "box".into(),
        name_zh: "标准箱".into(),
        name_en: "Standard box".into(),
        group: ItemGroup::GrainOil,
        unit: "box".into(),
        norm_days: 0.0,
        max_days: None,
        per_household_daily: 0.01,
        components: vec![Component { item: "rice".into(), qty: u(5) }, Component { item: "mask".into(), qty: u(2) }],
    }
}

pub fn with_kit() -> Fx {
    let mut fx = Fx::new();
    fx.ok(Command::Upsert { records: vec![Record::Item(box_std())] });
    fx
}

pub fn assemble(point: &str, qty: Qty) -> Command {
    Command::Assemble { point: point.into(), kit: "box".into(), qty }
}

pub fn unpack(point: &str, qty: Qty) -> Command {
    Command::Unpack { point: point.into(), kit: "box".into(), qty }
}

#[test]
fn assembly_takes_components_earliest_expiry_first_and_the_kit_expires_with_the_earliest() {
    let mut fx = with_kit();
    fx.ok(restock_batch("P01", "rice", u(30), "R-LATE", date(30)));
    fx.ok(restock_batch("P01", "rice", u(20), "R-EARLY", date(20)));
    fx.ok(restock("P01", "mask", u(100)));
    let o = fx.ok(assemble("P01", u(6)));
    assert!(o.seq > 0);
    let s = fx.engine.state();
    assert_eq!(fx.qty("P01", "box"), u(6));
    assert_eq!(fx.qty("P01", "rice"), u(20), "30 kg went into 6 boxes");
    assert_eq!(fx.qty("P01", "mask"), u(88));
    let early = s.lots.get(&("P01".into(), "rice".into(), "R-EARLY".into()));
    assert!(early.is_none(), "the earliest batch is used up first");
    let late = &s.lots[&("P01".into(), "rice".into(), "R-LATE".into())];
    assert_eq!(late.qty, u(20));
    let kit_lot = s.lots_of("P01", "box").next().expect("kit lot").clone();
    assert_eq!(kit_lot.expiry, Some(date(20)), "the kit expires with its earliest component");
    fx.assert_check_clean();
    let fx = fx.reopen();
    assert_eq!(fx.qty("P01", "box"), u(6), "kits survive a reopen");
}

#[test]
fn unpacking_puts_the_components_back() {
    let mut fx = with_kit();
    fx.ok(restock_batch("P01", "rice", u(50), "R1", date(25)));
    fx.ok(restock("P01", "mask", u(20)));
    fx.ok(assemble("P01", u(10)));
    assert_eq!((fx.qty("P01", "rice"), fx.qty("P01", "mask")), (u(0), u(0)));
    fx.ok(unpack("P01", u(4)));
    assert_eq!(fx.qty("P01", "box"), u(6));
    assert_eq!((fx.qty("P01", "rice"), fx.qty("P01", "mask")), (u(20), u(8)));
    let back = fx.engine.state().lots_of("P01", "rice").next().expect("rice back").clone();
    assert_eq!(back.expiry, Some(date(25)), "components come back expiring with the kit");
    fx.assert_check_clean();
}

#[test]
fn assembling_without_the_components_is_refused_naming_what_is_short() {
    let mut fx = with_kit();
    fx.ok(restock("P01", "rice", u(12)));
    let r = fx.reject(assemble("P01", u(3)));
    assert_eq!(r.field, "kit");
    let Reason::ComponentsShort { point, short } = r.reason.clone() else { panic!("{r:?}") };
    assert_eq!(point, "P01");
    let named: Vec<(&str, &str, &str)> =
        short.iter().map(|s| (s.item.as_str(), s.needed.as_str(), s.held.as_str())).collect();
    assert_eq!(named, vec![("rice", "15", "12"), ("mask", "6", "0")]);
    let zh = r.message(baogong::domain::Lang::Zh);
    assert!(zh.contains("组件不足") && zh.contains("rice"), "{zh}");
}

#[test]
fn unpacking_more_than_held_is_refused() {
    let mut fx = with_kit();
    fx.ok(restock("P01", "rice", u(10)));
    fx.ok(restock("P01", "mask", u(4)));
    fx.ok(assemble("P01", u(2)));
    let r = fx.reject(unpack("P01", u(3)));
    assert_eq!(r.field, "qty");
    assert!(matches!(r.reason, Reason::BeyondStock { ref available, .. } if available == "2"), "{r:?}");
}

#[test]
fn an_unknown_kit_a_plain_item_and_a_part_of_a_kit_are_refused() {
    let mut fx = with_kit();
    fx.ok(restock("P01", "rice", u(10)));
    let unknown = fx.reject(Command::Assemble { point: "P01".into(), kit: "caviar".into(), qty: u(1) });
    assert_eq!((unknown.field.as_str(), &unknown.reason), ("kit", &Reason::UnknownKit { code: "caviar".into() }));
    let plain = fx.reject(Command::Unpack { point: "P01".into(), kit: "rice".into(), qty: u(1) });
    assert_eq!(plain.reason, Reason::UnknownKit { code: "rice".into() });
    let half = fx.reject(assemble("P01", Qty(1500)));
    assert!(matches!(half.reason, Reason::NotWhole { .. }), "{half:?}");
    let other = fx.reject_as(&clerk("P02"), assemble("P01", u(1)));
    assert!(matches!(other.reason, Reason::OtherPoint { .. }), "{other:?}");
}

#[test]
fn a_bad_recipe_is_refused() {
    let mut fx = with_kit();
    let named =
        |code: &str| Item { code: code.into(), name_zh: format!("{code} 箱"), name_en: code.into(), ..box_std() };
    let nested = Item { components: vec![Component { item: "box".into(), qty: u(2) }], ..named("crate") };
    let r = fx.reject(Command::Upsert { records: vec![Record::Item(nested)] });
    assert_eq!((r.field.as_str(), r.reason), ("components", Reason::KitInKit { code: "box".into() }));
    let kg = Item { unit: "kg".into(), ..named("bag") };
    let r = fx.reject(Command::Upsert { records: vec![Record::Item(kg)] });
    assert!(matches!(r.reason, Reason::KitCountedWhole { .. }), "{r:?}");
    let unknown = Item { components: vec![Component { item: "salt".into(), qty: u(1) }], ..named("bag") };
    let r = fx.reject(Command::Upsert { records: vec![Record::Item(unknown)] });
    assert_eq!(r.reason, Reason::UnknownItem { code: "salt".into() });
    let half = Item { components: vec![Component { item: "mask".into(), qty: Qty(500) }], ..named("bag") };
    assert!(matches!(fx.reject(Command::Upsert { records: vec![Record::Item(half)] }).reason, Reason::NotWhole { .. }));
}

#[test]
fn a_kits_cover_counts_what_its_components_could_still_make() {
    let mut fx = with_kit();
    fx.ok(restock("P01", "rice", u(52)));
    fx.ok(restock("P01", "mask", u(100)));
    fx.ok(assemble("P01", u(4)));
    // 32 kg of rice make 6 more boxes (masks would make 42).
    let kit = box_std();
    let made = cover::makeable(fx.engine.state(), "P01", &kit).expect("makeable");
    assert_eq!(made.qty, u(6));
    let c = cover::point_cover(fx.engine.state(), "P01", &kit, date(10));
    assert_eq!(c.qty, u(10), "4 assembled + 6 the components make");
    assert!(cover::makeable(fx.engine.state(), "P02", &kit).is_none(), "nothing at P02");
}

#[test]
fn kits_are_requested_and_dispatched_like_items() {
    let mut fx = with_kit();
    fx.ok(restock("P02", "rice", u(50)));
    fx.ok(restock("P02", "mask", u(20)));
    fx.ok(Command::Assemble { point: "P02".into(), kit: "box".into(), qty: u(10) });
    let q = fx
        .ok(Command::Request {
            requester: baogong::domain::demand::Requester::Village { code: "V02".into() },
            item: "box".into(),
            qty: u(6),
            by: date(11),
            slot: None,
            urgent: false,
            note: String::new(),
        })
        .request
        .expect("request");
    fx.ok(Command::Approve { request: q.clone(), qty: None, reason: String::new() });
    let mut send = to_village("P02", "V02", "box", u(6));
    if let Command::Dispatch { requests, .. } = &mut send {
        requests.push(q.clone());
    }
    fx.ok(send);
    assert_eq!(fx.qty("P02", "box"), u(4));
    let id = baogong::domain::demand::Request::parse_label(&q).expect("id");
    assert_eq!(fx.engine.state().requests[&id].dispatched(), u(6));
    fx.assert_check_clean();
}
