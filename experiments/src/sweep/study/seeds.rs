//! Study B: every seed `0..N` of the one-layer model on all rows: `seeds.csv`,
//! `seeds.svg` and the spread of the final weights.

use std::fmt::Write;

use anyhow::Result;
use plotters::prelude::*;
use serde::Serialize;

use super::{About, FromResults, Rendered};
use crate::sweep::Results;
use crate::sweep::numbers::{axis, fixed, inside};
use crate::sweep::plots::{Frame, color, dot_key, framed, legend, svg, whole};
use crate::sweep::runs::{RunSummary, is_correct};
use crate::sweep::stats::{mean_sd, min_max};
use crate::sweep::tables::to_csv;

static ABOUT: About = About {
    letter: Some('B'),
    title: "Every seed (\"what happens if you comment `np.random.seed`?\")",
    description: "every seed 0..N−1",
    files: &["seeds.csv", "seeds.svg"],
};

pub struct Seeds;

impl FromResults for Seeds {
    fn about(&self) -> &'static About {
        &ABOUT
    }

    fn render(&self, results: &Results) -> Result<Rendered> {
        let rows = seed_rows(&results.seed_runs());
        let files =
            vec![("seeds.csv", to_csv(&rows)?), ("seeds.svg", plot(&rows, results.plan.iterations)?.into_bytes())];
        let mut section = String::new();
        write_spread(results, &rows, &mut section);
        Ok(Rendered { files, section })
    }
}

/// `seeds.csv`: the one-layer model on all rows, one row per seed.
#[derive(Serialize)]
struct SeedRow {
    seed: u32,
    w1_initial: f64,
    w2_initial: f64,
    w3_initial: f64,
    w1: f64,
    w2: f64,
    w3: f64,
    prediction: f64,
    correct: bool,
    /// Rule inputs with `x3 = 1` on the right side of 0.5 (of 4).
    rule_right_x3_1: usize,
    /// Rule inputs with `x3 = 0` on the right side of 0.5 (of 4).
    rule_right_x3_0: usize,
    loss: f64,
    /// The step at which training stopped on a non-finite weight (empty: never).
    diverged_at: Option<u64>,
}

fn seed_rows(runs: &[&RunSummary]) -> Vec<SeedRow> {
    runs.iter()
        .map(|r| (r, r.weights()))
        .map(|(r, (initial, last))| SeedRow {
            seed: r.seed,
            w1_initial: initial[0],
            w2_initial: initial[1],
            w3_initial: initial[2],
            w1: last[0],
            w2: last[1],
            w3: last[2],
            prediction: r.prediction(),
            correct: is_correct(r.prediction(), 1.0),
            rule_right_x3_1: r.rule_correct()[0],
            rule_right_x3_0: r.rule_correct()[1],
            loss: r.loss,
            diverged_at: r.diverged_at,
        })
        .collect()
}

/// `seeds.svg`: for every seed, the initial weights, the final weights (as the
/// deviation from their mean over seeds) and the `[1, 0, 0]` prediction (as its
/// deviation from the mean too: the seeds differ by ~1e-9, which absolute tick
/// labels cannot show).
fn plot(rows: &[SeedRow], iterations: u64) -> Result<String> {
    let n = rows.len().max(1) as f64;
    let seeds = -0.5..n - 0.5;
    let initial = |r: &SeedRow, k: usize| [r.w1_initial, r.w2_initial, r.w3_initial][k];
    let last = |r: &SeedRow, k: usize| [r.w1, r.w2, r.w3][k];
    let means: Vec<f64> = (0..3).map(|k| mean_sd(&rows.iter().map(|r| last(r, k)).collect::<Vec<_>>()).0).collect();
    let spread =
        rows.iter().flat_map(|r| (0..3).map(|k| (last(r, k) - means[k]).abs())).fold(0.0f64, f64::max).max(1e-15) * 1.1;
    let pmean = mean_sd(&rows.iter().map(|r| r.prediction).collect::<Vec<_>>()).0;
    let pspread = rows.iter().map(|r| (r.prediction - pmean).abs()).fold(0.0f64, f64::max).max(1e-15) * 1.1;
    // Each panel's top ~40 % is left empty for its legend, so no point is covered.
    let (deviation, prediction) = (axis(-spread, 2.4 * spread), axis(-pspread, 2.4 * pspread));
    let names = ["w1", "w2", "w3 (bias)"];
    let scientific = |v: &f64| format!("{v:.1e}");
    // A tick at 0 computed as −2e−25 (steps of 5e−10 from −1.5e−9) reads as 0.
    let near_zero = |v: &f64| format!("{:.1e}", if v.abs() < pspread * 1e-6 { 0.0 } else { *v });
    let frame = |y_desc, y_area, y_ticks| Frame {
        x_desc: "Seed",
        y_desc,
        x_ticks: Some(&whole),
        y_ticks,
        y_area,
        text: 13,
        ..Frame::default()
    };
    svg((1500, 520), |root, px| {
        let title = format!("Seeds 0–{}: one layer, all rows, {iterations} iterations", rows.len().saturating_sub(1));
        let root = root.titled(&title, px.font(22))?;
        let panels = root.split_evenly((1, 3));
        let dot = |x: u32, y: f64, k: usize| Circle::new((f64::from(x), y), px.size(3), color(k).filled());
        let f = frame("Initial weight, uniform in [−1, 1)", 55, None);
        let mut chart = framed(&panels[0], px, &f, seeds.clone(), -1.05..2.0)?;
        for k in 0..3 {
            chart
                .draw_series(rows.iter().map(|r| dot(r.seed, initial(r, k), k)))?
                .label(names[k])
                .legend(dot_key(px, color(k)));
        }
        legend(&mut chart, px, SeriesLabelPosition::UpperRight)?;
        let f = frame("Final weight − its mean over seeds", 75, Some(&scientific));
        let mut chart = framed(&panels[1], px, &f, seeds.clone(), deviation.clone())?;
        for k in 0..3 {
            let label = format!("{} (mean {})", names[k], fixed(means[k], 4));
            chart
                .draw_series(rows.iter().map(|r| dot(r.seed, inside(&deviation, last(r, k) - means[k]), k)))?
                .label(label)
                .legend(dot_key(px, color(k)));
        }
        legend(&mut chart, px, SeriesLabelPosition::UpperRight)?;
        let f = frame("Prediction for [1, 0, 0] − its mean over seeds", 75, Some(&near_zero));
        let mut chart = framed(&panels[2], px, &f, seeds, prediction.clone())?;
        chart
            .draw_series(rows.iter().map(|r| dot(r.seed, inside(&prediction, r.prediction - pmean), 4)))?
            .label(format!("σ(w1) (mean {}), right when > 0.5", fixed(pmean, 6)))
            .legend(dot_key(px, color(4)));
        legend(&mut chart, px, SeriesLabelPosition::UpperRight)
    })
}

