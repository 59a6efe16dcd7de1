//! The inline exponential ([`perceptron::exp`]) against the platform's
//! `f64::exp`, bit for bit, on more than 10⁷ inputs from a fixed generator:
//! uniform in `[−40, 40]` (σ's arguments in training) and in `[−745, 710]`
//! (the whole range with finite, non-zero results, subnormal ones included),
//! random bit patterns (every exponent, ±∞, NaN), every exponent of the tiny
//! inputs (`|x| < 2^−54`, where glibc returns `1 + x`), the boundaries
//! (`2^−54`, `512`) and the overflow and underflow limits, ±0.
//!
//! Where the start-up probe chose libm (another libm than glibc's FMA `exp`, a
//! CPU without AVX2/FMA, or `PERCEPTRON_EXP=libm`), the comparison is skipped
//! with a message: there the inline exponential is not meant to match.

use perceptron::exp::{
    Implementation, SplitMix64, exp, exp_in_place, exp_lanes, implementation, is_special, probe_values,
};

/// Compares [`exp`] and [`exp_lanes`] (4 and 8 lanes, as compiled here) and
/// the fast path's compiled forms (AVX-512 where the CPU has it, and AVX2 +
/// FMA, through [`exp_in_place`]) with `f64::exp` on `xs`; returns the number
/// of inputs compared, panics on the first mismatch.
#[track_caller]
fn check(label: &str, xs: &[f64]) -> usize {
    for inline in [Implementation::InlineFma, Implementation::InlineFmaAvx2] {
        let mut ys = xs.to_vec();
        exp_in_place(inline, &mut ys);
        for (x, y) in xs.iter().zip(&ys) {
            let want = x.exp().to_bits();
            assert!(
                y.to_bits() == want,
                "{label}, {}: exp({x:e}) gave {:#x}, libm {want:#x}",
                inline.name(),
                y.to_bits()
            );
        }
    }
    for c in xs.chunks_exact(8) {
        let x: [f64; 8] = c.try_into().unwrap();
        let eight = exp_lanes(x);
        let four = [exp_lanes([x[0], x[1], x[2], x[3]]), exp_lanes([x[4], x[5], x[6], x[7]])];
        for l in 0..8 {
            let want = x[l].exp().to_bits();
            let got = [exp(x[l]), eight[l], four[l / 4][l % 4]].map(f64::to_bits);
            assert!(
                got.iter().all(|&g| g == want),
                "{label}: exp({:e} = {:#x}) gave {got:x?}, libm {want:#x}",
                x[l],
                x[l].to_bits()
            );
        }
    }
    xs.len() / 8 * 8
}

fn skip_message() -> Option<String> {
    (implementation() == "libm").then(|| {
        format!(
            "SKIPPED: the start-up probe chose `{}` (PERCEPTRON_EXP={:?}): this platform's exp is not glibc's FMA variant, \
             so the inline exponential is not compared with it",
            implementation(),
            std::env::var("PERCEPTRON_EXP").ok()
        )
    })
}

#[test]
fn ten_million_inputs_match_libm_bit_for_bit() {
    if let Some(message) = skip_message() {
        println!("{message}");
        eprintln!("{message}");
        return;
    }
    let mut rng = SplitMix64(20_261_128);
    let mut total = 0;
    let mut uniform =
        |lo: f64, hi: f64, n: usize| -> Vec<f64> { (0..n).map(|_| lo + (hi - lo) * rng.unit()).collect() };
    total += check("uniform [-40, 40]", &uniform(-40.0, 40.0, 4_000_000));
    total += check("uniform [-745, 710]", &uniform(-745.0, 710.0, 4_000_000));
    total += check("uniform [-746, -708] (subnormal results)", &uniform(-746.0, -708.0, 500_000));
    let mut rng = SplitMix64(7);
    let bits: Vec<f64> = (0..1_000_000).map(|_| f64::from_bits(rng.next_u64())).collect();
    total += check("random bit patterns", &bits);
    // Every tiny exponent (|x| < 2^−54, subnormals and ±0 included), where
    // glibc returns 1 + x and the main path must give the same (`is_special`).
    let tiny: Vec<f64> = (0..0x3c9u64)
        .flat_map(|e| (0..64).map(move |m| (e, m)))
        .map(|(e, m)| (e << 52) | if m == 0 { 0 } else { rng.next_u64() >> 12 })
        .flat_map(|b| [f64::from_bits(b), -f64::from_bits(b)])
        .collect();
    assert!(tiny.iter().all(|&x| !is_special(x) && x.exp().to_bits() == (1.0 + x).to_bits()), "glibc's 1 + x");
    total += check("every tiny exponent", &tiny);
    // Every double within 2^17 ulps either side of each boundary and limit.
    let mut edges = Vec::new();
    for centre in [
        2.0f64.powi(-54),
        512.0,
        709.782_712_893_384,
        -708.396_418_532_264_1,
        -745.133_219_101_941_1,
        f64::MIN_POSITIVE,
        1.0,
    ] {
        for sign in [1.0, -1.0] {
            let c = (sign * centre).to_bits() as i64;
            edges.extend((-(1 << 17)..(1 << 17)).map(|d| f64::from_bits((c + d) as u64)));
        }
    }
    edges.extend([0.0, -0.0, f64::INFINITY, f64::NEG_INFINITY, f64::NAN, -f64::NAN, f64::MAX, f64::MIN]);
    edges.extend([f64::from_bits(1), -f64::from_bits(1), 2.0f64.powi(-60), 1e-300, -1e-300, 1e300, -1e300]);
    while !edges.len().is_multiple_of(8) {
        edges.push(0.5);
    }
    total += check("boundaries, limits and edge cases", &edges);
    total += check("the start-up probe's values", &probe_values());
    assert!(total >= 10_000_000, "only {total} inputs compared");
    println!("{total} inputs: inline exp == f64::exp bit for bit");
}

#[test]
fn the_main_path_covers_training_and_the_fallback_covers_the_rest() {
    if let Some(message) = skip_message() {
        println!("{message}");
        return;
    }
    // Both branches of `exp_lanes` run: 0.5, −30 (a σ argument) and 1e-20
    // (|x| < 2^−54, where glibc returns 1 + x) take the main path, 600
    // (|x| ≥ 512) takes libm's.
    assert!(!is_special(0.5) && !is_special(-30.0) && is_special(600.0) && !is_special(1e-20));
    let x = [0.5, 600.0, -30.0, 1e-20];
    let got = exp_lanes(x);
    for l in 0..4 {
        assert_eq!(got[l].to_bits(), x[l].exp().to_bits(), "exp({})", x[l]);
    }
}
