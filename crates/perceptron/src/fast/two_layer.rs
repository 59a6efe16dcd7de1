//! One step of `L` two-layer runs (3 → H → 1), in two loop orders that add
//! the same terms to each sum in the same order: [`one_run`] (a single run,
//! `L = 1`: the rows of one hidden unit, or the hidden units of one row, as a
//! vector) and [`lanes`] (`L` runs interleaved: one hidden unit at a time,
//! each of its sums a vector of lanes).
//!
//! Order of operations (matching [`crate::Network`], see its module doc):
//! - `X·W1` sums `x_k·W1_kj` for `k = 0, 1, 2` from `0.0`; `X·W1` and `Xᵀd1`
//!   round each `x·w + s` once where the reference's matrix product does
//!   ([`gemm_mul_add`]);
//! - `h·W2` sums as ndarray's `unrolled_dot` ([`ndarray_sum`]: eight partial
//!   sums for `H ≥ 8`);
//! - `hᵀd2` and `Xᵀd1` sum over rows `i = 0..n` from `0.0`, except `hᵀd2` with
//!   `H = 1`, which sums as `unrolled_dot` ([`one_unit_g2`]; it differs from 8 rows on);
//! - `d2 = (y − o)·(o·(1 − o))`, `d1 = (d2·W2_j)·(h·(1 − h))`, `W ← W + lr·g`
//!   (both deltas from the old `W2`);
//! - with the output bias: `o = σ(h·W2 + b2)` (`b2` added to the finished
//!   sum), and `b2 ← b2 + lr·Σᵢ d2ᵢ` summed over rows from `0.0`
//!   ([`OutputBias`]; off, neither is done: one branch per step).

use super::models::OutputBias;
use super::rows::Step;
use super::sums::{gemm_mul_add, ndarray_sum, sigmoid_all};
use crate::exp::Exp;
use crate::sigmoid_prime_from_output;

/// The weights of `L` two-layer runs: `W1` as `w1[k·H + j]`, `W2` as `w2[j]`,
/// and the output bias.
pub(super) struct Weights<'a, const L: usize> {
    pub(super) w1: &'a mut [[f64; L]],
    pub(super) w2: &'a mut [[f64; L]],
    pub(super) b2: &'a mut OutputBias<L>,
}

/// Working memory of a two-layer step: `h` (`n·H` lane vectors, laid out as
/// the loop order needs) and the gradient sums `g1` (`3·H`), `g2` (`H`).
pub(super) struct Scratch<'a, const L: usize> {
    pub(super) h: &'a mut [[f64; L]],
    pub(super) g1: &'a mut [[f64; L]],
    pub(super) g2: &'a mut [[f64; L]],
}

/// One step of `L` runs with `hn` hidden units. Inlined into each model,
/// where `hn` and every length are constants for the fixed sizes.
#[inline(always)]
pub(super) fn step<E: Exp, const L: usize, const N: usize, const WATCH: bool>(
    hn: usize,
    Weights { w1, w2, b2 }: Weights<'_, L>,
    scratch: Scratch<'_, L>,
    cx: &mut Step<'_, L, N>,
) {
    let (w1, w2) = (&mut w1[..3 * hn], &mut w2[..hn]);
    let h = &mut scratch.h[..cx.rows.len() * hn];
    let d2 = if const { L == 1 } {
        let scratch = Scratch { h, g1: &mut scratch.g1[..3 * hn], g2: &mut scratch.g2[..hn] };
        one_run::<E, L, N, WATCH>(w1, w2, b2, scratch, cx)
    } else {
        lanes::<E, L, N, WATCH>(w1, w2, b2, h, cx)
    };
    if b2.on {
        let mut sum = [0.0f64; L];
        for d2 in &d2[..cx.rows.len()] {
            for l in 0..L {
                sum[l] += d2[l];
            }
        }
        for l in 0..L {
            b2.b2[l] += cx.lr * sum[l];
        }
    }
}

