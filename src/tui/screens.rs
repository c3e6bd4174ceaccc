//! What the keys do on the console's list screens: the hotline screen (`K`: a call taken, the
//! selected case assigned, resolved, closed, reopened, or turned into a request in one step) and
//! the households screen (`H`: a request for the named delivery due) and the vehicles screen
//! (`V`: the selected vehicle's pass renewed). Each opens an ordinary
//! form (drafts, completion, rejections as everywhere) or sends one command; part of `update`,
//! so pure: no I/O, no clock, nothing that draws. Must not import the loop, `cli`, `link` or
//! the store.

use super::form::{FormKind, Prefill};
use super::keymap::Action;
use super::model::{
    case_rows, due_need, household_rows, selected_case, selected_household, selected_vehicle, vehicle_rows, Model,
    Overlay, Screen,
};
use super::update::{moved, open_form_with, toast, Effect};
use crate::api::Request;
use crate::domain::command::Command;
use crate::domain::hotline::{Case, CaseStatus};
use crate::i18n::t;

/// Moves a screen's selection within `len` rows, or closes it. True when the action was one
/// of these.
fn navigate(m: &mut Model, a: Action, len: usize) -> bool {
    let last = len.saturating_sub(1);
    let Some(Overlay::Hotline(s) | Overlay::Households(s) | Overlay::Vehicles(s)) = m.overlays.last_mut() else {
        return false;
    };
    let Screen { sel, .. } = s;
    if let Some(to) = moved(*sel, a, last) {
        *sel = to;
        return true;
    }
    match a {
        Action::Close => {
            m.overlays.pop();
            true
        }
        Action::Filter => {
            m.overlays.push(Overlay::Filter);
            true
        }
        _ => false,
    }
}

/// A key on the hotline screen.
pub fn hotline_key(m: &mut Model, a: Action) -> Vec<Effect> {
    let len = case_rows(m).len();
    if navigate(m, a, len) {
        return vec![];
    }
    if a == Action::NewCase {
        // A new call starts empty: caller, phone, where, what.
        let pre = Prefill { today: Some(m.now.date_naive()), ..Prefill::default() };
        open_form_with(m, FormKind::Case, &pre, None);
        return vec![];
    }
    let Some(c) = selected_case(m) else {
        toast(m, t(m.lang, "hotline.none").to_string(), false);
        return vec![];
    };
    match a {
        Action::Assign => {
            let pre = Prefill { case: Some(Case::label(c.id)), assignee: c.assigned_to.clone(), ..Prefill::default() };
            open_form_with(m, FormKind::Assign, &pre, Some("assignee"));
        }
        Action::Resolve => {
            let request = c.request.map(crate::domain::demand::Request::label);
            let pre = Prefill { case: Some(Case::label(c.id)), request, ..Prefill::default() };
            open_form_with(m, FormKind::Resolve, &pre, Some("text"));
        }
        Action::CloseCase => return step(m, Command::CloseCase { case: Case::label(c.id) }),
        Action::Reopen => return step(m, Command::ReopenCase { case: Case::label(c.id) }),
        Action::MakeRequest => request_for_case(m, &c),
        _ => {}
    }
    vec![]
}

/// Close or reopen: one command, no form; its answer comes back as a toast (a refusal names
/// the case's status).
fn step(m: &mut Model, cmd: Command) -> Vec<Effect> {
    vec![Effect::Submit(Request { cmd_id: m.ids.next_id(), cmd })]
}

/// The request form filled in from a case: whoever it is about, its item, its priority, what
/// was said as the note, the case named (so saving links it, as `log request --case` does);
/// the quantity of the household's need of that item when there is one. Urgent cases are
/// needed today, others tomorrow. A closed case is said in a toast.
fn request_for_case(m: &mut Model, c: &Case) {
    if c.status == CaseStatus::Closed {
        toast(m, format!("{}: {}", Case::label(c.id), c.status.label(m.lang)), false);
        return;
    }
    let today = m.now.date_naive();
    let need = (c.household.as_ref().and_then(|h| m.state.households.get(h)))
        .and_then(|h| h.needs.iter().find(|n| Some(&n.item) == c.item.as_ref()));
    let pre = Prefill {
        requester: Some(c.household.clone().unwrap_or_else(|| c.village.clone())),
        item: c.item.clone(),
        qty: need.map(|n| n.qty.to_string()),
        by: Some(if c.urgent { today } else { today.succ_opt().unwrap_or(today) }),
        urgent: Some(c.urgent),
        note: Some(c.text.clone()),
        case: Some(Case::label(c.id)),
        today: Some(today),
        ..Prefill::default()
    };
    let focus = if c.item.is_none() { "item" } else { "qty" };
    open_form_with(m, FormKind::Request, &pre, Some(focus));
}

/// A key on the households screen: Enter opens the request form for the named delivery due
/// (the household, the need's item and quantity, needed by its due day or today if that has
/// passed, urgent when overdue).
pub fn households_key(m: &mut Model, a: Action) -> Vec<Effect> {
    let len = household_rows(m).len();
    if navigate(m, a, len) || a != Action::MakeRequest {
        return vec![];
    }
    let Some(h) = selected_household(m) else { return vec![] };
    let today = m.now.date_naive();
    let Some(need) = due_need(&h) else {
        toast(m, format!("{}: {}", h.code, t(m.lang, "households.no_needs")), false);
        return vec![];
    };
    let due = need.due(h.registered);
    let pre = Prefill {
        requester: Some(h.code.clone()),
        item: Some(need.item.clone()),
        qty: Some(need.qty.to_string()),
        by: Some(due.max(today)),
        urgent: Some(due < today),
        today: Some(today),
        ..Prefill::default()
    };
    open_form_with(m, FormKind::Request, &pre, Some("qty"));
    vec![]
}

/// A key on the vehicles screen: `r` or Enter opens the renew-pass form for the selected
/// vehicle (its plate and present pass number filled in, the focus on the new last day); saving
/// sends `Pass`, the very command `log pass` sends.
pub fn vehicles_key(m: &mut Model, a: Action) -> Vec<Effect> {
    let len = vehicle_rows(m).len();
    if navigate(m, a, len) || a != Action::RenewPass {
        return vec![];
    }
    let Some(r) = selected_vehicle(m) else {
        toast(m, t(m.lang, "vehicles.none").to_string(), false);
        return vec![];
    };
    let pre = Prefill {
        vehicle: Some(r.vehicle.plate.clone()),
        pass_no: Some(r.vehicle.pass_no.clone()),
        today: Some(m.now.date_naive()),
        ..Prefill::default()
    };
    open_form_with(m, FormKind::Pass, &pre, Some("valid_until"));
    vec![]
}
