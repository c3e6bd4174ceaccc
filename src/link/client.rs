//! The face's side of the socket: attach to the daemon (handshake, snapshot), send commands and
//! read their replies, and — for full-screen faces — a link task that keeps the face attached:
//! it reconnects with backoff when the daemon goes away and resends every command not yet
//! acknowledged with its original id, so each applies exactly once. Before a word is sent, the
//! socket's server must be the data directory's owner (or root): a user who bound the socket
//! while the daemon was down learns nothing, not even the Hello.

use crate::api::{CmdId, Listed, Query, Reply, Request};
use crate::domain::command::Event;
use crate::domain::state::State;
use crate::domain::{Access, Lang};
use crate::proto::{self, Down, FaceKind, Up, PROTOCOL_VERSION};
use chrono::{DateTime, FixedOffset};
use futures_util::{SinkExt, StreamExt};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::net::UnixStream;
use tokio::sync::mpsc;
use tokio_util::codec::Framed;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttachError {
    /// Nothing listens on the socket.
    NoDaemon(PathBuf),
    /// The daemon refused us (unlisted user, wrong point, protocol version ...).
    Refused(String),
    /// The daemon has no room for another connection now.
    Busy,
    /// The socket is served by someone other than the data directory's owner.
    Impostor { socket: PathBuf, server: String, owner: String },
    /// The connection broke.
    Lost(String),
}

impl std::fmt::Display for AttachError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AttachError::NoDaemon(p) => write!(
                f,
                "no baogong daemon is listening on {}; start one with `baogong serve --data {}`",
                p.display(),
                p.parent().map(|d| d.display().to_string()).unwrap_or_default()
            ),
            AttachError::Refused(r) => write!(f, "the daemon refused: {r}"),
            AttachError::Busy => f.write_str(crate::i18n::t(Lang::En, "link.busy")),
            AttachError::Impostor { socket, server, owner } => write!(
                f,
                "the socket {} is served by user {server}, not by the data directory's owner {owner}: refusing to send anything",
                socket.display()
            ),
            AttachError::Lost(r) => write!(f, "the connection to the daemon broke: {r}"),
        }
    }
}

impl std::error::Error for AttachError {}

impl AttachError {
    /// The error in the user's language.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            AttachError::Busy => crate::i18n::t(lang, "link.busy").to_string(),
            other => other.to_string(),
        }
    }
}

type Conn = Framed<UnixStream, tokio_util::codec::LengthDelimitedCodec>;

pub struct Session {
    framed: Conn,
    pub user: String,
    pub access: Access,
    pub now: DateTime<FixedOffset>,
}

/// Whether a daemon answers on the data directory's socket.
pub fn daemon_running(dir: &Path) -> bool {
    std::os::unix::net::UnixStream::connect(super::server::socket_path(dir)).is_ok()
}

/// Attaches as `face`; with `subscribe`, also receives the state.
pub async fn connect(dir: &Path, face: FaceKind, subscribe: bool) -> Result<(Session, Option<State>), AttachError> {
    let path = super::server::socket_path(dir);
    let stream = UnixStream::connect(&path).await.map_err(|_| AttachError::NoDaemon(path.clone()))?;
    check_server(dir, &path, &stream)?;
    let mut framed = Framed::new(stream, proto::codec());
    let hello = Up::Hello { protocol_version: PROTOCOL_VERSION, face, subscribe };
    let bytes = proto::encode(&hello).map_err(|e| AttachError::Lost(e.to_string()))?;
    if let Err(e) = framed.send(bytes).await {
        // A daemon with no room says so and hangs up at once, maybe before the Hello arrived:
        // what it said is still there to read.
        return Err(match tokio::time::timeout(Duration::from_millis(500), read(&mut framed)).await {
            Ok(Ok(Down::Busy)) => AttachError::Busy,
            Ok(Ok(Down::Refused { reason })) => AttachError::Refused(reason),
            _ => AttachError::Lost(e.to_string()),
        });
    }
    let mut session = match read(&mut framed).await? {
        Down::Welcome { user, access, now, .. } => Session { framed, user, access, now },
        Down::Refused { reason } => return Err(AttachError::Refused(reason)),
        Down::Busy => return Err(AttachError::Busy),
        other => return Err(AttachError::Lost(format!("unexpected first frame {other:?}"))),
    };
    if !subscribe {
        return Ok((session, None));
    }
    let mut state = State::default();
    loop {
        match session.recv().await? {
            Down::Rows { rows } => proto::load_rows(&mut state, &rows).map_err(AttachError::Lost)?,
            Down::Synced { last_seq, last_at } => {
                state.last_seq = last_seq;
                state.last_at = last_at;
                return Ok((session, Some(state)));
            }
            Down::Refused { reason } => return Err(AttachError::Refused(reason)),
            _ => {}
        }
    }
}

