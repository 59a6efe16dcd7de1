//! Writing to stderr without ever panicking.
//!
//! `eprintln!` panics when stderr cannot be written (a closed pipe, `2>/dev/full`).
//! Every message this program prints on stderr goes through [`stderr_line`], which
//! drops a failed write: the exit code still tells the caller what happened.

use std::io::Write;

/// Writes `line` and a newline to stderr; a write failure is ignored.
pub fn stderr_line(line: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(line.as_bytes()).and_then(|()| err.write_all(b"\n")).and_then(|()| err.flush());
}
