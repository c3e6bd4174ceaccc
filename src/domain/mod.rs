//! Pure types and rules of the supply ledger: no I/O, no clock, no sled. Everything here is a
//! function of its arguments, so every rule can be tested with a hand-made state and time.

pub mod alerts;
pub mod catalog;
pub mod command;
pub mod cover;
pub mod network;
pub mod plan;
pub mod qty;
pub mod reject;
pub mod roster;
pub mod state;
pub mod validate;

pub use catalog::{Item, ItemGroup};
pub use command::{Command, Dest, Event, Face, Resolved};
pub use network::{Point, PointKind, Vehicle, Village, Zone};
pub use qty::{Fen, Qty};
pub use reject::{Reason, Rejection};
pub use roster::{DutyShift, Handover, Person, Role};
pub use state::State;

use serde::{Deserialize, Serialize};

/// The language of messages and screens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    Zh,
    #[default]
    En,
}

impl Lang {
    /// `zh` for any Chinese locale string ("zh_CN.UTF-8", "zh"), else English.
    pub fn from_locale(value: &str) -> Lang {
        if value.to_ascii_lowercase().starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }

    /// Picks a language from `LC_ALL`, then `LANG`.
    pub fn from_env_vars(lc_all: Option<&str>, lang: Option<&str>) -> Lang {
        match (lc_all.filter(|v| !v.is_empty()), lang) {
            (Some(v), _) => Lang::from_locale(v),
            (None, Some(v)) => Lang::from_locale(v),
            (None, None) => Lang::En,
        }
    }

    /// Chooses between an English and a Chinese text.
    pub fn pick<'a>(self, en: &'a str, zh: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// Response level: routine, then the four escalating scenarios of the plans.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponseLevel {
    #[default]
    Routine,
    Level1,
    Level2,
    Level3,
    Level4,
}

impl ResponseLevel {
    pub const ALL: [ResponseLevel; 5] = [
        ResponseLevel::Routine,
        ResponseLevel::Level1,
        ResponseLevel::Level2,
        ResponseLevel::Level3,
        ResponseLevel::Level4,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ResponseLevel::Routine => "routine",
            ResponseLevel::Level1 => "level1",
            ResponseLevel::Level2 => "level2",
            ResponseLevel::Level3 => "level3",
            ResponseLevel::Level4 => "level4",
        }
    }

    /// Accepts "routine", "level2", or just "2".
    pub fn parse(text: &str) -> Option<ResponseLevel> {
        let t = text.trim().to_ascii_lowercase();
        ResponseLevel::ALL.into_iter().find(|l| l.code() == t || l.code().strip_prefix("level") == Some(t.as_str()))
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (ResponseLevel::Routine, Lang::En) => "Routine",
            (ResponseLevel::Level1, Lang::En) => "Scenario 1",
            (ResponseLevel::Level2, Lang::En) => "Scenario 2",
            (ResponseLevel::Level3, Lang::En) => "Scenario 3",
            (ResponseLevel::Level4, Lang::En) => "Scenario 4",
            (ResponseLevel::Routine, Lang::Zh) => "常态",
            (ResponseLevel::Level1, Lang::Zh) => "情形一",
            (ResponseLevel::Level2, Lang::Zh) => "情形二",
            (ResponseLevel::Level3, Lang::Zh) => "情形三",
            (ResponseLevel::Level4, Lang::Zh) => "情形四",
        }
    }
}

/// Who may do what: the engine checks every command against the caller's access.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Access {
    Officer,
    Point(String),
    Viewer,
}

impl Access {
    /// Parses `officer`, `viewer`, `point:P01`.
    pub fn parse(text: &str) -> Option<Access> {
        match text.trim() {
            "officer" => Some(Access::Officer),
            "viewer" => Some(Access::Viewer),
            t => t.strip_prefix("point:").filter(|p| !p.is_empty()).map(|p| Access::Point(p.to_string())),
        }
    }
}
