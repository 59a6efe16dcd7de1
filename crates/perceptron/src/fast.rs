//! The fast path: the same arithmetic as [`crate::Network`], bit for bit, on
//! fixed-size arrays with no allocation in the loop, and `L` independent runs
//! ("lanes", structure of arrays across seeds: `w[weight][lane]`) interleaved
//! in one loop. The hidden sizes 1, 2, 4 and 8 have fixed-size storage, so
//! every loop bound is a constant; other sizes use the same step on `Vec`s.
//!
//! Every σ's exponential is [`crate::exp`]'s choice for the process: the
//! inline table method, bit-identical to glibc's FMA `exp`, with the whole step
//! loop compiled for AVX2 + FMA (σ four lanes at a time), or for AVX-512 where
//! the CPU has it and the batch has eight lanes (σ eight at a time)
//! ([`crate::exp`]'s dispatch); or libm's `exp`. A step needs `n` of them for
//! one layer, `n·(H + 1)` for two; they are taken in batches (all rows' `z`,
//! then every σ), so one run already has `n` or `n·H` independent ones. One run
//! waits on the chain `dot → exp → σ → δ → update`; `L` interleaved runs give
//! the CPU `L` independent chains. Lanes do not change any lane's arithmetic:
//! each lane computes exactly what a single run computes. (Timings: the
//! benches and the README's Performance section.)
//!
//! Rows: data sets of 1 to [`MAX_ROWS`] rows. Up to 4 rows (the notebook's
//! table and its subsets) the row count is a compile-time constant, so every
//! loop is unrolled; 5 to 16 rows share one instance with 16-row storage and a
//! run-time row count.
//!
//! Order of operations (matching [`crate::Network`], see its module doc):
//! - `X·w` and `X·W1` sum `x_k·w_k` for `k = 0, 1, 2` starting from `0.0`;
//!   `X·W1` and `Xᵀd1` round each `x·w + s` once where the reference's matrix
//!   product does (a fused multiply-add, see [`gemm_mul_add`]; the same bits
//!   as a multiply then an add for inputs 0 and 1);
//! - `h·W2` sums as ndarray's `unrolled_dot` (eight partial sums for `H ≥ 8`);
//! - `Xᵀδ`, `hᵀd2`, `Xᵀd1` sum over rows `i = 0..n` starting from `0.0`, except
//!   `hᵀd2` with `H = 1`, which sums as `unrolled_dot` (it differs from 8 rows on).
//!   Lanes (`L ≥ 2`) take the two-layer sums one hidden unit at a time (each
//!   unit's sums, a vector of lanes, stay in registers); a single run (`L = 1`)
//!   takes them one row at a time, all hidden units at once (a row's units are
//!   one vector). Both add the same terms to each sum in the same order;
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

use crate::exp::{self, Exp, Implementation, Kernel, Lanewise};
use crate::{Architecture, Dataset, Network};

/// At most this many training rows (the notebook's table has 4).
pub const MAX_ROWS: usize = crate::MAX_ROWS;

