//! The wall display: read-only, made to be read from across the room. Large figures for the
//! count of points stocked out and of unacknowledged critical alerts, each beside the names of
//! as many of them as fit, town-wide days of cover per
//! item group against its norm (large on big screens), who is on duty, the response level and
//! the clock; the per-zone detail rotates every `--rotate` seconds. Digits are drawn with
//! reverse-video blocks (two columns a pixel), which read the same on every terminal.
//! Pure drawing from the model; must not import the loop (`tui::mod`), `cli`, `link` or the store.

use crate::domain::alerts::Severity;
use crate::domain::rules::cover::{self, StockStatus};
use crate::domain::ItemGroup;
use crate::i18n::t;
use crate::tui::model::{point_rows, Conn, Model, PointRow};
use crate::tui::theme::Theme;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

/// 3x5 glyphs, one string per row, '#' is a lit pixel.
fn glyph(c: char) -> [&'static str; 5] {
    match c {
        '0' => ["###", "# #", "# #", "# #", "###"],
        '1' => [" # ", "## ", " # ", " # ", "###"],
        '2' => ["###", "  #", "###", "#  ", "###"],
        '3' => ["###", "  #", "###", "  #", "###"],
        '4' => ["# #", "# #", "###", "  #", "  #"],
        '5' => ["###", "#  ", "###", "  #", "###"],
        '6' => ["###", "#  ", "###", "# #", "###"],
        '7' => ["###", "  #", "  #", "  #", "  #"],
        '8' => ["###", "# #", "###", "# #", "###"],
        '9' => ["###", "# #", "###", "  #", "###"],
        '.' => ["   ", "   ", "   ", "   ", " # "],
        '-' => ["   ", "   ", "###", "   ", "   "],
        '+' => ["   ", " # ", "###", " # ", "   "],
        _ => ["   ", "   ", "   ", "   ", "   "],
    }
}

/// Columns a big number takes.
pub fn big_width(text: &str) -> usize {
    text.chars().count() * 7
}

/// `text` as five lines of large digits in `style` (its colour becomes the pixel background).
pub fn big(text: &str, style: Style, theme: Theme) -> Vec<Line<'static>> {
    let lit = if theme.color {
        Style::new().bg(style.fg.unwrap_or(Color::White))
    } else {
        Style::new().add_modifier(Modifier::REVERSED)
    };
    (0..5)
        .map(|row| {
            let mut spans = Vec::new();
            for c in text.chars() {
                for px in glyph(c)[row].chars() {
                    spans.push(if px == '#' { Span::styled("  ", lit) } else { Span::raw("  ") });
                }
                spans.push(Span::raw(" "));
            }
            Line::from(spans)
        })
        .collect()
}

fn boxed(title: String, theme: Theme) -> Block<'static> {
    Block::default().borders(Borders::ALL).border_style(theme.border()).title(Span::styled(title, theme.title()))
}

fn figure(f: &mut Frame, area: Rect, title: String, value: String, style: Style, theme: Theme, names: &[String]) {
    let b = boxed(title, theme);
    let inner = b.inner(area);
    f.render_widget(b, area);
    let digits_w = if inner.height >= 5 { big_width(&value) as u16 + 1 } else { value.chars().count() as u16 + 2 };
    let [digits, list] = Layout::horizontal([Constraint::Length(digits_w), Constraint::Min(0)]).areas(inner);
    if inner.height >= 5 && inner.width as usize >= big_width(&value) {
        f.render_widget(Paragraph::new(big(&value, style, theme)), digits);
    } else {
        f.render_widget(Paragraph::new(Span::styled(value, style.add_modifier(Modifier::BOLD))), digits);
    }
    f.render_widget(Paragraph::new(name_lines(names, list, style, theme)), list);
}

/// As many of `names` as fit in `area`, one a line, the last line saying how many more.
fn name_lines(names: &[String], area: Rect, style: Style, theme: Theme) -> Vec<Line<'static>> {
    let (rows, width) = (area.height as usize, area.width as usize);
    if rows == 0 || width == 0 {
        return Vec::new();
    }
    let shown = if names.len() > rows { rows - 1 } else { names.len() };
    let mut lines: Vec<Line> =
        names.iter().take(shown).map(|n| Line::styled(crate::text::truncate(n, width), style)).collect();
    if names.len() > shown {
        lines.push(Line::styled(crate::text::truncate(&format!("+{}", names.len() - shown), width), theme.dim()));
    }
    lines
}

