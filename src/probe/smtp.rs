//! The SMTP side of a probe: a reply reader with hard bounds (line length, lines per reply, time)
//! and the one function that writes commands, which refuses `RCPT` and `DATA` so that no probe can
//! ever start a mail transaction that delivers anything.

use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// Hard bounds on what a server may send in one reply.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Longest accepted reply line in bytes, CRLF included (RFC 5321 §4.5.3.1.5 says 512).
    pub max_line: usize,
    /// Most lines accepted in one multi-line reply.
    pub max_lines: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_line: 4096,
            max_lines: 512,
        }
    }
}

/// One SMTP reply: the code and the text of every line (without the code and separator).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// The three-digit reply code.
    pub code: u16,
    /// Text of each line after `NNN-` / `NNN `.
    pub lines: Vec<String>,
}

impl Reply {
    /// 2xx.
    pub fn is_positive(&self) -> bool {
        (200..300).contains(&self.code)
    }

    /// The first line's text (empty when there is none).
    pub fn first_text(&self) -> &str {
        self.lines.first().map(String::as_str).unwrap_or("")
    }
}

/// Why no reply could be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SmtpError {
    /// Nothing (or not a complete reply) arrived within the time allowed.
    #[error("timeout after {0} ms waiting for a reply")]
    Timeout(u64),
    /// The server closed the connection.
    #[error("connection closed by the server")]
    Closed,
    /// A reply line exceeded the line limit.
    #[error("reply line too long (more than {0} bytes)")]
    LineTooLong(usize),
    /// A multi-line reply exceeded the line-count limit.
    #[error("reply has too many lines (more than {0})")]
    TooManyLines(usize),
    /// Not an SMTP reply line.
    #[error("malformed reply line: {0}")]
    Malformed(String),
    /// A network error.
    #[error("network error: {0}")]
    Io(String),
    /// The probe tried to send a command it must never send.
    #[error("refused to send forbidden command {0:?}")]
    Forbidden(String),
}

impl SmtpError {
    /// True for errors that may go away on a retry (timeouts).
    pub fn is_transient(&self) -> bool {
        self.is_timeout()
    }

    /// True when no (complete) reply came within the timeout.
    pub fn is_timeout(&self) -> bool {
        matches!(self, SmtpError::Timeout(_))
    }
}

/// Commands a probe must never send: they would start delivering mail.
const FORBIDDEN: [&str; 4] = ["RCPT", "DATA", "BDAT", "BURL"];

/// Checks one command line against the never-send list and against embedded line breaks.
pub fn check_command(cmd: &str) -> Result<(), SmtpError> {
    let upper = cmd.trim_start().to_ascii_uppercase();
    if FORBIDDEN.iter().any(|f| upper.starts_with(f)) || cmd.contains(['\r', '\n']) {
        return Err(SmtpError::Forbidden(cmd.to_string()));
    }
    Ok(())
}

/// A stream over a TCP socket that can be told to acknowledge what arrives next at once.
///
/// Why: right after a TLS 1.3 handshake OpenSSL servers (Postfix among them) send their
/// NewSessionTicket records, and the probe has usually sent its next command already. Linux then
/// delays the ACK of the tickets (delayed ACK, 40 ms: the socket is in "ping-pong" mode because it
/// just sent data), while the server's Nagle algorithm holds the small reply to that command until
/// the tickets are acknowledged: every such exchange cost ~40 ms. `TCP_QUICKACK` set after the
/// command is written (it is not sticky: every write re-arms the delayed mode) makes the kernel ACK
/// the tickets as soon as they are read, so the reply comes at once.
pub trait QuickAck {
    /// Asks for immediate ACKs of what arrives next. Best effort; nothing where unsupported.
    fn quickack(&self) {}
}

impl QuickAck for tokio::net::TcpStream {
    fn quickack(&self) {
        #[cfg(target_os = "linux")]
        {
            // Failure only means the reply may come 40 ms later: nothing to report.
            let _ = socket2::SockRef::from(self).set_tcp_quickack(true);
        }
    }
}

impl<S: QuickAck> QuickAck for tokio_rustls::client::TlsStream<S> {
    fn quickack(&self) {
        self.get_ref().0.quickack();
    }
}

/// In-memory streams (tests): no socket, nothing to do.
impl QuickAck for tokio::io::DuplexStream {}

