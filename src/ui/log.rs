//! The window's log: `tracing` lines kept in memory (the last [`MAX_LINES`]) for View ▸ Log, next
//! to the ones printed on stderr. `main` installs the subscriber ([`init`]); the window reads
//! [`lines`].

use std::collections::VecDeque;
use std::io::Write;
use std::sync::{Mutex, OnceLock};

/// How many lines the Log view keeps.
pub const MAX_LINES: usize = 500;

static LINES: OnceLock<Mutex<VecDeque<String>>> = OnceLock::new();

fn buffer() -> &'static Mutex<VecDeque<String>> {
    LINES.get_or_init(|| Mutex::new(VecDeque::new()))
}

/// Keep a line (the oldest goes when [`MAX_LINES`] are kept).
pub fn push(line: &str) {
    if let Ok(mut b) = buffer().lock() {
        for l in line.lines().filter(|l| !l.trim().is_empty()) {
            if b.len() >= MAX_LINES {
                b.pop_front();
            }
            b.push_back(l.to_string());
        }
    }
}

/// The kept lines, oldest first.
pub fn lines() -> Vec<String> {
    buffer()
        .lock()
        .map(|b| b.iter().cloned().collect())
        .unwrap_or_default()
}

/// A writer that appends what the formatter writes to the kept lines.
#[derive(Debug, Default)]
pub struct BufferWriter(Vec<u8>);

impl Write for BufferWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        push(&String::from_utf8_lossy(&self.0));
        self.0.clear();
        Ok(())
    }
}

impl Drop for BufferWriter {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

/// Install the log: `RUST_LOG` when set (env-filter syntax), else warnings, or `info` for the
/// program's own modules with `verbose` (`-v`). Lines go to stderr and to the Log view.
pub fn init(verbose: bool) {
    use tracing_subscriber::EnvFilter;
    use tracing_subscriber::prelude::*;
    let filter = || {
        EnvFilter::try_from_default_env()
            .unwrap_or_else(|_| EnvFilter::new(if verbose { "warn,secmx=debug" } else { "warn" }))
    };
    let stderr = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_filter(filter());
    let view = tracing_subscriber::fmt::layer()
        .with_ansi(false)
        .with_writer(BufferWriter::default)
        .with_filter(filter());
    let _ = tracing_subscriber::registry()
        .with(stderr)
        .with(view)
        .try_init();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_view_keeps_the_last_lines() {
        for i in 0..(MAX_LINES + 10) {
            push(&format!("line {i}"));
        }
        let l = lines();
        assert_eq!(l.len(), MAX_LINES);
        assert_eq!(
            l.last().map(String::as_str),
            Some(&*format!("line {}", MAX_LINES + 9))
        );
    }
}
