//! The people who cannot wait: households added and changed (a change names only what
//! changes), named deliveries due every N days and "named delivery overdue" (critical for
//! medicine, naming the code, cleared when delivered), hotline cases through every transition,
//! "hotline case overdue" and "shortage calls", a request made from a case, and every refusal
//! (each changing nothing). A property test walks a ManualClock week: every due need is either
//! delivered or raises its alert on the day after it falls due.

use crate::support::fixture::*;
use baogong::domain::alerts::{AlertKind, Severity};
use baogong::domain::command::{Command, Record};
use baogong::domain::demand::{Request, RequestStatus, Requester};
use baogong::domain::hotline::{CaseKind, CaseStatus};
use baogong::domain::household::{HouseholdChange, NeedSpec};
use baogong::domain::{Item, ItemGroup, Reason};
use proptest::prelude::*;

fn pills() -> Item {
    Item {
        code: "pills".into(),
        name_zh: "降压药".into(),
        name_en: "Pills".into(),
        group: ItemGroup::Medicine,
        unit: "box".into(),
        ..rice()
    }
}

fn with_medicine() -> Fx {
    let mut fx = Fx::new();
    fx.ok(Command::Upsert { records: vec![Record::Item(pills())] });
    fx.ok(restock("P01", "pills", u(100)));
    fx.ok(restock("P01", "rice", u(1000)));
    fx
}

fn need(item: &str, qty: i64, every_days: u32) -> NeedSpec {
    NeedSpec { item: item.into(), qty: u(qty), every_days }
}

fn household(code: &str, village: &str, needs: Vec<NeedSpec>) -> Command {
    Command::Households {
        changes: vec![HouseholdChange {
            code: code.into(),
            name: Some("王秀英".into()),
            village: Some(village.into()),
            phone: Some("13812345678".into()),
            categories: Some(vec!["elderly_alone".into(), "chronic_disease".into()]),
            needs: Some(needs),
            ..HouseholdChange::default()
        }],
    }
}

fn change(code: &str, edit: impl FnOnce(&mut HouseholdChange)) -> Command {
    let mut c = HouseholdChange { code: code.into(), ..HouseholdChange::default() };
    edit(&mut c);
    Command::Households { changes: vec![c] }
}

fn case(village: Option<&str>, household: Option<&str>, kind: CaseKind, item: Option<&str>, urgent: bool) -> Command {
    Command::Case {
        caller: "张三".into(),
        phone: "13700000000".into(),
        village: village.map(Into::into),
        household: household.map(Into::into),
        kind,
        item: item.map(Into::into),
        text: "没有米了".into(),
        urgent,
    }
}

fn ask(requester: Requester, item: &str, qty: i64) -> Command {
    Command::Request {
        requester,
        item: item.into(),
        qty: u(qty),
        by: date(11),
        slot: None,
        urgent: false,
        note: String::new(),
    }
}

/// A named delivery of `qty` of `item` to household H1 of V01, from P01, signed for.
fn deliver_named(fx: &mut Fx, item: &str, qty: i64) {
    let d = fx.ok(to_village("P01", "V01", item, u(qty))).dispatch.expect("dispatch");
    fx.ok(Command::Deliver {
        dispatch: d,
        qty: u(qty),
        signed_by: "王秀英".into(),
        note: String::new(),
        household: Some("H1".into()),
    });
}

#[test]
fn a_change_names_only_what_changes_and_keeps_the_rest() {
    let mut fx = with_medicine();
    fx.ok(household("H1", "V01", vec![need("pills", 1, 7)]));
    fx.ok(change("H1", |c| c.phone = Some("0531-8888 1234".into())));
    let h = fx.engine.state().households.get("H1").expect("held").clone();
    assert_eq!((h.name.as_str(), h.village.as_str(), h.phone.as_str()), ("王秀英", "V01", "0531-8888 1234"));
    assert_eq!(h.needs.len(), 1, "needs kept");
    assert_eq!(h.next_due(), Some(date(17)), "due 7 days after registration");
    fx.assert_check_clean();
    let fx = fx.reopen();
    assert_eq!(fx.engine.state().households.get("H1"), Some(&h), "held across a reopen");
}

#[test]
fn a_medicine_need_past_due_is_critical_and_a_named_delivery_clears_it() {
    let mut fx = with_medicine();
    fx.ok(household("H1", "V01", vec![need("pills", 1, 7), need("rice", 5, 7)]));
    fx.tick_at(at(17, 12, 0));
    assert!(fx.open(AlertKind::NamedDeliveryOverdue).is_empty(), "due on day 17: not yet overdue");
    fx.tick_at(at(18, 8, 0));
    let open = fx.open(AlertKind::NamedDeliveryOverdue);
    assert_eq!(open.len(), 2, "{open:?}");
    let pills = open.iter().find(|a| a.subject == "H1/pills").expect("named by code, not by name");
    assert_eq!(pills.severity, Severity::Critical);
    assert!(open.iter().all(|a| !a.subject.contains("王")), "the head's name never reaches the feed");
    assert_eq!(open.iter().find(|a| a.subject == "H1/rice").map(|a| a.severity), Some(Severity::Warning));
    deliver_named(&mut fx, "pills", 1);
    let open = fx.open(AlertKind::NamedDeliveryOverdue);
    assert_eq!(open.iter().map(|a| a.subject.as_str()).collect::<Vec<_>>(), ["H1/rice"], "cleared when delivered");
    let h = &fx.engine.state().households["H1"];
    assert_eq!(h.needs[0].last, Some(date(18)));
    assert_eq!(h.needs[0].due(h.registered), date(25));
    fx.assert_check_clean();
}

