//! Pure types and rules of the supply ledger: no I/O, no clock, no sled. Everything here is a
//! function of its arguments, so every rule can be tested with a hand-made state and time.
//!
//! Two layers, and imports only go down: the leaf types in this directory (quantities, reference
//! data, commands and events, text hygiene of codes and names, alert records, the state and `State::apply`, the retention policy)
//! never import `rules`; `rules/` (validation, cover, alert evaluation, the plan) reads the types.
//! Nothing here imports the store, the engine or any face. This file only declares and re-exports.

pub mod access;
pub mod alerts;
pub mod catalog;
pub mod command;
pub mod demand;
pub mod hotline;
pub mod household;
pub mod ident;
pub mod lang;
pub mod level;
pub mod network;
pub mod privacy;
pub mod qty;
pub mod reject;
pub mod retention;
pub mod roster;
pub mod rules;
pub mod state;

pub use access::Access;
pub use catalog::{Item, ItemGroup};
pub use command::{Command, Dest, Event, Face, Resolved};
pub use lang::Lang;
pub use level::ResponseLevel;
pub use network::{Point, PointKind, Vehicle, Village, Zone};
pub use qty::{Fen, Qty};
pub use reject::{Reason, Rejection};
pub use roster::{DutyShift, Handover, Person, Role};
pub use state::State;
