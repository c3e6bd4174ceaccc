//! The response levels screen (`L` on the console): the five levels, routine and the plans' four
//! scenarios, each with its number, its name and what it means, as the town calls them
//! (`Settings::level_name`, `level_meaning`: a scenario's `[[levels]]`, else the built-in ones);
//! the level in force is marked and the selected one highlighted. Each level takes a line for its
//! number and name and the lines its meaning wraps to, indented, so it reads the same at 80
//! columns as at 120; a box in the middle of the screen as wide as its content, scrolled to keep
//! the selected level in view when the screen is too short. Enter asks before anything is sent
//! (the question is the confirmation layer).
//! Pure drawing from the model; must not import the loop (`tui::mod`), `cli`, `link` or the store.

use crate::domain::{Lang, ResponseLevel};
use crate::i18n::t;
use crate::text::{pad, scrub, width, wrap};
use crate::tui::model::Model;
use crate::tui::theme::Theme;
use crate::tui::widgets::popup;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// Columns before a level's meaning: the selection mark and the number key (`> [3] `).
const INDENT: usize = 6;

/// The question asked before the level is set.
pub fn question(m: &Model, level: ResponseLevel) -> String {
    t(m.lang, "level.confirm").replace("{}", &scrub(m.state.settings.level_name(level, m.lang)))
}

/// The head line of a level: its number and name, and whether it is in force.
fn head(m: &Model, level: ResponseLevel, lang: Lang) -> (String, Option<String>) {
    let name = format!("[{}] {}", level.number(), scrub(m.state.settings.level_name(level, lang)));
    let now = (level == m.state.settings.level).then(|| format!("  ({})", t(lang, "level.in_force")));
    (name, now)
}

pub fn render(m: &Model, theme: Theme, f: &mut Frame, sel: usize) {
    let lang = m.lang;
    let s = &m.state.settings;
    let full = f.area();
    let title = format!(" {} ", t(lang, "level.title"));
    // As wide as the widest head or meaning, the indent and the border, within the screen.
    let natural = ResponseLevel::ALL
        .iter()
        .map(|l| {
            let (name, now) = head(m, *l, lang);
            let head_w = 2 + width(&name) + now.as_deref().map_or(0, width);
            head_w.max(INDENT + width(&scrub(s.level_meaning(*l, lang))))
        })
        .max()
        .unwrap_or(0)
        .max(width(&title) + 2)
        // A column of room on the right, so the longest line does not touch the border.
        + 1;
    let inner = natural.min(usize::from(full.width.saturating_sub(4)));
    let sel = sel.min(ResponseLevel::ALL.len() - 1);
    let mut lines: Vec<Line> = Vec::new();
    // The first and one past the last line of the selected level.
    let mut span = (0, 0);
    for (i, level) in ResponseLevel::ALL.into_iter().enumerate() {
        let chosen = i == sel;
        let style = if chosen { theme.selected() } else { theme.base() };
        if chosen {
            span.0 = lines.len();
        }
        let (name, now) = head(m, level, lang);
        let mark = if chosen { "> " } else { "  " };
        let name_room = inner.saturating_sub(2 + now.as_deref().map_or(0, width));
        let name = crate::text::truncate(&name, name_room);
        let used = 2 + width(&name) + now.as_deref().map_or(0, width);
        let mut spans = vec![Span::styled(mark, style), Span::styled(name, style.patch(theme.title()))];
        if let Some(now) = now {
            spans.push(Span::styled(now, style.patch(theme.ok())));
        }
        spans.push(Span::styled(" ".repeat(inner.saturating_sub(used)), style));
        lines.push(Line::from(spans));
        let meaning = scrub(s.level_meaning(level, lang));
        for part in wrap(&meaning, inner.saturating_sub(INDENT)) {
            let text = format!("{}{}", " ".repeat(INDENT), pad(&part, inner.saturating_sub(INDENT)));
            lines.push(Line::styled(text, if chosen { style } else { theme.dim() }));
        }
        if chosen {
            span.1 = lines.len();
        }
    }
    let (area, block) = popup(f, inner + 2, lines.len() + 2, title, theme);
    // Scrolled so that the selected level shows whole when the box is shorter than the list.
    let rows = usize::from(area.height.saturating_sub(2));
    let scroll = if span.1 > rows { (span.1 - rows).min(span.0) } else { 0 };
    let scroll = u16::try_from(scroll).unwrap_or(u16::MAX);
    f.render_widget(Paragraph::new(lines).block(block).scroll((scroll, 0)), area);
}
