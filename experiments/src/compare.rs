//! The one comparison rule between two implementations' numbers, shared by
//! `check` (fast path against candle, fixed cases) and the sweep's study E (the
//! same on a sample of the sweep's runs): `|a − b|`, a broken run (NaN) counted
//! as infinitely far, judged against one default tolerance.

/// The default of `check --tolerance`: the largest `|Δw|` accepted between the
/// fast path and candle. The sweep's report (study E) judges against it too.
pub const DEFAULT_TOLERANCE: f64 = 1e-9;

/// `|a − b|`, with NaN (a broken run) counted as infinitely far; two equal
/// infinities are 0 apart.
pub fn abs_diff(a: f64, b: f64) -> f64 {
    if a == b {
        0.0
    } else {
        let d = (a - b).abs();
        if d.is_nan() { f64::INFINITY } else { d }
    }
}

/// The largest [`abs_diff`] between `a` and `b` element by element, or `start` if larger.
pub fn max_abs_diff(start: f64, a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).fold(start, |m, (x, y)| m.max(abs_diff(*x, *y)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nan_is_infinitely_far() {
        assert_eq!(abs_diff(1.0, 1.0), 0.0);
        assert_eq!(abs_diff(1.0, 0.75), 0.25);
        assert_eq!(abs_diff(f64::NAN, 1.0), f64::INFINITY);
        assert_eq!(abs_diff(f64::NAN, f64::NAN), f64::INFINITY);
        assert_eq!(abs_diff(f64::INFINITY, f64::INFINITY), 0.0);
    }

    #[test]
    fn the_largest_difference_of_two_slices() {
        assert_eq!(max_abs_diff(0.0, &[1.0, 2.0], &[1.5, 2.0]), 0.5);
        assert_eq!(max_abs_diff(0.75, &[1.0, 2.0], &[1.5, 2.0]), 0.75);
        assert_eq!(max_abs_diff(0.0, &[f64::NAN], &[0.0]), f64::INFINITY);
    }

    #[test]
    fn the_cli_default_is_the_constant() {
        use clap::Parser;
        let cli = crate::cli::Cli::try_parse_from(["experiments", "check"]).unwrap();
        let crate::cli::Command::Check(args) = cli.command else { panic!("parsed as check") };
        assert_eq!(args.tolerance, DEFAULT_TOLERANCE);
    }
}
