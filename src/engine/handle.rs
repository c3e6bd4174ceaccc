//! `EngineHandle`: runs an engine on its own thread so that many submitters share flushes, and
//! ticks it while idle. Imports the engine, the store's flusher and the api types; never a face.
//!
//! The engine's thread and a flusher thread form a two-stage pipeline: while one batch is
//! being flushed, the next is applied and written (`Engine::stage`), so the disk's sync time
//! is no longer added to every batch's. Replies and listeners still hear of a batch only after
//! its own flush (`Engine::settle`), in the order the batches were staged.

use super::{Engine, Staged};
use crate::api::{Caller, Fault, Refusal, Reply, Request};
use crate::store::{Flusher, StoreError};
use crossbeam_channel::{select, Receiver, Sender};
use std::collections::VecDeque;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Runs an engine on its own thread so that many submitters share flushes.
#[derive(Clone)]
pub struct EngineHandle {
    tx: Sender<Msg>,
}

type Job = Box<dyn FnOnce(&mut Engine) + Send>;

enum Msg {
    Submit(Box<(Caller, Request, mpsc::Sender<Reply>)>),
    Run(Job),
}

/// The most commands folded into one flush.
pub const MAX_BATCH: usize = 256;

/// How long the engine's thread waits for work when it has no tick to keep.
const IDLE: Duration = Duration::from_secs(3600);

impl EngineHandle {
    pub fn spawn(engine: Engine) -> (EngineHandle, std::thread::JoinHandle<Engine>) {
        Self::run(engine, None)
    }

    /// Like `spawn`, and re-evaluates time-based alerts every `every` while idle or busy.
    pub fn spawn_ticking(engine: Engine, every: Duration) -> (EngineHandle, std::thread::JoinHandle<Engine>) {
        Self::run(engine, Some(every))
    }

    fn run(engine: Engine, tick: Option<Duration>) -> (EngineHandle, std::thread::JoinHandle<Engine>) {
        let (tx, rx) = crossbeam_channel::unbounded::<Msg>();
        let join = std::thread::spawn(move || Pipeline::new(engine).run(&rx, tick));
        (EngineHandle { tx }, join)
    }

    /// Submits a command and waits for its durable result.
    pub fn submit(&self, caller: &Caller, req: Request) -> Reply {
        let (tx, rx) = mpsc::channel();
        let stopped = || Refusal::Fault(Fault::Stopped);
        self.tx.send(Msg::Submit(Box::new((caller.clone(), req, tx)))).map_err(|_| stopped())?;
        rx.recv().map_err(|_| stopped())?
    }

    /// Runs `f` on the engine's thread, once every batch before it is durable, and returns
    /// its result.
    pub fn with<T: Send + 'static>(&self, f: impl FnOnce(&mut Engine) -> T + Send + 'static) -> Option<T> {
        let (tx, rx) = mpsc::channel();
        let job: Job = Box::new(move |e| {
            let _ = tx.send(f(e));
        });
        self.tx.send(Msg::Run(job)).ok()?;
        rx.recv().ok()
    }
}

/// A staged batch and where its replies go.
struct InFlight {
    staged: Staged,
    to: Vec<mpsc::Sender<Reply>>,
}

/// The engine's side of the pipeline: the batches staged and not yet answered, oldest first,
/// and the flusher thread's two channels. Each written batch sends one flush request and gets
/// one result back, in order.
struct Pipeline {
    engine: Engine,
    in_flight: VecDeque<InFlight>,
    flush: Sender<Result<Flusher, StoreError>>,
    flushed: Receiver<Result<(), StoreError>>,
}

impl Pipeline {
    fn new(engine: Engine) -> Pipeline {
        let (flush, flushed) = spawn_flusher();
        Pipeline { engine, in_flight: VecDeque::new(), flush, flushed }
    }

    /// Until every handle is dropped: takes submissions and jobs, settles flushed batches, and
    /// ticks when nothing is in flight. Returns the engine once everything staged is settled.
    fn run(mut self, rx: &Receiver<Msg>, tick: Option<Duration>) -> Engine {
        let mut last_tick = Instant::now();
        loop {
            let flushed = self.flushed.clone();
            let idle = self.in_flight.is_empty();
            let wait = match tick {
                Some(every) if idle => every.saturating_sub(last_tick.elapsed()),
                _ => IDLE,
            };
            select! {
                recv(rx) -> m => match m {
                    Ok(m) => self.take(m, rx),
                    Err(_) => break,
                },
                recv(flushed) -> r => match r {
                    Ok(r) => self.settle_front(r),
                    Err(_) => self.restart_flusher(),
                },
                default(wait) => {
                    if idle && tick.is_some() {
                        let _ = self.engine.tick();
                        last_tick = Instant::now();
                    }
                }
            }
        }
        self.drain();
        self.engine
    }

