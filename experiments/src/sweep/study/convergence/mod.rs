//! Study D: one layer against 3→H→1 for each `--hidden` size, all rows, every
//! seed: `convergence.csv`, `convergence_curves.csv`, `convergence_summary.csv`,
//! `convergence.svg`.
//!
//! Beyond the table, the section explains what it counts, from this run's runs:
//! - H = 1: the output unit has no bias, so `o = σ(v·h)` with `h = σ(x·w) ∈ (0, 1)`
//!   has the sign of `v` for every input: all outputs fall on one side of 0.5
//!   ([`OneSided`], counted over the 8 rule inputs);
//! - the two-layer runs that never settle below 0.05 ([`stuck`]), with their
//!   final largest error (e.g. stuck at about 0.5), and why, from their final
//!   weights ([`plateaus`]).

mod bias;
mod plateaus;
mod rows;

use std::fmt::Write;

use std::any::Any;

use anyhow::{Context, Result};
use perceptron::Architecture;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{About, FromResults, Rendered};
use super::{Group, GroupFold, Results};
use crate::sweep::files::{Files, Stream};
use crate::sweep::model::{bias_clause, name, output_input};
use crate::sweep::numbers::{log_axis, percent};
use crate::sweep::plan::Plan;
use crate::sweep::plots::{Frame, framed, legend, line_key, log_range, model_color, svg, whole};
use crate::sweep::report::{Column, table};
use crate::sweep::runs::{RunSummary, THRESHOLDS};
use crate::sweep::tables::to_csv;
use rows::{ConvergenceSummaryRow, CurveRow, convergence_rows, convergence_summary, curve_rows};

static ABOUT: About = About {
    letter: Some('D'),
    title: "A second layer (TODO 3: \"compare the convergence\")",
    description: "one layer against 3→H→1, each H without and with the output bias b2",
    files: &["convergence.csv", "convergence_curves.csv", "convergence_summary.csv", "convergence.svg"],
};

pub struct Convergence;

impl FromResults for Convergence {
    fn about(&self) -> &'static About {
        &ABOUT
    }

    fn fold<'a>(&self, plan: &'a Plan, _files: &Files) -> Result<Option<Box<dyn GroupFold + 'a>>> {
        Ok(Some(Box::new(CurveFold { iterations: plan.curve_iterations(), curves: Curves(Vec::new(), Vec::new()) })))
    }

    fn render(&self, results: &Results) -> Result<Rendered> {
        let models = results.architectures();
        let folded = results.folded::<Curves>().context("study D's fold")?;
        let curves = &folded.0;
        // One model's rows at a time (10⁵ seeds: 10⁵ rows each), never all models'.
        let mut runs_csv = csv::Writer::from_writer(Vec::new());
        let mut summary = Vec::new();
        for &m in &models {
            let rows = convergence_rows(&results.runs_of(m));
            for row in &rows {
                runs_csv.serialize(row)?;
            }
            summary.push(convergence_summary(m, &rows.iter().collect::<Vec<_>>()));
        }
        let runs_csv = runs_csv.into_inner()?;
        let all_curves: Vec<&CurveRow> = curves.iter().flat_map(|(_, rows)| rows).collect();
        let files = vec![
            ("convergence.csv", runs_csv),
            ("convergence_curves.csv", to_csv(&all_curves)?),
            ("convergence_summary.csv", to_csv(&summary)?),
            ("convergence.svg", plot(curves, &folded.1, &results.plan.curve_iterations())?.into_bytes()),
        ];
        let mut section = String::new();
        write_table_and_comparison(&summary, &results.plan, &mut section);
        let measured = explain(results, &mut section)?;
        bias::compare(results, &measured, &mut section);
        Ok(Rendered { files, section })
    }
}

