//! Validation: checks a command against the state, the caller's access and the clock, and
//! resolves what the event must record (new dispatch id, batches taken). A rejection names the
//! field and the reason and changes nothing.

use crate::domain::access::Access;
use crate::domain::alerts::Alert;
use crate::domain::catalog::Item;
use crate::domain::command::{Command, Dest, LotTake, Record, Resolved};
use crate::domain::network::{Point, PointKind};
use crate::domain::qty::{Fen, Qty, MAX_QTY};
use crate::domain::reject::{Reason, Rejection};
use crate::domain::retention;
use crate::domain::state::{Dispatch, DispatchStatus, State};
use chrono::{DateTime, FixedOffset};

/// The longest note or name accepted.
pub const MAX_TEXT: usize = 500;
/// The highest price accepted, in fen (100,000 yuan).
pub const MAX_FEN: Fen = Fen(10_000_000);

/// The furthest ahead an expiry date may lie: anything later is a typing mistake.
pub const MAX_EXPIRY_YEARS: u32 = 100;

/// What validation needs besides the state.
pub struct Ctx<'a> {
    pub now: DateTime<FixedOffset>,
    pub access: &'a Access,
    /// The sequence number the event will get (dispatch ids are made from it).
    pub seq: u64,
    /// A dispatch no longer held in memory, looked up in the store's history.
    pub past_dispatch: &'a dyn Fn(u64) -> Option<Dispatch>,
}

type R<T> = Result<T, Rejection>;

fn rej<T>(field: &str, reason: Reason) -> R<T> {
    Err(Rejection::new(field, reason))
}

/// Text a person typed: no control characters, not too long.
pub fn check_text(field: &str, text: &str) -> R<()> {
    if text.chars().any(|c| c.is_control()) {
        return rej(field, Reason::BadText);
    }
    if text.chars().count() > MAX_TEXT {
        return rej(field, Reason::TooLong { max: MAX_TEXT });
    }
    Ok(())
}

/// A code or name that must be present.
pub fn check_code(field: &str, text: &str) -> R<()> {
    if text.trim().is_empty() {
        return rej(field, Reason::Empty);
    }
    check_text(field, text)
}

fn point<'a>(state: &'a State, field: &str, code: &str) -> R<&'a Point> {
    check_code(field, code)?;
    state.points.get(code).ok_or_else(|| Rejection::new(field, Reason::UnknownPoint { code: code.to_string() }))
}

fn item<'a>(state: &'a State, code: &str) -> R<&'a Item> {
    check_code("item", code)?;
    state.items.get(code).ok_or_else(|| Rejection::new("item", Reason::UnknownItem { code: code.to_string() }))
}

/// A quantity moved: positive, not absurd, whole where the unit is counted whole.
fn quantity(field: &str, qty: Qty, item: &Item) -> R<()> {
    if qty.0 == 0 {
        return rej(field, Reason::Zero);
    }
    if qty.0 < 0 {
        return rej(field, Reason::NotPositive);
    }
    if qty > MAX_QTY {
        return rej(field, Reason::TooLarge);
    }
    if !item.divisible() && !qty.is_whole() {
        return rej(field, Reason::NotWhole { unit: item.unit.clone() });
    }
    Ok(())
}

/// Whether the caller may write for `point`.
fn may_write_point(access: &Access, field: &str, point: &str) -> R<()> {
    match access {
        Access::Officer => Ok(()),
        Access::Point(own) if own == point => Ok(()),
        Access::Point(own) => rej(field, Reason::OtherPoint { own: own.clone() }),
        Access::Viewer => rej(field, Reason::ReadOnly),
    }
}

fn officer_only(access: &Access, field: &str) -> R<()> {
    match access {
        Access::Officer => Ok(()),
        Access::Point(p) => rej(field, Reason::NotAllowed { role: format!("point:{p}") }),
        Access::Viewer => rej(field, Reason::ReadOnly),
    }
}

