//! The county plan: the town plan's rule one level up. Each town's summary is presented to
//! `domain::rules::plan::plan_holdings` as one holding per item (its stock by expiry day, its
//! consumption, its own norm), and the town named `[county] reserve` as the depot. So towns
//! short of an item draw on the county reserve first (what has not expired, above its floor of
//! `reserve_floor_days` of its own issues), then on towns holding more than their target plus
//! `donor_margin_pct` (a donor town never goes below its target), and what is left is the
//! county's request to the city. Targets are the town plan's: the norm plus `horizon_days` of
//! consumption. Items are told apart by code and unit (a town counting rice in bags is planned
//! apart from those counting it in kg). The towns' own requests upward stay in their
//! summaries: they say how a town's points stand, the county plan how the towns stand as a
//! whole. Pure: a function of the view, the reserve's code, the settings and the day.
//! Cost: O(towns × items + their expiry days). Imports the domain and the county's view; never
//! the store, a face or the cli.

use super::CountyView;
use crate::domain::rules::plan::{self, Draw, Holding, Plan, PlanSettings};
use crate::domain::state::Lot;
use crate::domain::ResponseLevel;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The county's plan: the transfers between towns and the request to the city.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CountyPlan {
    /// The reserve town (`[county] reserve`), if one is set.
    pub reserve: Option<String>,
    /// Whether the reserve town has reported to the county (its stock is in the plan).
    pub reserve_reported: bool,
    pub plan: Plan,
}

/// One zone for every town: the county draws on surplus towns by what they can spare.
const COUNTY_ZONE: &str = "";

/// The county plan over `view` on `today`.
pub fn plan(view: &CountyView, reserve: Option<&str>, settings: &PlanSettings, today: NaiveDate) -> CountyPlan {
    // The towns' stock as lots, one per expiry day, owned here for the holdings to borrow.
    let stock: Vec<(&str, &crate::domain::Item, bool, Vec<Lot>)> = view
        .towns
        .iter()
        .flat_map(|t| {
            let depot = reserve == Some(t.town.as_str());
            t.items.iter().map(move |i| {
                let lots = i
                    .lots
                    .iter()
                    .map(|e| Lot {
                        point: t.town.clone(),
                        item: i.item.clone(),
                        batch: e.expiry.map(|d| d.to_string()).unwrap_or_default(),
                        qty: e.qty,
                        expiry: e.expiry,
                    })
                    .collect();
                (t.town.as_str(), &i.def, depot, lots)
            })
        })
        .collect();
    let rates: BTreeMap<(&str, &str, &str), f64> = view
        .towns
        .iter()
        .flat_map(|t| {
            t.items.iter().filter_map(|i| Some(((t.town.as_str(), i.item.as_str(), i.unit.as_str()), i.daily?)))
        })
        .collect();
    let holdings = stock.iter().map(|(town, def, depot, lots)| {
        let holding = Holding {
            holder: town,
            zone: COUNTY_ZONE,
            depot: *depot,
            lots: lots.iter().collect(),
            inbound: None,
            requested: None,
        };
        (*def, holding)
    });
    let daily = |town: &str, it: &crate::domain::Item| rates.get(&(town, it.code.as_str(), it.unit.as_str())).copied();
    let routine = (ResponseLevel::Routine, ResponseLevel::Routine);
    CountyPlan {
        reserve: reserve.map(str::to_string),
        reserve_reported: reserve.is_some_and(|r| view.towns.iter().any(|t| t.town == r)),
        plan: plan::plan_holdings(holdings, today, settings, routine, &daily),
    }
}

/// Where a county transfer comes from: the reserve or a town above its target.
pub fn draw_code(d: Draw) -> &'static str {
    match d {
        Draw::Depot => "reserve",
        Draw::SameZone | Draw::OtherZone => "town",
    }
}

/// The draw as the county reads it.
pub fn draw_label(d: Draw, lang: crate::domain::Lang) -> &'static str {
    crate::i18n::t(lang, &format!("county.draw_{}", draw_code(d)))
}

/// The reserve line: which town is the reserve, or why there is none in the plan.
pub fn reserve_line(cp: &CountyPlan, lang: crate::domain::Lang) -> String {
    use crate::i18n::t;
    match &cp.reserve {
        None => t(lang, "county.no_reserve").to_string(),
        Some(r) if cp.reserve_reported => format!("{} {}", t(lang, "county.reserve"), crate::text::scrub(r)),
        Some(r) => {
            format!("{} {} {}", t(lang, "county.reserve"), crate::text::scrub(r), t(lang, "county.reserve_silent"))
        }
    }
}

