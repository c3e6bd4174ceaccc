//! The `?` help screen, written from the keymap table itself.

use crate::i18n::t;
use crate::tui::keymap::{key_name, FORM_KEYS};
use crate::tui::model::Model;
use crate::tui::theme::Theme;
use crate::tui::widgets::{centered, clear};
use ratatui::layout::{Constraint, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

/// Columns of the key names.
const KEY_W: usize = 10;
/// Width of one column of the two-column layout (fits 80 columns).
const COLUMN: u16 = 39;

pub fn render(m: &Model, theme: Theme, f: &mut Frame) {
    let lang = m.lang;
    let mut lines: Vec<Line> = Vec::new();
    let mut last_desc = "";
    let mut keys: Vec<String> = Vec::new();
    let flush = |keys: &mut Vec<String>, desc: &str, lines: &mut Vec<Line>| {
        if !keys.is_empty() {
            lines.push(Line::from(vec![
                Span::styled(crate::text::pad(&keys.join(" "), KEY_W), theme.key()),
                Span::raw(t(lang, desc).to_string()),
            ]));
            keys.clear();
        }
    };
    for b in crate::tui::keymap::of(&m.face) {
        if b.desc != last_desc {
            flush(&mut keys, last_desc, &mut lines);
            last_desc = b.desc;
        }
        keys.push(key_name(b.code));
    }
    flush(&mut keys, last_desc, &mut lines);
    lines.push(Line::raw(""));
    lines.push(Line::styled(t(lang, "help.forms"), theme.title()));
    for (k, d) in FORM_KEYS {
        lines.push(Line::from(vec![
            Span::styled(crate::text::pad(k, KEY_W), theme.key()),
            Span::raw(t(lang, d).to_string()),
        ]));
    }
    lines.push(Line::from(vec![
        Span::styled(crate::text::pad("Ctrl-C", KEY_W), theme.key()),
        Span::raw(t(lang, "key.quit")),
    ]));
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.focused_border())
        .title(Span::styled(format!(" {} ", t(lang, "help.title")), theme.title()));
    let full = f.area();
    if lines.len() as u16 + 2 <= full.height || full.width < 2 * COLUMN + 2 {
        let area = centered(full, 60, lines.len() as u16 + 2);
        clear(f, area);
        f.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), area);
        return;
    }
    // Too tall for the terminal (80x24): two columns side by side.
    let half = lines.len().div_ceil(2);
    let right = lines.split_off(half);
    let area = centered(full, 2 * COLUMN + 2, half as u16 + 2);
    clear(f, area);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let [l, r] = Layout::horizontal([Constraint::Length(COLUMN), Constraint::Length(COLUMN)]).areas(inner);
    f.render_widget(Paragraph::new(lines), l);
    f.render_widget(Paragraph::new(right), r);
}
