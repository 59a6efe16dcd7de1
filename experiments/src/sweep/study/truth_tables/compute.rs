//! Study F's runs: every model × Boolean function × seed trained on the fast
//! path (see the study's doc for the rules), and one summary row per model and
//! function.

use perceptron::{Architecture, BooleanFunction, Config, Network, Schedule, train_batch};
use rayon::prelude::*;
use serde::Serialize;

use super::{HIDDEN, MAX_ITERATIONS, SEEDS, STUCK_BAND, THETA};
use crate::sweep::plan::Plan;
use crate::sweep::runs::is_correct;
use crate::sweep::stats::Sorted;

/// One run's outcome.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    pub function: BooleanFunction,
    pub architecture: Architecture,
    pub seed: u32,
    /// Final outputs on the notebook's rows, in their order.
    pub outputs: [f64; 4],
    pub learned: bool,
    pub max_error: f64,
    pub settled_at: Option<u64>,
    pub diverged_at: Option<u64>,
    /// The final weights (768 small networks), for the hidden codes of `codes.rs`.
    pub network: Network,
}

impl Run {
    /// Whether all four outputs are on the same side of 0.5 (or on it).
    pub fn same_side(&self) -> bool {
        self.outputs.iter().all(|&o| o >= 0.5) || self.outputs.iter().all(|&o| o <= 0.5)
    }

    /// Not learned, with the largest error within [`STUCK_BAND`] of 0.5.
    pub fn stuck(&self) -> bool {
        !self.learned && (self.max_error - 0.5).abs() < STUCK_BAND
    }

    /// Whether the target is `false` or `true` (the same on every row).
    pub fn function_is_constant(&self) -> bool {
        matches!(self.function, BooleanFunction::False | BooleanFunction::True)
    }
}

/// The study's models, in report order.
pub fn models() -> Vec<Architecture> {
    let mut m = vec![Architecture::OneLayer];
    m.extend(HIDDEN.map(Architecture::two_layer));
    m
}

/// The iterations each run trains.
pub fn iterations(plan: &Plan) -> u64 {
    plan.iterations.min(MAX_ITERATIONS)
}

/// Trains every model × function × seed, in parallel; the order is model, function, seed.
pub fn findings(plan: &Plan) -> Vec<Run> {
    let seeds: Vec<u32> = (0..SEEDS).collect();
    let jobs: Vec<(Architecture, BooleanFunction)> =
        models().into_iter().flat_map(|m| BooleanFunction::ALL.map(|f| (m, f))).collect();
    let steps = iterations(plan);
    jobs.par_iter()
        .map(|&(architecture, function)| {
            let (iterations, learning_rate) = (steps, plan.learning_rate);
            let config = Config { architecture, iterations, learning_rate, removed_rows: Vec::new(), seed: 0 }
                .check_on(&function.dataset())
                .expect("the plan's flags are checked");
            let targets = function.targets();
            let runs = train_batch(&config, &seeds, &Schedule::Off, &[THETA]);
            runs.into_iter()
                .zip(&seeds)
                .map(|(run, &seed)| {
                    let outputs = perceptron::NOTEBOOK_INPUTS.map(|x| run.network.predict(x));
                    let learned = outputs.iter().zip(&targets).all(|(&o, &y)| is_correct(o, y));
                    let max_error = outputs.iter().zip(&targets).fold(0.0f64, |m, (o, y)| m.max((y - o).abs()));
                    Run {
                        function,
                        architecture,
                        seed,
                        outputs,
                        learned,
                        max_error,
                        settled_at: run.settled_at[0],
                        diverged_at: run.diverged_at,
                        network: run.network,
                    }
                })
                .collect::<Vec<_>>()
        })
        .collect::<Vec<_>>()
        .into_iter()
        .flatten()
        .collect()
}

/// A row of `truth_tables_summary.csv`.
#[derive(Serialize, Debug, PartialEq)]
pub struct SummaryRow {
    pub model: String,
    pub function: &'static str,
    pub truth_table: String,
    pub linearly_separable: bool,
    pub seeds: usize,
    pub learned: usize,
    pub share_learned: f64,
    pub stuck_near_half: usize,
    /// The lower median of the largest errors (nearest rank: the smaller middle value for an even count).
    pub median_max_error: f64,
    /// The lower median iteration to settle over the seeds that settled.
    pub median_settled_at: Option<u64>,
    pub settled: usize,
}

/// `f(0,0) f(0,1) f(1,0) f(1,1)` as four digits, e.g. `0110` for xor.
pub fn truth_table(f: BooleanFunction) -> String {
    [(false, false), (false, true), (true, false), (true, true)]
        .iter()
        .map(|&(a, b)| if f.eval(a, b) { '1' } else { '0' })
        .collect()
}

