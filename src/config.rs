//! Where the data lives and what `baogong.toml` in it says: alert thresholds and the report
//! deadline (`[alerts]`), which users get which role (`[access]`), which items the daily report
//! treats as key (`[report]`), how replenishment is planned (`[plan]`), how many connections
//! the daemon takes from one user (`[limits]`), where events go upward (`[uplink]`), which town is the county's reserve (`[county]`). Also who the current OS user is. Every number in
//! the file is range-checked on loading: a value out of range is refused naming the file, the
//! key and the range, before anything runs.
//! Imports domain types only; never the store, the engine or a face.

use crate::domain::alerts::Thresholds;
use crate::domain::demand::DemandSettings;
use crate::domain::reject::{check_range, InFile};
use crate::domain::{Access, Rejection};
use color_eyre::eyre::{bail, eyre, Result, WrapErr};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const CONFIG_FILE: &str = "baogong.toml";

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub alerts: Thresholds,
    /// OS user name → role (`officer`, `viewer`, `point:P01`).
    pub access: BTreeMap<String, String>,
    pub report: ReportConfig,
    /// Replenishment planning: horizon, donor margin, demand per response level.
    pub plan: crate::domain::rules::plan::PlanSettings,
    pub limits: Limits,
    /// Requests and tallies: who approves, the tally cadence and lead time.
    pub demand: DemandSettings,
    /// Publishing every committed event to the county (`baogong serve` only); none: no uplink.
    pub uplink: Option<UplinkConfig>,
    /// The county's own settings (read by `county plan` and the county console).
    pub county: CountyConfig,
}

/// `[county]` in the county's `baogong.toml`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CountyConfig {
    /// The town code of the county reserve depot: an office that runs its own baogong with an
    /// `[uplink]` like any town, whose stock the county plan releases first. None: no reserve.
    pub reserve: Option<String>,
}

/// `[uplink]`: where the town's events go upward.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UplinkConfig {
    /// The NATS server (or the town's leaf node), e.g. `nats://county.example:4222`.
    pub nats: String,
    /// The town's code: the subject `baogong.<town>.events` and the message ids `<town>:<seq>`.
    pub town: String,
    /// A NATS credentials file (`.creds`), for a server that gives each town its own user.
    #[serde(default)]
    pub credentials: Option<PathBuf>,
}

/// What the daemon lets one OS user hold at once.
#[derive(Debug, Clone, Serialize, Deserialize)]
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

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
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
        config.check_ranges().map_err(|rejection| InFile { file: path.display().to_string(), rejection })?;
        if let Some(up) = config.uplink.as_ref().filter(|u| !crate::domain::ident::town_code_ok(&u.town)) {
            let max = crate::domain::ident::MAX_TOWN_CODE;
            bail!(
                "in {}: [uplink] town = \"{}\": a town code is 1 to {max} of A-Z a-z 0-9 _ -",
                path.display(),
                up.town
            );
        }
        if let Some(code) = config.county.reserve.as_ref().filter(|c| !crate::domain::ident::town_code_ok(c)) {
            let max = crate::domain::ident::MAX_TOWN_CODE;
            bail!("in {}: [county] reserve = \"{code}\": a town code is 1 to {max} of A-Z a-z 0-9 _ -", path.display());
        }
        for (user, role) in &config.access {
            Access::parse(role).ok_or_else(|| {
                eyre!("in {}: [access] {user} = \"{role}\": a role is officer, viewer or point:<CODE>", path.display())
            })?;
        }
        Ok(config)
    }

    /// Every number within what the rules work with: durations that fit a date's arithmetic,
    /// ratios and percentages that can be met, finite floats.
    fn check_ranges(&self) -> Result<(), Rejection> {
        let (a, p, d) = (&self.alerts, &self.plan, &self.plan.demand);
        check_range("alerts.spike_ratio", a.spike_ratio, 1.0..=1000.0)?;
        check_range("alerts.spike_min_units", a.spike_min_units, 0.0..=1e9)?;
        check_range("alerts.price_spike_pct", a.price_spike_pct, 0.0..=10_000.0)?;
        check_range("alerts.stockout_within_days", a.stockout_within_days, 0.0..=366.0)?;
        check_range("alerts.expiry_days", a.expiry_days, 0..=366)?;
        check_range("alerts.transfer_hours", a.transfer_hours, 0..=24 * 30)?;
        check_range("alerts.handover_grace_minutes", a.handover_grace_minutes, 0..=24 * 60)?;
        check_range("alerts.pass_days", a.pass_days, 0..=366)?;
        check_range("alerts.case_urgent_hours", a.case_urgent_hours, 1..=24 * 30)?;
        check_range("alerts.case_normal_hours", a.case_normal_hours, 1..=24 * 30)?;
        check_range("alerts.shortage_calls", a.shortage_calls, 1..=10_000)?;
        check_range("plan.horizon_days", p.horizon_days, 0.0..=365.0)?;
        check_range("plan.donor_margin_pct", p.donor_margin_pct, 0.0..=1000.0)?;
        check_range("plan.min_transfer_days", p.min_transfer_days, 0.0..=366.0)?;
        check_range("plan.reserve_floor_days", p.reserve_floor_days, 0.0..=366.0)?;
        check_range("limits.connections_per_user", self.limits.connections_per_user, Limits::CONNECTIONS_PER_USER)?;
        check_range("demand.tally_days", self.demand.tally_days, DemandSettings::TALLY_DAYS)?;
        check_range("demand.lead_days", self.demand.lead_days, DemandSettings::LEAD_DAYS)?;
        for s in &self.demand.slots {
            let key = |k: &str| format!("demand.slots[{}/{}].{k}", s.zone, s.code);
            s.check().map_err(|(field, reason)| Rejection::new(&key(field), reason))?;
        }
        let levels = [
            ("routine", d.routine),
            ("level1", d.level1),
            ("level2", d.level2),
            ("level3", d.level3),
            ("level4", d.level4),
        ];
        for (level, factor) in levels {
            // A ratio of two of these scales the plan's demand: keep it within 100×.
            check_range(&format!("plan.demand.{level}"), factor, 0.1..=10.0)?;
        }
        Ok(())
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
