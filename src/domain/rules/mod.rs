//! The rules of the ledger, over the leaf types of `domain`: validation of a command, days of
//! cover, alert evaluation and diff, the distribution plan. Rules import types, never the other
//! way round; nothing here imports the store, the engine or a face.

pub mod alerts;
pub mod cover;
pub mod hotline;
pub mod plan;
pub mod plan_demand;
pub mod validate;
