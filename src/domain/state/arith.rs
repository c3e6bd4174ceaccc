//! The arithmetic of a stock change checked before `apply` makes it: every quantity within
//! `1..=MAX_QTY`, the batches of an event adding up to its quantity, no take larger than the
//! lot it comes from (stock never goes negative) and no total overflowing. Validation runs it on
//! every command it accepts, a restore on every event it reads, so `apply` never sees an event
//! it cannot apply exactly. Imports only leaf types; never the rules.

use super::{Dispatch, Flow, State};
use crate::domain::command::{Command, Dest, LotTake, RequestShare, Resolved};
use crate::domain::qty::Qty;
use crate::domain::reject::{Reason, Rejection};
use chrono::NaiveDate;
use std::collections::BTreeMap;

type R = Result<(), Rejection>;

fn rej(field: &str, reason: Reason) -> R {
    Err(Rejection::new(field, reason))
}

impl State {
    /// Whether `apply` can make this change on `day` exactly; the rejection names the field.
    pub fn check_arithmetic(&self, cmd: &Command, res: &Resolved, day: NaiveDate) -> R {
        match cmd {
            Command::Restock { point, item, qty, .. } => {
                in_range("qty", *qty)?;
                adds_up("qty", *qty, &res.lots)?;
                self.can_add(point, item, &res.lots, day, |f| f.restocked)
            }
            Command::Dispatch { from, to, item, qty, .. } => {
                in_range("qty", *qty)?;
                adds_up("qty", *qty, &res.lots)?;
                at_most("qty", *qty, &res.shares, in_range)?;
                self.can_take("qty", from, item, &res.lots)?;
                let flow = self.flows.get(&(day, from.clone(), item.clone()));
                let sent = flow.map_or(Qty::ZERO, |f| match to {
                    Dest::Point(_) => f.transferred,
                    Dest::Village(_) => f.delivered,
                });
                sent.checked_add(*qty).map_or_else(|| overflow("qty", from), |_| Ok(()))
            }
            Command::Receive { dispatch, .. } => {
                let total = total("qty", &res.lots)?;
                let id = Dispatch::parse_label(dispatch);
                let Some(d) = id.and_then(|id| self.dispatches.get(&id)) else { return Ok(()) };
                if total > d.qty {
                    return rej("qty", Reason::MoreThanSent { sent: d.qty.to_string() });
                }
                match &d.to {
                    Dest::Point(p) => self.can_add(p, &d.item, &res.lots, day, |f| f.received),
                    Dest::Village(_) => Ok(()),
                }
            }
            Command::Adjust { point, item, delta, .. } => self.adjust_adds_up(point, item, *delta, res, day),
            Command::Count { point, item, .. } => {
                self.adjust_adds_up(point, item, res.delta.unwrap_or(Qty::ZERO), res, day)
            }
            Command::Request { qty, .. } => in_range("qty", *qty),
            Command::Approve { qty: Some(q), .. } => in_range("qty", *q),
            Command::Deliver { qty, .. } => at_most("qty", *qty, &res.shares, at_least_zero),
            Command::Tally { lines, .. } => lines.iter().try_for_each(|l| in_range("qty", l.qty)),
            Command::Assemble { point, kit, qty } => self.kit_adds_up(point, kit, *qty, res, day, true),
            Command::Unpack { point, kit, qty } => self.kit_adds_up(point, kit, *qty, res, day, false),
            _ => Ok(()),
        }
    }

    /// An assembly's (`made`) or unpacking's kit batches add up to its quantity, and every
    /// take (the components or the kits) comes from a lot holding it, every addition fits.
    fn kit_adds_up(&self, point: &str, kit: &str, qty: Qty, res: &Resolved, day: NaiveDate, made: bool) -> R {
        in_range("qty", qty)?;
        adds_up("qty", qty, &res.lots)?;
        let mut moves: Vec<(&str, &[LotTake], bool)> = vec![(kit, &res.lots, made)];
        moves.extend(res.parts.iter().map(|p| (p.item.as_str(), p.lots.as_slice(), !made)));
        for (item, lots, adds) in moves {
            if adds {
                self.can_add(point, item, lots, day, |f| f.kitted_in)?;
            } else {
                self.can_take("qty", point, item, lots)?;
                self.flow_plus(point, item, day, total("qty", lots)?, |f| f.kitted_out)?;
            }
        }
        Ok(())
    }

    /// An adjustment's batches add up to its delta, and it neither overdraws nor overflows.
    fn adjust_adds_up(&self, point: &str, item: &str, delta: Qty, res: &Resolved, day: NaiveDate) -> R {
        let size = delta.checked_abs().filter(|q| q.in_range());
        let Some(size) = size else { return rej("delta", Reason::TooLarge) };
        adds_up("delta", size, &res.lots)?;
        if delta.0 > 0 {
            self.can_add(point, item, &res.lots, day, |f| f.adjusted_in)
        } else {
            self.can_take("delta", point, item, &res.lots)?;
            self.flow_plus(point, item, day, size, |f| f.adjusted_out)
        }
    }

