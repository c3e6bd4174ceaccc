//! Shared by the console's test binaries: the demo town seeded once per binary at a fixed time,
//! a model over it, and key helpers that feed `update` the way the terminal would.
#![allow(dead_code)]

use baogong::domain::alerts::Thresholds;
use baogong::domain::{Lang, State};
use baogong::engine::{Engine, ManualClock};
use baogong::scenario::{self, Scenario};
use baogong::tui::model::Model;
use baogong::tui::update::{update, Effect, Msg};
use chrono::{DateTime, FixedOffset};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyEventState, KeyModifiers};
use std::sync::{Arc, OnceLock};

/// The fixed moment every test runs at: a Sunday morning in the demo's epidemic winter.
pub fn now() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-29T10:30:00+08:00").expect("fixed time parses")
}

/// The demo town seeded at `now()` into a throw-away store, once per test binary.
pub fn demo_state() -> State {
    static STATE: OnceLock<State> = OnceLock::new();
    STATE
        .get_or_init(|| {
            // In memory where there is a tmpfs: seeding flushes thousands of times.
            let shm = std::path::Path::new("/dev/shm");
            let dir = if shm.is_dir() { tempfile::tempdir_in(shm) } else { tempfile::tempdir() }.expect("temp dir");
            let clock = Arc::new(ManualClock::new(now()));
            let mut engine = Engine::open(dir.path(), clock, Thresholds::default()).expect("open engine");
            let sc = Scenario::demo().expect("demo scenario parses");
            scenario::seed(&mut engine, &sc, now()).expect("demo seeds");
            engine.state().clone()
        })
        .clone()
}

/// The console's model over the demo town (or `state`), in `lang`, at `now()`.
pub fn model_with(state: State, lang: Lang) -> Model {
    Model::new(state, now(), lang, "tester".into(), Thresholds::default())
}

pub fn demo_model(lang: Lang) -> Model {
    model_with(demo_state(), lang)
}

pub fn key_event(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
    KeyEvent { code, modifiers: mods, kind: KeyEventKind::Press, state: KeyEventState::NONE }
}

/// A key press as crossterm reports it (capital letters carry SHIFT).
pub fn press(code: KeyCode) -> Msg {
    let mods = match code {
        KeyCode::Char(c) if c.is_uppercase() => KeyModifiers::SHIFT,
        KeyCode::BackTab => KeyModifiers::SHIFT,
        _ => KeyModifiers::NONE,
    };
    Msg::Key(key_event(code, mods))
}

pub fn ctrl(c: char) -> Msg {
    Msg::Key(key_event(KeyCode::Char(c), KeyModifiers::CONTROL))
}

/// One key: a character, or a named key in angle brackets (`<Tab>`, `<S-Tab>`, `<Enter>`,
/// `<Esc>`, `<Up>`, `<Down>`, `<BS>`, `<Home>`, `<End>`, `<PgUp>`, `<PgDn>`).
pub fn key(m: &mut Model, k: &str) -> Vec<Effect> {
    let code = match k {
        "<Tab>" => KeyCode::Tab,
        "<S-Tab>" => KeyCode::BackTab,
        "<Enter>" => KeyCode::Enter,
        "<Esc>" => KeyCode::Esc,
        "<Up>" => KeyCode::Up,
        "<Down>" => KeyCode::Down,
        "<BS>" => KeyCode::Backspace,
        "<Home>" => KeyCode::Home,
        "<End>" => KeyCode::End,
        "<PgDn>" => KeyCode::PageDown,
        "<PgUp>" => KeyCode::PageUp,
        s => {
            let mut cs = s.chars();
            let c = cs.next().expect("a key");
            assert!(cs.next().is_none(), "key {s:?} is more than one character; use keys()");
            KeyCode::Char(c)
        }
    };
    update(m, press(code))
}

/// Types `text` one character at a time; `<..>` names a special key. Returns all effects.
pub fn keys(m: &mut Model, text: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '<' {
            if let Some(end) = rest.find('>').filter(|e| *e > 1) {
                effects.extend(key(m, &rest[..=end]));
                rest = &rest[end + 1..];
                continue;
            }
        }
        effects.extend(key(m, &c.to_string()));
        rest = &rest[c.len_utf8()..];
    }
    effects
}

/// The values of the open form's fields, by name.
pub fn form_values(m: &Model) -> Vec<(&'static str, String)> {
    let form = m.form().expect("a form is open");
    form.fields.iter().map(|f| (f.name, f.input.value().to_string())).collect()
}

pub fn field<'a>(m: &'a Model, name: &str) -> &'a baogong::tui::form::Field {
    let form = m.form().expect("a form is open");
    form.fields.iter().find(|f| f.name == name).unwrap_or_else(|| panic!("the form has no field {name}"))
}

/// The whole screen `m` draws at `w`x`h`, in colour, as text.
pub fn screen_text(m: &Model, (w, h): (u16, u16)) -> String {
    format!("{}", drawn(m, (w, h)).backend())
}

/// Asserts the snapshot `GROUP__NAME_TAG_WxH` of the screen `m` draws.
pub fn snap(group: &str, m: &Model, name: &str, (w, h): (u16, u16), tag: &str) {
    crate::support::assert_snapshot(group, &format!("{name}_{tag}_{w}x{h}"), drawn(m, (w, h)).backend());
}

fn drawn(m: &Model, (w, h): (u16, u16)) -> ratatui::Terminal<ratatui::backend::TestBackend> {
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).expect("terminal");
    t.draw(|f| baogong::tui::faces::render(m, baogong::tui::theme::Theme { color: true }, f)).expect("draw");
    t
}

/// The one command `effects` send, with its id.
pub fn submitted(effects: Vec<Effect>) -> (String, baogong::domain::command::Command) {
    match effects.as_slice() {
        [Effect::Submit(req)] => (req.cmd_id.clone(), req.cmd.clone()),
        other => panic!("one command sent, not {other:?}"),
    }
}

/// A seeded demo town on a real engine (in /dev/shm where there is one), to send what the
/// screens submit.
pub fn demo_engine() -> (tempfile::TempDir, Engine) {
    let shm = std::path::Path::new("/dev/shm");
    let dir = if shm.is_dir() { tempfile::tempdir_in(shm) } else { tempfile::tempdir() }.expect("temp dir");
    let clock = Arc::new(ManualClock::new(now()));
    let mut engine = Engine::open(dir.path(), clock, Thresholds::default()).expect("open engine");
    let sc = Scenario::demo().expect("demo scenario");
    scenario::seed(&mut engine, &sc, now()).expect("demo seeds");
    (dir, engine)
}

/// Asserts that `k` opens `layer` from the console, `k` again and Esc close it, and the help
/// screen then lists it as `help_says`.
pub fn assert_toggles(k: &str, layer: baogong::tui::keymap::Layer, help_says: &str) {
    use baogong::tui::keymap::Layer;
    let mut m = model_with(demo_state(), Lang::En);
    key(&mut m, k);
    assert_eq!(m.layer(), layer, "{k} opens it");
    key(&mut m, k);
    assert_eq!(m.layer(), Layer::Main, "{k} again closes it");
    key(&mut m, k);
    key(&mut m, "<Esc>");
    assert_eq!(m.layer(), Layer::Main, "Esc leaves");
    key(&mut m, "?");
    let help = screen_text(&m, (120, 60));
    assert!(help.contains(help_says), "help lists {k}:\n{help}");
}

/// A drawn buffer as plain text, one line per row (no annotations, no colour).
pub fn plain_text(buf: &ratatui::buffer::Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}
