//! The console's five panels (roster, points, stock, alerts, requests) and what they share: the titled
//! block. Pure drawing from the model; must not import the loop or `cli`.

pub mod alerts;
pub mod points;
pub mod requests;
pub mod roster;
pub mod stock;

use crate::i18n::t;
use crate::tui::model::{Model, Panel};
use crate::tui::theme::Theme;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders};
use ratatui::Frame;

/// A bordered block titled with the panel's number and name; the focused one stands out.
pub fn block(m: &Model, theme: Theme, p: Panel, extra: &str) -> Block<'static> {
    let focused = m.panel == p;
    let mut title = format!(" {} {} ", p as usize + 1, t(m.lang, p.title_key()));
    if !extra.is_empty() {
        title.push_str(extra);
        title.push(' ');
    }
    let filter = m.filter_of(p);
    if !filter.is_empty() || (focused && m.filtering()) {
        title.push_str(&format!("[/{filter}] "));
    }
    Block::default()
        .borders(Borders::ALL)
        .border_style(if focused { theme.focused_border() } else { theme.border() })
        .title(Span::styled(title, if focused { theme.focused_border() } else { theme.title() }))
}

pub fn render(m: &Model, theme: Theme, f: &mut Frame, p: Panel, area: Rect) {
    match p {
        Panel::Roster => roster::render(m, theme, f, area),
        Panel::Points => points::render(m, theme, f, area),
        Panel::Stock => stock::render(m, theme, f, area),
        Panel::Alerts => alerts::render(m, theme, f, area),
        Panel::Requests => requests::render(m, theme, f, area),
        // The point face's own boxes (`faces::point`): not on the console.
        Panel::Incoming | Panel::Deliveries | Panel::Prices => {}
    }
}
