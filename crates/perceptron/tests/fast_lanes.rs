//! The fast path's lanes ([`perceptron::fast::Lanes`]) against
//! [`Network::step`], bit for bit: every model storage, one run and eight
//! lanes, both row storages (the padded four rows and the sixteen with a
//! run-time count), every exponential, diverging lanes, and the two sums the
//! fast path copies from ndarray.

use perceptron::exp::{self, Implementation};
use perceptron::fast::{Compiled, Lanes, Storage, gemm_probe, ndarray_sum};
use perceptron::{Architecture, Dataset, Network};

/// `Lanes<L>` from `nets`, run for `steps` steps at each learning rate of
/// `segments` in turn, against as many calls of [`Network::step`] per
/// network: the same weights bit for bit, and the same divergence step.
/// Both row storages: the exact row count, and the 16-row instance with a
/// run-time row count (which the data sets of 1 to 4 rows reach only here).
#[track_caller]
fn check<const L: usize>(nets: &[Network], data: &Dataset, segments: &[(f64, u64)])
where
    Lanes<L>: Compiled,
{
    check_with::<L>(exp::chosen(), nets, data, segments);
}

/// [`check`] with the exponential `implementation`.
#[track_caller]
fn check_with<const L: usize>(implementation: Implementation, nets: &[Network], data: &Dataset, segments: &[(f64, u64)])
where
    Lanes<L>: Compiled,
{
    let (mut exact, mut sixteen) = (Lanes::<L>::new(nets), Lanes::<L>::new(nets));
    for &(lr, steps) in segments {
        exact.run_with(implementation, data, lr, steps);
        sixteen.run_in(Storage::Large, implementation, data, lr, steps);
    }
    let bits = |n: &Network| n.weights().map(f64::to_bits).collect::<Vec<_>>();
    for (l, start) in nets.iter().enumerate() {
        let mut reference = start.clone();
        let (mut t, mut diverged_at) = (0, None);
        for &(lr, steps) in segments {
            for _ in 0..steps {
                t += 1;
                if diverged_at.is_none() && !reference.step(data, lr) {
                    diverged_at = Some(t);
                }
            }
        }
        for (storage, lanes) in [("fitted storage", &exact), ("16-row storage", &sixteen)] {
            let (rows, name) = (data.rows(), data.name());
            let label = format!(
                "{} lane {l} of {L}, {name} rows {rows:?}, {storage}, {}",
                start.architecture().label(),
                implementation.name()
            );
            assert_eq!(lanes.diverged_at(l), diverged_at, "{label}");
            assert!(bits(&lanes.network(l)) == bits(&reference), "{label}");
        }
    }
}

/// The notebook's rows without `removed`.
fn without(removed: &[usize]) -> Dataset {
    Dataset::without_rows(removed).unwrap()
}

/// `n` rows for the 16-row storage with data that fill it: binary inputs
/// `x = (⌊i/2⌋ mod 2, ⌊5i/3⌋ mod 2, 1)`, where every third row writes its
/// zeros as −0.0 (binary too: its products are exact), and targets
/// `y = (1 + sin 2.1i)/2`.
fn binary_rows(n: usize) -> Dataset {
    let row = |i: usize| {
        let zero = if i.is_multiple_of(3) { -0.0 } else { 0.0 };
        let bit = |b: usize| if b % 2 == 1 { 1.0 } else { zero };
        ([bit(i / 2), bit(5 * i / 3), 1.0], (1.0 + (2.1 * i as f64).sin()) / 2.0)
    };
    Dataset::new(format!("binary{n}"), (0..n).map(row).collect()).unwrap()
}

/// `n` rows of inputs that are not 0 or 1, so that every `x·w` rounds:
/// `x = (1.3 sin 1.7i, 0.9 cos 0.6i − 0.2, 0.75)`, `y = (1 + sin 2.1i)/2`.
fn real_rows(n: usize) -> Dataset {
    let row = |i: usize| {
        let t = i as f64;
        ([1.3 * (1.7 * t).sin(), 0.9 * (0.6 * t).cos() - 0.2, 0.75], (1.0 + (2.1 * t).sin()) / 2.0)
    };
    Dataset::new(format!("real{n}"), (0..n).map(row).collect()).unwrap()
}

fn init(architecture: Architecture, seeds: impl IntoIterator<Item = u32>) -> Vec<Network> {
    seeds.into_iter().map(|s| Network::init(architecture, s)).collect()
}

