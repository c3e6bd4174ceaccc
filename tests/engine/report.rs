//! The daily report on the small fixture town with hand-computed figures: per point and item
//! (received, sent out, end-of-day stock, days of cover, price), report status on time or late,
//! town totals, reporting and on-time rates, fill rate of transfers; Markdown, CSV (UTF-8 with
//! BOM) and JSON renderings in English and Chinese; future and too-old dates refused.

use crate::support::assert_snapshot;
use crate::support::fixture::*;
use baogong::domain::alerts::Thresholds;
use baogong::domain::command::Command;
use baogong::domain::rules::cover::StockStatus;
use baogong::domain::{Fen, Lang};
use baogong::report::{self, Reporting};

/// Day 10: restocks, a transfer confirmed short, a delivery, a price; day 11: P01 reports on
/// time at 08:30, P02 sends a zero report late at 10:00.
fn town() -> Fx {
    let mut fx = Fx::new();
    fx.ok(restock("DEPOT", "rice", u(1000)));
    fx.ok(restock("P01", "rice", u(300)));
    let transfer = fx.ok(to_point("DEPOT", "P02", "rice", u(200))).dispatch.expect("dispatch id");
    fx.clock.set(at(10, 14, 0));
    fx.ok(receive(&transfer, Some(u(180))));
    fx.ok(to_village("P01", "V01", "rice", u(50)));
    fx.ok(Command::Price { point: "P01".into(), item: "rice".into(), fen: Fen(350) });
    fx.clock.set(at(11, 8, 30));
    fx.ok(Command::Report { point: "P01".into(), date: date(10), zero: false, note: String::new() });
    fx.clock.set(at(11, 10, 0));
    fx.ok(Command::Report { point: "P02".into(), date: date(10), zero: true, note: String::new() });
    fx
}

fn daily(fx: &Fx, lang: Lang) -> report::DailyReport {
    report::daily(fx.engine.state(), date(10), at(11, 10, 30), &Thresholds::default(), &[], lang).expect("report")
}

#[test]
fn figures_per_point_and_for_the_town() {
    let fx = town();
    let r = daily(&fx, Lang::En);
    assert_eq!(r.town, "测试镇");
    assert_eq!(r.deadline, at(11, 9, 0));
    // The depot owes no report; both points reported, one late.
    let states: Vec<(&str, Reporting, Option<bool>)> =
        r.points.iter().map(|p| (p.point.as_str(), p.reporting, p.on_time)).collect();
    assert_eq!(states, vec![("P01", Reporting::Reported, Some(true)), ("P02", Reporting::Zero, Some(false))]);
    assert_eq!((r.expected, r.received, r.on_time), (2, 2, 1));
    assert_eq!((r.reporting_rate, r.on_time_rate), (Some(1.0), Some(0.5)));
    assert_eq!(r.fill_rate, Some(0.9), "180 of 200 kg arrived");
    // Masks are protective and unpriced: only rice is a key item by default.
    let p01 = &r.points[0].items;
    assert_eq!(p01.len(), 1);
    let l = &p01[0];
    assert_eq!((l.item.as_str(), l.received, l.sent_out, l.stock, l.price), ("rice", 300.0, 50.0, 250.0, Some(3.5)));
    // 50 kg out on day 10, the store's first day: 50 kg a day (the week ending that day holds
    // one day of figures; dividing by 7 overstated cover 7×); 250 kg last 5 days: below norm 15.
    assert_eq!((l.days_of_cover, l.status), (Some(5.0), StockStatus::BelowNorm));
    let p02 = &r.points[1].items[0];
    assert_eq!((p02.received, p02.sent_out, p02.stock, p02.price), (180.0, 0.0, 180.0, None));
    // Town: supply in is restocks only (the transfer is not counted twice); out is deliveries.
    let t = &r.totals[0];
    assert_eq!((t.received, t.sent_out, t.stock), (1300.0, 50.0, 1230.0));
}

