//! The fast path: the same arithmetic as [`crate::Network`], bit for bit, on
//! fixed-size arrays with no allocation in the loop, and `L` independent runs
//! ("lanes", structure of arrays across seeds: `w[weight][lane]`) interleaved
//! in one loop. The hidden sizes 1, 2, 4 and 8 have fixed-size storage, so
//! every loop bound is a constant; other sizes use the same step on `Vec`s.
//!
//! What bounds it: every σ calls libm's `exp` (glibc's costs about 50
//! instructions with its errno wrapper, and every vector register is lost
//! across the call), and a step needs `n` of them for one layer, `n·(H + 1)`
//! for two. One run also waits on the chain `dot → exp → σ → δ → update`; `L`
//! interleaved runs give the CPU `L` independent chains, so they are bounded by
//! the exponential's throughput instead (about 6.5 ns a call on the project's
//! 2-core EPYC: 26 ns per one-layer step, 130 ns per two-layer H=4 step, before
//! any other arithmetic). For H ≥ 4 one run already has enough independent
//! exponentials, and lanes gain little. Lanes do not change any lane's
//! arithmetic: each lane computes exactly what a single run computes.
//!
//! Order of operations (matching [`crate::Network`], see its module doc):
//! - `X·w` and `X·W1` sum `x_k·w_k` for `k = 0, 1, 2` starting from `0.0`;
//! - `h·W2` sums as ndarray's `unrolled_dot` (eight partial sums for `H ≥ 8`);
//! - `Xᵀδ`, `hᵀd2`, `Xᵀd1` sum over rows `i = 0..n` starting from `0.0`, except
//!   `hᵀd2` with `H = 1`, which sums as `unrolled_dot` (it differs from 8 rows on);
//! - `δ = (y − o)·(o·(1 − o))`, `d1 = (d2·W2_j)·(h·(1 − h))`, `w + lr·g`.
//!
//! A step that would make a lane's weights non-finite is not applied: the lane
//! keeps its last finite weights from then on and records the iteration at
//! which it diverged, as [`crate::Network::step`] and its callers do. The check
//! runs once per block of steps, not per step (see `Lanes::run_rows`).
//!
//! Optionally ([`Lanes::watch_errors`]) every step's largest training error
//! `max_i |y_i − o_i|` is compared with a few thresholds, for the exact
//! iteration from which a run stays below each ([`Lanes::settled_at`]).

use crate::{Architecture, Dataset, Network, sigmoid};

/// At most this many training rows (the notebook's table has 4).
const MAX_ROWS: usize = crate::MAX_ROWS;

/// Steps between two finite-weight checks (see `Lanes::run_rows`).
const BLOCK: u64 = 64;

/// At most this many thresholds can be watched at once.
pub const MAX_WATCHED: usize = 4;

/// Runs `$body` with `$model` bound to the [`Model`] inside a `Kind`.
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

/// `L` networks of one architecture trained in lockstep on one data set.
///
/// Lane `l` follows exactly the path [`Network::step`] takes from the same
/// weights. Unused lanes (fewer than `L` networks) train copies of the last one.
#[derive(Clone, Debug)]
pub struct Lanes<const L: usize> {
    architecture: Architecture,
    kind: Kind<L>,
    used: usize,
    iteration: u64,
    diverged: [Option<u64>; L],
    watch: Watch<L>,
}

/// Per watched threshold `θ_k` and lane, the last iteration `t` whose weights
/// `w_t` had `max_i |y_i − o_i| ≥ θ_k` (seen in the forward pass of step `t + 1`).
#[derive(Clone, Copy, Debug)]
struct Watch<const L: usize> {
    count: usize,
    thresholds: [f64; MAX_WATCHED],
    last_above: [[Option<u64>; L]; MAX_WATCHED],
}

impl<const L: usize> Watch<L> {
    /// Step `t + 1` saw the outputs of `w_t`, with largest errors `max_error`.
    #[inline(always)]
    fn observe(&mut self, t: u64, max_error: &[f64; L]) {
        for k in 0..self.count {
            for l in 0..L {
                if max_error[l] >= self.thresholds[k] {
                    self.last_above[k][l] = Some(t);
                }
            }
        }
    }
}

