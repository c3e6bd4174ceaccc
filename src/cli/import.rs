//! `import`: a CSV list (checked whole, then applied in all-or-nothing slices so other clients
//! are served meanwhile), or an exported event log restored into an empty store.

use super::args::ImportWhat;
use super::Exit;
use crate::api::{Refusal, Reply, Request};
use crate::domain::Lang;
use crate::i18n::t;
use crate::import::{Kind, Problems};
use crate::link::Link;
use crate::text;
use color_eyre::eyre::{eyre, Result, WrapErr};
use std::io::Write;
use std::path::Path;

/// How many problems of one column and class are shown before the rest are counted.
const SHOWN_PER_CLASS: usize = 20;

pub fn import(link: &mut Link, what: ImportWhat, file: &Path, lang: Lang, out: &mut impl Write) -> Result<Exit> {
    match what.list() {
        Some(kind) => import_csv(link, kind, file, lang, out),
        None => {
            let n = crate::backup::restore(link.engine()?, file)?;
            writeln!(out, "{} {n} {}", t(lang, "cli.restored"), t(lang, "cli.events"))?;
            Ok(Exit::Ok)
        }
    }
}

/// Imports a CSV list: checks the whole file, then applies it in slices.
fn import_csv(link: &mut Link, kind: Kind, file: &Path, lang: Lang, out: &mut impl Write) -> Result<Exit> {
    let bytes = std::fs::read(file).wrap_err_with(|| format!("reading {}", file.display()))?;
    let name = file.display().to_string();
    let decoded = crate::import::decode(&bytes).map_err(|p| Problems { file: name.clone(), kind, list: vec![p] });
    let (state, now) = link.snapshot()?;
    let planned =
        decoded.and_then(|text| crate::import::plan(kind, &name, &text, &state, now.date_naive(), *now.offset()));
    let plan = match planned {
        Ok(p) => p,
        Err(problems) => {
            say_problems(&problems, lang);
            return Ok(Exit::Rejected);
        }
    };
    let reqs: Vec<Request> = plan.commands.into_iter().map(|(cmd_id, cmd)| Request { cmd_id, cmd }).collect();
    let origins = plan.origins;
    let (replies, before) = submit_in_slices(link, reqs)?;
    let Some(applied) = applied(&replies, &origins, before, lang)? else {
        return Ok(Exit::Rejected);
    };
    let (rows, read, recorded) = (plan.rows, t(lang, "cli.rows_read_from"), t(lang, "cli.events_recorded"));
    writeln!(out, "{rows} {read} {name}; {applied} {recorded}")?;
    Ok(Exit::Ok)
}

/// The problems on stderr: the first few of each column and class, then how many more of each,
/// then the total.
fn say_problems(problems: &Problems, lang: Lang) {
    let (shown, more) = problems.shown(SHOWN_PER_CLASS, lang);
    for line in &shown {
        eprintln!("{}", text::scrub(line));
    }
    for (n, at) in more {
        let line = t(lang, "cli.more_like").replace("{n}", &grouped(n)).replace("{at}", &at);
        eprintln!("{}", text::scrub(&line));
    }
    eprintln!("{} {}", grouped(problems.list.len()), t(lang, "cli.import_problems"));
}

/// A count with thousands separators: 24,947.
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// Submits a checked file slice by slice, stopping at the first slice refused: its replies,
/// and how many commands the slices before it recorded. Ids are made from the rows, so
/// importing the same file again records only what is missing. O(rows).
fn submit_in_slices(link: &mut Link, mut reqs: Vec<Request>) -> Result<(Vec<Reply>, usize)> {
    let (mut replies, mut before) = (Vec::with_capacity(reqs.len()), 0);
    while !reqs.is_empty() {
        let rest = reqs.split_off(reqs.len().min(crate::import::SLICE));
        let got = link.submit_atomic(std::mem::replace(&mut reqs, rest))?;
        if got.iter().any(Result::is_err) {
            replies.extend(got);
            break;
        }
        before = replies.len() + got.len();
        replies.extend(got);
    }
    let stopped = replies.iter().any(Result::is_err);
    Ok((replies, if stopped { before } else { 0 }))
}

/// How many commands the import recorded; `None` (the refusal said on stderr) when one was
/// rejected, so nothing more was (`before`: what earlier slices recorded); a fault is an error.
fn applied(replies: &[Reply], origins: &[String], before: usize, lang: Lang) -> Result<Option<usize>> {
    // Each slice is all or nothing: the refusal that stopped it, then any other failure.
    for (r, origin) in replies.iter().zip(origins) {
        if let Err(Refusal::Rejected(rej)) = r {
            eprintln!("{}", text::scrub(&format!("{origin}: {}", rej.message(lang))));
            match before {
                0 => eprintln!("{}", t(lang, "cli.nothing_imported")),
                n => eprintln!("{n} {}", t(lang, "cli.import_partial")),
            }
            return Ok(None);
        }
    }
    let mut applied = 0;
    for r in replies {
        match r {
            Ok(o) if !o.duplicate => applied += 1,
            Ok(_) | Err(Refusal::Rejected(_)) => {}
            Err(Refusal::Fault(fault)) => return Err(eyre!(fault.message(lang))),
        }
    }
    Ok(Some(applied))
}
