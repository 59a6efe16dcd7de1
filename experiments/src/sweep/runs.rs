//! The sweep's training runs: jobs of up to [`perceptron::LANES`] seeds sharing one
//! architecture and one data set, trained on the fast path, each reduced at once
//! to a [`RunSummary`] so that memory grows with the number of runs only by
//! their summaries.

use perceptron::{Architecture, Config, Dataset, LANES, RULE_INPUTS, Schedule, Trained, train_batch};

use super::plan::Plan;

/// The error thresholds of the convergence study: iterations until `max |y − o| < θ`.
pub const THRESHOLDS: [f64; 2] = [0.05, 0.01];

/// One batch of runs: the same model and data for up to `LANES` seeds.
#[derive(Clone, Debug)]
pub struct Job {
    pub architecture: Architecture,
    pub removed: Vec<usize>,
    pub seeds: Vec<u32>,
}

/// What the studies keep of one run: fixed-size fields only. The convergence
/// curve of a run goes beside it ([`run_job`]) and is folded into its group's
/// quantiles at once, and runs with rows removed are folded into their table and
/// summary as soon as their group is trained (see `super::train_groups`).
#[derive(Clone, Debug)]
pub struct RunSummary {
    pub architecture: Architecture,
    /// The removed training rows as a bit set: bit `r` for row `r` (see [`mask`]).
    pub removed: u16,
    pub seed: u32,
    /// `(initial, final)` weights `w1, w2, w3` of the one-layer model
    /// (`None` for two layers: no study reports their weights).
    pub one_layer: Option<([f64; 3], [f64; 3])>,
    /// The output for each of [`RULE_INPUTS`].
    pub rule_predictions: [f64; 8],
    /// How many of the removed rows the final network predicts on their target's
    /// side of 0.5 (at most `MAX_ROWS`, 16: a byte keeps the summary small).
    pub removed_correct: u8,
    /// `½ Σ (y − o)²` on the training rows, final weights.
    pub loss: f64,
    pub diverged_at: Option<u64>,
    /// `max_i |y_i − o_i|` at the last iteration.
    pub final_max_error: f64,
    /// The iteration from which `max |y − o| < θ` holds to the end, per [`THRESHOLDS`]
    /// (every step watched).
    pub settled_at: [Option<u64>; 2],
}

/// The bit set of `rows` (each in `0..MAX_ROWS`, 16).
pub fn mask(rows: &[usize]) -> u16 {
    rows.iter().fold(0, |m, r| m | 1 << r)
}

impl RunSummary {
    /// The removed rows, ascending.
    pub fn removed_rows(&self) -> Vec<usize> {
        (0..perceptron::MAX_ROWS).filter(|r| self.removed & (1 << r) != 0).collect()
    }

    /// The one-layer model's initial and final weights.
    ///
    /// # Panics
    /// On a two-layer run: only one-layer tables ask.
    pub fn weights(&self) -> ([f64; 3], [f64; 3]) {
        self.one_layer.expect("a one-layer run")
    }

    /// The output for the notebook's new input `[1, 0, 0]`.
    pub fn prediction(&self) -> f64 {
        self.rule_predictions[4]
    }

    /// How many rule inputs are on the right side of 0.5: `[with x3 = 1, with x3 = 0]`,
    /// of four each. They are counted apart because `x3 = 0` switches the bias
    /// input off: one layer then outputs `σ(w1·x1 + w2·x2)`, exactly `σ(0) = 0.5`
    /// (undecided, so wrong) at `[0, 0, 0]` whatever its weights.
    pub fn rule_correct(&self) -> [usize; 2] {
        let mut right = [0; 2];
        for (x, p) in RULE_INPUTS.iter().zip(&self.rule_predictions) {
            if is_correct(*p, perceptron::rule_target(x)) {
                right[usize::from(x[2] == 0.0)] += 1;
            }
        }
        right
    }
}

/// A prediction is right when it is strictly on the target's side of 0.5;
/// exactly 0.5 (e.g. the one-layer model on `[0, 0, 0]`, always `σ(0)`) is undecided, so wrong.
pub fn is_correct(prediction: f64, target: f64) -> bool {
    if target >= 0.5 { prediction > 0.5 } else { prediction < 0.5 }
}

/// The jobs of one group: its seeds `0..plan.seeds` in chunks of `LANES`, in order.
pub fn group_jobs(plan: &Plan, architecture: Architecture, removed: &[usize]) -> Vec<Job> {
    let seeds: Vec<u32> = (0..plan.seeds).collect();
    seeds.chunks(LANES).map(|chunk| Job { architecture, removed: removed.to_vec(), seeds: chunk.to_vec() }).collect()
}