impl<const L: usize> Lanes<L> {
    /// Loads up to `L` networks, all of the same architecture.
    ///
    /// # Panics
    /// If `nets` is empty, longer than `L`, or mixes architectures.
    pub fn new(nets: &[Network]) -> Self {
        assert!(!nets.is_empty() && nets.len() <= L, "1..={L} networks, got {}", nets.len());
        let architecture = nets[0].architecture();
        assert!(nets.iter().all(|n| n.architecture() == architecture), "one architecture per batch");
        let kind = match architecture {
            Architecture::OneLayer => Kind::One(load(OneLayer { w: [[0.0; L]; 3] }, nets)),
            Architecture::TwoLayer { hidden: 1 } => Kind::H1(load(FixedTwoLayer::new(), nets)),
            Architecture::TwoLayer { hidden: 2 } => Kind::H2(load(FixedTwoLayer::new(), nets)),
            Architecture::TwoLayer { hidden: 4 } => Kind::H4(load(FixedTwoLayer::new(), nets)),
            Architecture::TwoLayer { hidden: 8 } => Kind::H8(load(FixedTwoLayer::new(), nets)),
            Architecture::TwoLayer { hidden } => Kind::Any(load(AnyTwoLayer::new(hidden), nets)),
        };
        let watch = Watch { count: 0, thresholds: [0.0; MAX_WATCHED], last_above: [[None; L]; MAX_WATCHED] };
        Self { architecture, kind, used: nets.len(), iteration: 0, diverged: [None; L], watch }
    }

    /// From now on, compare every step's largest training error
    /// `max_i |y_i − o_i|` with each threshold, for [`Lanes::settled_at`]. Costs a
    /// few comparisons per step; without it, none.
    ///
    /// # Panics
    /// More than [`MAX_WATCHED`] thresholds.
    pub fn watch_errors(&mut self, thresholds: &[f64]) {
        assert!(thresholds.len() <= MAX_WATCHED, "at most {MAX_WATCHED} thresholds, got {}", thresholds.len());
        self.watch.count = thresholds.len();
        self.watch.thresholds[..thresholds.len()].copy_from_slice(thresholds);
        self.watch.last_above = [[None; L]; MAX_WATCHED];
    }

    /// The first iteration `s` such that every `w_t` from `s` to now has
    /// `max |y − o| < thresholds[k]` on `data` (`Some(0)`: always below; `None`:
    /// not below now). Exact: every step since [`Lanes::watch_errors`] was watched.
    pub fn settled_at(&self, l: usize, k: usize, data: &Dataset) -> Option<u64> {
        let theta = self.watch.thresholds[k];
        let now = self.network(l).forward(data.inputs());
        let max_error = (data.targets() - &now).iter().fold(0.0f64, |m, e| m.max(e.abs()));
        if max_error >= theta {
            return None;
        }
        Some(self.watch.last_above[k][l].map_or(0, |t| t + 1))
    }

    /// Takes `steps` full-batch steps with learning rate `lr` on `data`.
    pub fn run(&mut self, data: &Dataset, lr: f64, steps: u64) {
        macro_rules! dispatch {
            ($($n:literal)*) => {
                match (data.len(), self.watch.count > 0) {
                    $(($n, false) => self.run_rows::<$n, false>(&Rows::new(data), lr, steps),
                      ($n, true) => self.run_rows::<$n, true>(&Rows::new(data), lr, steps),)*
                    (n, _) => unreachable!("a data set has 1..={MAX_ROWS} rows, got {n}"),
                }
            };
        }
        dispatch!(1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16)
    }

