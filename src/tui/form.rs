//! Forms: the modal popups that log actions. Fields know what they name (a point, an item, a
//! village ...) and complete as you type; a pre-filled field is replaced by the first character
//! typed; local checks and engine rejections mark the field at fault and keep everything typed.
//! A form closed with Esc after typing becomes a draft of its action (kept by the model). Keys
//! arrive as keymap actions: this module matches no raw key codes.
//! Must not import the loop, `link`, the store or anything that draws.

use crate::domain::command::{AdjustReason, Command, Dest, Source};
use crate::domain::demand::{Request, Requester};
use crate::domain::reject::{Reason, Rejection};
use crate::domain::state::{Dispatch, DispatchStatus, State};
use crate::domain::{Fen, Lang, Qty};
use chrono::NaiveDate;
use crossterm::event::{Event as CEvent, KeyEvent};
use tui_input::backend::crossterm::EventHandler;
use tui_input::Input;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum FormKind {
    Restock,
    Dispatch,
    Receive,
    StockTake,
    Report,
    Handover,
    Price,
    /// A request approved, for what it asks or less (with a reason).
    Approve,
    Refuse,
    /// A village's tally: several `item=qty` lines, or a zero tally.
    Tally,
    /// A delivery signed for at the village checkpoint.
    Deliver,
    /// A hotline call taken.
    Case,
    /// A case given to a person on the roster.
    Assign,
    /// A case resolved, with what was done and the request it led to.
    Resolve,
    /// A request from a village or a household, linked to the case it came from if any.
    Request,
    /// A vehicle's pass renewed: its number and new last day (`log pass`).
    Pass,
}

impl FormKind {
    pub fn title_key(self) -> &'static str {
        match self {
            FormKind::Restock => "form.restock",
            FormKind::Dispatch => "form.dispatch",
            FormKind::Receive => "form.receive",
            FormKind::StockTake => "form.stocktake",
            FormKind::Report => "form.report",
            FormKind::Handover => "form.handover",
            FormKind::Price => "form.price",
            FormKind::Approve => "form.approve",
            FormKind::Refuse => "form.refuse",
            FormKind::Tally => "form.tally",
            FormKind::Deliver => "form.deliver",
            FormKind::Case => "form.case",
            FormKind::Assign => "form.assign",
            FormKind::Resolve => "form.resolve",
            FormKind::Request => "form.request",
            FormKind::Pass => "form.pass",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    Point,
    /// A point (transfer) or a village (delivery).
    Dest,
    Item,
    Person,
    /// A transfer still in transit.
    Dispatch,
    Vehicle,
    Qty,
    SignedQty,
    /// Yuan with at most two decimals.
    Money,
    Date,
    Text,
    Choice(&'static [&'static str]),
    /// One request (`Q…`) or several, comma-separated.
    Request,
    Village,
    /// A delivery to a village whose requests wait for the checkpoint's signature.
    Delivery,
    /// Tally lines: `item=qty`, several, separated by spaces or commas.
    Lines,
    /// A phone number (`household::phone_ok`).
    Phone,
    /// Who asks: a village, or a household on the register.
    Requester,
    /// A hotline case (`K…`).
    Case,
}

#[derive(Clone, Debug)]
pub struct Field {
    /// The command's field name (as rejections name it).
    pub name: &'static str,
    pub kind: FieldKind,
    pub required: bool,
    pub input: Input,
    /// Filled from the selection: the first character typed replaces it.
    pub prefilled: bool,
    pub error: Option<String>,
}

impl Field {
    fn new(name: &'static str, kind: FieldKind, required: bool) -> Field {
        Field { name, kind, required, input: Input::default(), prefilled: false, error: None }
    }

    fn with(mut self, value: Option<String>) -> Field {
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            self.input = Input::new(v);
            self.prefilled = true;
        }
        self
    }

    pub fn value(&self) -> &str {
        self.input.value().trim()
    }
}

/// A candidate for completion: the code to fill in and what to show beside it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub code: String,
    pub label: String,
}

#[derive(Clone, Debug)]
pub struct Form {
    pub kind: FormKind,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// Highlighted completion of the focused field.
    pub pick: usize,
    /// The completion was chosen with Up/Down (Tab then accepts it whatever the field holds).
    pub picked: bool,
    /// The client command id: every submit of this form reuses it, so a resend applies once.
    pub cmd_id: String,
    /// Waiting for the engine's answer.
    pub pending: bool,
    /// A message about the whole form (a store failure).
    pub error: Option<String>,
    /// What the form was opened for: the values the selection pre-filled. A draft comes back
    /// only to a form opened for the same.
    pub origin: Vec<String>,
    /// A line about drafts to show under the fields (a locale key): restored, or one kept for
    /// another selection.
    pub marker: Option<&'static str>,
    /// The point face's own point, if the form is on one: only its villages are offered.
    pub scope: Option<String>,
}

