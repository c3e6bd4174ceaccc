//! The alert feed: open alerts, most severe and newest first, then those cleared in the last
//! day; severity colour, age, and who acknowledged.
//! Pure drawing from the model; must not import the loop (`tui::mod`), `cli`, `link` or the store.

use super::block;
use crate::domain::alerts::Alert;
use crate::i18n::t;
use crate::tui::model::{alert_rows, Model, Panel};
use crate::tui::theme::Theme;
use crate::tui::widgets::table::Windowed;
use chrono::{DateTime, FixedOffset};
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Cell, Paragraph, Row};
use ratatui::Frame;

/// "5m", "3h12m", "2d4h".
pub fn age(from: DateTime<FixedOffset>, now: DateTime<FixedOffset>) -> String {
    let mins = (now - from).num_minutes().max(0);
    match mins {
        m if m < 60 => format!("{m}m"),
        m if m < 24 * 60 => format!("{}h{:02}m", m / 60, m % 60),
        m => format!("{}d{}h", m / (24 * 60), (m / 60) % 24),
    }
}

/// The alert's figure in words: days of cover, ratio, hours, days to expiry.
pub fn value_text(a: &Alert, lang: crate::domain::Lang) -> String {
    use crate::domain::alerts::AlertKind::*;
    let Some(v) = a.value else { return String::new() };
    match a.kind {
        Stockout => String::new(),
        BelowNorm | StockoutSoon => format!("{v:.1}{}", t(lang, "unit.days")),
        OutflowSpike | PriceSpike => format!("x{v:.1}"),
        ReportOverdue | TransferUnreceived | NoHandover => format!("{v:.1}h"),
        BatchExpiring => format!("{v:.0}"),
        PassExpiring => format!("{v:.0}{}", t(lang, "unit.days")),
    }
}

pub fn render(m: &Model, theme: Theme, f: &mut Frame, area: Rect) {
    let lang = m.lang;
    let rows = alert_rows(m);
    let open = rows.iter().filter(|a| a.cleared_at.is_none()).count();
    let b = block(m, theme, Panel::Alerts, &format!("({open} {})", t(lang, "alerts.open")));
    let inner = b.inner(area);
    f.render_widget(b, area);
    if rows.is_empty() {
        f.render_widget(Paragraph::new(t(lang, "alerts.none")).style(theme.ok()), inner);
        return;
    }
    let kind_w = if inner.width >= 84 { 24 } else { 18 };
    let widths = vec![
        Constraint::Length(8),
        Constraint::Length(7),
        Constraint::Length(kind_w),
        Constraint::Fill(1),
        Constraint::Length(7),
        Constraint::Length(12),
    ];
    let header = vec![
        t(lang, "col.severity"),
        t(lang, "col.age"),
        t(lang, "col.kind"),
        t(lang, "col.subject"),
        t(lang, "col.value"),
        t(lang, "col.state"),
    ];
    Windowed::new(header, widths, rows.len()).selected(m.selected(Panel::Alerts)).render(f, inner, theme, |i| {
        let a = rows[i];
        let cleared = a.cleared_at.is_some();
        let sev = if cleared { theme.dim() } else { theme.severity(a.severity) };
        let state = if cleared {
            t(lang, "alerts.cleared").to_string()
        } else if let Some(by) = &a.acked_by {
            format!("{} {}", t(lang, "alerts.acked"), crate::text::scrub(by))
        } else {
            t(lang, "alerts.new").to_string()
        };
        let row = Row::new(vec![
            Cell::from(Span::styled(a.severity.label(lang), sev)),
            Cell::from(age(a.first_seen, m.now)),
            Cell::from(a.kind.label(lang)),
            Cell::from(crate::text::scrub(&a.subject)),
            Cell::from(value_text(a, lang)),
            Cell::from(state),
        ]);
        if cleared {
            row.style(theme.dim())
        } else {
            row
        }
    });
}
