//! How a face or a subcommand reaches the engine. `Link::open` is the one place that decides:
//! the daemon's socket when a daemon serves the data directory (`remote`, over `client`),
//! else the engine in this process over the store (`local`). Through a `Link`: a snapshot of
//! the state, submitting one command or an all-or-nothing batch, exporting the event log,
//! `check`, and — for full-screen faces — `attach`, a live stream of events and replies.
//! `server` is the daemon's side of the socket. A daemon that holds the store but is still
//! starting (its socket not yet open) is waited for, up to `STARTING_WAIT`. Imports the engine,
//! store and protocol; never the faces (`cli`, `tui`).

pub mod client;
pub mod local;
pub mod remote;
pub mod server;

use crate::api::{Caller, Listed, Query, Reply, Request};
use crate::config::Config;
use crate::domain::command::Event;
use crate::domain::state::State;
use crate::domain::{Access, Lang};
use crate::engine::{Engine, EngineHandle};
use crate::proto::FaceKind;
use crate::store::{self, CheckReport, Holder};
use chrono::{DateTime, FixedOffset};
use client::LinkMsg;
use color_eyre::eyre::{bail, eyre, Result};
use local::{Exported, Local};
use remote::Remote;
use std::path::Path;
use tokio::sync::mpsc::{self, UnboundedReceiver, UnboundedSender};

/// How this process reaches the engine of a data directory.
pub enum Link {
    /// No daemon: the engine runs in this process over the store; attaching as this face.
    Local(Box<Local>, FaceKind),
    /// A daemon owns the store: every request goes over its socket.
    Remote(Remote),
}

impl Link {
    /// The daemon when one answers on the data directory's socket, else the local store
    /// (opened when first used). A local caller is the OS user with the access of `face`.
    pub fn open(dir: &Path, config: &Config, face: FaceKind) -> Link {
        if client::daemon_running(dir) || daemon_starting(dir) {
            return Link::Remote(Remote::new(dir, face));
        }
        store::declare_holder(match &face {
            FaceKind::Console => Holder::Console,
            FaceKind::Point { .. } => Holder::Point,
            FaceKind::Wall => Holder::Wall,
            FaceKind::Cli => Holder::Command,
        });
        let access = match &face {
            FaceKind::Wall => Access::Viewer,
            FaceKind::Point { point } => Access::Point(point.clone()),
            FaceKind::Console | FaceKind::Cli => Access::Officer,
        };
        let caller = Caller { user: crate::config::os_user(), access, face: face.face() };
        Link::Local(Box::new(Local::new(dir, config, caller)), face)
    }

    /// Runs `op` on this link. When the embedded store turns out to be held by a daemon that is
    /// starting (it claimed the store after `open` looked), waits for its socket and runs `op`
    /// again through it: nothing was done embedded, as the store never opened.
    fn run<T>(&mut self, mut op: impl FnMut(&mut Link) -> Result<T>) -> Result<T> {
        match op(self) {
            Err(e) if self.hand_over(&e) => op(self),
            other => other,
        }
    }

    /// Turns an embedded link whose store a starting daemon holds (`err` says so) into one
    /// through that daemon, once it serves; false when that is not the case.
    fn hand_over(&mut self, err: &color_eyre::Report) -> bool {
        let Link::Local(local, face) = self else { return false };
        if !held_by_starting_daemon(err, local.dir()) {
            return false;
        }
        *self = Link::Remote(Remote::new(local.dir(), face.clone()));
        true
    }

    /// The state (alerts re-evaluated now) and the engine's time.
    pub fn snapshot(&mut self) -> Result<(State, DateTime<FixedOffset>)> {
        self.run(|link| match link {
            Link::Local(l, _) => l.snapshot(),
            Link::Remote(r) => r.snapshot(),
        })
    }

    /// A listing rendered from the state (`listing::render`): by the daemon from its own state,
    /// so only the rendered rows cross the socket, or here over the embedded engine's.
    pub fn listing(&mut self, query: &Query, lang: Lang) -> Result<Listed> {
        self.run(|link| match link {
            Link::Local(l, _) => l.listing(query, lang),
            Link::Remote(r) => r.listing(query.clone(), lang),
        })
    }

    /// One command, answered once it is durable (or refused).
    pub fn submit(&mut self, req: Request) -> Result<Reply> {
        self.run(|link| match link {
            Link::Local(l, _) => l.submit(req.clone()),
            Link::Remote(r) => r.submit(req.clone()),
        })
    }

    /// Commands applied together, all or nothing (an import): one reply each, in order.
    pub fn submit_atomic(&mut self, reqs: Vec<Request>) -> Result<Vec<Reply>> {
        self.run(|link| match link {
            Link::Local(l, _) => l.submit_atomic(reqs.clone()),
            Link::Remote(r) => r.submit_atomic(reqs.clone()),
        })
    }

