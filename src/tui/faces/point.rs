//! The delivery-point clerk's screen: the own point's stock with days of cover and its
//! villages' requests (both on a tall screen, else the one Tab chose; Enter delivers for a
//! request, `g` signs for it at the checkpoint, `t` enters a village's tally), transfers on
//! their way to it (confirm with `c` or Enter), today's deliveries to its villages, today's
//! prices, and its alerts. Tab and Shift-Tab move through the boxes in reading order (left
//! column top to bottom, then the right one: `Panel::POINT`), the focused one drawn as on the
//! console. Every box is as tall as what it holds while there is room (`fit`). Every form is
//! about this point.
//! Pure drawing from the model; must not import the loop (`tui::mod`), `cli`, `link` or the store.
//!
//! ```text
//! wide (>= 100 columns)                       narrow
//! +- status: point | time | report today? | tallies overdue | officer on duty | link --+
//! | stock (worst first)          | transfers coming in |   | stock or requests        |
//! |------------------------------| sent out today      |   | transfers coming in      |
//! | requests (tall; else Tab)    | prices today        |   | sent out today           |
//! |                              | alerts              |   | prices | alerts          |
//! +- footer: keys ----------------------------------------------------------------------+
//! ```

use crate::domain::alerts::Alert;
use crate::domain::state::Dispatch;
use crate::domain::Dest;
use crate::i18n::t;
use crate::tui::model::{
    alert_rows, delivery_rows, incoming_rows, price_rows, request_rows, stock_rows, Conn, Model, Panel,
};
use crate::tui::theme::Theme;
use crate::tui::widgets::table::{Cells, Col, Windowed};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

/// A box of the point face; the focused one stands out as on the console (border and title).
fn boxed(title: String, theme: Theme, focused: bool) -> Block<'static> {
    let style = if focused { theme.focused_border() } else { theme.border() };
    Block::default()
        .borders(Borders::ALL)
        .border_style(style)
        .title(Span::styled(title, if focused { theme.focused_border() } else { theme.title() }))
}

/// Heights (or widths) for boxes that need `needs` lines in `total`: a box that needs no more
/// than an equal share of what is left gets what it needs, the others share the rest equally
/// (the earlier ones take the odd lines), and lines nobody needs go to the last box. The result
/// sums to `total`. O(n²) in the boxes (a handful).
pub fn fit(needs: &[u16], total: u16) -> Vec<u16> {
    let mut out = vec![0u16; needs.len()];
    let mut left = total;
    let mut open: Vec<usize> = (0..needs.len()).collect();
    while !open.is_empty() {
        let share = left / open.len() as u16;
        let (fits, rest): (Vec<usize>, Vec<usize>) = open.iter().partition(|&&i| needs[i] <= share);
        if fits.is_empty() {
            let odd = left % open.len() as u16;
            for (k, &i) in open.iter().enumerate() {
                out[i] = share + u16::from((k as u16) < odd);
            }
            left = 0;
            break;
        }
        for &i in &fits {
            out[i] = needs[i];
            left -= needs[i];
        }
        open = rest;
    }
    if let Some(last) = out.last_mut() {
        *last += left;
    }
    out
}

/// Splits `area` top to bottom into boxes of `heights`.
fn stack(area: Rect, heights: &[u16]) -> Vec<Rect> {
    Layout::vertical(heights.iter().map(|h| Constraint::Length(*h))).split(area).to_vec()
}

/// The lines a list box needs: its rows (one for the "none" line), a header, the borders.
fn need(rows: usize, header: bool) -> u16 {
    (rows.max(1) + usize::from(header) + 2).min(u16::MAX as usize) as u16
}

