//! The daily report screen (`R`): the report for a date as aligned text, scrollable; `[`/`]`
//! or arrows step through days. Draws the lines `Model::refresh_report` keeps (computed on
//! change, not per frame); a model never passed through `update` has none and the report is
//! computed for that frame.
//! Pure drawing from the model; must not import the loop (`tui::mod`), `cli`, `link` or the store.

use crate::i18n::t;
use crate::tui::model::Model;
use crate::tui::theme::Theme;
use crate::tui::widgets::{clear, full};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

pub fn render(m: &Model, theme: Theme, f: &mut Frame, date: chrono::NaiveDate, scroll: u16) {
    let lang = m.lang;
    let area = full(f.area());
    clear(f, area);
    let kept = m.report_cache.as_ref().filter(|c| c.key.0 == date && c.key.1 == m.state.last_seq && c.key.2 == lang);
    let fresh = || {
        crate::report::daily(&m.state, date, m.now, &m.thresholds, &m.key_items, lang)
            .map(|r| crate::report::text_lines(&r, lang))
            .map_err(|e| e.message(lang))
    };
    let lines: Vec<Line> = match kept.map_or_else(fresh, |c| c.lines.clone()) {
        Ok(text) => text.into_iter().map(Line::raw).collect(),
        Err(e) => vec![Line::styled(e, theme.error())],
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.focused_border())
        .title(Span::styled(format!(" {} {date} ", t(lang, "report.title")), theme.title()));
    f.render_widget(Paragraph::new(lines).block(block).scroll((scroll, 0)), area);
}
