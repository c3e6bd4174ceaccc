//! The demand side on the faces, over the demo town's 14 days of tallies and requests: the
//! console's Requests panel and its forms (approve, refuse, the dispatch form filled in from a
//! request), the point face's requests, tally and signature forms, at 80x24 and 200x50 in
//! English and Chinese (snapshots); and what the keys send: the same commands as the CLI's.

use crate::support::tui::{demo_state, key, keys, model_with};
use baogong::api::Refusal;
use baogong::domain::command::{Command, Dest};
use baogong::domain::demand::{Request, RequestStatus};
use baogong::domain::reject::{Reason, Rejection};
use baogong::domain::{Lang, Qty};
use baogong::proto::FaceKind;
use baogong::tui::faces::render;
use baogong::tui::form::FormKind;
use baogong::tui::model::{request_rows, Model, Panel};
use baogong::tui::theme::Theme;
use baogong::tui::update::{update, Effect, Msg};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

const SIZES: [(u16, u16); 2] = [(80, 24), (200, 50)];
const LANGS: [(Lang, &str); 2] = [(Lang::En, "en"), (Lang::Zh, "zh")];

fn snap(m: &Model, name: &str, (w, h): (u16, u16), tag: &str) {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    t.draw(|f| render(m, Theme { color: true }, f)).expect("draw");
    crate::support::assert_snapshot("demand", &format!("{name}_{tag}_{w}x{h}"), t.backend());
}

fn console(lang: Lang) -> Model {
    let mut m = model_with(demo_state(), lang);
    key(&mut m, "5");
    m
}

fn point_face(lang: Lang, point: &str) -> Model {
    let mut m = model_with(demo_state(), lang);
    m.face = FaceKind::Point { point: point.into() };
    m.stock_point = Some(point.into());
    m
}

/// Selects the first listed request that `want` takes; its id.
fn select(m: &mut Model, want: impl Fn(&Request) -> bool) -> u64 {
    let rows = request_rows(m);
    let (i, r) = rows.iter().enumerate().find(|(_, r)| want(r)).expect("the demo town has such a request");
    let id = r.id;
    m.sel[Panel::Requests as usize] = i;
    id
}

fn submitted(effects: Vec<Effect>) -> Command {
    match effects.as_slice() {
        [Effect::Submit(req)] => req.cmd.clone(),
        other => panic!("one command sent, not {other:?}"),
    }
}

#[test]
fn the_demo_town_opens_with_requests_of_every_kind() {
    let m = console(Lang::En);
    let today = m.now.date_naive();
    let rows = request_rows(&m);
    for s in [RequestStatus::Requested, RequestStatus::Dispatched, RequestStatus::Closed, RequestStatus::Refused] {
        assert!(rows.iter().any(|r| r.status() == s), "a {s:?} request");
    }
    let overdue = rows.iter().filter(|r| r.overdue(today)).count();
    assert!((1..=10).contains(&overdue), "a few overdue, not {overdue}");
    assert!(rows.iter().take(overdue).all(|r| r.overdue(today)), "overdue first");
    assert!(m.state.alerts.values().any(|a| a.kind == baogong::domain::alerts::AlertKind::TallyOverdue));
}

#[test]
fn requests_panel_snapshots() {
    for (lang, tag) in LANGS {
        for size in SIZES {
            snap(&console(lang), "requests_panel", size, tag);
        }
    }
}

#[test]
fn approve_and_refuse_forms() {
    for (lang, tag) in LANGS {
        for size in SIZES {
            let mut m = console(lang);
            select(&mut m, |r| r.status() == RequestStatus::Requested);
            key(&mut m, "v");
            assert_eq!(m.form().map(|f| f.kind), Some(FormKind::Approve));
            snap(&m, "approve_form", size, tag);
            key(&mut m, "<Esc>");
            key(&mut m, "x");
            assert_eq!(m.form().map(|f| f.kind), Some(FormKind::Refuse));
            snap(&m, "refuse_form", size, tag);
        }
    }
}