#[test]
fn every_storage_and_width_matches_the_reference() {
    // Fixed-size storage for H = 1, 2, 4, 8; `AnyTwoLayer` for 3 and 9 (9 uses
    // ndarray's eight-way partial sums in h·W2). Three or two networks in
    // eight lanes leave lanes unused. Each with and without the output bias.
    for hidden in [1, 2, 3, 4, 8, 9] {
        for bias in [false, true] {
            let architecture = Architecture::two_layer(hidden).with_output_bias(bias);
            check::<8>(&init(architecture, [3, 4, 5]), &without(&[]), &[(0.9, 300)]);
            check::<8>(&init(architecture, [6, 7]), &without(&[1]), &[(1.0, 300)]);
        }
    }
    check::<8>(&init(Architecture::OneLayer, 0..8), &without(&[0, 2]), &[(1.0, 300)]);
    check::<1>(&init(Architecture::OneLayer, [8]), &without(&[3]), &[(2.5, 300)]);
}

#[test]
fn a_diverging_lane_leaves_the_others_alone() {
    // As in tests/fast_path.rs: from w = [1.7e308, 0, −1.7e308] a step at
    // lr = 1e308 overflows (at lr = 1 nothing changes: the updates are below
    // the weights' ulp). The ordinary lanes beside it keep training. Steps
    // 1..=100 at lr = 1 are two unchecked blocks; step 101 diverges, so the
    // block 101..=164 is replayed with the per-step check, and the rest is
    // checked step by step. The diverged lane stays where it stopped, also
    // at lr = 1 again, where its step would be finite.
    let diverging = Network::from_weights(Architecture::OneLayer, &[1.7e308, 0.0, -1.7e308]);
    let mut nets = init(Architecture::OneLayer, [1, 2]);
    nets.insert(1, diverging);
    check::<8>(&nets, &without(&[]), &[(1e308, 5)]);
    check::<8>(&nets, &without(&[]), &[(1.0, 100), (1e308, 70), (1.0, 30)]);
    let mut lanes = Lanes::<8>::new(&nets);
    lanes.run(&Dataset::notebook(), 1.0, 100);
    lanes.run(&Dataset::notebook(), 1e308, 5);
    let diverged: Vec<_> = (0..3).map(|l| lanes.diverged_at(l)).collect();
    assert_eq!(diverged, [None, Some(101), None], "only the middle lane diverges");
}

#[test]
fn a_single_run_matches_the_reference_for_every_hidden_size() {
    // `Lanes<1>` sums the backward pass rows outer (the lanes hidden units
    // outer): every fixed storage (H = 1, 2, 4, 8) and `AnyTwoLayer` (3, 9),
    // a few seeds, lr from 0.5 to 30 (saturating units), on 4 down to 1 of
    // the notebook's rows and on 5 to 16 rows (8 and more: H = 1 sums hᵀd2
    // with ndarray's partial sums); with and without the output bias.
    let notebook = [without(&[]), without(&[1]), without(&[0, 3]), without(&[0, 1, 2])];
    let data_sets: Vec<Dataset> = notebook.into_iter().chain([5, 8, 11, 16].map(binary_rows)).collect();
    for hidden in [1, 2, 3, 4, 8, 9] {
        for bias in [false, true] {
            let architecture = Architecture::two_layer(hidden).with_output_bias(bias);
            for (seed, data) in (1..).zip(&data_sets) {
                check::<1>(&init(architecture, [seed]), data, &[(1.0, 150), (30.0, 100), (0.5, 50)]);
            }
        }
    }
    for (seed, data) in (20..).zip(&data_sets) {
        check::<1>(&init(Architecture::OneLayer, [seed]), data, &[(1.0, 150), (30.0, 100)]);
    }
}

