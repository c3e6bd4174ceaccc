//! `check`: rebuilds every view from the event log and compares (in the daemon when one owns
//! the store); exit 1 on a difference.

use super::Exit;
use crate::domain::Lang;
use crate::i18n::t;
use crate::link::Link;
use color_eyre::eyre::Result;
use std::io::Write;

pub fn check(link: &mut Link, lang: Lang, out: &mut impl Write) -> Result<Exit> {
    let report = link.check()?;
    for d in &report.differences {
        writeln!(out, "{d}")?;
    }
    let verdict = if report.is_clean() {
        t(lang, "cli.no_differences").to_string()
    } else {
        format!("{} {}", report.differences.len(), t(lang, "cli.differences"))
    };
    writeln!(
        out,
        "{} {} {}, {} {}: {verdict}",
        t(lang, "cli.checked"),
        report.events,
        t(lang, "cli.events"),
        report.rows,
        t(lang, "cli.view_rows"),
    )?;
    Ok(if report.is_clean() { Exit::Ok } else { Exit::Differences })
}
