//! The hand-derived updates against a central finite-difference gradient of
//! `L = ½ Σ (y − o)²`, in f64, at random and at saturated weights.

use perceptron::{Architecture, Dataset, Network};

/// `‖a − b‖ / max(‖a‖ + ‖b‖, 1e-12)`.
fn relative_error(a: &[f64], b: &[f64]) -> f64 {
    let norm = |v: &mut dyn Iterator<Item = f64>| v.map(|x| x * x).sum::<f64>().sqrt();
    let diff = norm(&mut a.iter().zip(b).map(|(x, y)| x - y));
    diff / (norm(&mut a.iter().copied()) + norm(&mut b.iter().copied())).max(1e-12)
}

/// `∂L/∂w_m ≈ (L(w + ε e_m) − L(w − ε e_m)) / 2ε`.
fn finite_difference(net: &Network, data: &Dataset, eps: f64) -> Vec<f64> {
    let w: Vec<f64> = net.weights().collect();
    (0..w.len())
        .map(|m| {
            let mut plus = w.clone();
            plus[m] += eps;
            let mut minus = w.clone();
            minus[m] -= eps;
            let loss = |v: &[f64]| Network::from_weights(net.architecture(), v).loss(data);
            (loss(&plus) - loss(&minus)) / (2.0 * eps)
        })
        .collect()
}

#[track_caller]
fn check(architecture: Architecture, seed: u32, scale: f64, removed: &[usize], eps: f64) {
    let data = Dataset::without_rows(removed).unwrap();
    let init = Network::init(architecture, seed);
    let scaled: Vec<f64> = init.weights().map(|w| w * scale).collect();
    let net = Network::from_weights(architecture, &scaled);
    let analytic: Vec<f64> = net.loss_gradient(&data).weights().collect();
    let numeric = finite_difference(&net, &data, eps);
    let err = relative_error(&analytic, &numeric);
    // Central differences are accurate to O(ε²) (truncation) plus O(u·L/ε)
    // (round-off in L, u = 2⁻⁵³), relative to ‖∂L/∂w‖. With ε = 1e-6 and
    // ‖∂L/∂w‖ ~ 0.1 both terms are below 1e-9: 1e-7 leaves margin, while a wrong
    // factor (e.g. a missing h·(1 − h)) gives errors of order 1e-1.
    assert!(
        err < 1e-7,
        "{} seed {seed} scale {scale}: relative error {err:e}\n analytic {analytic:?}\n numeric {numeric:?}",
        architecture.label()
    );
}

#[test]
fn one_layer_gradient_matches_finite_differences() {
    for seed in 0..5 {
        check(Architecture::OneLayer, seed, 1.0, &[], 1e-6);
        check(Architecture::OneLayer, seed, 3.0, &[1], 1e-6);
    }
}

#[test]
fn two_layer_gradient_matches_finite_differences() {
    // With and without the output bias (its gradient is ∂L/∂b2 = −Σᵢ d2ᵢ).
    for hidden in [1, 2, 4, 8] {
        for bias in [false, true] {
            let architecture = Architecture::two_layer(hidden).with_output_bias(bias);
            for seed in 0..4 {
                check(architecture, seed, 1.0, &[], 1e-6);
                check(architecture, seed, 2.5, &[0, 3], 1e-6);
            }
        }
    }
}

#[test]
fn saturated_weights_still_agree() {
    // |X·w| > 10 for some rows: σ' is ~1e-5 there, so ‖∂L/∂w‖ ~ 1e-4 while L ~ 1
    // (a saturated wrong row). Round-off u·L/ε then dominates at ε = 1e-6
    // (~1e-6 relative, measured 1.4e-7), so the step is ε = 1e-4: round-off
    // ~1e-12/1e-4 = 1e-8 relative, truncation ~ε² = 1e-8.
    let weights =
        |scale: f64| Network::init(Architecture::OneLayer, 1).weights().map(|w| w * scale).collect::<Vec<_>>();
    let z = Dataset::notebook().inputs().dot(&ndarray::Array1::from(weights(12.0)));
    assert!(z.iter().any(|z| z.abs() > 10.0), "saturated: X·w = {z}");
    check(Architecture::OneLayer, 1, 12.0, &[], 1e-4);
    check(Architecture::two_layer(4), 1, 12.0, &[], 1e-4);
}
