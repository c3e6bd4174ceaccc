//! The alert feed as a to-do list (issue 12): at 31,000 open alerts the feed shows one line per
//! kind and zone with counts, critical first; Enter opens a group under its line and Enter or
//! Esc closes it; `a` on a group acknowledges each of its unacknowledged alerts with one command
//! apiece; `G` flips grouping either way. Each alert line shows its live figure with when and at
//! what it was raised. Snapshots at 80x24 and 200x50 in English and Chinese.

use crate::support::tui::{demo_model, key};
use baogong::api::Request;
use baogong::domain::alerts::{Alert, AlertKind, Severity};
use baogong::domain::{Command, Lang};
use baogong::tui::model::{alert_rows, feed_grouped, feed_lines, Derived, FeedLine, Model, Panel};
use baogong::tui::theme::Theme;
use baogong::tui::update::Effect;
use ratatui::backend::TestBackend;
use ratatui::Terminal;

/// The demo console with 31,000 more open alerts: below-norm warnings and stockouts at every
/// point, a third of them acknowledged.
fn crowded(lang: Lang) -> Model {
    let mut m = demo_model(lang);
    let template = m.state.alerts.values().next().expect("the demo has alerts").clone();
    let points: Vec<String> = m.state.points.keys().cloned().collect();
    let next = m.state.alerts.keys().max().copied().unwrap_or(0) + 1;
    for n in 0..31_000u64 {
        let point = &points[n as usize % points.len()];
        let (kind, severity) = if n % 10 == 0 {
            (AlertKind::Stockout, Severity::Critical)
        } else {
            (AlertKind::BelowNorm, Severity::Warning)
        };
        let a = Alert {
            id: next + n,
            kind,
            severity,
            subject: format!("{point}/x{n:05}"),
            point: Some(point.clone()),
            item: Some(format!("x{n:05}")),
            value: Some(2.5),
            acked_by: (n % 3 == 0).then(|| "li".to_string()),
            cleared_at: None,
            ..template.clone()
        };
        m.state.alerts.insert(a.id, a);
    }
    m.derived = Derived::full(&m.state, m.now.date_naive());
    key(&mut m, "4");
    m
}

fn open_count(m: &Model) -> usize {
    m.state.alerts.values().filter(|a| a.cleared_at.is_none()).count()
}

#[test]
fn thirty_one_thousand_alerts_make_a_short_list_of_groups_critical_first() {
    let m = crowded(Lang::En);
    assert!(feed_grouped(&m));
    let lines = feed_lines(&m);
    let groups: Vec<_> = lines
        .iter()
        .map(|l| match l {
            FeedLine::Group(g) => g,
            FeedLine::Alert(a) => panic!("a closed feed lists groups only, not {}", a.subject),
        })
        .collect();
    assert!(groups.len() < 40, "{} lines for {} alerts", groups.len(), open_count(&m));
    assert_eq!(groups.iter().map(|g| g.alerts.len()).sum::<usize>(), open_count(&m), "every open alert is counted");
    let first_warning = groups.iter().position(|g| g.severity != Severity::Critical).expect("warnings");
    assert!(first_warning > 0, "critical groups first");
    assert!(groups[first_warning..].iter().all(|g| g.severity != Severity::Critical));
    for g in &groups {
        assert!(g.alerts.iter().all(|a| a.kind == g.kind), "one kind a group");
        let zones: std::collections::BTreeSet<String> = g
            .alerts
            .iter()
            .map(|a| a.point.as_ref().and_then(|p| m.state.points.get(p)).map(|p| p.zone.clone()).unwrap_or_default())
            .collect();
        assert_eq!(zones.len(), 1, "one zone a group");
        assert_eq!(g.unacked, g.alerts.iter().filter(|a| a.acked_by.is_none()).count());
    }
}

