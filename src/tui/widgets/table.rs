//! The one table every panel and layer draws with: a header (optional), columns sized by their
//! content, and only the rows that fit, in a window that keeps the selection in view.
//!
//! Sizing rule: each column is as wide as its header or its widest cell in the window, measured
//! in display cells (unicode-width, so a Chinese header is never cut). When the columns do not
//! fit, the widest column that may yield ([`Col::Yields`]: names, notes) narrows first, never
//! below its header or its first word; a [`Col::Whole`] column (codes, quantities with units,
//! statuses) is narrowed only when the table cannot fit otherwise. Spare room goes to the last yielding column. A cell cut to fit
//! ends with `~`. Pure drawing; rows are built only for the window shown.
//! Must not import the model, the loop, `cli` or `link`.

use crate::text::width;
use crate::tui::theme::Theme;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Row, Table, TableState};
use ratatui::Frame;

/// A cut yielding column keeps at least this much of its first word.
const FIRST_WORD: usize = 12;

/// How a column behaves when the table is too wide for its area.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Col {
    /// Identifies the row or carries a figure: always as wide as its content.
    Whole,
    /// Free text: narrows first when room is short; the last one takes the spare room.
    Yields,
}

/// One row's cells and the style of the whole row.
pub struct Cells<'a> {
    pub cells: Vec<Line<'a>>,
    pub style: Style,
}

impl<'a> Cells<'a> {
    pub fn new<T: Into<Line<'a>>>(cells: impl IntoIterator<Item = T>) -> Cells<'a> {
        Cells { cells: cells.into_iter().map(Into::into).collect(), style: Style::default() }
    }

    pub fn style(mut self, style: Style) -> Cells<'a> {
        self.style = style;
        self
    }
}

/// The rows of a list that fit in `height` lines with the selection in view: `(start, end,
/// selected index within the window)`.
pub fn window(len: usize, selected: usize, height: usize) -> (usize, usize, usize) {
    let h = height.max(1);
    let start = if selected >= h { selected + 1 - h } else { 0 };
    let end = (start + h).min(len);
    (start, end, selected.saturating_sub(start))
}

/// The width of each column for `rows` in `room` cells (column gaps already taken off), by the
/// sizing rule in the module doc. O(columns × (rows + room)).
pub fn fit(cols: &[Col], heads: &[&str], rows: &[Vec<Line>], room: usize) -> Vec<u16> {
    let head = |i: usize| heads.get(i).map_or(0, |h| width(h));
    let cells = |i: usize| rows.iter().filter_map(move |r| r.get(i));
    let mut widths = natural(cols.len(), heads, rows);
    let floors: Vec<usize> = (0..cols.len())
        .map(|i| match cols[i] {
            Col::Whole => widths[i],
            Col::Yields => {
                let word = cells(i).map(first_word).max().unwrap_or(0).min(FIRST_WORD);
                head(i).max(3).max(word).min(widths[i])
            }
        })
        .collect();
    let mut total: usize = widths.iter().sum();
    narrow(&mut widths, &floors, &mut total, room);
    // Still too wide even so: every column but the first (the row's identity) narrows, marked
    // with `~`, rather than the terminal clipping the right-hand columns unmarked.
    let last: Vec<usize> = (0..cols.len()).map(|i| if i == 0 { widths[0] } else { 1 }).collect();
    narrow(&mut widths, &last, &mut total, room);
    if let Some(i) = cols.iter().rposition(|c| *c == Col::Yields) {
        widths[i] += room.saturating_sub(total);
    }
    widths.into_iter().map(|w| u16::try_from(w).unwrap_or(u16::MAX)).collect()
}

/// Each of `n` columns' natural width: its header's or its widest cell's. O(n × rows).
pub fn natural(n: usize, heads: &[&str], rows: &[Vec<Line>]) -> Vec<usize> {
    let head = |i: usize| heads.get(i).map_or(0, |h| width(h));
    (0..n).map(|i| rows.iter().filter_map(|r| r.get(i)).map(Line::width).fold(head(i), usize::max)).collect()
}

/// Narrows the widest column above its floor, one cell at a time, until `total` fits `room`.
fn narrow(widths: &mut [usize], floors: &[usize], total: &mut usize, room: usize) {
    while *total > room {
        let widest = (0..widths.len()).filter(|&i| widths[i] > floors[i]).max_by_key(|&i| (widths[i], usize::MAX - i));
        let Some(i) = widest else { break };
        widths[i] -= 1;
        *total -= 1;
    }
}

/// The display width of a cell's first word.
fn first_word(line: &Line) -> usize {
    let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
    text.split_whitespace().next().map_or(0, width)
}

/// `line` cut to `max` cells, ending with `~` when anything was cut.
fn cut(line: Line<'_>, max: usize) -> Line<'_> {
    if line.width() <= max {
        return line;
    }
    let mut left = max.saturating_sub(1);
    let mut spans = Vec::new();
    for span in line.spans {
        let mut kept = String::new();
        for ch in span.content.chars() {
            let w = width(ch.encode_utf8(&mut [0; 4]));
            if w > left {
                left = 0;
                break;
            }
            left -= w;
            kept.push(ch);
        }
        spans.push(Span::styled(kept, span.style));
        if left == 0 {
            break;
        }
    }
    if max > 0 {
        spans.push(Span::raw("~"));
    }
    Line::from(spans).style(line.style)
}

/// A table to draw: its column headers (none: no header line) and kinds, an optional block
/// around it, how many rows there are and which one is selected (highlighted and kept in view).
pub struct Windowed<'a> {
    pub heads: Vec<&'a str>,
    pub cols: Vec<Col>,
    pub block: Option<Block<'a>>,
    pub len: usize,
    pub selected: Option<usize>,
}

impl<'a> Windowed<'a> {
    pub fn new(heads: Vec<&'a str>, cols: Vec<Col>, len: usize) -> Windowed<'a> {
        Windowed { heads, cols, block: None, len, selected: None }
    }

    pub fn block(mut self, block: Block<'a>) -> Windowed<'a> {
        self.block = Some(block);
        self
    }

    pub fn selected(mut self, selected: usize) -> Windowed<'a> {
        self.selected = Some(selected);
        self
    }

    /// Draws the rows in view, each made by `row(index)`. O(rows in view × columns).
    pub fn render(self, f: &mut Frame, area: Rect, theme: Theme, row: impl Fn(usize) -> Cells<'a>) {
        let inner = self.block.as_ref().map_or(area, |b| b.inner(area));
        let header = !self.heads.is_empty();
        let height = (inner.height as usize).saturating_sub(usize::from(header));
        let (start, end, at) = window(self.len, self.selected.unwrap_or(0), height);
        let (lines, styles): (Vec<Vec<Line>>, Vec<Style>) = (start..end).map(row).map(|c| (c.cells, c.style)).unzip();
        let gaps = self.cols.len().saturating_sub(1);
        let widths = fit(&self.cols, &self.heads, &lines, (inner.width as usize).saturating_sub(gaps));
        let rows = lines.into_iter().zip(styles).map(|(cells, style)| {
            let cells = cells.into_iter().enumerate().map(|(i, l)| cut(l, widths.get(i).map_or(0, |w| *w as usize)));
            Row::new(cells.collect::<Vec<_>>()).style(style)
        });
        let constraints = widths.iter().map(|w| Constraint::Length(*w));
        let mut table = Table::new(rows, constraints).row_highlight_style(theme.selected());
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
