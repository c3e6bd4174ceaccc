//! The command line's shape (clap derive): the faces, the listings, `log`, `export`,
//! `import`, `check`. Closed sets of words (formats, kinds, sources, reasons, the language)
//! are `ValueEnum`s, so clap refuses anything else before a command runs. Imports the domain
//! types the words map to; nothing else.

use crate::domain::command::{AdjustReason, Source};
use crate::domain::Lang;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(name = "baogong", version, about = "保供 supply-assurance operations console", long_about = None)]
pub struct Cli {
    /// Data directory (default: $BAOGONG_DATA, else $XDG_DATA_HOME/baogong).
    #[arg(long, global = true, env = "BAOGONG_DATA", value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Language of messages and screens (default from LC_ALL / LANG).
    #[arg(long, global = true)]
    pub lang: Option<LangArg>,
    #[command(subcommand)]
    pub command: Option<Cmd>,
}

#[derive(Subcommand, Debug)]
pub enum Cmd {
    /// The duty console (the default).
    Console,
    /// Run the daemon that owns the store, so several faces can work at once.
    Serve {
        /// Append the log to this file instead of stderr.
        #[arg(long, value_name = "FILE")]
        log: Option<PathBuf>,
    },
    /// The delivery-point clerk's data-entry screen for one point.
    Point {
        /// The point's code (e.g. P03).
        point: String,
    },
    /// The read-only wall display for the command room.
    Wall {
        /// Seconds between zone pages (0: no rotation).
        #[arg(long, default_value_t = 10)]
        rotate: u64,
    },
    /// Create the store, seeded with the demo town (or a scenario file, the generated district,
    /// or empty).
    Init {
        #[arg(long, conflicts_with_all = ["empty", "district"], value_name = "FILE")]
        scenario: Option<PathBuf>,
        #[arg(long)]
        empty: bool,
        /// Seed the generated city-scale district (20 zones, 600 points, 3,000 villages, 60
        /// items) instead of the demo town.
        #[arg(long, conflicts_with = "empty")]
        district: bool,
        /// Days of history for `--district` (1 to 14).
        #[arg(long, requires = "district", default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=14))]
        days: u32,
        /// The town's code (its name at the county and its uplink subject), e.g. WGZ.
        #[arg(long = "town", value_name = "CODE")]
        town: Option<String>,
        /// The town's name, instead of the scenario's.
        #[arg(long, value_name = "NAME")]
        name: Option<String>,
    },
    #[command(flatten)]
    List(ListCmd),
    /// Reports upward.
    #[command(subcommand)]
    Report(ReportCmd),
    /// Replenishment plan: suggested transfers to bring every point to its norm, reserve first,
    /// and what to request from the level above.
    Plan(PlanArgs),
    /// Log an action.
    #[command(subcommand)]
    Log(LogCmd),
    /// Acknowledge an alert.
    Ack {
        alert: String,
        #[arg(long)]
        id: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Set the response level (routine, level1 .. level4).
    Level {
        level: String,
        #[arg(long)]
        id: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Export data; `events` writes the whole event log as JSON lines.
    Export {
        what: ExportWhat,
        /// For stock, dispatches and alerts: CSV (UTF-8 with BOM, for Excel/WPS) or JSON.
        #[arg(long, default_value = "csv")]
        format: ExportFormat,
    },
    /// Import data: reference lists and opening stock from CSV (UTF-8 or GB18030), or
    /// `events`, which restores an exported event log into an empty store.
    Import { what: ImportWhat, file: PathBuf },
    /// Rebuild every view from the event log and compare with the stored views.
    Check,
    /// Set the town's name and code (what the status bar shows and the county knows it by).
    #[command(arg_required_else_help = true)]
    Town {
        #[arg(long, value_name = "NAME")]
        name: Option<String>,
        #[arg(long, value_name = "CODE")]
        code: Option<String>,
        #[arg(long)]
        id: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// The uplink to the county (`[uplink]` in baogong.toml).
    #[command(subcommand)]
    Uplink(UplinkCmd),
    /// The county: its console (no subcommand), wall, consumer daemon and status.
    County {
        #[command(subcommand)]
        cmd: Option<CountyCmd>,
    },
}

#[derive(Subcommand, Debug)]
pub enum UplinkCmd {
    /// Connected or not, the sequence the county's server acknowledged, the lag.
    Status {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum CountyCmd {
    /// Consume every town's events (a durable JetStream consumer) into the county store.
    Serve {
        /// The NATS server, e.g. nats://127.0.0.1:4222.
        #[arg(long, value_name = "URL")]
        nats: String,
        /// A NATS credentials file (optional).
        #[arg(long, value_name = "FILE")]
        credentials: Option<PathBuf>,
        /// Minutes without an event after which a town is reported silent.
        #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=10080))]
        silent_minutes: u64,
    },
    /// Each town's figures as the county store holds them.
    Status {
        #[arg(long)]
        json: bool,
    },
    /// The county's wall display: its totals in large digits and a line per town.
    Wall,
    /// The county plan: transfers from the county reserve (`[county] reserve`) and from towns
    /// above their targets to towns short, and the county's request to the city.
    Plan {
        #[arg(long)]
        json: bool,
    },
}

/// The listings: reference data, stock, alerts and dispatches.
#[derive(Subcommand, Debug)]
pub enum ListCmd {
    /// Zones and their leads.
    Zones(ListArgs),
    /// Depots, delivery and convenience points.
    Points(ListArgs),
    /// Villages and communities with the point that serves them.
    Villages(ListArgs),
    /// Items with their reserve norms.
    Items(ListArgs),
    /// The leading group, zone leads, point managers and duty staff.
    People(ListArgs),
    /// The duty rota.
    Duty(ListArgs),
    /// Vehicles and their passes.
    Vehicles(ListArgs),
    /// Stock with days of cover and status, worst first.
    Stock(StockArgs),
    /// Open alerts (all, with history, with --all).
    Alerts {
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
    },
    /// Dispatches: in transit, or all recent ones with --all.
    Dispatches {
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
    },
    /// Requests: overdue first, then by needed-by date.
    Requests(RequestsArgs),
    /// Village tallies of a day (default today) and every village's next one due.
    Tallies {
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Kits (standard boxes, vegetable packs): components, kits held and what the components make.
    Kits(ListArgs),
    /// Delivery slots of today and tomorrow (or --date) per zone: villages, load, trips, staff.
    Schedule {
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        zone: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// The register of vulnerable households, soonest named delivery first.
    Households {
        #[arg(long)]
        village: Option<String>,
        /// Only households with a named delivery due today or overdue.
        #[arg(long)]
        due: bool,
        #[arg(long)]
        json: bool,
    },
    /// Hotline cases (热线工单), pending ones first by due time.
    Cases {
        /// open, assigned, resolved or closed.
        #[arg(long)]
        status: Option<String>,
        /// Only open or assigned cases past due.
        #[arg(long)]
        overdue: bool,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args, Debug)]
pub struct RequestsArgs {
    #[arg(long)]
    pub village: Option<String>,
    #[arg(long)]
    pub point: Option<String>,
    /// requested, approved, scheduled, dispatched, delivered, closed, refused or cancelled.
    #[arg(long)]
    pub status: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Subcommand, Debug)]
pub enum ReportCmd {
    /// The daily report (日报) for a date: per point and key item, report status, town totals.
    Daily {
        /// The day reported on (default today).
        #[arg(long)]
        date: Option<String>,
        #[arg(long, default_value = "md")]
        format: ReportFormat,
    },
}

#[derive(Args, Debug)]
pub struct PlanArgs {
    /// Plan one item only.
    #[arg(long)]
    pub item: Option<String>,
    /// What-if: plan for this response level's demand (routine, level1 .. level4).
    #[arg(long)]
    pub level: Option<String>,
    #[arg(long, default_value = "text")]
    pub format: PlanFormat,
    /// Same as --format json.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct StockArgs {
    #[arg(long)]
    pub point: Option<String>,
    #[arg(long)]
    pub item: Option<String>,
    /// One row per item for the whole town.
    #[arg(long, conflicts_with = "point")]
    pub town: bool,
    /// One row per batch.
    #[arg(long, conflicts_with = "town")]
    pub batches: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct ListArgs {
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct Common {
    /// Client command id (at most 128 of A-Z a-z 0-9 . _ : -): resending it with the same
    /// command applies the command once; it is refused for another command or user.
    #[arg(long)]
    pub id: Option<String>,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Subcommand, Debug)]
pub enum LogCmd {
    /// Goods received at a point from a supplier, a donation or the level above.
    Restock {
        #[arg(long)]
        point: String,
        #[arg(long)]
        item: String,
        #[arg(long, allow_hyphen_values = true)]
        qty: String,
        #[arg(long, default_value = "supplier")]
        source: SourceArg,
        #[arg(long)]
        batch: Option<String>,
        #[arg(long)]
        expiry: Option<String>,
        #[arg(long, default_value = "")]
        note: String,
        #[command(flatten)]
        common: Common,
    },
    /// Goods sent from a point to another point (transfer) or to a village (delivery).
    Dispatch {
        #[arg(long)]
        from: String,
        #[arg(long, required_unless_present = "to_village", conflicts_with = "to_village")]
        to_point: Option<String>,
        #[arg(long)]
        to_village: Option<String>,
        #[arg(long)]
        item: String,
        #[arg(long, allow_hyphen_values = true)]
        qty: String,
        #[arg(long)]
        vehicle: Option<String>,
        #[arg(long, default_value = "")]
        note: String,
        /// The requests this delivery fulfils (Q12,Q13), shared among them in order.
        #[arg(long = "request", value_delimiter = ',', requires = "to_village")]
        requests: Vec<String>,
        #[command(flatten)]
        common: Common,
    },
    /// Confirm a transfer arrived, in full or (with --qty) in part.
    Receive {
        #[arg(long)]
        dispatch: String,
        #[arg(long, allow_hyphen_values = true)]
        qty: Option<String>,
        #[arg(long, default_value = "")]
        note: String,
        #[command(flatten)]
        common: Common,
    },
    /// Stock-take: the quantity counted (--reason counted --counted QTY), or a correction by
    /// DELTA for damaged, expired, lost or found stock.
    Adjust {
        #[arg(long)]
        point: String,
        #[arg(long)]
        item: String,
        #[arg(long, allow_hyphen_values = true)]
        delta: Option<String>,
        /// The quantity counted (with --reason counted): the difference is recorded.
        #[arg(long, allow_hyphen_values = true)]
        counted: Option<String>,
        #[arg(long)]
        reason: ReasonArg,
        #[arg(long)]
        batch: Option<String>,
        #[arg(long, default_value = "")]
        note: String,
        #[command(flatten)]
        common: Common,
    },
    /// The retail price of an item observed at a point.
    Price {
        #[arg(long)]
        point: String,
        #[arg(long)]
        item: String,
        #[arg(long, allow_hyphen_values = true)]
        yuan: String,
        #[command(flatten)]
        common: Common,
    },
    /// A point's daily report (or zero report) for a date (default today).
    Report {
        #[arg(long)]
        point: String,
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        zero: bool,
        #[arg(long, default_value = "")]
        note: String,
        #[command(flatten)]
        common: Common,
    },
    /// Hand the duty watch to the next officer.
    Handover {
        #[arg(long)]
        to: String,
        #[arg(long, default_value = "")]
        note: String,
        #[command(flatten)]
        common: Common,
    },
    /// Issue or renew a vehicle's pass: its number and last valid day.
    Pass {
        #[arg(long)]
        vehicle: String,
        #[arg(long)]
        number: String,
        #[arg(long, value_name = "DATE")]
        valid_until: String,
        #[command(flatten)]
        common: Common,
    },
    /// Withdraw the acknowledgement of an alert.
    Unack {
        #[arg(long)]
        alert: String,
        #[command(flatten)]
        common: Common,
    },
    /// A request for an item or a kit, needed by a date (default tomorrow), from a village, a
    /// household (through its village) or a hotline case (village or household and item taken
    /// from it).
    #[command(group(clap::ArgGroup::new("requester").required(true).args(["village", "household", "case"])))]
    Request {
        #[arg(long)]
        village: Option<String>,
        #[arg(long)]
        household: Option<String>,
        #[arg(long)]
        case: Option<String>,
        #[arg(long, required_unless_present_any = ["kit", "case"], conflicts_with = "kit")]
        item: Option<String>,
        /// A kit is requested like an item (its code in the request's `item`).
        #[arg(long)]
        kit: Option<String>,
        #[arg(long, allow_hyphen_values = true)]
        qty: String,
        #[arg(long)]
        by: Option<String>,
        #[arg(long)]
        slot: Option<String>,
        #[arg(long)]
        urgent: bool,
        #[arg(long, default_value = "")]
        note: String,
        #[command(flatten)]
        common: Common,
    },
    /// Approve a request, in full or (with --qty and a --reason) for less.
    Approve {
        #[arg(long)]
        request: String,
        #[arg(long, allow_hyphen_values = true)]
        qty: Option<String>,
        #[arg(long, default_value = "")]
        reason: String,
        #[command(flatten)]
        common: Common,
    },
    /// Refuse a request nothing was sent for, with a reason.
    Refuse {
        #[arg(long)]
        request: String,
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        common: Common,
    },
    /// Cancel an open request (the remainder, after a delivery), with a reason.
    Cancel {
        #[arg(long)]
        request: String,
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        common: Common,
    },
    /// The receipt of a delivery at the village checkpoint: what arrived, who signed.
    Deliver {
        #[arg(long)]
        dispatch: String,
        #[arg(long, allow_hyphen_values = true)]
        qty: String,
        #[arg(long)]
        signed_by: String,
        #[arg(long, default_value = "")]
        note: String,
        /// A named delivery to this household (its needs of the item are met today).
        #[arg(long)]
        household: Option<String>,
        #[command(flatten)]
        common: Common,
    },
    /// A village's tally for a day (default today): --line ITEM=QTY for each item, or --zero.
    Tally {
        #[arg(long)]
        village: String,
        #[arg(long)]
        date: Option<String>,
        #[arg(long = "line", required_unless_present = "zero", conflicts_with = "zero")]
        lines: Vec<String>,
        #[arg(long)]
        zero: bool,
        #[command(flatten)]
        common: Common,
    },
    /// Book an approved request into a delivery slot of its zone (default its needed-by day).
    Schedule {
        #[arg(long)]
        request: String,
        #[arg(long)]
        slot: String,
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        vehicle: Option<String>,
        #[command(flatten)]
        common: Common,
    },
    /// Make kits at a point from its components (earliest expiry first).
    Assemble {
        #[arg(long)]
        point: String,
        #[arg(long)]
        kit: String,
        #[arg(long, allow_hyphen_values = true)]
        qty: String,
        #[command(flatten)]
        common: Common,
    },
    /// Take kits at a point apart: their components go back to its stock.
    Unpack {
        #[arg(long)]
        point: String,
        #[arg(long)]
        kit: String,
        #[arg(long, allow_hyphen_values = true)]
        qty: String,
        #[command(flatten)]
        common: Common,
    },
    /// Add a household to the register, or change one (name only what changes).
    Household(HouseholdArgs),
    /// A hotline call taken: who called, about which village or household, what it is about.
    #[command(group(clap::ArgGroup::new("from").required(true).args(["village", "household"])))]
    Case {
        #[arg(long)]
        caller: String,
        #[arg(long)]
        phone: String,
        #[arg(long)]
        village: Option<String>,
        #[arg(long)]
        household: Option<String>,
        /// shortage, price, quality, delivery_missed, medical or other.
        #[arg(long)]
        kind: String,
        #[arg(long)]
        item: Option<String>,
        #[arg(long)]
        text: String,
        /// Due within `case_urgent_hours` (default 2) instead of `case_normal_hours` (24).
        #[arg(long)]
        urgent: bool,
        #[command(flatten)]
        common: Common,
    },
    /// Give a hotline case to a person on the roster.
    Assign {
        #[arg(long)]
        case: String,
        #[arg(long)]
        to: String,
        #[command(flatten)]
        common: Common,
    },
    /// Resolve a hotline case: what was done, and the request it led to.
    Resolve {
        #[arg(long)]
        case: String,
        #[arg(long)]
        text: String,
        #[arg(long)]
        request: Option<String>,
        #[command(flatten)]
        common: Common,
    },
    /// Take a resolved or closed case up again.
    Reopen {
        #[arg(long)]
        case: String,
        #[command(flatten)]
        common: Common,
    },
    /// Close a resolved case.
    Close {
        #[arg(long)]
        case: String,
        #[command(flatten)]
        common: Common,
    },
}

/// `log household`: the code and only what changes.
#[derive(Args, Debug)]
pub struct HouseholdArgs {
    #[arg(long)]
    pub code: String,
    /// The head of the household.
    #[arg(long)]
    pub name: Option<String>,
    #[arg(long)]
    pub village: Option<String>,
    #[arg(long)]
    pub address: Option<String>,
    #[arg(long)]
    pub phone: Option<String>,
    /// elderly_alone, chronic_disease, disabled, infant, pregnant, low_income or other; repeat
    /// or separate with commas (replaces the list).
    #[arg(long = "category")]
    pub categories: Vec<String>,
    /// ITEM=QTY/DAYS: QTY of ITEM every DAYS days; repeat for each need (replaces the list).
    #[arg(long = "need")]
    pub needs: Vec<String>,
    /// The volunteer or cadre responsible, and their phone.
    #[arg(long)]
    pub responsible: Option<String>,
    #[arg(long)]
    pub responsible_phone: Option<String>,
    #[arg(long)]
    pub note: Option<String>,
    #[command(flatten)]
    pub common: Common,
}

/// `--lang`.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum LangArg {
    Zh,
    En,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::Zh => Lang::Zh,
            LangArg::En => Lang::En,
        }
    }
}

/// `plan --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PlanFormat {
    Text,
    Md,
    Csv,
    Json,
}

/// `report daily --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Md,
    Csv,
    Json,
}

/// What `export` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportWhat {
    Events,
    Stock,
    Dispatches,
    Alerts,
}

/// `export --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Csv,
    Json,
}