/// What the selection offers to pre-fill.
#[derive(Clone, Debug, Default)]
pub struct Prefill {
    pub point: Option<String>,
    pub item: Option<String>,
    pub dispatch: Option<String>,
    pub today: Option<NaiveDate>,
    /// Who the watch would pass to.
    pub person: Option<String>,
    /// A dispatch's destination and quantity (a transfer accepted from the plan).
    pub to: Option<String>,
    pub qty: Option<String>,
    pub note: Option<String>,
    /// The request selected (approve, refuse, dispatch for it).
    pub request: Option<String>,
    pub village: Option<String>,
    /// The case selected on the hotline screen.
    pub case: Option<String>,
    /// A request's village or household.
    pub requester: Option<String>,
    /// A request's needed-by day and priority.
    pub by: Option<NaiveDate>,
    pub urgent: Option<bool>,
    /// Who a case is assigned to now.
    pub assignee: Option<String>,
    /// The vehicle selected on the vehicles screen, and its present pass number.
    pub vehicle: Option<String>,
    pub pass_no: Option<String>,
}

const SOURCES: &[&str] = &["supplier", "donation", "reserve"];
const REASONS: &[&str] = &["counted", "damaged", "expired", "lost", "found"];
const YES_NO: &[&str] = &["no", "yes"];
const CASE_KINDS: &[&str] = &["shortage", "price", "quality", "delivery_missed", "medical", "other"];

fn yes_no(b: Option<bool>) -> Option<String> {
    Some(if b.unwrap_or(false) { "yes" } else { "no" }.into())
}

impl Form {
    pub fn new(kind: FormKind, pre: &Prefill, cmd_id: String) -> Form {
        use FieldKind as K;
        let f = Field::new;
        let fields = match kind {
            FormKind::Restock => vec![
                f("point", K::Point, true).with(pre.point.clone()),
                f("item", K::Item, true).with(pre.item.clone()),
                f("qty", K::Qty, true),
                f("source", K::Choice(SOURCES), true).with(Some("supplier".into())),
                f("batch", K::Text, false),
                f("expiry", K::Date, false),
                f("note", K::Text, false),
            ],
            FormKind::Dispatch => vec![
                f("from", K::Point, true).with(pre.point.clone()),
                f("to", K::Dest, true).with(pre.to.clone()),
                f("item", K::Item, true).with(pre.item.clone()),
                f("qty", K::Qty, true).with(pre.qty.clone()),
                f("vehicle", K::Vehicle, false),
                f("note", K::Text, false).with(pre.note.clone()),
                f("requests", K::Request, false).with(pre.request.clone()),
            ],
            FormKind::Receive => vec![
                f("dispatch", K::Dispatch, true).with(pre.dispatch.clone()),
                f("qty", K::Qty, false),
                f("note", K::Text, false),
            ],
            FormKind::StockTake => vec![
                f("point", K::Point, true).with(pre.point.clone()),
                f("item", K::Item, true).with(pre.item.clone()),
                f("reason", K::Choice(REASONS), true).with(Some("counted".into())),
                f("counted", K::Qty, false),
                f("delta", K::SignedQty, false),
                f("batch", K::Text, false),
                f("note", K::Text, false),
            ],
            FormKind::Report => vec![
                f("point", K::Point, true).with(pre.point.clone()),
                f("date", K::Date, true).with(pre.today.map(|d| d.to_string())),
                f("zero", K::Choice(YES_NO), true).with(Some("no".into())),
                f("note", K::Text, false),
            ],
            FormKind::Handover => vec![f("to", K::Person, true).with(pre.person.clone()), f("note", K::Text, false)],
            FormKind::Price => vec![
                f("point", K::Point, true).with(pre.point.clone()),
                f("item", K::Item, true).with(pre.item.clone()),
                f("yuan", K::Money, true),
            ],
            FormKind::Approve => vec![
                f("request", K::Request, true).with(pre.request.clone()),
                f("qty", K::Qty, true).with(pre.qty.clone()),
                f("reason", K::Text, false),
            ],
            FormKind::Refuse => {
                vec![f("request", K::Request, true).with(pre.request.clone()), f("reason", K::Text, true)]
            }
            FormKind::Tally => vec![
                f("village", K::Village, true).with(pre.village.clone()),
                f("lines", K::Lines, false),
                f("zero", K::Choice(YES_NO), true).with(Some("no".into())),
                f("date", K::Date, true).with(pre.today.map(|d| d.to_string())),
            ],
            FormKind::Deliver => vec![
                f("dispatch", K::Delivery, true).with(pre.dispatch.clone()),
                f("qty", K::Qty, true).with(pre.qty.clone()),
                f("signed_by", K::Text, true),
                f("note", K::Text, false),
            ],
            FormKind::Case => vec![
                f("caller", K::Text, true),
                f("phone", K::Phone, true),
                f("requester", K::Requester, true).with(pre.requester.clone()),
                f("kind", K::Choice(CASE_KINDS), true).with(Some("shortage".into())),
                f("item", K::Item, false).with(pre.item.clone()),
                f("text", K::Text, true),
                f("urgent", K::Choice(YES_NO), true).with(yes_no(pre.urgent)),
            ],
            FormKind::Assign => vec![
                f("case", K::Case, true).with(pre.case.clone()),
                f("assignee", K::Person, true).with(pre.assignee.clone()),
            ],
            FormKind::Resolve => vec![
                f("case", K::Case, true).with(pre.case.clone()),
                f("text", K::Text, true),
                f("request", K::Request, false).with(pre.request.clone()),
            ],
            FormKind::Request => vec![
                f("requester", K::Requester, true).with(pre.requester.clone()),
                f("item", K::Item, true).with(pre.item.clone()),
                f("qty", K::Qty, true).with(pre.qty.clone()),
                f("by", K::Date, true).with(pre.by.or(pre.today).map(|d| d.to_string())),
                f("urgent", K::Choice(YES_NO), true).with(yes_no(pre.urgent)),
                f("note", K::Text, false).with(pre.note.clone()),
                f("case", K::Case, false).with(pre.case.clone()),
            ],
            FormKind::Pass => vec![
                f("vehicle", K::Vehicle, true).with(pre.vehicle.clone()),
                f("number", K::Text, true).with(pre.pass_no.clone()),
                f("valid_until", K::Date, true),
            ],
        };
        let origin = fields.iter().filter(|f| f.prefilled).map(|f| f.input.value().to_string()).collect();
        Form {
            kind,
            fields,
            focus: 0,
            pick: 0,
            picked: false,
            cmd_id,
            pending: false,
            error: None,
            origin,
            marker: None,
            scope: None,
        }
    }

