//! The town's uplink: `baogong serve` with `[uplink]` publishes every committed event to the
//! county's JetStream (`baogong.<town>.events`, message id `<town>:<seq>`), in order, and
//! records the last sequence the server acknowledged in the store (`Store::uplink_acked`).
//! After a restart or an outage it resumes from the later of that cursor and the stream's own
//! last message for the town, and the server drops anything sent twice, so the county gets
//! every event exactly once. It never blocks the engine: it reads the events the engine
//! already broadcasts to the faces, and only when it fell behind (start-up, an outage, a
//! broadcast it lagged on) asks the engine for up to `BATCH` stored events at a time; it lags
//! at worst. Its state for `baogong uplink status` goes to `DIR/uplink.json`. Households'
//! and callers' names, addresses and phones never leave the town (`privacy::outward`).
//! Imports the engine handle, the config and the domain; never the store, a face or the cli.

pub mod status;
pub mod stream;

pub use status::UplinkStatus;

use crate::config::UplinkConfig;
use crate::domain::{privacy, Event};
use crate::engine::EngineHandle;
use async_nats::jetstream;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast::{self, error::TryRecvError};

/// The most events published before waiting for their acknowledgements, and read from the
/// store at once when catching up.
pub const BATCH: usize = 256;

/// What the uplink needs while it runs.
pub struct Uplink {
    pub dir: PathBuf,
    pub config: UplinkConfig,
    pub handle: EngineHandle,
    pub events: broadcast::Receiver<Arc<Event>>,
    /// The daemon's log.
    pub log: fn(&str),
}

/// Refuses an `[uplink] town` that is not the store's own town code (when it has one): two
/// codes for one town would split its events between two subjects.
pub fn check_code(store_code: &str, config: &UplinkConfig) -> Result<(), String> {
    if store_code.is_empty() || store_code == config.town {
        return Ok(());
    }
    Err(format!(
        "[uplink] town = \"{}\" but this store's town code is \"{store_code}\" (baogong town --code); make them the same",
        config.town
    ))
}

