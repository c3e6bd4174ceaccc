//! Bulk import of the lists offices keep in spreadsheets: zones, points, villages, items,
//! people, duty shifts and opening stock, from CSV in UTF-8 (with or without BOM) or GB18030.
//! The header names the columns in any order, by the field names of the `--json` listings or
//! their Chinese aliases. The whole file is checked before anything is written: every bad row
//! is reported as `FILE:LINE: column: reason`, and then nothing is imported. A good file becomes
//! one change: reference data one `Upsert` of the rows that are new or changed (so importing the
//! same file again changes nothing), opening stock restocks with ids made from the file's rows.

use crate::domain::command::{Command, Record, Source};
use crate::domain::rules::validate::{MAX_EXPIRY_YEARS, MAX_TEXT};
use crate::domain::{DutyShift, Item, ItemGroup, Person, Point, PointKind, Qty, Role, State, Village, Zone};
use chrono::{DateTime, FixedOffset, Months, NaiveDate, NaiveDateTime};
use std::collections::{BTreeMap, HashMap};

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

struct Row<'a> {
    line: usize,
    cells: HashMap<&'static str, &'a str>,
}

impl Row<'_> {
    fn get(&self, col: &str) -> &str {
        self.cells.get(col).map_or("", |v| v.trim())
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
    let mut errors = Vec::new();
    let mut rdr = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers = match rdr.headers() {
        Ok(h) => h.clone(),
        Err(e) => return Err(vec![format!("{file}:1: header: not a CSV header: {e}")]),
    };
    let cols = kind.columns();
    let mut index: Vec<Option<&'static str>> = Vec::new();
    for (n, h) in headers.iter().enumerate() {
        let h = h.trim().trim_start_matches('\u{feff}');
        let found = cols.iter().find(|(f, _, zh)| *f == h.to_lowercase() || zh.contains(&h)).map(|(f, _, _)| *f);
        if found.is_none() {
            let known: Vec<&str> = cols.iter().map(|(f, _, _)| *f).collect();
            let name = if h.is_empty() { format!("column {}", n + 1) } else { crate::text::truncate(h, 40) };
            errors.push(format!("{file}:1: {name}: unknown column (the columns are {})", known.join(", ")));
        }
        if found.is_some() && index.contains(&found) {
            errors.push(format!("{file}:1: {h}: the column appears twice"));
        }
        index.push(found);
    }
    for (f, required, _) in cols {
        if *required && !index.contains(&Some(*f)) {
            errors.push(format!("{file}:1: {f}: missing column"));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let records: Vec<csv::StringRecord> = match rdr.records().collect::<Result<_, _>>() {
        Ok(r) => r,
        Err(e) => return Err(vec![format!("{file}:{}: row: {e}", e.position().map_or(0, |p| p.line()))]),
    };
    let rows: Vec<Row> = records
        .iter()
        .enumerate()
        .map(|(i, r)| Row {
            line: r.position().map_or(i + 2, |p| p.line() as usize),
            cells: index.iter().zip(r.iter()).filter_map(|(c, v)| c.map(|c| (c, v))).collect(),
        })
        .collect();
    let mut out: Vec<Record> = Vec::new();
    let mut commands: Vec<(String, Command)> = Vec::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    // Codes defined earlier in the file count as known (points named by villages in the same file).
    let zones_in_file: Vec<String> =
        if kind == Kind::Zones { rows.iter().map(|r| r.get("code").to_string()).collect() } else { vec![] };
    for row in &rows {
        let mut bad = |col: &str, why: String| errors.push(format!("{file}:{}: {col}: {why}", row.line));
        for (f, required, _) in cols {
            if *required && row.get(f).is_empty() {
                bad(f, "is empty".into());
            }
        }
        for (col, v) in &row.cells {
            if v.chars().any(|c| c.is_control()) {
                bad(col, "contains control characters".into());
            }
            if v.chars().count() > MAX_TEXT {
                bad(col, format!("is too long (at most {MAX_TEXT} characters)"));
            }
        }
        // The column that identifies a row.
        let key_col = match kind {
            Kind::People => "name",
            Kind::Duty => "start",
            _ => "code",
        };
        let key = if kind == Kind::Stock { String::new() } else { row.get(key_col).to_string() };
        if !key.is_empty() {
            if let Some(first) = seen.insert(key.clone(), row.line) {
                let shown = crate::text::truncate(&key, 40);
                bad(key_col, format!("duplicate {shown} (first on line {first})"));
            }
        }
        let mut num = |col: &str| -> u32 {
            let v = row.get(col);
            if v.is_empty() {
                return 0;
            }
            match v.parse::<i64>() {
                Ok(n) if n < 0 => {
                    errors.push(format!("{file}:{}: {col}: must not be negative", row.line));
                    0
                }
                Ok(n) => u32::try_from(n).unwrap_or_else(|_| {
                    errors.push(format!("{file}:{}: {col}: is absurdly large", row.line));
                    0
                }),
                Err(_) => {
                    errors.push(format!("{file}:{}: {col}: is not a whole number", row.line));
                    0
                }
            }
        };
        match kind {
            Kind::Zones => out.push(Record::Zone(Zone {
                code: row.get("code").into(),
                name: row.get("name").into(),
                lead: row.get("lead").into(),
            })),
            Kind::Points => {
                let households = num("households");
                let population = num("population");
                let staff = num("staff");
                let vehicles = num("vehicles");
                let kind = PointKind::parse(row.get("kind"));
                let zone = row.get("zone");
                if kind.is_none() {
                    errors.push(format!(
                        "{file}:{}: kind: {} is not a point kind (depot, delivery, convenience, transfer, drop)",
                        row.line,
                        row.get("kind")
                    ));
                }
                if !zone.is_empty() && !state.zones.contains_key(zone) && !zones_in_file.iter().any(|z| z == zone) {
                    errors.push(format!("{file}:{}: zone: unknown zone {zone}", row.line));
                }
                out.push(Record::Point(Point {
                    code: row.get("code").into(),
                    name: row.get("name").into(),
                    kind: kind.unwrap_or(PointKind::Delivery),
                    zone: zone.into(),
                    households,
                    population,
                    staff,
                    vehicles,
                    manager: row.get("manager").into(),
                    phone: row.get("phone").into(),
                }));
            }
            Kind::Villages => {
                let households = num("households");
                let point = row.get("point");
                if !point.is_empty() && !state.points.contains_key(point) {
                    errors.push(format!("{file}:{}: point: village served by an unknown point {point}", row.line));
                }
                out.push(Record::Village(Village {
                    code: row.get("code").into(),
                    name: row.get("name").into(),
                    point: point.into(),
                    households,
                    checkpoint: row.get("checkpoint").into(),
                }));
            }
            Kind::Items => {
                let mut float = |col: &str, required: bool| -> Option<f64> {
                    let v = row.get(col);
                    if v.is_empty() {
                        return if required { Some(0.0) } else { None };
                    }
                    match v.parse::<f64>() {
                        Ok(x) if x.is_finite() && x >= 0.0 => Some(x),
                        Ok(_) => {
                            errors.push(format!("{file}:{}: {col}: must not be negative", row.line));
                            None
                        }
                        Err(_) => {
                            errors.push(format!("{file}:{}: {col}: is not a number", row.line));
                            None
                        }
                    }
                };
                let norm_days = float("norm_days", true).unwrap_or(0.0);
                let max_days = float("max_days", false);
                let per_household_daily = float("per_household_daily", false).unwrap_or(0.0);
                let group = ItemGroup::parse(row.get("group"));
                if group.is_none() {
                    errors.push(format!(
                        "{file}:{}: group: {} is not a group ({})",
                        row.line,
                        row.get("group"),
                        ItemGroup::ALL.map(|g| g.code()).join(", ")
                    ));
                }
                out.push(Record::Item(Item {
                    code: row.get("code").into(),
                    name_zh: row.get("name_zh").into(),
                    name_en: row.get("name_en").into(),
                    group: group.unwrap_or(ItemGroup::Other),
                    unit: row.get("unit").into(),
                    norm_days,
                    max_days,
                    per_household_daily,
                }));
            }
            Kind::People => {
                let role = Role::parse(row.get("role"));
                if role.is_none() {
                    errors.push(format!(
                        "{file}:{}: role: {} is not a role ({})",
                        row.line,
                        row.get("role"),
                        Role::ALL.map(|r| r.code()).join(", ")
                    ));
                }
                out.push(Record::Person(Person {
                    name: row.get("name").into(),
                    title: row.get("title").into(),
                    unit: row.get("unit").into(),
                    role: role.unwrap_or(Role::Member),
                    duty: row.get("duty").into(),
                    phone: row.get("phone").into(),
                }));
            }
            Kind::Duty => {
                let time = |col: &str, errors: &mut Vec<String>| -> Option<DateTime<FixedOffset>> {
                    let v = row.get(col);
                    let parsed = DateTime::parse_from_rfc3339(v).ok().or_else(|| {
                        ["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y/%m/%d %H:%M"]
                            .iter()
                            .find_map(|f| NaiveDateTime::parse_from_str(v, f).ok())
                            .and_then(|t| t.and_local_timezone(offset).single())
                    });
                    if parsed.is_none() && !v.is_empty() {
                        errors.push(format!("{file}:{}: {col}: {v} is not a time (YYYY-MM-DD HH:MM)", row.line));
                    }
                    parsed
                };
                let (start, end) = (time("start", &mut errors), time("end", &mut errors));
                for col in ["duty_officer", "leader_on_call"] {
                    let who = row.get(col);
                    if !who.is_empty() && !state.people.contains_key(who) {
                        errors.push(format!("{file}:{}: {col}: {who} is not on the roster", row.line));
                    }
                }
                if let (Some(s), Some(e)) = (start, end) {
                    if e <= s {
                        errors.push(format!("{file}:{}: end: ends before it starts", row.line));
                    }
                    out.push(Record::Shift(DutyShift {
                        start: s,
                        end: e,
                        duty_officer: row.get("duty_officer").into(),
                        leader_on_call: row.get("leader_on_call").into(),
                    }));
                }
            }
            Kind::Stock => {
                let (point, item) = (row.get("point"), row.get("item"));
                if !point.is_empty() && !state.points.contains_key(point) {
                    errors.push(format!("{file}:{}: point: unknown point {point}", row.line));
                }
                let it = state.items.get(item);
                if !item.is_empty() && it.is_none() {
                    errors.push(format!("{file}:{}: item: unknown item {item}", row.line));
                }
                let qty = match Qty::parse(row.get("qty")) {
                    Ok(q) if q.0 > 0 && it.is_none_or(|i| i.divisible() || q.is_whole()) => Some(q),
                    Ok(q) if q.0 > 0 => {
                        errors.push(format!(
                            "{file}:{}: qty: must be a whole number of {}",
                            row.line,
                            it.map_or("", |i| &i.unit)
                        ));
                        None
                    }
                    Ok(_) => {
                        errors.push(format!("{file}:{}: qty: must be a positive number", row.line));
                        None
                    }
                    Err(_) => {
                        errors.push(format!("{file}:{}: qty: {} is not a quantity", row.line, row.get("qty")));
                        None
                    }
                };
                let expiry = match row.get("expiry") {
                    "" => None,
                    v => match NaiveDate::parse_from_str(v, "%Y-%m-%d") {
                        Ok(d) if d < today => {
                            errors.push(format!("{file}:{}: expiry: {d} is in the past", row.line));
                            None
                        }
                        Ok(d) if d > today.checked_add_months(Months::new(12 * MAX_EXPIRY_YEARS)).unwrap_or(today) => {
                            errors.push(format!(
                                "{file}:{}: expiry: {d} is more than {MAX_EXPIRY_YEARS} years ahead",
                                row.line
                            ));
                            None
                        }
                        Ok(d) => Some(d),
                        Err(_) => {
                            errors.push(format!("{file}:{}: expiry: {v} is not a date (YYYY-MM-DD)", row.line));
                            None
                        }
                    },
                };
                let batch = Some(row.get("batch").to_string()).filter(|b| !b.is_empty());
                if let Some(qty) = qty {
                    // The id is the row itself: importing the same file again applies nothing new.
                    let id = format!(
                        "import-stock:{}:{point}:{item}:{}:{}:{}",
                        row.line,
                        qty.0,
                        batch.clone().unwrap_or_default(),
                        expiry.map(|d| d.to_string()).unwrap_or_default()
                    );
                    commands.push((
                        id,
                        Command::Restock {
                            point: point.into(),
                            item: item.into(),
                            qty,
                            source: Source::Supplier,
                            batch,
                            expiry,
                            note: format!("{file}:{}", row.line),
                        },
                    ));
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
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
