//! The daily report (日报) for a date: per point and per key item, supply received, sent out,
//! stock at the end of the day, days of cover and status, last observed price; each point's
//! report state (reported, zero-reported or missing; on time or late against the deadline);
//! town totals, reporting and on-time rates, the fill rate of transfers, alerts raised and still
//! open. Rendered as Markdown (to paste upward), CSV (UTF-8 with BOM for Excel/WPS) or JSON.
//! Pure: computed from a state and a clock reading, no I/O.
//! Imports the domain and `text`; never the store, the engine, the link or a face.

use crate::domain::alerts::Thresholds;
use crate::domain::command::Dest;
use crate::domain::hotline::CaseHours;
use crate::domain::rules::cover::StockStatus;
use crate::domain::state::{DispatchStatus, State};
use crate::domain::{Item, ItemGroup, Lang, Qty};
use crate::views::hotline::HotlineDay;
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;
use std::collections::BTreeMap;

/// Whether and when a point reported for the date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reporting {
    Reported,
    Zero,
    Missing,
}

impl Reporting {
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Reporting::Reported => lang.pick("reported", "已报"),
            Reporting::Zero => lang.pick("zero report", "零报告"),
            Reporting::Missing => lang.pick("MISSING", "未报"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ItemLine {
    pub item: String,
    pub name: String,
    pub unit: String,
    pub received: f64,
    pub sent_out: f64,
    pub stock: f64,
    pub days_of_cover: Option<f64>,
    pub status: StockStatus,
    /// The last price observed that day, in yuan.
    pub price: Option<f64>,
    /// Received ÷ dispatched for the item's transfers sent that day (to the point, or in the
    /// whole town) and confirmed since: per item, in its own unit.
    pub fill_rate: Option<f64>,
    /// Demand: the requests needed by that day (refused ones aside), as they stand now.
    pub requested: f64,
    pub approved: f64,
    pub delivered: f64,
    pub outstanding: f64,
    /// Delivered ÷ requested of those requests.
    pub request_fill_rate: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PointReport {
    pub point: String,
    pub name: String,
    pub reporting: Reporting,
    pub reported_at: Option<DateTime<FixedOffset>>,
    /// Against the deadline; None when missing.
    pub on_time: Option<bool>,
    pub items: Vec<ItemLine>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DailyReport {
    pub town: String,
    pub date: NaiveDate,
    pub deadline: DateTime<FixedOffset>,
    pub points: Vec<PointReport>,
    /// Town totals per key item: restocked into the town, delivered to villages, stock held.
    pub totals: Vec<ItemLine>,
    pub expected: usize,
    pub received: usize,
    pub on_time: usize,
    /// Reports received ÷ expected (zero reports count).
    pub reporting_rate: Option<f64>,
    /// Share of the expected reports received before the deadline.
    pub on_time_rate: Option<f64>,
    /// Quantity confirmed received ÷ quantity dispatched, for transfers sent that day and
    /// confirmed since, when they were all in one unit (quantities of different units are never
    /// added: see each item line's `fill_rate`).
    pub fill_rate: Option<f64>,
    pub alerts_raised: usize,
    pub alerts_open: usize,
    /// Hotline cases and named deliveries of the day.
    pub hotline: HotlineDay,
}

/// Why a report cannot be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportError {
    Future(NaiveDate),
    TooOld {
        date: NaiveDate,
        oldest: NaiveDate,
    },
    /// Before the store's first stock movement: there is nothing to report on, and listing
    /// every item as stocked out would be false.
    BeforeFirst {
        date: NaiveDate,
        first: NaiveDate,
    },
}

impl ReportError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ReportError::Future(d) => {
                format!(
                    "{}: {d}",
                    lang.pick("date: a report cannot be made for a future date", "日期:不能为未来日期出报告")
                )
            }
            ReportError::TooOld { date, oldest } => format!(
                "{} {date}; {} {oldest}",
                lang.pick("date: no figures held for", "日期:没有以下日期的数据"),
                lang.pick("the oldest day held is", "最早可查日期为")
            ),
            ReportError::BeforeFirst { date, first } => format!(
                "{} {date}; {} {first}",
                lang.pick("date: nothing was recorded yet on", "日期:该日尚无任何记录"),
                lang.pick("the store's first day is", "本库最早记录日期为")
            ),
        }
    }
}

