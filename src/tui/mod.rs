//! The full-screen faces. `run_console` is the app loop: it owns the terminal, turns keys,
//! committed events, engine replies and the clock into `Msg`s for `update`, carries out the
//! effects (sending commands to the engine), and redraws only when something changed.

pub mod chrome;
pub mod county;
pub mod faces;
pub mod form;
pub mod keymap;
pub mod layers;
pub mod model;
pub mod panels;
pub mod screens;
pub mod theme;
pub mod update;
pub mod widgets;

use crate::config::{self, Config};
use crate::domain::Lang;
use crate::engine::{Clock, SystemClock};
use crate::i18n::t;
use crate::link::client::LinkMsg;
use crate::link::{Attached, FaceSender, Link};
use crate::proto::FaceKind;
use color_eyre::eyre::{Result, WrapErr};
use model::Model;
use std::path::Path;
use theme::Theme;
use tokio::sync::mpsc;
use update::{update, Effect, Msg};

/// What reaches the app loop.
enum Incoming {
    Msg(Box<Msg>),
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

/// Runs a full-screen face (console, point, wall) until the user quits or a signal ends it:
/// attached to the daemon when one is running, else over the embedded store at `dir`.
pub fn run_face(dir: &Path, config: &Config, lang: Lang, face: FaceKind, rotate: u64) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .wrap_err("starting the runtime")?;
    let OpenFace { mut model, msgs, sender } = open_face(dir, config, lang, face, rotate, &runtime)?;
    let (tx, rx) = mpsc::unbounded_channel::<Incoming>();
    runtime.spawn(forward_link(msgs, tx.clone()));
    let theme = Theme::from_env(std::env::var("NO_COLOR").ok().as_deref());
    let mut terminal = ratatui::init();
    install_panic_exit();
    spawn_terminal_reader(tx);
    let result = runtime.block_on(event_loop(&mut terminal, &mut model, theme, rx, &sender));
    ratatui::restore();
    sender.close();
    runtime.shutdown_timeout(std::time::Duration::from_millis(200));
    if let Some(reason) = model.fatal.take() {
        color_eyre::eyre::bail!("{reason}");
    }
    result
}

/// A face attached (to the daemon, else over the embedded store) with its model ready for the
/// first frame: what `run_face` draws, and what `benches/faces.rs` measures.
pub struct OpenFace {
    pub model: Model,
    /// Events, replies and the connection's ups and downs.
    pub msgs: mpsc::UnboundedReceiver<LinkMsg>,
    pub sender: FaceSender,
}

/// Attaches `face` and builds its model (its derived figures computed once).
pub fn open_face(
    dir: &Path,
    config: &Config,
    lang: Lang,
    face: FaceKind,
    rotate: u64,
    runtime: &tokio::runtime::Runtime,
) -> Result<OpenFace> {
    let Attached { state, now, remote, msgs, sender } = Link::open(dir, config, face.clone()).attach(runtime)?;
    let mut model = Model::new(state, now, lang, config::os_user(), config.alerts.clone());
    if remote {
        model.conn = model::Conn::Connected;
    }
    match prepare_model(&mut model, config, face, rotate) {
        Ok(()) => Ok(OpenFace { model, msgs, sender }),
        Err(e) => {
            sender.close();
            Err(e)
        }
    }
}

/// Sets the model up for its face: a point face opens on its own stock (the point must exist).
fn prepare_model(model: &mut Model, config: &Config, face: FaceKind, rotate: u64) -> Result<()> {
    if let FaceKind::Point { point } = &face {
        if !model.state.points.contains_key(point) {
            let known: Vec<&str> = model.state.points.keys().map(String::as_str).collect();
            let unknown =
                crate::domain::Rejection::new("point", crate::domain::Reason::UnknownPoint { code: point.clone() });
            let lang = model.lang;
            color_eyre::eyre::bail!("{}; {} {}", unknown.message(lang), t(lang, "cli.points_are"), known.join(", "));
        }
        model.stock_point = Some(point.clone());
        model.panel = model::Panel::Stock;
    }
    model.face = face;
    model.rotate = rotate;
    model.key_items = config.report.key_items.clone();
    model.plan_settings = config.plan.clone();
    model.demand = config.demand.clone();
    model.ids = model::IdGen::new(crate::api::fresh_id(&model.user));
    Ok(())
}

/// Turns what the link reports into the loop's messages.
async fn forward_link(mut msgs: mpsc::UnboundedReceiver<LinkMsg>, tx: mpsc::UnboundedSender<Incoming>) {
    while let Some(m) = msgs.recv().await {
        let msg = match m {
            LinkMsg::Attached { state, now } => Msg::Attached { state, now },
            LinkMsg::Event(ev) => Msg::Event(ev),
            LinkMsg::Reply { cmd_id, reply } => Msg::Reply { cmd_id, reply },
            LinkMsg::Beat(_) => continue,
            LinkMsg::Lost(since) => Msg::Conn(model::Conn::Disconnected { since }),
            LinkMsg::Refused(reason) => Msg::Fatal(reason),
        };
        if tx.send(Incoming::Msg(Box::new(msg))).is_err() {
            break;
        }
    }
}

