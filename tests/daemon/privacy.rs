//! Personal data over the socket (issue 15): a household's name, address and phone and a
//! caller's name and phone reach officers and the clerk of the point serving the village, and
//! nobody else: not a viewer, not another point's clerk, not the wall. Checked on every path
//! out of the daemon: the snapshot a face receives, the events pushed to it, the `households`
//! and `cases` listings it renders, and `export events` (officers only once such data exists).
//! None of it reaches the daemon's log.

use crate::serve::{rt, Site};
use baogong::api::{Query, Request};
use baogong::domain::command::Command;
use baogong::domain::household::HouseholdChange;
use baogong::domain::Lang;
use baogong::link::client::{self, AttachError};
use baogong::proto::{Down, FaceKind};
use std::time::Duration;

const NAME: &str = "王秀英";
const PHONE: &str = "13812345678";
const ADDRESS: &str = "幸福路1号";
const CALLER: &str = "张三丰";
const CALLER_PHONE: &str = "13700000099";

/// The faces and whether each may see the personal data of V01 (served by P01).
fn faces() -> Vec<(FaceKind, bool, &'static str)> {
    vec![
        (FaceKind::Console, true, "officer"),
        (FaceKind::Point { point: "P01".into() }, true, "serving clerk"),
        (FaceKind::Point { point: "P02".into() }, false, "other point's clerk"),
        (FaceKind::Wall, false, "wall (viewer)"),
    ]
}

fn seed_personal(site: &Site) {
    let add = ["log", "household", "--code", "H1", "--name", NAME, "--village", "V01", "--phone", PHONE];
    let out = site.cli(&[&add[..], &["--address", ADDRESS, "--need", "rice=5/7"]].concat());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let call = ["log", "case", "--caller", CALLER, "--phone", CALLER_PHONE, "--village", "V01", "--kind", "shortage"];
    let out = site.cli(&[&call[..], &["--item", "rice", "--text", "没有米了"]].concat());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // A refused command with personal data in it: logged by the daemon, without the data.
    let bad = ["log", "household", "--code", "H9", "--name", NAME, "--village", "V01", "--phone", "12345-abc"];
    assert_eq!(site.cli(&bad).status.code(), Some(2));
}

fn shows_personal(text: &str) -> bool {
    [NAME, PHONE, ADDRESS, CALLER, CALLER_PHONE].iter().any(|p| text.contains(p))
}

#[test]
fn personal_data_reaches_officers_and_the_serving_clerk_only() {
    let site = Site::new();
    seed_personal(&site);
    rt().block_on(async {
        for (n, (face, sees, who)) in faces().into_iter().enumerate() {
            // The snapshot.
            let (mut s, state) = client::connect(&site.data(), face.clone(), true).await.expect("attach");
            let state = state.expect("snapshot");
            let h = state.households.get("H1").expect("the household is listed for everyone");
            assert_eq!(h.village, "V01");
            assert_eq!((h.name == NAME, !h.phone.is_empty(), h.address == ADDRESS), (sees, sees, sees), "{who}: {h:?}");
            assert_eq!(h.masked, !sees, "{who}");
            let c = state.cases.values().next().expect("the case");
            assert_eq!((c.caller == CALLER, c.phone == CALLER_PHONE), (sees, sees), "{who}: {c:?}");
            // The listings.
            for query in [
                Query::Households { village: None, due: false, json: true },
                Query::Households { village: None, due: false, json: false },
                Query::Cases { status: None, overdue: false, json: true },
                Query::Cases { status: None, overdue: false, json: false },
            ] {
                let listed = s.listing(query.clone(), Lang::En).await.expect("listed");
                assert_eq!(shows_personal(&listed.out), sees, "{who} {query:?}: {}", listed.out);
                if matches!(query, Query::Households { json: true, .. } | Query::Cases { json: true, .. }) {
                    let rows: serde_json::Value = serde_json::from_str(&listed.out).expect("json");
                    assert_eq!(rows[0]["masked"], !sees, "{who}");
                    assert_eq!(rows[0]["phone"].is_null(), !sees, "{who}");
                } else if !sees {
                    assert!(listed.out.contains("(hidden)"), "{who}: a placeholder in the table");
                }
            }
            // An event pushed live: a change of the household's phone.
            let phone = format!("1399999999{n}");
            let change =
                HouseholdChange { code: "H1".into(), phone: Some(phone.clone()), ..HouseholdChange::default() };
            let (mut w, _) = client::connect(&site.data(), FaceKind::Cli, false).await.expect("writer");
            let id = format!("phone-{n}");
            let reply =
                w.submit(Request { cmd_id: id.clone(), cmd: Command::Households { changes: vec![change] } }).await;
            assert!(matches!(reply, Ok(Ok(_))), "{reply:?}");
            let ev = loop {
                let d = tokio::time::timeout(Duration::from_secs(10), s.recv()).await.expect("pushed").expect("frame");
                if let Down::Event(ev) = d {
                    if ev.cmd_id == id {
                        break ev;
                    }
                }
            };
            let json = serde_json::to_string(&ev).expect("json");
            assert_eq!(json.contains(&phone), sees, "{who}: {json}");
            // Export: officers only, once personal data exists.
            let exported = s.export(|_| Ok(())).await;
            match (&face, exported) {
                (FaceKind::Console, Ok(())) => {}
                (FaceKind::Console, Err(e)) => panic!("the officer may export: {e:?}"),
                (_, Err(AttachError::Refused(reason))) => {
                    assert!(reason.contains("officer"), "{who}: {reason}")
                }
                (_, other) => panic!("{who} exported events with personal data: {other:?}"),
            }
        }
    });
    let log = site.log();
    assert!(log.contains("refused"), "the refusals are logged: {log}");
    assert!(!shows_personal(&log) && !log.contains("1399999999"), "the daemon log holds personal data: {log}");
    assert!(!log.contains("12345-abc"), "a refused phone is not quoted in the log: {log}");
}
