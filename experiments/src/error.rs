//! The two kinds of failure the command line distinguishes, and their exit codes.
//!
//! Every subcommand returns `anyhow::Result<ExitCode>`. A [`UsageError`] anywhere
//! in an error's chain means the user asked for something the program does not
//! accept (exit 2); any other error is a runtime failure (exit 1). Only `main`
//! prints errors and picks the exit code.

use std::fmt;

/// The longest value echoed in a message (a flag's value, a CSV cell, a
/// query parameter); longer ones are cut.
pub const ECHO_CHARS: usize = 40;

/// `value`, cut to [`ECHO_CHARS`] characters with `…` if longer.
pub fn cut(value: &str) -> String {
    if value.chars().count() <= ECHO_CHARS {
        value.to_owned()
    } else {
        format!("{}…", value.chars().take(ECHO_CHARS).collect::<String>())
    }
}

/// Bad input: a one-line message that names the problem and what is accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageError(pub String);

impl UsageError {
    /// A usage error with this message (no `error:` prefix; `main` adds it).
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// Exit code for an error returned by a subcommand: `128 + signal` for a sweep
/// stopped by a signal (130 for SIGINT, 143 for SIGTERM), 2 if it is (or
/// wraps) a [`UsageError`], 1 otherwise.
pub fn exit_code(err: &anyhow::Error) -> u8 {
    if let Some(stop) = err.chain().find_map(|e| e.downcast_ref::<crate::interrupt::Interrupted>()) {
        return u8::try_from(128 + stop.signal).unwrap_or(1);
    }
    if err.chain().any(|e| e.is::<UsageError>()) { 2 } else { 1 }
}
