//! The library below the faces, in process on temp stores: the engine's rules and every
//! rejection (`rules`), property tests of the ledger (`props`), SIGKILL crash recovery under
//! group commit (`crash`), the export → import round trip (`roundtrip`), replenishment planning
//! (`plan`), the daily report (`report`), extreme quantities (`hostile_qty`), every number of the config and of a scenario at its
//! extremes (`file_numbers`), command ids bound to caller and command (`ids`), the generated district (`district`) and alert
//! upkeep at scale (`scale`). Imports `baogong` and `support` only.

#[path = "../support/mod.rs"]
mod support;

mod agree;
mod crash;
mod district;
mod file_numbers;
mod first_week;
mod hostile_qty;
mod hotline;
mod ids;
mod kits;
mod passes_counts;
mod plan;
mod plan_requests;
mod props;
mod report;
mod report_demand;
mod request_props;
mod requests;
mod roundtrip;
mod rules;
mod scale;
mod schedule;
mod tallies;