/// Reads keys and resizes from the terminal on a thread of its own.
fn spawn_terminal_reader(tx: mpsc::UnboundedSender<Incoming>) {
    std::thread::spawn(move || loop {
        let incoming = match crossterm::event::read() {
            Ok(crossterm::event::Event::Key(k)) => Incoming::Msg(Box::new(Msg::Key(k))),
            Ok(crossterm::event::Event::Resize(..)) => Incoming::Redraw,
            Ok(_) => continue,
            Err(_) => break,
        };
        if tx.send(incoming).is_err() {
            break;
        }
    });
}

/// The app loop: redraws when something changed, feeds keys, link messages and the clock to
/// `update`, and carries out its effects. Ends on quit, SIGTERM or SIGHUP.
async fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    model: &mut Model,
    theme: Theme,
    mut rx: mpsc::UnboundedReceiver<Incoming>,
    sender: &FaceSender,
) -> Result<()> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate()).wrap_err("SIGTERM handler")?;
    let mut hup = signal(SignalKind::hangup()).wrap_err("SIGHUP handler")?;
    let mut clock = tokio::time::interval(std::time::Duration::from_millis(250));
    let mut dirty = Dirty::Frame;
    // The last whole frame, for redrawing only the clock line over it.
    let mut last = ratatui::buffer::Buffer::empty(ratatui::layout::Rect::ZERO);
    loop {
        if dirty == Dirty::Clock && !draw_clock_line(terminal, model, theme, &last)? {
            dirty = Dirty::Frame;
        }
        if dirty == Dirty::Frame {
            let frame = terminal.draw(|f| faces::render(model, theme, f)).wrap_err("drawing the screen")?;
            last.clone_from(frame.buffer);
        }
        dirty = Dirty::Clean;
        let incoming = tokio::select! {
            i = rx.recv() => i,
            _ = clock.tick() => {
                let now = SystemClock.now();
                (now.timestamp() != model.now.timestamp()).then_some(Incoming::Msg(Box::new(Msg::Tick(now))))
            }
            _ = term.recv() => return Ok(()),
            _ = hup.recv() => return Ok(()),
        };
        let msg = match incoming {
            Some(Incoming::Msg(m)) => *m,
            Some(Incoming::Redraw) => {
                dirty = Dirty::Frame;
                continue;
            }
            None => continue,
        };
        let mut quit = false;
        if burst(&mut rx, msg, BURST, |m| {
            quit = !handle(model, m, sender, &mut dirty);
            !quit
        }) {
            dirty = Dirty::Frame;
        }
        if quit {
            return Ok(());
        }
    }
}

/// A burst (a thousand events from other clients, an import's slices) is applied whole before
/// the next frame: `first`, then whatever is already queued, each given to `each` until it says
/// stop or `budget` has passed (so that keys still answer). True when a resize asked for a
/// redraw. O(queued messages) between two frames, not a frame per message.
fn burst(
    rx: &mut mpsc::UnboundedReceiver<Incoming>,
    first: Msg,
    budget: std::time::Duration,
    mut each: impl FnMut(Msg) -> bool,
) -> bool {
    let started = std::time::Instant::now();
    let mut next = Some(first);
    while let Some(msg) = next.take() {
        if !each(msg) || started.elapsed() >= budget {
            break;
        }
        next = match rx.try_recv() {
            Ok(Incoming::Msg(m)) => Some(*m),
            Ok(Incoming::Redraw) => return true,
            Err(_) => None,
        };
    }
    false
}

/// The longest a burst of queued messages delays the next frame.
const BURST: std::time::Duration = std::time::Duration::from_millis(100);

/// What the screen needs before the next wait, least first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Dirty {
    Clean,
    /// Only the seconds of the clock changed: its line is redrawn over the last frame.
    Clock,
    /// The whole frame.
    Frame,
}

/// Feeds one message to `update` and carries out its effects; false when the face quits. A
/// clock tick redraws the whole frame only when it would show something else than the clock's
/// seconds: a new minute (whatever the face reads with it: ages, the shift), the wall's zone
/// page turning every `rotate` seconds, a toast that expires; a new second redraws only the
/// clock line of the console and the point face (the wall's clock reads minutes).
fn handle(model: &mut Model, msg: Msg, sender: &FaceSender, dirty: &mut Dirty) -> bool {
    let shown = matches!(msg, Msg::Tick(_)).then(|| (time_shown(model), model.toast.is_some(), model.now.timestamp()));
    for effect in update(model, msg) {
        match effect {
            Effect::Quit => return false,
            Effect::Submit(req) => sender.submit(req),
        }
    }
    let needs = match shown {
        Some((shown, toast, _)) if shown != time_shown(model) || toast != model.toast.is_some() => Dirty::Frame,
        Some((_, _, second)) if second != model.now.timestamp() && model.face != FaceKind::Wall => Dirty::Clock,
        Some(_) => Dirty::Clean,
        None => Dirty::Frame,
    };
    *dirty = (*dirty).max(needs);
    true
}

