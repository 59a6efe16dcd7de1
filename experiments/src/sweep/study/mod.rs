//! The sweep's studies, one module each, and the list that registers them.
//!
//! A study turns the sweep's typed [`Results`] into its findings, then its files
//! (CSV rows are built only here, at the edge) and its section of `README.md`.
//! The parallel training of studies A–E is shared (`super::compute`); a study
//! that trains its own runs reads only the plan ([`Study::OwnRuns`]) and is
//! rendered while that shared training runs, in parallel with the other such
//! studies. Each rendering is a pure function of its input, and the files and
//! sections are emitted in the order of [`STUDIES`], so the output does not
//! depend on the thread count.
//!
//! Adding a study: one new file here implementing [`FromResults`] or
//! [`FromPlan`], its `mod` line and one line in [`STUDIES`].

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

/// One study of the sweep. What it renders from decides when it is rendered,
/// so a study cannot ask for results that do not exist yet.
#[derive(Clone, Copy)]
pub enum Study {
    /// Renders from the shared training's [`Results`] (studies A–E): after that
    /// training, one at a time.
    Shared(&'static dyn FromResults),
    /// Trains its own runs from the [`Plan`] alone: rendered while the shared
    /// training runs, in parallel with the other studies of this kind.
    OwnRuns(&'static dyn FromPlan),
}

/// A study that renders from the shared training's results ([`Study::Shared`]).
pub trait FromResults: Sync {
    /// A short name for logs and tests, e.g. `"seeds"`.
    fn name(&self) -> &'static str;

    /// Computes the findings from `results` (and `results.plan`) and renders them.
    ///
    /// # Errors
    /// A table or a plot could not be encoded.
    fn render(&self, results: &Results) -> Result<Rendered>;
}

/// A study that trains its own runs from the plan ([`Study::OwnRuns`]).
pub trait FromPlan: Sync {
    /// A short name for logs and tests, e.g. `"truth_tables"`.
    fn name(&self) -> &'static str;

    /// Trains the study's runs as `plan` says, computes the findings and renders them.
    ///
    /// # Errors
    /// A table or a plot could not be encoded.
    fn render(&self, plan: &Plan) -> Result<Rendered>;
}

/// Every study, in report order.
#[rustfmt::skip] // one study per line, so adding one is a one-line diff
pub const STUDIES: &[Study] = &[
    Study::Shared(&notebook::Notebook),
    Study::Shared(&seeds::Seeds),
    Study::Shared(&removal::Removal),
    Study::Shared(&convergence::Convergence),
    Study::OwnRuns(&crosscheck::Crosscheck),
    Study::OwnRuns(&truth_tables::TruthTables),
    Study::OwnRuns(&surfaces::Surfaces),
    Study::OwnRuns(&learning_rate::LearningRate),
    Study::OwnRuns(&landscape::Landscape),
];

/// Names a file's bytes.
fn file(name: &str, bytes: Vec<u8>) -> OutputFile {
    (name.to_owned(), Content::Bytes(bytes))
}
