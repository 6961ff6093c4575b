//! Design files (`*.secmx.toml`, documented in the README): read with `file:line:column` errors, written
//! atomically, schema version checked.
//!
//! Reading goes through a *raw* serde layer that mirrors the file (with spans), then into
//! [`crate::model::Design`]. Unknown keys are rejected with their position rather than dropped, so a
//! round trip never loses what a user wrote. Values the rules judge (preferences, ports, TLSA strings,
//! policy texts) pass through as written; values that cannot mean anything (a level of 7, a role of
//! `backup`, an address that is not an IP address, a schema from the future) are errors here.

use crate::model::{
    Design, DomainName, Level, MtaSts, Profile, Relay, Role, SgeTexts, StsMode, TlsRpt,
    dkim_selector_error, normalize_name,
};
use serde::{Deserialize, Serialize};
use std::fs;
use std::io::Write;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The schema version this build reads and writes.
pub const FORMAT: i64 = 1;
/// Largest design file read (a 10,000-relay design is about 2 MB).
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;

/// Why a design could not be read or written. Displays as `file:line:column: message`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ProjectError {
    /// The file (or `<input>` for text without a file).
    pub file: String,
    /// 1-based line and column, when the error has a position.
    pub position: Option<(usize, usize)>,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for ProjectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.position {
            Some((l, c)) => write!(f, "{}:{l}:{c}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let mut start = offset;
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let before = &text[..start];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

fn default_true_port() -> i64 {
    25
}

#[derive(Debug, Deserialize)]
struct RawVersion {
    format: Option<Spanned<i64>>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDesign {
    format: i64,
    domain: Spanned<String>,
    level: Spanned<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    profile: Option<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    srv_label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ttl: Option<i64>,
    #[serde(default, skip_serializing_if = "is_false")]
    null_mx: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    test_domain: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    secure_only: bool,
    #[serde(default, rename = "relay", skip_serializing_if = "Vec::is_empty")]
    relays: Vec<RawRelay>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    mta_sts: Option<RawSts>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    tls_rpt: Option<RawRpt>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sge: Option<RawSge>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRelay {
    host: Spanned<String>,
    role: Role,
    #[serde(default = "default_true_port")]
    port: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    preference: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    priority: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    weight: Option<i64>,
    #[serde(default, skip_serializing_if = "is_false")]
    also_srv: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    addresses: Vec<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    tlsa: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    next_tlsa: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    next_key: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSts {
    mode: StsMode,
    max_age: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    mx: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    policy_sha256: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRpt {
    rua: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSge {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    spf: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    dmarc: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    dkim_selectors: Vec<Spanned<String>>,
}

/// Parse design text. `file` names it in errors.
pub fn parse_design(text: &str, file: &str) -> Result<Design, ProjectError> {
    let err_at = |span: Option<std::ops::Range<usize>>, message: String| ProjectError {
        file: file.to_string(),
        position: span.map(|s| line_col(text, s.start)),
        message,
    };
    let toml_err = |e: toml::de::Error| {
        let msg = e.message().trim().to_string();
        err_at(e.span(), msg)
    };

    // The version first: a file from a newer program gets a clear message, not a list of unknown keys.
    let version: RawVersion = toml::from_str(text).map_err(toml_err)?;
    match version.format {
        None => {
            return Err(err_at(
                Some(0..0),
                "missing `format = 1` (the schema version of a SecMX design file)".to_string(),
            ));
        }
        Some(v) if *v.get_ref() > FORMAT => {
            return Err(err_at(
                Some(v.span()),
                format!(
                    "this design uses schema format {}, but this program reads format {FORMAT}; open it with a newer SecMX Workbench",
                    v.get_ref()
                ),
            ));
        }
        Some(v) if *v.get_ref() < 1 => {
            return Err(err_at(
                Some(v.span()),
                format!(
                    "schema format {} does not exist; use `format = 1`",
                    v.get_ref()
                ),
            ));
        }
        Some(_) => {}
    }

    let raw: RawDesign = toml::from_str(text).map_err(toml_err)?;
    let domain = DomainName::parse(raw.domain.get_ref())
        .map_err(|e| err_at(Some(raw.domain.span()), format!("domain: {e}")))?;
    let level = match *raw.level.get_ref() {
        1 => Level::L1,
        2 => Level::L2,
        n => {
            return Err(err_at(
                Some(raw.level.span()),
                format!("level must be 1 (best effort) or 2 (secure-only receivers too), not {n}"),
            ));
        }
    };
    let profile = match raw
        .profile
        .as_ref()
        .map(|p| (p.get_ref().as_str(), p.span()))
    {
        None | Some(("secmx", _)) => Profile::Secmx,
        Some(("sge", _)) => Profile::Sge,
        Some((other, span)) => {
            return Err(err_at(
                Some(span),
                format!("profile must be \"secmx\" or \"sge\", not \"{other}\""),
            ));
        }
    };
    let mut design = Design::new(domain);
    design.level = level;
    design.profile = profile;
    if let Some(label) = raw.srv_label {
        design.srv_label = label.trim().to_string();
    }
    if let Some(ttl) = raw.ttl {
        design.ttl = ttl;
    }
    design.null_mx = raw.null_mx;
    design.test_domain = raw.test_domain;
    design.secure_only = raw.secure_only;
    for r in raw.relays {
        let host = normalize_name(r.host.get_ref());
        if host.is_empty() {
            return Err(err_at(
                Some(r.host.span()),
                "relay host is empty".to_string(),
            ));
        }
        let mut relay = Relay::new(host, r.role);
        relay.port = r.port;
        relay.preference = r.preference.unwrap_or(10);
        relay.priority = r.priority.unwrap_or(10);
        relay.weight = r.weight.unwrap_or(0);
        relay.also_srv = r.also_srv;
        for a in r.addresses {
            let ip: IpAddr = a.get_ref().trim().parse().map_err(|_| {
                err_at(
                    Some(a.span()),
                    format!("`{}` is not an IPv4 or IPv6 address", a.get_ref()),
                )
            })?;
            relay.addresses.push(ip);
        }
        relay.tlsa = r.tlsa;
        relay.next_tlsa = r.next_tlsa;
        relay.next_key = r.next_key;
        design.relays.push(relay);
    }
    design.mta_sts = raw.mta_sts.map(|s| MtaSts {
        mode: s.mode,
        max_age: s.max_age,
        id: s.id,
        mx: s.mx,
        policy_sha256: s.policy_sha256,
    });
    design.tls_rpt = raw.tls_rpt.map(|r| TlsRpt { rua: r.rua });
    if let Some(s) = raw.sge {
        let mut dkim_selectors: Vec<String> = Vec::new();
        for sel in s.dkim_selectors {
            let name = normalize_name(sel.get_ref());
            if let Some(e) = dkim_selector_error(&name, design.domain.as_str()) {
                return Err(err_at(Some(sel.span()), format!("sge.dkim_selectors: {e}")));
            }
            if !dkim_selectors.contains(&name) {
                dkim_selectors.push(name);
            }
        }
        design.sge = Some(SgeTexts {
            spf: s.spf,
            dmarc: s.dmarc,
            dkim_selectors,
        });
    }
    Ok(design)
}

fn to_raw(design: &Design) -> RawDesign {
    let sp = |s: String| Spanned::new(0..0, s);
    RawDesign {
        format: FORMAT,
        domain: sp(design.domain.as_str().to_string()),
        level: Spanned::new(0..0, i64::from(design.level.number())),
        profile: Some(sp(design.profile.as_str().to_string())),
        srv_label: (design.srv_label != crate::model::DEFAULT_SRV_LABEL)
            .then(|| design.srv_label.clone()),
        ttl: Some(design.ttl),
        null_mx: design.null_mx,
        test_domain: design.test_domain,
        secure_only: design.secure_only,
        relays: design
            .relays
            .iter()
            .map(|r| RawRelay {
                host: sp(r.host.clone()),
                role: r.role,
                port: r.port,
                preference: (r.role == Role::Ber).then_some(r.preference),
                priority: r.in_srv().then_some(r.priority),
                weight: r.in_srv().then_some(r.weight),
                also_srv: r.also_srv,
                addresses: r.addresses.iter().map(|a| sp(a.to_string())).collect(),
                tlsa: r.tlsa.clone(),
                next_tlsa: r.next_tlsa.clone(),
                next_key: r.next_key.clone(),
            })
            .collect(),
        mta_sts: design.mta_sts.as_ref().map(|s| RawSts {
            mode: s.mode,
            max_age: s.max_age,
            id: s.id.clone(),
            mx: s.mx.clone(),
            policy_sha256: s.policy_sha256.clone(),
        }),
        tls_rpt: design
            .tls_rpt
            .as_ref()
            .map(|r| RawRpt { rua: r.rua.clone() }),
        sge: design.sge.as_ref().map(|s| RawSge {
            spf: s.spf.clone(),
            dmarc: s.dmarc.clone(),
            dkim_selectors: s.dkim_selectors.iter().map(|x| sp(x.clone())).collect(),
        }),
    }
}

/// Render a design as design-file text (the form documented in the README).
pub fn design_to_toml(design: &Design) -> Result<String, ProjectError> {
    let body = toml::to_string(&to_raw(design)).map_err(|e| ProjectError {
        file: "<design>".into(),
        position: None,
        message: format!("cannot render the design as TOML: {e}"),
    })?;
    Ok(format!(
        "# SecMX Workbench design for {} (schema format {FORMAT})\n{body}",
        design.domain.to_unicode()
    ))
}

/// Render a design as JSON (`secmx export --format json`): the same keys as the design file.
pub fn design_to_json(design: &Design) -> Result<String, ProjectError> {
    serde_json::to_string_pretty(&to_raw(design)).map_err(|e| ProjectError {
        file: "<design>".into(),
        position: None,
        message: format!("cannot render the design as JSON: {e}"),
    })
}

/// Read a design file.
pub fn load_design(path: &Path) -> Result<Design, ProjectError> {
    let file = path.display().to_string();
    let io_err = |what: &str, e: std::io::Error| ProjectError {
        file: file.clone(),
        position: None,
        message: format!("cannot {what}: {e}"),
    };
    let meta = fs::metadata(path).map_err(|e| io_err("read the file", e))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(ProjectError {
            file,
            position: None,
            message: format!(
                "the file is {} bytes; design files over {} MiB are refused (a 10,000-relay design is about 2 MB)",
                meta.len(),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        });
    }
    let bytes = fs::read(path).map_err(|e| io_err("read the file", e))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let off = e.utf8_error().valid_up_to();
        let (l, c) = line_col(&String::from_utf8_lossy(e.as_bytes()), off);
        ProjectError {
            file: file.clone(),
            position: Some((l, c)),
            message: "the file is not valid UTF-8".into(),
        }
    })?;
    let mut design = parse_design(&text, &file)?;
    read_next_keys(&mut design, path.parent().unwrap_or(Path::new(".")));
    Ok(design)
}

/// Reads each relay's `next_key` file (relative to `dir`, the design file's folder) into its
/// `3 1 1` record, or the reason it could not be read (TLSA-017 reports it; loading goes on).
pub fn read_next_keys(design: &mut Design, dir: &Path) {
    for r in &mut design.relays {
        r.next_key_record = r.next_key.as_ref().map(|k| {
            let p = Path::new(k);
            let p = if p.is_absolute() {
                p.to_path_buf()
            } else {
                dir.join(p)
            };
            crate::tlsagen::next_key_record(&p).map_err(|e| e.to_string())
        });
    }
}

/// If the MTA-STS policy text changed since its `id` was issued, issue a new id (a UTC timestamp,
/// `YYYYMMDDTHHMMSS`) and remember the text's hash; on the first save only the hash is recorded.
/// Returns whether the id changed. This is the builder's half of STS-021.
pub fn refresh_sts_id(design: &mut Design, now: time::OffsetDateTime) -> bool {
    let text = crate::zone::sts_policy_text(design);
    let hash = crate::zone::policy_sha256(&text);
    let Some(sts) = design.mta_sts.as_mut() else {
        return false;
    };
    match (&sts.id, &sts.policy_sha256) {
        (Some(_), Some(old)) if *old != hash => {
            let fmt =
                time::macros::format_description!("[year][month][day]T[hour][minute][second]");
            let mut id = now
                .to_offset(time::UtcOffset::UTC)
                .format(&fmt)
                .unwrap_or_else(|_| hash[..20].to_string());
            if sts.id.as_deref() == Some(id.as_str()) {
                // Two changes within one second: keep ids unique.
                id.push('b');
            }
            sts.id = Some(id);
            sts.policy_sha256 = Some(hash);
            true
        }
        (_, None) => {
            sts.policy_sha256 = Some(hash);
            false
        }
        _ => false,
    }
}

/// Write `bytes` to `path` atomically: a temporary file in the same directory, flushed and synced,
/// then renamed over the target (and the directory synced), so a crash leaves the old or the new
/// file, never half of one.
///
/// - The temporary file is made by [`tempfile::NamedTempFile`]: a random name opened with
///   `O_CREAT | O_EXCL` (no planted file or symlink is ever followed) and removed again on every
///   error path.
/// - A target that exists and is not a regular file (a device such as `/dev/full`, a FIFO, a
///   socket, a directory) is refused: renaming over it would replace the special file.
/// - A symlink to a regular file is written *through*: the file it resolves to is replaced (in its
///   own directory) and the link stays a link. A dangling symlink is refused.
/// - The replaced file keeps its permission bits (a `0600` file stays `0600`); a new file gets
///   `0666` minus the umask, as `File::create` would.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), ProjectError> {
    let file = path.display().to_string();
    let err = |what: &str, e: std::io::Error| ProjectError {
        file: file.clone(),
        position: None,
        message: format!("cannot {what}: {e}"),
    };
    let refuse = |message: String| ProjectError {
        file: file.clone(),
        position: None,
        message,
    };
    // Where to write, and the mode to keep.
    let (target, keep_mode) = match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_file() => (path.to_path_buf(), Some(m.permissions())),
        Ok(m) if m.file_type().is_symlink() => {
            let resolved = fs::canonicalize(path).map_err(|e| {
                refuse(format!(
                    "refused: the symlink does not lead to an existing file ({e})"
                ))
            })?;
            let m = fs::metadata(&resolved).map_err(|e| err("read the link target", e))?;
            if !m.file_type().is_file() {
                return Err(refuse(format!(
                    "refused: the symlink leads to {}, which is not a regular file",
                    resolved.display()
                )));
            }
            (resolved, Some(m.permissions()))
        }
        Ok(_) => {
            return Err(refuse(
                "refused: the target exists and is not a regular file (a device, FIFO, socket or \
                 directory is never replaced)"
                    .into(),
            ));
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => (path.to_path_buf(), None),
        Err(e) => return Err(err("inspect the target", e)),
    };
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "design".into());
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Created 0600 when it replaces a file (its own mode is set below), else 0666 - umask.
        let mode = if keep_mode.is_some() { 0o600 } else { 0o666 };
        builder.permissions(fs::Permissions::from_mode(mode));
    }
    // Dropping `tmp` on any error path below removes the temporary file.
    let mut tmp = builder
        .tempfile_in(&dir)
        .map_err(|e| err("create a temporary file", e))?;
    tmp.write_all(bytes).map_err(|e| err("write", e))?;
    tmp.flush().map_err(|e| err("flush", e))?;
    if let Some(p) = keep_mode {
        tmp.as_file()
            .set_permissions(p)
            .map_err(|e| err("keep the file's permissions", e))?;
    }
    tmp.as_file().sync_all().map_err(|e| err("sync", e))?;
    tmp.persist(&target)
        .map_err(|e| err("replace the file", e.error))?;
    if let Ok(d) = fs::File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Save a design: bump the MTA-STS id if the policy changed, then write atomically.
pub fn save_design(
    path: &Path,
    design: &mut Design,
    now: time::OffsetDateTime,
) -> Result<(), ProjectError> {
    refresh_sts_id(design, now);
    let text = design_to_toml(design)?;
    write_atomic(path, text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    const L2: &str = r#"
format = 1
domain = "agency.example"
level = 2
ttl = 3600

[[relay]]
host = "mx1.agency.example"
role = "ber"
preference = 10
also_srv = true
addresses = ["192.0.2.25", "2001:db8::25"]

[[relay]]
host = "sor1.agency.example"
role = "sor"
port = 25
priority = 10
weight = 0
addresses = ["192.0.2.26"]

[mta_sts]
mode = "enforce"
max_age = 604800

[tls_rpt]
rua = ["mailto:tlsrpt@agency.example"]
"#;

    #[test]
    fn reads_the_documented_form() {
        let d = parse_design(L2, "t.toml").unwrap();
        assert_eq!(d.domain.as_str(), "agency.example");
        assert_eq!(d.level, Level::L2);
        assert_eq!(d.relays.len(), 2);
        assert!(d.relays[0].also_srv);
        assert_eq!(d.relays[1].role, Role::Sor);
        assert_eq!(d.relays[0].addresses.len(), 2);
        assert_eq!(d.mta_sts.as_ref().unwrap().mode, StsMode::Enforce);
    }

    #[test]
    fn round_trip_through_toml_is_lossless() {
        let d = parse_design(L2, "t.toml").unwrap();
        let text = design_to_toml(&d).unwrap();
        let back = parse_design(&text, "t2.toml").unwrap();
        assert_eq!(d, back);
        assert_eq!(text, design_to_toml(&back).unwrap());
    }

    #[test]
    fn errors_carry_file_line_column() {
        let bad = L2.replace(
            "addresses = [\"192.0.2.26\"]",
            "addresses = [\"192.0.2.300\"]",
        );
        let e = parse_design(&bad, "x.secmx.toml").unwrap_err();
        assert_eq!(e.position, Some((20, 14)), "{e}");
        assert!(
            e.to_string()
                .starts_with("x.secmx.toml:20:14: `192.0.2.300`"),
            "{e}"
        );

        let bad = L2.replace("role = \"sor\"", "role = \"backup\"");
        let e = parse_design(&bad, "x").unwrap_err();
        assert_eq!(e.position.map(|p| p.0), Some(16), "{e}");
        assert!(e.message.contains("backup"), "{e}");

        let bad = L2.replace("level = 2", "level = 7");
        let e = parse_design(&bad, "x").unwrap_err();
        assert_eq!(e.position, Some((4, 9)), "{e}");

        let bad = L2.replace("ttl = 3600", "ttl = 3600\ncolour = \"blue\"");
        let e = parse_design(&bad, "x").unwrap_err();
        assert!(e.message.contains("colour"), "{e}");
        assert_eq!(e.position.map(|p| p.0), Some(6), "{e}");

        let bad = L2.replace(
            "domain = \"agency.example\"",
            "domain = \"agency_x.example\"",
        );
        let e = parse_design(&bad, "x").unwrap_err();
        assert_eq!(e.position, Some((3, 10)), "{e}");
    }

    #[test]
    fn schema_version_is_checked_first() {
        let newer = L2.replace("format = 1", "format = 2\nfuture_key = 1");
        let e = parse_design(&newer, "x").unwrap_err();
        assert!(e.message.contains("format 2"), "{e}");
        assert_eq!(e.position, Some((2, 10)));
        let missing = L2.replace("format = 1", "");
        assert!(
            parse_design(&missing, "x")
                .unwrap_err()
                .message
                .contains("format = 1")
        );
        let syntax = "format = 1\ndomain = \"a.example\n";
        let e = parse_design(syntax, "x").unwrap_err();
        assert_eq!(e.position.map(|p| p.0), Some(2), "{e}");
    }

    #[test]
    fn next_key_round_trips_and_is_read_beside_the_design() {
        let dir = tempfile::tempdir().unwrap();
        let key = rcgen::KeyPair::generate().unwrap();
        std::fs::write(dir.path().join("next.pem"), key.public_key_pem()).unwrap();
        let want = format!(
            "3 1 1 {}",
            crate::tlsagen::spki_sha256(&rcgen::PublicKeyData::subject_public_key_info(&key))
        );
        let text = L2.replacen(
            "addresses = [\"192.0.2.25\", \"2001:db8::25\"]",
            "addresses = [\"192.0.2.25\", \"2001:db8::25\"]\nnext_tlsa = [\"3 1 1 AB\"]\nnext_key = \"next.pem\"",
            1,
        );
        let path = dir.path().join("d.secmx.toml");
        std::fs::write(&path, &text).unwrap();
        let d = load_design(&path).unwrap();
        let r = &d.relays[0];
        assert_eq!(r.next_tlsa, vec!["3 1 1 AB"]);
        assert_eq!(r.next_key.as_deref(), Some("next.pem"));
        assert_eq!(r.next_key_record, Some(Ok(want.clone())));
        assert_eq!(r.next_records(), vec!["3 1 1 ab".to_string(), want]);
        // Round trip keeps both keys (the record read from the file is not written).
        let back = parse_design(&design_to_toml(&d).unwrap(), "t").unwrap();
        assert_eq!(back.relays[0].next_tlsa, r.next_tlsa);
        assert_eq!(back.relays[0].next_key, r.next_key);
        // A missing file is reported by TLSA-017, not a load error.
        std::fs::remove_file(dir.path().join("next.pem")).unwrap();
        let d = load_design(&path).unwrap();
        assert!(matches!(&d.relays[0].next_key_record, Some(Err(e)) if e.contains("cannot read")));
        // Unknown keys next to them are still rejected.
        let bad = text.replacen("next_key =", "next_keys =", 1);
        assert!(
            parse_design(&bad, "x")
                .unwrap_err()
                .message
                .contains("next_keys")
        );
    }

    #[test]
    fn dkim_selectors_round_trip_and_bad_ones_are_placed() {
        let t = format!(
            "{L2}\n[sge]\nspf = \"v=spf1 mx -all\"\ndkim_selectors = [\"S1\", \"2026.mail\", \"s1\"]\n"
        );
        let d = parse_design(&t, "t").unwrap();
        let sge = d.sge.as_ref().unwrap();
        assert_eq!(
            sge.dkim_selectors,
            vec!["s1", "2026.mail"],
            "normalised, duplicates dropped"
        );
        let text = design_to_toml(&d).unwrap();
        assert!(
            text.contains("dkim_selectors = [\"s1\", \"2026.mail\"]"),
            "{text}"
        );
        assert_eq!(parse_design(&text, "t2").unwrap(), d);

        let bad = t.replace("\"2026.mail\"", "\"bad selector\"");
        let e = parse_design(&bad, "x").unwrap_err();
        assert!(e.message.contains("`bad selector`"), "{e}");
        let line = bad
            .lines()
            .position(|l| l.starts_with("dkim_selectors"))
            .unwrap()
            + 1;
        assert_eq!(e.position, Some((line, 25)), "{e}");
        for wrong in ["\"\"", "\"-s1\"", "\"s_1\"", "\"a..b\"", "1"] {
            let bad = t.replace("\"2026.mail\"", wrong);
            assert!(parse_design(&bad, "x").is_err(), "{wrong} accepted");
        }
        let unknown = t.replace("dkim_selectors", "dkim_selector");
        let e = parse_design(&unknown, "x").unwrap_err();
        assert!(e.message.contains("dkim_selector"), "{e}");
    }

    #[test]
    fn u_label_domain_is_stored_as_a_label() {
        let t = L2.replace("\"agency.example\"", "\"pōhi.example\"");
        let d = parse_design(&t, "x").unwrap();
        assert_eq!(d.domain.as_str(), "xn--phi-qxa.example");
    }

    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col("ab\ncō d", 6), (2, 3));
        assert_eq!(line_col("ab\ncō d", 7), (2, 4));
        assert_eq!(line_col("x", 99), (1, 2));
    }

    #[test]
    fn atomic_save_replaces_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("d.secmx.toml");
        fs::write(&p, "old").unwrap();
        let mut d = parse_design(L2, "t").unwrap();
        save_design(&p, &mut d, time::OffsetDateTime::UNIX_EPOCH).unwrap();
        let back = load_design(&p).unwrap();
        assert_eq!(back, d);
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    fn names_in(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[cfg(unix)]
    #[test]
    fn write_atomic_does_not_follow_a_planted_symlink_at_the_old_temp_name() {
        // issue 13.1: the temporary name used to be `.NAME.tmp-PID`, created with File::create
        // (no O_EXCL, follows symlinks): a planted link made the save write into its target.
        let dir = tempfile::tempdir().unwrap();
        let victim_dir = tempfile::tempdir().unwrap();
        let victim = victim_dir.path().join("victim");
        fs::write(&victim, "precious").unwrap();
        let p = dir.path().join("d.secmx.toml");
        let planted = dir
            .path()
            .join(format!(".d.secmx.toml.tmp-{}", std::process::id()));
        std::os::unix::fs::symlink(&victim, &planted).unwrap();
        write_atomic(&p, b"new").unwrap();
        assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
        assert!(fs::symlink_metadata(&p).unwrap().file_type().is_file());
        assert_eq!(fs::read_to_string(&p).unwrap(), "new");
        // The planted link is left alone (it is not ours), nothing else is left behind.
        assert!(
            fs::symlink_metadata(&planted)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(names_in(dir.path()).len(), 2, "{:?}", names_in(dir.path()));
    }

    #[cfg(unix)]
    #[test]
    fn write_atomic_refuses_a_fifo_and_leaves_it_alone() {
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        let st = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(st.success());
        let e = write_atomic(&fifo, b"zone").unwrap_err();
        assert!(e.message.contains("not a regular file"), "{e}");
        assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
        assert_eq!(names_in(dir.path()), vec!["pipe".to_string()]);
        // A directory is refused the same way.
        let e = write_atomic(dir.path(), b"zone").unwrap_err();
        assert!(e.message.contains("not a regular file"), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn write_atomic_keeps_the_permissions_of_the_file_it_replaces() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("secret.zone");
        fs::write(&p, "old").unwrap();
        fs::set_permissions(&p, fs::Permissions::from_mode(0o600)).unwrap();
        write_atomic(&p, b"new").unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "new");
        let mode = fs::metadata(&p).unwrap().permissions().mode() & 0o7777;
        assert_eq!(mode, 0o600, "{mode:o}");
        fs::set_permissions(&p, fs::Permissions::from_mode(0o640)).unwrap();
        write_atomic(&p, b"newer").unwrap();
        let mode = fs::metadata(&p).unwrap().permissions().mode() & 0o7777;
        assert_eq!(mode, 0o640, "{mode:o}");
        assert_eq!(names_in(dir.path()), vec!["secret.zone".to_string()]);
    }

    #[cfg(unix)]
    #[test]
    fn write_atomic_writes_through_a_symlink_to_a_regular_file() {
        let dir = tempfile::tempdir().unwrap();
        let real_dir = dir.path().join("real");
        fs::create_dir(&real_dir).unwrap();
        let real = real_dir.join("zone.db");
        fs::write(&real, "old").unwrap();
        let link = dir.path().join("current.zone");
        std::os::unix::fs::symlink("real/zone.db", &link).unwrap();
        write_atomic(&link, b"new").unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&real).unwrap(), "new");
        assert_eq!(names_in(&real_dir), vec!["zone.db".to_string()]);
        // A dangling link is refused rather than guessed at.
        let dangling = dir.path().join("dangling.zone");
        std::os::unix::fs::symlink("nowhere/x", &dangling).unwrap();
        assert!(write_atomic(&dangling, b"x").is_err());
    }

    #[test]
    fn sts_id_is_bumped_when_the_policy_changes() {
        let mut d = parse_design(L2, "t").unwrap();
        d.mta_sts.as_mut().unwrap().id = Some("20260101".into());
        let t0 = time::macros::datetime!(2026-11-28 10:00:00 UTC);
        assert!(
            !refresh_sts_id(&mut d, t0),
            "first save only records the hash"
        );
        assert!(!refresh_sts_id(&mut d, t0), "unchanged text keeps the id");
        d.mta_sts.as_mut().unwrap().mode = StsMode::Testing;
        assert!(refresh_sts_id(&mut d, t0));
        assert_eq!(
            d.mta_sts.as_ref().unwrap().id.as_deref(),
            Some("20261128T100000")
        );
        let h = crate::zone::policy_sha256(&crate::zone::sts_policy_text(&d));
        assert_eq!(
            d.mta_sts.as_ref().unwrap().policy_sha256.as_deref(),
            Some(h.as_str())
        );
    }

    #[test]
    fn oversized_file_is_refused_clearly() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big.secmx.toml");
        let f = fs::File::create(&p).unwrap();
        f.set_len(MAX_FILE_BYTES + 1).unwrap();
        let e = load_design(&p).unwrap_err();
        assert!(e.message.contains("refused"), "{e}");
    }
}