    /// Folds `first` and whatever else is waiting (up to `MAX_BATCH` commands) into a batch. A
    /// job runs where it came, after the commands before it are durable.
    fn take(&mut self, first: Msg, rx: &Receiver<Msg>) {
        let mut batch = Vec::new();
        let mut next = Some(first);
        while let Some(m) = next {
            match m {
                Msg::Submit(b) => batch.push(*b),
                Msg::Run(job) => {
                    self.stage(std::mem::take(&mut batch));
                    self.drain();
                    job(&mut self.engine);
                }
            }
            next = if batch.len() < MAX_BATCH { rx.try_recv().ok() } else { None };
        }
        self.stage(batch);
    }

    /// Stages a batch and, when it wrote anything, asks the flusher to make it durable.
    fn stage(&mut self, batch: Vec<(Caller, Request, mpsc::Sender<Reply>)>) {
        if batch.is_empty() {
            return;
        }
        let (reqs, to): (Vec<_>, Vec<_>) = batch.into_iter().map(|(c, r, tx)| ((c, r), tx)).unzip();
        let staged = self.engine.stage(reqs);
        let lost = staged.is_written() && self.flush.send(self.engine.store().flusher()).is_err();
        self.in_flight.push_back(InFlight { staged, to });
        if lost {
            self.restart_flusher();
        } else {
            self.answer_ready();
        }
    }

    /// After the flusher thread is gone (it can only have panicked): settles what is in
    /// flight by flushing here, and starts a new one.
    fn restart_flusher(&mut self) {
        self.drain();
        (self.flush, self.flushed) = spawn_flusher();
    }

    /// Settles the oldest written batch with its flush's result. After a failed flush the
    /// later batches were staged on a state that settling this one reads back from the disk:
    /// once their flushes are back (the flusher lets go of the store), they are submitted
    /// again, in order.
    fn settle_front(&mut self, flushed: Result<(), StoreError>) {
        let Some(front) = self.in_flight.pop_front() else { return };
        let failed = flushed.is_err();
        if failed {
            let later = self.in_flight.iter().filter(|f| f.staged.is_written()).count();
            for _ in 0..later {
                let _ = self.flushed.recv();
            }
        }
        let replies = self.engine.settle(front.staged, flushed);
        send(front.to, replies);
        if failed {
            for f in std::mem::take(&mut self.in_flight) {
                let replies = self.engine.resubmit(f.staged);
                send(f.to, replies);
            }
        }
        self.answer_ready();
    }

    /// Answers the oldest batches that wait for no flush (refused, duplicates), in order.
    fn answer_ready(&mut self) {
        while self.in_flight.front().is_some_and(|f| !f.staged.is_written()) {
            if let Some(f) = self.in_flight.pop_front() {
                let replies = self.engine.settle(f.staged, Ok(()));
                send(f.to, replies);
            }
        }
    }

    /// Waits until every staged batch is settled (flushing here if the flusher is gone).
    fn drain(&mut self) {
        while !self.in_flight.is_empty() {
            let flushed = self.flushed.recv().unwrap_or_else(|_| self.engine.store().flush());
            self.settle_front(flushed);
        }
    }
}

fn send(to: Vec<mpsc::Sender<Reply>>, replies: Vec<Reply>) {
    for (tx, reply) in to.into_iter().zip(replies) {
        let _ = tx.send(reply);
    }
}

type Flushes = (Sender<Result<Flusher, StoreError>>, Receiver<Result<(), StoreError>>);

/// Starts a flusher thread: where to send it flush requests, where its results come back.
fn spawn_flusher() -> Flushes {
    let (flush, requests) = crossbeam_channel::unbounded();
    let (results, flushed) = crossbeam_channel::unbounded();
    std::thread::spawn(move || flusher(&requests, &results));
    (flush, flushed)
}

/// The flusher thread: flushes once for every request waiting (a flush makes everything
/// written before it durable) and answers each request in order. Ends when the pipeline does.
fn flusher(requests: &Receiver<Result<Flusher, StoreError>>, results: &Sender<Result<(), StoreError>>) {
    while let Ok(first) = requests.recv() {
        let mut waiting = vec![first];
        waiting.extend(requests.try_iter());
        let mut answer = None;
        for request in waiting {
            let result = match request {
                Err(e) => Err(e),
                Ok(f) => answer.get_or_insert_with(|| f.flush()).clone(),
            };
            if results.send(result).is_err() {
                return;
            }
        }
    }
}
