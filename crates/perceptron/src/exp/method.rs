//! The exponential itself: glibc's table method on one value ([`exp`]) and on
//! `L` lanes stage by stage ([`exp_lanes`]), with `f64::exp` for the inputs
//! outside the main path ([`is_special`]). See the module doc of `exp`.

use super::table::TABLE;

/// `N/ln2`, `N = 128`.
const INV_LN2_N: f64 = f64::from_bits(0x4067_1547_652b_82fe);
/// `1.5·2^52`: adding it rounds to an integer held in the low mantissa bits.
const SHIFT: f64 = f64::from_bits(0x4338_0000_0000_0000);
/// `−ln2/N` in two parts: `hi` has trailing zeros, so `kd·hi` is exact for `|kd| < 2^17`.
const NEG_LN2_HI_N: f64 = f64::from_bits(0xbf76_2e42_fefa_0000);
const NEG_LN2_LO_N: f64 = f64::from_bits(0xbd0c_f79a_bc9e_3b3a);
/// Coefficients of `e^r − 1 ≈ r + C2·r² + C3·r³ + C4·r⁴ + C5·r⁵` on `|r| ≤ ln2/256`.
const C2: f64 = f64::from_bits(0x3fdf_ffff_ffff_fdbd);
const C3: f64 = f64::from_bits(0x3fc5_5555_5555_543c);
const C4: f64 = f64::from_bits(0x3fa5_5555_cf17_2b91);
const C5: f64 = f64::from_bits(0x3f81_1111_67a4_d017);
/// The main path's upper bound: glibc's special branch takes `|x| ≥ 512`
/// (`abstop(x) ≥ 0x408`), where results overflow or become subnormal.
const HUGE: f64 = 512.0;

/// The table's two columns, split so that each look-up is one load from a
/// contiguous `[u64; 128]` (`TAILS[k]` = bits of `T_k`, `SCALES[k]` = bits of
/// `H_k` minus `k << 45`), indexed by `ki & 127`, which needs no bounds check.
static TAILS: [u64; 128] = column(0);
static SCALES: [u64; 128] = column(1);

/// Column `c` of [`TABLE`], at compile time.
const fn column(c: usize) -> [u64; 128] {
    let mut out = [0u64; 128];
    let mut k = 0;
    while k < 128 {
        out[k] = TABLE[k][c];
        k += 1;
    }
    out
}

/// True where the main path does not give glibc's result: `|x| ≥ 512`, ±∞, NaN.
///
/// glibc's special branch (`abstop(x) − abstop(2^−54) ≥ abstop(512) −
/// abstop(2^−54)` on the exponent bits) also takes the tiny inputs, `|x| <
/// 2^−54`, and returns `1 + x` for them. The main path gives exactly that
/// there, so they stay on it: `kd = fma(x, N/ln2, S)` is `S` (the product is
/// below half an ulp of `S`), so `kd − S = 0`, the index is 0, `s = 1` and `t =
/// 0`; then `r = x` exactly (`0·c + x`), and `p = r`, because each term added
/// to `r` (`C2·r²`, `r⁴·(…)`) is below `2^−55·|r|`, less than half an ulp of
/// `r` (or, for subnormal `r`, below half the least subnormal); so `e^x =
/// fma(1, r, 1) = 1 + x`, rounded once, as glibc's. Tested on every tiny
/// exponent (`tests/exp.rs`). This matters for speed: 0 is σ's argument on
/// every padded row of the fast path (`fast/rows.rs`), which would otherwise
/// call libm at every step.
///
/// `!(|x| < 512)` holds for NaN too (NaN fails every comparison), and is one
/// vector compare per register (AVX2 has no unsigned 64-bit integer compare
/// for glibc's form).
#[inline(always)]
pub fn is_special(x: f64) -> bool {
    !(..HUGE).contains(&x.abs())
}

