//! The sums whose rounding the fast path copies from the reference
//! ([`crate::Network`]): ndarray's `unrolled_dot` order ([`ndarray_sum`]) and
//! matrixmultiply's fused or unfused multiply-add ([`gemm_mul_add`]), and σ
//! over a slice ([`sigmoid_all`]).

use crate::exp::{self, Exp, Lanewise};

/// `v ← σ(v) = 1/(1 + e^(−v))` element by element, [`Exp::WIDTH`] (8 or 4)
/// at a time through [`exp::for_each_chunk`] (the same value as
/// [`crate::sigmoid`] when `E` is libm's, and bit-identical to it with the
/// inline exponential).
#[inline(always)]
pub(super) fn sigmoid_all<E: Exp>(v: &mut [f64]) {
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

/// `a·b + c` as a term of the reference's `X·W1` or `Xᵀd1`: ndarray computes
/// these matrix products with matrixmultiply's `dgemm`, whose kernel sums each
/// element over `k` from `0.0` with one fused multiply-add per term (one
/// rounding, `f64::mul_add`) where it has an FMA kernel for the CPU, and with a
/// multiply then an add elsewhere. With `a ∈ {0, 1}` the product is exact
/// and both ways give the same bits. `fused`: `Rows::fused`; with `E::FMA`
/// the CPU has FMA, so the kernel fuses and this is one instruction.
#[inline(always)]
pub(super) fn gemm_mul_add<E: Exp>(fused: bool, a: f64, b: f64, c: f64) -> f64 {
    if E::FMA || fused { a.mul_add(b, c) } else { c + a * b }
}

/// Whether the reference's matrix products fuse each multiply-add, asked of
/// ndarray itself once per process (see [`gemm_probe`]). (matrixmultiply 0.3,
/// as ndarray 0.17 builds it, picks its fused kernel on x86-64 with FMA and
/// AVX2 and on aarch64 with NEON; asking ndarray follows whatever it does.)
pub(super) fn gemm_fuses() -> bool {
    static FUSES: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *FUSES.get_or_init(|| gemm_probe() == Some(true))
}

/// `gemm_fuses`' question: ndarray's `[p, q]·[r, s]ᵀ` is the fused
/// `fma(q, s, p·r)` (`Some(true)`), the unfused `p·r + q·s` (`Some(false)`), or
/// neither (`None`). With `q = s = 1 + 2⁻²⁷`, `q·s = 1 + 2⁻²⁶ + 2⁻⁵⁴` rounds to
/// `1 + 2⁻²⁶`, so with `p·r = −(1 + 2⁻²⁶)` (exact) the unfused sum is 0 and the
/// fused one 2⁻⁵⁴.
pub fn gemm_probe() -> Option<bool> {
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
pub fn ndarray_sum<const L: usize>(n: usize, term: impl Fn(usize) -> [f64; L]) -> [f64; L] {
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