/// The spread over seeds of the final weights, the prediction and the loss,
/// and how many seeds get the rule right.
fn write_spread(results: &Results, rows: &[SeedRow], s: &mut String) {
    let n = rows.len();
    let _ = writeln!(s, "![seeds](seeds.svg)\n");
    let _ = writeln!(s, "| quantity | mean | sd | min | max |\n|---|---:|---:|---:|---:|");
    type Column = (&'static str, fn(&SeedRow) -> f64);
    let columns: [Column; 5] = [
        ("w1", |r| r.w1),
        ("w2", |r| r.w2),
        ("w3 (bias)", |r| r.w3),
        ("prediction for [1, 0, 0]", |r| r.prediction),
        ("final loss", |r| r.loss),
    ];
    for (name, f) in columns {
        let v: Vec<f64> = rows.iter().map(f).collect();
        let (mean, sd) = mean_sd(&v);
        let (lo, hi) = min_max(&v);
        let _ = writeln!(s, "| {name} | {} | {sd:.2e} | {} | {} |", fixed(mean, 6), fixed(lo, 6), fixed(hi, 6));
    }
    let right = rows.iter().filter(|r| r.correct).count();
    let all_on = rows.iter().filter(|r| r.rule_right_x3_1 == 4).count();
    let all_off = rows.iter().filter(|r| r.rule_right_x3_0 == 4).count();
    let predictions: Vec<f64> = rows.iter().map(|r| r.prediction).collect();
    let (lo, hi) = min_max(&predictions);
    let _ = writeln!(
        s,
        "\n{right} of {n} seeds predict `[1, 0, 0]` right (between {lo:.6} and {hi:.6}); {all_on} of {n} get all 4 rule inputs with x3 = 1 right, {all_off} of {n} all 4 with x3 = 0."
    );
    let one = results.seed_runs();
    let undecided = one.iter().filter(|r| r.rule_predictions[0] == 0.5).count();
    if undecided > 0 {
        let _ = writeln!(
            s,
            "For {undecided} of {n} seeds the input `[0, 0, 0]` gets exactly σ(0) = 0.5: with every input 0, no weight reaches the output, so one layer cannot decide it (counted wrong)."
        );
    }
    let range = |f: fn(&SeedRow) -> f64| {
        let (lo, hi) = min_max(&rows.iter().map(f).collect::<Vec<_>>());
        hi - lo
    };
    let initial = [range(|r| r.w1_initial), range(|r| r.w2_initial), range(|r| r.w3_initial)];
    let last = [range(|r| r.w1), range(|r| r.w2), range(|r| r.w3)];
    let widest = |v: [f64; 3]| v.into_iter().fold(0.0, f64::max);
    let _ = writeln!(
        s,
        "The runs forget their seed: the initial weights (`seeds.csv`) span up to {} between seeds, the weights after {} iterations at most {:.2e}.\n",
        fixed(widest(initial), 3),
        results.plan.iterations,
        widest(last)
    );
}
