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

use std::fmt::Write;

use anyhow::Result;
use perceptron::{Architecture, Config, Dataset, Schedule, train_batch};
use plotters::prelude::*;
use rayon::prelude::*;
use serde::Serialize;

use super::super::numbers::shortest;
use super::super::tables::to_csv;
use super::super::{Plan, Results};
use super::{Rendered, Study, file};

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
const SAMPLES: usize = 60;
/// The slope is fitted on the rates up to this one (above it, runs saturate or oscillate).
pub const FIT_MAX_RATE: f64 = 10.0;
/// The slope range read as "iterations ∝ 1/rate".
const INVERSE_SLOPE: (f64, f64) = (-1.1, -0.9);

pub struct LearningRate;

impl Study for LearningRate {
    fn name(&self) -> &'static str {
        "learning rate"
    }

    fn render(&self, results: &Results) -> Result<Rendered> {
        let findings = findings(&results.plan);
        let rows: Vec<RunRow> = findings.runs.iter().map(RunRow::from).collect();
        let summary: Vec<SummaryRow> = findings.cells.iter().map(SummaryRow::from).collect();
        let files = vec![
            file("learning_rate.csv", to_csv(&rows)?),
            file("learning_rate_summary.csv", to_csv(&summary)?),
            file("learning_rate.svg", plot(&findings)?.into_bytes()),
        ];
        Ok(Rendered { files, section: section(&findings) })
    }
}

/// How a run ended (see the module doc).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Settled,
    Diverged,
    Oscillates,
    Slow,
}

impl Outcome {
    fn name(self) -> &'static str {
        match self {
            Outcome::Settled => "settled",
            Outcome::Diverged => "diverged",
            Outcome::Oscillates => "oscillates",
            Outcome::Slow => "slow",
        }
    }
}

/// One run of the study.
#[derive(Clone, Debug)]
pub struct Run {
    pub model: Architecture,
    pub rate: f64,
    pub iterations: u64,
    pub seed: u32,
    pub settled_at: Option<u64>,
    pub diverged_at: Option<u64>,
    /// `½ Σ (y − o)²` with the final weights.
    pub final_loss: f64,
    /// The smallest loss at the samples before the last.
    pub lowest_earlier_loss: f64,
    pub outcome: Outcome,
}

/// The runs of one model at one rate.
#[derive(Clone, Debug)]
pub struct Cell {
    pub model: Architecture,
    pub rate: f64,
    /// The iterations each run trained for.
    pub iterations: u64,
    pub runs: usize,
    pub settled: usize,
    pub oscillating: usize,
    pub diverged: usize,
    /// The median iterations to settle, never-settled runs counted as ∞ (`None`: ∞).
    pub median_settle: Option<f64>,
    pub median_final_loss: f64,
}

/// Everything study G found.
#[derive(Clone, Debug)]
pub struct Findings {
    pub models: Vec<Architecture>,
    pub runs: Vec<Run>,
    /// Model-major, rates ascending.
    pub cells: Vec<Cell>,
}

/// Trains every (model, rate) batch in parallel (collected in job order).
pub fn findings(plan: &Plan) -> Findings {
    let mut models = vec![Architecture::OneLayer];
    models.extend(HIDDEN.map(|hidden| Architecture::TwoLayer { hidden }));
    let jobs: Vec<(Architecture, f64)> = models.iter().flat_map(|&m| RATES.map(|r| (m, r))).collect();
    let data = Dataset::notebook();
    let seeds: Vec<u32> = (0..SEEDS).collect();
    let per_job: Vec<Vec<Run>> =
        jobs.par_iter().map(|&(model, rate)| train_cell(model, rate, horizon(plan, rate), &data, &seeds)).collect();
    let cells = jobs.iter().zip(&per_job).map(|(&(_, rate), runs)| cell(runs, horizon(plan, rate))).collect();
    Findings { models, runs: per_job.into_iter().flatten().collect(), cells }
}

/// The iterations of a run at `rate`: `min(--iterations, MAX_ITERATIONS, ⌈STEPS_X_RATE / rate⌉)`.
pub fn horizon(plan: &Plan, rate: f64) -> u64 {
    plan.iterations.min(MAX_ITERATIONS).min((STEPS_X_RATE / rate).ceil() as u64)
}

