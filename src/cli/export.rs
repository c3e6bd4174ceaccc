//! `export`: the event log as JSON lines, or stock, dispatches and alerts as CSV (UTF-8 with a
//! byte-order mark, for Excel/WPS) or JSON, from the rows of `views`.

use super::args::{ExportFormat, ExportWhat};
use super::{write_json, Exit};
use crate::domain::alerts::Thresholds;
use crate::domain::state::State;
use crate::domain::Lang;
use crate::link::Link;
use crate::text;
use crate::views;
use chrono::{DateTime, FixedOffset};
use color_eyre::eyre::{eyre, Result};
use std::io::Write;
use std::path::Path;

const STOCK_COLUMNS: &[&str] =
    &["point", "item", "qty", "unit", "days_of_cover", "norm_days", "daily", "basis", "status", "runs_out", "expiry"];
const DISPATCH_COLUMNS: &[&str] = &[
    "id",
    "from",
    "to_point",
    "to_village",
    "item",
    "qty",
    "received_qty",
    "status",
    "vehicle",
    "sent_at",
    "sent_by",
    "received_at",
    "note",
];
const ALERT_COLUMNS: &[&str] = &[
    "id",
    "kind",
    "severity",
    "subject",
    "point",
    "item",
    "value",
    "raised_value",
    "first_seen",
    "last_seen",
    "acked_by",
    "acked_at",
    "cleared_at",
];

/// Builds the rows to export from the state at a moment.
type Rows = fn(&State, DateTime<FixedOffset>, &Thresholds) -> Vec<serde_json::Value>;

pub fn export(
    link: &mut Link,
    dir: &Path,
    what: ExportWhat,
    format: ExportFormat,
    th: &Thresholds,
    lang: Lang,
    out: &mut impl Write,
) -> Result<Exit> {
    let (rows, columns): (Rows, &[&str]) = match what {
        ExportWhat::Events => return events(link, out),
        ExportWhat::Stock => (
            |state, now, _| views::stock::json(&views::stock::stock_rows(state, now.date_naive(), None, None, false)),
            STOCK_COLUMNS,
        ),
        ExportWhat::Dispatches => {
            (|state, _, _| views::dispatches::json(&state.dispatches.values().collect::<Vec<_>>()), DISPATCH_COLUMNS)
        }
        ExportWhat::Alerts => {
            (|state, now, th| views::alerts::json(state, now, th, &views::alerts::list(state, true)), ALERT_COLUMNS)
        }
    };
    let (state, now) = super::snapshot(link, dir, lang)?;
    let rows = rows(&state, now, th);
    match format {
        ExportFormat::Json => write_json(out, &rows)?,
        ExportFormat::Csv => out.write_all(&csv_of(&rows, columns)?)?,
    }
    Ok(Exit::Ok)
}

/// Writes the event log as JSON lines. From a store sled calls damaged, what its log still
/// holds is written, the damage reported, and the exit status is 1.
fn events(link: &mut Link, out: &mut impl Write) -> Result<Exit> {
    let exported = link.export_events(|ev| {
        serde_json::to_writer(&mut *out, ev)?;
        out.write_all(b"\n")
    })?;
    match exported.salvaged_from {
        None => Ok(Exit::Ok),
        Some(damage) => {
            eprintln!(
                "baogong: {damage}\nbaogong: exported the {} events sled could read from its log without the damaged snapshot; the store itself is unchanged",
                exported.events
            );
            Ok(Exit::Differences)
        }
    }
}

/// JSON objects as CSV with a UTF-8 byte-order mark, columns in the given order.
fn csv_of(rows: &[serde_json::Value], columns: &[&str]) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    w.write_record(columns)?;
    for r in rows {
        let cells: Vec<String> = columns
            .iter()
            .map(|c| match &r[*c] {
                serde_json::Value::Null => String::new(),
                serde_json::Value::String(s) => text::scrub(s),
                serde_json::Value::Number(n) => match n.as_f64() {
                    Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
                    _ => n.to_string(),
                },
                other => other.to_string(),
            })
            .collect();
        w.write_record(&cells)?;
    }
    w.into_inner().map_err(|e| eyre!("writing CSV: {}", e.error()))
}
