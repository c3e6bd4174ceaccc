//! The keymap: one table of bindings per layer (main, filter, form, plan, report, help,
//! confirm, schedule, hotline, households, vehicles, contacts, level), each with the action it triggers and the locale key of its description. The same
//! tables feed key dispatch, the footer hints and the `?` help of every layer, so they cannot
//! disagree; this is the only module that looks at raw key codes. Duplicate bindings are a
//! start-up error (tested). Imports nothing from the rest of `tui` but the face kind.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// The layers of the face, bottom (main) to top; each has its own bindings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Layer {
    Main,
    Filter,
    Form,
    Plan,
    Report,
    Help,
    Confirm,
    Schedule,
    /// The hotline screen (`K`): cases by due time.
    Hotline,
    /// The households screen (`H`): named deliveries due.
    Households,
    /// The vehicles screen (`V`): passes ended or ending first.
    Vehicles,
    /// The contacts on duty (`o`): who to call now, with their mobiles.
    Contacts,
    /// The response levels (`L`): what each means, the one in force marked; Enter asks to set one.
    Level,
}

/// What a keypress means in the layer it is pressed in.
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
    /// The alert feed: grouped by kind and zone, or every alert.
    RegroupAlerts,
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
    /// Close the layer on top (Esc in a form keeps what was typed as a draft).
    Close,
    /// Filter: keep the filter typed and go back to the panel.
    Keep,
    /// Form: the next field, accepting the highlighted completion.
    NextField,
    PrevField,
    /// Form: log the action.
    Submit,
    /// Form: empty the focused field.
    ClearField,
    /// Filter, form: a printable character typed.
    Type,
    /// Filter, form: an editing key (Backspace, Delete, Left, Right, Home, End).
    Edit,
    /// Plan: scroll the requests to the level above.
    ScrollUp,
    ScrollDown,
    /// Report: the previous and next day.
    PrevDay,
    NextDay,
    Yes,
    No,
    /// Withdraw the acknowledgement of the selected alert.
    Unack,
    /// Requests: approve the selected request (quantity and reason), or refuse it.
    Approve,
    Refuse,
    /// Point face: a village's tally.
    Tally,
    /// Point face: a delivery signed for at the village checkpoint.
    Sign,
    /// The delivery schedule by zone and slot, today and tomorrow.
    Schedule,
    /// Console: the hotline screen and the households screen.
    Hotline,
    Households,
    /// Hotline screen: a call taken, the selected case assigned, resolved, closed, reopened.
    NewCase,
    Assign,
    Resolve,
    CloseCase,
    Reopen,
    /// Hotline and households screens: the request form filled in from the selection.
    MakeRequest,
    /// The vehicles screen, and on it the renew-pass form for the selected vehicle.
    Vehicles,
    RenewPass,
    /// Console: the contacts on duty (duty officer, leader, next shift, zone leads, the
    /// selected point's manager) with their mobiles.
    Contacts,
    /// The response levels screen: the level of this number (0 routine to 4).
    Pick(u8),
}

/// One binding: a key, its action, the locale key describing it, and whether the footer shows it.
pub struct Binding {
    pub code: KeyCode,
    pub mods: KeyModifiers,
    pub action: Action,
    pub desc: &'static str,
    pub hint: bool,
}

/// A binding without modifiers (Shift on a letter is part of the character).
pub const fn b(code: KeyCode, action: Action, desc: &'static str, hint: bool) -> Binding {
    Binding { code, mods: KeyModifiers::NONE, action, desc, hint }
}

const fn ctrl(c: char, action: Action, desc: &'static str, hint: bool) -> Binding {
    Binding { code: KeyCode::Char(c), mods: KeyModifiers::CONTROL, action, desc, hint }
}

/// Stands for any printable character no other binding of the layer takes.
pub const TEXT: KeyCode = KeyCode::Null;

