//! Hotline cases (热线工单, id `K…`): a resident's call logged with its caller, where it comes
//! from (a village, or a household on the register), what it is about, and its life from open
//! through assigned and resolved to closed, or reopened. When a case is due follows from its
//! priority and the hours configured (`[alerts] case_urgent_hours`, `case_normal_hours`); the
//! caller's name and phone are personal data (`masked`). A leaf: imports only other leaf types.

use super::alerts::Thresholds;
use super::lang::Lang;
use chrono::{DateTime, Duration, FixedOffset};
use serde::{Deserialize, Serialize};

/// What a call is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseKind {
    Shortage,
    Price,
    Quality,
    DeliveryMissed,
    Medical,
    Other,
}

impl CaseKind {
    pub const ALL: [CaseKind; 6] = [
        CaseKind::Shortage,
        CaseKind::Price,
        CaseKind::Quality,
        CaseKind::DeliveryMissed,
        CaseKind::Medical,
        CaseKind::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            CaseKind::Shortage => "shortage",
            CaseKind::Price => "price",
            CaseKind::Quality => "quality",
            CaseKind::DeliveryMissed => "delivery_missed",
            CaseKind::Medical => "medical",
            CaseKind::Other => "other",
        }
    }

    pub fn parse(text: &str) -> Option<CaseKind> {
        CaseKind::ALL.into_iter().find(|k| k.code() == text.trim())
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            CaseKind::Shortage => lang.pick("shortage", "缺货"),
            CaseKind::Price => lang.pick("price", "价格"),
            CaseKind::Quality => lang.pick("quality", "质量"),
            CaseKind::DeliveryMissed => lang.pick("delivery missed", "未送达"),
            CaseKind::Medical => lang.pick("medical", "就医购药"),
            CaseKind::Other => lang.pick("other", "其他"),
        }
    }
}

/// Where a case stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    Open,
    Assigned,
    Resolved,
    Closed,
}

impl CaseStatus {
    pub const ALL: [CaseStatus; 4] = [CaseStatus::Open, CaseStatus::Assigned, CaseStatus::Resolved, CaseStatus::Closed];

    pub fn code(self) -> &'static str {
        match self {
            CaseStatus::Open => "open",
            CaseStatus::Assigned => "assigned",
            CaseStatus::Resolved => "resolved",
            CaseStatus::Closed => "closed",
        }
    }

    pub fn parse(text: &str) -> Option<CaseStatus> {
        CaseStatus::ALL.into_iter().find(|s| s.code() == text.trim())
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            CaseStatus::Open => lang.pick("open", "待处理"),
            CaseStatus::Assigned => lang.pick("assigned", "已派单"),
            CaseStatus::Resolved => lang.pick("resolved", "已办结"),
            CaseStatus::Closed => lang.pick("closed", "已关闭"),
        }
    }

    /// Still waiting for someone to act: open or assigned.
    pub fn is_pending(self) -> bool {
        matches!(self, CaseStatus::Open | CaseStatus::Assigned)
    }
}

/// How long a case may wait (`[alerts]`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CaseHours {
    pub urgent: i64,
    pub normal: i64,
}

/// One hotline case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    pub id: u64,
    pub at: DateTime<FixedOffset>,
    /// Who called, and their phone.
    pub caller: String,
    pub phone: String,
    /// The village the call is about (the household's, when one is named).
    pub village: String,
    #[serde(default)]
    pub household: Option<String>,
    pub kind: CaseKind,
    #[serde(default)]
    pub item: Option<String>,
    pub text: String,
    #[serde(default)]
    pub urgent: bool,
    pub status: CaseStatus,
    /// When the clock for its due time started: taken, or last reopened.
    pub since: DateTime<FixedOffset>,
    #[serde(default)]
    pub assigned_to: Option<String>,
    #[serde(default)]
    pub resolution: Option<String>,
    /// The request made for it (`Q…`).
    #[serde(default)]
    pub request: Option<u64>,
    #[serde(default)]
    pub resolved_at: Option<DateTime<FixedOffset>>,
    /// The OS user who took the call.
    pub taken_by: String,
    /// Personal data blanked for this reader (never stored so).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub masked: bool,
}

impl CaseHours {
    pub fn of(th: &Thresholds) -> CaseHours {
        CaseHours { urgent: th.case_urgent_hours, normal: th.case_normal_hours }
    }
}

impl Case {
    pub fn label(id: u64) -> String {
        format!("K{id}")
    }

    /// Parses "K12", "k12" or "12".
    pub fn parse_label(text: &str) -> Option<u64> {
        let t = text.trim();
        t.strip_prefix(['K', 'k']).unwrap_or(t).parse().ok()
    }

    /// When it is due: its priority's hours after it was taken (or reopened).
    pub fn due(&self, hours: CaseHours) -> DateTime<FixedOffset> {
        self.since + Duration::hours(if self.urgent { hours.urgent } else { hours.normal })
    }

    /// Open or assigned past its due time.
    pub fn overdue(&self, now: DateTime<FixedOffset>, hours: CaseHours) -> bool {
        self.status.is_pending() && now > self.due(hours)
    }

    /// The same case with the caller's name and phone blanked.
    pub fn masked(&self) -> Case {
        Case { caller: String::new(), phone: String::new(), masked: true, ..self.clone() }
    }
}
