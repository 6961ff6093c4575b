//! The history of checks (issue 12): every `secmx check --save` stores its report in SQLite, and
//! `secmx history` / `secmx diff` read it back.
//!
//! One file, by default `$XDG_DATA_HOME/secmx/history.sqlite` (`~/.local/share/...` without it),
//! in WAL mode. The schema is versioned with `PRAGMA user_version` and migrated forward in a
//! transaction; a database of a newer schema, or a file that is not a SQLite database, is an error
//! and is never written to, let alone replaced. Each run keeps the report JSON exactly as
//! `secmx check --format json` prints it, plus indexed columns (domain, time, settings, counts).
//! The last [`KEEP_PER_DOMAIN`] runs of each domain are kept.
//!
//! The TLSA records each run saw are kept with the time they were first seen (continuously), so
//! a rollover plan can say when a new record has been visible for two TTLs.

use crate::model::probe_facts::{Verdict, dane::DaneVerdict};
use crate::model::published::{Dnssec, Status};
use crate::model::{RecordType, Severity, StsMode};
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The schema version this build reads and writes.
pub const SCHEMA_VERSION: i64 = 1;
/// Runs kept per domain; older ones are deleted on save.
pub const KEEP_PER_DOMAIN: i64 = 1000;

/// The migrations, in order: `MIGRATIONS[i]` takes the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &["
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        domain TEXT NOT NULL,
        time_unix INTEGER NOT NULL,
        file TEXT,
        settings TEXT NOT NULL,
        errors INTEGER NOT NULL,
        warnings INTEGER NOT NULL,
        infos INTEGER NOT NULL,
        report TEXT NOT NULL
    );
    CREATE INDEX runs_domain_time ON runs (domain, time_unix, id);
    CREATE TABLE tlsa_seen (
        domain TEXT NOT NULL,
        owner TEXT NOT NULL,
        record TEXT NOT NULL,
        first_seen INTEGER NOT NULL,
        PRIMARY KEY (domain, owner, record)
    );
"];

/// One stored run (without its report).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// Run id (increasing).
    pub id: i64,
    /// The mail domain.
    pub domain: String,
    /// When it ran, Unix seconds.
    pub time_unix: i64,
    /// The design file, when there was one.
    pub file: Option<String>,
    /// The settings of the run (JSON text).
    pub settings: String,
    /// Error findings.
    pub errors: i64,
    /// Warning findings.
    pub warnings: i64,
    /// Info findings.
    pub infos: i64,
}

/// Why the history could not be used; the messages name the file.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    /// No place for the default history file.
    #[error("no $XDG_DATA_HOME or $HOME to keep the history in; pass --history FILE")]
    NoHome,
    /// The file does not exist and may not be created.
    #[error("{path}: no history yet (run `secmx check --save` first)")]
    NoHistory {
        /// The file.
        path: String,
    },
    /// A file system error.
    #[error("{path}: {action}: {source}")]
    Io {
        /// The file or directory.
        path: String,
        /// `cannot open`, `cannot read`, `cannot create`.
        action: &'static str,
        /// The error.
        source: std::io::Error,
    },
    /// The file is not SQLite.
    #[error(
        "{path}: not a SQLite database (corrupt or another file); it is left as it is: move it away to start a new history"
    )]
    NotSqlite {
        /// The file.
        path: String,
    },
    /// SQLite cannot open or migrate it.
    #[error(
        "{path}: cannot use the history database ({source}); it is left as it is: move it away to start a new history"
    )]
    Unusable {
        /// The file.
        path: String,
        /// The error.
        source: rusqlite::Error,
    },
    /// Written by a newer secmx.
    #[error(
        "{path}: the history has schema version {version}, this program knows up to {SCHEMA_VERSION}; use a newer secmx (the file is left as it is)"
    )]
    NewerSchema {
        /// The file.
        path: String,
        /// Its schema version.
        version: i64,
    },
    /// A report that cannot be written as JSON.
    #[error("{0}")]
    Json(serde_json::Error),
    /// Saving a run failed.
    #[error("{path}: cannot save the run: {source}")]
    Save {
        /// The file.
        path: String,
        /// The error.
        source: rusqlite::Error,
    },
    /// Reading failed.
    #[error("{path}: {source}")]
    Db {
        /// The file.
        path: String,
        /// The error.
        source: rusqlite::Error,
    },
    /// No run with this id.
    #[error("no run {id} in {path}")]
    NoRun {
        /// The id asked for.
        id: i64,
        /// The file.
        path: String,
    },
    /// A stored report that is not JSON.
    #[error("run {id}: the stored report does not parse: {source}")]
    BadReport {
        /// The run.
        id: i64,
        /// The error.
        source: serde_json::Error,
    },
}

