//! The protocol between faces and the daemon: length-delimited frames (at most `MAX_FRAME`
//! bytes) carrying JSON messages, tagged enums with an `Unknown` fallback so that old and new
//! versions fail politely. A session opens with `Hello` → `Welcome` (or `Refused`, or `Busy`),
//! then a snapshot of the state in row chunks, then live events; commands go up as `Submit` and
//! come back as `Reply`. Every stream (snapshot rows, the exported log) is cut into chunks of at
//! most `CHUNK_BYTES` of JSON, never a fixed count; a message larger than a frame (one huge
//! event, a large import batch) travels as `Part` messages carrying pieces of its JSON
//! (`frames`), put together again by `Assembly`, up to `MAX_MESSAGE`. The framing itself
//! never changes: any frame, garbage or not, leaves the next one intact.

use crate::api::{CmdId, Listed, Query, Reply, Request};
use crate::domain::command::Event;
use crate::domain::state::State;
use crate::domain::{Access, Lang};
use crate::store::rows::View;
use bytes::Bytes;
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use tokio_util::codec::LengthDelimitedCodec;

pub const PROTOCOL_VERSION: u32 = 1;
/// The largest frame either side accepts.
pub const MAX_FRAME: usize = 1024 * 1024;
/// The largest message, in parts over several frames: what one stored event or one import
/// batch may take on the wire. Before the handshake the daemon takes no parts.
pub const MAX_MESSAGE: usize = 64 * 1024 * 1024;
/// The JSON one `Part` carries at most: escaped as a JSON string it may double, and still fits
/// a frame.
const PART_BYTES: usize = MAX_FRAME / 2 - 1024;
/// The JSON a stream's chunk (snapshot rows, exported events) holds at most, unless a single
/// item is larger on its own (it then goes alone).
pub const CHUNK_BYTES: usize = 256 * 1024;
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
    /// A piece of a message larger than a frame.
    Part(Part),
    /// Asks for one listing, rendered from the daemon's state in `lang`.
    Listing {
        query: Query,
        lang: Lang,
    },
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
    /// The daemon has no room for this connection now (too many open, in all or from this
    /// user); it closes the connection after it. Try again shortly.
    Busy,
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
    /// A piece of a message larger than a frame.
    Part(Part),
    /// The listing asked for.
    Listed(Box<Listed>),
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

/// A piece of the JSON of a message larger than a frame; `more` on all but the last.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Part {
    pub data: String,
    pub more: bool,
}

/// Why a message could not be sent.
#[derive(Debug)]
pub enum SendError {
    Json(serde_json::Error),
    /// Its JSON is larger than `MAX_MESSAGE` bytes.
    TooLarge(usize),
}

impl std::fmt::Display for SendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SendError::Json(e) => write!(f, "cannot encode the message: {e}"),
            SendError::TooLarge(n) => {
                write!(f, "a message of {n} bytes is larger than the {MAX_MESSAGE} bytes the socket carries")
            }
        }
    }
}

/// The frames that carry `msg`: itself when it fits a frame, else `Part`s (made by `part`).
pub fn frames<T: Serialize>(msg: &T, part: fn(Part) -> T) -> Result<Vec<Bytes>, SendError> {
    let json = serde_json::to_string(msg).map_err(SendError::Json)?;
    if json.len() <= MAX_FRAME {
        return Ok(vec![Bytes::from(json)]);
    }
    if json.len() > MAX_MESSAGE {
        return Err(SendError::TooLarge(json.len()));
    }
    let mut out = Vec::new();
    let mut rest = json.as_str();
    while !rest.is_empty() {
        let mut cut = PART_BYTES.min(rest.len());
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        let (head, tail) = rest.split_at(cut);
        out.push(encode(&part(Part { data: head.to_string(), more: !tail.is_empty() })).map_err(SendError::Json)?);
        rest = tail;
    }
    Ok(out)
}

/// Puts a message sent in `Part`s together again.
#[derive(Default)]
pub struct Assembly {
    json: String,
}