impl Uplink {
    /// Publishes until the process ends: connects (retrying with backoff up to 30 s), resumes,
    /// publishes; on any failure writes the status, waits and starts again.
    pub async fn run(mut self) {
        let mut st = UplinkStatus::new(&self.config);
        st.acked = self.handle.with(|e| e.store().uplink_acked()).and_then(Result::ok).unwrap_or(0);
        let mut backoff = Duration::from_millis(250);
        loop {
            st.save(&self.dir);
            let client = match stream::connect(&self.config.nats, self.config.credentials.as_deref()).await {
                Ok(c) => c,
                Err(e) => {
                    self.failed(&mut st, format!("cannot reach {}: {e}", self.config.nats));
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(Duration::from_secs(30));
                    continue;
                }
            };
            backoff = Duration::from_millis(250);
            let js = stream::context(client.clone()).await;
            let on_server = last_on_server(&js, &self.config.town).await;
            if on_server > st.acked {
                self.record(&mut st, on_server, None);
            }
            st.connected = true;
            st.error = None;
            (self.log)(&format!("uplink: connected to {}, resuming after event {}", self.config.nats, st.acked));
            let err = self.publish(&js, &client, &mut st).await;
            self.failed(&mut st, err);
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }

    fn failed(&self, st: &mut UplinkStatus, error: String) {
        if st.error.as_deref() != Some(error.as_str()) {
            (self.log)(&format!("uplink: {error}"));
        }
        st.connected = false;
        st.error = Some(error);
        st.save(&self.dir);
    }

    /// Records the acknowledged cursor in the store (a tiny write on the engine's thread,
    /// between its batches) and in the status file.
    fn record(&self, st: &mut UplinkStatus, acked: u64, at: Option<chrono::DateTime<chrono::FixedOffset>>) {
        st.acked = acked;
        if at.is_some() {
            st.acked_at = at;
        }
        let _ = self.handle.with(move |e| e.store().set_uplink_acked(acked));
        st.save(&self.dir);
    }

    /// Publishes batch after batch, each in order and acknowledged before the next; returns
    /// why it stopped.
    async fn publish(&mut self, js: &jetstream::Context, client: &async_nats::Client, st: &mut UplinkStatus) -> String {
        let subject = stream::subject(&self.config.town);
        let mut caught_up = false;
        loop {
            let batch = match self.next_batch(st.acked + 1, &mut caught_up).await {
                Ok(b) => b,
                Err(e) => return e,
            };
            if batch.is_empty() {
                if client.connection_state() != async_nats::connection::State::Connected {
                    return format!("lost the connection to {}", self.config.nats);
                }
                continue;
            }
            let mut acks = Vec::with_capacity(batch.len());
            for ev in &batch {
                let mut headers = async_nats::HeaderMap::new();
                headers.insert(async_nats::header::NATS_MESSAGE_ID, stream::msg_id(&self.config.town, ev.seq).as_str());
                let payload = match if privacy::personal(ev) {
                    serde_json::to_vec(&privacy::outward(ev))
                } else {
                    serde_json::to_vec(&**ev)
                } {
                    Ok(p) => p,
                    Err(e) => return format!("event {}: {e}", ev.seq),
                };
                match js.publish_with_headers(subject.clone(), headers, payload.into()).await {
                    Ok(ack) => acks.push(ack),
                    Err(e) => return format!("publishing event {}: {e}", ev.seq),
                }
            }
            let mut acked = None;
            let mut error = None;
            for (ev, ack) in batch.iter().zip(acks) {
                match ack.await {
                    Ok(_) => acked = Some((ev.seq, ev.at)),
                    Err(e) => {
                        error = Some(format!("the server did not acknowledge event {}: {e}", ev.seq));
                        break;
                    }
                }
            }
            if let Some((seq, at)) = acked {
                self.record(st, seq, Some(at));
            }
            if let Some(e) = error {
                return e;
            }
        }
    }

    /// The next events from `next` on, in order: those the engine broadcast when they follow
    /// on, else up to `BATCH` read from the store. Empty after a second with nothing new.
    async fn next_batch(&mut self, next: u64, caught_up: &mut bool) -> Result<Vec<Arc<Event>>, String> {
        let mut live: Vec<Arc<Event>> = Vec::new();
        let mut lagged = false;
        loop {
            match self.events.try_recv() {
                Ok(ev) if ev.seq >= next => live.push(ev),
                Ok(_) => {}
                Err(TryRecvError::Lagged(_)) => lagged = true,
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Closed) => return Err("the engine stopped".into()),
            }
        }
        let follows = live.first().is_some_and(|e| e.seq == next) && live.windows(2).all(|w| w[1].seq == w[0].seq + 1);
        if follows && !lagged && *caught_up {
            live.truncate(BATCH);
            return Ok(live);
        }
        if live.is_empty() && !lagged && *caught_up {
            return match tokio::time::timeout(Duration::from_secs(1), self.events.recv()).await {
                Ok(Ok(ev)) if ev.seq == next => Ok(vec![ev]),
                Ok(Ok(_)) | Ok(Err(broadcast::error::RecvError::Lagged(_))) => {
                    *caught_up = false;
                    Ok(Vec::new())
                }
                Ok(Err(broadcast::error::RecvError::Closed)) => Err("the engine stopped".into()),
                Err(_) => Ok(Vec::new()),
            };
        }
        let stored = self
            .handle
            .with(move |e| e.store().events_from(next, BATCH))
            .ok_or("the engine stopped")?
            .map_err(|e| e.to_string())?;
        *caught_up = stored.len() < BATCH;
        Ok(stored.into_iter().map(Arc::new).collect())
    }
}

/// The town's last sequence the stream holds (from its last message's id), 0 when none or
/// when this user may not read it.
async fn last_on_server(js: &jetstream::Context, town: &str) -> u64 {
    let Ok(s) = js.get_stream(stream::STREAM).await else { return 0 };
    let Ok(msg) = s.get_last_raw_message_by_subject(&stream::subject(town)).await else { return 0 };
    let id = msg.headers.get(async_nats::header::NATS_MESSAGE_ID).map(|v| v.as_str().to_string());
    id.as_deref().and_then(stream::parse_msg_id).filter(|(t, _)| *t == town).map_or(0, |(_, seq)| seq)
}
