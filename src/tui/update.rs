//! `update`: every input (key, clock tick, committed event, engine reply, connection change)
//! changes the model and returns the effects the app loop must carry out. No I/O here, so every
//! key sequence can be tested without a terminal; command ids come from the model's generator,
//! not the clock.
//! Must not import the loop, `cli`, `link`, the store, the clock or anything that draws.
//!
//! A key goes to the layer on top of the overlay stack and means what that layer's keymap table
//! says; a key the layer does not bind does nothing and says so in the footer. Esc closes the top
//! layer at once; a form closed after typing becomes a draft of its action.

use super::form::{Form, FormKind, Prefill};
use super::keymap::{self, Action, Layer};
use super::model::{
    delivery_rows, face_point, feed_lines, incoming_rows, point_rows, price_rows, selected_alert, selected_request,
    stock_rows, Conn, FeedLine, Model, Overlay, Panel, PlanScreen, Question, Toast,
};
use crate::api::{Refusal, Reply, Request};
use crate::domain::alerts::Alert;
use crate::domain::command::Event;
use crate::domain::state::{Dispatch, DispatchStatus};
use crate::domain::ItemGroup;
use crate::i18n::t;
use chrono::{DateTime, Duration, FixedOffset};
use crossterm::event::{KeyEvent, KeyEventKind};

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

/// Where a list's selection goes for a moving key (arrows, pages, Home/End), kept within
/// `last`; None for any other action. The one rule of every list and screen. O(1).
pub(super) fn moved(sel: usize, a: Action, last: usize) -> Option<usize> {
    let cur = sel.min(last);
    Some(match a {
        Action::Up => cur.saturating_sub(1),
        Action::Down => (cur + 1).min(last),
        Action::PageUp => cur.saturating_sub(PAGE),
        Action::PageDown => (cur + PAGE).min(last),
        Action::Top => 0,
        Action::Bottom => last,
        _ => return None,
    })
}

pub fn update(m: &mut Model, msg: Msg) -> Vec<Effect> {
    let effects = step(m, msg);
    m.refresh_report();
    effects
}

