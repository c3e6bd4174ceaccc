//! The language of messages and screens. A leaf: imports nothing of the crate.

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
