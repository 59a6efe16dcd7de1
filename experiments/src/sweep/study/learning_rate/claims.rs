//! Study G's conclusions, each computed from the cells: per model, the rates at
//! which no loss rose and what stays constant there (`ModelRow`); the overshoot;
//! the runs that left a plateau; the dead hidden units shared with study D; why
//! no run can diverge; which of two cells settles first; each model's fastest
//! rate judged by its slowest seed (where the plateaus sit: `plateaus.rs`).

use super::compute::{Cell, Findings, Outcome, Run};
use super::plateaus::{sci, seeds};
use super::trajectory::HIGH;
use crate::sweep::model;
use crate::sweep::numbers::fold;
use crate::sweep::numbers::shortest;
use crate::sweep::plan::Plan;
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

/// One model's row of the report's table: the rates at which no seed's loss
/// rose (small steps), what stays constant there, and from where it rose.
pub struct ModelRow {
    pub model: String,
    /// The model's rates below the first at which some seed's loss rose.
    pub alike: Vec<f64>,
    /// Over those rates with a finite median: the range of rate × lower median
    /// iterations to settle, and the log–log slope of the median on the rate.
    pub product: Option<(f64, f64)>,
    pub slope: Option<f64>,
    /// From the first rate at which some seed's loss rose: each rate and how many seeds' did.
    pub rose: Vec<(f64, usize)>,
    /// Runs that did not settle, and of how many.
    pub not_settled: usize,
    pub runs: usize,
}

impl ModelRow {
    /// The row of a model's `cells` (rates ascending).
    pub fn of(model: &str, cells: &[&Cell]) -> Self {
        let first = cells.iter().position(|c| c.rose > 0).unwrap_or(cells.len());
        let alike: Vec<&Cell> = cells[..first].to_vec();
        let points: Vec<(f64, f64)> =
            alike.iter().filter_map(|c| c.median_settle.map(|m| (c.rate, m as f64))).collect();
        let products: Vec<f64> = points.iter().map(|&(r, m)| r * m).collect();
        ModelRow {
            model: model.to_owned(),
            alike: alike.iter().map(|c| c.rate).collect(),
            product: (!products.is_empty()).then(|| min_max(&products)),
            slope: log_log_slope(&points),
            rose: cells[first..].iter().map(|c| (c.rate, c.rose)).collect(),
            not_settled: cells.iter().map(|c| c.runs - c.settled).sum(),
            runs: cells.iter().map(|c| c.runs).sum(),
        }
    }

    /// Its cells in the table, after the model's name.
    pub fn cells(&self) -> [String; 5] {
        let rates = match (self.alike.first(), self.alike.last()) {
            (Some(a), Some(b)) if a == b => shortest(*a),
            (Some(a), Some(b)) => format!("{}–{}", shortest(*a), shortest(*b)),
            _ => "none".to_owned(),
        };
        let product = self.product.map_or_else(|| "–".to_owned(), |(lo, hi)| format!("{lo:.0}–{hi:.0}"));
        let slope = self.slope.map_or_else(|| "–".to_owned(), |b| format!("{b:.2}"));
        let rose: Vec<String> = self.rose.iter().map(|(r, n)| format!("{}: {n}", shortest(*r))).collect();
        let rose = if rose.is_empty() { "none".to_owned() } else { rose.join(", ") };
        [rates, product, slope, rose, format!("{} of {}", self.not_settled, self.runs)]
    }
}

