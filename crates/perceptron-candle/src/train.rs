//! Whole training runs with candle: many networks of one architecture trained
//! in one batch, `w ← w − lr · ∂L/∂w` for `iterations` steps, with the weights,
//! outputs and errors recorded at chosen iterations.
//!
//! Shapes are those of the model module: `X: [B, n, 3]`, `w: [B, 3, 1]` or
//! `W1: [B, 3, H]`, `W2: [B, H, 1]` (and `b2: [B, 1, 1]`), `o: [B, n, 1]`; `B` is at most
//! [`MAX_BATCH_ELEMENTS`]` / (n · max(H, 3))`, and a longer list of networks is
//! trained in consecutive batches.
//!
//! A record at `t` holds the weights after `t` steps (`t = 0` the initial ones)
//! and candle's forward pass on them, as `perceptron::train` records them.

use perceptron::{Architecture, Dataset, History, Network, Record};

use crate::Error;
use crate::model::Batch;

/// The largest tensor a batch may hold, in elements (the broadcast product
/// `X ⊙ W1`, `B·n·3·H`); longer lists of networks are split into batches.
///
/// Two reasons. Threads: candle 0.9's element-wise CPU ops run on the calling
/// thread whatever their size, but candle 0.11 hands tensors of
/// 65536 elements or more (`PAR_ELEMWISE_MIN`) to a worker pool of their own,
/// which no rayon pool governs; the cap keeps the twin on the caller's thread
/// with either.
/// Speed: without the cap, the cost per network and step falls with the batch
/// until tensors of about 4096 elements (32 KiB) and then rises again;
/// `benches/batch.rs` measures it (figures in the README's Performance section).
pub const MAX_BATCH_ELEMENTS: usize = 4096;

/// One network to train and its own training rows.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    /// The initial weights, e.g. `Network::init(architecture, seed)`.
    pub initial: Network,
    /// The rows it trains on.
    pub data: Dataset,
}

/// The outcome of one network's candle training run.
#[derive(Clone, Debug, PartialEq)]
pub struct CandleRun {
    /// The initial weights, as given.
    pub initial: Network,
    /// The weights after the last step.
    pub network: Network,
    /// One record per requested iteration, ascending: weights in
    /// [`Network::weights`] order, and candle's outputs and errors on the
    /// network's own training rows.
    pub history: History,
}

/// Trains every network in `inits` on `data` with candle, in batches (e.g. all
/// seeds of one shape at once). Results are in `inits` order.
///
/// `record_at` lists the iterations (in `0..=iterations`, any order, repeats
/// ignored) at which to record; pass `Schedule::iterations(iterations)` to
/// record what `perceptron::train` records.
///
/// ```
/// use perceptron::{Architecture, Dataset, Network};
/// let data = Dataset::notebook();
/// let inits: Vec<Network> = (1..=3).map(|s| Network::init(Architecture::OneLayer, s)).collect();
/// let runs = perceptron_candle::train_candle(Architecture::OneLayer, &data, 1.0, 100, &inits, &[0, 100]).unwrap();
/// assert_eq!(runs[0].history.records[0].weights, inits[0].weights().collect::<Vec<_>>());
/// ```
///
/// # Errors
/// See [`train_members`].
pub fn train_candle(
    architecture: Architecture,
    data: &Dataset,
    learning_rate: f64,
    iterations: u64,
    inits: &[Network],
    record_at: &[u64],
) -> Result<Vec<CandleRun>, Error> {
    let members: Vec<Member> = inits.iter().map(|n| Member { initial: n.clone(), data: data.clone() }).collect();
    train_members(architecture, learning_rate, iterations, &members, record_at)
}

