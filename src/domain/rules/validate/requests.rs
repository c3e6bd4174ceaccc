//! Validation of the demand commands: `Request`, `Approve`, `Refuse`, `CancelRequest`, the
//! requests a delivery names (`Dispatch … requests`) and `Deliver`, the receipt signed at the
//! village checkpoint. A point's clerk handles its own villages' requests; approving and refusing
//! is for the serving point's manager or an officer (`[demand] approve_by`). Each check reads
//! the requests and the dispatch named only: its cost does not grow with the store.
//! Imports domain types and the shared checks of `validate` only.

use super::{check_code, check_name, check_text, item, may_write_point, officer_only, quantity, rej, Ctx, R};
use crate::domain::command::{Dest, RequestShare, Resolved};
use crate::domain::demand::{Approver, Request, RequestStatus, Requester};
use crate::domain::hotline::Case;
use crate::domain::lang::Lang;
use crate::domain::qty::Qty;
use crate::domain::reject::{Reason, Rejection};
use crate::domain::state::{Dispatch, State};
use chrono::NaiveDate;

/// How far ahead a needed-by date may lie: anything later is a typing mistake.
pub const MAX_BY_DAYS: i64 = 366;

/// What a new request needs: a known requester the caller may write for, a known item, a
/// sensible quantity and a needed-by day from today to a year ahead.
pub(super) struct NewRequest<'a> {
    pub requester: &'a Requester,
    pub item: &'a str,
    pub qty: Qty,
    pub by: NaiveDate,
    pub slot: Option<&'a str>,
    pub note: &'a str,
}

pub(super) fn request(state: &State, ctx: &Ctx, new: &NewRequest) -> R<Resolved> {
    let (requester, from_case) = resolve_requester(state, ctx, new.requester, new.item)?;
    let point = serving_point(state, &requester)?;
    may_write_point(ctx.access, "village", &point)?;
    let it = item(state, from_case.as_deref().unwrap_or(new.item))?;
    quantity("qty", new.qty, it)?;
    let today = ctx.now.date_naive();
    if new.by < today {
        return rej("by", Reason::BeforeToday { date: new.by.to_string() });
    }
    if (new.by - today).num_days() > MAX_BY_DAYS {
        return rej("by", Reason::FarFuture { date: new.by.to_string(), years: 1 });
    }
    if let Some(slot) = new.slot {
        slot_of(state, ctx, &point, slot, new.by)?;
    }
    check_text("note", new.note)?;
    let resolved = (requester != *new.requester).then_some(requester);
    Ok(Resolved {
        request: Some(Request::label(next_request(state, ctx.seq))),
        requester: resolved,
        item: from_case,
        ..Resolved::default()
    })
}

/// Who a request is really from: a household with its village filled in, a case's household or
/// village; and, for a case asked without an item, the case's item.
fn resolve_requester(state: &State, ctx: &Ctx, asked: &Requester, item: &str) -> R<(Requester, Option<String>)> {
    let of_household = |code: &str| -> R<Requester> {
        let h = super::hotline::household(state, code)?;
        Ok(Requester::Household { code: h.code.clone(), village: h.village.clone() })
    };
    match asked {
        Requester::Village { .. } => Ok((asked.clone(), None)),
        Requester::Household { code, .. } => Ok((of_household(code)?, None)),
        Requester::Case { id } => {
            let c = super::hotline::case_for_request(state, ctx, id)?;
            let requester = match &c.household {
                Some(h) => of_household(h)?,
                None => Requester::Village { code: c.village.clone() },
            };
            let item = match (item.trim().is_empty(), &c.item) {
                (false, _) => None,
                (true, Some(i)) => Some(i.clone()),
                (true, None) => return rej("item", Reason::CaseWithoutItem { id: Case::label(c.id) }),
            };
            Ok((requester, item))
        }
    }
}

/// A slot of the zone of `point` running on `date`: anything else is refused naming the
/// zone's slots that day. O(slots configured).
fn slot_of(state: &State, ctx: &Ctx, point: &str, slot: &str, date: NaiveDate) -> R<()> {
    check_code("slot", slot)?;
    let zone = state.points.get(point).map_or("", |p| p.zone.as_str());
    let slots = state.slots_on(ctx.demand, zone, date);
    if slots.iter().any(|s| s.code == slot.trim()) {
        return Ok(());
    }
    let known: Vec<&str> = slots.iter().map(|s| s.code.as_str()).collect();
    let known = if known.is_empty() { "-".to_string() } else { known.join(", ") };
    rej("slot", Reason::UnknownSlot { slot: slot.to_string(), zone: zone.to_string(), known })
}

