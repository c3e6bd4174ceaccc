//! The daily report screen (`R`): the report for a date as aligned text, scrollable; `[`/`]`
//! or arrows step through days.
//! Pure drawing from the model; must not import the loop (`tui::mod`), `cli`, `link` or the store.

use crate::i18n::t;
use crate::tui::model::Model;
use crate::tui::theme::Theme;
use crate::tui::widgets::{centered, clear};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

pub fn render(m: &Model, theme: Theme, f: &mut Frame, date: chrono::NaiveDate, scroll: u16) {
    let lang = m.lang;
    let area = centered(f.area(), f.area().width.saturating_sub(2), f.area().height.saturating_sub(2));
    clear(f, area);
    let lines: Vec<Line> = match crate::report::daily(&m.state, date, m.now, &m.thresholds, &m.key_items, lang) {
        Ok(r) => crate::report::text_lines(&r, lang).into_iter().map(Line::raw).collect(),
        Err(e) => vec![Line::styled(e.message(lang), theme.error())],
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.focused_border())
        .title(Span::styled(format!(" {} {date} ", t(lang, "report.title")), theme.title()));
    f.render_widget(Paragraph::new(lines).block(block).scroll((scroll, 0)), area);
}
