//! Study F: which rules can be learned? Every one of the 16 Boolean functions
//! `f(x1, x2)` as targets on the notebook's four rows (x3 = 1), for the one-layer
//! perceptron and the notebook's two-layer network 3→H→1 with H ∈ [`HIDDEN`],
//! seeds `0..`[`SEEDS`], the sweep's learning rate and
//! `min(--iterations, `[`MAX_ITERATIONS`]`)` steps, trained here on the fast path.
//!
//! Per run: *learned* = every row's final output `o_i` strictly on its target's
//! side of 0.5; *largest error* = `max_i |y_i − o_i|`; *settled* = the iteration
//! from which `max_i |y_i − o_i| < θ` ([`THETA`] = 0.1) holds to the end, every
//! step watched. Files: `truth_tables.csv` (one row per run),
//! `truth_tables_summary.csv` (one row per model × function); no picture: a
//! grid of the 16 functions per model would only repeat the report's table.
//!
//! Each two-layer size is trained without and with the output bias `b2`
//! (`o = σ(h·W2)` against `o = σ(h·W2 + b2)`), from the same seeds. Why two
//! layers with H = 1 and no bias learn only the constants: `o = σ(v·h)` with
//! `h = σ(x·W) ∈ (0, 1)`: `v·h` has the sign of `v` on every row, so all four
//! outputs lie on the same side of 0.5 (the report's sentence is made from the
//! model, `crate::sweep::model`).
//!
//! Files of the module: `compute.rs` (the runs and the summary), `claims.rs`
//! (the conclusions), `codes.rs` (why the other failures fail: rows sharing a
//! hidden code), `bias.rs` (what the output bias changes); this file renders them.

mod bias;
mod claims;
mod codes;
mod compute;

use std::fmt::Write;

use anyhow::Result;
use perceptron::{Architecture, BooleanFunction};
use serde::Serialize;

use super::{About, FromPlan, Rendered};
use crate::sweep::model::output_formula;
use crate::sweep::numbers::shortest;
use crate::sweep::plan::Plan;
use crate::sweep::tables::to_csv;
use claims::{h1_claim, one_layer_claim, two_layer_claims};
pub use compute::{Run, SummaryRow, findings, iterations, models, summary, truth_table};

/// The two-layer hidden sizes of the study (fixed, whatever `--hidden`).
pub const HIDDEN: [usize; 5] = [1, 2, 3, 4, 8];
/// Seeds `0..SEEDS` per model and function (one batch of lanes).
pub const SEEDS: u32 = 8;
/// The settling threshold on `max |y − o|`.
pub const THETA: f64 = 0.1;
/// The study's cap on `--iterations`, to stay within its time budget.
pub const MAX_ITERATIONS: u64 = 10_000;
/// A run that did not learn is "stuck near 0.5" when its largest error is within this of 0.5.
pub const STUCK_BAND: f64 = 0.1;

static ABOUT: About = About {
    letter: Some('F'),
    title: "Which rules can be learned? All 16 truth tables of (x1, x2)",
    description: "all 16 truth tables of (x1, x2) × one layer and two layers H = 1, 2, 3, 4, 8 without and with the output bias b2 × seeds 0..7, min(`--iterations`, 10000) steps: learned, largest error, settled below 0.1",
    files: &["truth_tables.csv", "truth_tables_summary.csv"],
};

pub struct TruthTables;

/// A row of `truth_tables.csv`.
#[derive(Serialize)]
struct RunRow {
    model: String,
    /// Whether the output unit has the bias `b2`.
    output_bias: bool,
    function: &'static str,
    /// The targets on the truth table's inputs, `f(0,0) f(0,1) f(1,0) f(1,1)`.
    truth_table: String,
    linearly_separable: bool,
    seed: u32,
    learned: bool,
    max_error: f64,
    settled_at: Option<u64>,
    diverged_at: Option<u64>,
    o_00: f64,
    o_11: f64,
    o_10: f64,
    o_01: f64,
}

