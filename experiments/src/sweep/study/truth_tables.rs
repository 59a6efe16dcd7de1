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
//! `truth_tables_summary.csv` (one row per model × function), `truth_tables.svg`
//! (per model a 4×4 grid of the 16 functions shaded by the share of seeds that
//! learned them).
//!
//! Why two layers with H = 1 learn only the constants: the notebook's output unit
//! has no bias input, so `o = σ(v·h)` with `h = σ(x·W) ∈ (0, 1)`: `v·h` has the
//! sign of `v` on every row, so all four outputs lie on the same side of 0.5.

use std::fmt::Write;

use anyhow::Result;
use perceptron::{Architecture, BooleanFunction, Config, Schedule, train_batch};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use rayon::prelude::*;
use serde::Serialize;

use super::super::Plan;
use super::super::Results;
use super::super::numbers::fixed;
use super::super::runs::is_correct;
use super::super::tables::to_csv;
use super::{Rendered, Study, file};

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

pub struct TruthTables;

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
}

/// The study's models, in report order.
pub fn models() -> Vec<Architecture> {
    let mut m = vec![Architecture::OneLayer];
    m.extend(HIDDEN.map(|hidden| Architecture::TwoLayer { hidden }));
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
                    }
                })
                .collect::<Vec<_>>()
        })
        .collect::<Vec<_>>()
        .into_iter()
        .flatten()
        .collect()
}

/// A row of `truth_tables.csv`.
#[derive(Serialize)]
struct RunRow {
    model: String,
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

/// A row of `truth_tables_summary.csv`.
#[derive(Serialize, Debug, PartialEq)]
pub struct SummaryRow {
    model: String,
    function: &'static str,
    truth_table: String,
    linearly_separable: bool,
    seeds: usize,
    learned: usize,
    share_learned: f64,
    stuck_near_half: usize,
    /// The median of the largest errors (the mean of the two middle values for an even count).
    median_max_error: f64,
    /// The median iteration to settle over the seeds that settled.
    median_settled_at: Option<f64>,
    settled: usize,
}

/// `f(0,0) f(0,1) f(1,0) f(1,1)` as four digits, e.g. `0110` for xor.
pub fn truth_table(f: BooleanFunction) -> String {
    [(false, false), (false, true), (true, false), (true, true)]
        .iter()
        .map(|&(a, b)| if f.eval(a, b) { '1' } else { '0' })
        .collect()
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 })
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
            let settled: Vec<f64> = group.iter().filter_map(|r| r.settled_at.map(|t| t as f64)).collect();
            rows.push(SummaryRow {
                model: m.label(),
                function: f.name(),
                truth_table: truth_table(f),
                linearly_separable: f.is_linearly_separable(),
                seeds: group.len(),
                learned,
                share_learned: learned as f64 / group.len() as f64,
                stuck_near_half: group.iter().filter(|r| r.stuck()).count(),
                median_max_error: median(group.iter().map(|r| r.max_error).collect()).unwrap_or(f64::NAN),
                settled: settled.len(),
                median_settled_at: median(settled),
            });
        }
    }
    rows
}

