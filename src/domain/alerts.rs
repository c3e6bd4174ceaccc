//! Alert records: kinds, severities, an alert as raised and cleared, the delta an event carries,
//! and the thresholds (`[alerts]` in baogong.toml). Types only: the rules that raise and clear
//! alerts are in `rules::alerts`. Imports only `lang`; never the state or the rules.

use super::lang::Lang;
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Ordered most severe first.
    Critical,
    Warning,
    Info,
}

impl Severity {
    pub fn code(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Severity::Critical => lang.pick("CRITICAL", "严重"),
            Severity::Warning => lang.pick("warning", "警告"),
            Severity::Info => lang.pick("info", "提示"),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    Stockout,
    /// Projected to stock out within `Thresholds::stockout_within_days`.
    StockoutSoon,
    BelowNorm,
    OutflowSpike,
    PriceSpike,
    ReportOverdue,
    BatchExpiring,
    TransferUnreceived,
    NoHandover,
    PassExpiring,
    /// A village's tally not in by its due day (cleared when it arrives).
    TallyOverdue,
    /// A household's need past its due day without a named delivery (critical for medicine).
    NamedDeliveryOverdue,
    /// A hotline case open or assigned past its due time.
    CaseOverdue,
    /// As many shortage calls about one item from one zone in a day as `shortage_calls`.
    ShortageCalls,
}

impl AlertKind {
    /// Every kind (a new kind is added here too).
    pub const ALL: [AlertKind; 14] = [
        AlertKind::Stockout,
        AlertKind::StockoutSoon,
        AlertKind::BelowNorm,
        AlertKind::OutflowSpike,
        AlertKind::PriceSpike,
        AlertKind::ReportOverdue,
        AlertKind::BatchExpiring,
        AlertKind::TransferUnreceived,
        AlertKind::NoHandover,
        AlertKind::PassExpiring,
        AlertKind::TallyOverdue,
        AlertKind::NamedDeliveryOverdue,
        AlertKind::CaseOverdue,
        AlertKind::ShortageCalls,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AlertKind::Stockout => "stockout",
            AlertKind::StockoutSoon => "stockout_soon",
            AlertKind::BelowNorm => "below_norm",
            AlertKind::OutflowSpike => "outflow_spike",
            AlertKind::PriceSpike => "price_spike",
            AlertKind::ReportOverdue => "report_overdue",
            AlertKind::BatchExpiring => "batch_expiring",
            AlertKind::TransferUnreceived => "transfer_unreceived",
            AlertKind::NoHandover => "no_handover",
            AlertKind::PassExpiring => "pass_expiring",
            AlertKind::TallyOverdue => "tally_overdue",
            AlertKind::NamedDeliveryOverdue => "named_delivery_overdue",
            AlertKind::CaseOverdue => "case_overdue",
            AlertKind::ShortageCalls => "shortage_calls",
        }
    }

