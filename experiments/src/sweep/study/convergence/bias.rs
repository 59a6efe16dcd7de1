//! Study D's comparison of each two-layer size without and with the output
//! bias `b2` (`o = σ(h·W2)` against `o = σ(h·W2 + b2)`), from the shared
//! training's runs: the same seeds, so `W1` and `W2` start the same in both
//! (`b2` is drawn after them), the same data, iterations and rate.
//!
//! What it states, each number from this run's runs: a table per size
//! (settled, stuck seeds, rule inputs, outputs all on one side of 0.5, lower
//! median iterations); H = 1 with the bias (does it learn the rule, and where
//! it still errs off the training rows); what becomes of the seeds stuck
//! without the bias, with `Σδ2` at their plateau (`plateaus.rs`: the gradient a
//! bias would have there); and which failures remain with the bias.

use std::fmt::Write;

use perceptron::{Architecture, RULE_INPUTS};

use super::plateaus::Plateau;
use super::{one_sided, stuck};
use crate::sweep::model::{name, output_formula, output_input};
use crate::sweep::numbers::{fold, shortest};
use crate::sweep::runs::{RunSummary, is_correct};
use crate::sweep::stats::Sorted;
use crate::sweep::study::Results;

/// One hidden size's runs both ways, in seed order.
struct Pair<'a> {
    hidden: usize,
    /// Sorted by seed, as `with`.
    without: Vec<&'a RunSummary>,
    with: Vec<&'a RunSummary>,
}

impl<'a> Pair<'a> {
    /// Both sides of one size, each sorted by seed (so that a seed's twin is
    /// a binary search away: `--seeds 100000` pairs 10⁵ runs a side).
    fn new(hidden: usize, mut without: Vec<&'a RunSummary>, mut with: Vec<&'a RunSummary>) -> Self {
        without.sort_by_key(|r| r.seed);
        with.sort_by_key(|r| r.seed);
        Self { hidden, without, with }
    }

    /// The run of `seed` with the bias.
    fn with_of(&self, seed: u32) -> Option<&'a RunSummary> {
        self.with.binary_search_by_key(&seed, |r| r.seed).ok().map(|i| self.with[i])
    }

    /// The run of `seed` without the bias.
    fn without_of(&self, seed: u32) -> Option<&'a RunSummary> {
        self.without.binary_search_by_key(&seed, |r| r.seed).ok().map(|i| self.without[i])
    }
}

/// Runs with all 8 rule inputs on the right side of 0.5.
fn all_rule_right(runs: &[&RunSummary]) -> usize {
    runs.iter().filter(|r| r.rule_correct() == [4, 4]).count()
}

/// Runs with the 4 rule inputs with x3 = 1 right.
fn x3_1_right(runs: &[&RunSummary]) -> usize {
    runs.iter().filter(|r| r.rule_correct()[0] == 4).count()
}

/// Runs with every rule output on one side of 0.5.
fn one_side(runs: &[&RunSummary]) -> usize {
    let f = one_sided(runs);
    f.all_above + f.all_below
}

