//! The plan's demand from requests: a point's open requests within the horizon are its demand
//! from their first day on (the estimate before it), the estimate alone where there are none,
//! and each transfer says which it used.

use crate::support::fixture::*;
use baogong::domain::command::Command;
use baogong::domain::demand::Requester;
use baogong::domain::rules::plan::{plan, PlanSettings};
use baogong::domain::rules::plan_demand::DemandBasis;
use baogong::domain::Qty;

/// P02 serves 120 households: 60 kg of rice a day by the norm; it holds 10 kg, the depot plenty.
fn town() -> Fx {
    let mut fx = Fx::new();
    fx.ok(restock("DEPOT", "rice", u(20000)));
    fx.ok(restock("P02", "rice", u(10)));
    fx
}

fn ask(day: u32, qty: Qty) -> Command {
    Command::Request {
        requester: Requester::Village { code: "V02".into() },
        item: "rice".into(),
        qty,
        by: date(day),
        slot: None,
        urgent: false,
        note: String::new(),
    }
}

/// What the plan sends P02, and on what demand.
fn to_p02(fx: &Fx) -> (Qty, DemandBasis) {
    let p = plan(fx.engine.state(), date(10), &PlanSettings::default(), None, Some("rice"));
    let ts: Vec<_> = p.transfers.iter().filter(|t| t.to == "P02").collect();
    let basis = ts.first().map_or(DemandBasis::Estimate, |t| t.demand);
    (ts.iter().map(|t| t.qty).sum(), basis)
}

#[test]
fn requests_are_the_demand_of_the_days_they_cover_and_the_plan_says_so() {
    let mut fx = town();
    let (estimate, basis) = to_p02(&fx);
    assert_eq!(basis, DemandBasis::Estimate);
    // 15 days of norm + 3 days ahead at 60 kg, less the 10 held.
    assert_eq!(estimate, u(60 * 18 - 10));
    // A request needed today covers the whole horizon: 500 kg instead of 3 days × 60.
    fx.ok(ask(10, u(500)));
    let (qty, basis) = to_p02(&fx);
    assert_eq!((qty, basis), (u(60 * 15 + 500 - 10), DemandBasis::Requests));
    let json = baogong::plan_sheet::json(&plan(fx.engine.state(), date(10), &PlanSettings::default(), None, None));
    assert!(json.to_string().contains("\"demand\":\"requests\""), "{json}");
}

#[test]
fn a_later_request_leaves_the_estimate_before_it_and_cancelled_ones_do_not_count() {
    let mut fx = town();
    let q = fx.ok(ask(12, u(500))).request.expect("id");
    let (qty, basis) = to_p02(&fx);
    assert_eq!((qty, basis), (u(60 * 15 + 60 * 2 + 500 - 10), DemandBasis::Mixed));
    // Approved for less: what is approved and not sent counts.
    fx.ok(Command::Approve { request: q.clone(), qty: Some(u(300)), reason: "short".into() });
    assert_eq!(to_p02(&fx).0, u(60 * 15 + 60 * 2 + 300 - 10));
    fx.ok(Command::CancelRequest { request: q, reason: "not needed".into() });
    assert_eq!(to_p02(&fx), (u(60 * 18 - 10), DemandBasis::Estimate));
    // Beyond the horizon a request is not the plan's business yet.
    fx.ok(ask(20, u(5000)));
    assert_eq!(to_p02(&fx).1, DemandBasis::Estimate);
}
