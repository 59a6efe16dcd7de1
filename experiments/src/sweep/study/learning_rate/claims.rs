//! Study G's conclusions: the log–log slope of iterations against the rate,
//! where runs start to oscillate or diverge, which of two cells settles first,
//! and each model's fastest rate.

use super::compute::Cell;
use super::{FIT_MAX_RATE, INVERSE_SLOPE};
use crate::sweep::numbers::shortest;

/// The least-squares slope `b` of `ln y = a + b·ln x` over `points` (`None` for fewer than 2
/// distinct `x`).
fn log_log_slope(points: &[(f64, f64)]) -> Option<f64> {
    let logs: Vec<(f64, f64)> = points.iter().map(|&(x, y)| (x.ln(), y.ln())).collect();
    let n = logs.len() as f64;
    let (mx, my) = (logs.iter().map(|p| p.0).sum::<f64>() / n, logs.iter().map(|p| p.1).sum::<f64>() / n);
    let sxx: f64 = logs.iter().map(|p| (p.0 - mx) * (p.0 - mx)).sum();
    let sxy: f64 = logs.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    (logs.len() >= 2 && sxx > 0.0).then(|| sxy / sxx)
}

/// The (rate, median) points of a model with a rate up to [`FIT_MAX_RATE`] and a finite median.
pub fn settled_points(cells: &[&Cell]) -> Vec<(f64, f64)> {
    cells.iter().filter(|c| c.rate <= FIT_MAX_RATE).filter_map(|c| c.median_settle.map(|m| (c.rate, m))).collect()
}

/// The sentence on one model's slope.
pub fn slope_claim(model: &str, points: &[(f64, f64)]) -> String {
    let Some(b) = log_log_slope(points) else {
        return format!(
            "{model}: fewer than two rates with a finite median, no slope fitted (iterations ∝ 1/rate cannot be tested)."
        );
    };
    let lo = points.iter().map(|p| p.0).fold(f64::INFINITY, f64::min);
    let hi = points.iter().map(|p| p.0).fold(0.0, f64::max);
    let verdict = if (INVERSE_SLOPE.0..=INVERSE_SLOPE.1).contains(&b) {
        "iterations ∝ 1/rate holds"
    } else if b > INVERSE_SLOPE.1 {
        "iterations fall more slowly than 1/rate"
    } else {
        "iterations fall faster than 1/rate"
    };
    format!(
        "{model}: slope {b:.2} on the log–log points (rates {}–{}, {} points): {verdict} (taken as holding for a slope in [{}, {}]).",
        shortest(lo),
        shortest(hi),
        points.len(),
        INVERSE_SLOPE.0,
        INVERSE_SLOPE.1
    )
}

/// The sentence on where a model's runs start to oscillate or diverge.
pub fn unstable_claim(model: &str, cells: &[&Cell]) -> String {
    match cells.iter().find(|c| c.oscillating + c.diverged > 0) {
        None => format!(
            "{model}: no run oscillates or diverges at any rate up to {}.",
            shortest(cells.last().map_or(0.0, |c| c.rate))
        ),
        Some(c) => format!(
            "{model}: the first rate at which runs oscillate or diverge is {} ({} oscillate, {} diverge of {}).",
            shortest(c.rate),
            c.oscillating,
            c.diverged,
            c.runs
        ),
    }
}

/// The sentence comparing two cells by their median iterations to settle.
pub fn compare_claim(a: &Cell, b: &Cell) -> String {
    let name = |c: &Cell| format!("{} at rate {}", c.model.label(), shortest(c.rate));
    let show = |m: Option<f64>| m.map_or_else(|| "never (median)".to_owned(), |m| format!("{m} iterations"));
    let verdict = match (a.median_settle, b.median_settle) {
        (Some(x), Some(y)) if x < y => format!("{} settles first, {:.1}× sooner", name(a), y / x),
        (Some(x), Some(y)) if y < x => format!("{} settles first, {:.1}× sooner", name(b), x / y),
        (Some(_), Some(_)) => "they settle at the same median iteration".to_owned(),
        (Some(_), None) => format!("only {} settles (median)", name(a)),
        (None, Some(_)) => format!("only {} settles (median)", name(b)),
        (None, None) => "neither settles (median)".to_owned(),
    };
    format!("{}: {}; {}: {}; {verdict}.", name(a), show(a.median_settle), name(b), show(b.median_settle))
}

