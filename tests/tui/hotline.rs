//! Issue 15 on the console: the hotline screen (`K`) and the households screen (`H`) over the
//! demo town's 36 households and day of calls, at 80x24 and 200x50 in English and Chinese
//! (snapshots); their order (overdue first); the forms they open (a call taken, assign,
//! resolve, a request made from a case or for a household's due delivery) and what saving
//! sends, through a real engine for the request linked to its case; Esc keeping drafts; and
//! personal data shown only where the face's role may see it.

use crate::support::tui::{demo_engine, demo_state, key, keys, model_with, now, screen_text, snap, submitted};
use baogong::api::{Caller, Refusal, Request as ApiRequest};
use baogong::domain::command::{Command, Face};
use baogong::domain::demand::Requester;
use baogong::domain::hotline::{Case, CaseStatus};
use baogong::domain::reject::{Reason, Rejection};
use baogong::domain::{Lang, Qty};
use baogong::engine::Engine;
use baogong::proto::FaceKind;
use baogong::tui::form::{error_text, FormKind};
use baogong::tui::keymap::{self, Layer};
use baogong::tui::model::{case_rows, household_rows, Model, Overlay};
use baogong::tui::update::{update, Effect, Msg, DRAFT_RESTORED};

const SIZES: [(u16, u16); 2] = [(80, 24), (200, 50)];
const LANGS: [(Lang, &str); 2] = [(Lang::En, "en"), (Lang::Zh, "zh")];

fn console(lang: Lang) -> Model {
    model_with(demo_state(), lang)
}

/// Puts the hotline screen's selection on the first listed case `want` takes; its id.
fn select_case(m: &mut Model, want: impl Fn(&Case) -> bool) -> u64 {
    let rows = case_rows(m);
    let (i, c) = rows.iter().enumerate().find(|(_, c)| want(c)).expect("the demo town has such a case");
    let id = c.id;
    match m.overlays.last_mut() {
        Some(Overlay::Hotline(s)) => s.sel = i,
        _ => panic!("the hotline screen is on top"),
    }
    id
}

#[test]
fn the_keys_open_both_screens_and_no_layer_binds_a_key_twice() {
    for map in [keymap::CONSOLE, keymap::HOTLINE, keymap::HOUSEHOLDS] {
        assert_eq!(keymap::duplicates(map), Vec::<String>::new());
    }
    let mut m = console(Lang::En);
    key(&mut m, "K");
    assert_eq!(m.layer(), Layer::Hotline);
    key(&mut m, "<Esc>");
    assert_eq!(m.layer(), Layer::Main);
    key(&mut m, "H");
    assert_eq!(m.layer(), Layer::Households);
    key(&mut m, "q");
    assert_eq!(m.layer(), Layer::Main, "q closes the screen, it does not quit");
    assert!(!m.quit);
}

#[test]
fn hotline_and_households_snapshots() {
    for (lang, tag) in LANGS {
        for size in SIZES {
            let mut m = console(lang);
            key(&mut m, "K");
            snap("hotline", &m, "hotline", size, tag);
            key(&mut m, "<Esc>");
            key(&mut m, "H");
            snap("hotline", &m, "households", size, tag);
        }
    }
}

/// The request form filled in from a case, and the call form, as they open over the screen.
#[test]
fn form_snapshots() {
    for (lang, tag) in LANGS {
        let mut m = console(lang);
        key(&mut m, "K");
        select_case(&mut m, |c| c.status.is_pending() && c.item.is_some());
        key(&mut m, "<Enter>");
        snap("hotline", &m, "request_from_case", (80, 24), tag);
        key(&mut m, "<Esc>");
        keys(&mut m, "n张阿姨<Tab>13912345678<Tab>V0");
        snap("hotline", &m, "call_form", (80, 24), tag);
    }
}

/// Open and assigned cases by due time, so the overdue come first; resolved and closed after.
#[test]
fn cases_are_listed_overdue_first_then_soonest_due() {
    let mut m = console(Lang::En);
    // Later that day several of the demo's calls are past due.
    m.set_now(now() + chrono::Duration::hours(20));
    let hours = m.case_hours();
    let rows = case_rows(&m);
    let overdue = rows.iter().filter(|c| c.overdue(m.now, hours)).count();
    assert!(overdue >= 2 && overdue < rows.len(), "some overdue, some not: {overdue} of {}", rows.len());
    assert!(rows[..overdue].iter().all(|c| c.overdue(m.now, hours)), "the overdue first");
    let pending: Vec<&Case> = rows.iter().take_while(|c| c.status.is_pending()).collect();
    assert!(pending.len() > overdue, "pending ones not yet due follow");
    assert!(pending.windows(2).all(|w| w[0].due(hours) <= w[1].due(hours)), "soonest due first");
    assert!(rows[pending.len()..].iter().all(|c| !c.status.is_pending()), "then the resolved and closed");
    // The screen shows it: the first row is overdue, named so.
    key(&mut m, "K");
    let text = screen_text(&m, (200, 50));
    let first = rows[0].clone();
    let line = text.lines().find(|l| l.contains(&Case::label(first.id))).expect("the first case on screen");
    assert!(line.contains("overdue"), "{line}");
}

