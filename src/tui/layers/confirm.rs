//! The confirmation layer: a one-line question in a small box in the middle of the screen.
//! Pure drawing from the model; must not import the loop (`tui::mod`), `cli`, `link` or the store.

use crate::tui::theme::Theme;
use crate::tui::widgets::{centered, clear};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

pub fn render(text: &str, theme: Theme, f: &mut Frame) {
    let w = (crate::text::width(text) as u16 + 4).max(20);
    let r = centered(f.area(), w, 3);
    clear(f, r);
    f.render_widget(Paragraph::new(text).block(Block::default().borders(Borders::ALL).border_style(theme.error())), r);
}
