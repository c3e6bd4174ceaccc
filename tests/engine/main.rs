//! The library below the faces, in process on temp stores: the engine's rules and every
//! rejection (`rules`), property tests of the ledger (`props`), SIGKILL crash recovery under
//! group commit (`crash`), the export → import round trip (`roundtrip`), replenishment planning
//! (`plan`), the daily report (`report`), the generated district (`district`) and alert upkeep
//! at scale (`scale`). Imports `baogong` and `support` only.

#[path = "../support/mod.rs"]
mod support;

mod crash;
mod district;
mod plan;
mod props;
mod report;
mod roundtrip;
mod rules;
mod scale;
