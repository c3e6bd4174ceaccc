//! The listings: zones, points, villages, items, people, duty, vehicles, stock, alerts and
//! dispatches, as aligned tables or (`--json`) JSON arrays whose field names are those of the
//! scenario file. Rows and their order come from `views` where a view exists.

use super::write_json;
use crate::api::Query;
use crate::domain::alerts::Alert;
use crate::domain::alerts::Thresholds;
use crate::domain::command::Dest;
use crate::domain::reject::{Reason, Rejection};
use crate::domain::rules::alerts::live_value;
use crate::domain::state::{Dispatch, DispatchStatus, State};
use crate::domain::Lang;
use crate::i18n::t;
use crate::text;
use crate::views;
use chrono::{DateTime, FixedOffset};
use color_eyre::eyre::{bail, Result};
use serde_json::json;
use std::io::Write;

pub fn list(
    state: &State,
    now: DateTime<FixedOffset>,
    th: &Thresholds,
    query: &Query,
    lang: Lang,
    out: &mut impl Write,
) -> Result<()> {
    match query {
        Query::Zones { json } => zones(state, *json, out),
        Query::Points { json } => points(state, *json, out),
        Query::Villages { json } => villages(state, *json, out),
        Query::Items { json } => items(state, *json, out),
        Query::People { json } => people(state, *json, out),
        Query::Duty { json } => duty(state, now, *json, out),
        Query::Vehicles { json } => vehicles(state, *json, out),
        Query::Stock { point, item, batches: true, json, .. } => {
            check_codes(state, point.as_deref(), item.as_deref(), lang)?;
            self::batches(state, point.as_deref(), item.as_deref(), *json, out)
        }
        Query::Stock { point, item, town, json, .. } => {
            check_codes(state, point.as_deref(), item.as_deref(), lang)?;
            stock(state, now, point.as_deref(), item.as_deref(), *town, *json, lang, out)
        }
        Query::Alerts { all, json } => alerts(state, now, th, *all, *json, lang, out),
        Query::Dispatches { all, json } => dispatches(state, *all, *json, lang, out),
        Query::Requests { village, point, status, json } => {
            let q = super::demand::RequestsQuery {
                village: village.as_deref(),
                point: point.as_deref(),
                status: *status,
                json: *json,
            };
            super::demand::list(state, now.date_naive(), &q, lang, out)
        }
        Query::Tallies { date, json } => super::demand::tallies(state, now.date_naive(), *date, *json, out),
        Query::Kits { json } => super::demand::kits(state, *json, out),
        Query::Daily { .. }
        | Query::Plan { .. }
        | Query::Schedule { .. }
        | Query::Households { .. }
        | Query::Cases { .. }
        | Query::Unknown => Ok(()),
    }
}

/// A listing: the rows as a JSON array, or as an aligned table with `headers` (a trailing `>`
/// right-aligns a column).
fn emit<T: serde::Serialize>(
    out: &mut impl Write,
    json: bool,
    rows: &[T],
    headers: &[&str],
    cells: impl Fn(&T) -> Vec<String>,
) -> Result<()> {
    if json {
        return write_json(out, &rows);
    }
    let t: Vec<Vec<String>> = rows.iter().map(cells).collect();
    write!(out, "{}", text::table(headers, &t))?;
    Ok(())
}

fn zones(state: &State, json: bool, out: &mut impl Write) -> Result<()> {
    let rows: Vec<_> = state.zones.values().collect();
    emit(out, json, &rows, &["code", "name", "lead"], |z| vec![z.code.clone(), z.name.clone(), z.lead.clone()])
}

fn points(state: &State, json: bool, out: &mut impl Write) -> Result<()> {
    let rows: Vec<_> = state.points.values().collect();
    let heads =
        ["code", "name", "kind", "zone", "households>", "population>", "staff>", "vehicles>", "manager", "phone"];
    emit(out, json, &rows, &heads, |p| {
        vec![
            p.code.clone(),
            p.name.clone(),
            p.kind.code().into(),
            p.zone.clone(),
            p.households.to_string(),
            p.population.to_string(),
            p.staff.to_string(),
            p.vehicles.to_string(),
            p.manager.clone(),
            p.phone.clone(),
        ]
    })
}