/// Seeds as `2 and 65`, or `none`.
fn seeds(runs: &[&RunSummary]) -> String {
    let listed: Vec<String> = runs.iter().map(|r| r.seed.to_string()).collect();
    match listed.as_slice() {
        [] => "none".to_owned(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The seeds of `runs` for a table cell: listed up to [`LISTED`], else counted (`100 of 100`).
fn listed(runs: &[&RunSummary], of: usize) -> String {
    if runs.len() <= LISTED { seeds(runs) } else { format!("{} of {of}", runs.len()) }
}

/// Seeds listed by name in a table cell, at most.
const LISTED: usize = 8;

fn median_to_0_01(runs: &[&RunSummary]) -> Option<u64> {
    Sorted::counts(runs.iter().filter_map(|r| r.settled_at[1])).lower_median()
}

fn opt(v: Option<u64>) -> String {
    v.map_or_else(|| "never".to_owned(), |t| t.to_string())
}

/// The subsection `### With an output bias` of study D, after its lessons;
/// `measured`: the plateaus explained above, per model.
pub fn compare(results: &Results, measured: &[(Architecture, Vec<Plateau>)], s: &mut String) {
    let pairs: Vec<Pair> = results
        .plan
        .hidden
        .iter()
        .map(|&hidden| {
            let plain = Architecture::two_layer(hidden);
            Pair::new(hidden, results.runs_of(plain), results.runs_of(plain.with_output_bias(true)))
        })
        .filter(|p| !p.without.is_empty() && !p.with.is_empty())
        .collect();
    if pairs.is_empty() {
        return;
    }
    let biased = Architecture::two_layer(1).with_output_bias(true);
    let _ = writeln!(
        s,
        "### With an output bias\n\nEvery two-layer size is also trained with a bias b2 on its output unit, `{}`, from the same seeds: `W1` and `W2` start as in the runs without it (b2 is drawn after them, one more `2·random − 1`), on the same rows, for the same iterations at the same rate (`convergence.csv` and `convergence_summary.csv`: column `output_bias`).\n",
        output_formula(biased)
    );
    let _ = writeln!(
        s,
        "| H | settled below 0.05, without b2 | with b2 | never settled (seeds), without | with | all 8 rule inputs right, without | with | all 8 outputs on one side of 0.5, without | with | lower median iterations to 0.01, without | with |\n|---:|---:|---:|---|---|---:|---:|---:|---:|---:|---:|"
    );
    for p in &pairs {
        let settled = |runs: &[&RunSummary]| runs.iter().filter(|r| r.settled_at[0].is_some()).count();
        let _ = writeln!(
            s,
            "| {} | {} of {} | {} of {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            p.hidden,
            settled(&p.without),
            p.without.len(),
            settled(&p.with),
            p.with.len(),
            listed(&stuck(&p.without), p.without.len()),
            listed(&stuck(&p.with), p.with.len()),
            all_rule_right(&p.without),
            all_rule_right(&p.with),
            one_side(&p.without),
            one_side(&p.with),
            opt(median_to_0_01(&p.without)),
            opt(median_to_0_01(&p.with)),
        );
    }
    let _ = writeln!(s);
    if let Some(p) = pairs.iter().find(|p| p.hidden == 1) {
        h1(p, s);
    }
    for p in pairs.iter().filter(|p| p.hidden > 1) {
        unstuck(p, measured, s);
    }
    remaining(&pairs, s);
}

/// H = 1 with the bias: the rule on the training rows' kind of input and off it.
fn h1(p: &Pair, s: &mut String) {
    let (plain, biased) = (Architecture::two_layer(1), Architecture::two_layer(1).with_output_bias(true));
    let settled = p.with.iter().filter(|r| r.settled_at[0].is_some()).count();
    let settled_without = p.without.iter().filter(|r| r.settled_at[0].is_some()).count();
    let _ = writeln!(
        s,
        "**{}, against {}.** With b2, {settled} of {} runs settle below 0.05 (without: {settled_without}), {} put the 4 rule inputs with x3 = 1 on the right side of 0.5 (without: {}), and {} keep every rule output on one side of 0.5 (without: {}). The bias is what the one-sided output lacked: `{}` changes sign where the hidden value `h = σ(x·w)` crosses `−b2/v`, and since `h` grows with `x·w`, that is where `x·w` crosses one value c: the output is on the 1-side of 0.5 exactly on one side of the plane `x·w = c`, the kind of boundary one layer draws (its plane is `x·w = 0`).{}\n",
        capitalised(&name(biased)),
        name(plain),
        p.with.len(),
        x3_1_right(&p.with),
        x3_1_right(&p.without),
        one_side(&p.with),
        one_side(&p.without),
        output_input(biased, "v·h"),
        if x3_1_right(&p.with) == p.with.len() {
            " Every run with b2 found one that puts the 4 rule inputs with x3 = 1 on their sides."
        } else {
            ""
        },
    );
    // Off the training rows: the rule inputs with x3 = 0, each counted.
    let wrong: Vec<String> = RULE_INPUTS
        .iter()
        .enumerate()
        .filter(|(_, x)| x[2] == 0.0)
        .map(|(k, x)| {
            let n = p.with.iter().filter(|r| !is_correct(r.rule_predictions[k], perceptron::rule_target(x))).count();
            format!("[{}, {}, {}] {n}", shortest(x[0]), shortest(x[1]), shortest(x[2]))
        })
        .collect();
    let _ = writeln!(
        s,
        "The 4 rule inputs with x3 = 0 switch the bias input x3 off: {} of {} runs with b2 have all 8 right; the runs wrong on each, {}. At `[0, 0, 0]` the output is `σ(v/2 + b2)` (h = σ(0) = ½ there), no longer fixed at 0.5 as one layer's.\n",
        all_rule_right(&p.with),
        p.with.len(),
        wrong.join(", ")
    );
}

/// `text` with its first letter in capitals.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// What becomes of one size's seeds stuck without the bias, with it.
fn unstuck(p: &Pair, measured: &[(Architecture, Vec<Plateau>)], s: &mut String) {
    let stuck_without = stuck(&p.without);
    if stuck_without.is_empty() {
        return;
    }
    let plain = Architecture::two_layer(p.hidden);
    let mut fates: Vec<String> = stuck_without
        .iter()
        .take(LISTED)
        .map(|r| {
            let twin = p.with_of(r.seed);
            match twin.and_then(|b| b.settled_at[0]) {
                Some(t) => format!("seed {} settles below 0.05 from iteration {t}", r.seed),
                None => format!(
                    "seed {} never settles either (final largest error {:.4})",
                    r.seed,
                    twin.map_or(f64::NAN, |b| b.final_max_error)
                ),
            }
        })
        .collect();
    if stuck_without.len() > LISTED {
        fates.push(format!("{} more in `convergence.csv`", stuck_without.len() - LISTED));
    }
    let freed = stuck_without.iter().filter(|r| p.with_of(r.seed).is_some_and(|b| b.settled_at[0].is_some())).count();
    let _ = write!(
        s,
        "**The stuck {} seeds, with the bias.** Without b2, {} below 0.05; with it, from the same `W1` and `W2`: {}. The bias freed {freed} of {}.",
        name(plain),
        match stuck_without.len() {
            1 => format!("seed {} never settles", stuck_without[0].seed),
            n if n <= LISTED => format!("seeds {} never settle", seeds(&stuck_without)),
            n => format!("{n} of {} seeds never settle", p.without.len()),
        },
        fates.join("; "),
        stuck_without.len()
    );
    let found = measured.iter().find(|(a, _)| *a == plain).map(|(_, f)| f.as_slice()).unwrap_or(&[]);
    // The plateaus `plateaus::explain` explains: rows at 0.5 with every hidden unit near 0.
    let plateau: Vec<&Plateau> =
        found.iter().filter(|q| !q.rows.is_empty() && q.largest_hidden < super::plateaus::NEAR_ZERO).collect();
    let sums = plateau.iter().map(|q| q.delta_sum.abs());
    let (lo, hi) = sums.clone().fold((f64::INFINITY, 0.0f64), |(l, h), v| (l.min(v), h.max(v)));
    let norm = plateau.iter().map(|q| q.gradient_norm).fold(0.0f64, f64::max);
    // Said only where it holds: a gradient of W1 and W2 to compare with, and b2's larger.
    if !plateau.is_empty() && norm > 0.0 && (lo / norm).is_finite() && lo > norm {
        let range =
            if format!("{lo:.4}") == format!("{hi:.4}") { format!("{lo:.4}") } else { format!("{lo:.4}–{hi:.4}") };
        let _ = write!(
            s,
            " Why the bias matters there: at the final weights of the bias-free runs explained above, `|Σδ2|` is {range}, while the whole gradient of `W1` and `W2` is at most {norm:.1e}: the output deltas on the rows at 0.5 reach `W1` and `W2` only through the saturated `h`, but a bias on the output unit would take their sum undamped, since `∂L/∂b2 = −Σδ2`: with `b2 = 0` added at those weights, `|∂L/∂b2|` exceeds the largest `‖∂L/∂w‖` there {}, so that flat point of the model without b2 is no flat point of the model with it. (The runs with b2 follow their own paths from the start; this says why that trap cannot hold a biased model, not where each biased run went.)",
            fold(lo / norm)
        );
    }
    let _ = writeln!(s, "\n");
}

/// The failures the bias does not remove: runs with the bias that never
/// settle, and runs that settle without it but not with it.
fn remaining(pairs: &[Pair], s: &mut String) {
    let mut parts = Vec::new();
    for p in pairs {
        let left = stuck(&p.with);
        if left.is_empty() {
            continue;
        }
        let newly: Vec<&RunSummary> =
            left.iter().copied().filter(|b| p.without_of(b.seed).is_some_and(|r| r.settled_at[0].is_some())).collect();
        parts.push(format!(
            "H = {}: seeds {} never settle with b2 ({} of them settle without it: {})",
            p.hidden,
            listed(&left, p.with.len()),
            newly.len(),
            listed(&newly, left.len())
        ));
    }
    let total: usize = pairs.iter().map(|p| p.with.len()).sum();
    let slower: Vec<String> = pairs
        .iter()
        .filter(|p| match (median_to_0_01(&p.with), median_to_0_01(&p.without)) {
            (Some(a), Some(b)) => a > b,
            (None, Some(_)) => true,
            _ => false,
        })
        .map(|p| format!("H = {}", p.hidden))
        .collect();
    let speed = if slower.is_empty() {
        "Nor does it slow any size".to_owned()
    } else {
        format!("It slows {} down", slower.join(", "))
    };
    let off_rows = off_rows(pairs);
    if parts.is_empty() {
        let _ = writeln!(
            s,
            "**What the bias does not remove.** No run fails to settle: all {total} two-layer runs with b2 settle below 0.05. {speed}: lower median iterations to settle below 0.01, with b2 against without, {}.{off_rows}\n",
            ratios(pairs)
        );
    } else {
        let _ = writeln!(
            s,
            "**What the bias does not remove.** Of the {total} two-layer runs with b2, some never settle below 0.05: {}. {speed}: lower median iterations to settle below 0.01, with b2 against without, {}.{off_rows}\n",
            parts.join("; "),
            ratios(pairs)
        );
    }
}

/// The sizes at which fewer runs have all 8 rule inputs right with the bias
/// than without, and on which inputs with x3 = 0 more runs err (empty when none).
fn off_rows(pairs: &[Pair]) -> String {
    let wrong = |runs: &[&RunSummary], k: usize| {
        runs.iter().filter(|r| !is_correct(r.rule_predictions[k], perceptron::rule_target(&RULE_INPUTS[k]))).count()
    };
    let worse: Vec<String> = pairs
        .iter()
        .filter(|p| all_rule_right(&p.with) < all_rule_right(&p.without))
        .map(|p| {
            let inputs: Vec<String> = (0..RULE_INPUTS.len())
                .filter(|&k| RULE_INPUTS[k][2] == 0.0 && wrong(&p.with, k) > wrong(&p.without, k))
                .map(|k| {
                    let x = RULE_INPUTS[k];
                    format!(
                        "[{}, {}, {}] wrong in {} against {}",
                        shortest(x[0]),
                        shortest(x[1]),
                        shortest(x[2]),
                        wrong(&p.with, k),
                        wrong(&p.without, k)
                    )
                })
                .collect();
            format!(
                "H = {}, {} runs against {} ({})",
                p.hidden,
                all_rule_right(&p.with),
                all_rule_right(&p.without),
                inputs.join("; ")
            )
        })
        .collect();
    if worse.is_empty() {
        return String::new();
    }
    format!(
        " Off the training rows it can cost: fewer runs have all 8 rule inputs right with b2 than without at {}. On those inputs (x3 = 0) the output is `σ(h·W2 + b2)` with the hidden units' x3 weights switched off.",
        worse.join("; ")
    )
}

/// `H = 2 1.20×, H = 4 1.01×` (with against without), or `H = 1: with b2 only` when only one settled.
fn ratios(pairs: &[Pair]) -> String {
    let parts: Vec<String> = pairs
        .iter()
        .map(|p| match (median_to_0_01(&p.with), median_to_0_01(&p.without)) {
            (Some(a), Some(b)) => format!("H = {} {:.2}× ({a} against {b})", p.hidden, a as f64 / b as f64),
            (Some(a), None) => format!("H = {} {a} against never", p.hidden),
            (None, Some(b)) => format!("H = {} never against {b}", p.hidden),
            (None, None) => format!("H = {} never either way", p.hidden),
        })
        .collect();
    parts.join(", ")
}