/// Up to this many rows, the row count is a compile-time constant (see the module doc).
const EXACT_ROWS: usize = 4;

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
    ///
    /// # Panics
    /// If `data` has more than [`MAX_ROWS`] rows.
    pub fn run(&mut self, data: &Dataset, lr: f64, steps: u64) {
        self.run_with(exp::chosen(), data, lr, steps);
    }

    /// [`Lanes::run`] with a given exponential, whatever the probe chose
    /// (benches and tests compare them; the inline ones fall
    /// back to libm on a CPU without AVX2 and FMA).
    ///
    /// # Panics
    /// If `data` has more than [`MAX_ROWS`] rows.
    pub fn run_with(&mut self, implementation: Implementation, data: &Dataset, lr: f64, steps: u64) {
        let job = (implementation, lr, steps);
        match data.len() {
            1 => self.run_n::<1>(job, &Rows::new(data)),
            2 => self.run_n::<2>(job, &Rows::new(data)),
            3 => self.run_n::<3>(job, &Rows::new(data)),
            4 => self.run_n::<4>(job, &Rows::new(data)),
            n if n <= MAX_ROWS => self.run_n::<MAX_ROWS>(job, &Rows::new(data)),
            n => panic!("a data set for the fast path has 1..={MAX_ROWS} rows, got {n}"),
        }
    }

    fn run_n<const N: usize>(&mut self, (implementation, lr, steps): (Implementation, f64, u64), rows: &Rows<N>) {
        if self.watch.count > 0 {
            exp::dispatch_with(implementation, Run::<'_, L, N, true> { lanes: self, rows, lr, steps });
        } else {
            exp::dispatch_with(implementation, Run::<'_, L, N, false> { lanes: self, rows, lr, steps });
        }
    }

    /// Steps in blocks of [`BLOCK`] without the per-step finite check: a weight
    /// that becomes ±∞ or NaN stays so (`±∞ + x` is ±∞ or NaN, `NaN + x` is NaN),
    /// so weights that are finite after a block were finite after each of its
    /// steps. A block that ends non-finite is replayed from its start with the
    /// check, which then holds back the diverging lanes at the right step; once a
    /// lane has diverged, every later step is checked. `WATCH`: each step's
    /// largest errors go to the watch (restored with the weights on a replay).
    #[inline(always)]
    fn run_rows<E: Exp, const N: usize, const WATCH: bool>(&mut self, rows: &Rows<N>, lr: f64, steps: u64) {
        let (start, diverged, watch) = (self.iteration, &mut self.diverged, &mut self.watch);
        let end = start + steps;
        // Each kind of step appears once, so that each is inlined once.
        with_model!(&mut self.kind, model => {
            let (mut t, mut checked_to) = (start, start);
            while t < end {
                if t >= checked_to && diverged.iter().all(Option::is_none) {
                    let n = BLOCK.min(end - t);
                    let before = (model.clone(), *watch);
                    for s in 1..=n {
                        step_once::<E, _, L, N, false, WATCH>(model, Step::new(rows, lr, t + s, diverged), watch);
                    }
                    if model.all_finite() {
                        t += n;
                        continue;
                    }
                    (*model, *watch) = before;
                    checked_to = t + n;
                }
                t += 1;
                step_once::<E, _, L, N, true, WATCH>(model, Step::new(rows, lr, t, diverged), watch);
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

/// [`Lanes::run_rows`] with the exponential `E`, as a [`Kernel`] for [`exp::dispatch_with`].
struct Run<'a, const L: usize, const N: usize, const WATCH: bool> {
    lanes: &'a mut Lanes<L>,
    rows: &'a Rows<N>,
    lr: f64,
    steps: u64,
}

impl<const L: usize, const N: usize, const WATCH: bool> Kernel for Run<'_, L, N, WATCH> {
    type Output = ();
    /// AVX-512 for batches of eight lanes or more; a single run keeps to AVX2
    /// (see [`Kernel::wide`]).
    fn wide(&self) -> bool {
        L >= 8
    }

    #[inline(always)]
    fn run<E: Exp>(self) {
        self.lanes.run_rows::<E, N, WATCH>(self.rows, self.lr, self.steps);
    }
}

/// One step of `model` (see [`Model::step`]); `WATCH`: its largest errors go to `watch`.
#[inline(always)]
fn step_once<E: Exp, M: Model<L>, const L: usize, const N: usize, const CHECKED: bool, const WATCH: bool>(
    model: &mut M,
    mut cx: Step<'_, L, N>,
    watch: &mut Watch<L>,
) {
    model.step::<E, N, CHECKED, WATCH>(&mut cx);
    if WATCH {
        watch.observe(cx.iteration - 1, &cx.max_error);
    }
}

/// What one step of every lane needs besides the weights.
struct Step<'a, const L: usize, const N: usize> {
    /// The training rows.
    rows: &'a Rows<N>,
    /// The learning rate.
    lr: f64,
    /// The step's number (1 for the first step): a lane that diverges here records it.
    iteration: u64,
    /// Per lane, the step at which it diverged, if it did.
    diverged: &'a mut [Option<u64>; L],
    /// Per lane, the largest `|y_i − o_i|` of this step's forward pass (filled when watched).
    max_error: [f64; L],
}

impl<'a, const L: usize, const N: usize> Step<'a, L, N> {
    #[inline(always)]
    fn new(rows: &'a Rows<N>, lr: f64, iteration: u64, diverged: &'a mut [Option<u64>; L]) -> Self {
        Self { rows, lr, iteration, diverged, max_error: [0.0; L] }
    }
}

/// The data set as fixed-size arrays: storage for `N` rows, of which the first
/// [`Rows::n`] are used.
#[derive(Clone, Copy, Debug)]
struct Rows<const N: usize> {
    x: [[f64; 3]; N],
    /// The same inputs column by column (`xt[k][i] = x[i][k]`): a single
    /// run's first layer takes a column as one vector.
    xt: [[f64; N]; 3],
    y: [f64; N],
    n: usize,
    /// [`gemm_mul_add`] must fuse: the reference's first-layer matrix products
    /// fuse on this CPU ([`gemm_fuses`]) and some input is not 0 or 1. (With
    /// inputs 0 and 1 every `x·w` is exact, and a multiply then an add gives
    /// the same bits: libm's kernel, compiled without FMA, then needs no call
    /// to `fma` per term.)
    fused: bool,
}

impl<const N: usize> Rows<N> {
    fn new(data: &Dataset) -> Self {
        let n = data.len();
        assert!(n <= N && (N > EXACT_ROWS || n == N), "{n} rows in storage for {N}");
        let (xs, ys) = (data.inputs(), data.targets());
        let x = std::array::from_fn(|i| std::array::from_fn(|k| if i < n { xs[[i, k]] } else { 0.0 }));
        // −0.0 counts as 0: its products are exact (±0) too.
        let binary = xs.iter().all(|&v| v == 0.0 || v == 1.0);
        let xt = std::array::from_fn(|k| std::array::from_fn(|i| x[i][k]));
        let y = std::array::from_fn(|i| if i < n { ys[i] } else { 0.0 });
        Self { x, xt, y, n, fused: !binary && gemm_fuses() }
    }

    /// The number of rows: the constant `N` up to [`EXACT_ROWS`] (so that loops
    /// over rows unroll), the stored count above.
    #[inline(always)]
    fn n(&self) -> usize {
        if N <= EXACT_ROWS { N } else { self.n }
    }
}

/// `v ← σ(v) = 1/(1 + e^(−v))` element by element, [`Exp::WIDTH`] (8 or 4)
/// at a time through [`exp::for_each_chunk`] (the same value as
/// [`crate::sigmoid`] when `E` is libm's, and bit-identical to it with the
/// inline exponential).
#[inline(always)]
fn sigmoid_all<E: Exp>(v: &mut [f64]) {
    exp::for_each_chunk::<E, Sigmoid>(v);
}

/// σ as a [`Lanewise`] function.
struct Sigmoid;

impl Lanewise for Sigmoid {
    #[inline(always)]
    fn lanes<E: Exp, const K: usize>(v: [f64; K]) -> [f64; K] {
        E::exp_lanes(v.map(|v| -v)).map(|e| 1.0 / (1.0 + e))
    }
}

/// The state of `L` runs of one model in lockstep, weights stored `[weight][lane]`.
trait Model<const L: usize>: Clone {
    /// The weights in [`Network::weights`]' order, as two slices (`w` and nothing, or `W1` row-major and `W2`).
    fn layers(&self) -> (&[[f64; L]], &[[f64; L]]);
    /// [`Model::layers`], mutable.
    fn layers_mut(&mut self) -> (&mut [[f64; L]], &mut [[f64; L]]);
    /// One full-batch step of every lane, with the exponential `E`. `CHECKED`: a lane whose new
    /// weights would not all be finite keeps its weights and, the first time, records
    /// `cx.iteration` in `cx.diverged`; otherwise every lane takes its step whatever the result.
    /// `WATCH`: `cx.max_error[lane]` becomes the lane's largest `|y_i − o_i|` of this step's forward pass.
    fn step<E: Exp, const N: usize, const CHECKED: bool, const WATCH: bool>(&mut self, cx: &mut Step<'_, L, N>);

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
    fn step<E: Exp, const N: usize, const CHECKED: bool, const WATCH: bool>(&mut self, cx: &mut Step<'_, L, N>) {
        let (w, rows, n) = (&self.w, cx.rows, cx.rows.n());
        // o = σ(X·w): first every z, then every σ (n·L independent exponentials in a row).
        let mut o = [[0.0f64; L]; N];
        for i in 0..n {
            let x = rows.x[i];
            for l in 0..L {
                o[i][l] = 0.0 + x[0] * w[0][l] + x[1] * w[1][l] + x[2] * w[2][l];
            }
        }
        sigmoid_all::<E>(o[..n].as_flattened_mut());
        // δ = (y − o)·(o·(1 − o)); g = Xᵀδ, summed over rows from 0.
        let mut g = [[0.0f64; L]; 3];
        for i in 0..n {
            let x = rows.x[i];
            for l in 0..L {
                let o = o[i][l];
                let e = rows.y[i] - o;
                if WATCH {
                    cx.max_error[l] = cx.max_error[l].max(e.abs());
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
                g[k][l] = w[k][l] + cx.lr * g[k][l];
            }
        }
        if CHECKED {
            let finite = finite_lanes(&[&g[..]]);
            commit(&mut self.w, &g, &finite, cx.iteration, cx.diverged);
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
    fn step<E: Exp, const N: usize, const CHECKED: bool, const WATCH: bool>(&mut self, cx: &mut Step<'_, L, N>) {
        let mut h = [[[0.0; L]; H]; N];
        let mut next1 = [[[0.0; L]; H]; 3];
        let mut next2 = [[0.0; L]; H];
        let scratch = Scratch { h: h.as_flattened_mut(), next1: next1.as_flattened_mut(), next2: &mut next2 };
        two_layer_step::<E, L, N, CHECKED, WATCH>(H, self.w1.as_flattened_mut(), &mut self.w2, scratch, cx);
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

    #[inline(always)]
    fn step<E: Exp, const N: usize, const CHECKED: bool, const WATCH: bool>(&mut self, cx: &mut Step<'_, L, N>) {
        let scratch = Scratch { h: &mut self.h, next1: &mut self.next1, next2: &mut self.next2 };
        two_layer_step::<E, L, N, CHECKED, WATCH>(self.hidden, &mut self.w1, &mut self.w2, scratch, cx);
    }
}

/// Working memory of a two-layer step: `h` (see `two_layer_step` for its
/// layout), and the weights after the step.
struct Scratch<'a, const L: usize> {
    h: &'a mut [[f64; L]],
    next1: &'a mut [[f64; L]],
    next2: &'a mut [[f64; L]],
}

/// One step of `L` two-layer runs with `hn` hidden units. Inlined into each
/// [`FixedTwoLayer`], where `hn` and every slice length are constants.
#[inline(always)]
fn two_layer_step<E: Exp, const L: usize, const N: usize, const CHECKED: bool, const WATCH: bool>(
    hn: usize,
    w1: &mut [[f64; L]],
    w2: &mut [[f64; L]],
    scratch: Scratch<'_, L>,
    cx: &mut Step<'_, L, N>,
) {
    let (rows, n, lr) = (cx.rows, cx.rows.n(), cx.lr);
    let mul_add = |a: f64, b: f64, c: f64| gemm_mul_add::<E>(rows.fused, a, b, c);
    let (w1, w2) = (&mut w1[..3 * hn], &mut w2[..hn]);
    let (h, next1, next2) = (&mut scratch.h[..n * hn], &mut scratch.next1[..3 * hn], &mut scratch.next2[..hn]);
    // Where h_ij is in `h`: lanes keep a row's units together (`i·H + j`); a
    // single run keeps a unit's rows together (`j·n + i`), so that h·W2 adds
    // whole columns, the rows being one vector (the backward pass reads rows
    // of this transpose, off the dependency chain).
    let at = |i: usize, j: usize| if L == 1 { j * n + i } else { i * hn + j };
    // Forward: h_i = σ(x_i·W1) for every row (all n·H·L exponentials in a row),
    // then o_i = σ(h_i·W2) for every row, and d2_i = (y_i − o_i)·(o_i·(1 − o_i)).
    let z = |x: [f64; 3], j: usize, l: usize| {
        let s = mul_add(x[1], w1[hn + j][l], mul_add(x[0], w1[j][l], 0.0));
        mul_add(x[2], w1[2 * hn + j][l], s)
    };
    if L == 1 {
        // One unit's rows at a time: with the inputs column by column, each
        // column is one vector and each weight one broadcast (row by row, the
        // sums compiled to scalar multiply-adds gathered into vectors).
        let xt = &rows.xt;
        for j in 0..hn {
            for i in 0..n {
                h[at(i, j)][0] = z([xt[0][i], xt[1][i], xt[2][i]], j, 0);
            }
        }
    } else {
        for i in 0..n {
            for j in 0..hn {
                for l in 0..L {
                    h[at(i, j)][l] = z(rows.x[i], j, l);
                }
            }
        }
    }
    sigmoid_all::<E>(h.as_flattened_mut());
    let mut o = [[0.0f64; L]; N];
    for i in 0..n {
        o[i] = ndarray_sum(hn, |j| std::array::from_fn(|l| h[at(i, j)][l] * w2[j][l]));
    }
    sigmoid_all::<E>(o[..n].as_flattened_mut());
    let mut d2 = [[0.0f64; L]; N];
    for i in 0..n {
        for l in 0..L {
            let o = o[i][l];
            let e = rows.y[i] - o;
            if WATCH {
                cx.max_error[l] = cx.max_error[l].max(e.abs());
            }
            d2[i][l] = e * (o * (1.0 - o));
        }
    }
    // Backward: g2 = hᵀd2 and g1 = Xᵀd1 with d1 = (d2·W2_j)·(h·(1 − h)), every
    // sum over rows i = 0..n in order from 0.0; then the weights after the
    // step, W + lr·g. Two loop orders give these same sums.
    if L == 1 {
        // One run: rows outer, hidden units inner, so that a row's H units are
        // one vector (`h_i`, `W2`, and the sums `g1[k][·]`, `g2[·]`, are
        // contiguous over j). The sums build up in `next1`, `next2`.
        next1.fill([0.0; L]);
        next2.fill([0.0; L]);
        for i in 0..n {
            let (x, d2i) = (rows.x[i], d2[i]);
            for j in 0..hn {
                let hij = h[at(i, j)];
                for l in 0..L {
                    let d1 = (d2i[l] * w2[j][l]) * (hij[l] * (1.0 - hij[l]));
                    next2[j][l] += hij[l] * d2i[l];
                    for k in 0..3 {
                        next1[k * hn + j][l] = mul_add(x[k], d1, next1[k * hn + j][l]);
                    }
                }
            }
        }
        if let Some(g2) = one_unit_g2(hn, h, &d2[..n]) {
            next2[0] = g2;
        }
        // W + lr·g: in place, or into the sums' storage for the check. (One
        // loop per layer, each of constant length, so that both unroll: a loop
        // over the two layers chained compiled to a scalar loop, and copying
        // its results to `W` stalled the next step's loads.)
        let update = |w: &mut [[f64; L]], g: &mut [[f64; L]]| {
            for (w, g) in w.iter_mut().zip(g.iter_mut()) {
                for l in 0..L {
                    let next = w[l] + lr * g[l];
                    if CHECKED { g[l] = next } else { w[l] = next }
                }
            }
        };
        update(w1, next1);
        update(w2, next2);
    } else {
        // Lanes: one hidden unit at a time, so that its sums (one vector of
        // lanes each) stay in registers.
        for j in 0..hn {
            let (w1_j, w2_j) = ([w1[j], w1[hn + j], w1[2 * hn + j]], w2[j]);
            let mut s2 = [0.0f64; L];
            let mut s1 = [[0.0f64; L]; 3];
            for i in 0..n {
                let (x, hij) = (rows.x[i], h[at(i, j)]);
                for l in 0..L {
                    let d1 = (d2[i][l] * w2_j[l]) * (hij[l] * (1.0 - hij[l]));
                    s2[l] += hij[l] * d2[i][l];
                    for k in 0..3 {
                        s1[k][l] = mul_add(x[k], d1, s1[k][l]);
                    }
                }
            }
            if let Some(g2) = one_unit_g2(hn, h, &d2[..n]) {
                s2 = g2;
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
    }
    if CHECKED {
        let finite = finite_lanes(&[&*next1, &*next2]);
        commit(w1, next1, &finite, cx.iteration, cx.diverged);
        commit(w2, next2, &finite, cx.iteration, cx.diverged);
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

/// `hᵀd2` where it is not a sum over rows in order: with one hidden unit
/// (`hn = 1`) the reference's `hᵀ` has contiguous rows, so ndarray's dot sums it
/// as `unrolled_dot`, which differs from 8 rows on. With `H = 1` both layouts of
/// `h` are `h[i]`.
#[inline(always)]
fn one_unit_g2<const L: usize>(hn: usize, h: &[[f64; L]], d2: &[[f64; L]]) -> Option<[f64; L]> {
    let n = d2.len();
    (hn == 1 && n >= 8).then(|| ndarray_sum(n, |i| std::array::from_fn(|l| h[i][l] * d2[i][l])))
}

/// `a·b + c` as a term of the reference's `X·W1` or `Xᵀd1`: ndarray computes
/// these matrix products with matrixmultiply's `dgemm`, whose kernel sums each
/// element over `k` from `0.0` with one fused multiply-add per term (one
/// rounding, `f64::mul_add`) where it has an FMA kernel for the CPU, and with a
/// multiply then an add elsewhere. With `a ∈ {0, 1}` the product is exact
/// and both ways give the same bits. `fused`: [`Rows::fused`]; with `E::FMA`
/// the CPU has FMA, so the kernel fuses and this is one instruction.
#[inline(always)]
fn gemm_mul_add<E: Exp>(fused: bool, a: f64, b: f64, c: f64) -> f64 {
    if E::FMA || fused { a.mul_add(b, c) } else { c + a * b }
}

/// Whether the reference's matrix products fuse each multiply-add, asked of
/// ndarray itself once per process: `[p, q]·[r, s]ᵀ` with `q·s` inexact is
/// `fma(q, s, p·r)` from a fused kernel and `p·r + q·s` from the others.
/// (matrixmultiply 0.3, as ndarray 0.17 builds it, picks its fused kernel on
/// x86-64 with FMA and AVX2 and on aarch64 with NEON; asking ndarray follows
/// whatever it does.)
fn gemm_fuses() -> bool {
    static FUSES: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *FUSES.get_or_init(|| gemm_probe() == Some(true))
}

/// [`gemm_fuses`]' question: ndarray's `[p, q]·[r, s]ᵀ` is the fused
/// `fma(q, s, p·r)` (`Some(true)`), the unfused `p·r + q·s` (`Some(false)`), or
/// neither (`None`). With `q = s = 1 + 2⁻²⁷`, `q·s = 1 + 2⁻²⁶ + 2⁻⁵⁴` rounds to
/// `1 + 2⁻²⁶`, so with `p·r = −(1 + 2⁻²⁶)` (exact) the unfused sum is 0 and the
/// fused one 2⁻⁵⁴.
fn gemm_probe() -> Option<bool> {
    let (p, q, r, s) = (1.0 + 2f64.powi(-26), 1.0 + 2f64.powi(-27), -1.0, 1.0 + 2f64.powi(-27));
    let a = ndarray::arr2(&[[p, q]]);
    let b = ndarray::arr2(&[[r], [s]]);
    let got = std::hint::black_box(a).dot(&std::hint::black_box(b))[[0, 0]];
    let (fused, plain) = (q.mul_add(s, p * r), 0.0 + p * r + q * s);
    [fused, plain].iter().position(|v| v.to_bits() == got.to_bits()).map(|form| form == 0)
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
    /// Both row storages: the exact row count, and the 16-row instance with a
    /// run-time row count (which the data sets of 1 to 4 rows reach only here).
    #[track_caller]
    fn check<const L: usize>(nets: &[Network], data: &Dataset, segments: &[(f64, u64)]) {
        check_with::<L>(exp::chosen(), nets, data, segments);
    }

    /// [`check`] with the exponential `implementation`.
    #[track_caller]
    fn check_with<const L: usize>(
        implementation: Implementation,
        nets: &[Network],
        data: &Dataset,
        segments: &[(f64, u64)],
    ) {
        let (mut exact, mut sixteen) = (Lanes::<L>::new(nets), Lanes::<L>::new(nets));
        for &(lr, steps) in segments {
            exact.run_with(implementation, data, lr, steps);
            sixteen.run_n::<MAX_ROWS>((implementation, lr, steps), &Rows::new(data));
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
            for (storage, lanes) in [("exact rows", &exact), ("16-row storage", &sixteen)] {
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
        // ndarray's eight-way partial sums in h·W2). Three networks in four lanes
        // leave a lane unused.
        for hidden in [1, 2, 3, 4, 8, 9] {
            let architecture = Architecture::TwoLayer { hidden };
            check::<4>(&init(architecture, [3, 4, 5]), &without(&[]), &[(0.9, 300)]);
            check::<2>(&init(architecture, [6, 7]), &without(&[1]), &[(1.0, 300)]);
        }
        check::<16>(&init(Architecture::OneLayer, 0..16), &without(&[0, 2]), &[(1.0, 300)]);
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
        check::<4>(&nets, &without(&[]), &[(1e308, 5)]);
        check::<4>(&nets, &without(&[]), &[(1.0, 100), (1e308, 70), (1.0, 30)]);
        let mut lanes = Lanes::<4>::new(&nets);
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
        // with ndarray's partial sums).
        let notebook = [without(&[]), without(&[1]), without(&[0, 3]), without(&[0, 1, 2])];
        let data_sets: Vec<Dataset> = notebook.into_iter().chain([5, 8, 11, 16].map(binary_rows)).collect();
        for hidden in [1, 2, 3, 4, 8, 9] {
            let architecture = Architecture::TwoLayer { hidden };
            for (seed, data) in (1..).zip(&data_sets) {
                check::<1>(&init(architecture, [seed]), data, &[(1.0, 150), (30.0, 100), (0.5, 50)]);
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
            let architecture = Architecture::TwoLayer { hidden };
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
        for architecture in
            [Architecture::OneLayer, Architecture::TwoLayer { hidden: 4 }, Architecture::TwoLayer { hidden: 9 }]
        {
            for removed in [&[][..], &[2][..]] {
                let (data, nets) = (Dataset::without_rows(removed).unwrap(), init(architecture, [3, 4, 5]));
                let mut wide = Lanes::<4>::new(&nets);
                wide.run_n::<MAX_ROWS>((exp::chosen(), 1.0, 200), &Rows::new(&data));
                let mut libm = Lanes::<4>::new(&nets);
                libm.run_with(Implementation::Libm, &data, 1.0, 200);
                let mut inline = Lanes::<4>::new(&nets);
                inline.run_with(Implementation::InlineFma, &data, 1.0, 200);
                let mut avx2 = Lanes::<4>::new(&nets);
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
        let architectures = [1, 2, 3, 4, 8, 9].map(|hidden| Architecture::TwoLayer { hidden });
        for implementation in Implementation::ALL {
            if implementation != Implementation::Libm && exp::implementation() == "libm" {
                eprintln!("skipped {}: this platform's exp is not glibc's FMA one", implementation.name());
                continue;
            }
            for architecture in [Architecture::OneLayer].into_iter().chain(architectures) {
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
        assert_eq!(gemm_fuses(), fused);
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
}
