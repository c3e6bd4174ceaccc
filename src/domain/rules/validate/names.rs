//! Codes and names of reference data compared across records, the same for a command and for
//! each row of an import: a code or name equal to another record's once normalised (NFKC,
//! trimmed) is a duplicate, and a code in a script no other code of its kind uses (a Cyrillic
//! `Р01` among Latin ones) is refused. Imports domain types and `ident` only.

use super::R;
use crate::domain::command::Record;
use crate::domain::ident;
use crate::domain::reject::{Reason, Rejection};
use crate::domain::state::State;
use std::collections::{BTreeSet, HashMap};

/// What one record claims: its kind, its key (field, text, whether it is a code written in a
/// script) and its names (field, the scope they must be unique in, text).
struct Claim<'r> {
    kind: &'static str,
    key_field: &'static str,
    key: &'r str,
    code: bool,
    names: Vec<(&'static str, &'r str, &'r str)>,
}

fn claim(r: &Record) -> Option<Claim<'_>> {
    let c = |kind, key_field, key, code, names| Some(Claim { kind, key_field, key, code, names });
    match r {
        Record::Zone(z) => c("zone", "code", &z.code, true, vec![("name", "", &z.name)]),
        Record::Point(p) => c("point", "code", &p.code, true, vec![("name", "", &p.name)]),
        Record::Village(v) => c("village", "code", &v.code, true, vec![("name", &v.point, &v.name)]),
        Record::Item(i) => {
            c("item", "code", &i.code, true, vec![("name_zh", "", &i.name_zh), ("name_en", "", &i.name_en)])
        }
        Record::Person(p) => c("person", "name", &p.name, false, vec![]),
        Record::Vehicle(v) => c("vehicle", "plate", &v.plate, true, vec![]),
        Record::Shift(_) | Record::Slot(_) | Record::Level(_) => None,
    }
}

/// The records of one kind known so far.
#[derive(Default)]
struct Space {
    /// (field, scope, folded text) -> (key, text as written).
    taken: HashMap<(&'static str, String, String), (String, String)>,
    /// The scripts the codes are written in.
    scripts: BTreeSet<&'static str>,
}

impl Space {
    fn know(&mut self, c: &Claim) {
        let key = c.key.to_string();
        self.taken.insert((c.key_field, String::new(), ident::fold(c.key)), (key.clone(), key.clone()));
        for (field, scope, text) in &c.names {
            self.taken.insert((field, scope.to_string(), ident::fold(text)), (key.clone(), text.to_string()));
        }
        if c.code {
            self.scripts.extend(ident::scripts(c.key));
        }
    }

    fn check(&self, c: &Claim) -> R<()> {
        let names = std::iter::once((c.key_field, "", c.key)).chain(c.names.iter().copied());
        for (field, scope, text) in names {
            let folded = ident::fold(text);
            if folded.is_empty() {
                continue;
            }
            if let Some((key, other)) = self.taken.get(&(field, scope.to_string(), folded)) {
                if key != c.key {
                    let other = if other == key { key.clone() } else { format!("{other} ({key})") };
                    return Err(Rejection::new(field, Reason::DuplicateName { name: text.to_string(), other }));
                }
            }
        }
        let own = ident::scripts(c.key);
        if c.code && !self.scripts.is_empty() && !own.is_subset(&self.scripts) {
            let script = ident::names(&own.difference(&self.scripts).copied().collect());
            return Err(Rejection::new(
                c.key_field,
                Reason::OtherScript { script, others: ident::names(&self.scripts) },
            ));
        }
        Ok(())
    }
}

/// The codes and names of the state, and of the records admitted since.
pub struct Registry<'a> {
    state: &'a State,
    spaces: HashMap<&'static str, Space>,
}

impl<'a> Registry<'a> {
    pub fn new(state: &'a State) -> Registry<'a> {
        Registry { state, spaces: HashMap::new() }
    }

    /// Admits a record whose code and names clash with no other; a clash changes nothing.
    pub fn admit(&mut self, r: &Record) -> R<()> {
        let Some(c) = claim(r) else { return Ok(()) };
        let state = self.state;
        let space = self.spaces.entry(c.kind).or_insert_with(|| seed(state, c.kind));
        space.check(&c)?;
        space.know(&c);
        Ok(())
    }
}

/// The space of one kind as the state holds it.
fn seed(state: &State, kind: &str) -> Space {
    let mut space = Space::default();
    let mut know = |r: Record| {
        if let Some(c) = claim(&r) {
            space.know(&c)
        }
    };
    match kind {
        "zone" => state.zones.values().for_each(|z| know(Record::Zone(z.clone()))),
        "point" => state.points.values().for_each(|p| know(Record::Point(p.clone()))),
        "village" => state.villages.values().for_each(|v| know(Record::Village(v.clone()))),
        "item" => state.items.values().for_each(|i| know(Record::Item(i.clone()))),
        "person" => state.people.values().for_each(|p| know(Record::Person(p.clone()))),
        "vehicle" => state.vehicles.values().for_each(|v| know(Record::Vehicle(v.clone()))),
        _ => {}
    }
    space
}
