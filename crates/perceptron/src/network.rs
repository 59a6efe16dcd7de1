//! The readable reference implementation, written with ndarray in the notebook's
//! words. Every other implementation (the fast path in [`crate::fast`], the candle
//! twin) is checked against this one.
//!
//! One layer, `X: [n, 3]`, `y: [n]`, `w: [3]`:
//! ```text
//! o = σ(X·w)                       δ = (y − o) ⊙ (o ⊙ (1 − o))
//! w ← w + lr · Xᵀδ
//! ```
//! Two layers, `W1: [3, H]`, `W2: [H]`, and an output bias `b2` where the
//! architecture has one (a weight fed by a constant 1; without it, read `b2 = 0`
//! and never updated):
//! ```text
//! h  = σ(X·W1)     [n, H]          o  = σ(h·W2 + b2)                  [n]
//! d2 = (y − o) ⊙ (o ⊙ (1 − o))     d1 = (d2 ⊗ W2) ⊙ (h ⊙ (1 − h))     [n, H]
//! W2 ← W2 + lr · hᵀd2              W1 ← W1 + lr · Xᵀd1     b2 ← b2 + lr · Σᵢ d2ᵢ
//! ```
//! (all three from the weights before the step; `h·W2 + b2` adds `b2` to the
//! finished product, and `Σᵢ d2ᵢ` sums from `0.0` in row order).
//! `Xᵀδ` is `−∂L/∂w` for the loss `L = ½ Σ (y − o)²`, so a step is plain
//! gradient descent; [`Network::loss_gradient`] returns `∂L/∂w` itself.
//!
//! Floating-point order: `σ` and `σ'` round as the notebook's NumPy lines do
//! (`errors*sigmoid_prime(outputs)` multiplies the error by `o·(1 − o)`).
//! Sums run in ndarray's order: sequentially from 0 for fewer than 8 terms, with
//! ndarray's eight partial sums beyond. The matrix–matrix products of the two
//! layers' first layer, `X·W1` and `Xᵀd1`, go to matrixmultiply's `dgemm`
//! instead: sequentially from 0 too, but with one fused multiply-add per term
//! where it has a fused kernel for the CPU (x86-64 with FMA and AVX2). The fast
//! path copies all of this, so the two agree bit for bit.

use ndarray::{Array1, Array2, Axis};
use ndarray_rand::RandomExt;

use crate::rng::{NumpyRng, NumpyUniform};
use crate::{Architecture, Dataset, sigmoid, sigmoid_prime_from_output};

/// The weights of a one- or two-layer network.
#[derive(Clone, Debug, PartialEq)]
pub enum Network {
    /// `w: [3]` (the notebook's `(3, 1)` column, flattened).
    OneLayer {
        /// Input → output weights.
        w: Array1<f64>,
    },
    /// `W1: [3, H]`, `W2: [H]`, `b2` if the output unit has a bias.
    TwoLayer {
        /// Input → hidden weights.
        w1: Array2<f64>,
        /// Hidden → output weights (the `(H, 1)` column, flattened).
        w2: Array1<f64>,
        /// The output unit's bias, if the architecture has one.
        b2: Option<f64>,
    },
}

impl Network {
    /// The initial weights NumPy draws after `np.random.seed(seed)`:
    /// `uniform(-1, 1, (3, 1))`, or `uniform(-1, 1, (3, H))` then `uniform(-1, 1, (H, 1))`,
    /// then with the output bias `uniform(-1, 1, (1, 1))`, from the same
    /// stream, row-major (so `W1` and `W2` are the same with or without `b2`).
    pub fn init(architecture: Architecture, seed: u32) -> Self {
        let mut rng = NumpyRng::new(seed);
        let uniform = NumpyUniform::new(-1.0, 1.0);
        match architecture {
            Architecture::OneLayer => Network::OneLayer { w: Array1::random_using(3, uniform, &mut rng) },
            Architecture::TwoLayer { hidden, output_bias } => {
                let w1 = Array2::random_using((3, hidden), uniform, &mut rng);
                let w2 = Array1::random_using(hidden, uniform, &mut rng);
                let b2 = output_bias.then(|| Array1::random_using(1, uniform, &mut rng)[0]);
                Network::TwoLayer { w1, w2, b2 }
            }
        }
    }

    /// The architecture these weights belong to.
    pub fn architecture(&self) -> Architecture {
        match self {
            Network::OneLayer { .. } => Architecture::OneLayer,
            Network::TwoLayer { w2, b2, .. } => Architecture::TwoLayer { hidden: w2.len(), output_bias: b2.is_some() },
        }
    }

