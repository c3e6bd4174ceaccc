//! The delivery network: zones, points (depots, delivery and convenience points, transfer
//! stations, drop points), the villages and communities they serve, and vehicles with passes.
//! A leaf: imports nothing of the crate.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Zone {
    pub code: String,
    pub name: String,
    /// The zone lead (片区负责人), a person's name.
    #[serde(default)]
    pub lead: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PointKind {
    /// 储备库: the town reserve depot.
    Depot,
    /// 集中送货点 at a supermarket.
    Delivery,
    /// 便利保障点.
    Convenience,
    /// 区级物资转运站.
    Transfer,
    /// 社区物资投放点.
    Drop,
}

impl PointKind {
    pub const ALL: [PointKind; 5] =
        [PointKind::Depot, PointKind::Delivery, PointKind::Convenience, PointKind::Transfer, PointKind::Drop];

    pub fn code(self) -> &'static str {
        match self {
            PointKind::Depot => "depot",
            PointKind::Delivery => "delivery",
            PointKind::Convenience => "convenience",
            PointKind::Transfer => "transfer",
            PointKind::Drop => "drop",
        }
    }

    pub fn parse(text: &str) -> Option<PointKind> {
        PointKind::ALL.into_iter().find(|k| k.code() == text.trim())
    }

    /// Points that serve households directly owe a daily report.
    pub fn reports_daily(self) -> bool {
        !matches!(self, PointKind::Depot | PointKind::Transfer)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Point {
    pub code: String,
    pub name: String,
    pub kind: PointKind,
    pub zone: String,
    #[serde(default)]
    pub households: u32,
    #[serde(default)]
    pub population: u32,
    #[serde(default)]
    pub staff: u32,
    #[serde(default)]
    pub vehicles: u32,
    #[serde(default)]
    pub manager: String,
    #[serde(default)]
    pub phone: String,
    /// Items the point is meant to carry even before it first holds them (scenario `carries`,
    /// import column `carries`): without stock they count as stocked out. Items it has ever
    /// held are carried anyway.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub carries: Vec<String>,
}

/// A village (村) or residential community (小区), served by one point at its checkpoint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Village {
    pub code: String,
    pub name: String,
    pub point: String,
    #[serde(default)]
    pub households: u32,
    /// The village checkpoint (村卡口) where goods are handed over.
    #[serde(default)]
    pub checkpoint: String,
}

/// A supply vehicle and its pass (通行证).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vehicle {
    /// Plate number, the vehicle's code.
    pub plate: String,
    pub point: String,
    pub pass_no: String,
    pub pass_valid_until: NaiveDate,
}
