//! A generated district at city scale, for benchmarks and for trying baogong as a city would:
//! 20 zones, 600 points (3 reserve depots, the rest delivery and convenience points), 3,000
//! villages, 60 items, and the demo town's history knobs stretched over them (about 24,000
//! carried point+item pairs, so ~25k opening-stock rows). Deterministic for its seed. Also
//! written as the CSV lists an office would import (`write_csv`). Builds on the demo scenario's
//! items (each of the sixty under its own real name), office people and rota, with a named lead
//! for every zone and a named manager and mobile for every point; imports the domain types only.

use super::{History, Scenario, Town, VehicleSpec};
use crate::domain::demand::Slot;
use crate::domain::roster::{Person, Role};
use crate::domain::{Item, Point, PointKind, Village, Zone};
use color_eyre::eyre::{eyre, Result, WrapErr};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;
use std::path::Path;

pub const ZONES: usize = 20;
pub const POINTS: usize = 600;
pub const DEPOTS: usize = 3;
pub const VILLAGES: usize = 3_000;
pub const ITEMS: usize = 60;
/// Items a delivery point carries; a convenience point carries the first `CONVENIENCE_ITEMS`.
pub const DELIVERY_ITEMS: usize = 44;
pub const CONVENIENCE_ITEMS: usize = 25;

pub fn point_code(n: usize) -> String {
    format!("P{:04}", n + 1)
}

pub fn item_code(n: usize) -> String {
    format!("I{:03}", n + 1)
}

impl Scenario {
    /// The generated district with `history_days` days of history (the district has
    /// 14). Items are the demo town's plain items and, past them, a second list of real
    /// supplies of the same groups and units (`SECOND_NAMES`), so no two items share a name.
    pub fn district(seed: u64, history_days: u32) -> Result<Scenario> {
        let demo = Scenario::demo()?;
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let names = fresh_names(ZONES + POINTS, &demo.people)?;
        let zones: Vec<Zone> = (0..ZONES)
            .map(|z| Zone {
                code: format!("Z{:02}", z + 1), name: format!("第{}片区", z + 1), lead: names[z].clone()
            })
            .collect();
        let mut points = Vec::with_capacity(POINTS);
        let mut villages = Vec::with_capacity(VILLAGES);
        for p in 0..POINTS {
            let code = point_code(p);
            let kind = match p {
                _ if p < DEPOTS => PointKind::Depot,
                _ if p % 5 == 4 => PointKind::Convenience,
                _ => PointKind::Delivery,
            };
            let mut households = 0u32;
            if kind != PointKind::Depot {
                // 3,000 villages over the 597 points: five each, six for the first few.
                let share = VILLAGES / (POINTS - DEPOTS) + usize::from(p - DEPOTS < VILLAGES % (POINTS - DEPOTS));
                for _ in 0..share {
                    let hh = rng.random_range(120..360);
                    households += hh;
                    let n = villages.len() + 1;
                    villages.push(Village {
                        code: format!("V{n:05}"),
                        name: format!("{n}村"),
                        point: code.clone(),
                        households: hh,
                        checkpoint: String::new(),
                    });
                }
            }
            points.push(Point {
                code,
                name: format!("保供点{}", p + 1),
                kind,
                zone: format!("Z{:02}", p % ZONES + 1),
                households,
                population: households * 3,
                staff: 6,
                vehicles: 2,
                manager: names[ZONES + p].clone(),
                phone: mobile(ZONES + p),
                carries: Vec::new(),
            });
        }
        let (items, history) = district_items(&demo)?;
        let slots = zone_slots(&zones);
        let people = district_people(demo.people, &zones, &points);
        let vehicles = district_vehicles(&points);
        Ok(Scenario {
            town: Town { name: "示范区".into(), code: String::new(), seed, history_days },
            rota: demo.rota,
            zones,
            points,
            villages,
            items,
            people,
            duty: Vec::new(),
            vehicles,
            slots,
            levels: demo.levels,
            history: Some(history),
        })
    }

    /// Writes the district's lists as the CSV files `import` reads: `zones.csv`, `points.csv`,
    /// `villages.csv`, `items.csv` and `stock.csv` (one row per carried pair, some days of its
    /// norm, `rows` rows at most).
    pub fn write_csv(&self, dir: &Path, rows: usize) -> Result<()> {
        std::fs::create_dir_all(dir).wrap_err_with(|| format!("creating {}", dir.display()))?;
        write_list(&dir.join("zones.csv"), &self.zones)?;
        write_list(&dir.join("points.csv"), &self.points)?;
        write_list(&dir.join("villages.csv"), &self.villages)?;
        write_list(&dir.join("items.csv"), &self.items)?;
        let path = dir.join("stock.csv");
        let mut w = csv::Writer::from_path(&path).wrap_err_with(|| format!("writing {}", path.display()))?;
        w.write_record(["point", "item", "qty", "batch"])?;
        let h = self.history.as_ref().ok_or_else(|| eyre!("the district has no history knobs"))?;
        let mut n = 0;
        'points: for p in &self.points {
            let carried = match p.kind {
                PointKind::Depot => &self.items.iter().map(|i| i.code.clone()).collect(),
                PointKind::Convenience => &h.convenience_items,
                _ => &h.delivery_items,
            };
            for code in carried {
                if n == rows {
                    break 'points;
                }
                let qty = 50 + (n * 37) % 900;
                w.write_record([p.code.as_str(), code.as_str(), &qty.to_string(), &format!("B{}", n % 7)])?;
                n += 1;
            }
        }
        w.flush().wrap_err_with(|| format!("writing {}", path.display()))?;
        Ok(())
    }
}

