//! Study E: the framework twin. A sample of the sweep's runs is trained again
//! with candle's autograd (`perceptron_candle::train_members`) and compared with
//! the fast path at log-spaced iterations: `crosscheck.csv` (its header even when
//! `--crosscheck-seeds 0` leaves it without rows) and the report's verdict
//! against the tolerance of `experiments check`.
//!
//! The sample: seeds `0..min(N, crosscheck_seeds)` for every model of the sweep
//! (the one-layer perceptron on all rows and without each of the 14 subsets,
//! each two-layer size on all rows, with the output bias if `--output-bias`),
//! over the first `crosscheck_iterations` steps. Candle's per-step cost on these tiny tensors is orders of magnitude
//! above the fast path's (figures: README, "Performance"), so the whole sweep is
//! not cross-checked by default; `--crosscheck-seeds` and
//! `--crosscheck-iterations` widen the sample. The study reads only the plan: it
//! trains its own fast-path runs beside candle's.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use anyhow::Result;
use perceptron::{Architecture, Config, Network, Schedule, train_batch};
use perceptron_candle::Member;
use rayon::prelude::*;
use serde::Serialize;

use super::{About, FromPlan, Rendered};
use crate::compare::{DEFAULT_TOLERANCE, max_abs_diff};
use crate::sweep::plan::Plan;
use crate::sweep::runs::groups;
use crate::sweep::tables::{rows_label, to_csv_with_header};

static ABOUT: About = About {
    letter: Some('E'),
    title: "Appendix: the framework twin (TODO 4: \"an example using pytorch/tensorflow\")",
    description: "the candle twin on a sample of those runs (seeds 0..7 of every model, first 2000 iterations; `--crosscheck-seeds`, `--crosscheck-iterations`)",
    files: &["crosscheck.csv"],
};

pub struct Crosscheck;

impl FromPlan for Crosscheck {
    fn about(&self) -> &'static About {
        &ABOUT
    }

    fn render(&self, plan: &Plan) -> Result<Rendered> {
        let groups = compare_sample(plan)?;
        let files = vec![("crosscheck.csv", to_csv_with_header(groups.iter().map(|g| &g.row))?)];
        let mut section = String::new();
        write_verdict(&groups, &mut section);
        Ok(Rendered { files, section })
    }
}

/// `crosscheck.csv`: one row per model and removed subset.
#[derive(Default, Serialize)]
struct CrosscheckRow {
    model: String,
    removed: String,
    seeds: usize,
    iterations: u64,
    /// Iterations compared per run.
    records: usize,
    /// Largest `|w_fast − w_candle|` over seeds, records and weights.
    max_abs_diff_weights: f64,
    /// Largest `|o_fast − o_candle|` over seeds, records and training rows.
    max_abs_diff_outputs: f64,
}

/// One group of the sample compared: its model, and its row of `crosscheck.csv`.
struct Compared {
    architecture: Architecture,
    row: CrosscheckRow,
}

