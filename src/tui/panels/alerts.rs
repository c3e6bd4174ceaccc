//! The alert feed: open alerts, most severe and newest first, then those cleared in the last
//! day; severity colour, age, the live figure with when and at what it was raised, and who
//! acknowledged. Past `model::GROUP_ABOVE` open alerts (or after `G`) one line per kind and
//! zone with counts, critical first; Enter opens a group under its line.
//! Pure drawing from the model; must not import the loop (`tui::mod`), `cli`, `link` or the store.

use super::block;
use crate::domain::alerts::Alert;
use crate::domain::rules::alerts::live_value;
use crate::i18n::t;
use crate::tui::model::{feed_lines, FeedLine, Model, Panel};
use crate::tui::theme::Theme;
use crate::tui::widgets::empty_text;
use crate::tui::widgets::table::{Cells, Col, Windowed};
use crate::views::alerts::Group;
use crate::views::alerts::{age, value_text};
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::text::Span;
use ratatui::widgets::Paragraph;
use ratatui::Frame;

pub fn render(m: &Model, theme: Theme, f: &mut Frame, area: Rect) {
    let lang = m.lang;
    let lines = feed_lines(m);
    let open = m.state.alerts.values().filter(|a| a.cleared_at.is_none()).count();
    let b = block(m, theme, Panel::Alerts, &format!("({open} {})", t(lang, "alerts.open")));
    let inner = b.inner(area);
    f.render_widget(b, area);
    if lines.is_empty() {
        f.render_widget(
            Paragraph::new(empty_text(lang, m.filter_of(Panel::Alerts), t(lang, "alerts.none"))).style(theme.ok()),
            inner,
        );
        return;
    }
    let widths = vec![Col::Whole, Col::Whole, Col::Yields, Col::Whole, Col::Whole, Col::Whole, Col::Whole];
    let header = vec![
        t(lang, "col.severity"),
        t(lang, "col.age"),
        t(lang, "col.kind"),
        t(lang, "col.subject"),
        t(lang, "col.value"),
        t(lang, "col.was"),
        t(lang, "col.state"),
    ];
    Windowed::new(header, widths, lines.len()).selected(m.selected(Panel::Alerts)).render(f, inner, theme, |i| {
        match &lines[i] {
            FeedLine::Group(g) => group_row(m, g, theme),
            FeedLine::Alert(a) => alert_row(m, a, theme),
        }
    });
}

/// A group's line: its worst severity, its newest alert's age, `+`/`-` and the kind, the zone
/// with the count, and how many are new.
fn group_row<'a>(m: &Model, g: &Group, theme: Theme) -> Cells<'a> {
    let lang = m.lang;
    let open = m.alert_group_open.as_ref().is_some_and(|(k, z)| *k == g.kind && *z == g.zone);
    let zone = match m.state.zones.get(&g.zone) {
        Some(z) => crate::text::scrub(&z.name),
        None if g.zone.is_empty() => t(lang, "alerts.no_zone").to_string(),
        None => crate::text::scrub(&g.zone),
    };
    let newest = g.alerts.iter().map(|a| a.first_seen).max().unwrap_or(m.now);
    Cells::new(vec![
        Line::from(Span::styled(g.severity.label(lang), theme.severity(g.severity))),
        Line::from(age(newest, m.now, lang)),
        Line::from(format!("{} {}", if open { "-" } else { "+" }, g.kind.label(lang))),
        Line::from(format!("{zone} ({})", g.alerts.len())),
        Line::from(String::new()),
        Line::from(String::new()),
        Line::from(format!("{} {}", g.unacked, t(lang, "alerts.group_new"))),
    ])
    .style(theme.title())
}

/// One alert: severity, age, kind, subject with when it was raised and at what, the live
/// figure, who acknowledged.
fn alert_row<'a>(m: &Model, a: &Alert, theme: Theme) -> Cells<'a> {
    let lang = m.lang;
    let cleared = a.cleared_at.is_some();
    let sev = if cleared { theme.dim() } else { theme.severity(a.severity) };
    let state = if cleared {
        t(lang, "alerts.cleared").to_string()
    } else if let Some(by) = crate::views::alerts::acked_by(a) {
        format!("{} {}", t(lang, "alerts.acked"), crate::text::scrub(&by))
    } else {
        t(lang, "alerts.new").to_string()
    };
    let live = live_value(&m.state, a, m.now, &m.thresholds).map(|v| value_text(a.kind, v, lang)).unwrap_or_default();
    // The figure it was raised at, once the figure has moved on from it.
    let was = a.value.map(|v| value_text(a.kind, v, lang)).filter(|w| *w != live);
    let row = Cells::new(vec![
        Line::from(Span::styled(a.severity.label(lang), sev)),
        Line::from(age(a.first_seen, m.now, lang)),
        Line::from(a.kind.label(lang)),
        Line::from(crate::text::scrub(&a.subject)),
        Line::from(live),
        Line::from(was.unwrap_or_default()),
        Line::from(state),
    ]);
    if cleared {
        row.style(theme.dim())
    } else {
        row
    }
}