/// The `(architecture, removed rows)` groups of a plan, in job order: one layer on
/// all rows and without each removal subset of [`removal_subsets`], then each
/// two-layer size on all rows. The sweep's jobs and study E's sample share it.
pub fn groups(plan: &Plan) -> Vec<(Architecture, Vec<usize>)> {
    let mut groups: Vec<(Architecture, Vec<usize>)> =
        removal_subsets(plan.data.len()).into_iter().map(|r| (Architecture::OneLayer, r)).collect();
    groups.extend(plan.hidden.iter().map(|&hidden| (Architecture::two_layer(hidden), Vec::new())));
    groups
}

/// The empty set, then the rows a removal study leaves out of an `n`-row data set:
/// for `n ≤ 4`, every non-empty proper subset of `0..n` (14 for the notebook's
/// four rows) by size, then lexicographically; for `n > 4`, each single row only
/// (`2ⁿ − 2` subsets would be up to 65534 groups).
fn removal_subsets(n: usize) -> Vec<Vec<usize>> {
    if n > 4 {
        return std::iter::once(Vec::new()).chain((0..n).map(|r| vec![r])).collect();
    }
    let mut subsets: Vec<Vec<usize>> =
        (0u32..(1 << n) - 1).map(|mask| (0..n).filter(|r| mask & (1 << r) != 0).collect()).collect();
    subsets.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
    subsets
}

/// Trains a job and summarises each run; beside the summaries, the curves
/// `max_i |y_i − o_i|` at [`Plan::curve_iterations`] (one per run on all rows,
/// none for runs with rows removed).
pub fn run_job(job: &Job, plan: &Plan) -> (Vec<RunSummary>, Vec<Vec<f64>>) {
    let (architecture, removed_rows) = (job.architecture, job.removed.clone());
    let (iterations, learning_rate) = (plan.iterations, plan.learning_rate);
    let config = Config { architecture, iterations, learning_rate, removed_rows, seed: 0 }
        .check_on(&plan.data)
        .expect("the plan's flags are checked and its subsets are proper");
    let data = config.dataset();
    let ts = plan.curve_iterations();
    let schedule = Schedule::LogSpaced { points: super::plan::CURVE_POINTS };
    debug_assert_eq!(schedule.iterations(plan.iterations), ts);
    let runs = train_batch(&config, &job.seeds, &schedule, &THRESHOLDS);
    let mut curves = Vec::new();
    let summaries = runs
        .into_iter()
        .zip(&job.seeds)
        .map(|(run, &seed)| {
            if job.removed.is_empty() {
                curves.push(run.history.records.iter().map(max_error).collect());
            }
            summarise(job, seed, data, run)
        })
        .collect();
    (summaries, curves)
}

/// `max_i |y_i − o_i|` of one record.
fn max_error(r: &perceptron::Record) -> f64 {
    r.errors.iter().fold(0.0f64, |m, e| m.max(e.abs()))
}

fn summarise(job: &Job, seed: u32, data: &Dataset, run: Trained) -> RunSummary {
    let records = &run.history.records;
    let final_max_error = records.last().map_or(f64::NAN, max_error);
    let three = |n: &perceptron::Network| {
        let w: Vec<f64> = n.weights().collect();
        [w[0], w[1], w[2]]
    };
    let one_layer = (job.architecture == Architecture::OneLayer).then(|| (three(&run.initial), three(&run.network)));
    let settled_at = [run.settled_at[0], run.settled_at[1]];
    RunSummary {
        architecture: job.architecture,
        removed: mask(&job.removed),
        seed,
        one_layer,
        rule_predictions: RULE_INPUTS.map(|x| run.network.predict(x)),
        removed_correct: job
            .removed
            .iter()
            .filter(|&&r| {
                let (x, y) = data.table()[r];
                is_correct(run.network.predict(x), y)
            })
            .count() as u8,
        loss: run.network.loss(data),
        diverged_at: run.diverged_at,
        final_max_error,
        settled_at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fifteen_subsets_in_order() {
        let s = removal_subsets(4);
        assert_eq!(s.len(), 15);
        assert_eq!(s[0], Vec::<usize>::new());
        assert_eq!(s[1], vec![0]);
        assert_eq!(s[5], vec![0, 1]);
        assert_eq!(s[14], vec![1, 2, 3]);
    }

    /// 10⁵ seeds hold 5 × 10⁵ summaries (the groups on all rows) until the files
    /// are written: 232 bytes each before the curves moved out, 208 now; a
    /// field that grows it shows here first (`/usr/bin/time -v` in README's
    /// Performance section measures the whole sweep).
    #[test]
    fn a_run_summary_stays_small() {
        assert!(std::mem::size_of::<RunSummary>() <= 208, "{} bytes", std::mem::size_of::<RunSummary>());
    }
}
