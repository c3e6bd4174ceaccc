//! The footer line: a toast when there is one, else the key hints of the active layer, read
//! from the keymap table (a filter being typed shows its text first). Pure drawing.
//! Pure drawing from the model; must not import the loop (`tui::mod`), `cli`, `link` or the store.

use crate::i18n::{t, try_t};
use crate::tui::keymap::{self, Action, Binding};
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
    if m.filtering() {
        spans.push(Span::styled(format!("/{}  ", m.filter_of(m.panel)), theme.key()));
    }
    let room = (area.width as usize).saturating_sub(spans.iter().map(|s| s.width()).sum());
    spans.extend(hints(m, theme, room));
    f.render_widget(Paragraph::new(Line::from(spans)).style(Style::default()), area);
}

/// The hinted bindings of the active layer, those sharing a description under one entry
/// ("Up/Down choose"). Too wide for `room`: the short descriptions where the locale has them,
/// else the key alone, but `?` always says what it does.
pub fn hints(m: &Model, theme: Theme, room: usize) -> Vec<Span<'static>> {
    let mut groups: Vec<(String, &Binding)> = Vec::new();
    for b in keymap::layer(&m.face, m.layer()).iter().filter(|b| b.hint) {
        match groups.iter_mut().find(|(_, g)| g.desc == b.desc) {
            Some((keys, _)) => *keys = format!("{keys}/{}", keymap::name(b)),
            None => groups.push((keymap::name(b), b)),
        }
    }
    let full: usize =
        groups.iter().map(|(k, b)| crate::text::width(k) + crate::text::width(t(m.lang, b.desc)) + 3).sum();
    let compact = full > room;
    let mut spans = Vec::new();
    for (keys, b) in groups {
        spans.push(Span::styled(format!("{keys} "), theme.key()));
        let short = try_t(m.lang, &format!("{}.short", b.desc));
        let desc = match (compact, short) {
            (false, _) => Some(t(m.lang, b.desc)),
            (true, Some(s)) => Some(s),
            (true, None) => (b.action == Action::Help).then(|| t(m.lang, b.desc)),
        };
        if let Some(d) = desc {
            spans.push(Span::raw(format!("{d}  ")));
        }
    }
    spans
}
