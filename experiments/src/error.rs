//! The two kinds of failure the command line distinguishes, and their exit codes.
//!
//! Every subcommand returns `anyhow::Result<ExitCode>`. A [`UsageError`] anywhere
//! in an error's chain means the user asked for something the program does not
//! accept (exit 2); any other error is a runtime failure (exit 1). Only `main`
//! prints errors and picks the exit code.

use std::fmt;

/// The longest value echoed in a message (a flag's value, a CSV cell, a
/// query parameter, an environment variable); longer ones are cut.
pub const ECHO_CHARS: usize = 40;

/// The longest file name echoed in a message; longer ones are cut at their
/// start, so that the file's own name stays in view.
pub const PATH_CHARS: usize = 200;

/// `value` with every character that would break or restyle the line escaped
/// as Rust writes it (`\n`, `\t`, `\r`, `\0`, `\u{1b}`): the control
/// characters (C0, DEL, C1) and the bidirectional formatting characters that
/// reorder a terminal line (U+061C, U+200E–U+200F, U+202A–U+202E,
/// U+2066–U+2069). Everything else, quotes and backslashes included, is kept,
/// so a message is one line and shows what was given.
pub fn escaped(value: &str) -> String {
    value.chars().map(escaped_char).collect()
}

fn escaped_char(c: char) -> String {
    let reorders = matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if c.is_control() || reorders { c.escape_debug().collect() } else { c.to_string() }
}

/// The one rule for echoing a value in a message: [`escaped`], then cut to
/// [`ECHO_CHARS`] characters with `…` if longer (an escape such as `\u{1b}`
/// is kept whole or left out whole).
pub fn cut(value: &str) -> String {
    let mut shown = String::new();
    let mut count = 0;
    for piece in value.chars().map(escaped_char) {
        count += piece.chars().count();
        if count > ECHO_CHARS {
            shown.push('…');
            break;
        }
        shown.push_str(&piece);
    }
    shown
}

/// A file name as a message shows it: [`escaped`], and cut at its start to
/// [`PATH_CHARS`] characters with a leading `…` if longer (not UTF-8: each
/// invalid sequence shown as `�`).
pub fn cut_path(path: &std::path::Path) -> String {
    let pieces: Vec<String> = path.to_string_lossy().chars().map(escaped_char).collect();
    let width = |p: &String| p.chars().count();
    if pieces.iter().map(width).sum::<usize>() <= PATH_CHARS {
        return pieces.concat();
    }
    // The last pieces that fit in PATH_CHARS − 1 characters, after the `…`.
    let (mut start, mut count) = (pieces.len(), 0);
    while start > 0 && count + width(&pieces[start - 1]) < PATH_CHARS {
        start -= 1;
        count += width(&pieces[start]);
    }
    format!("…{}", pieces[start..].concat())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_escaped_then_cut() {
        assert_eq!(escaped("a\nb\t\r\0\u{1b}[31m\u{7f}\u{85}"), "a\\nb\\t\\r\\0\\u{1b}[31m\\u{7f}\\u{85}");
        // Quotes, backslashes and non-ASCII text are shown as given; a
        // right-to-left override is escaped.
        assert_eq!(escaped("it's \"q\" a\\b é\u{202e}"), "it's \"q\" a\\b é\\u{202e}");
        assert_eq!(cut(&"x".repeat(40)), "x".repeat(40));
        assert_eq!(cut(&"x".repeat(41)), format!("{}…", "x".repeat(40)));
        // 38 characters, then `\u{1b}` (6) would pass 40: left out whole.
        assert_eq!(cut(&format!("{}\u{1b}", "x".repeat(38))), format!("{}…", "x".repeat(38)));
        assert_eq!(cut(&"\n".repeat(21)), format!("{}…", "\\n".repeat(20)));
        assert_eq!(cut("a\nb"), "a\\nb");
    }

    #[test]
    fn paths_are_escaped_and_cut_at_their_start() {
        use std::path::Path;
        assert_eq!(cut_path(Path::new("dir/a\nb.csv")), "dir/a\\nb.csv");
        let long = format!("{}/table.csv", "d".repeat(300));
        let shown = cut_path(Path::new(&long));
        assert_eq!(shown.chars().count(), PATH_CHARS);
        assert!(shown.starts_with('…') && shown.ends_with("ddd/table.csv"), "{shown}");
        // An escape at the cut is left out whole: 199 characters after the `…`
        // hold 99 `\n` (198), not half of the 100th.
        let shown = cut_path(Path::new(&"\n".repeat(300)));
        assert_eq!(shown, format!("…{}", "\\n".repeat(99)));
        // Not UTF-8: the invalid byte as U+FFFD.
        use std::os::unix::ffi::OsStrExt;
        assert_eq!(cut_path(Path::new(std::ffi::OsStr::from_bytes(b"a\xffb.csv"))), "a\u{fffd}b.csv");
    }
}
