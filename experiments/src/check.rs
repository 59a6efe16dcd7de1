//! `check`: the from-scratch training regression-checked against a real
//! framework. Every case is trained twice from the same initial weights
//! (`Network::init(architecture, seed)`, NumPy's draws):
//!
//! - the core crate's fast path, `perceptron::train`: `w ← w + lr · Xᵀδ` with the
//!   hand-derived `δ` (see `perceptron::Network`);
//! - the candle twin, `perceptron_candle::train_members`: `w ← w − lr · ∂L/∂w`
//!   with `∂L/∂w` from candle's autograd, `L = ½ Σ (y − o)²`.
//!
//! Shapes: `X: [n, 3]` (`n` = 4 minus the removed rows), `w: [3]`, or
//! `W1: [3, H]`, `W2: [H]` and, with the output bias, `b2`. The weights (in `Network::weights` order) and the
//! outputs `o: [n]` are compared at every iteration of
//! `Schedule::LogSpaced { points: 40 }` and of `Schedule::Every(1000)` (together
//! about 90 iterations, `0` and `N` included). A case passes when its largest
//! `|Δw|` is at most the tolerance.
//!
//! Cases sharing an architecture and learning rate form one candle batch; the
//! batches run in parallel on rayon's pool, each candle batch on one thread.

use std::process::ExitCode;

use anyhow::{Context, Result};
use perceptron::{Architecture, Config, Network, Record, Schedule, ValidConfig};
use perceptron_candle::Member;
use rayon::prelude::*;
use serde::Serialize;

use crate::cli::CheckArgs;
use crate::compare::{abs_diff, max_abs_diff};
use crate::output::print_stdout;
use std::fmt::Write as _;

/// One configuration trained by both implementations.
#[derive(Clone, Copy, Debug)]
struct Case {
    architecture: Architecture,
    seed: u32,
    removed_rows: &'static [usize],
    learning_rate: f64,
}

const fn case(hidden: usize, seed: u32, removed_rows: &'static [usize], learning_rate: f64) -> Case {
    let architecture = if hidden == 0 { Architecture::OneLayer } else { Architecture::two_layer(hidden) };
    Case { architecture, seed, removed_rows, learning_rate }
}

/// A two-layer case whose output unit has a bias.
const fn with_bias(hidden: usize, seed: u32, removed_rows: &'static [usize], learning_rate: f64) -> Case {
    let architecture = Architecture::two_layer(hidden).with_output_bias(true);
    Case { architecture, seed, removed_rows, learning_rate }
}

/// The fixed set of cases (`hidden` 0 = the one-layer perceptron): the notebook
/// itself first, then each shape with another seed and some rows removed, and
/// two learning rates other than the notebook's 1; then the two-layer models
/// with the output bias.
const CASES: [Case; 19] = [
    case(0, 1, &[], 1.0),
    case(0, 2, &[], 1.0),
    case(0, 42, &[1, 2], 1.0),
    case(0, 7, &[0], 1.0),
    case(0, 9, &[3], 2.5),
    case(1, 1, &[], 1.0),
    case(1, 3, &[3], 1.0),
    case(2, 1, &[], 1.0),
    case(2, 5, &[0, 3], 1.0),
    case(4, 1, &[], 1.0),
    case(4, 2, &[2], 1.0),
    case(4, 3, &[], 0.5),
    case(8, 1, &[], 1.0),
    case(8, 4, &[1], 1.0),
    with_bias(1, 1, &[], 1.0),
    with_bias(2, 2, &[], 1.0),
    with_bias(2, 5, &[0, 3], 1.0),
    with_bias(4, 3, &[1], 0.5),
    with_bias(8, 4, &[], 1.0),
];

