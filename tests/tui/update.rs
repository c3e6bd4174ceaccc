//! `update` without a terminal: key sequences and engine replies in, model changes and effects
//! out. Also the keymap table and the locale files the console's text comes from.

use crate::support::tui::{ctrl, demo_model, field, form_values, key, keys, now};
use baogong::api::{Fault, Outcome, Refusal, Request};
use baogong::domain::alerts::Severity;
use baogong::domain::command::{Command, Source};
use baogong::domain::{Event, Face, ItemGroup, Lang, Qty, Reason, Rejection, ResponseLevel};
use baogong::i18n;
use baogong::tui::form::{error_text, Form, FormKind, Prefill};
use baogong::tui::keymap::{self, Action, Layer, CONSOLE, FORM};
use baogong::tui::layers::form::label_key;
use baogong::tui::model::{alert_rows, point_rows, roster_rows, stock_rows, Model, Panel};
use baogong::tui::update::{update, Effect, Msg};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyEventState, KeyModifiers};

fn restock(point: &str, item: &str, units: i64) -> Command {
    Command::Restock {
        point: point.into(),
        item: item.into(),
        qty: Qty::units(units),
        source: Source::Supplier,
        batch: None,
        expiry: None,
        note: String::new(),
    }
}

/// The one command submitted, with the open form's id.
fn submitted(m: &Model, effects: &[Effect]) -> Command {
    match effects {
        [Effect::Submit(Request { cmd_id, cmd })] => {
            let form = m.form().expect("the form stays open until the engine answers");
            assert_eq!(cmd_id, &form.cmd_id, "the request carries the form's command id");
            assert!(form.pending, "the form waits for the answer");
            cmd.clone()
        }
        other => panic!("exactly one submit expected, got {other:?}"),
    }
}

fn outcome(cmd_id: &str, seq: u64, dispatch: Option<&str>) -> Outcome {
    Outcome {
        seq,
        cmd_id: cmd_id.into(),
        dispatch: dispatch.map(str::to_string),
        raised: vec![],
        cleared: vec![],
        duplicate: false,
        ..Outcome::default()
    }
}

fn codes(m: &Model) -> Vec<String> {
    point_rows(m).iter().map(|r| r.point.code.clone()).collect()
}

// ---------------------------------------------------------------------------------------------
// Forms.

#[test]
fn restock_is_r_point_tab_item_tab_quantity_enter() {
    let mut m = demo_model(Lang::En);
    let effects = keys(&mut m, "rP01<Tab>rice<Tab>100<Enter>");
    assert_eq!(submitted(&m, &effects), restock("P01", "rice", 100));
}

#[test]
fn the_same_restock_keys_work_from_every_panel() {
    // Whatever the selection pre-fills (a point, an item, both), the keys are the same.
    for start in ["1", "2", "3", "4", "2<Enter>", "2jjj", "4j", "3<End>"] {
        for lang in [Lang::En, Lang::Zh] {
            let mut m = demo_model(lang);
            keys(&mut m, start);
            assert!(m.form().is_none());
            let effects = keys(&mut m, "rP01<Tab>rice<Tab>100<Enter>");
            assert_eq!(submitted(&m, &effects), restock("P01", "rice", 100), "starting with {start:?} ({lang:?})");
        }
    }
}

#[test]
fn dispatch_to_a_village() {
    let mut m = demo_model(Lang::Zh);
    let effects = keys(&mut m, "dP01<Tab>V01<Tab>rice<Tab>5<Enter>");
    assert_eq!(
        submitted(&m, &effects),
        Command::Dispatch {
            from: "P01".into(),
            to: baogong::domain::Dest::Village("V01".into()),
            item: "rice".into(),
            qty: Qty::units(5),
            vehicle: None,
            note: String::new(),
            requests: Vec::new(),
        }
    );
}

#[test]
fn selection_prefills_forms() {
    let mut m = demo_model(Lang::En);
    // A point's stock row: `d` fills source point and item.
    keys(&mut m, "2jjj<Enter>3");
    assert_eq!(m.stock_point.as_deref(), Some("P01"));
    let row = stock_rows(&m)[0].item.code.clone();
    key(&mut m, "d");
    let v = form_values(&m);
    assert_eq!(v[0], ("from", "P01".to_string()));
    assert_eq!(v[2], ("item", row));
    assert!(field(&m, "from").prefilled && field(&m, "item").prefilled && !field(&m, "to").prefilled);
    assert_eq!(m.form().unwrap().focus, 0, "focus starts on the first field");
    // The report form: point, today, not a zero report.
    let mut m = demo_model(Lang::En);
    keys(&mut m, "2jjjp");
    assert_eq!(
        form_values(&m),
        vec![("point", "P01".into()), ("date", "2026-11-29".into()), ("zero", "no".into()), ("note", String::new())]
    );
    // The stock-take form: the selected stock row, counted.
    let mut m = demo_model(Lang::En);
    keys(&mut m, "2jjjs");
    assert_eq!(form_values(&m)[0], ("point", "P01".into()));
    assert_eq!(form_values(&m)[2], ("reason", "counted".into()));
}

#[test]
fn first_typed_character_replaces_a_prefilled_value() {
    let mut m = demo_model(Lang::En);
    keys(&mut m, "2jjjr");
    assert_eq!(field(&m, "point").input.value(), "P01");
    assert!(field(&m, "point").prefilled);
    assert!(!m.form().unwrap().dirty(), "pre-filled values are not unsaved input");
    key(&mut m, "C");
    assert_eq!(field(&m, "point").input.value(), "C", "replaced, not appended to");
    assert!(!field(&m, "point").prefilled);
    key(&mut m, "0");
    assert_eq!(field(&m, "point").input.value(), "C0", "only the first character replaces");
    assert!(m.form().unwrap().dirty());
}

#[test]
fn tab_keeps_a_prefilled_value() {
    // P09 is not among the first candidates a pre-filled point field lists; Tab must not swap
    // it for the first one shown.
    let mut m = demo_model(Lang::En);
    key(&mut m, "2");
    let i = codes(&m).iter().position(|c| c == "P09").unwrap();
    for _ in 0..i {
        key(&mut m, "j");
    }
    keys(&mut m, "p<Tab><Tab><Tab><Tab>");
    assert_eq!(m.form().unwrap().focus, 0, "round the form and back");
    assert_eq!(field(&m, "point").input.value(), "P09");
    assert_eq!(field(&m, "date").input.value(), "2026-11-29");
    assert_eq!(field(&m, "zero").input.value(), "no");
    let effects = key(&mut m, "<Enter>");
    assert_eq!(
        submitted(&m, &effects),
        Command::Report { point: "P09".into(), date: now().date_naive(), zero: false, note: String::new() }
    );
}

