//! Study D's CSV rows: one row per run (`convergence.csv`), the quantiles of
//! the largest error over a model's runs per sampled iteration
//! (`convergence_curves.csv`, computed while training, see `crate::sweep`'s
//! `GroupFold`), and one summary row per model (`convergence_summary.csv`).
//! Medians are lower medians (nearest rank), as the report says.

use perceptron::Architecture;
use serde::Serialize;

use crate::sweep::runs::{RunSummary, THRESHOLDS, is_correct};
use crate::sweep::stats::Sorted;

/// `convergence.csv`: one row per model and seed (all rows kept).
#[derive(Serialize)]
pub struct ConvergenceRow {
    pub model: String,
    pub hidden: usize,
    /// Whether the output unit has the bias `b2` (`o = σ(h·W2 + b2)`).
    pub output_bias: bool,
    pub seed: u32,
    /// The iteration from which `max |y − o| < 0.05` holds to the end (empty: not at the end).
    pub iterations_to_0_05: Option<u64>,
    /// The iteration from which `max |y − o| < 0.01` holds to the end (empty: not at the end).
    pub iterations_to_0_01: Option<u64>,
    pub final_max_error: f64,
    pub final_loss: f64,
    pub prediction: f64,
    /// Rule inputs with `x3 = 1` on the right side of 0.5 (of 4).
    pub rule_right_x3_1: usize,
    /// Rule inputs with `x3 = 0` (the bias input off) on the right side of 0.5 (of 4).
    pub rule_right_x3_0: usize,
    /// The step at which training stopped on a non-finite weight (empty: never).
    pub diverged_at: Option<u64>,
}

pub fn convergence_rows(runs: &[&RunSummary]) -> Vec<ConvergenceRow> {
    const _: () = assert!(THRESHOLDS.len() == 2);
    runs.iter()
        .map(|r| ConvergenceRow {
            model: r.architecture.label(),
            hidden: hidden_of(r.architecture),
            output_bias: r.architecture.output_bias(),
            seed: r.seed,
            iterations_to_0_05: r.settled_at[0],
            iterations_to_0_01: r.settled_at[1],
            final_max_error: r.final_max_error,
            final_loss: r.loss,
            prediction: r.prediction(),
            rule_right_x3_1: r.rule_correct()[0],
            rule_right_x3_0: r.rule_correct()[1],
            diverged_at: r.diverged_at,
        })
        .collect()
}

/// `0` for the one-layer model, `H` otherwise.
fn hidden_of(architecture: Architecture) -> usize {
    architecture.hidden().unwrap_or(0)
}

/// `convergence_curves.csv`: quantiles over seeds of `max |y − o|` per model and iteration.
#[derive(Serialize, Clone)]
pub struct CurveRow {
    pub model: String,
    pub iteration: u64,
    pub p10: f64,
    pub median: f64,
    pub p90: f64,
}

/// The rows of one model from its runs' curves (`curves[run][k]` at `iterations[k]`).
pub fn curve_rows(model: &str, curves: &[Vec<f64>], iterations: &[u64]) -> Vec<CurveRow> {
    iterations
        .iter()
        .enumerate()
        .map(|(k, &t)| {
            let v = Sorted::floats(curves.iter().map(|c| c[k]));
            let at = |q| v.quantile_nearest_rank(q).unwrap_or(f64::NAN);
            let median = v.lower_median().unwrap_or(f64::NAN);
            CurveRow { model: model.to_owned(), iteration: t, p10: at(0.1), median, p90: at(0.9) }
        })
        .collect()
}

/// `convergence_summary.csv`: one row per model.
#[derive(Serialize, Clone)]
pub struct ConvergenceSummaryRow {
    #[serde(skip)]
    pub architecture: Architecture,
    pub model: String,
    /// Whether the output unit has the bias `b2`.
    pub output_bias: bool,
    pub runs: usize,
    /// Runs that reached `max |y − o| < 0.05` / `< 0.01`.
    pub reached_0_05: usize,
    pub reached_0_01: usize,
    /// Median over the runs that reached it (empty: none did).
    pub median_iterations_to_0_05: Option<u64>,
    pub median_iterations_to_0_01: Option<u64>,
    pub median_final_loss: f64,
    /// Mean rule inputs with `x3 = 1` right (of 4).
    pub mean_rule_right_x3_1: f64,
    /// Mean rule inputs with `x3 = 0` right (of 4).
    pub mean_rule_right_x3_0: f64,
    pub share_correct: f64,
    pub diverged: usize,
}

pub fn convergence_summary(architecture: Architecture, rows: &[&ConvergenceRow]) -> ConvergenceSummaryRow {
    let to05: Vec<u64> = rows.iter().filter_map(|r| r.iterations_to_0_05).collect();
    let to01: Vec<u64> = rows.iter().filter_map(|r| r.iterations_to_0_01).collect();
    let n = rows.len() as f64;
    ConvergenceSummaryRow {
        architecture,
        model: architecture.label(),
        output_bias: architecture.output_bias(),
        runs: rows.len(),
        reached_0_05: to05.len(),
        reached_0_01: to01.len(),
        median_iterations_to_0_05: Sorted::counts(to05).lower_median(),
        median_iterations_to_0_01: Sorted::counts(to01).lower_median(),
        median_final_loss: Sorted::floats(rows.iter().map(|r| r.final_loss)).lower_median().unwrap_or(f64::NAN),
        mean_rule_right_x3_1: rows.iter().map(|r| r.rule_right_x3_1 as f64).sum::<f64>() / n,
        mean_rule_right_x3_0: rows.iter().map(|r| r.rule_right_x3_0 as f64).sum::<f64>() / n,
        share_correct: rows.iter().filter(|r| is_correct(r.prediction, 1.0)).count() as f64 / n,
        diverged: rows.iter().filter(|r| r.diverged_at.is_some()).count(),
    }
}
