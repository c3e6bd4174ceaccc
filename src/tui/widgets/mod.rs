//! Drawing helpers shared by faces, panels and layers: the windowed table, the full-screen list
//! screen (hotline, households, vehicles), centred and full-screen popups, clearing under them. Pure drawing; must not import the loop, `cli` or `link`.

pub mod list_screen;
pub mod table;

use crate::tui::theme::Theme;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Clear};
use ratatui::Frame;

/// What an empty list says: `none` when nothing is there, "No match for /X" when the filter
/// `X` hides every row.
pub fn empty_text(lang: crate::domain::Lang, filter: &str, none: &str) -> String {
    if filter.is_empty() {
        none.to_string()
    } else {
        format!("{} /{filter}", crate::i18n::t(lang, "ui.no_match"))
    }
}

/// A bordered box of `w`×`h` cells (border included) centred on the screen, kept one cell
/// inside its edges, cleared underneath: its area and its block, titled `title`.
pub fn popup(f: &mut Frame, w: usize, h: usize, title: String, theme: Theme) -> (Rect, Block<'static>) {
    let full = f.area();
    let w = u16::try_from(w).unwrap_or(u16::MAX).min(full.width.saturating_sub(2));
    let h = u16::try_from(h).unwrap_or(u16::MAX).min(full.height.saturating_sub(2));
    let area = centered(full, w, h);
    clear(f, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.focused_border())
        .title(Span::styled(title, theme.title()));
    (area, block)
}

/// A rectangle of `w`×`h` centred in `area` (clipped to it).
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h }
}

/// The area of a full-screen layer: every column, all lines but the status bar (top) and the
/// footer (bottom), so no panel border underneath shows round it.
pub fn full(area: Rect) -> Rect {
    let height = area.height.saturating_sub(2);
    Rect { x: area.x, y: area.y + u16::from(area.height > 2), width: area.width, height }
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
