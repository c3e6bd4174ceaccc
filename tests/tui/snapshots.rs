//! Snapshots of every console screen, as text, at 80x24 and 200x50 in English and Chinese: each
//! panel, the point drill-in, each form (pre-filled, completions showing), a local error and an
//! engine rejection, help, the empty store, the disconnected state and a too-small terminal.
//! Colours are not in snapshots: buffer assertions check the alarm colours and `NO_COLOR`.
//!
//! The demo town is seeded once per binary at a fixed time, so the screens are repeatable.
//! Update snapshots with `INSTA_UPDATE=always cargo test --test tui`.

use crate::support::tui::{demo_model, demo_state, key, keys, model_with, now};
use baogong::api::{Outcome, Refusal, Request};
use baogong::domain::alerts::Severity;
use baogong::domain::rules::cover::StockStatus;
use baogong::domain::rules::validate::{validate, Ctx};
use baogong::domain::{Access, Lang, State};
use baogong::tui::faces::render;
use baogong::tui::form::FormKind;
use baogong::tui::keymap::Layer;
use baogong::tui::model::{alert_rows, point_rows, stock_rows, Conn, Model, Panel};
use baogong::tui::theme::Theme;
use baogong::tui::update::{update, Effect, Msg};
use ratatui::backend::{Backend, TestBackend};
use ratatui::buffer::Buffer;
use ratatui::layout::Position;
use ratatui::style::{Color, Modifier};
use ratatui::Terminal;

const SMALL: (u16, u16) = (80, 24);
const LARGE: (u16, u16) = (200, 50);
const LANGS: [Lang; 2] = [Lang::En, Lang::Zh];
const COLOR: Theme = Theme { color: true };

fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "en",
        Lang::Zh => "zh",
    }
}

/// Renders the model at `w`x`h`; returns the terminal (what reached it) and the frame drawn.
fn draw(m: &Model, theme: Theme, (w, h): (u16, u16)) -> (Terminal<TestBackend>, Buffer) {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
    let frame = terminal.draw(|f| render(m, theme, f)).expect("render").buffer.clone();
    (terminal, frame)
}

/// A double-width character in the frame with a symbol of its own in the cell it covers (e.g.
/// a popup border drawn over the second half of a Chinese character). ratatui never sends that
/// cell, so on a real terminal the border or text there goes missing.
#[derive(Debug)]
struct Broken {
    x: u16,
    y: u16,
    wide: String,
    hidden: String,
}

fn broken_wide_chars(frame: &Buffer) -> Vec<Broken> {
    let mut out = Vec::new();
    for y in 0..frame.area.height {
        let mut x = 0;
        while x < frame.area.width {
            let sym = frame[(x, y)].symbol();
            let w = unicode_width::UnicodeWidthStr::width(sym).max(1) as u16;
            for cx in x + 1..(x + w).min(frame.area.width) {
                let hidden = frame[(cx, y)].symbol();
                if !hidden.trim().is_empty() {
                    out.push(Broken { x, y, wide: sym.to_string(), hidden: hidden.to_string() });
                }
            }
            x += w;
        }
    }
    out
}

/// The screen as the terminal received it: one quoted line per row (a double-width character
/// takes two columns), then the cursor if a text field placed it.
fn screen_text(terminal: &mut Terminal<TestBackend>) -> String {
    let buf: &Buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut x = 0;
        out.push('"');
        while x < buf.area.width {
            let sym = buf[(x, y)].symbol();
            out.push_str(sym);
            x += unicode_width::UnicodeWidthStr::width(sym).max(1) as u16;
        }
        out.push_str("\"\n");
    }
    let cursor = terminal.backend_mut().get_cursor_position().expect("cursor");
    if cursor != Position::ORIGIN {
        out.push_str(&format!("cursor at column {}, row {}\n", cursor.x, cursor.y));
    }
    out
}