/// The items the report lists: those configured, else every daily necessity and every item
/// with a price that day.
pub fn key_items<'a>(state: &'a State, configured: &[String], date: NaiveDate) -> Vec<&'a Item> {
    if !configured.is_empty() {
        return configured.iter().filter_map(|c| state.items.get(c)).collect();
    }
    state
        .items
        .values()
        .filter(|i| {
            !matches!(i.group, ItemGroup::Protective | ItemGroup::Disinfection | ItemGroup::Medicine)
                || state.prices.keys().any(|(d, _, it)| *d == date && *it == i.code)
        })
        .collect()
}

/// One key item's line for a point (the town when `point` is None) on `date`, with its cover
/// `c` as every other surface shows it (`views::stock::cover_on`, `town_covers_on`).
fn line(
    state: &State,
    point: Option<&str>,
    item: &Item,
    date: NaiveDate,
    c: crate::domain::rules::cover::Cover,
    sums: &Sums,
) -> ItemLine {
    let (fills, demand) = sums;
    let flows = |p: &str| state.flows.get(&(date, p.to_string(), item.code.clone()));
    let (received, sent) = match point {
        Some(p) => flows(p).map_or((Qty::ZERO, Qty::ZERO), |f| (f.inflow(), f.outflow())),
        // Supply into the town: restocks only (a transfer between points is not supply); what
        // it sends out is what reached the villages.
        None => state
            .points
            .keys()
            .filter_map(|p| flows(p))
            .fold((Qty::ZERO, Qty::ZERO), |(r, s), f| (r + f.restocked, s + f.delivered)),
    };
    let price =
        point.and_then(|p| state.prices.get(&(date, p.to_string(), item.code.clone()))).map(|o| o.fen.as_yuan());
    let d = demand.get(&(point.map(str::to_string), item.code.clone())).copied().unwrap_or_default();
    ItemLine {
        item: item.code.clone(),
        name: String::new(),
        unit: item.unit.clone(),
        received: received.as_f64(),
        sent_out: sent.as_f64(),
        stock: c.qty.as_f64(),
        days_of_cover: c.days.filter(|d| d.is_finite()).map(|d| (d * 10.0).round() / 10.0),
        status: c.status,
        price,
        fill_rate: fills.get(&(point.map(str::to_string), item.code.clone())).and_then(|f| f.rate()),
        requested: d.requested.as_f64(),
        approved: d.approved.as_f64(),
        delivered: d.delivered.as_f64(),
        outstanding: d.outstanding.as_f64(),
        request_fill_rate: d.fill_rate(),
    }
}

/// What was dispatched and received of transfers sent on a day and confirmed since.
#[derive(Clone, Copy, Default)]
struct Fill {
    sent: Qty,
    got: Qty,
}

impl Fill {
    fn add(&mut self, sent: Qty, got: Qty) {
        self.sent += sent;
        self.got += got;
    }

    fn rate(self) -> Option<f64> {
        (self.sent > Qty::ZERO).then(|| self.got.as_f64() / self.sent.as_f64())
    }
}

/// Fills by (receiving point, or None for the town) and item.
type Fills = BTreeMap<(Option<String>, String), Fill>;

/// What every line of a day's report reads: the fills and the demand, each computed once.
type Sums = (Fills, BTreeMap<(Option<String>, String), crate::views::requests::Demand>);

/// The fill of the day's confirmed transfers, per receiving point and item and per item
/// town-wide; with the town's overall fill when every transfer was in one unit.
fn fills_on(state: &State, date: NaiveDate) -> (Fills, Option<f64>) {
    let mut fills = Fills::new();
    let mut units = std::collections::BTreeSet::new();
    let mut all = Fill::default();
    for d in state.dispatches.values().filter(|d| d.sent_at.date_naive() == date) {
        let Dest::Point(to) = &d.to else { continue };
        if d.status() == DispatchStatus::InTransit {
            continue;
        }
        let got = d.received_qty.unwrap_or_default();
        fills.entry((Some(to.clone()), d.item.clone())).or_default().add(d.qty, got);
        fills.entry((None, d.item.clone())).or_default().add(d.qty, got);
        units.insert(state.items.get(&d.item).map(|i| i.unit.as_str()));
        all.add(d.qty, got);
    }
    (fills, if units.len() == 1 { all.rate() } else { None })
}

