//! The demand side: requests (id `Q…`) from those a point serves, their life from requested to
//! closed, and who asks (`Requester`); village tallies, whose lines become requests. A request's figures (approved, dispatched, delivered,
//! outstanding) and its status are derived from what happened to it, never stored twice, so
//! they cannot disagree. A leaf: imports only other leaf types of the domain.

use super::lang::Lang;
use super::qty::Qty;
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

/// Who asks. Villages tally for their households; later kinds of requester (households, hotline
/// cases) are served through the point of the village they belong to.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Requester {
    Village {
        code: String,
    },
    /// A household on the register, served through its village (filled in by the engine).
    Household {
        code: String,
        #[serde(default)]
        village: String,
    },
    /// Whoever a hotline case is about: only asked, never held; the engine resolves it into the
    /// case's household or village (`Resolved::requester`) and links the case to the request.
    Case {
        id: String,
    },
}

impl Requester {
    /// The village the goods go to (its checkpoint receives them); empty for `Case`.
    pub fn village(&self) -> &str {
        match self {
            Requester::Village { code } | Requester::Household { village: code, .. } => code,
            Requester::Case { .. } => "",
        }
    }

    /// The household asking, if one is.
    pub fn household(&self) -> Option<&str> {
        match self {
            Requester::Household { code, .. } => Some(code),
            _ => None,
        }
    }
}

/// Where a request stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    /// Asked for, waiting for approval.
    Requested,
    /// Approved (perhaps for less), nothing sent yet.
    Approved,
    /// Approved and booked into a delivery slot.
    Scheduled,
    /// Goods are on their way: a dispatch naming it is not yet signed for.
    Dispatched,
    /// Everything sent has been signed for at the checkpoint; a remainder is still open.
    Delivered,
    /// The approved quantity was delivered in full, or the remainder was cancelled after a
    /// delivery.
    Closed,
    Refused,
    Cancelled,
}

impl RequestStatus {
    pub const ALL: [RequestStatus; 8] = [
        RequestStatus::Requested,
        RequestStatus::Approved,
        RequestStatus::Scheduled,
        RequestStatus::Dispatched,
        RequestStatus::Delivered,
        RequestStatus::Closed,
        RequestStatus::Refused,
        RequestStatus::Cancelled,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RequestStatus::Requested => "requested",
            RequestStatus::Approved => "approved",
            RequestStatus::Scheduled => "scheduled",
            RequestStatus::Dispatched => "dispatched",
            RequestStatus::Delivered => "delivered",
            RequestStatus::Closed => "closed",
            RequestStatus::Refused => "refused",
            RequestStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<RequestStatus> {
        RequestStatus::ALL.into_iter().find(|s| s.code() == text.trim())
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            RequestStatus::Requested => lang.pick("requested", "待审批"),
            RequestStatus::Approved => lang.pick("approved", "已审批"),
            RequestStatus::Scheduled => lang.pick("scheduled", "已排班"),
            RequestStatus::Dispatched => lang.pick("dispatched", "配送中"),
            RequestStatus::Delivered => lang.pick("delivered", "已送达"),
            RequestStatus::Closed => lang.pick("closed", "已完成"),
            RequestStatus::Refused => lang.pick("refused", "已驳回"),
            RequestStatus::Cancelled => lang.pick("cancelled", "已取消"),
        }
    }

    /// Still waiting for something: approval, goods or a signature.
    pub fn is_open(self) -> bool {
        !matches!(self, RequestStatus::Closed | RequestStatus::Refused | RequestStatus::Cancelled)
    }
}

/// The approval of a request: how much, and why less when less.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Approval {
    pub qty: Qty,
    #[serde(default)]
    pub reason: String,
    pub at: DateTime<FixedOffset>,
    pub by: String,
}

/// The part of one dispatch that fulfils a request, and its receipt at the checkpoint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Share {
    pub dispatch: u64,
    pub sent: Qty,
    /// What the checkpoint signed for (`None` until it has).
    #[serde(default)]
    pub delivered: Option<Qty>,
    #[serde(default)]
    pub signed_by: Option<String>,
}

