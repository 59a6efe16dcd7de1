//! The loss landscape of the notebook's run (one layer, seed 1, all rows, the
//! sweep's learning rate and iterations): `L(w1, w3) = ½ Σ_i (y_i − σ(x_i1·w1 +
//! x_i2·w2* + x_i3·w3))²` over the four rows, with `w2*` held at the run's final
//! `w2`, on a `GRID_W1 × GRID_W3` grid of cell centres that contains the whole
//! path of `(w1, w3)`, drawn as a heat map (log-scaled colours, from a finer
//! [`PICTURE_W1`] × [`PICTURE_W3`] grid over the same ranges) with labelled
//! iso-loss contours, the path on it and marks at iterations 0, 1, 10, 100, … and the last.
//!
//! Files: `landscape.csv` (`w1, w3, loss` per grid cell), `landscape_path.csv`
//! (the path: `iteration, w1, w2, w3`, the true loss `L(w1, w2, w3)`, the loss
//! at `w2*` and whether the point is a mark), `landscape.svg`.

mod plot;

use std::fmt::Write;

use anyhow::Result;
use perceptron::{Architecture, Config, Dataset, Network, Schedule};
use serde::Serialize;

use super::{About, FromPlan, Rendered};
use crate::sweep::numbers::{fixed, shortest};
use crate::sweep::plan::Plan;
use crate::sweep::tables::to_csv;

/// Grid cells along w1 and w3.
pub const GRID_W1: usize = 72;
pub const GRID_W3: usize = 48;
/// Grid cells of the picture along w1 and w3 (the heat map and its contours).
pub const PICTURE_W1: usize = 300;
pub const PICTURE_W3: usize = 200;
/// Log-spaced samples of the path.
const PATH_POINTS: usize = 300;

static ABOUT: About = About {
    letter: None,
    title: "The loss landscape",
    description: "the loss landscape: L(w1, w3) of the notebook's run (seed 1) with w2 at its final value, on a 72 × 48 grid, and the path of (w1, w3) marked at t = 0, 1, 10, …",
    files: &["landscape.csv", "landscape_path.csv", "landscape.svg"],
};

pub struct Landscape;

impl FromPlan for Landscape {
    fn about(&self) -> &'static About {
        &ABOUT
    }

    fn render(&self, plan: &Plan) -> Result<Rendered> {
        let f = findings(plan);
        let grid: Vec<GridRow> = f.grid.iter().map(|&(w1, w3, loss)| GridRow { w1, w3, loss }).collect();
        let path: Vec<PathRow> = f
            .path
            .iter()
            .map(|p| PathRow {
                iteration: p.iteration,
                w1: p.w[0],
                w2: p.w[1],
                w3: p.w[2],
                loss: p.loss,
                loss_at_final_w2: p.loss_at_final_w2,
                mark: p.mark,
            })
            .collect();
        let files = vec![
            ("landscape.csv", to_csv(&grid)?),
            ("landscape_path.csv", to_csv(&path)?),
            ("landscape.svg", plot::plot(&f)?.into_bytes()),
        ];
        Ok(Rendered { files, section: section(&f, plan) })
    }
}

/// One point of the training path.
#[derive(Clone, Debug)]
pub struct PathPoint {
    pub iteration: u64,
    pub w: [f64; 3],
    /// `L(w1, w2, w3)`, the run's own loss.
    pub loss: f64,
    /// `L(w1, w2*, w3)`, the loss on the drawn slice.
    pub loss_at_final_w2: f64,
    /// A labelled mark (iterations 0, 10^k and the last).
    pub mark: bool,
}

/// Everything the landscape study found.
#[derive(Clone, Debug)]
pub struct Findings {
    pub final_w2: f64,
    pub w1_range: (f64, f64),
    pub w3_range: (f64, f64),
    /// `(w1, w3, L)` at cell centres, w3 outer (descending), w1 inner (ascending).
    pub grid: Vec<(f64, f64, f64)>,
    /// `L` at the centres of the picture's [`PICTURE_W1`] × [`PICTURE_W3`] cells:
    /// `picture[r][c]` at `(w1, w3)` of column `c`, row `r` (row 0 at the lowest w3).
    pub picture: Vec<Vec<f64>>,
    /// In iteration order.
    pub path: Vec<PathPoint>,
}

/// `L(w1, w2, w3) = ½ Σ (y − σ(X·w))²` on `data`, through the core crate's forward pass.
fn loss(data: &Dataset, w: [f64; 3]) -> f64 {
    Network::from_weights(Architecture::OneLayer, &w).loss(data)
}

