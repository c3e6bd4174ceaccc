//! The hotline part of `State::apply`: households added or changed, named deliveries marked on
//! their needs, and hotline cases taken, assigned, resolved, reopened and closed. Each touches
//! only the rows of the households and the case named, so its cost does not grow with the
//! store. Imports only leaf types; never the rules.

use super::{State, ViewKey};
use crate::domain::command::{Command, Event};
use crate::domain::hotline::{Case, CaseStatus};
use chrono::NaiveDate;

impl State {
    /// Applies a household or case command; other commands are not its business.
    pub(super) fn apply_hotline(&mut self, ev: &Event, touched: &mut Vec<ViewKey>) {
        let today = ev.at.date_naive();
        match &ev.cmd {
            Command::Households { changes } => {
                for c in changes {
                    let h = c.merged(self.households.get(&c.code), today);
                    touched.push(ViewKey::Household(h.code.clone()));
                    self.households.insert(h.code.clone(), h);
                }
            }
            Command::Case { caller, phone, village, household, kind, item, text, urgent } => {
                let Some(id) = ev.resolved.case.as_deref().and_then(Case::parse_label) else { return };
                let village = ev.resolved.village.clone().or_else(|| village.clone()).unwrap_or_default();
                let case = Case {
                    id,
                    at: ev.at,
                    caller: caller.clone(),
                    phone: phone.clone(),
                    village,
                    household: household.clone(),
                    kind: *kind,
                    item: item.clone(),
                    text: text.clone(),
                    urgent: *urgent,
                    status: CaseStatus::Open,
                    since: ev.at,
                    assigned_to: None,
                    resolution: None,
                    request: None,
                    resolved_at: None,
                    taken_by: ev.actor.clone(),
                    masked: false,
                };
                self.insert_case(case);
                touched.push(ViewKey::Case(id));
            }
            Command::AssignCase { case, to } => self.case_step(case, touched, |c| {
                c.assigned_to = Some(to.clone());
                c.status = CaseStatus::Assigned;
            }),
            Command::ResolveCase { case, text, request } => self.case_step(case, touched, |c| {
                c.resolution = Some(text.clone());
                c.resolved_at = Some(ev.at);
                if let Some(q) = request.as_deref().and_then(crate::domain::demand::Request::parse_label) {
                    c.request = Some(q);
                }
                c.status = CaseStatus::Resolved;
            }),
            Command::ReopenCase { case } => self.case_step(case, touched, |c| {
                c.status = if c.assigned_to.is_some() { CaseStatus::Assigned } else { CaseStatus::Open };
                c.since = ev.at;
                c.resolved_at = None;
            }),
            Command::CloseCase { case } => self.case_step(case, touched, |c| c.status = CaseStatus::Closed),
            _ => {}
        }
    }

    /// Holds a case and keeps the set of those pending.
    pub fn insert_case(&mut self, c: Case) {
        if c.status.is_pending() {
            self.pending_cases.insert(c.id);
        } else {
            self.pending_cases.remove(&c.id);
        }
        self.cases.insert(c.id, c);
    }

    fn case_step(&mut self, label: &str, touched: &mut Vec<ViewKey>, step: impl FnOnce(&mut Case)) {
        let Some(mut c) = Case::parse_label(label).and_then(|id| self.cases.get(&id)).cloned() else { return };
        step(&mut c);
        touched.push(ViewKey::Case(c.id));
        self.insert_case(c);
    }

    /// A request made from a case: the case links it.
    pub(super) fn link_case(&mut self, ev: &Event, request: u64, touched: &mut Vec<ViewKey>) {
        let Command::Request { requester: crate::domain::demand::Requester::Case { id }, .. } = &ev.cmd else {
            return;
        };
        self.case_step(id, touched, |c| c.request = Some(request));
    }

    /// A named delivery of `item` to a household on `day`: its needs of the item are met.
    pub(super) fn named_delivery(&mut self, code: &str, item: &str, day: NaiveDate, touched: &mut Vec<ViewKey>) {
        if let Some(h) = self.households.get_mut(code) {
            h.delivered(item, day, crate::domain::retention::cutoff(day));
            touched.push(ViewKey::Household(code.to_string()));
        }
    }
}
