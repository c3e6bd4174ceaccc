//! Every number read from a file, at its extremes: each numeric key of `baogong.toml` and of a
//! scenario (enumerated by serialising the structs, so a new key is covered by itself) is set
//! to i64::MIN/MAX, 0, ±1, u32::MAX+1, NaN, ±inf, ±1e308, fractions, then loaded: a config
//! through `Config::load`, an engine opened with it and ticked and the plan computed; a
//! scenario through `Scenario::parse` and seeded into a temp store. Nothing may panic; a value
//! refused names its key; a seeding that fails leaves the store empty.

use crate::support::bin;
use crate::support::fixture::t0;
use baogong::config::Config;
use baogong::domain::reject::InFile;
use baogong::domain::rules::plan;
use baogong::engine::{Engine, ManualClock};
use baogong::scenario::{self, Scenario};
use proptest::prelude::*;
use std::path::Path;
use std::sync::Arc;
use toml::Value;

/// The scenario every case starts from, as its structs write it out (every field present).
fn scenario_base() -> Value {
    let sc = Scenario::parse(&bin::town_with_history(), "base").expect("the base scenario parses");
    Value::try_from(&sc).expect("a scenario serialises")
}

/// A path into a TOML value.
type KeyPath = Vec<Seg>;

#[derive(Clone, Debug)]
enum Seg {
    Key(String),
    At(usize),
}

/// Every integer or float leaf, once per key (the last of an array's elements: late in the file).
fn numeric_keys(v: &Value) -> Vec<KeyPath> {
    fn walk(v: &Value, path: &mut KeyPath, out: &mut Vec<KeyPath>) {
        match v {
            Value::Integer(_) | Value::Float(_) => out.push(path.clone()),
            Value::Table(t) => t.iter().for_each(|(k, v)| {
                path.push(Seg::Key(k.clone()));
                walk(v, path, out);
                path.pop();
            }),
            Value::Array(a) => a.iter().enumerate().for_each(|(i, v)| {
                path.push(Seg::At(i));
                walk(v, path, out);
                path.pop();
            }),
            _ => {}
        }
    }
    let mut all = Vec::new();
    walk(v, &mut Vec::new(), &mut all);
    let mut by_key: std::collections::BTreeMap<String, KeyPath> = Default::default();
    for p in all {
        by_key.insert(shape(&p), p);
    }
    by_key.into_values().collect()
}

/// A path with its array positions left out: `points.households`.
fn shape(p: &[Seg]) -> String {
    let keys: Vec<&str> = p.iter().filter_map(|s| if let Seg::Key(k) = s { Some(k.as_str()) } else { None }).collect();
    keys.join(".")
}

fn set(v: &mut Value, path: &[Seg], to: Value) {
    let slot = path.iter().fold(v, |v, s| match s {
        Seg::Key(k) => &mut v[k.as_str()],
        Seg::At(i) => &mut v[*i],
    });
    *slot = to;
}

/// The edges of every numeric type a file can hold.
fn extremes() -> Vec<Value> {
    let ints = [i64::MIN, i64::MAX, -1, 0, 1, u32::MAX as i64, u32::MAX as i64 + 1, 1_000_000_001];
    let floats = [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 1e308, -1e308, -0.5, 0.5, f64::MIN_POSITIVE, 1e15];
    ints.into_iter().map(Value::Integer).chain(floats.into_iter().map(Value::Float)).collect()
}

/// A store seeded from the base scenario, for the config cases to open and tick.
struct Seeded {
    dir: tempfile::TempDir,
}

impl Seeded {
    fn new() -> Seeded {
        let dir = tempfile::tempdir().expect("temp dir");
        let sc = Scenario::parse(&toml::to_string(&scenario_base()).expect("toml"), "base").expect("parse");
        let mut engine = open(dir.path(), Default::default());
        scenario::seed(&mut engine, &sc, t0()).expect("the base scenario seeds");
        Seeded { dir }
    }
}

fn open(dir: &Path, thresholds: baogong::domain::alerts::Thresholds) -> Engine {
    Engine::open(dir, Arc::new(ManualClock::new(t0())), thresholds).expect("open engine")
}

