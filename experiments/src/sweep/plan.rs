//! What the sweep runs: the [`Plan`] made from `sweep`'s flags (checked once
//! here), and the command line that reproduces it.

use anyhow::Result;
use perceptron::{Architecture, Dataset, Schedule};
use serde::Serialize;

use super::numbers::shortest;
use crate::cli::SweepArgs;
use crate::error::UsageError;

/// Points of the log-spaced schedule behind convergence curves and thresholds.
pub const CURVE_POINTS: usize = 80;

/// What the sweep runs.
#[derive(Clone, Debug, Serialize)]
pub struct Plan {
    /// Seeds `0..seeds`.
    pub seeds: u32,
    pub iterations: u64,
    /// Two-layer hidden sizes.
    pub hidden: Vec<usize>,
    /// Whether the two-layer models of the studies that do not compare carry
    /// the output bias `b2` (`--output-bias`; studies D and F train both).
    pub output_bias: bool,
    /// The training data of every study (`--data`; the notebook's four rows by default).
    #[serde(serialize_with = "data_name")]
    pub data: Dataset,
    pub learning_rate: f64,
    /// Study E's sample: seeds `0..min(seeds, crosscheck_seeds)`, the first
    /// `min(iterations, crosscheck_iterations)` steps.
    pub crosscheck_seeds: u32,
    pub crosscheck_iterations: u64,
}

impl Plan {
    /// The plan of `sweep`'s checked flags.
    ///
    /// # Errors
    /// A [`UsageError`]: `--hidden` lists a size twice, `--out` is a file, or
    /// `--data` names no function or a file that cannot be read as a data set.
    pub fn from_args(args: &SweepArgs) -> Result<Plan> {
        let mut hidden = args.hidden.clone();
        hidden.sort_unstable();
        if let Some(w) = hidden.windows(2).find(|w| w[0] == w[1]) {
            let message = format!(
                "--hidden lists {} more than once; expected distinct sizes in 1..={}",
                w[0],
                perceptron::MAX_HIDDEN
            );
            return Err(UsageError::new(message).into());
        }
        if args.out.exists() && !args.out.is_dir() {
            let message = format!(
                "--out '{}' is a file; expected a folder (created if missing) (see --help)",
                crate::error::cut_path(&args.out)
            );
            return Err(UsageError::new(message).into());
        }
        let data = args.data.load()?;
        Ok(Plan {
            seeds: args.seeds,
            iterations: args.iterations,
            hidden,
            output_bias: args.output_bias,
            data,
            learning_rate: args.learning_rate,
            crosscheck_seeds: args.crosscheck_seeds,
            crosscheck_iterations: args.crosscheck_iterations,
        })
    }

    /// The command that makes this plan (without `--out`), as the report and the manifest print it.
    pub fn command(&self) -> String {
        let hidden: Vec<String> = self.hidden.iter().map(ToString::to_string).collect();
        format!(
            "experiments sweep --data {} --seeds {} --iterations {} --hidden {}{} --learning-rate {}",
            shell_quoted(self.data.name()),
            self.seeds,
            self.iterations,
            hidden.join(","),
            if self.output_bias { " --output-bias" } else { "" },
            shortest(self.learning_rate)
        )
    }

    /// The two-layer model of `hidden` units as the studies that do not
    /// compare train it: with the output bias if `--output-bias`.
    pub fn two_layer(&self, hidden: usize) -> Architecture {
        Architecture::two_layer(hidden).with_output_bias(self.output_bias)
    }

    /// One seed of the notebook's data at learning rate 1, no hidden sizes, no
    /// cross-check: the plan unit tests of the studies train on.
    #[cfg(test)]
    pub(in crate::sweep) fn for_tests(iterations: u64) -> Self {
        Self {
            seeds: 1,
            iterations,
            hidden: vec![],
            output_bias: false,
            learning_rate: 1.0,
            crosscheck_seeds: 0,
            crosscheck_iterations: 0,
            data: Dataset::notebook(),
        }
    }

    /// The iterations at which convergence curves are sampled.
    pub fn curve_iterations(&self) -> Vec<u64> {
        Schedule::LogSpaced { points: CURVE_POINTS }.iterations(self.iterations)
    }
}

/// A plan's data set, in the manifest: its name.
fn data_name<S: serde::Serializer>(data: &Dataset, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(data.name())
}

/// `arg` as a POSIX shell reads it back: as it is when it holds only
/// characters no shell treats specially, else in single quotes (a quote inside
/// written `'\''`), so that a printed command can be pasted into a terminal.
pub fn shell_quoted(arg: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_./,:=+-@%".contains(c);
    if !arg.is_empty() && arg.chars().all(plain) { arg.to_owned() } else { format!("'{}'", arg.replace('\'', "'\\''")) }
}