/// Trains every member on its own rows with candle, in batches. Results are in
/// `members` order, and a member's result does not depend on the others in its
/// batch: a batch mixing rows uses the four-row table with a mask (see the crate
/// doc), whose removed rows add exact zeros (`s + ±0 = s`) to every sum.
///
/// Threads: each batch runs on the calling thread and starts no thread (see the
/// crate doc). Batches are at most [`MAX_BATCH_ELEMENTS`] large, and always
/// hold at least one network (so a network with `n·3·H > MAX_BATCH_ELEMENTS`,
/// `H > 341`, trains alone, still below 65536 elements for `H ≤ MAX_HIDDEN`).
///
/// # Errors
/// - [`Error::Config`]: a hidden size outside `1..=MAX_HIDDEN`, or a learning
///   rate that is not positive and finite;
/// - [`Error::Architecture`]: a member of another architecture;
/// - [`Error::RecordAt`]: a record after `iterations`;
/// - [`Error::NonFinite`]: a weight became NaN or infinite (checked at every
///   record and at the end);
/// - [`Error::Candle`]: candle failed.
pub fn train_members(
    architecture: Architecture,
    learning_rate: f64,
    iterations: u64,
    members: &[Member],
    record_at: &[u64],
) -> Result<Vec<CandleRun>, Error> {
    perceptron::check_architecture(architecture)?;
    perceptron::check_learning_rate(learning_rate)?;
    for (member, m) in members.iter().enumerate() {
        if m.initial.architecture() != architecture {
            let (expected, got) = (architecture.label(), m.initial.architecture().label());
            return Err(Error::Architecture { member, expected, got });
        }
    }
    let mut record_at = record_at.to_vec();
    record_at.sort_unstable();
    record_at.dedup();
    if let Some(&at) = record_at.last().filter(|&&at| at > iterations) {
        return Err(Error::RecordAt { at, iterations });
    }
    // Rows per network in the tensors: its own, or the full table if a mask is needed.
    let shared = members.windows(2).all(|w| w[0].data.rows() == w[1].data.rows());
    let rows = members.first().map_or(1, |m| if shared { m.data.len() } else { m.data.table().len() });
    // The largest tensor is the broadcast product X ⊙ W1, [B, n, 3, H].
    let per_member = rows * 3 * architecture.hidden().unwrap_or(1);
    let batch = (MAX_BATCH_ELEMENTS / per_member).max(1);
    let mut runs = Vec::with_capacity(members.len());
    for (chunk, start) in members.chunks(batch).zip((0..).step_by(batch)) {
        let chunk_runs =
            train_batch(architecture, learning_rate, iterations, chunk, &record_at).map_err(|e| match e {
                Error::NonFinite { member, iteration } => Error::NonFinite { member: start + member, iteration },
                e => e,
            })?;
        runs.extend(chunk_runs);
    }
    Ok(runs)
}

/// One batch, on the current thread.
fn train_batch(
    architecture: Architecture,
    lr: f64,
    iterations: u64,
    members: &[Member],
    record_at: &[u64],
) -> Result<Vec<CandleRun>, Error> {
    let datasets: Vec<&Dataset> = members.iter().map(|m| &m.data).collect();
    let batch = Batch::new(architecture, &datasets)?;
    let initial: Vec<&Network> = members.iter().map(|m| &m.initial).collect();
    let weights = batch.weights(&initial)?;
    let mut histories = vec![History::default(); members.len()];
    let mut scheduled = record_at.iter().copied().peekable();
    for t in 0..=iterations {
        if scheduled.next_if_eq(&t).is_some() {
            let networks = finite(batch.current(&weights)?, t)?;
            let outputs = batch.outputs(&batch.forward(&weights)?)?;
            for ((history, (network, outputs)), m) in
                histories.iter_mut().zip(networks.iter().zip(outputs)).zip(members)
            {
                let errors = m.data.targets().iter().zip(&outputs).map(|(y, o)| y - o).collect();
                history.records.push(Record { iteration: t, weights: network.weights().collect(), outputs, errors });
            }
        }
        if t < iterations {
            batch.step(&weights, lr)?;
        }
    }
    let networks = finite(batch.current(&weights)?, iterations)?;
    Ok(members
        .iter()
        .zip(networks.into_iter().zip(histories))
        .map(|(m, (network, history))| CandleRun { initial: m.initial.clone(), network, history })
        .collect())
}

fn finite(networks: Vec<Network>, iteration: u64) -> Result<Vec<Network>, Error> {
    match networks.iter().position(|n| !n.weights().all(f64::is_finite)) {
        Some(member) => Err(Error::NonFinite { member, iteration }),
        None => Ok(networks),
    }
}