    /// Whether a stock movement or a price at a point+item can raise or clear it (the rules run
    /// for just those pairs after such a command).
    pub fn about_stock(self) -> bool {
        match self {
            AlertKind::Stockout
            | AlertKind::StockoutSoon
            | AlertKind::BelowNorm
            | AlertKind::OutflowSpike
            | AlertKind::PriceSpike
            | AlertKind::BatchExpiring => true,
            AlertKind::ReportOverdue
            | AlertKind::TransferUnreceived
            | AlertKind::NoHandover
            | AlertKind::PassExpiring
            | AlertKind::TallyOverdue
            | AlertKind::NamedDeliveryOverdue
            | AlertKind::CaseOverdue
            | AlertKind::ShortageCalls => false,
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            AlertKind::Stockout => lang.pick("stocked out", "断档脱销"),
            AlertKind::StockoutSoon => lang.pick("stocks out soon", "即将断档"),
            AlertKind::BelowNorm => lang.pick("below reserve norm", "低于储备标准"),
            AlertKind::OutflowSpike => lang.pick("outflow spike (panic buying?)", "出库激增(抢购?)"),
            AlertKind::PriceSpike => lang.pick("price spike", "价格异常上涨"),
            AlertKind::ReportOverdue => lang.pick("daily report overdue", "日报逾期未报"),
            AlertKind::BatchExpiring => lang.pick("batch expiring", "批次临期"),
            AlertKind::TransferUnreceived => lang.pick("transfer not received", "调拨未签收"),
            AlertKind::NoHandover => lang.pick("no handover at shift change", "交接班未完成"),
            AlertKind::PassExpiring => lang.pick("vehicle pass expiring", "通行证将到期"),
            AlertKind::TallyOverdue => lang.pick("village tally overdue", "村需求统计逾期未报"),
            AlertKind::NamedDeliveryOverdue => lang.pick("named delivery overdue", "重点户配送逾期"),
            AlertKind::CaseOverdue => lang.pick("hotline case overdue", "热线工单超时"),
            AlertKind::ShortageCalls => lang.pick("shortage calls", "缺货来电集中"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    pub id: u64,
    pub kind: AlertKind,
    pub severity: Severity,
    /// What it is about: "P03/rice", "P05 2026-11-28", "D42", a plate, a shift start.
    pub subject: String,
    #[serde(default)]
    pub point: Option<String>,
    #[serde(default)]
    pub item: Option<String>,
    /// The measured figure: days of cover, spike ratio, days to expiry, hours waiting.
    #[serde(default)]
    pub value: Option<f64>,
    pub first_seen: DateTime<FixedOffset>,
    #[serde(default)]
    pub acked_by: Option<String>,
    #[serde(default)]
    pub acked_at: Option<DateTime<FixedOffset>>,
    /// The officer on duty when it was acknowledged (`acked_by` is the OS user).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acked_on_duty: Option<String>,
    #[serde(default)]
    pub cleared_at: Option<DateTime<FixedOffset>>,
}

impl Alert {
    pub fn label(id: u64) -> String {
        format!("A{id}")
    }

    /// Parses "A7", "a7" or "7".
    pub fn parse_label(text: &str) -> Option<u64> {
        let t = text.trim();
        t.strip_prefix(['A', 'a']).unwrap_or(t).parse().ok()
    }

    /// The condition this alert is about; one open alert per key.
    pub fn key(&self) -> String {
        condition_key(self.kind, &self.subject)
    }

    /// Last seen: when it cleared, else the last time the rules ran (`evaluated`).
    pub fn last_seen(&self, evaluated: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
        self.cleared_at.unwrap_or(evaluated)
    }
}

/// The key of a condition; one open alert per key.
pub fn condition_key(kind: AlertKind, subject: &str) -> String {
    format!("{}|{}", kind.code(), subject)
}

/// Alert changes recorded with an event.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AlertDelta {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub raised: Vec<Alert>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cleared: Vec<u64>,
}

impl AlertDelta {
    pub fn is_empty(&self) -> bool {
        self.raised.is_empty() && self.cleared.is_empty()
    }
}

/// Alert thresholds (`[alerts]` in baogong.toml).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Thresholds {
    /// Today's outflow above this many times the trailing daily average is a spike.
    pub spike_ratio: f64,
    /// ... and only when today's outflow is at least this many units.
    pub spike_min_units: f64,
    /// A price this many percent above the trailing 7-day average is a spike.
    pub price_spike_pct: f64,
    /// Stock projected to run out within this many days raises an alert before it does.
    pub stockout_within_days: f64,
    /// A batch expiring within this many days raises an alert.
    pub expiry_days: i64,
    /// A transfer not received within this many hours raises an alert.
    pub transfer_hours: i64,
    /// Minutes after a shift starts without a handover before the post counts as unmanned.
    pub handover_grace_minutes: i64,
    /// A vehicle pass expiring within this many days raises an alert.
    pub pass_days: i64,
    /// The daily report for a day is due at this local time on the next day.
    #[serde(with = "hhmm")]
    pub report_deadline: NaiveTime,
    /// An urgent hotline case is due this many hours after it is taken (or reopened) ...
    pub case_urgent_hours: i64,
    /// ... a normal one this many.
    pub case_normal_hours: i64,
    /// This many shortage calls about one item from one zone in a day raise "shortage calls".
    pub shortage_calls: u32,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            spike_ratio: 2.0,
            spike_min_units: 10.0,
            price_spike_pct: 30.0,
            stockout_within_days: 3.0,
            expiry_days: 7,
            transfer_hours: 6,
            handover_grace_minutes: 30,
            pass_days: 3,
            report_deadline: NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default(),
            case_urgent_hours: 2,
            case_normal_hours: 24,
            shortage_calls: 5,
        }
    }
}

pub mod hhmm {
    use chrono::NaiveTime;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &NaiveTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&t.format("%H:%M").to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveTime, D::Error> {
        let text = String::deserialize(d)?;
        NaiveTime::parse_from_str(&text, "%H:%M").map_err(serde::de::Error::custom)
    }
}

impl Thresholds {
    /// When the report for `date` is due.
    pub fn report_due(&self, date: NaiveDate, offset: FixedOffset) -> Option<DateTime<FixedOffset>> {
        (date + Duration::days(1)).and_time(self.report_deadline).and_local_timezone(offset).single()
    }

    /// The latest date whose report is already due at `now`.
    pub fn latest_due_date(&self, now: DateTime<FixedOffset>) -> NaiveDate {
        let today = now.date_naive();
        if now.time() >= self.report_deadline {
            today - Duration::days(1)
        } else {
            today - Duration::days(2)
        }
    }
}