fn villages(state: &State, json: bool, out: &mut impl Write) -> Result<()> {
    let rows: Vec<_> = state.villages.values().collect();
    emit(out, json, &rows, &["code", "name", "point", "households>", "checkpoint"], |v| {
        vec![v.code.clone(), v.name.clone(), v.point.clone(), v.households.to_string(), v.checkpoint.clone()]
    })
}

fn items(state: &State, json: bool, out: &mut impl Write) -> Result<()> {
    let rows: Vec<_> = state.items.values().collect();
    let heads = ["code", "name_zh", "name_en", "group", "unit", "norm_days>", "max_days>", "per_household_daily>"];
    emit(out, json, &rows, &heads, |i| {
        vec![
            i.code.clone(),
            i.name_zh.clone(),
            i.name_en.clone(),
            i.group.code().into(),
            i.unit.clone(),
            i.norm_days.to_string(),
            i.max_days.map(|m| m.to_string()).unwrap_or_default(),
            i.per_household_daily.to_string(),
        ]
    })
}

fn people(state: &State, json: bool, out: &mut impl Write) -> Result<()> {
    let mut rows: Vec<_> = state.people.values().collect();
    rows.sort_by_key(|p| (p.role, p.name.clone()));
    emit(out, json, &rows, &["name", "title", "unit", "role", "duty", "phone"], |p| {
        vec![p.name.clone(), p.title.clone(), p.unit.clone(), p.role.code().into(), p.duty.clone(), p.phone.clone()]
    })
}

fn duty(state: &State, now: DateTime<FixedOffset>, json: bool, out: &mut impl Write) -> Result<()> {
    let rows: Vec<_> = state.shifts.values().collect();
    emit(out, json, &rows, &["", "start", "end", "duty_officer", "leader_on_call"], |s| {
        vec![
            if s.start <= now && now < s.end { "*" } else { "" }.into(),
            s.start.format("%Y-%m-%d %H:%M").to_string(),
            s.end.format("%Y-%m-%d %H:%M").to_string(),
            s.duty_officer.clone(),
            s.leader_on_call.clone(),
        ]
    })
}

fn vehicles(state: &State, json: bool, out: &mut impl Write) -> Result<()> {
    let rows: Vec<_> = state.vehicles.values().collect();
    emit(out, json, &rows, &["plate", "point", "pass_no", "pass_valid_until"], |v| {
        vec![v.plate.clone(), v.point.clone(), v.pass_no.clone(), v.pass_valid_until.to_string()]
    })
}

/// A point or item asked for that the state does not know is an error naming it.
fn check_codes(state: &State, point: Option<&str>, item: Option<&str>, lang: Lang) -> Result<()> {
    if let Some(p) = point.filter(|p| !state.points.contains_key(*p)) {
        bail!("{}", Rejection::new("point", Reason::UnknownPoint { code: p.to_string() }).message(lang));
    }
    if let Some(i) = item.filter(|i| !state.items.contains_key(*i)) {
        bail!("{}", Rejection::new("item", Reason::UnknownItem { code: i.to_string() }).message(lang));
    }
    Ok(())
}

/// Stock with cover and status, worst first. O(rows asked for × their lots and flows).
#[allow(clippy::too_many_arguments)]
fn stock(
    state: &State,
    now: DateTime<FixedOffset>,
    point: Option<&str>,
    item: Option<&str>,
    town: bool,
    json: bool,
    lang: Lang,
    out: &mut impl Write,
) -> Result<()> {
    let rows = views::stock::stock_rows(state, now.date_naive(), point, item, town);
    if json {
        return write_json(out, &views::stock::json(&rows));
    }
    let t: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.point.unwrap_or(t(lang, "cli.town")).to_string(),
                r.item.code.clone(),
                r.item.name(lang).to_string(),
                r.cover.qty.to_string(),
                r.item.unit.clone(),
                views::stock::days_text(&r.cover),
                format!("{}", r.item.norm_days),
                r.cover.status.label(lang).to_string(),
                r.cover.runs_out.map(|e| e.to_string()).unwrap_or_default(),
                r.cover.earliest_expiry.map(|e| e.to_string()).unwrap_or_default(),
            ]
        })
        .collect();
    let heads = match lang {
        Lang::En => ["point", "item", "name", "qty>", "unit", "days>", "norm>", "status", "runs out", "expiry"],
        Lang::Zh => ["送货点", "物资", "名称", "数量>", "单位", "保障天数>", "标准>", "状态", "预计断档", "最早到期"],
    };
    write!(out, "{}", text::table(&heads, &t))?;
    Ok(())
}

