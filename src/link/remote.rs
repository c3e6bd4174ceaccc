//! The daemon side of the link for one-shot commands: each call attaches over the socket,
//! does one thing (snapshot, listing, submit, batch, export, check) and hangs up. Full-screen faces stay
//! attached through `client::run_link` instead.

use super::client::{self, Session};
use crate::api::{Listed, Query, Reply, Request};
use crate::domain::command::Event;
use crate::domain::state::State;
use crate::domain::Lang;
use crate::proto::FaceKind;
use crate::store::CheckReport;
use chrono::{DateTime, FixedOffset};
use color_eyre::eyre::Result;
use std::path::{Path, PathBuf};

/// The daemon serving a data directory, attached to as `face`.
pub struct Remote {
    dir: PathBuf,
    face: FaceKind,
}

impl Remote {
    pub fn new(dir: &Path, face: FaceKind) -> Remote {
        Remote { dir: dir.to_path_buf(), face }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn face(&self) -> &FaceKind {
        &self.face
    }

    pub fn snapshot(&self) -> Result<(State, DateTime<FixedOffset>)> {
        let (session, state) = client::block_on(client::connect(&self.dir, self.face.clone(), true))??;
        Ok((state.unwrap_or_default(), session.now))
    }

    /// A listing rendered by the daemon: no snapshot crosses the socket.
    pub fn listing(&self, query: Query, lang: Lang) -> Result<Listed> {
        self.session(|mut s| async move { s.listing(query, lang).await })
    }

    pub fn submit(&self, req: Request) -> Result<Reply> {
        self.session(|mut s| async move { s.submit(req).await })
    }

    pub fn submit_atomic(&self, reqs: Vec<Request>) -> Result<Vec<Reply>> {
        if reqs.is_empty() {
            return Ok(Vec::new());
        }
        self.session(|mut s| async move { s.submit_batch(reqs).await })
    }

    pub fn export_events(&self, each: &mut dyn FnMut(&Event) -> std::io::Result<()>) -> Result<()> {
        self.session(|mut s| async move { s.export(each).await })
    }

    pub fn check(&self) -> Result<CheckReport> {
        let (events, rows, differences) = self.session(|mut s| async move { s.check().await })?;
        Ok(CheckReport { events, rows, differences })
    }

    /// Attaches without the state, runs `f` on the session and returns what it got.
    fn session<T, F, Fut>(&self, f: F) -> Result<T>
    where
        F: FnOnce(Session) -> Fut,
        Fut: std::future::Future<Output = Result<T, client::AttachError>>,
    {
        let (dir, face) = (self.dir.clone(), self.face.clone());
        Ok(client::block_on(async move {
            let (session, _) = client::connect(&dir, face, false).await?;
            f(session).await
        })??)
    }
}
