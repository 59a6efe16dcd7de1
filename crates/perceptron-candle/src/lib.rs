//! The perceptron's twin in [candle](https://github.com/huggingface/candle): the
//! same two models and the same training rule as the core crate `perceptron`,
//! but with the forward pass written in candle ops and the gradient taken by
//! candle's autograd (`backward()` on [`candle_core::Var`]s), in f64 on the CPU.
//! It exists to regression-check the from-scratch code against a real framework.
//!
//! One layer, per network `b` of a batch of `B`:
//! ```text
//! o = σ(X·w)                 X: [n, 3], w: [3, 1], o: [n, 1]
//! ```
//! Two layers:
//! ```text
//! h = σ(X·W1), o = σ(h·W2)   W1: [3, H], h: [n, H], W2: [H, 1]
//! o = σ(h·W2 + b2)            with the output bias b2: [1, 1] (candle's `broadcast_add`)
//! ```
//! Loss and step (the notebook's rule, written as gradient descent):
//! ```text
//! L = ½ Σ_b Σ_i m_bi (y_i − o_bi)²      w ← w − lr · ∂L/∂w
//! ```
//! The batch is a leading axis on every tensor (`X: [B, n, 3]`, `w: [B, 3, 1]`,
//! …) and the products are batched. `L` sums over the batch, so `∂L/∂w_b` is
//! network `b`'s own gradient: one candle step trains the whole batch. The row mask
//! `m_bi ∈ {0, 1}` lets networks of one batch train on different rows (see
//! [`Member`]); a batch whose networks all use the same rows has no mask.
//!
//! - [`train_candle`]: many initial networks, one data set (e.g. all seeds of one shape).
//! - [`train_members`]: many initial networks, each with its own data set.
//! - [`loss_gradient`]: candle's `∂L/∂w` for one network, in the [`perceptron::Network`] shapes.
//!
//! Initial weights come from the core crate (`Network::init`) and are handed to
//! candle as tensors; results come back as [`perceptron::Network`]s and
//! [`perceptron::Record`]s, so they compare directly with `perceptron::train`.
//! The core crate does not depend on this one (nor on candle).
//!
//! The products are broadcast products summed over the inner axis rather than
//! `Tensor::matmul`, which in candle 0.9 on Linux parses `/proc/cpuinfo` on
//! every call (see `batched_dot` in the model module). Candle then sums in the core crate's
//! order everywhere except `h·W2` for `H ≥ 8` (ndarray's eight partial sums), so
//! the two implementations give the same f64 values step after step, and for
//! `H ≥ 8` differ by round-off only.
//!
//! Threads: everything candle does here runs on the calling thread. Of candle
//! 0.9's CPU ops, only `matmul` (through `gemm`), convolutions and sorting use
//! rayon, and the twin uses none of them; element-wise ops run on the calling
//! thread at any size (candle 0.11 hands tensors of 65536 elements or more to a
//! pool of its own, which [`MAX_BATCH_ELEMENTS`] also stays below). So the
//! caller's rayon pool is left alone, and a
//! caller may train many batches in parallel on it, one thread each.

mod error;
mod gradient;
mod model;
mod train;

pub use error::Error;
pub use gradient::loss_gradient;
pub use train::{CandleRun, MAX_BATCH_ELEMENTS, Member, train_candle, train_members};
