//! The command line: parses arguments (clap) and runs the scriptable subcommands over the
//! engine. Every keyboard action of the console has a twin here. Output is a plain table for
//! people or JSON (`--json`) for scripts; a rejection goes to stderr with a non-zero exit.

use crate::api::{Caller, Outcome, Refusal, Request};
use crate::config::{self, Config};
use crate::domain::alerts::Alert;
use crate::domain::command::{AdjustReason, Command, Dest, Face, Source};
use crate::domain::reject::{Reason, Rejection};
use crate::domain::state::{Dispatch, State};
use crate::domain::{Fen, Lang, Qty, ResponseLevel};
use crate::engine::{Engine, SystemClock};
use crate::link::client;
use crate::proto::FaceKind;
use crate::scenario::{self, Scenario};
use crate::store;
use crate::text;
use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};
use color_eyre::eyre::{bail, eyre, Result, WrapErr};
use serde_json::json;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Parser, Debug)]
#[command(name = "baogong", version, about = "保供 supply-assurance operations console", long_about = None)]
pub struct Cli {
    /// Data directory (default: $BAOGONG_DATA, else $XDG_DATA_HOME/baogong).
    #[arg(long, global = true, env = "BAOGONG_DATA", value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Language of messages and screens (default from LC_ALL / LANG).
    #[arg(long, global = true, value_parser = ["zh", "en"])]
    pub lang: Option<String>,
    #[command(subcommand)]
    pub command: Option<Cmd>,
}