/// Checks `cmd` and resolves what its event records.
pub fn validate(state: &State, cmd: &Command, ctx: &Ctx) -> R<Resolved> {
    let today = ctx.now.date_naive();
    let mut res = Resolved::default();
    match cmd {
        Command::Tick => {}
        Command::Town { name } => {
            officer_only(ctx.access, "town")?;
            check_code("town", name)?;
        }
        Command::Upsert { records } => {
            officer_only(ctx.access, "code")?;
            validate_records(state, records)?;
        }
        Command::Restock { point: p, item: i, qty, batch, expiry, note, .. } => {
            point(state, "point", p)?;
            may_write_point(ctx.access, "point", p)?;
            let it = item(state, i)?;
            quantity("qty", *qty, it)?;
            check_text("note", note)?;
            if let Some(b) = batch {
                check_text("batch", b)?;
            }
            if let Some(e) = expiry {
                if *e < today {
                    return rej("expiry", Reason::ExpiryPast { expiry: e.to_string() });
                }
                let furthest = today.checked_add_months(chrono::Months::new(12 * MAX_EXPIRY_YEARS)).unwrap_or(today);
                if *e > furthest {
                    return rej("expiry", Reason::FarFuture { date: e.to_string(), years: MAX_EXPIRY_YEARS });
                }
            }
            let batch = match (batch.as_deref().map(str::trim).filter(|b| !b.is_empty()), expiry) {
                (Some(b), _) => b.to_string(),
                (None, Some(e)) => format!("EXP{}", e.format("%Y%m%d")),
                (None, None) => String::new(),
            };
            if let Some(existing) = state.lots.get(&(p.clone(), i.clone(), batch.clone())) {
                if existing.expiry.is_some() && expiry.is_some() && existing.expiry != *expiry {
                    let batch = batch.clone();
                    let expiry = existing.expiry.map(|e| e.to_string()).unwrap_or_default();
                    return rej("expiry", Reason::ExpiryMismatch { batch, expiry });
                }
            }
            res.lots.push(LotTake { batch, expiry: *expiry, qty: *qty });
        }
        Command::Dispatch { from, to, item: i, qty, vehicle, note } => {
            let src = point(state, "from", from)?;
            may_write_point(ctx.access, "from", from)?;
            match to {
                Dest::Point(q) => {
                    point(state, "to_point", q)?;
                    if q == from {
                        return rej("to_point", Reason::SamePoint);
                    }
                }
                Dest::Village(v) => {
                    check_code("to_village", v)?;
                    let village = state
                        .villages
                        .get(v)
                        .ok_or_else(|| Rejection::new("to_village", Reason::UnknownVillage { code: v.clone() }))?;
                    if village.point != *from && src.kind != PointKind::Depot {
                        return rej(
                            "to_village",
                            Reason::VillageNotServed { village: v.clone(), served_by: village.point.clone() },
                        );
                    }
                }
            }
            let it = item(state, i)?;
            quantity("qty", *qty, it)?;
            check_text("note", note)?;
            if let Some(v) = vehicle.as_deref().filter(|v| !v.trim().is_empty()) {
                check_text("vehicle", v)?;
                if !state.vehicles.contains_key(v) {
                    return rej("vehicle", Reason::UnknownVehicle { plate: v.to_string() });
                }
            }
            let lots = state.plan_take(from, i, *qty, None).ok_or_else(|| {
                Rejection::new(
                    "qty",
                    Reason::BeyondStock {
                        available: state.qty(from, i).to_string(),
                        unit: it.unit.clone(),
                        point: from.clone(),
                    },
                )
            })?;
            res.lots = lots;
            res.dispatch = Some(Dispatch::label(ctx.seq));
        }
        Command::Receive { dispatch, qty, note } => {
            check_code("dispatch", dispatch)?;
            check_text("note", note)?;
            let unknown = || Rejection::new("dispatch", Reason::UnknownDispatch { id: dispatch.clone() });
            let id = Dispatch::parse_label(dispatch).ok_or_else(unknown)?;
            let past;
            let d = match state.dispatch(id) {
                Some(d) => d,
                None => {
                    past = (ctx.past_dispatch)(id).ok_or_else(unknown)?;
                    &past
                }
            };
            let dest = match &d.to {
                Dest::Point(p) => p,
                Dest::Village(_) => return rej("dispatch", Reason::NotATransfer { id: Dispatch::label(id) }),
            };
            may_write_point(ctx.access, "dispatch", dest)?;
            if d.status() != DispatchStatus::InTransit {
                let at = d.received_at.map(|t| t.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default();
                return rej("dispatch", Reason::AlreadyReceived { id: Dispatch::label(id), at });
            }
            let got = qty.unwrap_or(d.qty);
            if got.0 < 0 {
                return rej("qty", Reason::NotPositive);
            }
            if got > d.qty {
                return rej("qty", Reason::MoreThanSent { sent: d.qty.to_string() });
            }
            if let Some(it) = state.items.get(&d.item) {
                if !it.divisible() && !got.is_whole() {
                    return rej("qty", Reason::NotWhole { unit: it.unit.clone() });
                }
            }
            // What arrived, batch by batch in the order they were sent.
            let mut left = got;
            for lot in &d.lots {
                if left <= Qty::ZERO {
                    break;
                }
                let take = if lot.qty < left { lot.qty } else { left };
                res.lots.push(LotTake { batch: lot.batch.clone(), expiry: lot.expiry, qty: take });
                left -= take;
            }
            res.dispatch = Some(Dispatch::label(id));
        }
        Command::Adjust { point: p, item: i, delta, batch, note, .. } => {
            point(state, "point", p)?;
            may_write_point(ctx.access, "point", p)?;
            let it = item(state, i)?;
            check_text("note", note)?;
            if delta.0 == 0 {
                return rej("delta", Reason::Zero);
            }
            let magnitude = Qty(delta.0.abs());
            if magnitude > MAX_QTY {
                return rej("delta", Reason::TooLarge);
            }
            if !it.divisible() && !magnitude.is_whole() {
                return rej("delta", Reason::NotWhole { unit: it.unit.clone() });
            }
            let batch = batch.as_deref().map(str::trim).filter(|b| !b.is_empty());
            if let Some(b) = batch {
                check_text("batch", b)?;
            }
            if delta.0 > 0 {
                let b = batch.unwrap_or_default().to_string();
                let expiry = state.lots.get(&(p.clone(), i.clone(), b.clone())).and_then(|l| l.expiry);
                res.lots.push(LotTake { batch: b, expiry, qty: *delta });
            } else {
                res.lots = state.plan_take(p, i, magnitude, batch).ok_or_else(|| {
                    let available = match batch {
                        Some(b) => state.lots.get(&(p.clone(), i.clone(), b.to_string())).map_or(Qty::ZERO, |l| l.qty),
                        None => state.qty(p, i),
                    };
                    Rejection::new(
                        "delta",
                        Reason::BeyondStock {
                            available: available.to_string(),
                            unit: it.unit.clone(),
                            point: p.clone(),
                        },
                    )
                })?;
            }
        }
        Command::Price { point: p, item: i, fen } => {
            point(state, "point", p)?;
            may_write_point(ctx.access, "point", p)?;
            item(state, i)?;
            if fen.0 <= 0 {
                return rej("yuan", Reason::NotPositive);
            }
            if *fen > MAX_FEN {
                return rej("yuan", Reason::TooLarge);
            }
        }
        Command::Report { point: p, date, note, .. } => {
            point(state, "point", p)?;
            may_write_point(ctx.access, "point", p)?;
            check_text("note", note)?;
            if *date > today {
                return rej("date", Reason::FutureDate { date: date.to_string() });
            }
            // A report for a day whose figures are no longer held is a typing mistake.
            let oldest = retention::cutoff(today);
            if *date < oldest {
                return rej("date", Reason::PastDate { date: date.to_string(), oldest: oldest.to_string() });
            }
        }
        Command::Handover { to, note } => {
            officer_only(ctx.access, "to")?;
            check_code("to", to)?;
            check_text("note", note)?;
            if !state.people.contains_key(to) {
                return rej("to", Reason::UnknownPerson { name: to.clone() });
            }
            // The watch passes from whoever last took it by handover; with none logged yet, from
            // the rota: the previous shift's officer when the current shift's officer is taking
            // over, else the current shift's.
            let current = state.shift_at(ctx.now);
            let previous = current.and_then(|c| state.shift_at(c.start - chrono::Duration::seconds(1)));
            let from = state
                .handovers
                .values()
                .next_back()
                .map(|h| h.to.clone())
                .or_else(|| match (current, previous) {
                    (Some(c), Some(p)) if c.duty_officer == *to => Some(p.duty_officer.clone()),
                    (Some(c), _) => Some(c.duty_officer.clone()),
                    (None, _) => None,
                })
                .unwrap_or_default();
            if from == *to {
                return rej("to", Reason::SamePerson { name: to.clone() });
            }
            res.from = Some(from);
        }
        Command::Ack { alert } => {
            officer_only(ctx.access, "alert")?;
            check_code("alert", alert)?;
            let unknown = || Rejection::new("alert", Reason::UnknownAlert { id: alert.clone() });
            let id = Alert::parse_label(alert).ok_or_else(unknown)?;
            let a = state.alerts.get(&id).ok_or_else(unknown)?;
            if let Some(by) = &a.acked_by {
                return rej("alert", Reason::AlreadyAcked { id: Alert::label(id), by: by.clone() });
            }
        }
        Command::Level { level } => {
            officer_only(ctx.access, "level")?;
            if *level == state.settings.level {
                return rej("level", Reason::SameLevel { level: level.code().to_string() });
            }
        }
    }
    if matches!(ctx.access, Access::Viewer) && !matches!(cmd, Command::Tick) {
        return rej("cmd", Reason::ReadOnly);
    }
    Ok(res)
}

fn validate_records(state: &State, records: &[Record]) -> R<()> {
    let zone_known =
        |z: &str| state.zones.contains_key(z) || records.iter().any(|r| matches!(r, Record::Zone(x) if x.code == z));
    let point_known =
        |p: &str| state.points.contains_key(p) || records.iter().any(|r| matches!(r, Record::Point(x) if x.code == p));
    for r in records {
        match r {
            Record::Zone(z) => {
                check_code("code", &z.code)?;
                check_code("name", &z.name)?;
                check_text("lead", &z.lead)?;
            }
            Record::Point(p) => {
                check_code("code", &p.code)?;
                check_code("name", &p.name)?;
                check_text("manager", &p.manager)?;
                check_text("phone", &p.phone)?;
                if !zone_known(&p.zone) {
                    return rej("zone", Reason::UnknownZone { code: p.zone.clone() });
                }
            }
            Record::Village(v) => {
                check_code("code", &v.code)?;
                check_code("name", &v.name)?;
                check_text("checkpoint", &v.checkpoint)?;
                if !point_known(&v.point) {
                    return rej("point", Reason::UnknownPoint { code: v.point.clone() });
                }
            }
            Record::Item(i) => {
                check_code("code", &i.code)?;
                check_code("name_zh", &i.name_zh)?;
                check_code("name_en", &i.name_en)?;
                check_code("unit", &i.unit)?;
                if !(i.norm_days >= 0.0
                    && i.norm_days.is_finite()
                    && i.per_household_daily >= 0.0
                    && i.per_household_daily.is_finite())
                {
                    return rej("norm_days", Reason::NotPositive);
                }
            }
            Record::Person(p) => {
                check_code("name", &p.name)?;
                check_text("title", &p.title)?;
                check_text("unit", &p.unit)?;
                check_text("duty", &p.duty)?;
                check_text("phone", &p.phone)?;
            }
            Record::Shift(s) => {
                if s.end <= s.start {
                    return rej("end", Reason::ShiftEndsBeforeStart);
                }
                check_code("duty_officer", &s.duty_officer)?;
                check_code("leader_on_call", &s.leader_on_call)?;
            }
            Record::Vehicle(v) => {
                check_code("plate", &v.plate)?;
                check_text("pass_no", &v.pass_no)?;
                if !point_known(&v.point) {
                    return rej("point", Reason::UnknownPoint { code: v.point.clone() });
                }
            }
        }
    }
    Ok(())
}
