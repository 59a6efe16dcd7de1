//! Three gradients of `L = ½ Σ (y − o)²` compared pairwise, for both models:
//! the hand-derived one (`Network::loss_gradient`, the core crate), candle's
//! autograd (`perceptron_candle::loss_gradient`) and central finite differences
//! of the core crate's `Network::loss`, at random and at saturated weights
//! (`|X·w| > 10`, where `σ' < 5e-5`).
//!
//! Relative error `‖a − b‖ / max(‖a‖ + ‖b‖, 1e-12)`; the bounds are explained
//! where they are set.

use perceptron::{Architecture, Dataset, Network};

/// `‖a − b‖ / max(‖a‖ + ‖b‖, 1e-12)`.
fn relative_error(a: &[f64], b: &[f64]) -> f64 {
    let norm = |v: &[f64]| v.iter().map(|x| x * x).sum::<f64>().sqrt();
    let diff: Vec<f64> = a.iter().zip(b).map(|(x, y)| x - y).collect();
    norm(&diff) / (norm(a) + norm(b)).max(1e-12)
}

/// Central differences `(L(w + ε e_m) − L(w − ε e_m)) / 2ε`, one weight at a time.
fn central_differences(net: &Network, data: &Dataset, eps: f64) -> Vec<f64> {
    let w: Vec<f64> = net.weights().collect();
    let loss_at = |m: usize, shift: f64| {
        let mut v = w.clone();
        v[m] += shift;
        Network::from_weights(net.architecture(), &v).loss(data)
    };
    (0..w.len()).map(|m| (loss_at(m, eps) - loss_at(m, -eps)) / (2.0 * eps)).collect()
}

/// `Network::init(architecture, seed)` with every weight multiplied by `scale`:
/// uniform in `[−scale, scale]`, drawn as NumPy draws it.
fn scaled(architecture: Architecture, seed: u32, scale: f64) -> Network {
    let w: Vec<f64> = Network::init(architecture, seed).weights().map(|v| v * scale).collect();
    Network::from_weights(architecture, &w)
}

/// The largest `|z|` fed to a sigmoid: `X·w`, or `X·W1` and `h·W2`.
fn largest_preactivation(net: &Network, data: &Dataset) -> f64 {
    let x = data.inputs();
    let z: Vec<f64> = match net {
        Network::OneLayer { w } => x.dot(w).to_vec(),
        Network::TwoLayer { w1, w2, b2 } => {
            let z1 = x.dot(w1);
            let z2 = z1.mapv(perceptron::sigmoid).dot(w2) + b2.unwrap_or(0.0);
            z1.iter().chain(&z2).copied().collect()
        }
    };
    z.iter().fold(0.0f64, |m, v| m.max(v.abs()))
}

/// Where the three gradients stand relative to each other.
struct Errors {
    hand_candle: f64,
    hand_numeric: f64,
    candle_numeric: f64,
}

fn three_way(net: &Network, data: &Dataset, eps: f64) -> Errors {
    let hand: Vec<f64> = net.loss_gradient(data).weights().collect();
    let candle: Vec<f64> = perceptron_candle::loss_gradient(net, data).unwrap().weights().collect();
    let numeric = central_differences(net, data, eps);
    Errors {
        hand_candle: relative_error(&hand, &candle),
        hand_numeric: relative_error(&hand, &numeric),
        candle_numeric: relative_error(&candle, &numeric),
    }
}

/// Hand-derived and candle gradients agree to round-off; both agree with
/// central differences to `numeric_bound`.
#[track_caller]
fn check(architecture: Architecture, seed: u32, scale: f64, removed: &[usize], eps: f64, numeric_bound: f64) {
    let data = Dataset::without_rows(removed).unwrap();
    check_at(&scaled(architecture, seed, scale), &data, eps, numeric_bound, &format!("seed {seed} scale {scale}"));
}

#[track_caller]
fn check_at(net: &Network, data: &Dataset, eps: f64, numeric_bound: f64, label: &str) {
    let e = three_way(net, data, eps);
    let label = format!("{} {label} rows {:?}", net.architecture().label(), data.rows());
    // Hand-derived and candle evaluate the same f64 expressions; only the order
    // of the sum h·W2 differs for H ≥ 8 (ndarray's eight partial sums against
    // candle's sequential sum). Measured over every case in this file: exactly 0
    // for H < 8, at most 1.6e-16 for H = 8. A wrong factor gives ~1e-1.
    assert!(e.hand_candle < 1e-14, "{label}: hand vs candle relative error {:e}", e.hand_candle);
    assert!(
        e.hand_numeric < numeric_bound,
        "{label}: hand vs finite differences {:e} (bound {numeric_bound:e})",
        e.hand_numeric
    );
    assert!(
        e.candle_numeric < numeric_bound,
        "{label}: candle vs finite differences {:e} (bound {numeric_bound:e})",
        e.candle_numeric
    );
}

