//! The hotline screen (`K`): open and assigned cases by due time (the overdue first, in the
//! alert colour, then the soonest due), then resolved and closed ones dimmed; each row its id,
//! when it is due (in 3h / overdue 2h), priority, kind, village or household, item, status and
//! assignee, and on wide terminals the caller, phone and what was said. Under the table the
//! selected case in full. A caller's name and phone show only where this face may see them
//! (`model::case_rows` masks as the daemon does), else as "(hidden)".
//! Pure drawing from the model; must not import the loop (`tui::mod`), `cli`, `link` or the store.

use crate::domain::hotline::{Case, CaseHours};
use crate::domain::Lang;
use crate::i18n::t;
use crate::tui::model::{case_rows, Model};
use crate::tui::theme::Theme;
use crate::tui::widgets::list_screen::{ListRows, ListScreen};
use crate::tui::widgets::table::{Cells, Col};
use chrono::{DateTime, FixedOffset};
use ratatui::text::{Line, Span};

use ratatui::Frame;

/// Lines under the table for the selected case.
const DETAIL_H: u16 = 4;

pub fn render(m: &Model, theme: Theme, f: &mut Frame, sel: usize, filter: &str) {
    let lang = m.lang;
    let hours = m.case_hours();
    let rows = case_rows(m);
    let pending = rows.iter().filter(|c| c.status.is_pending()).count();
    let overdue = rows.iter().filter(|c| c.overdue(m.now, hours)).count();
    let title = format!(
        " {} ({pending} {}, {overdue} {}) ",
        t(lang, "hotline.title"),
        t(lang, "hotline.pending"),
        t(lang, "hotline.overdue")
    );
    let screen = ListScreen {
        title,
        filter,
        filtering: m.filtering(),
        cli: t(lang, "hotline.cli"),
        empty: crate::tui::widgets::empty_text(lang, filter, t(lang, "hotline.none")),
        detail_height: DETAIL_H,
        selected: sel,
    };
    screen.render(f, theme, &Cases { m, rows, hours, theme });
}

/// The cases listed, as the shared list screen draws them.
struct Cases<'a> {
    m: &'a Model,
    rows: Vec<Case>,
    hours: CaseHours,
    theme: Theme,
}

impl ListRows for Cases<'_> {
    fn count(&self) -> usize {
        self.rows.len()
    }

    fn columns(&self, wide: bool) -> (Vec<&'static str>, Vec<Col>) {
        columns(self.m.lang, wide)
    }

    fn row(&self, i: usize, wide: bool) -> Cells<'static> {
        row(self.m, &self.rows[i], wide, self.hours, self.theme)
    }

    fn detail(&self, i: usize) -> Vec<Line<'static>> {
        details(self.m, &self.rows[i], self.hours, self.theme)
    }
}

fn columns(lang: Lang, wide: bool) -> (Vec<&'static str>, Vec<Col>) {
    let h = |k: &str| t(lang, k);
    let mut heads = vec![h("col.case"), h("col.due"), h("col.priority"), h("col.kind"), h("col.about")];
    let mut widths = vec![Col::Whole, Col::Whole, Col::Whole, Col::Whole, Col::Yields];
    heads.extend([h("col.item"), h("col.status"), h("col.assignee")]);
    widths.extend([Col::Yields, Col::Whole, Col::Yields]);
    if wide {
        heads.extend([h("col.caller"), h("col.phone"), h("col.said")]);
        widths.extend([Col::Yields, Col::Whole, Col::Yields]);
    }
    (heads, widths)
}

/// "in 3h" / "overdue 2h" for a pending case; "-" for one resolved or closed.
pub fn due_text(c: &Case, now: DateTime<FixedOffset>, hours: CaseHours, lang: Lang) -> String {
    if !c.status.is_pending() {
        return "-".into();
    }
    let minutes = (c.due(hours) - now).num_minutes();
    let span = span(minutes.unsigned_abs(), lang);
    if minutes < 0 {
        format!("{}{span}", t(lang, "hotline.overdue_by"))
    } else {
        t(lang, "hotline.due_in").replace("{}", &span)
    }
}

