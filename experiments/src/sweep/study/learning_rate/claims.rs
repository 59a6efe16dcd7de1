//! Study G's conclusions, each a sentence computed from the cells: the log–log
//! slope of iterations against the rate and why it is −1 (rate × iterations),
//! the thresholds of the outcome rule checked on the runs, the runs that did not
//! settle, which of two cells settles first, and each model's fastest rate
//! judged by its slowest seed (where the plateaus sit: `plateaus.rs`).

use super::compute::{Cell, Findings, Outcome, Run};
use super::{FIT_MAX_RATE, INVERSE_SLOPE};
use crate::sweep::numbers::shortest;
use crate::sweep::stats::min_max;

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

/// The (rate, lower median) points of a model with a rate up to [`FIT_MAX_RATE`] and a finite median.
pub fn settled_points(cells: &[&Cell]) -> Vec<(f64, f64)> {
    cells
        .iter()
        .filter(|c| c.rate <= FIT_MAX_RATE)
        .filter_map(|c| c.median_settle.map(|m| (c.rate, m as f64)))
        .collect()
}

/// The sentence on one model's slope.
pub fn slope_claim(model: &str, points: &[(f64, f64)]) -> String {
    let Some(b) = log_log_slope(points) else {
        return format!(
            "{model}: fewer than two rates with a finite median, no slope fitted (iterations ∝ 1/rate cannot be tested)."
        );
    };
    let (lo, hi) = min_max(&points.iter().map(|p| p.0).collect::<Vec<_>>());
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

/// The sentence on rate × iterations: over a model's rates up to [`FIT_MAX_RATE`],
/// the range of rate × lower median iterations to settle (where finite, the
/// slope's points) and of the lower median final loss.
pub fn product_claim(model: &str, cells: &[&Cell]) -> String {
    let small: Vec<&&Cell> = cells.iter().filter(|c| c.rate <= FIT_MAX_RATE).collect();
    let (Some(first), Some(last)) = (small.first(), small.last()) else {
        return format!("{model}: no rate up to {}.", shortest(FIT_MAX_RATE));
    };
    let (l_lo, l_hi) = min_max(&small.iter().map(|c| c.lower_median_final_loss).collect::<Vec<_>>());
    let loss = format!(
        "the lower median final loss lies in {l_lo:.3e}–{l_hi:.3e} (a spread of {} % of the smallest) at the rates {}–{}",
        shortest(((l_hi - l_lo) / l_lo * 100.0 * 10.0).round() / 10.0),
        shortest(first.rate),
        shortest(last.rate)
    );
    let settled: Vec<&&&Cell> = small.iter().filter(|c| c.median_settle.is_some()).collect();
    let products: Vec<f64> = settled.iter().filter_map(|c| c.median_settle.map(|m| c.rate * m as f64)).collect();
    if products.is_empty() {
        return format!("{model}: {loss}; no median settled at these rates.");
    }
    let (p_lo, p_hi) = min_max(&products);
    let rates: Vec<String> = settled.iter().map(|c| shortest(c.rate)).collect();
    format!(
        "{model}: rate × lower median iterations to settle lies in {p_lo:.0}–{p_hi:.0} at the rates {} (those with a finite median), and {loss}.",
        rates.join(", ")
    )
}

/// The sentence checking the rule's thresholds against the runs: how far the
/// measures of each outcome are from them.
pub fn thresholds_claim(f: &Findings) -> String {
    let runs: Vec<&Run> = f.cells.iter().flat_map(|c| &c.per_seed).collect();
    let of = |o: Outcome| runs.iter().copied().filter(move |r| r.outcome == o);
    let rise = runs.iter().filter(|r| r.outcome != Outcome::Settled).map(|r| r.largest_rise).fold(0.0, f64::max);
    let mut parts = vec![format!(
        "On these runs: the largest rise of L from N/2 on, among the runs that did not settle, is {}",
        sci(rise)
    )];
    let plateau: Vec<&Run> = of(Outcome::Plateau).collect();
    if !plateau.is_empty() {
        let drop = plateau.iter().map(|r| r.second_half_drop).fold(0.0, f64::max);
        let grad = plateau.iter().map(|r| r.gradient_norm).fold(0.0, f64::max);
        parts.push(format!(
            "{} fell by at most {} from N/2 to N, with gradient norms at most {}",
            runs_of(plateau.len(), "plateau"),
            sci(drop),
            sci(grad)
        ));
    }
    let descending: Vec<&Run> = of(Outcome::Descending).collect();
    if !descending.is_empty() {
        let drop = descending.iter().map(|r| r.second_half_drop).fold(f64::INFINITY, f64::min);
        parts.push(format!("{} fell by at least {}", runs_of(descending.len(), "descending"), sci(drop)));
    }
    format!("{}.", parts.join("; "))
}

/// `the 3 plateau runs`, `the 1 plateau run`.
fn runs_of(n: usize, kind: &str) -> String {
    format!("the {n} {kind} run{}", if n == 1 { "" } else { "s" })
}

/// `x` as `1.2e-5` (or `0`).
pub(super) fn sci(x: f64) -> String {
    if x == 0.0 { "0".to_owned() } else { format!("{x:.1e}") }
}

/// The sentence on divergence: how many runs diverged, and why none can here.
pub fn diverged_claim(f: &Findings) -> String {
    match f.count(Outcome::Diverged) {
        0 => "No run diverged (no update made a weight non-finite), nor could one at these rates: σ′ ≤ ¼ and every output lies in (0, 1), so each step moves each weight by a bounded amount, and a few hundred thousand such steps stay far inside f64's range.".to_owned(),
        n => format!("{n} runs diverged (an update would have made a weight non-finite)."),
    }
}

/// Seeds as `1, 4, 6`.
pub(super) fn seeds(runs: &[&Run]) -> String {
    runs.iter().map(|r| r.seed.to_string()).collect::<Vec<_>>().join(", ")
}

/// The sentence listing a model's cells with runs that did not settle, by
/// outcome; consecutive rates with the same counts and seeds merged.
pub fn not_settled_claim(model: &str, cells: &[&Cell]) -> String {
    // (first cell, last cell, what ended how)
    let mut parts: Vec<(&Cell, &Cell, String)> = Vec::new();
    for (i, c) in cells.iter().enumerate().filter(|(_, c)| !c.all_settled()) {
        let kinds: Vec<String> = Outcome::ALL[1..]
            .iter()
            .filter_map(|&o| {
                let runs: Vec<&Run> = c.per_seed.iter().filter(|r| r.outcome == o).collect();
                (!runs.is_empty()).then(|| format!("{} {} (seed {})", runs.len(), o.name(), seeds(&runs)))
            })
            .collect();
        let what = kinds.join(", ");
        match parts.last_mut() {
            Some(last) if last.2 == what && i > 0 && std::ptr::eq(last.1, cells[i - 1]) => last.1 = c,
            _ => parts.push((c, c, what)),
        }
    }
    if parts.is_empty() {
        return format!("{model}: none; every seed settled at every rate.");
    }
    let parts: Vec<String> = parts
        .into_iter()
        .map(|(a, b, what)| {
            if std::ptr::eq(a, b) {
                format!("rate {} (N = {}): {what}", shortest(a.rate), a.iterations)
            } else {
                let (ra, rb) = (shortest(a.rate), shortest(b.rate));
                format!("rates {ra}–{rb} (N = {}–{}): {what} at each", a.iterations, b.iterations)
            }
        })
        .collect();
    format!("{model}: {}.", parts.join("; "))
}

/// The sentence comparing two cells by their lower median iterations to settle.
pub fn compare_claim(a: &Cell, b: &Cell) -> String {
    let name = |c: &Cell| format!("{} at rate {}", c.model.label(), shortest(c.rate));
    let show = |c: &Cell| {
        c.median_settle.map_or_else(|| format!("> {} iterations (median)", c.iterations), |m| format!("{m} iterations"))
    };
    let verdict = match (a.median_settle, b.median_settle) {
        (Some(x), Some(y)) if x < y => format!("{} settles first, {:.1}× sooner", name(a), y as f64 / x as f64),
        (Some(x), Some(y)) if y < x => format!("{} settles first, {:.1}× sooner", name(b), x as f64 / y as f64),
        (Some(_), Some(_)) => "they settle at the same median iteration".to_owned(),
        (Some(_), None) => format!("only {} settles (median)", name(a)),
        (None, Some(_)) => format!("only {} settles (median)", name(b)),
        (None, None) => "neither settles (median)".to_owned(),
    };
    format!("{}: {}; {}: {}; {verdict}.", name(a), show(a), name(b), show(b))
}

/// The sentence naming a model's fastest rate: among the rates at which the
/// most seeds settled, the one whose slowest settled seed settles first (the
/// lower rate on a tie).
pub fn fastest_claim(model: &str, cells: &[&Cell]) -> String {
    let most = cells.iter().map(|c| c.settled).max().unwrap_or(0);
    let best = cells
        .iter()
        .filter(|c| c.settled == most && most > 0)
        .filter_map(|c| settled_range(c).map(|r| (r, c)))
        .min_by_key(|p| p.0.1);
    let Some(((fastest, slowest), c)) = best else {
        return format!("{model}: at no rate does any seed settle within its iterations.");
    };
    let who =
        if most == c.runs { format!("all {most} seeds") } else { format!("{most} of {} seeds (the most)", c.runs) };
    let spread = slowest as f64 / fastest.max(1) as f64;
    let note = if spread >= 10.0 { format!("; its seeds span a factor of {spread:.0}") } else { String::new() };
    format!(
        "{model}: rate {}, where {who} settled, the slowest within {slowest} iterations (fastest seed {fastest}, lower median {}){note}.",
        shortest(c.rate),
        c.median_settle.map_or_else(|| format!("> {}", c.iterations), |m| m.to_string()),
    )
}

/// The fastest and slowest of a cell's seeds that settled.
pub fn settled_range(cell: &Cell) -> Option<(u64, u64)> {
    let at: Vec<u64> = cell.per_seed.iter().filter_map(|r| r.settled_at).collect();
    Some((*at.iter().min()?, *at.iter().max()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sweep::study::learning_rate::RATES;
    use crate::sweep::study::learning_rate::plateaus::{places, plateau_claims};
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

    fn run(seed: u32, settled_at: Option<u64>, outcome: Outcome, outputs: [f64; 4]) -> Run {
        Run {
            seed,
            settled_at,
            final_loss: 1.0,
            half_loss: 1.0,
            second_half_drop: 0.0,
            largest_rise: 0.0,
            gradient_norm: 1e-9,
            flat_from: 3,
            o_00: outputs[0],
            o_11: outputs[1],
            o_10: outputs[2],
            o_01: outputs[3],
            outcome,
        }
    }

    /// A cell of 8 runs settling at `at` (`None`: a plateau at all outputs 0).
    fn cell(model: Architecture, rate: f64, at: [Option<u64>; 8]) -> Cell {
        let runs: Vec<Run> = (0..8)
            .map(|s| match at[s] {
                Some(t) => run(s as u32, Some(t), Outcome::Settled, [0.0, 1.0, 1.0, 0.0]),
                None => run(s as u32, None, Outcome::Plateau, [0.0; 4]),
            })
            .collect();
        let mut sorted: Vec<u64> = at.iter().map(|t| t.unwrap_or(u64::MAX)).collect();
        sorted.sort_unstable();
        let finite = |t: u64| (t != u64::MAX).then_some(t);
        let settled = at.iter().flatten().count();
        Cell {
            model,
            rate,
            iterations: 1000,
            runs: 8,
            settled,
            descending: 0,
            plateau: 8 - settled,
            oscillating: 0,
            diverged: 0,
            // Nearest rank of 8 values: q = 0.25 → 2nd, 0.5 → 4th, 0.75 → 6th.
            settle_min: finite(sorted[0]),
            settle_q1: finite(sorted[1]),
            median_settle: finite(sorted[3]),
            settle_q3: finite(sorted[5]),
            settle_max: finite(sorted[7]),
            lower_median_final_loss: 0.0,
            per_seed: runs,
        }
    }

    #[test]
    fn the_fastest_rate_is_judged_by_its_slowest_seed() {
        let one = Architecture::OneLayer;
        // One layer's seeds at rate 50 in the first sweep (3, 17, 4, 3, 344, 5, 198, 3):
        // lower median 4, yet the slowest seed needs 344; rate 20's slowest 465; at
        // rate 100 three seeds did not settle.
        let cells = [
            cell(one, 20.0, [350, 95, 464, 465, 398, 45, 465, 454].map(Some)),
            cell(one, 50.0, [3, 17, 4, 3, 344, 5, 198, 3].map(Some)),
            cell(one, 100.0, [Some(4), None, Some(30), Some(51), None, Some(7), None, Some(2)]),
        ];
        let refs: Vec<&Cell> = cells.iter().collect();
        assert_eq!(
            fastest_claim("one-layer", &refs),
            "one-layer: rate 50, where all 8 seeds settled, the slowest within 344 iterations (fastest seed 3, lower median 4); its seeds span a factor of 115."
        );
        assert_eq!(
            fastest_claim("one-layer", &refs[2..]),
            "one-layer: rate 100, where 5 of 8 seeds (the most) settled, the slowest within 51 iterations (fastest seed 2, lower median 30); its seeds span a factor of 26."
        );
        let claim = not_settled_claim("one-layer", &refs);
        assert_eq!(claim, "one-layer: rate 100 (N = 1000): 3 plateau (seed 1, 4, 6).");
        let lines = plateau_claims(&Findings { models: vec![one], product: 100, cells: cells.to_vec() });
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(
            lines[0].starts_with("o ≈ (0, 0, 0, 0) (rows (1,1), (1,0) saturated wrong), L = 1.000000–1.000000"),
            "{}",
            lines[0]
        );
        assert!(lines[0].ends_with("(3 runs): one-layer rate 100 seed 1, 4, 6."), "{}", lines[0]);
        // flat_from 3 of N = 1000: 0.3 %, shown rounded up.
        assert!(lines[0].contains("from iteration 3 at the latest, 1 % of its N"), "{}", lines[0]);
    }

    #[test]
    fn places_merge_consecutive_rates_with_the_same_seeds() {
        let two = Architecture::TwoLayer { hidden: 2 };
        let seed_2 = |rate| {
            let mut at = [Some(100); 8];
            at[2] = None;
            cell(two, rate, at)
        };
        let mut cells: Vec<Cell> = RATES[..8].iter().map(|&r| seed_2(r)).collect();
        cells.push(cell(two, 50.0, [Some(9), Some(9), None, Some(9), None, Some(9), Some(9), Some(9)]));
        cells.push(cell(
            Architecture::OneLayer,
            100.0,
            [Some(9), None, Some(9), Some(9), Some(9), Some(9), Some(9), Some(9)],
        ));
        let runs: Vec<(&Cell, &Run)> = cells
            .iter()
            .flat_map(|c| c.per_seed.iter().filter(|r| r.settled_at.is_none()).map(move |r| (c, r)))
            .collect();
        assert_eq!(places(&runs), "two-layer H=2 rates 0.1–20 seed 2, rate 50 seed 2, 4; one-layer rate 100 seed 1");
        let refs: Vec<&Cell> = cells[..9].iter().collect();
        assert_eq!(
            not_settled_claim("two-layer H=2", &refs),
            "two-layer H=2: rates 0.1–20 (N = 1000–1000): 1 plateau (seed 2) at each; rate 50 (N = 1000): 2 plateau (seed 2, 4)."
        );
        // A gap in the rates is not merged.
        let gap = [runs[0], runs[2]];
        assert_eq!(places(&gap), "two-layer H=2 rate 0.1 seed 2, rate 0.5 seed 2");
    }

    #[test]
    fn the_product_claim_spans_the_small_rates() {
        let one = Architecture::OneLayer;
        let cells = [
            cell(one, 1.0, [9358; 8].map(Some)),
            cell(one, 10.0, [929; 8].map(Some)),
            cell(one, 20.0, [400; 8].map(Some)),
        ];
        let refs: Vec<&Cell> = cells.iter().collect();
        // 1 × 9358 and 10 × 929 = 9290; rate 20 is above FIT_MAX_RATE; the cells' losses are all 0.
        let claim = product_claim("m", &refs);
        assert!(
            claim.starts_with("m: rate × lower median iterations to settle lies in 9290–9358 at the rates 1, 10 "),
            "{claim}"
        );
        let mut flat = cells.clone();
        for (c, loss) in flat.iter_mut().zip([2.0e-5, 2.1e-5, 1.0]) {
            c.lower_median_final_loss = loss;
        }
        let refs: Vec<&Cell> = flat.iter().collect();
        // (2.1e-5 − 2.0e-5) / 2.0e-5 = 5 %.
        assert!(
            product_claim("m", &refs)
                .ends_with("lies in 2.000e-5–2.100e-5 (a spread of 5 % of the smallest) at the rates 1–10."),
            "{}",
            product_claim("m", &refs)
        );
    }

    #[test]
    fn the_comparison_names_the_faster() {
        let a = cell(Architecture::OneLayer, 10.0, [1000; 8].map(Some));
        let b = cell(Architecture::TwoLayer { hidden: 8 }, 1.0, [3000; 8].map(Some));
        let claim = compare_claim(&a, &b);
        assert!(claim.contains("one-layer at rate 10 settles first, 3.0× sooner"), "{claim}");
        let claim = compare_claim(&b, &a);
        assert!(claim.contains("one-layer at rate 10 settles first"), "{claim}");
        let never = cell(Architecture::OneLayer, 10.0, [None; 8]);
        let claim = compare_claim(&never, &b);
        assert!(
            claim.contains("> 1000 iterations (median)") && claim.contains("only two-layer H=8 at rate 1 settles"),
            "{claim}"
        );
    }
}