/// The towns left short of a request, most short first ("T1 400, T2 120").
pub fn short_towns(r: &plan::Request) -> String {
    let towns: Vec<String> = r.short.iter().map(|s| format!("{} {}", crate::text::scrub(&s.point), s.qty)).collect();
    towns.join(", ")
}

/// `county plan` as plain text: the reserve, the transfers, the request to the city.
pub fn text(cp: &CountyPlan, lang: crate::domain::Lang) -> String {
    use crate::i18n::{t, unit};
    let p = &cp.plan;
    let mut out = format!(
        "{} {}  ({})\n\n{}\n",
        t(lang, "county.plan_title"),
        p.date,
        reserve_line(cp, lang),
        t(lang, "county.transfers")
    );
    if p.transfers.is_empty() {
        out += &format!("{}\n", t(lang, "county.no_transfers"));
    } else {
        let heads = [
            t(lang, "col.item"),
            t(lang, "col.from"),
            t(lang, "col.to"),
            &format!("{}>", t(lang, "col.qty")),
            t(lang, "col.unit"),
            t(lang, "col.draw"),
            &format!("{}>", t(lang, "col.days")),
            t(lang, "col.runs_out"),
        ];
        let rows: Vec<Vec<String>> = p
            .transfers
            .iter()
            .map(|x| {
                vec![
                    x.item.clone(),
                    x.from.clone(),
                    x.to.clone(),
                    x.qty.to_string(),
                    unit(lang, &x.unit),
                    draw_label(x.draw, lang).to_string(),
                    format!("{:.1}", x.to_days),
                    x.to_runs_out.to_string(),
                ]
            })
            .collect();
        out += &crate::text::table(&heads, &rows);
    }
    out += &format!("\n{}\n", t(lang, "county.to_city"));
    if p.requests.is_empty() {
        out += &format!("{}\n", t(lang, "county.no_to_city"));
    } else {
        let heads = [
            t(lang, "col.item"),
            &format!("{}>", t(lang, "col.qty")),
            t(lang, "col.unit"),
            t(lang, "col.by"),
            &format!("{}>", t(lang, "col.need")),
            &format!("{}>", t(lang, "col.reserve_spare")),
            &format!("{}>", t(lang, "col.towns_spare")),
            t(lang, "col.towns_short"),
        ];
        let rows: Vec<Vec<String>> = p
            .requests
            .iter()
            .map(|r| {
                vec![
                    r.item.clone(),
                    r.qty.to_string(),
                    unit(lang, &r.unit),
                    r.by.to_string(),
                    r.need.to_string(),
                    r.depot_spare.to_string(),
                    r.donor_spare.to_string(),
                    short_towns(r),
                ]
            })
            .collect();
        out += &crate::text::table(&heads, &rows);
    }
    out
}

/// `county plan --json`: quantities as numbers in the item's unit.
pub fn json(cp: &CountyPlan) -> serde_json::Value {
    use serde_json::json;
    let p = &cp.plan;
    let transfers: Vec<_> = p
        .transfers
        .iter()
        .map(|x| {
            json!({
                "item": x.item, "from": x.from, "to": x.to, "qty": x.qty.as_f64(), "unit": x.unit,
                "draw": draw_code(x.draw), "to_days": x.to_days, "to_runs_out": x.to_runs_out,
            })
        })
        .collect();
    let requests: Vec<_> = p
        .requests
        .iter()
        .map(|r| {
            let short: Vec<_> = r
                .short
                .iter()
                .map(|s| json!({"town": s.point, "qty": s.qty.as_f64(), "runs_out": s.runs_out}))
                .collect();
            json!({
                "item": r.item, "qty": r.qty.as_f64(), "unit": r.unit, "by": r.by, "need": r.need.as_f64(),
                "reserve_spare": r.depot_spare.as_f64(), "towns_spare": r.donor_spare.as_f64(), "short": short,
            })
        })
        .collect();
    json!({
        "date": p.date, "horizon_days": p.horizon_days, "reserve": cp.reserve,
        "reserve_reported": cp.reserve_reported, "transfers": transfers, "requests": requests,
    })
}