/// The sentence on overshoot: how many runs raised the loss at some step from
/// the smallest rate at which any did, and at the two largest rates; the
/// largest one-step jump (one run); how many of the runs that rose settled.
pub fn overshoot_claim(f: &Findings) -> Option<String> {
    let first = f.cells.iter().filter(|c| c.rose > 0).map(|c| c.rate).fold(f64::INFINITY, f64::min);
    if !first.is_finite() {
        return None;
    }
    let count = |from: f64| {
        let cells: Vec<&Cell> = f.cells.iter().filter(|c| c.rate >= from).collect();
        (cells.iter().map(|c| c.rose).sum::<usize>(), cells.iter().map(|c| c.runs).sum::<usize>())
    };
    let (rose, of) = count(first);
    let top = super::RATES[super::RATES.len() - 2];
    let (rose_top, of_top) = count(top);
    let runs: Vec<(&Cell, &Run)> =
        f.cells.iter().flat_map(|c| c.per_seed.iter().map(move |r| (c, r))).filter(|p| p.1.rose_at.is_some()).collect();
    let jump = |r: &Run| match (r.rose_at, r.peak_at, r.loss_before_rise, r.peak_loss) {
        (Some(t), Some(p), Some(a), Some(b)) if p == t + 1 => b - a,
        _ => f64::NEG_INFINITY,
    };
    let (c, r) = runs.iter().copied().fold(runs[0], |best, p| if jump(p.1) > jump(best.1) { p } else { best });
    let settled = runs.iter().filter(|p| p.1.outcome == Outcome::Settled).count();
    let t = r.rose_at.unwrap_or(0);
    Some(format!(
        "From rate {} on, {rose} of {of} runs raised L at some step; at rates {} and {}, {rose_top} of {of_top}. The largest jump in one step: {} at rate {}, seed {}, from L = {:.3} at iteration {t} to {:.3} at iteration {}. {settled} of the {} runs that rose went on to settle.",
        shortest(first),
        shortest(top),
        shortest(super::RATES[super::RATES.len() - 1]),
        c.model.label(),
        shortest(c.rate),
        r.seed,
        r.loss_before_rise.unwrap_or(f64::NAN),
        r.peak_loss.unwrap_or(f64::NAN),
        t + 1,
        runs.len(),
    ))
}

/// The sentence naming the runs that sat on a plateau (a quarter of their
/// steps with L within `FLAT` and above `HIGH`) and left it within their
/// steps, and what became of each; `None` if none did.
pub fn left_claim(f: &Findings) -> Option<String> {
    let left: Vec<String> = f
        .cells
        .iter()
        .flat_map(|c| c.per_seed.iter().map(move |r| (c, r)))
        .filter_map(|(c, r)| {
            let (from, to, level) = (r.stuck_from?, r.stuck_to?, r.stuck_loss?);
            (r.final_loss < level / 2.0).then(|| {
                let end = match r.settled_at {
                    Some(t) => format!("settled at {t}"),
                    None => format!(
                        "L = {} at N = {}, {} lower, still falling",
                        sci(r.final_loss),
                        c.iterations,
                        fold(level / r.final_loss)
                    ),
                };
                format!(
                    "{} rate {} seed {} (L ≈ {:.3} at iterations {from}–{to} of {}; {end})",
                    c.model.label(),
                    shortest(c.rate),
                    r.seed,
                    level,
                    c.iterations
                )
            })
        })
        .collect();
    (!left.is_empty()).then(|| {
        format!(
            "A plateau need not be final. {} sat within {} % of one L ≥ {} for at least a quarter of {} steps and then left it: {}. So each plateau above is where its run stopped; a longer run may still leave it.",
            if left.len() == 1 { "One run".to_owned() } else { format!("{} runs", left.len()) },
            shortest(super::FLAT * 100.0),
            shortest(HIGH),
            if left.len() == 1 { "its" } else { "their" },
            left.join("; ")
        )
    })
}

