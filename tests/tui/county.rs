//! The county's faces drawn from a county view of three towns replayed from the demo town: one
//! as it is (criticals open, yesterday's report late), one calm (no criticals, reported), one
//! silent for two hours; and the county reserve, a depot office holding a little of each item.
//! Snapshots of the console (a town selected; at 80x24 each panel in turn: stock, alerts by
//! town, requests upward), the county plan screen and the wall at 80x24 and 200x50 in en and
//! zh; what the alerts and requests panels list; the wall's totals; the keys. Imports
//! `baogong` and `support` only.

use crate::support::assert_snapshot;
use crate::support::tui::{demo_state, now};
use baogong::county::plan::{plan, CountyPlan};
use baogong::county::{CountyView, Replica, TownSummary};
use baogong::domain::rules::plan::PlanSettings;
use baogong::domain::Lang;
use baogong::tui::faces::county::{render, CountyPanel, CountyScreen};
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
    calm.alerts.clear();
    calm.report_late = false;
    calm.report = baogong::report::Reporting::Reported;
    let mut silent = town("QZJ", "前朱家镇");
    silent.critical_alerts = 0;
    silent.alerts.clear();
    silent.report_late = false;
    silent.last_event_at = Some(now() - chrono::Duration::hours(2));
    CountyView { updated_at: Some(now()), silent_minutes: 60, towns: vec![calm, silent, busy, reserve()] }
}

/// The county reserve: a tenth of the demo town's stock of each item, issuing nothing yet.
fn reserve() -> TownSummary {
    let mut r = TownSummary::of(&Replica { code: "XCK".into(), state: demo_state(), applied: 1 }, now());
    r.name = "县储备库".into();
    (r.critical_alerts, r.stocked_out_points, r.report_late) = (0, 0, false);
    r.report = baogong::report::Reporting::Reported;
    r.alerts.clear();
    r.requests.clear();
    for i in &mut r.items {
        i.daily = None;
        i.days_of_cover = None;
        for l in &mut i.lots {
            l.qty = baogong::domain::Qty(l.qty.0 / 10 / 1000 * 1000);
        }
        i.qty = i.lots.iter().map(|l| l.qty).sum();
    }
    r
}

fn county_plan(v: &CountyView) -> CountyPlan {
    plan(v, Some("XCK"), &PlanSettings::default(), now().date_naive())
}

fn draw(view: Option<&CountyView>, lang: Lang, screen: CountyScreen, (w, h): (u16, u16)) -> String {
    let p = view.map(county_plan);
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    t.draw(|f| render(view, p.as_ref(), now(), lang, Theme { color: false }, screen, f)).expect("draw");
    format!("{}", t.backend())
}

/// Every county screen in `lang` at each of `sizes` as plain text, by name: the console with
/// each panel, the plan and the wall, and the console waiting for a first view (for `zh_screens`).
pub(crate) fn every_screen(lang: Lang, sizes: &[(u16, u16)]) -> Vec<(String, String)> {
    let v = view();
    let p = county_plan(&v);
    let mut screens = Vec::new();
    for &(w, h) in sizes {
        let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
        t.draw(|f| render(None, None, now(), lang, Theme { color: false }, CountyScreen::default(), f)).expect("draw");
        screens.push((format!("county waiting {w}x{h}"), crate::support::tui::plain_text(t.backend().buffer())));
        for panel in [CountyPanel::Stock, CountyPanel::Alerts, CountyPanel::Upward] {
            let console = CountyScreen { selected: 2, panel, ..CountyScreen::default() };
            for (name, screen) in [
                (format!("county {panel:?}"), console),
                (format!("county plan {panel:?}"), CountyScreen { plan: true, ..console }),
                (format!("county wall {panel:?}"), CountyScreen { wall: true, ..console }),
            ] {
                let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
                t.draw(|f| render(Some(&v), Some(&p), now(), lang, Theme { color: false }, screen, f)).expect("draw");
                screens.push((format!("{name} {w}x{h}"), crate::support::tui::plain_text(t.backend().buffer())));
            }
        }
    }
    screens
}

