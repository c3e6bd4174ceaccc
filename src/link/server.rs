//! The daemon's side: listens on `DIR/baogong.sock` (mode 0660), learns each caller's OS user
//! from the socket's peer credentials, maps it to a role, sends a snapshot and then every
//! committed event, runs the commands it receives through the engine (which enforces the role),
//! and sends a heartbeat. Garbage, oversized frames and wrong protocol versions are refused and
//! that connection closed; everyone else keeps being served.

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
use std::path::{Path, PathBuf};
use std::sync::Arc;
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
}

/// The socket path for a data directory.
pub fn socket_path(dir: &Path) -> PathBuf {
    dir.join(proto::SOCKET)
}

/// Where the daemon's log goes: a file given with `serve --log`, else stderr.
static LOG_FILE: std::sync::OnceLock<std::sync::Mutex<std::fs::File>> = std::sync::OnceLock::new();

fn log(msg: &str) {
    use std::io::Write;
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
    let mut engine = super::local::open_engine(dir, &config)?;
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
    let shared = Shared { handle: handle.clone(), events, config: Arc::new(config), daemon_uid };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .wrap_err("starting the runtime")?;
    let result = runtime.block_on(async {
        let listener = bind(&sock)?;
        log(&format!("serving {} on {} (pid {})", dir.display(), sock.display(), std::process::id()));
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

/// Serves each connection on a task of its own, up to the cap, until SIGTERM or SIGINT.
async fn accept_until_signal(listener: UnixListener, shared: Shared) -> Result<()> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate()).wrap_err("SIGTERM handler")?;
    let mut int = signal(SignalKind::interrupt()).wrap_err("SIGINT handler")?;
    let slots = Arc::new(tokio::sync::Semaphore::new(connection_cap()));
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let shared = shared.clone();
                    match slots.clone().try_acquire_owned() {
                        Ok(slot) => {
                            tokio::spawn(async move {
                                connection(stream, shared).await;
                                drop(slot);
                            });
                        }
                        // Full: say so without waiting and hang up at once, rather than
                        // run out of file descriptors.
                        Err(_) => refuse_now(&stream, "too many connections; try again shortly"),
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

async fn send(framed: &mut Conn, msg: &Down) -> bool {
    match proto::encode(msg) {
        Ok(bytes) => framed.send(bytes).await.is_ok(),
        Err(_) => false,
    }
}

async fn refuse(framed: &mut Conn, reason: String) {
    let _ = send(framed, &Down::Refused { reason }).await;
}

/// Writes a refusal if the socket takes it at once (it is small), then the caller drops it.
fn refuse_now(stream: &UnixStream, reason: &str) {
    use tokio_util::codec::Encoder;
    let Ok(msg) = proto::encode(&Down::Refused { reason: reason.to_string() }) else { return };
    let mut buf = bytes::BytesMut::new();
    if proto::codec().encode(msg, &mut buf).is_ok() {
        let _ = stream.try_write(&buf);
    }
}

async fn connection(stream: UnixStream, shared: Shared) {
    let cred = stream.peer_cred();
    let mut framed = Framed::new(stream, proto::codec());
    let Ok(cred) = cred else {
        refuse(&mut framed, "cannot read the caller's credentials".into()).await;
        return;
    };
    let uid = cred.uid();
    let user = config::user_name(uid).unwrap_or_else(|| format!("uid{uid}"));
    // The handshake must come promptly.
    let first = tokio::time::timeout(Duration::from_secs(10), framed.next()).await;
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
        Err(_) => return refuse(&mut framed, "no Hello within 10 seconds".into()).await,
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
        let snap = shared.handle.with(|e| (proto::snapshot(e.state()), e.state().last_seq, e.state().last_at));
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
    loop {
        tokio::select! {
            frame = framed.next() => {
                let bytes = match frame {
                    Some(Ok(b)) => b,
                    Some(Err(e)) => return refuse(&mut framed, format!("bad frame: {e}")).await,
                    None => return,
                };
                match serde_json::from_slice::<Up>(&bytes) {
                    Ok(Up::Submit(req)) => submit(&shared, &caller, req, reply_tx.clone()),
                    Ok(Up::Batch { requests: reqs }) => {
                        let (handle, caller, tx) = (shared.handle.clone(), caller.clone(), reply_tx.clone());
                        tokio::task::spawn_blocking(move || {
                            let ids: Vec<CmdId> = reqs.iter().map(|r| r.cmd_id.clone()).collect();
                            let batch: Vec<(Caller, Request)> = reqs.into_iter().map(|r| (caller.clone(), r)).collect();
                            let replies = handle.with(move |e| e.submit_atomic(batch)).unwrap_or_default();
                            for (cmd_id, reply) in ids.into_iter().zip(replies) {
                                let _ = tx.send(Down::Reply { cmd_id, reply });
                            }
                        });
                    }
                    Ok(Up::Export) => {
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
                    Ok(Up::Hello { .. }) => return refuse(&mut framed, "Hello was already received".into()).await,
                    Ok(Up::Unknown) => return refuse(&mut framed, "unknown request".into()).await,
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
                    if !send(&mut framed, &Down::Event(Box::new((*ev).clone()))).await {
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

/// Streams the event log in chunks read one at a time on the engine's thread.
async fn export(framed: &mut Conn, shared: &Shared) -> bool {
    const CHUNK: usize = 500;
    let mut from = 1u64;
    loop {
        let chunk = shared.handle.with(move |e| e.store().events_from(from, CHUNK).map_err(|e| e.to_string()));
        let msg = match chunk {
            Some(Ok(events)) => {
                let done = events.len() < CHUNK;
                from = events.last().map_or(from, |ev| ev.seq + 1);
                Down::Events { events, done }
            }
            Some(Err(e)) => Down::Refused { reason: e },
            None => return false,
        };
        let last = !matches!(msg, Down::Events { done: false, .. });
        if !send(framed, &msg).await {
            return false;
        }
        if last {
            return true;
        }
    }
}
