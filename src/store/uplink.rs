//! The uplink's cursor in the town's store: the last event sequence the county's JetStream
//! server acknowledged (`meta` key `uplink_acked`). Written outside the batch transactions (it
//! describes the server, not the ledger) and made durable by sled's background flush or the
//! next commit's; a cursor lost to a crash only means republishing what the server already
//! holds, which it drops as duplicates. Never imports the engine, the link or a face.

use super::{Store, StoreError};

const ACKED: &str = "uplink_acked";

impl Store {
    /// The last sequence the county's server acknowledged; 0 when none.
    pub fn uplink_acked(&self) -> Result<u64, StoreError> {
        let v = self.t()?.meta.get(ACKED).map_err(|e| self.sled(&e))?;
        Ok(v.and_then(|v| v.as_ref().try_into().ok()).map_or(0, u64::from_be_bytes))
    }

    /// Records that the server acknowledged every event up to `seq`. O(1), no flush.
    pub fn set_uplink_acked(&self, seq: u64) -> Result<(), StoreError> {
        self.t()?.meta.insert(ACKED, &seq.to_be_bytes()).map(|_| ()).map_err(|e| self.sled(&e))
    }
}
