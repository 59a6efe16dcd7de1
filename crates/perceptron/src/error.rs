//! The one error type of the core crate: invalid configurations, each message
//! carrying the offending value and what is accepted.

/// What can be wrong with a training configuration.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// A row index past the end of the data set.
    #[error("cannot remove row {row}: the data set has rows 0..={last}")]
    RowOutOfRange {
        /// The index asked for.
        row: usize,
        /// The last valid index.
        last: usize,
    },
    /// The same row named twice.
    #[error("row {row} is listed more than once")]
    RepeatedRow {
        /// The repeated index.
        row: usize,
    },
    /// Every row removed.
    #[error("cannot remove {}: at least one must stay for training", if *rows == 1 { "the only row".to_owned() } else { format!("all {rows} rows") })]
    NoRowsLeft {
        /// How many rows the data set has.
        rows: usize,
    },
    /// A hidden layer size outside `1..=MAX_HIDDEN`.
    #[error("hidden units must be between 1 and {max}, got {got}")]
    Hidden {
        /// The size asked for.
        got: usize,
        /// The largest accepted size.
        max: usize,
    },
    /// A learning rate that is not a positive finite number.
    #[error("the learning rate must be a positive finite number, got {0}")]
    LearningRate(f64),
    /// An output bias asked for the one-layer model.
    #[error("an output bias needs a hidden layer: the one-layer model already has one, its constant third input x3")]
    OutputBiasWithoutHidden,
    /// More iterations than the documented maximum.
    #[error("iterations must be at most {max}, got {got}")]
    Iterations {
        /// The count asked for.
        got: u64,
        /// The largest accepted count.
        max: u64,
    },
}
