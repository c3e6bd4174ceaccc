//! The full-screen faces. `run_console` is the app loop: it owns the terminal, turns keys,
//! committed events, engine replies and the clock into `Msg`s for `update`, carries out the
//! effects (sending commands to the engine), and redraws only when something changed.

pub mod chrome;
pub mod faces;
pub mod form;
pub mod keymap;
pub mod layers;
pub mod model;
pub mod panels;
pub mod theme;
pub mod update;
pub mod widgets;

use crate::api::Caller;
use crate::config::{self, Config};
use crate::domain::Lang;
use crate::engine::{Clock, EngineHandle, SystemClock};
use crate::link::client::LinkMsg;
use crate::proto::FaceKind;
use color_eyre::eyre::{Result, WrapErr};
use model::Model;
use std::path::Path;
use theme::Theme;
use update::{update, Effect, Msg};

/// What reaches the app loop.
enum Incoming {
    Msg(Msg),
    /// The terminal was resized: redraw.
    Redraw,
}

/// Makes a panic anywhere (a spawned thread included) restore the terminal and end the process.
fn install_panic_exit() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        previous(info);
        std::process::exit(101);
    }));
}

/// How the face reaches the engine.
enum Backend {
    /// The engine runs on a thread of this process over the local store.
    Embedded { handle: EngineHandle, join: std::thread::JoinHandle<crate::engine::Engine>, caller: Caller },
    /// A daemon owns the store; the link task carries commands to it.
    Daemon { submit: tokio::sync::mpsc::UnboundedSender<crate::api::Request> },
}

