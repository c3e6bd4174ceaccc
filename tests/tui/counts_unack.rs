//! Issue 16 in the console: the stock-take form takes the quantity counted and shows the
//! difference from the stock held before saving, sending a `Count`; a change for another
//! reason sends an `Adjust`, the wrong quantity for the reason is marked; `u` withdraws an
//! acknowledgement; a choice completes without repeating itself ("counted", not "counted
//! counted").

use crate::support::tui::*;
use baogong::domain::command::Command;
use baogong::domain::{Lang, Qty};
use baogong::tui::faces;
use baogong::tui::model::Model;
use baogong::tui::theme::Theme;
use baogong::tui::update::{update, Effect};
use crossterm::event::KeyCode;
use ratatui::backend::TestBackend;
use ratatui::Terminal;

fn type_into(m: &mut Model, name: &str, value: &str) {
    let form = m.form_mut().expect("a form is open");
    let i = form.fields.iter().position(|f| f.name == name).unwrap_or_else(|| panic!("no field {name}"));
    form.focus = i;
    update(m, press(KeyCode::Char('x')));
    while !m.form().expect("a form is open").fields[i].input.value().is_empty() {
        update(m, press(KeyCode::End));
        update(m, press(KeyCode::Backspace));
    }
    for c in value.chars() {
        update(m, press(KeyCode::Char(c)));
    }
}

fn render(m: &Model, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    t.draw(|f| faces::render(m, Theme { color: false }, f)).expect("draw");
    t.backend().to_string()
}

#[test]
fn a_stock_take_shows_the_difference_and_sends_the_count() {
    for lang in [Lang::En, Lang::Zh] {
        let mut m = demo_model(lang);
        let held = m.state.qty("P01", "rice");
        key(&mut m, "s");
        type_into(&mut m, "point", "P01");
        type_into(&mut m, "item", "rice");
        type_into(&mut m, "counted", "100");
        let diff = Qty::units(100).checked_sub(held).expect("difference");
        let screen = render(&m, 120, 40);
        let (word, unit) = if lang == Lang::En { ("difference", "kg") } else { ("差额", "公斤") };
        assert!(screen.contains(&format!("{word} {diff} {unit}")), "{held} held, {diff}:\n{screen}");
        let effects = key(&mut m, "<Enter>");
        let [Effect::Submit(req)] = effects.as_slice() else { panic!("one submit, got {effects:?}") };
        assert!(matches!(&req.cmd, Command::Count { counted, .. } if *counted == Qty::units(100)), "{:?}", req.cmd);
    }
}

#[test]
fn each_reason_takes_its_own_quantity() {
    let mut m = demo_model(Lang::En);
    key(&mut m, "s");
    type_into(&mut m, "point", "P01");
    type_into(&mut m, "item", "rice");
    type_into(&mut m, "delta", "-2");
    assert!(key(&mut m, "<Enter>").is_empty(), "a change is refused for a stock-take");
    assert!(field(&m, "delta").error.is_some());
    type_into(&mut m, "reason", "lost");
    let effects = key(&mut m, "<Enter>");
    let [Effect::Submit(req)] = effects.as_slice() else { panic!("one submit, got {effects:?}") };
    assert!(matches!(&req.cmd, Command::Adjust { delta, .. } if *delta == Qty::units(-2)), "{:?}", req.cmd);
}

#[test]
fn u_withdraws_the_acknowledgement_of_the_selected_alert() {
    let mut m = demo_model(Lang::En);
    key(&mut m, "4");
    let effects = key(&mut m, "u");
    assert!(effects.is_empty(), "nobody acknowledged the first alert");
    assert!(render(&m, 120, 40).contains("is not acknowledged"));
    let first = m.state.alerts.values().filter(|a| a.cleared_at.is_none()).map(|a| a.id).collect::<Vec<_>>();
    for id in first {
        if let Some(a) = m.state.alerts.get_mut(&id) {
            a.acked_by = Some("zhang".into());
        }
    }
    let effects = key(&mut m, "u");
    let [Effect::Submit(req)] = effects.as_slice() else { panic!("one submit, got {effects:?}") };
    assert!(matches!(&req.cmd, Command::Unack { .. }), "{:?}", req.cmd);
}

#[test]
fn a_choice_is_listed_once() {
    let mut m = demo_model(Lang::En);
    key(&mut m, "p");
    type_into(&mut m, "zero", "");
    let screen = render(&m, 120, 40);
    assert!(!screen.contains("no no") && !screen.contains("yes yes"), "{screen}");
    assert!(screen.contains(" yes "), "the choice is still listed: {screen}");
}
