//! The wall display: read-only, made to be read from across the room. Large figures for the
//! count of points stocked out and of unacknowledged critical alerts, each beside the names of
//! as many of them as fit; requests overdue and open per zone (figures only: a third large
//! figure on big screens, one line on small ones); town-wide days of cover per
//! item group against its norm (large on big screens), who is on duty, the response level and
//! the clock; the per-zone detail rotates every `--rotate` seconds. Digits are drawn with
//! full-block characters (one column a pixel), so they read the same in a text capture and on
//! every terminal; every part is laid out by the width it has.
//! Pure drawing from the model; must not import the loop (`tui::mod`), `cli`, `link` or the store.

use crate::domain::alerts::Severity;
use crate::domain::rules::cover::{self, StockStatus};
use crate::domain::ItemGroup;
use crate::i18n::t;
use crate::tui::model::{point_rows, Conn, Model, PointRow};
use crate::tui::theme::Theme;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
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

/// Columns a big number takes: three a digit and one between.
pub fn big_width(text: &str) -> usize {
    text.chars().count() * 4
}

/// `text` as five lines of large digits drawn with full-block characters in `style`: a text
/// capture, a monochrome terminal and `NO_COLOR` show them as well as colour does.
pub fn big(text: &str, style: Style) -> Vec<Line<'static>> {
    (0..5)
        .map(|row| {
            let line: String = text
                .chars()
                .map(|c| {
                    glyph(c)[row].chars().map(|px| if px == '#' { '█' } else { ' ' }).chain([' ']).collect::<String>()
                })
                .collect();
            Line::styled(line, style)
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
        f.render_widget(Paragraph::new(big(&value, style)), digits);
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
    let [head, figures, demand, groups, zones] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(if area.height >= 24 { 7 } else { 3 }),
        Constraint::Length(if large { 0 } else { 1 }),
        Constraint::Min(4),
        Constraint::Length(if large { 10 } else { 6 }),
    ])
    .areas(area);
    head_line(m, theme, f, head);
    let rows = point_rows(m);
    let per_zone = zone_requests(m);
    if large {
        let [two, third] = Layout::horizontal([Constraint::Percentage(67), Constraint::Percentage(33)]).areas(figures);
        big_figures(m, theme, f, two, &rows);
        requests_figure(m, theme, f, third, &per_zone);
    } else {
        big_figures(m, theme, f, figures, &rows);
        f.render_widget(Paragraph::new(requests_line(m, theme, &per_zone, demand.width)), demand);
    }
    group_covers(m, theme, f, groups, large);
    zone_detail(m, theme, f, zones, &rows);
}

/// Open and overdue requests of one zone: figures only, no names of who asked.
pub struct ZoneRequests {
    pub zone: String,
    pub name: String,
    pub open: usize,
    pub overdue: usize,
}

/// Requests open and overdue per zone (by the zone of the serving point), in zone order; the
/// same requests `baogong requests` lists as open. O(requests + zones).
pub fn zone_requests(m: &Model) -> Vec<ZoneRequests> {
    let today = m.now.date_naive();
    let mut counts: std::collections::BTreeMap<&str, (usize, usize)> =
        m.state.zones.keys().map(|z| (z.as_str(), (0, 0))).collect();
    for r in m.state.requests.values().filter(|r| r.status().is_open()) {
        let Some(p) = m.state.points.get(&r.point) else { continue };
        let c = counts.entry(p.zone.as_str()).or_default();
        c.0 += 1;
        c.1 += usize::from(r.overdue(today));
    }
    (counts.into_iter())
        .map(|(z, (open, overdue))| ZoneRequests {
            zone: z.to_string(),
            name: m.state.zones.get(z).map_or_else(|| z.to_string(), |x| crate::text::scrub(&x.name)),
            open,
            overdue,
        })
        .collect()
}

