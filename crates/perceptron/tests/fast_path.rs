//! The fast path ([`perceptron::train`], [`perceptron::train_batch`]) against the
//! readable ndarray reference ([`perceptron::train_reference`]): bit for bit, on
//! every recorded weight, output and error, for both models.

use perceptron::fast::Lanes;
use perceptron::{Architecture, Config, Dataset, Network, Schedule, train, train_batch, train_reference};
use proptest::prelude::*;

fn bits(run: &perceptron::Trained) -> Vec<u64> {
    let records = run.history.records.iter().flat_map(|r| r.weights.iter().chain(&r.outputs).chain(&r.errors));
    run.network.weights().chain(records.copied()).map(f64::to_bits).collect()
}

#[track_caller]
fn check(config: Config) {
    let label = format!("{config:?}");
    let valid = config.check().unwrap();
    let schedule = Schedule::LogSpaced { points: 20 };
    let fast = train(&valid, &schedule);
    let reference = train_reference(&valid, &schedule);
    assert_eq!(fast.diverged_at, reference.diverged_at, "{label}");
    assert_eq!(fast.history.records.len(), reference.history.records.len(), "{label}");
    assert!(bits(&fast) == bits(&reference), "fast path differs from the reference: {label}");
}

#[test]
fn one_layer_is_bit_identical() {
    for removed_rows in [vec![], vec![0], vec![1, 2], vec![0, 1, 3]] {
        for seed in [0, 1, 2, 99] {
            check(Config { seed, iterations: 3000, removed_rows: removed_rows.clone(), ..Config::default() });
        }
    }
    check(Config { learning_rate: 7.5, iterations: 5000, ..Config::default() });
}

#[test]
fn two_layer_is_bit_identical() {
    // H = 9 and 17 exercise ndarray's eight-way partial sums in h·W2; each
    // with and without the output bias.
    for hidden in [1, 2, 3, 4, 8, 9, 17] {
        for (seed, removed_rows) in [(1, vec![]), (5, vec![2]), (11, vec![0, 3])] {
            for bias in [false, true] {
                let architecture = Architecture::two_layer(hidden).with_output_bias(bias);
                let removed_rows = removed_rows.clone();
                check(Config { seed, iterations: 1500, architecture, removed_rows, learning_rate: 0.8 });
            }
        }
    }
}

#[test]
fn lanes_change_nothing() {
    // Eight seeds interleaved give what eight single runs give; 11 seeds use a partial batch.
    let biased = Architecture::two_layer(4).with_output_bias(true);
    for architecture in [Architecture::OneLayer, Architecture::two_layer(4), biased] {
        let seeds: Vec<u32> = (20..31).collect();
        let config = |seed| Config { seed, iterations: 2000, architecture, ..Config::default() }.check().unwrap();
        let schedule = Schedule::Every(500);
        let batch = train_batch(&config(0), &seeds, &schedule, &[0.05]);
        for (run, &seed) in batch.iter().zip(&seeds) {
            assert!(bits(run) == bits(&train(&config(seed), &schedule)), "{} seed {seed}", architecture.label());
        }
    }
}

#[test]
fn settling_iterations_are_exact() {
    // Brute force: record every iteration with the reference, find the last
    // iteration with max |y − o| ≥ θ; the fast path watches the same every step.
    let thresholds = [0.3, 0.05, 0.01];
    for (architecture, removed_rows, lr) in [
        (Architecture::OneLayer, vec![], 1.0),
        (Architecture::two_layer(2), vec![3], 2.0),
        (Architecture::two_layer(8), vec![], 30.0),
    ] {
        let seeds = [0, 1, 2, 3];
        let config = |seed| {
            Config { seed, iterations: 1500, architecture, removed_rows: removed_rows.clone(), learning_rate: lr }
                .check()
                .unwrap()
        };
        let batch = train_batch(&config(0), &seeds, &Schedule::Off, &thresholds);
        for (run, &seed) in batch.iter().zip(&seeds) {
            let every = train_reference(&config(seed), &Schedule::Every(1));
            let max_error: Vec<f64> =
                every.history.records.iter().map(|r| r.errors.iter().fold(0.0f64, |m, e| m.max(e.abs()))).collect();
            let expected: Vec<Option<u64>> = thresholds
                .iter()
                .map(|&theta| {
                    if *max_error.last().unwrap() >= theta {
                        None
                    } else {
                        Some(max_error.iter().rposition(|&m| m >= theta).map_or(0, |t| t as u64 + 1))
                    }
                })
                .collect();
            assert_eq!(run.settled_at, expected, "{} seed {seed}", architecture.label());
            // Watching changes no weight.
            assert!(bits(run) == bits(&train(&config(seed), &Schedule::Off)));
        }
    }
}

#[test]
fn divergence_stops_both_paths_at_the_same_step() {
    // Saturated outputs make δ exactly 0, so ordinary runs never overflow (even at
    // lr = f64::MAX). Start instead from w = [1.7e308, 0, −1.7e308]: row [1, 0, 1]
    // has z = 0, δ = 0.125, and w₁ + 1e308·g₁ overflows on the first step.
    let data = Dataset::notebook();
    let start = Network::from_weights(Architecture::OneLayer, &[1.7e308, 0.0, -1.7e308]);
    let mut lanes = Lanes::<1>::new(std::slice::from_ref(&start));
    lanes.run(&data, 1e308, 5);
    assert_eq!(lanes.diverged_at(0), Some(1));
    assert_eq!(lanes.network(0), start, "the overflowing step is not applied");
    let mut reference = start.clone();
    assert!(!reference.step(&data, 1e308));
    assert_eq!(reference, start);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]
    #[test]
    fn any_configuration_is_bit_identical_and_bounded(
        seed in any::<u32>(),
        hidden in prop::option::of(1usize..=9),
        lr_exp in -2.0f64..6.0,
        removed in prop::sample::subsequence(vec![0usize, 1, 2, 3], 0..=3),
        iterations in 0u64..400,
    ) {
        let architecture = hidden.map_or(Architecture::OneLayer, Architecture::two_layer);
        let config = Config { seed, iterations, learning_rate: 10f64.powf(lr_exp), architecture, removed_rows: removed };
        let valid = config.clone().check().unwrap();
        let run = train(&valid, &Schedule::Ends);
        for record in &run.history.records {
            prop_assert!(record.outputs.iter().all(|o| (0.0..=1.0).contains(o)), "{config:?}");
            prop_assert!(record.weights.iter().all(|w| w.is_finite()), "{config:?}");
        }
        let p = run.network.predict(perceptron::NOTEBOOK_NEW_INPUT);
        prop_assert!((0.0..=1.0).contains(&p));
        prop_assert_eq!(bits(&run), bits(&train(&valid, &Schedule::Ends)));
        prop_assert_eq!(bits(&run), bits(&train_reference(&valid, &Schedule::Ends)));
    }
}
