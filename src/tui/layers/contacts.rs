//! The contacts screen (`o` on the console): who to call now, one key away. The duty officer
//! holding the watch and the leader on call, the next shift's two, each zone's lead and the
//! selected point's manager (`model::contact_rows`), each with what they are on duty as, the
//! shift's times or their zone or point, their name and mobile; a phone not on file says so,
//! never a blank cell. A box in the middle of the screen as wide as its content; the window
//! follows the selected line when the contacts do not fit (Up/Down, PgUp/PgDn, Home/End).
//! Pure drawing from the model; must not import the loop (`tui::mod`), `cli`, `link` or the store.

use crate::i18n::t;
use crate::text::{scrub, width};
use crate::tui::model::{contact_rows, Contact, ContactKind, Model};
use crate::tui::theme::Theme;
use crate::tui::widgets::popup;
use crate::tui::widgets::table::{natural, Cells, Col, Windowed};
use ratatui::text::Line;
use ratatui::Frame;

/// The locale key of what a contact is on duty as.
pub fn kind_key(kind: ContactKind) -> &'static str {
    match kind {
        ContactKind::DutyOfficer => "contacts.duty_officer",
        ContactKind::LeaderOnCall => "contacts.leader",
        ContactKind::NextOfficer => "contacts.next_officer",
        ContactKind::NextLeader => "contacts.next_leader",
        ContactKind::ZoneLead => "contacts.zone_lead",
        ContactKind::PointManager => "contacts.manager",
    }
}

/// A contact's cells: what, when or where, name (or that nobody is named), phone (or that none
/// is on file, dimmed).
fn cells(c: &Contact, m: &Model, theme: Theme) -> Vec<Line<'static>> {
    let lang = m.lang;
    let name = if c.name.is_empty() {
        Line::styled(t(lang, "contacts.nobody").to_string(), theme.dim())
    } else {
        Line::raw(scrub(&c.name))
    };
    let phone = match &c.phone {
        Some(p) => Line::styled(scrub(p), theme.key()),
        None => Line::styled(t(lang, "contacts.no_phone").to_string(), theme.dim()),
    };
    vec![Line::raw(t(lang, kind_key(c.kind)).to_string()), Line::raw(scrub(&c.at)), name, phone]
}

pub fn render(m: &Model, theme: Theme, f: &mut Frame, sel: usize) {
    let lang = m.lang;
    let rows = contact_rows(m);
    let heads =
        vec![t(lang, "col.on_duty_as"), t(lang, "col.when_where"), t(lang, "col.person"), t(lang, "col.mobile")];
    let lines: Vec<Vec<Line>> = rows.iter().map(|c| cells(c, m, theme)).collect();
    // As wide as the columns' natural widths, the gaps and the border.
    let title = format!(" {} ", t(lang, "contacts.title"));
    let w = (natural(heads.len(), &heads, &lines).iter().sum::<usize>() + heads.len() - 1 + 2).max(width(&title) + 4);
    let (area, block) = popup(f, w, rows.len() + 3, title, theme);
    let cols = vec![Col::Whole, Col::Yields, Col::Yields, Col::Whole];
    let sel = sel.min(rows.len().saturating_sub(1));
    Windowed::new(heads, cols, rows.len())
        .block(block)
        .selected(sel)
        .render(f, area, theme, |i| Cells::new(lines.get(i).cloned().unwrap_or_default()));
}
