//! Ctrl-C during the probes: the command stops the probes, prints the report as far as it got (the
//! cancelled probe included) and exits 2 instead of claiming a result.

use std::io::Read;
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn ctrl_c_cancels_the_probes_and_reports_what_was_done() {
    // A peer that accepts and never greets: the probe would wait out its 60 s greeting timeout.
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_secmx"))
        .args(["probe", &format!("127.0.0.1:{port}"), "--timeout", "60"])
        .args(["--format", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run secmx");
    // Once the probe is connected it is waiting for the greeting: interrupt it.
    let (_conn, _) = listener.accept().expect("the probe connects");
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(30);
    let code = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s.code();
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("secmx probe did not stop after Ctrl-C");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut out = String::new();
    let mut err = String::new();
    child
        .stdout
        .take()
        .expect("stdout")
        .read_to_string(&mut out)
        .expect("read");
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut err)
        .expect("read");
    assert_eq!(code, Some(2), "stdout: {out}\nstderr: {err}");
    assert!(err.contains("interrupted"), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("the report is still printed");
    assert_eq!(v["probes"][0]["connect"], "cancelled", "{out}");
    assert_eq!(v["probes"][0]["verdict"], "inconclusive", "{out}");
}
