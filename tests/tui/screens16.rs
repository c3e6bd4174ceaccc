//! Issue 16, the screens part: completion ranks codes above names, Tab marks a bad value at
//! once, `d` on a shortage alert sends to the short point. Imports `baogong` and `support` only.

use crate::support::tui::{demo_model, field, keys};
use baogong::domain::reject::Reason;
use baogong::domain::Lang;
use baogong::tui::form::error_text;

#[test]
fn a_code_prefix_ranks_above_a_word_inside_a_name() {
    let mut m = demo_model(Lang::En);
    // Dispatch: from, to, item.
    keys(&mut m, "dP01<Tab>P02<Tab>po");
    let form = m.form().expect("the dispatch form is open");
    let cands = form.candidates(&m.state, Lang::En);
    assert_eq!(cands.first().map(|c| c.code.as_str()), Some("pork"), "{cands:?}");
    keys(&mut m, "<Tab>");
    assert_eq!(field(&m, "item").input.value(), "pork");
}

#[test]
fn tab_past_an_unknown_code_marks_it_at_once_keeping_it() {
    for lang in [Lang::En, Lang::Zh] {
        let mut m = demo_model(lang);
        keys(&mut m, "r<BS>XX9<Tab>");
        let f = field(&m, "point");
        assert_eq!(f.input.value(), "XX9", "what was typed stays");
        let err = f.error.as_deref().expect("the unknown point is marked on Tab");
        assert_eq!(error_text(err, lang), Reason::UnknownPoint { code: "XX9".into() }.text(lang));
    }
}
