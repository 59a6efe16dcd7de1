//! Study D: one layer against 3→H→1 for each `--hidden` size, all rows, every
//! seed: `convergence.csv`, `convergence_curves.csv`, `convergence_summary.csv`,
//! `convergence.svg`.
//!
//! Beyond the table, the section explains what it counts, from this run's runs:
//! - H = 1: the output unit has no bias, so `o = σ(v·h)` with `h = σ(x·w) ∈ (0, 1)`
//!   has the sign of `v` for every input: all outputs fall on one side of 0.5
//!   ([`OneSided`], counted over the 8 rule inputs);
//! - the two-layer runs that never settle below 0.05 ([`stuck`]), with their
//!   final largest error (e.g. stuck at about 0.5).

use std::fmt::Write;

use anyhow::Result;
use perceptron::Architecture;

use super::super::runs::RunSummary;
use super::super::tables::{CurveRow, convergence_rows, convergence_summary, to_csv};
use super::super::{Results, plots, report};
use super::{Rendered, Study, file};

pub struct Convergence;

impl Study for Convergence {
    fn name(&self) -> &'static str {
        "convergence"
    }

    fn render(&self, results: &Results) -> Result<Rendered> {
        let models = results.models();
        let curves: Vec<(String, Vec<CurveRow>)> =
            models.iter().map(|&m| (m.label(), results.model(m).curve.clone())).collect();
        // One model's rows at a time (10⁵ seeds: 10⁵ rows each), never all models'.
        let mut runs_csv = csv::Writer::from_writer(Vec::new());
        let mut summary = Vec::new();
        for &m in &models {
            let rows = convergence_rows(&results.model_runs(m));
            for row in &rows {
                runs_csv.serialize(row)?;
            }
            summary.push(convergence_summary(&m.label(), &rows.iter().collect::<Vec<_>>()));
        }
        let runs_csv = runs_csv.into_inner()?;
        let all_curves: Vec<&CurveRow> = curves.iter().flat_map(|(_, rows)| rows).collect();
        let files = vec![
            file("convergence.csv", runs_csv),
            file("convergence_curves.csv", to_csv(&all_curves)?),
            file("convergence_summary.csv", to_csv(&summary)?),
            file("convergence.svg", plots::convergence(&curves)?.into_bytes()),
        ];
        let mut section = String::new();
        report::convergence(&summary, &mut section);
        explain(results, &mut section);
        Ok(Rendered { files, section })
    }
}

/// How many runs put all 8 rule inputs on one side of 0.5, and their output range.
#[derive(Debug, PartialEq)]
pub struct OneSided {
    pub runs: usize,
    /// Runs whose 8 outputs are all `> 0.5` / all `< 0.5`.
    pub all_above: usize,
    pub all_below: usize,
    /// Smallest and largest output over every run and rule input.
    pub range: (f64, f64),
}

pub fn one_sided(runs: &[&RunSummary]) -> OneSided {
    let above = |r: &&&RunSummary| r.rule_predictions.iter().all(|&p| p > 0.5);
    let below = |r: &&&RunSummary| r.rule_predictions.iter().all(|&p| p < 0.5);
    let all = runs.iter().flat_map(|r| r.rule_predictions);
    OneSided {
        runs: runs.len(),
        all_above: runs.iter().filter(above).count(),
        all_below: runs.iter().filter(below).count(),
        range: (all.clone().fold(f64::INFINITY, f64::min), all.fold(f64::NEG_INFINITY, f64::max)),
    }
}

/// The runs that never settle below the first threshold (0.05): `(seed, final max |y − o|)`.
pub fn stuck(runs: &[&RunSummary]) -> Vec<(u32, f64)> {
    runs.iter().filter(|r| r.settled_at[0].is_none()).map(|r| (r.seed, r.final_max_error)).collect()
}

fn explain(results: &Results, s: &mut String) {
    let _ = writeln!(
        s,
        "### What the table counts
"
    );
    let _ = writeln!(
        s,
        "\"Median\" above is the lower median (nearest rank): for an even count, the smaller of the two middle values; `convergence_summary.csv` and the curves' `median` column use the same rule.\n"
    );
    if results.plan.hidden.contains(&1) {
        let h1 = one_sided(&results.model_runs(Architecture::TwoLayer { hidden: 1 }));
        let _ = writeln!(
            s,
            "**Why two-layer H = 1 cannot learn the rule.** The output unit has no bias input: `o = σ(v·h)` with one hidden value `h = σ(x·w) ∈ (0, 1)`, so `v·h` has the sign of `v` whatever the input, and every output lies on the same side of 0.5. In this run, of {} runs, {} output more than 0.5 and {} less than 0.5 on all 8 rule inputs (over all runs, outputs between {:.4} and {:.4}); with targets 0 and 1 among the training rows, at least one row is always wrong, so its largest error stays at 0.5 or more.\n",
            h1.runs, h1.all_above, h1.all_below, h1.range.0, h1.range.1
        );
    }
    for &hidden in results.plan.hidden.iter().filter(|&&h| h > 1) {
        let stuck = stuck(&results.model_runs(Architecture::TwoLayer { hidden }));
        if stuck.is_empty() {
            continue;
        }
        let listed: Vec<String> = stuck.iter().take(20).map(|(seed, e)| format!("{seed} ({e:.4})")).collect();
        let more = if stuck.len() > 20 { format!(" and {} more", stuck.len() - 20) } else { String::new() };
        let _ = writeln!(
            s,
            "**Stuck two-layer H = {hidden} runs.** {} seeds never settle below 0.05; seed (final largest error): {}{more}. A largest error near 0.5 means a row sits on the threshold (its output ≈ 0.5): the run is stuck on a plateau, not slowly converging.\n",
            stuck.len(),
            listed.join(", ")
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(seed: u32, predictions: [f64; 8], settled: Option<u64>, final_max_error: f64) -> RunSummary {
        RunSummary {
            architecture: Architecture::TwoLayer { hidden: 1 },
            removed: 0,
            seed,
            one_layer: None,
            rule_predictions: predictions,
            removed_correct: 0,
            loss: 0.0,
            diverged_at: None,
            final_max_error,
            settled_at: [settled, settled],
        }
    }

    #[test]
    fn one_sided_counts_each_side_and_the_range() {
        let up = run(0, [0.6, 0.7, 0.8, 0.9, 0.51, 0.6, 0.7, 0.99], None, 0.99);
        let down = run(1, [0.4, 0.3, 0.2, 0.1, 0.49, 0.4, 0.3, 0.01], None, 0.99);
        let mixed = run(2, [0.4, 0.6, 0.2, 0.1, 0.49, 0.4, 0.3, 0.2], Some(10), 0.01);
        let found = one_sided(&[&up, &down, &mixed]);
        assert_eq!(found, OneSided { runs: 3, all_above: 1, all_below: 1, range: (0.01, 0.99) });
    }

    #[test]
    fn stuck_lists_the_runs_that_never_settle() {
        let a = run(3, [0.5; 8], None, 0.5001);
        let b = run(4, [0.5; 8], Some(100), 0.001);
        assert_eq!(stuck(&[&a, &b]), vec![(3, 0.5001)]);
    }
}
