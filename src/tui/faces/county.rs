//! The county's faces, drawn from the view `county serve` keeps (`county::CountyView`) and the
//! county plan made from it (`county::plan`): the console (`baogong county`: towns instead of
//! points; the selected town's stock, the critical alerts by town and the requests upward,
//! side by side when they fit, else one at a time with Tab; `P` the county plan) and the wall
//! (`baogong county wall`: the county's totals in large digits and a line per town). The
//! footer is made from the face's keymap. A pure function of the view, the plan, the time and
//! the screen: no I/O. Cost: O(towns × (listed alerts + requests) + the selected town's items
//! + the plan's rows). Must not import the loop, `cli` or `link`.

use super::wall::big;
use crate::county::plan::{self as county_plan, CountyPlan};
use crate::county::summary::state_text;
use crate::county::{CountyView, TownSummary};
use crate::domain::rules::cover::StockStatus;
use crate::domain::Lang;
use crate::i18n::t;
use crate::text::scrub;
use crate::tui::keymap::{self, Binding};
use crate::tui::theme::Theme;
use crate::tui::widgets::table::{Cells, Col, Windowed};
use chrono::{DateTime, FixedOffset};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

/// What the county face shows: which town is selected, console or wall, which panel below
/// the towns when they do not all fit, and the plan screen (open, scrolled to a row).
#[derive(Clone, Copy, Debug, Default)]
pub struct CountyScreen {
    pub selected: usize,
    pub wall: bool,
    pub panel: CountyPanel,
    pub plan: bool,
    pub scroll: usize,
}

/// The panels below the towns, in Tab order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CountyPanel {
    #[default]
    Stock,
    Alerts,
    Upward,
}

impl CountyPanel {
    pub fn next(self) -> CountyPanel {
        match self {
            CountyPanel::Stock => CountyPanel::Alerts,
            CountyPanel::Alerts => CountyPanel::Upward,
            CountyPanel::Upward => CountyPanel::Stock,
        }
    }
}

/// From this width the three panels show side by side.
pub const ALL_PANELS_WIDTH: u16 = 160;

/// The bindings the screen takes keys from: the wall's, the plan's or the console's.
pub fn keys(screen: CountyScreen) -> &'static [Binding] {
    match (screen.wall, screen.plan) {
        (true, _) => keymap::WALL,
        (false, true) => keymap::COUNTY_PLAN,
        (false, false) => keymap::COUNTY,
    }
}

/// Draws the county console or wall for `view` (None: no figures yet) and its `plan` at `now`.
pub fn render(
    view: Option<&CountyView>,
    plan: Option<&CountyPlan>,
    now: DateTime<FixedOffset>,
    lang: Lang,
    theme: Theme,
    screen: CountyScreen,
    f: &mut Frame,
) {
    let area = f.area();
    let [head, body, foot] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(3), Constraint::Length(1)]).areas(area);
    f.render_widget(Paragraph::new(head_line(view, now, lang, theme, head.width)), head);
    f.render_widget(Paragraph::new(footer(keys(screen), lang, theme)), foot);
    let Some(view) = view.filter(|v| !v.towns.is_empty()) else {
        f.render_widget(Paragraph::new(format!(" {}", t(lang, "county.waiting"))), body);
        return;
    };
    match (screen.wall, plan.filter(|_| screen.plan)) {
        (true, _) => wall(view, now, lang, theme, f, body),
        (false, Some(plan)) => plan_screen(plan, lang, theme, screen.scroll, f, body),
        (false, None) => console(view, plan, now, lang, theme, screen, f, body),
    }
}