/// Snapshots the model at a size under `name`; also fails on any broken wide character.
fn snap(name: &str, m: &Model, size: (u16, u16)) {
    let (mut terminal, frame) = draw(m, COLOR, size);
    let text = screen_text(&mut terminal);
    crate::support::assert_snapshot("tui_snapshots", name, &text);
    let broken = broken_wide_chars(&frame);
    assert!(broken.is_empty(), "{name}: cells hidden under double-width characters: {broken:?}\n{text}");
}

fn name(lang: Lang, (w, h): (u16, u16), what: &str) -> String {
    format!("{}_{w}x{h}_{what}", lang_code(lang))
}

/// Presses Tab until the form's focus is on `field`.
fn focus(m: &mut Model, field: &str) {
    for _ in 0..12 {
        let form = m.form().expect("a form is open");
        if form.focused().name == field {
            return;
        }
        key(m, "<Tab>");
    }
    panic!("the form never focused {field}");
}

/// Moves the points panel's selection to `code`.
fn select_point(m: &mut Model, code: &str) {
    key(m, "2");
    let i = point_rows(m).iter().position(|r| r.point.code == code).expect("point exists");
    key(m, "<Home>");
    for _ in 0..i {
        key(m, "j");
    }
    assert_eq!(point_rows(m)[m.selected(Panel::Points)].point.code, code);
}

// ---------------------------------------------------------------------------------------------
// Panels.

#[test]
fn panels_small_one_at_a_time() {
    for lang in LANGS {
        for (k, what) in [("1", "roster"), ("2", "points"), ("3", "stock"), ("4", "alerts")] {
            let mut m = demo_model(lang);
            key(&mut m, k);
            snap(&name(lang, SMALL, what), &m, SMALL);
        }
    }
}

#[test]
fn panels_large_grid() {
    for lang in LANGS {
        snap(&name(lang, LARGE, "grid"), &demo_model(lang), LARGE);
    }
}

#[test]
fn large_grid_outlines_the_focused_panel() {
    // The five panels' text is the same whichever is focused; the focused one's border is cyan.
    let corners = [
        (Panel::Roster, (0, 1)),
        (Panel::Points, (60, 1)),
        (Panel::Stock, (0, 20)),
        (Panel::Alerts, (80, 20)),
        (Panel::Requests, (150, 20)),
    ];
    for (focused, _) in corners {
        let mut m = demo_model(Lang::En);
        m.panel = focused;
        let (terminal, _) = draw(&m, COLOR, LARGE);
        let buf = terminal.backend().buffer();
        for (p, (x, y)) in corners {
            let cell = &buf[(x, y)];
            assert_eq!(cell.symbol(), "┌", "panel {p:?} starts at ({x},{y})");
            if p == focused {
                assert_eq!(cell.fg, Color::Cyan, "focused {p:?}");
                assert!(cell.modifier.contains(Modifier::BOLD));
            } else {
                assert_eq!(cell.fg, Color::DarkGray, "{p:?} is not focused while {focused:?} is");
            }
        }
    }
}