    /// Steps in blocks of [`BLOCK`] without the per-step finite check: a weight
    /// that becomes ±∞ or NaN stays so (`±∞ + x` is ±∞ or NaN, `NaN + x` is NaN),
    /// so weights that are finite after a block were finite after each of its
    /// steps. A block that ends non-finite is replayed from its start with the
    /// check, which then holds back the diverging lanes at the right step; once a
    /// lane has diverged, every later step is checked. `WATCH`: each step's
    /// largest errors go to the watch (restored with the weights on a replay).
    fn run_rows<const N: usize, const WATCH: bool>(&mut self, rows: &Rows<N>, lr: f64, steps: u64) {
        let (start, diverged, watch) = (self.iteration, &mut self.diverged, &mut self.watch);
        let end = start + steps;
        with_model!(&mut self.kind, model => {
            let step = |model: &mut _, t: u64, checked: bool, diverged: &mut [Option<u64>; L], watch: &mut Watch<L>| {
                let mut max_error = [0.0f64; L];
                if checked {
                    Model::step::<N, true, WATCH>(model, rows, lr, t, diverged, &mut max_error);
                } else {
                    Model::step::<N, false, WATCH>(model, rows, lr, t, diverged, &mut max_error);
                }
                if WATCH {
                    watch.observe(t - 1, &max_error);
                }
            };
            let mut t = start;
            while t < end {
                if diverged.iter().any(Option::is_some) {
                    t += 1;
                    step(model, t, true, diverged, watch);
                    continue;
                }
                let n = BLOCK.min(end - t);
                let before = (model.clone(), *watch);
                for s in 1..=n {
                    step(model, t + s, false, diverged, watch);
                }
                if !model.all_finite() {
                    (*model, *watch) = before;
                    for s in 1..=n {
                        step(model, t + s, true, diverged, watch);
                    }
                }
                t += n;
            }
        });
        self.iteration = end;
    }

    /// Steps taken so far.
    pub fn iteration(&self) -> u64 {
        self.iteration
    }

    /// How many lanes hold a caller's network.
    pub fn used(&self) -> usize {
        self.used
    }

    /// The step at which lane `l` diverged (its weights stopped there), if it did.
    pub fn diverged_at(&self, l: usize) -> Option<u64> {
        self.diverged[l]
    }

    /// True once every used lane has diverged: more steps would change nothing.
    pub fn all_diverged(&self) -> bool {
        self.diverged[..self.used].iter().all(Option::is_some)
    }

    /// The current weights of lane `l`.
    pub fn network(&self, l: usize) -> Network {
        let flat: Vec<f64> = with_model!(&self.kind, model => {
            let (a, b) = model.layers();
            a.iter().chain(b).map(|v| v[l]).collect()
        });
        Network::from_weights(self.architecture, &flat)
    }
}

/// The data set as fixed-size arrays (`N` rows).
#[derive(Clone, Copy, Debug)]
struct Rows<const N: usize> {
    x: [[f64; 3]; N],
    y: [f64; N],
}

impl<const N: usize> Rows<N> {
    fn new(data: &Dataset) -> Self {
        assert_eq!(data.len(), N);
        let (xs, ys) = (data.inputs(), data.targets());
        Self { x: std::array::from_fn(|i| std::array::from_fn(|k| xs[[i, k]])), y: std::array::from_fn(|i| ys[i]) }
    }
}

/// The state of `L` runs of one model in lockstep, weights stored `[weight][lane]`.
trait Model<const L: usize>: Clone {
    /// The weights in [`Network::weights`]' order, as two slices (`w` and nothing, or `W1` row-major and `W2`).
    fn layers(&self) -> (&[[f64; L]], &[[f64; L]]);
    /// [`Model::layers`], mutable.
    fn layers_mut(&mut self) -> (&mut [[f64; L]], &mut [[f64; L]]);
    /// One full-batch step of every lane. `CHECKED`: a lane whose new weights would not all be finite
    /// keeps its weights and, the first time, records `iteration` in `diverged`; otherwise every lane
    /// takes its step whatever the result.
    /// `WATCH`: `max_error[lane]` becomes the lane's largest `|y_i − o_i|` of this step's forward pass.
    fn step<const N: usize, const CHECKED: bool, const WATCH: bool>(
        &mut self,
        rows: &Rows<N>,
        lr: f64,
        iteration: u64,
        diverged: &mut [Option<u64>; L],
        max_error: &mut [f64; L],
    );

    /// Every weight of every lane is finite.
    fn all_finite(&self) -> bool {
        let (a, b) = self.layers();
        finite_lanes(&[a, b]).iter().all(|&f| f)
    }
}

