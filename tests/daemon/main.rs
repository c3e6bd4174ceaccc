//! `baogong serve` over its Unix socket: live push, the same results as embedded, kills and
//! restarts, roles and the audit trail (`serve`); bad frames and a flood of connections
//! (`bad_input`); impersonation, lockouts, streams of any size, log forging and startup races
//! (`hostile`); command ids bound to their OS user and command, and malformed ones refused
//! (`ids`, reusing `serve`'s site and other-uid helpers). Imports `baogong` and `support` only.

#[path = "../support/mod.rs"]
mod support;

mod bad_input;
mod hostile;
mod ids;
mod listings;
mod privacy;
mod serve;