/// Builds a binding table with the scroll bindings every list layer shares spliced in where the
/// table names them: `scroll(up_desc, down_desc, hint)` is Up/`k` and Down/`j` (the arrows shown
/// in the footer when `hint`), `page` is PageUp/PageDown, `ends` is Home/End. Every list layer
/// takes its scroll keys from here, so they cannot drift apart; other entries pass through.
macro_rules! bindings {
    (@acc [$($acc:expr,)*]) => { &[$($acc,)*] };
    (@acc [$($acc:expr,)*] scroll($up:literal, $down:literal, $hint:literal), $($rest:tt)*) => {
        bindings!(@acc [$($acc,)*
            b(KeyCode::Up, Action::Up, $up, $hint),
            b(KeyCode::Char('k'), Action::Up, $up, false),
            b(KeyCode::Down, Action::Down, $down, $hint),
            b(KeyCode::Char('j'), Action::Down, $down, false),
        ] $($rest)*)
    };
    (@acc [$($acc:expr,)*] page, $($rest:tt)*) => {
        bindings!(@acc [$($acc,)*
            b(KeyCode::PageUp, Action::PageUp, "key.page_up", false),
            b(KeyCode::PageDown, Action::PageDown, "key.page_down", false),
        ] $($rest)*)
    };
    (@acc [$($acc:expr,)*] ends, $($rest:tt)*) => {
        bindings!(@acc [$($acc,)*
            b(KeyCode::Home, Action::Top, "key.top", false),
            b(KeyCode::End, Action::Bottom, "key.bottom", false),
        ] $($rest)*)
    };
    (@acc [$($acc:expr,)*] $e:expr, $($rest:tt)*) => { bindings!(@acc [$($acc,)* $e,] $($rest)*) };
    ($($rest:tt)*) => { bindings!(@acc [] $($rest)*) };
}

/// The console's bindings, in the order help lists them.
pub const CONSOLE: &[Binding] = bindings![
    b(KeyCode::Char('?'), Action::Help, "key.help", true),
    b(KeyCode::Tab, Action::NextPanel, "key.next_panel", false),
    b(KeyCode::BackTab, Action::PrevPanel, "key.prev_panel", false),
    b(KeyCode::Char('1'), Action::Panel(0), "key.panel1", false),
    b(KeyCode::Char('2'), Action::Panel(1), "key.panel2", false),
    b(KeyCode::Char('3'), Action::Panel(2), "key.panel3", false),
    b(KeyCode::Char('4'), Action::Panel(3), "key.panel4", false),
    b(KeyCode::Char('5'), Action::Panel(4), "key.panel5", false),
    scroll("key.up", "key.down", false),
    page,
    ends,
    b(KeyCode::Char('/'), Action::Filter, "key.filter", true),
    b(KeyCode::Enter, Action::Enter, "key.enter", false),
    b(KeyCode::Esc, Action::Back, "key.back", false),
    b(KeyCode::Char('g'), Action::Group, "key.group", false),
    b(KeyCode::Char('G'), Action::RegroupAlerts, "key.regroup_alerts", false),
    b(KeyCode::Char('d'), Action::Dispatch, "key.dispatch", true),
    b(KeyCode::Char('r'), Action::Restock, "key.restock", true),
    b(KeyCode::Char('c'), Action::Receive, "key.receive", true),
    b(KeyCode::Char('s'), Action::StockTake, "key.stocktake", true),
    b(KeyCode::Char('p'), Action::Report, "key.report", true),
    b(KeyCode::Char('h'), Action::Handover, "key.handover", true),
    b(KeyCode::Char('a'), Action::Ack, "key.ack", true),
    b(KeyCode::Char('u'), Action::Unack, "key.unack", false),
    b(KeyCode::Char('v'), Action::Approve, "key.approve", true),
    b(KeyCode::Char('x'), Action::Refuse, "key.refuse", true),
    b(KeyCode::Char('L'), Action::Level, "key.level", false),
    b(KeyCode::Char('$'), Action::Price, "key.price", false),
    b(KeyCode::Char('R'), Action::DailyReport, "key.daily_report", true),
    b(KeyCode::Char('P'), Action::Plan, "key.plan", true),
    b(KeyCode::Char('S'), Action::Schedule, "key.schedule", true),
    b(KeyCode::Char('K'), Action::Hotline, "key.hotline", true),
    b(KeyCode::Char('H'), Action::Households, "key.households", true),
    b(KeyCode::Char('V'), Action::Vehicles, "key.vehicles", true),
    b(KeyCode::Char('o'), Action::Contacts, "key.contacts", true),
    b(KeyCode::Char('q'), Action::Quit, "key.quit", true),
];