/// Names as a readable list: `a, b and c`.
fn list(names: &[&str]) -> String {
    match names {
        [] => "none".to_owned(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn functions_where(runs: &[Run], m: Architecture, pred: impl Fn(&[&Run]) -> bool) -> Vec<&'static str> {
    BooleanFunction::ALL
        .into_iter()
        .filter(|&f| {
            let g: Vec<&Run> = runs.iter().filter(|r| r.architecture == m && r.function == f).collect();
            !g.is_empty() && pred(&g)
        })
        .map(BooleanFunction::name)
        .collect()
}

/// The one-layer conclusion: which functions no seed learned, and whether that
/// set is exactly the non-linearly-separable ones.
pub fn one_layer_claim(runs: &[Run]) -> String {
    let m = Architecture::OneLayer;
    let never = functions_where(runs, m, |g| g.iter().all(|r| !r.learned));
    let always = functions_where(runs, m, |g| g.iter().all(|r| r.learned));
    let inseparable: Vec<&str> =
        BooleanFunction::ALL.into_iter().filter(|f| !f.is_linearly_separable()).map(BooleanFunction::name).collect();
    let separable = BooleanFunction::ALL.len() - inseparable.len();
    let mut s = format!(
        "One layer never learned {} on any seed, and learned {} of the 16 functions on every seed. ",
        list(&never),
        always.len()
    );
    if never == inseparable && always.len() == separable {
        let _ = write!(
            s,
            "That is exactly the split by linear separability: no line a·x1 + b·x2 + c = 0 puts the 1s of {} on one \
             side and the 0s on the other, and the one-layer output σ(w1·x1 + w2·x2 + w3) is on the 1-side of 0.5 \
             exactly where w1·x1 + w2·x2 + w3 > 0, a half-plane; every other function is separable and was learned.",
            list(&inseparable)
        );
    } else {
        let _ = write!(
            s,
            "This does NOT match linear separability (not separable: {}); see `truth_tables_summary.csv`.",
            list(&inseparable)
        );
    }
    s
}

/// The H = 1 conclusion: the learned functions, and how many runs had every
/// output on one side of 0.5 (with the range of outputs).
pub fn h1_claim(runs: &[Run]) -> Option<String> {
    let m = Architecture::TwoLayer { hidden: 1 };
    let group: Vec<&Run> = runs.iter().filter(|r| r.architecture == m).collect();
    if group.is_empty() {
        return None;
    }
    let learned = functions_where(runs, m, |g| g.iter().any(|r| r.learned));
    let same = group.iter().filter(|r| r.same_side()).count();
    let mixed: Vec<&&Run> = group.iter().filter(|r| !r.function_is_constant() && r.learned).collect();
    let mut s = format!(
        "Two layers with H = 1 learned {} (on some seed). In {same} of its {} runs all four outputs lie on the same \
         side of 0.5. The reason is the notebook's construction: the output unit has no bias input, so \
         o = σ(v·h) with one hidden output h = σ(x·W) ∈ (0, 1); v·h has the sign of v on every row, so every \
         row's output is on the same side of 0.5 and only the constant functions (false, true) can be learned.",
        list(&learned),
        group.len()
    );
    let rule: Vec<f64> = group.iter().filter(|r| r.function == BooleanFunction::X1).flat_map(|r| r.outputs).collect();
    if !rule.is_empty() {
        let (lo, hi) = rule.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &o| (l.min(o), h.max(o)));
        let _ = write!(
            s,
            " On the notebook's rule x1 (targets 0, 1, 1, 0), its outputs on the four rows over all seeds lie in \
             [{}, {}].",
            fixed(lo, 4),
            fixed(hi, 4)
        );
    }
    if !mixed.is_empty() {
        let _ = write!(s, " Yet {} runs learned a non-constant function: check the study.", mixed.len());
    }
    Some(s)
}

impl Run {
    fn function_is_constant(&self) -> bool {
        matches!(self.function, BooleanFunction::False | BooleanFunction::True)
    }
}

/// Failed runs grouped by function: `and seeds 1, 2; xor seeds 5, 6`, with the
/// range of their largest errors.
fn grouped(failed: &[&Run]) -> String {
    let mut parts = Vec::new();
    for f in BooleanFunction::ALL {
        let seeds: Vec<String> = failed.iter().filter(|r| r.function == f).map(|r| r.seed.to_string()).collect();
        if !seeds.is_empty() {
            let word = if seeds.len() == 1 { "seed" } else { "seeds" };
            parts.push(format!("{f} {word} {}", seeds.join(", ")));
        }
    }
    let (lo, hi) =
        failed.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), r| (l.min(r.max_error), h.max(r.max_error)));
    let range =
        if fixed(lo, 3) == fixed(hi, 3) { fixed(lo, 3) } else { format!("{}–{}", fixed(lo, 3), fixed(hi, 3)) };
    format!("{} (largest error {range})", parts.join("; "))
}

