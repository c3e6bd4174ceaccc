//! Bad input on the protocol. Property tests of the frame decoder (`proto::codec`, length-prefixed
//! frames of at most `MAX_FRAME` bytes, carrying JSON `Up`/`Down` messages): random bytes,
//! truncated frames, oversized length prefixes, valid JSON of the wrong shape, unknown message
//! types and deeply nested JSON give an error, a wait for more bytes or an `Unknown` value, never
//! a panic; a frame whose content is garbage does not disturb the framing of the next one. Over
//! a real socket, a flood of connections (half sending garbage, half saying nothing) against a
//! running daemon with a low file-descriptor limit: each bad one is refused or closed, a client
//! attached before the flood keeps having its commands acknowledged during and after it, and
//! the daemon neither dies nor runs out of file descriptors.

use baogong::api::Request;
use baogong::domain::command::{Command, Source};
use baogong::domain::Qty;
use baogong::link::client;
use baogong::proto::{self, Down, FaceKind, Up, MAX_FRAME, PROTOCOL_VERSION};
use bytes::{BufMut, BytesMut};
use proptest::prelude::*;
use serde_json::Value;
use tokio_util::codec::{Decoder, Encoder};

fn restock(point: &str, units: i64) -> Command {
    Command::Restock {
        point: point.into(),
        item: "rice".into(),
        qty: Qty::units(units),
        source: Source::Supplier,
        batch: None,
        expiry: None,
        note: String::new(),
    }
}

/// Well-formed messages a face sends.
fn good_ups() -> Vec<Up> {
    vec![
        Up::Hello {
            protocol_version: PROTOCOL_VERSION,
            face: FaceKind::Point { point: "P01".into() },
            subscribe: true,
        },
        Up::Submit(Request { cmd_id: "c1".into(), cmd: restock("P01", 3) }),
        Up::Batch { requests: vec![Request { cmd_id: "c2".into(), cmd: restock("P02", 1) }] },
        Up::Export,
        Up::Check,
    ]
}

/// One frame on the wire: the 4-byte big-endian length, then the payload.
fn frame(payload: &[u8]) -> BytesMut {
    let mut out = BytesMut::new();
    proto::codec().encode(bytes::Bytes::copy_from_slice(payload), &mut out).expect("encode a frame");
    out
}

/// What decoding a byte stream gave: the frames, and whether it ended in an error.
struct Decoded {
    frames: Vec<BytesMut>,
    error: bool,
}

/// Feeds `bytes` to a fresh decoder in chunks of `chunk` (as a socket delivers them), then the
/// end of the stream. After an error the decoder is asked again (it must not panic) and the
/// stream is considered dead, as the daemon closes such a connection.
fn decode_stream(bytes: &[u8], chunk: usize) -> Decoded {
    let mut codec = proto::codec();
    let mut buf = BytesMut::new();
    let mut frames = Vec::new();
    for piece in bytes.chunks(chunk.max(1)) {
        buf.put_slice(piece);
        loop {
            match codec.decode(&mut buf) {
                Ok(Some(f)) => frames.push(f),
                Ok(None) => break,
                Err(_) => {
                    let _ = codec.decode(&mut buf);
                    return Decoded { frames, error: true };
                }
            }
        }
    }
    loop {
        match codec.decode_eof(&mut buf) {
            Ok(Some(f)) => frames.push(f),
            Ok(None) => return Decoded { frames, error: false },
            Err(_) => return Decoded { frames, error: true },
        }
    }
}

/// Parses a payload both ways; neither may panic.
fn parse_both(payload: &[u8]) -> (Result<Up, serde_json::Error>, Result<Down, serde_json::Error>) {
    (serde_json::from_slice::<Up>(payload), serde_json::from_slice::<Down>(payload))
}

