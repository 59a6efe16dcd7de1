//! Training runs end to end: initial weights from the seed, the steps, the
//! history. [`train`] and [`train_batch`] use the fast path ([`crate::fast`]);
//! [`train_reference`] walks the readable [`Network::step`] and is what the
//! fast path is tested against, bit for bit.

use crate::fast::{Compiled, Lanes};
use crate::{Dataset, History, Network, Record, Schedule, ValidConfig};

/// How many runs the fast path interleaves in [`train_batch`] (see
/// [`crate::fast`]), one of the two lane counts its kernels are compiled for.
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
    let initial = Network::init(config.config().architecture, config.config().seed);
    let mut lanes = Lanes::<1>::new(std::slice::from_ref(&initial));
    let mut histories = run_scheduled(&mut lanes, config, schedule);
    let (network, diverged_at) = (lanes.network(0), lanes.diverged_at(0));
    Trained { initial, network, history: histories.remove(0), diverged_at, settled_at: Vec::new() }
}

/// Trains one network per seed of `seeds`, each as `config` says but for its
/// seed (the config's own `seed` is not used), [`LANES`] at a time. Results are
/// in `seeds` order and each is exactly what [`train`] gives for that seed. For
/// each of `thresholds`, every step's largest training error is watched to fill
/// [`Trained::settled_at`].
///
/// ```
/// use perceptron::{Config, Schedule, train_batch};
/// let config = Config { iterations: 100, ..Config::default() }.check().unwrap();
/// let runs = train_batch(&config, &[1, 2, 3], &Schedule::Ends, &[0.5]);
/// assert_eq!(runs.len(), 3);
/// assert_eq!(runs[0].history.records.len(), 2); // t = 0 and t = 100
/// assert_eq!(runs[0].settled_at.len(), 1);
/// ```
pub fn train_batch(config: &ValidConfig, seeds: &[u32], schedule: &Schedule, thresholds: &[f64]) -> Vec<Trained> {
    let (architecture, data) = (config.config().architecture, config.dataset());
    let mut out = Vec::with_capacity(seeds.len());
    for chunk in seeds.chunks(LANES) {
        let initial: Vec<Network> = chunk.iter().map(|&s| Network::init(architecture, s)).collect();
        let mut lanes = Lanes::<LANES>::new(&initial);
        if !thresholds.is_empty() {
            lanes.watch_errors(thresholds);
        }
        let histories = run_scheduled(&mut lanes, config, schedule);
        out.extend(initial.into_iter().zip(histories).enumerate().map(|(l, (initial, history))| Trained {
            initial,
            network: lanes.network(l),
            history,
            diverged_at: lanes.diverged_at(l),
            settled_at: (0..thresholds.len()).map(|k| lanes.settled_at(l, k, data)).collect(),
        }));
    }
    out
}

/// Runs `lanes` for the configured iterations, recording each used lane on
/// `schedule`; a batch whose every lane has diverged stops stepping.
fn run_scheduled<const L: usize>(lanes: &mut Lanes<L>, config: &ValidConfig, schedule: &Schedule) -> Vec<History>
where
    Lanes<L>: Compiled,
{
    let (c, data) = (config.config(), config.dataset());
    let (lr, iterations) = (c.learning_rate, c.iterations);
    let mut histories = vec![History::default(); lanes.used()];
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
    histories
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
fn record(network: &Network, data: &Dataset, iteration: u64) -> Record {
    let outputs = network.forward(data.inputs());
    let errors = data.targets() - &outputs;
    Record { iteration, weights: network.weights().collect(), outputs: outputs.to_vec(), errors: errors.to_vec() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Architecture, Config};

    fn bits(record: &Record) -> Vec<u64> {
        record.weights.iter().chain(&record.outputs).chain(&record.errors).map(|v| v.to_bits()).collect()
    }

    /// `Schedule::At` with the union of two schedules records, in one run, what
    /// two runs on those schedules record, and what the reference records there.
    #[test]
    fn one_run_records_the_union_of_two_schedules() {
        for (architecture, removed_rows) in [(Architecture::OneLayer, vec![]), (Architecture::two_layer(3), vec![1])] {
            let config = Config { iterations: 2500, architecture, removed_rows, ..Config::default() }.check().unwrap();
            let parts = [Schedule::LogSpaced { points: 40 }, Schedule::Every(1000)];
            let mut union: Vec<u64> = parts.iter().flat_map(|s| s.iterations(2500)).collect();
            union.sort_unstable();
            union.dedup();
            let merged = train(&config, &Schedule::At(union.clone())).history.records;
            let at: Vec<u64> = merged.iter().map(|r| r.iteration).collect();
            assert_eq!(at, union, "{}", architecture.label());
            assert!(at.len() < parts.iter().map(|s| s.iterations(2500).len()).sum(), "the schedules overlap");
            for part in &parts {
                for r in train(&config, part).history.records {
                    let same = merged.iter().find(|m| m.iteration == r.iteration).expect("in the union");
                    assert_eq!(bits(same), bits(&r), "{} at {}", architecture.label(), r.iteration);
                }
            }
            let reference = train_reference(&config, &Schedule::At(union.clone())).history.records;
            assert_eq!(reference.len(), merged.len());
            for (a, b) in merged.iter().zip(&reference) {
                assert_eq!((a.iteration, bits(a)), (b.iteration, bits(b)), "{}", architecture.label());
            }
        }
    }
}
