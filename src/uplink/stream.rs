//! What towns and the county agree on in JetStream: the stream `BAOGONG` holding the subjects
//! `baogong.<town>.events` (file storage; one message per town event, message id
//! `<town>:<seq>` so the server drops a republished event), and how a client connects (a URL
//! that may carry `user:password@`, and an optional credentials file). Imports nothing of
//! baogong but the domain's town-code rule.

use async_nats::jetstream::{self, stream};
use std::path::Path;
use std::time::Duration;

/// The stream every town publishes into.
pub const STREAM: &str = "BAOGONG";

/// The county's durable consumer.
pub const CONSUMER: &str = "county";

/// How long the server remembers a message id (its duplicate window). The uplink also resumes
/// from its acknowledged cursor and the stream's last message for the town, so a resend after
/// a longer outage does not depend on this window.
pub const DUPLICATE_WINDOW: Duration = Duration::from_secs(24 * 3600);

/// The subject a town publishes to.
pub fn subject(town: &str) -> String {
    format!("baogong.{town}.events")
}

/// The message id of a town's event.
pub fn msg_id(town: &str, seq: u64) -> String {
    format!("{town}:{seq}")
}

/// The town and sequence a message id names, if it is one.
pub fn parse_msg_id(id: &str) -> Option<(&str, u64)> {
    let (town, seq) = id.rsplit_once(':')?;
    Some((town, seq.parse().ok()?))
}

/// The town a subject belongs to, if it is a town's subject with a valid code.
pub fn town_of(subject: &str) -> Option<&str> {
    let town = subject.strip_prefix("baogong.")?.strip_suffix(".events")?;
    crate::domain::ident::town_code_ok(town).then_some(town)
}

/// The stream's configuration (created by whichever side gets there first and may).
pub fn config() -> stream::Config {
    stream::Config {
        name: STREAM.into(),
        subjects: vec!["baogong.*.events".into()],
        storage: stream::StorageType::File,
        duplicate_window: DUPLICATE_WINDOW,
        ..Default::default()
    }
}

/// Connects to `url`, with a credentials file when given. Fails fast (the caller retries).
pub async fn connect(url: &str, credentials: Option<&Path>) -> Result<async_nats::Client, String> {
    let mut options = async_nats::ConnectOptions::new()
        .connection_timeout(Duration::from_secs(5))
        .request_timeout(Some(Duration::from_secs(5)))
        .name("baogong");
    // `nats://user:password@host:port`: the user goes in the CONNECT, the rest is the address.
    let (url, user) = split_user(url);
    if let Some((user, password)) = user {
        options = options.user_and_password(user, password);
    }
    if let Some(path) = credentials {
        options = options.credentials_file(path).await.map_err(|e| format!("credentials {}: {e}", path.display()))?;
    }
    options.connect(url).await.map_err(|e| e.to_string())
}

/// The JetStream context of a connection, with the stream made if this user may.
pub async fn context(client: async_nats::Client) -> jetstream::Context {
    let js = jetstream::new(client);
    // A town's user may lack the right to create streams: then the county made it.
    let _ = js.get_or_create_stream(config()).await;
    js
}

/// A URL without its `user:password@`, and that pair when it has one.
fn split_user(url: &str) -> (String, Option<(String, String)>) {
    let (scheme, rest) = url.split_once("://").unwrap_or(("nats", url));
    match rest.rsplit_once('@') {
        Some((cred, host)) => {
            let (user, password) = cred.split_once(':').unwrap_or((cred, ""));
            (format!("{scheme}://{host}"), Some((user.to_string(), password.to_string())))
        }
        None => (url.to_string(), None),
    }
}
