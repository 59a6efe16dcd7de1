//! Study C: the one-layer model without each of the 14 non-empty proper subsets
//! of training rows, every seed: `removal.csv`, `removal_summary.csv`, `removal.svg`.
//! (For a `--data` set of more than 4 rows: each single row removed.)
//!
//! Its runs are folded while the shared training runs (`fold.rs`): `removal.csv`
//! is streamed, one row per run, and only one summary row per removed subset is
//! kept. The section also says when a "right" `[1, 0, 0]` is right only because
//! the network outputs more than 0.5 for every one of the 8 rule inputs
//! ([`fold::AllOnes`]): e.g. without rows 0 and 3 only targets 1 are left.

mod fold;

use std::any::Any;
use std::fmt::Write;

use anyhow::{Context, Result};
use plotters::prelude::*;

use super::{About, FromResults, Group, GroupFold, Rendered, Results};
use crate::sweep::files::{Files, Stream};
use crate::sweep::numbers::{percent, shortest};
use crate::sweep::plan::Plan;
use crate::sweep::plots::{Frame, Grid, framed, legend, line_key, model_color, svg};
use crate::sweep::report::{Column, table};
use crate::sweep::tables::{rows_label, to_csv_with_header};
use fold::{AllOnes, SummaryRow};
pub use fold::{Findings, Fold};
use perceptron::Architecture;

/// The file streamed while training: one row per run.
const RUNS_CSV: &str = "removal.csv";

static ABOUT: About = About {
    letter: Some('C'),
    title: "Training rows removed (TODO 2: \"remove one, remove more\")",
    description: "each of the 14 non-empty proper subsets of rows removed, every seed (with `--data` of more than 4 rows: each single row)",
    files: &[RUNS_CSV, "removal_summary.csv", "removal.svg"],
};

pub struct Removal;

impl FromResults for Removal {
    fn about(&self) -> &'static About {
        &ABOUT
    }

    fn fold<'a>(&self, plan: &'a Plan, files: &Files) -> Result<Option<Box<dyn GroupFold + 'a>>> {
        Ok(Some(Box::new(Fold::new(files.stream(RUNS_CSV)?, plan.data.table()))))
    }

    fn render(&self, results: &Results) -> Result<Rendered> {
        let found = results.folded::<Findings>().context("study C's fold")?;
        let summary = &found.summary;
        let files = vec![
            ("removal_summary.csv", to_csv_with_header(summary)?),
            ("removal.svg", plot(summary, &found.all_ones)?.into_bytes()),
        ];
        let mut section = String::new();
        write_table_and_conclusions(results, summary, &mut section);
        explain(&found.all_ones, results.plan.data.table(), &mut section);
        Ok(Rendered { files, section })
    }
}

/// The study's fold: `removal.csv` streamed into `--out`, and the summary of
/// each group with rows removed (groups on all rows are not this study's).
impl GroupFold for Fold<'_, Stream> {
    fn group(&mut self, group: &Group<'_>) -> Result<()> {
        if group.removed.is_empty() {
            return Ok(());
        }
        Fold::group(self, group.removed, group.runs)
    }

    fn finish(self: Box<Self>) -> Result<(Box<dyn Any + Send + Sync>, Option<Stream>)> {
        let (findings, stream) = Fold::finish(*self)?;
        Ok((Box::new(findings), Some(stream)))
    }
}

/// The "right for the wrong reason" list: the removals some of whose runs output 1 for everything.
fn explain(groups: &[AllOnes], table: &[([f64; 3], f64)], s: &mut String) {
    let mut lines = Vec::new();
    for group in groups {
        let Some(lowest) = group.lowest else { continue };
        let kept_targets: Vec<String> =
            (0..table.len()).filter(|r| !group.removed.contains(r)).map(|r| shortest(table[r].1)).collect();
        lines.push(format!(
            "- without rows {}: {} of {} seeds output more than 0.5 on all 7 rule inputs other than `[0, 0, 0]` (lowest {lowest:.4}; `[0, 0, 0]` gets exactly σ(0) = 0.5); the kept targets are {}, so for these seeds `[1, 0, 0]` is \"right\" only because the network outputs 1 for everything.",
            rows_label(&group.removed),
            group.count,
            group.runs,
            kept_targets.join(", ")
        ));
    }
    if !lines.is_empty() {
        let _ = writeln!(s, "**Right for the wrong reason.**");
        for line in lines {
            let _ = writeln!(s, "{line}");
        }
        let _ = writeln!(s);
    }
}