/// `model` with lane `l` holding `nets[l]` (the last network repeated in unused lanes).
fn load<const L: usize, M: Model<L>>(mut model: M, nets: &[Network]) -> M {
    let (a, b) = model.layers_mut();
    for l in 0..L {
        for (m, v) in nets[l.min(nets.len() - 1)].weights().enumerate() {
            if m < a.len() {
                a[m][l] = v;
            } else {
                b[m - a.len()][l] = v;
            }
        }
    }
    model
}

#[derive(Clone, Debug)]
enum Kind<const L: usize> {
    One(OneLayer<L>),
    H1(FixedTwoLayer<L, 1>),
    H2(FixedTwoLayer<L, 2>),
    H4(FixedTwoLayer<L, 4>),
    H8(FixedTwoLayer<L, 8>),
    Any(AnyTwoLayer<L>),
}

/// `L` one-layer runs: `w[k][lane]`.
#[derive(Clone, Debug)]
struct OneLayer<const L: usize> {
    w: [[f64; L]; 3],
}

impl<const L: usize> Model<L> for OneLayer<L> {
    fn layers(&self) -> (&[[f64; L]], &[[f64; L]]) {
        (&self.w, &[])
    }

    fn layers_mut(&mut self) -> (&mut [[f64; L]], &mut [[f64; L]]) {
        (&mut self.w, &mut [])
    }

    #[inline(always)]
    fn step<const N: usize, const CHECKED: bool, const WATCH: bool>(
        &mut self,
        rows: &Rows<N>,
        lr: f64,
        iteration: u64,
        diverged: &mut [Option<u64>; L],
        max_error: &mut [f64; L],
    ) {
        let w = &self.w;
        // o = σ(X·w): first every z, then every σ (N·L independent exponentials in a row).
        let mut o = [[0.0f64; L]; N];
        for i in 0..N {
            let x = rows.x[i];
            for l in 0..L {
                o[i][l] = 0.0 + x[0] * w[0][l] + x[1] * w[1][l] + x[2] * w[2][l];
            }
        }
        for o in o.as_flattened_mut() {
            *o = sigmoid(*o);
        }
        // δ = (y − o)·(o·(1 − o)); g = Xᵀδ, summed over rows from 0.
        let mut g = [[0.0f64; L]; 3];
        for i in 0..N {
            let x = rows.x[i];
            for l in 0..L {
                let o = o[i][l];
                let e = rows.y[i] - o;
                if WATCH {
                    max_error[l] = max_error[l].max(e.abs());
                }
                let d = e * (o * (1.0 - o));
                for k in 0..3 {
                    g[k][l] += x[k] * d;
                }
            }
        }
        // The weights after the step, w + lr·g (where finite, if `CHECKED`).
        for k in 0..3 {
            for l in 0..L {
                g[k][l] = w[k][l] + lr * g[k][l];
            }
        }
        if CHECKED {
            let finite = finite_lanes(&[&g[..]]);
            commit(&mut self.w, &g, &finite, iteration, diverged);
        } else {
            self.w = g;
        }
    }
}

/// `L` two-layer runs with `H` hidden units (the common sizes, on the stack):
/// `w1[k][j][lane]`, `w2[j][lane]`.
#[derive(Clone, Debug)]
struct FixedTwoLayer<const L: usize, const H: usize> {
    w1: [[[f64; L]; H]; 3],
    w2: [[f64; L]; H],
}

impl<const L: usize, const H: usize> FixedTwoLayer<L, H> {
    fn new() -> Self {
        Self { w1: [[[0.0; L]; H]; 3], w2: [[0.0; L]; H] }
    }
}

impl<const L: usize, const H: usize> Model<L> for FixedTwoLayer<L, H> {
    fn layers(&self) -> (&[[f64; L]], &[[f64; L]]) {
        (self.w1.as_flattened(), &self.w2)
    }

    fn layers_mut(&mut self) -> (&mut [[f64; L]], &mut [[f64; L]]) {
        (self.w1.as_flattened_mut(), &mut self.w2)
    }