#[test]
fn a_request_from_a_household_goes_through_its_village() {
    let mut fx = with_medicine();
    fx.ok(household("H1", "V01", vec![need("rice", 5, 7)]));
    let q =
        fx.ok(ask(Requester::Household { code: "H1".into(), village: String::new() }, "rice", 5)).request.expect("Q");
    let r = &fx.engine.state().requests[&Request::parse_label(&q).expect("id")];
    assert_eq!(r.requester, Requester::Household { code: "H1".into(), village: "V01".into() });
    assert_eq!(r.point, "P01");
    let r = fx.reject(ask(Requester::Household { code: "H9".into(), village: String::new() }, "rice", 5));
    assert_eq!((r.field.as_str(), r.reason), ("household", Reason::UnknownHousehold { code: "H9".into() }));
}

#[test]
fn a_case_lives_from_open_to_closed_and_back() {
    let mut fx = with_medicine();
    fx.ok(household("H1", "V01", vec![need("rice", 5, 7)]));
    let k = fx.ok(case(None, Some("H1"), CaseKind::Shortage, Some("rice"), false)).seq;
    let label = format!("K{k}");
    let c = &fx.engine.state().cases[&k];
    assert_eq!((c.status, c.village.as_str(), c.household.as_deref()), (CaseStatus::Open, "V01", Some("H1")));
    let status = |fx: &Fx| fx.engine.state().cases[&k].status;
    // A request in one step from the case: requester and item from it, and linked.
    let q = fx.ok(ask(Requester::Case { id: label.clone() }, "", 5)).request.expect("Q");
    let r = &fx.engine.state().requests[&Request::parse_label(&q).expect("id")];
    assert_eq!((r.item.as_str(), r.requester.household()), ("rice", Some("H1")));
    assert_eq!(r.status(), RequestStatus::Requested);
    assert_eq!(fx.engine.state().cases[&k].request, Request::parse_label(&q));
    fx.ok(Command::AssignCase { case: label.clone(), to: ALICE.into() });
    assert_eq!(status(&fx), CaseStatus::Assigned);
    let r = fx.reject(Command::AssignCase { case: label.clone(), to: "无名".into() });
    assert_eq!((r.field.as_str(), r.reason), ("assignee", Reason::UnknownPerson { name: "无名".into() }));
    fx.ok(Command::ResolveCase { case: label.clone(), text: "已送".into(), request: Some(q.clone()) });
    assert_eq!(status(&fx), CaseStatus::Resolved);
    fx.ok(Command::CloseCase { case: label.clone() });
    assert_eq!(status(&fx), CaseStatus::Closed);
    let r = fx.reject(Command::ResolveCase { case: label.clone(), text: "again".into(), request: None });
    assert_eq!(r.field, "case");
    assert!(matches!(r.reason, Reason::CaseIs { .. }), "{r:?}");
    assert!(r.message(baogong::domain::Lang::Zh).contains("已关闭"));
    fx.ok(Command::ReopenCase { case: label.clone() });
    assert_eq!(status(&fx), CaseStatus::Assigned, "reopened to the person it was assigned to");
    fx.assert_check_clean();
    let fx = fx.reopen();
    assert_eq!(fx.engine.state().cases[&k].status, CaseStatus::Assigned);
    assert_eq!(fx.engine.state().pending_cases.len(), 1);
}

#[test]
fn an_open_case_past_due_raises_an_alert_until_resolved() {
    let mut fx = with_medicine();
    let k = fx.ok(case(Some("V01"), None, CaseKind::Medical, None, true)).seq;
    fx.tick_at(at(10, 11, 59));
    assert!(fx.open(AlertKind::CaseOverdue).is_empty(), "urgent: due in 2 hours");
    fx.tick_at(at(10, 12, 1));
    let open = fx.open(AlertKind::CaseOverdue);
    assert_eq!(open.len(), 1);
    assert_eq!((open[0].subject.clone(), open[0].severity), (format!("K{k}"), Severity::Critical));
    fx.ok(Command::ResolveCase { case: format!("K{k}"), text: "医生已上门".into(), request: None });
    assert!(fx.open(AlertKind::CaseOverdue).is_empty(), "cleared when resolved");
}

