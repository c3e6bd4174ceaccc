//! The command line: the top of the program. `run` parses nothing itself (see `args`) and only
//! dispatches: the faces to `tui` and `link::server`, each subcommand group to its file. Every
//! keyboard action of the console has a twin here. Output is a plain table for people or JSON
//! (`--json`) for scripts; a rejection goes to stderr with exit status 2. Every subcommand
//! reaches the engine through `link::Link`: no file here imports `engine` or `store`, and
//! nothing but `main.rs` imports this module.

pub mod args;
mod check;
mod county;
mod export;
mod hotline;
mod import;
mod init;
mod list;
mod log;
mod requests;
mod town;
mod uplink;
pub mod usage;

pub use args::Cli;
use args::Cmd;

use crate::config::{self, Config};
use crate::domain::{Lang, Rejection};
use crate::i18n::t;
use crate::link::Link;
use crate::proto::FaceKind;
use crate::text;
use color_eyre::eyre::Result;
use std::io::Write;
use std::path::Path;

/// How a run ended, for the exit code.
pub enum Exit {
    Ok,
    /// A command was rejected (exit 2).
    Rejected,
    /// `check` found differences (exit 1).
    Differences,
}

pub fn lang_of(cli: &Cli) -> Lang {
    match cli.lang {
        Some(l) => l.into(),
        None => Lang::from_env_vars(std::env::var("LC_ALL").ok().as_deref(), std::env::var("LANG").ok().as_deref()),
    }
}

/// Runs what the command line asks for.
pub fn run(cli: Cli) -> Result<Exit> {
    let lang = lang_of(&cli);
    crate::i18n::choose(lang);
    let dir = config::data_dir(cli.data.clone())?;
    let config = Config::load(&dir)?;
    let cmd = cli.command.unwrap_or(Cmd::Console);
    let out = &mut std::io::stdout().lock();
    let face = |face: FaceKind, rotate: u64| crate::tui::run_face(&dir, &config, lang, face, rotate).map(|()| Exit::Ok);
    let link = || Link::open(&dir, &config, FaceKind::Cli);
    match cmd {
        Cmd::Console => face(FaceKind::Console, 0),
        Cmd::Point { point } => face(FaceKind::Point { point }, 0),
        Cmd::Wall { rotate } => face(FaceKind::Wall, rotate),
        Cmd::Serve { log } => crate::link::server::serve(&dir, config.clone(), log.as_deref()).map(|()| Exit::Ok),
        Cmd::Init { scenario, empty, district, days, town, name } => {
            let seed = match (scenario, empty, district) {
                (_, true, _) => init::Seed::Empty,
                (_, _, true) => init::Seed::District { days },
                (Some(path), ..) => init::Seed::File(path),
                (None, ..) => init::Seed::Demo,
            };
            let naming = init::Naming { code: town, name };
            init::init(&mut link(), &dir, &seed, &naming, lang, out)
        }
        Cmd::Check => check::check(&mut link(), lang, out),
        Cmd::Export { what, format } => export::export(&mut link(), &dir, what, format, &config.alerts, lang, out),
        Cmd::Import { what, file } => import::import(&mut link(), what, &file, lang, out),
        Cmd::Log(cmd) => log::log(&mut link(), cmd, lang, out),
        Cmd::Ack { alert, id, json } => log::ack(&mut link(), alert, id, json, lang, out),
        Cmd::Level { level, id, json } => log::level(&mut link(), &level, id, json, lang, out),
        Cmd::Report(args::ReportCmd::Daily { date, format }) => {
            list::print(&mut link(), &list::daily_query(date.as_deref(), format, lang)?, &dir, lang, out)
        }
        Cmd::Plan(args) => list::print(&mut link(), &list::plan_query(args, lang)?, &dir, lang, out),
        Cmd::List(cmd) => match list::query(cmd) {
            Ok(query) => list::print(&mut link(), &query, &dir, lang, out),
            Err(r) => Ok(rejected(&r, lang)),
        },
        Cmd::Town { name, code, id, json } => town::town(&mut link(), name, code, id, json, lang, out),
        Cmd::Uplink(args::UplinkCmd::Status { json }) => uplink::status(&dir, &config, json, lang, out),
        Cmd::County { cmd } => county::run(&dir, &config, cmd, lang, out),
    }
}

/// The state to export from, with a word on stderr when the store is empty.
fn snapshot(
    link: &mut Link,
    dir: &Path,
    lang: Lang,
) -> Result<(crate::domain::State, chrono::DateTime<chrono::FixedOffset>)> {
    let (state, now) = link.snapshot()?;
    if state.last_seq == 0 {
        eprintln!("{} {}; {}", t(lang, "cli.store_empty"), dir.display(), t(lang, "cli.run_init"));
    }
    Ok((state, now))
}

/// Says why a command was rejected, on stderr.
fn rejected(rej: &Rejection, lang: Lang) -> Exit {
    eprintln!("{} {}", t(lang, "cli.rejected"), text::scrub(&rej.message(lang)));
    Exit::Rejected
}

fn write_json(out: &mut impl Write, v: &impl serde::Serialize) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, v)?;
    writeln!(out)?;
    Ok(())
}
