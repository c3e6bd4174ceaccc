//! Drawing helpers shared by faces, panels and layers: the windowed table, the full-screen list
//! screen (hotline, households, vehicles), centred popups, clearing under them. Pure drawing; must not import the loop, `cli` or `link`.

pub mod list_screen;
pub mod table;

use ratatui::layout::Rect;
use ratatui::widgets::Clear;
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