/// An SMTP connection over any byte stream (plain TCP, or TLS after STARTTLS) with its transcript.
#[derive(Debug)]
pub struct Smtp<S> {
    stream: S,
    /// Bytes read but not yet consumed as reply lines.
    buf: Vec<u8>,
    limits: Limits,
    /// `C: ...` / `S: ...` lines.
    pub transcript: Vec<String>,
    /// Prefix put before transcript lines (e.g. `[inj] ` for the injection connection).
    prefix: &'static str,
}

impl<S: AsyncRead + AsyncWrite + Unpin> Smtp<S> {
    /// Wraps a stream.
    pub fn new(stream: S, limits: Limits, transcript: Vec<String>, prefix: &'static str) -> Self {
        Smtp {
            stream,
            buf: Vec::new(),
            limits,
            transcript,
            prefix,
        }
    }

    /// Gives back the stream, the bytes read but not consumed, and the transcript.
    pub fn into_parts(self) -> (S, Vec<u8>, Vec<String>) {
        (self.stream, self.buf, self.transcript)
    }

    /// The stream (for TLS facts after the handshake).
    pub fn stream(&self) -> &S {
        &self.stream
    }

    /// Bytes received and not yet consumed.
    pub fn pending(&self) -> usize {
        self.buf.len()
    }

    /// Asks the socket under the stream to ACK the reply at once (see [`QuickAck`]); call it after
    /// sending a command and before reading its reply.
    pub fn quickack(&self)
    where
        S: QuickAck,
    {
        self.stream.quickack();
    }

    /// Sends one command (CRLF added). Refuses `RCPT`, `DATA`, `BDAT`, `BURL`.
    pub async fn send(&mut self, cmd: &str) -> Result<(), SmtpError> {
        self.send_pipelined(&[cmd]).await
    }

    /// Sends several commands in one write (one TCP segment in practice). This is the only function
    /// that writes commands; every command passes [`check_command`] first.
    pub async fn send_pipelined(&mut self, cmds: &[&str]) -> Result<(), SmtpError> {
        let mut wire = String::new();
        for cmd in cmds {
            check_command(cmd)?;
            wire.push_str(cmd);
            wire.push_str("\r\n");
        }
        for cmd in cmds {
            self.transcript.push(format!("{}C: {cmd}", self.prefix));
        }
        self.stream
            .write_all(wire.as_bytes())
            .await
            .map_err(|e| SmtpError::Io(e.to_string()))?;
        self.stream
            .flush()
            .await
            .map_err(|e| SmtpError::Io(e.to_string()))
    }

    /// Reads one complete reply within `timeout` (for the whole reply, not per line).
    pub async fn read_reply(&mut self, timeout: Duration) -> Result<Reply, SmtpError> {
        match tokio::time::timeout(timeout, self.read_reply_inner()).await {
            Ok(r) => r,
            Err(_) => Err(SmtpError::Timeout(millis(timeout))),
        }
    }

    async fn read_reply_inner(&mut self) -> Result<Reply, SmtpError> {
        let mut lines = Vec::new();
        let mut code = None;
        loop {
            let line = self.read_line().await?;
            self.transcript.push(format!("{}S: {line}", self.prefix));
            let (c, last, text) = parse_line(&line)?;
            if let Some(prev) = code
                && prev != c
            {
                return Err(SmtpError::Malformed(format!(
                    "code {c} inside a {prev} reply: {line}"
                )));
            }
            code = Some(c);
            lines.push(text.to_string());
            if last {
                return Ok(Reply { code: c, lines });
            }
            if lines.len() >= self.limits.max_lines {
                return Err(SmtpError::TooManyLines(self.limits.max_lines));
            }
        }
    }

    /// One line without CRLF; memory bounded by `max_line` plus one read chunk.
    async fn read_line(&mut self) -> Result<String, SmtpError> {
        let mut chunk = [0u8; 4096];
        loop {
            if let Some(pos) = self.buf.iter().position(|&b| b == b'\n') {
                if pos + 1 > self.limits.max_line {
                    return Err(SmtpError::LineTooLong(self.limits.max_line));
                }
                let raw: Vec<u8> = self.buf.drain(..=pos).collect();
                let mut end = raw.len() - 1;
                if end > 0 && raw[end - 1] == b'\r' {
                    end -= 1;
                }
                return Ok(String::from_utf8_lossy(&raw[..end]).into_owned());
            }
            if self.buf.len() >= self.limits.max_line {
                return Err(SmtpError::LineTooLong(self.limits.max_line));
            }
            let n = self
                .stream
                .read(&mut chunk)
                .await
                .map_err(|e| SmtpError::Io(e.to_string()))?;
            if n == 0 {
                return Err(SmtpError::Closed);
            }
            self.buf.extend_from_slice(&chunk[..n]);
        }
    }
}