/// Hotline cases pending (open or assigned) and past due: counts only, never who called.
/// O(cases).
pub fn hotline_counts(m: &Model) -> (usize, usize) {
    let hours = crate::domain::hotline::CaseHours::of(&m.thresholds);
    let pending = m.state.cases.values().filter(|c| c.status.is_pending());
    pending.fold((0, 0), |(open, overdue), c| (open + 1, overdue + usize::from(c.overdue(m.now, hours))))
}

fn hotline_text(m: &Model) -> String {
    let (open, overdue) = hotline_counts(m);
    format!("{} {overdue} / {} {open}", t(m.lang, "wall.hotline_overdue"), t(m.lang, "wall.requests_open"))
}

/// Large screens: the count of overdue requests in large digits, beside the hotline's counts
/// and each zone's overdue and open counts.
fn requests_figure(m: &Model, theme: Theme, f: &mut Frame, area: Rect, zones: &[ZoneRequests]) {
    let overdue: usize = zones.iter().map(|z| z.overdue).sum();
    let style = if overdue > 0 { theme.error() } else { theme.ok() };
    let mut lines: Vec<String> = vec![hotline_text(m)];
    lines.extend(zones.iter().map(|z| format!("{} {} / {}", z.name, z.overdue, z.open)));
    let title = format!(" {} ", t(m.lang, "wall.requests"));
    figure(f, area, title, overdue.to_string(), style, theme, &lines);
}

/// Smaller screens: one line, "Requests overdue 3 / open 12 | Hotline overdue 1 / open 5 |
/// 东片区 1/4 ...", as many zones as fit in `width`, most overdue first, whole, then "+N" for the zones left out.
fn requests_line(m: &Model, theme: Theme, zones: &[ZoneRequests], width: u16) -> Line<'static> {
    let lang = m.lang;
    let overdue: usize = zones.iter().map(|z| z.overdue).sum();
    let open: usize = zones.iter().map(|z| z.open).sum();
    let style = if overdue > 0 { theme.error() } else { theme.ok() };
    let mut spans = vec![
        Span::styled(format!(" {} ", t(lang, "wall.requests_overdue")), theme.title()),
        Span::styled(overdue.to_string(), style.add_modifier(Modifier::BOLD)),
        Span::raw(format!(" / {} {open} | ", t(lang, "wall.requests_open"))),
        Span::styled(hotline_text(m), if hotline_counts(m).1 > 0 { theme.error() } else { theme.base() }),
        Span::raw(" |"),
    ];
    let mut worst: Vec<&ZoneRequests> = zones.iter().collect();
    worst.sort_by_key(|z| std::cmp::Reverse(z.overdue));
    let mut used: usize = spans.iter().map(Span::width).sum();
    for (i, z) in worst.iter().enumerate() {
        let seg = format!(" {} {}/{}", z.name, z.overdue, z.open);
        let more = format!(" +{}", worst.len() - i - 1);
        let room = if i + 1 < worst.len() { crate::text::width(&more) } else { 0 };
        if used + crate::text::width(&seg) + room > usize::from(width) {
            spans.push(Span::styled(format!(" +{}", worst.len() - i), theme.dim()));
            break;
        }
        used += crate::text::width(&seg);
        spans.push(Span::raw(format!(" {} ", z.name)));
        spans.push(Span::styled(z.overdue.to_string(), if z.overdue > 0 { theme.error() } else { theme.base() }));
        spans.push(Span::raw(format!("/{}", z.open)));
    }
    Line::from(spans)
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
        Span::styled(format!("| {} ", crate::text::scrub(s.settings.level_name(s.settings.level, lang))), theme.bar()),
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
    // What it is about first, as the stocked-out list puts the code first: a cut falls on the kind.
    let crit: Vec<String> =
        crit.iter().map(|a| format!("{} {}", crate::text::scrub(&a.subject), a.kind.label(lang))).collect();
    let [a, b] = Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(figures);
    let bad = |n: usize| if n > 0 { theme.error() } else { theme.ok() };
    let title = |key: &str| format!(" {} ", t(lang, key));
    figure(f, a, title("wall.stocked_out"), out.len().to_string(), bad(out.len()), theme, &out);
    figure(f, b, title("wall.critical"), crit.len().to_string(), bad(crit.len()), theme, &crit);
}