/// How a request ended before it was delivered in full.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndKind {
    Refused,
    Cancelled,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ending {
    pub kind: EndKind,
    pub reason: String,
    pub at: DateTime<FixedOffset>,
    pub by: String,
}

/// One request: who asks, for what and by when, and what has happened to it since.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    pub id: u64,
    pub requester: Requester,
    /// The point that serves the requester (when the request was made).
    pub point: String,
    pub item: String,
    /// The quantity asked for, in the item's unit.
    pub qty: Qty,
    /// Needed by this day.
    pub by: NaiveDate,
    /// The delivery slot asked for, if any.
    #[serde(default)]
    pub slot: Option<String>,
    #[serde(default)]
    pub urgent: bool,
    #[serde(default)]
    pub note: String,
    pub at: DateTime<FixedOffset>,
    pub asked_by: String,
    #[serde(default)]
    pub approval: Option<Approval>,
    #[serde(default)]
    pub shares: Vec<Share>,
    #[serde(default)]
    pub ending: Option<Ending>,
    /// The delivery slot it is booked into (`Schedule`), with the vehicle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub booking: Option<Booking>,
}

/// A request booked into a zone's delivery slot on a day, on a vehicle when one is named.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Booking {
    pub slot: String,
    pub date: NaiveDate,
    #[serde(default)]
    pub vehicle: Option<String>,
    pub at: DateTime<FixedOffset>,
    pub by: String,
}

/// A delivery slot of a zone (分区分时段配送): from `start` to `end` on the weekdays listed
/// (1 = Monday .. 7 = Sunday; none listed: every day), each vehicle making `trips` trips.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Slot {
    pub zone: String,
    pub code: String,
    #[serde(with = "super::alerts::hhmm")]
    pub start: NaiveTime,
    #[serde(with = "super::alerts::hhmm")]
    pub end: NaiveTime,
    pub trips: u32,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub days: Vec<u32>,
}

impl Slot {
    /// The ranges `trips` and each of `days` may take.
    pub const TRIPS: std::ops::RangeInclusive<u32> = 1..=50;
    pub const DAYS: std::ops::RangeInclusive<u32> = 1..=7;

    /// Trips and weekdays within range, the end after the start: the field at fault and why.
    pub fn check(&self) -> Result<(), (&'static str, super::reject::Reason)> {
        let range = |field: &'static str, v: u32, r: std::ops::RangeInclusive<u32>| {
            super::reject::check_range(field, v, r).map_err(|e| (field, e.reason))
        };
        range("trips", self.trips, Slot::TRIPS)?;
        self.days.iter().try_for_each(|d| range("days", *d, Slot::DAYS))?;
        if self.end <= self.start {
            return Err(("end", super::reject::Reason::ShiftEndsBeforeStart));
        }
        Ok(())
    }

    /// Whether the slot runs on `date`.
    pub fn runs_on(&self, date: NaiveDate) -> bool {
        self.days.is_empty() || self.days.contains(&date.weekday().number_from_monday())
    }
}

impl Request {
    pub fn label(id: u64) -> String {
        format!("Q{id}")
    }

    /// Parses "Q12", "q12" or "12".
    pub fn parse_label(text: &str) -> Option<u64> {
        let t = text.trim();
        t.strip_prefix(['Q', 'q']).unwrap_or(t).parse().ok()
    }

    /// The quantity approved (zero until approved).
    pub fn approved(&self) -> Qty {
        self.approval.as_ref().map_or(Qty::ZERO, |a| a.qty)
    }

    /// The quantity sent by the dispatches naming it.
    pub fn dispatched(&self) -> Qty {
        self.shares.iter().map(|s| s.sent).sum()
    }

    /// The quantity signed for at the checkpoint.
    pub fn delivered(&self) -> Qty {
        self.shares.iter().filter_map(|s| s.delivered).sum()
    }

