//! The console's model: the mirrored ledger state, the clock, what is focused and selected,
//! the open form, toasts and the connection. Also the row lists every panel shows, computed from
//! the model alone so that `update` (selection, pre-fill) and render agree on them.

use super::form::Form;
use crate::domain::alerts::{Alert, Thresholds};
use crate::domain::cover::{self, StockStatus};
use crate::domain::state::{Dispatch, DispatchStatus, State};
use crate::domain::{ItemGroup, Lang, Person, Point};
use chrono::{DateTime, FixedOffset};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Panel {
    Roster = 0,
    Points = 1,
    Stock = 2,
    Alerts = 3,
}

impl Panel {
    pub const ALL: [Panel; 4] = [Panel::Roster, Panel::Points, Panel::Stock, Panel::Alerts];

    pub fn title_key(self) -> &'static str {
        match self {
            Panel::Roster => "panel.roster",
            Panel::Points => "panel.points",
            Panel::Stock => "panel.stock",
            Panel::Alerts => "panel.alerts",
        }
    }
}

/// How this face reaches the engine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Conn {
    /// The engine runs in this process over the local store.
    Embedded,
    Connected,
    Disconnected {
        since: DateTime<FixedOffset>,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Toast {
    pub text: String,
    pub error: bool,
    pub until: DateTime<FixedOffset>,
}

pub struct Model {
    pub state: State,
    pub now: DateTime<FixedOffset>,
    pub lang: Lang,
    pub user: String,
    pub conn: Conn,
    pub thresholds: Thresholds,
    pub panel: Panel,
    pub sel: [usize; 4],
    pub filter: [String; 4],
    /// Typing into the focused panel's filter.
    pub filtering: bool,
    /// The point drilled into from the points panel.
    pub drill: Option<String>,
    /// The point whose stock the stock panel shows (None: the whole town).
    pub stock_point: Option<String>,
    pub stock_group: Option<ItemGroup>,
    pub form: Option<Form>,
    pub toast: Option<Toast>,
    pub help: bool,
    /// Asked "quit and lose what the form holds?".
    pub confirm_quit: bool,
    pub quit: bool,
}

impl Model {
    pub fn new(state: State, now: DateTime<FixedOffset>, lang: Lang, user: String, thresholds: Thresholds) -> Model {
        Model {
            state,
            now,
            lang,
            user,
            conn: Conn::Embedded,
            thresholds,
            panel: Panel::Stock,
            sel: [0; 4],
            filter: Default::default(),
            filtering: false,
            drill: None,
            stock_point: None,
            stock_group: None,
            form: None,
            toast: None,
            help: false,
            confirm_quit: false,
            quit: false,
        }
    }

    pub fn filter_of(&self, p: Panel) -> &str {
        &self.filter[p as usize]
    }

    pub fn len_of(&self, p: Panel) -> usize {
        match p {
            Panel::Roster => roster_rows(self).len(),
            Panel::Points => point_rows(self).len(),
            Panel::Stock => stock_rows(self).len(),
            Panel::Alerts => alert_rows(self).len(),
        }
    }

    pub fn selected(&self, p: Panel) -> usize {
        let n = self.len_of(p);
        self.sel[p as usize].min(n.saturating_sub(1))
    }

    /// Open, unacknowledged critical alerts.
    pub fn critical_unacked(&self) -> usize {
        self.state
            .alerts
            .values()
            .filter(|a| {
                a.cleared_at.is_none()
                    && a.acked_by.is_none()
                    && a.severity == crate::domain::alerts::Severity::Critical
            })
            .count()
    }
}

fn hit(filter: &str, fields: &[&str]) -> bool {
    let f = filter.trim().to_lowercase();
    f.is_empty() || fields.iter().any(|x| x.to_lowercase().contains(&f))
}

/// The leading group and duty staff, in order of role.
pub fn roster_rows(m: &Model) -> Vec<&Person> {
    let f = m.filter_of(Panel::Roster);
    let mut v: Vec<&Person> = m
        .state
        .people
        .values()
        .filter(|p| hit(f, &[&p.name, &p.title, &p.unit, &p.duty, &p.phone, p.role.code()]))
        .collect();
    v.sort_by(|a, b| a.role.cmp(&b.role).then(a.name.cmp(&b.name)));
    v
}

/// One point as the points panel shows it.
pub struct PointRow<'a> {
    pub point: &'a Point,
    pub worst: Option<StockStatus>,
    pub short_items: usize,
    pub last_report: Option<DateTime<FixedOffset>>,
    pub in_flight: usize,
}

