//! The sweep's studies, one module each, and the list that registers them.
//!
//! A study turns the sweep's typed [`Results`] into its findings, then its files
//! (CSV rows are built only here, at the edge) and its section of `README.md`.
//! The parallel training is shared (`super::compute`); rendering runs in the
//! order of [`STUDIES`], so the output does not depend on the thread count.
//!
//! Adding a study: one new file here implementing [`Study`], its `mod` line and
//! one line in [`STUDIES`].

mod convergence;
mod crosscheck;
mod landscape;
mod learning_rate;
mod notebook;
mod removal;
mod seeds;
mod surfaces;
mod truth_tables;

use anyhow::Result;

pub use removal::{EverythingOne, everything_one};

use super::Results;

/// One file of the sweep's output: its name in `--out` and its content.
pub type OutputFile = (String, Content);

/// What an output file holds.
pub enum Content {
    Bytes(Vec<u8>),
    /// Already streamed into its temporary in `--out` while training (a table
    /// too large to hold, see [`super::Results::staged`]); renamed into place
    /// with the others.
    Staged,
}

/// What a study contributes to the output.
pub struct Rendered {
    /// Its files, in the order they are listed in the manifest.
    pub files: Vec<OutputFile>,
    /// Its Markdown section of `README.md`, ending with a blank line.
    pub section: String,
}

/// One study of the sweep.
pub trait Study: Sync {
    /// A short name for logs and tests, e.g. `"seeds"`.
    fn name(&self) -> &'static str;

    /// Computes the findings from `results` and renders them.
    ///
    /// # Errors
    /// A table or a plot could not be encoded.
    fn render(&self, results: &Results) -> Result<Rendered>;
}

/// Every study, in report order.
#[rustfmt::skip] // one study per line, so adding one is a one-line diff
pub const STUDIES: &[&dyn Study] = &[
    &notebook::Notebook,
    &seeds::Seeds,
    &removal::Removal,
    &convergence::Convergence,
    &crosscheck::Crosscheck,
    &truth_tables::TruthTables,
    &surfaces::Surfaces,
    &learning_rate::LearningRate,
    &landscape::Landscape,
];

/// Names a file's bytes.
fn file(name: &str, bytes: Vec<u8>) -> OutputFile {
    (name.to_owned(), Content::Bytes(bytes))
}
