//! `State::apply`: the one function that changes the state, from an accepted event, and reports
//! which view rows it touched (the store writes exactly those). Imports the leaf types and the
//! retention bound on deliveries; never the rules.

use super::{Dispatch, Flow, Lot, Pair, PriceObs, Report, State, ViewKey};
use crate::domain::alerts::{Alert, AlertDelta};
use crate::domain::command::{Command, Dest, Event, LotTake, Record};
use crate::domain::qty::Qty;
use crate::domain::retention::HOT_CLOSED_DISPATCHES;
use crate::domain::roster::Handover;
use chrono::{DateTime, FixedOffset, NaiveDate};

impl State {
    /// Applies an accepted event, returning the view rows it touched.
    pub fn apply(&mut self, ev: &Event) -> Vec<ViewKey> {
        let mut touched = Vec::new();
        if !self.apply_command(ev, &mut touched) {
            return touched;
        }
        self.apply_alerts(&ev.alerts, ev.at, &mut touched);
        self.last_seq = ev.seq;
        self.last_at = Some(ev.at);
        touched.sort();
        touched.dedup();
        touched
    }

    /// The command's part of `apply`. False for a receipt of a delivery to a village (validation
    /// refuses one), which changes nothing at all, not even the sequence number.
    fn apply_command(&mut self, ev: &Event, touched: &mut Vec<ViewKey>) -> bool {
        let day = ev.at.date_naive();
        match &ev.cmd {
            Command::Town { name, code } => {
                self.settings.town = name.clone();
                self.settings.code = code.clone();
                touched.push(ViewKey::Settings);
            }
            Command::Upsert { records } => {
                for r in records {
                    self.upsert(r.clone(), touched);
                }
            }
            Command::Restock { point, item, qty, .. } => {
                for lot in &ev.resolved.lots {
                    touched.push(self.add_lot(point, item, lot));
                }
                self.flow_mut(day, point, item).restocked += *qty;
                self.after_change(day, point, item, touched);
            }
            Command::Dispatch { from, to, item, qty, .. } => self.send(ev, from, to, item, *qty, touched),
            Command::Receive { dispatch, .. } => return self.receive(ev, dispatch, touched),
            Command::Adjust { point, item, delta, .. } => self.adjust(ev, point, item, *delta, touched),
            Command::Price { point, item, fen } => {
                self.prices.insert(
                    (day, point.clone(), item.clone()),
                    PriceObs { date: day, point: point.clone(), item: item.clone(), fen: *fen, at: ev.at },
                );
                touched.push(ViewKey::Price(day, point.clone(), item.clone()));
            }
            Command::Report { point, date, zero, note } => {
                let report = Report {
                    date: *date,
                    point: point.clone(),
                    zero: *zero,
                    note: note.clone(),
                    at: ev.at,
                    by: ev.actor.clone(),
                };
                self.reports.insert((*date, point.clone()), report);
                touched.push(ViewKey::Report(*date, point.clone()));
            }
            Command::Handover { to, note } => {
                let from = ev.resolved.from.clone().unwrap_or_default();
                let handover = Handover { seq: ev.seq, at: ev.at, from, to: to.clone(), note: note.clone() };
                self.handovers.insert(ev.seq, handover);
                touched.push(ViewKey::Handover(ev.seq));
            }
            Command::Ack { alert } => {
                if let Some(a) = Alert::parse_label(alert).and_then(|id| self.alerts.get_mut(&id)) {
                    a.acked_by = Some(ev.actor.clone());
                    a.acked_at = Some(ev.at);
                    a.acked_on_duty = ev.resolved.on_duty.clone();
                    touched.push(ViewKey::Alert(a.id));
                }
            }
            Command::Level { level } => {
                self.settings.level = *level;
                touched.push(ViewKey::Settings);
            }
            Command::Tick => {}
            Command::Pass { vehicle, number, valid_until } => {
                if let Some(v) = self.vehicles.get_mut(vehicle) {
                    v.pass_no = number.clone();
                    v.pass_valid_until = *valid_until;
                    touched.push(ViewKey::Vehicle(vehicle.clone()));
                }
            }
            Command::Count { point, item, .. } => {
                self.adjust(ev, point, item, ev.resolved.delta.unwrap_or(Qty::ZERO), touched)
            }
            Command::Unack { alert } => {
                if let Some(a) = Alert::parse_label(alert).and_then(|id| self.alerts.get_mut(&id)) {
                    a.acked_by = None;
                    a.acked_at = None;
                    a.acked_on_duty = None;
                    touched.push(ViewKey::Alert(a.id));
                }
            }
            Command::Request { .. }
            | Command::Approve { .. }
            | Command::Refuse { .. }
            | Command::CancelRequest { .. }
            | Command::Deliver { .. }
            | Command::Tally { .. }
            | Command::Schedule { .. } => self.apply_request(ev, touched),
            Command::Assemble { point, kit, .. } => self.kit_change(ev, point, kit, true, touched),
            Command::Unpack { point, kit, .. } => self.kit_change(ev, point, kit, false, touched),
            Command::Households { .. }
            | Command::Case { .. }
            | Command::AssignCase { .. }
            | Command::ResolveCase { .. }
            | Command::ReopenCase { .. }
            | Command::CloseCase { .. } => self.apply_hotline(ev, touched),
        }
        true
    }