/// Every zone's two delivery slots: a morning of three trips per vehicle, an afternoon of two.
fn zone_slots(zones: &[Zone]) -> Vec<Slot> {
    let hm = |h: u32, m: u32| chrono::NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default();
    let slot = |zone: &Zone, code: &str, start, end, trips| Slot {
        zone: zone.code.clone(),
        code: code.into(),
        start,
        end,
        trips,
        days: Vec::new(),
    };
    zones
        .iter()
        .flat_map(|z| [slot(z, "AM", hm(8, 0), hm(11, 30), 3), slot(z, "PM", hm(14, 0), hm(17, 30), 2)])
        .collect()
}

fn write_list<T: serde::Serialize>(path: &Path, rows: &[T]) -> Result<()> {
    let mut w = csv::Writer::from_path(path).wrap_err_with(|| format!("writing {}", path.display()))?;
    for r in rows {
        w.serialize(r)?;
    }
    w.flush().wrap_err_with(|| format!("writing {}", path.display()))?;
    Ok(())
}

/// Sixty items from the demo's, and the history knobs mapped onto the new codes.
fn district_items(demo: &Scenario) -> Result<(Vec<Item>, History)> {
    let dh = demo.history.as_ref().ok_or_else(|| eyre!("the demo scenario has no history"))?;
    let mut items = Vec::with_capacity(ITEMS);
    let mut from: BTreeMap<String, String> = BTreeMap::new();
    // The demo's kits are made of the demo's items: the district has plain items only.
    let plain: Vec<&Item> = demo.items.iter().filter(|i| !i.is_kit()).collect();
    for n in 0..ITEMS {
        let base = plain.get(n % plain.len().max(1)).ok_or_else(|| eyre!("the demo scenario has no items"))?;
        let code = item_code(n);
        from.insert(code.clone(), base.code.clone());
        let (name_zh, name_en) = match n / plain.len().max(1) {
            0 => (base.name_zh.clone(), base.name_en.clone()),
            _ => second_name(n % plain.len().max(1), base)?,
        };
        items.push(Item { code, name_zh, name_en, ..(*base).clone() });
    }
    let base_of = |code: &str| from.get(code).cloned().unwrap_or_default();
    let life = |code: &str| dh.shelf_life.get(&base_of(code)).copied();
    let history = History {
        delivery_items: delivery_items(&items, plain.len(), life),
        convenience_items: items.iter().take(CONVENIENCE_ITEMS).map(|i| i.code.clone()).collect(),
        prices: items.iter().filter_map(|i| dh.prices.get(&base_of(&i.code)).map(|p| (i.code.clone(), *p))).collect(),
        shelf_life: (items.iter())
            .filter_map(|i| dh.shelf_life.get(&base_of(&i.code)).map(|d| (i.code.clone(), *d)))
            .collect(),
        stockout: Vec::new(),
        short: Vec::new(),
        missing_report: None,
        price_spike: None,
        outflow_spike: None,
        in_transit: None,
        expiring: None,
        assembled: Vec::new(),
    };
    Ok((items, history))
}

/// The `DELIVERY_ITEMS` a delivery point carries: the first list (the demo's `first_list` items), then every item the depots do
/// not stock (fresh food, shelf life under 30 days, and medicines), then storable items in order.
/// The items left over are reserves only the depots hold. So every item is carried somewhere:
/// none reads stocked out town-wide for want of a point that carries it.
fn delivery_items(items: &[Item], first_list: usize, life: impl Fn(&str) -> Option<i64>) -> Vec<String> {
    let depot_only = |i: &Item| life(&i.code).is_none_or(|d| d >= 30) && i.group != crate::domain::ItemGroup::Medicine;
    let (first, second) = items.split_at(items.len().min(first_list));
    let must = second.iter().filter(|i| !depot_only(i));
    let rest = second.iter().filter(|i| depot_only(i));
    first.iter().chain(must).chain(rest).take(DELIVERY_ITEMS).map(|i| i.code.clone()).collect()
}

