//! The delivery-point and wall faces rendered into a TestBackend from the demo town seeded at a
//! fixed time: insta snapshots at 80x24 and 200x50 in English and Chinese, the wall's redraw
//! after one stock change touching only a small part of the screen, the wall ignoring every key
//! but `q`, and the point face's forms always being about its own point.

use baogong::domain::alerts::Thresholds;
use baogong::domain::command::{Command, Event, Face, LotTake, Resolved, Source};
use baogong::domain::{Lang, Qty, State};
use baogong::engine::{Engine, ManualClock};
use baogong::proto::FaceKind;
use baogong::scenario::{self, Scenario};
use baogong::tui::faces::render;
use baogong::tui::keymap::Layer;
use baogong::tui::model::Model;
use baogong::tui::theme::Theme;
use baogong::tui::update::{update, Effect, Msg};
use chrono::{DateTime, FixedOffset};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::Terminal;
use std::sync::{Arc, OnceLock};

fn now() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-29T10:30:00+08:00").expect("time")
}

fn demo() -> State {
    static STATE: OnceLock<State> = OnceLock::new();
    STATE
        .get_or_init(|| {
            let dir = tempfile::tempdir().expect("temp dir");
            let mut engine =
                Engine::open(dir.path(), Arc::new(ManualClock::new(now())), Thresholds::default()).expect("open");
            scenario::seed(&mut engine, &Scenario::demo().expect("demo"), now()).expect("seed");
            engine.state().clone()
        })
        .clone()
}

fn model(face: FaceKind, lang: Lang) -> Model {
    let mut m = Model::new(demo(), now(), lang, "tester".into(), Thresholds::default());
    if let FaceKind::Point { point } = &face {
        m.stock_point = Some(point.clone());
    }
    m.face = face;
    m.rotate = 10;
    m
}

fn draw(m: &Model, w: u16, h: u16, theme: Theme) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    t.draw(|f| render(m, theme, f)).expect("draw");
    t
}

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

#[test]
fn point_face_snapshots() {
    for (lang, tag) in [(Lang::En, "en"), (Lang::Zh, "zh")] {
        for (w, h) in [(80, 24), (200, 50)] {
            let m = model(FaceKind::Point { point: "P09".into() }, lang);
            let t = draw(&m, w, h, Theme { color: true });
            crate::support::assert_snapshot("faces", &format!("point_P09_{tag}_{w}x{h}"), t.backend());
        }
    }
}

#[test]
fn point_delivery_form_snapshot() {
    let mut m = model(FaceKind::Point { point: "P06".into() }, Lang::Zh);
    update(&mut m, key('d'));
    let t = draw(&m, 80, 24, Theme { color: true });
    crate::support::assert_snapshot("faces", "point_P06_delivery_form_zh_80x24", t.backend());
}

#[test]
fn wall_snapshots() {
    for (lang, tag) in [(Lang::En, "en"), (Lang::Zh, "zh")] {
        for (w, h) in [(80, 24), (200, 50)] {
            let m = model(FaceKind::Wall, lang);
            let t = draw(&m, w, h, Theme { color: false });
            crate::support::assert_snapshot("faces", &format!("wall_{tag}_{w}x{h}"), t.backend());
        }
    }
}

fn changed_cells(a: &Buffer, b: &Buffer) -> usize {
    a.content.iter().zip(b.content.iter()).filter(|(x, y)| x != y).count()
}

#[test]
fn wall_redraws_only_what_a_stock_change_touches() {
    let mut m = model(FaceKind::Wall, Lang::En);
    let before = draw(&m, 200, 50, Theme { color: true }).backend().buffer().clone();
    let seq = m.state.last_seq + 1;
    let qty = Qty::units(3);
    let ev = Event {
        seq,
        at: now(),
        actor: "clerk".into(),
        face: Face::Point,
        cmd_id: "one-change".into(),
        cmd: Command::Restock {
            point: "P01".into(),
            item: "rice".into(),
            qty,
            source: Source::Supplier,
            batch: None,
            expiry: None,
            note: String::new(),
        },
        resolved: Resolved { lots: vec![LotTake { batch: String::new(), expiry: None, qty }], ..Resolved::default() },
        alerts: Default::default(),
    };
    update(&mut m, Msg::Event(Box::new(ev)));
    assert_eq!(m.state.last_seq, seq, "the event was applied");
    let after = draw(&m, 200, 50, Theme { color: true }).backend().buffer().clone();
    let changed = changed_cells(&before, &after);
    let total = 200 * 50;
    assert!(changed * 20 < total, "a single stock change repainted {changed} of {total} cells");
}

#[test]
fn wall_takes_no_key_but_q() {
    let mut m = model(FaceKind::Wall, Lang::En);
    for c in ['d', 'r', 'c', 's', 'p', 'h', 'a', 'L', '/', '?', '1', 'j'] {
        let effects = update(&mut m, key(c));
        assert!(effects.is_empty(), "{c} did something");
        assert!(m.form().is_none() && !m.is_open(Layer::Help) && !m.filtering(), "{c} changed the screen");
    }
    assert_eq!(update(&mut m, key('q')), vec![Effect::Quit]);
}

#[test]
fn point_forms_are_about_the_own_point() {
    let mut m = model(FaceKind::Point { point: "P03".into() }, Lang::En);
    for c in ['d', 'r', 's', 'p', '$'] {
        update(&mut m, key(c));
        let form = m.form().cloned().unwrap_or_else(|| panic!("{c} opens a form"));
        m.overlays.clear();
        let point = form.fields.iter().find(|f| f.name == "point" || f.name == "from").expect("a point field");
        assert_eq!(point.input.value(), "P03", "form {c}");
    }
    // The console's acknowledge and level keys do nothing on a clerk's screen.
    for c in ['a', 'L', 'h'] {
        assert!(update(&mut m, key(c)).is_empty());
        assert!(m.form().is_none(), "{c} must not open a form");
    }
}

#[test]
fn the_wall_counts_hotline_cases_and_shows_no_caller() {
    for lang in [Lang::En, Lang::Zh] {
        let m = model(FaceKind::Wall, lang);
        let (open, overdue) = baogong::tui::faces::wall::hotline_counts(&m);
        assert!(open > 0, "the demo has pending cases");
        let label = baogong::i18n::t(lang, "wall.hotline_overdue");
        for (w, h) in [(80, 24), (200, 50)] {
            let text = format!("{}", draw(&m, w, h, Theme { color: false }).backend());
            let want = format!("{label} {overdue} / ");
            assert!(text.contains(&want), "{w}x{h}: {want:?} in {text}");
            for c in m.state.cases.values() {
                assert!(!text.contains(&c.phone) || c.phone.is_empty(), "a caller's phone on the wall");
                assert!(c.caller.is_empty() || !text.contains(&c.caller), "a caller's name on the wall: {}", c.caller);
            }
        }
    }
}
