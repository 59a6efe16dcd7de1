//! The sweep's studies, one module each, and the list that registers them.
//!
//! A study turns its input into findings, then its files (CSV rows are built
//! only here, at the edge) and its section of `README.md`. A study that reads
//! the shared training (the groups of `super::runs`: every model on all rows,
//! one layer without each removal) is [`Study::Shared`]: it asks for that
//! training by implementing [`FromResults`], sees each group as it is trained
//! through its own [`GroupFold`] if it has one (C streams `removal.csv`, D
//! keeps curve quantiles), and renders from the [`Results`] afterwards. A
//! study that trains its own runs reads only the plan ([`Study::OwnRuns`]) and
//! is rendered while the shared training runs, in parallel with the others of
//! its kind. The runner (`super`) names no study. Each rendering is a pure
//! function of its input, and the files and sections are written in the order
//! of [`STUDIES`], the report's reading order, so the output does not depend
//! on the thread count.
//!
//! Adding a study: one new file here implementing [`FromResults`] or
//! [`FromPlan`] (its [`About`] declares its letter, title, description and
//! files), its `mod` line and one line in [`STUDIES`]; `sweep --help`, the
//! report's headings and the manifest follow, and a test checks README.md's
//! table of output files against it.

mod convergence;
mod crosscheck;
mod landscape;
mod learning_rate;
mod notebook;
mod removal;
mod seeds;
pub mod surfaces;
mod truth_tables;

use std::any::Any;

use anyhow::Result;
use perceptron::Architecture;

use super::files::{Files, Stream};
use super::plan::Plan;
use super::runs::RunSummary;

/// What the shared training found, for the studies that render from it
/// ([`Study::Shared`]): the runs of each model on all rows, and what each
/// study's [`GroupFold`] kept of the groups as they were trained.
pub struct Results {
    pub plan: Plan,
    /// The one-layer model, then each two-layer size, all rows.
    pub models: Vec<ModelRuns>,
    /// What the studies' folds kept, one entry per fold ([`Results::folded`] finds a study's own).
    pub folded: Vec<Box<dyn Any + Send + Sync>>,
    /// Runs trained on the fast path by the shared training.
    pub run_count: usize,
}

/// The runs of one model on all rows (study B reads the one-layer model's, D all).
pub struct ModelRuns {
    pub architecture: Architecture,
    /// One summary per seed, in seed order.
    pub runs: Vec<RunSummary>,
}

impl Results {
    /// What a study's fold kept: the one entry of type `T`.
    pub fn folded<T: Any>(&self) -> Option<&T> {
        self.folded.iter().find_map(|f| f.downcast_ref::<T>())
    }

    /// The one-layer model's runs on all rows (study B).
    pub fn seed_runs(&self) -> Vec<&RunSummary> {
        self.runs_of(Architecture::OneLayer)
    }

    /// The swept models, in [`Results::models`] order.
    pub fn architectures(&self) -> Vec<Architecture> {
        self.models.iter().map(|m| m.architecture).collect()
    }

    /// The runs of one swept model, in seed order.
    pub fn runs_of(&self, architecture: Architecture) -> Vec<&RunSummary> {
        self.models.iter().find(|m| m.architecture == architecture).map_or_else(Vec::new, |m| m.runs.iter().collect())
    }
}

/// One group of the shared training, complete: runs of `architecture` with
/// the rows `removed` left out (none: all rows), one per seed in seed order,
/// and for a group on all rows each run's largest error at
/// [`Plan::curve_iterations`] (`curves`, empty otherwise).
pub struct Group<'a> {
    pub architecture: Architecture,
    pub removed: &'a [usize],
    pub runs: &'a [RunSummary],
    pub curves: &'a [Vec<f64>],
}

