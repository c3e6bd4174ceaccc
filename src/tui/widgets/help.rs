//! The `?` help screen, written from the keymap table itself.

use super::centered;
use crate::tui::i18n::t;
use crate::tui::keymap::{key_name, FORM_KEYS};
use crate::tui::model::Model;
use crate::tui::theme::Theme;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui::Frame;

pub fn render(m: &Model, theme: Theme, f: &mut Frame) {
    let lang = m.lang;
    let mut lines: Vec<Line> = Vec::new();
    let mut last_desc = "";
    let mut keys: Vec<String> = Vec::new();
    let flush = |keys: &mut Vec<String>, desc: &str, lines: &mut Vec<Line>| {
        if !keys.is_empty() {
            lines.push(Line::from(vec![
                Span::styled(crate::text::pad(&keys.join(" "), 12), theme.key()),
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
            Span::styled(crate::text::pad(k, 12), theme.key()),
            Span::raw(t(lang, d).to_string()),
        ]));
    }
    lines.push(Line::from(vec![
        Span::styled(crate::text::pad("Ctrl-C", 12), theme.key()),
        Span::raw(t(lang, "key.quit")),
    ]));
    let h = lines.len() as u16 + 2;
    let area = centered(f.area(), 60, h);
    f.render_widget(Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.focused_border())
        .title(Span::styled(format!(" {} ", t(lang, "help.title")), theme.title()));
    f.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), area);
}
