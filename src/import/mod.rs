//! Bulk import of the lists offices keep in spreadsheets: zones, points, villages, items,
//! people, duty shifts, vehicles with their passes, kits, delivery slots, opening stock, requests, village tallies and the register of households, from CSV in UTF-8 (with or without BOM) or GB18030.
//! The header names the columns in any order, by the field names of the `--json` listings or
//! their Chinese aliases. The whole file is checked before anything is written: every bad row
//! is reported as `FILE:LINE: column: reason` (LINE the file's own line, where the row starts),
//! and then nothing is imported; a cascade is shown as its first problems and a count. Codes and
//! names get the engine's own checks (`ident`, `Registry`), each named by its line. A good file becomes
//! one change: reference data one `Upsert` of the rows that are new or changed (so importing the
//! same file again changes nothing), opening stock restocks with ids made from the file's rows.
//! This file holds the kinds and their columns and runs a file through `sheet` (the shared row
//! reader) and `reference` or `stock` (one row of a kind). Imports the domain and `api`'s id makers
//! only; never the engine, the store or a face.

mod demand;
mod households;
mod reference;
mod sheet;
mod stock;

use crate::domain::command::{Command, Record};
use crate::domain::household::HouseholdChange;
use crate::domain::{Reason, State};
use chrono::{FixedOffset, NaiveDate};
use sheet::{Check, Sheet};

pub use sheet::{Column, Problem, Problems};

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
    Vehicles,
    Kits,
    Requests,
    Tallies,
    Slots,
    Households,
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
            "vehicles" => Kind::Vehicles,
            "kits" => Kind::Kits,
            "requests" => Kind::Requests,
            "tallies" => Kind::Tallies,
            "slots" => Kind::Slots,
            "households" => Kind::Households,
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
                ("carries", false, &["carried", "经营品种", "保供品种"]),
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
            Kind::Vehicles => &[
                ("plate", true, &["车牌", "车牌号"]),
                ("point", true, &["送货点", "所属送货点"]),
                ("pass_no", true, &["通行证号", "通行证编号"]),
                ("pass_valid_until", true, &["有效期至", "通行证有效期"]),
            ],
            Kind::Kits => &[
                ("code", true, &["编码"]),
                ("name_zh", true, &["中文名称", "名称"]),
                ("name_en", false, &["英文名称"]),
                ("group", false, &["类别"]),
                ("unit", true, &["单位"]),
                ("norm_days", false, &["储备天数", "标准天数"]),
                ("components", true, &["组件", "组成"]),
            ],
            Kind::Requests => &[
                ("id", false, &["编号", "需求单"]),
                ("village", true, &["村/小区", "村", "小区"]),
                ("item", false, &["物资"]),
                ("kit", false, &["组合包"]),
                ("qty", true, &["数量"]),
                ("by", false, &["需要日期"]),
                ("slot", false, &["配送时段"]),
                ("urgent", false, &["加急"]),
                ("note", false, &["备注"]),
            ],
            Kind::Slots => &[
                ("zone", true, &["片区"]),
                ("code", true, &["编码", "时段"]),
                ("start", true, &["开始", "开始时间"]),
                ("end", true, &["结束", "结束时间"]),
                ("trips", true, &["趟数", "每车趟数"]),
                ("days", false, &["星期"]),
            ],
            Kind::Tallies => &[
                ("village", true, &["村/小区", "村", "小区"]),
                ("date", false, &["日期"]),
                ("item", false, &["物资"]),
                ("qty", false, &["数量"]),
            ],
            Kind::Households => &[
                ("code", true, &["编码", "户编码"]),
                ("name", true, &["姓名", "户主", "户主姓名"]),
                ("village", true, &["村/小区", "村名", "所属村"]),
                ("address", false, &["地址", "住址"]),
                ("phone", false, &["电话", "联系电话"]),
                ("categories", false, &["类别", "人群类别"]),
                ("needs", false, &["需求", "需求物资"]),
                ("responsible", false, &["责任人", "包保人"]),
                ("responsible_phone", false, &["责任人电话", "包保人电话"]),
                ("note", false, &["备注"]),
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
    /// Where each command came from (`FILE:LINE`, or the file), in the same order.
    pub origins: Vec<String>,
}

