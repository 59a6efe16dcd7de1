//! Study G: the learning rate. Rates [`RATES`] (0.1 to 100, log grid) × models
//! (one layer, and 3→H→1 for H in [`HIDDEN`]) × seeds `0..SEEDS`, all on the
//! notebook's data, each run at rate `r` trained for `⌈K / r⌉` steps with
//! `K = min(--iterations, MAX_PRODUCT)` (every run covers the same `rate × iterations`)
//! on the fast path with every step's largest error watched:
//! `learning_rate.csv` (one row per run), `learning_rate_summary.csv` (one row per
//! model and rate) and `learning_rate.svg` (iterations to settle against the
//! rate, log–log, with the budget and the runs that did not settle).
//!
//! Per run of `N` steps, with `e_t = y − o(w_t)` on the four rows and
//! `L_t = ½ Σ e_t²` at every `t = 0..=N` (the kernel's own per-step losses,
//! `Lanes::record_losses`, and the final weights' loss):
//! - `settled_at`: the first `s` with `max |e_t| < THRESHOLD` for every `t ≥ s` (exact);
//! - the trajectory (`trajectory.rs`): the first rise of `L` by more than
//!   [`RISE`] (relative) and its peak, the first `t` from which `L` stays within
//!   [`FLAT`] of `L_N`, and the longest stretch on a plateau;
//! - outcome, the first that holds: *settled* (`settled_at` exists); *diverged*
//!   (an update would have made a weight non-finite; bounded away here, see
//!   `claims::diverged_claim`); *plateau* (flat from `⌊N/2⌋` on and
//!   `‖∂L/∂w‖ < GRADIENT` at the end); else *descending* (still falling).
//!
//! Statistics over the seeds are nearest-rank (`stats::Sorted`), the median the
//! lower one, as in the other studies; a run that did not settle counts as ∞
//! ("> N": not within its N iterations). The slope is the least-squares fit of
//! `ln(median) = a + b·ln(rate)` over a model's rates below the first at which
//! some seed's loss rose; iterations ∝ 1/rate is `b = −1`.
//!
//! Files of the module: `compute.rs` (the runs and cells), `trajectory.rs`
//! (one run's every loss read), `claims.rs` (the conclusions), `plateaus.rs`
//! (where the plateaus sit), `plot.rs` (the picture); this file renders them.

mod claims;
mod compute;
mod plateaus;
mod plot;
mod trajectory;

use std::fmt::Write;

use anyhow::Result;
use perceptron::Architecture;
use serde::Serialize;

use super::{About, FromPlan, Rendered};
use crate::sweep::numbers::shortest;
use crate::sweep::plan::Plan;
use crate::sweep::tables::to_csv_iter;
use claims::{ModelRow, compare_claim, dead_units_claim, diverged_claim, fastest_claim, left_claim, overshoot_claim};
use compute::{Cell, Findings, Outcome, find_cell, findings, model_cells};
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
/// A rise of the loss between samples larger than this, relative, is not rounding
/// (a sum of four squares rounds at about 1e-16).
pub const RISE: f64 = 1e-9;
/// A loss that fell by less than this, relative, over the second half of the run is flat.
pub const FLAT: f64 = 0.01;
/// A gradient norm below this at the end is near zero.
pub const GRADIENT: f64 = 1e-3;
/// An output within this of 0, ½ or 1 is shown as that value where a plateau sits.
pub(super) const NEAR: f64 = 0.01;

static ABOUT: About = About {
    letter: Some('G'),
    title: "The learning rate",
    description: "the learning rate: rates 0.1, 0.2, 0.5, …, 100 × one layer and H = 2, 4, 8 × seeds 0..7 (320 more runs), a run at rate r trained ⌈K / r⌉ steps, K = min(`--iterations`, 20000); the loss at every step: whether and when it rose (overshoot), iterations to settle below 0.01, and how each run that did not settle ends: on a plateau (and which left one) or still descending",
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
        Ok(Rendered { files, section: section(&findings, plan) })
    }
}

