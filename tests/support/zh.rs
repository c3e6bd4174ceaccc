//! The one checker of "Chinese throughout" (issue 16), shared by the command line's errors
//! (`tests/cli/zh_everywhere.rs`) and the console's screens (`tests/tui/zh_screens.rs`): the
//! ASCII words of a text that are not allowed to stay ASCII in Chinese.

use std::collections::BTreeSet;

/// The ASCII words of `text` that are neither typed (`typed`), nor codes (`codes`), numbers,
/// dates, times, flags, paths or quoted commands (between backquotes). A word is a run of ASCII
/// letters, digits and `-._/+`; one holding a digit is a number, a date or a numbered code,
/// unless it is a number with letters after it (`12m`, `3d`: a unit in English).
pub fn english_words(text: &str, typed: &[&str], codes: &BTreeSet<String>) -> Vec<String> {
    let unquoted: String = text.split('`').step_by(2).collect::<Vec<_>>().join(" ");
    let in_word = |c: char| c.is_ascii_alphanumeric() || "-._/+".contains(c);
    let mut bad = Vec::new();
    for word in unquoted.split(|c: char| !in_word(c)).map(|w| w.trim_matches('.')) {
        let allowed = !word.chars().any(|c| c.is_ascii_alphabetic())
            || (word.chars().any(|c| c.is_ascii_digit()) && !english_unit(word))
            || word.starts_with("--")
            || word.contains('/')
            || codes.contains(word)
            || typed.iter().any(|t| t.contains(word));
        if !allowed {
            bad.push(word.to_string());
        }
    }
    bad
}

/// A number followed by letters, as `12m` or `2h` write minutes and hours in English.
fn english_unit(word: &str) -> bool {
    word.starts_with(|c: char| c.is_ascii_digit()) && word.ends_with(|c: char| c.is_ascii_alphabetic())
}
