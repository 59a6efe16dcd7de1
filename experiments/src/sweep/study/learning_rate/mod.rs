//! Study G: the learning rate. Rates [`RATES`] (0.1 to 100, log grid) × models
//! (one layer, and 3→H→1 for H in [`HIDDEN`]) × seeds `0..SEEDS`, all on the
//! notebook's data, each trained for `min(--iterations, MAX_ITERATIONS, ⌈STEPS_X_RATE / rate⌉)`
//! steps on the fast path with every step's largest error watched (a run at rate
//! `r` gets a horizon ∝ 1/r, so the large rates, whose saturated units are slow to
//! compute, cost little):
//! `learning_rate.csv` (one row per run), `learning_rate_summary.csv` (one row per
//! model and rate) and `learning_rate.svg` (median iterations to settle against
//! the rate, log–log).
//!
//! Per run, with `e_t = y − o(w_t)` on the four rows and `L_t = ½ Σ e_t²`:
//! - `settled_at`: the first `s` with `max |e_t| < 0.01` for every `t ≥ s` (exact);
//! - `diverged_at`: the step whose update would have made a weight non-finite;
//! - outcome: *settled* if `settled_at` exists; else *diverged*; else
//!   *oscillates* if `L_N` is higher than `L_t` at some earlier sample `t` of the
//!   log-spaced schedule (the loss went back up); else *slow* (still descending).
//!
//! The median over seeds counts a run that never settled as ∞: with an even
//! count it is the mean of the two middle values, and "never" if either is ∞.
//! The slope is the least-squares fit of `ln(median) = a + b·ln(rate)` over the
//! rates up to [`FIT_MAX_RATE`] whose median is finite; iterations ∝ 1/rate is `b = −1`.
//!
//! Files of the module: `compute.rs` (the runs and cells), `claims.rs` (the
//! conclusions), `plot.rs` (the picture); this file renders them.

mod claims;
mod compute;
mod plot;

use std::fmt::Write;

use anyhow::Result;
use perceptron::Architecture;
use serde::Serialize;

use super::{About, FromPlan, Rendered};
use crate::sweep::Plan;
use crate::sweep::numbers::shortest;
use crate::sweep::tables::to_csv_iter;
use claims::{compare_claim, fastest_claim, settled_points, slope_claim, unstable_claim};
use compute::{Cell, Findings, find_cell, findings, model_cells};

/// The learning rates, a 1–2–5 log grid from 0.1 to 100.
pub const RATES: [f64; 10] = [0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0];
/// The two-layer sizes (fixed, whatever `--hidden`: H = 1 never learns the rule, see study D).
pub const HIDDEN: [usize; 3] = [2, 4, 8];
/// Seeds `0..SEEDS` per model and rate (one batch of lanes).
pub const SEEDS: u32 = 8;
/// At most this many iterations per run (the study's share of the sweep's time).
pub const MAX_ITERATIONS: u64 = 20_000;
/// A run at rate `r` gets at most `⌈STEPS_X_RATE / r⌉` iterations.
pub const STEPS_X_RATE: f64 = 20_000.0;
/// The settling threshold on `max |y − o|`.
pub const THRESHOLD: f64 = 0.01;
/// Log-spaced samples of the loss, for the oscillation test.
pub(super) const SAMPLES: usize = 60;
/// The slope is fitted on the rates up to this one (above it, runs saturate or oscillate).
pub const FIT_MAX_RATE: f64 = 10.0;
/// The slope range read as "iterations ∝ 1/rate".
pub(super) const INVERSE_SLOPE: (f64, f64) = (-1.1, -0.9);

static ABOUT: About = About {
    letter: Some('G'),
    title: "The learning rate",
    description: "the learning rate: rates 0.1, 0.2, 0.5, …, 100 × one layer and H = 2, 4, 8 × seeds 0..7 (320 more runs), a run at rate r trained min(`--iterations`, 20000, ⌈20000 / r⌉) steps; iterations to settle below 0.01, final loss, oscillation (final loss above an earlier sample's) and divergence",
    files: &["learning_rate.csv", "learning_rate_summary.csv", "learning_rate.svg"],
};

pub struct LearningRate;

impl FromPlan for LearningRate {
    fn about(&self) -> &'static About {
        &ABOUT
    }

    fn render(&self, plan: &Plan) -> Result<Rendered> {
        let findings = findings(plan);
        let runs = findings.cells.iter().flat_map(|c| c.per_seed.iter().map(move |r| (ModelAndRate::of(c), r)));
        let cells = findings.cells.iter().map(|c| (ModelAndRate::of(c), c));
        let files = vec![
            ("learning_rate.csv", to_csv_iter(runs)?),
            ("learning_rate_summary.csv", to_csv_iter(cells)?),
            ("learning_rate.svg", plot::plot(&findings)?.into_bytes()),
        ];
        Ok(Rendered { files, section: section(&findings) })
    }
}