#[test]
fn tab_accepts_the_highlighted_completion() {
    let cases = [
        ("P0", "P01"),
        ("p0", "P01"),
        ("惠民", "P01"),
        ("家家福", "P02"),
        ("P0<Down>", "P02"),
        ("P0<Down><Down><Up>", "P02"),
        ("P1", "P10"),
        ("P09", "P09"),
        ("DE", "DEPOT"),
    ];
    for (typed, want) in cases {
        let mut m = demo_model(Lang::Zh);
        keys(&mut m, "r");
        keys(&mut m, typed);
        key(&mut m, "<Tab>");
        assert_eq!(field(&m, "point").input.value(), want, "typing {typed:?} then Tab");
        assert_eq!(m.form().unwrap().focused().name, "item", "Tab moved on");
    }
    // Items by Chinese or English name, destinations by village name.
    let mut m = demo_model(Lang::Zh);
    keys(&mut m, "rP01<Tab>大米<Tab>");
    assert_eq!(field(&m, "item").input.value(), "rice");
    let mut m = demo_model(Lang::En);
    keys(&mut m, "r<Tab>Rice<Tab>");
    assert_eq!(field(&m, "item").input.value(), "rice");
    let mut m = demo_model(Lang::Zh);
    keys(&mut m, "dP01<Tab>北王官庄<Tab>");
    assert_eq!(field(&m, "to").input.value(), "V01");
    // A person by name.
    let mut m = demo_model(Lang::Zh);
    keys(&mut m, "h王秀<Tab>");
    assert_eq!(field(&m, "to").input.value(), "王秀英");
    // A choice picked with the arrows replaces the pre-filled one, the first one included.
    let mut m = demo_model(Lang::En);
    keys(&mut m, "2jjjs<Tab><Tab><Down><Down><Tab>");
    assert_eq!(field(&m, "reason").input.value(), "expired");
    let mut m = demo_model(Lang::En);
    keys(&mut m, "2jjjs<Tab><Tab>ex<Tab>");
    assert_eq!(field(&m, "reason").input.value(), "expired", "a typed prefix completes");
    let mut m = demo_model(Lang::En);
    keys(&mut m, "2jjjs<Tab><Tab>lost<Tab><S-Tab>");
    assert_eq!(field(&m, "reason").input.value(), "lost");
    update(&mut m, ctrl('u'));
    keys(&mut m, "<Down><Up><Tab>");
    assert_eq!(field(&m, "reason").input.value(), "counted", "the first choice can be picked too");
}

#[test]
fn tab_on_an_empty_field_skips_it() {
    // An empty optional field stays empty: Tab does not fill in the first candidate shown.
    let mut m = demo_model(Lang::En);
    keys(&mut m, "dP01<Tab>V01<Tab>rice<Tab>5<Tab>");
    assert_eq!(m.form().unwrap().focused().name, "vehicle");
    key(&mut m, "<Tab>");
    assert_eq!(field(&m, "vehicle").input.value(), "");
    // ... unless a candidate was picked with the arrows.
    let mut m = demo_model(Lang::En);
    keys(&mut m, "dP01<Tab>V01<Tab>rice<Tab>5<Tab><Down><Up><Tab>");
    let first = m.state.vehicles.keys().next().unwrap().clone();
    assert_eq!(field(&m, "vehicle").input.value(), first);
}

#[test]
fn shift_tab_moves_back_and_wraps() {
    let mut m = demo_model(Lang::En);
    key(&mut m, "r");
    let n = m.form().unwrap().fields.len();
    key(&mut m, "<S-Tab>");
    assert_eq!(m.form().unwrap().focus, n - 1);
    key(&mut m, "<Tab>");
    assert_eq!(m.form().unwrap().focus, 0);
}

#[test]
fn enter_with_an_empty_required_field_submits_nothing() {
    for lang in [Lang::En, Lang::Zh] {
        let mut m = demo_model(lang);
        // From the town's stock: the item is pre-filled, the point is not.
        keys(&mut m, "r<Tab><Tab>5");
        let effects = key(&mut m, "<Enter>");
        assert!(effects.is_empty(), "nothing is sent: {effects:?}");
        let form = m.form().expect("the form stays open");
        assert!(!form.pending);
        assert_eq!(form.focused().name, "point", "focus goes to the field at fault");
        let err = field(&m, "point").error.as_deref().expect("the point is marked");
        assert_eq!(error_text(err, lang), Reason::Empty.text(lang));
        assert_eq!(field(&m, "qty").input.value(), "5", "what was typed stays");
        assert!(field(&m, "qty").error.is_none());
        // Typing into the field clears its mark.
        key(&mut m, "P");
        assert!(field(&m, "point").error.is_none());
    }
}

#[test]
fn local_checks_mark_every_bad_field() {
    let mut m = demo_model(Lang::En);
    let effects = keys(&mut m, "rXX9<Tab>nosuch<Tab>abc<Tab><Tab><Tab>2026-13-01<Enter>");
    assert!(effects.is_empty());
    let text = |name: &str| error_text(field(&m, name).error.as_deref().unwrap_or(""), Lang::En);
    assert_eq!(text("point"), Reason::UnknownPoint { code: "XX9".into() }.text(Lang::En));
    assert_eq!(text("item"), Reason::UnknownItem { code: "nosuch".into() }.text(Lang::En));
    assert_eq!(text("qty"), Reason::NotANumber.text(Lang::En));
    assert_eq!(text("expiry"), Reason::BadDate.text(Lang::En));
    assert_eq!(m.form().unwrap().focused().name, "point", "focus on the first bad field");
    // Zero and negative quantities are refused before the engine sees them.
    let mut m = demo_model(Lang::En);
    assert!(keys(&mut m, "rP01<Tab>rice<Tab>0<Enter>").is_empty());
    assert_eq!(error_text(field(&m, "qty").error.as_deref().unwrap(), Lang::En), Reason::NotPositive.text(Lang::En));
}