#[test]
fn enter_opens_a_group_enter_or_esc_closes_it_and_a_acknowledges_the_group() {
    let mut m = crowded(Lang::En);
    let closed = feed_lines(&m).len();
    let (kind, zone, members, unacked) = match &feed_lines(&m)[1] {
        FeedLine::Group(g) => (
            g.kind,
            g.zone.clone(),
            g.alerts.len(),
            g.alerts.iter().filter(|a| a.acked_by.is_none()).map(|a| Alert::label(a.id)).collect::<Vec<_>>(),
        ),
        FeedLine::Alert(_) => panic!("a group line"),
    };
    key(&mut m, "j");
    key(&mut m, "<Enter>");
    assert_eq!(m.alert_group_open, Some((kind, zone.clone())));
    assert_eq!(feed_lines(&m).len(), closed + members, "its alerts under its line");
    assert!(matches!(feed_lines(&m)[2], FeedLine::Alert(a) if a.kind == kind));
    assert_eq!(m.panel, Panel::Alerts, "Enter on a group stays in the feed");
    key(&mut m, "<Esc>");
    assert_eq!(m.alert_group_open, None);
    assert_eq!(m.selected(Panel::Alerts), 1, "back on the group's line");
    keys_enter_twice(&mut m);
    // `a` on the group: one acknowledgement per unacknowledged alert of the group.
    let effects = key(&mut m, "a");
    let acked: Vec<String> = effects
        .iter()
        .map(|e| match e {
            Effect::Submit(Request { cmd: Command::Ack { alert }, .. }) => alert.clone(),
            other => panic!("only acknowledgements: {other:?}"),
        })
        .collect();
    assert_eq!(acked, unacked);
    let ids: std::collections::BTreeSet<&String> =
        effects.iter().filter_map(|e| if let Effect::Submit(r) = e { Some(&r.cmd_id) } else { None }).collect();
    assert_eq!(ids.len(), acked.len(), "a command id each");
    // An alert line under an open group still opens its point with Enter.
    key(&mut m, "<Enter>");
    key(&mut m, "j");
    key(&mut m, "<Enter>");
    assert_eq!(m.panel, Panel::Points);
}

fn keys_enter_twice(m: &mut Model) {
    key(m, "<Enter>");
    assert!(m.alert_group_open.is_some());
    key(m, "<Enter>");
    assert_eq!(m.alert_group_open, None, "Enter again closes it");
}

#[test]
fn capital_g_flips_grouping_either_way() {
    let mut m = demo_model(Lang::En);
    key(&mut m, "4");
    assert!(!feed_grouped(&m), "a short feed lists every alert");
    assert_eq!(feed_lines(&m).len(), alert_rows(&m).len());
    key(&mut m, "G");
    assert!(feed_grouped(&m));
    assert!(matches!(feed_lines(&m)[0], FeedLine::Group(_)));
    let mut m = crowded(Lang::En);
    key(&mut m, "G");
    assert_eq!(feed_lines(&m).len(), alert_rows(&m).len(), "every alert, when asked");
}

#[test]
fn an_alert_line_shows_its_live_figure_and_when_it_was_raised_at_what() {
    let mut m = demo_model(Lang::En);
    let id = *m
        .state
        .alerts
        .iter()
        .find(|(_, a)| a.kind == AlertKind::BelowNorm && a.cleared_at.is_none())
        .expect("a below-norm alert")
        .0;
    // Raised at a figure the point has long left behind; alone in the feed, so on screen.
    m.state.alerts.retain(|k, _| *k == id);
    m.state.alerts.get_mut(&id).expect("alert").value = Some(13.8);
    key(&mut m, "4");
    let a = &m.state.alerts[&id];
    let (p, i) = (a.point.clone().expect("point"), a.item.clone().expect("item"));
    let live = m.derived.covers[&(p, i)].days.expect("known cover");
    let text = render(&m, 120, 40);
    assert!(text.lines().any(|l| l.contains("value") && l.contains(" was ")), "the was column:\n{text}");
    let row = text.lines().find(|l| l.contains(&a.subject) && l.contains("13.8d")).expect("the alert's row");
    assert!(row.contains(&format!("{live:.1}d  13.8d")), "live {live:.1}, then was 13.8: {row}");
}

fn render(m: &Model, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    t.draw(|f| baogong::tui::faces::render(m, Theme { color: false }, f)).expect("draw");
    t.backend().to_string()
}

#[test]
fn grouped_feed_snapshots() {
    for (lang, tag) in [(Lang::En, "en"), (Lang::Zh, "zh")] {
        let mut m = crowded(lang);
        key(&mut m, "j");
        key(&mut m, "<Enter>");
        for (w, h) in [(80, 24), (200, 50)] {
            crate::support::assert_snapshot("alert_feed", &format!("grouped_{tag}_{w}x{h}"), render(&m, w, h));
        }
    }
}
