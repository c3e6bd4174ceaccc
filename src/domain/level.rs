//! The response level in force, with each level's built-in name and one-line meaning (what the
//! plans say it is and what changes), and a town's own names and meanings for it (`LevelName`,
//! a scenario's `[[levels]]`). A leaf: imports only `lang`.

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

    /// The level's number: 0 for routine, 1 to 4 for the scenarios.
    pub fn number(self) -> u8 {
        self as u8
    }

    /// The level of a number 0 to 4.
    pub fn of_number(n: u8) -> Option<ResponseLevel> {
        ResponseLevel::ALL.get(n as usize).copied()
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

    /// What the level means in one line: the plans' description of the scenario (lines 315-395
    /// of the seed) and what changes for supply.
    pub fn meaning(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (ResponseLevel::Routine, Lang::En) => "normal supply: daily reports, reserves kept at their norms",
            (ResponseLevel::Level1, Lang::En) => "few imported cases, no clusters: life goes on, watch and report",
            (ResponseLevel::Level2, Lang::En) => "untraced cases or clusters: villages sealed, 24h checkpoints",
            (ResponseLevel::Level3, Lang::En) => "spread between areas: zones locked down, supply pooled town-wide",
            (ResponseLevel::Level4, Lang::En) => "sustained spread: full lockdown, ask the level above for support",
            (ResponseLevel::Routine, Lang::Zh) => "常态保供:每日报告,储备保持定额",
            (ResponseLevel::Level1, Lang::Zh) => "个别输入散发病例,无聚集:维持正常秩序,监测上报",
            (ResponseLevel::Level2, Lang::Zh) => "来源不明散发或聚集疫情:村组封控,卡口二十四小时值守",
            (ResponseLevel::Level3, Lang::Zh) => "街道间传播:划区封控,全域统筹调配物资",
            (ResponseLevel::Level4, Lang::Zh) => "持续社区传播:全域封锁,争取上级支援",
        }
    }
}

/// A town's own name and meaning of one level (a scenario's `[[levels]]`), kept in the
/// settings; what it leaves empty falls back to the built-in `label` and `meaning`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelName {
    /// 0 (routine) to 4.
    pub level: u8,
    pub name_en: String,
    pub name_zh: String,
    #[serde(default)]
    pub meaning_en: String,
    #[serde(default)]
    pub meaning_zh: String,
}

impl LevelName {
    pub fn name(&self, lang: Lang) -> &str {
        lang.pick(&self.name_en, &self.name_zh)
    }

    pub fn meaning(&self, lang: Lang) -> &str {
        lang.pick(&self.meaning_en, &self.meaning_zh)
    }
}
