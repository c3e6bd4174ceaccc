//! The engine's interface: what a face or script sends (`Request`, with its `Caller`) and what
//! comes back (`Reply`: an `Outcome` or a `Refusal`). Shared by the engine, the link (embedded
//! or over the socket), the protocol and every face. Owns no behaviour beyond building these;
//! imports only the domain.

use crate::domain::alerts;
use crate::domain::command::{Command, Event, Face};
use crate::domain::{Access, Rejection};
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicU64, Ordering};

/// Who is asking: OS user, the access their role grants, and the face they use.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Caller {
    pub user: String,
    pub access: Access,
    pub face: Face,
}

impl Caller {
    pub fn officer(user: &str, face: Face) -> Caller {
        Caller { user: user.to_string(), access: Access::Officer, face }
    }
}

/// A command with its client-made id.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Request {
    /// Resending the same id returns the first result and changes nothing. Empty: the engine
    /// makes one up (no idempotency across resends).
    pub cmd_id: String,
    pub cmd: Command,
}

/// What the engine recorded.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub seq: u64,
    pub cmd_id: String,
    /// The dispatch created or confirmed.
    #[serde(default)]
    pub dispatch: Option<String>,
    /// Alerts this command raised and cleared.
    #[serde(default)]
    pub raised: Vec<String>,
    #[serde(default)]
    pub cleared: Vec<String>,
    /// True when the id had already been applied: nothing changed this time.
    #[serde(default)]
    pub duplicate: bool,
}

impl Outcome {
    pub fn of(ev: &Event, duplicate: bool) -> Outcome {
        Outcome {
            seq: ev.seq,
            cmd_id: ev.cmd_id.clone(),
            dispatch: ev.resolved.dispatch.clone(),
            raised: ev.alerts.raised.iter().map(|a| alerts::Alert::label(a.id)).collect(),
            cleared: ev.alerts.cleared.iter().map(|id| alerts::Alert::label(*id)).collect(),
            duplicate,
        }
    }

    /// The outcome of a tick that changed nothing (sequence number 0).
    pub fn nothing(self) -> Outcome {
        Outcome { seq: 0, cmd_id: String::new(), ..self }
    }
}

/// Why a command was not recorded.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "refusal", rename_all = "snake_case")]
pub enum Refusal {
    /// The rules or the caller's role refused it; nothing changed.
    Rejected(Rejection),
    /// The store could not record it; nothing was acknowledged.
    Failed { message: String },
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Rejected(r) => write!(f, "{r}"),
            Refusal::Failed { message } => f.write_str(message),
        }
    }
}

pub type Reply = Result<Outcome, Refusal>;

static AUTO_ID: AtomicU64 = AtomicU64::new(0);

/// A command id unique to this process and moment, for callers that give none.
pub fn fresh_id(prefix: &str) -> String {
    let n = AUTO_ID.fetch_add(1, Ordering::Relaxed);
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or_default();
    format!("{prefix}-{}-{nanos:x}-{n}", std::process::id())
}