/// `v`, a lower quantity and a reason: the approval the CLI's `log approve --qty --reason` sends.
#[test]
fn v_approves_for_less_with_a_reason() {
    let mut m = console(Lang::En);
    let id = select(&mut m, |r| r.status() == RequestStatus::Requested && r.qty > Qty::units(2));
    key(&mut m, "v");
    let cmd = submitted(keys(&mut m, "1<Tab>short of stock<Enter>"));
    let want =
        Command::Approve { request: Request::label(id), qty: Some(Qty::units(1)), reason: "short of stock".into() };
    assert_eq!(cmd, want);
    // A request no longer waiting for approval opens no form and says where it stands.
    let mut m = console(Lang::En);
    select(&mut m, |r| r.status() == RequestStatus::Closed);
    key(&mut m, "v");
    assert!(m.form().is_none());
    assert!(m.toast.as_ref().is_some_and(|t| t.text.contains("closed")), "{:?}", m.toast);
}

/// Enter on an approved request: the dispatch form from its point to its village, its item,
/// what is approved and not yet sent, the request named; Enter again sends that dispatch.
#[test]
fn enter_on_a_request_opens_the_dispatch_form_filled_in() {
    for (lang, tag) in LANGS {
        for size in SIZES {
            let mut m = console(lang);
            select(&mut m, |r| r.unsent() > Qty::ZERO);
            key(&mut m, "<Enter>");
            snap(&m, "dispatch_for_request", size, tag);
        }
    }
    let mut m = console(Lang::En);
    let id = select(&mut m, |r| r.unsent() > Qty::ZERO);
    let r = m.state.requests[&id].clone();
    key(&mut m, "<Enter>");
    let want = Command::Dispatch {
        from: r.point.clone(),
        to: Dest::Village(r.requester.village().into()),
        item: r.item.clone(),
        qty: r.unsent(),
        vehicle: None,
        note: String::new(),
        requests: vec![Request::label(id)],
    };
    assert_eq!(submitted(key(&mut m, "<Enter>")), want);
    // Waiting for approval: nothing to send yet, and the toast says what to do.
    let mut m = console(Lang::En);
    select(&mut m, |r| r.status() == RequestStatus::Requested);
    key(&mut m, "<Enter>");
    assert!(m.form().is_none());
    assert!(m.toast.as_ref().is_some_and(|t| t.text.contains("approve it first")), "{:?}", m.toast);
}

#[test]
fn point_face_requests_tally_and_signature() {
    for (lang, tag) in LANGS {
        for size in SIZES {
            let mut m = point_face(lang, "P03");
            key(&mut m, "<Tab>");
            assert_eq!(m.panel, Panel::Requests);
            snap(&m, "point_requests", size, tag);
            key(&mut m, "t");
            keys(&mut m, "rice=20 oil=5");
            snap(&m, "point_tally_form", size, tag);
            key(&mut m, "<Esc>");
            key(&mut m, "g");
            snap(&m, "point_sign_form", size, tag);
        }
    }
}

/// The tally form: several lines in one field, a refusal keeps everything typed and marks the
/// field, Esc always leaves; a zero tally is the choice, not an empty form.
#[test]
fn the_tally_form_sends_one_tally_and_keeps_it_on_a_refusal() {
    let mut m = point_face(Lang::En, "P03");
    key(&mut m, "t");
    let village = m.form().and_then(|f| f.fields.first()).map(|f| f.input.value().to_string()).expect("form");
    assert!(m.state.villages.get(&village).is_some_and(|v| v.point == "P03"), "a village of P03: {village}");
    let cmd = submitted(keys(&mut m, "<Tab>rice=20, oil=5<Enter>"));
    let Command::Tally { village: v, lines, zero, .. } = &cmd else { panic!("a tally: {cmd:?}") };
    assert_eq!((v.as_str(), lines.len(), *zero), (village.as_str(), 2, false));
    assert_eq!((lines[1].item.as_str(), lines[1].qty), ("oil", Qty::units(5)));
    // The engine refuses (tallied already): the form stays with what was typed, marked.
    let cmd_id = m.form().expect("still open").cmd_id.clone();
    let rej = Rejection::new("village", Reason::AlreadyTallied { village: village.clone(), date: "x".into() });
    update(&mut m, Msg::Reply { cmd_id, reply: Err(Refusal::Rejected(rej)) });
    let form = m.form().expect("the form stays");
    assert!(form.fields[0].error.is_some());
    assert_eq!(form.fields[1].input.value(), "rice=20, oil=5");
    key(&mut m, "<Esc>");
    assert!(m.form().is_none(), "Esc leaves");
    // A line that is not item=qty is marked before anything is sent.
    let mut m = point_face(Lang::En, "P03");
    key(&mut m, "t");
    assert!(keys(&mut m, "<Tab>rice 20<Enter>").is_empty());
    assert!(m.form().is_some_and(|f| f.fields[1].error.is_some()));
}
