//! The full-screen faces. `run_console` is the app loop: it owns the terminal, turns keys,
//! committed events, engine replies and the clock into `Msg`s for `update`, carries out the
//! effects (sending commands to the engine), and redraws only when something changed.

pub mod form;
pub mod i18n;
pub mod keymap;
pub mod model;
pub mod screens;
pub mod theme;
pub mod update;
pub mod widgets;

use crate::config::{self, Config};
use crate::domain::Lang;
use crate::engine::{Caller, Clock, EngineHandle, SystemClock};
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

/// Runs the duty officer's console over the embedded store at `dir`.
pub fn run_console(dir: &Path, config: &Config, lang: Lang) -> Result<()> {
    let mut engine = crate::cli::open_for_console(dir, config)?;
    let _ = engine.tick();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Incoming>();
    {
        let tx = tx.clone();
        engine.on_commit(move |ev| {
            let _ = tx.send(Incoming::Msg(Msg::Event(Box::new(ev.clone()))));
        });
    }
    let user = config::os_user();
    let mut model = Model::new(engine.state().clone(), engine.now(), lang, user.clone(), engine.thresholds().clone());
    let (handle, join) = EngineHandle::spawn_ticking(engine, std::time::Duration::from_secs(30));
    let theme = Theme::from_env(std::env::var("NO_COLOR").ok().as_deref());
    let caller = Caller::officer(&user, crate::domain::Face::Console);
    let runtime =
        tokio::runtime::Builder::new_current_thread().enable_all().build().wrap_err("starting the runtime")?;

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
                terminal.draw(|f| screens::render(&model, theme, f)).wrap_err("drawing the screen")?;
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
                    Effect::Submit(req) => {
                        let (handle, caller, tx) = (handle.clone(), caller.clone(), tx.clone());
                        let cmd_id = req.cmd_id.clone();
                        tokio::task::spawn_blocking(move || {
                            let reply = handle.submit(&caller, req);
                            let _ = tx.send(Incoming::Msg(Msg::Reply { cmd_id, reply }));
                        });
                    }
                }
            }
        }
        Ok(())
    });
    ratatui::restore();
    drop(handle);
    let _ = join.join();
    result
}
