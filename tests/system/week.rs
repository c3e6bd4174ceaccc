//! A week of duty on an accelerated clock: the in-process engine over a real store, a
//! `ManualClock` moved hour by hour through 7 days of steady traffic (restocks at the depot,
//! transfers to the points and their receipts, deliveries to villages, prices, daily reports,
//! a handover at every shift change but a few deliberately missed), the alerts re-evaluated every
//! hour. Checks that the time-based alerts raise and clear on schedule (a late daily report is
//! overdue from the deadline until it arrives; a missed handover is raised at every shift change
//! that lacks one, and only then), that the in-memory histories stay within their bounds (closed
//! dispatches capped, everything older than the hot window dropped once the clock passes it),
//! and prints the process's memory (VmRSS, VmHWM) at the start and end of the week.

use crate::support::fixture::*;
use baogong::api::{Caller, Reply, Request};
use baogong::domain::alerts::{Alert, AlertKind};
use baogong::domain::command::{Command, Record};
use baogong::domain::retention::{HOT_CLOSED_DISPATCHES, HOT_DAYS};
use baogong::domain::state::DispatchStatus;
use baogong::domain::{DutyShift, Fen, State};
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, TimeZone};

const DAYS: i64 = 7;
/// Shifts of 8 hours from 00:00, 08:00, 16:00; officers take turns.
const SHIFT_HOURS: i64 = 8;
const OFFICERS: [&str; 3] = [ALICE, BOB, CAROL];
/// Shift changes (counted from the first shift of day 1) with no handover logged.
const MISSED: [usize; 3] = [4, 11, 17];
/// The day (counted from 1) whose P02 report arrives late, at 11:00 the next morning.
const LATE_REPORT_DAY: i64 = 3;
/// Deliveries to villages per point per hour.
const DELIVERIES: usize = 30;

fn midnight(day: NaiveDate) -> DateTime<FixedOffset> {
    cst().from_local_datetime(&day.and_hms_opt(0, 0, 0).expect("midnight")).single().expect("local time")
}

/// Memory of this process from /proc: (VmRSS, VmHWM) in KiB.
fn memory() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Sizes of the growing collections of the state.
#[derive(Debug, Clone, Copy)]
struct Sizes {
    dispatches: usize,
    in_transit: usize,
    alerts: usize,
    open_alerts: usize,
    flows: usize,
    prices: usize,
    reports: usize,
    handovers: usize,
}

fn sizes(s: &State) -> Sizes {
    Sizes {
        dispatches: s.dispatches.len(),
        in_transit: s.dispatches.values().filter(|d| d.status() == DispatchStatus::InTransit).count(),
        alerts: s.alerts.len(),
        open_alerts: s.open_alerts.len(),
        flows: s.flows.len(),
        prices: s.prices.len(),
        reports: s.reports.len(),
        handovers: s.handovers.len(),
    }
}

fn open_of(fx: &Fx, kind: AlertKind) -> Vec<Alert> {
    fx.open(kind)
}

fn batch(fx: &mut Fx, cmds: Vec<Command>) -> Vec<Reply> {
    let caller = officer();
    let reqs: Vec<(Caller, Request)> =
        cmds.into_iter().map(|cmd| (caller.clone(), Request { cmd_id: fx.next_id(), cmd })).collect();
    let replies = fx.engine.submit_batch(reqs);
    for r in &replies {
        assert!(r.is_ok(), "steady traffic is accepted: {r:?}");
    }
    replies
}

