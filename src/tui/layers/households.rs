//! The households screen (`H`): the register of vulnerable households, those owed a named
//! delivery first (overdue in the alert colour, then due today, then by due day), then the
//! rest; each row its code, the head's name (only where this face may see it, else
//! "(hidden)"), village, categories, the need due next (item, quantity, due day or how long
//! overdue) and the person responsible; wide terminals add the phones and the address. Under
//! the table the selected household's needs in full. Enter opens the request form for the
//! need due. Pure drawing from the model; must not import the loop (`tui::mod`), `cli`, `link`
//! or the store.

use super::hotline::personal;
use crate::domain::household::{Household, Need};
use crate::domain::Lang;
use crate::i18n::t;
use crate::tui::model::{due_need, household_rows, Model};
use crate::tui::theme::Theme;
use crate::tui::widgets::list_screen::{ListRows, ListScreen};
use crate::tui::widgets::table::{Cells, Col};
use chrono::NaiveDate;
use ratatui::text::{Line, Span};

use ratatui::Frame;

/// Lines under the table for the selected household.
const DETAIL_H: u16 = 3;

pub fn render(m: &Model, theme: Theme, f: &mut Frame, sel: usize, filter: &str) {
    let lang = m.lang;
    let today = m.now.date_naive();
    let rows = household_rows(m);
    let due = |h: &Household| h.next_due();
    let overdue = rows.iter().filter(|h| due(h).is_some_and(|d| d < today)).count();
    let due_today = rows.iter().filter(|h| due(h) == Some(today)).count();
    let title = format!(
        " {} ({overdue} {}, {due_today} {}, {} {}) ",
        t(lang, "households.title"),
        t(lang, "households.overdue"),
        t(lang, "households.due_today"),
        rows.len(),
        t(lang, "households.listed"),
    );
    let screen = ListScreen {
        title,
        filter,
        filtering: m.filtering(),
        cli: t(lang, "households.cli"),
        empty: crate::tui::widgets::empty_text(lang, filter, t(lang, "households.none")),
        detail_height: DETAIL_H,
        selected: sel,
    };
    screen.render(f, theme, &Households { m, rows, theme });
}

/// The households listed, as the shared list screen draws them.
struct Households<'a> {
    m: &'a Model,
    rows: Vec<Household>,
    theme: Theme,
}

impl ListRows for Households<'_> {
    fn count(&self) -> usize {
        self.rows.len()
    }

    fn columns(&self, wide: bool) -> (Vec<&'static str>, Vec<Col>) {
        columns(self.m.lang, wide)
    }

    fn row(&self, i: usize, wide: bool) -> Cells<'static> {
        row(self.m, &self.rows[i], wide, self.theme)
    }

    fn detail(&self, i: usize) -> Vec<Line<'static>> {
        details(self.m, &self.rows[i], self.theme)
    }
}

fn columns(lang: Lang, wide: bool) -> (Vec<&'static str>, Vec<Col>) {
    let h = |k: &str| t(lang, k);
    let mut heads = vec![h("col.code"), h("col.head"), h("col.village"), h("col.categories")];
    let mut widths = vec![Col::Whole, Col::Yields, Col::Yields, Col::Yields];
    heads.extend([h("col.next_need"), h("col.qty"), h("col.due"), h("col.responsible")]);
    widths.extend([Col::Whole, Col::Whole, Col::Whole, Col::Yields]);
    if wide {
        heads.extend([h("col.phone"), h("col.responsible_phone"), h("col.address")]);
        widths.extend([Col::Whole, Col::Whole, Col::Yields]);
    }
    (heads, widths)
}

/// "overdue 2d", "today", or the day it is due.
fn due_text(due: NaiveDate, today: NaiveDate, lang: Lang) -> String {
    let days = (today - due).num_days();
    match days {
        d if d > 0 => format!("{}{d}{}", t(lang, "households.overdue_by"), t(lang, "unit.days")),
        0 => t(lang, "households.today").to_string(),
        _ => due.format("%m-%d").to_string(),
    }
}

