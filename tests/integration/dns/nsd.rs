//! A private NSD instance for tests and benchmarks: zones written by the caller, a signed parent `test.`
//! holding the DS of every signed child, served on a loopback port picked at start, stopped by pid when
//! dropped. Needs Debian `nsd` and `ldnsutils`; fails with a clear message when they are missing (the
//! README's test command, `tests/run.sh`, installs them).
#![allow(dead_code, clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::net::{SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How a child zone is signed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Sign {
    /// Unsigned, no DS in the parent: insecure.
    No,
    /// Signed, DS in the parent: secure.
    Yes,
    /// Signed with signatures that expired in 2020, DS in the parent: bogus.
    Expired,
}

/// A child zone of `test.`.
pub struct Zone {
    /// Origin without the final dot, e.g. `sec.test`.
    pub origin: String,
    /// Records in master-file syntax, relative to the origin (SOA and NS are added).
    pub body: String,
    /// Signing.
    pub sign: Sign,
}

impl Zone {
    /// A zone.
    pub fn new(origin: &str, sign: Sign, body: &str) -> Self {
        Zone {
            origin: origin.into(),
            body: body.into(),
            sign,
        }
    }
}

/// The running server.
pub struct Nsd {
    /// Loopback port it serves on (UDP and TCP).
    pub port: u16,
    /// The trust anchor file: the DNSKEY of `test.`.
    pub anchor: PathBuf,
    /// Time from spawn to the first answer.
    pub startup: Duration,
    child: Child,
    dir: tempfile::TempDir,
}

impl Nsd {
    /// `127.0.0.1:port`.
    pub fn addr(&self) -> SocketAddr {
        SocketAddr::from(([127, 0, 0, 1], self.port))
    }