/// The hinted keys of `map`, those sharing a description under one entry ("Up/Down town").
fn footer(map: &[Binding], lang: Lang, theme: Theme) -> Line<'static> {
    let mut groups: Vec<(String, &str)> = Vec::new();
    for b in map.iter().filter(|b| b.hint) {
        match groups.iter_mut().find(|(_, d)| *d == b.desc) {
            Some((k, _)) => *k = format!("{k}/{}", keymap::name(b)),
            None => groups.push((keymap::name(b), b.desc)),
        }
    }
    let mut spans = vec![Span::raw(" ")];
    for (k, d) in groups {
        spans.push(Span::styled(format!("{k} "), theme.key()));
        spans.push(Span::styled(format!("{}  ", t(lang, d)), theme.dim()));
    }
    Line::from(spans)
}

fn head_line(
    view: Option<&CountyView>,
    now: DateTime<FixedOffset>,
    lang: Lang,
    theme: Theme,
    width: u16,
) -> Line<'static> {
    let towns = view.map_or(0, |v| v.towns.len());
    let updated = view.and_then(|v| v.updated_at).map_or("-".to_string(), |u| u.format("%H:%M:%S").to_string());
    Line::from(vec![
        Span::styled(format!(" {} ", t(lang, "county.title")), theme.bar().add_modifier(Modifier::BOLD)),
        Span::styled(format!("| {towns} {} ", t(lang, "county.towns")), theme.bar()),
        Span::styled(format!("| {} ", now.format("%Y-%m-%d %H:%M")), theme.bar()),
        Span::styled(format!("| {} {updated} ", t(lang, "county.updated")), theme.bar()),
        Span::styled(" ".repeat(width as usize), theme.bar()),
    ])
}

/// A town that needs the county's attention: silent, with open critical alerts, or late with
/// yesterday's report (today's is not due before tomorrow morning).
fn troubled(s: &TownSummary, view: &CountyView, now: DateTime<FixedOffset>) -> bool {
    s.silent_since(now, view.silent_minutes).is_some() || s.critical_alerts > 0 || s.report_late
}

fn town_style(s: &TownSummary, view: &CountyView, now: DateTime<FixedOffset>, theme: Theme) -> Style {
    if troubled(s, view, now) {
        theme.error()
    } else {
        theme.base()
    }
}

#[allow(clippy::too_many_arguments)]
fn console(
    view: &CountyView,
    plan: Option<&CountyPlan>,
    now: DateTime<FixedOffset>,
    lang: Lang,
    theme: Theme,
    screen: CountyScreen,
    f: &mut Frame,
    area: Rect,
) {
    let towns_h = (view.towns.len() as u16 + 3).min(area.height / 2).max(4);
    let [top, bottom] = Layout::vertical([Constraint::Length(towns_h), Constraint::Min(3)]).areas(area);
    let selected = screen.selected.min(view.towns.len().saturating_sub(1));
    towns_table(view, now, lang, theme, selected, f, top);
    let town = &view.towns[selected];
    if bottom.width >= ALL_PANELS_WIDTH {
        let [items, alerts, upward] =
            Layout::horizontal([Constraint::Percentage(36), Constraint::Percentage(36), Constraint::Percentage(28)])
                .areas(bottom);
        town_items(town, lang, theme, f, items);
        town_alerts(view, lang, theme, f, alerts);
        requests_upward(view, plan, lang, theme, f, upward);
        return;
    }
    match screen.panel {
        CountyPanel::Stock => town_items(town, lang, theme, f, bottom),
        CountyPanel::Alerts => town_alerts(view, lang, theme, f, bottom),
        CountyPanel::Upward => requests_upward(view, plan, lang, theme, f, bottom),
    }
}

