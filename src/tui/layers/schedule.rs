//! The delivery schedule screen (`S`, 分区分时段配送): a day and the next, per zone its
//! households, vehicles and staff against the norms, then each slot of the zone that day with
//! the villages booked, the load per unit, requests, trips against vehicles × trips and workers
//! against staff; an overloaded slot is marked `!` in the alarm colour. `[`/`]` step the days.
//! A point's face shows its own zone only. Computes the rows with `views::schedule::rows` (one
//! pass over the requests held, 1.5 ms on the 600-point district) and draws them.
//! Pure drawing from the model; must not import the loop (`tui::mod`), `cli`, `link` or the store.

use crate::domain::Lang;
use crate::text::{pad, pad_left, truncate, width};
use crate::tui::model::Model;
use crate::tui::theme::Theme;
use crate::tui::widgets::{clear, full};
use crate::views::schedule::{self, SlotRow, ZoneDay};
use chrono::{Datelike, Duration, NaiveDate};
use ratatui::layout::{Constraint, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

/// Widths of the fixed columns: slot (with its mark), time, requests, trips, workers.
const SLOT: usize = 6;
const TIME: usize = 11;
const NUM: usize = 5;
const RATIO: usize = 8;
/// The load column: as wide as its widest text, within these bounds.
const LOAD: (usize, usize) = (6, 24);
/// The fewest columns the villages get (`V0001 +4`) ...
const VILLAGES: usize = 10;
/// ... and the most, so that on a wide screen the figures stay near the slot they belong to.
const VILLAGES_MAX: usize = 64;

pub fn render(m: &Model, theme: Theme, f: &mut Frame, date: NaiveDate, scroll: u16) {
    let lang = m.lang;
    let area = full(f.area());
    clear(f, area);
    let days = [date, date + Duration::days(1)];
    let rows = schedule::rows(&m.state, &m.demand, &days, m.schedule_zone());
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.focused_border())
        .title(Span::styled(format!(" {} ", title(m, date)), theme.title()))
        .title_bottom(Span::styled(format!(" {} ", legend(lang)), theme.dim()));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let cols = Columns::fit(inner.width as usize, &rows, lang);
    let [head, body] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(inner);
    f.render_widget(Paragraph::new(Line::styled(cols.header(lang), theme.title())), head);
    let mut lines = Vec::new();
    for day in days {
        lines.push(Line::styled(day_title(m, day), theme.title()));
        for zd in rows.iter().filter(|z| z.date == day) {
            zone_lines(m, theme, &cols, zd, &mut lines);
        }
    }
    f.render_widget(Paragraph::new(lines).scroll((scroll, 0)), body);
}

fn title(m: &Model, date: NaiveDate) -> String {
    let lang = m.lang;
    let what = lang.pick("Delivery schedule by zone and slot", "分区分时段配送");
    match m.schedule_zone() {
        Some(z) => format!("{what} · {z} · {date}"),
        None => format!("{what} · {date}"),
    }
}

/// `2026-12-02 Wed · today`.
fn day_title(m: &Model, day: NaiveDate) -> String {
    let lang = m.lang;
    let today = m.now.date_naive();
    let rel = match (day - today).num_days() {
        0 => lang.pick(" · today", " · 今天"),
        1 => lang.pick(" · tomorrow", " · 明天"),
        -1 => lang.pick(" · yesterday", " · 昨天"),
        _ => "",
    };
    format!("{day} {}{rel}", weekday(day, lang))
}

/// `Wed`, `周三`.
fn weekday(day: NaiveDate, lang: Lang) -> String {
    const ZH: [&str; 7] = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];
    match lang {
        Lang::En => day.format("%a").to_string(),
        Lang::Zh => ZH[day.weekday().num_days_from_monday() as usize % 7].to_string(),
    }
}

fn legend(lang: Lang) -> &'static str {
    lang.pick(
        "! overloaded: trips > vehicles × trips, or workers (1 per 10 hh) > staff",
        "! 超负荷:车次>车辆×趟数,或所需人手(每10户1人)>人员",
    )
}