/// One row per batch.
fn batches(state: &State, point: Option<&str>, item: Option<&str>, json: bool, out: &mut impl Write) -> Result<()> {
    let lots: Vec<_> = state
        .lots
        .values()
        .filter(|l| point.is_none_or(|p| p == l.point) && item.is_none_or(|i| i == l.item))
        .collect();
    if json {
        let v: Vec<_> = lots
            .iter()
            .map(|l| json!({"point": l.point, "item": l.item, "qty": l.qty.as_f64(), "batch": l.batch, "expiry": l.expiry}))
            .collect();
        return write_json(out, &v);
    }
    let t: Vec<Vec<String>> = lots
        .iter()
        .map(|l| {
            vec![
                l.point.clone(),
                l.item.clone(),
                l.qty.to_string(),
                l.batch.clone(),
                l.expiry.map(|e| e.to_string()).unwrap_or_default(),
            ]
        })
        .collect();
    write!(out, "{}", text::table(&["point", "item", "qty>", "batch", "expiry"], &t))?;
    Ok(())
}

fn alerts(
    state: &State,
    now: DateTime<FixedOffset>,
    th: &Thresholds,
    all: bool,
    json: bool,
    lang: Lang,
    out: &mut impl Write,
) -> Result<()> {
    let rows = views::alerts::list(state, all);
    if json {
        return write_json(out, &views::alerts::json(state, now, th, &rows));
    }
    let t: Vec<Vec<String>> = rows
        .iter()
        .map(|a| {
            vec![
                Alert::label(a.id),
                a.severity.label(lang).to_string(),
                a.kind.label(lang).to_string(),
                a.subject.clone(),
                live_value(state, a, now, th).map(|v| format!("{v:.1}")).unwrap_or_default(),
                views::alerts::raised_detail(a, now, lang),
                crate::views::alerts::acked_by(a).unwrap_or_default(),
                a.cleared_at.map(|c| c.format("%m-%d %H:%M").to_string()).unwrap_or_default(),
            ]
        })
        .collect();
    let heads = match lang {
        Lang::En => ["id", "severity", "kind", "subject", "value now>", "raised", "acked_by", "cleared_at"],
        Lang::Zh => ["编号", "级别", "类型", "对象", "当前数值>", "发现", "确认人", "解除时间"],
    };
    write!(out, "{}", text::table(&heads, &t))?;
    Ok(())
}

fn dispatches(state: &State, all: bool, json: bool, lang: Lang, out: &mut impl Write) -> Result<()> {
    let rows: Vec<&Dispatch> =
        state.dispatches.values().rev().filter(|d| all || d.status() == DispatchStatus::InTransit).collect();
    if json {
        return write_json(out, &views::dispatches::json(&rows));
    }
    let t: Vec<Vec<String>> = rows
        .iter()
        .map(|d| {
            vec![
                Dispatch::label(d.id),
                d.from.clone(),
                match &d.to {
                    Dest::Point(p) => p.clone(),
                    Dest::Village(v) => v.clone(),
                },
                d.item.clone(),
                d.qty.to_string(),
                d.received_qty.map(|q| q.to_string()).unwrap_or_default(),
                d.status().label(lang).to_string(),
                d.sent_at.format("%m-%d %H:%M").to_string(),
            ]
        })
        .collect();
    write!(out, "{}", text::table(&["id", "from", "to", "item", "qty>", "received>", "status", "sent"], &t))?;
    Ok(())
}
