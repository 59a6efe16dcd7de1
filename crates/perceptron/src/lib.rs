//! A from-scratch sigmoid perceptron, as in the teaching notebook: three inputs
//! (the third a constant bias input), one output, trained full-batch with the
//! "error weighted derivative" rule; and its two-layer variant 3→H→1.
//!
//! ```
//! let run = perceptron::train(&perceptron::Config::default().check()?, &perceptron::Schedule::Off);
//! // The notebook's `print(sigmoid(np.sum(weights*input_new)))` for [1, 0, 0]: 0.9999877412862083.
//! assert!((run.network.predict([1.0, 0.0, 0.0]) - 0.9999877412862083).abs() < 1e-12);
//! # Ok::<(), perceptron::ConfigError>(())
//! ```
//!
//! - [`Config`] → [`ValidConfig`]: a run's seed, iterations, learning rate,
//!   [`Architecture`] and removed rows, checked once.
//! - [`Dataset`]: 1..=16 training rows (the notebook's four by default), some
//!   possibly removed; [`BooleanFunction`]: the 16 truth tables on the notebook's rows.
//! - [`Network`]: the readable ndarray reference (forward, delta, step); its
//!   initial weights are drawn exactly as NumPy's
//!   `np.random.seed(s); np.random.uniform(-1, 1, size)`.
//! - [`train`], [`train_batch`] (many seeds, [`LANES`] at a time), both on the
//!   fast path, and [`train_reference`]: whole runs with a [`History`] recorded on
//!   a [`Schedule`].
//!
//! This crate does not depend on candle, and it never touches the file system.

mod activation;
mod config;
mod data;
mod error;
pub mod exp;
// Public only for the benches and tests, which time and check the fast path
// below `train`; not part of the API.
#[doc(hidden)]
pub mod fast;
mod history;
mod network;
mod rng;
mod train;

pub use activation::{sigmoid, sigmoid_prime_from_output};
pub use config::{
    Architecture, Config, MAX_HIDDEN, MAX_ITERATIONS, ValidConfig, check_architecture, check_learning_rate,
};
pub use data::{
    BooleanFunction, COLUMNS, DataError, Dataset, MAX_ROWS, NOTEBOOK_INPUTS, NOTEBOOK_NEW_INPUT, RULE_INPUTS,
    rule_target,
};
pub use error::ConfigError;
pub use history::{History, Record, Schedule};
pub use network::Network;
pub use train::{LANES, Trained, train, train_batch, train_reference};