fn io(path: &str, action: &'static str, source: std::io::Error) -> HistoryError {
    HistoryError::Io {
        path: path.to_string(),
        action,
        source,
    }
}

/// An open history database.
#[derive(Debug)]
pub struct History {
    conn: Connection,
    path: PathBuf,
}

/// The default history file: `$XDG_DATA_HOME/secmx/history.sqlite`, else
/// `$HOME/.local/share/secmx/history.sqlite`.
pub fn default_path() -> Result<PathBuf, HistoryError> {
    let base = match std::env::var_os("XDG_DATA_HOME").filter(|v| !v.is_empty()) {
        Some(d) => PathBuf::from(d),
        None => match std::env::var_os("HOME").filter(|v| !v.is_empty()) {
            Some(h) => PathBuf::from(h).join(".local/share"),
            None => {
                return Err(HistoryError::NoHome);
            }
        },
    };
    Ok(base.join("secmx").join("history.sqlite"))
}

/// Unix seconds now.
pub fn now_unix() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// `YYYY-MM-DD HH:MM UTC` of Unix seconds.
pub fn when(t: i64) -> String {
    let f = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    time::OffsetDateTime::from_unix_timestamp(t)
        .ok()
        .and_then(|d| d.format(&f).ok())
        .unwrap_or_else(|| t.to_string())
}

