//! Bulk import of the lists offices keep in spreadsheets: zones, points, villages, items,
//! people, duty shifts and opening stock, from CSV in UTF-8 (with or without BOM) or GB18030.
//! The header names the columns in any order, by the field names of the `--json` listings or
//! their Chinese aliases. The whole file is checked before anything is written: every bad row
//! is reported as `FILE:LINE: column: reason`, and then nothing is imported. A good file becomes
//! one change: reference data one `Upsert` of the rows that are new or changed (so importing the
//! same file again changes nothing), opening stock restocks with ids made from the file's rows.
//! This file holds the kinds and their columns and runs a file through `sheet` (the shared row
//! reader) and `reference` or `stock` (one row of a kind). Imports the domain and `api::fresh_id`
//! only; never the engine, the store or a face.

mod reference;
mod sheet;
mod stock;

use crate::domain::command::{Command, Record};
use crate::domain::State;
use chrono::{FixedOffset, NaiveDate};
use sheet::{Check, Sheet};

/// Commands per slice when a checked file is applied. Each slice is one all-or-nothing batch;
/// other clients' commands are served between slices, so none waits for a whole file (a slice
/// of restocks takes a few tens of milliseconds on a district), and the store's transaction
/// stays small (one transaction for 25,000 rows held most of a gigabyte).
pub const SLICE: usize = 500;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Zones,
    Points,
    Villages,
    Items,
    People,
    Duty,
    Stock,
}

impl Kind {
    pub fn parse(text: &str) -> Option<Kind> {
        Some(match text {
            "zones" => Kind::Zones,
            "points" => Kind::Points,
            "villages" => Kind::Villages,
            "items" => Kind::Items,
            "people" => Kind::People,
            "duty" => Kind::Duty,
            "stock" => Kind::Stock,
            _ => return None,
        })
    }

    /// (field, required, Chinese aliases).
    fn columns(self) -> &'static [(&'static str, bool, &'static [&'static str])] {
        match self {
            Kind::Zones => &[
                ("code", true, &["编码", "片区编码"]),
                ("name", true, &["名称", "片区"]),
                ("lead", false, &["负责人", "片区负责人"]),
            ],
            Kind::Points => &[
                ("code", true, &["编码", "送货点编码"]),
                ("name", true, &["名称", "送货点"]),
                ("kind", true, &["类型"]),
                ("zone", true, &["片区"]),
                ("households", false, &["户数"]),
                ("population", false, &["人口"]),
                ("staff", false, &["人员", "工作人员"]),
                ("vehicles", false, &["车辆"]),
                ("manager", false, &["负责人"]),
                ("phone", false, &["电话"]),
            ],
            Kind::Villages => &[
                ("code", true, &["编码"]),
                ("name", true, &["名称", "村名"]),
                ("point", true, &["送货点"]),
                ("households", false, &["户数"]),
                ("checkpoint", false, &["卡口", "村卡口"]),
            ],
            Kind::Items => &[
                ("code", true, &["编码"]),
                ("name_zh", true, &["中文名称", "名称"]),
                ("name_en", true, &["英文名称"]),
                ("group", true, &["类别"]),
                ("unit", true, &["单位"]),
                ("norm_days", true, &["储备天数", "标准天数"]),
                ("max_days", false, &["最多天数"]),
                ("per_household_daily", false, &["户均日耗"]),
            ],
            Kind::People => &[
                ("name", true, &["姓名"]),
                ("title", false, &["职务"]),
                ("unit", false, &["单位"]),
                ("role", true, &["角色"]),
                ("duty", false, &["职责", "职责分工"]),
                ("phone", false, &["电话"]),
            ],
            Kind::Duty => &[
                ("start", true, &["开始", "开始时间"]),
                ("end", true, &["结束", "结束时间"]),
                ("duty_officer", true, &["值班人员", "值班员"]),
                ("leader_on_call", true, &["带班领导"]),
            ],
            Kind::Stock => &[
                ("point", true, &["送货点"]),
                ("item", true, &["物资"]),
                ("qty", true, &["数量"]),
                ("batch", false, &["批次"]),
                ("expiry", false, &["有效期"]),
            ],
        }
    }
}

/// What a good file amounts to.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// Rows read.
    pub rows: usize,
    /// The commands to submit together (empty: nothing changed).
    pub commands: Vec<(String, Command)>,
}

/// Decodes a spreadsheet export: UTF-8 (a BOM is dropped) or else GB18030.
pub fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::GB18030.decode(bytes).0.into_owned(),
    }
}

/// Checks a whole file against the state; `Err` holds every problem as `FILE:LINE: column: reason`.
pub fn plan(
    kind: Kind,
    file: &str,
    text: &str,
    state: &State,
    today: NaiveDate,
    offset: FixedOffset,
) -> Result<Plan, Vec<String>> {
    let sheet = Sheet::read(kind, file, text)?;
    let rows = sheet.rows();
    let mut c = Check::new(file, state, today, offset);
    let mut out: Vec<Record> = Vec::new();
    let mut commands: Vec<(String, Command)> = Vec::new();
    for row in &rows {
        c.common(kind, row);
        match kind {
            Kind::Zones => out.push(reference::zone(row)),
            Kind::Points => out.push(reference::point(&mut c, row)),
            Kind::Villages => out.push(reference::village(&mut c, row)),
            Kind::Items => out.push(reference::item(&mut c, row)),
            Kind::People => out.push(reference::person(&mut c, row)),
            Kind::Duty => out.extend(reference::shift(&mut c, row)),
            Kind::Stock => commands.extend(stock::restock(&mut c, row)),
        }
    }
    if !c.errors.is_empty() {
        return Err(c.errors);
    }
    let changed: Vec<Record> = out.into_iter().filter(|r| !unchanged(state, r)).collect();
    if !changed.is_empty() {
        commands
            .push((crate::api::fresh_id(&format!("import-{}", kind_name(kind))), Command::Upsert { records: changed }));
    }
    Ok(Plan { rows: rows.len(), commands })
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Zones => "zones",
        Kind::Points => "points",
        Kind::Villages => "villages",
        Kind::Items => "items",
        Kind::People => "people",
        Kind::Duty => "duty",
        Kind::Stock => "stock",
    }
}

/// Whether the store already holds this record exactly.
fn unchanged(state: &State, r: &Record) -> bool {
    match r {
        Record::Zone(z) => state.zones.get(&z.code) == Some(z),
        Record::Point(p) => state.points.get(&p.code) == Some(p),
        Record::Village(v) => state.villages.get(&v.code) == Some(v),
        Record::Item(i) => state.items.get(&i.code) == Some(i),
        Record::Person(p) => state.people.get(&p.name) == Some(p),
        Record::Shift(s) => state.shifts.get(&s.start) == Some(s),
        Record::Vehicle(v) => state.vehicles.get(&v.plate) == Some(v),
    }
}
