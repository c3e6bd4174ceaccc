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
    let duty = |end: &str| {
        format!("| {} {}/{}{end} ", t(lang, "ui.duty"), crate::text::scrub(&officer), crate::text::scrub(&leader))
    };
    let duty_alts: Vec<String> = match shift {
        Some(x) if !narrow => vec![
            format!(
                "| {} {} {} {} {} {until} ",
                t(lang, "ui.duty"),
                crate::text::scrub(&officer),
                t(lang, "ui.leader"),
                crate::text::scrub(&leader),
                t(lang, "ui.until")
            ),
            duty(&format!(" {}{}", t(lang, "ui.until"), x.end.format("%H:%M"))),
            duty(""),
        ],
        Some(x) => vec![duty(&format!(" {}{}", t(lang, "ui.until"), x.end.format("%H:%M"))), duty("")],
        None => vec![format!("| {} {} ", t(lang, "ui.duty"), crate::text::scrub(&officer))],
    };
    let bold = theme.bar().add_modifier(ratatui::style::Modifier::BOLD);
    // Most important first, each with shorter forms after it.
    let mut segments: Vec<(Vec<String>, ratatui::style::Style)> = vec![
        (vec![format!(" {} ", crate::text::scrub(&town))], bold),
        (vec![format!("| {} ", crate::text::scrub(s.settings.level_name(s.settings.level, lang)))], theme.bar()),
        (vec![format!("| {clock} "), format!("| {} ", m.now.format("%H:%M"))], theme.bar()),
        (vec![format!("| {crit} {} ", t(lang, "ui.critical")), format!("| {crit}! ")], crit_style),
        (duty_alts, theme.bar()),
    ];
    if matches!(m.conn, Conn::Disconnected { .. }) {
        // A lost connection must be seen whatever the width: it goes before the duty line.
        segments.insert(1, (vec![format!("| {conn} ")], conn_style));
    } else {
        segments.push((vec![format!("| {} {conn} ", t(lang, "face.console"))], conn_style));
    }
    whole_segments(segments, width as usize, theme)
}

/// The segments that fit in `width`, in order, each whole in the longest of its forms that
/// fits; one that fits in no form is left out, never cut mid-word (the first is cut only when
/// the bar is narrower than it). The rest of the line is padded. O(segments × forms).
fn whole_segments(segments: Vec<(Vec<String>, ratatui::style::Style)>, width: usize, theme: Theme) -> Line<'static> {
    let mut used = 0;
    let mut spans = Vec::new();
    for (i, (forms, style)) in segments.into_iter().enumerate() {
        let room = width.saturating_sub(used);
        let fits = forms.iter().find(|f| crate::text::width(f) <= room).cloned();
        let text = match (fits, i) {
            (Some(f), _) => f,
            (None, 0) => crate::text::truncate(forms.first().map_or("", String::as_str), room),
            (None, _) => continue,
        };
        used += crate::text::width(&text);
        spans.push(Span::styled(text, style));
    }
    spans.push(Span::styled(" ".repeat(width.saturating_sub(used)), theme.bar()));
    Line::from(spans)
}