/// Town-wide days of cover per item group, in two columns of large rows on big screens when
/// every group's row fits (label and digits side by side), else one aligned line a group.
fn group_covers(m: &Model, theme: Theme, f: &mut Frame, groups: Rect, large: bool) {
    let lang = m.lang;
    let covers: Vec<(ItemGroup, cover::GroupCover)> =
        ItemGroup::ALL.iter().filter_map(|g| crate::tui::model::group_cover(m, *g).map(|c| (*g, c))).collect();
    let gb = boxed(format!(" {} ", t(lang, "wall.cover")), theme);
    let ginner = gb.inner(groups);
    f.render_widget(gb, groups);
    let cols: Vec<Rect> =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).split(ginner).to_vec();
    let per_col = covers.len().div_ceil(2).max(1);
    let widest = covers.iter().map(|(_, gc)| big_width(&days_text(gc))).max().unwrap_or(0);
    let fits = cols.iter().all(|c| c.height as usize >= per_col * BIG_ROW && c.width as usize >= BIG_LABEL + widest);
    if !(large && fits) {
        group_lines(m, theme, f, ginner, covers);
        return;
    }
    for (ci, col) in cols.iter().enumerate() {
        let chunk: Vec<&(ItemGroup, cover::GroupCover)> = covers.iter().skip(ci * per_col).take(per_col).collect();
        let cells = Layout::vertical(chunk.iter().map(|_| Constraint::Length(BIG_ROW as u16))).split(*col);
        for ((g, gc), cell) in chunk.iter().zip(cells.iter()) {
            group_big(m, theme, f, *cell, *g, gc);
        }
    }
}

/// One line per group; when fewer lines fit than there are groups, the worst covered are shown
/// and the last line counts the better covered ones left out (never a group dropped silently).
fn group_lines(m: &Model, theme: Theme, f: &mut Frame, area: Rect, mut covers: Vec<(ItemGroup, cover::GroupCover)>) {
    let lang = m.lang;
    let rows = area.height as usize;
    let mut left_out = 0;
    if covers.len() > rows {
        covers.sort_by(|(_, a), (_, b)| cover::ratio(&a.cover).total_cmp(&cover::ratio(&b.cover)));
        left_out = covers.len() + 1 - rows.max(1);
        covers.truncate(rows.saturating_sub(1));
    }
    let label_w = covers.iter().map(|(_, gc)| crate::text::width(gc.cover.status.label(lang))).max().unwrap_or(0);
    let mut lines: Vec<Line> = covers.iter().map(|(g, gc)| group_line(m, theme, *g, gc, label_w)).collect();
    if left_out > 0 {
        lines.push(Line::styled(format!("  +{left_out} {}", t(lang, "wall.more_groups")), theme.dim()));
    }
    f.render_widget(Paragraph::new(lines), area);
}

/// Lines a large group row takes (the digits' height) and the columns of its label beside them.
const BIG_ROW: usize = 5;
const BIG_LABEL: usize = 22;

/// A group's days of cover as shown: one decimal, "99+" past 99, "-" when unknown.
fn days_text(gc: &cover::GroupCover) -> String {
    match gc.cover.days {
        Some(d) if d >= 99.5 => "99+".to_string(),
        Some(d) => format!("{d:.1}"),
        None => "-".into(),
    }
}

/// The name of a group's worst item.
fn worst_name(m: &Model, gc: &cover::GroupCover) -> String {
    m.state.items.get(&gc.worst_item).map(|i| crate::text::scrub(i.name(m.lang))).unwrap_or_default()
}

