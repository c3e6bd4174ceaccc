//! The one table every panel and layer draws with: a header (optional), fixed or filling
//! columns, and only the rows that fit, in a window that keeps the selection in view. Columns are
//! measured in display cells (unicode-width), so a Chinese header is never cut: a fixed column is
//! at least as wide as its header. Pure drawing; rows are built only for the window shown.
//! Must not import the model, the loop, `cli` or `link`.

use crate::tui::theme::Theme;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::{Block, Row, Table, TableState};
use ratatui::Frame;

/// The rows of a list that fit in `height` lines with the selection in view: `(start, end,
/// selected index within the window)`.
pub fn window(len: usize, selected: usize, height: usize) -> (usize, usize, usize) {
    let h = height.max(1);
    let start = if selected >= h { selected + 1 - h } else { 0 };
    let end = (start + h).min(len);
    (start, end, selected.saturating_sub(start))
}

/// A table to draw: its column headers (none: no header line) and widths, an optional block
/// around it, how many rows there are and which one is selected (highlighted and kept in view).
pub struct Windowed<'a> {
    pub heads: Vec<&'a str>,
    pub widths: Vec<Constraint>,
    pub block: Option<Block<'a>>,
    pub len: usize,
    pub selected: Option<usize>,
}

impl<'a> Windowed<'a> {
    pub fn new(heads: Vec<&'a str>, widths: Vec<Constraint>, len: usize) -> Windowed<'a> {
        Windowed { heads, widths, block: None, len, selected: None }
    }

    pub fn block(mut self, block: Block<'a>) -> Windowed<'a> {
        self.block = Some(block);
        self
    }

    pub fn selected(mut self, selected: usize) -> Windowed<'a> {
        self.selected = Some(selected);
        self
    }

    /// Draws the rows in view, each made by `row(index)`.
    pub fn render(self, f: &mut Frame, area: Rect, theme: Theme, row: impl Fn(usize) -> Row<'a>) {
        let inner = self.block.as_ref().map_or(area, |b| b.inner(area));
        let header = !self.heads.is_empty();
        let height = (inner.height as usize).saturating_sub(usize::from(header));
        let (start, end, at) = window(self.len, self.selected.unwrap_or(0), height);
        let widths: Vec<Constraint> = (self.widths.iter().enumerate())
            .map(|(i, w)| match (w, self.heads.get(i)) {
                (Constraint::Length(n), Some(h)) => Constraint::Length((*n).max(crate::text::width(h) as u16)),
                _ => *w,
            })
            .collect();
        let mut table = Table::new((start..end).map(row), widths).row_highlight_style(theme.selected());
        if header {
            table = table.header(Row::new(self.heads).style(theme.title()));
        }
        if let Some(b) = self.block {
            table = table.block(b);
        }
        match self.selected {
            Some(_) => f.render_stateful_widget(table, area, &mut TableState::default().with_selected(Some(at))),
            None => f.render_widget(table, area),
        }
    }
}