/// The delivery-point clerk's bindings: everything about the own point, nothing else.
pub const POINT: &[Binding] = bindings![
    b(KeyCode::Char('?'), Action::Help, "key.help", true),
    b(KeyCode::Tab, Action::NextPanel, "key.point_panel", true),
    b(KeyCode::BackTab, Action::PrevPanel, "key.point_panel", true),
    scroll("key.up", "key.down", false),
    page,
    ends,
    b(KeyCode::Char('/'), Action::Filter, "key.filter", true),
    b(KeyCode::Esc, Action::Back, "key.back", false),
    b(KeyCode::Enter, Action::Enter, "key.point_enter", false),
    b(KeyCode::Char('t'), Action::Tally, "key.tally", true),
    b(KeyCode::Char('g'), Action::Sign, "key.sign", true),
    b(KeyCode::Char('d'), Action::Dispatch, "key.deliver", true),
    b(KeyCode::Char('r'), Action::Restock, "key.restock", true),
    b(KeyCode::Char('c'), Action::Receive, "key.receive", true),
    b(KeyCode::Char('s'), Action::StockTake, "key.stocktake", true),
    b(KeyCode::Char('p'), Action::Report, "key.report", true),
    b(KeyCode::Char('$'), Action::Price, "key.price", true),
    b(KeyCode::Char('v'), Action::Approve, "key.approve", false),
    b(KeyCode::Char('x'), Action::Refuse, "key.refuse", false),
    b(KeyCode::Char('S'), Action::Schedule, "key.schedule", false),
    b(KeyCode::Char('V'), Action::Vehicles, "key.vehicles", false),
    b(KeyCode::Char('q'), Action::Quit, "key.quit", true),
];

/// The wall display takes no input but quitting.
pub const WALL: &[Binding] = &[b(KeyCode::Char('q'), Action::Quit, "key.quit", true)];

/// The county console (`baogong county`): a town up or down, the next panel when they do not
/// all fit, the county plan (`P`, as in the town console), quit; its wall takes `WALL`.
pub const COUNTY: &[Binding] = bindings![
    scroll("key.county_town", "key.county_town", true),
    b(KeyCode::Tab, Action::NextPanel, "key.next_panel", true),
    b(KeyCode::Char('P'), Action::Plan, "key.county_plan", true),
    b(KeyCode::Char('q'), Action::Quit, "key.quit", true),
];

/// The county plan screen: scroll the transfers, close.
pub const COUNTY_PLAN: &[Binding] = bindings![
    scroll("key.scroll", "key.scroll", true),
    b(KeyCode::Esc, Action::Close, "key.close", true),
    b(KeyCode::Char('P'), Action::Close, "key.close", false),
    b(KeyCode::Char('q'), Action::Close, "key.close", false),
];

/// The bindings of a face.
pub fn of(face: &crate::proto::FaceKind) -> &'static [Binding] {
    match face {
        crate::proto::FaceKind::Point { .. } => POINT,
        crate::proto::FaceKind::Wall => WALL,
        crate::proto::FaceKind::Console | crate::proto::FaceKind::Cli => CONSOLE,
    }
}

/// Typing a filter: the text itself, keep it, or clear it.
pub const FILTER: &[Binding] = &[
    b(KeyCode::Char('?'), Action::Help, "key.help", true),
    b(KeyCode::Enter, Action::Keep, "key.filter_keep", true),
    b(KeyCode::Esc, Action::Close, "key.filter_clear", true),
    b(KeyCode::Backspace, Action::Edit, "key.edit", false),
    b(TEXT, Action::Type, "key.filter_type", false),
];