/// Points by zone, then code.
pub fn point_rows(m: &Model) -> Vec<PointRow<'_>> {
    let f = m.filter_of(Panel::Points);
    let today = m.now.date_naive();
    let mut v: Vec<PointRow> = m
        .state
        .points
        .values()
        .filter(|p| hit(f, &[&p.code, &p.name, &p.zone, &p.manager, p.kind.code()]))
        .map(|p| {
            let statuses: Vec<StockStatus> = m
                .state
                .pairs
                .keys()
                .filter(|(pp, _)| *pp == p.code)
                .filter_map(|(pp, i)| m.state.items.get(i).map(|it| cover::point_cover(&m.state, pp, it, today).status))
                .collect();
            PointRow {
                point: p,
                worst: statuses.iter().min().copied(),
                short_items: statuses.iter().filter(|s| **s <= StockStatus::BelowNorm).count(),
                last_report: m.state.reports.values().filter(|r| r.point == p.code).map(|r| r.at).max(),
                in_flight: m
                    .state
                    .dispatches
                    .values()
                    .filter(|d| d.status() == DispatchStatus::InTransit)
                    .filter(|d| d.from == p.code || matches!(&d.to, crate::domain::Dest::Point(t) if *t == p.code))
                    .count(),
            }
        })
        .collect();
    v.sort_by(|a, b| a.point.zone.cmp(&b.point.zone).then(a.point.code.cmp(&b.point.code)));
    v
}

/// Stock of the chosen point (or the town), worst cover first, filtered by group and text.
pub fn stock_rows(m: &Model) -> Vec<crate::cli::StockRow<'_>> {
    let f = m.filter_of(Panel::Stock);
    let today = m.now.date_naive();
    let town = m.stock_point.is_none();
    crate::cli::stock_rows(&m.state, today, m.stock_point.as_deref(), None, town)
        .into_iter()
        .filter(|r| m.stock_group.is_none_or(|g| g == r.item.group))
        .filter(|r| hit(f, &[&r.item.code, &r.item.name_zh, &r.item.name_en, r.point.unwrap_or("")]))
        .collect()
}

/// Open alerts first, most severe and newest first; then recently cleared ones.
pub fn alert_rows(m: &Model) -> Vec<&Alert> {
    let f = m.filter_of(Panel::Alerts);
    let mut v: Vec<&Alert> = m
        .state
        .alerts
        .values()
        .filter(|a| a.cleared_at.is_none() || a.cleared_at.is_some_and(|c| m.now - c < chrono::Duration::hours(24)))
        .filter(|a| hit(f, &[&a.subject, a.kind.code(), a.kind.label(m.lang), &Alert::label(a.id)]))
        .collect();
    v.sort_by(|a, b| {
        a.cleared_at
            .is_some()
            .cmp(&b.cleared_at.is_some())
            .then(a.severity.cmp(&b.severity))
            .then(b.first_seen.cmp(&a.first_seen))
    });
    v
}

/// Recent dispatches from or to a point, newest first.
pub fn point_dispatches<'a>(m: &'a Model, point: &str) -> Vec<&'a Dispatch> {
    m.state
        .dispatches
        .values()
        .rev()
        .filter(|d| d.from == point || matches!(&d.to, crate::domain::Dest::Point(t) if t == point))
        .take(50)
        .collect()
}
