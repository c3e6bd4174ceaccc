//! A town publishing under another town's code is refused by the server: each town has its
//! own user, allowed to publish only on its own subject (the server config the README shows).

use crate::nats::{runtime, County, Nats, Town};
use std::time::Duration;

/// The README's server config: one account with JetStream, the county's user, one user per town.
pub const USERS: &str = r#"
accounts {
  BAOGONG {
    jetstream: enabled
    users: [
      { user: county, password: "county-pw" }
      { user: t1, password: "t1-pw", permissions: {
          publish: { allow: ["baogong.T1.events", "$JS.API.STREAM.INFO.BAOGONG", "$JS.API.STREAM.MSG.GET.BAOGONG"] }
          subscribe: { allow: ["_INBOX.>"] } } }
      { user: t2, password: "t2-pw", permissions: {
          publish: { allow: ["baogong.T2.events", "$JS.API.STREAM.INFO.BAOGONG", "$JS.API.STREAM.MSG.GET.BAOGONG"] }
          subscribe: { allow: ["_INBOX.>"] } } }
    ]
  }
}
"#;

#[test]
fn a_town_cannot_publish_under_another_towns_code() {
    let Some(nats) = Nats::start_with(USERS) else { return };
    let admin = nats.url_as("county", "county-pw");
    let county = County::start(&admin);
    // T2 is honest; "T1" here runs with T2's user, so it publishes to baogong.T1.events as t2.
    let mut honest = Town::new("T2", &nats.url_as("t2", "t2-pw"));
    let mut forger = Town::new("T1", &nats.url_as("t2", "t2-pw"));
    honest.start();
    forger.start();
    honest.restock(3);
    forger.restock(3);
    honest.wait_acked(Duration::from_secs(60));
    county.wait_for(&[("T2", honest.exported())], Duration::from_secs(60));
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(nats.messages_of(&admin, "T1"), 0, "nothing landed under T1");
    assert_eq!(county.events_of("T1"), None, "the county knows no T1");
    let st = forger.uplink_status();
    assert_eq!(st["acked_seq"], 0, "{st}");
    // And straight from a client: t1 publishing on T2's subject gets no acknowledgement.
    let url = nats.url_as("t1", "t1-pw");
    let refused = runtime().block_on(async move {
        let client = baogong::uplink::stream::connect(&url, None).await.expect("connect");
        let js = async_nats::jetstream::new(client);
        match js.publish("baogong.T2.events", "{}".into()).await {
            Err(_) => true,
            Ok(ack) => ack.await.is_err(),
        }
    });
    assert!(refused, "t1 may not publish as T2");
    assert_eq!(nats.messages_of(&admin, "T2"), honest.exported());
}
