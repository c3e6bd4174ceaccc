//! Screen text in Chinese and English, read from `assets/locales/{en,zh}.toml` (compiled in).
//! A missing key shows as the key itself, and a test keeps both files' keys identical.

use crate::domain::Lang;
use std::collections::HashMap;
use std::sync::OnceLock;

const EN: &str = include_str!("../../assets/locales/en.toml");
const ZH: &str = include_str!("../../assets/locales/zh.toml");

fn table(lang: Lang) -> &'static HashMap<String, String> {
    static EN_T: OnceLock<HashMap<String, String>> = OnceLock::new();
    static ZH_T: OnceLock<HashMap<String, String>> = OnceLock::new();
    let (cell, src) = match lang {
        Lang::En => (&EN_T, EN),
        Lang::Zh => (&ZH_T, ZH),
    };
    cell.get_or_init(|| toml::from_str(src).unwrap_or_default())
}

/// The language the command line chose (`--lang`, else the environment), set once by the
/// program's top (`choose`); for the few messages printed below any face or command that was
/// handed a language (the first-run seeding note). English until chosen.
pub fn chosen() -> Lang {
    CHOSEN.get().copied().unwrap_or(Lang::En)
}

/// Records the language the command line chose (the first call wins).
pub fn choose(lang: Lang) {
    let _ = CHOSEN.set(lang);
}

static CHOSEN: OnceLock<Lang> = OnceLock::new();

/// The text for `key` in `lang`.
pub fn t(lang: Lang, key: &str) -> &'static str {
    match table(lang).get(key) {
        Some(v) => v.as_str(),
        None => {
            // Unknown keys are a programming error caught by the locale test; show the key.
            static KEYS: OnceLock<std::sync::Mutex<HashMap<String, &'static str>>> = OnceLock::new();
            let m = KEYS.get_or_init(Default::default);
            let mut m = m.lock().unwrap_or_else(|p| p.into_inner());
            m.entry(key.to_string()).or_insert_with(|| Box::leak(key.to_string().into_boxed_str()))
        }
    }
}

/// The text for `key` if the locale has it.
pub fn try_t(lang: Lang, key: &str) -> Option<&'static str> {
    table(lang).get(key).map(String::as_str)
}

/// An item's unit as the user reads it ("piece" is 件 in Chinese); unknown units as they are.
pub fn unit(lang: Lang, unit: &str) -> String {
    try_t(lang, &format!("unit_name.{unit}")).map_or_else(|| unit.to_string(), str::to_string)
}

/// A form choice as the user reads it (supplier, counted, yes, level2 ...).
pub fn choice(lang: Lang, code: &str) -> String {
    match crate::domain::ResponseLevel::parse(code) {
        Some(l) if code.starts_with("level") || code == "routine" => l.label(lang).to_string(),
        _ => try_t(lang, &format!("choice.{code}")).map_or_else(|| code.to_string(), str::to_string),
    }
}

/// Every key of a locale (for tests).
pub fn keys(lang: Lang) -> Vec<String> {
    let mut k: Vec<String> = table(lang).keys().cloned().collect();
    k.sort();
    k
}

/// Whether both locale files parse.
pub fn locales_parse() -> bool {
    toml::from_str::<HashMap<String, String>>(EN).is_ok() && toml::from_str::<HashMap<String, String>>(ZH).is_ok()
}