fn towns_table(
    view: &CountyView,
    now: DateTime<FixedOffset>,
    lang: Lang,
    theme: Theme,
    selected: usize,
    f: &mut Frame,
    area: Rect,
) {
    let heads = vec![
        t(lang, "county.town"),
        t(lang, "county.name"),
        t(lang, "county.events"),
        t(lang, "county.last_event"),
        t(lang, "county.stocked_out"),
        t(lang, "county.critical"),
        t(lang, "county.report"),
    ];
    let widths = vec![Col::Whole, Col::Yields, Col::Whole, Col::Whole, Col::Whole, Col::Whole, Col::Yields];
    let block = boxed(format!(" {} ", t(lang, "county.towns_title")), theme);
    Windowed::new(heads, widths, view.towns.len()).block(block).selected(selected).render(f, area, theme, |i| {
        let s = &view.towns[i];
        let last = s.last_event_at.map_or("-".to_string(), |a| a.format("%m-%d %H:%M").to_string());
        Cells::new(vec![
            scrub(&s.town),
            scrub(&s.name),
            s.events.to_string(),
            last,
            s.stocked_out_points.to_string(),
            s.critical_alerts.to_string(),
            state_text(s, view, now, lang),
        ])
        .style(town_style(s, view, now, theme))
    });
}

/// A box with `empty` in it, dimmed, for a panel with no rows.
fn empty_panel(title: String, empty: &str, theme: Theme, f: &mut Frame, area: Rect) {
    let block = boxed(title, theme);
    let inner = block.inner(area);
    f.render_widget(block, area);
    f.render_widget(Paragraph::new(Line::styled(empty.to_string(), theme.dim())), inner);
}

/// One row of the alerts panel: an alert of a town, or how many more it has open.
enum AlertRow<'a> {
    Alert(&'a TownSummary, &'a crate::county::summary::AlertBrief),
    More(&'a TownSummary, usize),
}

/// Every town's open critical alerts (kind, point, item, since), town by town, newest first;
/// past the ones the summary keeps, a line says how many more.
fn town_alerts(view: &CountyView, lang: Lang, theme: Theme, f: &mut Frame, area: Rect) {
    let title = format!(" {} ", t(lang, "county.alerts"));
    let mut rows: Vec<AlertRow> = Vec::new();
    for s in &view.towns {
        rows.extend(s.alerts.iter().map(|a| AlertRow::Alert(s, a)));
        let more = s.critical_alerts.saturating_sub(s.alerts.len());
        if more > 0 {
            rows.push(AlertRow::More(s, more));
        }
    }
    if rows.is_empty() {
        return empty_panel(title, t(lang, "county.no_alerts"), theme, f, area);
    }
    let heads = vec![
        t(lang, "county.town"),
        t(lang, "col.kind"),
        t(lang, "col.point"),
        t(lang, "col.item"),
        t(lang, "col.since"),
    ];
    let widths = vec![Col::Whole, Col::Yields, Col::Whole, Col::Whole, Col::Whole];
    Windowed::new(heads, widths, rows.len()).block(boxed(title, theme)).render(f, area, theme, |i| match &rows[i] {
        AlertRow::Alert(s, a) => Cells::new(vec![
            scrub(&s.town),
            a.kind.label(lang).to_string(),
            a.point.as_deref().map_or("-".into(), scrub),
            a.item.as_deref().map_or("-".into(), scrub),
            a.since.format("%m-%d %H:%M").to_string(),
        ])
        .style(theme.error()),
        AlertRow::More(s, n) => {
            Cells::new(vec![scrub(&s.town), format!("… {n} {}", t(lang, "county.more_alerts"))]).style(theme.dim())
        }
    });
}