    #[inline(always)]
    fn step<const N: usize, const CHECKED: bool, const WATCH: bool>(
        &mut self,
        rows: &Rows<N>,
        lr: f64,
        iteration: u64,
        diverged: &mut [Option<u64>; L],
        max_error: &mut [f64; L],
    ) {
        let mut h = [[[0.0; L]; H]; N];
        let mut next1 = [[[0.0; L]; H]; 3];
        let mut next2 = [[0.0; L]; H];
        let scratch = Scratch { h: h.as_flattened_mut(), next1: next1.as_flattened_mut(), next2: &mut next2 };
        two_layer_step::<L, N, CHECKED, WATCH>(
            H,
            self.w1.as_flattened_mut(),
            &mut self.w2,
            scratch,
            rows,
            lr,
            iteration,
            diverged,
            max_error,
        );
    }
}

/// `L` two-layer runs with any hidden size: `w1[k·H + j][lane]`, `w2[j][lane]`, with scratch.
#[derive(Clone, Debug)]
struct AnyTwoLayer<const L: usize> {
    hidden: usize,
    w1: Vec<[f64; L]>,
    w2: Vec<[f64; L]>,
    h: Vec<[f64; L]>,
    next1: Vec<[f64; L]>,
    next2: Vec<[f64; L]>,
}

impl<const L: usize> AnyTwoLayer<L> {
    fn new(hidden: usize) -> Self {
        let zeros = |len| vec![[0.0; L]; len];
        Self {
            hidden,
            w1: zeros(3 * hidden),
            w2: zeros(hidden),
            h: zeros(MAX_ROWS * hidden),
            next1: zeros(3 * hidden),
            next2: zeros(hidden),
        }
    }
}

impl<const L: usize> Model<L> for AnyTwoLayer<L> {
    fn layers(&self) -> (&[[f64; L]], &[[f64; L]]) {
        (&self.w1, &self.w2)
    }

    fn layers_mut(&mut self) -> (&mut [[f64; L]], &mut [[f64; L]]) {
        (&mut self.w1, &mut self.w2)
    }

    fn step<const N: usize, const CHECKED: bool, const WATCH: bool>(
        &mut self,
        rows: &Rows<N>,
        lr: f64,
        iteration: u64,
        diverged: &mut [Option<u64>; L],
        max_error: &mut [f64; L],
    ) {
        let scratch = Scratch { h: &mut self.h, next1: &mut self.next1, next2: &mut self.next2 };
        two_layer_step::<L, N, CHECKED, WATCH>(
            self.hidden,
            &mut self.w1,
            &mut self.w2,
            scratch,
            rows,
            lr,
            iteration,
            diverged,
            max_error,
        );
    }
}

/// Working memory of a two-layer step: `h[i·H + j]`, and the weights after the step.
struct Scratch<'a, const L: usize> {
    h: &'a mut [[f64; L]],
    next1: &'a mut [[f64; L]],
    next2: &'a mut [[f64; L]],
}

