//! Bad input in the console's forms, through `update` as the terminal would type it: every field
//! of every form (restock, dispatch, receive, stock-take, report, handover, level, price) with
//! every bad value class (empty, whitespace, huge numbers, negative and fractional quantities of
//! whole-unit items, non-numbers, NaN/inf, impossible, past and far-future dates, unknown codes,
//! mixed-width Chinese, control characters and ANSI escapes, 10 kB values). A value the form's
//! own checks pass goes to the engine's `validate` and its rejection comes back as the reply.
//! Each time the form stays open, keeps exactly what was typed, marks the field at fault and
//! shows why beside it. Also: data holding escape sequences and control characters (names,
//! codes, notes, the town, alert subjects) never reaches the terminal raw on any screen.

use crate::support::tui::{demo_model, demo_state, key, model_with, now, press};
use baogong::api::Refusal;
use baogong::domain::command::Dest;
use baogong::domain::rules::validate::{validate, Ctx};
use baogong::domain::state::DispatchStatus;
use baogong::domain::{Access, Lang, State};
use baogong::i18n::t;
use baogong::proto::FaceKind;
use baogong::tui::faces::render;
use baogong::tui::form::{error_text, FormKind};
use baogong::tui::layers::form::label_key;
use baogong::tui::model::Model;
use baogong::tui::theme::Theme;
use baogong::tui::update::{update, Effect, Msg};
use crossterm::event::KeyCode;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::Terminal;

const SIZES: [(u16, u16); 2] = [(80, 24), (200, 50)];

/// Draws the model; returns the frame.
fn draw(m: &Model, (w, h): (u16, u16)) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
    terminal.draw(|f| render(m, Theme { color: true }, f)).expect("render").buffer.clone()
}

/// Every cell whose symbol holds a control character, as (x, y, symbol).
fn raw_cells(frame: &Buffer) -> Vec<(u16, u16, String)> {
    let mut out = Vec::new();
    for y in 0..frame.area.height {
        for x in 0..frame.area.width {
            let s = frame[(x, y)].symbol();
            if s.chars().any(|c| c.is_control()) {
                out.push((x, y, s.to_string()));
            }
        }
    }
    out
}

/// The frame as text, one line per row, a double-width character once.
fn text(frame: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..frame.area.height {
        let mut x = 0;
        while x < frame.area.width {
            let s = frame[(x, y)].symbol();
            out.push_str(s);
            x += unicode_width::UnicodeWidthStr::width(s).max(1) as u16;
        }
        out.push('\n');
    }
    out
}

/// Types `value` into the field `name` of the open form: focus it, clear it, type each
/// character as a key press (control characters included, as a paste would deliver them).
fn type_into(m: &mut Model, name: &str, value: &str) {
    let form = m.form_mut().expect("a form is open");
    let i = form.fields.iter().position(|f| f.name == name).unwrap_or_else(|| panic!("no field {name}"));
    form.focus = i;
    // A pre-filled value goes with the first key; whatever else is there, with Backspace.
    update(m, press(KeyCode::Char('x')));
    loop {
        let f = &m.form().expect("a form is open").fields[i];
        if f.input.value().is_empty() {
            break;
        }
        update(m, press(KeyCode::End));
        update(m, press(KeyCode::Backspace));
    }
    for c in value.chars() {
        update(m, press(KeyCode::Char(c)));
    }
}

fn long(n: usize) -> String {
    "长".repeat(n / 3)
}

fn codes() -> Vec<String> {
    vec![
        "".into(),
        "   ".into(),
        "NOPE".into(),
        "P０１".into(),
        "送货点P01".into(),
        "P01\x07".into(),
        "\x1b[2J".into(),
        "P01\r".into(),
        "\x1b[31mP01\x1b[0m".into(),
        "99999999999999999999".into(),
        long(10 * 1024),
    ]
}

fn quantities() -> Vec<String> {
    vec![
        "".into(),
        "  ".into(),
        "1e30".into(),
        "99999999999999999999".into(),
        "1000000001".into(),
        "-5".into(),
        "0".into(),
        "-0.5".into(),
        "1.5".into(),
        "0.001".into(),
        "1.0001".into(),
        "abc".into(),
        "NaN".into(),
        "inf".into(),
        "1,000".into(),
        "１２".into(),
        "5\x07".into(),
        "\x1b[2J".into(),
        "9".repeat(10 * 1024),
    ]
}

fn deltas() -> Vec<String> {
    vec![
        "".into(),
        "1e30".into(),
        "99999999999999999999".into(),
        "-999999999".into(),
        "0".into(),
        "1.5".into(),
        "-2.5".into(),
        "NaN".into(),
        "-inf".into(),
        "１２".into(),
        "\x1b[2J".into(),
    ]
}