    /// Whether anything was typed (pre-filled values do not count).
    pub fn dirty(&self) -> bool {
        self.fields.iter().any(|f| !f.prefilled && !f.value().is_empty())
    }

    pub fn focused(&self) -> &Field {
        &self.fields[self.focus.min(self.fields.len() - 1)]
    }

    /// Completion candidates for the focused field.
    pub fn candidates(&self, state: &State, lang: Lang) -> Vec<Candidate> {
        let f = self.focused();
        let text = if f.prefilled { "" } else { f.value() };
        if let (FieldKind::Village, Some(scope)) = (f.kind, &self.scope) {
            let mut all = ranked(state, f.kind, text, lang);
            all.retain(|(_, c)| state.villages.get(&c.code).is_some_and(|v| v.point == *scope));
            return best(all, 8);
        }
        if f.kind == FieldKind::Dest {
            let from = self.get("from");
            // Within a rank, the villages the source point serves come first.
            let mut all = ranked(state, f.kind, text, lang);
            all.sort_by_key(|(r, c)| (*r, state.villages.get(&c.code).is_none_or(|v| v.point != from)));
            return best(all, 8);
        }
        if let (FieldKind::Dispatch, Some(scope)) = (f.kind, &self.scope) {
            // The point face receives only what is on its way to it, the oldest sent first.
            let mut all = ranked(state, f.kind, text, lang);
            let sent = |c: &Candidate| Dispatch::parse_label(&c.code).and_then(|id| state.dispatches.get(&id));
            all.retain(|(_, c)| sent(c).is_some_and(|d| d.inbound_to(scope)));
            all.sort_by_key(|(r, c)| (*r, sent(c).map(|d| (d.sent_at, d.id))));
            return best(all, 8);
        }
        candidates(state, f.kind, text, lang)
    }

    /// What is wrong with `v` in the focused field or any other, the form's own point
    /// considered: on the point face a dispatch held that is not on its way to the point.
    fn check_field(&self, kind: FieldKind, v: &str, state: &State) -> Option<Reason> {
        if let (FieldKind::Dispatch, Some(scope)) = (kind, &self.scope) {
            let held = Dispatch::parse_label(v).and_then(|id| state.dispatches.get(&id));
            return match held {
                None if Dispatch::parse_label(v).is_none() => Some(Reason::UnknownDispatch { id: v.into() }),
                // One the face no longer holds may still be known to the engine: it decides.
                None => None,
                Some(d) if d.inbound_to(scope) => None,
                Some(d) => Some(Reason::NotInbound { id: Dispatch::label(d.id), point: scope.clone() }),
            };
        }
        check(kind, v, state)
    }

    /// The completion Tab would accept: the one chosen with Up/Down, or the first one for text
    /// typed that is not already a code. None keeps the value: an empty field, an exact code, or a
    /// pre-filled value (which stands as chosen; its field lists every candidate, and the value
    /// need not be among the first shown).
    pub fn tab_pick(&self, cands: &[Candidate]) -> Option<usize> {
        let field = self.focused();
        let exact = cands.iter().any(|c| c.code == field.value());
        let accept = self.picked || !(exact || field.value().is_empty() || field.prefilled);
        (accept && self.pick < cands.len()).then_some(self.pick)
    }

    /// The completion to highlight: the one Tab would accept, else the one the value names.
    pub fn highlighted(&self, cands: &[Candidate]) -> Option<usize> {
        let value = self.focused().value();
        self.tab_pick(cands).or_else(|| cands.iter().position(|c| c.code == value))
    }