impl History {
    /// Opens (`create`: or creates) the history at `path` and migrates it to this build's schema.
    pub fn open(path: &Path, create: bool) -> Result<History, HistoryError> {
        let shown = path.display().to_string();
        let exists = path.exists();
        if !exists && !create {
            return Err(HistoryError::NoHistory { path: shown });
        }
        if exists {
            // A file that is not SQLite is never opened for writing (SQLite would refuse it as
            // "not a database" anyway; say so before it gets the chance to touch anything).
            let mut head = [0u8; 16];
            let n = std::io::Read::read(
                &mut std::fs::File::open(path).map_err(|e| io(&shown, "cannot open", e))?,
                &mut head,
            )
            .map_err(|e| io(&shown, "cannot read", e))?;
            if n > 0 && (n < 16 || head != *b"SQLite format 3\0") {
                return Err(HistoryError::NotSqlite { path: shown });
            }
        } else if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| io(&dir.display().to_string(), "cannot create", e))?;
        }
        let flags = if create {
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE
        } else {
            OpenFlags::SQLITE_OPEN_READ_WRITE
        };
        let corrupt = |source: rusqlite::Error| HistoryError::Unusable {
            path: shown.clone(),
            source,
        };
        let conn = Connection::open_with_flags(path, flags).map_err(corrupt)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(corrupt)?;
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(corrupt)?;
        if version > SCHEMA_VERSION {
            return Err(HistoryError::NewerSchema {
                path: shown,
                version,
            });
        }
        conn.query_row("PRAGMA journal_mode=WAL", [], |_| Ok(()))
            .map_err(corrupt)?;
        // In WAL mode NORMAL loses no committed run when the process dies (kill -9), only on a
        // power cut; FULL would wait for the disk at every save.
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(corrupt)?;
        let mut h = History {
            conn,
            path: path.to_path_buf(),
        };
        h.migrate(version).map_err(corrupt)?;
        Ok(h)
    }

    fn migrate(&mut self, from: i64) -> rusqlite::Result<()> {
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(from.max(0) as usize) {
            let tx = self.conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)?;
            tx.commit()?;
        }
        Ok(())
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Stores one run (the report JSON as `secmx check --format json` prints it) and prunes the
    /// domain to the last [`KEEP_PER_DOMAIN`] runs. Returns the run id.
    pub fn save(
        &mut self,
        report: &Value,
        time_unix: i64,
        settings: &Value,
    ) -> Result<i64, HistoryError> {
        let domain = report["domain"].as_str().unwrap_or_default().to_string();
        let count = |k: &str| report["summary"][k].as_i64().unwrap_or(0);
        let text = serde_json::to_string(report).map_err(HistoryError::Json)?;
        let err = |source: rusqlite::Error| HistoryError::Save {
            path: self.path.display().to_string(),
            source,
        };
        let tx = self.conn.transaction().map_err(err)?;
        tx.execute(
            "INSERT INTO runs (domain, time_unix, file, settings, errors, warnings, infos, report)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                domain,
                time_unix,
                report["file"].as_str(),
                settings.to_string(),
                count("errors"),
                count("warnings"),
                count("infos"),
                text
            ],
        )
        .map_err(err)?;
        let id = tx.last_insert_rowid();
        tx.execute(
            "DELETE FROM runs WHERE domain = ?1 AND id NOT IN
               (SELECT id FROM runs WHERE domain = ?1 ORDER BY time_unix DESC, id DESC LIMIT ?2)",
            params![domain, KEEP_PER_DOMAIN],
        )
        .map_err(err)?;
        // TLSA records: first seen (continuously) per owner.
        for (owner, records) in tlsa_sets(report) {
            let have: Vec<String> = {
                let mut st = tx
                    .prepare_cached("SELECT record FROM tlsa_seen WHERE domain = ?1 AND owner = ?2")
                    .map_err(err)?;
                st.query_map(params![domain, owner], |r| r.get(0))
                    .map_err(err)?
                    .collect::<Result<_, _>>()
                    .map_err(err)?
            };
            for gone in have.iter().filter(|h| !records.contains(h)) {
                tx.execute(
                    "DELETE FROM tlsa_seen WHERE domain = ?1 AND owner = ?2 AND record = ?3",
                    params![domain, owner, gone],
                )
                .map_err(err)?;
            }
            for r in &records {
                tx.execute(
                    "INSERT OR IGNORE INTO tlsa_seen (domain, owner, record, first_seen) VALUES (?1, ?2, ?3, ?4)",
                    params![domain, owner, r, time_unix],
                )
                .map_err(err)?;
            }
        }
        tx.commit().map_err(err)?;
        Ok(id)
    }

    /// The runs of a domain, newest first, at most `limit`.
    pub fn list(&self, domain: &str, limit: i64) -> Result<Vec<Run>, HistoryError> {
        let err = |e| self.db(e);
        let mut st = self
            .conn
            .prepare(
                "SELECT id, domain, time_unix, file, settings, errors, warnings, infos FROM runs
                 WHERE domain = ?1 ORDER BY time_unix DESC, id DESC LIMIT ?2",
            )
            .map_err(err)?;
        st.query_map(params![domain, limit], run_row)
            .map_err(err)?
            .collect::<Result<_, _>>()
            .map_err(err)
    }

    /// One run and its report.
    pub fn get(&self, id: i64) -> Result<(Run, Value), HistoryError> {
        let err = |e| self.db(e);
        let row = self
            .conn
            .query_row(
                "SELECT id, domain, time_unix, file, settings, errors, warnings, infos, report FROM runs WHERE id = ?1",
                params![id],
                |r| Ok((run_row(r)?, r.get::<_, String>(8)?)),
            )
            .optional()
            .map_err(err)?;
        let Some((run, text)) = row else {
            return Err(HistoryError::NoRun {
                id,
                path: self.path.display().to_string(),
            });
        };
        let v =
            serde_json::from_str(&text).map_err(|source| HistoryError::BadReport { id, source })?;
        Ok((run, v))
    }

    /// When a TLSA record of `owner` (`_25._tcp.mx.example`, no final dot) was first seen
    /// published, continuously until the last saved run.
    pub fn tlsa_first_seen(
        &self,
        domain: &str,
        owner: &str,
        record: &str,
    ) -> Result<Option<i64>, HistoryError> {
        self.conn
            .query_row(
                "SELECT first_seen FROM tlsa_seen WHERE domain = ?1 AND owner = ?2 AND record = ?3",
                params![domain, owner, record],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.db(e))
    }

    /// A database error on this file.
    fn db(&self, source: rusqlite::Error) -> HistoryError {
        HistoryError::Db {
            path: self.path.display().to_string(),
            source,
        }
    }
}

fn run_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Run> {
    Ok(Run {
        id: r.get(0)?,
        domain: r.get(1)?,
        time_unix: r.get(2)?,
        file: r.get(3)?,
        settings: r.get(4)?,
        errors: r.get(5)?,
        warnings: r.get(6)?,
        infos: r.get(7)?,
    })
}

