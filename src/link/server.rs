//! The daemon's side: listens on `DIR/baogong.sock` (mode 0660), learns each caller's OS user
//! from the socket's peer credentials, maps it to a role, sends a snapshot and then every
//! committed event, runs the commands it receives through the engine (which enforces the role),
//! and sends a heartbeat. Garbage, oversized frames and wrong protocol versions are refused and
//! that connection closed; everyone else keeps being served. A connection must say Hello within
//! `HELLO_SECS`; one user holds at most `[limits] connections_per_user` connections at once, and
//! one over a cap is answered `Busy`. Every log line escapes the control characters of what it
//! quotes (`log`), so no id or note can forge a line.

use super::resolve_access;
use crate::api::{Caller, CmdId, Refusal, Request};
use crate::config::{self, Config};
use crate::domain::command::Event;
use crate::domain::Lang;
use crate::engine::EngineHandle;
use crate::proto::{self, Down, Up, PROTOCOL_VERSION};
use crate::store;
use color_eyre::eyre::{bail, Result, WrapErr};
use futures_util::{SinkExt, StreamExt};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::{UnixListener, UnixStream};
use tokio::sync::{broadcast, mpsc};
use tokio_util::codec::Framed;

/// What every connection shares.
#[derive(Clone)]
struct Shared {
    handle: EngineHandle,
    events: broadcast::Sender<Arc<Event>>,
    config: Arc<Config>,
    daemon_uid: u32,
    /// Connections open per uid.
    per_uid: Arc<Mutex<HashMap<u32, usize>>>,
}

/// Seconds a new connection has to say Hello.
const HELLO_SECS: u64 = 2;

/// One uid's claim on a connection; given back when dropped.
struct UidSlot {
    counts: Arc<Mutex<HashMap<u32, usize>>>,
    uid: u32,
}

impl UidSlot {
    /// A slot for `uid`, unless it already holds `cap` connections.
    fn take(counts: &Arc<Mutex<HashMap<u32, usize>>>, uid: u32, cap: usize) -> Option<UidSlot> {
        let mut map = counts.lock().unwrap_or_else(|p| p.into_inner());
        let n = map.entry(uid).or_default();
        if *n >= cap {
            return None;
        }
        *n += 1;
        Some(UidSlot { counts: counts.clone(), uid })
    }
}

impl Drop for UidSlot {
    fn drop(&mut self) {
        let mut map = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = map.get_mut(&self.uid) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                map.remove(&self.uid);
            }
        }
    }
}

/// The socket path for a data directory.
pub fn socket_path(dir: &Path) -> PathBuf {
    dir.join(proto::SOCKET)
}

/// Where the daemon's log goes: a file given with `serve --log`, else stderr.
static LOG_FILE: std::sync::OnceLock<std::sync::Mutex<std::fs::File>> = std::sync::OnceLock::new();

/// Writes one line to the daemon's log; whatever `msg` quotes (ids, names, reasons) has its
/// control characters escaped, so it stays one line.
fn log(msg: &str) {
    use std::io::Write;
    let msg = crate::text::escape_controls(msg);
    let line = format!("{} baogong: {msg}\n", chrono::Local::now().format("%Y-%m-%d %H:%M:%S"));
    match LOG_FILE.get() {
        Some(f) => {
            if let Ok(mut f) = f.lock() {
                let _ = f.write_all(line.as_bytes());
            }
        }
        None => eprint!("{line}"),
    }
}

