//! The one way a full-screen list layer (hotline, households, vehicles) is drawn: a bordered
//! area over the panels with the screen's title (and its `/` filter while one is kept or being
//! typed), the command-line twin in the bottom border, the table of rows in a window that keeps
//! the selection in view, and under it the selected row in full; a list with no rows says so.
//! Each screen gives its columns, rows and detail lines (`ListRows`); whether the screen is wide
//! (120 columns inside the border or more) is decided here, once, for all three. Rows are built
//! only for the window shown. Pure drawing; must not import the model, the loop, `cli` or `link`.

use crate::tui::theme::Theme;
use crate::tui::widgets::table::{Cells, Col, Windowed};
use crate::tui::widgets::{clear, full};
use ratatui::layout::{Constraint, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

/// Inner width from which a list screen shows its wide columns.
pub const WIDE: u16 = 120;

/// What a list screen lists: its columns, a row and the selected row's lines, by width.
pub trait ListRows {
    /// How many rows there are.
    fn count(&self) -> usize;
    /// Column headers and how each column sizes (`Col`).
    fn columns(&self, wide: bool) -> (Vec<&'static str>, Vec<Col>);
    /// Row `i`, as drawn in the table.
    fn row(&self, i: usize, wide: bool) -> Cells<'static>;
    /// Row `i` in full, under the table.
    fn detail(&self, i: usize) -> Vec<Line<'static>>;
}

/// The frame of a list screen: its title, filter, the line in its bottom border, what it says
/// with no rows, the lines under the table and the selected row.
pub struct ListScreen<'a> {
    /// The title with its counts, e.g. " Hotline (3 pending, 1 overdue) ".
    pub title: String,
    /// The filter kept by the screen.
    pub filter: &'a str,
    /// A filter is being typed over the screen (shown even while still empty).
    pub filtering: bool,
    /// The bottom border's text: the command-line twin of the screen.
    pub cli: &'a str,
    /// Said when there are no rows (see [`crate::tui::widgets::empty_text`]).
    pub empty: String,
    /// Lines under the table for the selected row.
    pub detail_height: u16,
    pub selected: usize,
}

impl ListScreen<'_> {
    /// Draws the screen over `f`'s whole area. O(rows in view + columns).
    pub fn render(self, f: &mut Frame, theme: Theme, rows: &impl ListRows) {
        let mut title = self.title;
        if !self.filter.is_empty() || self.filtering {
            title.push_str(&format!("[/{}] ", self.filter));
        }
        let area = full(f.area());
        clear(f, area);
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.focused_border())
            .title(Span::styled(title, theme.title()))
            .title_bottom(Span::styled(format!(" {} ", self.cli), theme.dim()));
        let inner = block.inner(area);
        f.render_widget(block, area);
        let len = rows.count();
        if len == 0 {
            f.render_widget(Paragraph::new(self.empty).style(theme.dim()), inner);
            return;
        }
        let sel = self.selected.min(len - 1);
        let [table, detail] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(self.detail_height)]).areas(inner);
        let wide = inner.width >= WIDE;
        let (heads, widths) = rows.columns(wide);
        Windowed::new(heads, widths, len).selected(sel).render(f, table, theme, |i| rows.row(i, wide));
        f.render_widget(Paragraph::new(rows.detail(sel)), detail);
    }
}
