//! Training configuration, validated once into a [`ValidConfig`] so that the
//! training code never re-checks it (linfa's `Params` → `ValidParams`).
//!
//! The data set is given when checking ([`Config::check_on`]): a [`Config`] says
//! which rows to remove, and the removal is checked against the data set's own
//! row range. [`Config::check`] trains on the notebook's table.

use crate::{ConfigError, Dataset};

/// The largest hidden layer accepted: refused before anything is allocated.
pub const MAX_HIDDEN: usize = 1024;

/// The largest iteration count accepted (10⁸).
pub const MAX_ITERATIONS: u64 = 100_000_000;

/// Which network to train.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Architecture {
    /// The notebook's perceptron 3→1: `o = σ(X·w)`, `w: [3]`.
    OneLayer,
    /// 3→H→1: `h = σ(X·W1)`, `o = σ(h·W2 + b2)`, `W1: [3, H]`, `W2: [H]`,
    /// and the output bias `b2` a weight only with `output_bias` (without it,
    /// `o = σ(h·W2)`, the output unit's only inputs are the hidden units).
    ///
    /// Match with `TwoLayer { hidden, .. }` and build with
    /// [`Architecture::two_layer`], so that a next field of the model is a
    /// change here, not at every use.
    TwoLayer {
        /// `H`, the hidden units.
        hidden: usize,
        /// Whether the output unit has a bias `b2` (a weight fed by a constant 1).
        output_bias: bool,
    },
}

impl Architecture {
    /// 3→H→1 without an output bias.
    pub const fn two_layer(hidden: usize) -> Self {
        Architecture::TwoLayer { hidden, output_bias: false }
    }

    /// The architecture from the command line's words: one layer without
    /// `hidden`, else 3→H→1, with the output bias if `output_bias`.
    ///
    /// # Errors
    /// [`ConfigError::OutputBiasWithoutHidden`] for a bias on the one-layer
    /// model (whose bias is its constant third input), and the checks of
    /// [`check_architecture`].
    pub fn new(hidden: Option<usize>, output_bias: bool) -> Result<Self, ConfigError> {
        let architecture = match hidden {
            None if output_bias => return Err(ConfigError::OutputBiasWithoutHidden),
            None => Architecture::OneLayer,
            Some(hidden) => Architecture::TwoLayer { hidden, output_bias },
        };
        check_architecture(architecture)?;
        Ok(architecture)
    }

    /// The same model with the output bias on or off (the one-layer model has
    /// none, and is returned as it is).
    #[must_use]
    pub const fn with_output_bias(self, on: bool) -> Self {
        match self {
            Architecture::OneLayer => Architecture::OneLayer,
            Architecture::TwoLayer { hidden, .. } => Architecture::TwoLayer { hidden, output_bias: on },
        }
    }

    /// The hidden layer size, if any.
    pub fn hidden(self) -> Option<usize> {
        match self {
            Architecture::OneLayer => None,
            Architecture::TwoLayer { hidden, .. } => Some(hidden),
        }
    }

    /// Whether the output unit has a bias `b2`.
    pub fn output_bias(self) -> bool {
        matches!(self, Architecture::TwoLayer { output_bias: true, .. })
    }

    /// Number of weights: 3, or `3H + H`, plus 1 with the output bias.
    pub fn weight_count(self) -> usize {
        match self {
            Architecture::OneLayer => 3,
            Architecture::TwoLayer { hidden, output_bias } => 4 * hidden + usize::from(output_bias),
        }
    }

    /// A short name: `one-layer`, `two-layer H=4` or `two-layer H=4 with bias`.
    pub fn label(self) -> String {
        match self {
            Architecture::OneLayer => "one-layer".to_owned(),
            Architecture::TwoLayer { hidden, output_bias: false } => format!("two-layer H={hidden}"),
            Architecture::TwoLayer { hidden, output_bias: true } => format!("two-layer H={hidden} with bias"),
        }
    }
}

/// A training run as asked for; [`Config::check`] turns it into a [`ValidConfig`].
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// `np.random.seed(seed)` before drawing the initial weights.
    pub seed: u32,
    /// Full-batch training steps.
    pub iterations: u64,
    /// `lr` in `w += lr · Xᵀδ`; the notebook's rule is `lr = 1`.
    pub learning_rate: f64,
    /// One or two layers.
    pub architecture: Architecture,
    /// 0-based rows of the data set's table left out of training.
    pub removed_rows: Vec<usize>,
}

impl Default for Config {
    /// The notebook: seed 1, 50000 iterations, `lr = 1`, one layer, all rows.
    fn default() -> Self {
        Self {
            seed: 1,
            iterations: 50_000,
            learning_rate: 1.0,
            architecture: Architecture::OneLayer,
            removed_rows: Vec::new(),
        }
    }
}

impl Config {
    /// Validates every field once, for training on the notebook's table
    /// ([`Dataset::notebook`]).
    ///
    /// # Errors
    /// As [`Config::check_on`].
    pub fn check(self) -> Result<ValidConfig, ConfigError> {
        self.check_on(&Dataset::notebook())
    }

