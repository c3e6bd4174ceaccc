//! The requests part of `State::apply`: a request made, approved, refused or cancelled, the
//! share of a delivery that fulfils it and the receipt signed at the checkpoint. Each touches
//! only the rows of the requests and the dispatch named, so its cost does not grow with the
//! store. Imports only leaf types; never the rules.

use super::{State, ViewKey};
use crate::domain::command::{Command, Event};
use crate::domain::demand::{
    Approval, Booking, DemandSettings, EndKind, Ending, Request, Requester, Share, Slot, Tally, TallyLine,
};
use crate::domain::qty::Qty;
use chrono::NaiveDate;

impl State {
    /// Applies a request command (`Request`, `Approve`, `Refuse`, `CancelRequest`, `Deliver`,
    /// `Tally`; a request from a case links the case, a named delivery marks the household);
    /// other commands are not its business.
    pub(super) fn apply_request(&mut self, ev: &Event, touched: &mut Vec<ViewKey>) {
        match &ev.cmd {
            Command::Request { requester, item, qty, by, slot, urgent, note } => {
                let Some(id) = ev.resolved.request.as_deref().and_then(Request::parse_label) else { return };
                // What the engine resolved (a household's village, a case's requester and item).
                let requester = ev.resolved.requester.clone().unwrap_or_else(|| requester.clone());
                let item = ev.resolved.item.as_deref().unwrap_or(item);
                let point = self.villages.get(requester.village()).map(|v| v.point.clone()).unwrap_or_default();
                let request = Request {
                    slot: slot.clone(),
                    urgent: *urgent,
                    note: note.clone(),
                    ..fresh(ev, id, requester, point, item, *qty, *by)
                };
                self.requests.insert(id, request);
                touched.push(ViewKey::Request(id));
                self.link_case(ev, id, touched);
            }
            Command::Approve { request, qty, reason } => {
                if let Some(r) = self.request_mut(request, touched) {
                    let qty = qty.unwrap_or(r.qty);
                    r.approval = Some(Approval { qty, reason: reason.clone(), at: ev.at, by: ev.actor.clone() });
                }
            }
            Command::Refuse { request, reason } => self.end_request(ev, request, EndKind::Refused, reason, touched),
            Command::CancelRequest { request, reason } => {
                self.end_request(ev, request, EndKind::Cancelled, reason, touched)
            }
            Command::Deliver { qty, signed_by, household, .. } => {
                self.sign(ev, *qty, signed_by, touched);
                if let (Some(h), Some(item)) = (household, &ev.resolved.item) {
                    self.named_delivery(h, item, ev.at.date_naive(), touched);
                }
            }
            Command::Tally { village, date, lines, .. } => self.tally(ev, village, *date, lines, touched),
            Command::Schedule { request, slot, vehicle, .. } => {
                if let Some(r) = self.request_mut(request, touched) {
                    let date = ev.resolved.by.unwrap_or(r.by);
                    let (at, by) = (ev.at, ev.actor.clone());
                    r.booking = Some(Booking { slot: slot.trim().to_string(), date, vehicle: vehicle.clone(), at, by });
                }
            }
            _ => {}
        }
    }

    /// A tally: recorded, and each line a request needed by the delivery day, numbered on from
    /// the first.
    fn tally(&mut self, ev: &Event, village: &str, date: NaiveDate, lines: &[TallyLine], touched: &mut Vec<ViewKey>) {
        let point = self.villages.get(village).map(|v| v.point.clone()).unwrap_or_default();
        let delivery = ev.resolved.by.unwrap_or(date);
        let first = ev.resolved.request.as_deref().and_then(Request::parse_label);
        for (n, line) in lines.iter().enumerate() {
            let Some(id) = first.map(|f| f.saturating_add(n as u64)) else { break };
            let requester = Requester::Village { code: village.to_string() };
            let request = fresh(ev, id, requester, point.clone(), &line.item, line.qty, delivery);
            self.requests.insert(id, request);
            touched.push(ViewKey::Request(id));
        }
        let tally = Tally {
            village: village.to_string(),
            point,
            date,
            lines: lines.to_vec(),
            delivery,
            next_due: ev.resolved.next_due.unwrap_or(delivery),
            first_request: first,
            at: ev.at,
            by: ev.actor.clone(),
        };
        self.insert_tally(tally);
        touched.push(ViewKey::Tally(date, village.to_string()));
    }