    /// The outputs `o: [n]` for inputs `X: [n, 3]`.
    pub fn forward(&self, x: &Array2<f64>) -> Array1<f64> {
        match self {
            Network::OneLayer { w } => x.dot(w).mapv(sigmoid),
            Network::TwoLayer { w1, w2, b2 } => output(x.dot(w1).mapv(sigmoid).dot(w2), *b2),
        }
    }

    /// The hidden values `h = σ(X·W1): [n, H]` for inputs `X: [n, 3]` (`None`
    /// for one layer): the same numbers [`Network::forward`] computes on its way.
    pub fn hidden_layer(&self, x: &Array2<f64>) -> Option<Array2<f64>> {
        match self {
            Network::OneLayer { .. } => None,
            Network::TwoLayer { w1, .. } => Some(x.dot(w1).mapv(sigmoid)),
        }
    }

    /// The output for one input row, e.g. the notebook's `[1, 0, 0]`.
    pub fn predict(&self, input: [f64; 3]) -> f64 {
        let x = Array2::from_shape_fn((1, 3), |(_, j)| input[j]);
        self.forward(&x)[0]
    }

    /// `L = ½ Σ (y − o)²` over the data set's rows.
    pub fn loss(&self, data: &Dataset) -> f64 {
        let e = data.targets() - &self.forward(data.inputs());
        0.5 * e.dot(&e)
    }

    /// The notebook's `deltaw` (`−∂L/∂w`), in the network's shapes.
    pub fn delta(&self, data: &Dataset) -> Network {
        let (x, y) = (data.inputs(), data.targets());
        match self {
            Network::OneLayer { w } => {
                let o = x.dot(w).mapv(sigmoid);
                let delta = (y - &o) * o.mapv(sigmoid_prime_from_output);
                Network::OneLayer { w: x.t().dot(&delta) }
            }
            Network::TwoLayer { w1, w2, b2 } => {
                let h = x.dot(w1).mapv(sigmoid);
                let o = output(h.dot(w2), *b2);
                let d2 = (y - &o) * o.mapv(sigmoid_prime_from_output);
                let d2_w2 = &d2.view().insert_axis(Axis(1)) * &w2.view().insert_axis(Axis(0));
                let d1 = d2_w2 * h.mapv(sigmoid_prime_from_output);
                let b2 = b2.map(|_| d2.iter().fold(0.0, |sum, d| sum + d));
                Network::TwoLayer { w1: x.t().dot(&d1), w2: h.t().dot(&d2), b2 }
            }
        }
    }

    /// `∂L/∂w` for `L = ½ Σ (y − o)²`: the negated [`Network::delta`].
    pub fn loss_gradient(&self, data: &Dataset) -> Network {
        let mut g = self.delta(data);
        g.map_weights(|v| -v);
        g
    }

    /// One full-batch step `w ← w + lr · delta`.
    ///
    /// Returns `false`, leaving the weights unchanged, if the step would make a
    /// weight non-finite (the run has diverged).
    pub fn step(&mut self, data: &Dataset, lr: f64) -> bool {
        let mut next = self.clone();
        match (&mut next, self.delta(data)) {
            (Network::OneLayer { w }, Network::OneLayer { w: d }) => w.scaled_add(lr, &d),
            (Network::TwoLayer { w1, w2, b2 }, Network::TwoLayer { w1: d1, w2: d2, b2: db2 }) => {
                w2.scaled_add(lr, &d2);
                w1.scaled_add(lr, &d1);
                if let (Some(b2), Some(db2)) = (b2, db2) {
                    *b2 += lr * db2;
                }
            }
            _ => unreachable!("delta has the network's own architecture"),
        }
        let finite = next.weights().all(f64::is_finite);
        if finite {
            *self = next;
        }
        finite
    }

