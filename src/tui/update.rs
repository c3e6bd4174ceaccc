//! `update`: every input (key, clock tick, committed event, engine reply, connection change)
//! changes the model and returns the effects the app loop must carry out. No I/O here, so every
//! key sequence can be tested without a terminal.

use super::form::{Form, FormKind, Prefill};
use super::keymap::{self, Action};
use super::model::{alert_rows, point_rows, stock_rows, Conn, Model, Panel, Toast};
use crate::api::{Refusal, Reply, Request};
use crate::domain::alerts::Alert;
use crate::domain::command::Event;
use crate::domain::state::DispatchStatus;
use crate::domain::ItemGroup;
use crate::i18n::t;
use chrono::{DateTime, Duration, FixedOffset};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// Something that happened.
#[derive(Clone, Debug)]
pub enum Msg {
    Key(KeyEvent),
    /// The clock moved.
    Tick(DateTime<FixedOffset>),
    /// A committed event from the engine (ours or anyone's).
    Event(Box<Event>),
    /// The engine answered a form's command.
    Reply {
        cmd_id: String,
        reply: Reply,
    },
    Conn(Conn),
    /// (Re)attached to the daemon: the whole state as of `now`.
    Attached {
        state: Box<crate::domain::State>,
        now: DateTime<FixedOffset>,
    },
    /// The daemon refused this face for good: show why and quit.
    Fatal(String),
}

/// What the app loop must do.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    Submit(Request),
    Quit,
}

const PAGE: usize = 10;

pub fn update(m: &mut Model, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Tick(now) => {
            m.set_now(now);
            if m.toast.as_ref().is_some_and(|t| t.until <= now) {
                m.toast = None;
            }
            vec![]
        }
        Msg::Event(ev) => {
            m.apply(&ev);
            vec![]
        }
        Msg::Conn(c) => {
            // Keep the first moment of an outage while it lasts.
            if !matches!((&m.conn, &c), (Conn::Disconnected { .. }, Conn::Disconnected { .. })) {
                m.conn = c;
            }
            vec![]
        }
        Msg::Attached { state, now } => {
            m.state = *state;
            m.derived = super::model::Derived::full(&m.state, now.date_naive());
            m.set_now(now);
            m.conn = Conn::Connected;
            vec![]
        }
        Msg::Fatal(reason) => {
            m.fatal = Some(reason);
            quit(m)
        }
        Msg::Reply { cmd_id, reply } => {
            on_reply(m, &cmd_id, reply);
            vec![]
        }
        Msg::Key(key) => {
            if key.kind != KeyEventKind::Press {
                return vec![];
            }
            on_key(m, key)
        }
    }
}

fn toast(m: &mut Model, text: String, error: bool) {
    m.toast = Some(Toast { text, error, until: m.now + Duration::seconds(if error { 10 } else { 5 }) });
}

fn on_reply(m: &mut Model, cmd_id: &str, reply: Reply) {
    let lang = m.lang;
    let Some(form) = m.form.as_mut().filter(|f| f.cmd_id == cmd_id) else {
        // An acknowledgement sent without a form (ack of an alert).
        match reply {
            Ok(o) => toast(m, format!("{} #{}", t(lang, "toast.recorded"), o.seq), false),
            Err(e) => toast(m, refusal_text(&e, lang), true),
        }
        return;
    };
    match reply {
        Ok(o) => {
            let what = o.dispatch.clone().unwrap_or_else(|| format!("#{}", o.seq));
            let mut text = format!("{} {what}", t(lang, "toast.recorded"));
            if !o.raised.is_empty() {
                text.push_str(&format!(" · {} {}", t(lang, "toast.raised"), o.raised.join(" ")));
            }
            m.form = None;
            toast(m, text, false);
        }
        Err(Refusal::Rejected(r)) => form.reject(&r, lang),
        Err(Refusal::Fault(fault)) => {
            form.pending = false;
            form.error = Some(format!("{}: {}", t(lang, "form.not_saved"), fault.message(lang)));
        }
    }
}

fn refusal_text(e: &Refusal, lang: crate::domain::Lang) -> String {
    match e {
        Refusal::Rejected(r) => r.message(lang),
        Refusal::Fault(fault) => fault.message(lang),
    }
}

