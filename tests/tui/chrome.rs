//! Issue 16, the frame: the status bar keeps whole segments at any width (a segment that does
//! not fit is shortened or left out, never cut mid-word), and full-screen layers cover every
//! panel border underneath. Imports `baogong` and `support` only.

use crate::support::tui::{demo_model, keys, screen_text};
use baogong::domain::Lang;
use baogong::tui::chrome::status_bar;
use baogong::tui::theme::Theme;

fn bar(m: &baogong::tui::model::Model, width: u16) -> String {
    status_bar::line(m, Theme { color: false }, width).spans.iter().map(|s| s.content.as_ref()).collect()
}

#[test]
fn the_status_bar_never_cuts_a_word() {
    for lang in [Lang::En, Lang::Zh] {
        let m = demo_model(lang);
        // Every word of the long forms, and the short clock and critical count.
        let mut words: Vec<String> = Vec::new();
        for w in [400, 119] {
            words.extend(bar(&m, w).split_whitespace().map(String::from));
        }
        words.extend([m.now.format("%H:%M").to_string(), format!("{}!", m.critical_unacked())]);
        for width in 30..=200u16 {
            let text = bar(&m, width);
            assert_eq!(baogong::text::width(&text), usize::from(width), "{lang:?} {width}: the bar fills the line");
            for w in text.split_whitespace().skip(1) {
                assert!(words.contains(&w.to_string()), "{lang:?} {width}: {w:?} is a cut word in {text:?}");
            }
        }
        // At 80 the town, the level, the clock and the critical count are all there.
        let at80 = bar(&m, 80);
        assert!(at80.contains(&m.state.settings.town) && at80.contains("10:30"), "{at80}");
        assert!(at80.contains(m.state.settings.level.label(lang)), "{at80}");
    }
}

#[test]
fn full_screen_layers_cover_the_panel_borders_underneath() {
    for lang in [Lang::En, Lang::Zh] {
        for (keys_typed, what) in [("P", "plan"), ("R", "report")] {
            for size in [(80, 24), (120, 40), (200, 50)] {
                let mut m = demo_model(lang);
                keys(&mut m, keys_typed);
                let text = screen_text(&m, size);
                for doubled in ["┌┌", "└└", "┌│", "└│", "││┌", "┐┐", "┘┘"] {
                    assert!(
                        !text.contains(doubled),
                        "{lang:?} {size:?} {what}: {doubled} shows a border underneath:\n{text}"
                    );
                }
            }
        }
    }
}