/// Computes the report for `date` as the state stands at `now`.
pub fn daily(
    state: &State,
    date: NaiveDate,
    now: DateTime<FixedOffset>,
    th: &Thresholds,
    key: &[String],
    lang: Lang,
) -> Result<DailyReport, ReportError> {
    if date > now.date_naive() {
        return Err(ReportError::Future(date));
    }
    let oldest = crate::domain::retention::cutoff(now.date_naive());
    if date < oldest {
        return Err(ReportError::TooOld { date, oldest });
    }
    if let Some(first) = state.flows.keys().next().map(|(d, _, _)| *d).filter(|f| date < *f) {
        return Err(ReportError::BeforeFirst { date, first });
    }
    let today = now.date_naive();
    let (fills, fill_rate) = fills_on(state, date);
    let sums = (fills, crate::views::requests::demand_on(state, date));
    let deadline = th.report_due(date, *now.offset()).unwrap_or(now);
    let items = key_items(state, key, date);
    let named = |mut l: ItemLine, i: &Item| {
        l.name = i.name(lang).to_string();
        l
    };
    let mut points = Vec::new();
    for p in state.points.values().filter(|p| p.kind.reports_daily()) {
        let r = state.reports.get(&(date, p.code.clone()));
        let reporting = match r {
            Some(r) if r.zero => Reporting::Zero,
            Some(_) => Reporting::Reported,
            None => Reporting::Missing,
        };
        let carried: Vec<&&Item> =
            items.iter().filter(|i| state.pairs.contains_key(&(p.code.clone(), i.code.clone()))).collect();
        points.push(PointReport {
            point: p.code.clone(),
            name: p.name.clone(),
            reporting,
            reported_at: r.map(|r| r.at),
            on_time: r.map(|r| r.at <= deadline),
            items: carried
                .into_iter()
                .map(|i| {
                    let c = crate::views::stock::cover_on(state, Some(&p.code), i, date, today);
                    named(line(state, Some(&p.code), i, date, c, &sums), i)
                })
                .collect(),
        });
    }
    let mut town = crate::views::stock::town_covers_on(state, date, today);
    let totals =
        items.iter().filter_map(|i| Some(named(line(state, None, i, date, town.remove(&i.code)?, &sums), i))).collect();
    let expected = points.len();
    let received = points.iter().filter(|p| p.reporting != Reporting::Missing).count();
    let on_time = points.iter().filter(|p| p.on_time == Some(true)).count();
    let rate = |n: usize| (expected > 0).then(|| n as f64 / expected as f64);
    Ok(DailyReport {
        town: state.settings.town.clone(),
        date,
        deadline,
        points,
        totals,
        expected,
        received,
        on_time,
        reporting_rate: rate(received),
        on_time_rate: rate(on_time),
        fill_rate,
        alerts_raised: state.alerts.values().filter(|a| a.first_seen.date_naive() == date).count(),
        alerts_open: state.alerts.values().filter(|a| a.cleared_at.is_none()).count(),
        hotline: crate::views::hotline::day(state, date, now, CaseHours::of(th)),
    })
}

fn pct(v: Option<f64>) -> String {
    v.map(|x| format!("{:.0}%", x * 100.0)).unwrap_or_else(|| "-".into())
}

/// The day's fill rate: one figure when every transfer was in one unit, else per item.
fn fill_summary(r: &DailyReport) -> String {
    if r.fill_rate.is_some() || r.totals.iter().all(|l| l.fill_rate.is_none()) {
        return pct(r.fill_rate);
    }
    let per_item: Vec<String> = r
        .totals
        .iter()
        .filter_map(|l| l.fill_rate.map(|f| format!("{} {}", crate::text::scrub(&l.name), pct(Some(f)))))
        .collect();
    per_item.join(", ")
}

fn num(v: f64) -> String {
    Qty((v * Qty::SCALE as f64).round() as i64).to_string()
}

fn opt(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.1}")).unwrap_or_else(|| "-".into())
}

