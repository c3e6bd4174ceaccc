//! Towns reporting upward to the county over NATS JetStream, with real nats-server processes on
//! loopback (`nats`): the town code and its commands (`town`), three towns with an uplink
//! stopped and resumed, the server SIGKILLed and restarted, the county consumer killed and
//! restarted (`failures`), a town publishing under another town's code (`permissions`), and no personal data in
//! what a town publishes (`privacy`); the county plan over hand-made views (`plan`).
//! Without a nats-server the NATS tests say so loudly and pass, unless BAOGONG_REQUIRE_NATS=1.
//! Imports `baogong` and `support` only.

#[path = "../support/mod.rs"]
mod support;

mod failures;
mod nats;
mod permissions;
mod plan;
mod privacy;
mod town;
