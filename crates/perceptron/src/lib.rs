//! A from-scratch sigmoid perceptron, as in the teaching notebook: three inputs
//! (the third a constant bias input), one output, trained full-batch with the
//! "error weighted derivative" rule; and its two-layer variant 3→H→1.
//!
//! - [`Dataset`]: 1..=16 training rows (the notebook's four by default), some
//!   possibly removed; [`BooleanFunction`]: the 16 truth tables on the notebook's rows.
//! - [`NumpyRng`], [`NumpyUniform`]: initial weights drawn exactly as NumPy's
//!   `np.random.seed(s); np.random.uniform(-1, 1, size)`.
//! - [`Network`]: the readable ndarray reference (forward, delta, step).
//! - [`fast`]: the same arithmetic, bit for bit, on fixed-size arrays and
//!   interleaved lanes.
//! - [`train`], [`train_batch`], [`train_reference`]: whole runs with a
//!   [`History`] recorded on a [`Schedule`].
//!
//! ```
//! use perceptron::{Config, Schedule, train};
//! let run = train(&Config::default().check().unwrap(), &Schedule::Off);
//! let p = run.network.predict(perceptron::NOTEBOOK_NEW_INPUT);
//! assert!((p - 0.9999877412862083).abs() < 1e-12); // the notebook's printed prediction
//! ```
//!
//! This crate does not depend on candle, and it never touches the file system.

mod activation;
mod config;
mod data;
mod error;
pub mod exp;
pub mod fast;
mod history;
mod network;
mod rng;
mod train;

pub use activation::{sigmoid, sigmoid_prime_from_output};
pub use config::{
    Architecture, Config, MAX_HIDDEN, MAX_ITERATIONS, ValidConfig, check_architecture, check_iterations,
    check_learning_rate,
};
pub use data::{
    BooleanFunction, COLUMNS, DataError, Dataset, MAX_ROWS, NOTEBOOK_INPUTS, NOTEBOOK_NEW_INPUT, NOTEBOOK_TARGETS,
    RULE_INPUTS, rule_target,
};
pub use error::ConfigError;
pub use history::{History, Record, Schedule};
pub use network::{Delta, Network};
pub use rng::{NumpyRng, NumpyUniform};
pub use train::{LANES, Trained, record, train, train_batch, train_reference};
