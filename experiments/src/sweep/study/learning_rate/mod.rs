//! Study G: the learning rate. Rates [`RATES`] (0.1 to 100, log grid) × models
//! (one layer, and 3→H→1 for H in [`HIDDEN`]) × seeds `0..SEEDS`, all on the
//! notebook's data, each run at rate `r` trained for `⌈K / r⌉` steps with
//! `K = min(--iterations, MAX_PRODUCT)` (every run covers the same `rate × iterations`)
//! on the fast path with every step's largest error watched:
//! `learning_rate.csv` (one row per run), `learning_rate_summary.csv` (one row per
//! model and rate) and `learning_rate.svg` (iterations to settle against the
//! rate, log–log, with the budget and the runs that did not settle).
//!
//! Per run of `N` steps, with `e_t = y − o(w_t)` on the four rows and `L_t = ½ Σ e_t²`,
//! sampled at [`SAMPLES`] log-spaced iterations, `⌊N/2⌋` and each of the last [`TAIL`]:
//! - `settled_at`: the first `s` with `max |e_t| < THRESHOLD` for every `t ≥ s` (exact);
//! - outcome, the first that holds: *settled* (`settled_at` exists); *diverged*
//!   (an update would have made a weight non-finite); *oscillating* (over the
//!   samples from `⌊N/2⌋` on, `L` rises between consecutive samples by more than
//!   [`RISE`], relative); *plateau* (`(L_{N/2} − L_N) / L_N < FLAT` and
//!   `‖∂L/∂w‖ < GRADIENT` at the end); else *descending* (still falling).
//!
//! Statistics over the seeds are nearest-rank (`stats::Sorted`), the median the
//! lower one, as in the other studies; a run that did not settle counts as ∞
//! ("> N": not within its N iterations). The slope is the least-squares fit of
//! `ln(median) = a + b·ln(rate)` over the rates up to [`FIT_MAX_RATE`] whose
//! median is finite; iterations ∝ 1/rate is `b = −1`.
//!
//! Files of the module: `compute.rs` (the runs and cells), `claims.rs` (the
//! conclusions), `plateaus.rs` (where the plateaus sit), `plot.rs` (the
//! picture); this file renders them.

mod claims;
mod compute;
mod plateaus;
mod plot;

use std::fmt::Write;

use anyhow::Result;
use perceptron::Architecture;
use serde::Serialize;

use super::{About, FromPlan, Rendered};
use crate::sweep::Plan;
use crate::sweep::numbers::shortest;
use crate::sweep::tables::to_csv_iter;
use claims::{
    compare_claim, diverged_claim, fastest_claim, not_settled_claim, product_claim, settled_points, slope_claim,
    thresholds_claim,
};
use compute::{Cell, Findings, find_cell, findings, model_cells};
use plateaus::plateau_claims;

/// The learning rates, a 1–2–5 log grid from 0.1 to 100.
pub const RATES: [f64; 10] = [0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0];
/// The two-layer sizes (fixed, whatever `--hidden`: H = 1 never learns the rule, see study D).
pub const HIDDEN: [usize; 3] = [2, 4, 8];
/// Seeds `0..SEEDS` per model and rate (one batch of lanes).
pub const SEEDS: u32 = 8;
/// `K = rate × iterations` of every run is `min(--iterations, MAX_PRODUCT)`: about
/// twice the 9360 that one layer, the slowest model here, needs at every rate up
/// to 10 (200 000 iterations at rate 0.1, the study's largest share of the sweep).
pub const MAX_PRODUCT: u64 = 20_000;
/// The settling threshold on `max |y − o|`.
pub const THRESHOLD: f64 = 0.01;
/// Log-spaced samples of the loss.
pub(super) const SAMPLES: usize = 60;
/// The last steps, every one sampled (a cycle of up to this many steps shows as a rise).
pub(super) const TAIL: u64 = 16;
/// A rise of the loss between samples larger than this, relative, is not rounding
/// (a sum of four squares rounds at about 1e-16).
pub const RISE: f64 = 1e-9;
/// A loss that fell by less than this, relative, over the second half of the run is flat.
pub const FLAT: f64 = 0.01;
/// A gradient norm below this at the end is near zero.
pub const GRADIENT: f64 = 1e-3;
/// An output within this of 0, ½ or 1 is shown as that value where a plateau sits.
pub(super) const NEAR: f64 = 0.01;
/// The slope is fitted on the rates up to this one (above it, runs reach plateaus).
pub const FIT_MAX_RATE: f64 = 10.0;
/// The slope range read as "iterations ∝ 1/rate".
pub(super) const INVERSE_SLOPE: (f64, f64) = (-1.1, -0.9);