/// What of the clock the face's screen shows beyond its seconds, as a number that changes
/// exactly when a whole frame would: the minute, and the zone page on the wall. O(1).
fn time_shown(model: &Model) -> (i64, u64) {
    let t = model.now.timestamp();
    match model.face {
        FaceKind::Wall => (t.div_euclid(60), (t.max(0) as u64).checked_div(model.rotate).unwrap_or(0)),
        _ => (t.div_euclid(60), 0),
    }
}

/// Redraws only the clock line over `last`, the last whole frame, and sends the cells that
/// changed (a dozen): an idle console costs O(width) a second, not a frame. False when that
/// cannot stand for a frame (a resize since, a layer open, the wall): draw the whole frame.
fn draw_clock_line(
    terminal: &mut ratatui::DefaultTerminal,
    model: &Model,
    theme: Theme,
    last: &ratatui::buffer::Buffer,
) -> Result<bool> {
    let size = terminal.size().wrap_err("reading the terminal's size")?;
    if ratatui::layout::Rect::from((ratatui::layout::Position::ORIGIN, size)) != last.area {
        return Ok(false);
    }
    let buf = terminal.current_buffer_mut();
    buf.clone_from(last);
    if !faces::render_clock_line(model, theme, buf) {
        return Ok(false);
    }
    terminal.flush().wrap_err("drawing the clock")?;
    terminal.swap_buffers();
    ratatui::backend::Backend::flush(terminal.backend_mut()).wrap_err("drawing the clock")?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    /// A thousand queued events are applied before one frame; a key after them is reached too,
    /// and a quit stops the burst; the budget bounds it.
    #[test]
    fn a_queued_burst_costs_one_frame() {
        let t0 = chrono::FixedOffset::east_opt(8 * 3600)
            .and_then(|tz| tz.with_ymd_and_hms(2026, 3, 10, 9, 0, 0).single())
            .expect("time");
        let (tx, mut rx) = mpsc::unbounded_channel();
        for s in 1..=1000 {
            tx.send(Incoming::Msg(Box::new(Msg::Tick(t0 + Duration::seconds(s))))).expect("queued");
        }
        let mut seen = 0;
        assert!(!burst(&mut rx, Msg::Tick(t0), std::time::Duration::from_secs(60), |_| {
            seen += 1;
            true
        }));
        assert_eq!(seen, 1001);
        tx.send(Incoming::Msg(Box::new(Msg::Tick(t0)))).expect("queued");
        tx.send(Incoming::Redraw).expect("queued");
        assert!(burst(&mut rx, Msg::Tick(t0), std::time::Duration::from_secs(60), |_| true));
        for _ in 0..3 {
            tx.send(Incoming::Msg(Box::new(Msg::Tick(t0)))).expect("queued");
        }
        let mut seen = 0;
        burst(&mut rx, Msg::Tick(t0), std::time::Duration::from_secs(60), |_| {
            seen += 1;
            seen < 2
        });
        assert_eq!((seen, rx.len()), (2, 2));
        let mut seen = 0;
        burst(&mut rx, Msg::Tick(t0), std::time::Duration::ZERO, |_| {
            seen += 1;
            true
        });
        assert_eq!((seen, rx.len()), (1, 2));
    }

    /// Whole frames change once a minute on every face (and at the wall's page turns); the
    /// console's seconds redraw only its clock line (`render_clock_line`).
    #[test]
    fn whole_frames_once_a_minute() {
        let t0 = chrono::FixedOffset::east_opt(8 * 3600)
            .and_then(|tz| tz.with_ymd_and_hms(2026, 3, 10, 9, 0, 0).single())
            .expect("time");
        let mut m = Model::new(Default::default(), t0, Lang::En, "u".into(), Default::default());
        let frames = |m: &mut Model| {
            let mut seen = std::collections::BTreeSet::new();
            for s in 0..120 {
                m.now = t0 + Duration::seconds(s);
                seen.insert(time_shown(m));
            }
            seen.len()
        };
        assert_eq!(frames(&mut m), 2);
        m.face = FaceKind::Wall;
        assert_eq!(frames(&mut m), 2);
        m.rotate = 20;
        assert_eq!(frames(&mut m), 6);
    }
}