/// Inside a form.
pub const FORM: &[Binding] = &[
    b(KeyCode::Tab, Action::NextField, "key.form_next", true),
    b(KeyCode::BackTab, Action::PrevField, "key.form_prev", true),
    b(KeyCode::Enter, Action::Submit, "key.form_submit", true),
    b(KeyCode::Esc, Action::Close, "key.form_close", true),
    ctrl('u', Action::ClearField, "key.form_clear", true),
    b(KeyCode::Char('?'), Action::Help, "key.help", true),
    b(KeyCode::Up, Action::Up, "key.form_pick", false),
    b(KeyCode::Down, Action::Down, "key.form_pick", false),
    b(KeyCode::Backspace, Action::Edit, "key.edit", false),
    b(KeyCode::Delete, Action::Edit, "key.edit", false),
    b(KeyCode::Left, Action::Edit, "key.edit", false),
    b(KeyCode::Right, Action::Edit, "key.edit", false),
    b(KeyCode::Home, Action::Edit, "key.edit", false),
    b(KeyCode::End, Action::Edit, "key.edit", false),
    ctrl('a', Action::Edit, "key.edit", false),
    ctrl('e', Action::Edit, "key.edit", false),
    ctrl('w', Action::Edit, "key.edit", false),
    ctrl('k', Action::Edit, "key.edit", false),
    b(TEXT, Action::Type, "key.form_type", false),
];

/// The replenishment plan screen.
pub const PLAN: &[Binding] = bindings![
    b(KeyCode::Char('?'), Action::Help, "key.help", true),
    scroll("key.plan_choose", "key.plan_choose", true),
    page,
    ends,
    b(KeyCode::Enter, Action::Enter, "key.plan_accept", true),
    b(KeyCode::Char('d'), Action::Enter, "key.plan_accept", false),
    b(KeyCode::Char('l'), Action::Level, "key.plan_level", true),
    b(KeyCode::Char('L'), Action::Level, "key.plan_level", false),
    b(KeyCode::Char('['), Action::ScrollUp, "key.plan_scroll", true),
    b(KeyCode::Char(']'), Action::ScrollDown, "key.plan_scroll", true),
    b(KeyCode::Esc, Action::Close, "key.close", true),
    b(KeyCode::Char('q'), Action::Close, "key.close", false),
    b(KeyCode::Char('P'), Action::Close, "key.close", false),
];

/// The daily report screen.
pub const REPORT: &[Binding] = bindings![
    b(KeyCode::Char('?'), Action::Help, "key.help", true),
    scroll("key.scroll", "key.scroll", true),
    page,
    b(KeyCode::Char('['), Action::PrevDay, "key.prev_day", true),
    b(KeyCode::Left, Action::PrevDay, "key.prev_day", false),
    b(KeyCode::Char(']'), Action::NextDay, "key.next_day", true),
    b(KeyCode::Right, Action::NextDay, "key.next_day", false),
    b(KeyCode::Esc, Action::Close, "key.close", true),
    b(KeyCode::Char('q'), Action::Close, "key.close", false),
    b(KeyCode::Char('R'), Action::Close, "key.close", false),
];

/// The delivery schedule screen.
pub const SCHEDULE: &[Binding] = bindings![
    b(KeyCode::Char('?'), Action::Help, "key.help", true),
    scroll("key.scroll", "key.scroll", true),
    page,
    b(KeyCode::Home, Action::Top, "key.top", false),
    b(KeyCode::Char('['), Action::PrevDay, "key.prev_day", true),
    b(KeyCode::Left, Action::PrevDay, "key.prev_day", false),
    b(KeyCode::Char(']'), Action::NextDay, "key.next_day", true),
    b(KeyCode::Right, Action::NextDay, "key.next_day", false),
    b(KeyCode::Esc, Action::Close, "key.close", true),
    b(KeyCode::Char('q'), Action::Close, "key.close", false),
    b(KeyCode::Char('S'), Action::Close, "key.close", false),
];

/// The hotline screen: cases by due time and what is done with the selected one.
pub const HOTLINE: &[Binding] = bindings![
    b(KeyCode::Char('?'), Action::Help, "key.help", true),
    scroll("key.plan_choose", "key.plan_choose", true),
    page,
    ends,
    b(KeyCode::Char('n'), Action::NewCase, "key.new_case", true),
    b(KeyCode::Char('a'), Action::Assign, "key.assign", true),
    b(KeyCode::Char('r'), Action::Resolve, "key.resolve", true),
    b(KeyCode::Enter, Action::MakeRequest, "key.case_request", true),
    b(KeyCode::Char('m'), Action::MakeRequest, "key.case_request", false),
    b(KeyCode::Char('c'), Action::CloseCase, "key.close_case", true),
    b(KeyCode::Char('o'), Action::Reopen, "key.reopen", true),
    b(KeyCode::Char('/'), Action::Filter, "key.filter", false),
    b(KeyCode::Esc, Action::Close, "key.close", true),
    b(KeyCode::Char('q'), Action::Close, "key.close", false),
    b(KeyCode::Char('K'), Action::Close, "key.close", false),
];