/// Households owed a named delivery first: overdue, then due today, then by due day.
#[test]
fn households_are_listed_overdue_first_then_by_due_day() {
    let mut m = console(Lang::En);
    let today = m.now.date_naive();
    let rows = household_rows(&m);
    assert_eq!(rows.len(), m.state.households.len());
    assert!(rows.len() >= 30, "the demo's register: {}", rows.len());
    let dues: Vec<_> = rows.iter().map(|h| h.next_due()).collect();
    assert!(dues.windows(2).all(|w| w[0] <= w[1] || w[1].is_none()), "{dues:?}");
    assert!(dues.first().is_some_and(|d| d.is_some_and(|d| d < today)), "an overdue household first: {dues:?}");
    // The filter keeps one village's households.
    let village = rows[3].village.clone();
    key(&mut m, "H");
    keys(&mut m, &format!("/{village}<Enter>"));
    let kept = household_rows(&m);
    assert!(!kept.is_empty() && kept.iter().all(|h| h.village == village), "{village}: {kept:?}");
    assert!(screen_text(&m, (80, 24)).contains(&format!("[/{village}]")));
}

/// Sends the one command `effects` hold to the engine, and gives the model its answer and the
/// state after it, as the daemon would.
fn send(engine: &mut Engine, m: &mut Model, effects: Vec<Effect>) -> baogong::api::Outcome {
    let (cmd_id, cmd) = submitted(effects);
    let caller = Caller::officer("tester", Face::Console);
    let reply = engine.submit(&caller, ApiRequest { cmd_id: cmd_id.clone(), cmd });
    update(m, Msg::Reply { cmd_id, reply: reply.clone() });
    update(m, Msg::Attached { state: Box::new(engine.state().clone()), now: now() });
    reply.unwrap_or_else(|e| panic!("accepted, not {e:?}"))
}

/// `n` takes a call; Enter on it opens the request form filled from the case; saving makes a
/// request linked to the case (as `log request --case`), for the case's village, item and
/// priority, the call's text as its note; `r` resolves it naming that request.
#[test]
fn a_call_becomes_a_request_linked_to_its_case_in_one_step() {
    let (_dir, mut engine) = demo_engine();
    let mut m = model_with(engine.state().clone(), Lang::En);
    key(&mut m, "K");
    let village = "V03";
    key(&mut m, "n");
    let effects =
        keys(&mut m, &format!("王阿姨<Tab>13912345678<Tab>{village}<Tab><Tab>rice<Tab>买不到大米<Tab>yes<Enter>"));
    let out = send(&mut engine, &mut m, effects);
    let case = out.case.expect("a case id");
    assert!(m.form().is_none(), "saved: the form is gone");
    assert_eq!(m.layer(), Layer::Hotline, "back on the hotline screen");
    let id = Case::parse_label(&case).expect("K…");
    select_case(&mut m, |c| c.id == id);
    key(&mut m, "<Enter>");
    let form = m.form().expect("the request form");
    assert_eq!(form.kind, FormKind::Request);
    let values: Vec<(&str, &str)> = form.fields.iter().map(|f| (f.name, f.input.value())).collect();
    let today = now().date_naive().to_string();
    for want in [("requester", village), ("item", "rice"), ("by", today.as_str()), ("urgent", "yes")] {
        assert!(values.contains(&want), "{want:?} in {values:?}");
    }
    assert!(values.contains(&("note", "买不到大米")) && values.contains(&("case", case.as_str())), "{values:?}");
    let effects = keys(&mut m, "12<Enter>");
    let (_, cmd) = submitted(effects.clone());
    assert!(matches!(&cmd, Command::Request { requester: Requester::Case { id }, .. } if *id == case), "{cmd:?}");
    let out = send(&mut engine, &mut m, effects);
    let q = out.request.expect("a request id");
    let c = &engine.state().cases[&id];
    assert_eq!(c.request.map(baogong::domain::demand::Request::label), Some(q.clone()), "the case links it");
    let r = &engine.state().requests[&baogong::domain::demand::Request::parse_label(&q).expect("Q…")];
    assert_eq!((r.requester.village(), r.item.as_str(), r.qty, r.urgent), (village, "rice", Qty::units(12), true));
    // Resolved naming the request it made.
    key(&mut m, "r");
    assert_eq!(
        m.form().and_then(|f| f.fields.iter().find(|f| f.name == "request")).map(|f| f.input.value()),
        Some(q.as_str())
    );
    let typed = keys(&mut m, "大米已送<Enter>");
    send(&mut engine, &mut m, typed);
    assert_eq!(engine.state().cases[&id].status, CaseStatus::Resolved);
    // Closed with one key; reopened with another.
    select_case(&mut m, |c| c.id == id);
    let pressed = key(&mut m, "c");
    send(&mut engine, &mut m, pressed);
    assert_eq!(engine.state().cases[&id].status, CaseStatus::Closed);
    select_case(&mut m, |c| c.id == id);
    let pressed = key(&mut m, "o");
    send(&mut engine, &mut m, pressed);
    assert_eq!(engine.state().cases[&id].status, CaseStatus::Open);
}