/// `convergence.svg`: median and 10–90 % band over seeds of `max |y − o|`
/// against the iteration, per model, log–log.
/// `stuck`: the runs drawn one by one, their curves at `iterations`.
fn plot(models: &[(Architecture, Vec<CurveRow>)], stuck: &[Stuck], iterations: &[u64]) -> Result<String> {
    let all = models.iter().flat_map(|(_, rows)| rows.iter());
    let last = all.clone().map(|r| r.iteration).max().unwrap_or(1).max(2) as f64;
    let floor = all.clone().map(|r| r.p10).filter(|v| *v > 0.0).fold(1.0f64, f64::min).max(1e-12);
    // Down to the lowest threshold too, so that its line and label are inside the chart.
    let lowest = THRESHOLDS.iter().copied().fold(1.0f64, f64::min);
    let y = log_axis((floor * 0.8).min(lowest * 0.7), 1.0);
    svg((1000, 620), |root, px| {
        let frame = Frame {
            title: Some(
                "Largest training error, median over seeds (band: 10–90 %; long dashes: with b2; short: stuck runs)",
            ),
            x_desc: "Epoch (iteration), log scale",
            y_desc: "max over rows |y − o|, log scale",
            x_ticks: Some(&whole),
            y_area: 70,
            ..Frame::default()
        };
        let mut chart = framed(root, px, &frame, log_range(1.0, last)?, log_range(y.start, y.end)?)?;
        for &(model, ref rows) in models {
            let c = model_color(model);
            let rows: Vec<&CurveRow> = rows.iter().filter(|r| r.iteration >= 1).collect();
            if model.output_bias() {
                // Beside the same size without it, in its colour: the median alone, in long dashes.
                let median: Vec<(f64, f64)> = rows.iter().map(|r| (r.iteration as f64, r.median.max(floor))).collect();
                chart
                    .draw_series(DashedLineSeries::new(median, px.size(12), px.size(6), px.line(c, 3)))?
                    .label(model.label())
                    .legend(move |(x, y)| {
                        EmptyElement::at((x, y))
                            + PathElement::new(vec![(0, 0), (px.of(7), 0)], px.line(c, 3))
                            + PathElement::new(vec![(px.of(11), 0), (px.of(18), 0)], px.line(c, 3))
                    });
                continue;
            }
            let band: Vec<(f64, f64)> = rows
                .iter()
                .map(|r| (r.iteration as f64, r.p90.max(floor)))
                .chain(rows.iter().rev().map(|r| (r.iteration as f64, r.p10.max(floor))))
                .collect();
            chart.draw_series(std::iter::once(Polygon::new(band, c.mix(0.15).filled())))?;
            let median = rows.iter().map(|r| (r.iteration as f64, r.median.max(floor)));
            chart.draw_series(LineSeries::new(median, px.line(c, 3)))?.label(model.label()).legend(line_key(px, c));
        }
        for run in stuck {
            let c = model_color(run.architecture);
            let points: Vec<(f64, f64)> = iterations
                .iter()
                .zip(&run.curve)
                .filter(|(t, _)| **t >= 1)
                .map(|(&t, &e)| (t as f64, e.max(floor)))
                .collect();
            chart.draw_series(DashedLineSeries::new(points.clone(), px.size(5), px.size(3), px.line(c, 2)))?;
            // One label per model, at the end of its last stuck run.
            let last_of_model = !stuck
                .iter()
                .skip_while(|r| !std::ptr::eq(*r, run))
                .skip(1)
                .any(|r| r.architecture == run.architecture);
            if let (Some(&(x, y)), true) = (points.last(), last_of_model) {
                let seeds: Vec<String> =
                    stuck.iter().filter(|r| r.architecture == run.architecture).map(|r| r.seed.to_string()).collect();
                let style = px.font(14).color(&c).pos(Pos::new(HPos::Right, VPos::Top));
                let label = format!(
                    "{} seed{} {}: never below {}",
                    run.architecture.label(),
                    if seeds.len() == 1 { "" } else { "s" },
                    seeds.join(", "),
                    THRESHOLDS[0]
                );
                chart.draw_series(std::iter::once(Text::new(label, (x / 1.1, y * 0.93), style)))?;
            }
        }
        // The thresholds of `convergence.csv`, dashed and labelled at their right end (the legend is bottom left).
        for theta in THRESHOLDS {
            let dashed = px.line(BLACK.mix(0.5), 1);
            chart.draw_series(DashedLineSeries::new([(1.0, theta), (last, theta)], px.size(6), px.size(4), dashed))?;
            let style = px.font(14).color(&BLACK.mix(0.7)).pos(Pos::new(HPos::Right, VPos::Bottom));
            chart.draw_series(std::iter::once(Text::new(
                format!("max error {theta}"),
                (last / 1.1, theta * 1.1),
                style,
            )))?;
        }
        legend(&mut chart, px, SeriesLabelPosition::LowerLeft)
    })
}

fn opt(v: Option<u64>) -> String {
    v.map_or_else(|| "never".to_owned(), |t| t.to_string())
}

