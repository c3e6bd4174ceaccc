//! Personal data stays in the town: a household registered and a hotline call taken in a town
//! with an uplink reach the county's stream with the household's name, address and phone and
//! the caller's name and phone blanked; the codes and the village still go up. What the county
//! keeps of the town (`county.json`: its summary, the open critical alerts listed by kind,
//! point, item and since) holds none of them either.

use crate::nats::{County, Nats, Town};
use crate::support::bin;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(60);

#[test]
fn names_addresses_and_phones_never_leave_the_town() {
    let Some(nats) = Nats::start() else { return };
    let county = County::start(&nats.url());
    let mut town = Town::new("PRIV", &nats.url());
    town.start();
    let dir = town.dir.path().to_path_buf();
    let household = [
        "log",
        "household",
        "--code",
        "H1",
        "--name",
        "王秀英",
        "--village",
        "V01",
        "--address",
        "幸福路8号",
        "--phone",
        "13812345678",
    ];
    bin::ok(&dir, &household);
    town.wait_acked(WAIT);
    let sent = nats.last_payload("PRIV");
    assert!(sent.contains("H1") && sent.contains("V01"), "the household's code and village go up: {sent}");
    for personal in ["王秀英", "幸福路8号", "13812345678"] {
        assert!(!sent.contains(personal), "{personal} reached the county's stream: {sent}");
    }
    let call = [
        "log",
        "case",
        "--caller",
        "李建国",
        "--phone",
        "13998765432",
        "--village",
        "V01",
        "--kind",
        "shortage",
        "--item",
        "rice",
        "--text",
        "买不到米",
    ];
    bin::ok(&dir, &call);
    town.wait_acked(WAIT);
    let sent = nats.last_payload("PRIV");
    assert!(sent.contains("买不到米") && sent.contains("shortage"), "the call itself goes up: {sent}");
    for personal in ["李建国", "13998765432"] {
        assert!(!sent.contains(personal), "{personal} reached the county's stream: {sent}");
    }
    county.wait_for(&[("PRIV", town.exported())], WAIT);
    let kept = std::fs::read_to_string(county.dir.path().join("county.json")).expect("county.json");
    assert!(kept.contains("\"alerts\""), "the summary has its alerts list: {kept}");
    for personal in ["王秀英", "幸福路8号", "13812345678", "李建国", "13998765432"] {
        assert!(!kept.contains(personal), "{personal} is in what the county keeps");
    }
}
