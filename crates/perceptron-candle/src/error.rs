//! The one error type of the candle twin: candle's own errors, and bad requests
//! (mixed architectures, a record past the end of the run, a diverged run), each
//! message carrying the values involved.

use perceptron::ConfigError;

/// What can go wrong when training or differentiating with candle.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An error from candle itself (shapes, storage, …).
    #[error("candle: {0}")]
    Candle(#[from] candle_core::Error),
    /// An invalid architecture or learning rate.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A network whose architecture is not the batch's.
    #[error("network {member} is {got}, but the batch trains {expected}")]
    Architecture {
        /// Index of the network in the batch.
        member: usize,
        /// The batch's architecture label.
        expected: String,
        /// The network's architecture label.
        got: String,
    },
    /// A record asked for after the last step.
    #[error("cannot record at iteration {at}: the run has {iterations} iterations")]
    RecordAt {
        /// The iteration asked for.
        at: u64,
        /// The run's length.
        iterations: u64,
    },
    /// A weight became NaN or infinite. The core crate stops such a run at its
    /// last finite weights; the candle twin reports it instead.
    #[error("network {member} has a non-finite weight at iteration {iteration} (the run diverged)")]
    NonFinite {
        /// Index of the network in the batch.
        member: usize,
        /// The first checked iteration (a record or the end) at which it was seen.
        iteration: u64,
    },
}