/// `removal.svg`: per removed subset, the share of seeds that predict `[1, 0, 0]`
/// right, and the mean prediction with its min–max range.
fn plot(rows: &[SummaryRow], all_ones: &[AllOnes]) -> Result<String> {
    let n = rows.len();
    let labels: Vec<String> = rows.iter().map(|r| r.removed.clone()).collect();
    let x_label = move |x: &f64| {
        let i = x.round();
        if (x - i).abs() < 1e-9 && i >= 0.0 && (i as usize) < labels.len() {
            labels[i as usize].clone()
        } else {
            String::new()
        }
    };
    // Room above 100 % for the key; no tick labels there.
    let share = |v: &f64| if *v > 1.0 + 1e-9 { String::new() } else { percent(*v) };
    let plain = |v: &f64| format!("{v:.1}");
    // The removed subsets on x, one bar or error bar each.
    let frame = |y_desc, y_labels, y_ticks| Frame {
        x_desc: "Removed rows (0-based)",
        y_desc,
        x_ticks: Some(&x_label),
        y_ticks: Some(y_ticks),
        x_labels: Some(n),
        y_labels: Some(y_labels),
        grid: Grid::Horizontal,
        x_area: 50,
        y_area: 70,
        ..Frame::default()
    };
    let x = -0.5..n as f64 - 0.5;
    svg((1000, 780), |root, px| {
        let root = root.titled("Training rows removed (one layer): does [1, 0, 0] → 1 survive?", px.font(22))?;
        let (top, bottom) = root.split_vertically(px.size(380));
        let top =
            top.titled("Share of seeds right; hollow: right only because o > 0.5 on every rule input", px.font(15))?;
        let mut chart = framed(&top, px, &frame("Share of seeds right", 15, &share), x.clone(), 0.0..1.45)?;
        // One layer's colour; light where no kept row has x1 = 1 (w1 never moves).
        let blue = model_color(Architecture::OneLayer);
        let shade = |r: &SummaryRow| if r.kept_rows_with_x1 == 0 { blue.mix(0.4) } else { blue.mix(1.0) };
        // Of each bar, the share of seeds that output more than 0.5 on all 7 rule
        // inputs besides [0, 0, 0] (counted right for [1, 0, 0], but for the wrong reason).
        let wrong = |i: usize| all_ones.get(i).map_or(0.0, |a| a.count as f64 / a.runs.max(1) as f64);
        chart.draw_series(rows.iter().enumerate().map(|(i, r)| {
            let solid = (r.share_correct - wrong(i)).max(0.0);
            Rectangle::new([(i as f64 - 0.35, 0.0), (i as f64 + 0.35, solid)], shade(r).filled())
        }))?;
        chart.draw_series(rows.iter().enumerate().filter(|(i, _)| wrong(*i) > 0.0).map(|(i, r)| {
            let solid = (r.share_correct - wrong(i)).max(0.0);
            Rectangle::new([(i as f64 - 0.35, solid), (i as f64 + 0.35, r.share_correct)], px.line(blue, 2))
        }))?;
        let keys = [
            ("a kept row has x1 = 1", blue.mix(1.0).filled()),
            ("no kept row has x1 = 1: w1 never moves", blue.mix(0.4).filled()),
            ("right only because o > 0.5 everywhere", px.line(blue, 2)),
        ];
        for (label, style) in keys {
            chart
                .draw_series(std::iter::empty::<Rectangle<(f64, f64)>>())?
                .label(label)
                .legend(move |(x, y)| Rectangle::new([(x, y - px.of(6)), (x + px.of(18), y + px.of(6))], style));
        }
        legend(&mut chart, px, SeriesLabelPosition::UpperRight)?;
        let mut chart = framed(&bottom, px, &frame("Prediction for [1, 0, 0]", 6, &plain), x, 0.0..1.05)?;
        chart
            .draw_series(rows.iter().enumerate().map(|(i, r)| {
                let (lo, mean, hi) = (r.min_prediction, r.mean_prediction, r.max_prediction);
                ErrorBar::new_vertical(i as f64, lo, mean, hi, px.line(blue, 2), px.size(12))
            }))?
            .label("mean, min and max over seeds")
            .legend(line_key(px, blue));
        let dashed = px.line(BLACK.mix(0.6), 1);
        chart
            .draw_series(DashedLineSeries::new([(-0.5, 0.5), (n as f64 - 0.5, 0.5)], px.size(6), px.size(4), dashed))?
            .label("0.5 threshold")
            .legend(line_key(px, RGBColor(120, 120, 120)));
        legend(&mut chart, px, SeriesLabelPosition::LowerLeft)
    })
}

