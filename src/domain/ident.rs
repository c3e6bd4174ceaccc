//! Text hygiene of codes and names, one check for every way they arrive (CSV import, the socket,
//! a scenario): no character that does not show (zero-width, BOM, bidi controls, other format
//! or control characters, the replacement character a damaged file leaves), a code in one
//! script (or Latin with Han and its companions, as UTS #39 "highly restrictive" allows), and
//! the form two names are compared in (NFKC, trimmed). A leaf: imports only `reject`.

use super::reject::Reason;
use std::collections::BTreeSet;
use unicode_normalization::UnicodeNormalization;
use unicode_script::{Script, UnicodeScript};

/// A name (or any code): every character shows.
pub fn check_name(text: &str) -> Result<(), Reason> {
    match text.chars().find(|c| hidden(*c)) {
        Some(c) => Err(Reason::Invisible { code_point: format!("U+{:04X}", c as u32) }),
        None => Ok(()),
    }
}

/// A code: a name that is written in one script.
pub fn check_code(text: &str) -> Result<(), Reason> {
    check_name(text)?;
    let scripts = scripts(text);
    if scripts.len() > 1 && !highly_restrictive(&scripts) {
        return Err(Reason::MixedScripts { scripts: names(&scripts) });
    }
    Ok(())
}

/// The form in which two codes or names are the same: NFKC, trimmed.
pub fn fold(text: &str) -> String {
    text.nfkc().collect::<String>().trim().to_string()
}

/// The scripts a text is written in, by name (digits, punctuation and marks belong to none).
pub fn scripts(text: &str) -> BTreeSet<&'static str> {
    (text.chars().map(|c| c.script()))
        .filter(|s| !matches!(s, Script::Common | Script::Inherited | Script::Unknown))
        .map(|s| s.full_name())
        .collect()
}

/// The scripts' names, for a message: "Cyrillic, Latin".
pub fn names(scripts: &BTreeSet<&str>) -> String {
    scripts.iter().copied().collect::<Vec<_>>().join(", ")
}

/// Latin with Han, and Han's companions (Japanese kana, Bopomofo, Hangul), are written together.
fn highly_restrictive(scripts: &BTreeSet<&str>) -> bool {
    let allowed: [&[&str]; 3] =
        [&["Latin", "Han", "Hiragana", "Katakana"], &["Latin", "Han", "Bopomofo"], &["Latin", "Han", "Hangul"]];
    allowed.iter().any(|set| scripts.iter().all(|s| set.contains(s)))
}

/// A character that does not show or should not be there: control, format (zero-width, BOM,
/// bidi), line and paragraph separators, invisible fillers, variation selectors, and U+FFFD.
fn hidden(c: char) -> bool {
    c.is_control()
        || matches!(c as u32,
            0x00AD | 0x034F | 0x061C | 0x115F | 0x1160 | 0x17B4 | 0x17B5 | 0x180B..=0x180F
            | 0x200B..=0x200F | 0x2028..=0x202E | 0x2060..=0x206F | 0x3164 | 0xFE00..=0xFE0F
            | 0xFEFF | 0xFFA0 | 0xFFF9..=0xFFFD | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A
            | 0xE0000..=0xE0FFF
            | 0x0600..=0x0605 | 0x06DD | 0x070F | 0x0890 | 0x0891 | 0x08E2 | 0x110BD | 0x110CD
            | 0x13430..=0x1343F)
}

/// The longest town code: it stands in NATS subjects (`baogong.<code>.events`), consumer
/// names and message ids.
pub const MAX_TOWN_CODE: usize = 32;

/// Whether `code` may be a town code: 1 to `MAX_TOWN_CODE` of `A-Z a-z 0-9 _ -`, the
/// characters a NATS subject token and a JetStream name both allow.
pub fn town_code_ok(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= MAX_TOWN_CODE
        && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_does_not_show_and_mixed_scripts() {
        for bad in ["P0\u{200b}1", "\u{feff}P01", "P\u{202e}10", "P01\u{2066}", "P\u{00ad}01", "米\u{fffd}"] {
            assert!(check_code(bad).is_err(), "{bad:?}");
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
        assert!(matches!(check_code("\u{420}X1"), Err(Reason::MixedScripts { .. })));
        for good in ["P01", "DEPOT", "Р01", "东01", "冀A·12345", "V-03_b", "王官庄村"] {
            assert_eq!(check_code(good), Ok(()), "{good:?}");
        }
        assert_eq!(fold(" ＡＢＣ１\u{3000}"), "ABC1");
        assert_eq!(fold("ﾃｽﾄ"), fold("テスト"));
    }
}