/// The TLSA RRsets a report's DNS part answered: (owner without final dot, normalised records).
pub fn tlsa_sets(report: &Value) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for s in report["dns"]["rrsets"].as_array().into_iter().flatten() {
        if s["type"] != "TLSA" || !matches!(s["status"].as_str(), Some("ok" | "nodata")) {
            continue;
        }
        let owner = s["name"]
            .as_str()
            .unwrap_or_default()
            .trim_end_matches('.')
            .to_ascii_lowercase();
        let records = s["records"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(crate::model::normalize_tlsa)
            .collect();
        out.push((owner, records));
    }
    out
}

/// One change between two runs, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// What the change is about, for grouping: a relay address (`host address:port`), `DNS`,
    /// `MTA-STS` or `Findings`.
    pub group: String,
    /// Something got worse (`--fail-on-regression`).
    pub regression: bool,
    /// The change in words.
    pub text: String,
}

impl Change {
    /// The words without the group they start with (`key changed …` of `mx 192.0.2.1:25: key
    /// changed …`), for a list under the group's heading.
    pub fn words(&self) -> &str {
        self.text
            .strip_prefix(self.group.as_str())
            .and_then(|t| t.strip_prefix(": "))
            .unwrap_or(&self.text)
    }
}

/// The changes grouped by [`Change::group`], groups in the order they first appear.
pub fn grouped(changes: &[Change]) -> Vec<(&str, Vec<&Change>)> {
    let mut out: Vec<(&str, Vec<&Change>)> = Vec::new();
    for c in changes {
        match out.iter_mut().find(|(g, _)| *g == c.group) {
            Some((_, v)) => v.push(c),
            None => out.push((c.group.as_str(), vec![c])),
        }
    }
    out
}