/// Assigning to someone not on the roster is refused on the field, before anything is sent
/// and again when the engine says so; the form stays with what was typed.
#[test]
fn assign_refuses_a_person_not_on_the_roster_and_keeps_the_form() {
    let mut m = console(Lang::En);
    key(&mut m, "K");
    let id = select_case(&mut m, |c| c.status == CaseStatus::Open);
    key(&mut m, "a");
    assert_eq!(m.form().map(|f| f.kind), Some(FormKind::Assign));
    assert!(keys(&mut m, "Nobody<Enter>").is_empty(), "nothing sent");
    let field = |m: &Model| m.form().and_then(|f| f.fields.iter().find(|f| f.name == "assignee")).cloned();
    let f = field(&m).expect("the form stays");
    assert_eq!(f.input.value(), "Nobody");
    let want = Reason::UnknownPerson { name: "Nobody".into() };
    assert_eq!(f.error.as_deref().map(|e| error_text(e, Lang::En)), Some(want.text(Lang::En)));
    // Someone on the roster: sent; the engine refusing it (gone from the roster meanwhile)
    // marks the field the same way and keeps the form.
    let person = m.state.people.keys().next().expect("a roster").clone();
    m.form_mut().expect("form").clear_field();
    let (cmd_id, cmd) = submitted(keys(&mut m, &format!("{person}<Enter>")));
    assert_eq!(cmd, Command::AssignCase { case: Case::label(id), to: person.clone() });
    let rej = Rejection::new("assignee", Reason::UnknownPerson { name: person.clone() });
    update(&mut m, Msg::Reply { cmd_id, reply: Err(Refusal::Rejected(rej)) });
    let f = field(&m).expect("the form stays after the refusal");
    assert_eq!(f.input.value(), person);
    assert!(f.error.is_some());
}

/// Esc leaves each new form at once, back to its screen, and keeps what was typed as a draft
/// that comes back when the form is opened again for the same case or household.
#[test]
fn esc_leaves_every_new_form_and_keeps_a_draft() {
    let cases: [(&str, &str, FormKind, &str); 4] = [
        ("n", "王阿姨", FormKind::Case, "caller"),
        ("a", "陈", FormKind::Assign, "assignee"),
        ("r", "已处理", FormKind::Resolve, "text"),
        ("<Enter>", "7", FormKind::Request, "qty"),
    ];
    for (open, typed, kind, field) in cases {
        let mut m = console(Lang::En);
        key(&mut m, "K");
        select_case(&mut m, |c| c.status == CaseStatus::Open && c.item.is_some());
        key(&mut m, open);
        assert_eq!(m.form().map(|f| f.kind), Some(kind));
        if kind == FormKind::Assign {
            m.form_mut().expect("form").clear_field();
        }
        keys(&mut m, typed);
        key(&mut m, "<Esc>");
        assert!(m.form().is_none(), "{kind:?}: Esc leaves at once");
        assert_eq!(m.layer(), Layer::Hotline, "{kind:?}: back on the screen");
        assert!(m.drafts.contains_key(&kind), "{kind:?}: a draft is kept");
        key(&mut m, open);
        let form = m.form().expect("opened again");
        assert_eq!(form.marker, Some(DRAFT_RESTORED), "{kind:?}");
        let value = form.fields.iter().find(|f| f.name == field).map(|f| f.input.value().to_string());
        assert_eq!(value.as_deref(), Some(typed), "{kind:?}");
    }
    // The households screen's request form too.
    let mut m = console(Lang::En);
    key(&mut m, "H");
    key(&mut m, "<Enter>");
    assert_eq!(m.form().map(|f| f.kind), Some(FormKind::Request));
    keys(&mut m, "3");
    key(&mut m, "<Esc>");
    assert_eq!((m.form().is_none(), m.layer()), (true, Layer::Households));
    key(&mut m, "<Enter>");
    assert_eq!(m.form().map(|f| f.marker), Some(Some(DRAFT_RESTORED)));
}