#[derive(Subcommand, Debug)]
pub enum Cmd {
    /// The duty console (the default).
    Console,
    /// Run the daemon that owns the store, so several faces can work at once.
    Serve {
        /// Append the log to this file instead of stderr.
        #[arg(long, value_name = "FILE")]
        log: Option<PathBuf>,
    },
    /// The delivery-point clerk's data-entry screen for one point.
    Point {
        /// The point's code (e.g. P03).
        point: String,
    },
    /// The read-only wall display for the command room.
    Wall {
        /// Seconds between zone pages (0: no rotation).
        #[arg(long, default_value_t = 10)]
        rotate: u64,
    },
    /// Create the store, seeded with the demo town (or a scenario file, or empty).
    Init {
        #[arg(long, conflicts_with = "empty", value_name = "FILE")]
        scenario: Option<PathBuf>,
        #[arg(long)]
        empty: bool,
    },
    /// Zones and their leads.
    Zones(ListArgs),
    /// Depots, delivery and convenience points.
    Points(ListArgs),
    /// Villages and communities with the point that serves them.
    Villages(ListArgs),
    /// Items with their reserve norms.
    Items(ListArgs),
    /// The leading group, zone leads, point managers and duty staff.
    People(ListArgs),
    /// The duty rota.
    Duty(ListArgs),
    /// Vehicles and their passes.
    Vehicles(ListArgs),
    /// Stock with days of cover and status, worst first.
    Stock {
        #[arg(long)]
        point: Option<String>,
        #[arg(long)]
        item: Option<String>,
        /// One row per item for the whole town.
        #[arg(long, conflicts_with = "point")]
        town: bool,
        /// One row per batch.
        #[arg(long, conflicts_with = "town")]
        batches: bool,
        #[arg(long)]
        json: bool,
    },
    /// Open alerts (all, with history, with --all).
    Alerts {
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
    },
    /// Dispatches: in transit, or all recent ones with --all.
    Dispatches {
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
    },
    /// Reports upward.
    #[command(subcommand)]
    Report(ReportCmd),
    /// Replenishment plan: suggested transfers to bring every point to its norm, reserve first,
    /// and what to request from the level above.
    Plan {
        /// Plan one item only.
        #[arg(long)]
        item: Option<String>,
        /// What-if: plan for this response level's demand (routine, level1 .. level4).
        #[arg(long)]
        level: Option<String>,
        #[arg(long, default_value = "text", value_parser = ["text", "md", "csv", "json"])]
        format: String,
        /// Same as --format json.
        #[arg(long)]
        json: bool,
    },
    /// Log an action.
    #[command(subcommand)]
    Log(LogCmd),
    /// Acknowledge an alert.
    Ack {
        alert: String,
        #[arg(long)]
        id: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Set the response level (routine, level1 .. level4).
    Level {
        level: String,
        #[arg(long)]
        id: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Export data; `events` writes the whole event log as JSON lines.
    Export {
        #[arg(value_parser = ["events", "stock", "dispatches", "alerts"])]
        what: String,
        /// For stock, dispatches and alerts: CSV (UTF-8 with BOM, for Excel/WPS) or JSON.
        #[arg(long, default_value = "csv", value_parser = ["csv", "json"])]
        format: String,
    },
    /// Import data: reference lists and opening stock from CSV (UTF-8 or GB18030), or
    /// `events`, which restores an exported event log into an empty store.
    Import {
        #[arg(value_parser = ["zones", "points", "villages", "items", "people", "duty", "stock", "events"])]
        what: String,
        file: PathBuf,
    },
    /// Rebuild every view from the event log and compare with the stored views.
    Check,
}

#[derive(Subcommand, Debug)]
pub enum ReportCmd {
    /// The daily report (日报) for a date: per point and key item, report status, town totals.
    Daily {
        /// The day reported on (default today).
        #[arg(long)]
        date: Option<String>,
        #[arg(long, default_value = "md", value_parser = ["md", "csv", "json"])]
        format: String,
    },
}

#[derive(Args, Debug)]
pub struct ListArgs {
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct Common {
    /// Client command id: resending it applies the command once.
    #[arg(long)]
    pub id: Option<String>,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Subcommand, Debug)]
pub enum LogCmd {
    /// Goods received at a point from a supplier, a donation or the level above.
    Restock {
        #[arg(long)]
        point: String,
        #[arg(long)]
        item: String,
        #[arg(long, allow_hyphen_values = true)]
        qty: String,
        #[arg(long, default_value = "supplier", value_parser = ["supplier", "donation", "reserve"])]
        source: String,
        #[arg(long)]
        batch: Option<String>,
        #[arg(long)]
        expiry: Option<String>,
        #[arg(long, default_value = "")]
        note: String,
        #[command(flatten)]
        common: Common,
    },
    /// Goods sent from a point to another point (transfer) or to a village (delivery).
    Dispatch {
        #[arg(long)]
        from: String,
        #[arg(long, required_unless_present = "to_village", conflicts_with = "to_village")]
        to_point: Option<String>,
        #[arg(long)]
        to_village: Option<String>,
        #[arg(long)]
        item: String,
        #[arg(long, allow_hyphen_values = true)]
        qty: String,
        #[arg(long)]
        vehicle: Option<String>,
        #[arg(long, default_value = "")]
        note: String,
        #[command(flatten)]
        common: Common,
    },
    /// Confirm a transfer arrived, in full or (with --qty) in part.
    Receive {
        #[arg(long)]
        dispatch: String,
        #[arg(long, allow_hyphen_values = true)]
        qty: Option<String>,
        #[arg(long, default_value = "")]
        note: String,
        #[command(flatten)]
        common: Common,
    },
    /// Stock-take: correct the stock by DELTA with a reason.
    Adjust {
        #[arg(long)]
        point: String,
        #[arg(long)]
        item: String,
        #[arg(long, allow_hyphen_values = true)]
        delta: String,
        #[arg(long, value_parser = ["counted", "damaged", "expired", "lost", "found"])]
        reason: String,
        #[arg(long)]
        batch: Option<String>,
        #[arg(long, default_value = "")]
        note: String,
        #[command(flatten)]
        common: Common,
    },
    /// The retail price of an item observed at a point.
    Price {
        #[arg(long)]
        point: String,
        #[arg(long)]
        item: String,
        #[arg(long, allow_hyphen_values = true)]
        yuan: String,
        #[command(flatten)]
        common: Common,
    },
    /// A point's daily report (or zero report) for a date (default today).
    Report {
        #[arg(long)]
        point: String,
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        zero: bool,
        #[arg(long, default_value = "")]
        note: String,
        #[command(flatten)]
        common: Common,
    },
    /// Hand the duty watch to the next officer.
    Handover {
        #[arg(long)]
        to: String,
        #[arg(long, default_value = "")]
        note: String,
        #[command(flatten)]
        common: Common,
    },
}

/// How a run ended, for the exit code.
pub enum Exit {
    Ok,
    /// A command was rejected (exit 2).
    Rejected,
    /// `check` found differences (exit 1).
    Differences,
}

pub fn lang_of(cli: &Cli) -> Lang {
    match cli.lang.as_deref() {
        Some(l) => Lang::from_locale(l),
        None => Lang::from_env_vars(std::env::var("LC_ALL").ok().as_deref(), std::env::var("LANG").ok().as_deref()),
    }
}

pub fn open_engine(dir: &Path, config: &Config) -> Result<Engine> {
    match Engine::open(dir, Arc::new(SystemClock), config.alerts.clone()) {
        Ok(e) => Ok(e),
        Err(store::StoreError::Locked { .. }) if client::daemon_running(dir) => Err(eyre!(
            "the store at {} is served by the running baogong daemon; this command needs the store itself: stop the daemon first (SIGTERM)",
            dir.display()
        )),
        Err(e) => Err(e.into()),
    }
}

/// Seeds the demo town into an empty store at `dir`.
pub fn seed_demo(engine: &mut Engine) -> Result<scenario::SeedSummary> {
    let sc = Scenario::demo()?;
    let now = engine.now();
    scenario::seed(engine, &sc, now)
}

pub fn run(cli: Cli) -> Result<Exit> {
    let lang = lang_of(&cli);
    let dir = config::data_dir(cli.data.clone())?;
    let config = Config::load(&dir)?;
    let cmd = cli.command.unwrap_or(Cmd::Console);
    let out = &mut std::io::stdout().lock();
    match cmd {
        Cmd::Console => {
            crate::tui::run_face(&dir, &config, lang, FaceKind::Console, 0)?;
            Ok(Exit::Ok)
        }
        Cmd::Init { scenario, empty } => {
            let mut engine = open_engine(&dir, &config)?;
            if !engine.store().is_empty() {
                bail!(
                    "the store at {} already holds {} events; init works only on an empty data directory",
                    dir.display(),
                    engine.store().last_seq()?
                );
            }
            if empty {
                writeln!(out, "{}", lang.pick("empty store created at ", "已创建空数据库:"))?;
                writeln!(out, "{}", dir.display())?;
                return Ok(Exit::Ok);
            }
            let sc = match scenario {
                Some(path) => Scenario::load(&path)?,
                None => Scenario::demo()?,
            };
            let now = engine.now();
            let summary = scenario::seed(&mut engine, &sc, now)?;
            writeln!(
                out,
                "{} {} ({} {}) {}",
                lang.pick("seeded", "已初始化"),
                sc.town.name,
                summary.events,
                lang.pick("events", "条事件"),
                dir.display()
            )?;
            Ok(Exit::Ok)
        }
        Cmd::Check => {
            let report = if client::daemon_running(&dir) {
                let (events, rows, differences) = client::block_on(async {
                    let (mut session, _) = client::connect(&dir, FaceKind::Cli, false).await?;
                    session.check().await
                })??;
                store::CheckReport { events, rows, differences }
            } else {
                let store = store::Store::open(&dir)?;
                store::check(&store)?
            };
            for d in &report.differences {
                writeln!(out, "{d}")?;
            }
            writeln!(
                out,
                "{} {} {}, {} {}: {}",
                lang.pick("checked", "已检查"),
                report.events,
                lang.pick("events", "条事件"),
                report.rows,
                lang.pick("view rows", "行视图"),
                if report.is_clean() {
                    lang.pick("no differences", "无差异").to_string()
                } else {
                    format!("{} {}", report.differences.len(), lang.pick("differences", "处差异"))
                }
            )?;
            Ok(if report.is_clean() { Exit::Ok } else { Exit::Differences })
        }
        Cmd::Export { ref what, .. } if what == "events" && client::daemon_running(&dir) => {
            client::block_on(async {
                let (mut session, _) = client::connect(&dir, FaceKind::Cli, false).await?;
                session
                    .export(|ev| {
                        serde_json::to_writer(&mut *out, ev)?;
                        out.write_all(b"\n")
                    })
                    .await
            })??;
            Ok(Exit::Ok)
        }
        Cmd::Import { what, file } if what != "events" => import_csv(&dir, &config, &what, &file, lang, out),
        Cmd::Import { file, .. } => {
            let mut engine = open_engine(&dir, &config)?;
            let n = crate::backup::restore(&mut engine, &file)?;
            writeln!(out, "{} {n} {}", lang.pick("restored", "已恢复"), lang.pick("events", "条事件"))?;
            Ok(Exit::Ok)
        }
        Cmd::Export { ref what, .. } if what == "events" => export_events(&dir, out),
        Cmd::Log(log) => {
            let today = chrono::Local::now().date_naive();
            let (req, json) = match log_request(log, today) {
                Ok(r) => r,
                Err(rej) => return Ok(rejected(&rej, lang)),
            };
            submit(&dir, &config, req, json, lang, out)
        }
        Cmd::Ack { alert, id, json } => {
            let req = Request { cmd_id: id.unwrap_or_default(), cmd: Command::Ack { alert } };
            submit(&dir, &config, req, json, lang, out)
        }
        Cmd::Level { level, id, json } => {
            let Some(level) = ResponseLevel::parse(&level) else {
                let options = ResponseLevel::ALL.map(|l| l.code()).join(", ");
                return Ok(rejected(&Rejection::new("level", Reason::NotAChoice { options }), lang));
            };
            let req = Request { cmd_id: id.unwrap_or_default(), cmd: Command::Level { level } };
            submit(&dir, &config, req, json, lang, out)
        }
        Cmd::Serve { log } => {
            crate::link::server::serve(&dir, config, log.as_deref())?;
            Ok(Exit::Ok)
        }
        Cmd::Point { point } => {
            crate::tui::run_face(&dir, &config, lang, FaceKind::Point { point }, 0)?;
            Ok(Exit::Ok)
        }
        Cmd::Wall { rotate } => {
            crate::tui::run_face(&dir, &config, lang, FaceKind::Wall, rotate)?;
            Ok(Exit::Ok)
        }
        listing => {
            let (state, now) = if client::daemon_running(&dir) {
                let (session, state) = client::block_on(client::connect(&dir, FaceKind::Cli, true))??;
                (state.unwrap_or_default(), session.now)
            } else {
                let mut engine = open_engine(&dir, &config)?;
                let _ = engine.tick();
                let now = engine.now();
                (engine.state().clone(), now)
            };
            if state.last_seq == 0 {
                eprintln!(
                    "{} {}; {}",
                    lang.pick("the store is empty:", "数据库为空:"),
                    dir.display(),
                    lang.pick("run `baogong init` to seed the demo town", "运行 `baogong init` 载入演示乡镇")
                );
            }
            list(&state, now, &config, listing, lang, out)?;
            Ok(Exit::Ok)
        }
    }
}

/// Writes the event log as JSON lines. A store sled calls damaged is read through a copy without
/// its snapshot (see `Store::salvage`); what that recovers is written and the rest reported.
fn export_events(dir: &Path, out: &mut impl Write) -> Result<Exit> {
    let write = |store: &store::Store, out: &mut dyn Write| -> Result<u64> {
        let mut n = 0;
        for ev in store.events() {
            let ev = ev?;
            serde_json::to_writer(&mut *out, &ev)?;
            out.write_all(b"\n")?;
            n += 1;
        }
        Ok(n)
    };
    let damage = match store::Store::open(dir) {
        Ok(store) => {
            write(&store, out)?;
            return Ok(Exit::Ok);
        }
        Err(e @ store::StoreError::Corrupt { .. }) => e,
        Err(e) => return Err(e.into()),
    };
    let scratch = std::env::temp_dir().join(format!("baogong-salvage-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    let salvaged = store::Store::salvage(dir, &scratch).map_err(color_eyre::Report::from).and_then(|store| {
        let n = write(&store, out)?;
        Ok(n)
    });
    let _ = std::fs::remove_dir_all(&scratch);
    match salvaged {
        Ok(n) if n > 0 => {
            eprintln!(
                "baogong: {damage}\nbaogong: exported the {n} events sled could read from its log without the damaged snapshot; the store itself is unchanged"
            );
            Ok(Exit::Differences)
        }
        _ => Err(color_eyre::Report::from(damage).wrap_err("nothing could be read from the store's log either")),
    }
}

fn rejected(rej: &Rejection, lang: Lang) -> Exit {
    eprintln!("{} {}", lang.pick("rejected:", "已拒绝:"), text::scrub(&rej.message(lang)));
    Exit::Rejected
}

/// Imports a CSV list: checks the whole file, then applies it as one change.
fn import_csv(dir: &Path, config: &Config, what: &str, file: &Path, lang: Lang, out: &mut impl Write) -> Result<Exit> {
    let kind = crate::import::Kind::parse(what).ok_or_else(|| eyre!("cannot import {what}"))?;
    let bytes = std::fs::read(file).wrap_err_with(|| format!("reading {}", file.display()))?;
    let text = crate::import::decode(&bytes);
    let name = file.display().to_string();
    let daemon = client::daemon_running(dir);
    let mut engine = None;
    let (state, now) = if daemon {
        let (session, state) = client::block_on(client::connect(dir, FaceKind::Cli, true))??;
        (state.unwrap_or_default(), session.now)
    } else {
        let e = open_engine(dir, config)?;
        let snapshot = (e.state().clone(), e.now());
        engine = Some(e);
        snapshot
    };
    let plan = match crate::import::plan(kind, &name, &text, &state, now.date_naive(), *now.offset()) {
        Ok(p) => p,
        Err(errors) => {
            for e in &errors {
                eprintln!("{}", text::scrub(e));
            }
            eprintln!("{} {}", errors.len(), lang.pick("problems; nothing was imported", "处错误;未导入任何数据"));
            return Ok(Exit::Rejected);
        }
    };
    let reqs: Vec<Request> = plan.commands.into_iter().map(|(cmd_id, cmd)| Request { cmd_id, cmd }).collect();
    // Where each command came from: a stock row names its line in its note.
    let origins: Vec<String> = reqs
        .iter()
        .map(|r| match &r.cmd {
            Command::Restock { note, .. } if !note.is_empty() => note.clone(),
            _ => name.clone(),
        })
        .collect();
    let n = reqs.len();
    let replies = match engine.as_mut() {
        Some(e) => {
            let caller = Caller::officer(&config::os_user(), Face::Cli);
            e.submit_atomic(reqs.into_iter().map(|r| (caller.clone(), r)).collect())
        }
        None if n == 0 => Vec::new(),
        None => client::block_on(async {
            let (mut session, _) = client::connect(dir, FaceKind::Cli, false).await?;
            session.submit_batch(reqs).await
        })??,
    };
    // The import is all or nothing: the refusal that stopped it, then any other failure.
    for (r, origin) in replies.iter().zip(&origins) {
        if let Err(Refusal::Rejected(rej)) = r {
            eprintln!("{}", text::scrub(&format!("{origin}: {}", rej.message(lang))));
            eprintln!("{}", lang.pick("nothing was imported", "未导入任何数据"));
            return Ok(Exit::Rejected);
        }
    }
    let mut applied = 0;
    for r in &replies {
        match r {
            Ok(o) if !o.duplicate => applied += 1,
            Ok(_) => {}
            Err(Refusal::Rejected(_)) => {}
            Err(Refusal::Fault(fault)) => return Err(eyre!(fault.message(lang))),
        }
    }
    writeln!(
        out,
        "{} {} {}; {} {}",
        plan.rows,
        lang.pick("rows read from", "行,来自"),
        name,
        applied,
        lang.pick("events recorded", "条事件已记录")
    )?;
    Ok(Exit::Ok)
}

/// Sends one command: through the daemon when one is running, else to an engine over the
/// local store. Without `--id` the command gets a fresh id, so a retry after a broken
/// connection cannot apply it twice.
fn submit(dir: &Path, config: &Config, mut req: Request, json: bool, lang: Lang, out: &mut impl Write) -> Result<Exit> {
    if req.cmd_id.is_empty() {
        req.cmd_id = crate::api::fresh_id("cli");
    }
    let reply = if client::daemon_running(dir) {
        client::block_on(async {
            let (mut session, _) = client::connect(dir, FaceKind::Cli, false).await?;
            session.submit(req).await
        })??
    } else {
        let mut engine = open_engine(dir, config)?;
        let _ = engine.tick();
        let caller = Caller::officer(&config::os_user(), Face::Cli);
        engine.submit(&caller, req)
    };
    match reply {
        Ok(o) => {
            print_outcome(&o, json, lang, out)?;
            Ok(Exit::Ok)
        }
        Err(Refusal::Rejected(r)) => Ok(rejected(&r, lang)),
        Err(Refusal::Fault(fault)) => Err(eyre!(fault.message(lang))),
    }
}

fn print_outcome(o: &Outcome, json: bool, lang: Lang, out: &mut impl Write) -> Result<()> {
    if json {
        serde_json::to_writer(&mut *out, o)?;
        writeln!(out)?;
        return Ok(());
    }
    let mut line = format!("{} {}", lang.pick("recorded event", "已记录事件"), o.seq);
    if let Some(d) = &o.dispatch {
        line.push_str(&format!(", {} {d}", lang.pick("dispatch", "调拨单")));
    }
    if o.duplicate {
        line.push_str(lang.pick(" (already applied earlier; nothing changed)", "(此前已记录,本次未改变任何数据)"));
    }
    if !o.raised.is_empty() {
        line.push_str(&format!("; {} {}", lang.pick("alerts raised:", "新预警:"), o.raised.join(" ")));
    }
    if !o.cleared.is_empty() {
        line.push_str(&format!("; {} {}", lang.pick("alerts cleared:", "已解除预警:"), o.cleared.join(" ")));
    }
    writeln!(out, "{line}")?;
    Ok(())
}

fn qty_arg(field: &str, text: &str) -> Result<Qty, Rejection> {
    Qty::parse(text).map_err(|e| Rejection::new(field, qty_reason(e)))
}

pub fn qty_reason(e: crate::domain::qty::QtyError) -> Reason {
    use crate::domain::qty::QtyError::*;
    match e {
        Empty => Reason::Empty,
        NotANumber => Reason::NotANumber,
        TooPrecise => Reason::TooPrecise,
        TooLarge => Reason::TooLarge,
    }
}

pub fn date_arg(field: &str, text: &str) -> Result<NaiveDate, Rejection> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| Rejection::new(field, Reason::BadDate))
}

