//! Rendering: a pure function of the model (no I/O, no clock, no locks). `render` picks the
//! face (console, point, wall) and draws the overlay layers over it. Must not import the loop,
//! `cli` or `link`.

pub mod console;
pub mod county;
pub mod point;
pub mod wall;

use crate::i18n::t;
use crate::tui::model::Model;
use crate::tui::theme::Theme;
use crate::tui::{chrome, layers};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::Paragraph;
use ratatui::widgets::Widget;
use ratatui::Frame;

/// Below this the console shows only a request to enlarge the terminal.
pub const MIN_W: u16 = 60;
pub const MIN_H: u16 = 15;
/// From this size on all four panels show at once.
pub const GRID_W: u16 = 160;
pub const GRID_H: u16 = 45;

pub fn render(m: &Model, theme: Theme, f: &mut Frame) {
    let area = f.area();
    if area.width < MIN_W || area.height < MIN_H {
        let msg = format!("{} {MIN_W}x{MIN_H}", t(m.lang, "ui.enlarge"));
        f.render_widget(Paragraph::new(msg), area);
        return;
    }
    match &m.face {
        crate::proto::FaceKind::Wall => wall::render(m, theme, f, area),
        crate::proto::FaceKind::Point { point } => {
            let [body, footer] = Layout::vertical([Constraint::Min(3), Constraint::Length(1)]).areas(area);
            point::render(m, theme, f, body, point);
            chrome::footer::render(m, theme, f, footer);
            layers::render(m, theme, f);
        }
        crate::proto::FaceKind::Console | crate::proto::FaceKind::Cli => {
            console::render(m, theme, f, area);
            layers::render(m, theme, f);
        }
    }
}

/// Draws only the face's top line, where its seconds clock is, into `buf`, a copy of the last
/// whole frame: what a tick that changes only the second redraws. False when the face has no
/// such line (the wall), the terminal is too small or a layer is open; the whole frame is drawn
/// then. O(width), whatever the store.
pub fn render_clock_line(m: &Model, theme: Theme, buf: &mut Buffer) -> bool {
    let area = buf.area;
    if area.width < MIN_W || area.height < MIN_H || !m.overlays.is_empty() {
        return false;
    }
    let line = match &m.face {
        crate::proto::FaceKind::Console | crate::proto::FaceKind::Cli => chrome::status_bar::line(m, theme, area.width),
        crate::proto::FaceKind::Point { point } => point::status_line(m, theme, point, area.width),
        crate::proto::FaceKind::Wall => return false,
    };
    Paragraph::new(line).render(Rect { height: 1, ..area }, buf);
    true
}
