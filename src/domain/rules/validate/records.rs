//! Validation of `Upsert`: reference data records.
//! Imports domain types and the shared checks of `validate` only.

use super::{check_code, check_ident, check_name, check_text, officer_only, rej, Ctx, Registry, R};
use crate::domain::command::{Record, Resolved};
use crate::domain::reject::Reason;
use crate::domain::state::State;
use crate::domain::ResponseLevel;

/// New or changed reference data: officers only; codes, names and texts well formed, no code or
/// name a duplicate of another (`Registry`), and every zone or point named known (in the state
/// or earlier in the same command).
pub(super) fn upsert(state: &State, ctx: &Ctx, records: &[Record]) -> R<Resolved> {
    officer_only(ctx.access, "code")?;
    validate_records(state, records)?;
    Ok(Resolved::default())
}

fn validate_records(state: &State, records: &[Record]) -> R<()> {
    let zone_known =
        |z: &str| state.zones.contains_key(z) || records.iter().any(|r| matches!(r, Record::Zone(x) if x.code == z));
    let point_known =
        |p: &str| state.points.contains_key(p) || records.iter().any(|r| matches!(r, Record::Point(x) if x.code == p));
    let mut registry = Registry::new(state);
    for r in records {
        registry.admit(r)?;
        match r {
            Record::Zone(z) => {
                check_ident("code", &z.code)?;
                check_name("name", &z.name)?;
                check_text("lead", &z.lead)?;
            }
            Record::Point(p) => {
                check_ident("code", &p.code)?;
                check_name("name", &p.name)?;
                check_text("manager", &p.manager)?;
                check_text("phone", &p.phone)?;
                if !zone_known(&p.zone) {
                    return rej("zone", Reason::UnknownZone { code: p.zone.clone() });
                }
                let item_known = |i: &str| {
                    state.items.contains_key(i) || records.iter().any(|r| matches!(r, Record::Item(x) if x.code == i))
                };
                if let Some(i) = p.carries.iter().find(|i| !item_known(i)) {
                    return rej("carries", Reason::UnknownItem { code: i.clone() });
                }
            }
            Record::Village(v) => {
                check_ident("code", &v.code)?;
                check_name("name", &v.name)?;
                check_text("checkpoint", &v.checkpoint)?;
                if !point_known(&v.point) {
                    return rej("point", Reason::UnknownPoint { code: v.point.clone() });
                }
            }
            Record::Item(i) => {
                check_ident("code", &i.code)?;
                check_name("name_zh", &i.name_zh)?;
                check_name("name_en", &i.name_en)?;
                check_code("unit", &i.unit)?;
                if !(i.norm_days >= 0.0
                    && i.norm_days.is_finite()
                    && i.per_household_daily >= 0.0
                    && i.per_household_daily.is_finite())
                {
                    return rej("norm_days", Reason::NotPositive);
                }
                super::kits::recipe(state, records, i)?;
            }
            Record::Person(p) => {
                check_name("name", &p.name)?;
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
            Record::Slot(s) => {
                check_ident("code", &s.code)?;
                if !zone_known(&s.zone) {
                    return rej("zone", Reason::UnknownZone { code: s.zone.clone() });
                }
                s.check().map_err(|(field, reason)| crate::domain::reject::Rejection::new(field, reason))?;
            }
            Record::Level(l) => {
                if ResponseLevel::of_number(l.level).is_none() {
                    let (value, max) = (l.level.to_string(), (ResponseLevel::ALL.len() - 1).to_string());
                    return rej("level", Reason::OutOfRange { value, min: "0".into(), max });
                }
                check_name("name_en", &l.name_en)?;
                check_name("name_zh", &l.name_zh)?;
                check_text("meaning_en", &l.meaning_en)?;
                check_text("meaning_zh", &l.meaning_zh)?;
            }
            Record::Vehicle(v) => {
                check_ident("plate", &v.plate)?;
                check_text("pass_no", &v.pass_no)?;
                if !point_known(&v.point) {
                    return rej("point", Reason::UnknownPoint { code: v.point.clone() });
                }
            }
        }
    }
    Ok(())
}