/// The body: on a wide screen the stock (and, tall enough, the requests) on the left and the
/// other boxes stacked on the right; on a narrow one the stock or requests above the others,
/// prices and alerts side by side. Every box is as tall as what it holds while there is room
/// (`fit`), so none keeps empty lines while another is cut.
pub fn render(m: &Model, theme: Theme, f: &mut Frame, area: Rect, code: &str) {
    let [status, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(area);
    f.render_widget(Paragraph::new(status_line(m, theme, code, area.width)), status);
    let wide = body.width >= 100;
    let stock_need = need(stock_rows(m).len(), true);
    let requests_need = need(request_rows(m).len(), true);
    // Each side box's rows, found once a frame: their counts size the boxes, then they are drawn.
    let (coming, sent, priced, open) = (incoming_rows(m), delivery_rows(m), price_rows(m), alert_rows(m));
    let side_needs =
        [need(coming.len(), false), need(sent.len(), false), need(priced.len(), false), need(open.len(), false)];
    // Tall enough: stock above the villages' requests; else the one Tab chose.
    let tall = if wide { body.height >= 30 } else { body.height >= 60 };
    let main_need = if tall { stock_need.saturating_add(requests_need) } else { stock_need.max(requests_need) };
    let (main, side) = if wide {
        let [a, b] = Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(body);
        (a, b)
    } else {
        let [i, d, p, a] = side_needs;
        let side_need = i.saturating_add(d).saturating_add(p.max(a));
        let h = fit(&[main_need, side_need], body.height);
        let [a, b] = Layout::vertical([Constraint::Length(h[0]), Constraint::Length(h[1])]).areas(body);
        (a, b)
    };
    let focused = m.panel;
    if tall {
        let h = fit(&[stock_need, requests_need], main.height);
        let r = stack(main, &h);
        stock(m, theme, f, r[0], "");
        requests(m, theme, f, r[1], "");
    } else if focused == Panel::Requests {
        let hint = format!("(S-Tab: {})", t(m.lang, Panel::Stock.title_key()));
        requests(m, theme, f, main, &hint);
    } else {
        let hint = if focused == Panel::Stock {
            format!("(Tab: {})", t(m.lang, Panel::Requests.title_key()))
        } else {
            String::new()
        };
        stock(m, theme, f, main, &hint);
    }
    if wide {
        let r = stack(side, &fit(&side_needs, side.height));
        transfers_in(m, theme, f, r[0], &coming);
        deliveries(m, theme, f, r[1], &sent);
        prices(m, theme, f, r[2], &priced);
        point_alerts(m, theme, f, r[3], &open);
    } else {
        let [i, d, p, a] = side_needs;
        let r = stack(side, &fit(&[i, d, p.max(a)], side.height));
        transfers_in(m, theme, f, r[0], &coming);
        deliveries(m, theme, f, r[1], &sent);
        // Prices are short lines: as wide as they are (up to half), the alerts take the rest.
        let price_w = prices_width(m, &priced).min(r[2].width / 2);
        let [pa, aa] = Layout::horizontal([Constraint::Length(price_w), Constraint::Min(0)]).areas(r[2]);
        prices(m, theme, f, pa, &priced);
        point_alerts(m, theme, f, aa, &open);
    }
}

/// The title of a box of the point face: its name, `extra` (counts, the key that acts on it),
/// the filter being typed or kept.
fn panel_title(m: &Model, p: Panel, extra: &str) -> String {
    let filter = m.filter_of(p);
    let name = t(m.lang, p.title_key());
    match (filter.is_empty() && !(m.filtering() && m.panel == p), extra.is_empty()) {
        (true, true) => format!(" {name} "),
        (true, false) => format!(" {name} {extra} "),
        (false, _) => format!(" {name} {extra} [/{filter}] "),
    }
}

/// The selection to show in a box: only the focused box shows one (stock and requests always).
fn sel_of(m: &Model, p: Panel) -> Option<usize> {
    (m.panel == p).then(|| m.selected(p))
}

fn stock(m: &Model, theme: Theme, f: &mut Frame, area: Rect, tab: &str) {
    let lang = m.lang;
    let b = boxed(panel_title(m, Panel::Stock, tab), theme, m.panel == Panel::Stock);
    let inner = b.inner(area);
    f.render_widget(b, area);
    let rows = stock_rows(m);
    let table = crate::tui::panels::stock::compact_table(lang, rows.len()).selected(m.selected(Panel::Stock));
    table.render(f, inner, theme, |i| crate::tui::panels::stock::compact_row(&rows[i], lang, theme));
}

/// The own villages' requests (Enter delivers for the selected one, `g` signs).
fn requests(m: &Model, theme: Theme, f: &mut Frame, area: Rect, tab: &str) {
    let extra = format!("{} {tab}", crate::tui::panels::requests::counts(m)).trim_end().to_string();
    let b = boxed(panel_title(m, Panel::Requests, &extra), theme, m.panel == Panel::Requests);
    crate::tui::panels::requests::list(m, theme, f, area, b);
}

/// A list box: the "none" line when it has no rows, else the rows in a window that keeps the
/// focused selection in view.
fn list<'a>(
    m: &Model,
    theme: Theme,
    f: &mut Frame,
    area: Rect,
    (p, b): (Panel, Block<'a>),
    (len, none, cols): (usize, &str, Vec<Col>),
    row: impl Fn(usize) -> Cells<'a>,
) {
    if len == 0 {
        let text = crate::tui::widgets::empty_text(m.lang, m.filter_of(p), none);
        f.render_widget(Paragraph::new(text).style(theme.dim()).block(b), area);
        return;
    }
    let mut table = Windowed::new(vec![], cols, len).block(b);
    if let Some(s) = sel_of(m, p) {
        table = table.selected(s);
    }
    table.render(f, area, theme, row);
}

fn transfers_in(m: &Model, theme: Theme, f: &mut Frame, area: Rect, coming: &[&Dispatch]) {
    let lang = m.lang;
    let title = panel_title(m, Panel::Incoming, &format!("({}) c", coming.len()));
    let b = boxed(title, theme, m.panel == Panel::Incoming);
    let cols = vec![Col::Whole, Col::Whole, Col::Whole, Col::Whole, Col::Yields];
    list(m, theme, f, area, (Panel::Incoming, b), (coming.len(), t(lang, "point.none_coming"), cols), |i| {
        let d = coming[i];
        Cells::new(vec![
            Dispatch::label(d.id),
            d.from.clone(),
            d.item.clone(),
            d.qty.to_string(),
            d.sent_at.format("%m-%d %H:%M").to_string(),
        ])
    });
}

fn deliveries(m: &Model, theme: Theme, f: &mut Frame, area: Rect, sent: &[&Dispatch]) {
    let lang = m.lang;
    let title = panel_title(m, Panel::Deliveries, &format!("({}) d", sent.len()));
    let b = boxed(title, theme, m.panel == Panel::Deliveries);
    let cols = vec![Col::Whole, Col::Whole, Col::Whole, Col::Whole, Col::Yields];
    list(m, theme, f, area, (Panel::Deliveries, b), (sent.len(), "", cols), |i| {
        let d = sent[i];
        let to = match &d.to {
            Dest::Village(v) => m.state.villages.get(v).map(|x| x.name.clone()).unwrap_or_else(|| v.clone()),
            Dest::Point(p) => p.clone(),
        };
        Cells::new(vec![
            d.sent_at.format("%H:%M").to_string(),
            crate::text::scrub(&to),
            d.item.clone(),
            d.qty.to_string(),
            delivery_state(d, lang),
        ])
    });
}

/// A delivery's state: one for requests waits for the checkpoint's signature, then names who
/// signed; any other reads as its status.
fn delivery_state(d: &Dispatch, lang: crate::domain::Lang) -> String {
    match (&d.signed_by, d.requests.is_empty()) {
        (Some(by), _) => format!("{} {}", t(lang, "point.signed_by"), crate::text::scrub(by)),
        (None, false) => t(lang, "point.to_sign").to_string(),
        (None, true) => d.status().label(lang).to_string(),
    }
}

/// One line of today's prices: the item's name and the price in yuan.
fn price_cells(m: &Model, item: &str, fen: crate::domain::Fen) -> [String; 2] {
    let lang = m.lang;
    let name = m.state.items.get(item).map(|i| i.name(lang).to_string()).unwrap_or_else(|| item.to_string());
    [crate::text::scrub(&name), format!("{fen} {}", t(lang, "unit.yuan"))]
}

/// The width the prices box needs: its widest lines (name, a gap, price) or its title, and the
/// borders.
fn prices_width(m: &Model, rows: &[(&str, crate::domain::Fen)]) -> u16 {
    let title = crate::text::width(&panel_title(m, Panel::Prices, "$"));
    let none = crate::text::width(t(m.lang, "point.no_prices"));
    let cells: Vec<[String; 2]> = rows.iter().map(|(i, fen)| price_cells(m, i, *fen)).collect();
    let col = |k: usize| cells.iter().map(|c| crate::text::width(&c[k])).max().unwrap_or(0);
    let widest = if cells.is_empty() { none } else { col(0) + 1 + col(1) };
    (widest.max(title) + 2).min(u16::MAX as usize) as u16
}

fn prices(m: &Model, theme: Theme, f: &mut Frame, area: Rect, rows: &[(&str, crate::domain::Fen)]) {
    let b = boxed(panel_title(m, Panel::Prices, "$"), theme, m.panel == Panel::Prices);
    let none = t(m.lang, "point.no_prices");
    list(m, theme, f, area, (Panel::Prices, b), (rows.len(), none, vec![Col::Yields, Col::Yields]), |i| {
        let (item, fen) = rows[i];
        Cells::new(price_cells(m, item, fen))
    });
}

fn point_alerts(m: &Model, theme: Theme, f: &mut Frame, area: Rect, open: &[&Alert]) {
    let lang = m.lang;
    let b = boxed(panel_title(m, Panel::Alerts, &format!("({})", open.len())), theme, m.panel == Panel::Alerts);
    if open.is_empty() && m.filter_of(Panel::Alerts).is_empty() {
        f.render_widget(Paragraph::new(t(lang, "alerts.none")).style(theme.ok()).block(b), area);
        return;
    }
    list(m, theme, f, area, (Panel::Alerts, b), (open.len(), "", vec![Col::Yields]), |i| {
        let a = open[i];
        Cells::new(vec![Line::from(vec![
            Span::styled(format!("{} ", a.severity.label(lang)), theme.severity(a.severity)),
            // What it is about first, as on the wall: a narrow box cuts the kind, not the code.
            Span::raw(format!("{} {}", crate::text::scrub(&a.subject), a.kind.label(lang))),
        ])])
    });
}

/// The point face's top line, `width` cells wide: the point, the clock, today's report, who is
/// on duty, the link (the clock's redraw draws only this).
pub fn status_line(m: &Model, theme: Theme, code: &str, width: u16) -> Line<'static> {
    let lang = m.lang;
    let name = m.state.points.get(code).map(|p| crate::text::scrub(&p.name)).unwrap_or_default();
    let today = m.now.date_naive();
    let reported = m.state.reports.get(&(today, code.to_string()));
    let report_text = match reported {
        Some(r) if r.zero => format!("{} {}", t(lang, "point.zero_reported"), r.at.format("%H:%M")),
        Some(r) => format!("{} {}", t(lang, "point.reported"), r.at.format("%H:%M")),
        None => t(lang, "point.not_reported").to_string(),
    };
    let tallies = tally_text(m, code);
    let officer = m.state.officer_on_duty(m.now).unwrap_or_default();
    let phone = m.state.people.get(&officer).map(|p| p.phone.clone()).unwrap_or_default();
    let conn = match &m.conn {
        Conn::Embedded => t(lang, "conn.local").to_string(),
        Conn::Connected => t(lang, "conn.connected").to_string(),
        Conn::Disconnected { since } => format!("{} {}", t(lang, "conn.disconnected"), since.format("%H:%M")),
    };
    Line::from(vec![
        Span::styled(format!(" {code} {name} "), theme.bar().add_modifier(ratatui::style::Modifier::BOLD)),
        Span::styled(format!("| {} ", m.now.format("%m-%d %H:%M:%S")), theme.bar()),
        Span::styled(format!("| {report_text} "), if reported.is_some() { theme.bar() } else { theme.error() }),
        Span::styled(tallies.unwrap_or_default(), theme.error()),
        Span::styled(
            format!("| {} {} {} ", t(lang, "ui.duty"), crate::text::scrub(&officer), crate::text::scrub(&phone)),
            theme.bar(),
        ),
        Span::styled(
            format!("| {conn} "),
            if matches!(m.conn, Conn::Disconnected { .. }) { theme.error() } else { theme.bar() },
        ),
        Span::styled(" ".repeat(width as usize), theme.bar()),
    ])
}

/// "| TALLY OVERDUE V05 V07 (t)" when villages of the point are past their tally day; the
/// same figures as `baogong tallies`. O(villages).
fn tally_text(m: &Model, code: &str) -> Option<String> {
    let today = m.now.date_naive();
    let late: Vec<String> = crate::views::tallies::rows(&m.state, today, today)
        .into_iter()
        .filter(|r| r.overdue && r.point == code)
        .map(|r| r.village)
        .collect();
    (!late.is_empty()).then(|| format!("| {} {} (t) ", t(m.lang, "point.tally_overdue"), late.join(" ")))
}