#[test]
fn a_single_run_diverges_where_the_reference_does() {
    // W1 = 0 makes every h = σ(0) = 1/2; W2 = [1.7e308, −1.7e308, (0)…] makes
    // h·W2 = 0, o = 1/2, d2 = ±1/8 and d1 = d2·W2_j/4 ≈ ±5e306. On the
    // notebook's rows g1 for the first input sums two such terms of one
    // sign, so W1 + 1e308·g1 overflows; at lr = 0, W + 0·g = W. Steps
    // 1..=100 are unchecked blocks, step 101 diverges, its block is replayed
    // with the check, and the run then stays where it stopped.
    let segments = [(0.0, 100), (1e308, 70), (1.0, 30)];
    for hidden in [1, 2, 3, 4, 8, 9] {
        let architecture = Architecture::two_layer(hidden);
        let w2 = (0..hidden).map(|j| [1.7e308, -1.7e308, 0.0][j.min(2)]);
        let start =
            [Network::from_weights(architecture, &vec![0.0; 3 * hidden].into_iter().chain(w2).collect::<Vec<_>>())];
        for removed in [&[][..], &[1], &[0, 3]] {
            check::<1>(&start, &without(removed), &segments);
        }
        let mut lanes = Lanes::<1>::new(&start);
        for (lr, steps) in segments {
            lanes.run(&Dataset::notebook(), lr, steps);
        }
        if hidden > 1 {
            assert_eq!(lanes.diverged_at(0), Some(101), "{}", architecture.label());
        }
    }
}

#[test]
fn row_storage_for_sixteen_and_both_exponentials_match_the_reference() {
    // The 5..=16-row instance (16-row storage, run-time row count), fed the
    // notebook's rows (the only data sets `Dataset` makes today), and the
    // libm and inline exponentials, each against `Network::step`.
    let bits = |n: &Network| n.weights().map(f64::to_bits).collect::<Vec<_>>();
    let biased = |hidden| Architecture::two_layer(hidden).with_output_bias(true);
    for architecture in
        [Architecture::OneLayer, Architecture::two_layer(4), Architecture::two_layer(9), biased(4), biased(9)]
    {
        for removed in [&[][..], &[2][..]] {
            let (data, nets) = (Dataset::without_rows(removed).unwrap(), init(architecture, [3, 4, 5]));
            let mut wide = Lanes::<8>::new(&nets);
            wide.run_in(Storage::Large, exp::chosen(), &data, 1.0, 200);
            let mut libm = Lanes::<8>::new(&nets);
            libm.run_with(Implementation::Libm, &data, 1.0, 200);
            let mut inline = Lanes::<8>::new(&nets);
            inline.run_with(Implementation::InlineFma, &data, 1.0, 200);
            let mut avx2 = Lanes::<8>::new(&nets);
            avx2.run_with(Implementation::InlineFmaAvx2, &data, 1.0, 200);
            for (l, start) in nets.iter().enumerate() {
                let mut reference = start.clone();
                for _ in 0..200 {
                    reference.step(&data, 1.0);
                }
                let label = format!("{} lane {l}, rows {removed:?} removed", architecture.label());
                assert!(bits(&wide.network(l)) == bits(&reference), "16-row storage: {label}");
                assert!(bits(&libm.network(l)) == bits(&reference), "libm: {label}");
                if exp::implementation() != "libm" {
                    assert!(bits(&inline.network(l)) == bits(&reference), "inline-fma: {label}");
                    assert!(bits(&avx2.network(l)) == bits(&reference), "inline-fma-avx2: {label}");
                }
            }
        }
    }
}

#[test]
fn inputs_that_are_not_0_or_1_match_the_reference_with_every_exponential() {
    // Here each x·w rounds, so the first layer's sums must round as the
    // reference's matrix products do (`gemm_mul_add`); the one-layer model's
    // X·w and Xᵀδ, and h·W2 and hᵀd2, are ndarray's own dot products
    // (a multiply, then an add). One run and eight lanes (AVX-512 where
    // the CPU has it), the exact and the 16-row storage,
    // 1, 4 and 11 rows, learning rates 1 and 10.
    let architectures: Vec<Architecture> = [1, 2, 3, 4, 8, 9]
        .into_iter()
        .flat_map(|hidden| [false, true].map(|bias| Architecture::two_layer(hidden).with_output_bias(bias)))
        .collect();
    for implementation in Implementation::ALL {
        if implementation != Implementation::Libm && exp::implementation() == "libm" {
            eprintln!("skipped {}: this platform's exp is not glibc's FMA one", implementation.name());
            continue;
        }
        for &architecture in [Architecture::OneLayer].iter().chain(&architectures) {
            for (seed, data) in (1..).zip([1, 4, 11].map(real_rows)) {
                let segments = [(1.0, 120), (10.0, 40)];
                check_with::<1>(implementation, &init(architecture, [seed]), &data, &segments);
                check_with::<8>(implementation, &init(architecture, 10..18), &data, &segments);
            }
        }
    }
}

