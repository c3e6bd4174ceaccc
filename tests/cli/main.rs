//! The command line as a user runs it, one `baogong` process per command on temp data
//! directories: the subcommands (`commands`), bad values in every field (`bad_input`), CSV import
//! (`import`) and bad spreadsheets (`bad_csv`), export and restore (`backup`). Imports `baogong`
//! and `support` only.

#[path = "../support/mod.rs"]
mod support;

mod agree;
mod backup;
mod bad_csv;
mod bad_input;
mod commands;
mod import;