/// The county's request to the city (from the county plan), then each town's request to the
/// county (from its own plan): who asks, the item, how much, by when.
fn requests_upward(view: &CountyView, plan: Option<&CountyPlan>, lang: Lang, theme: Theme, f: &mut Frame, area: Rect) {
    let title = format!(" {} ", t(lang, "county.requests_up"));
    let county = t(lang, "county.county_to_city");
    let mut rows: Vec<(String, String, String, String, Style)> = Vec::new();
    for r in plan.map_or(&[][..], |p| &p.plan.requests) {
        let qty = format!("{} {}", r.qty, crate::i18n::unit(lang, &r.unit));
        rows.push((county.to_string(), scrub(&r.item), qty, r.by.format("%m-%d").to_string(), theme.error()));
    }
    for s in &view.towns {
        for q in &s.requests {
            let unit =
                s.items.iter().find(|i| i.item == q.item).map_or(String::new(), |i| crate::i18n::unit(lang, &i.unit));
            let qty = format!("{} {unit}", q.qty);
            rows.push((scrub(&s.town), scrub(&q.item), qty, q.by.format("%m-%d").to_string(), theme.base()));
        }
    }
    if rows.is_empty() {
        return empty_panel(title, t(lang, "county.no_upward"), theme, f, area);
    }
    let heads = vec![t(lang, "col.asker"), t(lang, "col.item"), t(lang, "col.qty"), t(lang, "col.by")];
    let widths = vec![Col::Whole, Col::Yields, Col::Whole, Col::Whole];
    Windowed::new(heads, widths, rows.len()).block(boxed(title, theme)).render(f, area, theme, |i| {
        let (who, item, qty, by, style) = &rows[i];
        Cells::new(vec![who.clone(), item.clone(), qty.clone(), by.clone()]).style(*style)
    });
}

/// The county plan: the reserve, the transfers between towns (scrolled to `scroll`), the
/// request to the city with what the reserve and the towns could spare and the towns left short.
fn plan_screen(plan: &CountyPlan, lang: Lang, theme: Theme, scroll: usize, f: &mut Frame, area: Rect) {
    let p = &plan.plan;
    let title = format!(" {} {}  ({}) ", t(lang, "county.plan_title"), p.date, county_plan::reserve_line(plan, lang));
    let outer = boxed(title, theme);
    let inner = outer.inner(area);
    f.render_widget(outer, area);
    let req_h = (p.requests.len() as u16 + 3).clamp(4, inner.height / 2);
    let [top, bottom] = Layout::vertical([Constraint::Min(3), Constraint::Length(req_h)]).areas(inner);
    let transfers_title = format!(" {} ", t(lang, "county.transfers"));
    if p.transfers.is_empty() {
        empty_panel(transfers_title, t(lang, "county.no_transfers"), theme, f, top);
    } else {
        let heads = vec![
            t(lang, "col.item"),
            t(lang, "col.from"),
            t(lang, "col.to"),
            t(lang, "col.qty"),
            t(lang, "col.draw"),
            t(lang, "col.days"),
            t(lang, "col.runs_out"),
        ];
        let widths = vec![Col::Whole, Col::Whole, Col::Whole, Col::Whole, Col::Whole, Col::Whole, Col::Yields];
        let selected = scroll.min(p.transfers.len() - 1);
        let w = Windowed::new(heads, widths, p.transfers.len()).block(boxed(transfers_title, theme)).selected(selected);
        w.render(f, top, theme, |i| {
            let x = &p.transfers[i];
            Cells::new(vec![
                scrub(&x.item),
                scrub(&x.from),
                scrub(&x.to),
                format!("{} {}", x.qty, crate::i18n::unit(lang, &x.unit)),
                county_plan::draw_label(x.draw, lang).to_string(),
                format!("{:.1}", x.to_days),
                x.to_runs_out.format("%m-%d").to_string(),
            ])
        });
    }
    let city_title = format!(" {} ", t(lang, "county.to_city"));
    if p.requests.is_empty() {
        return empty_panel(city_title, t(lang, "county.no_to_city"), theme, f, bottom);
    }
    let heads = vec![
        t(lang, "col.item"),
        t(lang, "col.qty"),
        t(lang, "col.by"),
        t(lang, "col.reserve_spare"),
        t(lang, "col.towns_spare"),
        t(lang, "col.towns_short"),
    ];
    let widths = vec![Col::Whole, Col::Whole, Col::Whole, Col::Whole, Col::Whole, Col::Yields];
    Windowed::new(heads, widths, p.requests.len()).block(boxed(city_title, theme)).render(f, bottom, theme, |i| {
        let r = &p.requests[i];
        Cells::new(vec![
            scrub(&r.item),
            format!("{} {}", r.qty, crate::i18n::unit(lang, &r.unit)),
            r.by.format("%m-%d").to_string(),
            r.depot_spare.to_string(),
            r.donor_spare.to_string(),
            county_plan::short_towns(r),
        ])
        .style(theme.error())
    });
}