/// The mark iterations: 0, 1, 10, 100, … below `total`, and `total`.
fn mark_iterations(total: u64) -> Vec<u64> {
    let mut marks = vec![0];
    let mut t = 1;
    while t < total {
        marks.push(t);
        t *= 10;
    }
    if total > 0 {
        marks.push(total);
    }
    marks
}

/// A range padded by `pad` of its width on each side (at least 0.5 wide).
/// Where that would overflow (weights near ±1.8e308, from learning rates near
/// the largest f64), it is computed in halves and kept within ±`f64::MAX`, so
/// that no grid coordinate is infinite.
fn padded(lo: f64, hi: f64, pad: f64) -> (f64, f64) {
    let width = (hi - lo).max(0.5);
    let centre = (lo + hi) / 2.0;
    let range = (centre - width * (0.5 + pad), centre + width * (0.5 + pad));
    if range.0.is_finite() && range.1.is_finite() {
        return range;
    }
    let (centre, half) = (lo / 2.0 + hi / 2.0, (hi / 2.0 - lo / 2.0).max(0.25));
    let reach = half * (1.0 + 2.0 * pad);
    ((centre - reach).max(f64::MIN), (centre + reach).min(f64::MAX))
}

/// The centre of cell `i` of `n` across `(lo, hi)`; overflow-safe like [`padded`].
pub fn cell_centre((lo, hi): (f64, f64), n: usize, i: usize) -> f64 {
    let c = lo + (hi - lo) * (i as f64 + 0.5) / n as f64;
    let f = (i as f64 + 0.5) / n as f64;
    if c.is_finite() { c } else { (lo * (1.0 - f) + hi * f).clamp(f64::MIN, f64::MAX) }
}

/// Trains the notebook's one-layer run, records its path and evaluates the grid.
pub fn findings(plan: &Plan) -> Findings {
    let data = Dataset::notebook();
    let config = |iterations| {
        Config {
            seed: 1,
            iterations,
            learning_rate: plan.learning_rate,
            architecture: Architecture::OneLayer,
            removed_rows: Vec::new(),
        }
        .check_on(&data)
        .expect("the sweep's flags are checked")
    };
    let run = perceptron::train(&config(plan.iterations), &Schedule::LogSpaced { points: PATH_POINTS });
    let three = |n: &Network| {
        let w: Vec<f64> = n.weights().collect();
        [w[0], w[1], w[2]]
    };
    let final_w2 = three(&run.network)[1];
    let mut points: Vec<(u64, [f64; 3], bool)> =
        run.history.records.iter().map(|r| (r.iteration, [r.weights[0], r.weights[1], r.weights[2]], false)).collect();
    // The marks: the weights after exactly t steps (a run of t steps is the prefix of the long run).
    for t in mark_iterations(plan.iterations) {
        let w = three(&perceptron::train(&config(t), &Schedule::Off).network);
        match points.iter_mut().find(|p| p.0 == t) {
            Some(p) => p.2 = true,
            None => points.push((t, w, true)),
        }
    }
    points.sort_by_key(|p| p.0);
    let path: Vec<PathPoint> = points
        .into_iter()
        .map(|(iteration, w, mark)| PathPoint {
            iteration,
            w,
            loss: loss(&data, w),
            loss_at_final_w2: loss(&data, [w[0], final_w2, w[2]]),
            mark,
        })
        .collect();
    let finite = |v: f64| if v.is_finite() { v } else { 0.0 };
    let (mut a1, mut b1, mut a3, mut b3) = (f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::NEG_INFINITY);
    for p in &path {
        a1 = a1.min(finite(p.w[0]));
        b1 = b1.max(finite(p.w[0]));
        a3 = a3.min(finite(p.w[2]));
        b3 = b3.max(finite(p.w[2]));
    }
    let w1_range = padded(a1, b1, 0.12);
    let w3_range = padded(a3, b3, 0.15);
    let mut grid = Vec::with_capacity(GRID_W1 * GRID_W3);
    for j in (0..GRID_W3).rev() {
        let w3 = cell_centre(w3_range, GRID_W3, j);
        for i in 0..GRID_W1 {
            let w1 = cell_centre(w1_range, GRID_W1, i);
            grid.push((w1, w3, loss(&data, [w1, final_w2, w3])));
        }
    }
    let picture = (0..PICTURE_W3)
        .map(|r| {
            let w3 = cell_centre(w3_range, PICTURE_W3, r);
            (0..PICTURE_W1).map(|c| loss(&data, [cell_centre(w1_range, PICTURE_W1, c), final_w2, w3])).collect()
        })
        .collect();
    Findings { final_w2, w1_range, w3_range, grid, picture, path }
}