#[test]
fn point_drill_in() {
    for lang in LANGS {
        for size in [SMALL, LARGE] {
            let mut m = demo_model(lang);
            select_point(&mut m, "P01");
            key(&mut m, "<Enter>");
            assert_eq!(m.drill.as_deref(), Some("P01"));
            snap(&name(lang, size, "drill_P01"), &m, size);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Forms.

/// Opens `kind` the way a duty officer would, with something pre-filled from the selection and
/// the focused field showing its completions.
fn open_form(lang: Lang, kind: FormKind) -> Model {
    let mut m = demo_model(lang);
    match kind {
        FormKind::Restock => {
            // Town stock: the worst-covered item is pre-filled; type a point code prefix.
            key(&mut m, "r");
            focus(&mut m, "point");
            keys(&mut m, "P0");
        }
        FormKind::Dispatch => {
            select_point(&mut m, "P01");
            key(&mut m, "d");
            focus(&mut m, "to");
            keys(&mut m, "V0");
        }
        FormKind::Receive => {
            key(&mut m, "c");
            focus(&mut m, "dispatch");
        }
        FormKind::StockTake => {
            key(&mut m, "s");
            focus(&mut m, "point");
            keys(&mut m, "P1");
        }
        FormKind::Report => {
            select_point(&mut m, "P09");
            key(&mut m, "p");
            focus(&mut m, "zero");
        }
        FormKind::Handover => {
            key(&mut m, "h");
            focus(&mut m, "to");
            keys(&mut m, "王");
        }
        FormKind::Price => {
            select_point(&mut m, "P05");
            key(&mut m, "$");
            focus(&mut m, "item");
            keys(&mut m, "po");
        }
        other => panic!("the demand forms have their recipes in `demand`: {other:?}"),
    }
    let form = m.form().expect("the form opened");
    assert_eq!(form.kind, kind);
    // The handover form has nothing to pre-fill from a selection.
    if kind != FormKind::Handover {
        assert!(form.fields.iter().any(|f| f.prefilled), "{kind:?}: something is pre-filled");
    }
    assert!(!form.candidates(&m.state, lang).is_empty(), "{kind:?}: completions show");
    m
}

const FORMS: [(FormKind, &str); 6] = [
    (FormKind::Restock, "restock"),
    (FormKind::Dispatch, "dispatch"),
    (FormKind::Receive, "receive"),
    (FormKind::StockTake, "stocktake"),
    (FormKind::Report, "report"),
    (FormKind::Handover, "handover"),
];

#[test]
fn forms_prefilled_with_completions() {
    for lang in LANGS {
        for size in [SMALL, LARGE] {
            for (kind, what) in FORMS {
                let m = open_form(lang, kind);
                snap(&name(lang, size, &format!("form_{what}")), &m, size);
            }
        }
    }
}

#[test]
fn form_with_a_local_error() {
    for lang in LANGS {
        for size in [SMALL, LARGE] {
            let mut m = demo_model(lang);
            key(&mut m, "r");
            focus(&mut m, "point");
            let effects = keys(&mut m, "P01<Tab>rice<Tab>abc<Enter>");
            assert!(effects.is_empty(), "nothing is sent: {effects:?}");
            assert!(crate::support::tui::field(&m, "qty").error.is_some());
            snap(&name(lang, size, "form_local_error"), &m, size);
        }
    }
}

/// Fills a dispatch beyond stock, submits it and feeds back the engine's own rejection.
fn rejected_dispatch(lang: Lang) -> Model {
    let mut m = demo_model(lang);
    key(&mut m, "d");
    focus(&mut m, "from");
    let effects = keys(&mut m, "P01<Tab>V01<Tab>rice<Tab>99999<Enter>");
    let [Effect::Submit(Request { cmd_id, cmd })] = effects.as_slice() else {
        panic!("one submit expected, got {effects:?}");
    };
    let ctx = Ctx {
        now: now(),
        access: &Access::Officer,
        seq: m.state.last_seq + 1,
        past_dispatch: &|_| None,
        demand: &Default::default(),
    };
    let rejection = validate(&m.state, cmd, &ctx).expect_err("more rice than P01 holds");
    assert_eq!(rejection.field, "qty");
    update(&mut m, Msg::Reply { cmd_id: cmd_id.clone(), reply: Err(Refusal::Rejected(rejection)) });
    m
}

#[test]
fn form_with_an_engine_rejection() {
    for lang in LANGS {
        for size in [SMALL, LARGE] {
            let m = rejected_dispatch(lang);
            assert!(crate::support::tui::field(&m, "qty").error.is_some());
            snap(&name(lang, size, "form_rejected"), &m, size);
        }
    }
}

#[test]
fn form_with_its_draft_restored() {
    for lang in LANGS {
        let mut m = demo_model(lang);
        keys(&mut m, "h李<Esc>");
        assert!(m.form().is_none(), "Esc closed the form at once");
        key(&mut m, "h");
        assert_eq!(m.form().and_then(|f| f.marker), Some("form.draft_restored"));
        snap(&name(lang, SMALL, "form_draft_restored"), &m, SMALL);
    }
}

#[test]
fn form_help() {
    for lang in LANGS {
        let mut m = demo_model(lang);
        keys(&mut m, "r?");
        assert_eq!(m.layer(), Layer::Help);
        snap(&name(lang, SMALL, "form_help"), &m, SMALL);
    }
}

#[test]
fn success_toast() {
    for lang in LANGS {
        let mut m = demo_model(lang);
        key(&mut m, "r");
        focus(&mut m, "point");
        let effects = keys(&mut m, "P01<Tab>rice<Tab>100<Enter>");
        let [Effect::Submit(req)] = effects.as_slice() else { panic!("one submit expected, got {effects:?}") };
        let outcome = Outcome {
            seq: 10301,
            cmd_id: req.cmd_id.clone(),
            dispatch: None,
            raised: vec!["A77".into()],
            cleared: vec![],
            duplicate: false,
            ..Outcome::default()
        };
        update(&mut m, Msg::Reply { cmd_id: req.cmd_id.clone(), reply: Ok(outcome) });
        assert!(m.form().is_none());
        snap(&name(lang, SMALL, "toast_recorded"), &m, SMALL);
    }
}

// ---------------------------------------------------------------------------------------------
// Help, empty store, disconnected, filter, too small.

#[test]
fn help_screen() {
    for lang in LANGS {
        for size in [SMALL, LARGE] {
            let mut m = demo_model(lang);
            key(&mut m, "?");
            assert!(m.is_open(Layer::Help));
            snap(&name(lang, size, "help"), &m, size);
        }
    }
}

#[test]
fn plan_screen() {
    for lang in LANGS {
        for size in [SMALL, LARGE] {
            let mut m = demo_model(lang);
            key(&mut m, "P");
            snap(&name(lang, size, "plan"), &m, size);
        }
        // A what-if for scenario 2, with the second transfer selected.
        let mut m = demo_model(lang);
        keys(&mut m, "Pllj");
        snap(&name(lang, LARGE, "plan_whatif_level2"), &m, LARGE);
        // The pre-filled dispatch over the plan.
        keys(&mut m, "<Enter>");
        snap(&name(lang, SMALL, "plan_accept"), &m, SMALL);
    }
}

#[test]
fn empty_store() {
    for lang in LANGS {
        for (k, what) in [("1", "roster"), ("2", "points"), ("3", "stock"), ("4", "alerts")] {
            let mut m = model_with(State::default(), lang);
            key(&mut m, k);
            snap(&name(lang, SMALL, &format!("empty_{what}")), &m, SMALL);
        }
        snap(&name(lang, LARGE, "empty_grid"), &model_with(State::default(), lang), LARGE);
    }
}

#[test]
fn disconnected() {
    for lang in LANGS {
        for size in [SMALL, LARGE] {
            let mut m = demo_model(lang);
            update(&mut m, Msg::Conn(Conn::Disconnected { since: now() - chrono::Duration::minutes(7) }));
            snap(&name(lang, size, "disconnected"), &m, size);
        }
    }
}

#[test]
fn filtered_points() {
    for lang in LANGS {
        let mut m = demo_model(lang);
        keys(&mut m, "2/超市");
        assert!(m.filtering());
        snap(&name(lang, SMALL, "points_filtering"), &m, SMALL);
    }
}

#[test]
fn too_small() {
    for lang in LANGS {
        for size in [(50, 10), (59, 24), (80, 14)] {
            let m = demo_model(lang);
            snap(&name(lang, size, "too_small"), &m, size);
        }
    }
}

#[test]
fn no_size_panics_or_breaks_wide_characters() {
    // Every size from tiny to large, with a form open (the widest popup) and without.
    let mut plain = demo_model(Lang::Zh);
    key(&mut plain, "4");
    let form = open_form(Lang::Zh, FormKind::Dispatch);
    let help = {
        let mut m = demo_model(Lang::Zh);
        key(&mut m, "?");
        m
    };
    let plan = {
        let mut m = demo_model(Lang::Zh);
        keys(&mut m, "Pl");
        m
    };
    for w in [1, 30, 59, 60, 61, 79, 80, 81, 119, 120, 159, 160, 200] {
        for h in [1, 14, 15, 16, 24, 44, 45, 50] {
            for m in [&plain, &form, &help, &plan] {
                let (mut terminal, frame) = draw(m, COLOR, (w, h));
                let broken = broken_wide_chars(&frame);
                assert!(broken.is_empty(), "{w}x{h}: cells hidden: {broken:?}\n{}", screen_text(&mut terminal));
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Colours (snapshots do not record them).

/// The first row of the buffer whose text contains `needle`, and the column it starts at.
fn find(buf: &Buffer, needle: &str, from_row: u16) -> Option<(u16, u16)> {
    for y in from_row..buf.area.height {
        let mut line = String::new();
        let mut xs = Vec::new();
        let mut x = 0;
        while x < buf.area.width {
            let s = buf[(x, y)].symbol();
            for _ in s.chars() {
                xs.push(x);
            }
            line.push_str(s);
            // Skip the cells a double-width character covers.
            x += unicode_width::UnicodeWidthStr::width(s).max(1) as u16;
        }
        if let Some(i) = line.find(needle) {
            let char_index = line[..i].chars().count();
            return Some((xs[char_index], y));
        }
    }
    None
}

#[test]
fn critical_alert_rows_are_white_on_red() {
    let mut m = demo_model(Lang::En);
    key(&mut m, "4");
    let rows = alert_rows(&m);
    let crit =
        rows.iter().position(|a| a.severity == Severity::Critical && a.cleared_at.is_none()).expect("a critical");
    let warn = rows.iter().position(|a| a.severity == Severity::Warning && a.cleared_at.is_none()).expect("a warning");
    let (terminal, _) = draw(&m, COLOR, SMALL);
    let buf = terminal.backend().buffer();
    // The table starts below the status bar, tab bar, border and header: rows at y = 4 + index.
    let (x, y) = find(buf, "CRITICAL", 4).expect("a CRITICAL cell");
    assert_eq!(y, 4 + crit as u16, "first critical row");
    for dx in 0..8 {
        let c = &buf[(x + dx, y)];
        assert_eq!(c.bg, Color::Red, "critical severity cell at {dx}");
        assert_eq!(c.fg, Color::White);
        assert!(c.modifier.contains(Modifier::BOLD));
    }
    let (x, y) = find(buf, "warning", 4).expect("a warning cell");
    assert_eq!(y, 4 + warn as u16);
    let c = &buf[(x, y)];
    assert_eq!((c.fg, c.bg), (Color::Yellow, Color::Reset), "warnings are yellow, not red");
    // The status bar counts the unacknowledged criticals in the critical style.
    // Two about stock and the watch, three named deliveries of medicine overdue.
    assert_eq!(m.critical_unacked(), 5);
    let (x, y) = find(buf, "5 critical unacked", 0).expect("status count");
    assert_eq!(y, 0);
    assert_eq!(buf[(x, y)].bg, Color::Red);
}

#[test]
fn cleared_alerts_are_dim() {
    let mut m = demo_model(Lang::En);
    // The demo's open warnings fill the panel: keep the criticals above the cleared ones.
    m.state.alerts.retain(|_, a| a.cleared_at.is_some() || a.severity == Severity::Critical);
    key(&mut m, "4");
    let rows = alert_rows(&m);
    let i = rows.iter().position(|a| a.cleared_at.is_some()).expect("a cleared alert in the last day");
    let first = rows[i].severity.label(Lang::En).chars().next().unwrap().to_string();
    let (terminal, _) = draw(&m, COLOR, LARGE);
    let buf = terminal.backend().buffer();
    let (tx, ty) = find(buf, " 4 Alerts", 0).expect("the alerts panel");
    let (_, y) = find(buf, "cleared", ty).expect("a cleared row in the alerts panel");
    assert_eq!(y, ty + 2 + i as u16, "the first cleared alert's row");
    let c = &buf[(tx, y)];
    assert_eq!(c.symbol(), first);
    assert_eq!((c.fg, c.bg), (Color::DarkGray, Color::Reset), "cleared alerts are dim, whatever their severity");
}

#[test]
fn stock_status_colours() {
    let state = demo_state();
    let mut m = model_with(state, Lang::En);
    // Every point's stock: find a stocked-out and a below-norm row.
    let out = {
        m.stock_point = Some("P09".into());
        let rows = stock_rows(&m);
        let r =
            rows.iter().find(|r| r.cover.status == StockStatus::StockedOut).expect("P09 is stocked out of something");
        r.item.code.clone()
    };
    let (terminal, _) = draw(&m, COLOR, SMALL);
    let buf = terminal.backend().buffer();
    let (_, y) = find(buf, &format!("{out} "), 4).expect("the stocked-out row");
    let (x, y2) = find(buf, "stocked out", y).expect("its status cell");
    assert_eq!(y, y2, "status on the same row");
    for dx in 0.."stocked out".len() as u16 {
        assert_eq!(buf[(x + dx, y)].bg, Color::Red, "stocked-out status cell is red");
    }

    m.stock_point = None;
    let below = stock_rows(&m).into_iter().find(|r| r.cover.status == StockStatus::BelowNorm).expect("below norm");
    let code = below.item.code.clone();
    let (terminal, _) = draw(&m, COLOR, SMALL);
    let buf = terminal.backend().buffer();
    let (_, y) = find(buf, &format!("{code} "), 4).expect("the below-norm row");
    let (x, y2) = find(buf, "below norm", y).expect("its status cell");
    assert_eq!(y, y2);
    let c = &buf[(x, y)];
    assert_eq!((c.fg, c.bg), (Color::Yellow, Color::Reset), "below norm is yellow");
    assert!(c.modifier.contains(Modifier::BOLD));
    // ... and an ok row is green.
    let (x, y) = find(buf, " ok ", 4).expect("an ok row");
    assert_eq!(buf[(x + 1, y)].fg, Color::Green);
}

#[test]
fn no_color_theme_uses_no_colour_at_all() {
    let theme = Theme { color: false };
    let mut screens: Vec<(String, Model, (u16, u16))> = Vec::new();
    for lang in LANGS {
        screens.push(("grid".into(), demo_model(lang), LARGE));
        for k in ["1", "2", "3", "4"] {
            let mut m = demo_model(lang);
            key(&mut m, k);
            screens.push((format!("panel {k}"), m, SMALL));
        }
        screens.push(("rejected".into(), rejected_dispatch(lang), SMALL));
        let mut m = demo_model(lang);
        update(&mut m, Msg::Conn(Conn::Disconnected { since: now() }));
        screens.push(("disconnected".into(), m, SMALL));
        let mut m = demo_model(lang);
        key(&mut m, "?");
        screens.push(("help".into(), m, LARGE));
    }
    for (what, m, size) in &screens {
        let (terminal, _) = draw(m, theme, *size);
        let buf = terminal.backend().buffer();
        for y in 0..buf.area.height {
            for x in 0..buf.area.width {
                let c = &buf[(x, y)];
                assert!(
                    c.fg == Color::Reset && c.bg == Color::Reset,
                    "{what}: cell ({x},{y}) {:?} has colour fg {:?} bg {:?}",
                    c.symbol(),
                    c.fg,
                    c.bg
                );
            }
        }
    }
    // Without colour, a critical alert still stands out: reversed and bold.
    let mut m = demo_model(Lang::En);
    key(&mut m, "4");
    let (terminal, _) = draw(&m, theme, SMALL);
    let buf = terminal.backend().buffer();
    let (x, y) = find(buf, "CRITICAL", 4).expect("critical row");
    assert!(buf[(x, y)].modifier.contains(Modifier::REVERSED | Modifier::BOLD));
}

#[test]
fn form_cursor_sits_after_chinese_text() {
    // Input methods follow the real cursor: it must sit right after the typed characters.
    let mut m = demo_model(Lang::Zh);
    keys(&mut m, "h王秀");
    let (mut terminal, _) = draw(&m, COLOR, SMALL);
    let cursor = terminal.backend_mut().get_cursor_position().expect("cursor");
    let buf = terminal.backend().buffer();
    assert_eq!(buf[(cursor.x - 2, cursor.y)].symbol(), "秀", "cursor follows the double-width text");
    assert_eq!(buf[(cursor.x - 4, cursor.y)].symbol(), "王");
    assert_eq!(buf[(cursor.x, cursor.y)].symbol(), " ");
}

#[test]
fn detector_sees_a_border_hidden_under_a_wide_character() {
    // The check every snapshot runs must itself work: a border drawn over the second half of a
    // Chinese character is reported.
    let mut buf = Buffer::empty(ratatui::layout::Rect::new(0, 0, 4, 1));
    buf.set_string(0, 0, "片", ratatui::style::Style::new());
    assert!(broken_wide_chars(&buf).is_empty());
    buf[(1, 0)].set_symbol("│");
    let broken = broken_wide_chars(&buf);
    assert_eq!(broken.len(), 1, "{broken:?}");
    assert_eq!((broken[0].x, broken[0].y, broken[0].wide.as_str(), broken[0].hidden.as_str()), (0, 0, "片", "│"));
}

#[test]
fn the_highlighted_completion_is_the_one_tab_takes() {
    let reversed = |buf: &Buffer, text: &str| {
        let (x, y) = find(buf, text, 0).unwrap_or_else(|| panic!("{text} on screen"));
        buf[(x, y)].modifier.contains(Modifier::REVERSED)
    };
    // Typed "P0", then Down: P02 is highlighted, P01 is not.
    let mut m = demo_model(Lang::En);
    keys(&mut m, "rP0<Down>");
    let (terminal, _) = draw(&m, COLOR, SMALL);
    let buf = terminal.backend().buffer();
    assert!(reversed(buf, "P02 家家福超市"));
    assert!(!reversed(buf, "P01 王官庄惠民超市"));
    // An empty field lists candidates but highlights none: Tab would leave it empty.
    let mut m = demo_model(Lang::En);
    keys(&mut m, "r");
    let (terminal, _) = draw(&m, COLOR, SMALL);
    let buf = terminal.backend().buffer();
    assert!(!reversed(buf, "C01 幸福小区便利店"));
    // A pre-filled choice highlights the value it holds.
    let mut m = demo_model(Lang::En);
    keys(&mut m, "2jjjs<Tab><Tab>lost<Tab><S-Tab>");
    let (terminal, _) = draw(&m, COLOR, SMALL);
    let buf = terminal.backend().buffer();
    let (_, y) = find(buf, "reason* lost", 0).expect("the field");
    let (x, y2) = find(buf, "lost", y + 1).expect("its candidate");
    assert!(buf[(x, y2)].modifier.contains(Modifier::REVERSED));
    let (x, y3) = find(buf, "counted", y + 1).expect("another candidate");
    assert!(!buf[(x, y3)].modifier.contains(Modifier::REVERSED));
}
