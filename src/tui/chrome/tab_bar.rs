//! The tab bar of small terminals: the four panels by number, the focused one highlighted.
//! Pure drawing from the model; must not import the loop (`tui::mod`), `cli`, `link` or the store.

use crate::i18n::t;
use crate::tui::model::{Model, Panel};
use crate::tui::theme::Theme;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

pub fn render(m: &Model, theme: Theme, f: &mut Frame, area: Rect) {
    let mut spans = Vec::new();
    for p in Panel::ALL {
        let label = format!(" {} {} ", p as usize + 1, t(m.lang, p.title_key()));
        spans.push(Span::styled(label, if p == m.panel { theme.selected() } else { theme.base() }));
        spans.push(Span::raw(" "));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}
