//! Rendering: a pure function of the model (no I/O, no clock, no locks).
//!
//! ```text
//! +- status bar: town | level | date time | on duty / leader (until) | critical | face -+
//! | tab bar (small terminals only): 1 roster  2 points  3 stock  4 alerts                |
//! | large (>= 160x45):            | small: the focused panel                            |
//! |  points      | roster          |                                                     |
//! |  stock       | alerts          |                                                     |
//! +- footer: key hints from the keymap, or a toast ---------------------------------------+
//! ```
//! Forms and help are popups over the panels.

pub mod alerts;
pub mod point;
pub mod points;
pub mod roster;
pub mod stock;
pub mod wall;

use super::keymap;
use super::model::{Conn, Model, Panel};
use super::theme::Theme;
use super::widgets;
use crate::i18n::t;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

/// Below this the console shows only a request to enlarge the terminal.
pub const MIN_W: u16 = 60;
pub const MIN_H: u16 = 15;
/// From this size on all four panels show at once.
pub const GRID_W: u16 = 160;
pub const GRID_H: u16 = 45;

pub fn render(m: &Model, theme: Theme, f: &mut Frame) {
    let area = f.area();
    if area.width < MIN_W || area.height < MIN_H {
        let msg = format!("{} {MIN_W}x{MIN_H}", t(m.lang, "ui.enlarge"));
        f.render_widget(Paragraph::new(msg), area);
        return;
    }
    match &m.face {
        crate::proto::FaceKind::Wall => {
            wall::render(m, theme, f, area);
            return;
        }
        crate::proto::FaceKind::Point { point } => {
            let [body, footer] = Layout::vertical([Constraint::Min(3), Constraint::Length(1)]).areas(area);
            point::render(m, theme, f, body, point);
            footer_line(m, theme, f, footer);
            overlays(m, theme, f);
            return;
        }
        crate::proto::FaceKind::Console | crate::proto::FaceKind::Cli => {}
    }
    let grid = area.width >= GRID_W && area.height >= GRID_H;
    let [status, body, footer] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(3), Constraint::Length(1)]).areas(area);
    status_bar(m, theme, f, status);
    if grid {
        let [top, bottom] = Layout::vertical([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(body);
        let [tl, tr] = Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(top);
        let [bl, br] = Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(bottom);
        panel(m, theme, f, Panel::Points, tl);
        panel(m, theme, f, Panel::Roster, tr);
        panel(m, theme, f, Panel::Stock, bl);
        panel(m, theme, f, Panel::Alerts, br);
    } else {
        let [tabs, rest] = Layout::vertical([Constraint::Length(1), Constraint::Min(2)]).areas(body);
        tab_bar(m, theme, f, tabs);
        panel(m, theme, f, m.panel, rest);
    }
    footer_line(m, theme, f, footer);
    overlays(m, theme, f);
}

/// Form, help and confirmation popups over any face.
fn overlays(m: &Model, theme: Theme, f: &mut Frame) {
    if let Some((date, scroll)) = m.report {
        widgets::report::render(m, theme, f, date, scroll);
    }
    if let Some(screen) = &m.plan {
        widgets::plan::render(m, theme, f, screen);
    }
    if let Some(form) = &m.form {
        widgets::form::render(m, form, theme, f);
    }
    if m.help {
        widgets::help::render(m, theme, f);
    }
    if m.confirm_quit {
        widgets::confirm(t(m.lang, "ui.confirm_quit"), theme, f);
    }
}

/// A bordered block titled with the panel's number and name; the focused one stands out.
pub fn block(m: &Model, theme: Theme, p: Panel, extra: &str) -> Block<'static> {
    let focused = m.panel == p;
    let mut title = format!(" {} {} ", p as usize + 1, t(m.lang, p.title_key()));
    if !extra.is_empty() {
        title.push_str(extra);
        title.push(' ');
    }
    let filter = m.filter_of(p);
    if !filter.is_empty() || (focused && m.filtering) {
        title.push_str(&format!("[/{filter}] "));
    }
    Block::default()
        .borders(Borders::ALL)
        .border_style(if focused { theme.focused_border() } else { theme.border() })
        .title(Span::styled(title, if focused { theme.focused_border() } else { theme.title() }))
}

/// The rows of a list that fit in `height` lines with the selection in view: `(start, end,
/// selected index within the window)`. Tables then build only the rows they show.
pub fn window(len: usize, selected: usize, height: usize) -> (usize, usize, usize) {
    let h = height.max(1);
    let start = if selected >= h { selected + 1 - h } else { 0 };
    let end = (start + h).min(len);
    (start, end, selected.saturating_sub(start))
}

fn panel(m: &Model, theme: Theme, f: &mut Frame, p: Panel, area: Rect) {
    match p {
        Panel::Roster => roster::render(m, theme, f, area),
        Panel::Points => points::render(m, theme, f, area),
        Panel::Stock => stock::render(m, theme, f, area),
        Panel::Alerts => alerts::render(m, theme, f, area),
    }
}

fn status_bar(m: &Model, theme: Theme, f: &mut Frame, area: Rect) {
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
    let narrow = area.width < 120;
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
    spans.push(Span::styled(" ".repeat((area.width as usize).saturating_sub(used)), theme.bar()));
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn tab_bar(m: &Model, theme: Theme, f: &mut Frame, area: Rect) {
    let mut spans = Vec::new();
    for p in Panel::ALL {
        let label = format!(" {} {} ", p as usize + 1, t(m.lang, p.title_key()));
        spans.push(Span::styled(label, if p == m.panel { theme.selected() } else { theme.base() }));
        spans.push(Span::raw(" "));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn footer_line(m: &Model, theme: Theme, f: &mut Frame, area: Rect) {
    if let Some(toast) = &m.toast {
        let style = if toast.error { theme.error() } else { theme.ok() };
        f.render_widget(Paragraph::new(Span::styled(crate::text::scrub(&toast.text), style)), area);
        return;
    }
    let mut spans: Vec<Span> = Vec::new();
    if m.filtering {
        spans.push(Span::styled(format!("/{}", m.filter_of(m.panel)), theme.key()));
        spans.push(Span::raw(format!("  {}", t(m.lang, "ui.filter_hint"))));
    } else if m.form.is_some() {
        let full: usize =
            keymap::FORM_KEYS.iter().map(|(k, d)| crate::text::width(k) + crate::text::width(t(m.lang, d)) + 3).sum();
        for (k, d) in keymap::FORM_KEYS {
            spans.push(Span::styled(format!("{k} "), theme.key()));
            // Narrow terminals: the short forms of the descriptions.
            let desc = if full > area.width as usize { t(m.lang, &format!("{d}.short")) } else { t(m.lang, d) };
            spans.push(Span::raw(format!("{desc}  ")));
        }
    } else {
        let hints: Vec<&keymap::Binding> = keymap::of(&m.face).iter().filter(|b| b.hint).collect();
        let full: usize = hints
            .iter()
            .map(|b| crate::text::width(&keymap::key_name(b.code)) + crate::text::width(t(m.lang, b.desc)) + 3)
            .sum();
        let compact = full > area.width as usize;
        for b in hints {
            spans.push(Span::styled(format!("{} ", keymap::key_name(b.code)), theme.key()));
            // Narrow terminals keep only the help hint's text; `?` explains the rest.
            if !compact || b.action == keymap::Action::Help {
                spans.push(Span::raw(format!("{}  ", t(m.lang, b.desc))));
            }
        }
    }
    f.render_widget(Paragraph::new(Line::from(spans)).style(Style::default()), area);
}