/// One step of `L` two-layer runs with `hn` hidden units. Inlined into each
/// [`FixedTwoLayer`], where `hn` and every slice length are constants.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn two_layer_step<const L: usize, const N: usize, const CHECKED: bool, const WATCH: bool>(
    hn: usize,
    w1: &mut [[f64; L]],
    w2: &mut [[f64; L]],
    scratch: Scratch<'_, L>,
    rows: &Rows<N>,
    lr: f64,
    iteration: u64,
    diverged: &mut [Option<u64>; L],
    max_error: &mut [f64; L],
) {
    let (w1, w2) = (&mut w1[..3 * hn], &mut w2[..hn]);
    let (h, next1, next2) = (&mut scratch.h[..N * hn], &mut scratch.next1[..3 * hn], &mut scratch.next2[..hn]);
    // Forward, row by row: h_i = σ(x_i·W1), o_i = σ(h_i·W2), d2_i = (y_i − o_i)·(o_i·(1 − o_i)).
    let mut d2 = [[0.0f64; L]; N];
    for i in 0..N {
        let x = rows.x[i];
        let hi = &mut h[i * hn..(i + 1) * hn];
        for j in 0..hn {
            for l in 0..L {
                hi[j][l] = 0.0 + x[0] * w1[j][l] + x[1] * w1[hn + j][l] + x[2] * w1[2 * hn + j][l];
            }
        }
        for v in hi.as_flattened_mut() {
            *v = sigmoid(*v);
        }
        let z: [f64; L] = ndarray_sum(hn, |j| std::array::from_fn(|l| hi[j][l] * w2[j][l]));
        for l in 0..L {
            let o = sigmoid(z[l]);
            let e = rows.y[i] - o;
            if WATCH {
                max_error[l] = max_error[l].max(e.abs());
            }
            d2[i][l] = e * (o * (1.0 - o));
        }
    }
    // Backward, one hidden unit at a time: g2 = hᵀd2 and g1 = Xᵀd1 with
    // d1 = (d2·W2_j)·(h·(1 − h)), summed over rows from 0; then the weights
    // after the step, W + lr·g (the sums stay in registers).
    for j in 0..hn {
        let (w1_j, w2_j) = ([w1[j], w1[hn + j], w1[2 * hn + j]], w2[j]);
        let mut s2 = [0.0f64; L];
        let mut s1 = [[0.0f64; L]; 3];
        for i in 0..N {
            let (x, hij) = (rows.x[i], &h[i * hn + j]);
            for l in 0..L {
                let d1 = (d2[i][l] * w2_j[l]) * (hij[l] * (1.0 - hij[l]));
                s2[l] += hij[l] * d2[i][l];
                for k in 0..3 {
                    s1[k][l] += x[k] * d1;
                }
            }
        }
        if hn == 1 && N >= 8 {
            // With one hidden unit the reference's `hᵀ` has contiguous rows, so
            // ndarray's dot sums hᵀd2 as `unrolled_dot` (eight partial sums from 8 rows).
            s2 = ndarray_sum(N, |i| std::array::from_fn(|l| h[i][l] * d2[i][l]));
        }
        // Unchecked, unit j's weights are updated in place: nothing later in
        // the step reads them.
        let (out1, out2) = if CHECKED { (&mut *next1, &mut *next2) } else { (&mut *w1, &mut *w2) };
        for l in 0..L {
            out2[j][l] = w2_j[l] + lr * s2[l];
        }
        for k in 0..3 {
            for l in 0..L {
                out1[k * hn + j][l] = w1_j[k][l] + lr * s1[k][l];
            }
        }
    }
    if CHECKED {
        let finite = finite_lanes(&[&*next1, &*next2]);
        commit(w1, next1, &finite, iteration, diverged);
        commit(w2, next2, &finite, iteration, diverged);
    }
}

/// Which lanes have every weight in `next` finite. `w·0` is `±0` for a finite
/// `w` and NaN for `±∞` or NaN, so a lane's sum of them is zero exactly when all
/// its weights are finite (one multiply-add per weight, vectorised across lanes).
#[inline(always)]
fn finite_lanes<const L: usize>(next: &[&[[f64; L]]]) -> [bool; L] {
    let mut zero = [0.0f64; L];
    for n in next {
        for v in *n {
            for l in 0..L {
                zero[l] += v[l] * 0.0;
            }
        }
    }
    std::array::from_fn(|l| zero[l] == 0.0)
}

/// `w ← next` in the lanes that have not diverged. A lane whose `next` is not
/// all finite diverges at `iteration` (the first time); a diverged lane keeps
/// its weights from then on, even if a later step (at another learning rate)
/// would be finite, as [`Network::step`]'s callers stop stepping it.
#[inline(always)]
fn commit<const L: usize>(
    w: &mut [[f64; L]],
    next: &[[f64; L]],
    finite: &[bool; L],
    iteration: u64,
    diverged: &mut [Option<u64>; L],
) {
    for l in 0..L {
        if !finite[l] && diverged[l].is_none() {
            diverged[l] = Some(iteration);
        }
    }
    if diverged.iter().all(Option::is_none) {
        w.copy_from_slice(next);
        return;
    }
    for (w, next) in w.iter_mut().zip(next) {
        for l in 0..L {
            if diverged[l].is_none() {
                w[l] = next[l];
            }
        }
    }
}