    /// Adding the lots neither overflows a lot, the point's stock nor the day's flow.
    fn can_add(&self, point: &str, item: &str, lots: &[LotTake], day: NaiveDate, flow: fn(&Flow) -> Qty) -> R {
        let added = total("qty", lots)?;
        let key = |b: &str| (point.to_string(), item.to_string(), b.to_string());
        let mut stock = Some(self.exact_qty(point, item));
        for lot in lots {
            let held = self.lots.get(&key(&lot.batch)).map_or(Qty::ZERO, |l| l.qty);
            stock = stock.and_then(|s| s.checked_add(lot.qty));
            if held.checked_add(lot.qty).is_none() || stock.is_none() {
                return overflow("qty", point);
            }
        }
        self.flow_plus(point, item, day, added, flow)
    }

    /// The day's flow can grow by `qty`.
    fn flow_plus(&self, point: &str, item: &str, day: NaiveDate, qty: Qty, flow: fn(&Flow) -> Qty) -> R {
        let now = self.flows.get(&(day, point.to_string(), item.to_string())).map_or(Qty::ZERO, flow);
        now.checked_add(qty).map_or_else(|| overflow("qty", point), |_| Ok(()))
    }

    /// Every take comes from a lot that holds it (several takes from one batch together).
    fn can_take(&self, field: &str, point: &str, item: &str, lots: &[LotTake]) -> R {
        let mut taken: BTreeMap<&str, Qty> = BTreeMap::new();
        for lot in lots {
            let so_far = taken.entry(&lot.batch).or_insert(Qty::ZERO);
            *so_far = so_far.checked_add(lot.qty).ok_or_else(|| Rejection::new(field, Reason::TooLarge))?;
            let key = (point.to_string(), item.to_string(), lot.batch.clone());
            let held = self.lots.get(&key).map_or(Qty::ZERO, |l| l.qty);
            if *so_far > held {
                let available = held.to_string();
                let unit = self.items.get(item).map_or_else(String::new, |i| i.unit.clone());
                return rej(field, Reason::BeyondStock { available, unit, point: point.to_string() });
            }
        }
        Ok(())
    }

    /// The stock of an item at a point, summed without saturating (the sum of lots that
    /// `check_arithmetic` let in never overflows).
    fn exact_qty(&self, point: &str, item: &str) -> Qty {
        let lo = (point.to_string(), item.to_string(), String::new());
        let lots = self.lots.range(lo..).take_while(|((p, i, _), _)| p == point && i == item);
        lots.fold(Qty::ZERO, |a, (_, l)| a.checked_add(l.qty).unwrap_or(Qty(i64::MAX)))
    }
}

fn in_range(field: &str, qty: Qty) -> R {
    match qty.0 {
        0 => rej(field, Reason::Zero),
        q if q < 0 => rej(field, Reason::NotPositive),
        _ if !qty.in_range() => rej(field, Reason::TooLarge),
        _ => Ok(()),
    }
}

/// The sum of the lots, each within range.
fn total(field: &str, lots: &[LotTake]) -> Result<Qty, Rejection> {
    let mut sum = Qty::ZERO;
    for lot in lots {
        in_range(field, lot.qty)?;
        sum = sum.checked_add(lot.qty).ok_or_else(|| Rejection::new(field, Reason::TooLarge))?;
    }
    Ok(sum)
}

/// The lots add up to the command's quantity.
fn adds_up(field: &str, qty: Qty, lots: &[LotTake]) -> R {
    if total(field, lots)? != qty {
        return rej(field, Reason::LotsDoNotAddUp { qty: qty.to_string() });
    }
    Ok(())
}

/// Each request's share passes `each` and together they come to at most `qty`.
fn at_most(field: &str, qty: Qty, shares: &[RequestShare], each: fn(&str, Qty) -> R) -> R {
    let mut sum = Qty::ZERO;
    for s in shares {
        each(field, s.qty)?;
        sum = sum.checked_add(s.qty).ok_or_else(|| Rejection::new(field, Reason::TooLarge))?;
    }
    if sum > qty {
        return rej(field, Reason::MoreThanSent { sent: qty.to_string() });
    }
    Ok(())
}

/// Zero or more, within range (a receipt may sign for nothing).
fn at_least_zero(field: &str, qty: Qty) -> R {
    if qty == Qty::ZERO {
        return Ok(());
    }
    in_range(field, qty)
}

fn overflow(field: &str, point: &str) -> R {
    rej(field, Reason::StockOverflow { point: point.to_string() })
}