pub fn render(m: &Model, theme: Theme, f: &mut Frame, area: Rect) {
    let large = area.height >= 40 && area.width >= 120;
    let [head, figures, groups, zones] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(if area.height >= 24 { 7 } else { 3 }),
        Constraint::Min(4),
        Constraint::Length(if large { 12 } else { 6 }),
    ])
    .areas(area);
    head_line(m, theme, f, head);
    let rows = point_rows(m);
    big_figures(m, theme, f, figures, &rows);
    group_covers(m, theme, f, groups, large);
    zone_detail(m, theme, f, zones, &rows);
}

/// Town, level, clock, who is on duty, and a lost link.
fn head_line(m: &Model, theme: Theme, f: &mut Frame, head: Rect) {
    let lang = m.lang;
    let s = &m.state;
    let shift = s.shift_at(m.now);
    let officer = s.officer_on_duty(m.now).unwrap_or_else(|| t(lang, "ui.nobody").to_string());
    let leader = shift.map(|x| x.leader_on_call.clone()).unwrap_or_else(|| "-".into());
    let conn = match &m.conn {
        Conn::Disconnected { since } => format!(" | {} {}", t(lang, "conn.disconnected"), since.format("%H:%M")),
        _ => String::new(),
    };
    let head_line = Line::from(vec![
        Span::styled(format!(" {} ", crate::text::scrub(&s.settings.town)), theme.bar().add_modifier(Modifier::BOLD)),
        Span::styled(format!("| {} ", s.settings.level.label(lang)), theme.bar()),
        Span::styled(format!("| {} ", m.now.format("%Y-%m-%d %H:%M")), theme.bar()),
        Span::styled(
            format!(
                "| {} {} {} {} ",
                t(lang, "ui.duty"),
                crate::text::scrub(&officer),
                t(lang, "ui.leader"),
                crate::text::scrub(&leader)
            ),
            theme.bar(),
        ),
        Span::styled(conn, theme.error()),
        Span::styled(" ".repeat(head.width as usize), theme.bar()),
    ]);
    f.render_widget(Paragraph::new(head_line), head);
}

/// Points stocked out and unacknowledged critical alerts, in large digits, each beside the
/// names of as many as fit (points by code; alerts most recent first, as the feed orders them).
fn big_figures(m: &Model, theme: Theme, f: &mut Frame, figures: Rect, rows: &[PointRow]) {
    let lang = m.lang;
    let out: Vec<String> = rows
        .iter()
        .filter(|r| r.worst == Some(StockStatus::StockedOut))
        .map(|r| format!("{} {}", r.point.code, crate::text::scrub(&r.point.name)))
        .collect();
    let mut crit: Vec<&crate::domain::alerts::Alert> = m
        .state
        .alerts
        .values()
        .filter(|a| a.cleared_at.is_none() && a.acked_by.is_none() && a.severity == Severity::Critical)
        .collect();
    crit.sort_by(|a, b| crate::views::alerts::order(a, b));
    let crit: Vec<String> =
        crit.iter().map(|a| format!("{} {}", a.kind.label(lang), crate::text::scrub(&a.subject))).collect();
    let [a, b] = Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(figures);
    let bad = |n: usize| if n > 0 { theme.error() } else { theme.ok() };
    let title = |key: &str| format!(" {} ", t(lang, key));
    figure(f, a, title("wall.stocked_out"), out.len().to_string(), bad(out.len()), theme, &out);
    figure(f, b, title("wall.critical"), crit.len().to_string(), bad(crit.len()), theme, &crit);
}

/// Town-wide days of cover per item group, in two columns of large rows on big screens.
fn group_covers(m: &Model, theme: Theme, f: &mut Frame, groups: Rect, large: bool) {
    let lang = m.lang;
    let s = &m.state;
    let today = m.now.date_naive();
    let covers: Vec<(ItemGroup, cover::GroupCover)> =
        ItemGroup::ALL.iter().filter_map(|g| cover::group_cover(s, *g, today).map(|c| (*g, c))).collect();
    let gb = boxed(format!(" {} ", t(lang, "wall.cover")), theme);
    let ginner = gb.inner(groups);
    f.render_widget(gb, groups);
    let per_col = if large { covers.len().div_ceil(2).max(1) } else { covers.len().max(1) };
    let cols: Vec<Rect> = if large {
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).split(ginner).to_vec()
    } else {
        vec![ginner]
    };
    for (ci, col) in cols.iter().enumerate() {
        let chunk: Vec<&(ItemGroup, cover::GroupCover)> = covers.iter().skip(ci * per_col).take(per_col).collect();
        let big_rows = large && col.height as usize >= chunk.len() * 6;
        let heights: Vec<Constraint> = chunk.iter().map(|_| Constraint::Length(if big_rows { 6 } else { 1 })).collect();
        let cells = Layout::vertical(heights).split(*col);
        for ((g, gc), cell) in chunk.iter().zip(cells.iter()) {
            group_cell(m, theme, f, *cell, *g, gc, big_rows);
        }
    }
}