/// The CSV keeps the item columns it always had (sheets and scripts read them by position);
/// the fill rate per item is in the Markdown, the screen and the JSON.
const CSV_ITEM_COLUMNS: usize = 7;

fn item_headers(lang: Lang) -> [&'static str; 8] {
    match lang {
        Lang::En => ["item", "received", "sent out", "stock", "days of cover", "status", "price (yuan)", "fill rate"],
        Lang::Zh => ["物资", "到货", "发出", "库存", "保障天数", "状态", "价格(元)", "调拨到货率"],
    }
}

fn item_cells(l: &ItemLine, lang: Lang) -> Vec<String> {
    vec![
        format!("{} ({})", crate::text::scrub(&l.name), crate::i18n::unit(lang, &l.unit)),
        num(l.received),
        num(l.sent_out),
        num(l.stock),
        opt(l.days_of_cover),
        l.status.label(lang).to_string(),
        l.price.map(|p| format!("{p:.2}")).unwrap_or_else(|| "-".into()),
        pct(l.fill_rate),
    ]
}

/// Markdown to paste into a message to the level above.
pub fn markdown(r: &DailyReport, lang: Lang) -> String {
    let mut out = String::new();
    let title = lang.pick("daily supply report", "生活必需品保供日报");
    out.push_str(&format!("# {} {title} {}\n\n", crate::text::scrub(&r.town), r.date));
    out.push_str(&format!(
        "- {}: {}/{} ({}), {}: {}\n",
        lang.pick("reports received", "已报送"),
        r.received,
        r.expected,
        pct(r.reporting_rate),
        lang.pick("on time", "按时"),
        pct(r.on_time_rate)
    ));
    out.push_str(&format!("- {}: {}\n", lang.pick("fill rate of transfers", "调拨到货率"), fill_summary(r)));
    out.push_str(&format!(
        "- {}: {}, {}: {}\n",
        lang.pick("alerts raised that day", "当日新增预警"),
        r.alerts_raised,
        lang.pick("alerts still open", "未解除预警"),
        r.alerts_open
    ));
    out.push_str(&format!("- {}\n\n", hotline_summary(&r.hotline, lang)));
    let table = |rows: &[ItemLine]| -> String {
        let heads = item_headers(lang);
        let mut t = format!("| {} |\n|{}\n", heads.join(" | "), "---|".repeat(heads.len()));
        for l in rows {
            t.push_str(&format!("| {} |\n", item_cells(l, lang).join(" | ")));
        }
        t
    };
    out.push_str(&format!("## {}\n\n{}\n", lang.pick("Town totals", "全镇合计"), table(&r.totals)));
    for p in &r.points {
        let when = match (p.reported_at, p.on_time) {
            (Some(t), Some(true)) => format!("{} {}", t.format("%m-%d %H:%M"), lang.pick("on time", "按时")),
            (Some(t), _) => format!("{} {}", t.format("%m-%d %H:%M"), lang.pick("LATE", "迟报")),
            _ => String::new(),
        };
        out.push_str(&format!(
            "## {} {} — {} {}\n\n",
            p.point,
            crate::text::scrub(&p.name),
            p.reporting.label(lang),
            when
        ));
        if !p.items.is_empty() {
            out.push_str(&table(&p.items));
            out.push('\n');
        }
    }
    out
}

/// The day's hotline figures in one line.
fn hotline_summary(h: &HotlineDay, lang: Lang) -> String {
    format!(
        "{}: {} {}, {} {}, {} {}; {}: {} {}, {} {}, {} {}",
        lang.pick("hotline cases", "热线工单"),
        lang.pick("opened", "新增"),
        h.cases_opened,
        lang.pick("resolved", "办结"),
        h.cases_resolved,
        lang.pick("overdue", "超时"),
        h.cases_overdue,
        lang.pick("named deliveries", "重点户配送"),
        lang.pick("due", "应送"),
        h.named_due,
        lang.pick("made", "已送"),
        h.named_made,
        lang.pick("overdue", "逾期"),
        h.named_overdue
    )
}