fn quit(m: &mut Model) -> Vec<Effect> {
    m.quit = true;
    vec![Effect::Quit]
}

fn on_key(m: &mut Model, key: KeyEvent) -> Vec<Effect> {
    let ctrl_c = key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c');
    if m.confirm_quit {
        m.confirm_quit = false;
        return if matches!(key.code, KeyCode::Char('y') | KeyCode::Char('Y')) { quit(m) } else { vec![] };
    }
    if ctrl_c {
        if m.form.as_ref().is_some_and(|f| f.dirty()) {
            m.confirm_quit = true;
            return vec![];
        }
        return quit(m);
    }
    if m.help {
        m.help = false;
        return vec![];
    }
    if let Some((date, scroll)) = m.report {
        // The report screen: scroll, step through days, close.
        let today = m.now.date_naive();
        m.report = match key.code {
            KeyCode::Esc | KeyCode::Char('q') | KeyCode::Char('R') => None,
            KeyCode::Up | KeyCode::Char('k') => Some((date, scroll.saturating_sub(1))),
            KeyCode::Down | KeyCode::Char('j') => Some((date, scroll.saturating_add(1))),
            KeyCode::PageUp => Some((date, scroll.saturating_sub(PAGE as u16))),
            KeyCode::PageDown => Some((date, scroll.saturating_add(PAGE as u16))),
            KeyCode::Left | KeyCode::Char('[') => Some((date - Duration::days(1), 0)),
            KeyCode::Right | KeyCode::Char(']') if date < today => Some((date + Duration::days(1), 0)),
            _ => Some((date, scroll)),
        };
        return vec![];
    }
    if m.form.is_some() {
        return form_key(m, key);
    }
    if m.plan.is_some() {
        return plan_key(m, key);
    }
    if m.filtering {
        let f = &mut m.filter[m.panel as usize];
        match key.code {
            KeyCode::Enter => m.filtering = false,
            KeyCode::Esc => {
                f.clear();
                m.filtering = false;
            }
            KeyCode::Backspace => {
                f.pop();
            }
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => f.push(c),
            _ => {}
        }
        m.sel[m.panel as usize] = 0;
        return vec![];
    }
    match keymap::lookup(keymap::of(&m.face), &key) {
        Some(a) => action(m, a),
        None => vec![],
    }
}

/// The plan screen: move through the suggested transfers, accept one (the dispatch form opens
/// pre-filled, so it is logged like any other), step the what-if level, scroll the requests.
fn plan_key(m: &mut Model, key: KeyEvent) -> Vec<Effect> {
    let Some(screen) = m.plan.as_mut() else { return vec![] };
    let n = screen.plan.transfers.len();
    let last = n.saturating_sub(1);
    match key.code {
        KeyCode::Esc | KeyCode::Char('q') | KeyCode::Char('P') => m.plan = None,
        KeyCode::Up | KeyCode::Char('k') => screen.sel = screen.sel.saturating_sub(1),
        KeyCode::Down | KeyCode::Char('j') => screen.sel = (screen.sel + 1).min(last),
        KeyCode::PageUp => screen.sel = screen.sel.saturating_sub(PAGE),
        KeyCode::PageDown => screen.sel = (screen.sel + PAGE).min(last),
        KeyCode::Home => screen.sel = 0,
        KeyCode::End => screen.sel = last,
        KeyCode::Char('[') => screen.scroll = screen.scroll.saturating_sub(1),
        KeyCode::Char(']') => screen.scroll = screen.scroll.saturating_add(1),
        KeyCode::Char('l') | KeyCode::Char('L') => {
            // The next level up (wrapping to routine): a what-if until `L` is logged.
            let levels = crate::domain::ResponseLevel::ALL;
            let i = levels.iter().position(|l| *l == screen.level).unwrap_or(0);
            let level = levels[(i + 1) % levels.len()];
            let plan = m.compute_plan(level);
            m.plan = Some(super::model::PlanScreen { level, sel: 0, scroll: 0, plan });
        }
        KeyCode::Enter | KeyCode::Char('d') => {
            let Some(tr) = screen.plan.transfers.get(screen.sel.min(last)) else { return vec![] };
            let pre = Prefill {
                point: Some(tr.from.clone()),
                to: Some(tr.to.clone()),
                item: Some(tr.item.clone()),
                qty: Some(tr.qty.to_string()),
                note: Some(t(m.lang, "plan.note").to_string()),
                today: Some(m.now.date_naive()),
                ..Prefill::default()
            };
            let mut form = Form::new(FormKind::Dispatch, &pre, crate::api::fresh_id(&m.user));
            // Everything is filled in: Enter logs it; the quantity can still be changed.
            form.focus = form.fields.iter().position(|f| f.name == "qty").unwrap_or(0);
            m.form = Some(form);
        }
        _ => {}
    }
    vec![]
}