fn item_name(m: &Model, n: &Need) -> String {
    crate::text::scrub(m.state.items.get(&n.item).map_or(n.item.as_str(), |i| i.name(m.lang)))
}

fn qty_text(m: &Model, n: &Need, wide: bool) -> String {
    match m.state.items.get(&n.item) {
        Some(i) if wide => format!("{} {}", n.qty, crate::i18n::unit(m.lang, &i.unit)),
        _ => n.qty.to_string(),
    }
}

fn row(m: &Model, h: &Household, wide: bool, theme: Theme) -> Cells<'static> {
    let lang = m.lang;
    let today = m.now.date_naive();
    let need = due_need(h);
    let due = need.map(|n| n.due(h.registered));
    let style = match due {
        Some(d) if d < today => theme.error(),
        Some(d) if d == today => theme.key(),
        _ => theme.base(),
    };
    let village = match m.state.villages.get(&h.village) {
        Some(v) => format!("{} {}", h.village, v.name),
        None => h.village.clone(),
    };
    let cats: Vec<&str> = h.categories.iter().map(|c| c.label(lang)).collect();
    let mut cells = vec![
        Line::from(Span::styled(crate::text::scrub(&h.code), style)),
        Line::from(personal(h.masked, &h.name, lang)),
        Line::from(crate::text::scrub(&village)),
        Line::from(cats.join(lang.pick(",", "、"))),
        Line::from(need.map(|n| item_name(m, n)).unwrap_or_default()),
        Line::from(need.map(|n| qty_text(m, n, wide)).unwrap_or_default()),
        Line::from(Span::styled(due.map(|d| due_text(d, today, lang)).unwrap_or_default(), style)),
        Line::from(crate::text::scrub(&h.responsible)),
    ];
    if wide {
        cells.push(Line::from(personal(h.masked, &h.phone, lang)));
        cells.push(Line::from(crate::text::scrub(&h.responsible_phone)));
        cells.push(Line::from(personal(h.masked, &h.address, lang)));
    }
    Cells::new(cells)
}

/// The selected household: who and where, every need with its last delivery and due day, who
/// is responsible.
fn details(m: &Model, h: &Household, theme: Theme) -> Vec<Line<'static>> {
    let lang = m.lang;
    let today = m.now.date_naive();
    let phone = if h.masked { String::new() } else { format!(" {}", crate::text::scrub(&h.phone)) };
    let village = m.state.villages.get(&h.village).map_or(String::new(), |v| crate::text::scrub(&v.name));
    let cats: Vec<&str> = h.categories.iter().map(|c| c.label(lang)).collect();
    let head = format!(
        "{} {}{phone} · {} · {} {village} · {}",
        h.code,
        personal(h.masked, &h.name, lang),
        personal(h.masked, &h.address, lang),
        h.village,
        cats.join(lang.pick(",", "、"))
    );
    let needs: Vec<String> = h
        .needs
        .iter()
        .map(|n| {
            let last = n.last.map_or("-".to_string(), |d| d.format("%m-%d").to_string());
            let every = t(lang, "households.every").replace("{}", &n.every_days.to_string());
            let due = n.due(h.registered);
            let when = match due_text(due, today, lang) {
                text if due < today => text,
                text => format!("{} {text}", t(lang, "col.due")),
            };
            let (item, qty) = (item_name(m, n), qty_text(m, n, true));
            format!("{item} {qty} {every} ({} {last}, {when})", t(lang, "households.last"))
        })
        .collect();
    let needs = if needs.is_empty() { t(lang, "households.no_needs").to_string() } else { needs.join(" · ") };
    let responsible = format!(
        "{} {} {} · {}",
        t(lang, "col.responsible"),
        crate::text::scrub(&h.responsible),
        crate::text::scrub(&h.responsible_phone),
        t(lang, "households.hint")
    );
    vec![Line::styled(head, theme.title()), Line::raw(needs), Line::styled(responsible, theme.dim())]
}