    fn move_focus(&mut self, forward: bool) {
        let n = self.fields.len();
        self.focus = if forward { (self.focus + 1) % n } else { (self.focus + n - 1) % n };
        self.pick = 0;
        self.picked = false;
    }

    /// Tab: accepts the completion Tab would pick, then moves to the next field. A value that
    /// is wrong as it stands (an unknown code, a bad quantity) is marked at once, as typed, and
    /// stays marked until it is edited.
    pub fn next_field(&mut self, state: &State, lang: Lang) {
        self.error = None;
        let cands = self.candidates(state, lang);
        let pick = self.tab_pick(&cands).and_then(|i| cands.get(i));
        let bad = match pick {
            Some(_) => None,
            None => {
                let field = &self.fields[self.focus];
                Some(field.value()).filter(|v| !v.is_empty()).and_then(|v| self.check_field(field.kind, v, state))
            }
        };
        let field = &mut self.fields[self.focus];
        if let Some(c) = pick {
            field.input = Input::new(c.code.clone());
            field.prefilled = false;
            field.error = None;
        } else if let Some(r) = bad {
            field.error = Some(reason_key(&r));
        }
        self.move_focus(true);
    }

    pub fn prev_field(&mut self) {
        self.error = None;
        self.move_focus(false);
    }

    /// Up/Down through the completions of the focused field.
    pub fn pick(&mut self, down: bool, state: &State, lang: Lang) {
        self.error = None;
        if down {
            let n = self.candidates(state, lang).len();
            if self.pick + 1 < n {
                self.pick += 1;
            }
            self.picked = n > 0;
        } else {
            self.pick = self.pick.saturating_sub(1);
            self.picked = true;
        }
    }

    /// Ctrl-U: empties the focused field (a pre-filled value too).
    pub fn clear_field(&mut self) {
        self.edit_focused(|input| *input = Input::default());
    }

    /// A key that edits the focused field's text. A typed character replaces a pre-filled
    /// value; an editing key (Backspace, arrows) works on it.
    pub fn input(&mut self, key: KeyEvent, typed: bool) {
        if typed && self.fields[self.focus].prefilled {
            self.fields[self.focus].input = Input::default();
        }
        self.edit_focused(|input| {
            input.handle_event(&CEvent::Key(key));
        });
    }

    fn edit_focused(&mut self, edit: impl FnOnce(&mut Input)) {
        self.error = None;
        let field = &mut self.fields[self.focus];
        field.prefilled = false;
        field.error = None;
        edit(&mut field.input);
        self.pick = 0;
        self.picked = false;
    }

    /// Marks a rejection on the field it names (or on the form).
    pub fn reject(&mut self, rej: &Rejection, lang: Lang) {
        let name = match rej.field.as_str() {
            "to_point" | "to_village" => "to",
            "fen" => "yuan",
            "request" if self.kind == FormKind::Dispatch => "requests",
            "line" | "item" if self.kind == FormKind::Tally => "lines",
            "village" | "household" if matches!(self.kind, FormKind::Case | FormKind::Request) => "requester",
            other => other,
        };
        match self.fields.iter().position(|f| f.name == name) {
            Some(i) => {
                self.fields[i].error = Some(rej.reason.text(lang));
                self.focus = i;
            }
            None => self.error = Some(rej.message(lang)),
        }
        self.pending = false;
    }

    fn get(&self, name: &str) -> &str {
        self.fields.iter().find(|f| f.name == name).map_or("", |f| f.value())
    }

    fn opt(&self, name: &str) -> Option<String> {
        Some(self.get(name).to_string()).filter(|v| !v.is_empty())
    }

    /// The `requester` field as who asks: a household on the register, else a village.
    fn requester(&self, state: &State) -> Requester {
        let code = self.get("requester").to_string();
        if state.households.contains_key(&code) && !state.villages.contains_key(&code) {
            Requester::Household { code, village: String::new() }
        } else {
            Requester::Village { code }
        }
    }

    /// Checks the fields and builds the command; on failure marks every bad field.
    pub fn build(&mut self, state: &State) -> Option<Command> {
        let mut errors: Vec<(usize, Reason)> = Vec::new();
        for (i, f) in self.fields.iter().enumerate() {
            let v = f.value();
            // Control characters (a pasted escape sequence, a stray carriage return) are refused
            // as typed, before trimming could hide them, as the engine refuses them in text.
            if f.input.value().chars().any(char::is_control) {
                errors.push((i, Reason::BadText));
                continue;
            }
            if v.is_empty() {
                if f.required {
                    errors.push((i, Reason::Empty));
                }
                continue;
            }
            let bad = self.check_field(f.kind, v, state);
            if let Some(r) = bad {
                errors.push((i, r));
            }
        }
        if self.kind == FormKind::StockTake {
            errors.extend(self.stocktake_errors());
        }
        if self.kind == FormKind::Request && errors.is_empty() {
            errors.extend(self.case_requester_error(state));
        }
        if !errors.is_empty() {
            self.focus = errors[0].0;
            for (i, r) in errors {
                self.fields[i].error = Some(reason_key(&r));
            }
            return None;
        }
        Some(self.command(state))
    }

