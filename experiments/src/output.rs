//! Writing results safely: every file goes to a temporary file in the output
//! folder and is renamed into place (a reader or a killed run never sees half a
//! file), and an OS advisory lock keeps two sweeps from writing into one folder
//! at once.
//!
//! The lock is `File::try_lock` (an exclusive `flock`) on `DIR/.sweep.lock`,
//! held by the open file: the kernel releases it when the process ends however
//! it ends, so no lock is ever stale and no process id is trusted. The holder
//! writes its PID into the file for the refusal message only. The holder removes
//! the file before it closes it; a process that locked a file that is no longer
//! (or no longer the same file) at `DIR/.sweep.lock` drops it and tries again, so
//! exactly one process holds the lock of the path at any time.
//!
//! Temporaries are named `.experiments-tmp.PID.NAME` (see [`is_our_temporary`]);
//! only names of exactly that form are removed when the lock is taken (they are
//! left by a sweep killed while writing). Every other file is left alone.
//!
//! Only this module touches the file system and stdout on behalf of the subcommands.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::sha256::Sha256;

const LOCK: &str = ".sweep.lock";

/// The prefix of every temporary file this program writes.
const TEMPORARY_PREFIX: &str = ".experiments-tmp.";

/// Holds the advisory lock on `DIR/.sweep.lock` until dropped (or the process ends).
#[derive(Debug)]
pub struct OutputLock {
    path: PathBuf,
    file: File,
}