/// Runs the daemon until SIGTERM or SIGINT; the store is flushed and the socket removed on exit.
/// Logs go to `log_file` (appended) or stderr.
pub fn serve(dir: &Path, config: Config, log_file: Option<&Path>) -> Result<()> {
    if let Some(path) = log_file {
        let f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .wrap_err_with(|| format!("opening the log file {}", path.display()))?;
        let _ = LOG_FILE.set(std::sync::Mutex::new(f));
    }
    let sock = socket_path(dir);
    if sock.exists() {
        if std::os::unix::net::UnixStream::connect(&sock).is_ok() {
            bail!("another baogong daemon is already serving {} (socket {})", dir.display(), sock.display());
        }
        std::fs::remove_file(&sock).wrap_err_with(|| format!("removing the stale socket {}", sock.display()))?;
        log(&format!("removed a stale socket {}", sock.display()));
    }
    store::declare_holder(store::Holder::Daemon);
    let mut engine = super::local::open_engine(dir, &config)?;
    if let Some(up) = &config.uplink {
        crate::uplink::check_code(&engine.state().settings.code, up).map_err(|e| color_eyre::eyre::eyre!(e))?;
    }
    let _ = engine.tick();
    let (events, _) = broadcast::channel::<Arc<Event>>(4096);
    {
        let events = events.clone();
        engine.on_commit(move |ev| {
            let _ = events.send(Arc::new(ev.clone()));
        });
    }
    let (handle, join) = EngineHandle::spawn_ticking(engine, Duration::from_secs(30));
    // SAFETY: getuid has no preconditions and cannot fail.
    let daemon_uid = unsafe { libc::getuid() };
    let per_uid = Arc::new(Mutex::new(HashMap::new()));
    let shared = Shared { handle: handle.clone(), events, config: Arc::new(config), daemon_uid, per_uid };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .wrap_err("starting the runtime")?;
    let result = runtime.block_on(async {
        let listener = bind(&sock)?;
        log(&format!("serving {} on {} (pid {})", dir.display(), sock.display(), std::process::id()));
        if let Some(config) = shared.config.uplink.clone() {
            let events = shared.events.subscribe();
            let up = crate::uplink::Uplink { dir: dir.to_path_buf(), config, handle: handle.clone(), events, log };
            tokio::spawn(up.run());
        }
        accept_until_signal(listener, shared).await
    });
    let _ = std::fs::remove_file(&sock);
    drop(handle);
    runtime.shutdown_timeout(Duration::from_secs(2));
    let _ = join.join();
    log("stopped; the store is flushed");
    result
}

/// Listens on the socket, created 0660 from the start (no moment at the umask's mode).
fn bind(sock: &Path) -> Result<UnixListener> {
    use std::os::unix::fs::PermissionsExt;
    // SAFETY: umask has no preconditions; restored right after the bind.
    let old_mask = unsafe { libc::umask(0o117) };
    let bound = UnixListener::bind(sock);
    // SAFETY: as above.
    unsafe { libc::umask(old_mask) };
    let listener = bound.wrap_err_with(|| format!("listening on {}", sock.display()))?;
    std::fs::set_permissions(sock, std::fs::Permissions::from_mode(0o660))
        .wrap_err_with(|| format!("setting the mode of {}", sock.display()))?;
    Ok(listener)
}

/// Serves each connection on a task of its own, up to the caps (in all, and per uid), until
/// SIGTERM or SIGINT.
async fn accept_until_signal(listener: UnixListener, shared: Shared) -> Result<()> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate()).wrap_err("SIGTERM handler")?;
    let mut int = signal(SignalKind::interrupt()).wrap_err("SIGINT handler")?;
    let slots = Arc::new(tokio::sync::Semaphore::new(connection_cap()));
    let per_user = shared.config.limits.connections_per_user;
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let Ok(uid) = stream.peer_cred().map(|c| c.uid()) else {
                        refuse_now(&stream, &Down::Refused { reason: "cannot read the caller's credentials".into() });
                        continue;
                    };
                    let mine = UidSlot::take(&shared.per_uid, uid, per_user);
                    match (mine, slots.clone().try_acquire_owned()) {
                        (Some(mine), Ok(slot)) => {
                            let shared = shared.clone();
                            tokio::spawn(connection(stream, uid, shared, (mine, slot)));
                        }
                        // Full: say so without waiting and hang up at once, rather than
                        // run out of file descriptors.
                        _ => refuse_now(&stream, &Down::Busy),
                    }
                }
                Err(e) => {
                    // Out of descriptors or similar: do not spin; the cap makes this rare.
                    log(&format!("accept failed: {e}"));
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            },
            _ = term.recv() => return Ok(()),
            _ = int.recv() => return Ok(()),
        }
    }
}

/// The most connections served at once.
const MAX_CONNECTIONS: usize = 1024;
/// File descriptors kept free for the store, the log and refusing a connection over the cap.
const FD_RESERVE: usize = 64;

