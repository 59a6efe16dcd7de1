//! Study B: every seed `0..N` of the one-layer model on all rows: `seeds.csv`,
//! `seeds.svg` and the spread of the final weights.

use std::fmt::Write;

use anyhow::Result;
use perceptron::Architecture;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::Serialize;

use super::Results;
use super::{About, FromResults, Rendered};
use crate::sweep::numbers::{axis, fixed, inside};
use crate::sweep::plots::{Frame, Grid, apart, framed, model_color, svg};
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

/// The spread of `values` over seeds: `max − min` of the finite ones (0 when
/// fewer than two are finite), and how many are not finite (diverged runs).
fn spread(values: impl IntoIterator<Item = f64>) -> (f64, usize) {
    let (mut lo, mut hi, mut skipped) = (f64::INFINITY, f64::NEG_INFINITY, 0);
    for v in values {
        if v.is_finite() {
            (lo, hi) = (lo.min(v), hi.max(v));
        } else {
            skipped += 1;
        }
    }
    (if hi >= lo { hi - lo } else { 0.0 }, skipped)
}

/// The most seeds `seeds.svg` draws: more lines and points add nothing a
/// reader can see (the spread is printed), and cost memory and a browser's
/// patience (10⁵ seeds drew 87 MB of SVG).
const DRAWN: usize = 1000;

/// `seeds.svg`: every seed's three initial weights (left, drawn uniformly in
/// [−1, 1)) joined by a straight line to its final weights (right) on one weight
/// axis, so the seeds are seen to end together (the first [`DRAWN`] seeds);
/// each final weight labelled with its mean and its spread (max − min) over
/// all the seeds, as a number.
fn plot(rows: &[SeedRow], iterations: u64) -> Result<String> {
    let initial = |r: &SeedRow| [r.w1_initial, r.w2_initial, r.w3_initial];
    let last = |r: &SeedRow| [r.w1, r.w2, r.w3];
    let finite = rows.iter().flat_map(|r| initial(r).into_iter().chain(last(r))).filter(|v| v.is_finite());
    let (lo, hi) = finite.fold((-1.0f64, 1.0f64), |(l, h), v| (l.min(v), h.max(v)));
    let pad = 0.06 * (hi - lo);
    let y = axis(lo - pad, hi + pad);
    let names = ["w1 (x1)", "w2 (x2)", "w3 (bias)"];
    let finals: Vec<(f64, (f64, usize))> = (0..3)
        .map(|k| {
            let v: Vec<f64> = rows.iter().map(|r| last(r)[k]).filter(|v| v.is_finite()).collect();
            (mean_sd(&v).0, spread(rows.iter().map(|r| last(r)[k])))
        })
        .collect();
    let (p_spread, _) = spread(rows.iter().map(|r| r.prediction));
    let label_at = apart(&finals.iter().map(|f| inside(&y, f.0)).collect::<Vec<_>>(), 0.08 * (y.end - y.start));
    let after = format!("after {iterations} iterations");
    let x_ticks = |x: &f64| match x {
        x if x.abs() < 1e-9 => "initial (the seed's draw)".to_owned(),
        x if (x - 1.0).abs() < 1e-9 => after.clone(),
        _ => String::new(),
    };
    let frame = Frame {
        x_desc: "",
        y_desc: "Weight",
        x_ticks: Some(&x_ticks),
        x_labels: Some(3),
        grid: Grid::Horizontal,
        margin: [10, 15, 5, 15],
        ..Frame::default()
    };
    let c = model_color(Architecture::OneLayer);
    svg((1000, 600), |root, px| {
        let title = format!("Seeds 0–{}: one layer, all rows: initial and final weights", rows.len().saturating_sub(1));
        let root = root.titled(&title, px.font(22))?;
        let (note, body) = root.split_vertically(px.size(28));
        let drawn = if rows.len() > DRAWN { format!(" (the first {DRAWN} drawn)") } else { String::new() };
        let note_text = format!(
            "A line joins a seed's initial and final weight (not its path){drawn}. Spread: max − min over the {} seeds; for [1, 0, 0]'s prediction {p_spread:.1e}",
            rows.len()
        );
        note.draw(&Text::new(note_text, px.at((500, 12)), px.centred(15).color(&BLACK.mix(0.75))))?;
        let mut chart = framed(&body, px, &frame, -0.04..1.62, y.clone())?;
        let rows = &rows[..rows.len().min(DRAWN)];
        for r in rows {
            let (a, b) = (initial(r), last(r));
            for k in 0..3 {
                if b[k].is_finite() {
                    let ends = vec![(0.0, inside(&y, a[k])), (1.0, inside(&y, b[k]))];
                    chart.draw_series([PathElement::new(ends, px.line(c.mix(0.18), 1))])?;
                }
            }
        }
        chart.draw_series(
            rows.iter().flat_map(initial).map(|v| Circle::new((0.0, inside(&y, v)), px.size(3), c.filled())),
        )?;
        chart.draw_series(
            rows.iter()
                .flat_map(last)
                .filter(|v| v.is_finite())
                .map(|v| Circle::new((1.0, inside(&y, v)), px.size(4), c.filled())),
        )?;
        for (k, ((mean, (spread, diverged)), at)) in finals.iter().zip(&label_at).enumerate() {
            let more = if *diverged > 0 { format!(" ({diverged} diverged)") } else { String::new() };
            // max − min of finite weights near ±1.8e308 overflows.
            let spread = if spread.is_finite() { format!("{spread:.1e}") } else { "above 1.8e308".to_owned() };
            let text = format!("{} = {}, spread {spread}{more}", names[k], fixed(*mean, 4));
            let style = TextStyle::from(px.font(16)).pos(Pos::new(HPos::Left, VPos::Center));
            chart.draw_series([PathElement::new(
                vec![(1.0, inside(&y, *mean)), (1.04, *at)],
                px.line(BLACK.mix(0.5), 1),
            )])?;
            chart.draw_series([Text::new(text, (1.05, *at), style)])?;
        }
        Ok(())
    })
}

/// The spread over seeds of the final weights, the prediction and the loss,
/// and how many seeds get the rule right.
fn write_spread(results: &Results, rows: &[SeedRow], s: &mut String) {
    let n = rows.len();
    let _ = writeln!(s, "![seeds](seeds.svg)\n\n*To see:* lines that start anywhere end in one point.\n");
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
    let (lo, hi) = crate::sweep::numbers::apart(lo, hi, 6);
    let _ = writeln!(
        s,
        "\n{right} of {n} seeds predict `[1, 0, 0]` right (between {lo} and {hi}); {all_on} of {n} get all 4 rule inputs with x3 = 1 right, {all_off} of {n} all 4 with x3 = 0."
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
        fixed(widest(initial), 4),
        results.plan.iterations,
        widest(last)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spread_is_max_minus_min_of_the_finite_values() {
        assert_eq!(spread([11.0, 11.5, 10.75]), (0.75, 0));
        assert_eq!(spread([2.0, f64::NAN, f64::INFINITY, 3.0]), (1.0, 2));
        assert_eq!(spread([f64::NAN]), (0.0, 1));
        assert_eq!(spread([]), (0.0, 0));
    }
}
