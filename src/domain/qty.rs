//! Quantities and money as exact integers: a `Qty` counts thousandths of an item's unit, a `Fen`
//! counts hundredths of a yuan. Owns parsing and display of both; knows nothing of items or I/O.
//! A leaf: imports nothing of the crate.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A quantity in thousandths of the item's unit (so 1.5 kg is `Qty(1500)`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Qty(pub i64);

/// The largest quantity one command may move: a billion units is a typing mistake, not a delivery.
pub const MAX_QTY: Qty = Qty(1_000_000_000 * Qty::SCALE);

impl Qty {
    pub const SCALE: i64 = 1000;
    pub const ZERO: Qty = Qty(0);

    /// `n` whole units (saturating: no count of units reaches the bound).
    pub fn units(n: i64) -> Qty {
        Qty(n.saturating_mul(Self::SCALE))
    }

    /// The sum, or none when it would overflow.
    pub fn checked_add(self, o: Qty) -> Option<Qty> {
        self.0.checked_add(o.0).map(Qty)
    }

    /// The difference, or none when it would overflow.
    pub fn checked_sub(self, o: Qty) -> Option<Qty> {
        self.0.checked_sub(o.0).map(Qty)
    }

    /// The size of a signed quantity (a correction), or none for `i64::MIN`, which has none.
    pub fn checked_abs(self) -> Option<Qty> {
        self.0.checked_abs().map(Qty)
    }

    /// Whether one command may move this much: positive and at most `MAX_QTY`.
    pub fn in_range(self) -> bool {
        self.0 > 0 && self <= MAX_QTY
    }

    pub fn as_f64(self) -> f64 {
        self.0 as f64 / Self::SCALE as f64
    }

    pub fn is_whole(self) -> bool {
        self.0 % Self::SCALE == 0
    }

    /// Parses "12", "12.5", "0.125"; at most three decimals. Sign allowed ("-3" for adjustments).
    pub fn parse(text: &str) -> Result<Qty, QtyError> {
        let t = text.trim();
        if t.is_empty() {
            return Err(QtyError::Empty);
        }
        let (neg, body) = match t.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, t.strip_prefix('+').unwrap_or(t)),
        };
        let (int, frac) = match body.split_once('.') {
            Some((i, f)) => (i, f),
            None => (body, ""),
        };
        if (int.is_empty() && frac.is_empty())
            || !int.chars().all(|c| c.is_ascii_digit())
            || !frac.chars().all(|c| c.is_ascii_digit())
        {
            return Err(QtyError::NotANumber);
        }
        if frac.len() > 3 {
            return Err(QtyError::TooPrecise);
        }
        let int_trim = int.trim_start_matches('0');
        if int_trim.len() > 10 {
            return Err(QtyError::TooLarge);
        }
        let whole: i64 = if int_trim.is_empty() { 0 } else { int_trim.parse().map_err(|_| QtyError::TooLarge)? };
        let mut milli: i64 = 0;
        for (i, c) in frac.chars().enumerate() {
            milli += (c as i64 - '0' as i64) * 10i64.pow(2 - i as u32);
        }
        let v = whole.checked_mul(Self::SCALE).and_then(|w| w.checked_add(milli)).ok_or(QtyError::TooLarge)?;
        if v > MAX_QTY.0 {
            return Err(QtyError::TooLarge);
        }
        Ok(Qty(if neg { -v } else { v }))
    }
}

impl fmt::Display for Qty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        let whole = a / Self::SCALE as u64;
        let frac = a % Self::SCALE as u64;
        if frac == 0 {
            write!(f, "{sign}{whole}")
        } else {
            let s = format!("{frac:03}");
            write!(f, "{sign}{whole}.{}", s.trim_end_matches('0'))
        }
    }
}