/// How many connections may be open at once: `MAX_CONNECTIONS`, or fewer when the process's
/// file-descriptor limit would run out first.
fn connection_cap() -> usize {
    let mut lim = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit only writes the struct it is given.
    let soft = if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) } == 0 {
        usize::try_from(lim.rlim_cur).unwrap_or(usize::MAX)
    } else {
        MAX_CONNECTIONS
    };
    soft.saturating_sub(FD_RESERVE).clamp(8, MAX_CONNECTIONS)
}

type Conn = Framed<UnixStream, tokio_util::codec::LengthDelimitedCodec>;

/// Sends `msg`; false when the connection is gone. A message beyond what the protocol carries
/// (an event of more than `proto::MAX_MESSAGE`) is refused by its size instead, and logged.
async fn send(framed: &mut Conn, msg: &Down) -> bool {
    let frames = match proto::frames(msg, Down::Part) {
        Ok(frames) => frames,
        Err(e) => {
            let reason = format!("{e}; stop the daemon and run the command without it");
            log(&reason);
            refuse(framed, reason).await;
            return false;
        }
    };
    for bytes in frames {
        if framed.feed(bytes).await.is_err() {
            return false;
        }
    }
    SinkExt::<bytes::Bytes>::flush(framed).await.is_ok()
}

async fn refuse(framed: &mut Conn, reason: String) {
    if let Ok(bytes) = proto::encode(&Down::Refused { reason }) {
        let _ = framed.send(bytes).await;
    }
}

/// Writes a refusal if the socket takes it at once (it is small), then the caller drops it.
fn refuse_now(stream: &UnixStream, refusal: &Down) {
    use tokio_util::codec::Encoder;
    let Ok(msg) = proto::encode(refusal) else { return };
    let mut buf = bytes::BytesMut::new();
    if proto::codec().encode(msg, &mut buf).is_ok() {
        let _ = stream.try_write(&buf);
    }
}

/// Serves one connection, holding its slots (the uid's and the daemon's) until it ends.
async fn connection(stream: UnixStream, uid: u32, shared: Shared, slots: (UidSlot, tokio::sync::OwnedSemaphorePermit)) {
    let mut framed = Framed::new(stream, proto::codec());
    // Declared after the connection, so given back before it closes: a caller that saw the
    // close and connects again finds its slot free.
    let _slots = slots;
    let user = config::user_name(uid).unwrap_or_else(|| format!("uid{uid}"));
    // The handshake must come promptly.
    let first = tokio::time::timeout(Duration::from_secs(HELLO_SECS), framed.next()).await;
    let (face, subscribe) = match first {
        Ok(Some(Ok(bytes))) => match serde_json::from_slice::<Up>(&bytes) {
            Ok(Up::Hello { protocol_version, face, subscribe }) if protocol_version == PROTOCOL_VERSION => {
                (face, subscribe)
            }
            Ok(Up::Hello { protocol_version, .. }) => {
                refuse(
                    &mut framed,
                    format!(
                        "protocol version {protocol_version} is not spoken here (the daemon speaks {PROTOCOL_VERSION}); run the same baogong version on both sides"
                    ),
                )
                .await;
                return;
            }
            Ok(_) => return refuse(&mut framed, "expected a Hello first".into()).await,
            Err(e) => return refuse(&mut framed, format!("not a baogong frame: {e}")).await,
        },
        Ok(Some(Err(e))) => return refuse(&mut framed, format!("bad frame: {e}")).await,
        Ok(None) => return,
        Err(_) => return refuse(&mut framed, format!("no Hello within {HELLO_SECS} seconds")).await,
    };
    let access = match resolve_access(&user, uid == shared.daemon_uid, &shared.config, &face) {
        Ok(a) => a,
        Err(reason) => {
            log(&format!("refused {user}: {reason}"));
            return refuse(&mut framed, reason).await;
        }
    };
    let now = chrono::Local::now().fixed_offset();
    let welcome = Down::Welcome { protocol_version: PROTOCOL_VERSION, user: user.clone(), access: access.clone(), now };
    if !send(&mut framed, &welcome).await {
        return;
    }
    let caller = Caller { user, access, face: face.face() };
    let events = shared.events.subscribe();
    let mut synced_to = 0;
    if subscribe {
        let a = caller.access.clone();
        let snap = shared.handle.with(move |e| (proto::snapshot(e.state(), &a), e.state().last_seq, e.state().last_at));
        let Some((chunks, last_seq, last_at)) = snap else { return };
        for rows in chunks {
            if !send(&mut framed, &Down::Rows { rows }).await {
                return;
            }
        }
        if !send(&mut framed, &Down::Synced { last_seq, last_at }).await {
            return;
        }
        synced_to = last_seq;
    }
    // Subscribed before the snapshot was taken, so no event falls between the two.
    serve_connection(framed, shared, caller, subscribe, events, synced_to).await;
}

