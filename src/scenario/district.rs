//! A generated district at city scale, for benchmarks and for trying baogong as a city would:
//! 20 zones, 600 points (3 reserve depots, the rest delivery and convenience points), 3,000
//! villages, 60 items, and the demo town's history knobs stretched over them (about 24,000
//! carried point+item pairs, so ~25k opening-stock rows). Deterministic for its seed. Also
//! written as the CSV lists an office would import (`write_csv`). Builds on the demo scenario's
//! items, people and rota; imports the domain types only.

use super::{History, Scenario, Town};
use crate::domain::demand::Slot;
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
    /// 14). Items are the demo town's, repeated with new codes up to 60.
    pub fn district(seed: u64, history_days: u32) -> Result<Scenario> {
        let demo = Scenario::demo()?;
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let zones: Vec<Zone> = (0..ZONES)
            .map(|z| Zone { code: format!("Z{:02}", z + 1), name: format!("第{}片区", z + 1), lead: String::new() })
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
                manager: String::new(),
                phone: String::new(),
                carries: Vec::new(),
            });
        }
        let (items, history) = district_items(&demo)?;
        let slots = zone_slots(&zones);
        Ok(Scenario {
            town: Town { name: "示范区".into(), code: String::new(), seed, history_days },
            rota: demo.rota,
            zones,
            points,
            villages,
            items,
            people: demo.people,
            duty: Vec::new(),
            vehicles: Vec::new(),
            slots,
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
        let round = n / plain.len();
        let suffix = if round == 0 { String::new() } else { format!(" {}", round + 1) };
        items.push(Item {
            code,
            name_zh: format!("{}{suffix}", base.name_zh),
            name_en: format!("{}{suffix}", base.name_en),
            ..(*base).clone()
        });
    }
    let codes = |k: usize| items.iter().take(k).map(|i| i.code.clone()).collect::<Vec<_>>();
    let base_of = |code: &str| from.get(code).cloned().unwrap_or_default();
    let history = History {
        delivery_items: codes(DELIVERY_ITEMS),
        convenience_items: codes(CONVENIENCE_ITEMS),
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
