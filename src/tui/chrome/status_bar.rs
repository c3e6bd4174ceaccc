//! The console's status bar: town, level, clock, critical count, who is on duty, the link.
//! Draws from the model only; imports nothing outside `tui`, `domain` and `i18n`.

use crate::i18n::t;
use crate::tui::model::{Conn, Model};
use crate::tui::theme::Theme;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

pub fn render(m: &Model, theme: Theme, f: &mut Frame, area: Rect) {
    f.render_widget(Paragraph::new(line(m, theme, area.width)), area);
}

/// The bar as one line `width` cells wide (the clock's redraw draws only this).
pub fn line(m: &Model, theme: Theme, width: u16) -> Line<'static> {
    let lang = m.lang;
    let s = &m.state;
    let shift = s.shift_at(m.now);
    let officer = s.officer_on_duty(m.now).unwrap_or_else(|| t(lang, "ui.nobody").to_string());
    let leader = shift.map(|x| x.leader_on_call.clone()).unwrap_or_else(|| "-".into());
    let until = shift.map(|x| x.end.format("%m-%d %H:%M").to_string()).unwrap_or_default();
    let crit = m.critical_unacked();
    let conn = match &m.conn {
        Conn::Embedded => t(lang, "conn.local").to_string(),
        Conn::Connected => t(lang, "conn.connected").to_string(),
        Conn::Disconnected { since } => format!("{} {}", t(lang, "conn.disconnected"), since.format("%H:%M")),
    };
    let town = if s.settings.town.is_empty() { t(lang, "ui.no_town").to_string() } else { s.settings.town.clone() };
    let narrow = width < 120;
    let clock = if narrow { m.now.format("%m-%d %H:%M:%S") } else { m.now.format("%Y-%m-%d %H:%M:%S") };
    let crit_style = if crit > 0 { theme.severity(crate::domain::alerts::Severity::Critical) } else { theme.bar() };
    let conn_style = if matches!(m.conn, Conn::Disconnected { .. }) { theme.error() } else { theme.bar() };
    // Most important first: what is left over is cut at the right edge.
    let mut spans = vec![
        Span::styled(
            format!(" {} ", crate::text::scrub(&town)),
            theme.bar().add_modifier(ratatui::style::Modifier::BOLD),
        ),
        Span::styled(format!("| {} ", s.settings.level.label(lang)), theme.bar()),
        Span::styled(format!("| {clock} "), theme.bar()),
        Span::styled(format!("| {crit} {} ", t(lang, "ui.critical")), crit_style),
        Span::styled(
            if narrow {
                // Narrow: officer/leader and the end of the shift as HH:MM.
                let end =
                    shift.map(|x| format!(" {}{}", t(lang, "ui.until"), x.end.format("%H:%M"))).unwrap_or_default();
                format!(
                    "| {} {}/{}{end} ",
                    t(lang, "ui.duty"),
                    crate::text::scrub(&officer),
                    crate::text::scrub(&leader)
                )
            } else if shift.is_some() {
                format!(
                    "| {} {} {} {} {} {until} ",
                    t(lang, "ui.duty"),
                    crate::text::scrub(&officer),
                    t(lang, "ui.leader"),
                    crate::text::scrub(&leader),
                    t(lang, "ui.until")
                )
            } else {
                format!("| {} {} ", t(lang, "ui.duty"), crate::text::scrub(&officer))
            },
            theme.bar(),
        ),
    ];
    if matches!(m.conn, Conn::Disconnected { .. }) {
        // A lost connection must be seen whatever the width: it goes before the duty line.
        spans.insert(3, Span::styled(format!("| {conn} "), conn_style));
    } else {
        spans.push(Span::styled(format!("| {} {conn} ", t(lang, "face.console")), conn_style));
    }
    let used: usize = spans.iter().map(|s| s.width()).sum();
    spans.push(Span::styled(" ".repeat((width as usize).saturating_sub(used)), theme.bar()));
    Line::from(spans)
}