/// `o_i ← o_i + b2` for every row, if the bias is on (`o_i = h_i·W2` on entry).
#[inline(always)]
fn add_bias<const L: usize, const N: usize>(o: &mut [[f64; L]; N], n: usize, b2: &OutputBias<L>) {
    if b2.on {
        for o in &mut o[..n] {
            for l in 0..L {
                o[l] += b2.b2[l];
            }
        }
    }
}

/// The forward pass's end, shared by both orders: `o ← σ(o)` (`o_i = h_i·W2`
/// on entry), then `d2_i = (y_i − o_i)·(o_i·(1 − o_i))` (`±0` on padded
/// rows), watching `|y_i − o_i|` and the loss if `WATCH`. (The sums `h_i·W2` stay in each
/// order's own function: written here behind a closure for `h`'s layout, they
/// compiled to gathers through vectors of pointers, 20 % slower for eight lanes.)
#[inline(always)]
fn output_deltas<E: Exp, const L: usize, const N: usize, const WATCH: bool>(
    mut o: [[f64; L]; N],
    cx: &mut Step<'_, L, N>,
) -> [[f64; L]; N] {
    let (rows, n) = (cx.rows, cx.rows.len());
    sigmoid_all::<E>(o[..n].as_flattened_mut());
    let mut d2 = [[0.0f64; L]; N];
    let mut errors = [[0.0f64; L]; N];
    for i in 0..n {
        for l in 0..L {
            let o = o[i][l];
            let e = rows.y[i] - o;
            if WATCH {
                cx.max_error[l] = cx.max_error[l].max(rows.mask(i, e.abs()));
                errors[i][l] = rows.mask(i, e);
            }
            d2[i][l] = rows.mask(i, e * sigmoid_prime_from_output(o));
        }
    }
    if WATCH {
        cx.set_loss(&errors);
    }
    d2
}

/// A single run: `h` column-major (`h[j·n + i]`), so that `X·W1` takes one
/// hidden unit's rows as one vector (from the inputs stored column by column,
/// each weight a broadcast) and `h·W2` adds whole columns; the backward sums
/// go rows outer, hidden units inner, so that a row's `H` units are one vector.
#[inline(always)]
fn one_run<E: Exp, const L: usize, const N: usize, const WATCH: bool>(
    w1: &mut [[f64; L]],
    w2: &mut [[f64; L]],
    b2: &OutputBias<L>,
    Scratch { h, g1, g2 }: Scratch<'_, L>,
    cx: &mut Step<'_, L, N>,
) -> [[f64; L]; N] {
    let (rows, n, hn, lr) = (cx.rows, cx.rows.len(), w2.len(), cx.lr);
    let mul_add = |a: f64, b: f64, c: f64| gemm_mul_add::<E>(rows.fused, a, b, c);
    let at = |i: usize, j: usize| j * n + i;
    let xt = &rows.xt;
    for j in 0..hn {
        for i in 0..n {
            for l in 0..L {
                let s = mul_add(xt[1][i], w1[hn + j][l], mul_add(xt[0][i], w1[j][l], 0.0));
                h[at(i, j)][l] = mul_add(xt[2][i], w1[2 * hn + j][l], s);
            }
        }
    }
    sigmoid_all::<E>(h.as_flattened_mut());
    let mut o = [[0.0f64; L]; N];
    for i in 0..n {
        o[i] = ndarray_sum(hn, |j| std::array::from_fn(|l| h[at(i, j)][l] * w2[j][l]));
    }
    add_bias(&mut o, n, b2);
    let d2 = output_deltas::<E, L, N, WATCH>(o, cx);
    g1.fill([0.0; L]);
    g2.fill([0.0; L]);
    for i in 0..n {
        let (x, d2i) = (rows.x[i], d2[i]);
        for j in 0..hn {
            let hij = h[at(i, j)];
            for l in 0..L {
                let d1 = (d2i[l] * w2[j][l]) * sigmoid_prime_from_output(hij[l]);
                g2[j][l] += hij[l] * d2i[l];
                for k in 0..3 {
                    g1[k * hn + j][l] = mul_add(x[k], d1, g1[k * hn + j][l]);
                }
            }
        }
    }
    if let Some(sum) = one_unit_g2(hn, h, &d2[..n]) {
        g2[0] = sum;
    }
    // W + lr·g, one loop per layer, each of constant length, so that both
    // unroll (a loop over the two layers chained compiled to a scalar loop).
    let update = |w: &mut [[f64; L]], g: &[[f64; L]]| {
        for (w, g) in w.iter_mut().zip(g) {
            for l in 0..L {
                w[l] += lr * g[l];
            }
        }
    };
    update(w1, g1);
    update(w2, g2);
    d2
}

