//! Listings through the daemon (issue 12): the daemon renders `stock`, `alerts`, `report daily`
//! and `plan` from its own state and sends only the rows (`Up::Listing`), never a snapshot; the
//! output, exit status and message are those of the same command run embedded.

use crate::serve::Site;
use baogong::api::{Ending, Query};
use baogong::domain::Lang;
use baogong::link::client;
use baogong::proto::FaceKind;

const ASKED: &[&[&str]] = &[
    &["stock", "--town"],
    &["stock", "--json"],
    &["alerts", "--json"],
    &["report", "daily", "--format", "json"],
    &["report", "daily", "--format", "csv"],
    &["plan", "--json"],
    &["--lang", "zh", "plan"],
    &["points"],
    // Refused as an input (exit 2) and failed (exit 1), with the same words.
    &["report", "daily", "--date", "2000-01-01"],
    &["stock", "--point", "NOPE"],
];

/// Exit status, stdout and stderr; an alert's `last_seen` (when it was last evaluated: the
/// embedded engine evaluates on opening) is left out.
fn run(site: &Site, args: &[&str]) -> (Option<i32>, String, String) {
    let out = site.cli(args);
    let mut stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    if let Ok(serde_json::Value::Array(mut rows)) = serde_json::from_str(&stdout) {
        rows.iter_mut().filter_map(|r| r.as_object_mut()).for_each(|r| drop(r.remove("last_seen")));
        stdout = serde_json::Value::Array(rows).to_string();
    }
    (out.status.code(), stdout, String::from_utf8_lossy(&out.stderr).into())
}

#[test]
fn the_daemon_renders_the_rows_and_they_are_the_embedded_ones() {
    let mut site = Site::new();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let listed = rt.block_on(async {
        let (mut s, state) = client::connect(&site.data(), FaceKind::Cli, false).await.expect("attach");
        assert!(state.is_none(), "no snapshot for a listing");
        s.listing(Query::Stock { point: None, item: None, town: true, batches: false, json: true }, Lang::En)
            .await
            .expect("listed")
    });
    assert_eq!(listed.ending, Ending::Listed);
    let rows: serde_json::Value = serde_json::from_str(&listed.out).expect("json rows");
    assert!(rows.as_array().is_some_and(|r| !r.is_empty()), "{rows}");
    let through: Vec<_> = ASKED.iter().map(|a| run(&site, a)).collect();
    assert_eq!(through[0].0, Some(0), "{:?}", through[0]);
    assert_eq!(through[8].0, Some(2), "{:?}", through[8]);
    assert_eq!(through[9].0, Some(1), "{:?}", through[9]);
    site.kill();
    for (args, via) in ASKED.iter().zip(&through) {
        assert_eq!(&run(&site, args), via, "{args:?}: the daemon and the embedded engine differ");
    }
}
