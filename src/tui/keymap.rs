//! The keymap: one table of bindings, each with the action it triggers and the locale key of its
//! description. The same table feeds key dispatch, the footer hints and the `?` help screen, so
//! they cannot disagree. Duplicate bindings are a start-up error (tested).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a keypress on the main screens means.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    Quit,
    Help,
    NextPanel,
    PrevPanel,
    Panel(u8),
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Filter,
    Enter,
    Back,
    Group,
    Dispatch,
    Restock,
    Receive,
    StockTake,
    Report,
    Handover,
    Ack,
    Level,
    Price,
    DailyReport,
    Plan,
}

/// One binding: a key, its action, the locale key describing it, and whether the footer shows it.
pub struct Binding {
    pub code: KeyCode,
    pub mods: KeyModifiers,
    pub action: Action,
    pub desc: &'static str,
    pub hint: bool,
}

const fn b(code: KeyCode, action: Action, desc: &'static str, hint: bool) -> Binding {
    Binding { code, mods: KeyModifiers::NONE, action, desc, hint }
}

/// The console's bindings, in the order help lists them.
pub const CONSOLE: &[Binding] = &[
    b(KeyCode::Char('?'), Action::Help, "key.help", true),
    b(KeyCode::Tab, Action::NextPanel, "key.next_panel", false),
    b(KeyCode::BackTab, Action::PrevPanel, "key.prev_panel", false),
    b(KeyCode::Char('1'), Action::Panel(0), "key.panel1", false),
    b(KeyCode::Char('2'), Action::Panel(1), "key.panel2", false),
    b(KeyCode::Char('3'), Action::Panel(2), "key.panel3", false),
    b(KeyCode::Char('4'), Action::Panel(3), "key.panel4", false),
    b(KeyCode::Up, Action::Up, "key.up", false),
    b(KeyCode::Char('k'), Action::Up, "key.up", false),
    b(KeyCode::Down, Action::Down, "key.down", false),
    b(KeyCode::Char('j'), Action::Down, "key.down", false),
    b(KeyCode::PageUp, Action::PageUp, "key.page_up", false),
    b(KeyCode::PageDown, Action::PageDown, "key.page_down", false),
    b(KeyCode::Home, Action::Top, "key.top", false),
    b(KeyCode::End, Action::Bottom, "key.bottom", false),
    b(KeyCode::Char('/'), Action::Filter, "key.filter", true),
    b(KeyCode::Enter, Action::Enter, "key.enter", false),
    b(KeyCode::Esc, Action::Back, "key.back", false),
    b(KeyCode::Char('g'), Action::Group, "key.group", false),
    b(KeyCode::Char('d'), Action::Dispatch, "key.dispatch", true),
    b(KeyCode::Char('r'), Action::Restock, "key.restock", true),
    b(KeyCode::Char('c'), Action::Receive, "key.receive", true),
    b(KeyCode::Char('s'), Action::StockTake, "key.stocktake", true),
    b(KeyCode::Char('p'), Action::Report, "key.report", true),
    b(KeyCode::Char('h'), Action::Handover, "key.handover", true),
    b(KeyCode::Char('a'), Action::Ack, "key.ack", true),
    b(KeyCode::Char('L'), Action::Level, "key.level", false),
    b(KeyCode::Char('$'), Action::Price, "key.price", false),
    b(KeyCode::Char('R'), Action::DailyReport, "key.daily_report", true),
    b(KeyCode::Char('P'), Action::Plan, "key.plan", true),
    b(KeyCode::Char('q'), Action::Quit, "key.quit", true),
];

/// The delivery-point clerk's bindings: everything about the own point, nothing else.
pub const POINT: &[Binding] = &[
    b(KeyCode::Char('?'), Action::Help, "key.help", true),
    b(KeyCode::Up, Action::Up, "key.up", false),
    b(KeyCode::Char('k'), Action::Up, "key.up", false),
    b(KeyCode::Down, Action::Down, "key.down", false),
    b(KeyCode::Char('j'), Action::Down, "key.down", false),
    b(KeyCode::PageUp, Action::PageUp, "key.page_up", false),
    b(KeyCode::PageDown, Action::PageDown, "key.page_down", false),
    b(KeyCode::Char('/'), Action::Filter, "key.filter", true),
    b(KeyCode::Esc, Action::Back, "key.back", false),
    b(KeyCode::Char('d'), Action::Dispatch, "key.deliver", true),
    b(KeyCode::Char('r'), Action::Restock, "key.restock", true),
    b(KeyCode::Char('c'), Action::Receive, "key.receive", true),
    b(KeyCode::Char('s'), Action::StockTake, "key.stocktake", true),
    b(KeyCode::Char('p'), Action::Report, "key.report", true),
    b(KeyCode::Char('$'), Action::Price, "key.price", true),
    b(KeyCode::Char('q'), Action::Quit, "key.quit", true),
];

/// The wall display takes no input but quitting.
pub const WALL: &[Binding] = &[b(KeyCode::Char('q'), Action::Quit, "key.quit", true)];

/// The bindings of a face.
pub fn of(face: &crate::proto::FaceKind) -> &'static [Binding] {
    match face {
        crate::proto::FaceKind::Point { .. } => POINT,
        crate::proto::FaceKind::Wall => WALL,
        crate::proto::FaceKind::Console | crate::proto::FaceKind::Cli => CONSOLE,
    }
}

/// Keys inside a form (fixed; listed in help).
pub const FORM_KEYS: &[(&str, &str)] = &[
    ("Tab", "key.form_next"),
    ("Shift-Tab", "key.form_prev"),
    ("Enter", "key.form_submit"),
    ("Esc", "key.form_cancel"),
];

/// The action bound to a key, if any. Shift on a letter is part of the character.
pub fn lookup(map: &[Binding], key: &KeyEvent) -> Option<Action> {
    let mods = key.modifiers - KeyModifiers::SHIFT;
    map.iter().find(|b| b.code == key.code && b.mods == mods).map(|b| b.action)
}

/// The name of a key as help shows it.
pub fn key_name(code: KeyCode) -> String {
    match code {
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Tab => "Tab".into(),
        KeyCode::BackTab => "S-Tab".into(),
        KeyCode::Up => "Up".into(),
        KeyCode::Down => "Down".into(),
        KeyCode::PageUp => "PgUp".into(),
        KeyCode::PageDown => "PgDn".into(),
        KeyCode::Home => "Home".into(),
        KeyCode::End => "End".into(),
        KeyCode::Enter => "Enter".into(),
        KeyCode::Esc => "Esc".into(),
        other => format!("{other:?}"),
    }
}

/// Bindings that share a key (must be none).
pub fn duplicates(map: &[Binding]) -> Vec<String> {
    let mut seen = Vec::new();
    let mut dups = Vec::new();
    for b in map {
        let k = (b.code, b.mods);
        if seen.contains(&k) {
            dups.push(key_name(b.code));
        }
        seen.push(k);
    }
    dups
}