#[test]
fn an_engine_rejection_marks_the_field_and_keeps_everything_typed() {
    for lang in [Lang::En, Lang::Zh] {
        let mut m = demo_model(lang);
        let effects = keys(&mut m, "dP01<Tab>V01<Tab>rice<Tab>99999<Tab><Tab>note here<Enter>");
        submitted(&m, &effects);
        let before = form_values(&m);
        let cmd_id = m.form().unwrap().cmd_id.clone();
        let reason = Reason::BeyondStock { available: "11458.3".into(), unit: "kg".into(), point: "P01".into() };
        let effects = update(
            &mut m,
            Msg::Reply { cmd_id: cmd_id.clone(), reply: Err(Refusal::Rejected(Rejection::new("qty", reason.clone()))) },
        );
        assert!(effects.is_empty());
        let form = m.form().expect("the form stays open");
        assert!(!form.pending, "it can be corrected and sent again");
        assert_eq!(form.focused().name, "qty");
        assert_eq!(error_text(field(&m, "qty").error.as_deref().unwrap(), lang), reason.text(lang));
        assert!(error_text(field(&m, "qty").error.as_deref().unwrap(), lang).contains("11458.3"));
        assert_eq!(form_values(&m), before, "everything typed is kept");
        assert!(m.toast.is_none());
        // Corrected and resent under the same command id.
        let effects = keys(&mut m, "<BS><BS><BS><BS><Enter>");
        let Command::Dispatch { qty, .. } = submitted(&m, &effects) else { panic!("a dispatch") };
        assert_eq!(qty, Qty::units(9));
        assert_eq!(m.form().unwrap().cmd_id, cmd_id, "a resend reuses the id");
    }
}

#[test]
fn rejections_are_mapped_to_the_form_field() {
    // The engine names transfer targets `to_point`/`to_village`; the form has one `to` field.
    let mut m = demo_model(Lang::En);
    let e = keys(&mut m, "dP01<Tab>P01<Tab>rice<Tab>5<Enter>");
    submitted(&m, &e);
    let cmd_id = m.form().unwrap().cmd_id.clone();
    update(&mut m, Msg::Reply { cmd_id, reply: Err(Refusal::Rejected(Rejection::new("to_point", Reason::SamePoint))) });
    assert_eq!(error_text(field(&m, "to").error.as_deref().unwrap(), Lang::En), Reason::SamePoint.text(Lang::En));
    // A field the form does not have: the message goes on the form.
    let mut m = demo_model(Lang::En);
    let e = keys(&mut m, "h<Enter>");
    submitted(&m, &e);
    let cmd_id = m.form().unwrap().cmd_id.clone();
    let rej = Rejection::new("access", Reason::ReadOnly);
    update(&mut m, Msg::Reply { cmd_id, reply: Err(Refusal::Rejected(rej.clone())) });
    assert_eq!(m.form().unwrap().error.as_deref(), Some(rej.message(Lang::En).as_str()));
    // A store failure: not saved, the form stays.
    let mut m = demo_model(Lang::En);
    let e = keys(&mut m, "rP01<Tab>rice<Tab>1<Enter>");
    submitted(&m, &e);
    let cmd_id = m.form().unwrap().cmd_id.clone();
    update(&mut m, Msg::Reply { cmd_id, reply: Err(Refusal::Fault(Fault::Stopped)) });
    let form = m.form().unwrap();
    assert_eq!(form.error.as_deref(), Some("NOT saved: the engine has stopped"));
    assert!(!form.pending);
}

#[test]
fn a_reply_to_another_command_leaves_the_form_alone() {
    let mut m = demo_model(Lang::En);
    let e = keys(&mut m, "rP01<Tab>rice<Tab>1<Enter>");
    submitted(&m, &e);
    update(&mut m, Msg::Reply { cmd_id: "someone-else".into(), reply: Ok(outcome("someone-else", 77, None)) });
    assert!(m.form().is_some_and(|f| f.pending), "still waiting for its own answer");
    assert_eq!(m.toast.as_ref().map(|t| t.text.as_str()), Some("Recorded #77"));
}

#[test]
fn keys_are_ignored_while_the_engine_is_answering() {
    let mut m = demo_model(Lang::En);
    let e = keys(&mut m, "rP01<Tab>rice<Tab>1<Enter>");
    submitted(&m, &e);
    let before = form_values(&m);
    assert!(keys(&mut m, "9<Enter>").is_empty(), "no double submit");
    assert_eq!(form_values(&m), before);
}

#[test]
fn success_closes_the_form_and_shows_a_toast() {
    for (lang, want) in [(Lang::En, "Recorded D10301"), (Lang::Zh, "已记录 D10301")] {
        let mut m = demo_model(lang);
        let e = keys(&mut m, "dP01<Tab>V01<Tab>rice<Tab>5<Enter>");
        submitted(&m, &e);
        let cmd_id = m.form().unwrap().cmd_id.clone();
        let effects =
            update(&mut m, Msg::Reply { cmd_id: cmd_id.clone(), reply: Ok(outcome(&cmd_id, 10301, Some("D10301"))) });
        assert!(effects.is_empty());
        assert!(m.form().is_none());
        let toast = m.toast.clone().expect("a toast");
        assert_eq!(toast.text, want);
        assert!(!toast.error);
        // It goes away with the clock.
        update(&mut m, Msg::Tick(now() + chrono::Duration::seconds(4)));
        assert!(m.toast.is_some());
        update(&mut m, Msg::Tick(now() + chrono::Duration::seconds(6)));
        assert!(m.toast.is_none());
        assert_eq!(m.now, now() + chrono::Duration::seconds(6));
    }
    // Alerts the command raised are named.
    let mut m = demo_model(Lang::En);
    let e = keys(&mut m, "rP01<Tab>rice<Tab>1<Enter>");
    submitted(&m, &e);
    let cmd_id = m.form().unwrap().cmd_id.clone();
    let mut o = outcome(&cmd_id, 10302, None);
    o.raised = vec!["A9".into(), "A10".into()];
    update(&mut m, Msg::Reply { cmd_id, reply: Ok(o) });
    assert_eq!(m.toast.unwrap().text, "Recorded #10302 · alerts raised: A9 A10");
}