/// Loads a config with `key` set to `value`, then runs what reads it.
fn config_case(seeded: &Seeded, key: &[Seg], value: Value) {
    let mut v = Value::try_from(Config::default()).expect("a config serialises");
    set(&mut v, key, value.clone());
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("baogong.toml"), toml::to_string(&v).expect("toml")).expect("write");
    match Config::load(dir.path()) {
        Ok(config) => {
            let mut engine = open(seeded.dir.path(), config.alerts.clone());
            engine.tick().expect("tick");
            let today = t0().date_naive();
            plan::plan(engine.state(), today, &config.plan, Some(baogong::domain::ResponseLevel::Level4), None);
        }
        Err(e) => {
            if let Some(f) = e.downcast_ref::<InFile>() {
                assert_eq!(f.rejection.field, shape(key), "{value}");
                assert!(f.file.ends_with("baogong.toml"));
            }
        }
    }
}

/// How a scenario case ended.
#[derive(Debug, PartialEq)]
enum Seeding {
    RefusedOnLoad,
    Seeded,
    FailedWhole,
}

/// Parses the base scenario with `key` set to `value` and seeds it into a temp store.
fn scenario_case(key: &[Seg], value: Value) -> Seeding {
    let mut v = scenario_base();
    set(&mut v, key, value.clone());
    let text = toml::to_string(&v).expect("toml");
    let sc = match Scenario::parse(&text, "case") {
        Ok(sc) => sc,
        Err(e) => {
            if let Some(f) = e.downcast_ref::<InFile>() {
                let leaf = shape(key).rsplit('.').next().map(str::to_string).unwrap_or_default();
                assert!(f.rejection.field.ends_with(&leaf), "{} named for {}", f.rejection.field, shape(key));
            }
            return Seeding::RefusedOnLoad;
        }
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let mut engine = open(dir.path(), Default::default());
    if scenario::seed(&mut engine, &sc, t0()).is_ok() {
        return Seeding::Seeded;
    }
    assert!(engine.store().is_empty(), "{} = {value}: a failed seeding left events", shape(key));
    Seeding::FailedWhole
}

#[test]
fn the_keys_are_enumerated_from_the_structs() {
    let config: Vec<String> =
        numeric_keys(&Value::try_from(Config::default()).expect("config")).iter().map(|k| shape(k)).collect();
    for k in ["alerts.transfer_hours", "alerts.handover_grace_minutes", "alerts.spike_ratio", "plan.demand.level4"] {
        assert!(config.contains(&k.to_string()), "{k} missing from {config:?}");
    }
    let sc: Vec<String> = numeric_keys(&scenario_base()).iter().map(|k| shape(k)).collect();
    for k in ["town.seed", "history.expiring.days", "history.shelf_life.mask", "history.in_transit.hours_ago"] {
        assert!(sc.contains(&k.to_string()), "{k} missing from {sc:?}");
    }
    assert!(sc.contains(&"items.max_days".to_string()) && sc.contains(&"vehicles.valid_days".to_string()));
    assert!(config.len() >= 16 && sc.len() >= 21, "{config:?} {sc:?}");
}

#[test]
fn every_config_key_at_every_edge_loads_or_is_refused_by_name() {
    let seeded = Seeded::new();
    let keys = numeric_keys(&Value::try_from(Config::default()).expect("config"));
    for key in &keys {
        for value in extremes() {
            config_case(&seeded, key, value);
        }
    }
}

#[test]
fn every_scenario_key_at_every_edge_seeds_or_is_refused_whole() {
    for key in &numeric_keys(&scenario_base()) {
        let ends: Vec<Seeding> = extremes().into_iter().map(|value| scenario_case(key, value)).collect();
        // Each key has values that seed and values refused on loading (town.seed takes any u64).
        assert!(ends.contains(&Seeding::Seeded), "{}: {ends:?}", shape(key));
        assert!(ends.contains(&Seeding::RefusedOnLoad), "{}: {ends:?}", shape(key));
    }
}

fn any_number() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::Integer),
        any::<f64>().prop_map(Value::Float),
        // Near the ranges, where values load and run.
        (-10i64..5000).prop_map(Value::Integer),
        (-1.0f64..1000.0).prop_map(Value::Float),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn any_number_at_any_config_key_never_panics(k in any::<prop::sample::Index>(), value in any_number()) {
        let keys = numeric_keys(&Value::try_from(Config::default()).expect("config"));
        thread_local!(static SEEDED: Seeded = Seeded::new());
        SEEDED.with(|s| config_case(s, k.get::<KeyPath>(&keys), value));
    }

    #[test]
    fn any_number_at_any_scenario_key_never_panics(k in any::<prop::sample::Index>(), value in any_number()) {
        let keys = numeric_keys(&scenario_base());
        scenario_case(k.get::<KeyPath>(&keys), value);
    }
}