#[test]
fn county_console_and_wall_snapshots() {
    let v = view();
    for lang in [Lang::En, Lang::Zh] {
        for (w, h) in [(80, 24), (200, 50)] {
            let tag = format!("{}_{w}x{h}", if lang == Lang::En { "en" } else { "zh" });
            let console = CountyScreen { selected: 2, ..CountyScreen::default() };
            assert_snapshot("county", &format!("console_{tag}"), draw(Some(&v), lang, console, (w, h)));
            let plan = CountyScreen { plan: true, ..console };
            assert_snapshot("county", &format!("plan_{tag}"), draw(Some(&v), lang, plan, (w, h)));
            let wall = CountyScreen { wall: true, ..CountyScreen::default() };
            assert_snapshot("county", &format!("wall_{tag}"), draw(Some(&v), lang, wall, (w, h)));
        }
        // At 80x24 the panels below the towns show one at a time (Tab).
        for panel in [CountyPanel::Alerts, CountyPanel::Upward] {
            let tag = format!("{panel:?}_{}_80x24", if lang == Lang::En { "en" } else { "zh" }).to_lowercase();
            let screen = CountyScreen { selected: 2, panel, ..CountyScreen::default() };
            assert_snapshot("county", &format!("console_{tag}"), draw(Some(&v), lang, screen, (80, 24)));
        }
    }
}

#[test]
fn the_console_names_the_selected_towns_stock_and_its_request_upward() {
    let v = view();
    let text = draw(Some(&v), Lang::En, CountyScreen { selected: 2, ..CountyScreen::default() }, (200, 50));
    assert!(text.contains("WGZ stock and days of cover"), "{text}");
    assert!(text.contains("Critical alerts by town"), "{text}");
    assert!(text.contains("Requests upward"), "{text}");
    let silent = text.lines().find(|l| l.contains("QZJ")).expect("the silent town's row");
    assert!(silent.contains("town silent since 08:30"), "{silent}");
}

#[test]
fn the_alerts_panel_lists_each_towns_open_criticals_with_kind_point_item_and_since() {
    let v = view();
    let busy = &v.towns[2];
    assert!(!busy.alerts.is_empty() && busy.alerts.len() <= baogong::county::summary::ALERTS_KEPT);
    let screen = CountyScreen { selected: 0, panel: CountyPanel::Alerts, ..CountyScreen::default() };
    let text = draw(Some(&v), Lang::En, screen, (80, 50));
    let newest = &busy.alerts[0];
    let row = text
        .lines()
        .find(|l| l.contains("WGZ") && l.contains(newest.kind.label(Lang::En)))
        .expect("a row for the busy town's newest critical");
    if let Some(p) = &newest.point {
        assert!(row.contains(p.as_str()), "{row}");
    }
    assert!(row.contains(&newest.since.format("%m-%d %H:%M").to_string()), "{row}");
    let panel: Vec<&str> = text.lines().skip_while(|l| !l.contains("Critical alerts by town")).collect();
    let rows = panel.iter().filter(|l| l.contains("│WGZ")).count();
    assert_eq!(rows, busy.alerts.len(), "one row per listed alert: {text}");
    assert!(!panel.iter().any(|l| l.contains("│DXZ")), "the calm town has no critical alert: {text}");
}