/// Trains the sample both ways and compares, one [`Compared`] per group of
/// `runs::groups`, in its order (none when the sample has no seeds).
///
/// # Errors
/// Candle failed (or a candle weight became non-finite).
fn compare_sample(plan: &Plan) -> Result<Vec<Compared>> {
    let iterations = plan.iterations.min(plan.crosscheck_iterations);
    let seeds: Vec<u32> = (0..plan.seeds.min(plan.crosscheck_seeds)).collect();
    if seeds.is_empty() {
        return Ok(Vec::new());
    }
    let record_at = Schedule::LogSpaced { points: 20 }.iterations(iterations);
    // The models of the sweep as `--output-bias` makes them (study D's
    // other half, the two-layer models the other way, is not sampled).
    let groups: Vec<_> =
        groups(plan).into_iter().filter(|(a, _)| a.hidden().is_none() || a.output_bias() == plan.output_bias).collect();
    // Candle: every (group, seed) is a member, and the members of one
    // architecture are one call (its batches are as large as
    // `perceptron_candle::MAX_BATCH_ELEMENTS` allows): candle's cost per
    // operation on these tiny tensors is paid once per step for all of them.
    // The calls run in parallel on rayon's pool.
    let mut calls: Vec<(Architecture, Vec<Member>)> = Vec::new();
    for architecture in groups.iter().map(|g| g.0).collect::<BTreeSet<_>>() {
        let members: Vec<Member> = groups
            .iter()
            .filter(|g| g.0 == architecture)
            .flat_map(|(_, removed)| {
                let data = plan.data.remove_rows(removed).expect("proper subsets");
                seeds.iter().map(move |&s| Member { initial: Network::init(architecture, s), data: data.clone() })
            })
            .collect();
        calls.push((architecture, members));
    }
    let candle: Vec<_> = calls
        .par_iter()
        .map(|(architecture, members)| {
            perceptron_candle::train_members(*architecture, plan.learning_rate, iterations, members, &record_at)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut candle_runs = candle.into_iter().flatten();
    let mut by_architecture: BTreeMap<Architecture, Vec<_>> = BTreeMap::new();
    for (architecture, members) in &calls {
        by_architecture.entry(*architecture).or_default().extend(candle_runs.by_ref().take(members.len()));
    }
    let mut compared = Vec::new();
    let mut taken: BTreeMap<Architecture, usize> = BTreeMap::new();
    for (architecture, removed) in &groups {
        let (learning_rate, removed_rows) = (plan.learning_rate, removed.clone());
        let config = Config { architecture: *architecture, iterations, learning_rate, removed_rows, seed: 0 }
            .check_on(&plan.data)
            .expect("the plan's flags are checked and its subsets are proper");
        let fast = train_batch(&config, &seeds, &Schedule::LogSpaced { points: 20 }, &[]);
        let offset = taken.entry(*architecture).or_default();
        let twins = &by_architecture[architecture][*offset..*offset + seeds.len()];
        *offset += seeds.len();
        let (mut dw, mut dout) = (0.0f64, 0.0f64);
        for (f, c) in fast.iter().zip(twins) {
            for (a, b) in f.history.records.iter().zip(&c.history.records) {
                assert_eq!(a.iteration, b.iteration, "same schedule");
                dw = max_abs_diff(dw, &a.weights, &b.weights);
                dout = max_abs_diff(dout, &a.outputs, &b.outputs);
            }
        }
        let row = CrosscheckRow {
            model: architecture.label(),
            removed: rows_label(removed),
            seeds: seeds.len(),
            iterations,
            records: record_at.len(),
            max_abs_diff_weights: dw,
            max_abs_diff_outputs: dout,
        };
        compared.push(Compared { architecture: *architecture, row });
    }
    Ok(compared)
}

/// The report's table of the largest differences per model, and the verdict
/// against the tolerance of `experiments check` (its `--tolerance` default).
fn write_verdict(groups: &[Compared], s: &mut String) {
    let Some(first) = groups.first().map(|g| &g.row) else {
        let _ = writeln!(s, "Skipped (`--crosscheck-seeds 0`).\n");
        return;
    };
    // The two-layer models sampled are those of one kind (see `compare_sample`).
    let biased = groups.iter().any(|g| g.architecture.output_bias());
    let _ = writeln!(
        s,
        "The same networks trained again with candle, whose autograd computes ∂L/∂w of `L = ½ Σ (y − o)²`, from the same initial weights: seeds 0–{} of the one-layer model on all rows and without each removed subset, and of each two-layer size {} the output bias (study D's runs {} it are not sampled here; `experiments check` compares both kinds), over the first {} iterations, compared at {} log-spaced iterations (`crosscheck.csv`).\n",
        first.seeds.saturating_sub(1),
        if biased { "with" } else { "without" },
        if biased { "without" } else { "with" },
        first.iterations,
        first.records
    );
    let _ = writeln!(s, "| model | runs compared | largest \\|Δw\\| | largest \\|Δo\\| |\n|---|---:|---:|---:|");
    let mut models: Vec<Architecture> = groups.iter().map(|g| g.architecture).collect();
    models.dedup();
    let of_model = |m: Architecture| groups.iter().filter(move |g| g.architecture == m).map(|g| &g.row);
    for &model in &models {
        let runs: usize = of_model(model).map(|r| r.seeds).sum();
        let dw = of_model(model).map(|r| r.max_abs_diff_weights).fold(0.0, f64::max);
        let dout = of_model(model).map(|r| r.max_abs_diff_outputs).fold(0.0, f64::max);
        let show = |v: f64| if v == 0.0 { "0 (bit for bit)".to_owned() } else { format!("{v:.1e}") };
        let _ = writeln!(s, "| {} | {runs} | {} | {} |", model.label(), show(dw), show(dout));
    }
    let worst = groups.iter().map(|g| g.row.max_abs_diff_weights).fold(0.0, f64::max);
    let exact = groups.iter().filter(|g| g.row.max_abs_diff_weights == 0.0).count();
    let verdict = if worst <= DEFAULT_TOLERANCE { "within" } else { "OUTSIDE" };
    let _ = writeln!(
        s,
        "\nThe largest weight difference is {worst:.1e}, {verdict} the tolerance {DEFAULT_TOLERANCE:.0e} of `experiments check`; {exact} of {} groups agree bit for bit.",
        groups.len()
    );
    let same: Vec<String> = models
        .iter()
        .filter(|&&m| of_model(m).all(|r| r.max_abs_diff_weights == 0.0 && r.max_abs_diff_outputs == 0.0))
        .map(|m| m.label())
        .collect();
    if !same.is_empty() {
        let _ = writeln!(
            s,
            "So the notebook's \"error weighted derivative\" update is gradient descent on L = ½ Σ (y − o)², `w ← w − r·∂L/∂w`: candle, which is given only L and differentiates it, takes the same steps to the last bit ({}).",
            same.join(", ")
        );
    }
    let differing: Vec<Architecture> =
        models.iter().copied().filter(|&m| of_model(m).any(|r| r.max_abs_diff_weights > 0.0)).collect();
    let labels: Vec<String> = differing.iter().map(|m| m.label()).collect();
    let wide = |m: &Architecture| m.hidden().is_some_and(|h| h >= 8);
    if !differing.is_empty() && differing.iter().all(wide) {
        let _ = writeln!(
            s,
            "Only {} differ: for H ≥ 8 the core sums h·W2 with ndarray's eight partial sums and candle sums in order, so the last bits differ.",
            labels.join(", ")
        );
    } else if !differing.is_empty() {
        let _ = writeln!(s, "Models that differ at all: {}.", labels.join(", "));
    }
    let _ = writeln!(s);
}