/// One group as a large row: name, status, norm and worst item beside big digits.
fn group_big(m: &Model, theme: Theme, f: &mut Frame, cell: Rect, g: ItemGroup, gc: &cover::GroupCover) {
    let lang = m.lang;
    let c = &gc.cover;
    let style = theme.status(c.status);
    let [l, r] = Layout::horizontal([Constraint::Length(BIG_LABEL as u16), Constraint::Min(1)]).areas(cell);
    let fit = |s: &str| crate::text::truncate(s, BIG_LABEL - 1);
    let lines = vec![
        Line::styled(fit(t(lang, &format!("group.{}", g.code()))), theme.title()),
        Line::styled(fit(c.status.label(lang)), style),
        Line::raw(fit(&format!("{} {} {}", t(lang, "wall.norm"), c.norm_days, t(lang, "unit.days")))),
        Line::styled(fit(&worst_name(m, gc)), theme.dim()),
    ];
    f.render_widget(Paragraph::new(lines), l);
    f.render_widget(Paragraph::new(big(&days_text(gc), style)), r);
}

/// One group as a line: days, status (padded to `label_w`), group, norm, worst item.
fn group_line(m: &Model, theme: Theme, g: ItemGroup, gc: &cover::GroupCover, label_w: usize) -> Line<'static> {
    let lang = m.lang;
    let c = &gc.cover;
    let style = theme.status(c.status);
    Line::from(vec![
        Span::styled(format!("{} ", crate::text::pad_left(&days_text(gc), 6)), style.add_modifier(Modifier::BOLD)),
        Span::styled(format!("{}  ", crate::text::pad(c.status.label(lang), label_w)), style),
        Span::styled(format!("{}  ", crate::text::pad(t(lang, &format!("group.{}", g.code())), 12)), theme.title()),
        Span::raw(format!(
            "{}  ",
            crate::text::pad(&format!("{} {} {}", t(lang, "wall.norm"), c.norm_days, t(lang, "unit.days")), 10)
        )),
        Span::styled(worst_name(m, gc), theme.dim()),
    ])
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
    let lead = if z.lead.trim().is_empty() { String::new() } else { format!(" ({})", crate::text::scrub(&z.lead)) };
    let title =
        format!(" {} {}/{}: {}{lead} ", t(lang, "col.zone"), page + 1, zone_list.len(), crate::text::scrub(&z.name));
    let zb = boxed(title, theme);
    let zinner = zb.inner(zones);
    f.render_widget(zb, zones);
    // One point a cell, the cells as wide as the widest and in as many columns as fit: an
    // entry is never broken over two lines.
    let cells: Vec<(String, String, StockStatus, usize)> = rows
        .iter()
        .filter(|r| r.point.zone == z.code)
        .map(|r| {
            let status = r.worst.unwrap_or(StockStatus::Ok);
            (r.point.code.clone(), crate::text::scrub(&r.point.name), status, r.short.len())
        })
        .collect();
    let cell_text = |(code, name, status, short): &(String, String, StockStatus, usize)| {
        let short = if *short > 0 { format!(" x{short}") } else { String::new() };
        format!("{code} {name} {}{short}", status.label(lang))
    };
    let cell_w = cells.iter().map(|c| crate::text::width(&cell_text(c))).max().unwrap_or(0) + 3;
    let per_line = (zinner.width as usize / cell_w.max(1)).max(1);
    let lines: Vec<Line> = cells
        .chunks(per_line)
        .map(|chunk| {
            let mut spans = Vec::new();
            for c in chunk {
                let (code, name, status, short) = c;
                let pad = cell_w.saturating_sub(crate::text::width(&cell_text(c)));
                spans.push(Span::styled(format!("{code} "), theme.title()));
                spans.push(Span::raw(format!("{name} ")));
                spans.push(Span::styled(status.label(lang).to_string(), theme.status(*status)));
                let short = if *short > 0 { format!(" x{short}") } else { String::new() };
                spans.push(Span::raw(format!("{short}{}", " ".repeat(pad))));
            }
            Line::from(spans)
        })
        .collect();
    f.render_widget(Paragraph::new(lines), zinner);
}
