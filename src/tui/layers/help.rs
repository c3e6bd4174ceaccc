//! The `?` help layer: the keys of the layer it was opened in, written from the keymap table.
//! Pure drawing from the model; must not import the loop (`tui::mod`), `cli`, `link` or the store.

use crate::i18n::{t, try_t};
use crate::tui::keymap::{self, Layer};
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

/// The keys of `layer` (the one `?` was pressed in), from its keymap table, then the keys bound
/// everywhere, then the layer's note if it has one (how drafts work, for forms).
pub fn render(m: &Model, layer: Layer, theme: Theme, f: &mut Frame) {
    let lang = m.lang;
    let mut lines: Vec<Line> = Vec::new();
    let mut last_desc = "";
    let mut keys: Vec<String> = Vec::new();
    let flush = |keys: &mut Vec<String>, desc: &str, lines: &mut Vec<Line>| {
        if !keys.is_empty() {
            let names = keys.join(" ");
            // Keys too many for their column get a line of their own.
            if crate::text::width(&names) >= KEY_W {
                lines.push(Line::styled(names, theme.key()));
                lines.push(Line::raw(format!("{}{}", " ".repeat(KEY_W), t(lang, desc))));
            } else {
                lines.push(Line::from(vec![
                    Span::styled(crate::text::pad(&names, KEY_W), theme.key()),
                    Span::raw(t(lang, desc).to_string()),
                ]));
            }
            keys.clear();
        }
    };
    for b in keymap::layer(&m.face, layer).iter().chain(keymap::GLOBAL) {
        if b.desc != last_desc {
            flush(&mut keys, last_desc, &mut lines);
            last_desc = b.desc;
        }
        // Any printable character is a word, not a key: named in the user's language.
        keys.push(if b.code == keymap::TEXT { t(lang, "key.name_text").to_string() } else { keymap::name(b) });
    }
    flush(&mut keys, last_desc, &mut lines);
    // The point face's main keys have a note of their own (its boxes in Tab order).
    let note_code = match (&m.face, layer) {
        (crate::proto::FaceKind::Point { .. }, Layer::Main) => "point",
        _ => layer_code(layer),
    };
    if let Some(note) = try_t(lang, &format!("help.note.{note_code}")) {
        lines.push(Line::raw(""));
        lines.extend(note.lines().map(|l| Line::styled(l.to_string(), theme.dim())));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.focused_border())
        .title(Span::styled(format!(" {} ", t(lang, &format!("help.title.{}", layer_code(layer)))), theme.title()));
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

/// The name of a layer in locale keys.
pub fn layer_code(layer: Layer) -> &'static str {
    match layer {
        Layer::Main => "main",
        Layer::Filter => "filter",
        Layer::Form => "form",
        Layer::Plan => "plan",
        Layer::Report => "report",
        Layer::Help => "help",
        Layer::Confirm => "confirm",
        Layer::Schedule => "schedule",
        Layer::Hotline => "hotline",
        Layer::Households => "households",
        Layer::Vehicles => "vehicles",
        Layer::Contacts => "contacts",
        Layer::Level => "level",
    }
}