/// Booking an approved request (or re-booking a scheduled one) into a slot of its zone on a
/// day from today on (default its needed-by day), by its point or an officer; a vehicle named
/// must be its point's.
pub(super) fn schedule(
    state: &State,
    ctx: &Ctx,
    label: &str,
    slot: &str,
    date: Option<NaiveDate>,
    vehicle: Option<&str>,
) -> R<Resolved> {
    let r = known(state, label)?;
    may_write_point(ctx.access, "request", &r.point)?;
    in_status(r, &[RequestStatus::Approved, RequestStatus::Scheduled])?;
    let date = date.unwrap_or(r.by);
    if date < ctx.now.date_naive() {
        return rej("date", Reason::BeforeToday { date: date.to_string() });
    }
    slot_of(state, ctx, &r.point, slot, date)?;
    if let Some(plate) = vehicle {
        check_code("vehicle", plate)?;
        let v = state
            .vehicles
            .get(plate)
            .ok_or_else(|| Rejection::new("vehicle", Reason::UnknownVehicle { plate: plate.to_string() }))?;
        if v.point != r.point {
            return rej("vehicle", Reason::VehicleOfOther { plate: plate.to_string(), point: v.point.clone() });
        }
    }
    Ok(Resolved { by: Some(date), ..acted_on(r) })
}

/// The number of the next request: the event's sequence number, or past the newest request
/// when a tally's lines have numbered beyond it (each line is a request, numbered on).
pub(super) fn next_request(state: &State, seq: u64) -> u64 {
    let after = state.requests.last_key_value().map_or(0, |(id, _)| id.saturating_add(1));
    seq.max(after)
}

/// The point that serves a requester.
fn serving_point(state: &State, requester: &Requester) -> R<String> {
    match requester {
        Requester::Case { id } => rej("case", Reason::UnknownCase { id: id.clone() }),
        Requester::Village { code } | Requester::Household { village: code, .. } => {
            check_code("village", code)?;
            let v = state
                .villages
                .get(code)
                .ok_or_else(|| Rejection::new("village", Reason::UnknownVillage { code: code.clone() }))?;
            Ok(v.point.clone())
        }
    }
}

/// A known request (field `request`).
fn known<'a>(state: &'a State, label: &str) -> R<&'a Request> {
    check_code("request", label)?;
    Request::parse_label(label)
        .and_then(|id| state.requests.get(&id))
        .ok_or_else(|| Rejection::new("request", Reason::UnknownRequest { id: label.to_string() }))
}

/// Refuses a request not in one of `allowed`.
fn in_status(r: &Request, allowed: &[RequestStatus]) -> R<()> {
    let status = r.status();
    if allowed.contains(&status) {
        return Ok(());
    }
    let (en, zh) = (status.label(Lang::En).to_string(), status.label(Lang::Zh).to_string());
    rej("request", Reason::RequestIs { id: Request::label(r.id), status: en, status_zh: zh })
}

/// Whether the caller may approve or refuse the requests of `point`.
fn may_approve(ctx: &Ctx, point: &str) -> R<()> {
    match ctx.demand.approve_by {
        Approver::Point => may_write_point(ctx.access, "request", point),
        Approver::Officer => officer_only(ctx.access, "request"),
    }
}

fn acted_on(r: &Request) -> Resolved {
    Resolved { request: Some(Request::label(r.id)), ..Resolved::default() }
}

/// Approval of a request waiting for it, for at most what it asks; a reason is required when
/// less is approved.
pub(super) fn approve(state: &State, ctx: &Ctx, label: &str, qty: Option<Qty>, reason: &str) -> R<Resolved> {
    let r = known(state, label)?;
    may_approve(ctx, &r.point)?;
    in_status(r, &[RequestStatus::Requested])?;
    check_text("reason", reason)?;
    if let Some(q) = qty {
        if let Some(it) = state.items.get(&r.item) {
            quantity("qty", q, it)?;
        }
        if q > r.qty {
            return rej("qty", Reason::MoreThanRequested { requested: r.qty.to_string() });
        }
        if q < r.qty && reason.trim().is_empty() {
            return rej("reason", Reason::Empty);
        }
    }
    Ok(acted_on(r))
}

/// Refusal of a request nothing has been sent for, with a reason.
pub(super) fn refuse(state: &State, ctx: &Ctx, label: &str, reason: &str) -> R<Resolved> {
    let r = known(state, label)?;
    may_approve(ctx, &r.point)?;
    in_status(r, &[RequestStatus::Requested, RequestStatus::Approved, RequestStatus::Scheduled])?;
    check_code("reason", reason)?;
    Ok(acted_on(r))
}

/// Cancellation of an open request by its point, with a reason; not while goods sent for it
/// wait to be signed for (sign or record the shortfall first).
pub(super) fn cancel(state: &State, ctx: &Ctx, label: &str, reason: &str) -> R<Resolved> {
    let r = known(state, label)?;
    may_write_point(ctx.access, "request", &r.point)?;
    if !r.status().is_open() {
        in_status(r, &[])?;
    }
    if let Some(d) = r.unsigned().next() {
        return rej("request", Reason::AwaitingSignature { dispatch: Dispatch::label(d) });
    }
    check_code("reason", reason)?;
    Ok(acted_on(r))
}