/// What the two-layer models with H ≥ 2 learned and which seeds got stuck.
pub fn two_layer_claims(runs: &[Run]) -> Vec<String> {
    let mut out = Vec::new();
    for hidden in HIDDEN.into_iter().filter(|&h| h >= 2) {
        let m = Architecture::TwoLayer { hidden };
        if !runs.iter().any(|r| r.architecture == m) {
            continue;
        }
        let all = functions_where(runs, m, |g| g.iter().all(|r| r.learned));
        let never = functions_where(runs, m, |g| g.iter().all(|r| !r.learned));
        let failed: Vec<&Run> = runs.iter().filter(|r| r.architecture == m && !r.learned).collect();
        let total = runs.iter().filter(|r| r.architecture == m).count();
        let mut s = format!("H = {hidden}: learned {} of the 16 functions on every seed", all.len());
        if failed.is_empty() {
            s.push('.');
        } else {
            if !never.is_empty() {
                let _ = write!(s, "; never learned on any seed: {}", list(&never));
            }
            let _ = write!(s, "; {} of {total} runs did not learn", failed.len());
            let stuck: Vec<&Run> = failed.iter().copied().filter(|r| r.stuck()).collect();
            let other: Vec<&Run> = failed.iter().copied().filter(|r| !r.stuck()).collect();
            if !stuck.is_empty() {
                let _ = write!(s, ". Stuck near 0.5: {}", grouped(&stuck));
            }
            if !other.is_empty() {
                let _ = write!(s, ". Other failures: {}", grouped(&other));
            }
            s.push('.');
        }
        out.push(s);
    }
    out
}

/// One cell of the grid: the function, the seeds that learned it, the seeds run.
type Cell = (BooleanFunction, usize, usize);

/// Renders `draw` into an SVG string of `size` pixels on white (shared with `surfaces`).
pub(super) use super::super::plots::svg;

/// Share 0 → white, share 1 → the palette's blue (0, 114, 178).
fn shade(share: f64) -> RGBColor {
    let mix = |c: u8| (255.0 - share * (255.0 - f64::from(c))).round() as u8;
    RGBColor(mix(0), mix(114), mix(178))
}

/// `truth_tables.svg`: per model (2 rows × 3 panels) a 4×4 grid of the 16
/// functions in truth-table order, each cell shaded by the share of seeds that
/// learned it, with its name, its truth table and `learned/seeds`; non-separable
/// functions get a dashed border. A colour bar at the bottom.
fn grid_svg(models: &[(String, Vec<Cell>)]) -> Result<String> {
    const FONT: &str = "sans-serif";
    let (panel_w, panel_h, cell) = (400i32, 420i32, 92i32);
    let columns = 3i32;
    let rows = (models.len() as i32 + columns - 1) / columns;
    let width = (panel_w * columns + 20) as u32;
    let height = (70 + panel_h * rows + 80) as u32;
    svg((width, height), |root| {
        let centre = |size| (FONT, size).into_font().into_text_style(root).pos(Pos::new(HPos::Center, VPos::Center));
        root.draw(&Text::new(
            "Which truth tables are learned? Share of seeds with every row on the right side of 0.5",
            (width as i32 / 2, 25),
            centre(22),
        ))?;
        root.draw(&Text::new(
            "cell: function, truth table f(00) f(01) f(10) f(11), seeds learned; dashed border: not linearly separable",
            (width as i32 / 2, 52),
            centre(15).color(&BLACK.mix(0.75)),
        ))?;
        for (k, (label, cells)) in models.iter().enumerate() {
            let (px, py) = (10 + panel_w * (k as i32 % columns), 70 + panel_h * (k as i32 / columns));
            root.draw(&Text::new(label.clone(), (px + panel_w / 2, py + 18), centre(18)))?;
            let left = px + (panel_w - 4 * cell) / 2;
            for (i, &(f, learned, seeds)) in cells.iter().enumerate() {
                let share = if seeds == 0 { 0.0 } else { learned as f64 / seeds as f64 };
                let (x0, y0) = (left + cell * (i as i32 % 4), py + 40 + cell * (i as i32 / 4));
                let (x1, y1) = (x0 + cell - 4, y0 + cell - 4);
                root.draw(&Rectangle::new([(x0, y0), (x1, y1)], shade(share).filled()))?;
                if f.is_linearly_separable() {
                    root.draw(&Rectangle::new([(x0, y0), (x1, y1)], BLACK.mix(0.5).stroke_width(1)))?;
                } else {
                    let corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)];
                    for w in corners.windows(2) {
                        // Dashes of 6 px with gaps of 4 px along each side.
                        let (a, b) = (w[0], w[1]);
                        let length = (b.0 - a.0).abs().max((b.1 - a.1).abs());
                        let along = |d: i32| (a.0 + (b.0 - a.0) * d / length, a.1 + (b.1 - a.1) * d / length);
                        for d in (0..length).step_by(10) {
                            let dash = vec![along(d), along((d + 6).min(length))];
                            root.draw(&PathElement::new(dash, BLACK.stroke_width(2)))?;
                        }
                    }
                }
                let ink = if share > 0.55 { WHITE } else { BLACK };
                let cx = (x0 + x1) / 2;
                let name = f.name();
                let size = if name.len() > 10 { 12 } else { 15 };
                root.draw(&Text::new(name, (cx, y0 + 22), centre(size).color(&ink)))?;
                root.draw(&Text::new(truth_table(f), (cx, y0 + 45), centre(14).color(&ink)))?;
                root.draw(&Text::new(format!("{learned}/{seeds}"), (cx, y0 + 68), centre(16).color(&ink)))?;
            }
        }
        // Colour bar: share 0 … 1.
        let (bx, by, bw) = (width as i32 / 2 - 200, height as i32 - 55, 400);
        for i in 0..bw {
            let share = f64::from(i) / f64::from(bw - 1);
            root.draw(&Rectangle::new([(bx + i, by), (bx + i + 1, by + 16)], shade(share).filled()))?;
        }
        root.draw(&Rectangle::new([(bx, by), (bx + bw, by + 16)], BLACK.mix(0.5).stroke_width(1)))?;
        for (t, s) in [(0.0, "0"), (0.5, "0.5"), (1.0, "1")] {
            root.draw(&Text::new(s, (bx + (t * f64::from(bw)) as i32, by + 30), centre(14)))?;
        }
        root.draw(&Text::new("share of seeds that learned", (bx - 110, by + 8), centre(14)))?;
        Ok(())
    })
}