/// The table of every removal, then the conclusions drawn from it.
fn write_table_and_conclusions(results: &Results, rows: &[SummaryRow], s: &mut String) {
    let table_rows = results.plan.data.table();
    let names: Vec<String> = table_rows
        .iter()
        .enumerate()
        .map(|(i, (x, y))| {
            format!("{i} = `[{},{},{}]→{}`", shortest(x[0]), shortest(x[1]), shortest(x[2]), shortest(*y))
        })
        .collect();
    let _ = writeln!(s, "Rows, 0-based in the notebook's order: {}.", names.join(", "));
    if rows.is_empty() {
        let _ = writeln!(s, "With one training row there is no proper subset to remove.\n");
        return;
    }
    let which = if table_rows.len() > 4 { "each single row" } else { "each non-empty proper subset of the rows" };
    let _ = writeln!(s, "One layer, every seed, {which} removed: {} removals.\n", rows.len());
    let _ = writeln!(
        s,
        "![removal](removal.svg)\n\n*To see:* the light bars (no kept row has x1 = 1, so w1 never moves) and the hollow ones (right only because the network outputs more than 0.5 for everything).\n"
    );
    let columns: [Column<SummaryRow>; 11] = [
        ("removed", |r| r.removed.clone()),
        ("rows left", |r| r.rows_left.to_string()),
        ("kept rows with x1 = 1", |r| r.kept_rows_with_x1.to_string()),
        ("[1,0,0] right", |r| percent(r.share_correct)),
        ("mean prediction", |r| format!("{:.4}", r.mean_prediction)),
        ("min", |r| format!("{:.4}", r.min_prediction)),
        ("max", |r| format!("{:.4}", r.max_prediction)),
        ("rule inputs right, x3 = 1 (of 4)", |r| format!("{:.2}", r.mean_rule_right_x3_1)),
        ("x3 = 0 (of 4)", |r| format!("{:.2}", r.mean_rule_right_x3_0)),
        ("runs with every removed row right", |r| percent(r.share_runs_removed_right)),
        ("removed rows right", |r| percent(r.share_removed_rows_right)),
    ];
    table(s, &columns, 1, rows);
    let _ = writeln!(
        s,
        "\nThe last two columns score the removed rows themselves: the share of runs that get every removed row right, and the share of all removed rows (over all runs) that are right."
    );
    conclusions(results, rows, s);
}

/// Study C's conclusions: when `[1, 0, 0]` survives, why it breaks, the hardest removals.
fn conclusions(results: &Results, rows: &[SummaryRow], s: &mut String) {
    let broken: Vec<&SummaryRow> = rows.iter().filter(|r| r.share_correct < 1.0).collect();
    let survive = rows.len() - broken.len();
    let _ = writeln!(s, "\nThe prediction for `[1, 0, 0]` is σ(w1): its other inputs are 0.");
    let _ = writeln!(s, "It survives in every seed for {survive} of the {} removals.", rows.len());
    let frozen = frozen_removals(rows);
    if !frozen.is_empty() {
        let names: Vec<&str> = frozen.iter().map(|r| r.removed.as_str()).collect();
        let _ = writeln!(
            s,
            "It breaks when {} {} removed: then no kept row has x1 ≠ 0, so the w1 entry of the update Xᵀδ is always 0 and w1 never moves (largest |change| over all seeds: 0).",
            names.join(", "),
            if names.len() == 1 { "is" } else { "are" },
        );
        let shares: Vec<String> =
            frozen.iter().map(|r| format!("{} for {}", percent(r.share_correct), r.removed)).collect();
        let _ = writeln!(
            s,
            "The answer then keeps the sign of the random initial w1: right only for the seeds that start with w1 > 0 ({}).",
            shares.join(", ")
        );
    }
    let kept: Vec<&SummaryRow> = rows.iter().filter(|r| r.kept_rows_with_x1 > 0).collect();
    let wrong: Vec<&&SummaryRow> = kept.iter().filter(|r| r.share_correct < 1.0).collect();
    let grows = w1_only_grows(results.plan.data.table());
    if !kept.is_empty() && wrong.is_empty() {
        let why = if grows {
            ": in this data every row with x1 ≠ 0 has x1 = 1 and target 1, so its δ = (1 − o)·o·(1 − o) is positive and w1 only grows"
        } else {
            ""
        };
        let _ = writeln!(s, "Whenever a row with x1 = 1 is kept, every seed ends right{why}.");
    } else if !wrong.is_empty() {
        let names: Vec<String> =
            wrong.iter().map(|r| format!("{} ({})", r.removed, percent(r.share_correct))).collect();
        let grow = if grows { "w1 only grows, yet " } else { "" };
        let _ = writeln!(
            s,
            "With a row with x1 = 1 kept, {grow}the prediction is still wrong after {} iterations for some seeds, or all, of: {} (share of seeds right).",
            results.plan.iterations,
            names.join(", ")
        );
    }
    let full: Vec<&str> = rows.iter().filter(|r| r.mean_rule_right_x3_1 >= 4.0).map(|r| r.removed.as_str()).collect();
    if full.is_empty() {
        let _ = writeln!(s, "No removal lets every seed get all 4 rule inputs with x3 = 1 right.");
    } else {
        let _ = writeln!(
            s,
            "Every seed gets all 4 rule inputs with x3 = 1 right for {} of the {} removals: {}.",
            full.len(),
            rows.len(),
            full.join(", ")
        );
    }
    let hardest = hardest_removals(rows);
    if let Some(w) = hardest.first() {
        let hardest: Vec<&str> = hardest.iter().map(|r| r.removed.as_str()).collect();
        let _ = writeln!(
            s,
            "The hardest {} for the rule: {} ({:.2} of the 4 inputs with x3 = 1 right on average).\n",
            if hardest.len() == 1 { "removal" } else { "removals, tied," },
            hardest.join(", "),
            w.mean_rule_right_x3_1
        );
    }
}

