//! The sweep's studies, one module each, and the list that registers them.
//!
//! A study turns the sweep's typed [`Results`] into its findings, then its files
//! (CSV rows are built only here, at the edge) and its section of `README.md`.
//! The parallel training of studies A–D is shared (`super::compute`; study C
//! folds its runs there as they come, see `removal`); a study that trains its
//! own runs reads only the plan ([`Study::OwnRuns`]) and is rendered while that
//! shared training runs, in parallel with the other such studies. Each
//! rendering is a pure function of its input, and the files and sections are
//! written in the order of [`STUDIES`], so the output does not depend on the
//! thread count.
//!
//! Adding a study: one new file here implementing [`FromResults`] or
//! [`FromPlan`] (its [`About`] declares its letter, title, description and
//! files), its `mod` line and one line in [`STUDIES`]; `sweep --help`, the
//! report's headings and the manifest follow, and a test checks README.md's
//! table of output files against it.

pub mod convergence;
mod crosscheck;
mod landscape;
mod learning_rate;
pub mod notebook;
pub mod removal;
mod seeds;
pub mod surfaces;
mod truth_tables;

use anyhow::Result;

use super::{Plan, Results};

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
    /// Renders from the shared training's [`Results`] (studies A–D): after that
    /// training, one at a time.
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

    /// Trains the study's runs as `plan` says, computes the findings and renders them.
    ///
    /// # Errors
    /// A table or a plot could not be encoded.
    fn render(&self, plan: &Plan) -> Result<Rendered>;
}

/// Every study, in report order. Adding a study: its file, its `mod` line
/// above and one line here.
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

    #[test]
    fn letters_are_distinct_and_in_order() {
        let letters: Vec<char> = STUDIES.iter().filter_map(|s| s.about().letter).collect();
        assert!(letters.windows(2).all(|w| w[0] < w[1]), "{letters:?}");
    }
}