#[test]
fn esc_on_a_dirty_form_closes_at_once_and_keeps_a_draft() {
    let mut m = demo_model(Lang::En);
    keys(&mut m, "rP01<Tab>rice");
    let before = form_values(&m);
    assert!(key(&mut m, "<Esc>").is_empty());
    assert!(m.form().is_none(), "one Esc closes the form");
    assert_eq!(m.layer(), Layer::Main);
    assert!(m.drafts.contains_key(&FormKind::Restock), "what was typed is kept");
    assert!(!m.quit);
    // The same form again: the draft comes back, marked.
    key(&mut m, "r");
    assert_eq!(form_values(&m), before, "the draft is restored");
    assert_eq!(m.form().unwrap().marker, Some("form.draft_restored"));
    // Another action has no draft.
    key(&mut m, "<Esc>");
    key(&mut m, "s");
    assert_eq!(m.form().unwrap().kind, FormKind::StockTake);
    assert_eq!(m.form().unwrap().marker, None);
    // A form holding only pre-filled values closes at once and leaves no draft.
    let mut m = demo_model(Lang::En);
    keys(&mut m, "2jjjr<Esc>");
    assert!(m.form().is_none());
    assert!(m.drafts.is_empty());
}

#[test]
fn saving_a_restored_draft_drops_it() {
    let mut m = demo_model(Lang::En);
    keys(&mut m, "rP01<Tab>rice<Tab>100<Esc>r");
    assert_eq!(m.form().unwrap().marker, Some("form.draft_restored"));
    let effects = keys(&mut m, "<Enter>");
    assert_eq!(submitted(&m, &effects), restock("P01", "rice", 100));
    let cmd_id = m.form().unwrap().cmd_id.clone();
    update(&mut m, Msg::Reply { cmd_id: cmd_id.clone(), reply: Ok(outcome(&cmd_id, 9, None)) });
    assert!(m.form().is_none());
    assert!(m.drafts.is_empty(), "saved: no draft left");
    key(&mut m, "r");
    assert_eq!(m.form().unwrap().marker, None);
    assert_eq!(field(&m, "qty").input.value(), "");
}

#[test]
fn ctrl_u_clears_the_focused_field_and_an_emptied_draft_goes() {
    let mut m = demo_model(Lang::En);
    keys(&mut m, "rP01<Tab>rice");
    update(&mut m, ctrl('u'));
    assert_eq!(field(&m, "item").input.value(), "", "Ctrl-U empties the focused field");
    assert_eq!(field(&m, "point").input.value(), "P01", "the others stay");
    assert!(m.form().is_some());
    // Clearing a pre-filled value works too.
    let mut m = demo_model(Lang::En);
    keys(&mut m, "2jjjr");
    assert!(field(&m, "point").prefilled);
    update(&mut m, ctrl('u'));
    assert_eq!(field(&m, "point").input.value(), "");
    // A restored draft emptied of what was typed is dropped on Esc.
    let mut m = demo_model(Lang::En);
    keys(&mut m, "rP01<Esc>r");
    assert!(m.drafts.contains_key(&FormKind::Restock));
    update(&mut m, ctrl('u'));
    key(&mut m, "<Esc>");
    assert!(m.drafts.is_empty(), "cleared: no draft left");
}

#[test]
fn a_draft_comes_back_only_for_the_same_selection() {
    let mut m = demo_model(Lang::En);
    // Stock of P01, first row: restock pre-filled with P01 and that item; a quantity typed.
    keys(&mut m, "2jjj<Enter>3r<Tab><Tab>7<Esc>");
    assert!(m.drafts.contains_key(&FormKind::Restock));
    // Another row: a fresh form for it, and a word that a draft is kept.
    keys(&mut m, "jr");
    assert_eq!(field(&m, "qty").input.value(), "");
    assert_eq!(m.form().unwrap().marker, Some("form.draft_elsewhere"));
    key(&mut m, "<Esc>");
    assert!(m.drafts.contains_key(&FormKind::Restock), "an untouched form leaves the draft alone");
    // Back on the first row: the draft.
    keys(&mut m, "kr");
    assert_eq!(field(&m, "qty").input.value(), "7");
    assert_eq!(m.form().unwrap().marker, Some("form.draft_restored"));
}

#[test]
fn r_nope_tab_esc_esc_then_a_h_y_types_nothing_and_answers_nothing() {
    let mut m = demo_model(Lang::En);
    let effects = keys(&mut m, "rNOPE<Tab><Esc><Esc>");
    assert!(effects.is_empty());
    assert!(m.form().is_none(), "the first Esc closed the form");
    assert_eq!(m.layer(), Layer::Main, "no question is pending");
    let draft = &m.drafts[&FormKind::Restock];
    assert_eq!(draft.fields[0].input.value(), "NOPE", "what was typed is a draft");
    // `a` goes to the alerts panel, `h` opens the handover form, `y` is typed into it.
    keys(&mut m, "ah");
    assert_eq!(m.panel, Panel::Alerts);
    assert_eq!(m.form().map(|f| f.kind), Some(FormKind::Handover));
    key(&mut m, "y");
    assert_eq!(field(&m, "to").input.value(), "y");
    assert_eq!(m.drafts[&FormKind::Restock].fields[0].input.value(), "NOPE", "no field of the draft was typed into");
    // And `L`, `q` are keys again once the form is closed: q asks (there are drafts), y quits.
    key(&mut m, "<Esc>");
    key(&mut m, "L");
    assert_eq!(m.layer(), Layer::Level);
    key(&mut m, "<Esc>");
    assert!(key(&mut m, "q").is_empty());
    assert_eq!(m.layer(), Layer::Confirm);
    assert_eq!(key(&mut m, "y"), vec![Effect::Quit]);
}

#[test]
fn quit_with_a_draft_asks_once_n_or_esc_goes_back_y_quits() {
    for back in ["n", "<Esc>"] {
        let mut m = demo_model(Lang::En);
        keys(&mut m, "rP01<Esc>");
        assert!(key(&mut m, "q").is_empty(), "a draft exists: ask");
        assert_eq!(m.layer(), Layer::Confirm);
        // A key the question does not take changes nothing and is named in the footer.
        assert!(key(&mut m, "L").is_empty());
        assert_eq!(m.layer(), Layer::Confirm);
        assert_eq!(m.toast.as_ref().unwrap().text, "L: no action here");
        assert!(key(&mut m, back).is_empty());
        assert_eq!(m.layer(), Layer::Main, "{back} goes back");
        assert!(!m.quit);
        assert!(m.drafts.contains_key(&FormKind::Restock), "the draft survives");
    }
    let mut m = demo_model(Lang::En);
    keys(&mut m, "rP01<Esc>q");
    assert_eq!(key(&mut m, "y"), vec![Effect::Quit]);
    assert!(m.quit);
    // Without drafts q quits at once.
    let mut m = demo_model(Lang::En);
    keys(&mut m, "r<Esc>");
    assert_eq!(key(&mut m, "q"), vec![Effect::Quit]);
}

