//! Numbers made safe for the report and the plots, whatever the learning rate:
//! a compact text form for huge values, and axis ranges that are finite and
//! non-degenerate by construction (the statistics are in `super::stats`).
//!
//! - [`axis`]: plotters computes tick positions from `hi − lo`; an infinite or NaN
//!   bound makes that loop forever, a zero width divides by zero.

use std::ops::Range;

/// Values whose magnitude is at least this are printed in scientific notation.
const COMPACT_FROM: f64 = 1e9;

/// The largest magnitude an axis bound may have: `hi − lo` and plotters' tick
/// arithmetic (a few multiplications by small factors) stay finite below it.
const AXIS_LIMIT: f64 = 1e300;

/// `x` with `decimals` digits after the point, or as `1.234e300` when
/// `|x| ≥ 1e9` (a fixed-point f64 near `f64::MAX` has 309 digits).
pub fn fixed(x: f64, decimals: usize) -> String {
    if x.abs() >= COMPACT_FROM && x.is_finite() { format!("{x:.3e}") } else { format!("{x:.decimals$}") }
}

/// `lo` and `hi` with the fewest decimals, at least `decimals` (and at most
/// 17), that tell them apart (equal values keep `decimals`).
pub fn apart(lo: f64, hi: f64, decimals: usize) -> (String, String) {
    let mut d = decimals;
    while d < 17 && fixed(lo, d) == fixed(hi, d) && lo != hi {
        d += 1;
    }
    (fixed(lo, d), fixed(hi, d))
}

/// A share as a whole percentage, half rounded up, e.g. `75 %` (0.445 is `45 %`:
/// formatting with `{:.0}` would round the tie to even, 44).
pub fn percent(x: f64) -> String {
    format!("{} %", (100.0 * x).round())
}

/// `x` in Rust's shortest round-trip form, or compact as in [`fixed`] when huge.
pub fn shortest(x: f64) -> String {
    if x.abs() >= COMPACT_FROM && x.is_finite() { format!("{x:.3e}") } else { format!("{x}") }
}

/// An axis range from `lo` to `hi` that plotters can always lay out: bounds
/// clamped to `±1e300` (NaN: `∓1`), and widened to at least `max(|lo|, |hi|)·1e-12`
/// (and `1e-15`) around its centre when narrower. A range that is already fine
/// is returned unchanged, so ordinary plots do not move by a bit.
pub fn axis(lo: f64, hi: f64) -> Range<f64> {
    let clamp = |x: f64, nan: f64| if x.is_nan() { nan } else { x.clamp(-AXIS_LIMIT, AXIS_LIMIT) };
    let (lo, hi) = (clamp(lo, -1.0), clamp(hi, 1.0));
    let (lo, hi) = if lo <= hi { (lo, hi) } else { (hi, lo) };
    let least = (lo.abs().max(hi.abs()) * 1e-12).max(1e-15);
    if hi - lo >= least {
        return lo..hi;
    }
    let centre = lo / 2.0 + hi / 2.0;
    (centre - least).max(-AXIS_LIMIT - least)..(centre + least).min(AXIS_LIMIT + least)
}

/// `v` moved into `range` (NaN stays NaN): plotters adds pixel offsets in `i32`,
/// which overflows for a point far outside the axis.
pub fn inside(range: &Range<f64>, v: f64) -> f64 {
    if v.is_nan() { v } else { v.clamp(range.start, range.end) }
}

/// A positive range for a log axis: bounds clamped to `[1e-300, 1e300]`, `hi ≥ 10·lo`
/// when the data give less.
pub fn log_axis(lo: f64, hi: f64) -> Range<f64> {
    let clamp = |x: f64, nan: f64| if x.is_nan() { nan } else { x.clamp(1e-300, AXIS_LIMIT) };
    let (lo, hi) = (clamp(lo, 1e-300), clamp(hi, 1.0));
    let (lo, hi) = if lo <= hi { (lo, hi) } else { (hi, lo) };
    if hi > lo { lo..hi } else { lo..lo * 10.0 }
}

/// A ratio as a fold, two significant digits with thousands separated:
/// `5,500-fold`, `12-fold`.
pub fn fold(ratio: f64) -> String {
    if !ratio.is_finite() || ratio < 1.0 {
        return format!("{ratio:.2}-fold");
    }
    let digits = ratio.log10().floor() as i32;
    let unit = 10f64.powi((digits - 1).max(0));
    let rounded = ((ratio / unit).round() * unit) as u64;
    let text = rounded.to_string();
    let mut out = String::new();
    for (k, ch) in text.chars().enumerate() {
        if k > 0 && (text.len() - k).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    format!("{out}-fold")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huge_numbers_print_compactly() {
        assert_eq!(fixed(1.234_56e300, 6), "1.235e300");
        assert_eq!(fixed(-5.450_016_23, 8), "-5.45001623");
        assert_eq!(shortest(0.25), "0.25");
        assert_eq!(shortest(-3e200), "-3.000e200");
    }

    #[track_caller]
    fn check_axis(lo: f64, hi: f64) {
        let r = axis(lo, hi);
        assert!(r.start.is_finite() && r.end.is_finite() && r.end > r.start, "{lo}..{hi} -> {r:?}");
        assert!((r.end - r.start).is_finite(), "{lo}..{hi} -> {r:?}");
    }

    #[test]
    fn axis_ranges_are_finite_and_wide() {
        check_axis(f64::NEG_INFINITY, f64::INFINITY);
        check_axis(f64::NAN, f64::NAN);
        check_axis(-f64::MAX, f64::MAX);
        check_axis(1e308, 1e308);
        check_axis(0.0, 0.0);
        check_axis(f64::INFINITY, f64::NEG_INFINITY);
        assert_eq!(axis(-1.05, 1.05), -1.05..1.05);
        let log = log_axis(0.0, 0.0);
        assert!(log.start > 0.0 && log.end > log.start);
        assert_eq!(log_axis(0.01, 1.0), 0.01..1.0);
    }
}
