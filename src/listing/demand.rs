//! The demand listings: `requests` (a table, or the JSON array scripts rely on), `kits` and `tallies`
//! (every village with its tally of the day, its latest and the next due). Rows and their
//! order come from `views::requests` and `views::tallies`; filters arrive already parsed.

use super::write_json;
use crate::domain::demand::{Request, RequestStatus};
use crate::domain::state::State;
use crate::domain::Lang;
use crate::text;
use crate::views::requests::{self, Filter};
use chrono::NaiveDate;
use color_eyre::eyre::Result;
use std::io::Write;

/// `tallies` for `date` (default today). Cost: one row per village.
pub fn tallies(
    state: &State,
    today: NaiveDate,
    date: Option<NaiveDate>,
    json: bool,
    out: &mut impl Write,
) -> Result<()> {
    let rows = crate::views::tallies::rows(state, date.unwrap_or(today), today);
    if json {
        return write_json(out, &rows);
    }
    let t: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let lines = if r.zero {
                "0".to_string()
            } else {
                r.lines.iter().map(|l| format!("{}={}", l.item, l.qty)).collect::<Vec<_>>().join(" ")
            };
            let last = r.last.map(|d| d.to_string()).unwrap_or_default();
            let due = r.next_due.map(|d| d.to_string()).unwrap_or_default();
            let mark = if r.overdue { "!" } else { "" };
            vec![format!("{mark}{}", r.village), r.point.clone(), lines, last, due]
        })
        .collect();
    write!(out, "{}", text::table(&["village", "point", "lines", "last", "next_due"], &t))?;
    Ok(())
}

/// `kits`: each kit, its components, the kits held and those the components could make.
/// Cost: that of `views::kits::rows`.
pub fn kits(state: &State, json: bool, out: &mut impl Write) -> Result<()> {
    let rows = crate::views::kits::rows(state);
    if json {
        return write_json(out, &rows);
    }
    let t: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let parts = crate::views::kits::components_text(&r.components);
            vec![r.code.clone(), r.name_zh.clone(), r.unit.clone(), parts, r.held.to_string(), r.makeable.to_string()]
        })
        .collect();
    let heads = ["code", "name", "unit", "components", "held>", "makeable>"];
    write!(out, "{}", text::table(&heads, &t))?;
    Ok(())
}

/// What `requests` is filtered by.
pub struct RequestsQuery<'a> {
    pub village: Option<&'a str>,
    pub point: Option<&'a str>,
    pub status: Option<RequestStatus>,
    pub json: bool,
}

/// `requests`. Cost: the requests that pass the filter.
pub fn list(state: &State, today: NaiveDate, q: &RequestsQuery, lang: Lang, out: &mut impl Write) -> Result<()> {
    let filter = Filter { village: q.village, point: q.point, status: q.status };
    let rows = requests::rows(state, &filter, today);
    if q.json {
        let v: Vec<_> = rows.iter().map(|r| requests::json(r, today)).collect();
        return write_json(out, &v);
    }
    let t: Vec<Vec<String>> = rows.iter().map(|r| row(r, today, lang)).collect();
    let heads = [
        "id",
        "village",
        "point",
        "item",
        "qty>",
        "approved>",
        "dispatched>",
        "delivered>",
        "outstanding>",
        "status",
        "by",
    ];
    write!(out, "{}", text::table(&heads, &t))?;
    Ok(())
}

fn row(r: &Request, today: NaiveDate, lang: Lang) -> Vec<String> {
    let overdue = if r.overdue(today) { "!" } else { "" };
    vec![
        format!("{overdue}{}", Request::label(r.id)),
        r.requester.village().to_string(),
        r.point.clone(),
        r.item.clone(),
        r.qty.to_string(),
        r.approved().to_string(),
        r.dispatched().to_string(),
        r.delivered().to_string(),
        r.outstanding().to_string(),
        r.status().label(lang).to_string(),
        r.by.to_string(),
    ]
}