impl Assembly {
    /// Adds a part: the whole message's JSON once the last part came, or why it cannot be.
    pub fn add(&mut self, part: Part) -> Result<Option<String>, String> {
        if self.json.len().saturating_add(part.data.len()) > MAX_MESSAGE {
            self.json = String::new();
            return Err(format!("a message in parts larger than {MAX_MESSAGE} bytes"));
        }
        self.json.push_str(&part.data);
        Ok((!part.more).then(|| std::mem::take(&mut self.json)))
    }
}

/// The state as snapshot chunks of at most `CHUNK_BYTES` each.
pub fn snapshot(state: &State, access: &crate::domain::Access) -> Vec<Vec<Row>> {
    let rows: Vec<Row> = state
        .keys()
        .into_iter()
        .filter_map(|k| {
            let bytes = crate::domain::privacy::row(state, &k, access)?;
            Some(Row { view: k.view().name().to_string(), json: String::from_utf8(bytes).ok()? })
        })
        .collect();
    chunks(rows, CHUNK_BYTES)
}

/// Cuts `items` into chunks whose JSON takes at most `budget` bytes; an item larger than that
/// on its own goes alone. Every stream is cut this way, never by a count.
pub fn chunks<T: Serialize>(items: Vec<T>, budget: usize) -> Vec<Vec<T>> {
    let mut out: Vec<Vec<T>> = Vec::new();
    let mut current = Vec::new();
    let mut used = 0usize;
    for item in items {
        // The item's JSON and the comma before it.
        let size = json_len(&item).saturating_add(1);
        if !current.is_empty() && used.saturating_add(size) > budget {
            out.push(std::mem::take(&mut current));
            used = 0;
        }
        used = used.saturating_add(size);
        current.push(item);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// The bytes `item` takes as JSON, counted without building it.
pub fn json_len<T: Serialize>(item: &T) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 = self.0.saturating_add(buf.len());
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    // Counting cannot fail; a value serde cannot write counts as what was written before.
    let _ = serde_json::to_writer(&mut count, item);
    count.0
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
        let req = Request { cmd_id: "i-1".into(), cmd: Command::Town { name: "镇".into(), code: String::new() } };
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

    /// A message larger than a frame goes as parts that each fit one, and comes back whole; a
    /// small one is one plain frame as before; beyond `MAX_MESSAGE` it is refused.
    #[test]
    fn messages_larger_than_a_frame_travel_in_parts() {
        let quotes = "\"镇\\".repeat(MAX_FRAME);
        let big = Down::Refused { reason: quotes };
        let pieces = frames(&big, Down::Part).expect("frames");
        assert!(pieces.len() > 4, "{} frames", pieces.len());
        let mut whole = Assembly::default();
        let mut back = None;
        for f in &pieces {
            assert!(f.len() <= MAX_FRAME, "a frame of {}", f.len());
            let Ok(Down::Part(part)) = serde_json::from_slice::<Down>(f) else { panic!("not a part") };
            back = whole.add(part).expect("within the limit");
        }
        let back: Down = serde_json::from_str(&back.expect("complete")).expect("decodes");
        assert_eq!(back, big);
        assert_eq!(frames(&Up::Check, Up::Part).expect("frames"), vec![encode(&Up::Check).expect("encodes")]);
        let huge = Down::Refused { reason: "x".repeat(MAX_MESSAGE) };
        assert!(matches!(frames(&huge, Down::Part), Err(SendError::TooLarge(_))));
        let mut flood = Assembly::default();
        let piece = || Part { data: "x".repeat(MAX_FRAME), more: true };
        assert!((0..=MAX_MESSAGE / MAX_FRAME).any(|_| flood.add(piece()).is_err()), "parts past the limit");
    }

    /// Chunks keep to the byte budget whatever the sizes; an item larger than it goes alone.
    #[test]
    fn chunks_keep_to_the_byte_budget() {
        let items: Vec<String> = [10, 10, 10, 500, 10, 90, 90].iter().map(|n| "x".repeat(*n)).collect();
        let sizes: Vec<Vec<usize>> = chunks(items, 120).iter().map(|c| c.iter().map(String::len).collect()).collect();
        assert_eq!(sizes, vec![vec![10, 10, 10], vec![500], vec![10, 90], vec![90]]);
        assert!(chunks(Vec::<String>::new(), 120).is_empty());
    }
}
