//! Running work with the chosen exponential: the [`Exp`] implementations
//! (libm's, and the inline one `WIDTH` lanes at a time), element-wise
//! functions over a slice ([`for_each_chunk`]), and [`dispatch`], which runs a
//! [`Kernel`] in the entry point compiled for the CPU's instruction set. The
//! only `unsafe` of the workspace is here: calling those entry points.

use super::Implementation;
use super::method::exp_lanes;

/// The exponential as the fast path calls it, on `K` lanes at a time.
pub(crate) trait Exp {
    /// The work that uses this exponential is compiled with FMA enabled and
    /// runs only where the CPU has AVX2 and FMA ([`dispatch`]): there
    /// `f64::mul_add` is one instruction (`fast` relies on this).
    const FMA: bool;
    /// How many lanes [`for_each_chunk`] hands to [`Exp::exp_lanes`] at a time
    /// (then 4, then 1): 8 in the AVX-512 code (a register's worth of doubles),
    /// 4 otherwise. Only 4 and 8 are meant.
    const WIDTH: usize;
    /// `e^x` lane by lane.
    fn exp_lanes<const K: usize>(x: [f64; K]) -> [f64; K];
}

/// `f64::exp`.
pub(crate) struct Libm;

impl Exp for Libm {
    const FMA: bool = false;
    const WIDTH: usize = 4;

    #[inline(always)]
    fn exp_lanes<const K: usize>(x: [f64; K]) -> [f64; K] {
        x.map(f64::exp)
    }
}

/// [`exp_lanes`], taken `WIDTH` lanes at a time: 4 in the AVX2 entry point,
/// 8 in the AVX-512 one (so that its exponentials and divisions fill a
/// register, and its table look-ups are eight-lane gathers).
pub(crate) struct InlineFma<const WIDTH: usize>;

impl<const WIDTH: usize> Exp for InlineFma<WIDTH> {
    const FMA: bool = true;
    const WIDTH: usize = WIDTH;

    #[inline(always)]
    fn exp_lanes<const K: usize>(x: [f64; K]) -> [f64; K] {
        exp_lanes(x)
    }
}

/// An element-wise function computed `K` lanes at a time with the exponential
/// `E` (σ in the fast path, `e^x` itself in [`super::exp_in_place`]).
pub(crate) trait Lanewise {
    /// The function on each of `K` lanes.
    fn lanes<E: Exp, const K: usize>(x: [f64; K]) -> [f64; K];
}

/// `v ← F(v)` element by element: chunks of 8 lanes where [`Exp::WIDTH`] is
/// 8, then of 4, then one by one. Every element gets the same operations
/// whatever its chunk.
#[inline(always)]
pub(crate) fn for_each_chunk<E: Exp, F: Lanewise>(v: &mut [f64]) {
    let rest = if E::WIDTH >= 8 { chunks::<E, F, 8>(v) } else { v };
    let rest = chunks::<E, F, 4>(rest);
    chunks::<E, F, 1>(rest);
}

/// [`for_each_chunk`] on whole chunks of `K`; returns the remainder.
#[inline(always)]
fn chunks<E: Exp, F: Lanewise, const K: usize>(v: &mut [f64]) -> &mut [f64] {
    let mut chunks = v.chunks_exact_mut(K);
    for c in &mut chunks {
        let y = F::lanes::<E, K>(std::array::from_fn(|k| c[k]));
        c.copy_from_slice(&y);
    }
    chunks.into_remainder()
}

/// Work generic over the exponential, run by [`dispatch`] with the chosen one.
pub(crate) trait Kernel {
    /// What the work returns.
    type Output;
    /// Whether [`Implementation::InlineFma`] may run this work in the AVX-512
    /// entry point, a constant so that no entry point is compiled that cannot
    /// run. Its gathers have a longer latency than four scalar loads: measured
    /// here, a single run (a chain of dependent steps) was slower with them,
    /// while batches of eight runs, whose σ then take eight lanes to a
    /// register, were faster for every model, so the fast path says yes for
    /// those (see `fast::Run`).
    const WIDE: bool = true;
    /// Does the work with `E`. Implementations are `#[inline(always)]`, so that
    /// all of it is compiled inside [`dispatch`]'s entry points.
    fn run<E: Exp>(self) -> Self::Output;
}

/// Runs `kernel` with `implementation`: [`InlineFma`] inside a function
/// compiled for AVX2 and FMA (so that `mul_add` is one `vfmadd` and the lanes
/// vectorise) where the CPU has both, or for AVX-512 too where `K::WIDE`,
/// the CPU has it and the implementation allows it; else [`Libm`].
pub(crate) fn dispatch<K: Kernel>(implementation: Implementation, kernel: K) -> K::Output {
    match implementation {
        #[cfg(target_arch = "x86_64")]
        Implementation::InlineFma | Implementation::InlineFmaAvx2 if fma_available() => {
            if K::WIDE && implementation == Implementation::InlineFma && avx512_available() {
                #[allow(unsafe_code)]
                // SAFETY: `with_avx512` needs a CPU with AVX2, FMA and AVX-512
                // F, VL and DQ, which `fma_available` and `avx512_available`
                // have just checked with `is_x86_feature_detected!`.
                return unsafe { with_avx512(kernel) };
            }
            #[allow(unsafe_code)]
            // SAFETY: `with_fma` needs a CPU with AVX2 and FMA, which
            // `fma_available` has just checked with `is_x86_feature_detected!`.
            unsafe {
                with_fma(kernel)
            }
        }
        _ => kernel.run::<Libm>(),
    }
}

/// The CPU has AVX2 and FMA (cached by the standard library after the first call).
#[cfg(target_arch = "x86_64")]
pub(super) fn fma_available() -> bool {
    std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("fma")
}

/// `kernel` with [`InlineFma`] four lanes at a time, compiled for AVX2 and FMA.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn with_fma<K: Kernel>(kernel: K) -> K::Output {
    kernel.run::<InlineFma<4>>()
}

/// The CPU also has AVX-512 F, VL and DQ (cached like [`fma_available`]).
#[cfg(target_arch = "x86_64")]
fn avx512_available() -> bool {
    std::is_x86_feature_detected!("avx512f")
        && std::is_x86_feature_detected!("avx512vl")
        && std::is_x86_feature_detected!("avx512dq")
}

/// `kernel` with [`InlineFma`] eight lanes at a time, compiled for AVX-512 as well: the same IEEE
/// operations in the same order (so the same bits), but eight lanes to a
/// register, table look-ups as gathers and the special-range test on mask
/// registers. [`Implementation::InlineFmaAvx2`] keeps to [`with_fma`].
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma,avx512f,avx512vl,avx512dq")]
fn with_avx512<K: Kernel>(kernel: K) -> K::Output {
    kernel.run::<InlineFma<8>>()
}
