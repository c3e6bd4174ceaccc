//! The delivery-point clerk's screen: the own point's stock with days of cover and its
//! villages' requests (both on a tall screen, else the one Tab chose; Enter delivers for a
//! request, `g` signs for it at the checkpoint, `t` enters a village's tally), transfers on
//! their way to it (confirm with `c`), today's deliveries to its villages, today's report and
//! prices, and its alerts. Every form is about this point.
//! Pure drawing from the model; must not import the loop (`tui::mod`), `cli`, `link` or the store.
//!
//! ```text
//! +- status: point | time | report today? | tallies overdue | officer on duty | link --+
//! | stock (worst first)               | transfers coming in                           |
//! |-----------------------------------| deliveries today                              |
//! | requests (tall screens; else Tab) | report + prices today | alerts                |
//! +- footer: keys ----------------------------------------------------------------------+
//! ```

use crate::domain::state::{Dispatch, DispatchStatus};
use crate::domain::Dest;
use crate::i18n::t;
use crate::tui::model::{stock_rows, Conn, Model, Panel};
use crate::tui::theme::Theme;
use crate::tui::widgets::table::{Cells, Col, Windowed};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

fn boxed(title: String, theme: Theme, focused: bool) -> Block<'static> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(if focused { theme.focused_border() } else { theme.border() })
        .title(Span::styled(title, theme.title()))
}

pub fn render(m: &Model, theme: Theme, f: &mut Frame, area: Rect, code: &str) {
    let [status, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(area);
    f.render_widget(Paragraph::new(status_line(m, theme, code, area.width)), status);
    let wide = body.width >= 100;
    let (main, side) = if wide {
        let [a, b] = Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(body);
        (a, b)
    } else {
        let [a, b] = Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(body);
        (a, b)
    };
    // Tall enough: stock above the villages' requests; else the one Tab chose.
    let tab = |to: Panel| format!("(Tab: {})", t(m.lang, to.title_key()));
    if main.height >= 30 {
        let [a, b] = Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(main);
        stock(m, theme, f, a, "");
        requests(m, theme, f, b, "");
    } else if m.panel == Panel::Requests {
        requests(m, theme, f, main, &tab(Panel::Stock));
    } else {
        stock(m, theme, f, main, &tab(Panel::Requests));
    }
    let [incoming, out, bottom] =
        Layout::vertical([Constraint::Percentage(30), Constraint::Percentage(35), Constraint::Percentage(35)])
            .areas(side);
    transfers_in(m, theme, f, incoming, code);
    deliveries(m, theme, f, out, code);
    let [rep, alerts] = Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(bottom);
    prices(m, theme, f, rep, code);
    point_alerts(m, theme, f, alerts, code);
}

/// The title of a box the clerk can switch to with Tab: its name, a filter being typed, and
/// `extra` (counts, the key that switches).
fn panel_title(m: &Model, p: Panel, extra: &str) -> String {
    let filter = m.filter_of(p);
    let name = t(m.lang, p.title_key());
    match (filter.is_empty() && !(m.filtering() && m.panel == p), extra.is_empty()) {
        (true, true) => format!(" {name} "),
        (true, false) => format!(" {name} {extra} "),
        (false, _) => format!(" {name} {extra} [/{filter}] "),
    }
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

fn transfers_in(m: &Model, theme: Theme, f: &mut Frame, area: Rect, code: &str) {
    let lang = m.lang;
    let coming: Vec<&Dispatch> = m
        .state
        .dispatches
        .values()
        .filter(|d| d.status() == DispatchStatus::InTransit && matches!(&d.to, Dest::Point(p) if p == code))
        .collect();
    let b = boxed(format!(" {} ({}) c ", t(lang, "point.incoming"), coming.len()), theme, false);
    if coming.is_empty() {
        f.render_widget(Paragraph::new(t(lang, "point.none_coming")).style(theme.dim()).block(b), area);
        return;
    }
    let widths = vec![Col::Whole, Col::Whole, Col::Whole, Col::Whole, Col::Yields];
    Windowed::new(vec![], widths, coming.len()).block(b).render(f, area, theme, |i| {
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

fn deliveries(m: &Model, theme: Theme, f: &mut Frame, area: Rect, code: &str) {
    let lang = m.lang;
    let today = m.now.date_naive();
    let sent: Vec<&Dispatch> =
        m.state.dispatches.values().rev().filter(|d| d.from == code && d.sent_at.date_naive() == today).collect();
    let b = boxed(format!(" {} ({}) d ", t(lang, "point.sent_today"), sent.len()), theme, false);
    let widths = vec![Col::Whole, Col::Whole, Col::Whole, Col::Whole, Col::Yields];
    Windowed::new(vec![], widths, sent.len()).block(b).render(f, area, theme, |i| {
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

fn prices(m: &Model, theme: Theme, f: &mut Frame, area: Rect, code: &str) {
    let lang = m.lang;
    let today = m.now.date_naive();
    let b = boxed(format!(" {} $ ", t(lang, "point.prices_today")), theme, false);
    let lines: Vec<Line> = m
        .state
        .prices
        .range((today, code.to_string(), String::new())..)
        .take_while(|((d, p, _), _)| *d == today && p == code)
        .map(|((_, _, item), obs)| {
            let name = m.state.items.get(item).map(|i| i.name(lang).to_string()).unwrap_or_else(|| item.clone());
            Line::from(format!(
                "{} {} {}",
                crate::text::pad(&crate::text::scrub(&name), 12),
                obs.fen,
                t(lang, "unit.yuan")
            ))
        })
        .collect();
    if lines.is_empty() {
        f.render_widget(Paragraph::new(t(lang, "point.no_prices")).style(theme.dim()).block(b), area);
    } else {
        f.render_widget(Paragraph::new(lines).block(b), area);
    }
}

fn point_alerts(m: &Model, theme: Theme, f: &mut Frame, area: Rect, code: &str) {
    let lang = m.lang;
    let open: Vec<_> =
        m.state.alerts.values().filter(|a| a.cleared_at.is_none() && a.point.as_deref() == Some(code)).collect();
    let b = boxed(format!(" {} ({}) ", t(lang, "panel.alerts"), open.len()), theme, false);
    let lines: Vec<Line> = open
        .iter()
        .map(|a| {
            Line::from(vec![
                Span::styled(format!("{} ", a.severity.label(lang)), theme.severity(a.severity)),
                Span::raw(format!("{} {}", a.kind.label(lang), crate::text::scrub(&a.subject))),
            ])
        })
        .collect();
    if lines.is_empty() {
        f.render_widget(Paragraph::new(t(lang, "alerts.none")).style(theme.ok()).block(b), area);
    } else {
        f.render_widget(Paragraph::new(lines).block(b), area);
    }
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