/// How many path segments go downhill on the drawn slice, and how many in all.
fn downhill_steps(path: &[PathPoint]) -> (usize, usize) {
    let down = path.windows(2).filter(|p| p[1].loss_at_final_w2 <= p[0].loss_at_final_w2).count();
    (down, path.len().saturating_sub(1))
}

/// Whether every path point lies inside the grid's ranges.
fn grid_contains_path(f: &Findings) -> bool {
    f.path
        .iter()
        .all(|p| (f.w1_range.0..=f.w1_range.1).contains(&p.w[0]) && (f.w3_range.0..=f.w3_range.1).contains(&p.w[2]))
}

fn section(f: &Findings, plan: &Plan) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "The notebook's run (one layer, seed 1, all rows, learning rate {}, {} iterations): the loss `L(w1, w3) = ½ Σ (y − σ(x1·w1 + x2·w2 + w3))²` with `w2` held at its final value {}, on a {GRID_W1} × {GRID_W3} grid over w1 ∈ [{}, {}], w3 ∈ [{}, {}] (`landscape.csv`), and the path of (w1, w3) during training ({} points, `landscape_path.csv`), marked at iterations {}.\n",
        shortest(plan.learning_rate),
        plan.iterations,
        fixed(f.final_w2, 4),
        fixed(f.w1_range.0, 2),
        fixed(f.w1_range.1, 2),
        fixed(f.w3_range.0, 2),
        fixed(f.w3_range.1, 2),
        f.path.len(),
        f.path.iter().filter(|p| p.mark).map(|p| p.iteration.to_string()).collect::<Vec<_>>().join(", ")
    );
    let inside = if grid_contains_path(f) { "contains" } else { "does NOT contain" };
    let _ = writeln!(s, "The grid {inside} every point of the path.");
    let _ = writeln!(s, "The picture is drawn from a finer {PICTURE_W1} × {PICTURE_W3} grid over the same ranges.\n");
    let _ = writeln!(
        s,
        "![loss landscape](landscape.svg)\n\n*To see:* the path runs down into the valley, then along its floor, which keeps descending.\n"
    );
    let _ = writeln!(
        s,
        "| iteration | w1 | w2 | w3 | loss | loss with w2 at its final value |\n|---:|---:|---:|---:|---:|---:|"
    );
    for p in f.path.iter().filter(|p| p.mark) {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {:.3e} | {:.3e} |",
            p.iteration,
            fixed(p.w[0], 4),
            fixed(p.w[1], 4),
            fixed(p.w[2], 4),
            p.loss,
            p.loss_at_final_w2
        );
    }
    let (down, all) = downhill_steps(&f.path);
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "On the drawn slice, {down} of the path's {all} recorded segments go downhill (the slice holds w2 fixed at its final value, while the run moves w2 too, so early segments need not)."
    );
    if let (Some(first), Some(last)) = (f.path.first(), f.path.last()) {
        let _ = write!(s, "The loss falls from {:.3e} to {:.3e}.", first.loss, last.loss);
        if let Some((at, slope)) = boundary(&last.w) {
            let between = (0.0..1.0).contains(&at) && (0.0..1.0).contains(&(at + slope));
            let _ = write!(
                s,
                " At the end the decision boundary (output 0.5, x3 = 1) is the line x1 = −(w3 + w2·x2) / w1 = {} {} {}·x2{}.",
                fixed(at, 3),
                if slope < 0.0 { "−" } else { "+" },
                fixed(slope.abs(), 3),
                if between { ", between the rows with x1 = 0 and those with x1 = 1" } else { "" }
            );
        }
        let _ = writeln!(s);
        write_drift(f, &mut s);
    }
    s
}

/// The one-layer decision boundary `w1·x1 + w2·x2 + w3 = 0` (x3 = 1) as
/// `x1 = at + slope·x2`; `None` when w1 = 0.
fn boundary(w: &[f64; 3]) -> Option<(f64, f64)> {
    (w[0] != 0.0).then(|| (-w[2] / w[0], -w[1] / w[0]))
}

/// How w3 / w1 and the weights move between the marks from iteration 100 on:
/// the valley floor the picture shows is where the path is now, not where it stops.
/// (The study trains on the notebook's rows, whose targets are 0 and 1: no finite
/// weights reach loss 0.)
fn write_drift(f: &Findings, s: &mut String) {
    let marks: Vec<&PathPoint> = f.path.iter().filter(|p| p.mark && p.iteration >= 100 && p.w[0] != 0.0).collect();
    let [.., before, last] = marks[..] else { return };
    let ratios: Vec<String> = marks.iter().map(|p| fixed(p.w[2] / p.w[0], 3)).collect();
    let iterations: Vec<String> = marks.iter().map(|p| p.iteration.to_string()).collect();
    let _ = write!(
        s,
        "Along the path w3 / w1 is {} at iterations {}: the valley floor w3 ≈ {}·w1 of the picture is where the run is at the end, not a fixed line.",
        ratios.join(", "),
        iterations.join(", "),
        fixed(last.w[2] / last.w[0], 3)
    );
    let norm = |p: &PathPoint| p.w.iter().map(|w| w * w).sum::<f64>().sqrt();
    if norm(last) > norm(before) && last.loss < before.loss {
        let _ = write!(
            s,
            " Nor does the run stop: from iteration {} to {} the weights grow (|w| from {} to {}) and the loss still falls, ever more slowly, since it only reaches 0 as the weights go to infinity.",
            before.iteration,
            last.iteration,
            fixed(norm(before), 2),
            fixed(norm(last), 2)
        );
    }
    let _ = writeln!(s, "\n");
}

