//! The protocol between faces and the daemon: length-delimited frames (at most `MAX_FRAME`
//! bytes) carrying JSON messages, tagged enums with an `Unknown` fallback so that old and new
//! versions fail politely. A session opens with `Hello` → `Welcome` (or `Refused`, or `Busy`),
//! then a snapshot of the state in row chunks, then live events; commands go up as `Submit` and
//! come back as `Reply`. Every stream (snapshot rows, the exported log) is cut into chunks of at
//! most `CHUNK_BYTES` of JSON, never a fixed count; a message larger than a frame (one huge
//! event, a large import batch) travels as parts of one message (`Codec`), up to a limit.

use crate::api::{CmdId, Reply, Request};
use crate::domain::command::Event;
use crate::domain::state::State;
use crate::domain::Access;
use crate::store::rows::View;
use bytes::{BufMut, Bytes, BytesMut};
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use tokio_util::codec::{Decoder, Encoder, LengthDelimitedCodec};

pub const PROTOCOL_VERSION: u32 = 1;
/// The largest frame either side accepts.
pub const MAX_FRAME: usize = 1024 * 1024;
/// The largest message, in parts over several frames: what one stored event or one import
/// batch may take on the wire. Before the handshake the daemon takes one frame only.
pub const MAX_MESSAGE: usize = 64 * 1024 * 1024;
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
    #[serde(other)]
    Unknown,
}

/// One view row of a snapshot.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub view: String,
    pub json: String,
}

/// The first byte of a frame that carries a part of a message continued in the next frame.
/// JSON never holds this byte (serde_json escapes control characters), so a frame holding a
/// whole message, or the last part of one, never begins with it.
const PART: u8 = 0x01;

/// The framing both sides use: length-delimited frames of at most `MAX_FRAME` bytes; a message
/// larger than that goes as parts (frames beginning with `PART`) and the frame that ends it.
/// Messages beyond the limit (`MAX_MESSAGE` unless set lower) are an error either way.
pub struct Codec {
    frames: LengthDelimitedCodec,
    partial: BytesMut,
    limit: usize,
}

/// The framing codec both sides use.
pub fn codec() -> Codec {
    let frames = LengthDelimitedCodec::builder().max_frame_length(MAX_FRAME).new_codec();
    Codec { frames, partial: BytesMut::new(), limit: MAX_MESSAGE }
}

impl Codec {
    /// Sets the largest message taken or sent (the daemon takes one frame before the handshake).
    pub fn set_limit(&mut self, limit: usize) {
        self.limit = limit;
    }

    fn too_large(&self, len: usize) -> std::io::Error {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("a message of {len} bytes or more is larger than the {} allowed", self.limit),
        )
    }
}

impl Decoder for Codec {
    type Item = BytesMut;
    type Error = std::io::Error;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<BytesMut>, std::io::Error> {
        while let Some(mut frame) = self.frames.decode(src)? {
            let is_part = frame.first() == Some(&PART);
            if is_part {
                let _ = frame.split_to(1);
            }
            let len = self.partial.len().saturating_add(frame.len());
            if len > self.limit {
                self.partial = BytesMut::new();
                return Err(self.too_large(len));
            }
            if is_part {
                self.partial.extend_from_slice(&frame);
            } else if self.partial.is_empty() {
                return Ok(Some(frame));
            } else {
                self.partial.extend_from_slice(&frame);
                return Ok(Some(std::mem::take(&mut self.partial)));
            }
        }
        Ok(None)
    }
}

impl Encoder<Bytes> for Codec {
    type Error = std::io::Error;

    fn encode(&mut self, mut msg: Bytes, dst: &mut BytesMut) -> Result<(), std::io::Error> {
        if msg.len() > self.limit {
            return Err(self.too_large(msg.len()));
        }
        while msg.len() > MAX_FRAME {
            let head = msg.split_to(MAX_FRAME - 1);
            let mut part = BytesMut::with_capacity(MAX_FRAME);
            part.put_u8(PART);
            part.extend_from_slice(&head);
            self.frames.encode(part.freeze(), dst)?;
        }
        self.frames.encode(msg, dst)
    }
}

pub fn encode<T: Serialize>(msg: &T) -> Result<Bytes, serde_json::Error> {
    serde_json::to_vec(msg).map(Bytes::from)
}

/// The state as snapshot chunks of at most `CHUNK_BYTES` each.
pub fn snapshot(state: &State) -> Vec<Vec<Row>> {
    let rows: Vec<Row> = state
        .keys()
        .into_iter()
        .filter_map(|k| {
            let bytes = state.row(&k)?;
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

    /// A message larger than a frame goes as parts and comes back whole; a small one is one
    /// plain frame as before; beyond the limit either side refuses.
    #[test]
    fn messages_larger_than_a_frame_travel_in_parts() {
        let big = Bytes::from(vec![b'a'; 3 * MAX_FRAME + 17]);
        let small = Bytes::from_static(b"{\"type\":\"check\"}");
        let mut wire = BytesMut::new();
        let mut up = codec();
        up.encode(big.clone(), &mut wire).expect("encode big");
        up.encode(small.clone(), &mut wire).expect("encode small");
        assert_eq!(wire.len(), big.len() + 3 + small.len() + 4 * 5, "three parts, the rest, the small one");
        let mut back = codec();
        assert_eq!(back.decode(&mut wire).expect("decode").map(BytesMut::freeze), Some(big.clone()));
        assert_eq!(back.decode(&mut wire).expect("decode").map(BytesMut::freeze), Some(small));
        let mut strict = codec();
        strict.set_limit(MAX_FRAME);
        assert!(strict.encode(big.clone(), &mut BytesMut::new()).is_err());
        let mut wire = BytesMut::new();
        up.encode(big, &mut wire).expect("encode");
        assert!(strict.decode(&mut wire).is_err(), "parts past the limit are an error");
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