#[test]
fn one_layer_three_way() {
    // Central differences at ε = 1e-6: truncation O(ε²) ~ 1e-12 and round-off
    // u·L/ε ~ 1e-10, against ‖∂L/∂w‖ ~ 0.1: both below 1e-8 relative. Measured
    // worst over both tests: 4.4e-9. Bound 1e-7.
    for seed in 0..5 {
        check(Architecture::OneLayer, seed, 1.0, &[], 1e-6, 1e-7);
        check(Architecture::OneLayer, seed, 3.0, &[2], 1e-6, 1e-7);
    }
}

#[test]
fn two_layer_three_way() {
    for hidden in [1, 2, 4, 8] {
        for seed in 0..3 {
            check(Architecture::two_layer(hidden), seed, 1.0, &[], 1e-6, 1e-7);
            check(Architecture::two_layer(hidden), seed, 2.5, &[0, 3], 1e-6, 1e-7);
        }
    }
}

#[test]
fn output_bias_three_way() {
    // The same bounds as without the bias (one more weight, b2, whose gradient
    // is Σ d2: the hand-derived one sums it from 0.0 in row order, candle's
    // broadcast_add backward sums the rows too).
    for hidden in [1, 2, 4, 8] {
        for seed in 0..3 {
            let architecture = Architecture::two_layer(hidden).with_output_bias(true);
            check(architecture, seed, 1.0, &[], 1e-6, 1e-7);
            check(architecture, seed, 2.5, &[0, 3], 1e-6, 1e-7);
            check(architecture, seed, 1.5, &[1], 1e-6, 1e-7);
        }
    }
}

#[test]
fn saturated_three_way() {
    // At |z| > 10, σ' < 5e-5: ‖∂L/∂w‖ falls to 1e-4 .. 1e-7 while L stays ~1 (rows
    // saturated on the wrong side). Central differences then lose to round-off:
    // each component carries about u·L/ε (u = 2⁻⁵³), so relative to ‖∂L/∂w‖ the
    // error is up to √m·u·L/(ε·‖∂L/∂w‖) for m weights. ε = 1e-4 balances it
    // against truncation (~1e-7 relative measured here at ε = 1e-3, ~ε²). Bound:
    // 1e-6 plus four times the round-off estimate. Measured at ε = 1e-4:
    // 1.0e-9 (one-layer seed 1), 1.1e-7 (one-layer seed 4, ‖∂L/∂w‖ = 8.8e-7),
    // 8.4e-10 (H = 2), 5.7e-10 (H = 4), 3.2e-6 (H = 8, ‖∂L/∂w‖ = 7.5e-7, where
    // the bound is 3.5e-5). Hand vs candle stays at round-off throughout: the
    // check that finite differences cannot make this deep in saturation.
    let data = Dataset::notebook();
    let cases = [
        (Architecture::OneLayer, 1, 12.0),
        (Architecture::OneLayer, 4, 15.0),
        (Architecture::two_layer(2), 1, 12.0),
        (Architecture::two_layer(4), 1, 12.0),
        (Architecture::two_layer(8), 6, 14.0),
        (Architecture::two_layer(2).with_output_bias(true), 1, 12.0),
        (Architecture::two_layer(4).with_output_bias(true), 3, 12.0),
    ];
    let eps = 1e-4;
    for (architecture, seed, scale) in cases {
        let net = scaled(architecture, seed, scale);
        let z = largest_preactivation(&net, &data);
        assert!(z > 10.0, "{} seed {seed} scale {scale}: largest |z| = {z}, not saturated", architecture.label());
        let gradient: Vec<f64> = net.loss_gradient(&data).weights().collect();
        let norm = gradient.iter().map(|g| g * g).sum::<f64>().sqrt();
        let roundoff = (gradient.len() as f64).sqrt() * f64::EPSILON / 2.0 * net.loss(&data) / (eps * norm);
        check_at(&net, &data, eps, 1e-6 + 4.0 * roundoff, &format!("seed {seed} scale {scale} (|z| up to {z:.1})"));
    }
}

#[test]
fn a_wrong_gradient_is_caught() {
    // The checks above can fail: drop the σ'(h) = h ⊙ (1 − h) factor from the
    // hand-derived W1 gradient and the relative error to candle is large.
    let data = Dataset::notebook();
    let net = scaled(Architecture::two_layer(4), 3, 1.0);
    let Network::TwoLayer { w1, w2, .. } = &net else { unreachable!() };
    let h = data.inputs().dot(w1).mapv(perceptron::sigmoid);
    let o = h.dot(w2).mapv(perceptron::sigmoid);
    let d2 = (&o - data.targets()) * o.mapv(perceptron::sigmoid_prime_from_output);
    let d1_missing_factor = d2.view().insert_axis(ndarray::Axis(1)).dot(&w2.view().insert_axis(ndarray::Axis(0)));
    let wrong: Vec<f64> =
        data.inputs().t().dot(&d1_missing_factor).iter().chain(h.t().dot(&d2).iter()).copied().collect();
    let candle: Vec<f64> = perceptron_candle::loss_gradient(&net, &data).unwrap().weights().collect();
    let err = relative_error(&wrong, &candle);
    assert!(err > 0.1, "relative error {err:e}");
}