/// How a study asks for the shared training: it folds each group as soon as
/// it is trained (in order, whatever the thread count), so that memory holds
/// one group's runs at a time, and may stream a file into `--out` meanwhile.
pub trait GroupFold: Send {
    /// Folds one whole group.
    ///
    /// # Errors
    /// A streamed file could not be written.
    fn group(&mut self, group: &Group<'_>) -> Result<()>;

    /// What the fold kept (read back with [`Results::folded`]), and the file it
    /// streamed, if any.
    ///
    /// # Errors
    /// A streamed file could not be finished.
    fn finish(self: Box<Self>) -> Result<(Box<dyn Any + Send + Sync>, Option<Stream>)>;
}

/// What a study contributes to the output.
pub struct Rendered {
    /// Its files, each named as in [`About::files`] and in that order (a file
    /// it streamed while training is not among them).
    pub files: Vec<(&'static str, Vec<u8>)>,
    /// Its Markdown section of `README.md`, ending with a blank line.
    pub section: String,
}

/// One study of the sweep. What it renders from decides when it is rendered,
/// so a study cannot ask for results that do not exist yet.
#[derive(Clone, Copy)]
pub enum Study {
    /// Renders from the shared training's [`Results`] (studies B, C, D): after
    /// that training, one at a time.
    Shared(&'static dyn FromResults),
    /// Trains its own runs from the [`Plan`] alone: rendered while the shared
    /// training runs, in parallel with the other studies of this kind.
    OwnRuns(&'static dyn FromPlan),
}

/// What a study is, declared once in its own file: `sweep --help`, the
/// report's headings, the manifest's list of files and README.md's table of
/// output files (checked by a test below) all read it.
pub struct About {
    /// Its letter in the report, `A`…`G`; `None` for a study without one.
    pub letter: Option<char>,
    /// The heading of its section of the report (after the letter).
    pub title: &'static str,
    /// One line of Markdown for `sweep --help` and README.md's table (after the letter).
    pub description: &'static str,
    /// Its files in `--out`, in the order it writes them.
    pub files: &'static [&'static str],
}

impl About {
    /// `C. description`, or the description alone for a study without a letter.
    fn described(&self) -> String {
        match self.letter {
            Some(letter) => format!("{letter}. {}", self.description),
            None => self.description.to_owned(),
        }
    }

    /// The heading of its section of the report, e.g. `## C. Training rows removed …`.
    pub fn heading(&self) -> String {
        match self.letter {
            Some(letter) => format!("## {letter}. {}\n\n", self.title),
            None => format!("## {}\n\n", self.title),
        }
    }
}

/// A study that renders from the shared training's results ([`Study::Shared`]).
pub trait FromResults: Sync {
    /// What the study is and which files it writes.
    fn about(&self) -> &'static About;

    /// The fold through which the study sees each group of the shared
    /// training as it is trained; none by default (it reads [`Results::models`]).
    ///
    /// # Errors
    /// A file it streams could not be opened.
    fn fold<'a>(&self, _plan: &'a Plan, _files: &Files) -> Result<Option<Box<dyn GroupFold + 'a>>> {
        Ok(None)
    }

    /// Computes the findings from `results` (and `results.plan`) and renders them.
    ///
    /// # Errors
    /// A table or a plot could not be encoded.
    fn render(&self, results: &Results) -> Result<Rendered>;
}

/// A study that trains its own runs from the plan ([`Study::OwnRuns`]).
pub trait FromPlan: Sync {
    /// What the study is and which files it writes.
    fn about(&self) -> &'static About;

    /// Runs of `plan.iterations` steps it trains that `manifest.json`'s
    /// `training_steps` counts (study A's; the others' are not counted).
    fn counted_runs(&self, _plan: &Plan) -> usize {
        0
    }