/// One case's outcome (a `--json` entry and a table row).
#[derive(Clone, Debug, Serialize)]
struct CaseReport {
    case: usize,
    model: String,
    hidden: Option<usize>,
    output_bias: bool,
    seed: u32,
    removed_rows: &'static [usize],
    learning_rate: f64,
    /// How many iterations were compared.
    records: usize,
    /// Largest `|w_core − w_candle|` over the compared iterations and weights.
    max_abs_diff: f64,
    /// The first compared iteration where it occurs (`None` if the runs agree exactly).
    max_abs_diff_at: Option<u64>,
    /// Largest `|o_core − o_candle|` over the compared iterations and rows.
    max_abs_output_diff: f64,
    passed: bool,
}

/// The `--json` object.
#[derive(Serialize)]
struct Report {
    iterations: u64,
    tolerance: f64,
    /// Number of configurations compared.
    cases: usize,
    /// Largest `|Δw|` over all cases.
    max_abs_diff: f64,
    /// Largest `|Δo|` over all cases.
    max_abs_output_diff: f64,
    passed: bool,
    results: Vec<CaseReport>,
}

/// Runs `check`.
pub fn run(args: &CheckArgs) -> Result<ExitCode> {
    let iterations = args.iterations;
    let record_at = recorded_iterations(iterations);
    // One candle batch per (architecture, learning rate), in case order.
    let mut groups: Vec<(Architecture, f64, Vec<usize>)> = Vec::new();
    for (i, c) in CASES.iter().enumerate() {
        match groups.iter_mut().find(|(a, lr, _)| *a == c.architecture && *lr == c.learning_rate) {
            Some((_, _, members)) => members.push(i),
            None => groups.push((c.architecture, c.learning_rate, vec![i])),
        }
    }
    let results: Vec<Vec<(usize, CaseReport)>> = groups
        .par_iter()
        .map(|(architecture, lr, indices)| {
            check_group(*architecture, *lr, indices, iterations, &record_at, args.tolerance)
        })
        .collect::<Result<_>>()?;
    let mut results: Vec<CaseReport> = results.into_iter().flatten().map(|(_, r)| r).collect();
    results.sort_by_key(|r| r.case);
    let max = |f: fn(&CaseReport) -> f64| results.iter().map(f).fold(0.0, f64::max);
    let report = Report {
        iterations,
        tolerance: args.tolerance,
        cases: results.len(),
        max_abs_diff: max(|r| r.max_abs_diff),
        max_abs_output_diff: max(|r| r.max_abs_output_diff),
        passed: results.iter().all(|r| r.passed),
        results,
    };
    if args.json {
        print_stdout(&format!("{}\n", serde_json::to_string(&report)?))?;
    } else {
        print_stdout(&text(&report, record_at.len()))?;
    }
    if report.passed {
        Ok(ExitCode::SUCCESS)
    } else {
        let failed = report.results.iter().filter(|r| !r.passed).count();
        crate::console::stderr_line(&format!(
            "error: {failed} of {} cases differ from candle by more than --tolerance {:e} (max |Δw| = {:.3e})",
            report.cases, report.tolerance, report.max_abs_diff
        ));
        Ok(ExitCode::from(1))
    }
}

/// `LogSpaced { points: 40 }` ∪ `Every(1000)` over `0..=iterations`.
fn recorded_iterations(iterations: u64) -> Vec<u64> {
    let mut ts = Schedule::LogSpaced { points: 40 }.iterations(iterations);
    ts.extend(Schedule::Every(1000).iterations(iterations));
    ts.sort_unstable();
    ts.dedup();
    ts
}

/// Trains the cases `indices` (one architecture, one learning rate) both ways.
fn check_group(
    architecture: Architecture,
    lr: f64,
    indices: &[usize],
    iterations: u64,
    record_at: &[u64],
    tolerance: f64,
) -> Result<Vec<(usize, CaseReport)>> {
    let configs: Vec<ValidConfig> = indices
        .iter()
        .map(|&i| {
            let c = CASES[i];
            Config { seed: c.seed, iterations, learning_rate: lr, architecture, removed_rows: c.removed_rows.to_vec() }
                .check()
        })
        .collect::<Result<_, _>>()
        .context("a check case is invalid")?;
    let members: Vec<Member> = configs
        .iter()
        .map(|v| Member { initial: Network::init(architecture, v.config().seed), data: v.dataset().clone() })
        .collect();
    let candle = perceptron_candle::train_members(architecture, lr, iterations, &members, record_at)
        .with_context(|| format!("training {} (learning rate {lr}) with candle", architecture.label()))?;
    Ok(indices
        .iter()
        .zip(&configs)
        .zip(&candle)
        .map(|((&i, config), candle)| {
            let core = core_records(config, record_at);
            (i, compare(i, &core, &candle.history.records, tolerance))
        })
        .collect())
}