    /// What is approved and still to be delivered; nothing once refused or cancelled.
    pub fn outstanding(&self) -> Qty {
        if self.ending.is_some() {
            return Qty::ZERO;
        }
        let left = self.approved() - self.delivered();
        if left > Qty::ZERO {
            left
        } else {
            Qty::ZERO
        }
    }

    /// What may still be sent against it: approved minus dispatched.
    pub fn unsent(&self) -> Qty {
        let left = self.approved() - self.dispatched();
        if self.ending.is_none() && left > Qty::ZERO {
            left
        } else {
            Qty::ZERO
        }
    }

    /// The dispatches naming it that the checkpoint has not signed for.
    pub fn unsigned(&self) -> impl Iterator<Item = u64> + '_ {
        self.shares.iter().filter(|s| s.delivered.is_none()).map(|s| s.dispatch)
    }

    pub fn status(&self) -> RequestStatus {
        let delivered = self.delivered();
        match &self.ending {
            Some(e) if e.kind == EndKind::Refused => return RequestStatus::Refused,
            Some(_) if delivered > Qty::ZERO => return RequestStatus::Closed,
            Some(_) => return RequestStatus::Cancelled,
            None => {}
        }
        let Some(a) = &self.approval else { return RequestStatus::Requested };
        if self.unsigned().next().is_some() {
            RequestStatus::Dispatched
        } else if delivered >= a.qty {
            RequestStatus::Closed
        } else if self.shares.is_empty() && self.booking.is_some() {
            RequestStatus::Scheduled
        } else if self.shares.is_empty() {
            RequestStatus::Approved
        } else {
            RequestStatus::Delivered
        }
    }

    /// Past its needed-by day and still open.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.by < today && self.status().is_open()
    }
}

/// Who may approve or refuse a request (`[demand] approve_by` in `baogong.toml`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Approver {
    /// The serving point's manager (a `point:P` role for that point) or an officer.
    #[default]
    Point,
    /// Officers only.
    Officer,
}

/// The demand settings the engine's rules read (`[demand]` in `baogong.toml`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DemandSettings {
    pub approve_by: Approver,
    /// A village tallies every `tally_days` days ...
    pub tally_days: u32,
    /// ... `lead_days` before the delivery day the tally is for.
    pub lead_days: u32,
    /// The delivery slots of each zone (`[[demand.slots]]`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub slots: Vec<Slot>,
}

impl DemandSettings {
    /// The ranges `tally_days` and `lead_days` may take.
    pub const TALLY_DAYS: std::ops::RangeInclusive<u32> = 1..=30;
    pub const LEAD_DAYS: std::ops::RangeInclusive<u32> = 0..=30;
}

impl Default for DemandSettings {
    fn default() -> DemandSettings {
        DemandSettings { approve_by: Approver::Point, tally_days: 3, lead_days: 1, slots: Vec::new() }
    }
}

impl DemandSettings {
    /// The slots of a zone running on `date`, in the order configured. O(slots configured).
    pub fn slots_on<'a>(&'a self, zone: &'a str, date: NaiveDate) -> impl Iterator<Item = &'a Slot> + 'a {
        self.slots.iter().filter(move |s| s.zone == zone && s.runs_on(date))
    }
}

/// One line of a village tally: an item and the quantity its households need.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TallyLine {
    pub item: String,
    pub qty: Qty,
}

/// A village's tally (统计上报) for one day: its lines become requests needed by the delivery
/// day; a zero tally says it needs nothing. The next one is due on `next_due`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub village: String,
    pub point: String,
    pub date: NaiveDate,
    #[serde(default)]
    pub lines: Vec<TallyLine>,
    /// The delivery day it is for (its requests are needed by then).
    pub delivery: NaiveDate,
    pub next_due: NaiveDate,
    /// The first of its requests (one per line, numbered on).
    #[serde(default)]
    pub first_request: Option<u64>,
    pub at: DateTime<FixedOffset>,
    pub by: String,
}
