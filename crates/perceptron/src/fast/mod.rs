//! The fast path: the same arithmetic as [`crate::Network`], bit for bit, on
//! fixed-size arrays with no allocation in the loop, and `L` independent runs
//! ("lanes", structure of arrays across seeds: `w[weight][lane]`) interleaved
//! in one loop. `L` is 1 (a single run) or 8 ([`crate::LANES`]): the two lane
//! counts the kernels are compiled for ([`Compiled`]).
//!
//! One kernel per (model, exponential, lane count, row storage), chosen once
//! per call of [`Lanes::run_with`]: the model by matching `models::Kind`, the
//! exponential and instruction set by [`exp`]'s dispatch (AVX2 + FMA for a
//! single run, AVX-512 for eight lanes where the CPU has it, or libm), the
//! storage by the row count (`rows.rs`: four rows padded, or sixteen with a
//! run-time count). Within a kernel, watching the errors is a branch per step.
//!
//! A step needs `n` exponentials for one layer, `n·(H + 1)` for two; they are
//! taken in batches (all rows' `z`, then every σ), so one run already has `n`
//! or `n·H` independent ones. One run waits on the chain
//! `dot → exp → σ → δ → update`; `L` interleaved runs give the CPU `L`
//! independent chains. Lanes do not change any lane's arithmetic: each lane
//! computes exactly what a single run computes.
//!
//! A step that would make a lane's weights non-finite is not applied: the lane
//! keeps its last finite weights from then on and records the iteration at
//! which it diverged, as [`crate::Network::step`] and its callers do. The
//! check runs once per block of steps (see `run_blocks`).
//!
//! Optionally ([`Lanes::watch_errors`]) every step's largest training error
//! `max_i |y_i − o_i|` is compared with a few thresholds, for the exact
//! iteration from which a run stays below each ([`Lanes::settled_at`]), and
//! ([`Lanes::record_losses`]) every step's loss `½ Σ (y_i − o_i)²` can be kept,
//! from the same forward pass, for studies that read whole trajectories.

mod models;
mod rows;
mod sums;
mod two_layer;

use crate::exp::{self, Exp, Implementation, Kernel};
use crate::{Architecture, Dataset, Network};
use models::{Kind, Model, copy_lane, finite_lanes, with_model};
use rows::{PADDED, Rows, Step};

pub use sums::{gemm_probe, ndarray_sum};

/// At most this many training rows (the notebook's table has 4).
pub const MAX_ROWS: usize = crate::MAX_ROWS;

/// Steps between two finite-weight checks (see `run_blocks`).
const BLOCK: u64 = 64;

/// At most this many thresholds can be watched at once.
pub const MAX_WATCHED: usize = 4;

/// Which row storage a run uses (see `rows.rs`). [`Storage::Fitted`] is what
/// [`Lanes::run_with`] picks; the tests also run small data sets in the large one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Storage {
    /// Four rows, padded, for 1 to 4 rows; [`MAX_ROWS`] rows for 5 to 16.
    Fitted,
    /// [`MAX_ROWS`] rows whatever the data set.
    Large,
}

/// `L` networks of one architecture trained in lockstep on one data set.
///
/// Lane `l` follows exactly the path [`Network::step`] takes from the same
/// weights. Unused lanes (fewer than `L` networks) train copies of the last one.
#[derive(Clone, Debug)]
pub struct Lanes<const L: usize> {
    architecture: Architecture,
    kind: Kind<L>,
    progress: Progress<L>,
    used: usize,
}

/// Everything about `L` runs but their current weights.
#[derive(Clone, Debug)]
struct Progress<const L: usize> {
    /// Steps taken so far.
    iteration: u64,
    /// Per lane, the step at which it diverged, if it did.
    diverged: [Option<u64>; L],
    /// Per diverged lane, its last finite weights. (The lane itself then
    /// trains a copy of a lane that has not diverged, so that the unchecked
    /// blocks go on for the others.)
    frozen: [Option<Vec<f64>>; L],
    watch: Watch<L>,
    /// Per step since [`Lanes::record_losses`], per lane, the loss of the
    /// weights the step started from; `None` when not recording.
    losses: Option<Vec<[f64; L]>>,
}