#[test]
fn an_unbound_key_does_nothing_and_says_so() {
    let mut m = demo_model(Lang::En);
    assert!(key(&mut m, "z").is_empty());
    assert_eq!(m.toast.as_ref().unwrap().text, "z: no action here");
    assert_eq!(m.layer(), Layer::Main);
    let mut m = demo_model(Lang::Zh);
    key(&mut m, "R");
    key(&mut m, "d");
    assert!(m.form().is_none());
    assert_eq!(m.toast.as_ref().unwrap().text, "d: 此处无此按键");
    // Ctrl with a letter the form does not bind.
    let mut m = demo_model(Lang::En);
    key(&mut m, "r");
    update(&mut m, ctrl('t'));
    assert_eq!(m.toast.as_ref().unwrap().text, "Ctrl-T: no action here");
    assert_eq!(field(&m, "point").input.value(), "");
}

#[test]
fn question_mark_in_every_layer_shows_that_layers_keys() {
    let opens: [(&str, Layer); 6] = [
        ("", Layer::Main),
        ("/", Layer::Filter),
        ("r", Layer::Form),
        ("P", Layer::Plan),
        ("R", Layer::Report),
        ("rP01<Esc>q", Layer::Confirm),
    ];
    for (open, layer) in opens {
        let mut m = demo_model(Lang::En);
        keys(&mut m, open);
        assert_eq!(m.layer(), layer, "{open:?}");
        key(&mut m, "?");
        assert_eq!(m.layer(), Layer::Help, "? in {layer:?}");
        assert!(matches!(m.overlays.last(), Some(baogong::tui::model::Overlay::Help(l)) if *l == layer));
        // Esc closes the help and only the help.
        key(&mut m, "<Esc>");
        assert_eq!(m.layer(), layer);
    }
}

#[test]
fn drawing_order_is_key_precedence() {
    let mut m = demo_model(Lang::En);
    // Plan, then a transfer's dispatch form over it, then the form's help over that.
    keys(&mut m, "P<Enter>?");
    let order = baogong::tui::layers::drawing_order(&m);
    assert_eq!(order, vec![Layer::Plan, Layer::Form, Layer::Help]);
    // Each Esc closes what is drawn on top, which is the layer that had the keys.
    for _ in 0..3 {
        let order = baogong::tui::layers::drawing_order(&m);
        assert_eq!(order.last().copied(), Some(m.layer()));
        key(&mut m, "<Esc>");
        assert_eq!(baogong::tui::layers::drawing_order(&m), order[..order.len() - 1]);
    }
    assert_eq!(m.layer(), Layer::Main);
}

#[test]
fn command_ids_come_from_the_models_generator() {
    let mut m = demo_model(Lang::En);
    m.ids = baogong::tui::model::IdGen::new("seed");
    key(&mut m, "r");
    assert_eq!(m.form().unwrap().cmd_id, "seed-1");
    key(&mut m, "<Esc>");
    key(&mut m, "d");
    assert_eq!(m.form().unwrap().cmd_id, "seed-2");
}

#[test]
fn ctrl_c_with_a_dirty_form_asks_then_y_quits() {
    let mut m = demo_model(Lang::En);
    keys(&mut m, "rP01");
    assert!(update(&mut m, ctrl('c')).is_empty());
    assert!(m.layer() == Layer::Confirm);
    assert!(!m.quit);
    assert_eq!(key(&mut m, "y"), vec![Effect::Quit]);
    assert!(m.quit);
    // Any other answer goes back to the form as it was.
    let mut m = demo_model(Lang::En);
    keys(&mut m, "rP01");
    update(&mut m, ctrl('c'));
    assert!(key(&mut m, "n").is_empty());
    assert!(m.layer() != Layer::Confirm && !m.quit);
    assert_eq!(field(&m, "point").input.value(), "P01");
    // Without unsaved input Ctrl-C quits at once.
    let mut m = demo_model(Lang::En);
    assert_eq!(update(&mut m, ctrl('c')), vec![Effect::Quit]);
    let mut m = demo_model(Lang::En);
    key(&mut m, "L");
    assert_eq!(update(&mut m, ctrl('c')), vec![Effect::Quit]);
}

#[test]
fn q_quits_from_the_main_screen_only() {
    let mut m = demo_model(Lang::En);
    assert_eq!(key(&mut m, "q"), vec![Effect::Quit]);
    assert!(m.quit);
    // In a form it is a letter.
    let mut m = demo_model(Lang::En);
    keys(&mut m, "h");
    assert!(key(&mut m, "q").is_empty());
    assert_eq!(field(&m, "to").input.value(), "q");
    // In a filter too.
    let mut m = demo_model(Lang::En);
    keys(&mut m, "/");
    assert!(key(&mut m, "q").is_empty());
    assert_eq!(m.filter_of(Panel::Stock), "q");
    // Help closes on q (as on Esc or ?) without quitting.
    let mut m = demo_model(Lang::En);
    key(&mut m, "?");
    assert!(m.is_open(Layer::Help));
    assert!(key(&mut m, "q").is_empty());
    assert!(!m.is_open(Layer::Help) && !m.quit);
}

// ---------------------------------------------------------------------------------------------
// Panels, selection, filter, group, acknowledge.

#[test]
fn panels_switch_with_digits_tab_and_shift_tab() {
    let mut m = demo_model(Lang::En);
    assert_eq!(m.panel, Panel::Stock, "the console opens on stock");
    let digits =
        [("1", Panel::Roster), ("2", Panel::Points), ("3", Panel::Stock), ("4", Panel::Alerts), ("5", Panel::Requests)];
    for (k, p) in digits {
        key(&mut m, k);
        assert_eq!(m.panel, p, "key {k}");
    }
    key(&mut m, "<Tab>");
    assert_eq!(m.panel, Panel::Roster, "Tab wraps to the first panel");
    key(&mut m, "<Tab>");
    assert_eq!(m.panel, Panel::Points);
    key(&mut m, "<S-Tab>");
    assert_eq!(m.panel, Panel::Roster);
    key(&mut m, "<S-Tab>");
    assert_eq!(m.panel, Panel::Requests, "Shift-Tab wraps to the last panel");
}