    /// A stock-take takes the quantity counted for `counted` and a change for the other
    /// reasons; the one that does not belong, or the missing one, is marked.
    fn stocktake_errors(&self) -> Vec<(usize, Reason)> {
        let at = |name: &str| self.fields.iter().position(|f| f.name == name).unwrap_or_default();
        let (counted, delta) = (self.get("counted").is_empty(), self.get("delta").is_empty());
        match (self.get("reason") == AdjustReason::Counted.code(), counted, delta) {
            (true, _, false) => vec![(at("delta"), Reason::CountedNotDelta)],
            (true, true, true) => vec![(at("counted"), Reason::Empty)],
            (false, false, _) => {
                vec![(at("counted"), Reason::DeltaNotCounted { reason: self.get("reason").to_string() })]
            }
            (false, true, true) => vec![(at("delta"), Reason::Empty)],
            _ => Vec::new(),
        }
    }

    /// A request linked to a case is for whoever the case is about: another village or
    /// household typed beside it is marked (the engine takes the case's).
    fn case_requester_error(&self, state: &State) -> Option<(usize, Reason)> {
        let c = crate::domain::hotline::Case::parse_label(self.get("case")).and_then(|id| state.cases.get(&id))?;
        let about = c.household.clone().unwrap_or_else(|| c.village.clone());
        let at = self.fields.iter().position(|f| f.name == "requester")?;
        (self.get("requester") != about)
            .then(|| (at, Reason::CaseAbout { id: crate::domain::hotline::Case::label(c.id), about }))
    }

    /// A stock-take's count against the stock held now: (held, counted − held, the item's unit),
    /// once the point, the item and a counted quantity are filled in. Cost: O(lots of the pair).
    pub fn count_difference<'a>(&self, state: &'a State) -> Option<(Qty, Qty, &'a str)> {
        if self.kind != FormKind::StockTake || self.get("reason") != AdjustReason::Counted.code() {
            return None;
        }
        let counted = Qty::parse(self.get("counted")).ok()?;
        let (p, i) = (self.get("point"), self.get("item"));
        let item = state.items.get(i).filter(|_| state.points.contains_key(p))?;
        let held = match self.opt("batch") {
            Some(b) => state.lots.get(&(p.to_string(), i.to_string(), b)).map_or(Qty::ZERO, |l| l.qty),
            None => state.qty(p, i),
        };
        Some((held, counted.checked_sub(held)?, &item.unit))
    }

    /// The command the (checked) fields make.
    fn command(&self, state: &State) -> Command {
        let qty = |s: &str| Qty::parse(s).unwrap_or_default();
        let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        let cmd = match self.kind {
            FormKind::Restock => Command::Restock {
                point: self.get("point").into(),
                item: self.get("item").into(),
                qty: qty(self.get("qty")),
                source: Source::parse(self.get("source")).unwrap_or_default(),
                batch: self.opt("batch"),
                expiry: date(self.get("expiry")),
                note: self.get("note").into(),
            },
            FormKind::Dispatch => {
                let to = self.get("to");
                Command::Dispatch {
                    from: self.get("from").into(),
                    to: if state.points.contains_key(to) { Dest::Point(to.into()) } else { Dest::Village(to.into()) },
                    item: self.get("item").into(),
                    qty: qty(self.get("qty")),
                    vehicle: self.opt("vehicle"),
                    note: self.get("note").into(),
                    requests: request_list(self.get("requests")),
                }
            }
            FormKind::Receive => Command::Receive {
                dispatch: self.get("dispatch").into(),
                qty: self.opt("qty").map(|q| qty(&q)),
                note: self.get("note").into(),
            },
            FormKind::StockTake => match AdjustReason::parse(self.get("reason")).unwrap_or(AdjustReason::Counted) {
                AdjustReason::Counted => Command::Count {
                    point: self.get("point").into(),
                    item: self.get("item").into(),
                    counted: qty(self.get("counted")),
                    batch: self.opt("batch"),
                    note: self.get("note").into(),
                },
                reason => Command::Adjust {
                    point: self.get("point").into(),
                    item: self.get("item").into(),
                    delta: qty(self.get("delta")),
                    reason,
                    batch: self.opt("batch"),
                    note: self.get("note").into(),
                },
            },
            FormKind::Report => Command::Report {
                point: self.get("point").into(),
                date: date(self.get("date")).unwrap_or_default(),
                zero: self.get("zero") == "yes",
                note: self.get("note").into(),
            },
            FormKind::Handover => Command::Handover { to: self.get("to").into(), note: self.get("note").into() },
            FormKind::Price => Command::Price {
                point: self.get("point").into(),
                item: self.get("item").into(),
                fen: Fen::parse_yuan(self.get("yuan")).unwrap_or_default(),
            },
            FormKind::Approve => Command::Approve {
                request: self.get("request").into(),
                qty: self.opt("qty").map(|q| qty(&q)),
                reason: self.get("reason").into(),
            },
            FormKind::Refuse => {
                Command::Refuse { request: self.get("request").into(), reason: self.get("reason").into() }
            }
            FormKind::Tally => Command::Tally {
                village: self.get("village").into(),
                date: date(self.get("date")).unwrap_or_default(),
                lines: tally_lines(self.get("lines")).unwrap_or_default(),
                zero: self.get("zero") == "yes",
            },
            FormKind::Deliver => Command::Deliver {
                dispatch: self.get("dispatch").into(),
                qty: qty(self.get("qty")),
                signed_by: self.get("signed_by").into(),
                note: self.get("note").into(),
                household: None,
            },
            FormKind::Case => {
                let (village, household) = match self.requester(state) {
                    Requester::Household { code, .. } => (None, Some(code)),
                    other => (Some(other.village().to_string()), None),
                };
                Command::Case {
                    caller: self.get("caller").into(),
                    phone: self.get("phone").into(),
                    village,
                    household,
                    kind: crate::domain::hotline::CaseKind::parse(self.get("kind"))
                        .unwrap_or(crate::domain::hotline::CaseKind::Other),
                    item: self.opt("item"),
                    text: self.get("text").into(),
                    urgent: self.get("urgent") == "yes",
                }
            }
            FormKind::Assign => Command::AssignCase { case: self.get("case").into(), to: self.get("assignee").into() },
            FormKind::Resolve => Command::ResolveCase {
                case: self.get("case").into(),
                text: self.get("text").into(),
                request: self.opt("request"),
            },
            FormKind::Request => Command::Request {
                requester: match self.opt("case") {
                    Some(id) => Requester::Case { id },
                    None => self.requester(state),
                },
                item: self.get("item").into(),
                qty: qty(self.get("qty")),
                by: date(self.get("by")).unwrap_or_default(),
                slot: None,
                urgent: self.get("urgent") == "yes",
                note: self.get("note").into(),
            },
            FormKind::Pass => Command::Pass {
                vehicle: self.get("vehicle").into(),
                number: self.get("number").into(),
                valid_until: date(self.get("valid_until")).unwrap_or_default(),
            },
        };
        cmd
    }
}