/// The table of every model's convergence, then how they compare.
fn write_table_and_comparison(rows: &[ConvergenceSummaryRow], plan: &Plan, s: &mut String) {
    let data_rows = plan.data.len();
    let over = if data_rows == 1 { "of the one row".to_owned() } else { format!("over the {data_rows} rows") };
    let _ = writeln!(
        s,
        "All rows, every seed, the same learning rate. The curve is the largest training error `max |y − o|` {over}.\n"
    );
    let _ = writeln!(
        s,
        "![convergence](convergence.svg)\n\n*To see:* where each model's median crosses the dashed thresholds, and the runs that stay near 0.5 (dashed: the few the band would hide).\n"
    );
    let mut columns: Vec<Column<ConvergenceSummaryRow>> = vec![
        ("model", |r| r.model.clone()),
        ("runs", |r| r.runs.to_string()),
        ("settled below 0.05", |r| r.reached_0_05.to_string()),
        ("lower median iterations", |r| opt(r.median_iterations_to_0_05)),
        ("settled below 0.01", |r| r.reached_0_01.to_string()),
        ("lower median iterations", |r| opt(r.median_iterations_to_0_01)),
        ("lower median final loss", |r| format!("{:.3e}", r.median_final_loss)),
        ("rule inputs right, x3 = 1 (of 4)", |r| format!("{:.2}", r.mean_rule_right_x3_1)),
        ("x3 = 0 (of 4)", |r| format!("{:.2}", r.mean_rule_right_x3_0)),
        ("[1,0,0] right", |r| percent(r.share_correct)),
    ];
    let diverged = rows.iter().any(|r| r.diverged > 0);
    if diverged {
        columns.push(("diverged", |r| r.diverged.to_string()));
    }
    table(s, &columns, 1, rows);
    if !diverged {
        let _ = writeln!(
            s,
            "\nNo run diverged (no weight became non-finite); `convergence.csv` keeps the column `diverged_at`."
        );
    }
    compare(rows, data_rows, s);
    rule_inputs(rows, s);
    let _ = writeln!(
        s,
        "\n\"Iterations\" to a threshold θ is the iteration from which the largest error stays below θ until the end of training, with every step checked (`convergence.csv`); the curves are sampled at {} log-spaced iterations (`convergence_curves.csv`).\n",
        plan.curve_iterations().len()
    );
}

/// Each model's `convergence_curves.csv` rows, quantiles over its runs,
/// computed as soon as its group is trained (the runs' curves are then
/// dropped), and the curves the 10–90 % band hides: a model's runs that never
/// settled below the first threshold, when they are at most [`FEW`] of its runs.
struct Curves(Vec<(Architecture, Vec<CurveRow>)>, Vec<Stuck>);

/// A run that never settled, drawn on its own: its model, seed and largest
/// error at each of the curves' iterations.
struct Stuck {
    architecture: Architecture,
    seed: u32,
    curve: Vec<f64>,
}

/// The share of a model's runs up to which those that never settled are drawn
/// one by one (above it the band shows them).
const FEW: f64 = 0.1;

/// The study's fold: the curve quantiles of each group on all rows.
struct CurveFold {
    iterations: Vec<u64>,
    curves: Curves,
}

impl GroupFold for CurveFold {
    fn group(&mut self, group: &Group<'_>) -> Result<()> {
        if group.removed.is_empty() {
            let label = group.architecture.label();
            self.curves.0.push((group.architecture, curve_rows(&label, group.curves, &self.iterations)));
            let stuck: Vec<usize> = (0..group.runs.len()).filter(|&k| group.runs[k].settled_at[0].is_none()).collect();
            if stuck.len() as f64 <= FEW * group.runs.len() as f64 {
                self.curves.1.extend(stuck.into_iter().map(|k| Stuck {
                    architecture: group.architecture,
                    seed: group.runs[k].seed,
                    curve: group.curves[k].clone(),
                }));
            }
        }
        Ok(())
    }

    fn finish(self: Box<Self>) -> Result<(Box<dyn Any + Send + Sync>, Option<Stream>)> {
        Ok((Box::new(self.curves), None))
    }
}