    /// Trains the study's runs as `plan` says, computes the findings and renders them.
    ///
    /// # Errors
    /// A table or a plot could not be encoded.
    fn render(&self, plan: &Plan) -> Result<Rendered>;
}

/// Every study, in the report's reading order (moving a line moves its section,
/// its files in the manifest and its `--help` line). Adding a study: its file,
/// its `mod` line above and one line here.
#[rustfmt::skip] // one study per line, so adding one is a one-line diff
pub const STUDIES: &[Study] = &[
    Study::OwnRuns(&notebook::Notebook),
    Study::OwnRuns(&landscape::Landscape),
    Study::Shared(&seeds::Seeds),
    Study::Shared(&removal::Removal),
    Study::OwnRuns(&learning_rate::LearningRate),
    Study::Shared(&convergence::Convergence),
    Study::OwnRuns(&truth_tables::TruthTables),
    Study::OwnRuns(&surfaces::Surfaces),
    Study::OwnRuns(&crosscheck::Crosscheck),
];

impl Study {
    /// What the study is and which files it writes.
    pub fn about(&self) -> &'static About {
        match self {
            Study::Shared(study) => study.about(),
            Study::OwnRuns(study) => study.about(),
        }
    }
}

/// Every study's files, in [`STUDIES`] order (the report, `README.md`, comes after them).
pub fn declared_files() -> impl Iterator<Item = &'static str> {
    STUDIES.iter().flat_map(|study| study.about().files.iter().copied())
}

/// The studies and their files, one line each, for `sweep --help`.
pub fn help() -> String {
    let lines: Vec<String> =
        STUDIES.iter().map(|s| format!("{}. Files: {}.", s.about().described(), s.about().files.join(", "))).collect();
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rows of README.md's table of what `sweep` writes, as cells.
    fn readme_table() -> Vec<Vec<String>> {
        let readme = include_str!("../../../../README.md");
        let heading = readme.find("## What `sweep` writes to `results/`").expect("the section");
        let table = &readme[heading..];
        let table = &table[table.find("| study | CSV | plot |").expect("the table")..];
        table
            .lines()
            .skip(2)
            .take_while(|line| line.starts_with('|'))
            .map(|line| {
                let inner = line.strip_prefix('|').and_then(|l| l.strip_suffix('|')).expect("a table row");
                inner.split('|').map(|cell| cell.trim().to_owned()).collect()
            })
            .collect()
    }

    fn files_cell(about: &About, extension: &str) -> String {
        let names: Vec<String> =
            about.files.iter().filter(|f| f.ends_with(extension)).map(|f| format!("`{f}`")).collect();
        names.join(", ")
    }

    /// README.md's table must list every study of [`STUDIES`], in order, with
    /// its description and files; on a mismatch the message shows the rows to paste.
    #[test]
    fn the_readme_table_lists_every_study_and_its_files() {
        let rows = readme_table();
        let expected: Vec<Vec<String>> = STUDIES
            .iter()
            .map(|study| {
                let about = study.about();
                vec![about.described(), files_cell(about, ".csv"), files_cell(about, ".svg")]
            })
            .collect();
        let markdown: Vec<String> =
            expected.iter().map(|cells| format!("| {} |", cells.join(" | ")).replace("|  |", "| |")).collect();
        assert!(rows == expected, "README.md's table of output files should read:\n{}", markdown.join("\n"));
    }

    #[test]
    fn every_file_is_declared_once_as_a_csv_or_an_svg() {
        let mut names: Vec<&str> = declared_files().collect();
        assert!(names.iter().all(|n| n.ends_with(".csv") || n.ends_with(".svg")), "{names:?}");
        names.sort_unstable();
        let count = names.len();
        names.dedup();
        assert_eq!(names.len(), count, "a file declared twice");
    }

    /// Letters name the studies (in files, `--help` and the issues); the
    /// report's order is [`STUDIES`]' order, a reading order, not the letters'.
    #[test]
    fn letters_are_distinct() {
        let mut letters: Vec<char> = STUDIES.iter().filter_map(|s| s.about().letter).collect();
        let count = letters.len();
        letters.sort_unstable();
        letters.dedup();
        assert_eq!(letters.len(), count, "{letters:?}");
    }
}
