//! The leadership roster panel: the duty shift now (with the duty officer's and the leader's
//! phones, or that none is on file) and next, the leading group with duties,
//! zone leads, point managers and duty staff; the selected person's phone at the foot.
//! Pure drawing from the model; must not import the loop (`tui::mod`), `cli`, `link` or the store.

use super::block;
use crate::i18n::t;
use crate::tui::model::{phone_of, roster_rows, Model, Panel};
use crate::tui::theme::Theme;
use crate::tui::widgets::empty_text;
use crate::tui::widgets::table::{Cells, Col, Windowed};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

pub fn role_label(role: crate::domain::Role, lang: crate::domain::Lang) -> &'static str {
    t(lang, &format!("role.{}", role.code()))
}

pub fn render(m: &Model, theme: Theme, f: &mut Frame, area: Rect) {
    let b = block(m, theme, Panel::Roster, "");
    let inner = b.inner(area);
    f.render_widget(b, area);
    let [head, table_area, foot] =
        Layout::vertical([Constraint::Length(2), Constraint::Min(1), Constraint::Length(1)]).areas(inner);
    f.render_widget(Paragraph::new(shift_lines(m, theme, usize::from(head.width)).to_vec()), head);
    table(m, theme, f, table_area, foot);
}

/// The duty shift now and the next one, each with both phones and, where `width` has room,
/// when the shift ends or starts (the status bar says when this one ends in any case).
fn shift_lines(m: &Model, theme: Theme, width: usize) -> [Line<'static>; 2] {
    let lang = m.lang;
    let s = &m.state;
    let phone = |name: &str| phone_of(s, name).unwrap_or_else(|| t(lang, "contacts.no_phone").to_string());
    let people = |label: &str, officer: &str, leader: &str| {
        format!("{label} {officer} {} / {} {leader} {}", phone(officer), t(lang, "ui.leader"), phone(leader))
    };
    let timed = |line: String, when: String| {
        let full = format!("{line} ({when})");
        if crate::text::width(&full) <= width {
            full
        } else {
            line
        }
    };
    let now_line = match s.shift_at(m.now) {
        Some(sh) => {
            let officer = s.officer_on_duty(m.now).unwrap_or_else(|| sh.duty_officer.clone());
            let line = people(t(lang, "roster.now"), &officer, &sh.leader_on_call);
            timed(line, format!("{} {}", t(lang, "ui.until"), sh.end.format("%m-%d %H:%M")))
        }
        None => t(lang, "roster.no_shift").to_string(),
    };
    let next_line = match s.next_shift(m.now) {
        Some(sh) => timed(
            people(t(lang, "roster.next"), &sh.duty_officer, &sh.leader_on_call),
            sh.start.format("%m-%d %H:%M").to_string(),
        ),
        None => t(lang, "roster.no_next").to_string(),
    };
    [Line::styled(now_line, theme.title()), Line::styled(next_line, theme.dim())]
}

/// The people, and the selected one's phone at the foot.
fn table(m: &Model, theme: Theme, f: &mut Frame, table_area: Rect, foot: Rect) {
    let lang = m.lang;
    let rows = roster_rows(m);
    if rows.is_empty() {
        f.render_widget(
            Paragraph::new(empty_text(lang, m.filter_of(Panel::Roster), t(lang, "ui.empty"))).style(theme.dim()),
            table_area,
        );
        return;
    }
    let wide = table_area.width >= 70;
    let widths: Vec<Col> = if wide {
        vec![Col::Whole, Col::Whole, Col::Yields, Col::Yields, Col::Whole]
    } else {
        vec![Col::Whole, Col::Whole, Col::Yields, Col::Whole]
    };
    let mut header = vec![t(lang, "col.role"), t(lang, "col.person"), t(lang, "col.duty"), t(lang, "col.phone")];
    if wide {
        header.insert(2, t(lang, "col.title"));
    }
    Windowed::new(header, widths, rows.len()).selected(m.selected(Panel::Roster)).render(f, table_area, theme, |i| {
        let p = rows[i];
        let mut cells = vec![
            role_label(p.role, lang).to_string(),
            crate::text::scrub(&p.name),
            crate::text::scrub(&p.duty),
            crate::text::scrub(&p.phone),
        ];
        if wide {
            cells.insert(2, crate::text::scrub(&p.title));
        }
        Cells::new(cells)
    });
    if let Some(p) = rows.get(m.selected(Panel::Roster)) {
        let line = Line::from(vec![
            Span::styled(format!("{} ", t(lang, "col.phone")), theme.dim()),
            Span::styled(crate::text::scrub(&p.phone), theme.key()),
            Span::raw(format!("  {} {}", crate::text::scrub(&p.name), crate::text::scrub(&p.unit))),
        ]);
        f.render_widget(Paragraph::new(line), foot);
    }
}
