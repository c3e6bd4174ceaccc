//! `uplink status`: whether the daemon's uplink is connected, the sequence the county's server
//! acknowledged, and the lag in events and in time (the newest event's time minus the
//! acknowledged one's). Reads `DIR/uplink.json` (written by the daemon) and the town's last
//! event through `Link`.

use super::Exit;
use crate::config::Config;
use crate::domain::Lang;
use crate::i18n::t;
use crate::link::Link;
use crate::proto::FaceKind;
use crate::uplink::UplinkStatus;
use color_eyre::eyre::{bail, Result};
use serde_json::json;
use std::io::Write;
use std::path::Path;

pub fn status(dir: &Path, config: &Config, json: bool, lang: Lang, out: &mut impl Write) -> Result<Exit> {
    let Some(up) = &config.uplink else {
        bail!("{} {}", t(lang, "uplink.none"), dir.join(crate::config::CONFIG_FILE).display());
    };
    let file = UplinkStatus::load(dir).filter(|s| s.town == up.town);
    let running = file.as_ref().is_some_and(UplinkStatus::writer_alive);
    let connected = running && file.as_ref().is_some_and(|s| s.connected);
    let acked = file.as_ref().map_or(0, |s| s.acked);
    let acked_at = file.as_ref().and_then(|s| s.acked_at);
    let (state, _) = Link::open(dir, config, FaceKind::Cli).snapshot()?;
    let lag = state.last_seq.saturating_sub(acked);
    let lag_secs = match (lag, state.last_at, acked_at) {
        (0, ..) => Some(0),
        (_, Some(last), Some(at)) => Some((last - at).num_seconds().max(0)),
        _ => None,
    };
    let error = file.as_ref().and_then(|s| s.error.clone()).filter(|_| running);
    if json {
        let v = json!({
            "town": up.town, "nats": up.nats, "running": running, "connected": connected,
            "acked_seq": acked, "last_seq": state.last_seq, "lag_events": lag, "lag_seconds": lag_secs,
            "error": error,
        });
        super::write_json(out, &v)?;
        return Ok(Exit::Ok);
    }
    let word = match (running, connected) {
        (false, _) => t(lang, "uplink.not_running"),
        (true, true) => t(lang, "uplink.connected"),
        (true, false) => t(lang, "uplink.disconnected"),
    };
    writeln!(out, "{} {} -> {}: {word}", t(lang, "uplink.town"), up.town, crate::text::scrub(&up.nats))?;
    writeln!(out, "{} {acked} / {}", t(lang, "uplink.acked"), state.last_seq)?;
    let secs = lag_secs.map_or("-".to_string(), |s| format!("{s} s"));
    writeln!(out, "{} {lag} {}, {secs}", t(lang, "uplink.lag"), t(lang, "cli.events"))?;
    if let Some(e) = error {
        writeln!(out, "{} {}", t(lang, "uplink.error"), crate::text::scrub(&e))?;
    }
    Ok(Exit::Ok)
}