/// Whether every row of `table` with `x1 ≠ 0` has `x1 = 1` and target 1: then
/// each such row's `δ = (1 − o)·o(1 − o)` is positive, so the w1 entry of `Xᵀδ`
/// is a sum of positive terms and w1 only grows.
fn w1_only_grows(table: &[([f64; 3], f64)]) -> bool {
    table.iter().filter(|(x, _)| x[0] != 0.0).all(|(x, y)| x[0] == 1.0 && *y == 1.0)
}

/// The removals that break `[1, 0, 0]` for some seed because no kept row has
/// `x1 = 1`, so `w1` never moves.
fn frozen_removals(rows: &[SummaryRow]) -> Vec<&SummaryRow> {
    rows.iter().filter(|r| r.share_correct < 1.0 && r.max_abs_w1_change == 0.0).collect()
}

/// The removals with the fewest rule inputs with `x3 = 1` right on average (all of them when tied), in table order.
fn hardest_removals(rows: &[SummaryRow]) -> Vec<&SummaryRow> {
    let least = rows.iter().map(|r| r.mean_rule_right_x3_1).min_by(f64::total_cmp);
    rows.iter().filter(|r| Some(r.mean_rule_right_x3_1) == least).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A removal's row; w1 moves (in these rows) exactly when a kept row has x1 = 1.
    fn row(removed: &str, kept_rows_with_x1: usize, share_correct: f64, mean_rule_right_x3_1: f64) -> SummaryRow {
        SummaryRow {
            removed: removed.to_owned(),
            rows_left: 2,
            kept_rows_with_x1,
            runs: 10,
            share_correct,
            mean_prediction: 0.5,
            min_prediction: 0.1,
            max_prediction: 0.9,
            mean_rule_right_x3_1,
            mean_rule_right_x3_0: 3.0,
            share_runs_removed_right: 0.0,
            share_removed_rows_right: 0.0,
            max_abs_w1_change: if kept_rows_with_x1 == 0 { 0.0 } else { 1.0 },
        }
    }

    #[test]
    fn frozen_means_wrong_somewhere_and_no_row_with_x1() {
        let rows = [row("0", 2, 1.0, 4.0), row("1+2", 0, 0.6, 2.0), row("0+3", 2, 0.9, 3.0), row("1+2+3", 0, 1.0, 2.5)];
        let names: Vec<&str> = frozen_removals(&rows).iter().map(|r| r.removed.as_str()).collect();
        assert_eq!(names, ["1+2"]);
    }

    #[test]
    fn hardest_keeps_ties_in_order() {
        let rows = [row("0", 2, 1.0, 4.0), row("1+2", 0, 0.6, 2.0), row("0+3", 2, 0.9, 3.0), row("2", 1, 1.0, 2.0)];
        let names: Vec<&str> = hardest_removals(&rows).iter().map(|r| r.removed.as_str()).collect();
        assert_eq!(names, ["1+2", "2"]);
        assert!(hardest_removals(&[]).is_empty());
    }

    #[test]
    fn w1_only_grows_when_every_row_with_x1_is_a_one_with_target_one() {
        // The notebook's rows: x1 = 1 exactly on rows 1, 2, both with target 1.
        assert!(w1_only_grows(perceptron::Dataset::notebook().table()));
        let not_x1 = [([0.0, 0.0, 1.0], 1.0), ([1.0, 0.0, 1.0], 0.0)];
        assert!(!w1_only_grows(&not_x1));
        let half = [([0.5, 0.0, 1.0], 1.0)];
        assert!(!w1_only_grows(&half));
    }
}
