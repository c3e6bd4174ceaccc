//! Key encoding for the `views` tree: one tag byte per view, then the key's parts. Strings are
//! separated by a NUL byte (validation refuses control characters in codes), dates are
//! `YYYY-MM-DD` text and numbers big-endian, so keys sort as their values do.

use crate::domain::state::{View, ViewKey};
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
        | ViewKey::Vehicle(s) => push_str(&mut out, s),
        ViewKey::Shift(t) => {
            // Flip the sign bit so negative timestamps sort first.
            out.extend_from_slice(&((t.timestamp() as u64) ^ (1 << 63)).to_be_bytes());
        }
        ViewKey::Handover(n)
        | ViewKey::Dispatch(n)
        | ViewKey::InFlight(n)
        | ViewKey::Alert(n)
        | ViewKey::OpenAlert(n) => out.extend_from_slice(&n.to_be_bytes()),
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
        ViewKey::Report(d, p) => {
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

pub fn seq_key(seq: u64) -> [u8; 8] {
    seq.to_be_bytes()
}
