//! The command line as a user runs it, one `baogong` process per command on temp data
//! directories: the subcommands (`commands`), bad values in every field (`bad_input`), CSV import
//! (`import`), bad spreadsheets (`bad_csv`), hostile ones and crafted logs (`hostile_csv`), export and restore (`backup`), numbers out of
//! range in the config and scenarios and `init` all or nothing (`bad_files`), command ids
//! (`ids`), the generated district from `init --district` (`district`), a scenario's names of the
//! response levels (`levels`). Imports `baogong` and `support` only.

#[path = "../support/mod.rs"]
mod support;

mod agree;
mod backup;
mod bad_csv;
mod bad_files;
mod bad_input;
mod commands;
mod demand;
mod district;
mod hostile_csv;
mod hotline;
mod ids;
mod import;
mod levels;
mod vehicles;
mod zh_everywhere;