#[test]
fn shortage_calls_about_one_item_from_one_zone_raise_the_sensor() {
    let mut fx = with_medicine();
    for n in 0..4 {
        fx.ok(case(Some(["V01", "V02"][n % 2]), None, CaseKind::Shortage, Some("rice"), false));
        assert!(fx.open(AlertKind::ShortageCalls).is_empty(), "{} calls", n + 1);
    }
    fx.ok(case(Some("V03"), None, CaseKind::Price, Some("rice"), false));
    assert!(fx.open(AlertKind::ShortageCalls).is_empty(), "a price call is not a shortage call");
    fx.ok(case(Some("V03"), None, CaseKind::Shortage, Some("rice"), false));
    let open = fx.open(AlertKind::ShortageCalls);
    assert_eq!(open.len(), 1);
    assert_eq!((open[0].subject.as_str(), open[0].value), ("Z1/rice", Some(5.0)));
    fx.tick_at(at(11, 8, 0));
    assert!(fx.open(AlertKind::ShortageCalls).is_empty(), "a new day counts afresh");
}

#[test]
fn bad_households_and_cases_are_refused_naming_the_field() {
    let mut fx = with_medicine();
    let cases: Vec<(Command, &str, &str)> = vec![
        (
            change("H1", |c| {
                c.name = Some("王".into());
                c.village = Some("V01".into());
                c.phone = Some("abc".into())
            }),
            "phone",
            "电话: 不是电话号码",
        ),
        (
            change("H1", |c| {
                c.name = Some("王".into());
                c.village = Some("V99".into())
            }),
            "village",
            "村/小区: 没有编码为 V99 的村/小区",
        ),
        (household("H1", "V01", vec![need("caviar", 1, 7)]), "item", "物资: 没有编码为 caviar 的物资"),
        (household("H1", "V01", vec![need("rice", 1, 0)]), "every_days", "周期天数: 不能为零"),
        (
            change("H1", |c| {
                c.name = Some("王".into());
                c.village = Some("V01".into());
                c.categories = Some(vec!["rich".into()])
            }),
            "categories",
            "人群类别: 只能是",
        ),
        (change("H1", |c| c.phone = Some("13812345678".into())), "name", "不能为空"),
        (case(Some("V01"), None, CaseKind::Other, None, false).with_phone("12"), "phone", "电话: 不是电话号码"),
        (case(None, Some("H9"), CaseKind::Other, None, false), "household", "重点户: 没有编码为 H9 的重点户"),
        (case(None, None, CaseKind::Other, None, false), "village", "村/小区: 请填写村/小区或重点户"),
        (case(Some("V01"), None, CaseKind::Other, Some("caviar"), false), "item", "物资"),
        (Command::AssignCase { case: "K999".into(), to: ALICE.into() }, "case", "工单: 没有热线工单 K999"),
    ];
    for (cmd, field, zh) in cases {
        let shown = format!("{cmd:?}");
        let r = fx.reject(cmd);
        assert_eq!(r.field, field, "{shown}");
        let msg = r.message(baogong::domain::Lang::Zh);
        assert!(msg.contains(zh), "{shown}: {msg}");
        assert!(!r.message(baogong::domain::Lang::En).contains("abc"), "a phone is never quoted back");
    }
    // The clerk of another point may not write for V01's households.
    let r = fx.reject_as(&clerk("P02"), household("H1", "V01", vec![]));
    assert_eq!(r.field, "village");
    fx.ok_as(&clerk("P01"), household("H1", "V01", vec![]));
}

trait WithPhone {
    fn with_phone(self, p: &str) -> Command;
}

impl WithPhone for Command {
    fn with_phone(mut self, p: &str) -> Command {
        if let Command::Case { phone, .. } = &mut self {
            *phone = p.into();
        }
        self
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// A week on a ManualClock, ticking each morning: a need is overdue exactly when its due day
    /// has passed without a named delivery, and then its alert is open; a delivery clears it.
    #[test]
    fn every_due_delivery_is_made_or_raises_its_alert_on_time(
        every in 1u32..5,
        delivered in proptest::collection::vec(any::<bool>(), 7),
    ) {
        let mut fx = with_medicine();
        fx.ok(household("H1", "V01", vec![need("pills", 1, every)]));
        for (n, deliver) in delivered.iter().enumerate() {
            let day = 11 + n as u32;
            fx.tick_at(at(day, 8, 0));
            let h = fx.engine.state().households["H1"].clone();
            let due = h.needs[0].due(h.registered);
            let open = fx.open(AlertKind::NamedDeliveryOverdue);
            prop_assert_eq!(open.len(), usize::from(due < date(day)), "day {} due {}", day, due);
            if let Some(a) = open.first() {
                prop_assert_eq!(a.severity, Severity::Critical);
            }
            if *deliver {
                fx.clock.set(at(day, 10, 0));
                deliver_named(&mut fx, "pills", 1);
                prop_assert!(fx.open(AlertKind::NamedDeliveryOverdue).is_empty(), "cleared on delivery");
                let h = &fx.engine.state().households["H1"];
                prop_assert_eq!(h.needs[0].due(h.registered), date(day) + chrono::Duration::days(i64::from(every)));
            }
        }
        fx.assert_check_clean();
    }
}
