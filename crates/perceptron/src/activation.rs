//! The logistic sigmoid `σ(x) = 1 / (1 + e^(−x))` and its derivative written in
//! terms of the output, `σ'(x) = o·(1 − o)` with `o = σ(x)`.
//!
//! The formula is the notebook's (`1.0/(1 + np.exp(-x))`), kept literally so that
//! every output rounds as NumPy's does. It is total on finite inputs: for
//! `x < −709.78` the exponential overflows to `+∞` and `1/(1 + ∞) = 0`, which is
//! the correctly rounded limit; for `x > 36.7` it returns exactly `1`. It never
//! returns NaN or ±∞ for a finite `x`, and its value is always in `[0, 1]`.

/// `σ(x) = 1 / (1 + e^(−x))`, in `[0, 1]` for every finite `x` (NaN only for NaN).
///
/// ```
/// use perceptron::sigmoid;
/// assert_eq!(sigmoid(0.0), 0.5);
/// assert_eq!(sigmoid(-1e308), 0.0);
/// assert_eq!(sigmoid(1e308), 1.0);
/// ```
#[inline]
pub fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// `σ'` from the sigmoid's output: `o·(1 − o)` (the notebook's `sigmoid_prime`);
/// the one place the fast path's kernels take it from too.
#[inline(always)]
pub fn sigmoid_prime_from_output(o: f64) -> f64 {
    o * (1.0 - o)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn matches_numpy_at_a_few_points() {
        // >>> def sigmoid(x): return 1.0/(1 + np.exp(-x))
        // >>> [repr(sigmoid(x)) for x in (-1.1659559905948520, 0.0, 2.0, -745.0, 710.0)]
        // ['0.23758673568679323', '0.5', '0.8807970779778823', '0.0', '1.0']
        let cases = [
            (-1.165_955_990_594_852, 0.237_586_735_686_793_23),
            (0.0, 0.5),
            (2.0, 0.880_797_077_977_882_3),
            (-745.0, 0.0),
            (710.0, 1.0),
        ];
        for (x, want) in cases {
            assert_eq!(sigmoid(x), want, "sigmoid({x})");
        }
    }

    proptest! {
        #[test]
        fn finite_input_gives_value_in_unit_interval(x in proptest::num::f64::NORMAL | proptest::num::f64::SUBNORMAL | proptest::num::f64::ZERO) {
            let o = sigmoid(x);
            prop_assert!((0.0..=1.0).contains(&o), "sigmoid({x}) = {o}");
            let d = sigmoid_prime_from_output(o);
            prop_assert!((0.0..=0.25).contains(&d));
        }
    }
}
