//! Short candle training runs (`w ← w − lr·∂L/∂w` with candle's autograd)
//! against the core crate's fast path `perceptron::train` (the hand-derived
//! `w ← w + lr·Xᵀδ`), weight by weight at recorded iterations, for both models;
//! and the batch itself: a network's candle run does not depend on its batch.

use perceptron::{Architecture, Config, Dataset, Network, Schedule, Trained};
use perceptron_candle::{CandleRun, Error, Member, train_candle, train_members};

/// Largest `|Δ|` between the two runs' recorded weights and outputs.
fn max_diff(core: &Trained, candle: &CandleRun) -> (f64, f64) {
    assert_eq!(core.history.records.len(), candle.history.records.len());
    let mut dw = 0.0f64;
    let mut dout = 0.0f64;
    for (a, b) in core.history.records.iter().zip(&candle.history.records) {
        assert_eq!(a.iteration, b.iteration);
        assert_eq!(a.weights.len(), b.weights.len(), "the same weights (b2 included) at iteration {}", a.iteration);
        dw = a.weights.iter().zip(&b.weights).fold(dw, |m, (x, y)| m.max((x - y).abs()));
        dout = a.outputs.iter().zip(&b.outputs).fold(dout, |m, (x, y)| m.max((x - y).abs()));
    }
    (dw, dout)
}

/// Candle (one batch for all seeds) against `perceptron::train`, seed by seed.
#[track_caller]
fn check(architecture: Architecture, seeds: &[u32], removed_rows: &[usize], learning_rate: f64, iterations: u64) {
    let schedule = Schedule::LogSpaced { points: 12 };
    let config = |seed| {
        Config { seed, iterations, learning_rate, architecture, removed_rows: removed_rows.to_vec() }.check().unwrap()
    };
    let data = config(0).dataset().clone();
    let inits: Vec<Network> = seeds.iter().map(|&s| Network::init(architecture, s)).collect();
    let runs =
        train_candle(architecture, &data, learning_rate, iterations, &inits, &schedule.iterations(iterations)).unwrap();
    for (&seed, candle) in seeds.iter().zip(&runs) {
        let core = perceptron::train(&config(seed), &schedule);
        let (dw, dout) = max_diff(&core, candle);
        // The tolerance of `experiments check` (1e-9 on the weights over 50000
        // steps); these runs are shorter, so it holds with more margin.
        assert!(
            dw <= 1e-9 && dout <= 1e-9,
            "{} seed {seed} removed {removed_rows:?}: max |Δw| {dw:e}, max |Δo| {dout:e}",
            architecture.label()
        );
    }
}

#[test]
fn one_layer_matches_the_fast_path() {
    check(Architecture::OneLayer, &[1, 2, 3, 42], &[], 1.0, 2000);
    check(Architecture::OneLayer, &[1, 7], &[1, 2], 1.0, 2000);
    check(Architecture::OneLayer, &[5], &[0], 2.5, 2000);
}

#[test]
fn two_layer_matches_the_fast_path() {
    for hidden in [1, 2, 4, 8] {
        check(Architecture::two_layer(hidden), &[1, 2, 3], &[], 1.0, 2000);
    }
    check(Architecture::two_layer(3), &[4, 9], &[3], 0.5, 2000);
}

#[test]
fn output_bias_matches_the_fast_path() {
    for hidden in [1, 2, 4, 8] {
        check(Architecture::two_layer(hidden).with_output_bias(true), &[1, 2, 3], &[], 1.0, 2000);
    }
    check(Architecture::two_layer(3).with_output_bias(true), &[4, 9], &[3], 0.5, 2000);
}

#[test]
fn a_network_does_not_depend_on_its_batch() {
    // Same rows for all: each network's run is bit for bit its run alone.
    let data = Dataset::notebook();
    let architecture = Architecture::two_layer(4);
    let inits: Vec<Network> = (10..15).map(|s| Network::init(architecture, s)).collect();
    let record_at = [0, 1, 10, 300];
    let together = train_candle(architecture, &data, 1.0, 300, &inits, &record_at).unwrap();
    for (init, run) in inits.iter().zip(&together) {
        let alone = train_candle(architecture, &data, 1.0, 300, std::slice::from_ref(init), &record_at).unwrap();
        assert_eq!(&alone[0], run);
    }
}