/// Refuses a socket served by anyone but the data directory's owner or root (root may do
/// anything on the host; the owner is who runs the daemon). Anyone else able to create files in
/// the directory could have bound the socket while the daemon was down.
fn check_server(dir: &Path, socket: &Path, stream: &UnixStream) -> Result<(), AttachError> {
    use std::os::unix::fs::MetadataExt;
    let lost = |e: std::io::Error| AttachError::Lost(e.to_string());
    let server = stream.peer_cred().map_err(lost)?.uid();
    let owner = std::fs::metadata(dir).map_err(lost)?.uid();
    if server == owner || server == 0 {
        return Ok(());
    }
    let name = |uid: u32| crate::config::user_name(uid).unwrap_or_else(|| format!("uid{uid}"));
    Err(AttachError::Impostor { socket: socket.to_path_buf(), server: name(server), owner: name(owner) })
}

/// The next message, put together first when it came in parts.
async fn read(framed: &mut Conn) -> Result<Down, AttachError> {
    let unreadable = |e: serde_json::Error| AttachError::Lost(format!("unreadable frame: {e}"));
    let mut parts = proto::Assembly::default();
    loop {
        let down: Down = match framed.next().await {
            Some(Ok(bytes)) => serde_json::from_slice(&bytes).map_err(unreadable)?,
            Some(Err(e)) => return Err(AttachError::Lost(e.to_string())),
            None => return Err(AttachError::Lost("the daemon closed the connection".into())),
        };
        let Down::Part(part) = down else { return Ok(down) };
        if let Some(json) = parts.add(part).map_err(AttachError::Lost)? {
            return serde_json::from_str(&json).map_err(unreadable);
        }
    }
}

impl Session {
    /// Sends `up`, in parts when it is larger than a frame (a large import batch).
    pub async fn send(&mut self, up: &Up) -> Result<(), AttachError> {
        let frames = proto::frames(up, Up::Part).map_err(|e| AttachError::Lost(e.to_string()))?;
        for bytes in frames {
            self.framed.feed(bytes).await.map_err(|e| AttachError::Lost(e.to_string()))?;
        }
        SinkExt::<bytes::Bytes>::flush(&mut self.framed).await.map_err(|e| AttachError::Lost(e.to_string()))
    }

    pub async fn recv(&mut self) -> Result<Down, AttachError> {
        read(&mut self.framed).await
    }

    /// Sends a command and waits for its reply (events arriving meanwhile are skipped).
    pub async fn submit(&mut self, req: Request) -> Result<Reply, AttachError> {
        let id = req.cmd_id.clone();
        self.send(&Up::Submit(req)).await?;
        loop {
            match self.recv().await? {
                Down::Reply { cmd_id, reply } if cmd_id == id => return Ok(reply),
                Down::Refused { reason } => return Err(AttachError::Refused(reason)),
                _ => {}
            }
        }
    }

    /// Sends commands to be applied together and waits for every reply, in order.
    pub async fn submit_batch(&mut self, reqs: Vec<Request>) -> Result<Vec<Reply>, AttachError> {
        let ids: Vec<CmdId> = reqs.iter().map(|r| r.cmd_id.clone()).collect();
        self.send(&Up::Batch { requests: reqs }).await?;
        let mut got: std::collections::HashMap<CmdId, Reply> = std::collections::HashMap::new();
        // A repeated id gets one reply per request, all alike: wait for each distinct id once.
        let distinct: std::collections::HashSet<&CmdId> = ids.iter().collect();
        while got.len() < distinct.len() {
            match self.recv().await? {
                Down::Reply { cmd_id, reply } if ids.contains(&cmd_id) => {
                    got.insert(cmd_id, reply);
                }
                Down::Refused { reason } => return Err(AttachError::Refused(reason)),
                _ => {}
            }
        }
        Ok(ids.iter().filter_map(|id| got.get(id).cloned()).collect())
    }

    /// The whole event log, in order.
    pub async fn export(&mut self, mut each: impl FnMut(&Event) -> std::io::Result<()>) -> Result<(), AttachError> {
        self.send(&Up::Export).await?;
        loop {
            match self.recv().await? {
                Down::Events { events, done } => {
                    for ev in &events {
                        each(ev).map_err(|e| AttachError::Lost(e.to_string()))?;
                    }
                    if done {
                        return Ok(());
                    }
                }
                Down::Refused { reason } => return Err(AttachError::Refused(reason)),
                _ => {}
            }
        }
    }