fn train_cell(model: Architecture, rate: f64, iterations: u64, data: &Dataset, seeds: &[u32]) -> Vec<Run> {
    let schedule = Schedule::LogSpaced { points: SAMPLES };
    let config = Config { architecture: model, iterations, learning_rate: rate, removed_rows: Vec::new(), seed: 0 }
        .check_on(data)
        .expect("the rates are positive and the iterations capped");
    let trained = train_batch(&config, seeds, &schedule, &[THRESHOLD]);
    trained
        .into_iter()
        .zip(seeds)
        .map(|(t, &seed)| {
            let losses: Vec<f64> =
                t.history.records.iter().map(|r| 0.5 * r.errors.iter().map(|e| e * e).sum::<f64>()).collect();
            let final_loss = t.network.loss(data);
            let earlier = &losses[..losses.len().saturating_sub(1)];
            let lowest_earlier_loss = earlier.iter().copied().fold(f64::INFINITY, f64::min);
            let settled_at = t.settled_at[0];
            let outcome = outcome(settled_at, t.diverged_at, final_loss, lowest_earlier_loss);
            Run {
                model,
                rate,
                iterations,
                seed,
                settled_at,
                diverged_at: t.diverged_at,
                final_loss,
                lowest_earlier_loss,
                outcome,
            }
        })
        .collect()
}

/// The outcome rule of the module doc.
pub fn outcome(settled_at: Option<u64>, diverged_at: Option<u64>, final_loss: f64, lowest_earlier: f64) -> Outcome {
    if settled_at.is_some() {
        Outcome::Settled
    } else if diverged_at.is_some() {
        Outcome::Diverged
    } else if final_loss > lowest_earlier {
        Outcome::Oscillates
    } else {
        Outcome::Slow
    }
}

/// The median with `None` as ∞: the middle value, or the mean of the two
/// middle values for an even count; `None` if that involves an ∞ (or no values).
pub fn median_settle(values: &[Option<u64>]) -> Option<f64> {
    let mut v: Vec<f64> = values.iter().map(|x| x.map_or(f64::INFINITY, |t| t as f64)).collect();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    let m = match n {
        0 => return None,
        _ if n % 2 == 1 => v[n / 2],
        _ => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    };
    m.is_finite().then_some(m)
}

/// The ordinary median of finite values (mean of the two middle ones for an even count).
pub fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        f64::NAN
    } else if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn cell(runs: &[Run], iterations: u64) -> Cell {
    let count = |o: Outcome| runs.iter().filter(|r| r.outcome == o).count();
    let settle: Vec<Option<u64>> = runs.iter().map(|r| r.settled_at).collect();
    let losses: Vec<f64> = runs.iter().map(|r| r.final_loss).collect();
    Cell {
        model: runs[0].model,
        rate: runs[0].rate,
        iterations,
        runs: runs.len(),
        settled: count(Outcome::Settled),
        oscillating: count(Outcome::Oscillates),
        diverged: count(Outcome::Diverged),
        median_settle: median_settle(&settle),
        median_final_loss: median(&losses),
    }
}

/// The least-squares slope `b` of `ln y = a + b·ln x` over `points` (`None` for fewer than 2
/// distinct `x`).
pub fn log_log_slope(points: &[(f64, f64)]) -> Option<f64> {
    let logs: Vec<(f64, f64)> = points.iter().map(|&(x, y)| (x.ln(), y.ln())).collect();
    let n = logs.len() as f64;
    let (mx, my) = (logs.iter().map(|p| p.0).sum::<f64>() / n, logs.iter().map(|p| p.1).sum::<f64>() / n);
    let sxx: f64 = logs.iter().map(|p| (p.0 - mx) * (p.0 - mx)).sum();
    let sxy: f64 = logs.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    (logs.len() >= 2 && sxx > 0.0).then(|| sxy / sxx)
}

/// The (rate, median) points of a model with a rate up to [`FIT_MAX_RATE`] and a finite median.
fn settled_points(cells: &[&Cell]) -> Vec<(f64, f64)> {
    cells.iter().filter(|c| c.rate <= FIT_MAX_RATE).filter_map(|c| c.median_settle.map(|m| (c.rate, m))).collect()
}

