//! The catalog: items, their groups, units and reserve norms (days of cover). Pure data; the
//! norms themselves come from the scenario file, never from code.
//! A leaf: imports only `lang` and `qty`.

use super::qty::Qty;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemGroup {
    /// 防护用品: suits, gowns, masks, gloves, thermometers.
    Protective,
    /// 消杀用品: 84 disinfectant, hand sanitiser, alcohol.
    Disinfection,
    /// 成品粮油.
    GrainOil,
    /// 猪肉 and other meat, aquatic products.
    Meat,
    /// 耐储蔬菜 and fresh vegetables.
    Vegetables,
    /// 蛋奶: eggs, milk, infant formula.
    EggsMilk,
    /// Other daily necessities: instant food, bottled water.
    Other,
    /// 药品: the medicines households with chronic disease need regularly.
    Medicine,
}

impl ItemGroup {
    pub const ALL: [ItemGroup; 8] = [
        ItemGroup::Protective,
        ItemGroup::Disinfection,
        ItemGroup::GrainOil,
        ItemGroup::Meat,
        ItemGroup::Vegetables,
        ItemGroup::EggsMilk,
        ItemGroup::Other,
        ItemGroup::Medicine,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ItemGroup::Protective => "protective",
            ItemGroup::Disinfection => "disinfection",
            ItemGroup::GrainOil => "grain_oil",
            ItemGroup::Meat => "meat",
            ItemGroup::Vegetables => "vegetables",
            ItemGroup::EggsMilk => "eggs_milk",
            ItemGroup::Other => "other",
            ItemGroup::Medicine => "medicine",
        }
    }

    pub fn parse(text: &str) -> Option<ItemGroup> {
        ItemGroup::ALL.into_iter().find(|g| g.code() == text.trim())
    }
}

/// An item of supply, with the reserve norm that applies to it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub group: ItemGroup,
    /// kg, box, piece, bottle, pack, L ...
    pub unit: String,
    /// Days of cover the reserve norm asks for.
    pub norm_days: f64,
    /// Above this many days of cover the stock is "over".
    #[serde(default)]
    pub max_days: Option<f64>,
    /// Consumption per household per day, in the item's unit, used where there is no history.
    #[serde(default)]
    pub per_household_daily: f64,
    /// A kit (standard box, vegetable pack) is an item made of others: what one unit of it holds.
    /// Empty for an ordinary item. A kit is stocked, requested, dispatched and reported like any
    /// item; `Assemble` and `Unpack` turn components into kits and back.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<Component>,
}

/// One component of a kit: an item and how much of it one kit holds, in the item's unit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Component {
    pub item: String,
    /// Written as a decimal in the item's unit ("5", "0.5"), in files and in events alike.
    #[serde(with = "super::qty::in_units")]
    pub qty: Qty,
}

impl Item {
    /// Whether the unit can be split (kg, L); boxes, pieces and bottles are counted whole.
    pub fn divisible(&self) -> bool {
        matches!(
            self.unit.trim().to_ascii_lowercase().as_str(),
            "kg" | "g" | "l" | "ml" | "t" | "公斤" | "千克" | "斤" | "升"
        )
    }

    pub fn is_kit(&self) -> bool {
        !self.components.is_empty()
    }

    pub fn name(&self, lang: super::lang::Lang) -> &str {
        match lang {
            super::lang::Lang::Zh => &self.name_zh,
            super::lang::Lang::En => &self.name_en,
        }
    }
}