    /// A dispatch: stock leaves `from`; a transfer is in flight, a delivery joins the newest ones.
    fn send(&mut self, ev: &Event, from: &str, to: &Dest, item: &str, qty: Qty, touched: &mut Vec<ViewKey>) {
        let day = ev.at.date_naive();
        for lot in &ev.resolved.lots {
            touched.push(self.take_lot(from, item, lot));
        }
        let f = self.flow_mut(day, from, item);
        match to {
            Dest::Point(_) => f.transferred += qty,
            Dest::Village(_) => f.delivered += qty,
        }
        self.after_change(day, from, item, touched);
        let Some(d) = Dispatch::of_event(ev) else { return };
        let id = d.id;
        self.dispatches.insert(id, d);
        self.share_out(ev, id, touched);
        match to {
            Dest::Point(_) => {
                touched.push(ViewKey::Dispatch(id));
                touched.push(ViewKey::InFlight(id));
            }
            Dest::Village(_) => {
                self.deliveries.insert(id);
                touched.push(ViewKey::Delivery(id));
                while self.deliveries.len() > HOT_CLOSED_DISPATCHES {
                    if let Some(old) = self.deliveries.pop_first() {
                        touched.push(ViewKey::Delivery(old));
                    }
                }
            }
        }
    }

    /// A receipt: the transfer is closed and what arrived joins the destination's stock. False
    /// when the dispatch is a delivery to a village.
    fn receive(&mut self, ev: &Event, dispatch: &str, touched: &mut Vec<ViewKey>) -> bool {
        let id = Dispatch::parse_label(dispatch);
        let Some(d) = id.and_then(|id| self.dispatches.get_mut(&id)) else { return true };
        let total: Qty = ev.resolved.lots.iter().map(|l| l.qty).sum();
        d.received_qty = Some(total);
        d.received_at = Some(ev.at);
        d.received_by = Some(ev.actor.clone());
        let (dest, item, id) = match &d.to {
            Dest::Point(p) => (p.clone(), d.item.clone(), d.id),
            Dest::Village(_) => return false,
        };
        touched.push(ViewKey::Dispatch(id));
        touched.push(ViewKey::InFlight(id));
        for lot in &ev.resolved.lots {
            touched.push(self.add_lot(&dest, &item, lot));
        }
        let day = ev.at.date_naive();
        self.flow_mut(day, &dest, &item).received += total;
        self.after_change(day, &dest, &item, touched);
        true
    }

    /// An assembly (`made`: components out, kits in) or an unpacking (kits out, components in),
    /// as the event resolved it: the kit's lots in `lots`, each component's in `parts`.
    fn kit_change(&mut self, ev: &Event, point: &str, kit: &str, made: bool, touched: &mut Vec<ViewKey>) {
        let day = ev.at.date_naive();
        let mut moves: Vec<(&str, &[LotTake], bool)> = vec![(kit, &ev.resolved.lots, made)];
        moves.extend(ev.resolved.parts.iter().map(|p| (p.item.as_str(), p.lots.as_slice(), !made)));
        for (item, lots, adds) in moves {
            let mut moved = Qty::ZERO;
            for lot in lots {
                moved += lot.qty;
                touched.push(if adds { self.add_lot(point, item, lot) } else { self.take_lot(point, item, lot) });
            }
            let f = self.flow_mut(day, point, item);
            if adds {
                f.kitted_in += moved;
            } else {
                f.kitted_out += moved;
            }
            self.after_change(day, point, item, touched);
        }
    }

    /// A count correction: lots grow or shrink by `delta`.
    fn adjust(&mut self, ev: &Event, point: &str, item: &str, delta: Qty, touched: &mut Vec<ViewKey>) {
        let day = ev.at.date_naive();
        for lot in &ev.resolved.lots {
            if delta > Qty::ZERO {
                touched.push(self.add_lot(point, item, lot));
            } else {
                touched.push(self.take_lot(point, item, lot));
            }
        }
        let f = self.flow_mut(day, point, item);
        if delta > Qty::ZERO {
            f.adjusted_in += delta;
        } else {
            f.adjusted_out += Qty(delta.0.saturating_neg());
        }
        self.after_change(day, point, item, touched);
    }

