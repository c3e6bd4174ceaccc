//! Key encoding for the `views` tree: one tag byte per view, then the key's parts. Strings are
//! separated by a NUL byte (validation refuses control characters in codes), dates are
//! `YYYY-MM-DD` text and numbers big-endian, so keys sort as their values do.
//! Imports domain types and `rows::View` only; never the engine or a face.

use super::rows::View;
use crate::domain::state::ViewKey;
use chrono::NaiveDate;

pub fn tag(view: View) -> u8 {
    View::ALL.iter().position(|v| *v == view).unwrap_or(0) as u8 + 1
}

pub fn view_of(tag: u8) -> Option<View> {
    View::ALL.get((tag as usize).checked_sub(1)?).copied()
}

fn push_str(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(s.as_bytes());
    out.push(0);
}

fn push_date(out: &mut Vec<u8>, d: NaiveDate) {
    out.extend_from_slice(d.format("%Y-%m-%d").to_string().as_bytes());
    out.push(0);
}

pub fn encode(key: &ViewKey) -> Vec<u8> {
    let mut out = vec![tag(key.view())];
    match key {
        ViewKey::Settings => {}
        ViewKey::Zone(s)
        | ViewKey::Point(s)
        | ViewKey::Village(s)
        | ViewKey::Item(s)
        | ViewKey::Person(s)
        | ViewKey::Vehicle(s)
        | ViewKey::Household(s) => push_str(&mut out, s),
        ViewKey::Shift(t) => {
            // Flip the sign bit so negative timestamps sort first.
            out.extend_from_slice(&((t.timestamp() as u64) ^ (1 << 63)).to_be_bytes());
        }
        ViewKey::Handover(n)
        | ViewKey::Dispatch(n)
        | ViewKey::InFlight(n)
        | ViewKey::Delivery(n)
        | ViewKey::Alert(n)
        | ViewKey::OpenAlert(n)
        | ViewKey::Request(n)
        | ViewKey::Case(n) => out.extend_from_slice(&n.to_be_bytes()),
        ViewKey::Lot(p, i, b) => {
            push_str(&mut out, p);
            push_str(&mut out, i);
            push_str(&mut out, b);
        }
        ViewKey::Pair(p, i) => {
            push_str(&mut out, p);
            push_str(&mut out, i);
        }
        ViewKey::Flow(d, p, i) | ViewKey::Price(d, p, i) => {
            push_date(&mut out, *d);
            push_str(&mut out, p);
            push_str(&mut out, i);
        }
        ViewKey::Report(d, p) | ViewKey::Tally(d, p) => {
            push_date(&mut out, *d);
            push_str(&mut out, p);
        }
    }
    out
}

/// The first key of a date-keyed view on or after `date`.
pub fn date_floor(view: View, date: NaiveDate) -> Vec<u8> {
    let mut out = vec![tag(view)];
    out.extend_from_slice(date.format("%Y-%m-%d").to_string().as_bytes());
    out
}

/// The id inside a numeric key (dispatch, alert, handover and their indexes).
pub fn number_of(key: &[u8]) -> Option<u64> {
    let bytes: [u8; 8] = key.get(1..9)?.try_into().ok()?;
    Some(u64::from_be_bytes(bytes))
}

/// Events per row of the `events` tree. sled splits a leaf beyond 16 entries and keeps a few
/// hundred bytes in memory for every page from the moment it opens, so one row per event would
/// cost a page per ~9 events; a row holds `EVENTS_PER_ROW` consecutive events instead, as JSON
/// lines (compact JSON has no raw newline). Row `n` holds sequence numbers `n * 4 + 1 ..=
/// n * 4 + 4`. Each commit rewrites the last row (and sled the whole leaf every tenth change),
/// so longer rows cost commit throughput: 16 measured slower than 4 on single and group commit.
pub const EVENTS_PER_ROW: u64 = 4;

/// The row of the `events` tree that holds event `seq` (`seq` >= 1).
pub fn event_row(seq: u64) -> u64 {
    seq.saturating_sub(1) / EVENTS_PER_ROW
}

/// The first sequence number held by row `row` of the `events` tree.
pub fn first_seq(row: u64) -> u64 {
    row * EVENTS_PER_ROW + 1
}

pub fn row_key(row: u64) -> [u8; 8] {
    row.to_be_bytes()
}

/// The bucket of the `idem` tree that holds a command id: 16 bits of the id's FNV-1a hash
/// (fixed here, so buckets never move between builds or machines).
pub fn id_bucket(cmd_id: &str) -> [u8; 2] {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in cmd_id.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    ((h ^ (h >> 32)) as u16).to_be_bytes()
}

/// Appends one entry of an `idem` bucket: sequence number (8 bytes), id length (4 bytes), id.
pub fn push_id(out: &mut Vec<u8>, cmd_id: &str, seq: u64) {
    out.extend_from_slice(&seq.to_be_bytes());
    out.extend_from_slice(&(cmd_id.len() as u32).to_be_bytes());
    out.extend_from_slice(cmd_id.as_bytes());
}

/// An `idem` bucket that does not parse.
#[derive(Debug, PartialEq, Eq)]
pub struct BadBucket;

/// The sequence number recorded for `cmd_id` in an `idem` bucket.
pub fn find_id(bucket: &[u8], cmd_id: &str) -> Result<Option<u64>, BadBucket> {
    let mut rest = bucket;
    while !rest.is_empty() {
        let seq: [u8; 8] = rest.get(..8).and_then(|b| b.try_into().ok()).ok_or(BadBucket)?;
        let len: [u8; 4] = rest.get(8..12).and_then(|b| b.try_into().ok()).ok_or(BadBucket)?;
        let end = 12 + u32::from_be_bytes(len) as usize;
        let id = rest.get(12..end).ok_or(BadBucket)?;
        if id == cmd_id.as_bytes() {
            return Ok(Some(u64::from_be_bytes(seq)));
        }
        rest = &rest[end..];
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_rows_hold_four_consecutive_events() {
        assert_eq!(event_row(1), 0);
        assert_eq!(event_row(4), 0);
        assert_eq!(event_row(5), 1);
        assert_eq!(first_seq(event_row(7)), 5);
        assert_eq!(first_seq(0), 1);
    }

    #[test]
    fn id_buckets_find_their_ids() {
        let mut b = Vec::new();
        push_id(&mut b, "a", 1);
        push_id(&mut b, "", 2);
        push_id(&mut b, "bench-12", 3);
        assert_eq!(find_id(&b, "a"), Ok(Some(1)));
        assert_eq!(find_id(&b, ""), Ok(Some(2)));
        assert_eq!(find_id(&b, "bench-12"), Ok(Some(3)));
        assert_eq!(find_id(&b, "bench-1"), Ok(None));
        assert_eq!(find_id(&b[..5], "a"), Err(BadBucket));
        // The hash is fixed: a store written by one build is read by the next.
        assert_eq!(id_bucket("bench-1"), id_bucket("bench-1"));
        assert_ne!(id_bucket("bench-1"), id_bucket("bench-2"));
    }
}
