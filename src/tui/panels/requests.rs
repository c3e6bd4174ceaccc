//! The Requests panel: the requests of the villages (every point's on the console, the own
//! villages' on the point face), overdue first, then open ones by needed-by day, urgent first
//! (`views::requests::rows`, the order `baogong requests` prints). Each row: id (`!` when
//! overdue), village, item, what was asked, approved and is outstanding, status, needed-by.
//! Narrow (the console's grid, the point face) it keeps id, village, item, outstanding,
//! status and day. Pure drawing from the model; must not import the loop, `cli`, `link` or the
//! store.

use super::block;
use crate::domain::demand::{Request, RequestStatus};
use crate::i18n::t;
use crate::tui::model::{request_rows, Model, Panel};
use crate::tui::theme::Theme;
use crate::tui::widgets::empty_text;
use crate::tui::widgets::table::{Cells, Col, Windowed};
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::text::Span;
use ratatui::widgets::{Block, Paragraph};
use ratatui::Frame;

pub fn render(m: &Model, theme: Theme, f: &mut Frame, area: Rect) {
    let b = block(m, theme, Panel::Requests, &counts(m));
    list(m, theme, f, area, b);
}

/// "(12 open, 3 overdue)" over the rows the panel lists.
pub fn counts(m: &Model) -> String {
    let rows = request_rows(m);
    let today = m.now.date_naive();
    let open = rows.iter().filter(|r| r.status().is_open()).count();
    let overdue = rows.iter().filter(|r| r.overdue(today)).count();
    format!("({open} {}, {overdue} {})", t(m.lang, "requests.open"), t(m.lang, "requests.overdue"))
}

/// The rows in `b`, selected as the panel's selection.
pub fn list(m: &Model, theme: Theme, f: &mut Frame, area: Rect, b: Block<'static>) {
    let lang = m.lang;
    let inner = b.inner(area);
    f.render_widget(b, area);
    let rows = request_rows(m);
    if rows.is_empty() {
        f.render_widget(
            Paragraph::new(empty_text(lang, m.filter_of(Panel::Requests), t(lang, "requests.none"))).style(theme.dim()),
            inner,
        );
        return;
    }
    let wide = inner.width >= 76;
    let mut widths = vec![Col::Whole, Col::Yields, Col::Yields];
    let mut header = vec![t(lang, "col.request"), t(lang, "col.village"), t(lang, "col.item")];
    if wide {
        widths.extend([Col::Whole, Col::Whole]);
        header.extend([t(lang, "col.requested"), t(lang, "col.approved")]);
    }
    widths.extend([Col::Whole, Col::Whole, Col::Whole]);
    header.extend([t(lang, "col.outstanding"), t(lang, "col.status"), t(lang, "col.by")]);
    let selected = m.selected(Panel::Requests);
    Windowed::new(header, widths, rows.len())
        .selected(selected)
        .render(f, inner, theme, |i| row(m, rows[i], wide, theme));
}

fn row(m: &Model, r: &Request, wide: bool, theme: Theme) -> Cells<'static> {
    let lang = m.lang;
    let today = m.now.date_naive();
    let overdue = r.overdue(today);
    let status = r.status();
    let village = r.requester.village();
    let name = m.state.villages.get(village).map(|v| crate::text::scrub(&v.name)).unwrap_or_default();
    let item = match m.state.items.get(&r.item) {
        Some(i) => format!("{} {}", crate::text::scrub(&r.item), crate::text::scrub(i.name(lang))),
        None => crate::text::scrub(&r.item),
    };
    let id = format!("{}{}{}", if overdue { "!" } else { "" }, Request::label(r.id), if r.urgent { "*" } else { "" });
    let late = if overdue { theme.error() } else { theme.base() };
    let mut cells = vec![Line::from(Span::styled(id, late)), Line::from(format!("{village} {name}")), Line::from(item)];
    if wide {
        cells.push(Line::from(r.qty.to_string()));
        cells.push(Line::from(if r.approval.is_some() { r.approved().to_string() } else { "-".into() }));
    }
    cells.push(Line::from(if r.approval.is_some() { r.outstanding().to_string() } else { "-".into() }));
    cells.push(Line::from(Span::styled(status.label(lang), status_style(status, theme))));
    cells.push(Line::from(Span::styled(r.by.format("%m-%d").to_string(), late)));
    let row = Cells::new(cells);
    if status.is_open() {
        row
    } else {
        row.style(theme.dim())
    }
}

/// Waiting on the office (requested) stands out; goods on their way read as fine.
fn status_style(s: RequestStatus, theme: Theme) -> ratatui::style::Style {
    match s {
        RequestStatus::Requested => theme.key(),
        RequestStatus::Dispatched | RequestStatus::Delivered => theme.ok(),
        _ => theme.base(),
    }
}
