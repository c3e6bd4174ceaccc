//! Kit rows for `kits` and the faces: each kit with its components, the kits assembled across
//! the town and those the components at each point could still make (`rules::cover::makeable`);
//! the JSON names are those of the kit import. Cost: O(kits × points × components × their
//! lots), a handful of kits over the points.

use crate::domain::catalog::Component;
use crate::domain::qty::Qty;
use crate::domain::rules::cover::makeable;
use crate::domain::state::State;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct KitRow {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub group: &'static str,
    pub unit: String,
    pub norm_days: f64,
    pub components: Vec<Component>,
    /// Kits assembled (or received as kits), at every point.
    #[serde(serialize_with = "units")]
    pub held: Qty,
    /// Kits the components at the points could still make, point by point.
    #[serde(serialize_with = "units")]
    pub makeable: Qty,
}

fn units<S: serde::Serializer>(q: &Qty, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(q.as_f64())
}

pub fn rows(state: &State) -> Vec<KitRow> {
    state
        .items
        .values()
        .filter(|i| i.is_kit())
        .map(|k| {
            let held = state.lots.values().filter(|l| l.item == k.code).map(|l| l.qty).sum();
            let makeable = state.points.keys().filter_map(|p| makeable(state, p, k)).map(|l| l.qty).sum();
            KitRow {
                code: k.code.clone(),
                name_zh: k.name_zh.clone(),
                name_en: k.name_en.clone(),
                group: k.group.code(),
                unit: k.unit.clone(),
                norm_days: k.norm_days,
                components: k.components.clone(),
                held,
                makeable,
            }
        })
        .collect()
}

/// `rice=5 oil=1`: the components as the import writes them.
pub fn components_text(components: &[Component]) -> String {
    components.iter().map(|c| format!("{}={}", c.item, c.qty)).collect::<Vec<_>>().join(" ")
}