/// Enter on the households screen: the request for the need due, for that household, its
/// item and quantity, needed today when overdue (and then urgent); saving sends a household's
/// request, the start of a named delivery.
#[test]
fn enter_on_a_household_requests_its_due_delivery() {
    let mut m = console(Lang::En);
    let today = m.now.date_naive();
    key(&mut m, "H");
    let h = household_rows(&m).into_iter().next().expect("households");
    let need = baogong::tui::model::due_need(&h).expect("a need").clone();
    assert!(need.due(h.registered) < today, "the first is overdue");
    key(&mut m, "<Enter>");
    let (_, cmd) = submitted(key(&mut m, "<Enter>"));
    let want = Command::Request {
        requester: Requester::Household { code: h.code.clone(), village: String::new() },
        item: need.item.clone(),
        qty: need.qty,
        by: today,
        slot: None,
        urgent: true,
        note: String::new(),
    };
    assert_eq!(cmd, want);
}

/// A request linked to a case for someone else than the case is about is marked before
/// anything is sent (the engine would take the case's).
#[test]
fn a_case_request_for_another_village_is_marked() {
    let mut m = console(Lang::Zh);
    key(&mut m, "K");
    let id = select_case(&mut m, |c| c.household.is_none() && c.item.is_some() && c.status.is_pending());
    let c = m.state.cases[&id].clone();
    key(&mut m, "<Enter>");
    m.form_mut().expect("form").focus = 0;
    m.form_mut().expect("form").clear_field();
    assert!(keys(&mut m, "V52<Tab><Tab>5<Enter>").is_empty(), "nothing sent");
    let f = m.form().and_then(|f| f.fields.iter().find(|f| f.name == "requester")).expect("field");
    let want = Reason::CaseAbout { id: Case::label(id), about: c.village.clone() };
    assert_eq!(f.error.as_deref().map(|e| error_text(e, Lang::Zh)), Some(want.text(Lang::Zh)));
}

/// Names and phones show only where the face's role may see them: data the daemon sent masked
/// (a viewer) reads "(hidden)" on both screens, and nothing of it is drawn; a point face masks
/// other points' villages as the daemon does.
#[test]
fn personal_data_shows_only_where_the_role_may_see_it() {
    let plain = demo_state();
    let mut masked = plain.clone();
    for c in masked.cases.values_mut() {
        *c = c.masked();
    }
    for h in masked.households.values_mut() {
        *h = h.masked();
    }
    for (lang, hidden) in [(Lang::En, "(hidden)"), (Lang::Zh, "(已隐藏)")] {
        let mut m = model_with(masked.clone(), lang);
        key(&mut m, "K");
        let hotline = screen_text(&m, (200, 50));
        key(&mut m, "<Esc>");
        key(&mut m, "H");
        let households = screen_text(&m, (200, 50));
        for text in [&hotline, &households] {
            assert!(text.contains(hidden), "{text}");
        }
        for c in plain.cases.values() {
            assert!(!hotline.contains(&c.phone), "a caller's phone on a masked screen");
        }
        for h in plain.households.values() {
            assert!(!households.contains(&h.phone) && !households.contains(&h.name), "{} shown masked", h.code);
        }
    }
    // The console as officer sees them.
    let mut m = console(Lang::En);
    key(&mut m, "K");
    let first = case_rows(&m).into_iter().next().expect("a case");
    assert!(screen_text(&m, (200, 50)).contains(&first.phone));
    // A clerk's face: only its own villages' callers.
    let mut m = console(Lang::En);
    m.face = FaceKind::Point { point: "P01".into() };
    m.overlays.push(Overlay::Hotline(Default::default()));
    for c in case_rows(&m) {
        let own = m.state.villages.get(&c.village).is_some_and(|v| v.point == "P01");
        assert_eq!(c.masked, !own, "{}", Case::label(c.id));
    }
}