/// Per watched threshold `θ_k` and lane, `t + 1` for the last iteration `t`
/// whose weights `w_t` had `max_i |y_i − o_i| ≥ θ_k` (seen in the forward pass
/// of step `t + 1`), or 0 if none did: the first iteration from which the
/// error has stayed below `θ_k`. A diverged lane is no longer observed: its
/// weights, and so its error, stay as they were, which [`Lanes::settled_at`]
/// reads directly.
#[derive(Clone, Copy, Debug)]
struct Watch<const L: usize> {
    count: usize,
    thresholds: [f64; MAX_WATCHED],
    below_from: [[u64; L]; MAX_WATCHED],
}

impl<const L: usize> Watch<L> {
    /// Step `t + 1` saw the outputs of `w_t`, with largest errors `max_error`;
    /// `live[l]`: lane `l` has not diverged. Branch-free, so that the lanes'
    /// compares and selects are vector instructions.
    #[inline(always)]
    fn observe(&mut self, t: u64, max_error: &[f64; L], live: &[bool; L]) {
        for k in 0..self.count {
            let theta = self.thresholds[k];
            for l in 0..L {
                let above = (max_error[l] >= theta) & live[l];
                self.below_from[k][l] = if above { t + 1 } else { self.below_from[k][l] };
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
        let watch = Watch { count: 0, thresholds: [0.0; MAX_WATCHED], below_from: [[0; L]; MAX_WATCHED] };
        let progress =
            Progress { iteration: 0, diverged: [None; L], frozen: std::array::from_fn(|_| None), watch, losses: None };
        Self { architecture, kind: Kind::load(architecture, nets), progress, used: nets.len() }
    }

    /// Steps taken so far.
    pub fn iteration(&self) -> u64 {
        self.progress.iteration
    }

    /// How many lanes hold a caller's network.
    pub fn used(&self) -> usize {
        self.used
    }

    /// The step at which lane `l` diverged (its weights stopped there), if it did.
    pub fn diverged_at(&self, l: usize) -> Option<u64> {
        self.progress.diverged[l]
    }

    /// True once every used lane has diverged: more steps would change nothing.
    pub fn all_diverged(&self) -> bool {
        self.progress.diverged[..self.used].iter().all(Option::is_some)
    }

    /// The current weights of lane `l` (its last finite ones, if it diverged).
    pub fn network(&self, l: usize) -> Network {
        let flat = match &self.progress.frozen[l] {
            Some(frozen) => frozen.clone(),
            None => self.kind.lane(l),
        };
        Network::from_weights(self.architecture, &flat)
    }
}

/// Watching the errors: eight lanes only (the sweep watches its runs in
/// batches; a single run's kernels are compiled without the watch).
impl Lanes<{ crate::LANES }> {
    /// From now on, compare every step's largest training error
    /// `max_i |y_i − o_i|` with each threshold, for [`Lanes::settled_at`]. Costs a
    /// few comparisons per step; without it, none.
    ///
    /// # Panics
    /// More than [`MAX_WATCHED`] thresholds.
    pub fn watch_errors(&mut self, thresholds: &[f64]) {
        assert!(thresholds.len() <= MAX_WATCHED, "at most {MAX_WATCHED} thresholds, got {}", thresholds.len());
        let watch = &mut self.progress.watch;
        watch.count = thresholds.len();
        watch.thresholds[..thresholds.len()].copy_from_slice(thresholds);
        watch.below_from = [[0; crate::LANES]; MAX_WATCHED];
    }

    /// From now on, keep every step's loss: step `t + 1` appends, per lane,
    /// `L(w_t) = ½ Σ_i (y_i − o_i)²` of the weights `w_t` it starts from,
    /// computed in its own forward pass and bit-identical to
    /// [`Network::loss`] of those weights. [`Lanes::take_losses`] hands them
    /// over. (The loss of the final weights is not a step's: take it from
    /// [`Lanes::network`].) A lane that diverged keeps its weights from then on
    /// while its slot trains another lane's copy: its entries past
    /// [`Lanes::diverged_at`] are that copy's, not its own. Costs a store per
    /// step; the steps are then watched (see [`Lanes::watch_errors`]).
    pub fn record_losses(&mut self) {
        self.progress.losses.get_or_insert_with(Vec::new);
    }

    /// The losses recorded since [`Lanes::record_losses`] or the last call
    /// (entry `k` is step `t0 + k + 1`'s, `t0` the iteration they start at),
    /// leaving the buffer empty and recording on. Empty when not recording.
    pub fn take_losses(&mut self) -> Vec<[f64; crate::LANES]> {
        self.progress.losses.as_mut().map(std::mem::take).unwrap_or_default()
    }

    /// The first iteration `s` such that every `w_t` from `s` to now has
    /// `max |y − o| < thresholds[k]` on `data` (`Some(0)`: always below; `None`:
    /// not below now). Exact: every step since [`Lanes::watch_errors`] was watched.
    pub fn settled_at(&self, l: usize, k: usize, data: &Dataset) -> Option<u64> {
        let watch = &self.progress.watch;
        let now = self.network(l).forward(data.inputs());
        let max_error = (data.targets() - &now).iter().fold(0.0f64, |m, e| m.max(e.abs()));
        if max_error >= watch.thresholds[k] {
            return None;
        }
        Some(watch.below_from[k][l])
    }
}

impl<const L: usize> Lanes<L>
where
    Self: Compiled,
{
    /// Takes `steps` full-batch steps with learning rate `lr` on `data`, with
    /// the process's exponential ([`exp::chosen`]).
    ///
    /// # Panics
    /// If `data` has more than [`MAX_ROWS`] rows.
    pub fn run(&mut self, data: &Dataset, lr: f64, steps: u64) {
        self.run_with(exp::chosen(), data, lr, steps);
    }

    /// [`Lanes::run`] with a given exponential, whatever the probe chose
    /// (benches and tests compare them; the inline ones fall back to libm on
    /// a CPU without AVX2 and FMA).
    ///
    /// # Panics
    /// If `data` has more than [`MAX_ROWS`] rows.
    pub fn run_with(&mut self, implementation: Implementation, data: &Dataset, lr: f64, steps: u64) {
        self.run_in(Storage::Fitted, implementation, data, lr, steps);
    }

    /// [`Lanes::run_with`] in the given row storage.
    ///
    /// # Panics
    /// If `data` has more than [`MAX_ROWS`] rows.
    pub fn run_in(&mut self, storage: Storage, implementation: Implementation, data: &Dataset, lr: f64, steps: u64) {
        let n = data.len();
        assert!(n <= MAX_ROWS, "a data set for the fast path has 1..={MAX_ROWS} rows, got {n}");
        Compiled::run_job(self, storage, data, Job { implementation, lr, steps });
    }
}

/// What [`Lanes::run_in`] asks of a kernel.
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
pub struct Job {
    implementation: Implementation,
    lr: f64,
    steps: u64,
}

/// The lane counts the kernels are compiled for: 1 (a single run, in AVX2 +
/// FMA code) and 8 ([`crate::LANES`] runs, in AVX-512 code where the CPU has
/// it). Implemented here only, with methods that are not generic, so that
/// every kernel is compiled once, in this crate, whoever calls [`Lanes::run`].
pub trait Compiled: sealed::Sealed {
    /// Chooses the kernel for this model and storage, and runs it.
    #[doc(hidden)]
    fn run_job(&mut self, storage: Storage, data: &Dataset, job: Job);
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::Lanes<1> {}
    impl Sealed for super::Lanes<8> {}
}

impl Compiled for Lanes<1> {
    fn run_job(&mut self, storage: Storage, data: &Dataset, job: Job) {
        self.run_stored::<false, false>(storage, data, job);
    }
}

impl Compiled for Lanes<8> {
    fn run_job(&mut self, storage: Storage, data: &Dataset, job: Job) {
        if self.progress.watch.count > 0 || self.progress.losses.is_some() {
            self.run_stored::<true, true>(storage, data, job);
        } else {
            self.run_stored::<true, false>(storage, data, job);
        }
    }
}

impl<const L: usize> Lanes<L> {
    /// `data` in its row storage, then the model's kernel. `WIDE`: the
    /// AVX-512 entry point may run it (eight lanes); `WATCH`: every step's
    /// largest error is watched.
    fn run_stored<const WIDE: bool, const WATCH: bool>(&mut self, storage: Storage, data: &Dataset, job: Job) {
        let progress = &mut self.progress;
        if progress.diverged.iter().all(Option::is_some) {
            progress.iteration += job.steps; // nothing left to step
            return;
        }
        // One layer in eight watched lanes (study C's runs, 70 of the default
        // sweep's 95 million steps) on 1 to 3 rows: their exact count, not four
        // padded rows. Its step is one chain of dependent operations whose
        // backward sums grow by an add per row, so a padded row costs time
        // even though it adds nothing.
        if let (Kind::One(model), true, Storage::Fitted, 1..=3) = (&mut self.kind, WIDE && WATCH, storage, data.len()) {
            match data.len() {
                1 => kernel::<_, L, 1, WIDE, WATCH>(model, progress, &Rows::<1>::new(data), job),
                2 => kernel::<_, L, 2, WIDE, WATCH>(model, progress, &Rows::<2>::new(data), job),
                _ => kernel::<_, L, 3, WIDE, WATCH>(model, progress, &Rows::<3>::new(data), job),
            }
        } else if storage == Storage::Fitted && data.len() <= PADDED {
            let rows = Rows::<PADDED>::new(data);
            with_model!(&mut self.kind, model => kernel::<_, L, PADDED, WIDE, WATCH>(model, progress, &rows, job));
        } else {
            // The large storage runs the one-layer model and `AnyTwoLayer` only.
            self.kind.make_run_time_sized();
            let rows = Rows::<MAX_ROWS>::new(data);
            match &mut self.kind {
                Kind::One(model) => kernel::<_, L, MAX_ROWS, WIDE, WATCH>(model, progress, &rows, job),
                Kind::Any(model) => kernel::<_, L, MAX_ROWS, WIDE, WATCH>(model, progress, &rows, job),
                _ => unreachable!("run-time-sized storage"),
            }
        }
    }
}

/// Runs the kernel of model `M` on `N` rows of storage, `L` lanes, with the
/// exponential [`exp::dispatch`] chooses for `job`.
fn kernel<M: Model<L>, const L: usize, const N: usize, const WIDE: bool, const WATCH: bool>(
    model: &mut M,
    progress: &mut Progress<L>,
    rows: &Rows<N>,
    job: Job,
) {
    exp::dispatch(job.implementation, Run::<'_, M, L, N, WIDE, WATCH> { model, progress, rows, job });
}

/// One kernel's work: `run_blocks` with model `M`, as a [`Kernel`] for [`exp::dispatch`].
struct Run<'a, M, const L: usize, const N: usize, const WIDE: bool, const WATCH: bool> {
    model: &'a mut M,
    progress: &'a mut Progress<L>,
    rows: &'a Rows<N>,
    job: Job,
}

impl<M: Model<L>, const L: usize, const N: usize, const WIDE: bool, const WATCH: bool> Kernel
    for Run<'_, M, L, N, WIDE, WATCH>
{
    type Output = ();
    const WIDE: bool = WIDE;

    #[inline(always)]
    fn run<E: Exp>(self) {
        run_blocks::<E, M, L, N, WATCH>(self.model, self.progress, self.rows, self.job);
    }
}

/// Steps in blocks of [`BLOCK`] without a finite check per step (on a copy
/// of the weights or in place, see [`Model::STEP_A_COPY`]): a weight
/// that becomes ±∞ or NaN stays so (`±∞ + x` is ±∞ or NaN, `NaN + x` is NaN),
/// so weights that are finite after a block were finite after each of its
/// steps. A block that ends non-finite is replayed from its start one step at
/// a time, each checked: a lane whose step is not finite diverges there, keeps
/// its weights (in `Progress::frozen`) and from then on trains a copy of a
/// lane that has not diverged, so that later blocks run unchecked again.
#[inline(always)]
fn run_blocks<E: Exp, M: Model<L>, const L: usize, const N: usize, const WATCH: bool>(
    model: &mut M,
    progress: &mut Progress<L>,
    rows: &Rows<N>,
    Job { lr, steps, .. }: Job,
) {
    let end = progress.iteration + steps;
    let mut t = progress.iteration;
    while t < end {
        let n = BLOCK.min(end - t);
        let (watch, recorded) = (progress.watch, progress.losses.as_ref().map_or(0, Vec::len));
        let finite = if M::STEP_A_COPY {
            let mut trial = model.clone();
            steps_from::<E, M, L, N, WATCH>(&mut trial, progress, rows, lr, t, n);
            let finite = all_finite(&trial);
            if finite {
                *model = trial;
            }
            finite
        } else {
            let before = model.clone();
            steps_from::<E, M, L, N, WATCH>(model, progress, rows, lr, t, n);
            let finite = all_finite(model);
            if !finite {
                *model = before;
            }
            finite
        };
        if !finite {
            progress.watch = watch;
            if let Some(losses) = &mut progress.losses {
                losses.truncate(recorded);
            }
            for s in 1..=n {
                let last = model.clone();
                step_once::<E, M, L, N, WATCH>(model, progress, rows, lr, t + s);
                if !settle_divergence(model, &last, progress, t + s) {
                    progress.iteration = end;
                    return;
                }
            }
        }
        t += n;
    }
    progress.iteration = end;
}

/// Steps `t + 1` to `t + n`, unchecked.
#[inline(always)]
fn steps_from<E: Exp, M: Model<L>, const L: usize, const N: usize, const WATCH: bool>(
    model: &mut M,
    progress: &mut Progress<L>,
    rows: &Rows<N>,
    lr: f64,
    t: u64,
    n: u64,
) {
    for s in 1..=n {
        step_once::<E, M, L, N, WATCH>(model, progress, rows, lr, t + s);
    }
}

/// Every weight of every lane is finite.
#[inline(always)]
fn all_finite<M: Model<L>, const L: usize>(model: &M) -> bool {
    finite_lanes(model).iter().all(|&f| f)
}

/// Step `t` of every lane, its errors watched if `WATCH`. (A function, not a
/// closure: `#[inline(always)]` keeps it inside the entry point compiled
/// for the CPU's instruction set.)
#[inline(always)]
fn step_once<E: Exp, M: Model<L>, const L: usize, const N: usize, const WATCH: bool>(
    model: &mut M,
    progress: &mut Progress<L>,
    rows: &Rows<N>,
    lr: f64,
    t: u64,
) {
    let record = WATCH && progress.losses.is_some();
    let mut cx = Step { rows, lr, max_error: [0.0; L], record, loss: [0.0; L] };
    model.step::<E, N, WATCH>(&mut cx);
    if WATCH {
        let live = std::array::from_fn(|l| progress.diverged[l].is_none());
        progress.watch.observe(t - 1, &cx.max_error, &live);
        if let Some(losses) = &mut progress.losses {
            losses.push(cx.loss);
        }
    }
}

/// After step `t` taken from `last`: every lane whose weights are not all
/// finite gets `last`'s back; the first time, it diverges at `t` and its
/// weights are frozen. Each diverged lane then trains a copy of the first
/// lane that has not diverged. False when no lane is left.
#[cold]
fn settle_divergence<M: Model<L>, const L: usize>(model: &mut M, last: &M, progress: &mut Progress<L>, t: u64) -> bool {
    let finite = finite_lanes(model);
    for l in 0..L {
        if !finite[l] {
            copy_lane(model, l, last, l);
            if progress.diverged[l].is_none() {
                progress.diverged[l] = Some(t);
                progress.frozen[l] = Some(models::lane(last, l));
            }
        }
    }
    let Some(active) = (0..L).find(|&l| progress.diverged[l].is_none()) else {
        return false;
    };
    let source = model.clone();
    for l in 0..L {
        if progress.diverged[l].is_some() {
            copy_lane(model, l, &source, active);
        }
    }
    true
}