impl OutputLock {
    /// Creates `dir` if needed and takes its lock.
    ///
    /// # Errors
    /// The folder cannot be created or written, or another process holds the lock.
    pub fn acquire(dir: &Path) -> Result<Self> {
        fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the --out folder '{}'", crate::error::cut_path(dir)))?;
        let path = dir.join(LOCK);
        let cannot_write = || format!("cannot write into the --out folder '{}'", crate::error::cut_path(dir));
        // Each round loses only to a holder that removed the file meanwhile.
        for _ in 0..100 {
            let mut file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .with_context(cannot_write)?;
            match file.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => {
                    let mut owner = String::new();
                    let _ = file.read_to_string(&mut owner);
                    let holder = match owner.trim().parse::<u32>() {
                        Ok(pid) => format!("process {pid}"),
                        Err(_) => "a process that is starting".to_owned(),
                    };
                    bail!(
                        "another sweep ({holder}) is writing to '{}'; wait for it to finish or choose another --out",
                        crate::error::cut_path(dir)
                    );
                }
                Err(TryLockError::Error(e)) => {
                    return Err(e).with_context(|| format!("cannot lock '{}'", crate::error::cut_path(&path)));
                }
            }
            // Locked: but is it still the file at `path`? A holder that finished
            // removed it between our open and our lock.
            let same = match (file.metadata(), fs::metadata(&path)) {
                (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
                _ => false,
            };
            if !same {
                continue;
            }
            let pid =
                file.set_len(0).and_then(|()| file.rewind()).and_then(|()| write!(file, "{}", std::process::id()));
            if let Err(e) = pid {
                // Ours, and held: remove it rather than leave an empty lock file
                // (a full disk fails here).
                let _ = fs::remove_file(&path);
                return Err(e).with_context(|| format!("writing '{}'", crate::error::cut_path(&path)));
            }
            remove_our_temporaries(dir);
            return Ok(Self { path, file });
        }
        bail!("cannot take the lock '{}': it changed hands 100 times in a row", crate::error::cut_path(&path))
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // Remove while still holding the lock, then unlock by closing.
        let _ = fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

/// Whether `name` is a temporary of [`write_atomic`]: `.experiments-tmp.PID.NAME`
/// with PID all digits and NAME a plain file name ending in `.csv`, `.svg`,
/// `.md` or `.json`.
pub fn is_our_temporary(name: &str) -> bool {
    let Some(rest) = name.strip_prefix(TEMPORARY_PREFIX) else { return false };
    let Some((pid, target)) = rest.split_once('.') else { return false };
    !pid.is_empty()
        && pid.bytes().all(|b| b.is_ascii_digit())
        && target.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || b == b'-')
        && [".csv", ".svg", ".md", ".json"].iter().any(|ext| target.len() > ext.len() && target.ends_with(ext))
}

fn remove_our_temporaries(dir: &Path) {
    if let Ok(entries) = fs::read_dir(dir) {
        for entry in entries.flatten() {
            if entry.file_name().to_str().is_some_and(is_our_temporary) && entry.file_type().is_ok_and(|t| t.is_file())
            {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
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
    let mut file = AtomicFile::create(dir, name)?;
    file.write_all(bytes).with_context(|| format!("writing '{}'", file.target.display()))?;
    file.commit().map(drop)
}

/// A file streamed into its temporary `dir/.experiments-tmp.PID.NAME` (the
/// name [`is_our_temporary`] recognises) as it is produced, and renamed over
/// `dir/NAME` by [`AtomicFile::commit`], so a large table need not be held in
/// memory. Dropped without a commit, it removes its temporary; a killed process
/// leaves it to the next [`OutputLock::acquire`], and `dir/NAME` is unchanged
/// either way. Write through a buffer (e.g. `csv::Writer`): each `write` is a
/// system call. The bytes are hashed as they are written, so the SHA-256 of
/// the file comes with the commit without reading it back.
#[derive(Debug)]
pub struct AtomicFile {
    temporary: PathBuf,
    target: PathBuf,
    file: File,
    /// The SHA-256 of every byte written so far.
    hash: Sha256,
    committed: bool,
}

impl AtomicFile {
    /// Creates (or truncates) the temporary of `dir/name`.
    ///
    /// # Errors
    /// The temporary cannot be created, with the target named.
    pub fn create(dir: &Path, name: &str) -> Result<Self> {
        let target = dir.join(name);
        let temporary = dir.join(format!("{TEMPORARY_PREFIX}{}.{name}", std::process::id()));
        let file = File::create(&temporary).with_context(|| format!("writing '{}'", target.display()))?;
        Ok(Self { temporary, target, file, hash: Sha256::new(), committed: false })
    }

    /// Flushes the temporary to disk and renames it over the target; returns
    /// the SHA-256 (hex) of the bytes written.
    ///
    /// # Errors
    /// Any I/O failure, with the target named; the target is then unchanged.
    pub fn commit(mut self) -> Result<String> {
        let result = self.file.sync_all().and_then(|()| fs::rename(&self.temporary, &self.target));
        self.committed = result.is_ok();
        result.with_context(|| format!("writing '{}'", self.target.display()))?;
        Ok(self.hash.clone().finish())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let written = self.file.write(buf)?;
        self.hash.update(&buf[..written]);
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_file(&self.temporary);
        }
    }
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
        let names = names(&dir);
        assert!(names.iter().all(|n| !n.contains(".tmp-")), "{names:?}");
        fs::remove_dir_all(&dir).unwrap();
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> =
            fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        names
    }

    #[test]
    fn a_streamed_file_appears_whole_at_commit_or_not_at_all() {
        let dir = scratch("streamed");
        let _lock = OutputLock::acquire(&dir).unwrap();
        write_atomic(&dir, "a.csv", b"old").unwrap();
        let mut file = AtomicFile::create(&dir, "a.csv").unwrap();
        file.write_all(b"new,").unwrap();
        file.write_all(b"rows").unwrap();
        // Before the commit the target is the old file, and the temporary is ours.
        assert_eq!(fs::read(dir.join("a.csv")).unwrap(), b"old");
        let temporary = format!(".experiments-tmp.{}.a.csv", std::process::id());
        assert_eq!(names(&dir), [temporary.as_str(), ".sweep.lock", "a.csv"]);
        assert!(is_our_temporary(&temporary));
        file.commit().unwrap();
        assert_eq!(fs::read(dir.join("a.csv")).unwrap(), b"new,rows");
        assert_eq!(names(&dir), [".sweep.lock", "a.csv"]);
        // Abandoned (an error elsewhere): the temporary goes, the target stays.
        let mut file = AtomicFile::create(&dir, "a.csv").unwrap();
        file.write_all(b"half").unwrap();
        drop(file);
        assert_eq!(fs::read(dir.join("a.csv")).unwrap(), b"new,rows");
        assert_eq!(names(&dir), [".sweep.lock", "a.csv"]);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_pid_in_the_lock_file_is_not_a_lock() {
        let dir = scratch("lock");
        fs::create_dir_all(&dir).unwrap();
        // PID 1 always runs, but it holds no lock: the file is information only.
        fs::write(dir.join(LOCK), "1").unwrap();
        let lock = OutputLock::acquire(&dir).unwrap();
        let err = OutputLock::acquire(&dir).unwrap_err().to_string();
        assert!(err.contains(&format!("another sweep (process {})", std::process::id())), "{err}");
        drop(lock);
        assert!(!dir.join(LOCK).exists());
        drop(OutputLock::acquire(&dir).unwrap());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn only_exact_temporary_names_are_ours() {
        for name in [".experiments-tmp.12.seeds.csv", ".experiments-tmp.1.README.md"] {
            assert!(is_our_temporary(name), "{name}");
        }
        for name in [
            ".notes.tmp-keep",
            ".mydata.tmp-2024",
            ".seeds.csv.tmp-123",
            ".experiments-tmp.x.seeds.csv",
            ".experiments-tmp.12.",
            ".experiments-tmp.12.notes.txt",
            ".experiments-tmp.12.a/b.csv",
        ] {
            assert!(!is_our_temporary(name), "{name}");
        }
    }
}