/// The sentence tying the two-layer H = 2 runs that end at `o ≈ (0, ½, ½, 0)`
/// without their loss ever rising to study D's stuck runs: at the sweep's own
/// rate on the notebook's data, such a run is the first `N` steps of D's run of
/// the same seed (same initial weights, rows and rate; `N ≤ --iterations`).
/// `None` unless the plan trains that run in D (H = 2 in `--hidden`, the
/// notebook's rows, the seed below `--seeds`), and for a model with the output
/// bias (`--output-bias`): the explanation is the bias-free model's, and with
/// `b2` the rows at ½ with target 1 would give it the gradient `Σδ2 ≈ 2·⅛`,
/// so that state is no plateau of the biased model.
pub fn dead_units_claim(f: &Findings, plan: &Plan) -> Option<String> {
    let two = plan.two_layer(2);
    let in_d =
        plan.hidden.contains(&2) && plan.data.table() == perceptron::Dataset::notebook().table() && !two.output_bias();
    let cell = f.cells.iter().find(|c| c.model == two && c.rate == plan.learning_rate).filter(|_| in_d)?;
    let calm: Vec<&Run> = cell
        .per_seed
        .iter()
        .filter(|r| {
            r.outcome == Outcome::Plateau
                && r.rose_at.is_none()
                && r.seed < plan.seeds
                && super::plateaus::pattern(r.outputs()) == "(0, ½, ½, 0)"
        })
        .collect();
    let first = calm.first()?;
    let hidden = calm.iter().filter_map(|r| r.largest_hidden_at_half).fold(0.0, f64::max);
    Some(format!(
        "Not every plateau comes from a jump. At rate {} two-layer H=2 seed{} {} never raised L, yet ended at o ≈ (0, ½, ½, 0) with every hidden unit at most {} on the rows at ½: {} the first {} steps of study D's run of {} (same initial weights, rows and rate), in the dead-hidden-unit state D explains: with {}, {} ≈ σ(0) = ½ where every h ≈ 0, and the gradient through those units vanishes.",
        shortest(cell.rate),
        if calm.len() == 1 { "" } else { "s" },
        seeds(&calm),
        sci(hidden),
        if calm.len() == 1 { "it is" } else { "each is" },
        cell.iterations,
        if calm.len() == 1 { format!("seed {}", first.seed) } else { "the same seed".to_owned() },
        model::bias_clause(two),
        model::output_formula(two),
    ))
}

