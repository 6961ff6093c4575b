//! The `secmx` binary.
fn main() {}