/// Study D's comparison: the fastest model, the lowest loss, each model against one layer.
///
/// Iterations are not work: with n rows, a one-layer step's products (`X·w`,
/// `Xᵀδ`) take `6n` multiply-adds, a two-layer step's (`X·W1`, `h·W2`,
/// `δ2·W2ᵀ`, `hᵀδ2`, `Xᵀδ1`) `9nH`; each model's ratio is also given in those.
fn compare(rows: &[ConvergenceSummaryRow], n: usize, s: &mut String) {
    // The output bias adds additions (`+ b2`, `Σδ2`), no product.
    let work = |model: Architecture| -> usize { model.hidden().map_or(6 * n, |h| 9 * n * h) };
    let fastest = rows.iter().filter_map(|r| r.median_iterations_to_0_01.map(|t| (t, r))).min_by_key(|(t, _)| *t);
    let best_loss = rows.iter().min_by(|a, b| a.median_final_loss.total_cmp(&b.median_final_loss));
    let _ = writeln!(s);
    if let Some((t, r)) = fastest {
        let _ = writeln!(
            s,
            "Fastest to a largest error below 0.01 (lower median over the seeds that got there): {} after {t} iterations.",
            r.model
        );
    }
    if let Some(r) = best_loss {
        let _ = writeln!(s, "Lowest lower-median final loss: {} ({:.3e}).", r.model, r.median_final_loss);
    }
    let base = rows.first().and_then(|o| o.median_iterations_to_0_01);
    if let Some(o) = rows.first() {
        let _ = writeln!(s, "- {}: {} of {} runs settled below 0.01.", o.model, o.reached_0_01, o.runs);
    }
    for r in rows.iter().skip(1) {
        match (r.median_iterations_to_0_01, base) {
            (Some(t2), Some(t1)) => {
                let (ratio, cost) =
                    (t2 as f64 / t1 as f64, work(r.architecture) as f64 / work(rows[0].architecture) as f64);
                let _ = writeln!(
                    s,
                    "- {}: {ratio:.2}× the one-layer iterations to settle below 0.01 ({} of {} runs settled); at {} multiply-adds a step{} against {}, {:.1}× the arithmetic.",
                    r.model,
                    r.reached_0_01,
                    r.runs,
                    work(r.architecture),
                    if r.architecture.output_bias() {
                        " (b2's additions, `+ b2` and `Σδ2`, not counted)"
                    } else {
                        ""
                    },
                    work(rows[0].architecture),
                    ratio * cost
                );
            }
            _ => {
                let _ = writeln!(s, "- {}: {} of {} runs settled below 0.01.", r.model, r.reached_0_01, r.runs);
            }
        }
    }
}

/// Where the two-layer models differ from one layer on the rule inputs: with
/// x3 = 1, and with x3 = 0, where one layer outputs exactly 0.5 at `[0, 0, 0]`.
fn rule_inputs(rows: &[ConvergenceSummaryRow], s: &mut String) {
    let Some(one) = rows.first() else { return };
    let gains: Vec<String> = rows
        .iter()
        .skip(1)
        .map(|r| {
            format!(
                "{} {:+.2} and {:+.2}",
                r.model,
                r.mean_rule_right_x3_1 - one.mean_rule_right_x3_1,
                r.mean_rule_right_x3_0 - one.mean_rule_right_x3_0
            )
        })
        .collect();
    if gains.is_empty() {
        return;
    }
    let _ = writeln!(
        s,
        "\nRule inputs right against one layer, on the 4 with x3 = 1 and on the 4 with x3 = 0: {}. At `[0, 0, 0]` one layer outputs exactly σ(0) = 0.5, while two layers output σ(0.5·ΣW2){}, since every hidden unit gives σ(0) = 0.5 there.",
        gains.join("; "),
        if rows.iter().any(|r| r.output_bias) { " (σ(0.5·ΣW2 + b2) with the output bias)" } else { "" }
    );
}

/// How many runs put all 8 rule inputs on one side of 0.5, and their output range.
#[derive(Debug, PartialEq)]
struct OneSided {
    pub runs: usize,
    /// Runs whose 8 outputs are all `> 0.5` / all `< 0.5`.
    pub all_above: usize,
    pub all_below: usize,
    /// Smallest and largest output over every run and rule input.
    pub range: (f64, f64),
}

fn one_sided(runs: &[&RunSummary]) -> OneSided {
    let above = |r: &&&RunSummary| r.rule_predictions.iter().all(|&p| p > 0.5);
    let below = |r: &&&RunSummary| r.rule_predictions.iter().all(|&p| p < 0.5);
    let all = runs.iter().flat_map(|r| r.rule_predictions);
    OneSided {
        runs: runs.len(),
        all_above: runs.iter().filter(above).count(),
        all_below: runs.iter().filter(below).count(),
        range: (all.clone().fold(f64::INFINITY, f64::min), all.fold(f64::NEG_INFINITY, f64::max)),
    }
}

/// Whether the training targets lie on both sides of 0.5 (then one side of
/// 0.5 for every output leaves some row wrong).
fn both_sides(table: &[([f64; 3], f64)]) -> bool {
    table.iter().any(|(_, y)| *y > 0.5) && table.iter().any(|(_, y)| *y < 0.5)
}