/// The report as aligned plain-text lines (the console's report screen).
pub fn text_lines(r: &DailyReport, lang: Lang) -> Vec<String> {
    let mut out = vec![
        format!(
            "{} {} {}",
            crate::text::scrub(&r.town),
            lang.pick("daily supply report", "生活必需品保供日报"),
            r.date
        ),
        format!(
            "{} {}/{} ({})  {} {}  {} {}  {} {}/{}",
            lang.pick("reports received", "已报送"),
            r.received,
            r.expected,
            pct(r.reporting_rate),
            lang.pick("on time", "按时"),
            pct(r.on_time_rate),
            lang.pick("fill rate", "调拨到货率"),
            fill_summary(r),
            lang.pick("alerts new/open", "预警 新增/未解除"),
            r.alerts_raised,
            r.alerts_open
        ),
        hotline_summary(&r.hotline, lang),
        String::new(),
    ];
    let heads = item_headers(lang);
    let heads: Vec<String> = heads
        .iter()
        .enumerate()
        .map(|(i, h)| if (1..=4).contains(&i) { format!("{h}>") } else { h.to_string() })
        .collect();
    let head_refs: Vec<&str> = heads.iter().map(String::as_str).collect();
    let mut section = |title: String, rows: &[ItemLine]| {
        out.push(title);
        let cells: Vec<Vec<String>> = rows.iter().map(|l| item_cells(l, lang)).collect();
        if !cells.is_empty() {
            out.extend(crate::text::table(&head_refs, &cells).lines().map(|l| format!("  {l}")));
        }
        out.push(String::new());
    };
    section(lang.pick("Town totals", "全镇合计").to_string(), &r.totals);
    for p in &r.points {
        let when = match (p.reported_at, p.on_time) {
            (Some(t), Some(true)) => format!("{} {}", t.format("%m-%d %H:%M"), lang.pick("on time", "按时")),
            (Some(t), _) => format!("{} {}", t.format("%m-%d %H:%M"), lang.pick("LATE", "迟报")),
            _ => String::new(),
        };
        section(format!("{} {} - {} {when}", p.point, crate::text::scrub(&p.name), p.reporting.label(lang)), &p.items);
    }
    out
}

/// CSV with a UTF-8 byte-order mark (Excel and WPS then read the Chinese right): one row per
/// point and item, then the town totals with point "town"/"全镇".
pub fn csv(r: &DailyReport, lang: Lang) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    let mut heads: Vec<&str> = match lang {
        Lang::En => vec!["date", "point", "point name", "report", "reported at", "on time"],
        Lang::Zh => vec!["日期", "送货点", "送货点名称", "报送", "报送时间", "按时"],
    };
    heads.extend(&item_headers(lang)[..CSV_ITEM_COLUMNS]);
    w.write_record(&heads)?;
    let yes_no = |b: Option<bool>| match b {
        Some(true) => lang.pick("yes", "是"),
        Some(false) => lang.pick("no", "否"),
        None => "",
    };
    for p in &r.points {
        for l in &p.items {
            let mut row = vec![
                r.date.to_string(),
                p.point.clone(),
                crate::text::scrub(&p.name),
                p.reporting.label(lang).to_string(),
                p.reported_at.map(|t| t.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default(),
                yes_no(p.on_time).to_string(),
            ];
            row.extend(item_cells(l, lang).into_iter().take(CSV_ITEM_COLUMNS));
            w.write_record(&row)?;
        }
    }
    for l in &r.totals {
        let mut row = vec![
            r.date.to_string(),
            lang.pick("town", "全镇").to_string(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
        ];
        row.extend(item_cells(l, lang).into_iter().take(CSV_ITEM_COLUMNS));
        w.write_record(&row)?;
    }
    // The hotline's figures: one row each, the name in the third column, the count in the fourth.
    let h = &r.hotline;
    let figures = [
        ("cases_opened", h.cases_opened),
        ("cases_resolved", h.cases_resolved),
        ("cases_overdue", h.cases_overdue),
        ("named_due", h.named_due),
        ("named_made", h.named_made),
        ("named_overdue", h.named_overdue),
    ];
    for (name, n) in figures {
        let mut row =
            vec![r.date.to_string(), lang.pick("hotline", "热线").to_string(), name.to_string(), n.to_string()];
        row.resize(heads.len(), String::new());
        w.write_record(&row)?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}