    /// Validates every field once, for training on `data` (its full table:
    /// `removed_rows` index into it).
    ///
    /// # Errors
    /// Hidden size outside `1..=MAX_HIDDEN`, learning rate not positive and
    /// finite, iterations above [`MAX_ITERATIONS`], or bad removed rows (see
    /// [`Dataset::remove_rows`]).
    ///
    /// ```
    /// use perceptron::{BooleanFunction, Config};
    /// let xor = BooleanFunction::Xor.dataset();
    /// let valid = Config { removed_rows: vec![0], ..Config::default() }.check_on(&xor).unwrap();
    /// assert_eq!(valid.dataset().targets().to_vec(), [0.0, 1.0, 1.0]);
    /// ```
    pub fn check_on(self, data: &Dataset) -> Result<ValidConfig, ConfigError> {
        check_architecture(self.architecture)?;
        check_learning_rate(self.learning_rate)?;
        check_iterations(self.iterations)?;
        let dataset = data.remove_rows(&self.removed_rows)?;
        Ok(ValidConfig { config: self, dataset })
    }
}

/// `hidden` in `1..=MAX_HIDDEN`.
///
/// # Errors
/// [`ConfigError::Hidden`] otherwise.
pub fn check_architecture(architecture: Architecture) -> Result<(), ConfigError> {
    match architecture.hidden() {
        Some(got) if got == 0 || got > MAX_HIDDEN => Err(ConfigError::Hidden { got, max: MAX_HIDDEN }),
        _ => Ok(()),
    }
}

/// A positive finite learning rate.
///
/// # Errors
/// [`ConfigError::LearningRate`] otherwise.
pub fn check_learning_rate(lr: f64) -> Result<(), ConfigError> {
    if lr.is_finite() && lr > 0.0 { Ok(()) } else { Err(ConfigError::LearningRate(lr)) }
}

/// At most [`MAX_ITERATIONS`].
///
/// # Errors
/// [`ConfigError::Iterations`] otherwise.
fn check_iterations(iterations: u64) -> Result<(), ConfigError> {
    if iterations <= MAX_ITERATIONS {
        Ok(())
    } else {
        Err(ConfigError::Iterations { got: iterations, max: MAX_ITERATIONS })
    }
}

/// A [`Config`] whose every field has been checked, with its data set built.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidConfig {
    config: Config,
    dataset: Dataset,
}

impl ValidConfig {
    /// The checked configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The data set trained on, its removed rows left out ([`Dataset::name`],
    /// [`Dataset::table`] still describe the whole data set).
    pub fn dataset(&self) -> &Dataset {
        &self.dataset
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(change: impl FnOnce(&mut Config), expected: Result<(), ConfigError>) {
        let mut config = Config::default();
        change(&mut config);
        assert_eq!(config.check().map(|_| ()), expected);
    }

    #[test]
    fn validation() {
        check(|_| {}, Ok(()));
        check(|c| c.architecture = Architecture::two_layer(0), Err(ConfigError::Hidden { got: 0, max: MAX_HIDDEN }));
        check(|c| c.architecture = Architecture::two_layer(MAX_HIDDEN), Ok(()));
        check(
            |c| c.architecture = Architecture::two_layer(MAX_HIDDEN + 1),
            Err(ConfigError::Hidden { got: MAX_HIDDEN + 1, max: MAX_HIDDEN }),
        );
        check(|c| c.learning_rate = 0.0, Err(ConfigError::LearningRate(0.0)));
        check(|c| c.learning_rate = -1.0, Err(ConfigError::LearningRate(-1.0)));
        check(|c| c.learning_rate = f64::INFINITY, Err(ConfigError::LearningRate(f64::INFINITY)));
        check(
            |c| c.iterations = MAX_ITERATIONS + 1,
            Err(ConfigError::Iterations { got: MAX_ITERATIONS + 1, max: MAX_ITERATIONS }),
        );
        check(|c| c.removed_rows = vec![0, 1, 2, 3], Err(ConfigError::NoRowsLeft { rows: 4 }));
    }

    #[test]
    fn output_bias_needs_hidden_units() {
        assert_eq!(Architecture::new(None, false), Ok(Architecture::OneLayer));
        assert_eq!(Architecture::new(None, true), Err(ConfigError::OutputBiasWithoutHidden));
        let biased = Architecture::new(Some(2), true).unwrap();
        assert_eq!(biased, Architecture::two_layer(2).with_output_bias(true));
        assert_eq!((biased.weight_count(), biased.label().as_str()), (9, "two-layer H=2 with bias"));
        assert_eq!(Architecture::new(Some(0), true), Err(ConfigError::Hidden { got: 0, max: MAX_HIDDEN }));
    }

    #[test]
    fn removed_rows_are_checked_against_the_data_set() {
        let five = Dataset::new("five", vec![([0.0, 0.0, 1.0], 0.0); 5]).unwrap();
        let remove = |rows: Vec<usize>| Config { removed_rows: rows, ..Config::default() }.check_on(&five);
        assert_eq!(remove(vec![4]).unwrap().dataset().rows(), &[0, 1, 2, 3]);
        assert_eq!(remove(vec![5]).map(|_| ()), Err(ConfigError::RowOutOfRange { row: 5, last: 4 }));
        assert_eq!(remove(vec![0, 1, 2, 3, 4]).map(|_| ()), Err(ConfigError::NoRowsLeft { rows: 5 }));
        // The notebook's table has rows 0..=3 only.
        let four = Config { removed_rows: vec![4], ..Config::default() }.check();
        assert_eq!(four.map(|_| ()), Err(ConfigError::RowOutOfRange { row: 4, last: 3 }));
    }

    #[test]
    fn nan_learning_rate_is_refused() {
        let config = Config { learning_rate: f64::NAN, ..Config::default() };
        assert!(matches!(config.check(), Err(ConfigError::LearningRate(x)) if x.is_nan()));
    }
}