/// The second sixty's names, by the demo's plain items in their order: a supply of the same
/// group and unit as the item it takes its norms from.
const SECOND_NAMES: [(&str, &str); 31] = [
    ("一次性连体防护服", "Coverall"),
    ("手术衣", "Surgical gown"),
    ("KN95口罩", "KN95 mask"),
    ("儿童医用口罩", "Child medical mask"),
    ("防尘口罩", "Dust mask"),
    ("防护面罩", "Face visor"),
    ("丁腈手套", "Nitrile gloves"),
    ("防水靴套", "Boot covers"),
    ("一次性帽子", "Disposable cap"),
    ("PE手套", "PE gloves"),
    ("电子体温计", "Digital thermometer"),
    ("额温枪", "Forehead thermometer"),
    ("含氯消毒片", "Chlorine tablets"),
    ("洗手液", "Liquid hand soap"),
    ("酒精湿巾", "Alcohol wipes"),
    ("小米", "Millet"),
    ("挂面", "Dried noodles"),
    ("花生油", "Peanut oil"),
    ("牛肉", "Beef"),
    ("冻鸡肉", "Frozen chicken"),
    ("洋葱", "Onions"),
    ("萝卜", "Radishes"),
    ("西红柿", "Tomatoes"),
    ("咸鸭蛋", "Salted duck eggs"),
    ("酸奶", "Yoghurt"),
    ("婴儿米粉", "Infant rice cereal"),
    ("速冻饺子", "Frozen dumplings"),
    ("桶装水", "Water, large jug"),
    ("二甲双胍片", "Metformin tablets"),
    ("血糖试纸", "Glucose test strips"),
    ("阿司匹林肠溶片", "Aspirin tablets"),
];

fn second_name(n: usize, base: &Item) -> Result<(String, String)> {
    let (zh, en) =
        SECOND_NAMES.get(n).ok_or_else(|| eyre!("no second name for the district's item after {}", base.code))?;
    Ok(((*zh).to_string(), (*en).to_string()))
}

const SURNAMES: [&str; 30] = [
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马",
    "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧",
];
const GIVEN: [&str; 30] = [
    "建国", "秀英", "志强", "桂兰", "海波", "丽娟", "德胜", "玉梅", "振东", "春燕", "国华", "淑芬", "永生", "红梅",
    "建平", "小燕", "东升", "丽萍", "志明", "雪梅", "文涛", "建军", "美玲", "长海", "凤兰", "晓明", "卫东", "秀云",
    "立新", "桂芳",
];

/// `count` people's names none of the office's people has: the stride 17 is prime to the 900
/// surname and given-name pairs, so it visits each pair once.
fn fresh_names(count: usize, office: &[Person]) -> Result<Vec<String>> {
    let pairs = SURNAMES.len() * GIVEN.len();
    let names: Vec<String> = (0..pairs)
        .map(|k| (k * 17) % pairs)
        .map(|j| format!("{}{}", SURNAMES[j / GIVEN.len()], GIVEN[j % GIVEN.len()]))
        .filter(|n| !office.iter().any(|p| &p.name == n))
        .take(count)
        .collect();
    match names.len() == count {
        true => Ok(names),
        false => Err(eyre!("the district needs {count} names and has {}", names.len())),
    }
}

/// Person `k`'s mobile: eleven digits, distinct for every `k`.
fn mobile(k: usize) -> String {
    format!("139{:08}", (k * 7_919 + 1_234_567) % 100_000_000)
}

/// The demo office's people (its zone leads and point managers left out), every zone's lead and
/// every point's manager, each with a mobile.
fn district_people(people: Vec<Person>, zones: &[Zone], points: &[Point]) -> Vec<Person> {
    let office = people.into_iter().filter(|p| !matches!(p.role, Role::ZoneLead | Role::PointManager));
    let leads = zones.iter().enumerate().map(|(z, zone)| Person {
        name: zone.lead.clone(),
        title: "片区负责人".into(),
        unit: zone.name.clone(),
        role: Role::ZoneLead,
        duty: format!("{}保供", zone.name),
        phone: mobile(z),
    });
    let managers = points.iter().map(|p| Person {
        name: p.manager.clone(),
        title: "保供点负责人".into(),
        unit: p.name.clone(),
        role: Role::PointManager,
        duty: format!("{}收发与盘点", p.name),
        phone: p.phone.clone(),
    });
    office.chain(leads).chain(managers).collect()
}

/// Every point's vehicles, each with a pass: most run 1-4 weeks, every 53rd has lapsed yesterday
/// and every 31st ends tomorrow, so the district has passes to renew.
fn district_vehicles(points: &[Point]) -> Vec<VehicleSpec> {
    const LETTERS: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
    let mut n = 0usize;
    let mut vehicles = Vec::new();
    for p in points {
        for _ in 0..p.vehicles {
            n += 1;
            let letter = char::from(LETTERS[n % LETTERS.len()]);
            let valid_days = match n {
                _ if n.is_multiple_of(53) => -1,
                _ if n.is_multiple_of(31) => 1,
                _ => 7 + (n * 11 % 22) as i64,
            };
            vehicles.push(VehicleSpec {
                plate: format!("冀{letter}{:05}", (n * 7_411) % 100_000),
                point: p.code.clone(),
                pass_no: format!("TX{n:05}"),
                valid_days,
            });
        }
    }
    vehicles
}