/// The sentence naming a model's fastest rate (lowest finite median).
pub fn fastest_claim(model: &str, cells: &[&Cell]) -> String {
    let best = cells.iter().filter_map(|c| c.median_settle.map(|m| (m, c))).min_by(|a, b| a.0.total_cmp(&b.0));
    match best {
        None => format!("{model}: the median run settles at no rate."),
        Some((m, c)) => format!("{model}: rate {} ({m} iterations).", shortest(c.rate)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use perceptron::Architecture;

    #[test]
    fn slope_of_an_inverse_law_is_minus_one() {
        // y = 1000/x at x = 0.1, 1, 10: ln y = ln 1000 − ln x, slope exactly −1.
        let b = log_log_slope(&[(0.1, 10000.0), (1.0, 1000.0), (10.0, 100.0)]).unwrap();
        assert!((b + 1.0).abs() < 1e-12, "{b}");
        assert!(slope_claim("m", &[(0.1, 10000.0), (1.0, 1000.0), (10.0, 100.0)]).contains("∝ 1/rate holds"));
        // y = 1000/√x: slope −0.5, slower than 1/rate.
        let half = [(1.0, 1000.0), (100.0, 100.0)];
        assert!(slope_claim("m", &half).contains("more slowly"), "{}", slope_claim("m", &half));
        assert!(slope_claim("m", &[(1.0, 5.0)]).contains("no slope fitted"));
    }

    fn cell(model: Architecture, rate: f64, median: Option<f64>, oscillating: usize) -> Cell {
        Cell {
            model,
            rate,
            iterations: 1000,
            runs: 8,
            settled: 8 - oscillating,
            oscillating,
            diverged: 0,
            median_settle: median,
            median_final_loss: 0.0,
            per_seed: Vec::new(),
        }
    }

    #[test]
    fn instability_starts_at_the_first_unstable_rate() {
        let one = Architecture::OneLayer;
        let cells = [cell(one, 1.0, Some(10.0), 0), cell(one, 20.0, Some(5.0), 2), cell(one, 50.0, None, 8)];
        let refs: Vec<&Cell> = cells.iter().collect();
        let claim = unstable_claim("one-layer", &refs);
        assert!(
            claim.contains("rate at which runs oscillate or diverge is 20") && claim.contains("2 oscillate"),
            "{claim}"
        );
        assert!(unstable_claim("one-layer", &refs[..1]).contains("no run oscillates"));
        assert_eq!(fastest_claim("one-layer", &refs), "one-layer: rate 20 (5 iterations).");
        assert_eq!(fastest_claim("one-layer", &refs[2..]), "one-layer: the median run settles at no rate.");
    }

    #[test]
    fn the_comparison_names_the_faster() {
        let a = cell(Architecture::OneLayer, 10.0, Some(1000.0), 0);
        let b = cell(Architecture::TwoLayer { hidden: 8 }, 1.0, Some(3000.0), 0);
        let claim = compare_claim(&a, &b);
        assert!(claim.contains("one-layer at rate 10 settles first, 3.0× sooner"), "{claim}");
        let claim = compare_claim(&b, &a);
        assert!(claim.contains("one-layer at rate 10 settles first"), "{claim}");
        let never = cell(Architecture::OneLayer, 10.0, None, 8);
        assert!(compare_claim(&never, &b).contains("only two-layer H=8 at rate 1 settles"));
    }
}
