//! The listings of the people who cannot wait: `households` (the register, soonest named
//! delivery first) and `cases` (hotline cases, pending first by due time), as tables or JSON
//! arrays. Personal data arrives already masked for readers not entitled to it (rows come from
//! `views::hotline`, which asks `privacy`); a masked cell reads as a placeholder.

use super::write_json;
use crate::domain::access::Access;
use crate::domain::alerts::Thresholds;
use crate::domain::hotline::{Case, CaseHours};
use crate::domain::state::State;
use crate::domain::Lang;
use crate::i18n::t;
use crate::text;
use crate::views::hotline::{self, CaseFilter, HouseholdFilter};
use chrono::{DateTime, FixedOffset};
use color_eyre::eyre::Result;
use std::io::Write;

/// A personal cell: its text, or the placeholder when masked.
fn cell(masked: bool, text: &str, lang: Lang) -> String {
    if masked {
        t(lang, "privacy.masked").to_string()
    } else {
        text.to_string()
    }
}

/// Who reads a listing: their access (what is masked) and language.
pub struct Reader<'a> {
    pub access: &'a Access,
    pub lang: Lang,
}

/// `households`. Cost: one pass over the register.
pub fn households(
    state: &State,
    who: &Reader,
    now: DateTime<FixedOffset>,
    filter: &HouseholdFilter,
    json: bool,
    out: &mut impl Write,
) -> Result<()> {
    let (today, lang) = (now.date_naive(), who.lang);
    let rows = hotline::households(state, who.access, filter, today);
    if json {
        let v: Vec<_> = rows.iter().map(|h| hotline::household_json(state, h, today)).collect();
        return write_json(out, &v);
    }
    let t: Vec<Vec<String>> = rows
        .iter()
        .map(|h| {
            let due = h.next_due();
            let mark = if due.is_some_and(|d| d < today) { "!" } else { "" };
            let cats: Vec<&str> = h.categories.iter().map(|c| c.label(lang)).collect();
            let needs: Vec<String> =
                h.needs.iter().map(|n| format!("{}={}/{}d", n.item, n.qty, n.every_days)).collect();
            vec![
                format!("{mark}{}", h.code),
                cell(h.masked, &h.name, lang),
                h.village.clone(),
                cell(h.masked, &h.phone, lang),
                cats.join(","),
                needs.join(" "),
                due.map(|d| d.to_string()).unwrap_or_default(),
            ]
        })
        .collect();
    write!(out, "{}", text::table(&["code", "name", "village", "phone", "categories", "needs", "next_due"], &t))?;
    Ok(())
}

/// `cases`. Cost: one pass over the cases held.
pub fn cases(
    state: &State,
    who: &Reader,
    now: DateTime<FixedOffset>,
    th: &Thresholds,
    filter: CaseFilter,
    json: bool,
    out: &mut impl Write,
) -> Result<()> {
    let (hours, lang) = (CaseHours::of(th), who.lang);
    let rows = hotline::cases(state, who.access, filter, now, hours);
    if json {
        let v: Vec<_> = rows.iter().map(|c| hotline::case_json(c, now, hours)).collect();
        return write_json(out, &v);
    }
    let t: Vec<Vec<String>> = rows
        .iter()
        .map(|c| {
            let mark = if c.overdue(now, hours) { "!" } else { "" };
            let urgent = if c.urgent { "*" } else { "" };
            vec![
                format!("{mark}{}{urgent}", Case::label(c.id)),
                c.kind.label(lang).to_string(),
                c.status.label(lang).to_string(),
                c.due(hours).format("%m-%d %H:%M").to_string(),
                c.household.clone().unwrap_or_else(|| c.village.clone()),
                c.item.clone().unwrap_or_default(),
                cell(c.masked, &c.caller, lang),
                c.assigned_to.clone().unwrap_or_default(),
                text::scrub(&c.text),
            ]
        })
        .collect();
    let heads = ["id", "kind", "status", "due", "from", "item", "caller", "assigned", "text"];
    write!(out, "{}", text::table(&heads, &t))?;
    Ok(())
}
