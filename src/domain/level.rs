//! The response level in force. A leaf: imports only `lang`.

use super::lang::Lang;
use serde::{Deserialize, Serialize};

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

    /// The level as the plans name their four scenarios (情景一 to 情景四).
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (ResponseLevel::Routine, Lang::En) => "Routine",
            (ResponseLevel::Level1, Lang::En) => "1 sporadic imported cases",
            (ResponseLevel::Level2, Lang::En) => "2 untraced cases, clusters",
            (ResponseLevel::Level3, Lang::En) => "3 local outbreak",
            (ResponseLevel::Level4, Lang::En) => "4 community transmission",
            (ResponseLevel::Routine, Lang::Zh) => "常态",
            (ResponseLevel::Level1, Lang::Zh) => "情景一 散发输入",
            (ResponseLevel::Level2, Lang::Zh) => "情景二 来源不明散发及聚集",
            (ResponseLevel::Level3, Lang::Zh) => "情景三 本地暴发",
            (ResponseLevel::Level4, Lang::Zh) => "情景四 持续社区传播",
        }
    }
}
