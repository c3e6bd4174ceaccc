//! Where the engine's time comes from: the machine's clock, or a manual one for tests, scenario
//! seeding and simulations. A leaf: imports nothing of the crate.

use chrono::{DateTime, Duration, FixedOffset};
use std::sync::{Arc, Mutex};

/// Where the engine's time comes from.
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<FixedOffset>;
}

/// The machine's clock in the local time zone.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<FixedOffset> {
        chrono::Local::now().fixed_offset()
    }
}

/// A clock that only moves when told (tests, scenario seeding, simulations).
#[derive(Clone)]
pub struct ManualClock(Arc<Mutex<DateTime<FixedOffset>>>);

impl ManualClock {
    pub fn new(at: DateTime<FixedOffset>) -> ManualClock {
        ManualClock(Arc::new(Mutex::new(at)))
    }

    pub fn set(&self, at: DateTime<FixedOffset>) {
        if let Ok(mut t) = self.0.lock() {
            *t = at;
        }
    }

    pub fn advance(&self, by: Duration) {
        if let Ok(mut t) = self.0.lock() {
            *t += by;
        }
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<FixedOffset> {
        self.0.lock().map(|t| *t).unwrap_or_else(|p| *p.into_inner())
    }
}