/// What is wrong with `v` as a value of a field of `kind`, if anything (local checks: the engine
/// checks again).
fn check(kind: FieldKind, v: &str, state: &State) -> Option<Reason> {
    match kind {
        FieldKind::Point if !state.points.contains_key(v) => Some(Reason::UnknownPoint { code: v.into() }),
        FieldKind::Item if !state.items.contains_key(v) => Some(Reason::UnknownItem { code: v.into() }),
        FieldKind::Person if !state.people.contains_key(v) => Some(Reason::UnknownPerson { name: v.into() }),
        FieldKind::Vehicle if !state.vehicles.contains_key(v) => Some(Reason::UnknownVehicle { plate: v.into() }),
        FieldKind::Dest if !state.points.contains_key(v) && !state.villages.contains_key(v) => {
            Some(Reason::UnknownVillage { code: v.into() })
        }
        FieldKind::Qty => match Qty::parse(v) {
            Err(e) => Some(crate::domain::qty::QtyError::reason(e)),
            Ok(q) if q.0 <= 0 => Some(Reason::NotPositive),
            Ok(_) => None,
        },
        FieldKind::SignedQty => Qty::parse(v).err().map(crate::domain::qty::QtyError::reason),
        FieldKind::Money => match Fen::parse_yuan(v) {
            Err(e) => Some(crate::domain::qty::QtyError::reason(e)),
            Ok(f) if f.0 <= 0 => Some(Reason::NotPositive),
            Ok(_) => None,
        },
        FieldKind::Date => NaiveDate::parse_from_str(v, "%Y-%m-%d").err().map(|_| Reason::BadDate),
        FieldKind::Choice(opts) if choice_value(opts, v).is_none() => {
            Some(Reason::NotAChoice { options: opts.join(", ") })
        }
        FieldKind::Village if !state.villages.contains_key(v) => Some(Reason::UnknownVillage { code: v.into() }),
        FieldKind::Phone if !crate::domain::household::phone_ok(v) => Some(Reason::BadPhone),
        FieldKind::Requester if !state.villages.contains_key(v) && !state.households.contains_key(v) => {
            Some(Reason::VillageOrHousehold)
        }
        FieldKind::Case
            if crate::domain::hotline::Case::parse_label(v).is_none_or(|id| !state.cases.contains_key(&id)) =>
        {
            Some(Reason::UnknownCase { id: v.into() })
        }
        FieldKind::Request => request_list(v)
            .into_iter()
            .find(|q| Request::parse_label(q).is_none_or(|id| !state.requests.contains_key(&id)))
            .map(|id| Reason::UnknownRequest { id }),
        // A delivery the face no longer holds may still be known to the engine: it decides.
        FieldKind::Delivery => match Dispatch::parse_label(v).map(|id| (id, state.dispatches.get(&id))) {
            None => Some(Reason::UnknownDispatch { id: v.into() }),
            Some((id, Some(d))) if matches!(d.to, Dest::Point(_)) => {
                Some(Reason::NotADelivery { id: Dispatch::label(id) })
            }
            Some(_) => None,
        },
        FieldKind::Lines => tally_lines(v).err().or_else(|| {
            let lines = tally_lines(v).unwrap_or_default();
            lines
                .iter()
                .find(|l| !state.items.contains_key(&l.item))
                .map(|l| Reason::UnknownItem { code: l.item.clone() })
        }),
        _ => None,
    }
}