/// The runs that never settle below the first threshold (0.05).
fn stuck<'a>(runs: &[&'a RunSummary]) -> Vec<&'a RunSummary> {
    runs.iter().copied().filter(|r| r.settled_at[0].is_none()).collect()
}

/// The section's lessons: why H = 1 without the output bias cannot learn the
/// rule, and why each model's stuck runs are stuck; returns the plateaus
/// measured, per model, for the comparison with the bias (`bias.rs`).
fn explain(results: &Results, s: &mut String) -> Result<Vec<(Architecture, Vec<plateaus::Plateau>)>> {
    let _ = writeln!(
        s,
        "### What the table counts
"
    );
    let _ = writeln!(
        s,
        "\"Median\" above is the lower median (nearest rank): for an even count, the smaller of the two middle values; `convergence_summary.csv` and the curves' `median` column use the same rule.\n"
    );
    let h1 = Architecture::two_layer(1);
    if results.plan.hidden.contains(&1) {
        let found = one_sided(&results.runs_of(h1));
        let _ = writeln!(
            s,
            "**Why {} cannot learn the rule.** With {}, `o = σ({})` with one hidden value `h = σ(x·w) ∈ (0, 1)`, so `v·h` has the sign of `v` whatever the input, and every output lies on the same side of 0.5. In this run, of {} runs, {} output more than 0.5 and {} less than 0.5 on all 8 rule inputs (over all runs, outputs between {:.4} and {:.4}){}\n",
            name(h1),
            bias_clause(h1),
            output_input(h1, "v·h"),
            found.runs,
            found.all_above,
            found.all_below,
            found.range.0,
            found.range.1,
            if both_sides(results.plan.data.table()) {
                "; with targets above and below 0.5 among the training rows, at least one row is always wrong, so its largest error stays at 0.5 or more."
            } else {
                "."
            }
        );
    }
    let mut measured = Vec::new();
    for architecture in results.architectures().into_iter().filter(|a| a.hidden().is_some_and(|h| h > 1)) {
        let runs = results.runs_of(architecture);
        let stuck = stuck(&runs);
        if stuck.is_empty() {
            continue;
        }
        let listed: Vec<String> =
            stuck.iter().take(20).map(|r| format!("{} ({:.4})", r.seed, r.final_max_error)).collect();
        let more = if stuck.len() > 20 { format!(" and {} more", stuck.len() - 20) } else { String::new() };
        let _ = writeln!(
            s,
            "**Stuck {} runs.** {} seeds never settle below 0.05; seed (final largest error): {}{more}.\n",
            name(architecture),
            stuck.len(),
            listed.join(", ")
        );
        let found = plateaus::plateaus(&results.plan, architecture, &stuck)?;
        plateaus::explain(s, &results.plan, architecture, stuck.len(), &found);
        measured.push((architecture, found));
    }
    Ok(measured)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(seed: u32, predictions: [f64; 8], settled: Option<u64>, final_max_error: f64) -> RunSummary {
        RunSummary {
            architecture: Architecture::two_layer(1),
            removed: 0,
            seed,
            one_layer: None,
            rule_predictions: predictions,
            removed_correct: 0,
            loss: 0.0,
            diverged_at: None,
            final_max_error,
            settled_at: [settled, settled],
        }
    }

    #[test]
    fn one_sided_counts_each_side_and_the_range() {
        let up = run(0, [0.6, 0.7, 0.8, 0.9, 0.51, 0.6, 0.7, 0.99], None, 0.99);
        let down = run(1, [0.4, 0.3, 0.2, 0.1, 0.49, 0.4, 0.3, 0.01], None, 0.99);
        let mixed = run(2, [0.4, 0.6, 0.2, 0.1, 0.49, 0.4, 0.3, 0.2], Some(10), 0.01);
        let found = one_sided(&[&up, &down, &mixed]);
        assert_eq!(found, OneSided { runs: 3, all_above: 1, all_below: 1, range: (0.01, 0.99) });
    }

    #[test]
    fn stuck_lists_the_runs_that_never_settle() {
        let a = run(3, [0.5; 8], None, 0.5001);
        let b = run(4, [0.5; 8], Some(100), 0.001);
        let found: Vec<(u32, f64)> = stuck(&[&a, &b]).iter().map(|r| (r.seed, r.final_max_error)).collect();
        assert_eq!(found, vec![(3, 0.5001)]);
    }
}
