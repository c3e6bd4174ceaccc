//! The county's faces drawn from a county view of three towns replayed from the demo town: one
//! as it is (criticals open, yesterday's report late), one calm (no criticals, reported), one
//! silent for two hours.
//! Snapshots of the console (a town selected) and the wall at 80x24 and 200x50 in en and zh;
//! the wall's totals; the keys. Imports `baogong` and `support` only.

use crate::support::assert_snapshot;
use crate::support::tui::{demo_state, now};
use baogong::county::{CountyView, Replica, TownSummary};
use baogong::domain::Lang;
use baogong::tui::faces::county::{render, CountyScreen};
use baogong::tui::keymap::{self, Action};
use baogong::tui::theme::Theme;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

fn view() -> CountyView {
    let state = demo_state();
    let town = |code: &str, name: &str| {
        let r = Replica { code: code.into(), state: state.clone(), applied: state.last_seq };
        let mut s = TownSummary::of(&r, now());
        s.name = name.into();
        s
    };
    let busy = town("WGZ", "王官庄镇");
    let mut calm = town("DXZ", "大许庄镇");
    calm.critical_alerts = 0;
    calm.report_late = false;
    calm.report = baogong::report::Reporting::Reported;
    let mut silent = town("QZJ", "前朱家镇");
    silent.critical_alerts = 0;
    silent.report_late = false;
    silent.last_event_at = Some(now() - chrono::Duration::hours(2));
    CountyView { updated_at: Some(now()), silent_minutes: 60, towns: vec![calm, silent, busy] }
}

fn draw(view: Option<&CountyView>, lang: Lang, screen: CountyScreen, (w, h): (u16, u16)) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    t.draw(|f| render(view, now(), lang, Theme { color: false }, screen, f)).expect("draw");
    format!("{}", t.backend())
}

#[test]
fn county_console_and_wall_snapshots() {
    let v = view();
    for lang in [Lang::En, Lang::Zh] {
        for (w, h) in [(80, 24), (200, 50)] {
            let tag = format!("{}_{w}x{h}", if lang == Lang::En { "en" } else { "zh" });
            let console = CountyScreen { selected: 2, wall: false };
            assert_snapshot("county", &format!("console_{tag}"), draw(Some(&v), lang, console, (w, h)));
            let wall = CountyScreen { selected: 0, wall: true };
            assert_snapshot("county", &format!("wall_{tag}"), draw(Some(&v), lang, wall, (w, h)));
        }
    }
}

#[test]
fn the_console_names_the_selected_towns_stock_and_its_request_upward() {
    let v = view();
    let text = draw(Some(&v), Lang::En, CountyScreen { selected: 2, wall: false }, (200, 50));
    assert!(text.contains("WGZ stock and days of cover"), "{text}");
    assert!(text.contains("Request to the level above"), "{text}");
    let silent = text.lines().find(|l| l.contains("QZJ")).expect("the silent town's row");
    assert!(silent.contains("town silent since 08:30"), "{silent}");
}

#[test]
fn the_wall_counts_troubled_towns_points_out_and_criticals() {
    let v = view();
    let out: usize = v.towns.iter().map(|s| s.stocked_out_points).sum();
    let critical: usize = v.towns.iter().map(|s| s.critical_alerts).sum();
    assert!(out > 0 && critical > 0, "the demo has points stocked out and criticals");
    let text = draw(Some(&v), Lang::En, CountyScreen { selected: 0, wall: true }, (200, 50));
    // The busy town (criticals) and the silent one, listed first; the calm one last.
    let rows: Vec<&str> = text.lines().filter(|l| l.contains("镇")).collect();
    let order: Vec<usize> =
        ["WGZ", "QZJ", "DXZ"].iter().map(|c| rows.iter().position(|l| l.contains(c)).expect("a town row")).collect();
    assert!(order[2] > order[0] && order[2] > order[1], "troubled towns first: {rows:?}");
}

#[test]
fn with_no_view_yet_the_face_says_how_to_get_one() {
    for lang in [Lang::En, Lang::Zh] {
        let text = draw(None, lang, CountyScreen::default(), (80, 24));
        assert!(text.contains("county serve --nats URL"), "{text}");
    }
}

#[test]
fn the_county_keys_move_between_towns_and_quit() {
    let k = |c| KeyEvent::new(c, KeyModifiers::NONE);
    assert_eq!(keymap::lookup(keymap::COUNTY, &k(KeyCode::Down)), Some(Action::Down));
    assert_eq!(keymap::lookup(keymap::COUNTY, &k(KeyCode::Char('k'))), Some(Action::Up));
    assert_eq!(keymap::lookup(keymap::COUNTY, &k(KeyCode::Char('q'))), Some(Action::Quit));
    assert_eq!(keymap::lookup(keymap::WALL, &k(KeyCode::Down)), None, "the wall takes no selection");
}