#[test]
fn ndarray_matrix_products_fuse_or_not_as_gemm_fuses_says() {
    // The probe's product is one of its two forms, and on x86-64 it is fused
    // exactly where matrixmultiply's kernel choice says (FMA and AVX2).
    let fused = gemm_probe().expect("ndarray's [p, q]·[r, s]ᵀ is neither fused nor a multiply then an add");
    #[cfg(target_arch = "x86_64")]
    assert_eq!(fused, std::is_x86_feature_detected!("fma") && std::is_x86_feature_detected!("avx2"));
}

#[test]
fn ndarray_sum_matches_ndarray_dot() {
    for n in [1, 3, 7, 8, 9, 16, 23] {
        let a = ndarray::Array1::from_shape_fn(n, |i| 0.1 + (i as f64).sin());
        let b = ndarray::Array1::from_shape_fn(n, |i| 1.0 / (1.0 + i as f64) - 0.3);
        assert_eq!(ndarray_sum(n, |i| [a[i] * b[i]])[0].to_bits(), a.dot(&b).to_bits(), "n = {n}");
    }
}

/// `max_i |y_i − o_i|` of `net` on `data`.
fn max_error(net: &Network, data: &Dataset) -> f64 {
    (data.targets() - &net.forward(data.inputs())).iter().fold(0.0f64, |m, e| m.max(e.abs()))
}

#[test]
fn watching_lanes_that_diverge_matches_brute_force() {
    // A lane that diverges keeps its last finite weights, so its error stays
    // what it was; `settled_at` must say what every step's error, computed
    // with the reference (which stops stepping at the divergence), says. One
    // layer from w = [1.7e308, 0, −1.7e308] and two layers from W1 = 0,
    // W2 = [1.7e308, −1.7e308, 0, 0] diverge at step 101 (lr = 0 before it,
    // see the tests above). Both row storages.
    let data = Dataset::notebook();
    let thresholds = [0.3, 0.05];
    let segments = [(0.0, 100), (1e308, 70), (1.0, 30)];
    let two = Architecture::two_layer(4);
    let two_start = [vec![0.0; 12], vec![1.7e308, -1.7e308, 0.0, 0.0]].concat();
    let biased_start = [&two_start[..], &[0.25]].concat();
    let cases = [
        (Architecture::OneLayer, vec![1.7e308, 0.0, -1.7e308]),
        (two, two_start),
        (two.with_output_bias(true), biased_start),
    ];
    for (architecture, start) in cases {
        let mut nets = init(architecture, [1, 2, 3]);
        nets.insert(1, Network::from_weights(architecture, &start));
        for storage in [Storage::Fitted, Storage::Large] {
            let mut lanes = Lanes::<8>::new(&nets);
            lanes.watch_errors(&thresholds);
            for (lr, steps) in segments {
                lanes.run_in(storage, exp::chosen(), &data, lr, steps);
            }
            for (l, start) in nets.iter().enumerate() {
                let (mut net, mut diverged_at, mut errors) = (start.clone(), None, Vec::new());
                for (t, lr) in (1..).zip(segments.iter().flat_map(|&(lr, steps)| (0..steps).map(move |_| lr))) {
                    errors.push(max_error(&net, &data));
                    if diverged_at.is_none() && !net.step(&data, lr) {
                        diverged_at = Some(t);
                    }
                }
                errors.push(max_error(&net, &data));
                let label = format!("{} lane {l}, {storage:?}", architecture.label());
                assert_eq!(lanes.diverged_at(l), diverged_at, "{label}");
                if l == 1 {
                    assert_eq!(diverged_at, Some(101), "{label}: the lane meant to diverge");
                }
                for (k, &theta) in thresholds.iter().enumerate() {
                    let expected = if *errors.last().unwrap() >= theta {
                        None
                    } else {
                        Some(errors.iter().rposition(|&m| m >= theta).map_or(0, |t| t as u64 + 1))
                    };
                    assert_eq!(lanes.settled_at(l, k, &data), expected, "{label}, θ = {theta}");
                }
            }
        }
    }
}

