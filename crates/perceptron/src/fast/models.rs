//! The models' weights, `L` runs at a time, stored `[weight][lane]`, and the
//! one-layer step. (The two-layer steps are in `two_layer.rs`.)

use super::rows::Step;
use super::sums::sigmoid_all;
use super::two_layer::{self, Scratch};
use crate::exp::Exp;
use crate::{Architecture, MAX_ROWS, Network, sigmoid_prime_from_output};

/// The state of `L` runs of one model in lockstep, weights stored `[weight][lane]`.
pub(super) trait Model<const L: usize>: Clone {
    /// Whether a block of unchecked steps runs on a copy of the weights, which
    /// replaces them if it ends finite, or on the weights where they are
    /// stored, with a copy kept for a replay. A copy of at most 32 weights
    /// (256 bytes) stays in registers: eight one-layer lanes measured 12–17 %
    /// faster on a copy; a larger one is spilled: eight H=4 lanes measured
    /// 14–24 % slower on a copy.
    const STEP_A_COPY: bool = size_of::<Self>() <= 256;
    /// The weights in [`Network::weights`]' order, as three slices (`w` and
    /// nothing, or `W1` row-major, `W2` and `b2`, empty without the bias).
    fn layers(&self) -> [&[[f64; L]]; 3];
    /// [`Model::layers`], mutable.
    fn layers_mut(&mut self) -> [&mut [[f64; L]]; 3];
    /// One full-batch step of every lane with the exponential `E`: `W ← W + lr·g`
    /// whatever the result (the caller checks finiteness, see `run_blocks`).
    /// `WATCH`: fill [`Step::max_error`] and [`Step::loss`].
    fn step<E: Exp, const N: usize, const WATCH: bool>(&mut self, cx: &mut Step<'_, L, N>);
}

/// The models, one variant per storage: fixed-size arrays for `H = 1, 2, 4, 8`
/// (every loop bound a constant), `Vec`s for other hidden sizes.
#[derive(Clone, Debug)]
pub(super) enum Kind<const L: usize> {
    One(OneLayer<L>),
    H1(FixedTwoLayer<L, 1>),
    H2(FixedTwoLayer<L, 2>),
    H4(FixedTwoLayer<L, 4>),
    H8(FixedTwoLayer<L, 8>),
    Any(AnyTwoLayer<L>),
}

/// Runs `$body` with `$model` bound to the [`Model`] inside a [`Kind`].
macro_rules! with_model {
    ($kind:expr, $model:ident => $body:expr) => {
        match $kind {
            Kind::One($model) => $body,
            Kind::H1($model) => $body,
            Kind::H2($model) => $body,
            Kind::H4($model) => $body,
            Kind::H8($model) => $body,
            Kind::Any($model) => $body,
        }
    };
}
pub(super) use with_model;

impl<const L: usize> Kind<L> {
    /// `nets` (1 to `L` networks of one architecture) in lanes, the last one
    /// repeated in unused lanes.
    pub(super) fn load(architecture: Architecture, nets: &[Network]) -> Self {
        match architecture {
            Architecture::OneLayer => Kind::One(load(OneLayer { w: [[0.0; L]; 3] }, nets)),
            Architecture::TwoLayer { hidden: 1, output_bias } => Kind::H1(load(FixedTwoLayer::new(output_bias), nets)),
            Architecture::TwoLayer { hidden: 2, output_bias } => Kind::H2(load(FixedTwoLayer::new(output_bias), nets)),
            Architecture::TwoLayer { hidden: 4, output_bias } => Kind::H4(load(FixedTwoLayer::new(output_bias), nets)),
            Architecture::TwoLayer { hidden: 8, output_bias } => Kind::H8(load(FixedTwoLayer::new(output_bias), nets)),
            Architecture::TwoLayer { hidden, output_bias } => {
                Kind::Any(load(AnyTwoLayer::new(hidden, output_bias), nets))
            }
        }
    }

    /// Moves the model to run-time-sized storage: the fixed two-layer sizes
    /// become [`AnyTwoLayer`] (the same arithmetic). The large row storage
    /// runs only [`OneLayer`] and [`AnyTwoLayer`], so that it adds two
    /// kernels, not six.
    pub(super) fn make_run_time_sized(&mut self) {
        let (hidden, [a, b, c]) = match self {
            Kind::One(_) | Kind::Any(_) => return,
            Kind::H1(m) => (1, m.layers()),
            Kind::H2(m) => (2, m.layers()),
            Kind::H4(m) => (4, m.layers()),
            Kind::H8(m) => (8, m.layers()),
        };
        let mut any = AnyTwoLayer::new(hidden, !c.is_empty());
        any.w1.copy_from_slice(a);
        any.w2.copy_from_slice(b);
        any.b2.b2 = c.first().copied().unwrap_or([0.0; L]);
        *self = Kind::Any(any);
    }