fn s(v: &Value) -> String {
    match v {
        Value::Null => "-".into(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The probes of a report by `host address:port`.
fn probes(r: &Value) -> Vec<(String, &Value)> {
    r["probes"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            (
                format!("{} {}:{}", s(&p["host"]), s(&p["address"]), s(&p["port"])),
                p,
            )
        })
        .collect()
}

/// A stored report's value as the enum it was written from; `None` when absent or unknown to this
/// version.
fn typed<T: serde::de::DeserializeOwned>(v: &Value) -> Option<T> {
    T::deserialize(v).ok()
}

/// How bad a relay verdict is (unknown counts as the worst).
fn verdict_rank(v: Option<Verdict>) -> u8 {
    match v {
        Some(Verdict::Pass) => 0,
        Some(Verdict::Inconclusive) => 1,
        Some(Verdict::Fail) | None => 2,
    }
}

fn dane_rank(v: Option<DaneVerdict>) -> u8 {
    match v {
        Some(DaneVerdict::Valid) => 0,
        Some(DaneVerdict::NoTlsa | DaneVerdict::NotApplicable) => 1,
        Some(DaneVerdict::Fail) | None => 2,
    }
}

fn dnssec_rank(v: Option<Dnssec>) -> u8 {
    match v {
        Some(Dnssec::Secure) => 0,
        Some(Dnssec::Insecure | Dnssec::Indeterminate) => 1,
        Some(Dnssec::Bogus) | None => 2,
    }
}

/// The MTA-STS policy of a report as a sender would apply it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StsState {
    /// No policy fetched.
    Absent,
    /// A policy was fetched and is invalid.
    Invalid,
    /// A valid policy with this mode (`None`: a mode this version does not know).
    Mode(Option<StsMode>),
}

fn sts_rank(state: StsState) -> u8 {
    match state {
        StsState::Mode(Some(StsMode::Enforce)) => 0,
        StsState::Mode(Some(StsMode::Testing)) => 1,
        _ => 2,
    }
}

/// What changed from run `a` to run `b` (both report JSON), in words; regressions marked.
pub fn diff(a: &Value, b: &Value) -> Vec<Change> {
    let mut out = Vec::new();
    let mut push = |group: &str, regression: bool, text: String| {
        out.push(Change {
            group: group.to_string(),
            regression,
            text,
        })
    };

    // Certificates, keys, DANE and verdicts per relay address.
    let pa = probes(a);
    let pb = probes(b);
    for (k, y) in &pb {
        let Some((_, x)) = pa.iter().find(|(j, _)| j == k) else {
            push(k, false, format!("{k}: probed now, not before"));
            continue;
        };
        let leaf = |p: &Value, f: &str| s(&p["certificate"]["chain"][0][f]);
        let dane_b = s(&y["dane"]);
        let dane_b_typed = typed::<DaneVerdict>(&y["dane"]);
        let matched = y["dane_detail"]["matched"].as_str().map(str::to_string);
        if leaf(x, "spki_sha256") != leaf(y, "spki_sha256") && leaf(y, "spki_sha256") != "-" {
            let tlsa = if dane_b_typed == Some(DaneVerdict::Valid) {
                match &matched {
                    Some(m) => format!("a TLSA record still matches ({m})"),
                    None => "a TLSA record still matches".to_string(),
                }
            } else if dane_b_typed == Some(DaneVerdict::Fail) {
                "TLSA no longer matches".to_string()
            } else {
                format!("DANE {dane_b}")
            };
            push(
                k,
                dane_b_typed == Some(DaneVerdict::Fail),
                format!(
                    "{k}: key changed (leaf SPKI {} → {}), {tlsa}",
                    short(&leaf(x, "spki_sha256")),
                    short(&leaf(y, "spki_sha256"))
                ),
            );
        } else if leaf(x, "sha256") != leaf(y, "sha256") && leaf(y, "sha256") != "-" {
            push(
                k,
                false,
                format!(
                    "{k}: certificate changed, same key (not after {} → {})",
                    leaf(x, "not_after"),
                    leaf(y, "not_after")
                ),
            );
        }
        let dane_a = s(&x["dane"]);
        if dane_a != dane_b {
            push(
                k,
                dane_rank(dane_b_typed) > dane_rank(typed(&x["dane"])),
                format!("{k}: DANE {dane_a} → {dane_b}"),
            );
        }
        let (va, vb) = (s(&x["verdict"]), s(&y["verdict"]));
        if va != vb {
            push(
                k,
                verdict_rank(typed(&y["verdict"])) > verdict_rank(typed(&x["verdict"])),
                format!("{k}: verdict {va} → {vb}"),
            );
        }
    }
    for (k, _) in pa.iter().filter(|(k, _)| !pb.iter().any(|(j, _)| j == k)) {
        push(k, false, format!("{k}: probed before, not now"));
    }

    // DNS: TLSA sets, the MTA-STS id, DNSSEC states.
    let sets = |r: &Value| -> Vec<(String, RecordType, Value)> {
        r["dns"]["rrsets"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|x| (s(&x["name"]), RecordType::of(&s(&x["type"])), x.clone()))
            .collect()
    };
    let (da, db) = (sets(a), sets(b));
    for (name, rtype, y) in &db {
        let Some((_, _, x)) = da.iter().find(|(n, t, _)| n == name && t == rtype) else {
            continue;
        };
        let recs = |v: &Value| -> Vec<String> {
            v["records"]
                .as_array()
                .into_iter()
                .flatten()
                .map(s)
                .collect()
        };
        let (ra, rb) = (recs(x), recs(y));
        if *rtype == RecordType::Tlsa && ra != rb {
            let added: Vec<&String> = rb.iter().filter(|r| !ra.contains(r)).collect();
            let removed: Vec<&String> = ra.iter().filter(|r| !rb.contains(r)).collect();
            let mut t = format!("{name} TLSA set changed:");
            for r in added {
                t.push_str(&format!(" +[{}]", short_record(r)));
            }
            for r in removed {
                t.push_str(&format!(" -[{}]", short_record(r)));
            }
            push("DNS", false, t);
        }
        if *rtype == RecordType::Txt && name.starts_with("_mta-sts.") {
            let id = |v: &[String]| {
                v.iter()
                    .find_map(|t| {
                        t.split(';')
                            .find_map(|kv| kv.trim().trim_matches('"').strip_prefix("id="))
                            .map(|x| x.trim_matches('"').to_string())
                    })
                    .unwrap_or_else(|| "-".into())
            };
            if id(&ra) != id(&rb) {
                push(
                    "MTA-STS",
                    false,
                    format!("MTA-STS policy id {} → {}", id(&ra), id(&rb)),
                );
            }
        }
        let (sa, sb) = (s(&x["dnssec"]), s(&y["dnssec"]));
        if sa != sb && typed::<Status>(&y["status"]) != Some(Status::Timeout) {
            push(
                "DNS",
                dnssec_rank(typed(&y["dnssec"])) > dnssec_rank(typed(&x["dnssec"])),
                format!("{name} {rtype}: DNSSEC {sa} → {sb}"),
            );
        }
    }

    // The MTA-STS policy as fetched.
    let mode = |r: &Value| {
        let p = &r["mta_sts_policy"];
        if p.is_null() {
            (StsState::Absent, "absent".to_string())
        } else if p["valid"] == Value::Bool(false) {
            (StsState::Invalid, "invalid".to_string())
        } else {
            let m = &p["policy"]["mode"];
            (StsState::Mode(typed(m)), s(m))
        }
    };
    let ((sa, ma), (sb, mb)) = (mode(a), mode(b));
    if ma != mb {
        push(
            "MTA-STS",
            sts_rank(sb) > sts_rank(sa),
            format!("MTA-STS mode {ma} → {mb}"),
        );
    }

    // Findings new and gone (by rule, subject and severity; messages may carry times).
    let keys = |r: &Value| -> Vec<(String, String, String)> {
        r["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|f| (s(&f["rule"]), s(&f["subject"]), s(&f["severity"])))
            .collect()
    };
    let (fa, fb) = (keys(a), keys(b));
    for (rule, subject, sev) in fb.iter().filter(|k| !fa.contains(k)) {
        push(
            "Findings",
            typed::<Severity>(&Value::String(sev.clone())) == Some(Severity::Error),
            format!("new finding: {sev} {rule} {subject}"),
        );
    }
    for (rule, subject, sev) in fa.iter().filter(|k| !fb.contains(k)) {
        push("Findings", false, format!("gone: {sev} {rule} {subject}"));
    }
    out
}

fn short(h: &str) -> String {
    h.chars().take(12).collect::<String>() + if h.len() > 12 { "…" } else { "" }
}

fn short_record(r: &str) -> String {
    let n = crate::model::normalize_tlsa(r);
    match n.rsplit_once(' ') {
        Some((head, data)) => format!("{head} {}", short(data)),
        None => n,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn report(spki: &str, dane: &str, tlsa: &[&str], findings: Value) -> Value {
        json!({
            "domain": "agency.example",
            "summary": {"errors": 0, "warnings": 0, "infos": 0},
            "findings": findings,
            "dns": {"rrsets": [
                {"name": "_25._tcp.mx1.agency.example.", "type": "TLSA", "records": tlsa, "ttl": 300, "dnssec": "secure", "status": "ok"}
            ], "drift": [], "elapsed_ms": 1},
            "probes": [{"host": "mx1.agency.example", "address": "192.0.2.25", "port": 25,
                        "certificate": {"chain": [{"spki_sha256": spki, "sha256": spki, "not_after": "x"}]},
                        "dane": dane, "dane_detail": {"matched": "3 1 1"}, "verdict": if dane == "fail" {"fail"} else {"pass"}}]
        })
    }

    #[test]
    fn key_change_without_tlsa_is_a_regression() {
        let a = report("aa", "valid", &["3 1 1 aa"], json!([]));
        let b = report(
            "bb",
            "fail",
            &["3 1 1 aa"],
            json!([{"rule": "PROBE-025", "subject": "mx1", "severity": "error"}]),
        );
        let d = diff(&a, &b);
        assert!(
            d.iter().any(|c| c.regression
                && c.text.contains("key changed")
                && c.text.contains("TLSA no longer matches")),
            "{d:?}"
        );
        assert!(
            d.iter()
                .any(|c| c.regression && c.text.contains("new finding: error PROBE-025"))
        );
    }

    /// The stored words are read as the enums they were written from: a verdict or DNSSEC state
    /// that gets better is no regression, one that gets worse is, and a word this version does not
    /// know counts as the worst.
    #[test]
    fn stored_words_are_ranked_as_their_enums() {
        let mut a = report("aa", "valid", &["3 1 1 aa"], json!([]));
        let mut b = a.clone();
        a["probes"][0]["verdict"] = json!("inconclusive");
        b["dns"]["rrsets"][0]["dnssec"] = json!("insecure");
        let d = diff(&a, &b);
        let find = |d: &[Change], s: &str| d.iter().find(|c| c.text.contains(s)).cloned();
        let v = find(&d, "verdict inconclusive → pass").expect("verdict change");
        assert!(!v.regression, "{d:?}");
        let s = find(&d, "DNSSEC secure → insecure").expect("dnssec change");
        assert!(s.regression, "{d:?}");
        let back = diff(&b, &a);
        assert!(!find(&back, "DNSSEC insecure → secure").unwrap().regression);
        assert!(
            find(&back, "verdict pass → inconclusive")
                .unwrap()
                .regression
        );
        b["probes"][0]["verdict"] = json!("someday");
        let d = diff(&a, &b);
        assert!(
            find(&d, "verdict inconclusive → someday")
                .unwrap()
                .regression
        );
    }

    #[test]
    fn rollover_in_order_is_no_regression() {
        let a = report("aa", "valid", &["3 1 1 aa"], json!([]));
        let b = report("aa", "valid", &["3 1 1 aa", "3 1 1 bb"], json!([]));
        let c = report("bb", "valid", &["3 1 1 aa", "3 1 1 bb"], json!([]));
        let e = report("bb", "valid", &["3 1 1 bb"], json!([]));
        for (x, y) in [(&a, &b), (&b, &c), (&c, &e)] {
            let d = diff(x, y);
            assert!(!d.is_empty());
            assert!(d.iter().all(|c| !c.regression), "{d:?}");
        }
        assert!(diff(&b, &c)[0].text.contains("a TLSA record still matches"));
        assert!(
            diff(&a, &b)[0]
                .text
                .contains("TLSA set changed: +[3 1 1 bb]")
        );
    }

    #[test]
    fn store_list_get_prune_and_first_seen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h/history.sqlite");
        let mut h = History::open(&path, true).unwrap();
        let a = report("aa", "valid", &["3 1 1 AA"], json!([]));
        let b = report("aa", "valid", &["3 1 1 aa", "3 1 1 bb"], json!([]));
        let id1 = h.save(&a, 100, &json!({})).unwrap();
        let id2 = h.save(&b, 200, &json!({})).unwrap();
        assert!(id2 > id1);
        let owner = "_25._tcp.mx1.agency.example";
        assert_eq!(
            h.tlsa_first_seen("agency.example", owner, "3 1 1 aa")
                .unwrap(),
            Some(100)
        );
        assert_eq!(
            h.tlsa_first_seen("agency.example", owner, "3 1 1 bb")
                .unwrap(),
            Some(200)
        );
        h.save(&a, 300, &json!({})).unwrap();
        assert_eq!(
            h.tlsa_first_seen("agency.example", owner, "3 1 1 bb")
                .unwrap(),
            None
        );
        let runs = h.list("agency.example", 10).unwrap();
        assert_eq!(
            runs.iter().map(|r| r.time_unix).collect::<Vec<_>>(),
            [300, 200, 100]
        );
        assert_eq!(h.get(id2).unwrap().1, b);
        drop(h);
        // Reopened: same schema, WAL.
        let h = History::open(&path, false).unwrap();
        let mode: String = h
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
    }

    #[test]
    fn keeps_the_last_thousand_per_domain() {
        let dir = tempfile::tempdir().unwrap();
        let mut h = History::open(&dir.path().join("h.sqlite"), true).unwrap();
        let a = report("aa", "valid", &[], json!([]));
        for t in 0..(KEEP_PER_DOMAIN + 5) {
            h.save(&a, t, &json!({})).unwrap();
        }
        let runs = h.list("agency.example", 5000).unwrap();
        assert_eq!(runs.len() as i64, KEEP_PER_DOMAIN);
        assert_eq!(runs.last().unwrap().time_unix, 5);
    }

    #[test]
    fn corrupt_or_newer_files_are_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let junk = dir.path().join("junk.sqlite");
        std::fs::write(&junk, b"this is not a database at all, no").unwrap();
        let e = History::open(&junk, true).unwrap_err();
        assert!(e.to_string().contains("not a SQLite database"), "{e}");
        assert_eq!(
            std::fs::read(&junk).unwrap(),
            b"this is not a database at all, no"
        );

        let newer = dir.path().join("newer.sqlite");
        {
            let c = Connection::open(&newer).unwrap();
            c.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
                .unwrap();
            c.execute_batch("CREATE TABLE x (y)").unwrap();
        }
        let before = std::fs::read(&newer).unwrap();
        let e = History::open(&newer, true).unwrap_err();
        assert!(e.to_string().contains("schema version 2"), "{e}");
        assert_eq!(std::fs::read(&newer).unwrap(), before);
        assert!(History::open(&dir.path().join("none.sqlite"), false).is_err());
    }
}