    /// The delivery slots of a zone running on `date`: those imported (`Record::Slot`), then
    /// those of `[demand]` in `baogong.toml` not replaced by an imported one of the same code.
    /// O(slots).
    pub fn slots_on<'a>(&'a self, config: &'a DemandSettings, zone: &'a str, date: NaiveDate) -> Vec<&'a Slot> {
        let stored = self.settings.slots.iter().filter(|s| s.zone == zone && s.runs_on(date));
        let replaced = |code: &str| self.settings.slots.iter().any(|s| s.zone == zone && s.code == code);
        stored.chain(config.slots_on(zone, date).filter(|s| !replaced(&s.code))).collect()
    }

    /// Holds a tally and keeps each village's latest tally day.
    pub fn insert_tally(&mut self, t: Tally) {
        let last = self.last_tally.entry(t.village.clone()).or_insert(t.date);
        if *last < t.date {
            *last = t.date;
        }
        self.tallies.insert((t.date, t.village.clone()), t);
    }

    fn request_mut(&mut self, label: &str, touched: &mut Vec<ViewKey>) -> Option<&mut Request> {
        let id = Request::parse_label(label)?;
        let r = self.requests.get_mut(&id)?;
        touched.push(ViewKey::Request(id));
        Some(r)
    }

    fn end_request(&mut self, ev: &Event, label: &str, kind: EndKind, reason: &str, touched: &mut Vec<ViewKey>) {
        if let Some(r) = self.request_mut(label, touched) {
            r.ending = Some(Ending { kind, reason: reason.to_string(), at: ev.at, by: ev.actor.clone() });
        }
    }

    /// A delivery sent: each request it names gets its share.
    pub(super) fn share_out(&mut self, ev: &Event, dispatch: u64, touched: &mut Vec<ViewKey>) {
        for s in &ev.resolved.shares {
            if let Some(r) = self.requests.get_mut(&s.request) {
                r.shares.push(Share { dispatch, sent: s.qty, delivered: None, signed_by: None });
                touched.push(ViewKey::Request(s.request));
            }
        }
    }

    /// A delivery signed for at the checkpoint: the dispatch records the receipt, each request
    /// it fulfils what arrived of its share.
    fn sign(&mut self, ev: &Event, qty: Qty, signed_by: &str, touched: &mut Vec<ViewKey>) {
        let Some(id) = ev.resolved.dispatch.as_deref().and_then(super::Dispatch::parse_label) else { return };
        if let Some(d) = self.dispatches.get_mut(&id) {
            d.received_qty = Some(qty);
            d.received_at = Some(ev.at);
            d.received_by = Some(ev.actor.clone());
            d.signed_by = Some(signed_by.to_string());
            if self.deliveries.contains(&id) {
                touched.push(ViewKey::Delivery(id));
            }
        }
        for s in &ev.resolved.shares {
            let Some(r) = self.requests.get_mut(&s.request) else { continue };
            if let Some(share) = r.shares.iter_mut().find(|x| x.dispatch == id) {
                share.delivered = Some(s.qty);
                share.signed_by = Some(signed_by.to_string());
                touched.push(ViewKey::Request(s.request));
            }
        }
    }
}

/// A new request as an event makes it: nothing approved, sent or ended yet.
fn fresh(ev: &Event, id: u64, requester: Requester, point: String, item: &str, qty: Qty, by: NaiveDate) -> Request {
    Request {
        id,
        requester,
        point,
        item: item.to_string(),
        qty,
        by,
        slot: None,
        urgent: false,
        note: String::new(),
        at: ev.at,
        asked_by: ev.actor.clone(),
        approval: None,
        shares: Vec::new(),
        ending: None,
        booking: None,
    }
}
