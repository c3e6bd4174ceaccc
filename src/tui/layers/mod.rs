//! The layers drawn over a face: form, plan, report, help, confirmation. Drawn bottom to top in
//! the order of the model's overlay stack, the same order that decides which layer gets a key.
//! Pure drawing; must not import the loop, `cli` or `link`.

pub mod confirm;
pub mod form;
pub mod help;
pub mod plan;
pub mod report;

use crate::i18n::t;
use crate::tui::model::Model;
use crate::tui::theme::Theme;
use ratatui::Frame;

/// Form, help and confirmation popups over any face.
pub fn render(m: &Model, theme: Theme, f: &mut Frame) {
    if let Some((date, scroll)) = m.report {
        report::render(m, theme, f, date, scroll);
    }
    if let Some(screen) = &m.plan {
        plan::render(m, theme, f, screen);
    }
    if let Some(form) = &m.form {
        form::render(m, form, theme, f);
    }
    if m.help {
        help::render(m, theme, f);
    }
    if m.confirm_quit {
        confirm::render(t(m.lang, "ui.confirm_quit"), theme, f);
    }
}