async fn serve_connection(
    mut framed: Conn,
    shared: Shared,
    caller: Caller,
    subscribe: bool,
    mut events: broadcast::Receiver<Arc<Event>>,
    synced_to: u64,
) {
    let (reply_tx, mut reply_rx) = mpsc::unbounded_channel::<Down>();
    let mut beat = tokio::time::interval(Duration::from_secs(proto::HEARTBEAT_SECS));
    let mut parts = proto::Assembly::default();
    loop {
        tokio::select! {
            frame = framed.next() => {
                let bytes = match frame {
                    Some(Ok(b)) => b,
                    Some(Err(e)) => return refuse(&mut framed, format!("bad frame: {e}")).await,
                    None => return,
                };
                let up = match serde_json::from_slice::<Up>(&bytes) {
                    Ok(Up::Part(part)) => match parts.add(part) {
                        Ok(None) => continue,
                        Ok(Some(json)) => serde_json::from_str::<Up>(&json),
                        Err(reason) => return refuse(&mut framed, reason).await,
                    },
                    other => other,
                };
                match up {
                    Ok(Up::Submit(req)) => submit(&shared, &caller, req, reply_tx.clone()),
                    Ok(Up::Batch { requests }) => submit_batch(&shared, &caller, requests, reply_tx.clone()),
                    Ok(Up::Export) => {
                        if let Some(reason) = export_refused(&shared, &caller) {
                            log(&format!("refused export to {}", caller.user));
                            if !send(&mut framed, &Down::Refused { reason }).await {
                                return;
                            }
                            continue;
                        }
                        if !export(&mut framed, &shared).await {
                            return;
                        }
                    }
                    Ok(Up::Check) => {
                        let report = shared.handle.with(|e| store::check(e.store()).map_err(|e| e.to_string()));
                        let msg = match report {
                            Some(Ok(r)) => Down::Checked { events: r.events, rows: r.rows, differences: r.differences },
                            Some(Err(e)) => Down::Refused { reason: e },
                            None => Down::Refused { reason: "the engine has stopped".into() },
                        };
                        if !send(&mut framed, &msg).await {
                            return;
                        }
                    }
                    Ok(Up::Listing { query, lang }) => {
                        let (config, access) = (shared.config.clone(), caller.access.clone());
                        let listed = shared.handle.with(move |e| crate::listing::render(e.state(), e.now(), &config, &access, &query, lang));
                        let msg = match listed {
                            Some(l) => Down::Listed(Box::new(l)),
                            None => Down::Refused { reason: "the engine has stopped".into() },
                        };
                        if !send(&mut framed, &msg).await {
                            return;
                        }
                    }
                    Ok(Up::Hello { .. }) => return refuse(&mut framed, "Hello was already received".into()).await,
                    Ok(Up::Unknown | Up::Part(_)) => return refuse(&mut framed, "unknown request".into()).await,
                    Err(e) => return refuse(&mut framed, format!("not a baogong frame: {e}")).await,
                }
            }
            Some(msg) = reply_rx.recv() => {
                if !send(&mut framed, &msg).await {
                    return;
                }
            }
            ev = events.recv(), if subscribe => match ev {
                Ok(ev) if ev.seq > synced_to => {
                    let Some(ev) = for_caller(&shared, &caller, ev) else { return };
                    if !send(&mut framed, &Down::Event(Box::new(ev))).await {
                        return;
                    }
                }
                Ok(_) => {}
                Err(broadcast::error::RecvError::Lagged(n)) => {
                    return refuse(&mut framed, format!("fell {n} events behind; reconnect for a fresh snapshot")).await;
                }
                Err(broadcast::error::RecvError::Closed) => return,
            },
            _ = beat.tick() => {
                if !send(&mut framed, &Down::Beat { now: chrono::Local::now().fixed_offset() }).await {
                    return;
                }
            }
        }
    }
}