#[derive(Serialize)]
struct GridRow {
    w1: f64,
    w3: f64,
    loss: f64,
}

#[derive(Serialize)]
struct PathRow {
    iteration: u64,
    w1: f64,
    w2: f64,
    w3: f64,
    loss: f64,
    loss_at_final_w2: f64,
    mark: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(iterations: u64) -> Plan {
        Plan::for_tests(iterations)
    }

    #[test]
    fn marks_are_log_spaced() {
        assert_eq!(mark_iterations(50_000), vec![0, 1, 10, 100, 1000, 10_000, 50_000]);
        assert_eq!(mark_iterations(100), vec![0, 1, 10, 100]);
        assert_eq!(mark_iterations(0), vec![0]);
    }

    #[test]
    fn the_notebook_path_ends_at_the_notebook_weights() {
        let f = findings(&plan(50_000));
        let first = f.path.first().unwrap();
        let last = f.path.last().unwrap();
        // np.random.seed(1); 2*np.random.random((3,1)) - 1 → [-0.16595599, 0.44064899, -0.99977125];
        // after 50000 steps the notebook prints [[11.30926129], [-0.20509237], [-5.45001623]].
        assert_eq!((first.iteration, last.iteration), (0, 50_000));
        for (got, want) in first.w.iter().zip([-0.16595599, 0.44064899, -0.99977125]) {
            assert!((got - want).abs() < 5e-9, "{got} vs {want}");
        }
        for (got, want) in last.w.iter().zip([11.30926129, -0.20509237, -5.45001623]) {
            assert!((got - want).abs() < 5e-9, "{got} vs {want}");
        }
        assert_eq!(f.final_w2, last.w[1]);
        assert!(grid_contains_path(&f));
        assert_eq!(f.grid.len(), GRID_W1 * GRID_W3);
        assert_eq!(f.path.iter().filter(|p| p.mark).count(), 7);
        // On the slice through the final w2, the last point's loss is the run's own loss.
        assert_eq!(last.loss, last.loss_at_final_w2);
    }

    #[test]
    fn grid_loss_is_the_formula() {
        // w = (0, *, 0): every output σ(0) = 0.5, L = ½·4·0.25 = 0.5 for targets 0, 1, 1, 0.
        let data = Dataset::notebook();
        assert_eq!(loss(&data, [0.0, 0.0, 0.0]), 0.5);
        // The loss at the end of the notebook's run is small: the four outputs
        // [0.00427786, 0.99650929, 0.99715472, 0.00348739] give ½Σe² ≈ 2.3e-5.
        let f = findings(&plan(50_000));
        let last = f.path.last().unwrap();
        let e = [0.00427786, 1.0 - 0.99650929, 1.0 - 0.99715472, 0.00348739];
        let expected = 0.5 * e.iter().map(|x| x * x).sum::<f64>();
        assert!((last.loss - expected).abs() < 1e-10, "{} vs {expected}", last.loss);
        // Gradient descent went downhill on the slice from start to end.
        assert!(last.loss_at_final_w2 < f.path[0].loss_at_final_w2);
    }

    #[test]
    fn the_boundary_is_the_line_where_the_sum_is_zero() {
        // w = (2, -1, -1): 2·x1 − x2 − 1 = 0 ⇔ x1 = 0.5 + 0.5·x2.
        assert_eq!(boundary(&[2.0, -1.0, -1.0]), Some((0.5, 0.5)));
        assert_eq!(boundary(&[0.0, 1.0, 1.0]), None);
    }

    #[test]
    fn downhill_counts_segments() {
        let p = |t, l| PathPoint { iteration: t, w: [0.0; 3], loss: l, loss_at_final_w2: l, mark: false };
        assert_eq!(downhill_steps(&[p(0, 1.0), p(1, 0.5), p(2, 0.7), p(3, 0.1)]), (2, 3));
        assert_eq!(downhill_steps(&[]), (0, 0));
    }
}
