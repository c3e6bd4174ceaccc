//! The console's model: the mirrored ledger state, the clock, what is focused and selected,
//! the overlay stack (filter, forms, plan, report, help, questions, the hotline, households,
//! vehicles and contacts screens, the response levels), drafts of closed forms, the
//! command id generator, toasts and the connection. Also the row lists every panel shows, computed from
//! the model alone so that `update` (selection, pre-fill) and render agree on them.
//! Must not import the loop, `cli`, `link`, the store or anything that does I/O.

use super::form::{Form, FormKind};
use super::keymap::Layer;
use crate::domain::alerts::{Alert, Thresholds};
use crate::domain::rules::cover::Cover;
use crate::domain::rules::cover::{self, StockStatus};
use crate::domain::rules::plan::{self, Plan, PlanSettings};
use crate::domain::state::{Dispatch, DispatchStatus, State, ViewKey};
use crate::domain::ResponseLevel;
use crate::domain::{Item, ItemGroup, Lang, Person, Point};
use chrono::{DateTime, FixedOffset};
use std::collections::BTreeMap;

/// The plan screen: the level planned for (the one in force, or one being considered), the
/// selected transfer, how far the requests are scrolled, and the plan itself, recomputed when the
/// state or the day changes.
pub struct PlanScreen {
    pub level: ResponseLevel,
    pub sel: usize,
    pub scroll: u16,
    pub plan: Plan,
}

/// One layer over the panels. The model holds them as a stack: the top one gets the keys, and
/// they are drawn bottom to top, so what is seen on top is what answers.
pub enum Overlay {
    /// Typing into the focused panel's filter.
    Filter,
    Form(Box<Form>),
    Plan(PlanScreen),
    /// The daily report for a date, scrolled.
    Report {
        date: chrono::NaiveDate,
        scroll: u16,
    },
    /// The keys of the layer below.
    Help(Layer),
    /// A yes/no question: quit and lose the drafts, set the response level.
    Confirm(Question),
    /// The delivery schedule of `date` and the day after, scrolled.
    Schedule {
        date: chrono::NaiveDate,
        scroll: u16,
    },
    /// Hotline cases by due time (`K`).
    Hotline(Screen),
    /// The households' named deliveries, due first (`H`).
    Households(Screen),
    /// Vehicles and their passes, ended or ending first (`V`).
    Vehicles(Screen),
    /// The contacts on duty (`o`), the selected line.
    Contacts {
        sel: usize,
    },
    /// The response levels (`L`), the selected one (its number).
    Level {
        sel: usize,
    },
}

/// What a confirmation asks; `y` does it, `n` or Esc goes back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Question {
    /// Quit and lose unsaved drafts?
    Quit,
    /// Set the response level to this one?
    Level(ResponseLevel),
}

/// A list screen over the panels (hotline, households, vehicles): the selected row and the text its
/// filter (`/`) keeps rows by.
#[derive(Clone, Debug, Default)]
pub struct Screen {
    pub sel: usize,
    pub filter: String,
}

impl Overlay {
    pub fn layer(&self) -> Layer {
        match self {
            Overlay::Filter => Layer::Filter,
            Overlay::Form(_) => Layer::Form,
            Overlay::Plan(_) => Layer::Plan,
            Overlay::Report { .. } => Layer::Report,
            Overlay::Help(_) => Layer::Help,
            Overlay::Confirm(_) => Layer::Confirm,
            Overlay::Schedule { .. } => Layer::Schedule,
            Overlay::Hotline(_) => Layer::Hotline,
            Overlay::Households(_) => Layer::Households,
            Overlay::Vehicles(_) => Layer::Vehicles,
            Overlay::Contacts { .. } => Layer::Contacts,
            Overlay::Level { .. } => Layer::Level,
        }
    }
}

/// Command ids made by the face: a prefix (seeded by the app loop from the clock and process,
/// so ids never repeat across runs) and a counter. Keeps `update` free of the clock. A prefix
/// that could make an id the engine refuses (a user 张三) is replaced by its hash.
#[derive(Clone, Debug)]
pub struct IdGen {
    prefix: String,
    n: u64,
}

impl IdGen {
    pub fn new(prefix: impl Into<String>) -> IdGen {
        let prefix = prefix.into();
        let fits = crate::api::check_id(&format!("{prefix}-{}", u64::MAX)).is_ok();
        IdGen { prefix: if fits { prefix } else { crate::api::id_part(&prefix) }, n: 0 }
    }