/// The fast path's records at the iterations `record_at`, from one run.
fn core_records(config: &ValidConfig, record_at: &[u64]) -> Vec<Record> {
    perceptron::train(config, &Schedule::At(record_at.to_vec())).history.records
}

fn compare(i: usize, core: &[Record], candle: &[Record], tolerance: f64) -> CaseReport {
    let c = CASES[i];
    let mut report = CaseReport {
        case: i + 1,
        model: c.architecture.label(),
        hidden: c.architecture.hidden(),
        output_bias: c.architecture.output_bias(),
        seed: c.seed,
        removed_rows: c.removed_rows,
        learning_rate: c.learning_rate,
        records: core.len().min(candle.len()),
        max_abs_diff: 0.0,
        max_abs_diff_at: None,
        max_abs_output_diff: 0.0,
        passed: false,
    };
    let same_iterations =
        core.len() == candle.len() && core.iter().zip(candle).all(|(a, b)| a.iteration == b.iteration);
    for (a, b) in core.iter().zip(candle) {
        for (x, y) in a.weights.iter().zip(&b.weights) {
            let d = abs_diff(*x, *y);
            if d > report.max_abs_diff {
                report.max_abs_diff = d;
                report.max_abs_diff_at = Some(a.iteration);
            }
        }
        report.max_abs_output_diff = max_abs_diff(report.max_abs_output_diff, &a.outputs, &b.outputs);
    }
    report.passed = same_iterations && report.max_abs_diff <= tolerance;
    report
}

fn text(report: &Report, compared: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Cross-check: the fast path (perceptron::train, hand-derived gradient) against candle autograd (perceptron-candle), f64."
    );
    let _ = writeln!(
        out,
        "{} cases, {} iterations each, weights and outputs compared at {compared} iteration(s) (log-spaced and every 1000); tolerance |Δw| ≤ {:e}.",
        report.cases, report.iterations, report.tolerance
    );
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{:>4}  {:<23}  {:>4}  {:<7}  {:>4}  {:>10}  {:>7}  {:>10}  result",
        "case", "model", "seed", "removed", "lr", "max |Δw|", "at t", "max |Δo|"
    );
    for r in &report.results {
        let removed = if r.removed_rows.is_empty() {
            "-".to_owned()
        } else {
            r.removed_rows.iter().map(ToString::to_string).collect::<Vec<_>>().join(",")
        };
        let _ = writeln!(
            out,
            "{:>4}  {:<23}  {:>4}  {:<7}  {:>4}  {:>10.3e}  {:>7}  {:>10.3e}  {}",
            r.case,
            r.model,
            r.seed,
            removed,
            r.learning_rate,
            r.max_abs_diff,
            r.max_abs_diff_at.map_or("-".to_owned(), |t| t.to_string()),
            r.max_abs_output_diff,
            if r.passed { "ok" } else { "FAILED" }
        );
    }
    let _ = writeln!(out);
    let failed = report.results.iter().filter(|r| !r.passed).count();
    if failed == 0 {
        let _ = writeln!(
            out,
            "all {} cases within {:e}: max |Δw| = {:.3e}, max |Δo| = {:.3e}",
            report.cases, report.tolerance, report.max_abs_diff, report.max_abs_output_diff
        );
    } else {
        let _ = writeln!(
            out,
            "{failed} of {} cases beyond {:e}: max |Δw| = {:.3e}, max |Δo| = {:.3e}",
            report.cases, report.tolerance, report.max_abs_diff, report.max_abs_output_diff
        );
    }
    out
}