/// The households screen: named deliveries due, and a request for the selected one.
pub const HOUSEHOLDS: &[Binding] = bindings![
    b(KeyCode::Char('?'), Action::Help, "key.help", true),
    scroll("key.plan_choose", "key.plan_choose", true),
    page,
    ends,
    b(KeyCode::Enter, Action::MakeRequest, "key.household_request", true),
    b(KeyCode::Char('m'), Action::MakeRequest, "key.household_request", false),
    b(KeyCode::Char('/'), Action::Filter, "key.filter", true),
    b(KeyCode::Esc, Action::Close, "key.close", true),
    b(KeyCode::Char('q'), Action::Close, "key.close", false),
    b(KeyCode::Char('H'), Action::Close, "key.close", false),
];

/// The vehicles screen: move, filter, renew the selected vehicle's pass, close.
pub const VEHICLES: &[Binding] = bindings![
    b(KeyCode::Char('?'), Action::Help, "key.help", true),
    scroll("key.plan_choose", "key.plan_choose", true),
    page,
    ends,
    b(KeyCode::Char('r'), Action::RenewPass, "key.renew_pass", true),
    b(KeyCode::Enter, Action::RenewPass, "key.renew_pass", false),
    b(KeyCode::Char('/'), Action::Filter, "key.filter", true),
    b(KeyCode::Esc, Action::Close, "key.close", true),
    b(KeyCode::Char('q'), Action::Close, "key.close", false),
    b(KeyCode::Char('V'), Action::Close, "key.close", false),
];

/// The point face's vehicles screen: its own vehicles, read only (passes are the office's).
pub const VEHICLES_POINT: &[Binding] = bindings![
    b(KeyCode::Char('?'), Action::Help, "key.help", true),
    scroll("key.plan_choose", "key.plan_choose", true),
    page,
    ends,
    b(KeyCode::Char('/'), Action::Filter, "key.filter", true),
    b(KeyCode::Esc, Action::Close, "key.close", true),
    b(KeyCode::Char('q'), Action::Close, "key.close", false),
    b(KeyCode::Char('V'), Action::Close, "key.close", false),
];

/// The contacts on duty: move through them (the window scrolls when they do not fit), close.
pub const CONTACTS: &[Binding] = bindings![
    b(KeyCode::Char('?'), Action::Help, "key.help", true),
    scroll("key.scroll", "key.scroll", true),
    page,
    ends,
    b(KeyCode::Esc, Action::Close, "key.close", true),
    b(KeyCode::Char('o'), Action::Close, "key.close", false),
    b(KeyCode::Char('q'), Action::Close, "key.close", false),
];

/// The response levels: choose one (arrows, `j`/`k` or its number), Enter asks to set it, close.
pub const LEVEL: &[Binding] = bindings![
    b(KeyCode::Char('?'), Action::Help, "key.help", true),
    scroll("key.level_choose", "key.level_choose", true),
    ends,
    b(KeyCode::Char('0'), Action::Pick(0), "key.level_number", true),
    b(KeyCode::Char('1'), Action::Pick(1), "key.level_number", true),
    b(KeyCode::Char('2'), Action::Pick(2), "key.level_number", true),
    b(KeyCode::Char('3'), Action::Pick(3), "key.level_number", true),
    b(KeyCode::Char('4'), Action::Pick(4), "key.level_number", true),
    b(KeyCode::Enter, Action::Enter, "key.level_set", true),
    b(KeyCode::Esc, Action::Close, "key.close", true),
    b(KeyCode::Char('L'), Action::Close, "key.close", false),
    b(KeyCode::Char('q'), Action::Close, "key.close", false),
];

