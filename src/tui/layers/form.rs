//! The form popup: one line per field (label, input, error; in Chinese a choice made as its
//! label), the completions of the focused field below it (in Chinese a choice's as labels), and the real terminal cursor at the caret so input methods follow it.
//! Pure drawing from the model; must not import the loop (`tui::mod`), `cli`, `link` or the store.

use crate::domain::{Lang, Qty};
use crate::i18n::t;
use crate::tui::form::{error_text, Field, FieldKind, Form, FormKind};
use crate::tui::model::Model;
use crate::tui::theme::Theme;
use crate::tui::widgets::{centered, clear};
use ratatui::layout::Position;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

const LABEL_W: usize = 12;

pub fn render(m: &Model, form: &Form, theme: Theme, f: &mut Frame) {
    let lang = m.lang;
    let cands = form.candidates(&m.state, lang);
    let highlight = form.highlighted(&cands);
    let errors = form.fields.iter().filter(|f| f.error.is_some()).count() as u16;
    let h = (form.fields.len() as u16) + cands.len() as u16 + errors + 5;
    let w = (f.area().width.saturating_sub(4)).min(76);
    let area = centered(f.area(), w, h);
    clear(f, area);
    let title = format!(" {} ", t(lang, form.kind.title_key()));
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.focused_border())
        .title(Span::styled(title, theme.title()));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let input_w = (inner.width as usize).saturating_sub(LABEL_W + 2).max(4);
    let mut lines: Vec<Line> = Vec::new();
    let mut cursor: Option<Position> = None;
    for (i, field) in form.fields.iter().enumerate() {
        let focused = i == form.focus;
        let label = crate::text::pad_left(t(lang, &label_key(form.kind, field.name)), LABEL_W);
        let req = if field.required { "*" } else { " " };
        let value = field.input.value();
        let scroll = field.input.visual_scroll(input_w.saturating_sub(1));
        // A choice made is shown as the user reads it (否, 供货商), not as its code.
        let shown = match choice_label(field, lang) {
            Some(label) => visible(&label, 0, input_w),
            None => visible(value, scroll, input_w),
        };
        let value_style = if field.prefilled {
            theme.selected()
        } else if focused {
            theme.key()
        } else {
            theme.base()
        };
        let mut spans = vec![
            Span::styled(label, if focused { theme.title() } else { theme.dim() }),
            Span::raw(req),
            Span::raw(" "),
            Span::styled(shown.clone(), value_style),
        ];
        // An error that does not fit beside the value goes on the line below it.
        let mut below = None;
        if let Some(e) = &field.error {
            let text = crate::text::scrub(&error_text(e, lang));
            let room = (inner.width as usize).saturating_sub(LABEL_W + 2 + crate::text::width(&shown) + 2);
            if crate::text::width(&text) <= room {
                spans.push(Span::styled(format!("  {text}"), theme.error()));
            } else {
                below = Some(text);
            }
        }
        if focused {
            let caret = match choice_label(field, lang) {
                Some(_) => crate::text::width(&shown),
                None => field.input.visual_cursor().saturating_sub(scroll),
            };
            let x = inner.x + (LABEL_W + 2) as u16 + caret as u16;
            cursor =
                Some(Position { x: x.min(inner.x + inner.width.saturating_sub(1)), y: inner.y + lines.len() as u16 });
        }
        lines.push(Line::from(spans));
        if let Some(text) = below {
            lines.push(Line::from(vec![Span::raw(" ".repeat(LABEL_W + 2)), Span::styled(text, theme.error())]));
        }
        if focused && !cands.is_empty() {
            let choice = lang == Lang::Zh && matches!(field.kind, FieldKind::Choice(_));
            for (k, c) in cands.iter().enumerate() {
                let style = if Some(k) == highlight { theme.selected() } else { theme.dim() };
                // In Chinese a choice's code is an English word: its label alone (typing it matches).
                let text = if choice { crate::text::scrub(&c.label) } else { candidate_text(&c.code, &c.label) };
                lines.push(Line::from(vec![Span::raw(" ".repeat(LABEL_W + 2)), Span::styled(text, style)]));
            }
        }
    }
    lines.push(match form.count_difference(&m.state) {
        Some((held, diff, unit)) => difference_line(lang, held, diff, unit, theme),
        None => Line::raw(""),
    });
    lines.push(status_line(form, lang, theme));
    f.render_widget(Paragraph::new(lines), inner);
    // The caret only while the form is the layer on top (help or a question may cover it).
    if let Some(c) = cursor.filter(|_| m.layer() == crate::tui::keymap::Layer::Form) {
        f.set_cursor_position(c);
    }
}

/// A stock-take's difference, shown before it is saved: "held 100 box, difference -3 box".
fn difference_line(lang: Lang, held: Qty, diff: Qty, unit: &str, theme: Theme) -> Line<'static> {
    let unit = crate::i18n::unit(lang, unit);
    let sign = if diff.0 > 0 { "+" } else { "" };
    let text = format!(
        "{}{} {held} {unit}, {} {sign}{diff} {unit}",
        " ".repeat(LABEL_W + 2),
        t(lang, "form.count_held"),
        t(lang, "form.count_difference")
    );
    Line::styled(text, theme.title())
}

/// In Chinese, the label of a choice field's value when it is one of its options (`no` is 否);
/// in English the code is the word itself, shown as typed.
fn choice_label(field: &Field, lang: Lang) -> Option<String> {
    match field.kind {
        FieldKind::Choice(opts) if lang == Lang::Zh && opts.contains(&field.input.value()) => {
            Some(crate::i18n::choice(lang, field.input.value()))
        }
        _ => None,
    }
}

/// A completion as listed: its code and its label, or the code alone when they are one word
/// ("counted", not "counted counted").
fn candidate_text(code: &str, label: &str) -> String {
    if label == code || label.is_empty() {
        code.to_string()
    } else {
        format!("{code} {}", crate::text::scrub(label))
    }
}

/// The locale key of a field's label: the handover's `to` names a person, not a destination.
pub fn label_key(kind: FormKind, field: &str) -> String {
    match (kind, field) {
        (FormKind::Handover, "to") => "field.to_person".to_string(),
        (FormKind::Tally, "zero") => "field.zero_tally".to_string(),
        _ => format!("field.{field}"),
    }
}

/// The part of `value` a field of `input_w` cells shows, scrolled by `scroll` cells; control
/// characters as '?'.
fn visible(value: &str, scroll: usize, input_w: usize) -> String {
    let mut w = 0usize;
    let mut out = String::new();
    let mut skipped = 0usize;
    for c in value.chars() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if skipped < scroll {
            skipped += cw;
            continue;
        }
        if w + cw > input_w {
            break;
        }
        out.push(if c.is_control() { '?' } else { c });
        w += cw;
    }
    out
}

/// The line under the fields: the form's error, "saving", a draft marker, or the hint.
fn status_line(form: &Form, lang: crate::domain::Lang, theme: Theme) -> Line<'static> {
    if let Some(e) = &form.error {
        Line::styled(crate::text::scrub(e), theme.error())
    } else if form.pending {
        Line::styled(t(lang, "form.saving"), theme.dim())
    } else if let Some(marker) = form.marker {
        Line::styled(t(lang, marker), theme.title())
    } else {
        Line::styled(t(lang, "form.hint"), theme.dim())
    }
}