fn section(f: &Findings) -> String {
    let mut s = String::new();
    let models: Vec<String> = f.models.iter().map(|m| m.label()).collect();
    let _ = writeln!(
        s,
        "Learning rates {} × models ({}) × seeds 0–{}, on the notebook's data ({} runs; `learning_rate.csv`, `learning_rate_summary.csv`). A run at rate r trains for min({}, ⌈{} / r⌉) iterations (`--iterations` capped at {}): a horizon that shrinks as 1/r keeps the large rates, whose saturated units are slow to compute, cheap.",
        RATES.map(shortest).join(", "),
        models.join(", "),
        SEEDS - 1,
        f.run_count(),
        f.cells.first().map_or(0, |c| c.iterations),
        STEPS_X_RATE,
        MAX_ITERATIONS
    );
    let _ = writeln!(
        s,
        "A run *settles* at the first iteration from which its largest error `max |y − o|` stays below {THRESHOLD} to the end (every step watched); one that does not is *diverged* (a weight would become non-finite), *oscillates* (its final loss ½Σ(y − o)² is higher than at some earlier one of {SAMPLES} log-spaced samples) or is *slow* (still descending).",
    );
    let _ = writeln!(
        s,
        "Medians are over the {SEEDS} seeds, a run that never settled counting as ∞ (for an even count, the mean of the two middle values; \"never\" when one of them is ∞).\n"
    );
    let _ = writeln!(s, "![learning rate](learning_rate.svg)\n");
    table(f, &mut s);
    let _ = writeln!(
        s,
        "\nDoes iterations ∝ 1/rate hold? Least-squares slope of ln(median iterations) on ln(rate), over the rates up to {} with a finite median:\n",
        shortest(FIT_MAX_RATE)
    );
    for &m in &f.models {
        let _ = writeln!(s, "- {}", slope_claim(&m.label(), &settled_points(&model_cells(f, m))));
    }
    let _ = writeln!(s, "\nFrom what rate do runs oscillate or diverge?\n");
    for &m in &f.models {
        let _ = writeln!(s, "- {}", unstable_claim(&m.label(), &model_cells(f, m)));
    }
    let largest = f.models.iter().filter_map(|m| m.hidden()).max();
    if let Some(h) = largest {
        let two = Architecture::TwoLayer { hidden: h };
        if let (Some(a), Some(b)) = (find_cell(f, Architecture::OneLayer, 10.0), find_cell(f, two, 1.0)) {
            let _ = writeln!(
                s,
                "\nOne layer at a larger rate against the largest second layer at the notebook's rate: {}",
                compare_claim(a, b)
            );
        }
    }
    let _ = writeln!(s, "\nThe rate with the lowest median iterations to settle, per model:\n");
    for &m in &f.models {
        let _ = writeln!(s, "- {}", fastest_claim(&m.label(), &model_cells(f, m)));
    }
    let _ = writeln!(s);
    s
}

/// The columns every row of `learning_rate.csv` and `learning_rate_summary.csv`
/// starts with, before those of a run or of its [`Cell`]: which model, at which
/// rate, for how many iterations.
#[derive(Serialize)]
struct ModelAndRate {
    model: String,
    hidden: usize,
    learning_rate: f64,
    iterations: u64,
}

impl ModelAndRate {
    fn of(c: &Cell) -> Self {
        ModelAndRate {
            model: c.model.label(),
            hidden: c.model.hidden().unwrap_or(0),
            learning_rate: c.rate,
            iterations: c.iterations,
        }
    }
}

/// The table of every (model, rate) cell.
fn table(f: &Findings, s: &mut String) {
    let _ = writeln!(
        s,
        "| model | rate | iterations | settled | oscillate | diverged | median iterations to settle | median final loss |"
    );
    let _ = writeln!(s, "|---|---:|---:|---:|---:|---:|---:|---:|");
    for c in &f.cells {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {} | {:.3e} |",
            c.model.label(),
            shortest(c.rate),
            c.iterations,
            c.settled,
            c.oscillating,
            c.diverged,
            c.median_settle.map_or_else(|| "never".to_owned(), |m| format!("{m}")),
            c.median_final_loss
        );
    }
}
