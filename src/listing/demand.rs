//! The demand listings: `requests` (a table, or the JSON array scripts rely on), `kits` and `tallies`
//! (every village with its tally of the day, its latest and the next due). Rows and their
//! order come from `views::requests` and `views::tallies`; filters arrive already parsed.

use super::write_json;
use crate::domain::demand::{DemandSettings, Request, RequestStatus};
use crate::domain::reject::{Reason, Rejection};
use crate::domain::state::State;
use crate::domain::Lang;
use crate::text;
use crate::views::requests::{self, Filter};
use chrono::NaiveDate;
use color_eyre::eyre::{bail, Result};
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

/// `schedule`: `date` (default today and tomorrow), every zone or one. A zone that is not
/// known is refused. Cost: that of `views::schedule::rows`.
#[allow(clippy::too_many_arguments)]
pub fn schedule(
    state: &State,
    today: NaiveDate,
    demand: &DemandSettings,
    date: Option<NaiveDate>,
    zone: Option<&str>,
    json: bool,
    lang: Lang,
    out: &mut impl Write,
) -> Result<()> {
    if let Some(z) = zone.filter(|z| !state.zones.contains_key(*z)) {
        bail!("{}", Rejection::new("zone", Reason::UnknownZone { code: z.to_string() }).message(lang));
    }
    let dates = match date {
        Some(d) => vec![d],
        None => vec![today, today.succ_opt().unwrap_or(today)],
    };
    let rows = crate::views::schedule::rows(state, demand, &dates, zone);
    if json {
        return write_json(out, &rows);
    }
    let mut t: Vec<Vec<String>> = Vec::new();
    for zd in &rows {
        let (lo, hi) = zd.vehicles_norm;
        t.push(vec![
            zd.date.to_string(),
            zd.zone.clone(),
            format!("{} {}", zd.households, lang.pick("hh", "户")),
            String::new(),
            String::new(),
            String::new(),
            format!("{} ({lo}-{hi})", zd.vehicles),
            format!("{} ({})", zd.staff, zd.staff_norm),
        ]);
        for s in &zd.slots {
            let mark = if s.overloaded { "!" } else { "" };
            t.push(vec![
                String::new(),
                format!("{mark}{}", s.slot),
                format!("{}-{}", s.start.format("%H:%M"), s.end.format("%H:%M")),
                s.villages.join(" "),
                crate::views::schedule::load_text(&s.load, lang),
                s.requests.to_string(),
                format!("{}/{}", s.trips, s.capacity),
                format!("{}/{}", s.workers_needed, zd.staff),
            ]);
        }
    }
    let heads = ["date", "slot", "time", "villages", "load>", "requests>", "trips>", "staff>"];
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
