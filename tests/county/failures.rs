//! Every event of every town reaches the county exactly once through outages: an uplink
//! stopped while the town goes on working, the server SIGKILLed (file storage) and restarted,
//! the county consumer killed and restarted. "Exactly once" is counted three ways: the town's
//! `export events`, the messages the stream holds for the town, and the county's `events`.

use crate::nats::{runtime, County, Nats, Town};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(60);

fn exactly_once(nats: &Nats, county: &County, towns: &[&Town]) {
    for t in towns {
        t.wait_acked(WAIT);
    }
    let want: Vec<(&str, u64)> = towns.iter().map(|t| (t.code.as_str(), t.exported())).collect();
    county.wait_for(&want, WAIT);
    for (code, n) in &want {
        assert_eq!(nats.messages_of(&nats.url(), code), *n, "the stream holds town {code}'s events once each");
    }
}

#[test]
fn three_towns_with_one_uplink_stopped_then_resumed() {
    let Some(nats) = Nats::start() else { return };
    let county = County::start(&nats.url());
    let mut towns: Vec<Town> = ["T1", "T2", "T3"].iter().map(|c| Town::new(c, &nats.url())).collect();
    for t in &mut towns {
        t.start();
        t.restock(8);
    }
    towns[1].stop();
    towns[0].restock(5);
    towns[2].restock(5);
    // The stopped town goes on working without its daemon: nothing goes upward meanwhile.
    towns[1].restock(12);
    let t1 = towns[0].exported();
    county.wait_for(&[("T1", t1)], WAIT);
    assert!(county.events_of("T2").unwrap_or(0) < towns[1].exported(), "nothing of T2 went up while it was stopped");
    towns[1].start();
    let refs: Vec<&Town> = towns.iter().collect();
    exactly_once(&nats, &county, &refs);
    let st = towns[1].uplink_status();
    assert_eq!(st["connected"], true, "{st}");
    assert_eq!(st["lag_events"], 0, "{st}");
}

#[test]
fn server_sigkilled_and_restarted_mid_stream_loses_nothing_and_doubles_nothing() {
    let Some(mut nats) = Nats::start() else { return };
    let county = County::start(&nats.url());
    let mut town = Town::new("KILL", &nats.url());
    town.start();
    town.restock(10);
    nats.kill();
    // The town's engine is not held up by its uplink: commands go on at their usual pace.
    let t0 = Instant::now();
    town.restock(10);
    assert!(t0.elapsed() < Duration::from_secs(10), "10 commands took {:?} with the server down", t0.elapsed());
    let st = town.uplink_status();
    assert!(st["lag_events"].as_u64().unwrap_or(0) > 0, "{st}");
    nats.restart();
    town.restock(10);
    exactly_once(&nats, &county, &[&town]);
}

#[test]
fn county_killed_and_restarted_resumes_from_its_durable_position() {
    let Some(nats) = Nats::start() else { return };
    let mut county = County::start(&nats.url());
    let mut town = Town::new("DUR", &nats.url());
    town.start();
    town.restock(10);
    county.wait_for(&[("DUR", town.exported())], WAIT);
    county.kill();
    town.restock(10);
    town.wait_acked(WAIT);
    county.restart();
    exactly_once(&nats, &county, &[&town]);
    // Every message was delivered to the durable consumer once over both runs: it went on
    // from where it stood, not from the start of the stream.
    let url = nats.url();
    let (delivered, redelivered, pending) = runtime().block_on(async move {
        let js = async_nats::jetstream::new(async_nats::connect(url).await.expect("connect"));
        let s = js.get_stream("BAOGONG").await.expect("stream");
        let mut c: async_nats::jetstream::consumer::PullConsumer = s.get_consumer("county").await.expect("consumer");
        let info = c.info().await.expect("info");
        (info.delivered.consumer_sequence, info.num_redelivered, info.num_ack_pending)
    });
    assert_eq!(delivered, town.exported(), "each message delivered once");
    assert_eq!((redelivered, pending), (0, 0));
}