/// The requests a delivery names: each known, approved and open, for this village and item, no
/// request twice; the quantity is shared among them in order, each taking at most what is
/// approved and not yet sent, and no more may be sent than that in all.
pub(super) fn shares(state: &State, to: &Dest, item_code: &str, qty: Qty, labels: &[String]) -> R<Vec<RequestShare>> {
    if labels.is_empty() {
        return Ok(Vec::new());
    }
    let Dest::Village(village) = to else { return rej("request", Reason::RequestsGoToVillages) };
    let mut left = qty;
    let mut out: Vec<RequestShare> = Vec::with_capacity(labels.len());
    for label in labels {
        let r = known(state, label)?;
        if out.iter().any(|s| s.request == r.id) {
            return rej("request", Reason::NamedTwice { id: Request::label(r.id) });
        }
        in_status(
            r,
            &[RequestStatus::Approved, RequestStatus::Scheduled, RequestStatus::Dispatched, RequestStatus::Delivered],
        )?;
        if r.requester.village() != village {
            let other = r.requester.village().to_string();
            return rej("request", Reason::RequestOfOther { id: Request::label(r.id), of: other });
        }
        if r.item != item_code {
            return rej("request", Reason::RequestOfOther { id: Request::label(r.id), of: r.item.clone() });
        }
        let take = if r.unsent() < left { r.unsent() } else { left };
        if take <= Qty::ZERO {
            return rej("request", Reason::GetsNothing { id: Request::label(r.id) });
        }
        out.push(RequestShare { request: r.id, qty: take });
        left -= take;
    }
    if left > Qty::ZERO {
        let room: Qty = out.iter().map(|s| s.qty).sum();
        return rej("qty", Reason::MoreThanApproved { left: room.to_string() });
    }
    Ok(out)
}

/// The receipt of a delivery to a village at its checkpoint, by its point (or the village's):
/// once, for no more than was sent, signed by a name. The quantity is shared among the requests
/// the delivery named in their order, each up to what was sent for it.
/// The receipt of a delivery as a named delivery to a household of the village it went to;
/// none of the requests it names may be another household's. Records the item delivered.
pub(super) fn named(state: &State, dispatch: &str, code: &str, res: Resolved) -> R<Resolved> {
    let h = super::hotline::household(state, code)?;
    let id = Dispatch::parse_label(dispatch);
    let d = id.and_then(|id| state.dispatch(id)).map(|d| (d.to.clone(), d.item.clone()));
    let Some((Dest::Village(village), item)) = d else {
        return rej("dispatch", Reason::UnknownDispatch { id: dispatch.to_string() });
    };
    if village != h.village {
        return rej("household", Reason::HouseholdElsewhere { household: h.code.clone(), village: h.village.clone() });
    }
    for s in &res.shares {
        let other = state.requests.get(&s.request).and_then(|r| r.requester.household()).filter(|o| *o != h.code);
        if let Some(o) = other {
            return rej("household", Reason::RequestOfOther { id: Request::label(s.request), of: o.to_string() });
        }
    }
    Ok(Resolved { item: Some(item), ..res })
}

pub(super) fn deliver(state: &State, ctx: &Ctx, label: &str, qty: Qty, signed_by: &str, note: &str) -> R<Resolved> {
    let (id, d) = super::receive::known_dispatch(state, ctx, label)?;
    let d = d.as_ref();
    let Dest::Village(village) = &d.to else {
        return rej("dispatch", Reason::NotADelivery { id: Dispatch::label(id) });
    };
    let served_by = state.villages.get(village).map(|v| v.point.as_str());
    if may_write_point(ctx.access, "dispatch", &d.from).is_err() {
        may_write_point(ctx.access, "dispatch", served_by.unwrap_or(&d.from))?;
    }
    let requests: Vec<&Request> =
        d.requests.iter().filter_map(|l| Request::parse_label(l)).filter_map(|r| state.requests.get(&r)).collect();
    let signed = d.signed_by.is_some()
        || requests.iter().any(|r| r.shares.iter().any(|s| s.dispatch == id && s.delivered.is_some()));
    if signed {
        let at = d.received_at.map(|t| t.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default();
        return rej("dispatch", Reason::AlreadyReceived { id: Dispatch::label(id), at });
    }
    if state.dispatch(id).is_none() && requests.is_empty() {
        return rej("dispatch", Reason::DeliveryTooOld { id: Dispatch::label(id) });
    }
    if qty.0 < 0 {
        return rej("qty", Reason::NotPositive);
    }
    if qty > d.qty {
        return rej("qty", Reason::MoreThanSent { sent: d.qty.to_string() });
    }
    if let Some(it) = state.items.get(&d.item) {
        if !it.divisible() && !qty.is_whole() {
            return rej("qty", Reason::NotWhole { unit: it.unit.clone() });
        }
    }
    check_name("signed_by", signed_by)?;
    check_text("note", note)?;
    let mut left = qty;
    let mut shares = Vec::with_capacity(requests.len());
    for r in requests {
        let sent = r.shares.iter().find(|s| s.dispatch == id).map_or(Qty::ZERO, |s| s.sent);
        let got = if sent < left { sent } else { left };
        shares.push(RequestShare { request: r.id, qty: got });
        left -= got;
    }
    Ok(Resolved { dispatch: Some(Dispatch::label(id)), shares, ..Resolved::default() })
}
