//! `EngineHandle`: runs an engine on its own thread so that many submitters share flushes, and
//! ticks it while idle. Imports the engine and the api types; never a face.

use super::Engine;
use crate::api::{Caller, Fault, Refusal, Reply, Request};
use std::sync::mpsc;

/// Runs an engine on its own thread so that many submitters share flushes.
#[derive(Clone)]
pub struct EngineHandle {
    tx: mpsc::Sender<Msg>,
}

type Job = Box<dyn FnOnce(&mut Engine) + Send>;

enum Msg {
    Submit(Box<(Caller, Request, mpsc::Sender<Reply>)>),
    Run(Job),
}

/// The most commands folded into one flush.
pub const MAX_BATCH: usize = 256;

impl EngineHandle {
    pub fn spawn(engine: Engine) -> (EngineHandle, std::thread::JoinHandle<Engine>) {
        Self::run(engine, None)
    }

    /// Like `spawn`, and re-evaluates time-based alerts every `every` while idle or busy.
    pub fn spawn_ticking(
        engine: Engine,
        every: std::time::Duration,
    ) -> (EngineHandle, std::thread::JoinHandle<Engine>) {
        Self::run(engine, Some(every))
    }

    fn run(mut engine: Engine, tick: Option<std::time::Duration>) -> (EngineHandle, std::thread::JoinHandle<Engine>) {
        let (tx, rx) = mpsc::channel::<Msg>();
        let join = std::thread::spawn(move || {
            let mut last_tick = std::time::Instant::now();
            loop {
                let first = match tick {
                    None => match rx.recv() {
                        Ok(m) => m,
                        Err(_) => break,
                    },
                    Some(every) => {
                        let wait = every.saturating_sub(last_tick.elapsed());
                        match rx.recv_timeout(wait) {
                            Ok(m) => m,
                            Err(mpsc::RecvTimeoutError::Timeout) => {
                                let _ = engine.tick();
                                last_tick = std::time::Instant::now();
                                continue;
                            }
                            Err(mpsc::RecvTimeoutError::Disconnected) => break,
                        }
                    }
                };
                let mut batch = Vec::new();
                let mut jobs = Vec::new();
                let mut push = |m: Msg, batch: &mut Vec<_>| match m {
                    Msg::Submit(b) => batch.push(*b),
                    Msg::Run(f) => jobs.push(f),
                };
                push(first, &mut batch);
                while batch.len() < MAX_BATCH {
                    match rx.try_recv() {
                        Ok(m) => push(m, &mut batch),
                        Err(_) => break,
                    }
                }
                if !batch.is_empty() {
                    let (reqs, replies): (Vec<_>, Vec<_>) = batch.into_iter().map(|(c, r, tx)| ((c, r), tx)).unzip();
                    for (reply, tx) in engine.submit_batch(reqs).into_iter().zip(replies) {
                        let _ = tx.send(reply);
                    }
                }
                for job in jobs {
                    job(&mut engine);
                }
            }
            engine
        });
        (EngineHandle { tx }, join)
    }

    /// Submits a command and waits for its durable result.
    pub fn submit(&self, caller: &Caller, req: Request) -> Reply {
        let (tx, rx) = mpsc::channel();
        let stopped = || Refusal::Fault(Fault::Stopped);
        self.tx.send(Msg::Submit(Box::new((caller.clone(), req, tx)))).map_err(|_| stopped())?;
        rx.recv().map_err(|_| stopped())?
    }

    /// Runs `f` on the engine's thread, between batches, and returns its result.
    pub fn with<T: Send + 'static>(&self, f: impl FnOnce(&mut Engine) -> T + Send + 'static) -> Option<T> {
        let (tx, rx) = mpsc::channel();
        let job: Job = Box::new(move |e| {
            let _ = tx.send(f(e));
        });
        self.tx.send(Msg::Run(job)).ok()?;
        rx.recv().ok()
    }
}
