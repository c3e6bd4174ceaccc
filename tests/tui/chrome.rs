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

#[test]
fn the_large_grid_reads_in_the_panels_numbers_and_tab_cycles_the_same_way() {
    use baogong::tui::model::Panel;
    for lang in [Lang::En, Lang::Zh] {
        let mut m = demo_model(lang);
        let text = screen_text(&m, (200, 50));
        // Where each panel's "┌ N " title starts, in reading order.
        let mut found: Vec<(usize, usize, char)> = Vec::new();
        for (y, line) in text.lines().enumerate() {
            let chars: Vec<char> = line.chars().collect();
            for x in 0..chars.len().saturating_sub(3) {
                if chars[x] == '┌' && chars[x + 1] == ' ' && chars[x + 2].is_ascii_digit() && chars[x + 3] == ' ' {
                    found.push((y, x, chars[x + 2]));
                }
            }
        }
        found.sort();
        let order: String = found.iter().map(|(_, _, n)| *n).collect();
        assert_eq!(order, "12345", "{lang:?}: the grid reads in the panels' numbers:\n{text}");
        let mut cycle = vec![m.panel];
        for _ in 0..5 {
            keys(&mut m, "<Tab>");
            cycle.push(m.panel);
        }
        let want = [Panel::Roster, Panel::Points, Panel::Stock, Panel::Alerts, Panel::Requests];
        let start = want.iter().position(|p| *p == cycle[0]).expect("a panel");
        for (i, p) in cycle.iter().enumerate() {
            assert_eq!(*p, want[(start + i) % 5], "{lang:?}: Tab step {i}");
        }
    }
}