    pub fn next_id(&mut self) -> String {
        self.n += 1;
        format!("{}-{}", self.prefix, self.n)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Panel {
    Roster = 0,
    Points = 1,
    Stock = 2,
    Alerts = 3,
    Requests = 4,
    /// Point face: transfers on their way to the point.
    Incoming = 5,
    /// Point face: what the point sent out today.
    Deliveries = 6,
    /// Point face: the prices logged today.
    Prices = 7,
}

/// How many panels there are (the size of the per-panel selection and filter arrays).
pub const PANELS: usize = 8;

impl Panel {
    pub const ALL: [Panel; 5] = [Panel::Roster, Panel::Points, Panel::Stock, Panel::Alerts, Panel::Requests];
    /// The point face's panels in reading order (left column top to bottom, then the right
    /// one): its stock, its villages' requests, transfers coming in, what it sent today, today's
    /// prices, its alerts. Tab and Shift-Tab cycle through them.
    pub const POINT: [Panel; 6] =
        [Panel::Stock, Panel::Requests, Panel::Incoming, Panel::Deliveries, Panel::Prices, Panel::Alerts];

    /// The panels a face switches between with Tab and the number keys.
    pub fn of(face: &crate::proto::FaceKind) -> &'static [Panel] {
        match face {
            crate::proto::FaceKind::Point { .. } => &Panel::POINT,
            _ => &Panel::ALL,
        }
    }

    pub fn title_key(self) -> &'static str {
        match self {
            Panel::Roster => "panel.roster",
            Panel::Points => "panel.points",
            Panel::Stock => "panel.stock",
            Panel::Alerts => "panel.alerts",
            Panel::Requests => "panel.requests",
            Panel::Incoming => "point.incoming",
            Panel::Deliveries => "point.sent_today",
            Panel::Prices => "point.prices_today",
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

/// Figures derived from the state for the current day, kept up to date as events arrive so that
/// a frame never recomputes thousands of covers: cover per point+item and per item town-wide,
/// each point's worst status, last report and transfers in flight.
///
/// Consumption rates are fixed through a day (the window ends yesterday): `full` computes them
/// once for every pair in one pass over the window's flows (`cover::consumptions`), and an
/// event re-reads a pair's rate from its cover unless the pair is or was stocked out (its
/// stock-out days may move) or is a kit. Costs: `full` O(flows of the window and lookback +
/// pairs × their lots); `touched` O(what the event touched: the pairs' lots, the kits made of
/// their items at their points, and each touched item's town cover, see `town_cover`).
#[derive(Default)]
pub struct Derived {
    pub day: Option<chrono::NaiveDate>,
    pub covers: BTreeMap<(String, String), Cover>,
    pub town: BTreeMap<String, Cover>,
    /// When each point last reported.
    pub last_report: BTreeMap<String, DateTime<FixedOffset>>,
    /// Transfers in transit from or to each point.
    pub in_flight: BTreeMap<String, usize>,
    /// Town consumption of each item on `day`: fixed through the day, as today's movements are
    /// not in the window (a new day or new households recompute everything).
    pub town_rate: BTreeMap<String, Option<(f64, cover::Basis)>>,
    /// The transfers counted in `in_flight`, with the points they count for.
    pub transit: BTreeMap<u64, (String, Option<String>)>,
    /// The day of the oldest flow held when the rates were computed: the days a rate is
    /// averaged over start there, so another first day recomputes everything.
    first_flow: Option<chrono::NaiveDate>,
    /// Every alert's id in `views::alerts::order`, sorted when an event touches an alert
    /// (O(n log n) in the alerts, once per such event); the feed reads it in O(n) per frame and
    /// never sorts.
    pub alert_order: Vec<u64>,
}

/// Every alert's id in `views::alerts::order`. O(n log n) in the alerts.
fn alert_order(state: &State) -> Vec<u64> {
    crate::views::alerts::list(state, true).into_iter().map(|a| a.id).collect()
}

/// The day of the oldest flow held. O(log n).
fn first_flow(state: &State) -> Option<chrono::NaiveDate> {
    state.flows.keys().next().map(|(d, _, _)| *d)
}

impl Derived {
    /// Recomputes everything for `day`.
    pub fn full(state: &State, day: chrono::NaiveDate) -> Derived {
        let mut d = Derived {
            day: Some(day),
            first_flow: first_flow(state),
            alert_order: alert_order(state),
            ..Derived::default()
        };
        let rates = cover::consumptions(state, day);
        for (p, i) in state.pairs.keys() {
            if let Some(item) = state.items.get(i) {
                let rate = rates.get(&(p.as_str(), i.as_str())).copied().flatten();
                d.covers.insert((p.clone(), i.clone()), cover::point_cover_at(state, p, item, day, rate));
            }
        }
        d.town_rate = cover::town_consumptions(state, day);
        for item in state.items.values() {
            d.town.insert(item.code.clone(), d.town_cover(state, item, day));
        }
        for r in state.reports.values() {
            d.reported(r);
        }
        for id in state.dispatches.keys() {
            d.transfer(state, *id);
        }
        d
    }

    /// The town cover of `item`, as `views::stock::town_cover` computes it, from the day's town
    /// rate and the item's lots point by point: O(points × log lots + lots of the item), not a
    /// pass over every lot and every flow of the window.
    fn town_cover(&self, state: &State, item: &Item, day: chrono::NaiveDate) -> Cover {
        let rate = match self.town_rate.get(&item.code) {
            Some(rate) => *rate,
            None => cover::town_consumption(state, item, day),
        };
        // In the order of `state.lots`, so the figure is the very same.
        let lots: Vec<&crate::domain::state::Lot> = state
            .points
            .keys()
            .flat_map(|p| {
                let from = (p.clone(), item.code.clone(), String::new());
                state.lots.range(from..).take_while(move |((lp, li, _), _)| lp == p && *li == item.code).map(|(_, l)| l)
            })
            .collect();
        let qty = lots.iter().map(|l| l.qty).sum();
        cover::cover_of(qty, &lots, rate, item, day)
    }

    /// The cover of `item` at `point` after a change: at the rate its cover was computed with,
    /// while that rate cannot have moved (a plain item that was and is in stock), else at its
    /// rate computed afresh. O(lots of the pair), O(days of the window × log flows) afresh.
    fn pair_cover(&self, state: &State, point: &str, item: &Item, day: chrono::NaiveDate) -> Cover {
        let key = (point.to_string(), item.code.clone());
        let in_stock = state.pairs.get(&key).is_some_and(|p| p.zero_since.is_none());
        let known = self.covers.get(&key).filter(|c| in_stock && !item.is_kit() && c.qty > crate::domain::Qty::ZERO);
        let rate = match known {
            Some(c) => c.daily.zip(c.basis),
            None => cover::consumption(state, point, item, day),
        };
        cover::point_cover_at(state, point, item, day, rate)
    }

    /// A report counts for its point's last report. O(log points).
    fn reported(&mut self, r: &crate::domain::state::Report) {
        let e = self.last_report.entry(r.point.clone()).or_insert(r.at);
        *e = (*e).max(r.at);
    }
    /// Counts transfer `id` in flight for its points while it is in transit, and no longer once
    /// it is not (received, cancelled, or gone from the state). O(log n).
    fn transfer(&mut self, state: &State, id: u64) {
        let in_transit = state.dispatches.get(&id).filter(|d| d.status() == DispatchStatus::InTransit);
        match (in_transit, self.transit.contains_key(&id)) {
            (Some(d), false) => {
                let to = match &d.to {
                    crate::domain::Dest::Point(t) => Some(t.clone()),
                    crate::domain::Dest::Village(_) => None,
                };
                for p in std::iter::once(&d.from).chain(to.as_ref()) {
                    *self.in_flight.entry(p.clone()).or_default() += 1;
                }
                self.transit.insert(id, (d.from.clone(), to));
            }
            (None, true) => {
                if let Some((from, to)) = self.transit.remove(&id) {
                    for p in std::iter::once(from).chain(to) {
                        if let Some(n) = self.in_flight.get_mut(&p) {
                            *n = n.saturating_sub(1);
                            if *n == 0 {
                                self.in_flight.remove(&p);
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }

    /// Brings the figures up to date after an event touched `keys`: O(what it touched), the
    /// pairs' covers (`pair_cover`), those of the kits made of their items at their points, and
    /// their items' town covers (see `town_cover`), the reports and transfers it names;
    /// reference data (items, points, villages) or another first day of flows recompute
    /// everything.
    pub fn touched(&mut self, state: &State, keys: &[ViewKey]) {
        if keys.iter().any(|k| matches!(k, ViewKey::Alert(_) | ViewKey::OpenAlert(_))) {
            self.alert_order = alert_order(state);
        }
        let Some(day) = self.day else { return };
        let reference = keys.iter().any(|k| matches!(k, ViewKey::Item(_) | ViewKey::Point(_) | ViewKey::Village(_)));
        if reference || first_flow(state) != self.first_flow {
            *self = Derived::full(state, day);
            return;
        }
        let mut pairs = std::collections::BTreeSet::new();
        for k in keys {
            match k {
                ViewKey::Pair(p, i) => {
                    pairs.insert((p.as_str(), i.as_str()));
                    let kits = state.items.values().filter(|k| k.components.iter().any(|c| c.item == *i));
                    pairs.extend(kits.map(|k| (p.as_str(), k.code.as_str())));
                }
                ViewKey::Report(d, p) => {
                    if let Some(r) = state.reports.get(&(*d, p.clone())) {
                        self.reported(r);
                    }
                }
                ViewKey::InFlight(id) | ViewKey::Dispatch(id) => self.transfer(state, *id),
                _ => {}
            }
        }
        let mut items = std::collections::BTreeSet::new();
        for (p, i) in pairs {
            let carried = state.pairs.contains_key(&(p.to_string(), i.to_string()));
            if let Some(item) = state.items.get(i).filter(|_| carried) {
                let cover = self.pair_cover(state, p, item, day);
                self.covers.insert((p.to_string(), i.to_string()), cover);
                items.insert(i);
            }
        }
        for item in items.into_iter().filter_map(|i| state.items.get(i)) {
            self.town.insert(item.code.clone(), self.town_cover(state, item, day));
        }
    }
}

pub struct Model {
    pub state: State,
    pub derived: Derived,
    pub now: DateTime<FixedOffset>,
    pub lang: Lang,
    pub user: String,
    pub conn: Conn,
    pub thresholds: Thresholds,
    pub panel: Panel,
    pub sel: [usize; PANELS],
    pub filter: [String; PANELS],
    /// The point drilled into from the points panel.
    pub drill: Option<String>,
    /// The point whose stock the stock panel shows (None: the whole town).
    pub stock_point: Option<String>,
    pub stock_group: Option<ItemGroup>,
    /// The layers over the panels, bottom first (see `Overlay`).
    pub overlays: Vec<Overlay>,
    /// Forms closed with Esc after typing, one per action, restored when the same form is
    /// opened again for the same selection, until saved or emptied.
    pub drafts: BTreeMap<FormKind, Form>,
    pub ids: IdGen,
    pub toast: Option<Toast>,
    pub quit: bool,
    /// The items the daily report lists (`[report] key_items`; empty: the default choice).
    pub key_items: Vec<String>,
    /// `[plan]` settings: horizon, donor margin, demand per level.
    pub plan_settings: PlanSettings,
    /// `[demand]` settings: the delivery slots of `baogong.toml` among them.
    pub demand: crate::domain::demand::DemandSettings,
    /// Which face this model drives.
    pub face: crate::proto::FaceKind,
    /// Wall: seconds between zone pages (0: no rotation).
    pub rotate: u64,
    /// Why the face had to stop (the daemon refused it).
    pub fatal: Option<String>,
    /// The alert feed: `G` flips the automatic choice of grouped or flat (see `feed_grouped`).
    pub alerts_regrouped: bool,
    /// The group of the feed opened with Enter (kind, zone).
    pub alert_group_open: Option<(crate::domain::alerts::AlertKind, String)>,
    /// The daily report screen's lines while it is open (see `ReportCache`).
    pub report_cache: Option<ReportCache>,
}

/// The daily report screen's text, kept with what it was computed from: the date shown, the
/// last event applied, the language and the minute. `Model::refresh_report` recomputes it
/// (O(the report: points × key items, and the day's flows and alerts)) only when one of those
/// changes; a frame only reads it.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportCache {
    pub key: (chrono::NaiveDate, u64, Lang, i64),
    /// The report's lines, or why there is none, in the model's language.
    pub lines: Result<Vec<String>, String>,
}

impl Model {
    pub fn new(state: State, now: DateTime<FixedOffset>, lang: Lang, user: String, thresholds: Thresholds) -> Model {
        Model {
            derived: Derived::full(&state, now.date_naive()),
            state,
            now,
            lang,
            user: user.clone(),
            conn: Conn::Embedded,
            thresholds,
            panel: Panel::Stock,
            sel: [0; PANELS],
            filter: Default::default(),
            drill: None,
            stock_point: None,
            stock_group: None,
            overlays: Vec::new(),
            drafts: BTreeMap::new(),
            ids: IdGen::new(user.clone()),
            toast: None,
            quit: false,
            key_items: Vec::new(),
            plan_settings: PlanSettings::default(),
            demand: Default::default(),
            face: crate::proto::FaceKind::Console,
            rotate: 0,
            fatal: None,
            alerts_regrouped: false,
            alert_group_open: None,
            report_cache: None,
        }
    }

    /// Keeps `report_cache` for the open report screen: recomputed when its date, the last
    /// event, the language or the minute changed, dropped when the screen is closed. O(overlays)
    /// when nothing changed.
    pub fn refresh_report(&mut self) {
        let Some((date, _)) = self.report() else {
            self.report_cache = None;
            return;
        };
        let key = (date, self.state.last_seq, self.lang, self.now.timestamp().div_euclid(60));
        if self.report_cache.as_ref().is_some_and(|c| c.key == key) {
            return;
        }
        let lines = crate::report::daily(&self.state, date, self.now, &self.thresholds, &self.key_items, self.lang)
            .map(|r| crate::report::text_lines(&r, self.lang))
            .map_err(|e| e.message(self.lang));
        self.report_cache = Some(ReportCache { key, lines });
    }

    /// Applies a committed event and refreshes what it changed.
    pub fn apply(&mut self, ev: &crate::domain::Event) {
        if ev.seq <= self.state.last_seq {
            return;
        }
        let keys = self.state.apply(ev);
        // Bounded history in a face that runs for weeks: the same window as the engine's.
        if self.state.dispatches.len() > 2 * crate::domain::retention::HOT_CLOSED_DISPATCHES {
            self.state.prune_history(self.now.date_naive());
        }
        self.derived.touched(&self.state, &keys);
        self.refresh_plan();
    }

    /// The plan for `level` from the rates the face already holds.
    pub fn compute_plan(&self, level: ResponseLevel) -> Plan {
        self.compute_plan_for(level, None)
    }

    /// The plan for `level`, of one item or of all of them.
    pub fn compute_plan_for(&self, level: ResponseLevel, item: Option<&str>) -> Plan {
        let rates: std::collections::HashMap<(&str, &str), f64> = (self.derived.covers.iter())
            .filter_map(|((p, i), c)| c.daily.map(|d| ((p.as_str(), i.as_str()), d)))
            .collect();
        plan::plan_with(&self.state, self.now.date_naive(), &self.plan_settings, Some(level), item, &|p, i| {
            rates.get(&(p, i.code.as_str())).copied()
        })
    }

    /// Opens the plan screen for the level in force.
    pub fn open_plan(&mut self) {
        let level = self.state.settings.level;
        self.overlays.push(Overlay::Plan(PlanScreen { level, sel: 0, scroll: 0, plan: self.compute_plan(level) }));
    }

    /// Recomputes the open plan (after an event or at a new day), keeping the selection in range.
    fn refresh_plan(&mut self) {
        if let Some(level) = self.plan().map(|p| p.level) {
            let fresh = self.compute_plan(level);
            if let Some(screen) = self.plan_mut() {
                screen.sel = screen.sel.min(fresh.transfers.len().saturating_sub(1));
                screen.plan = fresh;
            }
        }
    }

    /// The layer that gets the keys: the top of the overlay stack, else the main screen.
    pub fn layer(&self) -> Layer {
        self.overlays.last().map_or(Layer::Main, Overlay::layer)
    }

    pub fn is_open(&self, layer: Layer) -> bool {
        self.overlays.iter().any(|o| o.layer() == layer)
    }

    /// The open form, wherever it is in the stack (help may be over it).
    pub fn form(&self) -> Option<&Form> {
        self.overlays.iter().find_map(|o| match o {
            Overlay::Form(f) => Some(&**f),
            _ => None,
        })
    }

    pub fn form_mut(&mut self) -> Option<&mut Form> {
        self.overlays.iter_mut().find_map(|o| match o {
            Overlay::Form(f) => Some(&mut **f),
            _ => None,
        })
    }

    pub fn plan(&self) -> Option<&PlanScreen> {
        self.overlays.iter().find_map(|o| match o {
            Overlay::Plan(p) => Some(p),
            _ => None,
        })
    }

    pub fn plan_mut(&mut self) -> Option<&mut PlanScreen> {
        self.overlays.iter_mut().find_map(|o| match o {
            Overlay::Plan(p) => Some(p),
            _ => None,
        })
    }

    /// The daily report screen, when open: its date and scroll offset.
    pub fn report(&self) -> Option<(chrono::NaiveDate, u16)> {
        self.overlays.iter().find_map(|o| match o {
            Overlay::Report { date, scroll } => Some((*date, *scroll)),
            _ => None,
        })
    }

    /// The zone whose schedule this face shows: a point's own, or every zone (None).
    pub fn schedule_zone(&self) -> Option<&str> {
        match &self.face {
            crate::proto::FaceKind::Point { point } => self.state.points.get(point).map(|p| p.zone.as_str()),
            _ => None,
        }
    }

    /// Typing into the focused panel's filter.
    pub fn filtering(&self) -> bool {
        self.is_open(Layer::Filter)
    }

    /// The list screen (hotline, households or vehicles) under the layer on top, or on top itself.
    pub fn screen(&self, layer: Layer) -> Option<&Screen> {
        self.overlays.iter().rev().find_map(|o| match (o, layer) {
            (Overlay::Hotline(s), Layer::Hotline)
            | (Overlay::Households(s), Layer::Households)
            | (Overlay::Vehicles(s), Layer::Vehicles) => Some(s),
            _ => None,
        })
    }

    /// The top list screen, whichever it is (what a filter typed over it filters).
    pub fn top_screen_mut(&mut self) -> Option<&mut Screen> {
        let top = self.overlays.iter().rposition(|o| !matches!(o, Overlay::Filter | Overlay::Help(_)))?;
        match &mut self.overlays[top] {
            Overlay::Hotline(s) | Overlay::Households(s) | Overlay::Vehicles(s) => Some(s),
            _ => None,
        }
    }

    /// The filter being typed: the top list screen's, else the focused panel's.
    pub fn typed_filter(&self) -> &str {
        let top = self.overlays.iter().rev().find(|o| !matches!(o, Overlay::Filter | Overlay::Help(_)));
        match top {
            Some(Overlay::Hotline(s) | Overlay::Households(s) | Overlay::Vehicles(s)) => &s.filter,
            _ => self.filter_of(self.panel),
        }
    }

    /// Who this face reads as, for what personal data it may show: the console an officer, a
    /// point face its point's clerk, the wall a viewer. Data the daemon sent masked stays so.
    pub fn access(&self) -> crate::domain::access::Access {
        use crate::domain::access::Access;
        match &self.face {
            crate::proto::FaceKind::Console | crate::proto::FaceKind::Cli => Access::Officer,
            crate::proto::FaceKind::Point { point } => Access::Point(point.clone()),
            crate::proto::FaceKind::Wall => Access::Viewer,
        }
    }

    /// The due times of cases (`[alerts] case_urgent_hours`, `case_normal_hours`).
    pub fn case_hours(&self) -> crate::domain::hotline::CaseHours {
        crate::domain::hotline::CaseHours::of(&self.thresholds)
    }

    /// Something would be lost by quitting: a draft, a form with typed input, or a command sent
    /// and not yet answered.
    pub fn unsaved(&self) -> bool {
        !self.drafts.is_empty() || self.form().is_some_and(|f| f.dirty() || f.pending)
    }

    /// Moves the clock; a new day recomputes every cover.
    pub fn set_now(&mut self, now: DateTime<FixedOffset>) {
        self.now = now;
        if self.derived.day != Some(now.date_naive()) {
            self.state.prune_history(now.date_naive());
            self.derived = Derived::full(&self.state, now.date_naive());
            self.refresh_plan();
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
            Panel::Alerts => feed_lines(self).len(),
            Panel::Requests => request_rows(self).len(),
            Panel::Incoming => incoming_rows(self).len(),
            Panel::Deliveries => delivery_rows(self).len(),
            Panel::Prices => price_rows(self).len(),
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

/// A panel filter: matches a row when any of its fields contains the text (case-insensitive).
struct Filter(String);

impl Filter {
    fn new(text: &str) -> Filter {
        Filter(text.trim().to_lowercase())
    }

    fn all(&self) -> bool {
        self.0.is_empty()
    }

    fn hit(&self, fields: &[&str]) -> bool {
        self.all() || fields.iter().any(|x| x.to_lowercase().contains(&self.0))
    }
}

/// The leading group and duty staff, in order of role.
pub fn roster_rows(m: &Model) -> Vec<&Person> {
    let f = Filter::new(m.filter_of(Panel::Roster));
    let mut v: Vec<&Person> = m
        .state
        .people
        .values()
        .filter(|p| f.hit(&[&p.name, &p.title, &p.unit, &p.duty, &p.phone, p.role.code()]))
        .collect();
    v.sort_by(|a, b| a.role.cmp(&b.role).then(a.name.cmp(&b.name)));
    v
}

/// One point as the points panel shows it.
pub struct PointRow<'a> {
    pub point: &'a Point,
    pub worst: Option<StockStatus>,
    /// The items below norm or out, worst first: their codes.
    pub short: Vec<&'a str>,
    pub last_report: Option<DateTime<FixedOffset>>,
    pub in_flight: usize,
}

/// Points by zone, then code. The filter matches a point's code, name, zone, manager and kind,
/// and also the status of its short items and their codes, so `/below` or `/rice` lists the
/// points short of something. O(points × items carried).
pub fn point_rows(m: &Model) -> Vec<PointRow<'_>> {
    let f = Filter::new(m.filter_of(Panel::Points));
    let mut v: Vec<PointRow> = m
        .state
        .points
        .values()
        .map(|p| {
            let mut covers: Vec<(&str, StockStatus)> = m
                .derived
                .covers
                .range((p.code.clone(), String::new())..)
                .take_while(|((pp, _), _)| *pp == p.code)
                .map(|((_, item), c)| (item.as_str(), c.status))
                .collect();
            covers.sort_by_key(|(_, s)| *s);
            PointRow {
                point: p,
                worst: covers.first().map(|(_, s)| *s),
                short: covers.iter().filter(|(_, s)| *s <= StockStatus::BelowNorm).map(|(i, _)| *i).collect(),
                last_report: m.derived.last_report.get(&p.code).copied(),
                in_flight: m.derived.in_flight.get(&p.code).copied().unwrap_or(0),
            }
        })
        .filter(|r| {
            let p = r.point;
            let mut fields = vec![p.code.as_str(), &p.name, &p.zone, &p.manager, p.kind.code()];
            if let Some(s) = r.worst.filter(|s| *s <= StockStatus::BelowNorm) {
                fields.extend([s.label(m.lang), s.label(Lang::En)]);
                fields.extend(r.short.iter().copied());
            }
            f.hit(&fields)
        })
        .collect();
    v.sort_by(|a, b| a.point.zone.cmp(&b.point.zone).then(a.point.code.cmp(&b.point.code)));
    v
}

/// Stock of the chosen point (or the town), worst cover first, filtered by group and text.
pub fn stock_rows(m: &Model) -> Vec<crate::views::stock::StockRow<'_>> {
    let f = Filter::new(m.filter_of(Panel::Stock));
    let mut rows = cover_rows(m, m.stock_point.as_deref());
    rows.retain(|r| m.stock_group.is_none_or(|g| g == r.item.group));
    rows.retain(|r| f.hit(&[&r.item.code, &r.item.name_zh, &r.item.name_en, r.point.unwrap_or("")]));
    rows
}

/// Every stock row of a point (or of the town), worst cover first, from the derived figures.
pub fn cover_rows<'a>(m: &'a Model, point: Option<&str>) -> Vec<crate::views::stock::StockRow<'a>> {
    let d = &m.derived;
    let mut rows: Vec<crate::views::stock::StockRow> = match point {
        None => d
            .town
            .iter()
            .filter_map(|(i, c)| {
                Some(crate::views::stock::StockRow { point: None, item: m.state.items.get(i)?, cover: c.clone() })
            })
            .collect(),
        Some(p) => d
            .covers
            .range((p.to_string(), String::new())..)
            .take_while(|((pp, _), _)| pp == p)
            .filter_map(|((pp, i), c)| {
                Some(crate::views::stock::StockRow {
                    point: Some(pp.as_str()),
                    item: m.state.items.get(i)?,
                    cover: c.clone(),
                })
            })
            .collect(),
    };
    crate::views::stock::sort_stock_rows(&mut rows);
    rows
}

/// The town-wide cover of an item group (its worst item), from the derived town covers:
/// `cover::group_cover`'s choice in O(items), not a pass over every lot and flow per frame.
pub fn group_cover(m: &Model, group: ItemGroup) -> Option<cover::GroupCover> {
    cover::group_cover_of(&m.state, group, |i| m.derived.town.get(&i.code).cloned())
}

/// Open alerts first, most severe and newest first; then recently cleared ones. Read in the
/// order kept in `Derived::alert_order`: O(n) in the alerts, no sort.
pub fn alert_rows(m: &Model) -> Vec<&Alert> {
    let f = Filter::new(m.filter_of(Panel::Alerts));
    let own = face_point(m);
    (m.derived.alert_order.iter())
        .filter_map(|id| m.state.alerts.get(id))
        .filter(|a| match own {
            // The point face: its own open alerts.
            Some(p) => a.cleared_at.is_none() && a.point.as_deref() == Some(p),
            None => a.cleared_at.is_none() || a.cleared_at.is_some_and(|c| m.now - c < chrono::Duration::hours(24)),
        })
        .filter(|a| f.all() || f.hit(&[&a.subject, a.kind.code(), a.kind.label(m.lang), &Alert::label(a.id)]))
        .collect()
}

/// Above this many open alerts the feed groups them by kind and zone (a list of that length is
/// no longer a to-do list); `G` flips the choice either way.
pub const GROUP_ABOVE: usize = 60;

/// A line of the alert feed: a group of open alerts of one kind in one zone, or one alert.
pub enum FeedLine<'a> {
    Group(crate::views::alerts::Group<'a>),
    Alert(&'a Alert),
}

/// Whether the feed shows groups: by the count of open alerts, flipped by `G`.
pub fn feed_grouped(m: &Model) -> bool {
    if face_point(m).is_some() {
        return false;
    }
    let open = m.state.alerts.values().filter(|a| a.cleared_at.is_none()).count();
    (open > GROUP_ABOVE) != m.alerts_regrouped
}

/// The feed's lines: every alert (`alert_rows`), or when grouped one line per group, critical
/// first, the opened group's alerts under its line. O(n log g) in the alerts and their g
/// groups: the alerts come sorted (`alert_rows`), only the groups are sorted.
pub fn feed_lines(m: &Model) -> Vec<FeedLine<'_>> {
    let rows = alert_rows(m);
    if !feed_grouped(m) {
        return rows.into_iter().map(FeedLine::Alert).collect();
    }
    let mut out = Vec::new();
    for g in crate::views::alerts::groups(&m.state, &rows) {
        let open = m.alert_group_open.as_ref().is_some_and(|(k, z)| *k == g.kind && *z == g.zone);
        let alerts = if open { g.alerts.clone() } else { Vec::new() };
        out.push(FeedLine::Group(g));
        out.extend(alerts.into_iter().map(FeedLine::Alert));
    }
    out
}

/// The alert on the feed's selected line, if that line is one alert.
pub fn selected_alert(m: &Model) -> Option<&Alert> {
    match feed_lines(m).into_iter().nth(m.selected(Panel::Alerts))? {
        FeedLine::Alert(a) => Some(a),
        FeedLine::Group(_) => None,
    }
}

/// The point the face is for (the point face), else None.
pub fn face_point(m: &Model) -> Option<&str> {
    match &m.face {
        crate::proto::FaceKind::Point { point } => Some(point.as_str()),
        _ => None,
    }
}

/// Point face: the transfers on their way to the point, oldest sent first (the nearest to
/// arrive), filtered by the panel's text (id, source, item). O(dispatches held).
pub fn incoming_rows(m: &Model) -> Vec<&Dispatch> {
    let Some(point) = face_point(m) else { return Vec::new() };
    let f = Filter::new(m.filter_of(Panel::Incoming));
    let mut rows: Vec<&Dispatch> = (m.state.dispatches.values())
        .filter(|d| d.inbound_to(point))
        .filter(|d| f.hit(&[&Dispatch::label(d.id), &d.from, &d.item]))
        .collect();
    rows.sort_by_key(|d| (d.sent_at, d.id));
    rows
}

/// Point face: what the point sent out today, newest first, filtered by the panel's text
/// (id, destination, item). O(dispatches held).
pub fn delivery_rows(m: &Model) -> Vec<&Dispatch> {
    let Some(point) = face_point(m) else { return Vec::new() };
    let f = Filter::new(m.filter_of(Panel::Deliveries));
    let today = m.now.date_naive();
    (m.state.dispatches.values().rev())
        .filter(|d| d.from == point && d.sent_at.date_naive() == today)
        .filter(|d| {
            let to = match &d.to {
                crate::domain::Dest::Point(p) | crate::domain::Dest::Village(p) => p.as_str(),
            };
            let name = m.state.villages.get(to).map_or("", |v| v.name.as_str());
            f.hit(&[&Dispatch::label(d.id), to, name, &d.item])
        })
        .collect()
}

/// Point face: today's prices at the point (item code, price), by item code, filtered by the
/// panel's text (item code or name). O(log prices + the point's prices today).
pub fn price_rows(m: &Model) -> Vec<(&str, crate::domain::Fen)> {
    let Some(point) = face_point(m) else { return Vec::new() };
    let f = Filter::new(m.filter_of(Panel::Prices));
    let today = m.now.date_naive();
    (m.state.prices.range((today, point.to_string(), String::new())..))
        .take_while(|((d, p, _), _)| *d == today && p == point)
        .filter(|((_, _, item), _)| {
            let i = m.state.items.get(item);
            f.hit(&[item, i.map_or("", |i| i.name_zh.as_str()), i.map_or("", |i| i.name_en.as_str())])
        })
        .map(|((_, _, item), obs)| (item.as_str(), obs.fen))
        .collect()
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

/// The requests the Requests panel lists, in the order of `views::requests::rows` (overdue
/// first, then open ones by needed-by day, urgent first), filtered by the panel's text (id,
/// village code or name, point, item, status). On the point face only its own villages'.
/// O(n log n) in the requests held.
pub fn request_rows(m: &Model) -> Vec<&crate::domain::demand::Request> {
    let f = Filter::new(m.filter_of(Panel::Requests));
    let point = match &m.face {
        crate::proto::FaceKind::Point { point } => Some(point.as_str()),
        _ => None,
    };
    let filter = crate::views::requests::Filter { point, ..Default::default() };
    let mut rows = crate::views::requests::rows(&m.state, &filter, m.now.date_naive());
    rows.retain(|r| {
        let village = r.requester.village();
        let name = m.state.villages.get(village).map_or("", |v| v.name.as_str());
        let label = crate::domain::demand::Request::label(r.id);
        f.hit(&[&label, village, name, &r.point, &r.item, r.status().code(), r.status().label(m.lang)])
    });
    rows
}

/// The request on the Requests panel's selected line.
pub fn selected_request(m: &Model) -> Option<&crate::domain::demand::Request> {
    request_rows(m).into_iter().nth(m.selected(Panel::Requests))
}

/// The cases the hotline screen lists, in the order of `views::hotline::cases`: open and
/// assigned ones by due time (so the overdue first, then the soonest due), then resolved and
/// closed ones, newest first; as this face may see them (personal data masked where its role
/// may not: `privacy`), filtered by the screen's text (id, village or household, kind, item,
/// status, assignee, what was said). O(n log n) in the cases held.
pub fn case_rows(m: &Model) -> Vec<crate::domain::hotline::Case> {
    use crate::domain::hotline::Case;
    let f = Filter::new(m.screen(Layer::Hotline).map_or("", |s| s.filter.as_str()));
    let filter = crate::views::hotline::CaseFilter::default();
    let mut rows = crate::views::hotline::cases(&m.state, &m.access(), filter, m.now, m.case_hours());
    rows.retain(|c| {
        let village = m.state.villages.get(&c.village).map_or("", |v| v.name.as_str());
        let (kind, status) = (c.kind.label(m.lang), c.status.label(m.lang));
        let (label, household) = (Case::label(c.id), c.household.as_deref().unwrap_or(""));
        let (item, assignee) = (c.item.as_deref().unwrap_or(""), c.assigned_to.as_deref().unwrap_or(""));
        f.hit(&[&label, &c.village, village, household, kind, c.kind.code(), status, item, assignee, &c.text])
    });
    rows
}

/// The case on the hotline screen's selected line.
pub fn selected_case(m: &Model) -> Option<crate::domain::hotline::Case> {
    let sel = m.screen(Layer::Hotline)?.sel;
    let mut rows = case_rows(m);
    let at = sel.min(rows.len().checked_sub(1)?);
    Some(rows.swap_remove(at))
}

/// The need of a household due first: the one a named delivery is owed for next.
pub fn due_need(h: &crate::domain::household::Household) -> Option<&crate::domain::household::Need> {
    h.needs.iter().min_by_key(|n| n.due(h.registered))
}

/// The households the households screen lists, in the order of `views::hotline::households`:
/// soonest named delivery due first (so the overdue, then today's, then the rest by day),
/// those without needs last; masked as this face may see them; filtered by the screen's text
/// (code, village code or name, category, item, responsible person; the head's name only where
/// shown). O(n log n) in the register.
pub fn household_rows(m: &Model) -> Vec<crate::domain::household::Household> {
    let f = Filter::new(m.screen(Layer::Households).map_or("", |s| s.filter.as_str()));
    let filter = crate::views::hotline::HouseholdFilter::default();
    let mut rows = crate::views::hotline::households(&m.state, &m.access(), &filter, m.now.date_naive());
    rows.retain(|h| {
        let village = m.state.villages.get(&h.village).map_or("", |v| v.name.as_str());
        let cats: Vec<&str> = h.categories.iter().flat_map(|c| [c.code(), c.label(m.lang)]).collect();
        let item = due_need(h).map_or("", |n| n.item.as_str());
        f.hit(&[&h.code, &h.village, village, &h.name, item, &h.responsible]) || cats.iter().any(|c| f.hit(&[c]))
    });
    rows
}

/// The household on the households screen's selected line.
pub fn selected_household(m: &Model) -> Option<crate::domain::household::Household> {
    let sel = m.screen(Layer::Households)?.sel;
    let mut rows = household_rows(m);
    let at = sel.min(rows.len().checked_sub(1)?);
    Some(rows.swap_remove(at))
}

/// Where a vehicle's pass stands: ended, ending within `[alerts] pass_days`, ending before a
/// delivery slot the vehicle is booked for, valid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum PassStatus {
    Expired,
    Ending,
    BeforeSlot,
    Valid,
}

/// A delivery slot a vehicle is booked for: its day, slot and request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NextSlot {
    pub date: chrono::NaiveDate,
    pub slot: String,
    pub request: String,
}

/// One vehicle as the vehicles screen shows it.
pub struct VehicleRow<'a> {
    pub vehicle: &'a crate::domain::Vehicle,
    /// Days from today to the pass's last day (negative: ended).
    pub days_left: i64,
    pub status: PassStatus,
    /// The first slot it is booked for from today on.
    pub next_slot: Option<NextSlot>,
    /// The first slot it is booked for after its pass ends.
    pub late_slot: Option<NextSlot>,
}

/// The vehicles the vehicles screen lists: ended passes first, then by the pass's last day
/// (so the soonest to end first), then plate; on the point face only the point's own; filtered
/// by the screen's text (plate, point code or name, pass number, status). One pass over the
/// requests for the booked slots: O(requests log requests + vehicles log vehicles).
pub fn vehicle_rows(m: &Model) -> Vec<VehicleRow<'_>> {
    let f = Filter::new(m.screen(Layer::Vehicles).map_or("", |s| s.filter.as_str()));
    let today = m.now.date_naive();
    let own = match &m.face {
        crate::proto::FaceKind::Point { point } => Some(point.as_str()),
        _ => None,
    };
    let booked = booked_slots(&m.state, today);
    let mut rows: Vec<VehicleRow> = (m.state.vehicles.values())
        .filter(|v| own.is_none_or(|p| v.point == p))
        .map(|v| {
            let days_left = (v.pass_valid_until - today).num_days();
            let slots = booked.get(v.plate.as_str()).map_or(&[][..], Vec::as_slice);
            let next_slot = slots.first().cloned();
            let late_slot = slots.iter().find(|s| s.date > v.pass_valid_until).cloned();
            let status = match late_slot {
                _ if days_left < 0 => PassStatus::Expired,
                _ if days_left <= m.thresholds.pass_days => PassStatus::Ending,
                Some(_) => PassStatus::BeforeSlot,
                None => PassStatus::Valid,
            };
            VehicleRow { vehicle: v, days_left, status, next_slot, late_slot }
        })
        .collect();
    rows.retain(|r| {
        let v = r.vehicle;
        let name = m.state.points.get(&v.point).map_or("", |p| p.name.as_str());
        let status = pass_status_text(r, m.lang);
        f.hit(&[&v.plate, &v.point, name, &v.pass_no, &status])
    });
    // Ended passes have the earliest last days: they come first.
    rows.sort_by(|a, b| {
        (a.vehicle.pass_valid_until, &a.vehicle.plate).cmp(&(b.vehicle.pass_valid_until, &b.vehicle.plate))
    });
    rows
}

/// A pass's status as the vehicles screen says it: "EXPIRED 2d ago", "ends today", "ends in
/// 2d", "ends before its slot 12-05" (the first slot booked after it ends), "valid, 25d left".
pub fn pass_status_text(r: &VehicleRow, lang: Lang) -> String {
    use crate::i18n::t;
    let days = |n: i64| format!("{n}{}", t(lang, "unit.days"));
    match r.status {
        PassStatus::Expired => t(lang, "vehicles.status_expired").replace("{}", &days(-r.days_left)),
        PassStatus::Ending if r.days_left == 0 => t(lang, "vehicles.status_today").to_string(),
        PassStatus::Ending => t(lang, "vehicles.status_ending").replace("{}", &days(r.days_left)),
        PassStatus::BeforeSlot => {
            let date = r.late_slot.as_ref().map_or(String::new(), |s| s.date.format("%m-%d").to_string());
            t(lang, "vehicles.status_before_slot").replace("{}", &date)
        }
        PassStatus::Valid => t(lang, "vehicles.status_valid").replace("{}", &days(r.days_left)),
    }
}

/// Each vehicle's booked slots from `today` on, among the requests still open, soonest first.
/// O(requests log requests).
fn booked_slots(state: &State, today: chrono::NaiveDate) -> BTreeMap<&str, Vec<NextSlot>> {
    let mut booked: BTreeMap<&str, Vec<NextSlot>> = BTreeMap::new();
    for r in state.requests.values().filter(|r| r.status().is_open()) {
        let Some(b) = r.booking.as_ref().filter(|b| b.date >= today) else { continue };
        let Some(plate) = b.vehicle.as_deref() else { continue };
        let request = crate::domain::demand::Request::label(r.id);
        booked.entry(plate).or_default().push(NextSlot { date: b.date, slot: b.slot.clone(), request });
    }
    for slots in booked.values_mut() {
        slots.sort_by_key(|s| s.date);
    }
    booked
}

/// The vehicle on the vehicles screen's selected line.
pub fn selected_vehicle(m: &Model) -> Option<VehicleRow<'_>> {
    let sel = m.screen(Layer::Vehicles)?.sel;
    let mut rows = vehicle_rows(m);
    let at = sel.min(rows.len().checked_sub(1)?);
    Some(rows.swap_remove(at))
}

/// What a contact is on duty as, in the order the contacts screen lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContactKind {
    /// Who holds the watch now (the rota's duty officer, or whoever took it over).
    DutyOfficer,
    LeaderOnCall,
    NextOfficer,
    NextLeader,
    ZoneLead,
    /// The manager of the selected point.
    PointManager,
}

/// One line of the contacts screen: what the person is on duty as, where (shift times, zone or
/// point), their name and mobile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contact {
    pub kind: ContactKind,
    /// The shift's end or start (`until 11-30 08:00`), the zone or the point (`Z01 东片区`).
    pub at: String,
    /// Empty when the rota or the register names nobody.
    pub name: String,
    /// None when no phone is on file.
    pub phone: Option<String>,
}