/// What `import` reads: a CSV list, or an exported event log.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ImportWhat {
    Zones,
    Points,
    Villages,
    Items,
    People,
    Duty,
    Stock,
    Events,
    Vehicles,
    Kits,
    Requests,
    Tallies,
    Slots,
    Households,
}

impl ImportWhat {
    /// The CSV list, or `None` for an event log.
    pub fn list(self) -> Option<crate::import::Kind> {
        use crate::import::Kind;
        Some(match self {
            ImportWhat::Zones => Kind::Zones,
            ImportWhat::Points => Kind::Points,
            ImportWhat::Villages => Kind::Villages,
            ImportWhat::Items => Kind::Items,
            ImportWhat::People => Kind::People,
            ImportWhat::Duty => Kind::Duty,
            ImportWhat::Stock => Kind::Stock,
            ImportWhat::Vehicles => Kind::Vehicles,
            ImportWhat::Kits => Kind::Kits,
            ImportWhat::Requests => Kind::Requests,
            ImportWhat::Tallies => Kind::Tallies,
            ImportWhat::Slots => Kind::Slots,
            ImportWhat::Households => Kind::Households,
            ImportWhat::Events => return None,
        })
    }
}

/// `log restock --source`.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum SourceArg {
    Supplier,
    Donation,
    Reserve,
}

impl From<SourceArg> for Source {
    fn from(s: SourceArg) -> Source {
        match s {
            SourceArg::Supplier => Source::Supplier,
            SourceArg::Donation => Source::Donation,
            SourceArg::Reserve => Source::Reserve,
        }
    }
}

/// `log adjust --reason`.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ReasonArg {
    Counted,
    Damaged,
    Expired,
    Lost,
    Found,
}

impl From<ReasonArg> for AdjustReason {
    fn from(r: ReasonArg) -> AdjustReason {
        match r {
            ReasonArg::Counted => AdjustReason::Counted,
            ReasonArg::Damaged => AdjustReason::Damaged,
            ReasonArg::Expired => AdjustReason::Expired,
            ReasonArg::Lost => AdjustReason::Lost,
            ReasonArg::Found => AdjustReason::Found,
        }
    }
}
