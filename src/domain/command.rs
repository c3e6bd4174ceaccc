//! Commands (what a face asks for) and events (what the engine recorded). An event is the
//! command as accepted plus what the engine resolved for it (new ids, batches taken) and the
//! alert changes it caused, so replaying events needs no rule that could have changed since.
//! A leaf: imports only other leaf types of the domain (never `rules` or `state`).

use super::alerts::AlertDelta;
use super::catalog::Item;
use super::demand::{Requester, TallyLine};
use super::hotline::CaseKind;
use super::household::HouseholdChange;
use super::level::ResponseLevel;
use super::network::{Point, Vehicle, Village, Zone};
use super::qty::{Fen, Qty};
use super::reject::Rejection;
use super::roster::{DutyShift, Person};
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

/// Where a restock came from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    #[default]
    Supplier,
    Donation,
    Reserve,
}

impl Source {
    pub fn parse(text: &str) -> Option<Source> {
        match text.trim() {
            "supplier" => Some(Source::Supplier),
            "donation" => Some(Source::Donation),
            "reserve" => Some(Source::Reserve),
            _ => None,
        }
    }
}

/// The reason for a stock-take adjustment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdjustReason {
    Counted,
    Damaged,
    Expired,
    Lost,
    Found,
}

impl AdjustReason {
    pub const ALL: [AdjustReason; 5] =
        [AdjustReason::Counted, AdjustReason::Damaged, AdjustReason::Expired, AdjustReason::Lost, AdjustReason::Found];

    pub fn code(self) -> &'static str {
        match self {
            AdjustReason::Counted => "counted",
            AdjustReason::Damaged => "damaged",
            AdjustReason::Expired => "expired",
            AdjustReason::Lost => "lost",
            AdjustReason::Found => "found",
        }
    }

    pub fn parse(text: &str) -> Option<AdjustReason> {
        AdjustReason::ALL.into_iter().find(|r| r.code() == text.trim())
    }
}

/// Where a dispatch goes: another point (a transfer, arrives on receipt) or a village
/// (a delivery to its checkpoint, done when sent).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dest {
    Point(String),
    Village(String),
}

/// Reference data, added or replaced whole by code.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "record", rename_all = "snake_case")]
pub enum Record {
    Zone(Zone),
    Point(Point),
    Village(Village),
    Item(Item),
    Person(Person),
    Shift(DutyShift),
    Vehicle(Vehicle),
    /// A delivery slot of a zone (`import slots`), replaced whole by zone and code.
    Slot(super::demand::Slot),
    /// A town's own name and meaning of a response level (a scenario's `[[levels]]`), replaced
    /// whole by level.
    Level(super::level::LevelName),
}