    /// Every event of the log, in order, passed to `each`.
    pub fn export_events(&mut self, mut each: impl FnMut(&Event) -> std::io::Result<()>) -> Result<Exported> {
        self.run(|link| match link {
            Link::Local(l, _) => l.export_events(&mut each),
            Link::Remote(r) => {
                let mut events = 0;
                r.export_events(&mut |ev| {
                    events += 1;
                    each(ev)
                })?;
                Ok(Exported { events, salvaged_from: None })
            }
        })
    }

    /// Rebuilds every view from the event log and compares (in the daemon when it owns the store).
    pub fn check(&mut self) -> Result<CheckReport> {
        self.run(|link| match link {
            Link::Local(l, _) => l.check(),
            Link::Remote(r) => r.check(),
        })
    }

    /// The engine itself, for what only the store's owner may do (init, restore a backup).
    pub fn engine(&mut self) -> Result<&mut Engine> {
        match self {
            Link::Local(l, _) => l.engine(),
            Link::Remote(r) => Err(eyre!(
                "the store at {} is served by the running baogong daemon; this command needs the store itself: stop the daemon first (SIGTERM)",
                r.dir().display()
            )),
        }
    }

    /// Attaches a full-screen face: the state it starts from, then live events and replies.
    /// Locally the engine runs on its own thread (ticking every 30 s; the demo town is seeded
    /// into an empty store); remotely a link task stays attached, reconnecting as needed.
    pub fn attach(self, rt: &tokio::runtime::Runtime) -> Result<Attached> {
        match self {
            Link::Local(l, face) => {
                let dir = l.dir().to_path_buf();
                match attach_local(*l, rt) {
                    Err(e) if held_by_starting_daemon(&e, &dir) => attach_remote(&Remote::new(&dir, face), rt),
                    other => other,
                }
            }
            Link::Remote(r) => attach_remote(&r, rt),
        }
    }
}

/// How long a command waits for a daemon that holds the store to open its socket.
const STARTING_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// Whether the store is held by a daemon that is still starting, and it opened its socket within
/// `STARTING_WAIT`. A daemon killed before it cleared its claim is not waited for.
fn daemon_starting(dir: &Path) -> bool {
    let Some((pid, Some(Holder::Daemon))) = store::claimant(dir) else { return false };
    let deadline = std::time::Instant::now() + STARTING_WAIT;
    while alive(pid) && std::time::Instant::now() < deadline {
        if client::daemon_running(dir) {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    client::daemon_running(dir)
}

/// Whether `err` is the store at `dir` found held by a daemon, and that daemon, starting, opened
/// its socket within `STARTING_WAIT`.
fn held_by_starting_daemon(err: &color_eyre::Report, dir: &Path) -> bool {
    err.chain().any(|c| {
        matches!(
            c.downcast_ref::<store::StoreError>(),
            Some(store::StoreError::Locked { holder: Some(Holder::Daemon), .. })
        )
    }) && daemon_starting(dir)
}

/// Whether process `pid` exists (ours to signal or not).
fn alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else { return false };
    // SAFETY: signal 0 only checks that the process exists and may be signalled.
    unsafe { libc::kill(pid, 0) == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM) }
}

/// A full-screen face, attached.
pub struct Attached {
    pub state: State,
    pub now: DateTime<FixedOffset>,
    /// Attached to a daemon (the face then shows the connection's state).
    pub remote: bool,
    /// Events, replies and the connection's ups and downs.
    pub msgs: UnboundedReceiver<LinkMsg>,
    pub sender: FaceSender,
}

/// Carries a face's commands to the engine; each reply arrives as `LinkMsg::Reply`.
pub enum FaceSender {
    Local {
        handle: EngineHandle,
        join: std::thread::JoinHandle<Engine>,
        caller: Caller,
        replies: UnboundedSender<LinkMsg>,
        rt: tokio::runtime::Handle,
    },
    Remote(UnboundedSender<Request>),
}

impl FaceSender {
    pub fn submit(&self, req: Request) {
        match self {
            FaceSender::Local { handle, caller, replies, rt, .. } => {
                let (handle, caller, replies) = (handle.clone(), caller.clone(), replies.clone());
                rt.spawn_blocking(move || {
                    let cmd_id = req.cmd_id.clone();
                    let reply = handle.submit(&caller, req);
                    let _ = replies.send(LinkMsg::Reply { cmd_id, reply });
                });
            }
            FaceSender::Remote(submit) => {
                let _ = submit.send(req);
            }
        }
    }