/// One message's change to the model (`update` then refreshes what is kept on change).
fn step(m: &mut Model, msg: Msg) -> Vec<Effect> {
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

pub(super) fn toast(m: &mut Model, text: String, error: bool) {
    m.toast = Some(Toast { text, error, until: m.now + Duration::seconds(if error { 10 } else { 5 }) });
}

fn on_reply(m: &mut Model, cmd_id: &str, reply: Reply) {
    let lang = m.lang;
    // A draft closed while its command was on the way is answered like its form.
    let draft = m.drafts.iter().find(|(_, d)| d.cmd_id == cmd_id).map(|(k, _)| *k);
    if let (Some(kind), Ok(_)) = (draft, &reply) {
        m.drafts.remove(&kind);
    } else if let Some(d) = draft.and_then(|k| m.drafts.get_mut(&k)) {
        d.pending = false;
    }
    let Some(form) = m.form_mut().filter(|f| f.cmd_id == cmd_id) else {
        // An acknowledgement sent without a form (ack of an alert), or a form closed meanwhile.
        match reply {
            Ok(o) => toast(m, format!("{} {}", t(lang, "toast.recorded"), recorded(&o)), false),
            Err(e) => toast(m, refusal_text(&e, lang), true),
        }
        return;
    };
    match reply {
        Ok(o) => {
            let mut text = format!("{} {}", t(lang, "toast.recorded"), recorded(&o));
            if !o.raised.is_empty() {
                text.push_str(&format!(" · {} {}", t(lang, "toast.raised"), o.raised.join(" ")));
            }
            // Saved: the form and any draft of its action are done.
            let kind = form.kind;
            m.drafts.remove(&kind);
            m.overlays.retain(|o| !matches!(o, Overlay::Form(f) if f.cmd_id == cmd_id));
            // Help about that form goes with it.
            m.overlays.retain(|o| !matches!(o, Overlay::Help(Layer::Form)));
            toast(m, text, false);
        }
        Err(Refusal::Rejected(r)) => form.reject(&r, lang),
        Err(Refusal::Fault(fault)) => {
            form.pending = false;
            form.error = Some(format!("{}: {}", t(lang, "form.not_saved"), fault.message(lang)));
        }
    }
}

/// What a reply names as recorded: the dispatch, request or case it made or acted on, else
/// the event's number.
fn recorded(o: &crate::api::Outcome) -> String {
    (o.dispatch.clone().or_else(|| o.request.clone()).or_else(|| o.case.clone()))
        .unwrap_or_else(|| format!("#{}", o.seq))
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

/// `q` on the main screen or Ctrl-C anywhere: asks once when something would be lost.
fn ask_quit(m: &mut Model) -> Vec<Effect> {
    if m.unsaved() && !matches!(m.overlays.last(), Some(Overlay::Confirm(Question::Quit))) {
        m.overlays.push(Overlay::Confirm(Question::Quit));
        return vec![];
    }
    quit(m)
}

fn on_key(m: &mut Model, key: KeyEvent) -> Vec<Effect> {
    let layer = m.layer();
    let Some(a) = keymap::lookup(keymap::layer(&m.face, layer), &key) else {
        // Nothing is swallowed silently: the footer says the key does nothing here.
        let text = format!("{}: {}", keymap::event_name(&key), t(m.lang, "ui.unbound"));
        toast(m, text, false);
        return vec![];
    };
    match a {
        Action::Quit => ask_quit(m),
        Action::Help if layer != Layer::Help => {
            m.overlays.push(Overlay::Help(layer));
            vec![]
        }
        _ => match layer {
            Layer::Main => action(m, a),
            Layer::Filter => filter_key(m, a, key),
            Layer::Form => form_key(m, a, key),
            Layer::Plan => plan_key(m, a),
            Layer::Report | Layer::Schedule => day_screen_key(m, a),
            Layer::Help => {
                m.overlays.pop();
                vec![]
            }
            Layer::Confirm => confirm_key(m, a),
            Layer::Hotline => super::screens::hotline_key(m, a),
            Layer::Households => super::screens::households_key(m, a),
            Layer::Vehicles => super::screens::vehicles_key(m, a),
            Layer::Contacts => contacts_key(m, a),
            Layer::Level => level_key(m, a),
        },
    }
}

/// Typing a panel filter, or the filter of the list screen it was opened over.
fn filter_key(m: &mut Model, a: Action, key: KeyEvent) -> Vec<Effect> {
    let panel = m.panel as usize;
    let on_screen = m.top_screen_mut().is_some();
    let f = match m.top_screen_mut() {
        Some(screen) => {
            screen.sel = 0;
            &mut screen.filter
        }
        None => &mut m.filter[panel],
    };
    match a {
        Action::Keep => {
            m.overlays.pop();
        }
        Action::Close => {
            f.clear();
            m.overlays.pop();
        }
        Action::Edit => {
            f.pop();
        }
        Action::Type => f.push(keymap::typed_char(&key).unwrap_or_default()),
        _ => {}
    }
    if !on_screen {
        m.sel[panel] = 0;
    }
    vec![]
}

/// A screen of one day that scrolls: the daily report (any day back, up to today) and the
/// schedule (a week back, what was booked, to a week ahead). Scroll, step a day within those
/// bounds (the scroll goes back to the top), close. O(1).
fn day_screen_key(m: &mut Model, a: Action) -> Vec<Effect> {
    let today = m.now.date_naive();
    let (earliest, latest, date, scroll) = match m.overlays.last_mut() {
        Some(Overlay::Report { date, scroll }) => (None, today, date, scroll),
        Some(Overlay::Schedule { date, scroll }) => {
            (Some(today - Duration::days(7)), today + Duration::days(7), date, scroll)
        }
        _ => return vec![],
    };
    match a {
        Action::Close => {
            m.overlays.pop();
        }
        Action::Up => *scroll = scroll.saturating_sub(1),
        Action::Down => *scroll = scroll.saturating_add(1),
        Action::PageUp => *scroll = scroll.saturating_sub(PAGE as u16),
        Action::PageDown => *scroll = scroll.saturating_add(PAGE as u16),
        Action::Top => *scroll = 0,
        Action::PrevDay if earliest.is_none_or(|e| *date > e) => (*date, *scroll) = (*date - Duration::days(1), 0),
        Action::NextDay if *date < latest => (*date, *scroll) = (*date + Duration::days(1), 0),
        _ => {}
    }
    vec![]
}

/// The contacts screen: move through the contacts (the window follows), close. O(contacts).
fn contacts_key(m: &mut Model, a: Action) -> Vec<Effect> {
    let last = super::model::contact_rows(m).len().saturating_sub(1);
    let Some(Overlay::Contacts { sel }) = m.overlays.last_mut() else { return vec![] };
    match a {
        Action::Close => {
            m.overlays.pop();
        }
        _ => *sel = moved(*sel, a, last).unwrap_or(*sel),
    }
    vec![]
}

/// A question on top: `y` does what it asks (quit; set the response level, closing the levels
/// screen under it), anything else the question takes goes back with nothing sent.
fn confirm_key(m: &mut Model, a: Action) -> Vec<Effect> {
    let Some(Overlay::Confirm(question)) = m.overlays.last() else { return vec![] };
    let question = *question;
    if question == Question::Quit && a == Action::Yes {
        return quit(m);
    }
    m.overlays.pop();
    match (question, a) {
        (Question::Level(level), Action::Yes) => {
            if matches!(m.overlays.last(), Some(Overlay::Level { .. })) {
                m.overlays.pop();
            }
            let cmd = crate::domain::Command::Level { level };
            vec![Effect::Submit(Request { cmd_id: m.ids.next_id(), cmd })]
        }
        _ => vec![],
    }
}

/// The response levels screen: choose a level (arrows or its number); Enter asks to set it,
/// unless it is the one in force already (a toast says so and nothing is sent). O(1).
fn level_key(m: &mut Model, a: Action) -> Vec<Effect> {
    use crate::domain::ResponseLevel;
    let last = ResponseLevel::ALL.len() - 1;
    let Some(Overlay::Level { sel }) = m.overlays.last_mut() else { return vec![] };
    match a {
        Action::Close => {
            m.overlays.pop();
        }
        Action::Pick(n) => *sel = usize::from(n).min(last),
        Action::Enter => {
            let level = ResponseLevel::ALL[(*sel).min(last)];
            if level == m.state.settings.level {
                let name = crate::text::scrub(m.state.settings.level_name(level, m.lang));
                toast(m, t(m.lang, "level.unchanged").replace("{}", &name), false);
            } else {
                m.overlays.push(Overlay::Confirm(Question::Level(level)));
            }
        }
        _ => *sel = moved(*sel, a, last).unwrap_or(*sel),
    }
    vec![]
}

/// The plan screen: move through the suggested transfers, accept one (the dispatch form opens
/// pre-filled, so it is logged like any other), step the what-if level, scroll the requests.
fn plan_key(m: &mut Model, a: Action) -> Vec<Effect> {
    let Some(Overlay::Plan(screen)) = m.overlays.last_mut() else { return vec![] };
    let last = screen.plan.transfers.len().saturating_sub(1);
    match a {
        Action::Close => {
            m.overlays.pop();
        }
        Action::ScrollUp => screen.scroll = screen.scroll.saturating_sub(1),
        Action::ScrollDown => screen.scroll = screen.scroll.saturating_add(1),
        Action::Level => {
            // The next level up (wrapping to routine): a what-if until `L` is logged.
            let levels = crate::domain::ResponseLevel::ALL;
            let i = levels.iter().position(|l| *l == screen.level).unwrap_or(0);
            let level = levels[(i + 1) % levels.len()];
            let plan = m.compute_plan(level);
            if let Some(screen) = m.plan_mut() {
                *screen = PlanScreen { level, sel: 0, scroll: 0, plan };
            }
        }
        Action::Enter => {
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
            // Everything is filled in: Enter logs it; the quantity can still be changed.
            open_form_with(m, FormKind::Dispatch, &pre, Some("qty"));
        }
        _ => screen.sel = moved(screen.sel, a, last).unwrap_or(screen.sel),
    }
    vec![]
}

fn form_key(m: &mut Model, a: Action, key: KeyEvent) -> Vec<Effect> {
    let lang = m.lang;
    if a == Action::Close {
        close_form(m);
        return vec![];
    }
    let Some(Overlay::Form(form)) = m.overlays.last_mut() else { return vec![] };
    if form.pending {
        // Waiting for the engine: the fields stay as sent.
        return vec![];
    }
    match a {
        Action::NextField => form.next_field(&m.state, lang),
        Action::PrevField => form.prev_field(),
        Action::Up | Action::Down => form.pick(a == Action::Down, &m.state, lang),
        Action::ClearField => form.clear_field(),
        Action::Type | Action::Edit => form.input(key, a == Action::Type),
        Action::Submit => {
            form.error = None;
            if let Some(cmd) = form.build(&m.state) {
                form.pending = true;
                return vec![Effect::Submit(Request { cmd_id: form.cmd_id.clone(), cmd })];
            }
        }
        _ => {}
    }
    vec![]
}

/// Esc in a form: it closes at once. What was typed stays as the draft of its action; a form
/// emptied of what was typed (Ctrl-U) drops the draft it was restored from.
fn close_form(m: &mut Model) {
    let Some(Overlay::Form(form)) = m.overlays.pop() else { return };
    if form.dirty() {
        let mut draft = *form;
        draft.marker = None;
        m.drafts.insert(draft.kind, draft);
    } else if form.marker == Some(DRAFT_RESTORED) {
        m.drafts.remove(&form.kind);
    }
}

/// The form line shown on a form brought back from its draft.
pub const DRAFT_RESTORED: &str = "form.draft_restored";
/// The form line shown when a draft of the action exists for another selection.
pub const DRAFT_ELSEWHERE: &str = "form.draft_elsewhere";

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
    let mut p = Prefill { today: Some(m.now.date_naive()), ..Prefill::default() };
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
            if let Some(a) = selected_alert(m) {
                p.point = a.point.clone();
                p.item = a.item.clone();
                if a.kind == crate::domain::alerts::AlertKind::TransferUnreceived {
                    p.dispatch = Some(a.subject.clone());
                }
            }
        }
        Panel::Requests => {
            if let Some(r) = selected_request(m) {
                p.point = Some(r.point.clone());
                p.item = Some(r.item.clone());
                p.village = Some(r.requester.village().to_string());
                p.request = Some(crate::domain::demand::Request::label(r.id));
                p.dispatch = r.unsigned().last().map(crate::domain::state::Dispatch::label);
            }
        }
        Panel::Incoming => {
            p.dispatch = incoming_rows(m).get(m.selected(Panel::Incoming)).map(|d| Dispatch::label(d.id));
        }
        Panel::Deliveries => {
            if let Some(d) = delivery_rows(m).get(m.selected(Panel::Deliveries)) {
                p.dispatch = Some(Dispatch::label(d.id));
                p.item = Some(d.item.clone());
            }
        }
        Panel::Prices => p.item = price_rows(m).get(m.selected(Panel::Prices)).map(|(i, _)| i.to_string()),
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
    if p.village.is_none() {
        p.village = p.point.as_deref().and_then(|pt| tally_due(m, pt));
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

/// `c`: the receipt form. On the point face it offers only the transfers on their way to the
/// point and is filled in with the one selected in the transfers coming in (or named by a
/// selected "not received" alert), else with the only one there is; on the console with what
/// the selection offers (`prefill`).
fn open_receive(m: &mut Model) -> Vec<Effect> {
    let mut pre = prefill(m);
    if let Some(own) = face_point(m) {
        let inbound: Vec<&Dispatch> = m.state.dispatches.values().filter(|d| d.inbound_to(own)).collect();
        let is_inbound = |label: &str| inbound.iter().any(|d| Dispatch::label(d.id) == label);
        let named = match m.panel {
            Panel::Incoming | Panel::Alerts => pre.dispatch.clone().filter(|d| is_inbound(d)),
            _ => None,
        };
        let only = match inbound.as_slice() {
            [d] => Some(Dispatch::label(d.id)),
            _ => None,
        };
        pre.dispatch = named.or(only);
    }
    open_form_with(m, FormKind::Receive, &pre, face_point(m).map(|_| "point"));
    vec![]
}

/// Enter on the point face's boxes: requests deliver, a transfer coming in (or a "not
/// received" alert) is received, a delivery waiting for the checkpoint is signed for, a price
/// is logged again; elsewhere nothing.
fn point_enter(m: &mut Model) -> Vec<Effect> {
    match m.panel {
        Panel::Requests => dispatch_request(m),
        Panel::Incoming if !incoming_rows(m).is_empty() => open_receive(m),
        Panel::Alerts => {
            let unreceived =
                selected_alert(m).is_some_and(|a| a.kind == crate::domain::alerts::AlertKind::TransferUnreceived);
            if unreceived {
                return open_receive(m);
            }
            vec![]
        }
        Panel::Deliveries => {
            let sel = delivery_rows(m).get(m.selected(Panel::Deliveries)).map(|d| d.id);
            let waiting = super::form::unsigned_deliveries(&m.state).iter().any(|d| Some(d.id) == sel);
            if waiting {
                return sign(m);
            }
            if sel.is_some() {
                toast(m, t(m.lang, "toast.nothing_to_sign").to_string(), false);
            }
            vec![]
        }
        Panel::Prices if !price_rows(m).is_empty() => open_form(m, FormKind::Price),
        _ => vec![],
    }
}

fn open_form(m: &mut Model, kind: FormKind) -> Vec<Effect> {
    let pre = prefill(m);
    // Focus starts on the first field, pre-filled or not: a pre-filled value behaves like
    // selected text, so the same keys log an action from any panel (`r`, point, Tab, item, Tab,
    // quantity, Enter) whatever the selection filled in. A clerk's forms skip the point field:
    // it is always the clerk's own.
    let skip = matches!(m.face, crate::proto::FaceKind::Point { .. });
    open_form_with(m, kind, &pre, skip.then_some("point"));
    vec![]
}

/// `d`: the dispatch form. On an alert about a point's shortage (stocked out, below norm,
/// stockout soon) the point is the destination and the source is the one the replenishment
/// plan would draw on for that item, with its quantity; elsewhere as any other form. The plan
/// is computed for that one item: O(points) for it.
fn open_dispatch(m: &mut Model) -> Vec<Effect> {
    use crate::domain::alerts::AlertKind as K;
    let short = selected_alert(m)
        .filter(|a| {
            face_point(m).is_none()
                && m.panel == Panel::Alerts
                && matches!(a.kind, K::Stockout | K::BelowNorm | K::StockoutSoon)
        })
        .and_then(|a| Some((a.point.clone()?, a.item.clone()?)));
    let Some((to, item)) = short else { return open_form(m, FormKind::Dispatch) };
    let mut pre = prefill(m);
    let level = m.state.settings.level;
    let plan = m.compute_plan_for(level, Some(&item));
    let tr = plan.transfers.iter().find(|t| t.to == to && t.item == item);
    pre.point = tr.map(|t| t.from.clone());
    pre.qty = tr.map(|t| t.qty.to_string());
    pre.note = tr.map(|_| t(m.lang, "plan.note").to_string());
    pre.to = Some(to);
    pre.item = Some(item);
    open_form_with(m, FormKind::Dispatch, &pre, None);
    vec![]
}

/// Opens a form of `kind` pre-filled with `pre`, its focus on `focus` (a field name; "point"
/// means the first field that is not a point). A draft of the same action comes back when the
/// form is opened for the same selection (the same pre-filled values), marked as restored; for
/// another selection the form starts afresh and says a draft is kept.
pub(super) fn open_form_with(m: &mut Model, kind: FormKind, pre: &Prefill, focus: Option<&str>) {
    let mut form = Form::new(kind, pre, m.ids.next_id());
    if let crate::proto::FaceKind::Point { point } = &m.face {
        form.scope = Some(point.clone());
    }
    form.focus = match focus {
        Some("point") => form.fields.iter().position(|f| f.name != "point" && f.name != "from").unwrap_or(0),
        Some(name) => form.fields.iter().position(|f| f.name == name).unwrap_or(0),
        None => 0,
    };
    let form = match m.drafts.get(&kind) {
        Some(d) if d.origin == form.origin => {
            let mut d = d.clone();
            d.marker = Some(DRAFT_RESTORED);
            d
        }
        Some(_) => {
            form.marker = Some(DRAFT_ELSEWHERE);
            form
        }
        None => form,
    };
    m.overlays.push(Overlay::Form(Box::new(form)));
}

fn action(m: &mut Model, a: Action) -> Vec<Effect> {
    let panels = Panel::of(&m.face);
    let at = panels.iter().position(|p| *p == m.panel).unwrap_or(0);
    let n_panels = panels.len();
    match a {
        Action::NextPanel => m.panel = panels[(at + 1) % n_panels],
        Action::PrevPanel => m.panel = panels[(at + n_panels - 1) % n_panels],
        Action::Panel(i) => m.panel = panels[(i as usize).min(n_panels - 1)],
        Action::Up => move_sel(m, -1),
        Action::Down => move_sel(m, 1),
        Action::PageUp => move_sel(m, -(PAGE as isize)),
        Action::PageDown => move_sel(m, PAGE as isize),
        Action::Top => move_sel(m, isize::MIN / 2),
        Action::Bottom => move_sel(m, isize::MAX / 2),
        Action::Filter => m.overlays.push(Overlay::Filter),
        Action::Enter if face_point(m).is_some() => return point_enter(m),
        Action::Enter => match m.panel {
            Panel::Points => {
                if let Some(r) = point_rows(m).get(m.selected(Panel::Points)) {
                    let code = r.point.code.clone();
                    m.drill = Some(code.clone());
                    m.stock_point = Some(code);
                }
            }
            Panel::Alerts => alerts_enter(m),
            Panel::Requests => return dispatch_request(m),
            _ => {}
        },
        Action::Back => {
            if !m.filter[m.panel as usize].is_empty() {
                m.filter[m.panel as usize].clear();
            } else if m.panel == Panel::Points && m.drill.is_some() {
                m.drill = None;
            } else if m.panel == Panel::Stock && m.stock_point.is_some() && face_point(m).is_none() {
                // Back to the town's stock (the point face's is always its own point's).
                m.stock_point = None;
                m.drill = None;
            } else if m.panel == Panel::Alerts && m.alert_group_open.is_some() {
                close_alert_group(m);
            }
        }
        Action::RegroupAlerts => {
            m.alerts_regrouped = !m.alerts_regrouped;
            m.alert_group_open = None;
            m.sel[Panel::Alerts as usize] = 0;
        }
        Action::Group => {
            let groups = ItemGroup::ALL;
            m.stock_group = match m.stock_group {
                None => Some(groups[0]),
                Some(g) => groups.iter().position(|x| *x == g).and_then(|i| groups.get(i + 1)).copied(),
            };
            m.sel[Panel::Stock as usize] = 0;
        }
        Action::Dispatch if m.panel == Panel::Requests => return dispatch_request(m),
        Action::Dispatch => return open_dispatch(m),
        Action::Approve => return on_request(m, FormKind::Approve),
        Action::Refuse => return on_request(m, FormKind::Refuse),
        Action::Tally => return open_form(m, FormKind::Tally),
        Action::Sign => return sign(m),
        Action::Restock => return open_form(m, FormKind::Restock),
        Action::Receive => return open_receive(m),
        Action::StockTake => return open_form(m, FormKind::StockTake),
        Action::Report => return open_form(m, FormKind::Report),
        Action::Handover => return open_form(m, FormKind::Handover),
        Action::Level => m.overlays.push(Overlay::Level { sel: usize::from(m.state.settings.level.number()) }),
        Action::Price => return open_form(m, FormKind::Price),
        // The report opens on today, as every other surface stands; `[` goes back a day.
        Action::DailyReport => m.overlays.push(Overlay::Report { date: m.now.date_naive(), scroll: 0 }),
        Action::Plan => m.open_plan(),
        Action::Schedule => m.overlays.push(Overlay::Schedule { date: m.now.date_naive(), scroll: 0 }),
        Action::Hotline => m.overlays.push(Overlay::Hotline(Default::default())),
        Action::Households => m.overlays.push(Overlay::Households(Default::default())),
        Action::Vehicles => m.overlays.push(Overlay::Vehicles(Default::default())),
        Action::Contacts => m.overlays.push(Overlay::Contacts { sel: 0 }),
        Action::Ack => return ack(m),
        Action::Unack => return unack(m),
        _ => {}
    }
    vec![]
}

/// Enter on the feed: a group line opens (or closes) its group; an alert opens its point.
fn alerts_enter(m: &mut Model) {
    let sel = m.selected(Panel::Alerts);
    let (group, point) = match feed_lines(m).into_iter().nth(sel) {
        Some(FeedLine::Group(g)) => (Some((g.kind, g.zone)), None),
        Some(FeedLine::Alert(a)) => (None, a.point.clone()),
        None => (None, None),
    };
    if let Some(g) = group {
        if m.alert_group_open.as_ref() == Some(&g) {
            close_alert_group(m);
        } else {
            m.alert_group_open = Some(g);
        }
    } else if let Some(p) = point {
        m.stock_point = Some(p.clone());
        m.drill = Some(p);
        m.panel = Panel::Points;
    }
}

/// Closes the open group and puts the selection back on its line.
fn close_alert_group(m: &mut Model) {
    let open = m.alert_group_open.take();
    let at = feed_lines(m).iter().position(
        |l| matches!(l, FeedLine::Group(g) if open.as_ref().is_some_and(|(k, z)| *k == g.kind && *z == g.zone)),
    );
    m.sel[Panel::Alerts as usize] = at.unwrap_or(0);
}

/// `a`: acknowledges the selected alert, or on a group line every unacknowledged alert of the
/// group, one `Ack` command (and one logged event) per alert. Elsewhere it moves to the feed.
fn ack(m: &mut Model) -> Vec<Effect> {
    if m.panel != Panel::Alerts {
        m.panel = Panel::Alerts;
        return vec![];
    }
    let ids: Vec<(u64, bool)> = match feed_lines(m).into_iter().nth(m.selected(Panel::Alerts)) {
        Some(FeedLine::Alert(a)) => vec![(a.id, a.acked_by.is_some())],
        Some(FeedLine::Group(g)) => g.alerts.iter().filter(|a| a.acked_by.is_none()).map(|a| (a.id, false)).collect(),
        None => Vec::new(),
    };
    if let [(id, true)] = ids.as_slice() {
        let text = format!("{} {}", Alert::label(*id), t(m.lang, "toast.already_acked"));
        toast(m, text, false);
        return vec![];
    }
    ids.into_iter()
        .map(|(id, _)| {
            let cmd = crate::domain::Command::Ack { alert: Alert::label(id) };
            Effect::Submit(Request { cmd_id: m.ids.next_id(), cmd })
        })
        .collect()
}

/// `u` on the feed: withdraws the acknowledgement of the selected alert (one `Unack` command);
/// an alert nobody acknowledged is only named in a toast. Elsewhere it moves to the feed.
fn unack(m: &mut Model) -> Vec<Effect> {
    if m.panel != Panel::Alerts {
        m.panel = Panel::Alerts;
        return vec![];
    }
    let Some(FeedLine::Alert(a)) = feed_lines(m).into_iter().nth(m.selected(Panel::Alerts)) else {
        return vec![];
    };
    let (label, acked) = (Alert::label(a.id), a.acked_by.is_some());
    if !acked {
        toast(m, format!("{label} {}", t(m.lang, "toast.not_acked")), false);
        return vec![];
    }
    vec![Effect::Submit(Request { cmd_id: m.ids.next_id(), cmd: crate::domain::Command::Unack { alert: label } })]
}

/// `v` / `x` on the Requests panel: the approval form (the quantity asked for, which may be
/// lowered with a reason) or the refusal form for the selected request; elsewhere they move to
/// the panel. A request no longer waiting for approval is named in a toast instead.
fn on_request(m: &mut Model, kind: FormKind) -> Vec<Effect> {
    if m.panel != Panel::Requests {
        m.panel = Panel::Requests;
        return vec![];
    }
    let Some(r) = selected_request(m) else { return vec![] };
    let (label, status, qty) = (crate::domain::demand::Request::label(r.id), r.status(), r.qty.to_string());
    let waiting = match kind {
        FormKind::Approve => status == crate::domain::demand::RequestStatus::Requested,
        _ => r.shares.is_empty() && status.is_open(),
    };
    if !waiting {
        toast(m, format!("{label}: {}", status.label(m.lang)), false);
        return vec![];
    }
    let pre = Prefill { qty: Some(qty), ..prefill(m) };
    let focus = if kind == FormKind::Approve { "qty" } else { "reason" };
    open_form_with(m, kind, &pre, Some(focus));
    vec![]
}

/// Enter (or `d`) on a request: the dispatch form filled in for it: from its serving point to
/// its village, its item, what is approved and not yet sent, the request named. Nothing left to
/// send (not yet approved, all sent, ended) is said in a toast.
fn dispatch_request(m: &mut Model) -> Vec<Effect> {
    let Some(r) = selected_request(m) else { return vec![] };
    let label = crate::domain::demand::Request::label(r.id);
    let status = r.status();
    let unsent = r.unsent();
    if unsent <= crate::domain::Qty::ZERO {
        let why = if status == crate::domain::demand::RequestStatus::Requested {
            t(m.lang, "toast.approve_first")
        } else {
            t(m.lang, "toast.nothing_to_send")
        };
        toast(m, format!("{label} {}: {why}", status.label(m.lang)), false);
        return vec![];
    }
    let pre = Prefill {
        point: Some(r.point.clone()),
        to: Some(r.requester.village().to_string()),
        item: Some(r.item.clone()),
        qty: Some(unsent.to_string()),
        request: Some(label),
        ..prefill(m)
    };
    // Everything is filled in: Enter logs it; the quantity can still be changed.
    open_form_with(m, FormKind::Dispatch, &pre, Some("qty"));
    vec![]
}

/// `g` on the point face: a delivery signed for at the checkpoint, the selected request's
/// delivery (or the newest one waiting) pre-filled with what was sent; with none waiting, a
/// toast says so.
fn sign(m: &mut Model) -> Vec<Effect> {
    let mut pre = prefill(m);
    let waiting = super::form::unsigned_deliveries(&m.state);
    let named = waiting.iter().copied().find(|d| Some(crate::domain::state::Dispatch::label(d.id)) == pre.dispatch);
    let own = || waiting.iter().copied().find(|d| pre.point.as_ref().is_none_or(|p| d.from == *p));
    let chosen = named.or_else(own);
    if chosen.is_none() {
        toast(m, t(m.lang, "toast.nothing_to_sign").to_string(), false);
        return vec![];
    }
    pre.dispatch = chosen.map(|d| crate::domain::state::Dispatch::label(d.id));
    pre.qty = chosen.map(|d| d.qty.to_string());
    open_form_with(m, FormKind::Deliver, &pre, Some("signed_by"));
    vec![]
}

/// The village of `point` whose tally is the most behind (never tallied, or the oldest last
/// tally), for the tally form. O(villages).
fn tally_due(m: &Model, point: &str) -> Option<String> {
    (m.state.villages.values())
        .filter(|v| v.point == point)
        .min_by_key(|v| (m.state.last_tally.get(&v.code).copied(), v.code.clone()))
        .map(|v| v.code.clone())
}
