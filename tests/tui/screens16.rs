//! Issue 16, the screens part: completion ranks codes above names, Tab marks a bad value at
//! once, `d` on a shortage alert sends to the short point. Imports `baogong` and `support` only.

use crate::support::tui::{demo_model, field, keys};
use baogong::domain::reject::Reason;
use baogong::domain::Lang;
use baogong::tui::form::error_text;

#[test]
fn a_code_prefix_ranks_above_a_word_inside_a_name() {
    let mut m = demo_model(Lang::En);
    // Dispatch: from, to, item.
    keys(&mut m, "dP01<Tab>P02<Tab>po");
    let form = m.form().expect("the dispatch form is open");
    let cands = form.candidates(&m.state, Lang::En);
    assert_eq!(cands.first().map(|c| c.code.as_str()), Some("pork"), "{cands:?}");
    keys(&mut m, "<Tab>");
    assert_eq!(field(&m, "item").input.value(), "pork");
}

#[test]
fn tab_past_an_unknown_code_marks_it_at_once_keeping_it() {
    for lang in [Lang::En, Lang::Zh] {
        let mut m = demo_model(lang);
        keys(&mut m, "r<BS>XX9<Tab>");
        let f = field(&m, "point");
        assert_eq!(f.input.value(), "XX9", "what was typed stays");
        let err = f.error.as_deref().expect("the unknown point is marked on Tab");
        assert_eq!(error_text(err, lang), Reason::UnknownPoint { code: "XX9".into() }.text(lang));
    }
}

#[test]
fn d_on_a_shortage_alert_sends_to_the_short_point_from_the_plan_source() {
    use baogong::domain::alerts::AlertKind;
    use baogong::tui::model::{feed_lines, FeedLine, Panel};
    let mut m = demo_model(Lang::En);
    m.alerts_regrouped = baogong::tui::model::feed_grouped(&m);
    let lines = feed_lines(&m);
    let (at, point, item) = lines
        .iter()
        .enumerate()
        .find_map(|(i, l)| match l {
            FeedLine::Alert(a) if a.kind == AlertKind::Stockout && a.point.is_some() => {
                Some((i, a.point.clone()?, a.item.clone()?))
            }
            _ => None,
        })
        .expect("the demo has a stocked-out point");
    drop(lines);
    m.panel = Panel::Alerts;
    m.sel[Panel::Alerts as usize] = at;
    keys(&mut m, "d");
    assert_eq!(field(&m, "to").input.value(), point, "the short point is the destination");
    assert_eq!(field(&m, "item").input.value(), item);
    let plan = m.compute_plan(m.state.settings.level);
    let from = plan.transfers.iter().find(|t| t.to == point && t.item == item).map(|t| t.from.clone());
    assert_eq!(Some(field(&m, "from").input.value().to_string()), from.or(Some(String::new())));
    assert_ne!(field(&m, "from").input.value(), point, "never the short point as sender");
}

/// The screen as text, as a terminal shows it (TestBackend's own rendering).
fn text_of(m: &baogong::tui::model::Model, w: u16, h: u16, color: bool) -> String {
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).expect("terminal");
    t.draw(|f| baogong::tui::faces::render(m, baogong::tui::theme::Theme { color }, f)).expect("draw");
    t.backend().to_string()
}

#[test]
fn the_wall_draws_digits_with_characters_and_lays_out_by_width() {
    for lang in [Lang::En, Lang::Zh] {
        for (w, h) in [(80, 24), (120, 40), (200, 50)] {
            let mut m = demo_model(lang);
            m.face = baogong::proto::FaceKind::Wall;
            m.rotate = 10;
            for color in [true, false] {
                let text = text_of(&m, w, h, color);
                assert!(text.contains('█'), "{w}x{h}: the big figures are characters\n{text}");
                assert!(!text.contains("below normprotective") && !text.contains("()"), "{w}x{h}\n{text}");
                assert!(text.contains("P09 "), "{w}x{h}: the stocked-out point is named\n{text}");
                assert!(text.contains("H001/antihyp "), "{w}x{h}: a critical alert's subject is whole\n{text}");
            }
            let tag = if lang == Lang::En { "en" } else { "zh" };
            crate::support::assert_snapshot("screens16", &format!("wall_{tag}_{w}x{h}"), text_of(&m, w, h, false));
        }
    }
}

#[test]
fn the_walls_demand_line_names_whole_zones_and_counts_the_rest() {
    for (lang, hotline) in [(Lang::En, "Hotline overdue"), (Lang::Zh, "热线逾期")] {
        let mut m = demo_model(lang);
        m.face = baogong::proto::FaceKind::Wall;
        let text = text_of(&m, 80, 24, false);
        let line = text.lines().find(|l| l.contains(hotline)).expect("the demand line").to_string();
        let zones: Vec<String> = m.state.zones.values().map(|z| z.name.clone()).collect();
        let named = zones.iter().filter(|z| line.contains(&format!("{z} "))).count();
        assert!(named >= 1, "{line}");
        // Every zone named shows its figures; the ones left out are counted.
        for z in zones.iter().filter(|z| line.contains(z.as_str())) {
            assert!(
                line.contains(&format!("{z} "))
                    && line.split(z.as_str()).nth(1).is_some_and(|r| r
                        .trim_start()
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_ascii_digit())),
                "{z} whole in {line}"
            );
        }
        if named < zones.len() {
            assert!(line.contains(&format!(" +{}", zones.len() - named)), "{line}");
        }
    }
}

#[test]
fn the_footer_keeps_short_words_at_80_and_120_columns() {
    for (lang, send) in [(Lang::En, "d send"), (Lang::Zh, "d 调拨")] {
        for (w, h) in [(80, 24), (120, 40)] {
            let m = demo_model(lang);
            let text = text_of(&m, w, h, false);
            let footer = text.lines().last().unwrap_or_default().to_string();
            assert!(footer.contains(send), "{w}x{h}: {footer}");
            assert!(!footer.contains("d r c"), "{w}x{h}: bare letters: {footer}");
        }
    }
}
