//! An idle console redraws only its clock line each second: that line drawn over the last whole
//! frame is the whole frame of the next second, on the console and the point face, at 80x24
//! and 200x50; with a layer open, or on the wall, there is no such shortcut.

use crate::support::tui::*;
use baogong::domain::Lang;
use baogong::proto::FaceKind;
use baogong::tui::faces;
use baogong::tui::model::Model;
use baogong::tui::theme::Theme;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::Terminal;

fn frame(m: &Model, w: u16, h: u16) -> Buffer {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    t.draw(|f| faces::render(m, Theme::from_env(None), f)).expect("draw").buffer.clone()
}

#[test]
fn the_clock_line_over_the_last_frame_is_the_next_frame() {
    for face in [FaceKind::Console, FaceKind::Point { point: "P03".into() }] {
        for (w, h) in [(80, 24), (120, 40), (200, 50)] {
            let mut m = demo_model(Lang::Zh);
            m.face = face.clone();
            let mut buf = frame(&m, w, h);
            m.now += chrono::Duration::seconds(1);
            let next = frame(&m, w, h);
            assert_ne!(buf, next, "{face:?} {w}x{h}: the second shows");
            assert!(faces::render_clock_line(&m, Theme::from_env(None), &mut buf), "{face:?} {w}x{h}");
            assert_eq!(buf, next, "{face:?} {w}x{h}");
        }
    }
}

#[test]
fn a_layer_or_the_wall_draws_the_whole_frame() {
    let mut m = demo_model(Lang::En);
    key(&mut m, "?");
    let mut buf = frame(&m, 120, 40);
    assert!(!faces::render_clock_line(&m, Theme::from_env(None), &mut buf), "help is open");
    let mut m = demo_model(Lang::En);
    m.face = FaceKind::Wall;
    let mut buf = frame(&m, 120, 40);
    assert!(!faces::render_clock_line(&m, Theme::from_env(None), &mut buf));
}
