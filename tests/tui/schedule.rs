//! The delivery schedule screen (`S`) over the demo town's slots and bookings: it shows what
//! `views::schedule` computes for today and tomorrow, zone by zone; `[`/`]` step the days within
//! a week either way; Esc closes; a point's face shows its own zone only. Snapshots at 80x24 and
//! 200x50 in English and Chinese.

use crate::support::tui::{demo_state, key, keys, model_with, now};
use baogong::domain::demand::DemandSettings;
use baogong::domain::Lang;
use baogong::proto::FaceKind;
use baogong::tui::faces::render;
use baogong::tui::keymap::Layer;
use baogong::tui::model::{Model, Overlay};
use baogong::tui::theme::Theme;
use baogong::views::schedule;
use chrono::Duration;
use ratatui::backend::TestBackend;
use ratatui::Terminal;

fn text(m: &Model, (w, h): (u16, u16)) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    t.draw(|f| render(m, Theme { color: false }, f)).expect("draw");
    let buf = t.backend().buffer();
    (0..h).map(|y| (0..w).map(|x| buf[(x, y)].symbol()).collect::<String>()).collect::<Vec<_>>().join("\n")
}

fn shown_date(m: &Model) -> Option<chrono::NaiveDate> {
    m.overlays.iter().find_map(|o| match o {
        Overlay::Schedule { date, .. } => Some(*date),
        _ => None,
    })
}

#[test]
fn the_screen_shows_the_computed_schedule_of_today_and_tomorrow() {
    let mut m = model_with(demo_state(), Lang::En);
    key(&mut m, "S");
    assert_eq!(m.layer(), Layer::Schedule);
    let today = now().date_naive();
    let rows = schedule::rows(&m.state, &DemandSettings::default(), &[today, today + Duration::days(1)], None);
    let booked: Vec<_> = rows.iter().flat_map(|z| &z.slots).filter(|s| s.requests > 0).collect();
    assert!(!booked.is_empty(), "the demo town books today's requests into slots");
    let screen = text(&m, (200, 80));
    assert!(screen.contains(&format!("{today} Sun · today")), "{screen}");
    assert!(screen.contains("tomorrow"), "{screen}");
    for s in booked {
        let line = screen
            .lines()
            .find(|l| {
                l.contains(&format!("{}-{}", s.start.format("%H:%M"), s.end.format("%H:%M")))
                    && l.contains(&s.villages[0])
            })
            .unwrap_or_else(|| panic!("slot {} of {:?} shown\n{screen}", s.slot, s.villages));
        assert!(line.contains(&schedule::load_text(&s.load, m.lang)), "{line}");
        assert!(line.contains(&format!("{}/{}", s.trips, s.capacity)), "{line}");
        assert_eq!(line.contains(&format!("!{}", s.slot)), s.overloaded, "{line}");
    }
}

#[test]
fn brackets_step_the_days_within_a_week_and_esc_closes() {
    let mut m = model_with(demo_state(), Lang::En);
    let today = now().date_naive();
    key(&mut m, "S");
    key(&mut m, "]");
    assert_eq!(shown_date(&m), Some(today + Duration::days(1)));
    keys(&mut m, "[[");
    assert_eq!(shown_date(&m), Some(today - Duration::days(1)));
    keys(&mut m, &"]".repeat(20));
    assert_eq!(shown_date(&m), Some(today + Duration::days(7)), "a week ahead at most");
    keys(&mut m, &"[".repeat(20));
    assert_eq!(shown_date(&m), Some(today - Duration::days(7)), "a week back at most");
    key(&mut m, "<Esc>");
    assert_eq!(m.layer(), Layer::Main);
    key(&mut m, "S");
    assert_eq!(shown_date(&m), Some(today), "opens on today again");
    key(&mut m, "S");
    assert_eq!(m.layer(), Layer::Main, "S closes it too");
}

#[test]
fn a_points_face_shows_its_own_zone_only() {
    let mut m = model_with(demo_state(), Lang::En);
    m.face = FaceKind::Point { point: "P01".into() };
    let zone = m.state.points["P01"].zone.clone();
    key(&mut m, "S");
    let screen = text(&m, (120, 40));
    let others: Vec<&str> = m.state.zones.keys().map(String::as_str).filter(|z| *z != zone).collect();
    assert!(screen.contains(&format!(" {zone} ")), "{screen}");
    for z in others {
        assert!(!screen.contains(&format!(" {z} ")), "{z} shown on {zone}'s point\n{screen}");
    }
}

#[test]
fn snapshots_at_both_sizes_in_both_languages() {
    for (lang, tag) in [(Lang::En, "en"), (Lang::Zh, "zh")] {
        for (w, h) in [(80u16, 24u16), (200, 50)] {
            let mut m = model_with(demo_state(), lang);
            key(&mut m, "S");
            let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
            t.draw(|f| render(&m, Theme { color: true }, f)).expect("draw");
            crate::support::assert_snapshot("schedule", &format!("schedule_{tag}_{w}x{h}"), t.backend());
        }
    }
}