/// One item group's cover: a large row (name, status, norm, worst item beside big digits) or a
/// line.
fn group_cell(
    m: &Model,
    theme: Theme,
    f: &mut Frame,
    cell: Rect,
    g: ItemGroup,
    gc: &cover::GroupCover,
    big_rows: bool,
) {
    let lang = m.lang;
    let s = &m.state;
    let c = &gc.cover;
    let days = match c.days {
        Some(d) if d >= 99.5 => "99+".to_string(),
        Some(d) => format!("{d:.1}"),
        None => "-".into(),
    };
    let style = theme.status(c.status);
    let worst = s.items.get(&gc.worst_item).map(|i| i.name(lang).to_string()).unwrap_or_default();
    let label = format!(
        "{} {} {} {} {}",
        crate::text::pad(t(lang, &format!("group.{}", g.code())), 12),
        t(lang, "wall.norm"),
        c.norm_days,
        t(lang, "unit.days"),
        crate::text::scrub(&worst)
    );
    if big_rows {
        let [l, r] = Layout::horizontal([Constraint::Length(34), Constraint::Min(1)]).areas(cell);
        let lines = vec![
            Line::styled(t(lang, &format!("group.{}", g.code())).to_string(), theme.title()),
            Line::styled(c.status.label(lang).to_string(), style),
            Line::raw(format!("{} {} {}", t(lang, "wall.norm"), c.norm_days, t(lang, "unit.days"))),
            Line::styled(crate::text::truncate(&crate::text::scrub(&worst), 32), theme.dim()),
        ];
        f.render_widget(Paragraph::new(lines), l);
        f.render_widget(Paragraph::new(big(&days, style, theme)), r);
    } else {
        let line = Line::from(vec![
            Span::styled(format!("{} ", crate::text::pad_left(&days, 6)), style.add_modifier(Modifier::BOLD)),
            Span::styled(crate::text::pad(c.status.label(lang), 10), style),
            Span::raw(label),
        ]);
        f.render_widget(Paragraph::new(line), cell);
    }
}

/// The detail of one zone, rotating every `--rotate` seconds: its points and their worst status.
fn zone_detail(m: &Model, theme: Theme, f: &mut Frame, zones: Rect, rows: &[PointRow]) {
    let lang = m.lang;
    let s = &m.state;
    let zone_list: Vec<&crate::domain::Zone> = s.zones.values().collect();
    if zone_list.is_empty() {
        return;
    }
    let page = (m.now.timestamp().max(0) as u64).checked_div(m.rotate).map_or(0, |n| n as usize % zone_list.len());
    let z = zone_list[page];
    let zb = boxed(
        format!(
            " {} {}/{}: {} ({}) ",
            t(lang, "col.zone"),
            page + 1,
            zone_list.len(),
            crate::text::scrub(&z.name),
            crate::text::scrub(&z.lead)
        ),
        theme,
    );
    let zinner = zb.inner(zones);
    f.render_widget(zb, zones);
    let mut spans: Vec<Span> = Vec::new();
    for r in rows.iter().filter(|r| r.point.zone == z.code) {
        let status = r.worst.unwrap_or(StockStatus::Ok);
        spans.push(Span::styled(format!("{} ", r.point.code), theme.title()));
        spans.push(Span::raw(format!("{} ", crate::text::scrub(&r.point.name))));
        spans.push(Span::styled(status.label(lang).to_string(), theme.status(status)));
        if r.short_items > 0 {
            spans.push(Span::raw(format!(" x{}", r.short_items)));
        }
        spans.push(Span::raw("   "));
    }
    f.render_widget(Paragraph::new(Line::from(spans)).wrap(ratatui::widgets::Wrap { trim: true }), zinner);
}