#[test]
fn moving_through_points_follows_in_the_stock_panel_and_enter_drills_in() {
    let mut m = demo_model(Lang::En);
    keys(&mut m, "2jj");
    assert_eq!(m.selected(Panel::Points), 2);
    assert_eq!(m.stock_point.as_deref(), Some(codes(&m)[2].as_str()));
    keys(&mut m, "k<End>");
    assert_eq!(m.selected(Panel::Points), codes(&m).len() - 1);
    key(&mut m, "<Home>");
    assert_eq!(m.selected(Panel::Points), 0);
    key(&mut m, "k");
    assert_eq!(m.selected(Panel::Points), 0, "stops at the top");
    keys(&mut m, "jjj<Enter>");
    assert_eq!(m.drill.as_deref(), Some("P01"));
    key(&mut m, "<Esc>");
    assert_eq!(m.drill, None, "Esc goes back");
    // Enter on an alert opens its point.
    let mut m = demo_model(Lang::En);
    keys(&mut m, "4<Enter>");
    let want = alert_rows(&demo_model(Lang::En))[0].point.clone();
    assert_eq!(m.panel, Panel::Points);
    assert_eq!(m.drill, want);
}

#[test]
fn filter_narrows_rows_by_code_and_by_chinese_name() {
    let mut m = demo_model(Lang::Zh);
    keys(&mut m, "2/P0");
    assert!(m.filtering());
    assert_eq!(codes(&m), ["P01", "P02", "P03", "P04", "P05", "P06", "P07", "P08", "P09"]);
    key(&mut m, "<Enter>");
    assert!(!m.filtering(), "Enter keeps the filter");
    assert_eq!(m.filter_of(Panel::Points), "P0");
    assert_eq!(codes(&m).len(), 9);
    key(&mut m, "<Esc>");
    assert_eq!(m.filter_of(Panel::Points), "", "Esc clears it");
    assert_eq!(codes(&m).len(), m.state.points.len());
    // Chinese names.
    keys(&mut m, "/惠民");
    assert_eq!(codes(&m), ["P01"]);
    keys(&mut m, "<BS><BS>超市<Enter>");
    assert_eq!(codes(&m), ["P01", "P02", "P03", "P04", "P05", "P06", "P07", "P08", "P09", "P10", "P11", "P12"]);
    keys(&mut m, "/");
    key(&mut m, "<Esc>");
    assert_eq!(codes(&m).len(), m.state.points.len(), "Esc while typing clears too");
    // Stock by Chinese item name, roster by name, alerts by subject.
    let mut m = demo_model(Lang::Zh);
    keys(&mut m, "3/大米<Enter>");
    let items: Vec<String> = stock_rows(&m).iter().map(|r| r.item.code.clone()).collect();
    assert_eq!(items, ["rice"]);
    let mut m = demo_model(Lang::Zh);
    keys(&mut m, "1/王秀英<Enter>");
    let people: Vec<String> = roster_rows(&m).iter().map(|p| p.name.clone()).collect();
    assert_eq!(people, ["王秀英"]);
    let mut m = demo_model(Lang::En);
    keys(&mut m, "4/P06<Enter>");
    let rows = alert_rows(&m);
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|a| a.subject.starts_with("P06")), "only P06's alerts");
    // The filter applies to the focused panel only.
    assert_eq!(m.filter_of(Panel::Points), "");
}

#[test]
fn filter_resets_the_selection() {
    let mut m = demo_model(Lang::En);
    keys(&mut m, "2jjjjj/P1");
    assert_eq!(m.selected(Panel::Points), 0);
    assert_eq!(codes(&m), ["P10", "P11", "P12"]);
}

#[test]
fn a_acknowledges_the_selected_alert() {
    let mut m = demo_model(Lang::En);
    // Not on the alerts panel: `a` goes there first.
    assert!(key(&mut m, "a").is_empty());
    assert_eq!(m.panel, Panel::Alerts);
    // The top alert: the newest unacknowledged critical one.
    let want = m
        .state
        .alerts
        .values()
        .filter(|a| a.cleared_at.is_none() && a.severity == Severity::Critical)
        .max_by_key(|a| a.first_seen)
        .map(|a| baogong::domain::alerts::Alert::label(a.id))
        .unwrap();
    let effects = key(&mut m, "a");
    let [Effect::Submit(Request { cmd_id, cmd })] = effects.as_slice() else { panic!("one submit: {effects:?}") };
    assert_eq!(cmd, &Command::Ack { alert: want.clone() });
    assert!(!cmd_id.is_empty());
    assert!(m.form().is_none(), "no form for an acknowledgement");
    // The next one down.
    key(&mut m, "j");
    let second = baogong::domain::alerts::Alert::label(alert_rows(&m)[1].id);
    assert_ne!(second, want);
    let effects = key(&mut m, "a");
    assert!(
        matches!(effects.as_slice(), [Effect::Submit(Request { cmd: Command::Ack { alert }, .. })] if *alert == second)
    );
    // The answer shows as a toast.
    update(&mut m, Msg::Reply { cmd_id: "ack-1".into(), reply: Ok(outcome("ack-1", 10400, None)) });
    assert_eq!(m.toast.as_ref().unwrap().text, "Recorded #10400");
    // An alert already acknowledged is not sent again.
    let mut m = demo_model(Lang::En);
    let id = alert_rows(&m)[0].id;
    m.state.alerts.get_mut(&id).unwrap().acked_by = Some("li".into());
    keys(&mut m, "4");
    assert_eq!(alert_rows(&m)[0].id, id);
    assert!(key(&mut m, "a").is_empty());
    let label = baogong::domain::alerts::Alert::label(id);
    assert_eq!(m.toast.unwrap().text, format!("{label} was already acknowledged"));
}

#[test]
fn g_cycles_the_stock_group() {
    let mut m = demo_model(Lang::En);
    assert_eq!(m.stock_group, None);
    let all = stock_rows(&m).len();
    for g in ItemGroup::ALL {
        key(&mut m, "g");
        assert_eq!(m.stock_group, Some(g));
        let rows = stock_rows(&m);
        assert!(!rows.is_empty(), "{g:?} has items");
        assert!(rows.iter().all(|r| r.item.group == g), "only {g:?}");
        assert!(rows.len() < all);
    }
    key(&mut m, "g");
    assert_eq!(m.stock_group, None, "after the last group: all again");
    assert_eq!(stock_rows(&m).len(), all);
}