impl Study for TruthTables {
    fn name(&self) -> &'static str {
        "truth_tables"
    }

    fn render(&self, results: &Results) -> Result<Rendered> {
        let plan = &results.plan;
        let runs = findings(plan);
        let rows: Vec<RunRow> = runs
            .iter()
            .map(|r| RunRow {
                model: r.architecture.label(),
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
            })
            .collect();
        let summary = summary(&runs);
        let grids: Vec<(String, Vec<Cell>)> = models()
            .into_iter()
            .map(|m| {
                let cells = BooleanFunction::ALL
                    .into_iter()
                    .map(|f| {
                        let g: Vec<&Run> = runs.iter().filter(|r| r.architecture == m && r.function == f).collect();
                        (f, g.iter().filter(|r| r.learned).count(), g.len())
                    })
                    .collect();
                (m.label(), cells)
            })
            .collect();
        let files = vec![
            file("truth_tables.csv", to_csv(&rows)?),
            file("truth_tables_summary.csv", to_csv(&summary)?),
            file("truth_tables.svg", grid_svg(&grids)?.into_bytes()),
        ];
        let mut s = String::new();
        let _ = writeln!(s, "## F. Which rules can be learned? All 16 truth tables of (x1, x2)\n");
        let _ = writeln!(
            s,
            "The notebook's four rows hold every combination of x1 and x2 (x3 = 1), so each of the 16 Boolean \
             functions is a target vector on the same rows (the notebook's rule is `x1`). Each function × model \
             (one layer; two layers H = {}) × seed 0..{} is trained {} iterations at learning rate {}. Learned: \
             every row's output strictly on its target's side of 0.5; settled: the iteration from which the \
             largest error stays below θ = {THETA}; stuck: not learned with a largest error within {STUCK_BAND} \
             of 0.5 after these iterations (a plateau a longer run may still leave). Files: `truth_tables.csv` (one row per run), `truth_tables_summary.csv`, `truth_tables.svg`.\n",
            HIDDEN.map(|h| h.to_string()).join(", "),
            SEEDS - 1,
            iterations(plan),
            super::super::numbers::shortest(plan.learning_rate),
        );
        let _ = writeln!(s, "![truth tables](truth_tables.svg)\n");
        let _ = writeln!(s, "| function | truth table f(00) f(01) f(10) f(11) | separable | {} |", {
            models().iter().map(|m| m.label()).collect::<Vec<_>>().join(" | ")
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
        let _ = writeln!(s, "\n(Seeds that learned, out of {SEEDS}.)\n");
        let _ = writeln!(s, "- {}", one_layer_claim(&runs));
        if let Some(c) = h1_claim(&runs) {
            let _ = writeln!(s, "- {c}");
        }
        for c in two_layer_claims(&runs) {
            let _ = writeln!(s, "- {c}");
        }
        let _ = writeln!(s);
        Ok(Rendered { files, section: s })
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    fn run(function: BooleanFunction, architecture: Architecture, seed: u32, outputs: [f64; 4]) -> Run {
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
        }
    }

    /// Perfect outputs (the targets moved 0.05 inwards) for every function on one layer,
    /// except xor and xnor, stuck at 0.5 everywhere.
    fn separable_split() -> Vec<Run> {
        BooleanFunction::ALL
            .into_iter()
            .map(|f| {
                let out = if f.is_linearly_separable() { f.targets().map(|y| 0.05 + 0.9 * y) } else { [0.5; 4] };
                run(f, Architecture::OneLayer, 0, out)
            })
            .collect()
    }

    /// The sweep's defaults, as far as this study reads them.
    pub(crate) fn plan(iterations: u64) -> Plan {
        Plan::for_tests(iterations)
    }

    #[test]
    fn the_run_splits_by_separability_and_h1_keeps_one_side() {
        let runs = findings(&plan(50_000));
        assert_eq!(runs.len(), 6 * 16 * SEEDS as usize);
        for r in &runs {
            match r.architecture {
                // One layer learns exactly the linearly separable functions, on every seed.
                Architecture::OneLayer => assert_eq!(r.learned, r.function.is_linearly_separable(), "{r:?}"),
                // No output bias: every row on one side of 0.5, so only the constants.
                Architecture::TwoLayer { hidden: 1 } => {
                    assert!(r.same_side(), "{r:?}");
                    assert_eq!(r.learned, r.function_is_constant(), "{r:?}");
                }
                _ => {}
            }
        }
        // H = 4 learns all 16 on every seed in this run (the committed table, 128/128).
        let h4 = runs.iter().filter(|r| r.architecture == Architecture::TwoLayer { hidden: 4 });
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

    #[test]
    fn one_layer_claim_names_the_inseparable_functions() {
        let c = one_layer_claim(&separable_split());
        assert!(c.starts_with("One layer never learned xor and xnor on any seed, and learned 14 of"), "{c}");
        assert!(c.contains("exactly the split by linear separability"), "{c}");
    }

    #[test]
    fn one_layer_claim_reports_a_mismatch() {
        let mut runs = separable_split();
        // `and` fails on its one seed: the run no longer matches separability.
        runs[1] = run(BooleanFunction::And, Architecture::OneLayer, 0, [0.5; 4]);
        let c = one_layer_claim(&runs);
        assert!(c.contains("never learned and, xor and xnor"), "{c}");
        assert!(c.contains("does NOT match"), "{c}");
    }

    #[test]
    fn h1_claim_counts_same_side_runs() {
        let h1 = Architecture::TwoLayer { hidden: 1 };
        let runs = vec![
            run(BooleanFunction::True, h1, 0, [0.9; 4]),
            run(BooleanFunction::X1, h1, 0, [0.51, 0.6, 0.6, 0.51]),
            run(BooleanFunction::Xor, h1, 1, [0.4, 0.6, 0.4, 0.4]),
        ];
        let c = h1_claim(&runs).expect("H = 1 runs");
        assert!(c.starts_with("Two layers with H = 1 learned true (on some seed). In 2 of its 3 runs"), "{c}");
        assert!(c.contains("over all seeds lie in [0.5100, 0.6000]."), "{c}");
        assert!(h1_claim(&separable_split()).is_none());
    }

    #[test]
    fn two_layer_claims_list_stuck_seeds() {
        let h2 = Architecture::TwoLayer { hidden: 2 };
        let runs = vec![
            run(BooleanFunction::Xor, h2, 0, [0.1, 0.1, 0.9, 0.9]),
            run(BooleanFunction::Xor, h2, 3, [0.5, 0.5, 0.9, 0.9]),
            run(BooleanFunction::Xor, h2, 4, [0.95, 0.05, 0.9, 0.9]),
        ];
        let c = two_layer_claims(&runs);
        assert_eq!(c.len(), 1);
        assert_eq!(
            c[0],
            "H = 2: learned 0 of the 16 functions on every seed; 2 of 3 runs did not learn. Stuck near 0.5: xor seed 3 (largest error 0.500). Other failures: xor seed 4 (largest \
             error 0.950)."
        );
    }

    #[test]
    fn median_of_an_even_count_is_the_middle_mean() {
        assert_eq!(median(vec![4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(Vec::new()), None);
    }
}