/// A pushed event as the caller may receive it: one carrying personal data is masked against
/// the engine's state (`privacy::event`); others go as they are. `None`: the engine stopped.
fn for_caller(shared: &Shared, caller: &Caller, ev: Arc<Event>) -> Option<Event> {
    if !crate::domain::privacy::personal(&ev) {
        return Some((*ev).clone());
    }
    let access = caller.access.clone();
    shared.handle.with(move |e| crate::domain::privacy::event(e.state(), &ev, &access))
}

/// Why the event log may not be exported to this caller: it holds personal data (households
/// or hotline cases exist) and the caller is not an officer.
fn export_refused(shared: &Shared, caller: &Caller) -> Option<String> {
    if matches!(caller.access, crate::domain::Access::Officer) {
        return None;
    }
    let personal = shared.handle.with(|e| !e.state().households.is_empty() || !e.state().cases.is_empty());
    personal
        .unwrap_or(true)
        .then(|| crate::domain::Rejection::new("export", crate::domain::Reason::PersonalData).message(Lang::En))
}

fn submit(shared: &Shared, caller: &Caller, req: Request, tx: mpsc::UnboundedSender<Down>) {
    let (handle, caller) = (shared.handle.clone(), caller.clone());
    tokio::task::spawn_blocking(move || {
        let cmd_id = req.cmd_id.clone();
        let reply = handle.submit(&caller, req);
        match &reply {
            Err(Refusal::Rejected(r)) => log(&format!("refused {} from {}: {}", cmd_id, caller.user, r)),
            Err(Refusal::Fault(f)) => log(&format!("failed {} from {}: {}", cmd_id, caller.user, f.message(Lang::En))),
            Ok(_) => {}
        }
        let _ = tx.send(Down::Reply { cmd_id, reply });
    });
}

/// Applies commands together, all or nothing, on a blocking thread; one reply each.
fn submit_batch(shared: &Shared, caller: &Caller, reqs: Vec<Request>, tx: mpsc::UnboundedSender<Down>) {
    let (handle, caller) = (shared.handle.clone(), caller.clone());
    tokio::task::spawn_blocking(move || {
        let ids: Vec<CmdId> = reqs.iter().map(|r| r.cmd_id.clone()).collect();
        let batch: Vec<(Caller, Request)> = reqs.into_iter().map(|r| (caller.clone(), r)).collect();
        let replies = handle.with(move |e| e.submit_atomic(batch)).unwrap_or_default();
        for (cmd_id, reply) in ids.into_iter().zip(replies) {
            let _ = tx.send(Down::Reply { cmd_id, reply });
        }
    });
}

/// Streams the event log in chunks of at most `proto::CHUNK_BYTES` (an event larger than that
/// goes alone, in parts if larger than a frame). The log is read on the engine's thread a batch
/// at a time, each batch sized from the events read so far so that it holds about one chunk.
async fn export(framed: &mut Conn, shared: &Shared) -> bool {
    const MOST: usize = 500;
    let mut from = 1u64;
    let mut batch = 64usize;
    loop {
        let read = shared.handle.with(move |e| e.store().events_from(from, batch).map_err(|e| e.to_string()));
        let events = match read {
            Some(Ok(events)) => events,
            Some(Err(reason)) => return send(framed, &Down::Refused { reason }).await,
            None => return false,
        };
        let end = events.len() < batch;
        from = events.last().map_or(from, |ev| ev.seq.saturating_add(1));
        let bytes: usize = events.iter().map(proto::json_len).sum();
        batch = (proto::CHUNK_BYTES / (bytes / events.len().max(1)).max(1)).clamp(1, MOST);
        let mut chunks = proto::chunks(events, proto::CHUNK_BYTES);
        if chunks.is_empty() {
            chunks.push(Vec::new());
        }
        let n = chunks.len();
        for (i, events) in chunks.into_iter().enumerate() {
            if !send(framed, &Down::Events { events, done: end && i + 1 == n }).await {
                return false;
            }
        }
        if end {
            return true;
        }
    }
}