fn form_key(m: &mut Model, key: KeyEvent) -> Vec<Effect> {
    let lang = m.lang;
    let Some(form) = m.form.as_mut() else { return vec![] };
    if form.confirm_discard {
        form.confirm_discard = false;
        if matches!(key.code, KeyCode::Char('y') | KeyCode::Char('Y')) {
            m.form = None;
        }
        return vec![];
    }
    if key.code == KeyCode::Esc {
        if form.dirty() {
            form.confirm_discard = true;
        } else {
            m.form = None;
        }
        return vec![];
    }
    if form.pending {
        return vec![];
    }
    if form.key(key, &m.state, lang) {
        if let Some(cmd) = form.build(&m.state) {
            form.pending = true;
            return vec![Effect::Submit(Request { cmd_id: form.cmd_id.clone(), cmd })];
        }
    }
    vec![]
}

fn move_sel(m: &mut Model, delta: isize) {
    let p = m.panel;
    let n = m.len_of(p);
    if n == 0 {
        m.sel[p as usize] = 0;
        return;
    }
    let cur = m.selected(p) as isize;
    m.sel[p as usize] = (cur + delta).clamp(0, n as isize - 1) as usize;
    follow_point(m);
}

/// Moving through the points panel points the stock panel at the selected point.
fn follow_point(m: &mut Model) {
    if m.panel == Panel::Points && m.drill.is_none() {
        let i = m.selected(Panel::Points);
        m.stock_point = point_rows(m).get(i).map(|r| r.point.code.clone());
    }
}

/// What the current selection offers to pre-fill a form with.
pub fn prefill(m: &Model) -> Prefill {
    let mut p = Prefill { today: Some(m.now.date_naive()), level: Some(m.state.settings.level), ..Prefill::default() };
    match m.panel {
        Panel::Points => {
            p.point =
                m.drill.clone().or_else(|| point_rows(m).get(m.selected(Panel::Points)).map(|r| r.point.code.clone()))
        }
        Panel::Stock => {
            let rows = stock_rows(m);
            if let Some(r) = rows.get(m.selected(Panel::Stock)) {
                p.point = r.point.map(str::to_string).or_else(|| m.stock_point.clone());
                p.item = Some(r.item.code.clone());
            }
        }
        Panel::Alerts => {
            if let Some(a) = alert_rows(m).get(m.selected(Panel::Alerts)) {
                p.point = a.point.clone();
                p.item = a.item.clone();
                if a.kind == crate::domain::alerts::AlertKind::TransferUnreceived {
                    p.dispatch = Some(a.subject.clone());
                }
            }
        }
        Panel::Roster => {}
    }
    // The watch passes to the rota's officer of the current shift if someone else holds it,
    // else to the next shift's.
    let holder = m.state.officer_on_duty(m.now);
    p.person = match m.state.shift_at(m.now) {
        Some(s) if holder.as_deref() != Some(s.duty_officer.as_str()) => Some(s.duty_officer.clone()),
        _ => m.state.next_shift(m.now).map(|s| s.duty_officer.clone()),
    };
    if let crate::proto::FaceKind::Point { point } = &m.face {
        // A clerk's forms are always about the own point.
        p.point = Some(point.clone());
    }
    if p.point.is_none() {
        p.point = m.stock_point.clone();
    }
    if p.dispatch.is_none() {
        // A transfer in transit to the chosen point, if there is one.
        p.dispatch = m
            .state
            .dispatches
            .values()
            .filter(|d| d.status() == DispatchStatus::InTransit)
            .find(|d| p.point.as_ref().is_none_or(|pt| matches!(&d.to, crate::domain::Dest::Point(t) if t == pt)))
            .map(|d| crate::domain::state::Dispatch::label(d.id));
    }
    p
}