    /// All weights in a fixed order: `w`, or `W1` row-major, then `W2`, then `b2` if any.
    pub fn weights(&self) -> impl Iterator<Item = f64> + '_ {
        let (a, b, c): (&[f64], &[f64], &[f64]) = match self {
            Network::OneLayer { w } => (w.as_slice().expect("standard layout"), &[], &[]),
            Network::TwoLayer { w1, w2, b2 } => {
                (w1.as_slice().expect("standard layout"), w2.as_slice().expect("standard layout"), b2.as_slice())
            }
        };
        a.iter().chain(b).chain(c).copied()
    }

    /// Names matching [`Network::weights`]: `w1..w3`, or `W1[i][j]`, `W2[j]` (0-based), `b2`.
    pub fn weight_names(architecture: Architecture) -> Vec<String> {
        match architecture {
            Architecture::OneLayer => (1..=3).map(|i| format!("w{i}")).collect(),
            Architecture::TwoLayer { hidden, output_bias } => (0..3)
                .flat_map(|i| (0..hidden).map(move |j| format!("W1[{i}][{j}]")))
                .chain((0..hidden).map(|j| format!("W2[{j}]")))
                .chain(output_bias.then(|| "b2".to_owned()))
                .collect(),
        }
    }

    /// Rebuilds a network from [`Network::weights`]' order.
    ///
    /// # Panics
    /// If `flat.len()` is not `architecture.weight_count()`.
    pub fn from_weights(architecture: Architecture, flat: &[f64]) -> Self {
        assert_eq!(flat.len(), architecture.weight_count(), "weights for {}", architecture.label());
        match architecture {
            Architecture::OneLayer => Network::OneLayer { w: Array1::from(flat.to_vec()) },
            Architecture::TwoLayer { hidden, output_bias } => Network::TwoLayer {
                w1: Array2::from_shape_vec((3, hidden), flat[..3 * hidden].to_vec()).expect("3·H weights"),
                w2: Array1::from(flat[3 * hidden..4 * hidden].to_vec()),
                b2: output_bias.then(|| flat[4 * hidden]),
            },
        }
    }

    /// The weight matrices as the notebook shapes them (inputs × outputs):
    /// one `[3, 1]`, or `[3, H]` and `[H, 1]`, then the output bias as a
    /// `[1, 1]` if there is one.
    pub fn layers(&self) -> Vec<Array2<f64>> {
        let column = |v: &Array1<f64>| v.clone().insert_axis(Axis(1));
        match self {
            Network::OneLayer { w } => vec![column(w)],
            Network::TwoLayer { w1, w2, b2 } => {
                let bias = b2.map(|b| Array2::from_elem((1, 1), b));
                [w1.clone(), column(w2)].into_iter().chain(bias).collect()
            }
        }
    }

    fn map_weights(&mut self, f: impl Fn(f64) -> f64 + Copy) {
        match self {
            Network::OneLayer { w } => w.mapv_inplace(f),
            Network::TwoLayer { w1, w2, b2 } => {
                w1.mapv_inplace(f);
                w2.mapv_inplace(f);
                if let Some(b2) = b2 {
                    *b2 = f(*b2);
                }
            }
        }
    }
}

/// `o = σ(z + b2)` for the output sums `z = h·W2`, or `σ(z)` without a bias.
fn output(z: Array1<f64>, b2: Option<f64>) -> Array1<f64> {
    match b2 {
        Some(b2) => z.mapv(|z| sigmoid(z + b2)),
        None => z.mapv(sigmoid),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_abs_diff_eq;

    #[test]
    fn init_matches_numpy_draws() {
        // >>> np.random.seed(1); np.random.uniform(-1.0, 1.0, size=(3, 1))
        // the notebook prints [[-0.16595599] [ 0.44064899] [-0.99977125]]; full digits:
        // [-0.165955990594852, 0.4406489868843162, -0.9997712503653102]
        let w: Vec<f64> = Network::init(Architecture::OneLayer, 1).weights().collect();
        assert_eq!(w, [-0.165_955_990_594_852, 0.440_648_986_884_316_2, -0.999_771_250_365_310_2]);
        // >>> np.random.seed(1); W1 = np.random.uniform(-1.0, 1.0, size=(3, 2)); W2 = np.random.uniform(-1.0, 1.0, size=(2, 1))
        // W1[0] = [-0.165955990594852, 0.4406489868843162], W2[1] is the 8th draw: -0.3088785459139045
        let two = Network::init(Architecture::two_layer(2), 1);
        let flat: Vec<f64> = two.weights().collect();
        assert_eq!(flat[..2], [-0.165_955_990_594_852, 0.440_648_986_884_316_2]);
        assert_eq!(flat[7], -0.308_878_545_913_904_5);
    }

    #[test]
    fn layers_have_notebook_shapes() {
        let two = Network::init(Architecture::two_layer(4), 3);
        let shapes: Vec<_> = two.layers().iter().map(|l| l.dim()).collect();
        assert_eq!(shapes, [(3, 4), (4, 1)]);
        let flat: Vec<f64> = two.weights().collect();
        assert_eq!(Network::from_weights(two.architecture(), &flat), two);
        assert_eq!(Network::weight_names(two.architecture()).len(), 16);
    }

    #[test]
    fn delta_is_minus_the_loss_gradient() {
        let data = Dataset::notebook();
        let net = Network::init(Architecture::two_layer(3), 7);
        let d: Vec<f64> = net.delta(&data).weights().collect();
        let g: Vec<f64> = net.loss_gradient(&data).weights().collect();
        for (a, b) in d.iter().zip(&g) {
            assert_abs_diff_eq!(*a, -*b, epsilon = 0.0);
        }
    }
}