/// Sums `term(0..n)` lane by lane in the order of ndarray's `unrolled_dot`:
/// eight partial sums over whole chunks of 8, combined as `(p0+p4), (p1+p5),
/// (p2+p6), (p3+p7)`, then the remaining terms one by one.
#[inline(always)]
fn ndarray_sum<const L: usize>(n: usize, term: impl Fn(usize) -> [f64; L]) -> [f64; L] {
    let mut p = [[0.0f64; L]; 8];
    let chunks = n / 8;
    for c in 0..chunks {
        for u in 0..8 {
            let t = term(8 * c + u);
            for l in 0..L {
                p[u][l] += t[l];
            }
        }
    }
    let mut sum = [0.0f64; L];
    for l in 0..L {
        sum[l] += p[0][l] + p[4][l];
        sum[l] += p[1][l] + p[5][l];
        sum[l] += p[2][l] + p[6][l];
        sum[l] += p[3][l] + p[7][l];
    }
    for k in 8 * chunks..n {
        let t = term(k);
        for l in 0..L {
            sum[l] += t[l];
        }
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `Lanes<L>` from `nets`, run for `steps` steps at each learning rate of
    /// `segments` in turn, against as many calls of [`Network::step`] per
    /// network: the same weights bit for bit, and the same divergence step.
    #[track_caller]
    fn check<const L: usize>(nets: &[Network], removed: &[usize], segments: &[(f64, u64)]) {
        let data = Dataset::without_rows(removed).unwrap();
        let mut lanes = Lanes::<L>::new(nets);
        for &(lr, steps) in segments {
            lanes.run(&data, lr, steps);
        }
        let bits = |n: &Network| n.weights().map(f64::to_bits).collect::<Vec<_>>();
        for (l, start) in nets.iter().enumerate() {
            let mut reference = start.clone();
            let (mut t, mut diverged_at) = (0, None);
            for &(lr, steps) in segments {
                for _ in 0..steps {
                    t += 1;
                    if diverged_at.is_none() && !reference.step(&data, lr) {
                        diverged_at = Some(t);
                    }
                }
            }
            let label = format!("{} lane {l} of {L}, rows {removed:?} removed", start.architecture().label());
            assert_eq!(lanes.diverged_at(l), diverged_at, "{label}");
            assert!(bits(&lanes.network(l)) == bits(&reference), "{label}");
        }
    }

    fn init(architecture: Architecture, seeds: impl IntoIterator<Item = u32>) -> Vec<Network> {
        seeds.into_iter().map(|s| Network::init(architecture, s)).collect()
    }

    #[test]
    fn every_storage_and_width_matches_the_reference() {
        // Fixed-size storage for H = 1, 2, 4, 8; `AnyTwoLayer` for 3 and 9 (9 uses
        // ndarray's eight-way partial sums in h·W2). Three networks in four lanes
        // leave a lane unused.
        for hidden in [1, 2, 3, 4, 8, 9] {
            let architecture = Architecture::TwoLayer { hidden };
            check::<4>(&init(architecture, [3, 4, 5]), &[], &[(0.9, 300)]);
            check::<2>(&init(architecture, [6, 7]), &[1], &[(1.0, 300)]);
        }
        check::<16>(&init(Architecture::OneLayer, 0..16), &[0, 2], &[(1.0, 300)]);
        check::<1>(&init(Architecture::OneLayer, [8]), &[3], &[(2.5, 300)]);
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
        check::<4>(&nets, &[], &[(1e308, 5)]);
        check::<4>(&nets, &[], &[(1.0, 100), (1e308, 70), (1.0, 30)]);
        let mut lanes = Lanes::<4>::new(&nets);
        lanes.run(&Dataset::notebook(), 1.0, 100);
        lanes.run(&Dataset::notebook(), 1e308, 5);
        let diverged: Vec<_> = (0..3).map(|l| lanes.diverged_at(l)).collect();
        assert_eq!(diverged, [None, Some(101), None], "only the middle lane diverges");
    }

    #[test]
    fn ndarray_sum_matches_ndarray_dot() {
        for n in [1, 3, 7, 8, 9, 16, 23] {
            let a = ndarray::Array1::from_shape_fn(n, |i| 0.1 + (i as f64).sin());
            let b = ndarray::Array1::from_shape_fn(n, |i| 1.0 / (1.0 + i as f64) - 0.3);
            assert_eq!(ndarray_sum(n, |i| [a[i] * b[i]])[0].to_bits(), a.dot(&b).to_bits(), "n = {n}");
        }
    }
}