    /// The weights of lane `l`, in [`Network::weights`]' order.
    pub(super) fn lane(&self, l: usize) -> Vec<f64> {
        with_model!(self, model => lane(model, l))
    }
}

/// The weights of lane `l` of `model`, in [`Network::weights`]' order.
pub(super) fn lane<const L: usize, M: Model<L>>(model: &M, l: usize) -> Vec<f64> {
    let [a, b, c] = model.layers();
    a.iter().chain(b).chain(c).map(|v| v[l]).collect()
}

/// `model` with lane `l` holding `nets[l]` (the last network repeated in unused lanes).
fn load<const L: usize, M: Model<L>>(mut model: M, nets: &[Network]) -> M {
    let [a, b, c] = model.layers_mut();
    let slots = a.len() + b.len() + c.len();
    assert!(nets.iter().all(|n| n.weights().count() == slots), "{slots} weights a network, as the model stores");
    for l in 0..L {
        let slots = a.iter_mut().chain(b.iter_mut()).chain(c.iter_mut());
        for (slot, v) in slots.zip(nets[l.min(nets.len() - 1)].weights()) {
            slot[l] = v;
        }
    }
    model
}

/// Which lanes of `model` have every weight finite. `w·0` is `±0` for a
/// finite `w` and NaN for `±∞` or NaN, so a lane's sum of them is zero exactly
/// when all its weights are finite (one multiply-add per weight, vectorised
/// across lanes).
#[inline(always)]
pub(super) fn finite_lanes<const L: usize, M: Model<L>>(model: &M) -> [bool; L] {
    let [a, b, c] = model.layers();
    let mut zero = [0.0f64; L];
    for v in a.iter().chain(b).chain(c) {
        for l in 0..L {
            zero[l] += v[l] * 0.0;
        }
    }
    std::array::from_fn(|l| zero[l] == 0.0)
}

/// Lane `to` of `model` takes lane `from` of `source`'s weights.
pub(super) fn copy_lane<const L: usize, M: Model<L>>(model: &mut M, to: usize, source: &M, from: usize) {
    let [a, b, c] = model.layers_mut();
    let [sa, sb, sc] = source.layers();
    for (w, s) in a.iter_mut().zip(sa).chain(b.iter_mut().zip(sb)).chain(c.iter_mut().zip(sc)) {
        w[to] = s[from];
    }
}

/// `L` one-layer runs: `w[k][lane]`.
#[derive(Clone, Debug)]
pub(super) struct OneLayer<const L: usize> {
    w: [[f64; L]; 3],
}

impl<const L: usize> Model<L> for OneLayer<L> {
    fn layers(&self) -> [&[[f64; L]]; 3] {
        [&self.w, &[], &[]]
    }

    fn layers_mut(&mut self) -> [&mut [[f64; L]]; 3] {
        [&mut self.w, &mut [], &mut []]
    }

    /// `o = σ(X·w)`, `δ = (y − o)·(o·(1 − o))`, `w ← w + lr·Xᵀδ`; `X·w` sums
    /// `x_k·w_k` for `k = 0, 1, 2` from `0.0`, `Xᵀδ` over rows from `0.0`.
    #[inline(always)]
    fn step<E: Exp, const N: usize, const WATCH: bool>(&mut self, cx: &mut Step<'_, L, N>) {
        let (w, rows, n) = (&mut self.w, cx.rows, cx.rows.len());
        // o = σ(X·w): first every z, then every σ (n·L independent exponentials in a row).
        let mut o = [[0.0f64; L]; N];
        for i in 0..n {
            let x = rows.x[i];
            for l in 0..L {
                o[i][l] = 0.0 + x[0] * w[0][l] + x[1] * w[1][l] + x[2] * w[2][l];
            }
        }
        sigmoid_all::<E>(o[..n].as_flattened_mut());
        let mut g = [[0.0f64; L]; 3];
        let mut errors = [[0.0f64; L]; N];
        for i in 0..n {
            let x = rows.x[i];
            for l in 0..L {
                let o = o[i][l];
                let e = rows.y[i] - o;
                if WATCH {
                    cx.max_error[l] = cx.max_error[l].max(e.abs());
                    errors[i][l] = e;
                }
                let d = e * sigmoid_prime_from_output(o);
                for k in 0..3 {
                    g[k][l] += x[k] * d;
                }
            }
        }
        if WATCH {
            // A padded row's error is exactly 0 (its output is σ(0) = ½, its target ½).
            cx.set_loss(&errors);
        }
        // W + lr·g into a new array, then stored: updating `w` in place
        // compiled to shuffles between lanes (eight lanes 20 % slower).
        for k in 0..3 {
            for l in 0..L {
                g[k][l] = w[k][l] + cx.lr * g[k][l];
            }
        }
        *w = g;
    }
}

/// The output bias of `L` two-layer runs: `b2[lane]`, a weight only if `on`
/// (off, it stays `+0.0` and is neither read nor updated by a step, so that a
/// model without the bias computes exactly what it did before the bias
/// existed; one branch a step chooses).
#[derive(Clone, Copy, Debug)]
pub(super) struct OutputBias<const L: usize> {
    pub(super) on: bool,
    pub(super) b2: [f64; L],
}

impl<const L: usize> OutputBias<L> {
    fn new(on: bool) -> Self {
        Self { on, b2: [0.0; L] }
    }

