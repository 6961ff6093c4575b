//! Settings ▸ Test resolver through the real worker: a private NSD serving the signed `test.` with
//! its own trust anchor (as the Look up tests use it) answers the DNSKEY question, validated; a
//! foreign key as the anchor makes the same answer fail validation; a port where nothing answers
//! is an error. Needs Debian `nsd` and `ldnsutils` (tests/run.sh installs them).

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)] // test code

use crate::dns::nsd;
use secmx::event::{Event, EventBody, RunId};
use secmx::resolve::keys::KeyAnswer;
use secmx::resolve::{Dnssec, Status};
use secmx::worker::{self, Command, NetSettings, WorkerLink};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Ask the worker to test with `settings`; the answer it sends back.
fn test_with(link: &mut WorkerLink, run: u64, settings: NetSettings) -> KeyAnswer {
    assert!(link.send(Command::TestResolver {
        run: RunId(run),
        settings,
    }));
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(Event {
            run: r,
            body: EventBody::ResolverTest(a),
        }) = link.try_recv()
        {
            assert_eq!(r, RunId(run));
            eprintln!("resolver test {run}: {a:?}");
            return *a;
        }
        assert!(Instant::now() < deadline, "no answer to the resolver test");
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn the_resolver_test_validates_the_anchors_keys_and_reports_a_dead_resolver() {
    let ns = nsd::start(&[], &[]);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let mut link = worker::spawn(rt.handle(), Arc::new(|| {}));
    // The anchor file is Ktest.+013+<tag>.key: the key the answer must hold, as a KSK.
    let tag: u16 = ns
        .anchor
        .file_stem()
        .and_then(|s| s.to_str())
        .and_then(|s| s.rsplit('+').next())
        .and_then(|t| t.parse().ok())
        .expect("key tag in the anchor's file name");
    let settings = NetSettings {
        resolver: Some(ns.addr().to_string()),
        trust_anchor: Some(ns.anchor.clone()),
        timeout_secs: 5,
        ..NetSettings::default()
    };

    let a = test_with(&mut link, 1, settings.clone());
    assert_eq!(a.zone, "test.", "the anchor's zone is asked");
    assert_eq!((a.status, a.dnssec), (Status::Ok, Dnssec::Secure), "{a:?}");
    assert!(
        a.keys
            .iter()
            .any(|k| k.tag == tag && k.ksk && k.flags == 257),
        "{a:?}"
    );
    assert_eq!(a.ttl, Some(3600));

    // The same answer judged with a key that is not the zone's: it must not validate.
    let dir = tempfile::tempdir().unwrap();
    let foreign = dir.path().join("foreign.key");
    std::fs::write(
        &foreign,
        format!(
            "test. IN DNSKEY 257 3 13 {}\n",
            "mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ=="
        ),
    )
    .unwrap();
    let a = test_with(
        &mut link,
        2,
        NetSettings {
            trust_anchor: Some(foreign),
            ..settings.clone()
        },
    );
    assert_eq!(a.dnssec, Dnssec::Bogus, "{a:?}");
    assert!(a.keys.is_empty(), "a bogus RRset is not handed out: {a:?}");

    // Nothing listens there: an error, quickly, with the reason.
    let a = test_with(
        &mut link,
        3,
        NetSettings {
            resolver: Some(format!("127.0.0.1:{}", nsd::free_port())),
            timeout_secs: 2,
            ..settings
        },
    );
    assert!(!a.status.is_answer(), "{a:?}");
    assert!(a.keys.is_empty());
    assert!(a.detail.as_deref().is_some_and(|d| !d.is_empty()), "{a:?}");
    assert!(a.ms < 10_000.0, "{a:?}");
    assert!(link.send(Command::Shutdown));
    rt.shutdown_timeout(Duration::from_secs(1));
}
