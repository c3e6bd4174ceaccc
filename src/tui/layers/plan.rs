//! The replenishment plan screen (`P`): the suggested transfers, most urgent first, one of them
//! selected (Enter opens the dispatch form pre-filled with it), and below them the request to the
//! level above with its reasons. `l` steps through response levels as a what-if. Renders the
//! plan the model holds; computes nothing.
//! Pure drawing from the model; must not import the loop (`tui::mod`), `cli`, `link` or the store.

use crate::i18n::t;
use crate::plan_sheet;
use crate::tui::model::{Model, PlanScreen};
use crate::tui::theme::Theme;
use crate::tui::widgets::table::{Cells, Col, Windowed};
use crate::tui::widgets::{clear, full};
use ratatui::layout::{Constraint, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

pub fn render(m: &Model, theme: Theme, f: &mut Frame, screen: &PlanScreen) {
    let lang = m.lang;
    let plan = &screen.plan;
    let area = full(f.area());
    clear(f, area);
    let title_style = if plan.level != plan.current { theme.error() } else { theme.title() };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.focused_border())
        .title(Span::styled(format!(" {} ", plan_sheet::headline(plan, &m.state.settings, lang)), title_style))
        .title_bottom(Span::styled(format!(" {} ", t(lang, "plan.export")), theme.dim()));
    let inner = block.inner(area);
    f.render_widget(block, area);
    // Transfers (title, header, rows) take what they need up to two thirds; requests the rest.
    let wanted = plan.transfers.len().max(1) as u16 + 2;
    let top_h = wanted.min(inner.height * 2 / 3).max(3);
    let [top, bottom] = Layout::vertical([Constraint::Length(top_h), Constraint::Fill(1)]).areas(inner);
    transfers(m, theme, f, screen, top);
    requests(m, theme, f, screen, bottom);
}

fn transfers(m: &Model, theme: Theme, f: &mut Frame, screen: &PlanScreen, area: ratatui::layout::Rect) {
    let lang = m.lang;
    let plan = &screen.plan;
    let [title, body] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    f.render_widget(Paragraph::new(plan_sheet::transfers_title(plan, lang)).style(theme.title()), title);
    if plan.transfers.is_empty() {
        let text = lang.pick(plan_sheet::NO_TRANSFERS.0, plan_sheet::NO_TRANSFERS.1);
        f.render_widget(Paragraph::new(format!("  {text}")).style(theme.ok()), body);
        return;
    }
    let sel = screen.sel.min(plan.transfers.len() - 1);
    let mut heads: Vec<&str> = plan_sheet::transfer_headers(lang).iter().map(|h| h.trim_end_matches('>')).collect();
    heads.push(lang.pick("batches", "批次"));
    // Item, name, from, to, qty, unit, draw, cover, runs out, batches.
    let widths = vec![
        Col::Whole,
        Col::Yields,
        Col::Whole,
        Col::Whole,
        Col::Whole,
        Col::Whole,
        Col::Whole,
        Col::Whole,
        Col::Whole,
        Col::Yields,
    ];
    Windowed::new(heads, widths, plan.transfers.len()).selected(sel).render(f, body, theme, |i| {
        let tr = &plan.transfers[i];
        let mut cells = plan_sheet::transfer_cells(&m.state, tr, lang);
        cells.push(plan_sheet::batches(tr));
        Cells::new(cells.into_iter().map(Line::from))
    });
}

fn requests(m: &Model, theme: Theme, f: &mut Frame, screen: &PlanScreen, area: ratatui::layout::Rect) {
    let lang = m.lang;
    let plan = &screen.plan;
    let mut lines = vec![Line::styled(plan_sheet::requests_title(plan, lang), theme.title())];
    if plan.requests.is_empty() {
        let text = lang.pick(plan_sheet::NO_REQUESTS.0, plan_sheet::NO_REQUESTS.1);
        lines.push(Line::styled(format!("  {text}"), theme.ok()));
    }
    for r in &plan.requests {
        let c = plan_sheet::request_cells(&m.state, r, lang);
        lines.push(Line::from(vec![
            Span::styled(format!("  {} {}  {} {}", c[0], c[1], c[2], c[3]), theme.error()),
            Span::raw(format!("  {} {}", lang.pick("by", "最迟"), c[4])),
        ]));
        lines.push(Line::styled(format!("    {}", c[5]), theme.dim()));
    }
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).scroll((screen.scroll, 0)), area);
}
