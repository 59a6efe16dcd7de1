//! SIGINT and SIGTERM during a sweep (and `serve`, whose accept loop stops on them).
//! Once [`catch`] is called they no longer
//! end the process: they are noted, and the sweep asks [`check`] between its
//! windows of jobs and its stages. Before the renames into `--out` begin, a
//! noted signal ends the sweep with its temporaries and its lock removed (the
//! usual error path), and exit code 130 (SIGINT) or 143 (SIGTERM); during the
//! renames (milliseconds) it is held until they complete.

use std::fmt;
use std::sync::Arc;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use signal_hook::consts::{SIGINT, SIGTERM};

/// The last signal noted, 0 for none.
fn noted() -> &'static Arc<AtomicUsize> {
    static NOTED: OnceLock<Arc<AtomicUsize>> = OnceLock::new();
    NOTED.get_or_init(|| Arc::new(AtomicUsize::new(0)))
}

/// From now on, SIGINT and SIGTERM are noted for [`check`] instead of ending the process.
///
/// # Errors
/// The handlers could not be installed.
pub fn catch() -> anyhow::Result<()> {
    for signal in [SIGINT, SIGTERM] {
        signal_hook::flag::register_usize(signal, Arc::clone(noted()), signal as usize)?;
    }
    Ok(())
}

/// `Err(Interrupted)` once a caught signal has arrived.
///
/// # Errors
/// A signal was noted; `committed`: the results were already all in place.
pub fn check(committed: bool) -> Result<(), Interrupted> {
    match noted().load(Ordering::SeqCst) {
        0 => Ok(()),
        signal => Err(Interrupted { signal: signal as i32, committed }),
    }
}

/// The sweep stopped on a signal: exit code `128 + signal`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interrupted {
    /// SIGINT or SIGTERM.
    pub signal: i32,
    /// It arrived while the results were renamed into place, which completed.
    pub committed: bool,
}

impl fmt::Display for Interrupted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = if self.signal == SIGINT { "SIGINT" } else { "SIGTERM" };
        if self.committed {
            write!(
                f,
                "{name} arrived while the results were renamed into place; that completed, and --out holds the new set whole"
            )
        } else {
            write!(f, "stopped by {name}; --out holds the previous results as they were, and no temporary file")
        }
    }
}

impl std::error::Error for Interrupted {}
