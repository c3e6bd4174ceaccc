//! The replenishment plan as people and scripts read it: aligned text (the terminal and the
//! console's plan screen), Markdown to paste into a request to the level above, CSV (UTF-8 with
//! BOM, for Excel/WPS) and JSON with quantities in the item's unit. Pure formatting of a
//! `domain::rules::plan::Plan`; the arithmetic lives in the domain, no I/O here.
//! Imports the domain, `i18n` and `text`; never the store, the engine, the link or a face.

use crate::domain::rules::plan::{Plan, Request, Transfer};
use crate::domain::state::State;
use crate::domain::{Lang, Qty};
use crate::text::scrub;
use serde_json::json;

fn unit(state: &State, item: &str, lang: Lang) -> String {
    state.items.get(item).map(|i| crate::i18n::unit(lang, &i.unit)).unwrap_or_default()
}

fn item_name(state: &State, item: &str, lang: Lang) -> String {
    state.items.get(item).map(|i| scrub(i.name(lang))).unwrap_or_default()
}

fn days(d: f64) -> String {
    if d >= 999.0 {
        "999+".into()
    } else {
        format!("{d:.1}")
    }
}

/// The batches a transfer takes: "B7 (12-03) 40, B9 80" (stock without batch or expiry is not
/// named).
pub fn batches(t: &Transfer) -> String {
    t.lots
        .iter()
        .filter(|l| !l.batch.is_empty() || l.expiry.is_some())
        .map(|l| {
            let name = if l.batch.is_empty() { "-".to_string() } else { scrub(&l.batch) };
            match l.expiry {
                Some(e) => format!("{name} ({}) {}", e.format("%m-%d"), l.qty),
                None => format!("{name} {}", l.qty),
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// One line of what the plan is for: the level, the demand factor, the horizon.
/// Levels are named as the town calls them (`Settings::level_name`).
pub fn headline(plan: &Plan, settings: &crate::domain::state::Settings, lang: Lang) -> String {
    let name = |l| crate::text::scrub(settings.level_name(l, lang));
    let whatif = if plan.level != plan.current {
        format!(
            " ({} {} → {}, {} ×{:.2})",
            lang.pick("what-if:", "假设:"),
            name(plan.current),
            name(plan.level),
            lang.pick("demand", "需求"),
            plan.factor
        )
    } else {
        String::new()
    };
    format!(
        "{} {} · {} {}{} · {} {} {}",
        lang.pick("Replenishment plan", "补货调拨计划"),
        plan.date,
        lang.pick("level", "响应等级"),
        name(plan.level),
        whatif,
        lang.pick("norm reached in", "达标期限"),
        plan.horizon_days,
        lang.pick("days", "天"),
    )
}

/// Column headers of the transfer table (a trailing `>` right-aligns).
pub fn transfer_headers(lang: Lang) -> [&'static str; 9] {
    match lang {
        Lang::En => ["item", "name", "from", "to", "qty>", "unit", "draw", "cover>", "runs out"],
        Lang::Zh => ["物资", "名称", "调出", "调入", "数量>", "单位", "来源", "保障天数>", "预计断档"],
    }
}

pub fn transfer_cells(state: &State, t: &Transfer, lang: Lang) -> Vec<String> {
    vec![
        t.item.clone(),
        item_name(state, &t.item, lang),
        t.from.clone(),
        t.to.clone(),
        t.qty.to_string(),
        unit(state, &t.item, lang),
        t.draw.label(lang).to_string(),
        days(t.to_days),
        t.to_runs_out.format("%m-%d").to_string(),
    ]
}

pub fn request_headers(lang: Lang) -> [&'static str; 6] {
    match lang {
        Lang::En => ["item", "name", "qty>", "unit", "by", "why"],
        Lang::Zh => ["物资", "名称", "数量>", "单位", "最迟", "原因"],
    }
}

/// Why the town cannot cover an item: what the points need, what the reserve and the donors
/// can give, and who is left short.
pub fn why(r: &Request, lang: Lang) -> String {
    let short: Vec<String> = r.short.iter().map(|s| format!("{} {}", s.point, s.qty)).collect();
    format!(
        "{} {}; {} {}, {} {}; {}: {}",
        lang.pick("points need", "各点缺口"),
        r.need,
        lang.pick("reserve holds", "储备库可调"),
        r.depot_spare,
        lang.pick("other points can spare", "其他点可调"),
        r.donor_spare,
        lang.pick("still short", "仍缺"),
        short.join(", ")
    )
}

pub fn request_cells(state: &State, r: &Request, lang: Lang) -> Vec<String> {
    vec![
        r.item.clone(),
        item_name(state, &r.item, lang),
        r.qty.to_string(),
        unit(state, &r.item, lang),
        r.by.to_string(),
        why(r, lang),
    ]
}

/// "Suggested transfers (n)".
pub fn transfers_title(plan: &Plan, lang: Lang) -> String {
    format!("{} ({})", lang.pick("Suggested transfers", "建议调拨"), plan.transfers.len())
}

pub const NO_TRANSFERS: (&str, &str) =
    ("none: every point is at its norm, or nothing can be spared", "无:各点均达标或无可调余量");

/// "Request to the level above (n)".
pub fn requests_title(plan: &Plan, lang: Lang) -> String {
    format!("{} ({})", lang.pick("Request to the level above", "向上级申请"), plan.requests.len())
}

pub const NO_REQUESTS: (&str, &str) = ("none: the town covers every point", "无:本镇可自行保障");

/// The column saying where a recipient's demand came from (requests or the estimate).
fn demand_head(lang: Lang) -> &'static str {
    lang.pick("demand", "需求依据")
}

/// The plan as aligned text lines.
pub fn text_lines(plan: &Plan, state: &State, lang: Lang) -> Vec<String> {
    let mut out = vec![headline(plan, &state.settings, lang), String::new(), transfers_title(plan, lang)];
    if plan.transfers.is_empty() {
        out.push(format!("  {}", lang.pick(NO_TRANSFERS.0, NO_TRANSFERS.1)));
    } else {
        let cells: Vec<Vec<String>> = plan
            .transfers
            .iter()
            .map(|t| {
                let mut c = transfer_cells(state, t, lang);
                c.push(t.demand.label(lang).to_string());
                c
            })
            .collect();
        let mut heads = transfer_headers(lang).to_vec();
        heads.push(demand_head(lang));
        out.extend(crate::text::table(&heads, &cells).lines().map(|l| format!("  {l}")));
    }
    out.push(String::new());
    out.extend(request_lines(plan, state, lang));
    out
}

/// The requests to the level above as aligned text lines.
pub fn request_lines(plan: &Plan, state: &State, lang: Lang) -> Vec<String> {
    let mut out = vec![requests_title(plan, lang)];
    if plan.requests.is_empty() {
        out.push(format!("  {}", lang.pick(NO_REQUESTS.0, NO_REQUESTS.1)));
    } else {
        let cells: Vec<Vec<String>> = plan.requests.iter().map(|r| request_cells(state, r, lang)).collect();
        out.extend(crate::text::table(&request_headers(lang), &cells).lines().map(|l| format!("  {l}")));
    }
    out
}

/// Markdown to paste into a message to the level above: the requests first, then the transfers
/// the town makes itself.
pub fn markdown(plan: &Plan, state: &State, lang: Lang) -> String {
    let md = |s: String| s.replace('|', "\\|");
    let mut out = format!("# {} {}\n\n", scrub(&state.settings.town), md(headline(plan, &state.settings, lang)));
    out.push_str(&format!("## {}\n\n", requests_title(plan, lang)));
    if plan.requests.is_empty() {
        out.push_str(&format!("{}\n\n", lang.pick(NO_REQUESTS.0, NO_REQUESTS.1)));
    } else {
        let heads = request_headers(lang).map(|h| h.trim_end_matches('>'));
        out.push_str(&format!("| {} |\n|{}\n", heads.join(" | "), "---|".repeat(heads.len())));
        for r in &plan.requests {
            let cells: Vec<String> = request_cells(state, r, lang).into_iter().map(md).collect();
            out.push_str(&format!("| {} |\n", cells.join(" | ")));
        }
        out.push('\n');
    }
    out.push_str(&format!("## {}\n\n", transfers_title(plan, lang)));
    if plan.transfers.is_empty() {
        out.push_str(&format!("{}\n", lang.pick(NO_TRANSFERS.0, NO_TRANSFERS.1)));
    } else {
        let mut heads: Vec<&str> = transfer_headers(lang).iter().map(|h| h.trim_end_matches('>')).collect();
        heads.push(lang.pick("batches", "批次"));
        heads.push(demand_head(lang));
        out.push_str(&format!("| {} |\n|{}\n", heads.join(" | "), "---|".repeat(heads.len())));
        for t in &plan.transfers {
            let mut cells: Vec<String> = transfer_cells(state, t, lang).into_iter().map(md).collect();
            cells.push(md(batches(t)));
            cells.push(t.demand.label(lang).to_string());
            out.push_str(&format!("| {} |\n", cells.join(" | ")));
        }
    }
    out
}

fn num(q: Qty) -> serde_json::Value {
    json!(q.as_f64())
}

/// CSV with a UTF-8 byte-order mark: one row per request, then one per transfer.
pub fn csv(plan: &Plan, state: &State, lang: Lang) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    let heads = match lang {
        Lang::En => ["kind", "item", "name", "from", "to", "qty", "unit", "by", "draw", "batches", "why"],
        Lang::Zh => ["类别", "物资", "名称", "调出", "调入", "数量", "单位", "最迟", "来源", "批次", "原因"],
    };
    w.write_record(heads)?;
    for r in &plan.requests {
        w.write_record([
            lang.pick("request", "向上级申请").to_string(),
            r.item.clone(),
            item_name(state, &r.item, lang),
            String::new(),
            String::new(),
            r.qty.to_string(),
            unit(state, &r.item, lang),
            r.by.to_string(),
            String::new(),
            String::new(),
            why(r, lang),
        ])?;
    }
    for t in &plan.transfers {
        w.write_record([
            lang.pick("transfer", "镇内调拨").to_string(),
            t.item.clone(),
            item_name(state, &t.item, lang),
            t.from.clone(),
            t.to.clone(),
            t.qty.to_string(),
            unit(state, &t.item, lang),
            t.to_runs_out.to_string(),
            t.draw.label(lang).to_string(),
            batches(t),
            String::new(),
        ])?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

/// JSON for scripts: quantities in the item's unit.
pub fn json(plan: &Plan) -> serde_json::Value {
    let transfers: Vec<_> = plan
        .transfers
        .iter()
        .map(|t| {
            json!({
                "item": t.item, "from": t.from, "to": t.to, "qty": num(t.qty), "draw": t.draw.code(),
                "to_days_of_cover": (t.to_days * 10.0).round() / 10.0, "to_runs_out": t.to_runs_out,
                "demand": t.demand.code(),
                "batches": t.lots.iter().map(|l| json!({"batch": l.batch, "expiry": l.expiry, "qty": num(l.qty)})).collect::<Vec<_>>(),
            })
        })
        .collect();
    let requests: Vec<_> = plan
        .requests
        .iter()
        .map(|r| {
            json!({
                "item": r.item, "qty": num(r.qty), "by": r.by, "need": num(r.need),
                "depot_spare": num(r.depot_spare), "donor_spare": num(r.donor_spare),
                "short": r.short.iter().map(|s| json!({"point": s.point, "qty": num(s.qty), "runs_out": s.runs_out})).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "date": plan.date, "level": plan.level.code(), "current_level": plan.current.code(),
        "demand_factor": plan.factor, "horizon_days": plan.horizon_days,
        "transfers": transfers, "requests": requests,
    })
}