/// A quantity written in its unit ("5", "0.25"; a number is read too), for files people write.
pub mod in_units {
    use super::Qty;
    use serde::{de, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(q: &Qty, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&q.to_string())
    }

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Written {
        Text(String),
        Int(i64),
        Float(f64),
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Qty, D::Error> {
        let text = match Written::deserialize(d)? {
            Written::Text(t) => t,
            Written::Int(n) => n.to_string(),
            Written::Float(x) => x.to_string(),
        };
        Qty::parse(&text).map_err(|e| de::Error::custom(format!("{text}: {e:?}")))
    }
}

// The operators saturate, so a sum shown on a screen never wraps or panics. Anything that
// changes stock checks its arithmetic first (`checked_*`, `State::check_arithmetic`), so a
// stored quantity never reaches the bound.
impl std::ops::Add for Qty {
    type Output = Qty;
    fn add(self, o: Qty) -> Qty {
        Qty(self.0.saturating_add(o.0))
    }
}
impl std::ops::Sub for Qty {
    type Output = Qty;
    fn sub(self, o: Qty) -> Qty {
        Qty(self.0.saturating_sub(o.0))
    }
}
impl std::ops::AddAssign for Qty {
    fn add_assign(&mut self, o: Qty) {
        *self = *self + o
    }
}
impl std::ops::SubAssign for Qty {
    fn sub_assign(&mut self, o: Qty) {
        *self = *self - o
    }
}
impl std::iter::Sum for Qty {
    fn sum<I: Iterator<Item = Qty>>(iter: I) -> Qty {
        iter.fold(Qty::ZERO, |a, b| a + b)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QtyError {
    Empty,
    NotANumber,
    TooPrecise,
    TooLarge,
}

impl QtyError {
    /// The rejection reason a bad quantity gets.
    pub fn reason(self) -> super::Reason {
        match self {
            QtyError::Empty => super::Reason::Empty,
            QtyError::NotANumber => super::Reason::NotANumber,
            QtyError::TooPrecise => super::Reason::TooPrecise,
            QtyError::TooLarge => super::Reason::TooLarge,
        }
    }
}

/// Money in fen (hundredths of a yuan).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Fen(pub i64);

impl Fen {
    /// Parses a yuan amount with at most two decimals ("12", "12.5", "3.05").
    pub fn parse_yuan(text: &str) -> Result<Fen, QtyError> {
        let q = Qty::parse(text)?;
        if q.0 % 10 != 0 {
            return Err(QtyError::TooPrecise);
        }
        Ok(Fen(q.0 / 10))
    }

    pub fn as_yuan(self) -> f64 {
        self.0 as f64 / 100.0
    }
}

impl fmt::Display for Fen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, (self.0 % 100).abs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        assert_eq!(Qty::parse("12").unwrap(), Qty(12000));
        assert_eq!(Qty::parse(" 1.5 ").unwrap(), Qty(1500));
        assert_eq!(Qty::parse("-0.125").unwrap(), Qty(-125));
        assert_eq!(Qty(1500).to_string(), "1.5");
        assert_eq!(Qty(-2000).to_string(), "-2");
        assert_eq!(Qty::parse("1.2345"), Err(QtyError::TooPrecise));
        assert_eq!(Qty::parse("abc"), Err(QtyError::NotANumber));
        assert_eq!(Qty::parse(""), Err(QtyError::Empty));
        assert_eq!(Qty::parse("."), Err(QtyError::NotANumber));
        assert_eq!(Qty::parse("99999999999999"), Err(QtyError::TooLarge));
        assert_eq!(Qty::parse("1000000001"), Err(QtyError::TooLarge));
        assert_eq!(Fen::parse_yuan("3.05").unwrap(), Fen(305));
        assert_eq!(Fen(305).to_string(), "3.05");
        assert_eq!(Fen::parse_yuan("3.055"), Err(QtyError::TooPrecise));
    }

    #[test]
    fn extremes_neither_wrap_nor_panic() {
        assert_eq!(Qty(i64::MAX) + Qty(1), Qty(i64::MAX));
        assert_eq!(Qty(i64::MIN) - Qty(1), Qty(i64::MIN));
        assert_eq!(Qty(i64::MIN).checked_abs(), None);
        assert_eq!(Qty(i64::MAX).checked_add(Qty(1)), None);
        assert_eq!([Qty(i64::MAX), Qty(i64::MAX)].into_iter().sum::<Qty>(), Qty(i64::MAX));
        assert!(MAX_QTY.in_range() && !Qty(MAX_QTY.0 + 1).in_range() && !Qty::ZERO.in_range());
        assert_eq!(Qty::units(i64::MAX), Qty(i64::MAX));
    }
}