/// Arbitrary JSON, biased towards the protocol's own keys and tags so it often has the right
/// outline and the wrong content.
fn json() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        Just("type".to_string()),
        Just("cmd".to_string()),
        Just("face".to_string()),
        Just("protocol_version".to_string()),
        Just("cmd_id".to_string()),
        Just("point".to_string()),
        Just("qty".to_string()),
        Just("reply".to_string()),
        Just("rows".to_string()),
        "[a-z_]{1,12}",
        any::<String>(),
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        prop_oneof![
            Just("hello".to_string()),
            Just("submit".to_string()),
            Just("batch".to_string()),
            Just("welcome".to_string()),
            Just("reply".to_string()),
            Just("restock".to_string()),
            Just("console".to_string()),
            any::<String>(),
        ]
        .prop_map(Value::String),
    ];
    leaf.prop_recursive(6, 64, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::vec((key.clone(), inner), 0..8)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<serde_json::Map<_, _>>())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Random bytes: frames, a wait, or an error; whatever frames come out parse or fail cleanly.
    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..4096), chunk in 1usize..64) {
        let d = decode_stream(&bytes, chunk);
        for f in &d.frames {
            prop_assert!(f.len() <= MAX_FRAME);
            let _ = parse_both(f);
        }
    }

    /// A length prefix that announces more than `MAX_FRAME`: an error, never a huge allocation.
    #[test]
    fn oversized_length_prefixes_are_errors(len in (MAX_FRAME as u32 + 1)..=u32::MAX, tail in prop::collection::vec(any::<u8>(), 0..64)) {
        let mut bytes = len.to_be_bytes().to_vec();
        bytes.extend(&tail);
        let d = decode_stream(&bytes, 7);
        prop_assert!(d.error, "a {len}-byte frame was not refused");
        prop_assert!(d.frames.is_empty());
    }

    /// A frame cut short: nothing comes out of it (the stream ends in an error, or with the
    /// decoder still waiting for the body the header announced).
    #[test]
    fn truncated_frames_yield_nothing(which in 0usize..5, cut_at in any::<prop::sample::Index>(), chunk in 1usize..9) {
        let payload = serde_json::to_vec(&good_ups()[which]).expect("encode");
        let whole = frame(&payload);
        let cut = cut_at.index(whole.len());
        let d = decode_stream(&whole[..cut], chunk);
        prop_assert!(d.frames.is_empty(), "a partial frame came out");
        if cut > 0 && cut != 4 {
            prop_assert!(d.error, "bytes left over at the end are an error");
        }
    }

    /// Valid JSON of any shape: an error or a value, never a panic; a message type nobody knows
    /// is `Unknown`, so old and new versions fail politely.
    #[test]
    fn wrong_shapes_parse_or_fail_cleanly(v in json(), tag in "zz_[a-z]{1,10}") {
        let payload = serde_json::to_vec(&v).expect("encode");
        let d = decode_stream(&frame(&payload), 3);
        prop_assert_eq!(d.frames.len(), 1);
        let _ = parse_both(&d.frames[0]);
        let mut unknown = serde_json::Map::new();
        unknown.insert("type".into(), Value::String(tag));
        unknown.insert("body".into(), v);
        let unknown = serde_json::to_vec(&Value::Object(unknown)).expect("encode");
        let (up, down) = parse_both(&unknown);
        prop_assert!(matches!(up, Ok(Up::Unknown)), "{up:?}");
        prop_assert!(matches!(down, Ok(Down::Unknown)), "{down:?}");
    }

    /// A garbage frame between good ones: the good ones before and after it come out intact.
    #[test]
    fn a_bad_frame_does_not_lose_the_next(
        garbage in prop::collection::vec(any::<u8>(), 0..2048),
        before in 0usize..5,
        after in 0usize..5,
        chunk in 1usize..97,
    ) {
        let ups = good_ups();
        let mut stream = frame(&serde_json::to_vec(&ups[before]).expect("encode"));
        stream.extend_from_slice(&frame(&garbage));
        stream.extend_from_slice(&frame(&serde_json::to_vec(&ups[after]).expect("encode")));
        let d = decode_stream(&stream, chunk);
        prop_assert!(!d.error);
        prop_assert_eq!(d.frames.len(), 3);
        prop_assert_eq!(serde_json::from_slice::<Up>(&d.frames[0]).ok(), Some(ups[before].clone()));
        let _ = parse_both(&d.frames[1]);
        prop_assert_eq!(serde_json::from_slice::<Up>(&d.frames[2]).ok(), Some(ups[after].clone()));
    }

    /// JSON nested deeper than serde_json's limit of 128: refused by that limit, not by a
    /// stack overflow.
    #[test]
    fn deep_nesting_is_an_error(depth in 130usize..50_000, object in any::<bool>(), tagged in any::<bool>()) {
        let (open, close) = if object { (r#"{"a":"#, "}") } else { ("[", "]") };
        let mut text = String::new();
        if tagged {
            text.push_str(r#"{"type":"submit","cmd_id":"x","cmd":"#);
        }
        text.push_str(&open.repeat(depth));
        text.push('1');
        text.push_str(&close.repeat(depth));
        if tagged {
            text.push('}');
        }
        let d = decode_stream(&frame(text.as_bytes()), 4096);
        prop_assert_eq!(d.frames.len(), 1);
        let (up, down) = parse_both(&d.frames[0]);
        prop_assert!(up.is_err() && down.is_err());
    }
}

// ---------------------------------------------------------------------------------------------
// A flood of connections against a real daemon.

mod flood {
    use super::*;
    use crate::support::bin;
    use std::os::unix::process::CommandExt;
    use std::path::PathBuf;
    use std::process::{Child, Stdio};
    use std::time::{Duration, Instant};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::UnixStream;

    /// The daemon's file-descriptor limit: low, so a flood could exhaust it.
    const FD_LIMIT: u64 = 256;
    /// Connections opened at once: more than the limit allows.
    const FLOOD: usize = 400;

    /// A seeded store served by a daemon started with a low file-descriptor limit.
    struct Site {
        tmp: tempfile::TempDir,
        daemon: Child,
    }

    impl Site {
        fn new() -> Site {
            let tmp = tempfile::tempdir().expect("temp dir");
            let scenario = tmp.path().join("town.toml");
            std::fs::write(&scenario, bin::TOWN).expect("scenario");
            let data = tmp.path().join("data");
            let out = bin::command(&data).args(["init", "--scenario"]).arg(&scenario).output().expect("init");
            assert!(out.status.success(), "init: {}", String::from_utf8_lossy(&out.stderr));
            let log = std::fs::File::create(tmp.path().join("daemon.log")).expect("log");
            let mut cmd = bin::command(&data);
            cmd.arg("serve").stdout(Stdio::null()).stderr(log);
            // SAFETY: setrlimit is async-signal-safe and touches only the child being started.
            unsafe {
                cmd.pre_exec(|| {
                    let lim = libc::rlimit { rlim_cur: FD_LIMIT as libc::rlim_t, rlim_max: FD_LIMIT as libc::rlim_t };
                    if libc::setrlimit(libc::RLIMIT_NOFILE, &lim) != 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                    Ok(())
                });
            }
            let daemon = cmd.spawn().expect("serve");
            let mut site = Site { tmp, daemon };
            let log = site.tmp.path().join("daemon.log");
            bin::wait_serving(&data, &mut site.daemon, Some(&log));
            site
        }

        fn data(&self) -> PathBuf {
            self.tmp.path().join("data")
        }

        fn log(&self) -> String {
            std::fs::read_to_string(self.tmp.path().join("daemon.log")).unwrap_or_default()
        }

        fn fds(&self) -> usize {
            std::fs::read_dir(format!("/proc/{}/fd", self.daemon.id())).map_or(0, |d| d.count())
        }

        fn alive(&mut self) -> bool {
            matches!(self.daemon.try_wait(), Ok(None))
        }
    }

    impl Drop for Site {
        fn drop(&mut self) {
            let _ = self.daemon.kill();
            let _ = self.daemon.wait();
        }
    }

    /// What one flooding connection sends (None: nothing at all, it just holds the socket).
    fn abuse(i: usize) -> Option<Vec<u8>> {
        if i % 2 == 1 {
            return None;
        }
        let hello_99 = serde_json::json!({"type": "hello", "protocol_version": 99, "face": "console"}).to_string();
        Some(match (i / 2) % 6 {
            0 => (0..200).map(|k| (k * 7 + i) as u8).collect(),
            1 => {
                let mut b = (64u32 * 1024 * 1024).to_be_bytes().to_vec();
                b.extend([b'x'; 256]);
                b
            }
            2 => frame(br#"{"type":"submit","cmd":"nothing"}"#).to_vec(),
            3 => frame(&serde_json::to_vec(&good_ups()[1]).expect("encode"))[..20].to_vec(),
            4 => frame(hello_99.as_bytes()).to_vec(),
            _ => frame(format!("{}1{}", "[".repeat(10_000), "]".repeat(10_000)).as_bytes()).to_vec(),
        })
    }

    /// How a flooding connection ended.
    #[derive(Debug, PartialEq)]
    enum End {
        /// The daemon said why, then closed.
        Refused,
        /// The daemon closed without a word (or the connection was never accepted).
        Closed,
        /// Still open when the test gave up.
        Open,
    }

    async fn flood_one(sock: PathBuf, i: usize) -> End {
        let Ok(mut s) = UnixStream::connect(&sock).await else { return End::Closed };
        if let Some(bytes) = abuse(i) {
            // The daemon may hang up before everything is written: that is a refusal too.
            let _ = s.write_all(&bytes).await;
            if i % 12 == 6 {
                // The truncated frame: stop writing, as a client that died would.
                let _ = s.shutdown().await;
            }
        }
        let mut buf = Vec::new();
        match tokio::time::timeout(Duration::from_secs(30), s.read_to_end(&mut buf)).await {
            Err(_) => End::Open,
            Ok(_) if String::from_utf8_lossy(&buf).contains("refused") => End::Refused,
            Ok(_) => End::Closed,
        }
    }

    #[test]
    fn a_flood_of_connections_is_refused_and_a_good_client_keeps_being_served() {
        let mut site = Site::new();
        let data = site.data();
        let sock = data.join(proto::SOCKET);
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
        let before = site.fds();
        let (ends, acked_during) = rt.block_on(async {
            let (mut good, _) = client::connect(&data, FaceKind::Cli, false).await.expect("attach before the flood");
            let flood: Vec<_> = (0..FLOOD).map(|i| tokio::spawn(flood_one(sock.clone(), i))).collect();
            // During the flood: commands keep being acknowledged, each promptly.
            let mut acked = 0;
            for n in 0..10 {
                let req = Request { cmd_id: format!("during-{n}"), cmd: restock("P01", 1) };
                let reply = tokio::time::timeout(Duration::from_secs(10), good.submit(req))
                    .await
                    .expect("acknowledged within 10 s during the flood")
                    .expect("the good client's connection survives");
                assert!(reply.is_ok(), "{reply:?}");
                acked += 1;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            let mut ends = Vec::new();
            for t in flood {
                ends.push(t.await.expect("flood task"));
            }
            // After it: the same client, and a new one, are served.
            let reply = good.submit(Request { cmd_id: "after".into(), cmd: restock("P01", 1) }).await.expect("reply");
            assert!(reply.is_ok(), "{reply:?}");
            let (mut fresh, _) = client::connect(&data, FaceKind::Cli, false).await.expect("attach after the flood");
            let reply = fresh.submit(Request { cmd_id: "fresh".into(), cmd: restock("P02", 1) }).await.expect("reply");
            assert!(reply.is_ok(), "{reply:?}");
            (ends, acked)
        });
        let open = ends.iter().filter(|e| **e == End::Open).count();
        let refused = ends.iter().filter(|e| **e == End::Refused).count();
        eprintln!(
            "flood: {FLOOD} connections ({} garbage), {refused} refused with a reason, {} closed, {open} left open; \
             {acked_during} commands acknowledged during it; daemon fds {before} before, {} after",
            FLOOD / 2,
            ends.len() - refused - open,
            site.fds()
        );
        assert_eq!(open, 0, "every flooding connection is closed by the daemon");
        for (i, e) in ends.iter().enumerate() {
            if abuse(i).is_some_and(|b| b.len() > 4) && i % 12 != 6 {
                assert_ne!(*e, End::Open, "garbage connection {i}");
            }
        }
        assert!(site.alive(), "the daemon is still running: {}", site.log());
        let log = site.log();
        assert!(!log.contains("Too many open files"), "the daemon ran out of file descriptors:\n{log}");
        assert!(!log.contains("panicked"), "{log}");
        // The flood's connections are gone: the descriptors are back to what they were.
        let deadline = Instant::now() + Duration::from_secs(10);
        while site.fds() > before + 4 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(100));
        }
        assert!(site.fds() <= before + 4, "descriptors leak: {before} before, {} after", site.fds());
        let out = bin::command(&data).args(["export", "events"]).output().expect("export");
        let text = String::from_utf8_lossy(&out.stdout);
        for id in ["during-0", "during-9", "after", "fresh"] {
            assert!(text.contains(&format!("\"cmd_id\":\"{id}\"")), "{id} is in the log");
        }
    }
}
