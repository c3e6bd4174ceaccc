//! Command ids over the socket: an id is bound to the OS user who first used it (a clerk's id
//! cannot swallow the officer's command, nor the officer's the clerk's) and to its command;
//! a malformed id (too long, a newline) is refused on a single submit and inside a batch, with
//! nothing recorded. Other users need root (CI); without it that part is skipped.

use crate::serve::{cli_as, is_root, rt, Site};
use crate::support::fixture::{restock, u};
use baogong::api::{Refusal, Reply, Request};
use baogong::domain::Reason;
use baogong::link::client;
use baogong::proto::{self, FaceKind};

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn id_refusal(reply: &Reply) -> Reason {
    match reply {
        Err(Refusal::Rejected(r)) if r.field == "id" => r.reason.clone(),
        other => panic!("expected a refusal on id, got {other:?}"),
    }
}

#[test]
fn a_clerks_id_cannot_swallow_the_officers_command() {
    if !is_root() {
        eprintln!("skipped: needs root to run clients as other uids");
        return;
    }
    let mut site = Site::new();
    site.write_config("[access]\nuid4243 = \"point:P01\"\n");
    site.kill();
    site.start();
    use std::os::unix::fs::PermissionsExt;
    let open = |p: &std::path::Path, mode| std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode));
    let data = site.data();
    open(data.parent().expect("parent"), 0o755).expect("chmod");
    open(&data, 0o755).expect("chmod");
    open(&data.join(proto::SOCKET), 0o666).expect("chmod");
    let id = "cron-2026-12-01-P01-rice";
    let clerks = ["log", "restock", "--point", "P01", "--item", "rice", "--qty", "3", "--id", id];
    let out = cli_as(&site, 4243, &clerks);
    assert!(out.status.success(), "{}", stderr(&out));
    // The officer's own command under that id: refused, exit 2, not "already applied".
    let officers = ["log", "restock", "--point", "P01", "--item", "rice", "--qty", "500", "--id", id];
    let out = site.cli(&officers);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains(&format!("id: {id} was already used for a different command, by another user")));
    // Not even the clerk's exact command goes through as the officer's.
    let out = site.cli(&clerks);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    // The other way round: the officer's id is refused to the clerk.
    let out = site.cli(&["log", "restock", "--point", "P01", "--item", "rice", "--qty", "7", "--id", "officer-1"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out =
        cli_as(&site, 4243, &["log", "restock", "--point", "P01", "--item", "rice", "--qty", "7", "--id", "officer-1"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    // The clerk's resend still returns the first result.
    let out = cli_as(&site, 4243, &clerks);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("already applied earlier"));
    let rows: serde_json::Value =
        serde_json::from_slice(&site.cli(&["stock", "--point", "P01", "--item", "rice", "--json"]).stdout)
            .expect("json");
    assert_eq!(rows[0]["qty"], 10.0, "3 from the clerk and 7 from the officer, once each");
}

#[test]
fn a_malformed_id_is_refused_over_the_socket_alone_and_in_a_batch() {
    let site = Site::new();
    rt().block_on(async {
        let (mut s, _) = client::connect(&site.data(), FaceKind::Cli, false).await.expect("attach");
        let req = |id: &str| Request { cmd_id: id.into(), cmd: restock("P01", "rice", u(1)) };
        for id in ["x".repeat(120 * 1024), "forged\n2026-12-01 officer restock".into(), "a".repeat(129)] {
            let reply = s.submit(req(&id)).await.expect("reply");
            assert_eq!(id_refusal(&reply), Reason::BadId { max: 128 });
        }
        let replies = s.submit_batch(vec![req("good-1"), req("bad id")]).await.expect("replies");
        assert_eq!(id_refusal(&replies[1]), Reason::BadId { max: 128 });
        assert!(replies[0].is_err(), "an import batch is all or nothing: {replies:?}");
        // A good id then applies, and is bound to its command over the socket as well.
        let reply = s.submit(req("good-3")).await.expect("reply");
        assert!(reply.is_ok(), "{reply:?}");
        let other = Request { cmd_id: "good-3".into(), cmd: restock("P02", "rice", u(1)) };
        let reply = s.submit(other).await.expect("reply");
        assert_eq!(id_refusal(&reply), Reason::IdForOtherCommand { id: "good-3".into() });
    });
    let text = String::from_utf8_lossy(&site.cli(&["export", "events"]).stdout).into_owned();
    assert!(!text.contains("good-1") && !text.contains("forged"));
    assert_eq!(text.matches("\"cmd_id\":\"good-3\"").count(), 1);
}