fn open_form(m: &mut Model, kind: FormKind) -> Vec<Effect> {
    let pre = prefill(m);
    // Focus starts on the first field, pre-filled or not: a pre-filled value behaves like
    // selected text, so the same keys log an action from any panel (`r`, point, Tab, item, Tab,
    // quantity, Enter) whatever the selection filled in. A clerk's forms skip the point field:
    // it is always the clerk's own.
    let mut form = Form::new(kind, &pre, crate::api::fresh_id(&m.user));
    if matches!(m.face, crate::proto::FaceKind::Point { .. }) {
        form.focus = form.fields.iter().position(|f| f.name != "point" && f.name != "from").unwrap_or(0);
    }
    m.form = Some(form);
    vec![]
}

fn action(m: &mut Model, a: Action) -> Vec<Effect> {
    let n_panels = Panel::ALL.len();
    match a {
        Action::Quit => return quit(m),
        Action::Help => m.help = true,
        Action::NextPanel => m.panel = Panel::ALL[(m.panel as usize + 1) % n_panels],
        Action::PrevPanel => m.panel = Panel::ALL[(m.panel as usize + n_panels - 1) % n_panels],
        Action::Panel(i) => m.panel = Panel::ALL[(i as usize).min(n_panels - 1)],
        Action::Up => move_sel(m, -1),
        Action::Down => move_sel(m, 1),
        Action::PageUp => move_sel(m, -(PAGE as isize)),
        Action::PageDown => move_sel(m, PAGE as isize),
        Action::Top => move_sel(m, isize::MIN / 2),
        Action::Bottom => move_sel(m, isize::MAX / 2),
        Action::Filter => m.filtering = true,
        Action::Enter => match m.panel {
            Panel::Points => {
                if let Some(r) = point_rows(m).get(m.selected(Panel::Points)) {
                    let code = r.point.code.clone();
                    m.drill = Some(code.clone());
                    m.stock_point = Some(code);
                }
            }
            Panel::Alerts => {
                if let Some(p) = alert_rows(m).get(m.selected(Panel::Alerts)).and_then(|a| a.point.clone()) {
                    m.stock_point = Some(p.clone());
                    m.drill = Some(p);
                    m.panel = Panel::Points;
                }
            }
            _ => {}
        },
        Action::Back => {
            if !m.filter[m.panel as usize].is_empty() {
                m.filter[m.panel as usize].clear();
            } else if m.panel == Panel::Points && m.drill.is_some() {
                m.drill = None;
            } else if m.panel == Panel::Stock && m.stock_point.is_some() {
                m.stock_point = None;
                m.drill = None;
            }
        }
        Action::Group => {
            let groups = ItemGroup::ALL;
            m.stock_group = match m.stock_group {
                None => Some(groups[0]),
                Some(g) => groups.iter().position(|x| *x == g).and_then(|i| groups.get(i + 1)).copied(),
            };
            m.sel[Panel::Stock as usize] = 0;
        }
        Action::Dispatch => return open_form(m, FormKind::Dispatch),
        Action::Restock => return open_form(m, FormKind::Restock),
        Action::Receive => return open_form(m, FormKind::Receive),
        Action::StockTake => return open_form(m, FormKind::StockTake),
        Action::Report => return open_form(m, FormKind::Report),
        Action::Handover => return open_form(m, FormKind::Handover),
        Action::Level => return open_form(m, FormKind::Level),
        Action::Price => return open_form(m, FormKind::Price),
        // Yesterday's report is the one due this morning.
        Action::DailyReport => m.report = Some((m.now.date_naive() - Duration::days(1), 0)),
        Action::Plan => m.open_plan(),
        Action::Ack => {
            if m.panel != Panel::Alerts {
                m.panel = Panel::Alerts;
                return vec![];
            }
            if let Some(a) = alert_rows(m).get(m.selected(Panel::Alerts)) {
                if a.acked_by.is_some() {
                    let text = format!("{} {}", Alert::label(a.id), t(m.lang, "toast.already_acked"));
                    toast(m, text, false);
                    return vec![];
                }
                let cmd = crate::domain::Command::Ack { alert: Alert::label(a.id) };
                return vec![Effect::Submit(Request { cmd_id: crate::api::fresh_id(&m.user), cmd })];
            }
        }
    }
    vec![]
}
