//! Writing results safely: every file goes to a temporary file in the output
//! folder and is renamed into place (a reader or a killed run never sees half a
//! file), and a lock file keeps two sweeps from writing into one folder at once.
//!
//! Only this module touches the file system and stdout on behalf of the subcommands.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

const LOCK: &str = ".sweep.lock";

/// Holds `DIR/.sweep.lock` (with this process's id) until dropped.
#[derive(Debug)]
pub struct OutputLock {
    path: PathBuf,
}

impl OutputLock {
    /// Creates `dir` if needed and takes its lock.
    ///
    /// # Errors
    /// The folder cannot be created, or another live process holds the lock
    /// (a lock left by a killed process is taken over).
    pub fn acquire(dir: &Path) -> Result<Self> {
        fs::create_dir_all(dir).with_context(|| format!("cannot create the --out folder '{}'", dir.display()))?;
        let path = dir.join(LOCK);
        for _ in 0..2 {
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(mut file) => {
                    write!(file, "{}", std::process::id()).with_context(|| format!("writing '{}'", path.display()))?;
                    let lock = Self { path };
                    lock.remove_stale_temporaries(dir);
                    return Ok(lock);
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let owner = fs::read_to_string(&path).unwrap_or_default();
                    let pid: Option<u32> = owner.trim().parse().ok();
                    if let Some(pid) = pid.filter(|&pid| process_alive(pid)) {
                        bail!(
                            "another sweep (process {pid}) is writing to '{}'; wait for it to finish or choose another --out",
                            dir.display()
                        );
                    }
                    // Left by a process that no longer runs (killed): take it over.
                    let _ = fs::remove_file(&path);
                }
                Err(e) => {
                    return Err(e).with_context(|| format!("cannot write into the --out folder '{}'", dir.display()));
                }
            }
        }
        bail!("cannot take the lock '{}'", path.display())
    }

    fn remove_stale_temporaries(&self, dir: &Path) {
        if let Ok(entries) = fs::read_dir(dir) {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.starts_with('.') && name.contains(".tmp-") {
                    let _ = fs::remove_file(entry.path());
                }
            }
        }
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

fn process_alive(pid: u32) -> bool {
    pid == std::process::id() || Path::new(&format!("/proc/{pid}")).exists()
}

/// Prints `text` on stdout; a closed pipe (`experiments train | head -1`) is not an error.
///
/// # Errors
/// Any other I/O failure.
pub fn print_stdout(text: &str) -> Result<()> {
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e).context("writing to stdout"),
        _ => Ok(()),
    }
}

/// Writes `bytes` to `dir/name` atomically: a temporary file in `dir`, flushed
/// to disk, then renamed over `dir/name`.
///
/// # Errors
/// Any I/O failure, with the file named; `dir/name` is then unchanged.
pub fn write_atomic(dir: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    let target = dir.join(name);
    let temporary = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let mut file = File::create(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&temporary, &target)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    result.with_context(|| format!("writing '{}'", target.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("perceptron-lab-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn atomic_write_replaces_and_leaves_no_temporary() {
        let dir = scratch("atomic");
        let _lock = OutputLock::acquire(&dir).unwrap();
        write_atomic(&dir, "a.csv", b"old").unwrap();
        write_atomic(&dir, "a.csv", b"new").unwrap();
        assert_eq!(fs::read(dir.join("a.csv")).unwrap(), b"new");
        let names: Vec<String> =
            fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        assert!(names.iter().all(|n| !n.contains(".tmp-")), "{names:?}");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_live_lock_refuses_a_stale_lock_is_taken_over() {
        let dir = scratch("lock");
        fs::create_dir_all(&dir).unwrap();
        // PID 1 always runs: a lock it held would be live.
        fs::write(dir.join(LOCK), "1").unwrap();
        let err = OutputLock::acquire(&dir).unwrap_err().to_string();
        assert!(err.contains("another sweep (process 1)"), "{err}");
        // No process has PID 4294967295: the lock is stale.
        fs::write(dir.join(LOCK), "4294967295").unwrap();
        let lock = OutputLock::acquire(&dir).unwrap();
        drop(lock);
        assert!(!dir.join(LOCK).exists());
        fs::remove_dir_all(&dir).unwrap();
    }
}