/// A length of time in the largest unit that keeps it short: 45m, 5h, 3d.
fn span(minutes: u64, lang: Lang) -> String {
    let (n, unit) = match minutes {
        0..60 => (minutes, "unit.minutes"),
        60..2880 => (minutes / 60, "unit.hours"),
        _ => (minutes / 1440, "unit.days"),
    };
    format!("{n}{}", t(lang, unit))
}

/// A personal cell: the text, or "(hidden)" where this face may not see it.
pub fn personal(masked: bool, text: &str, lang: Lang) -> String {
    if masked {
        t(lang, "privacy.masked").to_string()
    } else {
        crate::text::scrub(text)
    }
}

/// Where a call is from: the household's code or the village's, with the village's name when
/// there is room.
fn about(m: &Model, c: &Case, wide: bool) -> String {
    let code = c.household.as_deref().unwrap_or(&c.village);
    match m.state.villages.get(&c.village) {
        Some(v) if wide => crate::text::scrub(&format!("{code} {}", v.name)),
        _ => crate::text::scrub(code),
    }
}

fn item_text(m: &Model, c: &Case) -> String {
    let Some(code) = c.item.as_deref() else { return String::new() };
    crate::text::scrub(m.state.items.get(code).map_or(code, |i| i.name(m.lang)))
}

fn row(m: &Model, c: &Case, wide: bool, hours: CaseHours, theme: Theme) -> Cells<'static> {
    let lang = m.lang;
    let late = if c.overdue(m.now, hours) { theme.error() } else { theme.base() };
    let priority = if c.urgent { t(lang, "hotline.urgent") } else { t(lang, "hotline.normal") };
    let mut cells = vec![
        Line::from(Span::styled(Case::label(c.id), late)),
        Line::from(Span::styled(due_text(c, m.now, hours, lang), late)),
        Line::from(Span::styled(priority, if c.urgent { theme.key() } else { theme.dim() })),
        Line::from(c.kind.label(lang)),
        Line::from(about(m, c, wide)),
        Line::from(item_text(m, c)),
        Line::from(c.status.label(lang)),
        Line::from(crate::text::scrub(c.assigned_to.as_deref().unwrap_or(""))),
    ];
    if wide {
        cells.push(Line::from(personal(c.masked, &c.caller, lang)));
        cells.push(Line::from(personal(c.masked, &c.phone, lang)));
        cells.push(Line::from(crate::text::scrub(&c.text)));
    }
    let row = Cells::new(cells);
    if c.status.is_pending() {
        row
    } else {
        row.style(theme.dim())
    }
}

/// The selected case in full: what, when, who called, what was said, how it ended.
fn details(m: &Model, c: &Case, hours: CaseHours, theme: Theme) -> Vec<Line<'static>> {
    let lang = m.lang;
    let fmt = |d: DateTime<FixedOffset>| d.format("%m-%d %H:%M").to_string();
    let village = m.state.villages.get(&c.village).map_or(String::new(), |v| crate::text::scrub(&v.name));
    let mut head = format!(
        "{} · {} · {} · {} {} · {} {}",
        Case::label(c.id),
        c.kind.label(lang),
        c.status.label(lang),
        t(lang, "hotline.taken"),
        fmt(c.at),
        t(lang, "col.due"),
        fmt(c.due(hours)),
    );
    if c.status.is_pending() {
        head.push_str(&format!(" ({})", due_text(c, m.now, hours, lang)));
    }
    let household = c.household.as_ref().map_or(String::new(), |h| format!(" · {} {h}", t(lang, "hotline.household")));
    let caller = format!(
        "{} {} {} · {} {village}{household}",
        t(lang, "col.caller"),
        personal(c.masked, &c.caller, lang),
        if c.masked { String::new() } else { crate::text::scrub(&c.phone) },
        c.village,
    );
    let said = format!("{} {}", t(lang, "col.said"), crate::text::scrub(&c.text));
    let mut end = Vec::new();
    if let Some(r) = &c.resolution {
        end.push(format!("{} {}", t(lang, "hotline.resolution"), crate::text::scrub(r)));
    }
    if let Some(q) = c.request {
        end.push(format!("{} {}", t(lang, "col.request"), crate::domain::demand::Request::label(q)));
    }
    let end =
        if end.is_empty() { Line::styled(t(lang, "hotline.hint"), theme.dim()) } else { Line::raw(end.join(" · ")) };
    vec![Line::styled(head, theme.title()), Line::raw(caller), Line::raw(said), end]
}