/// The sentence on divergence: how many runs diverged, or the bound on every
/// weight that rules it out at `product` = K and the largest rate `rate`, on
/// the notebook's four rows (inputs 0 or 1): `|δ| = |y − o|·o·(1 − o) ≤ 4/27`
/// (the largest of `(1 − o)²·o`), so a step moves a one-layer weight or `W2`
/// by at most `4·r·4/27` and `W1` by at most `4·r·(4/27)·¼·max |W2|`; and `r·N < K + r`.
pub fn diverged_claim(f: &Findings) -> String {
    let n = f.count(Outcome::Diverged);
    if n > 0 {
        return format!("{n} runs diverged (an update would have made a weight non-finite).");
    }
    let rate = super::RATES.iter().copied().fold(0.0, f64::max);
    let reach = f.product as f64 + rate;
    let w2 = 1.0 + 16.0 * reach / 27.0;
    let w1 = 1.0 + 4.0 * reach * w2 / 27.0;
    // The output bias moves as W2 does: by r·Σδ2, at most 4·r·4/27.
    let (w2_or_b2, every) =
        if f.models.iter().any(|m| m.output_bias()) { (", W2 or b2", "|W2| and |b2|") } else { (" or W2", "|W2|") };
    format!(
        "No run diverged, nor can one here: on these rows |δ| = |y − o|·o·(1 − o) ≤ 4/27, so a step at rate r moves a one-layer weight{w2_or_b2} by at most 16r/27 and W1 by at most (4r/27)·max |W2|; with r·N < K + r ≤ {}, every {every} stays below {:.0} and every |W1| below {:.1e}.",
        shortest(reach),
        w2,
        w1
    )
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
        // y = 1000/√x: slope −0.5.
        let b = log_log_slope(&[(1.0, 1000.0), (100.0, 100.0)]).unwrap();
        assert!((b + 0.5).abs() < 1e-12, "{b}");
        assert_eq!(log_log_slope(&[(1.0, 5.0)]), None);
    }

    /// A run settling at `settled_at` (else a plateau), its loss rising at step
    /// `rose` (from 0.5 to 1 on the next step) if given.
    fn run(seed: u32, settled_at: Option<u64>, rose: Option<u64>, outputs: [f64; 4]) -> Run {
        let outcome = if settled_at.is_some() { Outcome::Settled } else { Outcome::Plateau };
        Run {
            seed,
            settled_at,
            final_loss: 1.0,
            gradient_norm: 1e-9,
            rose_at: rose,
            loss_before_rise: rose.map(|_| 0.5),
            peak_loss: rose.map(|_| 1.0),
            peak_at: rose.map(|t| t + 1),
            rising_steps: u64::from(rose.is_some()),
            flat_from: 3,
            stuck_from: None,
            stuck_to: None,
            stuck_loss: None,
            o_00: outputs[0],
            o_11: outputs[1],
            o_10: outputs[2],
            o_01: outputs[3],
            largest_hidden_at_half: None,
            outcome,
        }
    }

    /// A cell of 8 runs settling at `at` (`None`: a plateau at all outputs 0,
    /// its loss rising at step 0).
    fn cell(model: Architecture, rate: f64, at: [Option<u64>; 8]) -> Cell {
        let runs: Vec<Run> = (0..8)
            .map(|s| match at[s] {
                Some(t) => run(s as u32, Some(t), None, [0.0, 1.0, 1.0, 0.0]),
                None => run(s as u32, None, Some(0), [0.0; 4]),
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
            rose: 8 - settled,
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
        let lines = plateau_claims(&Findings { models: vec![one], product: 100, cells: cells.to_vec() });
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(
            lines[0].starts_with(
                "o ≈ (0, 0, 0, 0) (rows (1,1), (1,0) saturated wrong), 3 runs, L rose first in every one: L = 1.000000–1.000000"
            ),
            "{}",
            lines[0]
        );
        assert!(lines[0].ends_with(": one-layer rate 100 seed 1, 4, 6."), "{}", lines[0]);
        // flat_from 3 of N = 1000: 0.3 %, rounded to 0; the first of the tied runs named.
        assert!(
            lines[0].contains("from iteration 3 at the latest (one-layer rate 100 seed 1, 0 % of its N)"),
            "{}",
            lines[0]
        );
    }

    #[test]
    fn places_merge_consecutive_rates_with_the_same_seeds() {
        let two = Architecture::two_layer(2);
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
        // A gap in the rates is not merged.
        let gap = [runs[0], runs[2]];
        assert_eq!(places(&gap), "two-layer H=2 rate 0.1 seed 2, rate 0.5 seed 2");
    }

    #[test]
    fn a_model_row_holds_the_rates_before_the_first_rise() {
        let one = Architecture::OneLayer;
        let cells = [
            cell(one, 1.0, [9358; 8].map(Some)),
            cell(one, 10.0, [929; 8].map(Some)),
            cell(one, 20.0, [Some(400), None, Some(400), Some(400), Some(400), Some(400), Some(400), Some(400)]),
        ];
        let refs: Vec<&Cell> = cells.iter().collect();
        let row = ModelRow::of("m", &refs);
        // Rate 20 is the first with a rise (seed 1's); before it, 1 × 9358 and 10 × 929 = 9290,
        // and ln(929/9358) / ln(10) = −1.003.
        assert_eq!(row.alike, vec![1.0, 10.0]);
        assert_eq!(row.cells(), ["1–10", "9290–9358", "-1.00", "20: 1", "1 of 24"].map(String::from));
    }

    #[test]
    fn overshoot_names_the_largest_one_step_jump() {
        let one = Architecture::OneLayer;
        let mut cells = vec![
            cell(one, 1.0, [100; 8].map(Some)),
            cell(one, 50.0, [Some(9), None, Some(9), Some(9), Some(9), Some(9), Some(9), Some(9)]),
            cell(one, 100.0, [Some(9), Some(9), Some(9), None, None, Some(9), Some(9), Some(9)]),
        ];
        // Seed 4 at rate 100 jumps from 0.2 to 1: the largest in one step.
        cells[2].per_seed[4].loss_before_rise = Some(0.2);
        let f = Findings { models: vec![one], product: 100, cells };
        assert_eq!(
            overshoot_claim(&f).as_deref(),
            Some(
                "From rate 50 on, 3 of 16 runs raised L at some step; at rates 50 and 100, 3 of 16. The largest jump in one step: one-layer at rate 100, seed 4, from L = 0.200 at iteration 0 to 1.000 at iteration 1. 0 of the 3 runs that rose went on to settle."
            )
        );
    }

    #[test]
    fn folds_have_two_significant_digits() {
        assert_eq!(fold(5551.2), "5,600-fold");
        assert_eq!(fold(12.4), "12-fold");
        assert_eq!(fold(1_234_567.0), "1,200,000-fold");
        assert_eq!(fold(3.0), "3-fold");
    }

    #[test]
    fn the_comparison_names_the_faster() {
        let a = cell(Architecture::OneLayer, 10.0, [1000; 8].map(Some));
        let b = cell(Architecture::two_layer(8), 1.0, [3000; 8].map(Some));
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