fn log_request(log: LogCmd, today: NaiveDate) -> Result<(Request, bool), Rejection> {
    let (cmd, common) = match log {
        LogCmd::Restock { point, item, qty, source, batch, expiry, note, common } => (
            Command::Restock {
                point,
                item,
                qty: qty_arg("qty", &qty)?,
                source: Source::parse(&source).unwrap_or_default(),
                batch,
                expiry: expiry.map(|e| date_arg("expiry", &e)).transpose()?,
                note,
            },
            common,
        ),
        LogCmd::Dispatch { from, to_point, to_village, item, qty, vehicle, note, common } => {
            let to = match (to_point, to_village) {
                (Some(p), _) => Dest::Point(p),
                (None, Some(v)) => Dest::Village(v),
                (None, None) => return Err(Rejection::new("to_point", Reason::Empty)),
            };
            (Command::Dispatch { from, to, item, qty: qty_arg("qty", &qty)?, vehicle, note }, common)
        }
        LogCmd::Receive { dispatch, qty, note, common } => {
            (Command::Receive { dispatch, qty: qty.map(|q| qty_arg("qty", &q)).transpose()?, note }, common)
        }
        LogCmd::Adjust { point, item, delta, reason, batch, note, common } => (
            Command::Adjust {
                point,
                item,
                delta: qty_arg("delta", &delta)?,
                reason: AdjustReason::parse(&reason).ok_or_else(|| Rejection::new("reason", Reason::Empty))?,
                batch,
                note,
            },
            common,
        ),
        LogCmd::Price { point, item, yuan, common } => (
            Command::Price {
                point,
                item,
                fen: Fen::parse_yuan(&yuan).map_err(|e| Rejection::new("yuan", qty_reason(e)))?,
            },
            common,
        ),
        LogCmd::Report { point, date, zero, note, common } => (
            Command::Report {
                point,
                date: date.map(|d| date_arg("date", &d)).transpose()?.unwrap_or(today),
                zero,
                note,
            },
            common,
        ),
        LogCmd::Handover { to, note, common } => (Command::Handover { to, note }, common),
    };
    Ok((Request { cmd_id: common.id.unwrap_or_default(), cmd }, common.json))
}

