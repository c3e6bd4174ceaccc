//! The hotline side of the command line: `log household|case|assign|resolve|reopen|close`
//! made into commands (a need, category or kind that does not parse is refused before anything
//! is sent); the `households` and `cases` listings are rendered by `listing::hotline`.

use super::args::{Common, HouseholdArgs, LogCmd};
use super::log::qty_arg;
use crate::domain::command::Command;
use crate::domain::hotline::{CaseKind, CaseStatus};
use crate::domain::household::{Category, HouseholdChange, NeedSpec};
use crate::domain::reject::{Reason, Rejection};

/// A hotline `log` subcommand as a command and its common options.
pub(super) fn command(log: LogCmd) -> Result<(Command, Common), Rejection> {
    Ok(match log {
        LogCmd::Household(a) => household(a)?,
        LogCmd::Case { caller, phone, village, household, kind, item, text, urgent, common } => {
            let kind = CaseKind::parse(&kind).ok_or_else(|| {
                Rejection::new("kind", Reason::NotAChoice { options: CaseKind::ALL.map(|k| k.code()).join(", ") })
            })?;
            (Command::Case { caller, phone, village, household, kind, item, text, urgent }, common)
        }
        LogCmd::Assign { case, to, common } => (Command::AssignCase { case, to }, common),
        LogCmd::Resolve { case, text, request, common } => (Command::ResolveCase { case, text, request }, common),
        LogCmd::Reopen { case, common } => (Command::ReopenCase { case }, common),
        LogCmd::Close { case, common } => (Command::CloseCase { case }, common),
        _ => return Err(Rejection::new("cmd", Reason::Empty)),
    })
}

/// `log household`: only the options given change; `--category` and `--need` replace their
/// lists.
fn household(a: HouseholdArgs) -> Result<(Command, Common), Rejection> {
    let categories: Vec<String> = a
        .categories
        .iter()
        .flat_map(|c| c.split(','))
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(String::from)
        .collect();
    if categories.iter().any(|c| Category::parse(c).is_none()) {
        return Err(Rejection::new(
            "categories",
            Reason::NotAChoice { options: Category::ALL.map(|c| c.code()).join(", ") },
        ));
    }
    let needs = a.needs.iter().map(|n| need(n)).collect::<Result<Vec<_>, _>>()?;
    let change = HouseholdChange {
        code: a.code,
        name: a.name,
        village: a.village,
        address: a.address,
        phone: a.phone,
        categories: (!categories.is_empty()).then_some(categories),
        needs: (!needs.is_empty()).then_some(needs),
        responsible: a.responsible,
        responsible_phone: a.responsible_phone,
        note: a.note,
    };
    Ok((Command::Households { changes: vec![change] }, a.common))
}

/// `ITEM=QTY/DAYS`.
fn need(text: &str) -> Result<NeedSpec, Rejection> {
    let bad = || Rejection::new("need", Reason::BadNeed);
    let (item, rest) = text.split_once('=').ok_or_else(bad)?;
    let (qty, days) = rest.split_once('/').ok_or_else(bad)?;
    let every_days = days.trim().parse::<u32>().map_err(|_| Rejection::new("every_days", Reason::NotANumber))?;
    Ok(NeedSpec { item: item.trim().to_string(), qty: qty_arg("qty", qty)?, every_days })
}

pub(super) fn status_arg(text: &str) -> Result<CaseStatus, Rejection> {
    CaseStatus::parse(text).ok_or_else(|| {
        Rejection::new("status", Reason::NotAChoice { options: CaseStatus::ALL.map(|s| s.code()).join(", ") })
    })
}