    /// A listing rendered by the daemon from its state.
    pub async fn listing(&mut self, query: Query, lang: Lang) -> Result<Listed, AttachError> {
        self.send(&Up::Listing { query, lang }).await?;
        loop {
            match self.recv().await? {
                Down::Listed(listed) => return Ok(*listed),
                Down::Refused { reason } => return Err(AttachError::Refused(reason)),
                _ => {}
            }
        }
    }

    /// Runs `check` in the daemon: (events, rows, differences).
    pub async fn check(&mut self) -> Result<(u64, u64, Vec<String>), AttachError> {
        self.send(&Up::Check).await?;
        loop {
            match self.recv().await? {
                Down::Checked { events, rows, differences } => return Ok((events, rows, differences)),
                Down::Refused { reason } => return Err(AttachError::Refused(reason)),
                _ => {}
            }
        }
    }
}

/// What the link task tells a full-screen face.
#[derive(Debug)]
pub enum LinkMsg {
    /// Attached (again): the whole state as of now.
    Attached {
        state: Box<State>,
        now: DateTime<FixedOffset>,
    },
    Event(Box<Event>),
    Reply {
        cmd_id: CmdId,
        reply: Reply,
    },
    /// Heartbeat with the daemon's clock.
    Beat(DateTime<FixedOffset>),
    /// The daemon went away at this time; the link keeps trying.
    Lost(DateTime<FixedOffset>),
    /// The daemon refused this face for good (unlisted user, wrong point, version).
    Refused(String),
}

/// Keeps a face attached: forwards what the daemon sends, sends the face's commands, and on a
/// lost connection reconnects with backoff (0.5 s doubling to 10 s) and resends every command
/// not yet acknowledged, with its original id. Ends when the face drops its sender.
pub async fn run_link(
    dir: PathBuf,
    face: FaceKind,
    to_face: mpsc::UnboundedSender<LinkMsg>,
    mut from_face: mpsc::UnboundedReceiver<Request>,
) {
    let mut pending: BTreeMap<CmdId, Request> = BTreeMap::new();
    let mut backoff = Duration::from_millis(500);
    let mut lost_reported = false;
    loop {
        match connect(&dir, face.clone(), true).await {
            Ok((mut session, state)) => {
                backoff = Duration::from_millis(500);
                lost_reported = false;
                let state = Box::new(state.unwrap_or_default());
                if to_face.send(LinkMsg::Attached { state, now: session.now }).is_err() {
                    return;
                }
                for req in pending.values() {
                    if session.send(&Up::Submit(req.clone())).await.is_err() {
                        break;
                    }
                }
                let silence = Duration::from_secs(proto::HEARTBEAT_SECS * 3);
                loop {
                    tokio::select! {
                        down = tokio::time::timeout(silence, session.recv()) => {
                            let msg = match down {
                                Ok(Ok(Down::Event(ev))) => LinkMsg::Event(ev),
                                Ok(Ok(Down::Reply { cmd_id, reply })) => {
                                    pending.remove(&cmd_id);
                                    LinkMsg::Reply { cmd_id, reply }
                                }
                                Ok(Ok(Down::Beat { now })) => LinkMsg::Beat(now),
                                Ok(Ok(Down::Refused { .. })) | Ok(Err(_)) | Err(_) => break,
                                Ok(Ok(_)) => continue,
                            };
                            if to_face.send(msg).is_err() {
                                return;
                            }
                        }
                        req = from_face.recv() => match req {
                            Some(req) => {
                                pending.insert(req.cmd_id.clone(), req.clone());
                                if session.send(&Up::Submit(req)).await.is_err() {
                                    break;
                                }
                            }
                            None => return,
                        },
                    }
                }
            }
            Err(AttachError::Refused(reason)) => {
                let _ = to_face.send(LinkMsg::Refused(reason));
                return;
            }
            Err(_) => {}
        }
        if !lost_reported {
            lost_reported = true;
            if to_face.send(LinkMsg::Lost(chrono::Local::now().fixed_offset())).is_err() {
                return;
            }
        }
        // Wait, but keep taking the face's commands so none is lost while away.
        let sleep = tokio::time::sleep(backoff);
        tokio::pin!(sleep);
        loop {
            tokio::select! {
                _ = &mut sleep => break,
                req = from_face.recv() => match req {
                    Some(req) => { pending.insert(req.cmd_id.clone(), req); }
                    None => return,
                },
            }
        }
        backoff = (backoff * 2).min(Duration::from_secs(10));
    }
}

/// Runs a future to completion on a small runtime (for one-shot subcommands).
pub fn block_on<F: std::future::Future>(f: F) -> std::io::Result<F::Output> {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    Ok(rt.block_on(f))
}
