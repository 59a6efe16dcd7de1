//! The sweep's studies, one module each, and the list that registers them.
//!
//! A study turns the sweep's typed [`Results`] into its findings, then its files
//! (CSV rows are built only here, at the edge) and its section of `README.md`.
//! The parallel training of studies A–E is shared (`super::compute`); a study
//! that trains its own runs reads only the plan ([`Study::plan_only`]) and is
//! rendered while that shared training runs, in parallel with the other such
//! studies. Each rendering is a pure function of its input, and the files and
//! sections are emitted in the order of [`STUDIES`], so the output does not
//! depend on the thread count.
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

use super::{Plan, Results};

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

    /// Whether the study reads only `input.plan` (it trains its own runs): then
    /// it is rendered while the shared training runs, with no results yet.
    fn plan_only(&self) -> bool {
        false
    }

    /// Computes the findings from `input` and renders them.
    ///
    /// # Errors
    /// A table or a plot could not be encoded.
    fn render(&self, input: &Input<'_>) -> Result<Rendered>;
}

/// What a study renders from: the plan, and the shared training's results
/// once they exist (always, for a study that is not [`Study::plan_only`]).
#[derive(Clone, Copy)]
pub struct Input<'a> {
    pub plan: &'a Plan,
    pub results: Option<&'a Results>,
}

impl<'a> Input<'a> {
    /// The shared training's results.
    ///
    /// # Panics
    /// Called by a [`Study::plan_only`] study (which is rendered before them).
    pub fn results(&self) -> &'a Results {
        self.results.expect("a study that reads the shared results is not plan_only")
    }
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
