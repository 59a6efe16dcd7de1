//! The sweep's one way out: every file it writes into `--out` but the manifest
//! goes through one [`Files`], which the runner (`super::run`) owns. A study
//! hands it whole files (what it rendered) or streams one into it while the
//! shared training runs ([`Files::stream`], then [`Files::keep`]: `removal.csv`,
//! too large to hold). Each file goes into its temporary at once
//! (`crate::output::AtomicFile`, in `--out`) and [`Files::commit`] renames them
//! all into place at the end, so a sweep that fails or is killed before then
//! leaves the previous results as they were.
//!
//! It accepts only the names it was told to expect (the studies' declared
//! files and the report), each once, and commits only when every one of them
//! was written: a study cannot write a file it does not declare, or forget one.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::output::AtomicFile;

/// The files of one sweep, each in its temporary until [`Files::commit`].
pub struct Files {
    dir: PathBuf,
    /// The names to write, in the order the manifest lists them.
    expected: Vec<&'static str>,
    /// Each file written so far, in its temporary.
    written: BTreeMap<&'static str, AtomicFile>,
}

/// A file being streamed into its temporary; hand it back with [`Files::keep`]
/// (dropped instead, its temporary is removed and the commit fails).
pub struct Stream {
    name: &'static str,
    file: AtomicFile,
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.file.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

impl Files {
    /// The files `expected` (in manifest order) in the folder `dir`, locked by the caller.
    pub fn new(dir: &Path, expected: Vec<&'static str>) -> Self {
        Self { dir: dir.to_owned(), expected, written: BTreeMap::new() }
    }

    /// Writes `name` whole into its temporary.
    ///
    /// # Errors
    /// `name` is not expected or already written, or the temporary cannot be written.
    pub fn write(&mut self, name: &'static str, bytes: &[u8]) -> Result<()> {
        let mut stream = self.stream(name)?;
        stream.file.write_all(bytes).with_context(|| self.describe(name))?;
        self.keep(stream)
    }

    /// Opens `name`'s temporary to be written piece by piece (through a buffer,
    /// e.g. `csv::Writer`: each write is a system call).
    ///
    /// # Errors
    /// `name` is not expected or already written, or the temporary cannot be created.
    pub fn stream(&self, name: &'static str) -> Result<Stream> {
        if !self.expected.contains(&name) {
            bail!("'{name}' is not one of the files a study declares");
        }
        if self.written.contains_key(name) {
            bail!("'{name}' is written twice");
        }
        Ok(Stream { name, file: AtomicFile::create(&self.dir, name)? })
    }

    /// Takes a streamed file back, complete, to be committed with the others.
    ///
    /// # Errors
    /// It could not be flushed, or a file of that name is already written.
    pub fn keep(&mut self, mut stream: Stream) -> Result<()> {
        stream.file.flush().with_context(|| self.describe(stream.name))?;
        if self.written.contains_key(stream.name) {
            bail!("'{}' is written twice", stream.name);
        }
        self.written.insert(stream.name, stream.file);
        Ok(())
    }

    /// Renames every file into place, in manifest order, once all are written;
    /// returns each file's name and SHA-256 (hashed as it was written), in
    /// that order.
    ///
    /// # Errors
    /// A file was not written (nothing is renamed then), or a rename failed.
    pub fn commit(mut self) -> Result<Vec<(&'static str, String)>> {
        if let Some(missing) = self.expected.iter().find(|name| !self.written.contains_key(*name)) {
            bail!("'{missing}' was never written");
        }
        // What can be foreseen fails before the first rename, so that `--out`
        // keeps the whole previous set: a folder where a file goes.
        for name in &self.expected {
            let dest = self.dir.join(name);
            if fs::symlink_metadata(&dest).is_ok_and(|m| m.is_dir()) {
                bail!(
                    "cannot replace '{}': it is a folder; nothing in '{}' was replaced",
                    dest.display(),
                    self.dir.display()
                );
            }
        }
        let mut hashes = Vec::with_capacity(self.expected.len());
        for &name in &self.expected {
            if let Some(file) = self.written.remove(name) {
                hashes.push((name, file.commit()?));
            }
        }
        Ok(hashes)
    }

    fn describe(&self, name: &str) -> String {
        format!("writing '{}'", self.dir.join(name).display())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::OutputLock;
    use std::fs;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("perceptron-lab-files-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    /// The files in `dir` but its lock: temporaries included.
    fn visible(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n != ".sweep.lock")
            .collect();
        names.sort();
        names
    }

    #[test]
    fn whole_and_streamed_files_appear_together_at_the_commit() {
        let dir = scratch("commit");
        let _lock = OutputLock::acquire(&dir).unwrap();
        let mut files = Files::new(&dir, vec!["a.csv", "b.csv"]);
        let mut stream = files.stream("b.csv").unwrap();
        stream.write_all(b"streamed").unwrap();
        files.write("a.csv", b"whole").unwrap();
        files.keep(stream).unwrap();
        let pid = std::process::id();
        let temporaries = [format!(".experiments-tmp.{pid}.a.csv"), format!(".experiments-tmp.{pid}.b.csv")];
        assert_eq!(visible(&dir), temporaries, "nothing in place before the commit");
        let hashes = files.commit().unwrap();
        assert_eq!(visible(&dir), ["a.csv", "b.csv"]);
        // `printf whole | sha256sum`, `printf streamed | sha256sum`.
        let expected = [
            ("a.csv", "5d5766cf2d78701614200418ee1450690d9af12c84d52545e4802f001ad53099"),
            ("b.csv", "97a78c00831554f7cc9745e8f6732edcfb571cf548a8d12b48a6e3fc31e5e3e6"),
        ];
        let got: Vec<(&str, String)> = hashes.iter().map(|(n, h)| (*n, h.clone())).collect();
        assert_eq!(got, expected.map(|(n, h)| (n, h.to_owned())));
        assert_eq!(fs::read(dir.join("b.csv")).unwrap(), b"streamed");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn only_expected_files_once_and_all_of_them() {
        let dir = scratch("refused");
        let _lock = OutputLock::acquire(&dir).unwrap();
        let mut files = Files::new(&dir, vec!["a.csv", "b.csv"]);
        assert!(files.write("c.csv", b"").unwrap_err().to_string().contains("not one of the files"));
        files.write("a.csv", b"1").unwrap();
        assert!(files.write("a.csv", b"2").unwrap_err().to_string().contains("written twice"));
        // A stream dropped instead of kept leaves nothing behind, and the commit fails.
        drop(files.stream("b.csv").unwrap());
        assert!(files.commit().unwrap_err().to_string().contains("'b.csv' was never written"));
        assert!(visible(&dir).is_empty(), "nothing renamed, no temporary left");
        fs::remove_dir_all(&dir).unwrap();
    }
}