/// `L` interleaved runs: `h` row-major (`h[i·H + j]`); the backward pass takes
/// one hidden unit at a time, so that its sums (one vector of lanes each) stay
/// in registers, and updates that unit's weights in place (nothing later in
/// the step reads them).
#[inline(always)]
fn lanes<E: Exp, const L: usize, const N: usize, const WATCH: bool>(
    w1: &mut [[f64; L]],
    w2: &mut [[f64; L]],
    b2: &OutputBias<L>,
    h: &mut [[f64; L]],
    cx: &mut Step<'_, L, N>,
) -> [[f64; L]; N] {
    let (rows, n, hn, lr) = (cx.rows, cx.rows.len(), w2.len(), cx.lr);
    let mul_add = |a: f64, b: f64, c: f64| gemm_mul_add::<E>(rows.fused, a, b, c);
    let at = |i: usize, j: usize| i * hn + j;
    for i in 0..n {
        let x = rows.x[i];
        for j in 0..hn {
            for l in 0..L {
                let s = mul_add(x[1], w1[hn + j][l], mul_add(x[0], w1[j][l], 0.0));
                h[at(i, j)][l] = mul_add(x[2], w1[2 * hn + j][l], s);
            }
        }
    }
    sigmoid_all::<E>(h.as_flattened_mut());
    let mut o = [[0.0f64; L]; N];
    for i in 0..n {
        o[i] = ndarray_sum(hn, |j| std::array::from_fn(|l| h[at(i, j)][l] * w2[j][l]));
    }
    add_bias(&mut o, n, b2);
    let d2 = output_deltas::<E, L, N, WATCH>(o, cx);
    for j in 0..hn {
        let (w1_j, w2_j) = ([w1[j], w1[hn + j], w1[2 * hn + j]], w2[j]);
        let mut s2 = [0.0f64; L];
        let mut s1 = [[0.0f64; L]; 3];
        for i in 0..n {
            let (x, hij) = (rows.x[i], h[at(i, j)]);
            for l in 0..L {
                let d1 = (d2[i][l] * w2_j[l]) * sigmoid_prime_from_output(hij[l]);
                s2[l] += hij[l] * d2[i][l];
                for k in 0..3 {
                    s1[k][l] = mul_add(x[k], d1, s1[k][l]);
                }
            }
        }
        if let Some(sum) = one_unit_g2(hn, h, &d2[..n]) {
            s2 = sum;
        }
        for l in 0..L {
            w2[j][l] = w2_j[l] + lr * s2[l];
        }
        for k in 0..3 {
            for l in 0..L {
                w1[k * hn + j][l] = w1_j[k][l] + lr * s1[k][l];
            }
        }
    }
    d2
}

/// `hᵀd2` where it is not a sum over rows in order: with one hidden unit
/// (`hn = 1`) the reference's `hᵀ` has contiguous rows, so ndarray's dot sums it
/// as `unrolled_dot`, which differs from 8 rows on. With `H = 1` both layouts of
/// `h` are `h[i]`. (Only the large row storage has 8 rows or more.)
#[inline(always)]
fn one_unit_g2<const L: usize>(hn: usize, h: &[[f64; L]], d2: &[[f64; L]]) -> Option<[f64; L]> {
    let n = d2.len();
    (hn == 1 && n >= 8).then(|| ndarray_sum(n, |i| std::array::from_fn(|l| h[i][l] * d2[i][l])))
}