/// The sentence on one model's slope.
pub fn slope_claim(model: &str, points: &[(f64, f64)]) -> String {
    let Some(b) = log_log_slope(points) else {
        return format!(
            "{model}: fewer than two rates with a finite median, no slope fitted (iterations ∝ 1/rate cannot be tested)."
        );
    };
    let lo = points.iter().map(|p| p.0).fold(f64::INFINITY, f64::min);
    let hi = points.iter().map(|p| p.0).fold(0.0, f64::max);
    let verdict = if (INVERSE_SLOPE.0..=INVERSE_SLOPE.1).contains(&b) {
        "iterations ∝ 1/rate holds"
    } else if b > INVERSE_SLOPE.1 {
        "iterations fall more slowly than 1/rate"
    } else {
        "iterations fall faster than 1/rate"
    };
    format!(
        "{model}: slope {b:.2} on the log–log points (rates {}–{}, {} points): {verdict} (taken as holding for a slope in [{}, {}]).",
        shortest(lo),
        shortest(hi),
        points.len(),
        INVERSE_SLOPE.0,
        INVERSE_SLOPE.1
    )
}

/// The sentence on where a model's runs start to oscillate or diverge.
pub fn unstable_claim(model: &str, cells: &[&Cell]) -> String {
    match cells.iter().find(|c| c.oscillating + c.diverged > 0) {
        None => format!(
            "{model}: no run oscillates or diverges at any rate up to {}.",
            shortest(cells.last().map_or(0.0, |c| c.rate))
        ),
        Some(c) => format!(
            "{model}: the first rate at which runs oscillate or diverge is {} ({} oscillate, {} diverge of {}).",
            shortest(c.rate),
            c.oscillating,
            c.diverged,
            c.runs
        ),
    }
}

/// The sentence comparing two cells by their median iterations to settle.
pub fn compare_claim(a: &Cell, b: &Cell) -> String {
    let name = |c: &Cell| format!("{} at rate {}", c.model.label(), shortest(c.rate));
    let show = |m: Option<f64>| m.map_or_else(|| "never (median)".to_owned(), |m| format!("{m} iterations"));
    let verdict = match (a.median_settle, b.median_settle) {
        (Some(x), Some(y)) if x < y => format!("{} settles first, {:.1}× sooner", name(a), y / x),
        (Some(x), Some(y)) if y < x => format!("{} settles first, {:.1}× sooner", name(b), x / y),
        (Some(_), Some(_)) => "they settle at the same median iteration".to_owned(),
        (Some(_), None) => format!("only {} settles (median)", name(a)),
        (None, Some(_)) => format!("only {} settles (median)", name(b)),
        (None, None) => "neither settles (median)".to_owned(),
    };
    format!("{}: {}; {}: {}; {verdict}.", name(a), show(a.median_settle), name(b), show(b.median_settle))
}

fn model_cells(findings: &Findings, model: Architecture) -> Vec<&Cell> {
    findings.cells.iter().filter(|c| c.model == model).collect()
}

fn find_cell(findings: &Findings, model: Architecture, rate: f64) -> Option<&Cell> {
    findings.cells.iter().find(|c| c.model == model && c.rate == rate)
}

