//! Study G's runs: every (model, rate) batch of seeds trained on the fast path,
//! each run's outcome, and each (model, rate) cell's counts and medians.

use perceptron::{Architecture, Config, Dataset, Schedule, train_batch};
use rayon::prelude::*;
use serde::Serialize;

use super::{HIDDEN, MAX_ITERATIONS, RATES, SAMPLES, SEEDS, STEPS_X_RATE, THRESHOLD};
use crate::sweep::Plan;
use crate::sweep::stats::{Sorted, median_mean_of_middle_with_never};

/// How a run ended (see the module doc).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Settled,
    Diverged,
    Oscillates,
    Slow,
}

impl Serialize for Outcome {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl Outcome {
    /// How `learning_rate.csv` names it.
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Settled => "settled",
            Outcome::Diverged => "diverged",
            Outcome::Oscillates => "oscillates",
            Outcome::Slow => "slow",
        }
    }
}

/// One run of the study (its model, rate and iterations are its [`Cell`]'s);
/// serialised, its columns of `learning_rate.csv` after its cell's.
#[derive(Clone, Debug, Serialize)]
pub struct Run {
    pub seed: u32,
    pub settled_at: Option<u64>,
    pub diverged_at: Option<u64>,
    /// `½ Σ (y − o)²` with the final weights.
    pub final_loss: f64,
    /// The smallest loss at the samples before the last.
    pub lowest_earlier_loss: f64,
    pub outcome: Outcome,
}

/// The runs of one model at one rate; serialised, its columns of
/// `learning_rate_summary.csv` after the model, rate and iterations (see `super`).
#[derive(Clone, Debug, Serialize)]
pub struct Cell {
    #[serde(skip)]
    pub model: Architecture,
    #[serde(skip)]
    pub rate: f64,
    /// The iterations each run trained for.
    #[serde(skip)]
    pub iterations: u64,
    pub runs: usize,
    pub settled: usize,
    pub oscillating: usize,
    pub diverged: usize,
    /// The median iterations to settle, never-settled runs counted as ∞ (`None`: ∞).
    #[serde(rename = "median_iterations_to_settle")]
    pub median_settle: Option<f64>,
    pub median_final_loss: f64,
    /// Its runs, in seed order.
    #[serde(skip)]
    pub per_seed: Vec<Run>,
}

/// Everything study G found.
#[derive(Clone, Debug)]
pub struct Findings {
    pub models: Vec<Architecture>,
    /// Model-major, rates ascending.
    pub cells: Vec<Cell>,
}

impl Findings {
    /// How many runs the study trained.
    pub fn run_count(&self) -> usize {
        self.cells.iter().map(|c| c.per_seed.len()).sum()
    }
}

/// Trains every (model, rate) batch in parallel (collected in job order).
pub fn findings(plan: &Plan) -> Findings {
    let mut models = vec![Architecture::OneLayer];
    models.extend(HIDDEN.map(|hidden| Architecture::TwoLayer { hidden }));
    let jobs: Vec<(Architecture, f64)> = models.iter().flat_map(|&m| RATES.map(|r| (m, r))).collect();
    let data = Dataset::notebook();
    let seeds: Vec<u32> = (0..SEEDS).collect();
    let cells = jobs
        .par_iter()
        .map(|&(model, rate)| {
            let iterations = horizon(plan, rate);
            cell(model, rate, iterations, train_cell(model, rate, iterations, &data, &seeds))
        })
        .collect();
    Findings { models, cells }
}

/// The iterations of a run at `rate`: `min(--iterations, MAX_ITERATIONS, ⌈STEPS_X_RATE / rate⌉)`.
pub fn horizon(plan: &Plan, rate: f64) -> u64 {
    plan.iterations.min(MAX_ITERATIONS).min((STEPS_X_RATE / rate).ceil() as u64)
}

fn train_cell(model: Architecture, rate: f64, iterations: u64, data: &Dataset, seeds: &[u32]) -> Vec<Run> {
    let schedule = Schedule::LogSpaced { points: SAMPLES };
    let config = Config { architecture: model, iterations, learning_rate: rate, removed_rows: Vec::new(), seed: 0 }
        .check_on(data)
        .expect("the rates are positive and the iterations capped");
    let trained = train_batch(&config, seeds, &schedule, &[THRESHOLD]);
    trained
        .into_iter()
        .zip(seeds)
        .map(|(t, &seed)| {
            let losses: Vec<f64> =
                t.history.records.iter().map(|r| 0.5 * r.errors.iter().map(|e| e * e).sum::<f64>()).collect();
            let final_loss = t.network.loss(data);
            let earlier = &losses[..losses.len().saturating_sub(1)];
            let lowest_earlier_loss = earlier.iter().copied().fold(f64::INFINITY, f64::min);
            let settled_at = t.settled_at[0];
            let outcome = outcome(settled_at, t.diverged_at, final_loss, lowest_earlier_loss);
            Run { seed, settled_at, diverged_at: t.diverged_at, final_loss, lowest_earlier_loss, outcome }
        })
        .collect()
}

/// The outcome rule of the module doc.
pub fn outcome(settled_at: Option<u64>, diverged_at: Option<u64>, final_loss: f64, lowest_earlier: f64) -> Outcome {
    if settled_at.is_some() {
        Outcome::Settled
    } else if diverged_at.is_some() {
        Outcome::Diverged
    } else if final_loss > lowest_earlier {
        Outcome::Oscillates
    } else {
        Outcome::Slow
    }
}

/// The cell of `runs`, all of `model` at `rate` for `iterations`: their counts and medians.
fn cell(model: Architecture, rate: f64, iterations: u64, runs: Vec<Run>) -> Cell {
    let count = |o: Outcome| runs.iter().filter(|r| r.outcome == o).count();
    let settle: Vec<Option<u64>> = runs.iter().map(|r| r.settled_at).collect();
    let losses = Sorted::floats(runs.iter().map(|r| r.final_loss));
    Cell {
        model,
        rate,
        iterations,
        runs: runs.len(),
        settled: count(Outcome::Settled),
        oscillating: count(Outcome::Oscillates),
        diverged: count(Outcome::Diverged),
        median_settle: median_mean_of_middle_with_never(&settle),
        median_final_loss: losses.median_mean_of_middle().unwrap_or(f64::NAN),
        per_seed: runs,
    }
}

/// The cells of `model`, rates ascending.
pub fn model_cells(findings: &Findings, model: Architecture) -> Vec<&Cell> {
    findings.cells.iter().filter(|c| c.model == model).collect()
}

/// The cell of `model` at `rate`.
pub fn find_cell(findings: &Findings, model: Architecture, rate: f64) -> Option<&Cell> {
    findings.cells.iter().find(|c| c.model == model && c.rate == rate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_follow_the_rule() {
        assert_eq!(outcome(Some(5), Some(9), 1.0, 0.0), Outcome::Settled);
        assert_eq!(outcome(None, Some(9), 0.0, 1.0), Outcome::Diverged);
        assert_eq!(outcome(None, None, 0.3, 0.2), Outcome::Oscillates);
        assert_eq!(outcome(None, None, 0.2, 0.2), Outcome::Slow);
    }
}