/// What a face asks the engine to do. Each command becomes at most one event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "cmd", rename_all = "snake_case")]
pub enum Command {
    /// Name the town (first thing a scenario does) and give it its code (the county's name
    /// for it, and its uplink subject `baogong.<code>.events`; empty: none yet).
    Town {
        name: String,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        code: String,
    },
    /// Add or replace reference data.
    Upsert {
        records: Vec<Record>,
    },
    Restock {
        point: String,
        item: String,
        qty: Qty,
        #[serde(default)]
        source: Source,
        #[serde(default)]
        batch: Option<String>,
        #[serde(default)]
        expiry: Option<NaiveDate>,
        #[serde(default)]
        note: String,
    },
    Dispatch {
        from: String,
        to: Dest,
        item: String,
        qty: Qty,
        #[serde(default)]
        vehicle: Option<String>,
        #[serde(default)]
        note: String,
        /// The requests this delivery to a village fulfils (`Q…`), in the order its quantity
        /// is shared among them.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        requests: Vec<String>,
    },
    /// Confirm a transfer at its destination; `qty` short of what was sent records a shortfall.
    Receive {
        dispatch: String,
        #[serde(default)]
        qty: Option<Qty>,
        #[serde(default)]
        note: String,
    },
    Adjust {
        point: String,
        item: String,
        delta: Qty,
        reason: AdjustReason,
        #[serde(default)]
        batch: Option<String>,
        #[serde(default)]
        note: String,
    },
    Price {
        point: String,
        item: String,
        fen: Fen,
    },
    Report {
        point: String,
        date: NaiveDate,
        #[serde(default)]
        zero: bool,
        #[serde(default)]
        note: String,
    },
    Handover {
        to: String,
        #[serde(default)]
        note: String,
    },
    Ack {
        alert: String,
    },
    Level {
        level: ResponseLevel,
    },
    /// The clock moved: re-evaluate time-based alerts. Recorded only when alerts changed.
    Tick,
    /// A vehicle's pass issued or renewed: its number and the last day it is valid.
    Pass {
        vehicle: String,
        number: String,
        valid_until: NaiveDate,
    },
    /// A stock-take: the quantity counted (of the batch, if one is named). The engine records
    /// the difference from the stock at that moment (`Resolved::delta`).
    Count {
        point: String,
        item: String,
        counted: Qty,
        #[serde(default)]
        batch: Option<String>,
        #[serde(default)]
        note: String,
    },
    /// Withdraws the acknowledgement of an alert.
    Unack {
        alert: String,
    },
    /// A request from someone a point serves (the engine gives it its id `Q…`).
    Request {
        requester: Requester,
        item: String,
        qty: Qty,
        by: NaiveDate,
        #[serde(default)]
        slot: Option<String>,
        #[serde(default)]
        urgent: bool,
        #[serde(default)]
        note: String,
    },
    /// Approve a request, for all it asks (`qty` absent) or less, with a reason.
    Approve {
        request: String,
        #[serde(default)]
        qty: Option<Qty>,
        #[serde(default)]
        reason: String,
    },
    Refuse {
        request: String,
        reason: String,
    },
    CancelRequest {
        request: String,
        reason: String,
    },
    /// The receipt of a delivery at the village checkpoint: what arrived and who signed.
    Deliver {
        dispatch: String,
        qty: Qty,
        signed_by: String,
        #[serde(default)]
        note: String,
        /// A named delivery: the household on the register it was for (its needs of the item
        /// count as delivered today).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        household: Option<String>,
    },
    /// A village's tally for a day: several lines (each becomes a request), or a zero tally.
    Tally {
        village: String,
        date: NaiveDate,
        #[serde(default)]
        lines: Vec<TallyLine>,
        #[serde(default)]
        zero: bool,
    },
    /// Kits made at a point from its components, earliest expiry first (`Resolved::parts`);
    /// the kits join one batch that expires with the earliest component taken.
    Assemble {
        point: String,
        kit: String,
        qty: Qty,
    },
    /// Kits taken apart at a point: the components go back to its stock.
    Unpack {
        point: String,
        kit: String,
        qty: Qty,
    },
    /// An approved request booked into a delivery slot of its zone on a day (default its
    /// needed-by day), on a vehicle of its point when one is named.
    Schedule {
        request: String,
        slot: String,
        #[serde(default)]
        date: Option<NaiveDate>,
        #[serde(default)]
        vehicle: Option<String>,
    },
    /// Households added or changed: one from the command line, every new or changed row of an
    /// imported file.
    Households {
        changes: Vec<HouseholdChange>,
    },
    /// A hotline call taken (the engine gives it its id `K…`), about a village or a household.
    Case {
        caller: String,
        phone: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        village: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        household: Option<String>,
        kind: CaseKind,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        item: Option<String>,
        text: String,
        #[serde(default)]
        urgent: bool,
    },
    /// A case given to a person on the roster.
    AssignCase {
        case: String,
        to: String,
    },
    /// A case resolved, with what was done and the request it led to, if any.
    ResolveCase {
        case: String,
        text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        request: Option<String>,
    },
    ReopenCase {
        case: String,
    },
    CloseCase {
        case: String,
    },
}

/// A quantity taken from or added to one batch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LotTake {
    pub batch: String,
    #[serde(default)]
    pub expiry: Option<NaiveDate>,
    pub qty: Qty,
}

/// What the engine resolved while accepting a command.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resolved {
    /// The new dispatch's id (dispatch) or the confirmed one (receive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dispatch: Option<String>,
    /// Batches taken (dispatch, negative adjust) or added (restock, receive, positive adjust).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lots: Vec<LotTake>,
    /// Handover: the officer handing over.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Count: the difference from the stock at that moment (counted − held).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delta: Option<Qty>,
    /// Ack: the officer on duty when it was acknowledged (the rota's, or the last handover's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_duty: Option<String>,
    /// What the command was accepted despite (a vehicle pass ending today ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Rejection>,
    /// The new request's id (request) or the one acted on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<String>,
    /// How a delivery's quantity is shared among the requests it fulfils (dispatch: sent;
    /// deliver: signed for).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shares: Vec<RequestShare>,
    /// Tally: the delivery day its requests are needed by, and when the next tally is due.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_due: Option<NaiveDate>,
    /// Assemble, unpack: the batches of each component taken (assemble) or put back (unpack);
    /// `lots` holds the kit's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<PartLots>,
    /// Request: who asks, as resolved (a household's village filled in, a case's requester);
    /// request from a case, deliver to a household: the item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requester: Option<Requester>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    /// The new case's id (case) or the one acted on; case from a household: its village.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub village: Option<String>,
}

/// The batches of one kit component an assembly took or an unpacking put back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartLots {
    pub item: String,
    pub lots: Vec<LotTake>,
}

/// The part of a dispatch (or of its receipt) that goes to one request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestShare {
    pub request: u64,
    pub qty: Qty,
}

/// Which face a command came from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Face {
    Console,
    Point,
    Wall,
    #[default]
    Cli,
    /// The engine itself: scenario seeding and clock ticks.
    System,
}

/// One entry of the event log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub seq: u64,
    pub at: DateTime<FixedOffset>,
    /// The OS user who did it.
    pub actor: String,
    pub face: Face,
    /// The client-made command id; resending it returns this event.
    pub cmd_id: String,
    pub cmd: Command,
    #[serde(default)]
    pub resolved: Resolved,
    #[serde(default)]
    pub alerts: AlertDelta,
}