/// The requests a field names: `Q12, Q13` (commas or spaces between them).
fn request_list(text: &str) -> Vec<String> {
    text.split([',', ' ', '，']).map(str::trim).filter(|q| !q.is_empty()).map(str::to_string).collect()
}

/// Tally lines as typed: `rice=20 oil=5` (spaces, commas or semicolons between them). The
/// first that is not `item=qty` with a quantity, or a quantity that is not positive, is the reason.
pub fn tally_lines(text: &str) -> Result<Vec<crate::domain::demand::TallyLine>, Reason> {
    text.split([',', ' ', ';', '，', '；'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (item, q) = l.split_once(['=', '＝']).ok_or(Reason::BadLine)?;
            let qty = Qty::parse(q).map_err(crate::domain::qty::QtyError::reason)?;
            if qty.0 <= 0 {
                return Err(Reason::NotPositive);
            }
            Ok(crate::domain::demand::TallyLine { item: item.trim().to_string(), qty })
        })
        .collect()
}

/// The option a typed choice means: the code itself.
fn choice_value(opts: &[&'static str], typed: &str) -> Option<&'static str> {
    opts.iter().find(|o| **o == typed).copied()
}

/// Local errors are stored as an encoded reason and rendered in the user's language.
fn reason_key(r: &Reason) -> String {
    serde_json::to_string(r).unwrap_or_default()
}

/// The text of a field error (local reasons are stored encoded, engine ones as text).
pub fn error_text(stored: &str, lang: Lang) -> String {
    match serde_json::from_str::<Reason>(stored) {
        Ok(r) => r.text(lang),
        Err(_) => stored.to_string(),
    }
}

/// How well `text` matches a candidate, best first: 0 the exact code, 1 a code prefix, 2 a name
/// prefix, 3 the text inside the code or a name (and every candidate when nothing is typed);
/// None: no match. A code typed in part wins over a word that happens to contain it ("po" is
/// pork, not "Dis*po*sable mask").
fn rank(code: &str, names: &[&str], text: &str) -> Option<u8> {
    let t = text.to_lowercase();
    let code = code.to_lowercase();
    let names: Vec<String> = names.iter().map(|n| n.to_lowercase()).collect();
    if t.is_empty() {
        Some(3)
    } else if code == t {
        Some(0)
    } else if code.starts_with(&t) {
        Some(1)
    } else if names.iter().any(|n| n.starts_with(&t)) {
        Some(2)
    } else if code.contains(&t) || names.iter().any(|n| n.contains(&t)) {
        Some(3)
    } else {
        None
    }
}

/// The best `n` of ranked candidates: by rank, ties in the order given (a stable sort).
fn best(mut ranked: Vec<(u8, Candidate)>, n: usize) -> Vec<Candidate> {
    ranked.sort_by_key(|(r, _)| *r);
    ranked.into_iter().take(n).map(|(_, c)| c).collect()
}

/// Candidates for a field of `kind` matching `text`, best match first (see `rank`), at most 8.
/// O(n) in the records of that kind.
pub fn candidates(state: &State, kind: FieldKind, text: &str, lang: Lang) -> Vec<Candidate> {
    best(ranked(state, kind, text, lang), 8)
}

/// Every candidate of `kind` matching `text`, with its rank, in code order.
fn ranked(state: &State, kind: FieldKind, text: &str, lang: Lang) -> Vec<(u8, Candidate)> {
    let c = |code: &str, label: String| Candidate { code: code.to_string(), label };
    match kind {
        FieldKind::Point => state
            .points
            .values()
            .filter_map(|p| rank(&p.code, &[&p.name], text).map(|r| (r, p)))
            .map(|(r, p)| (r, c(&p.code, p.name.clone())))
            .collect(),
        FieldKind::Dest => state
            .points
            .values()
            .filter_map(|p| rank(&p.code, &[&p.name], text).map(|r| (r, p)))
            .map(|(r, p)| (r, c(&p.code, p.name.clone())))
            .chain(
                state
                    .villages
                    .values()
                    .filter_map(|v| rank(&v.code, &[&v.name], text).map(|r| (r, v)))
                    .map(|(r, v)| (r, c(&v.code, format!("{} ({})", v.name, v.point)))),
            )
            .collect(),
        FieldKind::Item => state
            .items
            .values()
            .filter_map(|i| rank(&i.code, &[&i.name_zh, &i.name_en], text).map(|r| (r, i)))
            .map(|(r, i)| (r, c(&i.code, format!("{} ({})", i.name(lang), crate::i18n::unit(lang, &i.unit)))))
            .collect(),
        FieldKind::Person => state
            .people
            .values()
            .filter_map(|p| rank(&p.name, &[&p.title, &p.phone], text).map(|r| (r, p)))
            .map(|(r, p)| (r, c(&p.name, format!("{} {}", p.title, p.phone))))
            .collect(),
        FieldKind::Dispatch => state
            .dispatches
            .values()
            .filter(|d| d.status() == DispatchStatus::InTransit)
            .filter_map(|d| {
                let label = Dispatch::label(d.id);
                let to = match &d.to {
                    Dest::Point(p) | Dest::Village(p) => p.as_str(),
                };
                let r = rank(&label, &[&d.item, to, &d.from], text)?;
                Some((r, c(&label, format!("{} -> {to} {} {}", d.from, d.item, d.qty))))
            })
            .collect(),
        FieldKind::Vehicle => state
            .vehicles
            .values()
            .filter_map(|v| rank(&v.plate, &[&v.point, &v.pass_no], text).map(|r| (r, v)))
            .map(|(r, v)| (r, c(&v.plate, format!("{} {}", v.point, v.pass_valid_until))))
            .collect(),
        FieldKind::Choice(opts) => opts
            .iter()
            .map(|o| (o, crate::i18n::choice(lang, o)))
            .filter_map(|(o, label)| Some((rank(o, &[&label], text)?, c(o, label))))
            .collect(),
        FieldKind::Village => state
            .villages
            .values()
            .filter_map(|v| rank(&v.code, &[&v.name], text).map(|r| (r, v)))
            .map(|(r, v)| (r, c(&v.code, format!("{} ({})", v.name, v.point))))
            .collect(),
        FieldKind::Request => open_requests(state, text, lang),
        FieldKind::Delivery => unsigned_deliveries(state)
            .into_iter()
            .filter_map(|d| {
                let label = Dispatch::label(d.id);
                let Dest::Village(to) = &d.to else { return None };
                let r = rank(&label, &[&d.item, to, &d.from], text)?;
                Some((r, c(&label, format!("{} -> {to} {} {}", d.from, d.item, d.qty))))
            })
            .collect(),
        FieldKind::Requester => state
            .villages
            .values()
            .filter_map(|v| {
                rank(&v.code, &[&v.name], text).map(|r| (r, c(&v.code, format!("{} ({})", v.name, v.point))))
            })
            .chain(state.households.values().filter_map(|h| {
                // A household is offered by its code and village, never by its head's name.
                let village = state.villages.get(&h.village).map_or("", |v| v.name.as_str());
                rank(&h.code, &[&h.village, village], text).map(|r| (r, c(&h.code, format!("{} {village}", h.village))))
            }))
            .collect(),
        FieldKind::Case => state
            .cases
            .values()
            .rev()
            .filter(|k| k.status != crate::domain::hotline::CaseStatus::Closed)
            .filter_map(|k| {
                let label = crate::domain::hotline::Case::label(k.id);
                let about = k.household.as_deref().unwrap_or(&k.village);
                let r = rank(&label, &[about, k.item.as_deref().unwrap_or("")], text)?;
                Some((r, c(&label, format!("{about} {} {}", k.kind.label(lang), k.status.label(lang)))))
            })
            .collect(),
        FieldKind::Qty
        | FieldKind::SignedQty
        | FieldKind::Money
        | FieldKind::Date
        | FieldKind::Text
        | FieldKind::Lines
        | FieldKind::Phone => Vec::new(),
    }
}

/// Open requests as completions, by the last id typed (a list's earlier ids stay as typed):
/// the request, its village, item and what is still to send. O(requests).
fn open_requests(state: &State, text: &str, lang: Lang) -> Vec<(u8, Candidate)> {
    let typed = text.rsplit([',', ' ']).next().unwrap_or("").trim();
    let before = &text[..text.len() - typed.len()];
    state
        .requests
        .values()
        .filter(|r| r.status().is_open())
        .filter_map(|r| {
            let label = Request::label(r.id);
            let village = r.requester.village();
            let rank = rank(&label, &[village, &r.item], typed)?;
            let status = r.status().label(lang);
            let label_text = format!("{village} {} {} {status} {}", r.item, r.qty, r.by.format("%m-%d"));
            Some((rank, Candidate { code: format!("{before}{label}"), label: label_text }))
        })
        .collect()
}

/// Deliveries to villages with a request waiting for the checkpoint's signature, newest
/// first. O(requests).
pub fn unsigned_deliveries(state: &State) -> Vec<&Dispatch> {
    let mut ids: Vec<u64> = state.requests.values().flat_map(|r| r.unsigned()).collect();
    ids.sort_unstable_by(|a, b| b.cmp(a));
    ids.dedup();
    ids.iter().filter_map(|id| state.dispatches.get(id)).filter(|d| d.signed_by.is_none()).collect()
}