fn boxed(title: String, theme: Theme) -> Block<'static> {
    Block::default().borders(Borders::ALL).border_style(theme.border()).title(Span::styled(title, theme.title()))
}

/// The selected town's items, worst first as the town's own stock table orders them.
fn town_items(town: &TownSummary, lang: Lang, theme: Theme, f: &mut Frame, area: Rect) {
    let mut items: Vec<_> = town.items.iter().collect();
    items.sort_by(|a, b| rank(a.status).cmp(&rank(b.status)).then(a.item.cmp(&b.item)));
    let title = format!(" {} {} ", scrub(&town.town), t(lang, "county.stock_of"));
    let heads = vec![t(lang, "col.item"), t(lang, "col.qty"), t(lang, "col.days"), t(lang, "col.status")];
    let widths = vec![Col::Yields, Col::Whole, Col::Whole, Col::Whole];
    Windowed::new(heads, widths, items.len()).block(boxed(title, theme)).render(f, area, theme, |i| {
        let it = items[i];
        let name = if lang == Lang::Zh { scrub(&it.name) } else { scrub(&it.item) };
        let days = it.days_of_cover.map_or("-".to_string(), |d| format!("{d:.1}"));
        let style = if matches!(it.status, StockStatus::StockedOut) { theme.error() } else { theme.base() };
        Cells::new(vec![
            name,
            format!("{} {}", it.qty, scrub(&crate::i18n::unit(lang, &it.unit))),
            days,
            it.status.label(lang).to_string(),
        ])
        .style(style)
    });
}

/// Stocked out first, then below norm, then the rest.
fn rank(s: StockStatus) -> u8 {
    match s {
        StockStatus::StockedOut => 0,
        StockStatus::BelowNorm => 1,
        _ => 2,
    }
}

/// The county's totals in large digits (towns silent or missing their report, points stocked
/// out, critical alerts), then a line per town, the troubled ones first.
fn wall(view: &CountyView, now: DateTime<FixedOffset>, lang: Lang, theme: Theme, f: &mut Frame, area: Rect) {
    let [figures, towns] = Layout::vertical([Constraint::Length(7), Constraint::Min(2)]).areas(area);
    let troubled_towns = view.towns.iter().filter(|s| troubled(s, view, now)).count();
    let out: usize = view.towns.iter().map(|s| s.stocked_out_points).sum();
    let critical: usize = view.towns.iter().map(|s| s.critical_alerts).sum();
    let cells = Layout::horizontal([Constraint::Ratio(1, 3); 3]).split(figures);
    for ((key, n), cell) in
        [("county.wall_troubled", troubled_towns), ("county.wall_out", out), ("county.wall_critical", critical)]
            .iter()
            .zip(cells.iter())
    {
        let style = if *n > 0 { theme.error() } else { theme.base() };
        let block = boxed(format!(" {} ", t(lang, key)), theme);
        let inner = block.inner(*cell);
        f.render_widget(block, *cell);
        f.render_widget(Paragraph::new(big(&n.to_string(), style)), inner);
    }
    let mut order: Vec<&TownSummary> = view.towns.iter().collect();
    order.sort_by_key(|s| (!troubled(s, view, now), s.town.clone()));
    let lines: Vec<Line> = order
        .iter()
        .map(|s| {
            let text = format!(
                " {:<8} {}  {} {}  {} {}  {}",
                scrub(&s.town),
                scrub(&s.name),
                t(lang, "county.stocked_out"),
                s.stocked_out_points,
                t(lang, "county.critical"),
                s.critical_alerts,
                state_text(s, view, now, lang)
            );
            Line::styled(text, town_style(s, view, now, theme))
        })
        .collect();
    f.render_widget(Paragraph::new(lines).block(boxed(format!(" {} ", t(lang, "county.towns_title")), theme)), towns);
}