fn money() -> Vec<String> {
    vec![
        "".into(),
        "1e30".into(),
        "99999999999999999999".into(),
        "100001".into(),
        "-1".into(),
        "0".into(),
        "1.234".into(),
        "NaN".into(),
        "inf".into(),
        "１２".into(),
        "\x1b[2J".into(),
    ]
}

/// Dates that are malformed, impossible or far ahead (`past`: long past is bad too).
fn dates(past: bool) -> Vec<String> {
    let mut v: Vec<String> = vec![
        "2026-02-30".into(),
        "2026-13-01".into(),
        "9999-12-31".into(),
        "29/11/2026".into(),
        "二〇二六年".into(),
        "2026-01-01\x1b[2J".into(),
        long(10 * 1024),
    ];
    if past {
        v.push("1900-01-01".into());
    }
    v
}

fn texts() -> Vec<String> {
    vec!["\x07".into(), "\x1b[2J".into(), "a\rb".into(), "\x1b[31mred\x1b[0m".into(), "x".repeat(501), long(10 * 1024)]
}

fn choices() -> Vec<String> {
    vec!["".into(), "bogus".into(), "捐赠".into(), "\x1b[2J".into(), long(10 * 1024)]
}

/// The form each key opens, a valid value for each field, and the bad values per field.
struct Spec {
    open: &'static str,
    kind: FormKind,
    good: Vec<(&'static str, String)>,
    bad: Vec<(&'static str, Vec<String>)>,
}

fn specs(state: &State) -> Vec<Spec> {
    let transfer = state
        .dispatches
        .values()
        .find(|d| d.status() == DispatchStatus::InTransit && matches!(d.to, Dest::Point(_)))
        .expect("the demo has a transfer in transit");
    let transfer_id = baogong::domain::state::Dispatch::label(transfer.id);
    let too_much = format!("{}", transfer.qty.as_f64() + 1.0);
    let person = state.people.keys().next().expect("people").clone();
    let g = |v: &str| v.to_string();
    let non_empty = |v: Vec<String>| v.into_iter().filter(|x| !x.trim().is_empty()).collect::<Vec<_>>();
    vec![
        Spec {
            open: "r",
            kind: FormKind::Restock,
            good: vec![("point", g("P01")), ("item", g("mask")), ("qty", g("10"))],
            bad: vec![
                ("point", codes()),
                ("item", codes()),
                ("qty", quantities()),
                ("source", choices()),
                ("batch", texts()),
                ("expiry", dates(true)),
                ("note", texts()),
            ],
        },
        Spec {
            open: "d",
            kind: FormKind::Dispatch,
            good: vec![("from", g("P01")), ("to", g("P02")), ("item", g("mask")), ("qty", g("1"))],
            bad: vec![
                ("from", codes()),
                ("to", [codes(), vec![g("V06")]].concat()),
                ("item", codes()),
                ("qty", quantities()),
                ("vehicle", non_empty(codes())),
                ("note", texts()),
            ],
        },
        Spec {
            open: "c",
            kind: FormKind::Receive,
            good: vec![("dispatch", transfer_id)],
            bad: vec![
                ("dispatch", [codes(), vec![g("D99999999999999999999"), g("D-1")]].concat()),
                ("qty", vec![g("-5"), too_much, g("1e30"), g("NaN"), g("abc"), g("１２"), g("\x1b[2J")]),
                ("note", texts()),
            ],
        },
        Spec {
            open: "s",
            kind: FormKind::StockTake,
            good: vec![("point", g("P01")), ("item", g("mask")), ("reason", g("lost")), ("delta", g("-1"))],
            bad: vec![
                ("point", codes()),
                ("item", codes()),
                ("delta", deltas()),
                ("reason", choices()),
                ("batch", texts()),
                ("note", texts()),
            ],
        },
        Spec {
            open: "p",
            kind: FormKind::Report,
            good: vec![("point", g("P01"))],
            bad: vec![
                ("point", codes()),
                ("date", [dates(true), vec![g(""), g("2099-01-01")]].concat()),
                ("zero", choices()),
                ("note", texts()),
            ],
        },
        Spec {
            open: "h",
            kind: FormKind::Handover,
            good: vec![("to", person)],
            bad: vec![("to", codes()), ("note", texts())],
        },
        Spec {
            open: "$",
            kind: FormKind::Price,
            good: vec![("point", g("P01")), ("item", g("rice")), ("yuan", g("5"))],
            bad: vec![("point", codes()), ("item", codes()), ("yuan", money())],
        },
    ]
}

/// Engine field names the form shows on one of its own fields.
fn form_field(engine_field: &str) -> &str {
    match engine_field {
        "to_point" | "to_village" => "to",
        "fen" => "yuan",
        other => other,
    }
}

#[test]
fn every_bad_value_in_every_form_field_keeps_the_form_and_names_the_field() {
    let state = demo_state();
    let mut tried = 0;
    let mut failures = Vec::new();
    // Every value in English; in Chinese the first few of each field (each case builds a model).
    for (lang, per_field) in [(Lang::En, usize::MAX), (Lang::Zh, 3)] {
        // One model per language: each case opens a fresh form on it and nothing is applied.
        let mut m = demo_model(lang);
        for spec in specs(&state) {
            for (name, values) in &spec.bad {
                for value in values.iter().take(per_field) {
                    tried += 1;
                    m.overlays.clear();
                    m.toast = None;
                    if let Some(why) = one_case(&mut m, &spec, name, value) {
                        let mut shown = format!("{value:?}");
                        shown.truncate(shown.char_indices().nth(40).map_or(shown.len(), |(i, _)| i));
                        failures.push(format!("{:?} {name} = {shown} ({lang:?}): {why}", spec.kind));
                    }
                }
            }
        }
    }
    eprintln!("form bad inputs tried: {tried}");
    assert!(failures.is_empty(), "{} of {tried} bad form inputs mishandled:\n{}", failures.len(), failures.join("\n"));
}

/// One bad value in one field of a form otherwise filled in well; None when handled right.
fn one_case(m: &mut Model, spec: &Spec, name: &str, value: &str) -> Option<String> {
    let lang = m.lang;
    key(m, spec.open);
    if m.form().map(|f| f.kind) != Some(spec.kind) {
        return Some(format!("{:?} did not open the form", spec.open));
    }
    for (f, v) in &spec.good {
        type_into(m, f, v);
    }
    type_into(m, name, value);
    let effects = update(m, press(KeyCode::Enter));
    match effects.as_slice() {
        [] => {}
        [Effect::Submit(req)] => {
            // The form's own checks passed: the engine decides, as it would over the link.
            let ctx = Ctx {
                now: now(),
                access: &Access::Officer,
                seq: m.state.last_seq + 1,
                past_dispatch: &|_| None,
                demand: &Default::default(),
            };
            match validate(&m.state, &req.cmd, &ctx) {
                Ok(_) => return Some(format!("accepted: {:?}", req.cmd)),
                Err(rej) => {
                    if form_field(&rej.field) != name {
                        return Some(format!("the engine blamed {} ({})", rej.field, rej.message(Lang::En)));
                    }
                    let reply = Err(Refusal::Rejected(rej));
                    update(m, Msg::Reply { cmd_id: req.cmd_id.clone(), reply });
                }
            }
        }
        other => return Some(format!("unexpected effects {other:?}")),
    }
    let Some(form) = m.form() else { return Some("the form closed".into()) };
    let Some(field) = form.fields.iter().find(|f| f.name == name) else { return Some("field gone".into()) };
    if field.input.value() != value {
        return Some(format!("the field holds {:?}, not what was typed", field.input.value()));
    }
    let Some(stored) = &field.error else {
        return Some(format!("no error on the field (form error {:?})", form.error));
    };
    if form.fields[form.focus].name != name {
        return Some(format!("focus is on {}, not on the field at fault", form.fields[form.focus].name));
    }
    let error = baogong::text::scrub(&error_text(stored, lang));
    let label = t(lang, &label_key(spec.kind, name)).to_string();
    for size in SIZES {
        let frame = draw(m, size);
        let raw = raw_cells(&frame);
        if !raw.is_empty() {
            return Some(format!("control characters reached the terminal at {size:?}: {raw:?}"));
        }
        if size == (200, 50) {
            let screen = text(&frame);
            let head: String = error.chars().take(12).collect();
            let lines: Vec<&str> = screen.lines().collect();
            // The label's line in the form (the panels behind it may use the same word) holds the
            // error, or the line below it does.
            let shown = (0..lines.len())
                .filter(|&i| lines[i].contains(&label))
                .any(|i| lines[i..(i + 2).min(lines.len())].iter().any(|l| l.contains(&head)));
            if !shown {
                return Some(format!("the error {head:?} is not shown beside the label {label:?}"));
            }
        }
    }
    None
}

/// Appends an escape sequence, a bell and a carriage return to `s`.
fn hostile(s: &mut String) {
    s.push_str("\x1b[31m\x07红\r\x1b]0;pwned\x07");
}

/// The demo town with escape sequences and control characters in every name, code-free text and
/// note the screens show, as an old store or a restored log could hold them.
fn hostile_state() -> State {
    let mut s = demo_state();
    hostile(&mut s.settings.town);
    for z in s.zones.values_mut() {
        hostile(&mut z.name);
        hostile(&mut z.lead);
    }
    for p in s.points.values_mut() {
        hostile(&mut p.name);
        hostile(&mut p.manager);
        hostile(&mut p.phone);
    }
    for v in s.villages.values_mut() {
        hostile(&mut v.name);
        hostile(&mut v.checkpoint);
    }
    for i in s.items.values_mut() {
        hostile(&mut i.name_zh);
        hostile(&mut i.name_en);
        hostile(&mut i.unit);
    }
    for p in s.people.values_mut() {
        hostile(&mut p.title);
        hostile(&mut p.unit);
        hostile(&mut p.duty);
        hostile(&mut p.phone);
    }
    for v in s.vehicles.values_mut() {
        hostile(&mut v.pass_no);
    }
    for a in s.alerts.values_mut() {
        hostile(&mut a.subject);
        if let Some(by) = a.acked_by.as_mut() {
            hostile(by);
        }
    }
    for r in s.reports.values_mut() {
        hostile(&mut r.note);
        hostile(&mut r.by);
    }
    for h in s.handovers.values_mut() {
        hostile(&mut h.note);
    }
    // Codes too: a point, a person and an item whose very codes carry escapes.
    let mut p = s.points.get("P01").expect("P01").clone();
    p.code = "P\x1b[5m99\x07".into();
    s.points.insert(p.code.clone(), p);
    let mut person = s.people.values().next().expect("people").clone();
    person.name = "\x1b[2J王\r五".into();
    s.people.insert(person.name.clone(), person);
    let mut item = s.items.get("rice").expect("rice").clone();
    item.code = "ri\x1bce".into();
    s.items.insert(item.code.clone(), item);
    s
}

#[test]
fn escapes_in_data_never_reach_the_terminal() {
    let state = hostile_state();
    // Every screen of the console, the point face and the wall, in both languages and sizes,
    // with forms open so their completions list the hostile names and codes.
    let walks: &[&str] = &[
        "",
        "1",
        "2",
        "3",
        "4",
        "2<Enter>",
        "2jjj<Enter>",
        "R",
        "R[",
        "?",
        "r",
        "rP",
        "d",
        "dP01<Tab>",
        "h",
        "c",
        "s",
        "p",
        "L",
        "$",
        "rP01<Tab>ri",
        "/P",
    ];
    let mut screens = 0;
    let mut failures = Vec::new();
    for lang in [Lang::En, Lang::Zh] {
        for face in [FaceKind::Console, FaceKind::Point { point: "P01".into() }, FaceKind::Wall] {
            for walk in walks {
                let mut m = model_with(state.clone(), lang);
                if let FaceKind::Point { point } = &face {
                    m.stock_point = Some(point.clone());
                }
                m.face = face.clone();
                crate::support::tui::keys(&mut m, walk);
                for size in [(80, 24), (200, 50), (120, 40)] {
                    screens += 1;
                    let raw = raw_cells(&draw(&m, size));
                    if !raw.is_empty() {
                        failures.push(format!("{face:?} {walk:?} {lang:?} {size:?}: {:?}", &raw[..raw.len().min(5)]));
                    }
                }
            }
        }
    }
    eprintln!("screens with hostile data drawn: {screens}");
    assert!(failures.is_empty(), "raw control characters on screen:\n{}", failures.join("\n"));
}

/// A toast or a form error quoting a rejection that quotes typed escapes shows them scrubbed.
#[test]
fn a_rejection_quoting_escapes_is_shown_scrubbed() {
    let reason = baogong::domain::Reason::UnknownPoint { code: "\x1b[2J\x07\r".into() };
    // A restock form waiting for the engine's answer.
    let waiting = || {
        let mut m = demo_model(Lang::En);
        key(&mut m, "r");
        type_into(&mut m, "point", "P01");
        type_into(&mut m, "item", "mask");
        type_into(&mut m, "qty", "1");
        let effects = update(&mut m, press(KeyCode::Enter));
        let [Effect::Submit(req)] = effects.as_slice() else { panic!("one submit expected, got {effects:?}") };
        let id = req.cmd_id.clone();
        (m, id)
    };
    let mut shown = Vec::new();
    // On a field, and on the form as a whole (a field the form does not have).
    for field in ["batch", "nonesuch"] {
        let (mut m, id) = waiting();
        let rej = baogong::domain::Rejection::new(field, reason.clone());
        update(&mut m, Msg::Reply { cmd_id: id, reply: Err(Refusal::Rejected(rej)) });
        assert!(m.form().is_some(), "the form stays open");
        shown.push(m);
    }
    // As a toast: an alert acknowledgement has no form.
    let mut m = demo_model(Lang::En);
    let rej = baogong::domain::Rejection::new("alert", reason);
    update(&mut m, Msg::Reply { cmd_id: "ack-x".into(), reply: Err(Refusal::Rejected(rej)) });
    assert!(m.toast.is_some(), "the refusal is toasted");
    shown.push(m);
    for model in &shown {
        for size in SIZES {
            let raw = raw_cells(&draw(model, size));
            assert!(raw.is_empty(), "raw control characters: {raw:?}");
        }
    }
}