impl From<&Run> for RunRow {
    fn from(r: &Run) -> Self {
        RunRow {
            model: r.architecture.label(),
            output_bias: r.architecture.output_bias(),
            function: r.function.name(),
            truth_table: truth_table(r.function),
            linearly_separable: r.function.is_linearly_separable(),
            seed: r.seed,
            learned: r.learned,
            max_error: r.max_error,
            settled_at: r.settled_at,
            diverged_at: r.diverged_at,
            o_00: r.outputs[0],
            o_11: r.outputs[1],
            o_10: r.outputs[2],
            o_01: r.outputs[3],
        }
    }
}

impl FromPlan for TruthTables {
    fn about(&self) -> &'static About {
        &ABOUT
    }

    fn render(&self, plan: &Plan) -> Result<Rendered> {
        let runs = findings(plan);
        let rows: Vec<RunRow> = runs.iter().map(RunRow::from).collect();
        let summary = summary(&runs);
        let files = vec![("truth_tables.csv", to_csv(&rows)?), ("truth_tables_summary.csv", to_csv(&summary)?)];
        Ok(Rendered { files, section: section(plan, &runs, &summary) })
    }
}

/// A model's column header: `one-layer`, `H=2`, `H=2 + b2`.
fn header(m: Architecture) -> String {
    match m {
        Architecture::OneLayer => m.label(),
        Architecture::TwoLayer { hidden, output_bias } => {
            format!("H={hidden}{}", if output_bias { " + b2" } else { "" })
        }
    }
}

/// The study's section of the report: what was run, the table, the conclusions.
fn section(plan: &Plan, runs: &[Run], summary: &[SummaryRow]) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "The notebook's four rows hold every combination of x1 and x2 (x3 = 1), so each of the 16 Boolean \
         functions is a target vector on the same rows (the notebook's rule is `x1`). Each function × model \
         (one layer; two layers H = {}, each without and with the output bias) × seeds 0–{} is trained {} iterations at learning rate {}. Learned: \
         every row's output strictly on its target's side of 0.5; settled: the iteration from which the \
         largest error stays below θ = {THETA}; stuck: not learned with a largest error within {STUCK_BAND} \
         of 0.5 after these iterations (a plateau a longer run may still leave). Files: `truth_tables.csv` (one row per run), `truth_tables_summary.csv`.\n",
        HIDDEN.map(|h| h.to_string()).join(", "),
        SEEDS - 1,
        iterations(plan),
        shortest(plan.learning_rate),
    );
    let _ = writeln!(s, "| function | truth table f(00) f(01) f(10) f(11) | separable | {} |", {
        models().iter().map(|&m| header(m)).collect::<Vec<_>>().join(" | ")
    });
    let _ = writeln!(s, "|---|---|---|{}", "---:|".repeat(models().len()));
    for f in BooleanFunction::ALL {
        let cells: Vec<String> = models()
            .iter()
            .map(|m| {
                let row = summary.iter().find(|r| r.model == m.label() && r.function == f.name());
                row.map_or_else(String::new, |r| format!("{}/{}", r.learned, r.seeds))
            })
            .collect();
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} |",
            f.name(),
            truth_table(f),
            if f.is_linearly_separable() { "yes" } else { "no" },
            cells.join(" | ")
        );
    }
    let _ = writeln!(
        s,
        "\n(Seeds that learned, out of {SEEDS}; H=… is two layers with H hidden units, `{}`, and \"+ b2\" the same with the output bias, `{}`, from the same seeds.)\n",
        output_formula(Architecture::two_layer(1)),
        output_formula(Architecture::two_layer(1).with_output_bias(true))
    );
    let _ = writeln!(s, "- {}", one_layer_claim(runs));
    if let Some(c) = h1_claim(runs) {
        let _ = writeln!(s, "- {c}");
    }
    for c in two_layer_claims(runs) {
        let _ = writeln!(s, "- {c}");
    }
    if let Some(c) = codes::claim(runs) {
        let _ = writeln!(s, "- {c}");
    }
    for c in bias::claims(runs) {
        let _ = writeln!(s, "- {c}");
    }
    let _ = writeln!(s);
    s
}
