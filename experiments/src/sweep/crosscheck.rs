//! Study E: the framework twin. A sample of the sweep's runs is trained again
//! with candle's autograd (`perceptron_candle::train_members`) and compared with
//! the fast path at log-spaced iterations.
//!
//! The sample: seeds `0..min(N, crosscheck_seeds)` for every model of the sweep
//! (the one-layer perceptron on all rows and without each of the 14 subsets,
//! each two-layer size on all rows), over the first `crosscheck_iterations`
//! steps. Candle's per-step cost on these tiny tensors is orders of magnitude
//! above the fast path's (figures: README, "Performance"), so the whole sweep is
//! not cross-checked by default; `--crosscheck-seeds` and
//! `--crosscheck-iterations` widen the sample.

use anyhow::Result;
use perceptron::{Architecture, Config, Network, Schedule, train_batch};
use perceptron_candle::Member;
use rayon::prelude::*;
use serde::Serialize;

use super::Plan;
use super::runs::groups;
use super::tables::rows_label;
use crate::check::abs_diff;

/// `crosscheck.csv`: one row per model and removed subset.
#[derive(Clone, Debug, Default, Serialize)]
pub struct CrosscheckRow {
    pub model: String,
    pub removed: String,
    pub seeds: usize,
    pub iterations: u64,
    /// Iterations compared per run.
    pub records: usize,
    /// Largest `|w_fast − w_candle|` over seeds, records and weights.
    pub max_abs_diff_weights: f64,
    /// Largest `|o_fast − o_candle|` over seeds, records and training rows.
    pub max_abs_diff_outputs: f64,
}

/// Trains the sample both ways and compares.
///
/// # Errors
/// Candle failed (or a candle weight became non-finite).
pub fn run(plan: &Plan) -> Result<Vec<CrosscheckRow>> {
    let iterations = plan.iterations.min(plan.crosscheck_iterations);
    let seeds: Vec<u32> = (0..plan.seeds.min(plan.crosscheck_seeds)).collect();
    if seeds.is_empty() {
        return Ok(Vec::new());
    }
    let record_at = Schedule::LogSpaced { points: 20 }.iterations(iterations);
    let groups = groups(plan);
    // Candle: every (group, seed) is a member, and the members of one
    // architecture are one call (its batches are as large as
    // `perceptron_candle::MAX_BATCH_ELEMENTS` allows): candle's cost per
    // operation on these tiny tensors is paid once per step for all of them.
    // The calls run in parallel on rayon's pool.
    let mut calls: Vec<(Architecture, Vec<Member>)> = Vec::new();
    for architecture in groups.iter().map(|g| g.0).collect::<std::collections::BTreeSet<_>>() {
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
    let mut by_architecture: std::collections::BTreeMap<Architecture, Vec<_>> = Default::default();
    for (architecture, members) in &calls {
        by_architecture.entry(*architecture).or_default().extend(candle_runs.by_ref().take(members.len()));
    }
    let mut rows = Vec::new();
    let mut taken: std::collections::BTreeMap<Architecture, usize> = Default::default();
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
                dw = a.weights.iter().zip(&b.weights).fold(dw, |m, (x, y)| m.max(abs_diff(*x, *y)));
                dout = a.outputs.iter().zip(&b.outputs).fold(dout, |m, (x, y)| m.max(abs_diff(*x, *y)));
            }
        }
        rows.push(CrosscheckRow {
            model: architecture.label(),
            removed: rows_label(removed),
            seeds: seeds.len(),
            iterations,
            records: record_at.len(),
            max_abs_diff_weights: dw,
            max_abs_diff_outputs: dout,
        });
    }
    Ok(rows)
}