#[test]
fn a_week_on_an_accelerated_clock_keeps_alerts_on_schedule_and_memory_bounded() {
    let started = std::time::Instant::now();
    let mut fx = Fx::new();
    let day1 = fx.clock_now().date_naive() + Duration::days(1);
    let start = midnight(day1);
    // The rota: 3 shifts a day for the week and a day beyond, from the shift before day 1
    // (`shifts[k + 1]` begins at change `k`).
    let shifts: Vec<DutyShift> = (-1..(DAYS + 1) * 24 / SHIFT_HOURS)
        .map(|k| DutyShift {
            start: start + Duration::hours(k * SHIFT_HOURS),
            end: start + Duration::hours((k + 1) * SHIFT_HOURS),
            duty_officer: OFFICERS[(k + 1) as usize % OFFICERS.len()].into(),
            leader_on_call: CAROL.into(),
        })
        .collect();
    fx.ok(Command::Upsert { records: shifts.iter().cloned().map(Record::Shift).collect() });
    // Flows begin on day 1, so the first report due is day 1's.
    fx.clock.set(start);
    fx.ok(restock("DEPOT", "rice", u(10_000_000)));
    let (rss0, hwm0) = memory();
    let mut day2 = None;
    let mut pending_receipts: Vec<String> = Vec::new();
    let mut dispatched = 0usize;
    let mut handover_checks = 0;
    let mut late_report_raised = false;
    for hour in 0..DAYS * 24 {
        let now = start + Duration::hours(hour);
        let day = now.date_naive();
        let h = (hour % 24) as u32;
        // Shift change: the incoming officer takes over 5 minutes in, unless this one is missed.
        if hour % SHIFT_HOURS == 0 {
            let k = (hour / SHIFT_HOURS) as usize;
            let shift = shifts[k + 1].clone();
            fx.tick_at(now + Duration::minutes(5));
            if !MISSED.contains(&k) {
                fx.ok(Command::Handover { to: shift.duty_officer.clone(), note: String::new() });
            }
            // Checked after the grace period at every change: raised exactly when missed.
            fx.tick_at(now + Duration::minutes(45));
            let open = open_of(&fx, AlertKind::NoHandover);
            let subject = format!("{} {}", shift.start.format("%Y-%m-%d %H:%M"), shift.duty_officer);
            if MISSED.contains(&k) {
                assert!(open.iter().any(|a| a.subject == subject), "shift {k}: missed handover raised: {open:?}");
            } else {
                assert!(open.is_empty(), "shift {k}: no missed-handover alert after a handover: {open:?}");
            }
            handover_checks += 1;
        }
        fx.clock.set(now + Duration::minutes(50));
        // Daily reports for yesterday at 08:00, before the 09:00 deadline; one comes late.
        let yesterday = day - Duration::days(1);
        let late_day = day1 + Duration::days(LATE_REPORT_DAY - 1);
        if h == 8 && hour >= 24 {
            let mut cmds =
                vec![Command::Report { point: "P01".into(), date: yesterday, zero: false, note: String::new() }];
            if yesterday != late_day {
                cmds.push(Command::Report { point: "P02".into(), date: yesterday, zero: false, note: String::new() });
            }
            batch(&mut fx, cmds);
        }
        if h == 11 && yesterday == late_day {
            assert!(late_report_raised, "the late report was overdue before it came");
            fx.ok(Command::Report { point: "P02".into(), date: late_day, zero: false, note: String::new() });
            let overdue = fx.all(AlertKind::ReportOverdue);
            let a = overdue.iter().find(|a| a.subject == format!("P02 {late_day}")).expect("the overdue alert");
            assert!(a.cleared_at.is_some(), "cleared by the report: {a:?}");
            assert!(open_of(&fx, AlertKind::ReportOverdue).is_empty());
        }
        // Steady traffic: the depot restocked, transfers out and last hour's received, deliveries
        // to the villages, a price per point. The two transfers come first: their replies name
        // the dispatches to receive next hour.
        let mut cmds = vec![to_point("DEPOT", "P01", "rice", u(60)), to_point("DEPOT", "P02", "rice", u(60))];
        cmds.push(restock("DEPOT", "rice", u(200)));
        for d in pending_receipts.drain(..) {
            cmds.push(receive(&d, None));
        }
        // From the second hour, once the first transfers are in.
        for _ in 0..if hour > 0 { DELIVERIES } else { 0 } {
            cmds.push(to_village("P01", "V01", "rice", u(1)));
            cmds.push(to_village("P02", "V02", "rice", u(1)));
        }
        for p in ["P01", "P02"] {
            cmds.push(Command::Price { point: p.into(), item: "rice".into(), fen: Fen(500 + (hour % 7)) });
        }
        dispatched += cmds.iter().filter(|c| matches!(c, Command::Dispatch { .. })).count();
        let replies = batch(&mut fx, cmds);
        for r in replies.into_iter().take(2) {
            let d = r.ok().and_then(|o| o.dispatch).expect("a transfer's dispatch id");
            pending_receipts.push(d);
        }
        // The hourly re-evaluation: the report deadline at 09:00.
        fx.tick_at(now + Duration::minutes(59));
        if h == 9 {
            let overdue = open_of(&fx, AlertKind::ReportOverdue);
            if hour >= 24 && yesterday == late_day {
                assert!(overdue.iter().any(|a| a.subject == format!("P02 {late_day}")), "overdue: {overdue:?}");
                late_report_raised = true;
            } else {
                assert!(overdue.is_empty(), "reports on time raise nothing (hour {hour}): {overdue:?}");
            }
        }
        if hour == 2 * 24 - 1 {
            day2 = Some((sizes(fx.engine.state()), memory().0));
        }
    }
    assert!(late_report_raised);
    assert_eq!(handover_checks, DAYS * 24 / SHIFT_HOURS);
    let (day2, rss_day2) = day2.expect("day 2 sizes");
    let day7 = sizes(fx.engine.state());
    let (rss1, hwm1) = memory();
    let mut kinds: std::collections::BTreeMap<&str, usize> = Default::default();
    for a in fx.engine.state().alerts.values() {
        *kinds.entry(a.kind.code()).or_default() += 1;
    }
    println!("day 2: {day2:?}\nday 7: {day7:?}\nalerts held at day 7 by kind: {kinds:?}");
    println!(
        "memory: start VmRSS {rss0} KiB (VmHWM {hwm0}), day 2 VmRSS {rss_day2} KiB, end of the week VmRSS {rss1} KiB (VmHWM {hwm1}); {dispatched} dispatches, {} events, {:.1} s",
        fx.engine.state().last_seq,
        started.elapsed().as_secs_f64()
    );
    // The process does not grow with the traffic from day 2 on (sled's cache is capped at 32 MiB).
    assert!(rss1 < rss_day2 + 48 * 1024, "VmRSS {rss_day2} KiB at day 2, {rss1} KiB at day 7");
    // Closed dispatches are capped (the cap is reached within the week), whatever the traffic.
    assert!(dispatched > 2 * HOT_CLOSED_DISPATCHES, "enough traffic to reach the cap: {dispatched}");
    assert!(day7.dispatches <= 2 * HOT_CLOSED_DISPATCHES + day7.in_transit, "{day7:?}");
    assert!(day7.in_transit <= 4, "receipts keep up: {day7:?}");
    // Per day, the histories add at most: flows and prices one per point+item touched, reports one
    // per point, a handful of alerts; two handovers' worth per shift.
    let per_day_pairs = 3 * 2;
    let grown = |a: usize, b: usize| b.saturating_sub(a);
    assert!(grown(day2.flows, day7.flows) <= 5 * per_day_pairs, "{day2:?} {day7:?}");
    assert!(grown(day2.prices, day7.prices) <= 5 * per_day_pairs, "{day2:?} {day7:?}");
    assert!(grown(day2.reports, day7.reports) <= 5 * 2, "{day2:?} {day7:?}");
    assert!(grown(day2.alerts, day7.alerts) <= 5 * 10, "alerts do not pile up: {day2:?} {day7:?}");
    assert!(day7.open_alerts <= 10, "{day7:?}");
    assert!(day7.handovers <= DAYS as usize * 3, "{day7:?}");
    // Past the hot window, the week's history leaves memory (the store keeps it): one more
    // command a day for HOT_DAYS + 1 days.
    for d in 0..=HOT_DAYS {
        fx.clock.set(start + Duration::days(DAYS + d) + Duration::hours(12));
        batch(&mut fx, vec![restock("DEPOT", "rice", u(1))]);
    }
    let later = sizes(fx.engine.state());
    println!("{} days later: {later:?}", HOT_DAYS + 1);
    assert!(later.dispatches <= later.in_transit, "every closed dispatch of the week left memory: {later:?}");
    assert_eq!(later.prices, 0, "{later:?}");
    assert_eq!(later.reports, 0, "{later:?}");
    assert!(later.flows <= 2 * (HOT_DAYS as usize + 1), "only the window's flows: {later:?}");
    assert!(later.alerts <= later.open_alerts + 2 * (HOT_DAYS as usize + 1), "{later:?}");
    let (rss2, _) = memory();
    println!("memory after the window passed: VmRSS {rss2} KiB");
    // Nothing of that was lost on disk.
    fx.assert_check_clean();
}