/// `250-text` → (250, false, "text"); `250 text` / `250` → (250, true, ...).
fn parse_line(line: &str) -> Result<(u16, bool, &str), SmtpError> {
    let bytes = line.as_bytes();
    if bytes.len() < 3
        || !bytes[..3].iter().all(u8::is_ascii_digit)
        || !(b'2'..=b'5').contains(&bytes[0])
    {
        return Err(SmtpError::Malformed(truncate(line, 80)));
    }
    let code = u16::from(bytes[0] - b'0') * 100
        + u16::from(bytes[1] - b'0') * 10
        + u16::from(bytes[2] - b'0');
    match bytes.get(3) {
        None => Ok((code, true, "")),
        Some(b' ') => Ok((code, true, &line[4..])),
        Some(b'-') => Ok((code, false, &line[4..])),
        Some(_) => Err(SmtpError::Malformed(truncate(line, 80))),
    }
}

fn truncate(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

/// Milliseconds of a duration, saturating.
pub fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncWriteExt;

    fn rt() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
    }

    #[test]
    fn forbidden_commands_are_refused() {
        for c in [
            "RCPT TO:<a@b>",
            "rcpt to:<x>",
            "DATA",
            " data",
            "BDAT 10 LAST",
            "NOOP\r\nDATA",
        ] {
            assert!(check_command(c).is_err(), "{c}");
        }
        for c in ["EHLO x", "MAIL FROM:<>", "RSET", "STARTTLS", "QUIT", "NOOP"] {
            assert!(check_command(c).is_ok(), "{c}");
        }
    }

    #[test]
    fn parses_multiline_and_bounds() {
        rt().block_on(async {
            let (a, mut b) = tokio::io::duplex(1 << 16);
            b.write_all(b"250-mx.example\r\n250-PIPELINING\r\n250 STARTTLS\r\n")
                .await
                .unwrap();
            let mut s = Smtp::new(a, Limits::default(), vec![], "");
            let r = s.read_reply(Duration::from_secs(1)).await.unwrap();
            assert_eq!(r.code, 250);
            assert_eq!(r.lines, vec!["mx.example", "PIPELINING", "STARTTLS"]);
            b.write_all(&vec![b'x'; 10_000]).await.unwrap();
            assert_eq!(
                s.read_reply(Duration::from_secs(1)).await,
                Err(SmtpError::LineTooLong(4096))
            );
        });
    }

    /// `quickack()` takes the probe's socket out of Linux's delayed-ACK ("ping-pong") mode; the
    /// kernel reports that state through the `TCP_QUICKACK` getter.
    #[cfg(target_os = "linux")]
    #[test]
    fn quickack_leaves_delayed_ack_mode() {
        rt().block_on(async {
            let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let c = tokio::net::TcpStream::connect(l.local_addr().unwrap())
                .await
                .unwrap();
            let (mut server, _) = l.accept().await.unwrap();
            let mut s = Smtp::new(c, Limits::default(), vec![], "");
            server.write_all(b"220 hi\r\n").await.unwrap();
            s.read_reply(Duration::from_secs(5)).await.unwrap();
            s.send("EHLO x").await.unwrap();
            let sock = socket2::SockRef::from(s.stream());
            // what an answer sent right after a read does: delayed ACKs from now on
            sock.set_tcp_quickack(false).unwrap();
            assert!(!sock.tcp_quickack().unwrap());
            s.quickack();
            assert!(sock.tcp_quickack().unwrap(), "still in delayed-ACK mode");
        });
    }

    #[test]
    fn too_many_lines_and_mixed_codes() {
        rt().block_on(async {
            let (a, mut b) = tokio::io::duplex(1 << 16);
            let mut s = Smtp::new(
                a,
                Limits {
                    max_line: 100,
                    max_lines: 3,
                },
                vec![],
                "",
            );
            b.write_all(b"250-a\r\n250-b\r\n250-c\r\n250-d\r\n")
                .await
                .unwrap();
            assert_eq!(
                s.read_reply(Duration::from_secs(1)).await,
                Err(SmtpError::TooManyLines(3))
            );
            let (a, mut b) = tokio::io::duplex(1 << 16);
            let mut s = Smtp::new(a, Limits::default(), vec![], "");
            b.write_all(b"250-a\r\n550 b\r\n").await.unwrap();
            assert!(matches!(
                s.read_reply(Duration::from_secs(1)).await,
                Err(SmtpError::Malformed(_))
            ));
        });
    }
}