    /// Applies an event's alert changes (part of `apply`; the engine calls it on its own once
    /// it has computed the delta of a command it just applied).
    pub fn apply_alerts(&mut self, delta: &AlertDelta, at: DateTime<FixedOffset>, touched: &mut Vec<ViewKey>) {
        for id in &delta.cleared {
            if let Some(a) = self.alerts.get_mut(id) {
                a.cleared_at = Some(at);
                self.open_alerts.remove(&a.key());
                touched.push(ViewKey::Alert(*id));
                touched.push(ViewKey::OpenAlert(*id));
            }
        }
        for a in &delta.raised {
            self.open_alerts.insert(a.key(), a.id);
            if a.id >= self.settings.next_alert {
                self.settings.next_alert = a.id + 1;
                touched.push(ViewKey::Settings);
            }
            touched.push(ViewKey::Alert(a.id));
            touched.push(ViewKey::OpenAlert(a.id));
            self.alerts.insert(a.id, a.clone());
        }
    }

    fn upsert(&mut self, r: Record, touched: &mut Vec<ViewKey>) {
        let k = match r {
            Record::Zone(z) => {
                let k = ViewKey::Zone(z.code.clone());
                self.zones.insert(z.code.clone(), z);
                k
            }
            Record::Point(p) => {
                let k = ViewKey::Point(p.code.clone());
                // A carried item is a pair from now on, held or not (never removed by a later
                // list without it: the pair has been carried).
                for item in &p.carries {
                    if let std::collections::btree_map::Entry::Vacant(e) =
                        self.pairs.entry((p.code.clone(), item.clone()))
                    {
                        e.insert(Pair { point: p.code.clone(), item: item.clone(), zero_since: None });
                        touched.push(ViewKey::Pair(p.code.clone(), item.clone()));
                    }
                }
                self.points.insert(p.code.clone(), p);
                k
            }
            Record::Village(v) => {
                let k = ViewKey::Village(v.code.clone());
                self.villages.insert(v.code.clone(), v);
                k
            }
            Record::Item(i) => {
                let k = ViewKey::Item(i.code.clone());
                self.items.insert(i.code.clone(), i);
                k
            }
            Record::Person(p) => {
                let k = ViewKey::Person(p.name.clone());
                self.people.insert(p.name.clone(), p);
                k
            }
            Record::Shift(s) => {
                let k = ViewKey::Shift(s.start);
                self.shifts.insert(s.start, s);
                k
            }
            Record::Slot(s) => {
                let slots = &mut self.settings.slots;
                match slots.iter_mut().find(|x| x.zone == s.zone && x.code == s.code) {
                    Some(x) => *x = s,
                    None => slots.push(s),
                }
                ViewKey::Settings
            }
            Record::Level(l) => {
                let levels = &mut self.settings.levels;
                match levels.iter_mut().find(|x| x.level == l.level) {
                    Some(x) => *x = l,
                    None => levels.push(l),
                }
                ViewKey::Settings
            }
            Record::Vehicle(v) => {
                let k = ViewKey::Vehicle(v.plate.clone());
                self.vehicles.insert(v.plate.clone(), v);
                k
            }
        };
        touched.push(k);
    }

    fn add_lot(&mut self, point: &str, item: &str, take: &LotTake) -> ViewKey {
        let key = (point.to_string(), item.to_string(), take.batch.clone());
        let lot = self.lots.entry(key).or_insert_with(|| Lot {
            point: point.to_string(),
            item: item.to_string(),
            batch: take.batch.clone(),
            qty: Qty::ZERO,
            expiry: take.expiry,
        });
        lot.qty += take.qty;
        if lot.expiry.is_none() {
            lot.expiry = take.expiry;
        }
        ViewKey::Lot(point.to_string(), item.to_string(), take.batch.clone())
    }

    fn take_lot(&mut self, point: &str, item: &str, take: &LotTake) -> ViewKey {
        let key = (point.to_string(), item.to_string(), take.batch.clone());
        if let Some(lot) = self.lots.get_mut(&key) {
            lot.qty -= take.qty;
            if lot.qty <= Qty::ZERO {
                self.lots.remove(&key);
            }
        }
        ViewKey::Lot(point.to_string(), item.to_string(), take.batch.clone())
    }

    fn flow_mut(&mut self, day: NaiveDate, point: &str, item: &str) -> &mut Flow {
        self.flows.entry((day, point.to_string(), item.to_string())).or_insert_with(|| Flow {
            date: day,
            point: point.to_string(),
            item: item.to_string(),
            ..Flow::default()
        })
    }

    /// Brings the pair and the day's flow up to date after stock at a point changed.
    fn after_change(&mut self, day: NaiveDate, point: &str, item: &str, touched: &mut Vec<ViewKey>) {
        let total = self.qty(point, item);
        let f = self.flow_mut(day, point, item);
        f.closing = total;
        if total <= Qty::ZERO {
            f.stocked_out = true;
        }
        let pair = self.pairs.entry((point.to_string(), item.to_string())).or_insert_with(|| Pair {
            point: point.to_string(),
            item: item.to_string(),
            zero_since: None,
        });
        let zero_since = if total <= Qty::ZERO { pair.zero_since.or(Some(day)) } else { None };
        pair.zero_since = zero_since;
        touched.push(ViewKey::Flow(day, point.to_string(), item.to_string()));
        touched.push(ViewKey::Pair(point.to_string(), item.to_string()));
    }
}