fn section(f: &Findings) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "## G. The learning rate\n");
    let models: Vec<String> = f.models.iter().map(|m| m.label()).collect();
    let _ = writeln!(
        s,
        "Learning rates {} × models ({}) × seeds 0..{}, on the notebook's data ({} runs; `learning_rate.csv`, `learning_rate_summary.csv`). A run at rate r trains for min({}, ⌈{} / r⌉) iterations (`--iterations` capped at {}): a horizon that shrinks as 1/r keeps the large rates, whose saturated units are slow to compute, cheap.",
        RATES.map(shortest).join(", "),
        models.join(", "),
        SEEDS - 1,
        f.runs.len(),
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

/// The sentence naming a model's fastest rate (lowest finite median).
pub fn fastest_claim(model: &str, cells: &[&Cell]) -> String {
    let best = cells.iter().filter_map(|c| c.median_settle.map(|m| (m, c))).min_by(|a, b| a.0.total_cmp(&b.0));
    match best {
        None => format!("{model}: the median run settles at no rate."),
        Some((m, c)) => format!("{model}: rate {} ({m} iterations).", shortest(c.rate)),
    }
}

#[derive(Serialize)]
struct RunRow {
    model: String,
    hidden: usize,
    learning_rate: f64,
    iterations: u64,
    seed: u32,
    settled_at: Option<u64>,
    diverged_at: Option<u64>,
    final_loss: f64,
    lowest_earlier_loss: f64,
    outcome: &'static str,
}

impl From<&Run> for RunRow {
    fn from(r: &Run) -> Self {
        RunRow {
            model: r.model.label(),
            hidden: r.model.hidden().unwrap_or(0),
            learning_rate: r.rate,
            iterations: r.iterations,
            seed: r.seed,
            settled_at: r.settled_at,
            diverged_at: r.diverged_at,
            final_loss: r.final_loss,
            lowest_earlier_loss: r.lowest_earlier_loss,
            outcome: r.outcome.name(),
        }
    }
}

#[derive(Serialize)]
struct SummaryRow {
    model: String,
    hidden: usize,
    learning_rate: f64,
    iterations: u64,
    runs: usize,
    settled: usize,
    oscillating: usize,
    diverged: usize,
    median_iterations_to_settle: Option<f64>,
    median_final_loss: f64,
}

impl From<&Cell> for SummaryRow {
    fn from(c: &Cell) -> Self {
        SummaryRow {
            model: c.model.label(),
            hidden: c.model.hidden().unwrap_or(0),
            learning_rate: c.rate,
            iterations: c.iterations,
            runs: c.runs,
            settled: c.settled,
            oscillating: c.oscillating,
            diverged: c.diverged,
            median_iterations_to_settle: c.median_settle,
            median_final_loss: c.median_final_loss,
        }
    }
}

/// `learning_rate.svg`: median iterations to settle against the rate, log–log,
/// one line per model; a cell whose median is "never" is a hollow marker on the
/// "never" band above the plot's top.
fn plot(f: &Findings) -> Result<String> {
    let finite: Vec<f64> = f.cells.iter().filter_map(|c| c.median_settle).collect();
    let longest = f.cells.iter().map(|c| c.iterations).max().unwrap_or(1);
    let lo = finite.iter().copied().fold(f64::INFINITY, f64::min).min(longest.max(1) as f64);
    let lo = if lo.is_finite() { (lo / 2.0).max(0.5) } else { 0.5 };
    let top = longest.max(2) as f64;
    let never = top * 2.5;
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (1000, 640)).into_drawing_area();
        let e = |e: &dyn std::fmt::Display| anyhow::anyhow!("drawing: {e}");
        root.fill(&WHITE).map_err(|x| e(&x))?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                format!("Learning rate: median iterations until max |y − o| stays below {THRESHOLD} ({SEEDS} seeds)"),
                ("sans-serif", 21),
            )
            .margin(15)
            .x_label_area_size(45)
            .y_label_area_size(75)
            .build_cartesian_2d((0.07..140.0).log_scale(), (lo..never * 1.6).log_scale())
            .map_err(|x| e(&x))?;
        chart
            .configure_mesh()
            .x_label_formatter(&|x| shortest(*x))
            .y_label_formatter(&|y| if *y > top * 1.01 { String::new() } else { format!("{y:.0}") })
            .x_desc("Learning rate, log scale")
            .y_desc("Median iterations to settle, log scale")
            .label_style(("sans-serif", 14))
            .axis_desc_style(("sans-serif", 16))
            .draw()
            .map_err(|x| e(&x))?;
        let band = [(0.07, top * 1.6), (140.0, never * 1.6)];
        chart.draw_series([Rectangle::new(band, RGBColor(0, 0, 0).mix(0.06).filled())]).map_err(|x| e(&x))?;
        let style = ("sans-serif", 14).into_font().color(&BLACK.mix(0.75));
        chart
            .draw_series([Text::new(
                "never settled within the run's iterations (median; hollow markers)",
                (0.08, never * 1.45),
                style,
            )])
            .map_err(|x| e(&x))?;
        for (k, &m) in f.models.iter().enumerate() {
            let c = super::super::plots::color(k);
            let cells = model_cells(f, m);
            // Lines join consecutive finite medians only.
            for pair in cells.windows(2) {
                if let (Some(a), Some(b)) = (pair[0].median_settle, pair[1].median_settle) {
                    chart
                        .draw_series(LineSeries::new([(pair[0].rate, a), (pair[1].rate, b)], c.stroke_width(2)))
                        .map_err(|x| e(&x))?;
                }
            }
            // Offset each model a little on the "never" band so markers do not hide each other.
            let shift = 1.0 + 0.05 * (k as f64 - (f.models.len() as f64 - 1.0) / 2.0);
            chart
                .draw_series(cells.iter().map(|cell| match cell.median_settle {
                    Some(m) => Circle::new((cell.rate, m), 5, c.filled()),
                    None => Circle::new((cell.rate * shift, never), 6, c.stroke_width(2)),
                }))
                .map_err(|x| e(&x))?
                .label(m.label())
                .legend(move |(x, y)| {
                    EmptyElement::at((x, y))
                        + PathElement::new(vec![(-9, 0), (9, 0)], c.stroke_width(2))
                        + Circle::new((0, 0), 4, c.filled())
                });
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerLeft)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.4))
            .label_font(("sans-serif", 14))
            .draw()
            .map_err(|x| e(&x))?;
        root.present().map_err(|x| e(&x))?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_is_the_mean_of_the_middle_two() {
        // np.median([10, 20, 30, 40]) = 25.0; np.median([3, 1, 2]) = 2.0
        assert_eq!(median_settle(&[Some(40), Some(10), Some(30), Some(20)]), Some(25.0));
        assert_eq!(median_settle(&[Some(3), Some(1), Some(2)]), Some(2.0));
        // One of the two middle values is ∞ (never settled): the median is never.
        assert_eq!(median_settle(&[Some(1), Some(2), None, None]), None);
        assert_eq!(median_settle(&[Some(1), Some(2), Some(3), None]), Some(2.5));
        assert_eq!(median_settle(&[]), None);
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
    }

    #[test]
    fn outcomes_follow_the_rule() {
        assert_eq!(outcome(Some(5), Some(9), 1.0, 0.0), Outcome::Settled);
        assert_eq!(outcome(None, Some(9), 0.0, 1.0), Outcome::Diverged);
        assert_eq!(outcome(None, None, 0.3, 0.2), Outcome::Oscillates);
        assert_eq!(outcome(None, None, 0.2, 0.2), Outcome::Slow);
    }

    #[test]
    fn slope_of_an_inverse_law_is_minus_one() {
        // y = 1000/x at x = 0.1, 1, 10: ln y = ln 1000 − ln x, slope exactly −1.
        let b = log_log_slope(&[(0.1, 10000.0), (1.0, 1000.0), (10.0, 100.0)]).unwrap();
        assert!((b + 1.0).abs() < 1e-12, "{b}");
        assert!(slope_claim("m", &[(0.1, 10000.0), (1.0, 1000.0), (10.0, 100.0)]).contains("∝ 1/rate holds"));
        // y = 1000/√x: slope −0.5, slower than 1/rate.
        let half = [(1.0, 1000.0), (100.0, 100.0)];
        assert!(slope_claim("m", &half).contains("more slowly"), "{}", slope_claim("m", &half));
        assert!(slope_claim("m", &[(1.0, 5.0)]).contains("no slope fitted"));
    }

    fn cell(model: Architecture, rate: f64, median: Option<f64>, oscillating: usize) -> Cell {
        Cell {
            model,
            rate,
            iterations: 1000,
            runs: 8,
            settled: 8 - oscillating,
            oscillating,
            diverged: 0,
            median_settle: median,
            median_final_loss: 0.0,
        }
    }

    #[test]
    fn instability_starts_at_the_first_unstable_rate() {
        let one = Architecture::OneLayer;
        let cells = [cell(one, 1.0, Some(10.0), 0), cell(one, 20.0, Some(5.0), 2), cell(one, 50.0, None, 8)];
        let refs: Vec<&Cell> = cells.iter().collect();
        let claim = unstable_claim("one-layer", &refs);
        assert!(
            claim.contains("rate at which runs oscillate or diverge is 20") && claim.contains("2 oscillate"),
            "{claim}"
        );
        assert!(unstable_claim("one-layer", &refs[..1]).contains("no run oscillates"));
        assert_eq!(fastest_claim("one-layer", &refs), "one-layer: rate 20 (5 iterations).");
        assert_eq!(fastest_claim("one-layer", &refs[2..]), "one-layer: the median run settles at no rate.");
    }

    #[test]
    fn the_comparison_names_the_faster() {
        let a = cell(Architecture::OneLayer, 10.0, Some(1000.0), 0);
        let b = cell(Architecture::TwoLayer { hidden: 8 }, 1.0, Some(3000.0), 0);
        let claim = compare_claim(&a, &b);
        assert!(claim.contains("one-layer at rate 10 settles first, 3.0× sooner"), "{claim}");
        let claim = compare_claim(&b, &a);
        assert!(claim.contains("one-layer at rate 10 settles first"), "{claim}");
        let never = cell(Architecture::OneLayer, 10.0, None, 8);
        assert!(compare_claim(&never, &b).contains("only two-layer H=8 at rate 1 settles"));
    }
}
