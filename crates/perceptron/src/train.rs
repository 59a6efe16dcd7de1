//! Training runs end to end: initial weights from the seed, the steps, the
//! history. [`train`] and [`train_batch`] use the fast path ([`crate::fast`]);
//! [`train_reference`] walks the readable [`Network::step`] and is what the
//! fast path is tested against, bit for bit.

use crate::fast::Lanes;
use crate::{Architecture, Dataset, History, Network, Record, Schedule, ValidConfig};

/// How many runs the fast path interleaves (see [`crate::fast`]). The benches'
/// `lanes` group measures 4, 8 and 16 within the machine's noise of each other
/// (one-layer about 15% faster per run than a single run, two-layer H=4 about
/// the same); 8 is kept.
pub const LANES: usize = 8;

/// The outcome of one training run.
#[derive(Clone, Debug, PartialEq)]
pub struct Trained {
    /// The seed's initial weights.
    pub initial: Network,
    /// The weights after the last step (or the last finite ones, if diverged).
    pub network: Network,
    /// The scheduled records.
    pub history: History,
    /// The step whose update would have made a weight non-finite: training
    /// stopped there, and `network` holds the weights after the step before.
    pub diverged_at: Option<u64>,
    /// Per threshold asked for: the iteration from which `max |y − o|` stays
    /// below it to the end (see [`crate::fast::Lanes::settled_at`]); empty if none asked.
    pub settled_at: Vec<Option<u64>>,
}

/// Trains the configured network with the fast path.
pub fn train(config: &ValidConfig, schedule: &Schedule) -> Trained {
    let c = config.config();
    let mut out =
        train_lanes::<1>(c.architecture, config.dataset(), c.learning_rate, c.iterations, &[c.seed], schedule, &[]);
    out.pop().expect("one run")
}

/// Trains one network per seed (same architecture, data, learning rate and
/// iterations), [`LANES`] at a time. Results are in `seeds` order and each is
/// exactly what [`train`] gives for that seed. For each of `thresholds`, every
/// step's largest training error is watched to fill [`Trained::settled_at`].
pub fn train_batch(
    architecture: Architecture,
    data: &Dataset,
    learning_rate: f64,
    iterations: u64,
    seeds: &[u32],
    schedule: &Schedule,
    thresholds: &[f64],
) -> Vec<Trained> {
    seeds
        .chunks(LANES)
        .flat_map(|chunk| {
            train_lanes::<LANES>(architecture, data, learning_rate, iterations, chunk, schedule, thresholds)
        })
        .collect()
}

fn train_lanes<const L: usize>(
    architecture: Architecture,
    data: &Dataset,
    lr: f64,
    iterations: u64,
    seeds: &[u32],
    schedule: &Schedule,
    thresholds: &[f64],
) -> Vec<Trained> {
    let initial: Vec<Network> = seeds.iter().map(|&s| Network::init(architecture, s)).collect();
    let mut lanes = Lanes::<L>::new(&initial);
    if !thresholds.is_empty() {
        lanes.watch_errors(thresholds);
    }
    let mut histories = vec![History::default(); seeds.len()];
    for t in schedule.iterations(iterations) {
        if !lanes.all_diverged() {
            lanes.run(data, lr, t - lanes.iteration());
        }
        for (l, history) in histories.iter_mut().enumerate() {
            history.records.push(record(&lanes.network(l), data, t));
        }
    }
    if !lanes.all_diverged() {
        lanes.run(data, lr, iterations - lanes.iteration());
    }
    initial
        .into_iter()
        .zip(histories)
        .enumerate()
        .map(|(l, (initial, history))| Trained {
            initial,
            network: lanes.network(l),
            history,
            diverged_at: lanes.diverged_at(l),
            settled_at: (0..thresholds.len()).map(|k| lanes.settled_at(l, k, data)).collect(),
        })
        .collect()
}

/// The readable reference: [`Network::step`] in a loop. Slow; for tests.
pub fn train_reference(config: &ValidConfig, schedule: &Schedule) -> Trained {
    let c = config.config();
    let data = config.dataset();
    let initial = Network::init(c.architecture, c.seed);
    let mut network = initial.clone();
    let mut history = History::default();
    let mut diverged_at = None;
    let mut scheduled = schedule.iterations(c.iterations).into_iter().peekable();
    for t in 0..=c.iterations {
        if scheduled.next_if_eq(&t).is_some() {
            history.records.push(record(&network, data, t));
        }
        if t < c.iterations && diverged_at.is_none() && !network.step(data, c.learning_rate) {
            diverged_at = Some(t + 1);
        }
    }
    Trained { initial, network, history, diverged_at, settled_at: Vec::new() }
}

/// The state after `iteration` steps: weights, outputs and errors on `data`.
pub fn record(network: &Network, data: &Dataset, iteration: u64) -> Record {
    let outputs = network.forward(data.inputs());
    let errors = data.targets() - &outputs;
    Record { iteration, weights: network.weights().collect(), outputs: outputs.to_vec(), errors: errors.to_vec() }
}