    /// The working directory (zones, config, pid file).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Nsd {
    fn drop(&mut self) {
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Where a tool lives (`PATH`, then `/usr/sbin` and `/usr/bin`), or a clear failure.
pub fn tool(name: &str) -> PathBuf {
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    dirs.push("/usr/sbin".into());
    dirs.push("/usr/bin".into());
    for d in dirs {
        let p = d.join(name);
        if p.is_file() {
            return p;
        }
    }
    panic!(
        "`{name}` is not installed: the DNS tests need the Debian packages `nsd` and `ldnsutils` \
         (run tests/run.sh, or: apt-get install --no-install-recommends nsd ldnsutils)"
    );
}

fn run(cmd: &mut Command, what: &str) -> String {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {what}: {e}"));
    assert!(
        out.status.success(),
        "{what} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Generate a key for `origin` in `dir`; returns its base name.
fn keygen(dir: &Path, origin: &str) -> String {
    let out = run(
        Command::new(tool("ldns-keygen")).current_dir(dir).args([
            "-a",
            "ECDSAP256SHA256",
            "-k",
            &format!("{origin}."),
        ]),
        "ldns-keygen",
    );
    out.trim().to_string()
}

fn sign(dir: &Path, file: &str, origin: &str, key: &str, expired: bool) -> String {
    let signed = format!("{file}.signed");
    let mut cmd = Command::new(tool("ldns-signzone"));
    cmd.current_dir(dir);
    if expired {
        cmd.args(["-i", "20200101", "-e", "20200201"]);
    }
    cmd.args(["-o", &format!("{origin}."), "-f", &signed, file, key]);
    run(&mut cmd, "ldns-signzone");
    signed
}

fn soa(origin: &str) -> String {
    format!(
        "$ORIGIN {origin}.\n$TTL 3600\n@ IN SOA ns.test. hostmaster.test. 1 3600 600 86400 300\n@ IN NS ns.test.\n"
    )
}

/// A free loopback port (UDP and TCP both free at the time of asking).
pub fn free_port() -> u16 {
    for _ in 0..50 {
        let u = UdpSocket::bind("127.0.0.1:0").expect("bind udp");
        let port = u.local_addr().expect("addr").port();
        if TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
    panic!("no free loopback port");
}

/// Start NSD with `test.` (signed) and these children; `broken` names zones that are configured but
/// whose file does not load (NSD answers SERVFAIL for them). Names outside `test.` get REFUSED.
pub fn start(children: &[Zone], broken: &[&str]) -> Nsd {
    start_with(children, broken, &[])
}

/// [`start`] plus unsigned zones outside `test.` (e.g. a reverse zone `0.0.127.in-addr.arpa`),
/// served as they are (their `sign` is ignored).
pub fn start_with(children: &[Zone], broken: &[&str], others: &[Zone]) -> Nsd {
    let nsd = tool("nsd");
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    let mut parent = soa("test");
    parent.push_str("ns IN A 127.0.0.1\n");
    let mut conf_zones = String::new();
    for z in children {
        parent.push_str(&format!("{}. IN NS ns.test.\n", z.origin));
        let file = format!("{}.zone", z.origin);
        std::fs::write(d.join(&file), format!("{}{}\n", soa(&z.origin), z.body))
            .expect("write zone");
        let served = match z.sign {
            Sign::No => file,
            Sign::Yes | Sign::Expired => {
                let key = keygen(d, &z.origin);
                let ds = std::fs::read_to_string(d.join(format!("{key}.ds"))).expect("ds file");
                parent.push_str(ds.trim());
                parent.push('\n');
                sign(d, &file, &z.origin, &key, z.sign == Sign::Expired)
            }
        };
        conf_zones.push_str(&format!(
            "zone:\n  name: {}.\n  zonefile: {served}\n",
            z.origin
        ));
    }
    for b in broken {
        parent.push_str(&format!("{b}. IN NS ns.test.\n"));
        conf_zones.push_str(&format!(
            "zone:\n  name: {b}.\n  zonefile: {b}.missing.zone\n"
        ));
    }
    for z in others {
        let file = format!("{}.zone", z.origin);
        std::fs::write(d.join(&file), format!("{}{}\n", soa(&z.origin), z.body))
            .expect("write zone");
        conf_zones.push_str(&format!(
            "zone:\n  name: {}.\n  zonefile: {file}\n",
            z.origin
        ));
    }
    std::fs::write(d.join("test.zone"), &parent).expect("write parent");
    let pkey = keygen(d, "test");
    let psigned = sign(d, "test.zone", "test", &pkey, false);
    let anchor = d.join(format!("{pkey}.key"));
    conf_zones.push_str(&format!("zone:\n  name: test.\n  zonefile: {psigned}\n"));

    let port = free_port();
    let conf = format!(
        "server:\n  ip-address: 127.0.0.1@{port}\n  username: \"\"\n  chroot: \"\"\n  zonesdir: \"{dir}\"\n  \
         pidfile: \"{dir}/nsd.pid\"\n  database: \"\"\n  zonelistfile: \"{dir}/zone.list\"\n  \
         xfrdfile: \"{dir}/xfrd.state\"\n  xfrdir: \"{dir}\"\n  logfile: \"{dir}/nsd.log\"\n  \
         server-count: 1\n  verbosity: 1\n  do-ip6: no\n  hide-version: yes\n\
         remote-control:\n  control-enable: no\n{conf_zones}",
        dir = d.display()
    );
    let conf_path = d.join("nsd.conf");
    std::fs::write(&conf_path, conf).expect("write nsd.conf");
    let t0 = Instant::now();
    let child = Command::new(nsd)
        .arg("-d")
        .arg("-c")
        .arg(&conf_path)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn nsd");
    let mut server = Nsd {
        port,
        anchor,
        startup: Duration::ZERO,
        child,
        dir,
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if ready(port) {
            break;
        }
        if let Ok(Some(st)) = server.child.try_wait() {
            let log = std::fs::read_to_string(server.dir().join("nsd.log")).unwrap_or_default();
            panic!("nsd exited ({st}) before answering:\n{log}");
        }
        assert!(Instant::now() < deadline, "nsd did not answer within 20 s");
        std::thread::sleep(Duration::from_millis(10));
    }
    server.startup = t0.elapsed();
    server
}

/// Whether something answers a SOA query for `test.` over UDP on the port.
fn ready(port: u16) -> bool {
    if TcpStream::connect_timeout(
        &SocketAddr::from(([127, 0, 0, 1], port)),
        Duration::from_millis(100),
    )
    .is_err()
    {
        return false;
    }
    // A minimal query: id 0x1234, RD=0, one question `test. SOA IN`.
    let mut q = vec![0x12, 0x34, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0];
    q.extend_from_slice(&[4, b't', b'e', b's', b't', 0, 0, 6, 0, 1]);
    let Ok(s) = UdpSocket::bind("127.0.0.1:0") else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_millis(200)));
    if s.send_to(&q, ("127.0.0.1", port)).is_err() {
        return false;
    }
    let mut buf = [0u8; 1500];
    matches!(s.recv_from(&mut buf), Ok((n, _)) if n > 12 && buf[3] & 0x0f == 0)
}

/// A port where nothing ever answers: a UDP socket that never reads and a TCP listener that never
/// accepts (connections complete in the kernel, then silence). Dropped = closed.
pub struct Silent {
    /// The port.
    pub port: u16,
    _udp: UdpSocket,
    _tcp: TcpListener,
}

/// Bind a silent port.
pub fn silent() -> Silent {
    for _ in 0..50 {
        let udp = UdpSocket::bind("127.0.0.1:0").expect("bind udp");
        let port = udp.local_addr().expect("addr").port();
        if let Ok(tcp) = TcpListener::bind(("127.0.0.1", port)) {
            return Silent {
                port,
                _udp: udp,
                _tcp: tcp,
            };
        }
    }
    panic!("no free loopback port");
}
