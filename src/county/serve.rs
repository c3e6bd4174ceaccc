//! `county serve`: a durable JetStream pull consumer (`stream::CONSUMER`) over every town's
//! subject. Each fetched batch is stored in the county store and flushed, then acknowledged:
//! a consumer killed between the two gets the batch again, which changes nothing (the store
//! and the replicas skip what they hold). Events apply to their town's replica in sequence
//! order (one after a gap waits in the store for the missing one). The towns whose events
//! changed get a new summary and `DIR/county.json` is rewritten once the consumer has caught
//! up (a fetch short of `FETCH`), and at least every `VIEW_EVERY` while full batches come. A
//! view costs one summary per town that changed (6.7 ms for a demo town, `benches/county.rs`).
//! On start the replicas are rebuilt from the county store: O(events held), once.

use super::{CountyView, Replica, TownSummary};
use crate::store::CountyStore;
use crate::uplink::stream;
use async_nats::jetstream::consumer::{pull, AckPolicy};
use color_eyre::eyre::{eyre, Result, WrapErr};
use futures_util::StreamExt;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The most messages taken in one fetch.
const FETCH: usize = 1000;
/// How often, at most, the view file is rewritten while events arrive.
const VIEW_EVERY: Duration = Duration::from_millis(200);

pub struct County {
    dir: PathBuf,
    store: CountyStore,
    replicas: BTreeMap<String, Replica>,
    summaries: BTreeMap<String, TownSummary>,
    dirty: BTreeSet<String>,
    silent_minutes: u64,
}

impl County {
    /// Opens the county store in `dir` and replays what it holds.
    pub fn open(dir: &Path, silent_minutes: u64) -> Result<County> {
        let store = CountyStore::open(dir)?;
        let mut county = County {
            dir: dir.to_path_buf(),
            store,
            replicas: BTreeMap::new(),
            summaries: BTreeMap::new(),
            dirty: BTreeSet::new(),
            silent_minutes,
        };
        for (town, _) in county.store.towns()? {
            county.catch_up(&town)?;
        }
        county.write_view()?;
        Ok(county)
    }

    /// Applies the town's stored events that follow on from its replica.
    fn catch_up(&mut self, town: &str) -> Result<()> {
        let r = self.replicas.entry(town.to_string()).or_insert_with(|| Replica::new(town));
        let before = r.applied;
        while let Some(ev) = self.store.event(town, r.applied + 1)? {
            r.apply(&ev);
        }
        if r.applied != before {
            self.store.set_applied(town, r.applied)?;
            self.dirty.insert(town.to_string());
        }
        Ok(())
    }

    /// Stores a batch of (town, event), then applies what follows on. The caller acknowledges
    /// the messages after this returns.
    pub fn receive(&mut self, batch: Vec<(String, crate::domain::Event)>) -> Result<()> {
        if batch.is_empty() {
            return Ok(());
        }
        self.store.receive(&batch)?;
        let towns: BTreeSet<String> = batch.into_iter().map(|(t, _)| t).collect();
        for town in towns {
            self.catch_up(&town)?;
        }
        Ok(())
    }

    /// Recomputes the summaries of the towns that changed and rewrites the view file.
    pub fn write_view(&mut self) -> Result<()> {
        let now = chrono::Local::now().fixed_offset();
        for town in std::mem::take(&mut self.dirty) {
            if let Some(r) = self.replicas.get(&town) {
                self.summaries.insert(town, TownSummary::of(r, now));
            }
        }
        let view = CountyView {
            updated_at: Some(now),
            silent_minutes: self.silent_minutes,
            towns: self.summaries.values().cloned().collect(),
        };
        view.save(&self.dir).wrap_err_with(|| format!("writing {}", self.dir.join(super::summary::VIEW_FILE).display()))
    }

    pub fn replicas(&self) -> &BTreeMap<String, Replica> {
        &self.replicas
    }
}

/// Runs the consumer until SIGTERM/SIGINT, reconnecting after any failure.
pub fn serve(dir: &Path, nats: &str, credentials: Option<&Path>, silent_minutes: u64) -> Result<()> {
    crate::store::declare_holder(crate::store::Holder::Daemon);
    let mut county = County::open(dir, silent_minutes)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .wrap_err("starting the runtime")?;
    runtime.block_on(async {
        use tokio::signal::unix::{signal, SignalKind};
        let mut term = signal(SignalKind::terminate()).wrap_err("SIGTERM handler")?;
        let mut int = signal(SignalKind::interrupt()).wrap_err("SIGINT handler")?;
        let mut said = String::new();
        loop {
            tokio::select! {
                err = consume(&mut county, nats, credentials) => {
                    if err != said {
                        eprintln!("{} baogong county: {}", chrono::Local::now().format("%Y-%m-%d %H:%M:%S"), crate::text::escape_controls(&err));
                        said = err;
                    }
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
                _ = term.recv() => return Ok(()),
                _ = int.recv() => return Ok(()),
            }
        }
    })
}

/// Connects and consumes until something fails; returns what.
async fn consume(county: &mut County, nats: &str, credentials: Option<&Path>) -> String {
    match consume_inner(county, nats, credentials).await {
        Ok(()) => "the consumer stopped".into(),
        Err(e) => format!("{e:#}"),
    }
}

async fn consume_inner(county: &mut County, nats: &str, credentials: Option<&Path>) -> Result<()> {
    let client = stream::connect(nats, credentials).await.map_err(|e| eyre!("cannot reach {nats}: {e}"))?;
    let js = stream::context(client).await;
    let s = js.get_stream(stream::STREAM).await.map_err(|e| eyre!("the stream {}: {e}", stream::STREAM))?;
    let config = pull::Config {
        durable_name: Some(stream::CONSUMER.into()),
        ack_policy: AckPolicy::Explicit,
        ack_wait: Duration::from_secs(30),
        max_ack_pending: 20_000,
        ..Default::default()
    };
    let consumer = s.get_or_create_consumer(stream::CONSUMER, config).await.map_err(|e| eyre!("the consumer: {e}"))?;
    eprintln!(
        "{} baogong county: consuming {} on {nats}",
        chrono::Local::now().format("%Y-%m-%d %H:%M:%S"),
        stream::STREAM
    );
    let mut last_view = Instant::now();
    loop {
        let mut msgs = consumer
            .batch()
            .max_messages(FETCH)
            .expires(Duration::from_millis(100))
            .messages()
            .await
            .map_err(|e| eyre!("fetching: {e}"))?;
        let mut taken = Vec::new();
        let mut batch = Vec::new();
        while let Some(m) = msgs.next().await {
            let m = m.map_err(|e| eyre!("fetching: {e}"))?;
            if let Some(ev) = decode(&m.subject, &m.payload) {
                batch.push(ev);
            }
            taken.push(m);
        }
        county.receive(batch)?;
        for m in &taken {
            m.ack().await.map_err(|e| eyre!("acknowledging: {e}"))?;
        }
        if !county.dirty.is_empty() && (taken.len() < FETCH || last_view.elapsed() >= VIEW_EVERY) {
            county.write_view()?;
            last_view = Instant::now();
        }
    }
}

/// A town's event from a message on its subject; None (and acknowledged, so never seen again)
/// for anything else.
pub fn decode(subject: &str, payload: &[u8]) -> Option<(String, crate::domain::Event)> {
    let town = stream::town_of(subject)?;
    let ev: crate::domain::Event = serde_json::from_slice(payload).ok()?;
    Some((town.to_string(), ev))
}