#[test]
fn key_releases_do_nothing() {
    let release = |c: KeyCode| {
        Msg::Key(KeyEvent {
            code: c,
            modifiers: KeyModifiers::NONE,
            kind: KeyEventKind::Release,
            state: KeyEventState::NONE,
        })
    };
    let mut m = demo_model(Lang::En);
    for c in [KeyCode::Char('q'), KeyCode::Char('r'), KeyCode::Char('4'), KeyCode::Tab, KeyCode::Char('?')] {
        assert!(update(&mut m, release(c)).is_empty());
    }
    assert!(!m.quit && m.form().is_none() && !m.is_open(Layer::Help));
    assert_eq!(m.panel, Panel::Stock);
    // Nor inside a form: a press then its release types one character.
    key(&mut m, "h");
    update(&mut m, crate::support::tui::press(KeyCode::Char('x')));
    update(&mut m, release(KeyCode::Char('x')));
    assert_eq!(field(&m, "to").input.value(), "x");
    assert!(update(&mut m, release(KeyCode::Enter)).is_empty());
    assert!(!m.form().unwrap().pending);
}

#[test]
fn committed_events_update_the_mirror_once() {
    let mut m = demo_model(Lang::En);
    let last = m.state.last_seq;
    let ev = |seq: u64, level: ResponseLevel| Event {
        seq,
        at: now(),
        actor: "other".into(),
        face: Face::Cli,
        cmd_id: format!("x{seq}"),
        cmd: Command::Level { level },
        resolved: Default::default(),
        alerts: Default::default(),
    };
    update(&mut m, Msg::Event(Box::new(ev(last + 1, ResponseLevel::Level2))));
    assert_eq!(m.state.settings.level, ResponseLevel::Level2);
    // An event already applied (a replay) changes nothing.
    update(&mut m, Msg::Event(Box::new(ev(last + 1, ResponseLevel::Level4))));
    assert_eq!(m.state.settings.level, ResponseLevel::Level2);
}

// ---------------------------------------------------------------------------------------------
// Keymap and locales.

#[test]
fn keymap_has_no_duplicate_bindings() {
    assert_eq!(keymap::duplicates(CONSOLE), Vec::<String>::new());
    // And the check itself catches one.
    let dup = [
        keymap::Binding {
            code: KeyCode::Char('x'),
            mods: KeyModifiers::NONE,
            action: Action::Quit,
            desc: "key.quit",
            hint: false,
        },
        keymap::Binding {
            code: KeyCode::Char('x'),
            mods: KeyModifiers::NONE,
            action: Action::Help,
            desc: "key.help",
            hint: false,
        },
    ];
    assert_eq!(keymap::duplicates(&dup), vec!["x".to_string()]);
}

#[test]
fn keymap_lookup() {
    let k = |c: KeyCode, m: KeyModifiers| keymap::lookup(CONSOLE, &KeyEvent::new(c, m));
    assert_eq!(k(KeyCode::Char('q'), KeyModifiers::NONE), Some(Action::Quit));
    assert_eq!(k(KeyCode::Char('L'), KeyModifiers::SHIFT), Some(Action::Level), "shift is part of the letter");
    assert_eq!(k(KeyCode::BackTab, KeyModifiers::SHIFT), Some(Action::PrevPanel));
    assert_eq!(k(KeyCode::Char('3'), KeyModifiers::NONE), Some(Action::Panel(2)));
    assert_eq!(k(KeyCode::Char('q'), KeyModifiers::CONTROL), None, "Ctrl-q is not q");
    assert_eq!(k(KeyCode::Char('z'), KeyModifiers::NONE), None);
    // Every action the issue names has a key.
    for (c, a) in [
        ('d', Action::Dispatch),
        ('r', Action::Restock),
        ('c', Action::Receive),
        ('s', Action::StockTake),
        ('p', Action::Report),
        ('h', Action::Handover),
        ('a', Action::Ack),
        ('/', Action::Filter),
        ('?', Action::Help),
        ('j', Action::Down),
        ('k', Action::Up),
        ('g', Action::Group),
    ] {
        assert_eq!(k(KeyCode::Char(c), KeyModifiers::NONE), Some(a), "{c}");
    }
}

#[test]
fn both_locales_have_the_same_keys() {
    assert!(i18n::locales_parse());
    let en = i18n::keys(Lang::En);
    let zh = i18n::keys(Lang::Zh);
    assert!(en.len() > 100, "the English table loaded ({} keys)", en.len());
    let only_en: Vec<&String> = en.iter().filter(|k| !zh.contains(k)).collect();
    let only_zh: Vec<&String> = zh.iter().filter(|k| !en.contains(k)).collect();
    assert!(only_en.is_empty() && only_zh.is_empty(), "only in en: {only_en:?}; only in zh: {only_zh:?}");
}

#[test]
fn every_text_the_console_uses_is_in_both_locales() {
    let mut used: Vec<String> = Vec::new();
    used.extend(CONSOLE.iter().map(|b| b.desc.to_string()));
    for table in [keymap::POINT, keymap::FILTER, FORM, keymap::PLAN, keymap::REPORT, keymap::HELP, keymap::CONFIRM] {
        used.extend(table.iter().map(|b| b.desc.to_string()));
    }
    for layer in ["main", "filter", "form", "plan", "report", "help", "confirm"] {
        used.push(format!("help.title.{layer}"));
    }
    used.extend(Panel::ALL.iter().map(|p| p.title_key().to_string()));
    let kinds = [
        FormKind::Restock,
        FormKind::Dispatch,
        FormKind::Receive,
        FormKind::StockTake,
        FormKind::Report,
        FormKind::Handover,
    ];
    for kind in kinds {
        used.push(kind.title_key().to_string());
        for f in Form::new(kind, &Prefill::default(), "id".into()).fields {
            used.push(label_key(kind, f.name));
        }
    }
    used.extend(ItemGroup::ALL.iter().map(|g| format!("group.{}", g.code())));
    let m = demo_model(Lang::En);
    used.extend(m.state.points.values().map(|p| format!("kind.{}", p.kind.code())));
    used.extend(m.state.people.values().map(|p| format!("role.{}", p.role.code())));
    for lang in [Lang::En, Lang::Zh] {
        let keys = i18n::keys(lang);
        for k in &used {
            assert!(keys.contains(k), "{k} missing from the {lang:?} locale");
            assert_ne!(i18n::t(lang, k), k.as_str());
        }
    }
}