/// Runs a full-screen face (console, point, wall) until the user quits or a signal ends it:
/// attached to the daemon when one is running, else over the embedded store at `dir`.
pub fn run_face(dir: &Path, config: &Config, lang: Lang, face: FaceKind, rotate: u64) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .wrap_err("starting the runtime")?;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Incoming>();
    let user = config::os_user();
    let (backend, mut model) = if crate::link::client::daemon_running(dir) {
        let (link_tx, mut link_rx) = tokio::sync::mpsc::unbounded_channel();
        let (submit_tx, submit_rx) = tokio::sync::mpsc::unbounded_channel();
        runtime.spawn(crate::link::client::run_link(dir.to_path_buf(), face.clone(), link_tx, submit_rx));
        // The first answer decides: attached, or refused for good.
        let first = runtime.block_on(link_rx.recv());
        let (state, now) = match first {
            Some(LinkMsg::Attached { state, now }) => (*state, now),
            Some(LinkMsg::Refused(reason)) => {
                color_eyre::eyre::bail!("the daemon refused this {}: {reason}", face_name(&face))
            }
            _ => color_eyre::eyre::bail!("the daemon at {} went away while attaching; is it running?", dir.display()),
        };
        let tx2 = tx.clone();
        runtime.spawn(async move {
            while let Some(m) = link_rx.recv().await {
                let msg = match m {
                    LinkMsg::Attached { state, now } => Msg::Attached { state, now },
                    LinkMsg::Event(ev) => Msg::Event(ev),
                    LinkMsg::Reply { cmd_id, reply } => Msg::Reply { cmd_id, reply },
                    LinkMsg::Beat(_) => continue,
                    LinkMsg::Lost(since) => Msg::Conn(model::Conn::Disconnected { since }),
                    LinkMsg::Refused(reason) => Msg::Fatal(reason),
                };
                if tx2.send(Incoming::Msg(msg)).is_err() {
                    break;
                }
            }
        });
        let mut m = Model::new(state, now, lang, user.clone(), config.alerts.clone());
        m.conn = model::Conn::Connected;
        (Backend::Daemon { submit: submit_tx }, m)
    } else {
        let mut engine = crate::cli::open_for_console(dir, config)?;
        let _ = engine.tick();
        {
            let tx = tx.clone();
            engine.on_commit(move |ev| {
                let _ = tx.send(Incoming::Msg(Msg::Event(Box::new(ev.clone()))));
            });
        }
        let m = Model::new(engine.state().clone(), engine.now(), lang, user.clone(), engine.thresholds().clone());
        let access = match &face {
            FaceKind::Wall => crate::domain::Access::Viewer,
            FaceKind::Point { point } => crate::domain::Access::Point(point.clone()),
            FaceKind::Console | FaceKind::Cli => crate::domain::Access::Officer,
        };
        let caller = Caller { user: user.clone(), access, face: face.face() };
        let (handle, join) = EngineHandle::spawn_ticking(engine, std::time::Duration::from_secs(30));
        (Backend::Embedded { handle, join, caller }, m)
    };
    if let FaceKind::Point { point } = &face {
        if !model.state.points.contains_key(point) {
            let known: Vec<&String> = model.state.points.keys().collect();
            color_eyre::eyre::bail!(
                "there is no point {point}; the points are: {}",
                known.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
            );
        }
    }
    if let FaceKind::Point { point } = &face {
        model.stock_point = Some(point.clone());
        model.panel = model::Panel::Stock;
    }
    model.face = face;
    model.rotate = rotate;
    model.key_items = config.report.key_items.clone();
    model.plan_settings = config.plan.clone();
    model.ids = model::IdGen::new(crate::api::fresh_id(&user));
    let theme = Theme::from_env(std::env::var("NO_COLOR").ok().as_deref());

    let mut terminal = ratatui::init();
    install_panic_exit();
    {
        let tx = tx.clone();
        std::thread::spawn(move || loop {
            match crossterm::event::read() {
                Ok(crossterm::event::Event::Key(k)) => {
                    if tx.send(Incoming::Msg(Msg::Key(k))).is_err() {
                        break;
                    }
                }
                Ok(crossterm::event::Event::Resize(..)) => {
                    if tx.send(Incoming::Redraw).is_err() {
                        break;
                    }
                }
                Ok(_) => {}
                Err(_) => break,
            }
        });
    }
    let result: Result<()> = runtime.block_on(async {
        use tokio::signal::unix::{signal, SignalKind};
        let mut term = signal(SignalKind::terminate()).wrap_err("SIGTERM handler")?;
        let mut hup = signal(SignalKind::hangup()).wrap_err("SIGHUP handler")?;
        let mut clock = tokio::time::interval(std::time::Duration::from_millis(250));
        let mut dirty = true;
        loop {
            if dirty {
                terminal.draw(|f| faces::render(&model, theme, f)).wrap_err("drawing the screen")?;
                dirty = false;
            }
            let incoming = tokio::select! {
                i = rx.recv() => i,
                _ = clock.tick() => {
                    let now = SystemClock.now();
                    if now.timestamp() != model.now.timestamp() {
                        Some(Incoming::Msg(Msg::Tick(now)))
                    } else {
                        None
                    }
                }
                _ = term.recv() => break,
                _ = hup.recv() => break,
            };
            let msg = match incoming {
                Some(Incoming::Msg(m)) => m,
                Some(Incoming::Redraw) => {
                    dirty = true;
                    continue;
                }
                None => continue,
            };
            dirty = true;
            for effect in update(&mut model, msg) {
                match effect {
                    Effect::Quit => return Ok(()),
                    Effect::Submit(req) => match &backend {
                        Backend::Embedded { handle, caller, .. } => {
                            let (handle, caller, tx) = (handle.clone(), caller.clone(), tx.clone());
                            let cmd_id = req.cmd_id.clone();
                            tokio::task::spawn_blocking(move || {
                                let reply = handle.submit(&caller, req);
                                let _ = tx.send(Incoming::Msg(Msg::Reply { cmd_id, reply }));
                            });
                        }
                        Backend::Daemon { submit } => {
                            let _ = submit.send(req);
                        }
                    },
                }
            }
        }
        Ok(())
    });
    ratatui::restore();
    if let Backend::Embedded { handle, join, .. } = backend {
        drop(handle);
        let _ = join.join();
    }
    runtime.shutdown_timeout(std::time::Duration::from_millis(200));
    if let Some(reason) = model.fatal.take() {
        color_eyre::eyre::bail!("{reason}");
    }
    result
}

fn face_name(face: &FaceKind) -> String {
    match face {
        FaceKind::Console => "console".into(),
        FaceKind::Point { point } => format!("point terminal for {point}"),
        FaceKind::Wall => "wall display".into(),
        FaceKind::Cli => "command".into(),
    }
}