/// One summary row per model × function, in [`findings`] order.
pub fn summary(runs: &[Run]) -> Vec<SummaryRow> {
    let mut rows = Vec::new();
    for m in models() {
        for f in BooleanFunction::ALL {
            let group: Vec<&Run> = runs.iter().filter(|r| r.architecture == m && r.function == f).collect();
            if group.is_empty() {
                continue;
            }
            let learned = group.iter().filter(|r| r.learned).count();
            let settled: Vec<u64> = group.iter().filter_map(|r| r.settled_at).collect();
            rows.push(SummaryRow {
                model: m.label(),
                function: f.name(),
                truth_table: truth_table(f),
                linearly_separable: f.is_linearly_separable(),
                seeds: group.len(),
                learned,
                share_learned: learned as f64 / group.len() as f64,
                stuck_near_half: group.iter().filter(|r| r.stuck()).count(),
                median_max_error: Sorted::floats(group.iter().map(|r| r.max_error)).lower_median().unwrap_or(f64::NAN),
                settled: settled.len(),
                median_settled_at: Sorted::counts(settled).lower_median(),
            });
        }
    }
    rows
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    pub(in crate::sweep::study::truth_tables) fn run(
        function: BooleanFunction,
        architecture: Architecture,
        seed: u32,
        outputs: [f64; 4],
    ) -> Run {
        let targets = function.targets();
        Run {
            function,
            architecture,
            seed,
            outputs,
            learned: outputs.iter().zip(&targets).all(|(&o, &y)| is_correct(o, y)),
            max_error: outputs.iter().zip(&targets).fold(0.0f64, |m, (o, y)| m.max((y - o).abs())),
            settled_at: None,
            diverged_at: None,
            network: Network::init(architecture, seed),
        }
    }

    /// Perfect outputs (the targets moved 0.05 inwards) for every function on one layer,
    /// except xor and xnor, stuck at 0.5 everywhere.
    pub(in crate::sweep::study::truth_tables) fn separable_split() -> Vec<Run> {
        BooleanFunction::ALL
            .into_iter()
            .map(|f| {
                let out = if f.is_linearly_separable() { f.targets().map(|y| 0.05 + 0.9 * y) } else { [0.5; 4] };
                run(f, Architecture::OneLayer, 0, out)
            })
            .collect()
    }

    #[test]
    fn the_run_splits_by_separability_and_h1_keeps_one_side() {
        let runs = findings(&Plan::for_tests(50_000));
        assert_eq!(runs.len(), 6 * 16 * SEEDS as usize);
        for r in &runs {
            match r.architecture {
                // One layer learns exactly the linearly separable functions, on every seed.
                Architecture::OneLayer => assert_eq!(r.learned, r.function.is_linearly_separable(), "{r:?}"),
                // No output bias: every row on one side of 0.5, so only the constants.
                Architecture::TwoLayer { hidden: 1, .. } => {
                    assert!(r.same_side(), "{r:?}");
                    assert_eq!(r.learned, r.function_is_constant(), "{r:?}");
                }
                _ => {}
            }
        }
        // H = 4 learns all 16 on every seed in this run (the committed table, 128/128).
        let h4 = runs.iter().filter(|r| r.architecture == Architecture::two_layer(4));
        assert!(h4.clone().all(|r| r.learned));
        // One layer, `and`, seed 1, 10000 steps (the cap). NumPy:
        //   np.random.seed(1); w = 2*np.random.random((3,1)) - 1
        //   for _ in range(10000): o = sig(X@w); w += X.T@((y-o)*o*(1-o))
        //   sig(X@w)  # X = [[0,0,1],[1,1,1],[1,0,1],[0,1,1]], y = [[0,1,0,0]]
        //   → [5.472965057000993e-06, 0.980607284352807, 0.016363470494631802, 0.016363470494633145]
        let and = runs
            .iter()
            .find(|r| r.architecture == Architecture::OneLayer && r.function == BooleanFunction::And && r.seed == 1)
            .expect("one-layer and, seed 1");
        let numpy = [5.472965057000993e-06, 0.980607284352807, 0.016363470494631802, 0.016363470494633145];
        for (o, n) in and.outputs.iter().zip(numpy) {
            assert!((o - n).abs() < 1e-12, "{o} vs NumPy {n}");
        }
    }

    #[test]
    fn truth_tables_read_in_input_order() {
        assert_eq!(truth_table(BooleanFunction::Xor), "0110");
        assert_eq!(truth_table(BooleanFunction::X1), "0011");
        assert_eq!(truth_table(BooleanFunction::Nand), "1110");
    }
}