#[test]
fn form_labels_fit_their_column() {
    // The form shows labels right-aligned in 12 columns; a longer one would be cut ("to point/vi~").
    for lang in [Lang::En, Lang::Zh] {
        for kind in [
            FormKind::Restock,
            FormKind::Dispatch,
            FormKind::Receive,
            FormKind::StockTake,
            FormKind::Report,
            FormKind::Handover,
        ] {
            for f in Form::new(kind, &Prefill::default(), "id".into()).fields {
                let label = i18n::t(lang, &label_key(kind, f.name));
                assert!(baogong::text::width(label) <= 12, "{kind:?}.{} label {label:?} is too wide", f.name);
            }
        }
    }
    // The handover names a person, not a destination.
    assert_eq!(i18n::t(Lang::En, &label_key(FormKind::Handover, "to")), "hand over to");
    assert_eq!(i18n::t(Lang::Zh, &label_key(FormKind::Handover, "to")), "交接给");
}

#[test]
fn capital_r_opens_the_daily_report_which_steps_through_days_and_closes() {
    let mut m = demo_model(Lang::En);
    let today = m.now.date_naive();
    key(&mut m, "R");
    // Issue 12: the report opens on today, as every other surface stands.
    assert_eq!(m.report(), Some((today, 0)), "today's report");
    key(&mut m, "[");
    key(&mut m, "j");
    key(&mut m, "j");
    assert_eq!(m.report().map(|r| r.1), Some(2));
    key(&mut m, "]");
    assert_eq!(m.report(), Some((today, 0)));
    key(&mut m, "]");
    assert_eq!(m.report().map(|r| r.0), Some(today), "no report for tomorrow");
    key(&mut m, "[");
    key(&mut m, "[");
    assert_eq!(m.report().map(|r| r.0), Some(today - chrono::Duration::days(2)));
    // Keys meant for the report do not leak to the panels or forms.
    key(&mut m, "d");
    assert!(m.form().is_none());
    key(&mut m, "<Esc>");
    assert_eq!(m.report(), None);
}

// ---------------------------------------------------------------------------------------------
// The replenishment plan screen.

#[test]
fn p_opens_the_plan_and_enter_logs_the_selected_transfer_through_the_ledger() {
    use baogong::api::Caller;
    use baogong::domain::alerts::Thresholds;
    use baogong::engine::{Engine, ManualClock};
    use std::sync::{Arc, Mutex};

    let dir = tempfile::tempdir().expect("temp dir");
    let mut engine =
        Engine::open(dir.path(), Arc::new(ManualClock::new(now())), Thresholds::default()).expect("open engine");
    let sc = baogong::scenario::Scenario::demo().expect("demo parses");
    baogong::scenario::seed(&mut engine, &sc, now()).expect("demo seeds");
    let events = Arc::new(Mutex::new(Vec::new()));
    let sink = events.clone();
    engine.on_commit(move |ev| sink.lock().expect("lock").push(ev.clone()));
    let mut m = crate::support::tui::model_with(engine.state().clone(), Lang::En);

    key(&mut m, "P");
    let screen = m.plan().expect("P opens the plan");
    assert!(screen.plan.transfers.len() > 3, "the demo town has transfers to make");
    let second = screen.plan.transfers[1].clone();
    let before = screen.plan.transfers.len();
    // Down to the second suggestion, Enter: the dispatch form, filled in, focus on quantity.
    keys(&mut m, "j<Enter>");
    let form = m.form().expect("Enter opens the dispatch form");
    assert_eq!(form.kind, FormKind::Dispatch);
    assert_eq!(form.focused().name, "qty");
    let want_qty = second.qty.to_string();
    assert_eq!(
        form_values(&m)[..4],
        [("from", second.from.clone()), ("to", second.to.clone()), ("item", second.item.clone()), ("qty", want_qty)]
    );
    // Enter logs it as an ordinary dispatch command.
    let effects = keys(&mut m, "<Enter>");
    let cmd = submitted(&m, &effects);
    assert_eq!(
        cmd,
        Command::Dispatch {
            from: second.from.clone(),
            to: baogong::domain::Dest::Point(second.to.clone()),
            item: second.item.clone(),
            qty: second.qty,
            vehicle: None,
            note: i18n::t(Lang::En, "plan.note").into(),
            requests: Vec::new(),
        }
    );
    // The engine accepts it; the committed event reaches the face and the plan is recomputed:
    // the transfer is on its way, so it is no longer suggested (another donor may still be).
    let cmd_id = m.form().expect("form").cmd_id.clone();
    let reply = engine.submit(&Caller::officer("tester", Face::Console), Request { cmd_id: cmd_id.clone(), cmd });
    assert!(reply.is_ok(), "{reply:?}");
    for ev in events.lock().expect("lock").drain(..) {
        update(&mut m, Msg::Event(Box::new(ev)));
    }
    update(&mut m, Msg::Reply { cmd_id, reply });
    assert!(m.form().is_none());
    let screen = m.plan().expect("the plan stays open");
    assert_eq!(screen.plan.transfers.len(), before - 1);
    assert!(!screen.plan.transfers.iter().any(|t| t.from == second.from && t.to == second.to && t.item == second.item));
    // Esc closes it.
    keys(&mut m, "<Esc>");
    assert!(m.plan().is_none());
}

#[test]
fn l_on_the_plan_screen_plans_for_the_next_level_without_logging_anything() {
    let mut m = demo_model(Lang::En);
    let level = m.state.settings.level;
    key(&mut m, "P");
    let routine = m.plan().expect("plan").plan.clone();
    let effects = keys(&mut m, "lll");
    assert!(effects.is_empty(), "a what-if submits nothing");
    let screen = m.plan().expect("plan");
    assert_eq!(screen.level, ResponseLevel::Level3);
    assert_eq!(screen.plan.factor, 1.5);
    assert_eq!(m.state.settings.level, level, "the level in force is unchanged");
    let moved = |p: &baogong::domain::rules::plan::Plan| -> i64 { p.transfers.iter().map(|t| t.qty.0).sum::<i64>() };
    let asked = |p: &baogong::domain::rules::plan::Plan| -> i64 { p.requests.iter().map(|r| r.qty.0).sum::<i64>() };
    assert!(moved(&screen.plan) + asked(&screen.plan) > moved(&routine) + asked(&routine), "more demand asks for more");
    // Two more steps wrap round to routine.
    keys(&mut m, "ll");
    assert_eq!(m.plan().expect("plan").plan, routine);
}