/// Decodes a spreadsheet export: UTF-8 (a BOM is dropped) when the whole file is UTF-8, else
/// GB18030 when every line is and none is non-ASCII UTF-8. A file mixing the two, or with a line
/// in neither, is refused naming that line: nothing becomes U+FFFD.
pub fn decode(bytes: &[u8]) -> Result<String, Problem> {
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_string());
    }
    // The first non-ASCII line of each encoding, and the last UTF-8 one before a GB18030 one.
    let mut utf8: Option<(usize, usize)> = None;
    let mut gb: Option<usize> = None;
    let mut out = String::with_capacity(bytes.len() * 3 / 2);
    for (i, line) in bytes.split_inclusive(|b| *b == b'\n').enumerate() {
        let n = i + 1;
        let bad = |why: Reason| Problem::new(n, Column::Encoding, why);
        if let Ok(s) = std::str::from_utf8(line) {
            if !s.is_ascii() {
                if let Some(g) = gb {
                    return Err(bad(Reason::MixedEncodings { encoding: "GB18030".into(), first: g, last: g }));
                }
                utf8 = Some((utf8.map_or(n, |(first, _)| first), n));
            }
            out.push_str(s);
            continue;
        }
        let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(line);
        if had_errors {
            return Err(bad(Reason::Undecodable));
        }
        if let Some((first, last)) = utf8 {
            return Err(bad(Reason::MixedEncodings { encoding: "UTF-8".into(), first, last }));
        }
        gb.get_or_insert(n);
        out.push_str(&text);
    }
    Ok(out)
}

/// Checks a whole file against the state; `Err` holds every problem, in line order.
pub fn plan(
    kind: Kind,
    file: &str,
    text: &str,
    state: &State,
    today: NaiveDate,
    offset: FixedOffset,
) -> Result<Plan, Problems> {
    let mut sheet = Sheet::read(kind, file, text)?;
    let mut c = Check::new(file, state, today, offset);
    c.problems = std::mem::take(&mut sheet.problems);
    let rows = sheet.rows();
    let mut out: Vec<Record> = Vec::new();
    let mut commands: Vec<(String, Command)> = Vec::new();
    let mut origins: Vec<String> = Vec::new();
    let mut changes: Vec<HouseholdChange> = Vec::new();
    for row in &rows {
        c.common(kind, row);
        let record = match kind {
            Kind::Households => {
                changes.push(households::household(&mut c, row));
                None
            }
            Kind::Zones => Some(reference::zone(row)),
            Kind::Points => Some(reference::point(&mut c, row)),
            Kind::Villages => Some(reference::village(&mut c, row)),
            Kind::Items => Some(reference::item(&mut c, row)),
            Kind::People => Some(reference::person(&mut c, row)),
            Kind::Duty => reference::shift(&mut c, row),
            Kind::Vehicles => reference::vehicle(&mut c, row),
            Kind::Kits => Some(reference::kit(&mut c, row)),
            Kind::Slots => reference::slot(&mut c, row),
            Kind::Stock => {
                if let Some((id, cmd)) = stock::restock(&mut c, row) {
                    origins.push(format!("{file}:{}", row.line));
                    commands.push((id, cmd));
                }
                None
            }
            Kind::Requests => {
                if let Some((id, cmd, origin)) = demand::request(&mut c, row) {
                    origins.push(origin);
                    commands.push((id, cmd));
                }
                None
            }
            Kind::Tallies => None,
        };
        if let Some(r) = record {
            c.admit(row, &r);
            out.push(r);
        }
    }
    if kind == Kind::Tallies {
        for (id, cmd, origin) in demand::tallies(&mut c, &rows) {
            origins.push(origin);
            commands.push((id, cmd));
        }
    }
    if !c.problems.is_empty() {
        c.problems.sort_by_key(|p| p.line);
        return Err(Problems { file: file.to_string(), kind, list: c.problems });
    }
    changes.retain(|h| state.households.get(&h.code).is_none_or(|b| h.merged(Some(b), today) != *b));
    if !changes.is_empty() {
        commands.push((crate::api::fresh_id("import-households"), Command::Households { changes }));
        origins.push(file.to_string());
    }
    let changed: Vec<Record> = out.into_iter().filter(|r| !unchanged(state, r)).collect();
    if !changed.is_empty() {
        commands
            .push((crate::api::fresh_id(&format!("import-{}", kind_name(kind))), Command::Upsert { records: changed }));
        origins.push(file.to_string());
    }
    Ok(Plan { rows: rows.len(), commands, origins })
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
        Kind::Vehicles => "vehicles",
        Kind::Kits => "kits",
        Kind::Requests => "requests",
        Kind::Tallies => "tallies",
        Kind::Slots => "slots",
        Kind::Households => "households",
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
        Record::Slot(s) => state.settings.slots.contains(s),
        Record::Level(l) => state.settings.levels.contains(l),
    }
}
