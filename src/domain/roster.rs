//! The leading group (领导小组) and the 24-hour duty rota: people, their roles and duties, and
//! duty shifts with the duty officer and leader on call.
//! A leaf: imports nothing of the crate.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Head,
    Deputy,
    Member,
    OfficeDirector,
    OfficeDeputy,
    ZoneLead,
    PointManager,
    DutyStaff,
}

impl Role {
    pub const ALL: [Role; 8] = [
        Role::Head,
        Role::Deputy,
        Role::Member,
        Role::OfficeDirector,
        Role::OfficeDeputy,
        Role::ZoneLead,
        Role::PointManager,
        Role::DutyStaff,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::Head => "head",
            Role::Deputy => "deputy",
            Role::Member => "member",
            Role::OfficeDirector => "office_director",
            Role::OfficeDeputy => "office_deputy",
            Role::ZoneLead => "zone_lead",
            Role::PointManager => "point_manager",
            Role::DutyStaff => "duty_staff",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == text.trim())
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// Names are the people's keys: a duty rota names people, as the paper one does.
    pub name: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub unit: String,
    pub role: Role,
    /// Their responsibility in the division of duties (职责分工).
    #[serde(default)]
    pub duty: String,
    #[serde(default)]
    pub phone: String,
}

/// One shift of the 24-hour rota.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DutyShift {
    pub start: DateTime<FixedOffset>,
    pub end: DateTime<FixedOffset>,
    pub duty_officer: String,
    pub leader_on_call: String,
}

/// A logged handover: who handed the watch to whom, when, with what note.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Handover {
    /// The event that logged it.
    #[serde(default)]
    pub seq: u64,
    pub at: DateTime<FixedOffset>,
    pub from: String,
    pub to: String,
    #[serde(default)]
    pub note: String,
}
