//! The protocol between faces and the daemon: length-delimited frames (at most `MAX_FRAME`
//! bytes) of JSON, tagged enums with an `Unknown` fallback so that old and new versions fail
//! politely. A session opens with `Hello` → `Welcome` (or `Refused`), then a snapshot of the
//! state in row chunks, then live events; commands go up as `Submit` and come back as `Reply`.

use crate::api::{CmdId, Reply, Request};
use crate::domain::command::Event;
use crate::domain::state::State;
use crate::domain::Access;
use crate::store::rows::View;
use bytes::Bytes;
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use tokio_util::codec::LengthDelimitedCodec;

pub const PROTOCOL_VERSION: u32 = 1;
/// The largest frame either side accepts (snapshots come in chunks below it).
pub const MAX_FRAME: usize = 1024 * 1024;
/// Rows per snapshot chunk.
pub const SNAPSHOT_CHUNK: usize = 500;
/// The daemon sends a heartbeat this often; a face that hears nothing for three of them
/// reconnects.
pub const HEARTBEAT_SECS: u64 = 5;

/// The socket file in the data directory.
pub const SOCKET: &str = "baogong.sock";

/// Which face is attaching.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "face", rename_all = "snake_case")]
pub enum FaceKind {
    Console,
    Point { point: String },
    Wall,
    Cli,
}

impl FaceKind {
    pub fn face(&self) -> crate::domain::Face {
        match self {
            FaceKind::Console => crate::domain::Face::Console,
            FaceKind::Point { .. } => crate::domain::Face::Point,
            FaceKind::Wall => crate::domain::Face::Wall,
            FaceKind::Cli => crate::domain::Face::Cli,
        }
    }
}

/// Frames a face sends.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Up {
    Hello {
        protocol_version: u32,
        #[serde(flatten)]
        face: FaceKind,
        /// Whether to send the state and live events (a face) or not (a one-shot command).
        #[serde(default)]
        subscribe: bool,
    },
    Submit(Request),
    /// Several commands applied together: one transaction, all or nothing (imports). A struct
    /// variant: serde cannot write a tagged newtype variant holding a sequence.
    Batch {
        requests: Vec<Request>,
    },
    /// Asks for the whole event log (export).
    Export,
    /// Asks the daemon to run `check`.
    Check,
    #[serde(other)]
    Unknown,
}

/// Frames the daemon sends.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Down {
    Welcome {
        protocol_version: u32,
        user: String,
        access: Access,
        now: DateTime<FixedOffset>,
    },
    /// The handshake or a frame was refused; the daemon closes the connection after it.
    Refused {
        reason: String,
    },
    /// A chunk of the state: rows as the store keeps them.
    Rows {
        rows: Vec<Row>,
    },
    /// The snapshot is complete up to this event.
    Synced {
        last_seq: u64,
        last_at: Option<DateTime<FixedOffset>>,
    },
    Event(Box<Event>),
    Reply {
        cmd_id: CmdId,
        reply: Reply,
    },
    /// Heartbeat with the daemon's clock.
    Beat {
        now: DateTime<FixedOffset>,
    },
    /// A chunk of the event log (export); `done` on the last one.
    Events {
        events: Vec<Event>,
        done: bool,
    },
    Checked {
        events: u64,
        rows: u64,
        differences: Vec<String>,
    },
    #[serde(other)]
    Unknown,
}

/// One view row of a snapshot.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub view: String,
    pub json: String,
}

/// The framing codec both sides use.
pub fn codec() -> LengthDelimitedCodec {
    LengthDelimitedCodec::builder().max_frame_length(MAX_FRAME).new_codec()
}

pub fn encode<T: Serialize>(msg: &T) -> Result<Bytes, serde_json::Error> {
    serde_json::to_vec(msg).map(Bytes::from)
}

/// The state as snapshot chunks.
pub fn snapshot(state: &State) -> Vec<Vec<Row>> {
    let rows: Vec<Row> = state
        .keys()
        .into_iter()
        .filter_map(|k| {
            let bytes = state.row(&k)?;
            Some(Row { view: k.view().name().to_string(), json: String::from_utf8(bytes).ok()? })
        })
        .collect();
    rows.chunks(SNAPSHOT_CHUNK).map(|c| c.to_vec()).collect()
}

/// Rebuilds a state from snapshot rows.
pub fn load_rows(state: &mut State, rows: &[Row]) -> Result<(), String> {
    for r in rows {
        let view =
            View::ALL.into_iter().find(|v| v.name() == r.view).ok_or_else(|| format!("unknown view {}", r.view))?;
        state.load_row(view, r.json.as_bytes()).map_err(|e| format!("{}: {e}", r.view))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Command;

    /// Every request a face sends survives the wire, a batch (imports through the daemon) too.
    #[test]
    fn requests_round_trip() {
        let req = Request { cmd_id: "i-1".into(), cmd: Command::Town { name: "镇".into() } };
        for up in [Up::Submit(req.clone()), Up::Batch { requests: vec![req.clone(), req] }, Up::Export, Up::Check] {
            let bytes = encode(&up).expect("encodes");
            let back: Up = serde_json::from_slice(&bytes).expect("decodes");
            assert_eq!(back, up);
        }
    }

    /// A fault reaches the face by kind, so it can say it in the face's language.
    #[test]
    fn a_fault_reply_round_trips() {
        use crate::api::{Fault, Refusal};
        let fault = Fault::ReadOnly { dir: "/srv/baogong".into() };
        let down = Down::Reply { cmd_id: "c-1".into(), reply: Err(Refusal::Fault(fault)) };
        let back: Down = serde_json::from_slice(&encode(&down).expect("encodes")).expect("decodes");
        assert_eq!(back, down);
    }
}
