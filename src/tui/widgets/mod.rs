//! Widgets shared by the faces: the form popup, the help screen, a confirmation line.

pub mod form;
pub mod help;
pub mod plan;
pub mod report;

use super::theme::Theme;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

/// A rectangle of `w`×`h` centred in `area` (clipped to it).
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h }
}

/// Clears the area under a popup. A double-width character just left of it would cover the
/// popup's left border (ratatui then never sends that cell, so the border goes missing on a real
/// terminal): it is blanked too.
pub fn clear(f: &mut Frame, area: Rect) {
    f.render_widget(Clear, area);
    if area.x == 0 {
        return;
    }
    let buf = f.buffer_mut();
    for y in area.top()..area.bottom() {
        if let Some(cell) = buf.cell_mut((area.x - 1, y)) {
            if crate::text::width(cell.symbol()) > 1 {
                cell.set_symbol(" ");
            }
        }
    }
}

/// A one-line question in a small box in the middle of the screen.
pub fn confirm(text: &str, theme: Theme, f: &mut Frame) {
    let w = (crate::text::width(text) as u16 + 4).max(20);
    let r = centered(f.area(), w, 3);
    clear(f, r);
    f.render_widget(Paragraph::new(text).block(Block::default().borders(Borders::ALL).border_style(theme.error())), r);
}