/// The help screen itself.
pub const HELP: &[Binding] = &[
    b(KeyCode::Esc, Action::Close, "key.close", true),
    b(KeyCode::Char('q'), Action::Close, "key.close", false),
    b(KeyCode::Char('?'), Action::Close, "key.close", false),
];

/// A question (quit with drafts, set the response level): y does it, n or Esc goes back.
pub const CONFIRM: &[Binding] = &[
    b(KeyCode::Char('?'), Action::Help, "key.help", true),
    b(KeyCode::Char('y'), Action::Yes, "key.yes", true),
    b(KeyCode::Char('Y'), Action::Yes, "key.yes", false),
    b(KeyCode::Char('n'), Action::No, "key.no", true),
    b(KeyCode::Char('N'), Action::No, "key.no", false),
    b(KeyCode::Esc, Action::No, "key.no", false),
];

/// Bound in every layer, after the layer's own bindings.
pub const GLOBAL: &[Binding] = &[ctrl('c', Action::Quit, "key.quit", false)];

/// The bindings of a layer in a face.
pub fn layer(face: &crate::proto::FaceKind, layer: Layer) -> &'static [Binding] {
    match layer {
        Layer::Main => of(face),
        Layer::Filter => FILTER,
        Layer::Form => FORM,
        Layer::Plan => PLAN,
        Layer::Report => REPORT,
        Layer::Help => HELP,
        Layer::Confirm => CONFIRM,
        Layer::Schedule => SCHEDULE,
        Layer::Hotline => HOTLINE,
        Layer::Households => HOUSEHOLDS,
        Layer::Vehicles => match face {
            crate::proto::FaceKind::Point { .. } => VEHICLES_POINT,
            _ => VEHICLES,
        },
        Layer::Contacts => CONTACTS,
        Layer::Level => LEVEL,
    }
}

/// The binding a key has in `map` (then in `GLOBAL`), if any. Shift on a letter is part of the
/// character; a printable character no binding names falls to the layer's `TEXT` binding.
pub fn binding<'a>(map: &'a [Binding], key: &KeyEvent) -> Option<&'a Binding> {
    let mods = key.modifiers - KeyModifiers::SHIFT;
    let exact = |m: &'a [Binding]| m.iter().find(|b| b.code == key.code && b.mods == mods);
    let text = matches!(key.code, KeyCode::Char(_)) && !mods.contains(KeyModifiers::CONTROL);
    exact(map)
        .or_else(|| exact(GLOBAL))
        .or_else(|| map.iter().find(|b| text && b.code == TEXT && b.mods == KeyModifiers::NONE))
}

/// The action bound to a key, if any.
pub fn lookup(map: &[Binding], key: &KeyEvent) -> Option<Action> {
    binding(map, key).map(|b| b.action)
}

/// The character a `TEXT` key types.
pub fn typed_char(key: &KeyEvent) -> Option<char> {
    match key.code {
        KeyCode::Char(c) => Some(c),
        _ => None,
    }
}

/// A key as the footer names it when it has no binding ("x", "Ctrl-x", "F5").
pub fn event_name(key: &KeyEvent) -> String {
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return format!("Ctrl-{}", key_name(key.code).to_uppercase());
    }
    key_name(key.code)
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
        KeyCode::Backspace => "BS".into(),
        KeyCode::Delete => "Del".into(),
        KeyCode::Left => "Left".into(),
        KeyCode::Right => "Right".into(),
        KeyCode::F(n) => format!("F{n}"),
        TEXT => "abc".into(),
        other => format!("{other:?}"),
    }
}

/// The name of a binding's key ("Tab", "Ctrl-u").
pub fn name(b: &Binding) -> String {
    if b.mods.contains(KeyModifiers::CONTROL) {
        format!("Ctrl-{}", key_name(b.code).to_uppercase())
    } else {
        key_name(b.code)
    }
}

/// Bindings that share a key (must be none).
pub fn duplicates(map: &[Binding]) -> Vec<String> {
    let mut seen = Vec::new();
    let mut dups = Vec::new();
    for b in map {
        let k = (b.code, b.mods);
        if seen.contains(&k) {
            dups.push(name(b));
        }
        seen.push(k);
    }
    dups
}
