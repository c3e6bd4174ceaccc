//! Where the data lives and what `baogong.toml` in it says: alert thresholds and the report
//! deadline (`[alerts]`), which users get which role (`[access]`), which items the daily report
//! treats as key (`[report]`), how replenishment is planned (`[plan]`), how many connections
//! the daemon takes from one user (`[limits]`). Also who the current OS user is.
//! Imports domain types only; never the store, the engine or a face.

use crate::domain::alerts::Thresholds;
use crate::domain::Access;
use color_eyre::eyre::{eyre, Result, WrapErr};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const CONFIG_FILE: &str = "baogong.toml";

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub alerts: Thresholds,
    /// OS user name → role (`officer`, `viewer`, `point:P01`).
    pub access: BTreeMap<String, String>,
    pub report: ReportConfig,
    /// Replenishment planning: horizon, donor margin, demand per response level.
    pub plan: crate::domain::rules::plan::PlanSettings,
    pub limits: Limits,
}

/// What the daemon lets one OS user hold at once.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Connections one user may have open at once (waiting for its Hello or served); more are
    /// answered "busy", so that one user cannot take every slot from the others.
    pub connections_per_user: usize,
}

impl Limits {
    /// The range `connections_per_user` may take.
    pub const CONNECTIONS_PER_USER: std::ops::RangeInclusive<usize> = 1..=1024;
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { connections_per_user: 64 }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReportConfig {
    /// Item codes the daily report lists; empty means every item with a price or a norm.
    pub key_items: Vec<String>,
}

impl Config {
    /// Reads `DIR/baogong.toml`; a missing file gives the defaults.
    pub fn load(dir: &Path) -> Result<Config> {
        let path = dir.join(CONFIG_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(e) => return Err(e).wrap_err_with(|| format!("reading {}", path.display())),
        };
        let config: Config = toml::from_str(&text).wrap_err_with(|| format!("in {}", path.display()))?;
        for (user, role) in &config.access {
            Access::parse(role).ok_or_else(|| {
                eyre!("in {}: [access] {user} = \"{role}\": a role is officer, viewer or point:<CODE>", path.display())
            })?;
        }
        let per_user = config.limits.connections_per_user;
        if !Limits::CONNECTIONS_PER_USER.contains(&per_user) {
            let (lo, hi) = Limits::CONNECTIONS_PER_USER.into_inner();
            return Err(eyre!(
                "in {}: [limits] connections_per_user = {per_user}: it must be from {lo} to {hi}",
                path.display()
            ));
        }
        Ok(config)
    }

    /// The role configured for `user`, if any.
    pub fn role_of(&self, user: &str) -> Option<Access> {
        self.access.get(user).and_then(|r| Access::parse(r))
    }
}

/// The data directory: `--data`, else `$BAOGONG_DATA` (clap reads it), else
/// `$XDG_DATA_HOME/baogong`, else `~/.local/share/baogong`.
pub fn data_dir(explicit: Option<PathBuf>) -> Result<PathBuf> {
    if let Some(d) = explicit {
        return Ok(d);
    }
    if let Some(x) = std::env::var_os("XDG_DATA_HOME").filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(x).join("baogong"));
    }
    let home = std::env::var_os("HOME")
        .filter(|v| !v.is_empty())
        .ok_or_else(|| eyre!("no data directory: pass --data DIR or set BAOGONG_DATA"))?;
    Ok(PathBuf::from(home).join(".local/share/baogong"))
}

/// The name of the OS user running this process.
pub fn os_user() -> String {
    // SAFETY: getuid has no preconditions and cannot fail.
    let uid = unsafe { libc::getuid() };
    user_name(uid).unwrap_or_else(|| format!("uid{uid}"))
}

/// Looks a uid up in the password database.
pub fn user_name(uid: u32) -> Option<String> {
    let mut buf = vec![0u8; 4096];
    let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
    let mut result: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: getpwuid_r writes into `pwd` and `buf`, both owned here and sized as passed;
    // `result` is null or points at `pwd`.
    let rc = unsafe { libc::getpwuid_r(uid, &mut pwd, buf.as_mut_ptr().cast(), buf.len(), &mut result) };
    if rc != 0 || result.is_null() {
        return None;
    }
    // SAFETY: on success pw_name points at a NUL-terminated string inside `buf`.
    let name = unsafe { std::ffi::CStr::from_ptr(pwd.pw_name) };
    Some(name.to_string_lossy().into_owned())
}
