//! The `baogong` binary: parses the command line and runs a face or a subcommand.

use baogong::cli::{self, Cli, Exit};
use clap::Parser;

fn main() -> color_eyre::Result<()> {
    color_eyre::install()?;
    // A file size limit (ulimit -f) then shows as a failed write the store reports ("disk
    // full: file size limit reached") instead of killing the process.
    // SAFETY: ignoring a signal has no preconditions.
    unsafe { libc::signal(libc::SIGXFSZ, libc::SIG_IGN) };
    let args: Vec<String> = std::env::args_os().map(|a| a.to_string_lossy().into_owned()).collect();
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => match cli::usage::message(&e, cli::usage::lang_before_parse(&args)) {
            Some(text) => {
                eprintln!("{}", text.trim_end());
                std::process::exit(e.exit_code())
            }
            None => e.exit(),
        },
    };
    let lang = cli::lang_of(&cli);
    match cli::run(cli) {
        Ok(Exit::Ok) => Ok(()),
        Ok(Exit::Rejected) => std::process::exit(2),
        Ok(Exit::Differences) => std::process::exit(1),
        Err(e)
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            // The reader went away (`baogong export events | head`): nothing more to say.
            std::process::exit(0)
        }
        Err(e) => {
            eprintln!("baogong: {}", baogong::i18n::t(lang, "cli.error"));
            // A message may quote what was typed or read: never let a control character through.
            // A value refused in a file reads in the user's language.
            for (i, cause) in e.chain().enumerate() {
                let text = if let Some(e) = cause.downcast_ref::<baogong::link::client::AttachError>() {
                    e.message(lang)
                } else if let Some(e) = cause.downcast_ref::<baogong::store::StoreError>() {
                    e.message(lang)
                } else if let Some(f) = cause.downcast_ref::<baogong::domain::reject::InFile>() {
                    f.message(lang)
                } else {
                    cause.to_string()
                };
                let text = baogong::text::scrub_lines(&text);
                let caused_by = format!("  {} ", baogong::i18n::t(lang, "cli.caused_by"));
                eprintln!("{}{text}", if i == 0 { "  " } else { &caused_by });
            }
            std::process::exit(1)
        }
    }
}
