//! The rows people read, computed once for every surface: the CLI listings and exports, the
//! console and point face panels, the wall, the daily report and the plan sheet. Each submodule
//! owns one kind of row, its order and its JSON form. Pure: imports the domain only, never
//! `tui`, `cli`, `link` or `store`.

pub mod alerts;
pub mod dispatches;
pub mod hotline;
pub mod kits;
pub mod requests;
pub mod schedule;
pub mod stock;
pub mod tallies;

/// A figure rounded to one decimal for JSON, `null` when unknown or not finite.
pub fn opt_num(v: Option<f64>) -> serde_json::Value {
    v.filter(|x| x.is_finite()).map(|x| serde_json::json!((x * 10.0).round() / 10.0)).unwrap_or(serde_json::Value::Null)
}