#[test]
fn masked_rows_match_removed_rows() {
    // A batch mixing removed rows trains on the four-row table with a mask; each
    // network must still follow the fast path on its own rows, and give what it
    // gives alone (no mask): removed rows add exact zeros to every sum, Σ d2
    // (the output bias's gradient) included.
    for architecture in [Architecture::two_layer(2), Architecture::two_layer(2).with_output_bias(true)] {
        masked_rows_match_removed_rows_for(architecture);
    }
}

fn masked_rows_match_removed_rows_for(architecture: Architecture) {
    let cases: [(u32, &[usize]); 4] = [(1, &[]), (2, &[1]), (3, &[0, 3]), (4, &[0, 1, 2])];
    let members: Vec<Member> = cases
        .iter()
        .map(|&(seed, removed)| Member {
            initial: Network::init(architecture, seed),
            data: Dataset::without_rows(removed).unwrap(),
        })
        .collect();
    let schedule = Schedule::Every(250);
    let runs = train_members(architecture, 1.0, 1000, &members, &schedule.iterations(1000)).unwrap();
    for (&(seed, removed), candle) in cases.iter().zip(&runs) {
        let config =
            Config { seed, iterations: 1000, architecture, removed_rows: removed.to_vec(), ..Config::default() };
        let core = perceptron::train(&config.check().unwrap(), &schedule);
        assert_eq!(candle.history.records[0].outputs.len(), 4 - removed.len(), "outputs on the network's own rows");
        let (dw, dout) = max_diff(&core, candle);
        assert!(dw <= 1e-9 && dout <= 1e-9, "seed {seed} removed {removed:?}: max |Δw| {dw:e}, max |Δo| {dout:e}");
        let member = &members[runs.iter().position(|r| std::ptr::eq(r, candle)).unwrap()];
        let alone =
            train_members(architecture, 1.0, 1000, std::slice::from_ref(member), &schedule.iterations(1000)).unwrap();
        assert_eq!(&alone[0], candle, "seed {seed} removed {removed:?}: masked batch against alone");
    }
}

#[test]
fn bad_requests_are_refused() {
    let data = Dataset::notebook();
    let one = Network::init(Architecture::OneLayer, 1);
    let two = Network::init(Architecture::two_layer(2), 1);
    let err = train_candle(Architecture::OneLayer, &data, 1.0, 10, &[one.clone(), two], &[]).unwrap_err();
    assert!(matches!(err, Error::Architecture { member: 1, .. }), "{err}");
    assert_eq!(err.to_string(), "network 1 is two-layer H=2, but the batch trains one-layer");
    let err = train_candle(Architecture::OneLayer, &data, 1.0, 10, std::slice::from_ref(&one), &[3, 11]).unwrap_err();
    assert_eq!(err.to_string(), "cannot record at iteration 11: the run has 10 iterations");
    let err = train_candle(Architecture::OneLayer, &data, 0.0, 10, std::slice::from_ref(&one), &[]).unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err}");
    assert!(train_candle(Architecture::OneLayer, &data, 1.0, 10, &[], &[0]).unwrap().is_empty());
}

#[test]
fn divergence_is_reported() {
    // From w = [1.7e308, 0, −1.7e308], row [1, 0, 1] has z = 0 and a nonzero
    // gradient, so with lr = 1e308 the first step overflows (the core crate's
    // fast-path test uses the same start). The candle twin reports it.
    let start = Network::from_weights(Architecture::OneLayer, &[1.7e308, 0.0, -1.7e308]);
    let err = train_candle(Architecture::OneLayer, &Dataset::notebook(), 1e308, 3, &[start], &[]).unwrap_err();
    assert!(matches!(err, Error::NonFinite { member: 0, iteration: 3 }), "{err}");
}
