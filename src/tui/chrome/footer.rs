//! The footer line: a toast when there is one, else the key hints of the active layer, read
//! from the keymap table.

use crate::i18n::t;
use crate::tui::keymap;
use crate::tui::model::Model;
use crate::tui::theme::Theme;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

pub fn render(m: &Model, theme: Theme, f: &mut Frame, area: Rect) {
    if let Some(toast) = &m.toast {
        let style = if toast.error { theme.error() } else { theme.ok() };
        f.render_widget(Paragraph::new(Span::styled(crate::text::scrub(&toast.text), style)), area);
        return;
    }
    let mut spans: Vec<Span> = Vec::new();
    if m.filtering {
        spans.push(Span::styled(format!("/{}", m.filter_of(m.panel)), theme.key()));
        spans.push(Span::raw(format!("  {}", t(m.lang, "ui.filter_hint"))));
    } else if m.form.is_some() {
        let full: usize =
            keymap::FORM_KEYS.iter().map(|(k, d)| crate::text::width(k) + crate::text::width(t(m.lang, d)) + 3).sum();
        for (k, d) in keymap::FORM_KEYS {
            spans.push(Span::styled(format!("{k} "), theme.key()));
            // Narrow terminals: the short forms of the descriptions.
            let desc = if full > area.width as usize { t(m.lang, &format!("{d}.short")) } else { t(m.lang, d) };
            spans.push(Span::raw(format!("{desc}  ")));
        }
    } else {
        let hints: Vec<&keymap::Binding> = keymap::of(&m.face).iter().filter(|b| b.hint).collect();
        let full: usize = hints
            .iter()
            .map(|b| crate::text::width(&keymap::key_name(b.code)) + crate::text::width(t(m.lang, b.desc)) + 3)
            .sum();
        let compact = full > area.width as usize;
        for b in hints {
            spans.push(Span::styled(format!("{} ", keymap::key_name(b.code)), theme.key()));
            // Narrow terminals keep only the help hint's text; `?` explains the rest.
            if !compact || b.action == keymap::Action::Help {
                spans.push(Span::raw(format!("{}  ", t(m.lang, b.desc))));
            }
        }
    }
    f.render_widget(Paragraph::new(Line::from(spans)).style(Style::default()), area);
}