#[test]
fn recorded_losses_are_the_references_every_step() {
    // `record_losses` keeps `L(w_t)` of each step's starting weights: compared
    // with `Network::loss` of the reference's `w_t`, bit for bit, at every
    // step. Every model storage, padded rows (rows removed: a padded row's
    // error is masked to 0), the 16-row storage with rows that fill it (its
    // sum is ndarray's eight-way `dot`), two runs of which take the buffer in
    // between, and a diverging lane's block replayed (steps 101..=105 are
    // recorded once, not twice; the lanes that did not diverge stay exact).
    let biased = |hidden| Architecture::two_layer(hidden).with_output_bias(true);
    let cases: [(Architecture, Dataset); 9] = [
        (Architecture::OneLayer, without(&[])),
        (Architecture::OneLayer, without(&[1, 3])),
        (Architecture::two_layer(1), without(&[2])),
        (Architecture::two_layer(3), binary_rows(11)),
        (Architecture::two_layer(4), real_rows(16)),
        (Architecture::two_layer(8), without(&[])),
        (biased(1), without(&[2])),
        (biased(4), real_rows(16)),
        (biased(8), without(&[0])),
    ];
    for (architecture, data) in cases {
        let nets = init(architecture, [1, 2, 3]);
        let mut lanes = Lanes::<8>::new(&nets);
        lanes.record_losses();
        lanes.run(&data, 2.0, 150);
        let mut losses = lanes.take_losses();
        lanes.run(&data, 0.5, 90);
        losses.extend(lanes.take_losses());
        assert_eq!(losses.len(), 240, "{}: one loss per step", architecture.label());
        for (l, start) in nets.iter().enumerate() {
            let mut net = start.clone();
            for (t, lr) in (0..240).map(|t| (t, if t < 150 { 2.0 } else { 0.5 })) {
                let label = format!(
                    "{} lane {l}, {} rows {:?}, step {}",
                    architecture.label(),
                    data.name(),
                    data.rows(),
                    t + 1
                );
                assert_eq!(losses[t][l].to_bits(), net.loss(&data).to_bits(), "{label}");
                assert!(net.step(&data, lr), "{label}");
            }
        }
    }
    let diverging = Network::from_weights(Architecture::OneLayer, &[1.7e308, 0.0, -1.7e308]);
    let mut nets = init(Architecture::OneLayer, [1, 2]);
    nets.insert(1, diverging);
    let data = Dataset::notebook();
    let mut lanes = Lanes::<8>::new(&nets);
    lanes.record_losses();
    lanes.run(&data, 1.0, 100);
    lanes.run(&data, 1e308, 5);
    let losses = lanes.take_losses();
    assert_eq!(
        (losses.len(), lanes.diverged_at(1), lanes.diverged_at(0), lanes.diverged_at(2)),
        (105, Some(101), None, None)
    );
    for l in [0, 2] {
        let mut net = nets[l].clone();
        for (t, lr) in (0..105).map(|t| (t, if t < 100 { 1.0 } else { 1e308 })) {
            assert_eq!(losses[t][l].to_bits(), net.loss(&data).to_bits(), "lane {l} step {}", t + 1);
            net.step(&data, lr);
        }
    }
    assert!(lanes.take_losses().is_empty(), "taken once");
}

#[test]
fn watched_one_layer_lanes_on_one_to_three_rows_match_the_reference() {
    // Eight watched one-layer lanes on 1, 2 or 3 rows run kernels compiled for
    // exactly that many rows (not four padded ones): the same weights bit for
    // bit, and the same settling iterations as every step's error says.
    let thresholds = [0.3, 0.05];
    for removed in [vec![1, 2, 3], vec![0, 3], vec![2], vec![0, 1, 2]] {
        let data = without(&removed);
        let nets = init(Architecture::OneLayer, 0..8);
        let mut lanes = Lanes::<8>::new(&nets);
        lanes.watch_errors(&thresholds);
        lanes.run(&data, 1.0, 700);
        for (l, start) in nets.iter().enumerate() {
            let (mut net, mut errors) = (start.clone(), Vec::new());
            for _ in 0..700 {
                errors.push(max_error(&net, &data));
                assert!(net.step(&data, 1.0));
            }
            errors.push(max_error(&net, &data));
            let label = format!("lane {l}, rows {:?}", data.rows());
            let bits = |n: &Network| n.weights().map(f64::to_bits).collect::<Vec<_>>();
            assert_eq!(bits(&lanes.network(l)), bits(&net), "{label}");
            for (k, &theta) in thresholds.iter().enumerate() {
                let expected = (*errors.last().unwrap() < theta)
                    .then(|| errors.iter().rposition(|&m| m >= theta).map_or(0, |t| t as u64 + 1));
                assert_eq!(lanes.settled_at(l, k, &data), expected, "{label}, θ = {theta}");
            }
        }
    }
}