    /// Stops the local engine (flushed) and waits for it.
    pub fn close(self) {
        if let FaceSender::Local { handle, join, .. } = self {
            drop(handle);
            let _ = join.join();
        }
    }
}

fn attach_local(local: Local, rt: &tokio::runtime::Runtime) -> Result<Attached> {
    let caller = local.caller().clone();
    let mut engine = local.into_face_engine()?;
    let _ = engine.tick();
    let (tx, msgs) = mpsc::unbounded_channel();
    {
        let tx = tx.clone();
        engine.on_commit(move |ev| {
            let _ = tx.send(LinkMsg::Event(Box::new(ev.clone())));
        });
    }
    let (state, now) = (engine.state().clone(), engine.now());
    let (handle, join) = EngineHandle::spawn_ticking(engine, std::time::Duration::from_secs(30));
    let sender = FaceSender::Local { handle, join, caller, replies: tx, rt: rt.handle().clone() };
    Ok(Attached { state, now, remote: false, msgs, sender })
}

fn attach_remote(remote: &Remote, rt: &tokio::runtime::Runtime) -> Result<Attached> {
    let (link_tx, mut msgs) = mpsc::unbounded_channel();
    let (submit_tx, submit_rx) = mpsc::unbounded_channel();
    rt.spawn(client::run_link(remote.dir().to_path_buf(), remote.face().clone(), link_tx, submit_rx));
    // The first answer decides: attached, or refused for good.
    let (state, now) = match rt.block_on(msgs.recv()) {
        Some(LinkMsg::Attached { state, now }) => (*state, now),
        Some(LinkMsg::Refused(reason)) => bail!("the daemon refused this {}: {reason}", face_name(remote.face())),
        _ => bail!("the daemon at {} went away while attaching; is it running?", remote.dir().display()),
    };
    Ok(Attached { state, now, remote: true, msgs, sender: FaceSender::Remote(submit_tx) })
}

fn face_name(face: &FaceKind) -> String {
    match face {
        FaceKind::Console => "console".into(),
        FaceKind::Point { point } => format!("point terminal for {point}"),
        FaceKind::Wall => "wall display".into(),
        FaceKind::Cli => "command".into(),
    }
}

/// The access a connection gets: the role configured for its OS user (the daemon's own user is
/// an officer), narrowed by the face it opens (a wall is a viewer; a point face is scoped to its
/// point). An error names the user and what to do.
pub fn resolve_access(user: &str, is_daemon_user: bool, config: &Config, face: &FaceKind) -> Result<Access, String> {
    let role = if is_daemon_user {
        Access::Officer
    } else {
        config.role_of(user).ok_or_else(|| {
            format!("user {user} is not listed in [access] of baogong.toml; ask the duty officer to add it (officer, viewer or point:<CODE>)")
        })?
    };
    match (face, role) {
        (FaceKind::Wall, _) => Ok(Access::Viewer),
        (FaceKind::Point { point }, Access::Officer) => Ok(Access::Point(point.clone())),
        (FaceKind::Point { point }, Access::Point(own)) if *point == own => Ok(Access::Point(own)),
        (FaceKind::Point { point }, Access::Point(own)) => {
            Err(format!("user {user} is the clerk of point {own}, not of {point}"))
        }
        (FaceKind::Point { .. }, Access::Viewer) => Ok(Access::Viewer),
        (_, role) => Ok(role),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(pairs: &[(&str, &str)]) -> Config {
        let mut c = Config::default();
        for (u, r) in pairs {
            c.access.insert(u.to_string(), r.to_string());
        }
        c
    }

    #[test]
    fn roles_are_narrowed_by_face() {
        let c = config(&[("clerk3", "point:P03"), ("screen", "viewer"), ("boss", "officer")]);
        assert_eq!(resolve_access("root", true, &c, &FaceKind::Console), Ok(Access::Officer));
        assert_eq!(resolve_access("boss", false, &c, &FaceKind::Wall), Ok(Access::Viewer));
        assert_eq!(resolve_access("screen", false, &c, &FaceKind::Console), Ok(Access::Viewer));
        assert_eq!(
            resolve_access("clerk3", false, &c, &FaceKind::Point { point: "P03".into() }),
            Ok(Access::Point("P03".into()))
        );
        assert_eq!(
            resolve_access("boss", false, &c, &FaceKind::Point { point: "P05".into() }),
            Ok(Access::Point("P05".into()))
        );
        let err = resolve_access("clerk3", false, &c, &FaceKind::Point { point: "P05".into() }).unwrap_err();
        assert!(err.contains("clerk of point P03"), "{err}");
        let err = resolve_access("mallory", false, &c, &FaceKind::Cli).unwrap_err();
        assert!(err.contains("user mallory is not listed"), "{err}");
    }
}
