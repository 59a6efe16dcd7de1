//! The rayon thread pool of `check` and `sweep`, built here rather than lazily
//! by rayon, so that a bad `RAYON_NUM_THREADS` or a failure to start threads is
//! a one-line error instead of a hang or a panic.
//!
//! Threads = `RAYON_NUM_THREADS` if set to a whole number ≥ 1, else the number of
//! cores (`available_parallelism`), and never more than [`cap`] = 4 × cores.
//! The results do not depend on the thread count (see `sweep`), only the speed.

use anyhow::{Context, Result};

use crate::error::UsageError;

/// The most threads the pool starts: 4 × the cores this process may use.
pub fn cap() -> usize {
    4 * std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
}

/// The pool size `RAYON_NUM_THREADS` asks for (`None`: unset, empty or 0, i.e.
/// one thread per core), capped at [`cap`].
///
/// # Errors
/// A value that is not a whole number ([`UsageError`]).
pub fn requested(value: Option<&str>) -> Result<Option<usize>, UsageError> {
    let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else { return Ok(None) };
    let cap = cap();
    match value.parse::<u128>() {
        Ok(0) => Ok(None),
        // Larger than usize: still just "more than the cap".
        Ok(n) => Ok(Some(usize::try_from(n).unwrap_or(usize::MAX).min(cap))),
        Err(_) if value.bytes().all(|b| b.is_ascii_digit()) => Ok(Some(cap)),
        Err(_) => Err(UsageError::new(format!(
            "RAYON_NUM_THREADS='{}' is not a whole number; expected 1..={cap} (larger values are capped at 4 × the cores), or unset for one thread per core",
            crate::error::cut(value)
        ))),
    }
}

/// Builds rayon's global pool.
///
/// # Errors
/// A non-numeric `RAYON_NUM_THREADS` (usage error); threads that cannot be
/// started (runtime error, e.g. under a process limit).
pub fn start_pool() -> Result<()> {
    let value = std::env::var_os("RAYON_NUM_THREADS").map(|v| v.to_string_lossy().into_owned());
    let threads = requested(value.as_deref())?
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, std::num::NonZero::get));
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build_global()
        .with_context(|| format!("cannot start {threads} worker threads"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thread_counts_are_parsed_and_capped() {
        assert_eq!(requested(None), Ok(None));
        assert_eq!(requested(Some("")), Ok(None));
        assert_eq!(requested(Some("0")), Ok(None));
        assert_eq!(requested(Some("1")), Ok(Some(1)));
        assert_eq!(requested(Some("99999999999")), Ok(Some(cap())));
        assert_eq!(requested(Some("999999999999999999999999999")), Ok(Some(cap())));
        assert!(requested(Some("two")).unwrap_err().0.contains("RAYON_NUM_THREADS='two'"));
        assert!(requested(Some("-1")).is_err());
    }
}
