//! clap's own usage errors in the user's language: the error's kind becomes locale text, and
//! what clap quotes (the argument, the value, the valid values) is kept as typed. Help and
//! version requests are printed as clap writes them. Imports only the domain's `Lang` and i18n.

use crate::domain::Lang;
use crate::i18n::t;
use clap::error::{ContextKind, ContextValue, ErrorKind};

/// The language asked for before the command line is parsed: `--lang zh` / `--lang=zh` among
/// the arguments, else the environment.
pub fn lang_before_parse(args: &[String]) -> Lang {
    let given = args.windows(2).find(|w| w[0] == "--lang").map(|w| w[1].clone());
    let given = given.or_else(|| args.iter().find_map(|a| a.strip_prefix("--lang=").map(str::to_string)));
    match given.as_deref() {
        Some("zh") => Lang::Zh,
        Some("en") => Lang::En,
        _ => Lang::from_env_vars(std::env::var("LC_ALL").ok().as_deref(), std::env::var("LANG").ok().as_deref()),
    }
}

/// The error as the user reads it: clap's text in English; in Chinese, the kind's sentence,
/// what was typed and what is allowed, and how to get help. `None` for help and version
/// requests, which clap prints itself.
pub fn message(err: &clap::Error, lang: Lang) -> Option<String> {
    if matches!(err.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion)
        || matches!(err.kind(), ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand)
    {
        return None;
    }
    if lang == Lang::En {
        return Some(err.render().to_string());
    }
    let key = match err.kind() {
        ErrorKind::InvalidValue => "usage.invalid_value",
        ErrorKind::UnknownArgument => "usage.unknown_argument",
        ErrorKind::InvalidSubcommand => "usage.invalid_subcommand",
        ErrorKind::NoEquals => "usage.no_equals",
        ErrorKind::ValueValidation => "usage.value_validation",
        ErrorKind::TooManyValues => "usage.too_many_values",
        ErrorKind::TooFewValues => "usage.too_few_values",
        ErrorKind::WrongNumberOfValues => "usage.wrong_number_of_values",
        ErrorKind::ArgumentConflict => "usage.argument_conflict",
        ErrorKind::MissingRequiredArgument => "usage.missing_required_argument",
        ErrorKind::MissingSubcommand => "usage.missing_subcommand",
        ErrorKind::InvalidUtf8 => "usage.invalid_utf8",
        _ => "usage.other",
    };
    let mut out = format!("{}: {}", t(lang, "cli.error"), t(lang, key));
    for (kind, value) in err.context() {
        let label = match kind {
            ContextKind::InvalidArg | ContextKind::InvalidSubcommand => "usage.typed",
            ContextKind::InvalidValue => "usage.value",
            ContextKind::ValidValue | ContextKind::ValidSubcommand => "usage.allowed",
            ContextKind::PriorArg => "usage.conflicts_with",
            ContextKind::SuggestedArg | ContextKind::SuggestedSubcommand => "usage.did_you_mean",
            _ => continue,
        };
        out.push_str(&format!("\n  {} {}", t(lang, label), shown(value, &kind)));
    }
    out.push_str(&format!("\n{}", t(lang, "usage.help")));
    Some(out)
}

/// What clap quotes; an argument without its English value name (`--qty`, not `--qty <QTY>`).
fn shown(value: &ContextValue, kind: &ContextKind) -> String {
    let arg = |s: &str| match kind {
        ContextKind::InvalidArg => s.split(" <").next().unwrap_or(s).to_string(),
        _ => s.to_string(),
    };
    match value {
        ContextValue::String(s) => arg(s),
        ContextValue::Strings(v) => v.iter().map(|s| arg(s)).collect::<Vec<_>>().join(", "),
        ContextValue::StyledStr(s) => s.to_string(),
        ContextValue::StyledStrs(v) => v.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "),
        ContextValue::Number(n) => n.to_string(),
        other => other.to_string(),
    }
}