/// A listing: the rows as a JSON array, or as an aligned table with `headers` (a trailing `>`
/// right-aligns a column).
fn emit<T: serde::Serialize>(
    out: &mut impl Write,
    json: bool,
    rows: &[T],
    headers: &[&str],
    cells: impl Fn(&T) -> Vec<String>,
) -> Result<()> {
    if json {
        return write_json(out, &rows);
    }
    let t: Vec<Vec<String>> = rows.iter().map(cells).collect();
    write!(out, "{}", text::table(headers, &t))?;
    Ok(())
}

fn write_json(out: &mut impl Write, v: &impl serde::Serialize) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, v)?;
    writeln!(out)?;
    Ok(())
}

fn list(
    state: &State,
    now: chrono::DateTime<chrono::FixedOffset>,
    config: &Config,
    cmd: Cmd,
    lang: Lang,
    out: &mut impl Write,
) -> Result<()> {
    let today = now.date_naive();
    match cmd {
        Cmd::Report(ReportCmd::Daily { date, format }) => {
            let date = match date {
                Some(d) => date_arg("date", &d).map_err(|r| eyre!(r.message(lang)))?,
                None => today,
            };
            let r = crate::report::daily(state, date, now, &config.alerts, &config.report.key_items, lang)
                .map_err(|e| eyre!(e.message(lang)))?;
            match format.as_str() {
                "json" => write_json(out, &r)?,
                "csv" => out.write_all(&crate::report::csv(&r, lang)?)?,
                _ => out.write_all(crate::report::markdown(&r, lang).as_bytes())?,
            }
        }
        Cmd::Plan { item, level, format, json } => {
            if let Some(i) = &item {
                if !state.items.contains_key(i) {
                    bail!("{}", Rejection::new("item", Reason::UnknownItem { code: i.clone() }).message(lang));
                }
            }
            let level = match level {
                None => None,
                Some(l) => match ResponseLevel::parse(&l) {
                    Some(l) => Some(l),
                    None => bail!(
                        "{}",
                        Rejection::new(
                            "level",
                            Reason::NotAChoice { options: "routine, level1, level2, level3, level4".into() }
                        )
                        .message(lang)
                    ),
                },
            };
            let plan = crate::domain::plan::plan(state, today, &config.plan, level, item.as_deref());
            match (json, format.as_str()) {
                (true, _) | (_, "json") => write_json(out, &crate::plan_sheet::json(&plan))?,
                (_, "md") => out.write_all(crate::plan_sheet::markdown(&plan, state, lang).as_bytes())?,
                (_, "csv") => out.write_all(&crate::plan_sheet::csv(&plan, state, lang)?)?,
                _ => {
                    for line in crate::plan_sheet::text_lines(&plan, state, lang) {
                        writeln!(out, "{line}")?;
                    }
                }
            }
        }
        Cmd::Export { what, format } => {
            let (rows, columns): (Vec<serde_json::Value>, &[&str]) = match what.as_str() {
                "stock" => (
                    crate::views::stock::json(&crate::views::stock::stock_rows(state, today, None, None, false)),
                    &[
                        "point",
                        "item",
                        "qty",
                        "unit",
                        "days_of_cover",
                        "norm_days",
                        "daily",
                        "basis",
                        "status",
                        "runs_out",
                        "expiry",
                    ],
                ),
                "dispatches" => {
                    let all: Vec<&Dispatch> = state.dispatches.values().collect();
                    (
                        crate::views::dispatches::json(&all),
                        &[
                            "id",
                            "from",
                            "to_point",
                            "to_village",
                            "item",
                            "qty",
                            "received_qty",
                            "status",
                            "vehicle",
                            "sent_at",
                            "sent_by",
                            "received_at",
                            "note",
                        ],
                    )
                }
                _ => (
                    crate::views::alerts::json(state, now, &crate::views::alerts::list(state, true)),
                    &[
                        "id",
                        "kind",
                        "severity",
                        "subject",
                        "point",
                        "item",
                        "value",
                        "first_seen",
                        "last_seen",
                        "acked_by",
                        "acked_at",
                        "cleared_at",
                    ],
                ),
            };
            if format == "json" {
                return write_json(out, &rows);
            }
            out.write_all(&csv_of(&rows, columns)?)?;
        }
        Cmd::Zones(a) => {
            let rows: Vec<_> = state.zones.values().collect();
            emit(out, a.json, &rows, &["code", "name", "lead"], |z| {
                vec![z.code.clone(), z.name.clone(), z.lead.clone()]
            })?;
        }
        Cmd::Points(a) => {
            let rows: Vec<_> = state.points.values().collect();
            let heads = [
                "code",
                "name",
                "kind",
                "zone",
                "households>",
                "population>",
                "staff>",
                "vehicles>",
                "manager",
                "phone",
            ];
            emit(out, a.json, &rows, &heads, |p| {
                vec![
                    p.code.clone(),
                    p.name.clone(),
                    p.kind.code().into(),
                    p.zone.clone(),
                    p.households.to_string(),
                    p.population.to_string(),
                    p.staff.to_string(),
                    p.vehicles.to_string(),
                    p.manager.clone(),
                    p.phone.clone(),
                ]
            })?;
        }
        Cmd::Villages(a) => {
            let rows: Vec<_> = state.villages.values().collect();
            emit(out, a.json, &rows, &["code", "name", "point", "households>", "checkpoint"], |v| {
                vec![v.code.clone(), v.name.clone(), v.point.clone(), v.households.to_string(), v.checkpoint.clone()]
            })?;
        }
        Cmd::Items(a) => {
            let rows: Vec<_> = state.items.values().collect();
            let heads =
                ["code", "name_zh", "name_en", "group", "unit", "norm_days>", "max_days>", "per_household_daily>"];
            emit(out, a.json, &rows, &heads, |i| {
                vec![
                    i.code.clone(),
                    i.name_zh.clone(),
                    i.name_en.clone(),
                    i.group.code().into(),
                    i.unit.clone(),
                    i.norm_days.to_string(),
                    i.max_days.map(|m| m.to_string()).unwrap_or_default(),
                    i.per_household_daily.to_string(),
                ]
            })?;
        }
        Cmd::People(a) => {
            let mut rows: Vec<_> = state.people.values().collect();
            rows.sort_by_key(|p| (p.role, p.name.clone()));
            emit(out, a.json, &rows, &["name", "title", "unit", "role", "duty", "phone"], |p| {
                vec![
                    p.name.clone(),
                    p.title.clone(),
                    p.unit.clone(),
                    p.role.code().into(),
                    p.duty.clone(),
                    p.phone.clone(),
                ]
            })?;
        }
        Cmd::Duty(a) => {
            let rows: Vec<_> = state.shifts.values().collect();
            emit(out, a.json, &rows, &["", "start", "end", "duty_officer", "leader_on_call"], |s| {
                vec![
                    if s.start <= now && now < s.end { "*" } else { "" }.into(),
                    s.start.format("%Y-%m-%d %H:%M").to_string(),
                    s.end.format("%Y-%m-%d %H:%M").to_string(),
                    s.duty_officer.clone(),
                    s.leader_on_call.clone(),
                ]
            })?;
        }
        Cmd::Vehicles(a) => {
            let rows: Vec<_> = state.vehicles.values().collect();
            emit(out, a.json, &rows, &["plate", "point", "pass_no", "pass_valid_until"], |v| {
                vec![v.plate.clone(), v.point.clone(), v.pass_no.clone(), v.pass_valid_until.to_string()]
            })?;
        }
        Cmd::Stock { point, item, town, batches, json } => {
            if let Some(p) = &point {
                if !state.points.contains_key(p) {
                    bail!("{}", Rejection::new("point", Reason::UnknownPoint { code: p.clone() }).message(lang));
                }
            }
            if let Some(i) = &item {
                if !state.items.contains_key(i) {
                    bail!("{}", Rejection::new("item", Reason::UnknownItem { code: i.clone() }).message(lang));
                }
            }
            if batches {
                let lots: Vec<_> = state
                    .lots
                    .values()
                    .filter(|l| {
                        point.as_ref().is_none_or(|p| *p == l.point) && item.as_ref().is_none_or(|i| *i == l.item)
                    })
                    .collect();
                if json {
                    let v: Vec<_> = lots
                        .iter()
                        .map(|l| json!({"point": l.point, "item": l.item, "qty": l.qty.as_f64(), "batch": l.batch, "expiry": l.expiry}))
                        .collect();
                    return write_json(out, &v);
                }
                let t: Vec<Vec<String>> = lots
                    .iter()
                    .map(|l| {
                        vec![
                            l.point.clone(),
                            l.item.clone(),
                            l.qty.to_string(),
                            l.batch.clone(),
                            l.expiry.map(|e| e.to_string()).unwrap_or_default(),
                        ]
                    })
                    .collect();
                write!(out, "{}", text::table(&["point", "item", "qty>", "batch", "expiry"], &t))?;
                return Ok(());
            }
            let rows = crate::views::stock::stock_rows(state, today, point.as_deref(), item.as_deref(), town);
            if json {
                return write_json(out, &crate::views::stock::json(&rows));
            }
            let t: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    vec![
                        r.point.unwrap_or(lang.pick("town", "全镇")).to_string(),
                        r.item.code.clone(),
                        r.item.name(lang).to_string(),
                        r.cover.qty.to_string(),
                        r.item.unit.clone(),
                        crate::views::stock::days_text(&r.cover),
                        format!("{}", r.item.norm_days),
                        r.cover.status.label(lang).to_string(),
                        r.cover.runs_out.map(|e| e.to_string()).unwrap_or_default(),
                        r.cover.earliest_expiry.map(|e| e.to_string()).unwrap_or_default(),
                    ]
                })
                .collect();
            let heads = match lang {
                Lang::En => ["point", "item", "name", "qty>", "unit", "days>", "norm>", "status", "runs out", "expiry"],
                Lang::Zh => {
                    ["送货点", "物资", "名称", "数量>", "单位", "保障天数>", "标准>", "状态", "预计断档", "最早到期"]
                }
            };
            write!(out, "{}", text::table(&heads, &t))?;
        }
        Cmd::Alerts { all, json } => {
            let rows = crate::views::alerts::list(state, all);
            if json {
                return write_json(out, &crate::views::alerts::json(state, now, &rows));
            }
            let t: Vec<Vec<String>> = rows
                .iter()
                .map(|a| {
                    vec![
                        Alert::label(a.id),
                        a.severity.label(lang).to_string(),
                        a.kind.label(lang).to_string(),
                        a.subject.clone(),
                        a.value.map(|v| format!("{v:.1}")).unwrap_or_default(),
                        a.first_seen.format("%m-%d %H:%M").to_string(),
                        a.acked_by.clone().unwrap_or_default(),
                        a.cleared_at.map(|c| c.format("%m-%d %H:%M").to_string()).unwrap_or_default(),
                    ]
                })
                .collect();
            let heads = match lang {
                Lang::En => ["id", "severity", "kind", "subject", "value>", "first_seen", "acked_by", "cleared_at"],
                Lang::Zh => ["编号", "级别", "类型", "对象", "数值>", "首次发现", "确认人", "解除时间"],
            };
            write!(out, "{}", text::table(&heads, &t))?;
        }
        Cmd::Dispatches { all, json } => {
            let rows: Vec<&Dispatch> = state
                .dispatches
                .values()
                .rev()
                .filter(|d| all || d.status() == crate::domain::state::DispatchStatus::InTransit)
                .collect();
            if json {
                return write_json(out, &crate::views::dispatches::json(&rows));
            }
            let t: Vec<Vec<String>> = rows
                .iter()
                .map(|d| {
                    vec![
                        Dispatch::label(d.id),
                        d.from.clone(),
                        match &d.to {
                            Dest::Point(p) => p.clone(),
                            Dest::Village(v) => v.clone(),
                        },
                        d.item.clone(),
                        d.qty.to_string(),
                        d.received_qty.map(|q| q.to_string()).unwrap_or_default(),
                        d.status().label(lang).to_string(),
                        d.sent_at.format("%m-%d %H:%M").to_string(),
                    ]
                })
                .collect();
            write!(out, "{}", text::table(&["id", "from", "to", "item", "qty>", "received>", "status", "sent"], &t))?;
        }
        _ => {}
    }
    Ok(())
}

/// JSON objects as CSV with a UTF-8 byte-order mark, columns in the given order.
fn csv_of(rows: &[serde_json::Value], columns: &[&str]) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    w.write_record(columns)?;
    for r in rows {
        let cells: Vec<String> = columns
            .iter()
            .map(|c| match &r[*c] {
                serde_json::Value::Null => String::new(),
                serde_json::Value::String(s) => text::scrub(s),
                serde_json::Value::Number(n) => match n.as_f64() {
                    Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
                    _ => n.to_string(),
                },
                other => other.to_string(),
            })
            .collect();
        w.write_record(&cells)?;
    }
    w.into_inner().map_err(|e| eyre!("writing CSV: {}", e.error()))
}

/// Opens the engine for the console, seeding the demo town into an empty store.
pub fn open_for_console(dir: &Path, config: &Config) -> Result<Engine> {
    let mut engine = open_engine(dir, config).wrap_err("opening the store")?;
    if engine.store().is_empty() {
        eprintln!("baogong: first run: seeding the demo town into {} ...", dir.display());
        seed_demo(&mut engine).wrap_err("seeding the demo town")?;
    }
    Ok(engine)
}