#[test]
fn the_requests_panel_puts_the_countys_request_to_the_city_beside_the_towns_requests() {
    let v = view();
    let p = county_plan(&v);
    assert!(!p.plan.requests.is_empty(), "the reserve cannot cover three demo towns");
    let screen = CountyScreen { selected: 0, panel: CountyPanel::Upward, ..CountyScreen::default() };
    let text = draw(Some(&v), Lang::En, screen, (80, 60));
    let county: Vec<&str> = text.lines().filter(|l| l.contains("county→city")).collect();
    assert_eq!(county.len(), p.plan.requests.len(), "{text}");
    let first = &p.plan.requests[0];
    assert!(county[0].contains(&first.item) && county[0].contains(&first.qty.to_string()), "{}", county[0]);
    let panel: Vec<&str> = text.lines().skip_while(|l| !l.contains("Requests upward")).collect();
    for t in &v.towns {
        let rows = panel.iter().filter(|l| l.contains(&format!("│{}", t.town))).count();
        assert_eq!(rows, t.requests.len(), "town {}: {text}", t.town);
    }
}

#[test]
fn the_plan_screen_lists_reserve_transfers_first_then_the_request_to_the_city() {
    let v = view();
    let p = county_plan(&v);
    assert!(p.reserve_reported);
    let from_reserve = p.plan.transfers.iter().filter(|t| t.from == "XCK").count();
    assert!(from_reserve > 0, "the reserve releases something: {:?}", p.plan.transfers);
    for t in &p.plan.transfers {
        let it = v.towns.iter().find(|s| s.town == t.to).and_then(|s| s.items.iter().find(|i| i.item == t.item));
        assert_eq!(Some(t.unit.as_str()), it.map(|i| i.unit.as_str()), "a transfer in the recipient's unit");
    }
    let screen = CountyScreen { plan: true, ..CountyScreen::default() };
    let text = draw(Some(&v), Lang::En, screen, (200, 50));
    assert!(text.contains("County plan for 2026-11-29  (county reserve XCK)"), "{text}");
    let t = &p.plan.transfers[0];
    let row = text.lines().find(|l| l.contains(&format!("│{} ", t.item))).expect("the first transfer's row");
    assert!(row.contains(&t.from) && row.contains(&t.to) && row.contains("county reserve"), "{row}");
    assert!(text.contains("Request to the city"), "{text}");
    let zh = draw(Some(&v), Lang::Zh, screen, (200, 50));
    assert!(zh.contains("县级调拨计划") && zh.contains("县储备库"), "{zh}");
}

#[test]
fn the_wall_counts_troubled_towns_points_out_and_criticals() {
    let v = view();
    let out: usize = v.towns.iter().map(|s| s.stocked_out_points).sum();
    let critical: usize = v.towns.iter().map(|s| s.critical_alerts).sum();
    assert!(out > 0 && critical > 0, "the demo has points stocked out and criticals");
    let text = draw(Some(&v), Lang::En, CountyScreen { wall: true, ..CountyScreen::default() }, (200, 50));
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
    assert_eq!(keymap::lookup(keymap::COUNTY, &k(KeyCode::Char('P'))), Some(Action::Plan), "P as in the town console");
    assert_eq!(keymap::lookup(keymap::COUNTY, &k(KeyCode::Tab)), Some(Action::NextPanel));
    assert_eq!(keymap::lookup(keymap::COUNTY_PLAN, &k(KeyCode::Esc)), Some(Action::Close));
    assert_eq!(keymap::lookup(keymap::COUNTY_PLAN, &k(KeyCode::Char('P'))), Some(Action::Close));
    for map in [keymap::COUNTY, keymap::COUNTY_PLAN] {
        assert_eq!(keymap::duplicates(map), Vec::<String>::new());
    }
    // The footer is the keymap's: what it names is what the keys do.
    let text = draw(Some(&view()), Lang::En, CountyScreen::default(), (120, 24));
    let foot = text.lines().nth(23).expect("the footer");
    assert!(
        foot.contains("Up/Down town") && foot.contains("Tab next panel") && foot.contains("P county plan"),
        "{foot}"
    );
    let text = draw(Some(&view()), Lang::En, CountyScreen { plan: true, ..CountyScreen::default() }, (120, 24));
    assert!(text.lines().nth(23).is_some_and(|l| l.contains("Esc close")), "{text}");
}
