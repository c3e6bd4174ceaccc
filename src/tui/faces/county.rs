//! The county's faces, drawn from the view `county serve` keeps (`county::CountyView`): the
//! console (`baogong county`: towns instead of points, the selected town's stock and its
//! request to the level above) and the wall (`baogong county wall`: the county's totals in
//! large digits and a line per town). A pure function of the view, the time and the
//! selection: no I/O. Cost: O(towns + the selected town's items). Must not import the loop,
//! `cli` or `link`.

use super::wall::big;
use crate::county::summary::state_text;
use crate::county::{CountyView, TownSummary};
use crate::domain::rules::cover::StockStatus;
use crate::domain::Lang;
use crate::i18n::t;
use crate::text::scrub;
use crate::tui::theme::Theme;
use crate::tui::widgets::table::Windowed;
use chrono::{DateTime, FixedOffset};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Row};
use ratatui::Frame;

/// What the county face shows: which town is selected, console or wall.
#[derive(Clone, Copy, Debug, Default)]
pub struct CountyScreen {
    pub selected: usize,
    pub wall: bool,
}

/// Draws the county console or wall for `view` (None: no figures yet) at `now`.
pub fn render(
    view: Option<&CountyView>,
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
    let keys = if screen.wall { "county.keys_wall" } else { "county.keys" };
    f.render_widget(Paragraph::new(Line::styled(format!(" {}", t(lang, keys)), theme.dim())), foot);
    let Some(view) = view.filter(|v| !v.towns.is_empty()) else {
        f.render_widget(Paragraph::new(format!(" {}", t(lang, "county.waiting"))), body);
        return;
    };
    if screen.wall {
        wall(view, now, lang, theme, f, body);
    } else {
        console(view, now, lang, theme, screen.selected, f, body);
    }
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

fn console(
    view: &CountyView,
    now: DateTime<FixedOffset>,
    lang: Lang,
    theme: Theme,
    selected: usize,
    f: &mut Frame,
    area: Rect,
) {
    let towns_h = (view.towns.len() as u16 + 3).min(area.height / 2).max(4);
    let [top, bottom] = Layout::vertical([Constraint::Length(towns_h), Constraint::Min(3)]).areas(area);
    let selected = selected.min(view.towns.len().saturating_sub(1));
    let heads = vec![
        t(lang, "county.town"),
        t(lang, "county.name"),
        t(lang, "county.events"),
        t(lang, "county.last_event"),
        t(lang, "county.stocked_out"),
        t(lang, "county.critical"),
        t(lang, "county.report"),
    ];
    let widths = vec![
        Constraint::Length(8),
        Constraint::Length(12),
        Constraint::Length(8),
        Constraint::Length(11),
        Constraint::Length(5),
        Constraint::Length(5),
        Constraint::Min(10),
    ];
    let block = boxed(format!(" {} ", t(lang, "county.towns_title")), theme);
    Windowed::new(heads, widths, view.towns.len()).block(block).selected(selected).render(f, top, theme, |i| {
        let s = &view.towns[i];
        let last = s.last_event_at.map_or("-".to_string(), |a| a.format("%m-%d %H:%M").to_string());
        Row::new(vec![
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
    let town = &view.towns[selected];
    let [items, upward] = Layout::horizontal([Constraint::Percentage(62), Constraint::Percentage(38)]).areas(bottom);
    town_items(town, lang, theme, f, items);
    town_upward(town, lang, theme, f, upward);
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
    let widths = vec![Constraint::Min(10), Constraint::Length(14), Constraint::Length(7), Constraint::Length(12)];
    Windowed::new(heads, widths, items.len()).block(boxed(title, theme)).render(f, area, theme, |i| {
        let it = items[i];
        let name = if lang == Lang::Zh { scrub(&it.name) } else { scrub(&it.item) };
        let days = it.days_of_cover.map_or("-".to_string(), |d| format!("{d:.1}"));
        let style = if matches!(it.status, StockStatus::StockedOut) { theme.error() } else { theme.base() };
        Row::new(vec![name, format!("{} {}", it.qty, scrub(&it.unit)), days, it.status.label(lang).to_string()])
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

/// The town's request to the level above, from its own plan.
fn town_upward(town: &TownSummary, lang: Lang, theme: Theme, f: &mut Frame, area: Rect) {
    let title = format!(" {} ", t(lang, "county.upward"));
    let heads = vec![t(lang, "col.item"), t(lang, "col.qty"), t(lang, "col.by")];
    let widths = vec![Constraint::Min(8), Constraint::Length(12), Constraint::Length(6)];
    if town.requests.is_empty() {
        let block = boxed(title, theme);
        let inner = block.inner(area);
        f.render_widget(block, area);
        f.render_widget(Paragraph::new(Line::styled(t(lang, "county.no_upward"), theme.dim())), inner);
        return;
    }
    Windowed::new(heads, widths, town.requests.len()).block(boxed(title, theme)).render(f, area, theme, |i| {
        let q = &town.requests[i];
        Row::new(vec![scrub(&q.item), q.qty.to_string(), q.by.format("%m-%d").to_string()])
    })
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