/// The phone on file for the person named `name` (the leading group and duty staff), if any.
/// O(log people).
pub fn phone_of(state: &State, name: &str) -> Option<String> {
    state.people.get(name).map(|p| p.phone.trim().to_string()).filter(|p| !p.is_empty())
}

/// The point the contacts screen names the manager of: the one opened or selected in the points
/// panel when it has the focus, else the stock panel's point, else the points panel's selected
/// row. O(points log points).
pub fn selected_point(m: &Model) -> Option<&Point> {
    let listed = || point_rows(m).get(m.selected(Panel::Points)).map(|r| r.point.code.clone());
    let code = match m.panel {
        Panel::Points => m.drill.clone().or_else(listed),
        _ => None,
    };
    let code = code.or_else(|| m.stock_point.clone()).or_else(listed)?;
    m.state.points.get(&code)
}

/// The contacts on duty: the duty officer and leader on call now, the next shift's, each zone's
/// lead, the selected point's manager, each with the mobile on file (a point manager not in the
/// register: the point's phone). O(zones log people + points log points).
pub fn contact_rows(m: &Model) -> Vec<Contact> {
    use crate::i18n::t;
    let s = &m.state;
    let lang = m.lang;
    let person = |kind, at: String, name: &str| Contact { kind, at, name: name.to_string(), phone: phone_of(s, name) };
    let mut out = Vec::new();
    let shift = s.shift_at(m.now);
    let until = shift.map_or(String::new(), |sh| format!("{} {}", t(lang, "ui.until"), sh.end.format("%m-%d %H:%M")));
    let officer = s.officer_on_duty(m.now).unwrap_or_default();
    out.push(person(ContactKind::DutyOfficer, until.clone(), &officer));
    out.push(person(ContactKind::LeaderOnCall, until, shift.map_or("", |sh| sh.leader_on_call.as_str())));
    let next = s.next_shift(m.now);
    let from = next.map_or(String::new(), |sh| sh.start.format("%m-%d %H:%M").to_string());
    out.push(person(ContactKind::NextOfficer, from.clone(), next.map_or("", |sh| sh.duty_officer.as_str())));
    out.push(person(ContactKind::NextLeader, from, next.map_or("", |sh| sh.leader_on_call.as_str())));
    for z in s.zones.values() {
        out.push(person(ContactKind::ZoneLead, format!("{} {}", z.code, z.name), z.lead.trim()));
    }
    if let Some(p) = selected_point(m) {
        let mut c = person(ContactKind::PointManager, format!("{} {}", p.code, p.name), p.manager.trim());
        c.phone = c.phone.or_else(|| Some(p.phone.trim().to_string()).filter(|x| !x.is_empty()));
        out.push(c);
    }
    out
}
