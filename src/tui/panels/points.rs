//! The zones and points panel: points by zone with kind, households, staff, vehicles, worst
//! stock status, last daily report and transfers in flight. Enter drills into a point: its
//! stock, its villages with checkpoints, its recent dispatches and receipts.
//! Pure drawing from the model; must not import the loop (`tui::mod`), `cli`, `link` or the store.

use super::block;
use crate::domain::state::Dispatch;
use crate::domain::Dest;
use crate::i18n::t;
use crate::tui::model::{cover_rows, point_dispatches, point_rows, Model, Panel};
use crate::tui::theme::Theme;
use crate::tui::widgets::empty_text;
use crate::tui::widgets::table::{Cells, Col, Windowed};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

pub fn kind_label(k: crate::domain::PointKind, lang: crate::domain::Lang) -> &'static str {
    t(lang, &format!("kind.{}", k.code()))
}

pub fn render(m: &Model, theme: Theme, f: &mut Frame, area: Rect) {
    match &m.drill {
        Some(code) => drill(m, theme, f, area, code),
        None => list(m, theme, f, area),
    }
}

fn list(m: &Model, theme: Theme, f: &mut Frame, area: Rect) {
    let lang = m.lang;
    let b = block(m, theme, Panel::Points, "");
    let inner = b.inner(area);
    f.render_widget(b, area);
    let rows = point_rows(m);
    if rows.is_empty() {
        f.render_widget(
            Paragraph::new(empty_text(lang, m.filter_of(Panel::Points), t(lang, "ui.empty"))).style(theme.dim()),
            inner,
        );
        return;
    }
    let wide = inner.width >= 84;
    let mut widths = vec![Col::Whole, Col::Whole, Col::Yields, Col::Whole, Col::Whole, Col::Whole, Col::Yields];
    let mut header = vec![
        t(lang, "col.zone"),
        t(lang, "col.code"),
        t(lang, "col.name"),
        t(lang, "col.kind"),
        t(lang, "col.households"),
        t(lang, "col.worst"),
        t(lang, "col.short_items"),
    ];
    if wide {
        widths.extend([Col::Whole, Col::Whole, Col::Whole]);
        header.extend([t(lang, "col.staff_vehicles"), t(lang, "col.last_report"), t(lang, "col.in_flight")]);
    }
    Windowed::new(header, widths, rows.len()).selected(m.selected(Panel::Points)).render(f, inner, theme, |i| {
        let r = &rows[i];
        let p = r.point;
        let worst = match r.worst {
            Some(s) => Line::from(Span::styled(
                if r.short.len() > 1 {
                    format!("{} x{}", s.label(lang), r.short.len())
                } else {
                    s.label(lang).to_string()
                },
                theme.status(s),
            )),
            None => Line::from("-"),
        };
        let report = r.last_report.map(|t| t.format("%m-%d %H:%M").to_string()).unwrap_or_else(|| "-".into());
        let mut cells = vec![
            Line::from(p.zone.clone()),
            Line::from(p.code.clone()),
            Line::from(crate::text::scrub(&p.name)),
            Line::from(kind_label(p.kind, lang)),
            Line::from(p.households.to_string()),
            worst,
            Line::from(r.short.join(" ")),
        ];
        if wide {
            cells.push(Line::from(format!("{}/{}", p.staff, p.vehicles)));
            cells.push(Line::from(report));
            cells.push(Line::from(if r.in_flight > 0 { r.in_flight.to_string() } else { String::new() }));
        }
        Cells::new(cells)
    });
}

fn drill(m: &Model, theme: Theme, f: &mut Frame, area: Rect, code: &str) {
    let lang = m.lang;
    let Some(p) = m.state.points.get(code) else {
        list(m, theme, f, area);
        return;
    };
    let title = format!("{} {}", p.code, crate::text::scrub(&p.name));
    let b = block(m, theme, Panel::Points, &title);
    let inner = b.inner(area);
    f.render_widget(b, area);
    let [head, stock_area, bottom] =
        Layout::vertical([Constraint::Length(2), Constraint::Percentage(50), Constraint::Min(3)]).areas(inner);
    let head_lines = vec![
        Line::from(format!(
            "{} | {} {} | {} {} | {} {} | {} {}",
            kind_label(p.kind, lang),
            t(lang, "col.zone"),
            p.zone,
            t(lang, "col.households"),
            p.households,
            t(lang, "col.staff"),
            p.staff,
            t(lang, "col.vehicles"),
            p.vehicles
        )),
        Line::from(vec![
            Span::raw(format!("{} {} ", t(lang, "col.manager"), crate::text::scrub(&p.manager))),
            Span::styled(crate::text::scrub(&p.phone), theme.key()),
            Span::styled(format!("   {}", t(lang, "ui.esc_back")), theme.dim()),
        ]),
    ];
    f.render_widget(Paragraph::new(head_lines), head);
    // Stock of the point.
    let rows = cover_rows(m, Some(code));
    let stock = crate::tui::panels::stock::compact_table(lang, rows.len());
    stock.render(f, stock_area, theme, |i| crate::tui::panels::stock::compact_row(&rows[i], lang, theme));
    let [villages_area, disp_area] =
        Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)]).spacing(1).areas(bottom);
    villages(m, theme, f, villages_area, code);
    dispatches(m, theme, f, disp_area, code);
}

/// The villages a point serves, with their checkpoints.
fn villages(m: &Model, theme: Theme, f: &mut Frame, area: Rect, code: &str) {
    let villages: Vec<&crate::domain::Village> = m.state.villages.values().filter(|v| v.point == code).collect();
    let vb = Block::default().borders(Borders::TOP).title(t(m.lang, "drill.villages")).border_style(theme.border());
    let widths = vec![Col::Whole, Col::Yields, Col::Whole, Col::Yields];
    Windowed::new(vec![], widths, villages.len()).block(vb).render(f, area, theme, |i| {
        let v = villages[i];
        Cells::new(vec![
            v.code.clone(),
            crate::text::scrub(&v.name),
            v.households.to_string(),
            crate::text::scrub(&v.checkpoint),
        ])
    });
}

/// Recent dispatches from or to a point.
fn dispatches(m: &Model, theme: Theme, f: &mut Frame, area: Rect, code: &str) {
    let lang = m.lang;
    let disp = point_dispatches(m, code);
    let db = Block::default().borders(Borders::TOP).title(t(lang, "drill.dispatches")).border_style(theme.border());
    let widths = vec![Col::Whole, Col::Whole, Col::Whole, Col::Whole, Col::Whole, Col::Yields];
    Windowed::new(vec![], widths, disp.len()).block(db).render(f, area, theme, |i| {
        let d = disp[i];
        let (dir, other) = if d.from == code {
            let to = match &d.to {
                Dest::Point(x) | Dest::Village(x) => x.clone(),
            };
            ("->", to)
        } else {
            ("<-", d.from.clone())
        };
        Cells::new(vec![
            Dispatch::label(d.id),
            d.sent_at.format("%m-%d %H:%M").to_string(),
            format!("{dir} {other}"),
            d.item.clone(),
            d.qty.to_string(),
            d.status().label(lang).to_string(),
        ])
    });
}
