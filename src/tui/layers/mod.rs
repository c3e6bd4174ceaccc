//! The layers drawn over a face: form, plan, report, schedule, help, confirmation, the hotline,
//! households, vehicles and contacts screens, the response levels. They are drawn bottom to
//! top in the order of the model's overlay stack, whose top is also the layer that gets the keys:
//! one precedence rule for both. Pure drawing; must not import the loop, `cli` or `link`.

pub mod confirm;
pub mod contacts;
pub mod form;
pub mod help;
pub mod hotline;
pub mod households;
pub mod level;
pub mod plan;
pub mod report;
pub mod schedule;
pub mod vehicles;

use crate::i18n::t;
use crate::tui::keymap::Layer;
use crate::tui::model::{Model, Overlay, Question};
use crate::tui::theme::Theme;
use ratatui::Frame;

/// Every open layer, bottom first: the last drawn is the one on top.
pub fn render(m: &Model, theme: Theme, f: &mut Frame) {
    for overlay in &m.overlays {
        draw(m, overlay, theme, f);
    }
}

/// The layers in drawing order (the last is on top and gets the keys).
pub fn drawing_order(m: &Model) -> Vec<Layer> {
    m.overlays.iter().map(Overlay::layer).collect()
}

fn draw(m: &Model, overlay: &Overlay, theme: Theme, f: &mut Frame) {
    match overlay {
        // The filter is typed in the panel's title and the footer.
        Overlay::Filter => {}
        Overlay::Form(form) => form::render(m, form, theme, f),
        Overlay::Plan(screen) => plan::render(m, theme, f, screen),
        Overlay::Report { date, scroll } => report::render(m, theme, f, *date, *scroll),
        Overlay::Help(layer) => help::render(m, *layer, theme, f),
        Overlay::Confirm(Question::Quit) => confirm::render(t(m.lang, "ui.confirm_quit"), theme, f),
        Overlay::Confirm(Question::Level(level)) => confirm::render(&level::question(m, *level), theme, f),
        Overlay::Schedule { date, scroll } => schedule::render(m, theme, f, *date, *scroll),
        Overlay::Hotline(s) => hotline::render(m, theme, f, s.sel, &s.filter),
        Overlay::Households(s) => households::render(m, theme, f, s.sel, &s.filter),
        Overlay::Vehicles(s) => vehicles::render(m, theme, f, s.sel, &s.filter),
        Overlay::Contacts { sel } => contacts::render(m, theme, f, *sel),
        Overlay::Level { sel } => level::render(m, theme, f, *sel),
    }
}