fn section(f: &Findings, plan: &Plan) -> String {
    let mut s = String::new();
    let models: Vec<String> = f.models.iter().map(|m| m.label()).collect();
    let iterations: Vec<String> = f.cells.iter().take(RATES.len()).map(|c| c.iterations.to_string()).collect();
    let _ = writeln!(
        s,
        "Learning rates {} × models ({}) × seeds 0–{}, on the notebook's data ({} runs; `learning_rate.csv` one row per run, `learning_rate_summary.csv` one per model and rate). Every run covers the same rate × iterations, K = min(`--iterations`, {MAX_PRODUCT}) = {}: a run at rate r trains N = ⌈K / r⌉ iterations ({} at the rates above).",
        RATES.map(shortest).join(", "),
        models.join(", "),
        SEEDS - 1,
        f.run_count(),
        f.product,
        iterations.join(", "),
    );
    let _ = writeln!(
        s,
        "\nEach run is read from its loss L = ½Σ(y − o)² at every step: whether and when L first rose from one step to the next (by more than {RISE:e}, relative; a sum of four squares rounds at about 1e-16), how high it went, and how the run ends, the first that holds:\n"
    );
    let _ = writeln!(
        s,
        "- *settled*: from some iteration on, the largest error max |y − o| stays below {THRESHOLD} to the end; that iteration is its iterations to settle."
    );
    let _ = writeln!(
        s,
        "- *plateau*: L within {} % of its final value at every step of the second half, and ‖∂L/∂w‖ < {GRADIENT:e} at the end: almost no slope left (a step lowers L by about rate × ‖∂L/∂w‖², so a whole run at that slope would lower it by less than K × ({GRADIENT:e})² = {}). A longer run may still leave it.",
        shortest(FLAT * 100.0),
        shortest((f.product as f64 * GRADIENT * GRADIENT * 1e9).round() / 1e9)
    );
    let _ =
        writeln!(s, "- *descending*: neither: L still falls, but the run has not settled within its N iterations.\n");
    let _ = writeln!(
        s,
        "Medians over the {SEEDS} seeds are lower medians (nearest rank), a run that did not settle counting as ∞.\n"
    );
    let _ = writeln!(
        s,
        "![learning rate](learning_rate.svg)\n\n*To see:* the joined dots fall along parallel lines of slope −1 (small steps), then scatter, and the band above counts the runs that did not settle.\n"
    );
    let _ = writeln!(
        s,
        "**Small rates behave alike.** While the steps are small, n steps at rate r follow nearly the path of r·n steps at rate 1 (each moves the weights by r times the gradient), so only rate × iterations matters: iterations to settle ∝ 1/rate, a slope of −1 on log–log axes. That holds up to the rate at which L first rises:\n"
    );
    let rows: Vec<ModelRow> = f.models.iter().map(|&m| ModelRow::of(&m.label(), &model_cells(f, m))).collect();
    let _ = writeln!(
        s,
        "| model | rates at which no seed's L rose | rate × lower median iterations to settle there | slope of ln(median) on ln(rate) there | seeds (of {SEEDS}) whose L rose, by rate | runs that did not settle |\n|---|---|---:|---:|---|---:|"
    );
    for row in &rows {
        let _ = writeln!(s, "| {} | {} |", row.model, row.cells().join(" | "));
    }
    if let Some(claim) = overshoot_claim(f) {
        let _ = writeln!(
            s,
            "\n**Large rates overshoot.** A step too long for the slope it starts on crosses the valley and lands higher: L rises. {claim}"
        );
    }
    let _ = writeln!(
        s,
        "\n**Why the others did not settle.** A jump can push a unit's input so far that σ′ ≈ 0 there: the unit is pinned at 0 or 1, the gradient through it vanishes, and L stays where the jump left it. By the final outputs o on the rows (0,0), (1,1), (1,0), (0,1) (the notebook's order, targets 0, 1, 1, 0; 0, ½ or 1 when within {NEAR} of it):\n"
    );
    for line in plateau_claims(f) {
        let _ = writeln!(s, "- {line}");
    }
    let descending: Vec<(&Cell, &compute::Run)> = f
        .cells
        .iter()
        .flat_map(|c| c.per_seed.iter().map(move |r| (c, r)))
        .filter(|p| p.1.outcome == Outcome::Descending)
        .collect();
    if !descending.is_empty() {
        let _ = writeln!(s, "- still descending at N: {}.", plateaus::places(&descending));
    }
    if let Some(claim) = dead_units_claim(f, plan) {
        let _ = writeln!(s, "\n{claim}");
    }
    if let Some(claim) = left_claim(f) {
        let _ = writeln!(s, "\n{claim}");
    }
    let _ = writeln!(s, "\n{}", diverged_claim(f));
    let largest = f.models.iter().filter_map(|m| m.hidden()).max();
    if let Some(h) = largest {
        let two = Architecture::two_layer(h);
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