static ABOUT: About = About {
    letter: Some('G'),
    title: "The learning rate",
    description: "the learning rate: rates 0.1, 0.2, 0.5, …, 100 × one layer and H = 2, 4, 8 × seeds 0..7 (320 more runs), a run at rate r trained ⌈K / r⌉ steps, K = min(`--iterations`, 20000); iterations to settle below 0.01 (lower median and range over seeds), final loss, and how each run that did not settle ends: still descending, on a plateau or oscillating",
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
    let iterations: Vec<String> = f.cells.iter().take(RATES.len()).map(|c| c.iterations.to_string()).collect();
    let _ = writeln!(
        s,
        "Learning rates {} × models ({}) × seeds 0–{}, on the notebook's data ({} runs; `learning_rate.csv`, `learning_rate_summary.csv`). Every run covers the same rate × iterations, K = min(`--iterations`, {MAX_PRODUCT}) = {}: a run at rate r trains ⌈K / r⌉ iterations ({} at the rates above).",
        RATES.map(shortest).join(", "),
        models.join(", "),
        SEEDS - 1,
        f.run_count(),
        f.product,
        iterations.join(", "),
    );
    let _ = writeln!(
        s,
        "\nEach run is classified from its own trajectory, with L = ½Σ(y − o)² sampled at {SAMPLES} log-spaced iterations, at N/2 and at each of the last {TAIL} of its N iterations; the first that holds:\n"
    );
    let _ = writeln!(
        s,
        "- *settled*: from some iteration on, the largest error max |y − o| stays below {THRESHOLD} to the end (every step watched); that iteration is its iterations to settle."
    );
    let _ = writeln!(
        s,
        "- *oscillating*: from N/2 on, L rises from one sample to the next by more than {RISE:e} (relative; a sum of four squares rounds at about 1e-16)."
    );
    let _ = writeln!(
        s,
        "- *plateau*: L fell by less than {} % (relative) from N/2 to N, and the gradient norm ‖∂L/∂w‖ at the end is below {GRADIENT:e}: flat, with almost no slope left to descend (a step lowers L by about rate × ‖∂L/∂w‖², so at that slope a whole run would lower it by less than K × ({GRADIENT:e})² = {}).",
        shortest(FLAT * 100.0),
        shortest((f.product as f64 * GRADIENT * GRADIENT * 1e9).round() / 1e9)
    );
    let _ = writeln!(
        s,
        "- *descending*: none of these: L still falls, but the run has not settled within its N iterations.\n"
    );
    let _ = writeln!(s, "{}", thresholds_claim(f));
    let _ = writeln!(s, "{}\n", diverged_claim(f));
    let _ = writeln!(
        s,
        "Statistics over the {SEEDS} seeds are nearest-rank, as in the other studies: the median is the lower median (for an even count, the smaller of the two middle values), and a run that did not settle counts as ∞, written \"> N\" (not within its N iterations).\n"
    );
    let _ = writeln!(s, "![learning rate](learning_rate.svg)\n");
    table(f, &mut s);
    let _ = writeln!(
        s,
        "\nDoes iterations ∝ 1/rate hold? Least-squares slope of ln(lower median iterations to settle) on ln(rate), over the rates up to {} with a finite median:\n",
        shortest(FIT_MAX_RATE)
    );
    for &m in &f.models {
        let _ = writeln!(s, "- {}", slope_claim(&m.label(), &settled_points(&model_cells(f, m))));
    }
    let _ = writeln!(
        s,
        "\nWhy −1: while the steps are small, n steps at rate r follow nearly the path of r·n steps at rate 1 (each moves the weights by r times the gradient), so what matters is rate × iterations; and every run here trains for the same rate × iterations, K = {}. Per model, over the rates up to {}:\n",
        f.product,
        shortest(FIT_MAX_RATE)
    );
    for &m in &f.models {
        let _ = writeln!(s, "- {}", product_claim(&m.label(), &model_cells(f, m)));
    }
    let _ = writeln!(s, "\nRuns that did not settle within their N iterations:\n");
    for &m in &f.models {
        let _ = writeln!(s, "- {}", not_settled_claim(&m.label(), &model_cells(f, m)));
    }
    let plateaus = plateau_claims(f);
    if !plateaus.is_empty() {
        let _ = writeln!(
            s,
            "\nWhere the plateaus sit: the final outputs o on the rows (0,0), (1,1), (1,0), (0,1) (targets 0, 1, 1, 0), each shown as 0, ½ or 1 when within {NEAR} of it:\n"
        );
        for line in plateaus {
            let _ = writeln!(s, "- {line}");
        }
    }
    let largest = f.models.iter().filter_map(|m| m.hidden()).max();
    if let Some(h) = largest {
        let two = Architecture::TwoLayer { hidden: h };
        if let (Some(a), Some(b)) = (find_cell(f, Architecture::OneLayer, 10.0), find_cell(f, two, 1.0)) {
            let _ = writeln!(
                s,
                "\nOne layer at a larger rate against the largest second layer at the notebook's rate (lower medians): {}",
                compare_claim(a, b)
            );
        }
    }
    let _ = writeln!(
        s,
        "\nThe fastest rate per model, judged by its slowest seed that settled, among the rates at which the most seeds settled (a median would hide how far apart the seeds can be):\n"
    );
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

/// Iterations to settle, or `> N` for a run (or median) that did not settle within `N`.
fn settle(at: Option<u64>, iterations: u64) -> String {
    at.map_or_else(|| format!("> {iterations}"), |t| t.to_string())
}

/// The table of every (model, rate) cell.
fn table(f: &Findings, s: &mut String) {
    let _ = writeln!(
        s,
        "| model | rate | iterations N | settled | descending | plateau | oscillating | iterations to settle: lower median [fastest, slowest seed] | rate × lower median | lower median final loss |"
    );
    let _ = writeln!(s, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for c in &f.cells {
        let n = c.iterations;
        let spread = match c.settle_min {
            Some(_) => format!(" [{}, {}]", settle(c.settle_min, n), settle(c.settle_max, n)),
            None => String::new(),
        };
        let _ = writeln!(
            s,
            "| {} | {} | {n} | {} | {} | {} | {} | {}{spread} | {} | {:.3e} |",
            c.model.label(),
            shortest(c.rate),
            c.settled,
            c.descending,
            c.plateau,
            c.oscillating,
            settle(c.median_settle, n),
            c.median_settle.map_or_else(|| "–".to_owned(), |m| format!("{:.0}", c.rate * m as f64)),
            c.lower_median_final_loss
        );
    }
}
