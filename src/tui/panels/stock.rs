//! The stock panel: the chosen point's stock, or the town's per item, worst cover first, with
//! days of cover against the norm as a gauge, status, the day it runs out and earliest expiry;
//! `g` filters by group.
//! Pure drawing from the model; must not import the loop (`tui::mod`), `cli`, `link` or the store.

use super::block;
use crate::domain::rules::cover::{Cover, StockStatus};
use crate::domain::Lang;
use crate::i18n::t;
use crate::tui::model::{stock_rows, Model, Panel};
use crate::tui::theme::Theme;
use crate::tui::widgets::empty_text;
use crate::tui::widgets::table::{Cells, Col, Windowed};
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

pub const GAUGE: usize = 10;

/// Days of cover as text ("4.2", "999+", "-").
pub fn days_text(c: &Cover) -> String {
    match c.days {
        Some(d) if d >= 999.0 => "999+".into(),
        Some(d) => format!("{d:.1}"),
        None => "-".into(),
    }
}

/// A gauge of cover against the norm: coloured cells (reverse video without colour) filled in
/// proportion, then the figures.
pub fn gauge(c: &Cover, theme: Theme, cells: usize) -> Line<'static> {
    let ratio = match c.days {
        Some(d) if c.norm_days > 0.0 => (d / c.norm_days).clamp(0.0, 1.0),
        Some(_) => 1.0,
        None => 0.0,
    };
    let filled = if c.qty.0 > 0 && c.days.is_some() { ((ratio * cells as f64).round() as usize).max(1) } else { 0 };
    let fill_style = if theme.color {
        let bg = match c.status {
            StockStatus::StockedOut => Color::Red,
            StockStatus::BelowNorm => Color::Yellow,
            StockStatus::Ok => Color::Green,
            StockStatus::Over => Color::Magenta,
        };
        Style::new().bg(bg)
    } else {
        Style::new().add_modifier(Modifier::REVERSED)
    };
    Line::from(vec![
        Span::styled(" ".repeat(filled.min(cells)), fill_style),
        Span::styled(".".repeat(cells - filled.min(cells)), theme.dim()),
        Span::raw(format!(" {}/{}", days_text(c), c.norm_days)),
    ])
}

pub fn status_cell(c: &Cover, lang: Lang, theme: Theme) -> Line<'static> {
    Line::from(Span::styled(c.status.label(lang), theme.status(c.status)))
}

/// The compact stock table of one point (drill-in and the clerk's screen): item, quantity,
/// cover gauge, status.
pub fn compact_table(lang: Lang, len: usize) -> Windowed<'static> {
    Windowed::new(
        vec![t(lang, "col.item"), t(lang, "col.qty"), t(lang, "col.cover"), t(lang, "col.status")],
        vec![Col::Yields, Col::Whole, Col::Whole, Col::Whole],
        len,
    )
}

/// One row of the compact stock table.
pub fn compact_row(r: &crate::views::stock::StockRow, lang: Lang, theme: Theme) -> Cells<'static> {
    Cells::new(vec![
        Line::from(crate::text::scrub(r.item.name(lang))),
        Line::from(format!("{} {}", r.cover.qty, crate::i18n::unit(lang, &r.item.unit))),
        gauge(&r.cover, theme, 8),
        status_cell(&r.cover, lang, theme),
    ])
}

pub fn render(m: &Model, theme: Theme, f: &mut Frame, area: Rect) {
    let lang = m.lang;
    let scope = match &m.stock_point {
        Some(p) => {
            let name = m.state.points.get(p).map(|x| x.name.clone()).unwrap_or_default();
            format!("{p} {}", crate::text::scrub(&name))
        }
        None => t(lang, "stock.town").to_string(),
    };
    let group = m.stock_group.map(|g| format!(" [{}]", t(lang, &format!("group.{}", g.code())))).unwrap_or_default();
    let b = block(m, theme, Panel::Stock, &format!("{scope}{group}"));
    let inner = b.inner(area);
    f.render_widget(b, area);
    let rows = stock_rows(m);
    if rows.is_empty() {
        f.render_widget(
            Paragraph::new(empty_text(lang, m.filter_of(Panel::Stock), t(lang, "stock.none"))).style(theme.dim()),
            inner,
        );
        return;
    }
    // The three extra columns need about 100 cells with the gauge and a name kept readable.
    let wide = inner.width >= 100;
    let mut widths = vec![Col::Whole, Col::Yields, Col::Whole, Col::Whole, Col::Whole];
    let mut header =
        vec![t(lang, "col.item"), t(lang, "col.name"), t(lang, "col.qty"), t(lang, "col.cover"), t(lang, "col.status")];
    if wide {
        widths.push(Col::Whole);
        widths.push(Col::Whole);
        widths.push(Col::Whole);
        header.push(t(lang, "col.daily"));
        header.push(t(lang, "col.runs_out"));
        header.push(t(lang, "col.expiry"));
    }
    Windowed::new(header, widths, rows.len()).selected(m.selected(Panel::Stock)).render(f, inner, theme, |i| {
        let r = &rows[i];
        let mut cells = vec![
            Line::from(r.item.code.clone()),
            Line::from(crate::text::scrub(r.item.name(lang))),
            Line::from(format!("{} {}", r.cover.qty, crate::i18n::unit(lang, &r.item.unit))),
            gauge(&r.cover, theme, GAUGE),
            status_cell(&r.cover, lang, theme),
        ];
        if wide {
            cells.push(Line::from(r.cover.daily.map(|d| format!("{d:.1}")).unwrap_or_else(|| "-".into())));
            cells.push(Line::from(r.cover.runs_out.map(|e| e.format("%m-%d").to_string()).unwrap_or_default()));
            cells.push(Line::from(r.cover.earliest_expiry.map(|e| e.to_string()).unwrap_or_default()));
        }
        Cells::new(cells)
    });
}
