//! The people who cannot wait, in a generated history: a register of vulnerable households
//! (a few dozen across the villages, in three batches registered on different days, so some
//! named deliveries fall due today, some are overdue and most lie ahead) and a day of hotline
//! calls, some assigned and resolved since. Items are chosen by group, so any catalog with grain,
//! eggs and milk and medicine will do. Deterministic: no random draw (the history's random stream
//! stays as it was). Imports domain types only.

use super::Scenario;
use crate::domain::catalog::{Item, ItemGroup};
use crate::domain::command::Command;
use crate::domain::hotline::CaseKind;
use crate::domain::household::{HouseholdChange, NeedSpec};
use crate::domain::Qty;

/// Households on the demo register.
pub const HOUSEHOLDS: usize = 36;
/// Calls taken in the day before seeding.
pub const CALLS: usize = 18;
/// Days before today each registration batch was made.
pub const BATCH_DAYS_AGO: [i64; 3] = [9, 5, 2];

const SURNAMES: [&str; 10] = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"];
const GIVEN: [&str; 8] = ["秀英", "桂兰", "建国", "玉珍", "德福", "淑芬", "长海", "凤兰"];

fn first_of(sc: &Scenario, group: ItemGroup) -> Option<&Item> {
    sc.items.iter().find(|i| i.group == group)
}

fn need(item: &Item, qty: i64, every_days: u32) -> NeedSpec {
    NeedSpec { item: item.code.clone(), qty: Qty::units(qty), every_days }
}

/// The code of household `n`.
pub fn code(n: usize) -> String {
    format!("H{:03}", n + 1)
}

/// The households of registration batch `batch` (0, 1, 2).
pub fn households(sc: &Scenario, batch: usize) -> Vec<HouseholdChange> {
    let medicine: Vec<&Item> = sc.items.iter().filter(|i| i.group == ItemGroup::Medicine).collect();
    let (grain, milk) = (first_of(sc, ItemGroup::GrainOil), first_of(sc, ItemGroup::EggsMilk));
    if sc.villages.is_empty() {
        return Vec::new();
    }
    let step = (sc.villages.len() / HOUSEHOLDS).max(1);
    (0..HOUSEHOLDS)
        .filter(|n| n % 3 == batch)
        .map(|n| {
            let village = &sc.villages[(n * step) % sc.villages.len()];
            let (categories, needs): (Vec<&str>, Vec<NeedSpec>) = match n % 4 {
                0 => (
                    vec!["elderly_alone", "chronic_disease"],
                    medicine.get(n % medicine.len().max(1)).map(|m| need(m, 1, 7)).into_iter().collect(),
                ),
                1 => (vec!["elderly_alone"], grain.map(|g| need(g, 5, 7)).into_iter().collect()),
                2 => (vec!["infant"], milk.map(|m| need(m, 2, 10)).into_iter().collect()),
                _ => (vec!["disabled", "low_income"], grain.map(|g| need(g, 10, 14)).into_iter().collect()),
            };
            HouseholdChange {
                code: code(n),
                name: Some(format!("{}{}", SURNAMES[n % SURNAMES.len()], GIVEN[n % GIVEN.len()])),
                village: Some(village.code.clone()),
                address: Some(format!("{}{}号", village.name, 10 + n)),
                phone: Some(format!("139{:08}", 31_000_000 + n * 7919)),
                categories: Some(categories.into_iter().map(String::from).collect()),
                needs: Some(needs),
                responsible: Some(format!("{}书记", SURNAMES[(n + 3) % SURNAMES.len()])),
                responsible_phone: Some(format!("137{:08}", 52_000_000 + n * 31)),
                note: None,
            }
        })
        .collect()
}

/// Call `k` (0-based) of the day: a resident about a village or a household on the register
/// (`registered`: whether a household is yet; if not, the call is about its village).
pub fn call(sc: &Scenario, k: usize, registered: impl Fn(&str) -> bool) -> Option<Command> {
    let village = sc.villages.get((k * 5) % sc.villages.len().max(1))?;
    let grain = first_of(sc, ItemGroup::GrainOil).map(|i| i.code.clone());
    let medicine = first_of(sc, ItemGroup::Medicine).map(|i| i.code.clone());
    let (kind, item, text, household) = match k % 6 {
        0 => (CaseKind::Shortage, grain, "超市买不到大米", None),
        1 => (CaseKind::Price, first_of(sc, ItemGroup::Meat).map(|i| i.code.clone()), "猪肉涨价太快", None),
        2 => (CaseKind::DeliveryMissed, None, "约好的配送没有送到", Some(code(k % HOUSEHOLDS))),
        3 => (CaseKind::Medical, medicine, "老人降压药快吃完了", Some(code(k % HOUSEHOLDS))),
        4 => (CaseKind::Quality, first_of(sc, ItemGroup::Vegetables).map(|i| i.code.clone()), "送来的菜不新鲜", None),
        _ => (CaseKind::Other, None, "询问出行证明怎么办", None),
    };
    let household = household.filter(|h| registered(h));
    Some(Command::Case {
        caller: format!("{}先生", SURNAMES[(k + 5) % SURNAMES.len()]),
        phone: format!("135{:08}", 70_000_000 + k * 4271),
        village: household.is_none().then(|| village.code.clone()),
        household,
        kind,
        item,
        text: text.to_string(),
        urgent: kind == CaseKind::Medical,
    })
}

/// The medicines the depot holds for the households' needs: a fixed quantity of each, no
/// random draw.
pub fn medicine_stock(sc: &Scenario) -> Vec<Command> {
    let Some(depot) = sc.points.iter().find(|p| p.kind == crate::domain::PointKind::Depot) else { return Vec::new() };
    (sc.items.iter().filter(|i| i.group == ItemGroup::Medicine))
        .map(|i| Command::Restock {
            point: depot.code.clone(),
            item: i.code.clone(),
            qty: Qty::units(500),
            source: crate::domain::command::Source::Supplier,
            batch: None,
            expiry: None,
            note: String::new(),
        })
        .collect()
}
