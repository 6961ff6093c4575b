//! Design files (`*.secmx.toml`).
