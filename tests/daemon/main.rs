//! `baogong serve` over its Unix socket: live push, the same results as embedded, kills and
//! restarts, roles and the audit trail (`serve`); bad frames and a flood of connections
//! (`bad_input`); impersonation, lockouts, streams of any size, log forging and startup races
//! (`hostile`). Imports `baogong` and `support` only.

#[path = "../support/mod.rs"]
mod support;

mod bad_input;
mod hostile;
mod serve;