fn zone_lines<'a>(m: &Model, theme: Theme, cols: &Columns, zd: &ZoneDay, lines: &mut Vec<Line<'a>>) {
    let lang = m.lang;
    let name = m.state.zones.get(&zd.zone).map_or("", |z| z.name.as_str());
    let (lo, hi) = zd.vehicles_norm;
    let figures = match lang {
        Lang::Zh => format!(
            "{} 户 · 车辆 {} (标准 {lo}-{hi}) · 人员 {} (标准 {})",
            zd.households, zd.vehicles, zd.staff, zd.staff_norm
        ),
        Lang::En => format!(
            "{} hh · vehicles {} (norm {lo}-{hi}) · staff {} (norm {})",
            zd.households, zd.vehicles, zd.staff, zd.staff_norm
        ),
    };
    let short = zd.vehicles < lo || zd.staff < zd.staff_norm;
    lines.push(Line::from(vec![
        Span::styled(format!(" {} {name}", zd.zone), theme.title()),
        Span::styled(format!("  {figures}"), if short { theme.error() } else { theme.dim() }),
    ]));
    if zd.slots.is_empty() {
        let none = lang.pick(
            "no delivery slots this day (import slots, or [[demand.slots]] in baogong.toml)",
            "当天无配送时段(import slots 或 baogong.toml 中 [[demand.slots]])",
        );
        lines.push(Line::styled(format!("   {none}"), theme.dim()));
    }
    for s in &zd.slots {
        let style = if s.overloaded { theme.error() } else { theme.ok() };
        lines.push(Line::styled(cols.slot(s, zd, lang), style));
    }
}

/// The column widths for this width of screen: the villages take what the others leave.
struct Columns {
    load: usize,
    villages: usize,
}

impl Columns {
    fn fit(total: usize, rows: &[ZoneDay], lang: Lang) -> Columns {
        let widest =
            (rows.iter().flat_map(|z| &z.slots)).map(|s| width(&schedule::load_text(&s.load, lang))).max().unwrap_or(0);
        // Three spaces of indent, and a space between columns; the villages keep at least
        // `VILLAGES` columns, taken from the load first.
        let fixed = 3 + SLOT + TIME + NUM + 2 * RATIO + 6;
        let room = total.saturating_sub(fixed + VILLAGES);
        let load = widest.clamp(LOAD.0, LOAD.1).min(room.max(LOAD.0));
        let villages = total.saturating_sub(fixed + load).clamp(VILLAGES, VILLAGES_MAX);
        Columns { load, villages }
    }

    fn header(&self, lang: Lang) -> String {
        let h = |en, zh| lang.pick(en, zh);
        format!(
            "   {} {} {} {} {} {} {}",
            pad(h("slot", "时段"), SLOT),
            pad(h("time", "时间"), TIME),
            pad(h("villages", "村"), self.villages),
            pad_left(h("load", "配送量"), self.load),
            pad_left(h("req.", "单数"), NUM),
            pad_left(h("trips", "车次"), RATIO),
            pad_left(h("workers", "人手"), RATIO),
        )
    }

    fn slot(&self, s: &SlotRow, zd: &ZoneDay, lang: Lang) -> String {
        let mark = if s.overloaded { "!" } else { " " };
        let time = format!("{}-{}", s.start.format("%H:%M"), s.end.format("%H:%M"));
        format!(
            "  {mark}{} {} {} {} {} {} {}",
            pad(&s.slot, SLOT),
            pad(&time, TIME),
            pad(&villages(&s.villages, self.villages), self.villages),
            pad_left(&truncate(&schedule::load_text(&s.load, lang), self.load), self.load),
            pad_left(&s.requests.to_string(), NUM),
            pad_left(&format!("{}/{}", s.trips, s.capacity), RATIO),
            pad_left(&format!("{}/{}", s.workers_needed, zd.staff), RATIO),
        )
    }
}

/// The villages that fit in `cols`, and `+N` for those that do not.
fn villages(all: &[String], cols: usize) -> String {
    let mut out = String::new();
    for (i, v) in all.iter().enumerate() {
        let rest = all.len() - i - 1;
        let more = if rest > 0 { format!(" +{rest}") } else { String::new() };
        let next = if out.is_empty() { v.clone() } else { format!("{out} {v}") };
        if width(&next) + width(&more) > cols {
            return format!("{out} +{}", all.len() - i).trim_start().to_string();
        }
        out = next;
    }
    out
}
