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
        spans.push(Span::styled(format!("/{}  ", m.typed_filter()), theme.key()));
    }
    let room = (area.width as usize).saturating_sub(spans.iter().map(|s| s.width()).sum());
    spans.extend(hints(m, theme, room));
    f.render_widget(Paragraph::new(Line::from(spans)).style(Style::default()), area);
}

/// The actions the footer drops first when even the short words do not fit: least used first.
/// Help and quit are never dropped.
const DROP_FIRST: &[Action] = &[
    Action::Contacts,
    Action::Vehicles,
    Action::Schedule,
    // The screens of issue 15 are in help; on a small footer the daily keys stay.
    Action::Households,
    Action::Hotline,
    Action::Filter,
    // The point face's Tab through its boxes: in help when the footer is short.
    Action::NextPanel,
    Action::Refuse,
    Action::Approve,
    Action::DailyReport,
    Action::Price,
    Action::Handover,
    Action::Plan,
    Action::Report,
    Action::StockTake,
    Action::Receive,
    Action::Ack,
    Action::Restock,
    Action::Tally,
    Action::Sign,
    Action::Dispatch,
    // The hotline screen lists its keys under the table: close and reopen go first.
    Action::Reopen,
    Action::CloseCase,
    Action::Up,
];

/// On the Requests panel its own keys (approve, refuse, dispatch) are the last to go, and the
/// alert and stock keys the first.
const DROP_FIRST_REQUESTS: &[Action] = &[
    Action::Contacts,
    Action::Vehicles,
    Action::Households,
    Action::Hotline,
    Action::Filter,
    // The point face's Tab through its boxes: in help when the footer is short.
    Action::NextPanel,
    Action::Ack,
    Action::DailyReport,
    Action::Price,
    Action::Handover,
    Action::Plan,
    Action::Report,
    Action::StockTake,
    Action::Receive,
    Action::Restock,
    Action::Tally,
    Action::Sign,
    Action::Refuse,
    Action::Approve,
    Action::Dispatch,
];

/// The hinted bindings of the active layer, those sharing a description under one entry
/// ("Up/Down choose"). Too wide for `room`: the short words where the locale has them, and
/// then the least used hints dropped (`DROP_FIRST`) until the rest fits; every hint shown keeps
/// a word. O(hints²), a few dozen.
pub fn hints(m: &Model, theme: Theme, room: usize) -> Vec<Span<'static>> {
    let mut groups: Vec<(String, &Binding)> = Vec::new();
    for b in keymap::layer(&m.face, m.layer()).iter().filter(|b| b.hint) {
        match groups.iter_mut().find(|(_, g)| g.desc == b.desc) {
            Some((keys, _)) => *keys = format!("{keys}/{}", keymap::name(b)),
            None => groups.push((keymap::name(b), b)),
        }
    }
    let width = |g: &[(String, &str, Action)]| -> usize {
        g.iter().map(|(k, d, _)| crate::text::width(k) + crate::text::width(d) + 3).sum()
    };
    let full: Vec<(String, &str, Action)> =
        groups.iter().map(|(k, b)| (k.clone(), t(m.lang, b.desc), b.action)).collect();
    let mut shown = if width(&full) <= room {
        full
    } else {
        let short = |b: &Binding| try_t(m.lang, &format!("{}.short", b.desc)).unwrap_or_else(|| t(m.lang, b.desc));
        groups.iter().map(|(k, b)| (k.clone(), short(b), b.action)).collect()
    };
    let order = if m.panel == crate::tui::model::Panel::Requests { DROP_FIRST_REQUESTS } else { DROP_FIRST };
    for drop in order {
        if width(&shown) <= room {
            break;
        }
        shown.retain(|(_, _, a)| a != drop);
    }
    let mut spans = Vec::new();
    for (keys, desc, _) in shown {
        spans.push(Span::styled(format!("{keys} "), theme.key()));
        spans.push(Span::raw(format!("{desc}  ")));
    }
    spans
}