#[test]
fn markdown_csv_and_json() {
    let fx = town();
    let md = report::markdown(&daily(&fx, Lang::Zh), Lang::Zh);
    assert!(md.starts_with("# 测试镇 生活必需品保供日报 2026-03-10"), "{md}");
    assert!(md.contains("已报送: 2/2 (100%), 按时: 50%"), "{md}");
    assert!(md.contains("调拨到货率: 90%"), "{md}");
    assert!(md.contains("## P02 P02 超市 — 零报告 03-11 10:00 迟报"), "{md}");
    // One day of figures: 50 kg a day, 5 days of cover (not 35: see `figures_per_point_and_for_the_town`).
    assert!(md.contains("| 大米 (公斤) | 300 | 50 | 250 | 5.0 | 低于储备 | 3.50 |"), "{md}");
    let en = report::markdown(&daily(&fx, Lang::En), Lang::En);
    assert!(en.contains("## P01 P01 超市 — reported 03-11 08:30 on time"), "{en}");
    assert!(en.contains("| Rice (kg) | 300 | 50 | 250 | 5.0 | below norm | 3.50 |"), "{en}");

    let bytes = report::csv(&daily(&fx, Lang::Zh), Lang::Zh).expect("csv");
    assert_eq!(&bytes[..3], &[0xEF, 0xBB, 0xBF], "UTF-8 byte-order mark for Excel/WPS");
    let text = String::from_utf8(bytes[3..].to_vec()).expect("utf-8");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "日期,送货点,送货点名称,报送,报送时间,按时,物资,到货,发出,库存,保障天数,状态,价格(元)");
    assert_eq!(lines[1], "2026-03-10,P01,P01 超市,已报,2026-03-11 08:30,是,大米 (公斤),300,50,250,5.0,低于储备,3.50");
    // The town: 1230 kg over 50 kg a day of deliveries (one day seen, not 50/7) is 24.6 days: ok.
    assert_eq!(lines[3], "2026-03-10,全镇,,,,,大米 (公斤),1300,50,1230,24.6,正常,-");
    assert_eq!(lines.len(), 10, "two point rows, the town total and the six hotline figures");
    assert_eq!(lines[4], "2026-03-10,热线,cases_opened,0,,,,,,,,,");

    let json = serde_json::to_value(daily(&fx, Lang::En)).expect("json");
    assert_eq!(json["date"], "2026-03-10");
    assert_eq!(json["points"][1]["reporting"], "zero");
    assert_eq!(json["points"][0]["items"][0]["stock"], 250.0);
    assert_eq!(json["fill_rate"], 0.9);
}

#[test]
fn future_and_forgotten_dates_are_refused() {
    let fx = town();
    let future = report::daily(fx.engine.state(), date(12), at(11, 10, 30), &Thresholds::default(), &[], Lang::En);
    assert!(future.unwrap_err().message(Lang::En).contains("future date"));
    let old = report::daily(
        fx.engine.state(),
        date(1) - chrono::Duration::days(60),
        at(11, 10, 30),
        &Thresholds::default(),
        &[],
        Lang::Zh,
    );
    assert!(old.unwrap_err().message(Lang::Zh).contains("最早可查日期"));
}

/// Golden files: the report of the fixture town in every format and both languages.
#[test]
fn golden_reports() {
    let fx = town();
    for (lang, tag) in [(Lang::En, "en"), (Lang::Zh, "zh")] {
        let r = daily(&fx, lang);
        assert_snapshot("report", &format!("daily_{tag}_md"), report::markdown(&r, lang));
        let csv = report::csv(&r, lang).expect("csv");
        assert_snapshot("report", &format!("daily_{tag}_csv"), String::from_utf8(csv[3..].to_vec()).expect("utf-8"));
        assert_snapshot("report", &format!("daily_{tag}_json"), serde_json::to_string_pretty(&r).expect("json"));
        assert_snapshot("report", &format!("daily_{tag}_screen"), report::text_lines(&r, lang).join("\n"));
    }
}