/// The main path (see the module doc); meaningful only where `!is_special(x)`,
/// and free of panics and undefined behaviour for every `x`.
#[inline(always)]
fn main_path(x: f64) -> f64 {
    let kd = x.mul_add(INV_LN2_N, SHIFT);
    let ki = kd.to_bits();
    let kd = kd - SHIFT;
    let r = kd.mul_add(NEG_LN2_HI_N, x);
    let r = kd.mul_add(NEG_LN2_LO_N, r);
    let index = (ki & 127) as usize;
    let tail = f64::from_bits(TAILS[index]);
    let scale = f64::from_bits(SCALES[index].wrapping_add(ki << 45));
    let r2 = r * r;
    let low = r.mul_add(C3, C2).mul_add(r2, tail + r);
    let p = (r2 * r2).mul_add(r.mul_add(C5, C4), low);
    scale.mul_add(p, scale)
}

/// `e^x`, equal to glibc's FMA `exp` bit for bit (tested against `f64::exp` on
/// this platform; the special inputs are `f64::exp`'s own results).
///
/// Exact on any CPU: `mul_add` is a correctly rounded fused multiply-add
/// everywhere (a slow library call where the CPU has no FMA).
///
/// ```
/// assert_eq!(perceptron::exp::exp(0.0), 1.0);
/// assert_eq!(perceptron::exp::exp(1.0), 1.0f64.exp());
/// ```
#[inline(always)]
pub fn exp(x: f64) -> f64 {
    if is_special(x) { libm_exp(x) } else { main_path(x) }
}

/// `f64::exp`, out of line. LLVM treats its `exp` intrinsic as free of side
/// effects and may speculate it: written inline in a branch, `x.exp()` can
/// become a call on every path (measured here: libm's `exp` ran for every lane
/// of every step, making the inline path slower than libm alone). A call to an
/// ordinary function is never speculated, so the special inputs alone pay for it.
#[cold]
#[inline(never)]
fn libm_exp(x: f64) -> f64 {
    x.exp()
}

/// The lanes of `y` whose input is special get `f64::exp` of it (see [`libm_exp`]).
#[cold]
#[inline(never)]
fn patch_special<const L: usize>(x: &[f64; L], y: &mut [f64; L]) {
    for l in 0..L {
        if is_special(x[l]) {
            y[l] = x[l].exp();
        }
    }
}

/// [`exp`] of each of `L` lanes: the main path on every lane, then `f64::exp`
/// for the lanes where [`is_special`] (one test for all lanes; normally none).
///
/// Written stage by stage over whole arrays (`k`, `r`, the table index, the two
/// look-ups, the polynomial, the scale), each stage the same operation on every
/// lane, so that compiled for AVX2 + FMA each stage is one or two 4-wide
/// instructions; the look-ups are four scalar loads per column (AVX2 gathers are
/// not emitted for a generic x86-64 with `avx2,fma`, and are slow on many CPUs).
/// Each lane's arithmetic is exactly [`exp`]'s.
#[inline(always)]
pub fn exp_lanes<const L: usize>(x: [f64; L]) -> [f64; L] {
    use std::array::from_fn;
    let shifted: [f64; L] = from_fn(|l| x[l].mul_add(INV_LN2_N, SHIFT));
    let ki: [u64; L] = from_fn(|l| shifted[l].to_bits());
    let kd: [f64; L] = from_fn(|l| shifted[l] - SHIFT);
    let r: [f64; L] = from_fn(|l| kd[l].mul_add(NEG_LN2_LO_N, kd[l].mul_add(NEG_LN2_HI_N, x[l])));
    let index: [usize; L] = from_fn(|l| (ki[l] & 127) as usize);
    let tail: [f64; L] = from_fn(|l| f64::from_bits(TAILS[index[l]]));
    let scale: [f64; L] = from_fn(|l| f64::from_bits(SCALES[index[l]].wrapping_add(ki[l] << 45)));
    let r2: [f64; L] = from_fn(|l| r[l] * r[l]);
    let low: [f64; L] = from_fn(|l| r[l].mul_add(C3, C2).mul_add(r2[l], tail[l] + r[l]));
    let p: [f64; L] = from_fn(|l| (r2[l] * r2[l]).mul_add(r[l].mul_add(C5, C4), low[l]));
    let mut y: [f64; L] = from_fn(|l| scale[l].mul_add(p[l], scale[l]));
    if x.iter().fold(false, |any, &x| any | is_special(x)) {
        patch_special(&x, &mut y);
    }
    y
}
