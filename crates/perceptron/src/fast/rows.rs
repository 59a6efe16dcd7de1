//! The training rows as fixed-size arrays, and what one step reads besides
//! the weights ([`Step`]). The rows are in one of two storages: four rows
//! (data sets of 1 to 4 rows, padded, so that every loop over rows has the
//! constant length 4 and unrolls) or [`MAX_ROWS`] (5 to 16 rows, loops over the
//! run-time row count).
//!
//! Padding changes no bit. A padded row has inputs `0` and target `1/2`, so
//! its one-layer output is `σ(0) = 1/2` exactly, its error `0` and its delta
//! `0`; the two-layer delta `d2` of a padded row is set to `+0`
//! ([`Rows::mask`]). Every term a padded row adds to a backward sum is then
//! `±0`, and adding `±0` changes no sum: each sum starts from `+0.0`, and a
//! sum that starts from `+0.0` is never `−0.0` (round to nearest), so `s ± 0`
//! is `s`. (Only with non-finite weights is a padded term NaN, and such a
//! block is replayed step by step anyway, see `run_blocks`.)

use crate::{Dataset, MAX_ROWS};

/// The padded storage's size: data sets of up to this many rows use it.
pub(super) const PADDED: usize = 4;

/// Storage for `N` rows ([`PADDED`] or [`MAX_ROWS`]; or exactly 1, 2 or 3 for
/// one layer's watched lanes, see `Lanes::run_stored`), of which the first
/// [`Rows::n`] hold the data.
#[derive(Clone, Copy, Debug)]
pub(super) struct Rows<const N: usize> {
    /// `x[i][k]`, zero past the data.
    pub(super) x: [[f64; 3]; N],
    /// The same inputs column by column (`xt[k][i] = x[i][k]`): a single
    /// run's first layer takes a column as one vector.
    pub(super) xt: [[f64; N]; 3],
    /// `y[i]`, `1/2` past the data.
    pub(super) y: [f64; N],
    /// All ones for a row of data, zero past the data (a bit mask).
    keep: [u64; N],
    /// The number of rows of data.
    n: usize,
    /// [`super::sums::gemm_mul_add`] must fuse: the reference's first-layer
    /// matrix products fuse on this CPU ([`super::sums::gemm_fuses`]) and some
    /// input is not 0 or 1. (With inputs 0 and 1 every `x·w` is exact, and a
    /// multiply then an add gives the same bits: libm's kernel, compiled
    /// without FMA, then needs no call to `fma` per term.)
    pub(super) fused: bool,
}

impl<const N: usize> Rows<N> {
    /// `data` in storage for `N` rows.
    ///
    /// # Panics
    /// If `data` has more than `N` rows.
    pub(super) fn new(data: &Dataset) -> Self {
        let n = data.len();
        assert!(n <= N && N <= MAX_ROWS, "{n} rows in storage for {N}");
        let (xs, ys) = (data.inputs(), data.targets());
        let x = std::array::from_fn(|i| std::array::from_fn(|k| if i < n { xs[[i, k]] } else { 0.0 }));
        // −0.0 counts as 0: its products are exact (±0) too.
        let binary = xs.iter().all(|&v| v == 0.0 || v == 1.0);
        let xt = std::array::from_fn(|k| std::array::from_fn(|i| x[i][k]));
        let y = std::array::from_fn(|i| if i < n { ys[i] } else { 0.5 });
        let keep = std::array::from_fn(|i| if i < n { u64::MAX } else { 0 });
        Self { x, xt, y, keep, n, fused: !binary && super::sums::gemm_fuses() }
    }

    /// How many rows the loops visit: all of the padded storage (a constant),
    /// or the rows of data in the large one.
    #[inline(always)]
    pub(super) fn len(&self) -> usize {
        if N <= PADDED { N } else { self.n }
    }

    /// `v` for row `i`, or `+0` for a padded row: the two-layer `d2`, and the
    /// errors watched. A bitwise AND, one cycle on one run's dependency chain
    /// (a multiply by 1 or 0 took four). (The large storage has no padded
    /// rows, and returns `v` as it is.)
    #[inline(always)]
    pub(super) fn mask(&self, i: usize, v: f64) -> f64 {
        if N == PADDED { f64::from_bits(v.to_bits() & self.keep[i]) } else { v }
    }
}

/// What one step of every lane needs besides the weights.
pub(super) struct Step<'a, const L: usize, const N: usize> {
    /// The training rows.
    pub(super) rows: &'a Rows<N>,
    /// The learning rate.
    pub(super) lr: f64,
    /// Per lane, the largest `|y_i − o_i|` of this step's forward pass (filled when watched).
    pub(super) max_error: [f64; L],
    /// Whether to fill [`Step::loss`] (the losses are being recorded).
    pub(super) record: bool,
    /// Per lane, `½ Σ_i (y_i − o_i)²` of this step's forward pass, summed as
    /// [`crate::Network::loss`] sums it (filled when watched and recording).
    pub(super) loss: [f64; L],
}

impl<const L: usize, const N: usize> Step<'_, L, N> {
    /// Fills [`Step::loss`] from the errors `e[i][lane]` of the rows of data
    /// (a padded row's error must be `+0`, see [`Rows::mask`]): `½·Σ e²`, the
    /// sum in the order of ndarray's `dot` of the error vector with itself.
    #[inline(always)]
    pub(super) fn set_loss(&mut self, e: &[[f64; L]; N]) {
        if !self.record {
            return;
        }
        let sum = super::sums::ndarray_sum(self.rows.len(), |i| std::array::from_fn(|l| e[i][l] * e[i][l]));
        self.loss = sum.map(|s| 0.5 * s);
    }
}
