//! The sweep's summary statistics, each defined once: mean and standard
//! deviation that do not overflow, the range, and one rule for medians and
//! quantiles, so that every table of the report means the same by "median":
//!
//! - [`Sorted::quantile_nearest_rank`]: the `⌈q·n⌉`-th smallest value, always one
//!   of the values; [`Sorted::lower_median`] is its `q = 0.5` (the smaller of
//!   the two middle values for an even count); studies D, F and G, and D's curves.
//!
//! `mean = Σx / n`, `sd = √(Σ(x − mean)² / (n − 1))`; when that overflows
//! although every `x` is finite (weights near `f64::MAX` after
//! `--learning-rate 1e308`), both are computed on `x / s` with `s = max |x|`
//! and scaled back by `s`.

/// Mean and sample standard deviation (`n − 1`; `0` for one value); `(0, 0)` for none.
pub fn mean_sd(v: &[f64]) -> (f64, f64) {
    let plain = plain_mean_sd(v);
    let scale = v.iter().fold(0.0f64, |m, x| m.max(x.abs()));
    if plain.0.is_finite() && plain.1.is_finite() || !scale.is_finite() || scale == 0.0 {
        return plain;
    }
    let scaled: Vec<f64> = v.iter().map(|x| x / scale).collect();
    let (mean, sd) = plain_mean_sd(&scaled);
    (mean * scale, sd * scale)
}

fn plain_mean_sd(v: &[f64]) -> (f64, f64) {
    let n = v.len().max(1) as f64;
    let mean = v.iter().sum::<f64>() / n;
    let var = v.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1.0).max(1.0);
    (mean, var.sqrt())
}

/// The smallest and largest value (`(∞, −∞)` for none); NaN is skipped.
pub fn min_max(v: &[f64]) -> (f64, f64) {
    v.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| (a.min(x), b.max(x)))
}

/// Values in ascending order, sorted once for any number of medians and quantiles.
pub struct Sorted<T>(Vec<T>);

impl Sorted<f64> {
    /// `values` sorted by `f64::total_cmp` (a NaN sorts above `+∞`).
    pub fn floats(values: impl IntoIterator<Item = f64>) -> Self {
        let mut v: Vec<f64> = values.into_iter().collect();
        v.sort_by(f64::total_cmp);
        Sorted(v)
    }
}

impl Sorted<u64> {
    /// `values` in ascending order.
    pub fn counts(values: impl IntoIterator<Item = u64>) -> Self {
        let mut v: Vec<u64> = values.into_iter().collect();
        v.sort_unstable();
        Sorted(v)
    }
}

impl<T: Copy> Sorted<T> {
    /// The value at quantile `q` by the nearest-rank rule: the `⌈q·n⌉`-th
    /// smallest (the smallest for `q·n ≤ 1`), always one of the values; `None`
    /// for no values.
    pub fn quantile_nearest_rank(&self, q: f64) -> Option<T> {
        let rank = (q * self.0.len() as f64).ceil().max(1.0) as usize;
        self.0.get(rank.min(self.0.len()).checked_sub(1)?).copied()
    }

    /// The lower median: [`Self::quantile_nearest_rank`] at 0.5, the middle
    /// value or, for an even count, the smaller of the two middle values.
    pub fn lower_median(&self) -> Option<T> {
        self.quantile_nearest_rank(0.5)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sd_of_huge_values_is_finite() {
        // np.std([1e308, -1e308, 1e308], ddof=1) overflows to inf in the naive
        // sum of squares; exactly: mean = 1e308/3, sd = 1e308·√(4/3) ≈ 1.1547e308.
        let (mean, sd) = mean_sd(&[1e308, -1e308, 1e308]);
        assert!((mean / (1e308 / 3.0) - 1.0).abs() < 1e-12, "{mean}");
        assert!((sd / (1e308 * (4.0f64 / 3.0).sqrt()) - 1.0).abs() < 1e-12, "{sd}");
    }

    #[test]
    fn ordinary_values_keep_the_plain_formula() {
        // np.mean([1, 2, 3, 4]) = 2.5; np.std([1, 2, 3, 4], ddof=1) = 1.2909944487358056
        assert_eq!(mean_sd(&[1.0, 2.0, 3.0, 4.0]), (2.5, 1.290_994_448_735_805_6));
        assert_eq!(mean_sd(&[]), (0.0, 0.0));
    }

    #[test]
    fn nearest_rank_quantiles() {
        let v = Sorted::floats([10.0, 9.0, 8.0, 7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0]);
        assert_eq!(v.quantile_nearest_rank(0.1), Some(1.0));
        assert_eq!(v.quantile_nearest_rank(0.5), Some(5.0));
        assert_eq!(v.quantile_nearest_rank(0.9), Some(9.0));
        assert_eq!(Sorted::floats([3.0]).quantile_nearest_rank(0.9), Some(3.0));
        assert_eq!(Sorted::floats([]).quantile_nearest_rank(0.5), None);
    }

    #[test]
    fn the_lower_median_is_the_smaller_middle_value() {
        assert_eq!(Sorted::counts([40, 10, 30, 20]).lower_median(), Some(20));
        assert_eq!(Sorted::counts([3, 1, 2]).lower_median(), Some(2));
        assert_eq!(Sorted::counts([7]).lower_median(), Some(7));
        assert_eq!(Sorted::counts([]).lower_median(), None);
    }
}