    /// `b2` as [`Model::layers`]' third slice: one weight, or none.
    fn layer(&self) -> &[[f64; L]] {
        if self.on { std::slice::from_ref(&self.b2) } else { &[] }
    }

    fn layer_mut(&mut self) -> &mut [[f64; L]] {
        if self.on { std::slice::from_mut(&mut self.b2) } else { &mut [] }
    }
}

/// `L` two-layer runs with `H` hidden units (the common sizes, on the stack):
/// `w1[k][j][lane]`, `w2[j][lane]`, `b2[lane]`.
#[derive(Clone, Debug)]
pub(super) struct FixedTwoLayer<const L: usize, const H: usize> {
    w1: [[[f64; L]; H]; 3],
    w2: [[f64; L]; H],
    b2: OutputBias<L>,
}

impl<const L: usize, const H: usize> FixedTwoLayer<L, H> {
    fn new(output_bias: bool) -> Self {
        Self { w1: [[[0.0; L]; H]; 3], w2: [[0.0; L]; H], b2: OutputBias::new(output_bias) }
    }
}

impl<const L: usize, const H: usize> Model<L> for FixedTwoLayer<L, H> {
    /// Measured on `W1` and `W2` (the bias, when on, adds one lane vector).
    const STEP_A_COPY: bool = 4 * H * L * size_of::<f64>() <= 256;

    fn layers(&self) -> [&[[f64; L]]; 3] {
        [self.w1.as_flattened(), &self.w2, self.b2.layer()]
    }

    fn layers_mut(&mut self) -> [&mut [[f64; L]]; 3] {
        [self.w1.as_flattened_mut(), &mut self.w2, self.b2.layer_mut()]
    }

    #[inline(always)]
    fn step<E: Exp, const N: usize, const WATCH: bool>(&mut self, cx: &mut Step<'_, L, N>) {
        let mut h = [[[0.0; L]; H]; N];
        let mut g1 = [[[0.0; L]; H]; 3];
        let mut g2 = [[0.0; L]; H];
        let scratch = Scratch { h: h.as_flattened_mut(), g1: g1.as_flattened_mut(), g2: &mut g2 };
        let weights = two_layer::Weights { w1: self.w1.as_flattened_mut(), w2: &mut self.w2, b2: &mut self.b2 };
        two_layer::step::<E, L, N, WATCH>(H, weights, scratch, cx);
    }
}

/// `L` two-layer runs with any hidden size: `w1[k·H + j][lane]`, `w2[j][lane]`,
/// `b2[lane]`, with scratch.
#[derive(Clone, Debug)]
pub(super) struct AnyTwoLayer<const L: usize> {
    hidden: usize,
    w1: Vec<[f64; L]>,
    w2: Vec<[f64; L]>,
    b2: OutputBias<L>,
    h: Vec<[f64; L]>,
    g1: Vec<[f64; L]>,
    g2: Vec<[f64; L]>,
}

impl<const L: usize> AnyTwoLayer<L> {
    fn new(hidden: usize, output_bias: bool) -> Self {
        let zeros = |len| vec![[0.0; L]; len];
        Self {
            hidden,
            w1: zeros(3 * hidden),
            w2: zeros(hidden),
            b2: OutputBias::new(output_bias),
            h: zeros(MAX_ROWS * hidden),
            g1: zeros(3 * hidden),
            g2: zeros(hidden),
        }
    }
}

impl<const L: usize> Model<L> for AnyTwoLayer<L> {
    fn layers(&self) -> [&[[f64; L]]; 3] {
        [&self.w1, &self.w2, self.b2.layer()]
    }

    fn layers_mut(&mut self) -> [&mut [[f64; L]]; 3] {
        [&mut self.w1, &mut self.w2, self.b2.layer_mut()]
    }

    #[inline(always)]
    fn step<E: Exp, const N: usize, const WATCH: bool>(&mut self, cx: &mut Step<'_, L, N>) {
        let scratch = Scratch { h: &mut self.h, g1: &mut self.g1, g2: &mut self.g2 };
        let weights = two_layer::Weights { w1: &mut self.w1, w2: &mut self.w2, b2: &mut self.b2 };
        two_layer::step::<E, L, N, WATCH>(self.hidden, weights, scratch, cx);
    }
}
