//! Decision surfaces: the trained network's output `o(x1, x2)` with `x3 = 1`
//! over the plane `[−0.5, 1.5]²`, on a [`GRID`]×[`GRID`] grid of step 0.05
//! (`x = (i − 10) / 20`, `i = 0..41`), for four panels: one layer and two layers
//! (H = [`HIDDEN`]) on the notebook's rule `x1` and on `xor`, seed [`SEED`], the
//! sweep's `--iterations` and learning rate (trained here on the fast path).
//! The picture is drawn from a [`FINE`]×[`FINE`] grid of step 0.0125 that
//! holds the coarse grid's points (every [`EVERY`]-th point).
//!
//! Files: `surfaces.csv` (panel, model, function, x1, x2, output: 4 × 41² rows,
//! the coarse grid) and `surfaces.svg` (2×2 heat maps, orange = 0, white = 0.5,
//! blue = 1, the 0.5 contour traced by marching squares on the fine grid unless
//! the surface [`is_flat`], the four training rows marked by their targets, and
//! a colour bar); `hidden/` adds what the hidden units of the two-layer `xor`
//! panel learned (`hidden_units.csv`, `hidden_units.svg`).

pub mod hidden;
mod plot;

use std::fmt::Write;

use anyhow::Result;
use ndarray::Array2;
use perceptron::{Architecture, BooleanFunction, Config, Network, Schedule};
use rayon::prelude::*;
use serde::Serialize;

use super::{About, FromPlan, Rendered};
use crate::sweep::numbers::{fixed, shortest};
use crate::sweep::plan::Plan;
use crate::sweep::runs::is_correct;
use crate::sweep::tables::to_csv;

/// Grid points per axis (`surfaces.csv` and the report).
pub const GRID: usize = 41;
/// Grid points per axis of the picture: every [`EVERY`]-th is a point of the coarse grid.
pub const FINE: usize = EVERY * (GRID - 1) + 1;
const EVERY: usize = 4;
/// A surface whose range (max − min) is below this is flat: its contours are rounding noise.
pub const FLAT: f64 = 1e-9;
/// The seed of every panel (the notebook's).
pub const SEED: u32 = 1;
/// The two-layer panels' hidden size.
pub const HIDDEN: usize = 4;
/// The panels' functions: the notebook's rule and xor.
const FUNCTIONS: [BooleanFunction; 2] = [BooleanFunction::X1, BooleanFunction::Xor];

static ABOUT: About = About {
    letter: None,
    title: "Decision surfaces",
    description: "Decision surfaces: o(x1, x2) on [−0.5, 1.5]² (41×41 in the CSV, 161×161 in the picture), one layer and H = 4 on `x1` and `xor`, seed 1, and what each hidden unit of the H = 4 `xor` network computes",
    files: &["surfaces.csv", "surfaces.svg", "hidden_units.csv", "hidden_units.svg"],
};

pub struct Surfaces;

/// The grid coordinate `i`: `(i − 10) / 20`, so `0 → −0.5`, `40 → 1.5`.
pub fn coordinate(i: usize) -> f64 {
    (i as f64 - 10.0) / 20.0
}

/// The fine grid's coordinate `i`: `(i − 40) / 80`, so `0 → −0.5`, `160 → 1.5`;
/// `fine_coordinate(4·i)` is `coordinate(i)`, the same double.
pub fn fine_coordinate(i: usize) -> f64 {
    (i as f64 - 40.0) / 80.0
}

/// The range of `values`, max − min (NaN if any is NaN).
pub fn range(values: &[Vec<f64>]) -> f64 {
    let all = values.iter().flatten();
    if all.clone().any(|v| v.is_nan()) {
        return f64::NAN;
    }
    let (lo, hi) = all.fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &v| (l.min(v), h.max(v)));
    hi - lo
}

/// Whether the surface `values` is flat: its [`range`] is below [`FLAT`] (e.g. one
/// layer on `xor`, 0.5 everywhere up to rounding), so no contour of it means anything.
pub fn is_flat(values: &[Vec<f64>]) -> bool {
    range(values) < FLAT
}

/// The points `(x1, x2, 1)` of the `n`×`n` grid `(at(i), at(j))` as the rows
/// of one matrix: row `i·n + j` is `(at(i), at(j), 1)`.
pub fn plane_rows(n: usize, at: fn(usize) -> f64) -> Array2<f64> {
    Array2::from_shape_fn((n * n, 3), |(p, c)| match c {
        0 => at(p / n),
        1 => at(p % n),
        _ => 1.0,
    })
}

/// What the report's rules say of one network's surfaces, for `serve`'s page:
/// whether its output surface is flat ([`is_flat`]: no 0.5 contour), and what
/// each hidden unit computes ([`hidden::computes`]) and whether its own surface
/// is flat. Both on the report's coarse grid ([`GRID`]² points of
/// [`coordinate`], as `surfaces.csv` and the report's sentences), from one
/// batched forward pass (`Network::forward`'s products).
#[derive(Clone, Debug, PartialEq)]
pub struct Drawn {
    /// The output surface `o(x1, x2)` is flat.
    pub flat: bool,
    /// Per hidden unit (none for one layer): what it computes, and whether its surface is flat.
    pub hidden: Vec<(Option<BooleanFunction>, bool)>,
}

/// [`Drawn`] for `net`.
pub fn drawn(net: &Network) -> Drawn {
    match hidden::units_on(net, GRID, coordinate) {
        Some(units) => {
            let (output, hidden) = units.split_last().expect("the output panel comes last");
            Drawn {
                flat: is_flat(&output.values),
                hidden: hidden.iter().map(|u| (u.function, is_flat(&u.values))).collect(),
            }
        }
        None => {
            let o = net.forward(&plane_rows(GRID, coordinate));
            let values: Vec<Vec<f64>> = o.exact_chunks(GRID).into_iter().map(|c| c.to_vec()).collect();
            Drawn { flat: is_flat(&values), hidden: Vec::new() }
        }
    }
}

/// One trained panel.
#[derive(Clone, Debug)]
pub struct Panel {
    pub architecture: Architecture,
    pub function: BooleanFunction,
    /// `values[i][j] = o(coordinate(i), coordinate(j))`.
    pub values: Vec<Vec<f64>>,
    /// `fine[i][j] = o(fine_coordinate(i), fine_coordinate(j))`, for the picture.
    pub fine: Vec<Vec<f64>>,
    /// The outputs on the notebook's rows, in their order.
    pub rows: [f64; 4],
    /// The trained weights (for `hidden_units.svg`).
    pub network: Network,
}

impl Panel {
    /// `max |o − 0.5|` over the grid.
    pub fn spread(&self) -> f64 {
        self.values.iter().flatten().fold(0.0f64, |m, &o| m.max((o - 0.5).abs()))
    }

    pub(super) fn title(&self) -> String {
        format!("{}, {} (seed {SEED})", self.architecture.label(), self.function)
    }
}

/// The output of `net` on the grid.
pub fn grid(net: &Network) -> Vec<Vec<f64>> {
    (0..GRID).map(|i| (0..GRID).map(|j| net.predict([coordinate(i), coordinate(j), 1.0])).collect()).collect()
}

/// The output of `net` on the fine grid.
fn fine_grid(net: &Network) -> Vec<Vec<f64>> {
    (0..FINE).map(|i| (0..FINE).map(|j| net.predict([fine_coordinate(i), fine_coordinate(j), 1.0])).collect()).collect()
}

/// Trains the four panels (one layer, H = 4) × (x1, xor), in that order.
pub fn findings(plan: &Plan) -> Result<Vec<Panel>> {
    let jobs: Vec<(Architecture, BooleanFunction)> = FUNCTIONS
        .into_iter()
        .flat_map(|f| [(Architecture::OneLayer, f), (Architecture::two_layer(HIDDEN), f)])
        .collect();
    jobs.par_iter()
        .map(|&(architecture, function)| {
            let data = function.dataset();
            let config = Config {
                seed: SEED,
                iterations: plan.iterations,
                learning_rate: plan.learning_rate,
                architecture,
                removed_rows: Vec::new(),
            }
            .check_on(&data)
            .map_err(|e| anyhow::anyhow!("surfaces: {e}"))?;
            let run = perceptron::train(&config, &Schedule::Off);
            Ok(Panel {
                architecture,
                function,
                values: grid(&run.network),
                fine: fine_grid(&run.network),
                rows: perceptron::NOTEBOOK_INPUTS.map(|x| run.network.predict(x)),
                network: run.network,
            })
        })
        .collect()
}

/// The conclusion drawn from one panel: the output range, the share of the
/// plane above 0.5 and the training rows on the right side.
fn panel_claim(p: &Panel) -> String {
    let all = p.values.iter().flatten();
    let (lo, hi) = all.clone().fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &v| (l.min(v), h.max(v)));
    let above = all.clone().filter(|&&v| v > 0.5).count();
    let total = all.count();
    let targets = p.function.targets();
    let right = p.rows.iter().zip(&targets).filter(|(o, y)| is_correct(**o, **y)).count();
    let rows: Vec<String> = p.rows.iter().map(|&o| fixed(o, 3)).collect();
    if is_flat(&p.values) {
        return format!(
            "{}: flat: the output is {} everywhere up to rounding (it spans {:.1e} over the plane, less than {FLAT:.0e}), so no 0.5 contour is drawn; {right} of 4 training rows on the right side (outputs at (0,0), (1,1), (1,0), (0,1): {}).{}",
            p.title(),
            fixed(lo, 3),
            range(&p.values),
            rows.join(", "),
            stationary(p)
        );
    }
    format!(
        "{}: output from {} to {} over the plane (largest |o − 0.5| = {}), above 0.5 on {above} of {total} grid \
         points; {right} of 4 training rows on the right side (outputs at (0,0), (1,1), (1,0), (0,1): {}).",
        p.title(),
        readable(lo),
        readable(hi),
        readable(p.spread()),
        rows.join(", ")
    )
}

/// Why a flat one-layer panel is flat, from its numbers: its weights end near
/// `w = 0`, where `o = ½` on every row and the gradient `−¼·Xᵀ(y − ½)` is zero
/// when each input column meets as many targets 1 as 0 (empty otherwise).
fn stationary(p: &Panel) -> String {
    let Network::OneLayer { w } = &p.network else { return String::new() };
    let data = p.function.dataset();
    let centred = data.targets().mapv(|y| y - 0.5);
    let pull = data.inputs().t().dot(&centred);
    if pull.iter().any(|&g| g != 0.0) {
        return String::new();
    }
    let largest = w.iter().fold(0.0f64, |m, &v| m.max(v.abs()));
    format!(
        " Its weights end within {largest:.1e} of w = 0, the symmetric stationary point: there o = ½ on every row, and the step Xᵀδ = ¼·Xᵀ(y − ½) is exactly 0, since each input column meets as many targets 1 as 0."
    )
}

/// Three decimals, or three significant digits when that would round to 0 or 1
/// (`1 − 2.17e-4` for 0.999783).
fn readable(v: f64) -> String {
    if v.abs() < 5e-4 {
        format!("{v:.2e}")
    } else if (1.0 - v).abs() < 5e-4 {
        format!("1 − {:.2e}", 1.0 - v)
    } else {
        fixed(v, 3)
    }
}

#[derive(Serialize)]
struct SurfaceRow {
    panel: usize,
    model: String,
    function: &'static str,
    x1: f64,
    x2: f64,
    output: f64,
}

impl FromPlan for Surfaces {
    fn about(&self) -> &'static About {
        &ABOUT
    }

    fn render(&self, plan: &Plan) -> Result<Rendered> {
        let panels = findings(plan)?;
        let rows: Vec<SurfaceRow> = panels
            .iter()
            .enumerate()
            .flat_map(|(k, p)| {
                p.values.iter().enumerate().flat_map(move |(i, col)| {
                    col.iter().enumerate().map(move |(j, &output)| SurfaceRow {
                        panel: k + 1,
                        model: p.architecture.label(),
                        function: p.function.name(),
                        x1: coordinate(i),
                        x2: coordinate(j),
                        output,
                    })
                })
            })
            .collect();
        let mut files = vec![("surfaces.csv", to_csv(&rows)?), ("surfaces.svg", plot::plot(&panels)?.into_bytes())];
        // The two-layer xor panel's hidden units (`hidden.rs`).
        let xor = panels.iter().find(|p| p.architecture.hidden().is_some() && p.function == BooleanFunction::Xor);
        let units = xor.and_then(|p| hidden::units(&p.network).map(|u| (p, u)));
        let (units, unit_sentence) = units.map_or_else(
            || (Vec::new(), String::new()),
            |(p, u)| {
                let s = hidden::sentence(&u, &p.architecture.label(), p.function);
                (u, s)
            },
        );
        let title = format!(
            "Hidden units of two-layer H = {HIDDEN} on xor (seed {SEED}): unit j is h = σ(x·W1[:, j]), the output o = σ(W2·h); x3 = 1"
        );
        files.push(("hidden_units.csv", hidden::csv(&units)?));
        let targets = xor.map_or([0.0; 4], |p| p.function.targets());
        files.push(("hidden_units.svg", hidden::plot(&units, targets, &title)?.into_bytes()));
        let mut s = String::new();
        let _ = writeln!(
            s,
            "The output o(x1, x2) with x3 = 1 over [−0.5, 1.5]² ({GRID}×{GRID} grid, step 0.05), after {} \
             iterations at learning rate {} from seed {SEED}: one layer and two layers (H = {HIDDEN}), on the \
             notebook's rule `x1` and on `xor`. One layer's output is σ(w1·x1 + w2·x2 + w3), so its 0.5 contour \
             is a straight line; the two-layer output bends it. Files: `surfaces.csv` (panel, model, function, \
             x1, x2, output), `surfaces.svg`.\n",
            plan.iterations,
            shortest(plan.learning_rate)
        );
        let _ = writeln!(
            s,
            "The picture is drawn from a finer {FINE}×{FINE} grid (step {}) that holds the CSV's points.\n",
            shortest((fine_coordinate(FINE - 1) - fine_coordinate(0)) / (FINE - 1) as f64)
        );
        let _ = writeln!(
            s,
            "![decision surfaces](surfaces.svg)\n\n*To see:* one layer's 0.5 line is straight; two layers bend it around xor's rows.\n"
        );
        for p in &panels {
            let _ = writeln!(s, "- {}", panel_claim(p));
        }
        let _ = writeln!(s);
        let _ = writeln!(s, "{unit_sentence}");
        Ok(Rendered { files, section: s })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Segments of the contour `o = level` on the coarse grid, in plane coordinates.
    fn contour(values: &[Vec<f64>], level: f64) -> Vec<[(f64, f64); 2]> {
        let xs: Vec<f64> = (0..values.len()).map(coordinate).collect();
        let ys: Vec<f64> = (0..values.first().map_or(0, Vec::len)).map(coordinate).collect();
        crate::sweep::plots::contour(&xs, &ys, &|i, j| values[i][j], level)
    }

    #[test]
    fn readable_numbers_near_zero_and_one() {
        assert_eq!(readable(0.25), "0.250");
        assert_eq!(readable(1.11e-5), "1.11e-5");
        assert_eq!(readable(0.999783), "1 − 2.17e-4");
    }

    #[test]
    fn panels_match_numpy() {
        let panels = findings(&Plan::for_tests(50_000)).expect("valid plan");
        assert_eq!(panels.len(), 4);
        // Panel 1, one layer on x1, seed 1, 50000 steps, at (x1, x2) = (1.5, −0.5) = grid (40, 0). NumPy:
        //   np.random.seed(1); w = 2*np.random.random((3,1)) - 1
        //   for _ in range(50000): o = sig(X@w); w += X.T@((y-o)*o*(1-o))   # y = [[0,1,1,0]]
        //   sig(np.array([1.5, -0.5, 1.0])@w)  → 0.999990983288829
        let o = panels[0].values[40][0];
        assert!((o - 0.999990983288829).abs() < 1e-12, "{o}");
        // Panel 3, one layer on xor: no line separates it, and gradient descent takes the
        // weights to 0, so o = σ(0) = 0.5 everywhere (to within rounding).
        assert!(panels[2].spread() < 1e-9, "{}", panels[2].spread());
        // Panel 4, two layers H = 4 on xor: learned, and the surface is not a half-plane.
        let p = &panels[3];
        let targets = p.function.targets();
        assert!(p.rows.iter().zip(&targets).all(|(o, y)| is_correct(*o, *y)), "{:?}", p.rows);
        assert!(contour(&p.values, 0.5).len() > GRID, "two branches of the contour");
    }

    #[test]
    fn coordinates_span_the_plane_in_steps_of_a_twentieth() {
        assert_eq!(coordinate(0), -0.5);
        assert_eq!(coordinate(10), 0.0);
        assert_eq!(coordinate(30), 1.0);
        assert_eq!(coordinate(GRID - 1), 1.5);
        assert_eq!(coordinate(13), 0.15); // the nearest double to 0.15, not 0.15000000000000002
    }

    #[test]
    fn the_fine_grid_holds_the_coarse_grid() {
        assert_eq!(FINE, 161);
        assert_eq!(fine_coordinate(0), -0.5);
        assert_eq!(fine_coordinate(FINE - 1), 1.5);
        for i in 0..GRID {
            assert_eq!(fine_coordinate(EVERY * i).to_bits(), coordinate(i).to_bits(), "{i}");
        }
        let panels = findings(&Plan::for_tests(1000)).expect("valid plan");
        for p in &panels {
            for i in 0..GRID {
                for j in 0..GRID {
                    assert_eq!(p.fine[EVERY * i][EVERY * j].to_bits(), p.values[i][j].to_bits());
                }
            }
        }
    }

    #[test]
    fn flat_means_a_range_below_a_billionth() {
        assert!(is_flat(&[vec![0.5, 0.5 + 1e-16], vec![0.5 - 2e-16, 0.5]]));
        assert!(!is_flat(&[vec![0.5, 0.5 + 2e-9]]));
        assert!(!is_flat(&[vec![0.5, f64::NAN]]), "NaN is not flat");
        assert_eq!(range(&[vec![0.25, 0.75], vec![0.5, 0.0]]), 0.75);
        // One layer on xor (panel 3) is flat: the weights decay towards 0 and o = σ(≈0) = 0.5;
        // the other three panels are not.
        let panels = findings(&Plan::for_tests(50_000)).expect("valid plan");
        let flat: Vec<bool> = panels.iter().map(|p| is_flat(&p.fine)).collect();
        assert_eq!(flat, [false, false, true, false]);
    }

    /// `serve`'s page follows the report: [`drawn`] calls flat exactly the
    /// panels whose grid the report calls flat, and names the hidden units as
    /// `hidden_units.csv` does (the fine grid's units, the coarse grid's here).
    #[test]
    fn the_page_rules_are_the_reports() {
        let panels = findings(&Plan::for_tests(50_000)).expect("valid plan");
        for p in &panels {
            let d = drawn(&p.network);
            assert_eq!(d.flat, is_flat(&p.values), "{}", p.title());
            let report: Vec<_> = hidden::units(&p.network)
                .map(|u| u[..u.len() - 1].iter().map(|u| u.function).collect())
                .unwrap_or_default();
            assert_eq!(d.hidden.iter().map(|h| h.0).collect::<Vec<_>>(), report, "{}", p.title());
            assert!(d.hidden.iter().all(|h| !h.1), "no unit of a trained panel is flat");
        }
        // Panel 3, one layer on xor, is flat; the H = 4 xor units are those of hidden_units.csv.
        assert_eq!(panels.iter().map(|p| drawn(&p.network).flat).collect::<Vec<_>>(), [false, false, true, false]);
        let names: Vec<&str> = drawn(&panels[3].network).hidden.iter().map(|h| hidden::name_of(h.0)).collect();
        assert_eq!(names, ["x1-or-not-x2", "x1-and-not-x2", "nor", "nand"]);
        // A unit with zero weights is 0.5 everywhere: flat, and it computes none.
        let net = Network::from_weights(Architecture::two_layer(2), &[0.0, 1.0, 0.0, -1.0, 0.0, 0.5, 1.0, 1.0]);
        let d = drawn(&net);
        assert_eq!((d.hidden[0], hidden::name_of(d.hidden[0].0)), ((None, true), "none"));
        assert!(!d.hidden[1].1 && d.hidden[1].0.is_some());
        // The batched grid of one layer is the report's grid, point by point.
        let one = &panels[0].network;
        let o = one.forward(&plane_rows(GRID, coordinate));
        let g = grid(one);
        assert!((0..GRID * GRID).all(|p| o[p].to_bits() == g[p / GRID][p % GRID].to_bits()));
    }

    #[test]
    fn the_contour_of_a_plane_is_the_line() {
        // o = x1 on the grid: the 0.5 contour is the vertical line x1 = 0.5.
        let values: Vec<Vec<f64>> = (0..GRID).map(|i| vec![coordinate(i); GRID]).collect();
        let segments = contour(&values, 0.5);
        assert_eq!(segments.len(), GRID - 1);
        for s in segments {
            for (x, _) in s {
                assert!((x - 0.5).abs() < 1e-12, "{x}");
            }
        }
    }

    #[test]
    fn one_layer_grid_matches_its_formula() {
        // w = (2, −1, 0.5): o(x1, x2) = σ(2·x1 − x2 + 0.5).
        let net = Network::from_weights(Architecture::OneLayer, &[2.0, -1.0, 0.5]);
        let g = grid(&net);
        let (x1, x2) = (coordinate(35), coordinate(3));
        assert!((g[35][3] - perceptron::sigmoid(2.0 * x1 - x2 + 0.5)).abs() < 1e-15);
    }

    #[test]
    fn panel_claim_counts_rows_and_grid_points() {
        let values: Vec<Vec<f64>> =
            (0..GRID).map(|i| vec![if coordinate(i) > 0.5 { 0.9 } else { 0.1 }; GRID]).collect();
        let p = Panel {
            architecture: Architecture::OneLayer,
            function: BooleanFunction::X1,
            fine: values.clone(),
            values,
            rows: [0.1, 0.9, 0.9, 0.6],
            network: Network::from_weights(Architecture::OneLayer, &[0.0; 3]),
        };
        let c = panel_claim(&p);
        // x1 > 0.5 on i = 21..=40: 20 columns × 41 points = 820; row (0,1) has target 0, output 0.6: wrong.
        assert_eq!(
            c,
            "one-layer, x1 (seed 1): output from 0.100 to 0.900 over the plane (largest |o − 0.5| = 0.400), above 0.5 on 820 of 1681 grid \
             points; 3 of 4 training rows on the right side (outputs at (0,0), (1,1), (1,0), (0,1): 0.100, \
             0.900, 0.900, 0.600)."
        );
    }

    #[test]
    fn a_flat_surface_is_called_flat_and_its_count_above_half_is_not_given() {
        // One layer on xor ends with weights near 1e-16: outputs 0.5 ± 1e-16.
        let values: Vec<Vec<f64>> = (0..GRID).map(|i| vec![0.5 + f64::from(i as u8 % 2) * 1e-16; GRID]).collect();
        assert!(is_flat(&values));
        let p = Panel {
            architecture: Architecture::OneLayer,
            function: BooleanFunction::Xor,
            network: Network::from_weights(Architecture::OneLayer, &[1e-16, -2e-16, 0.0]),
            fine: values.clone(),
            values,
            rows: [0.5; 4],
        };
        let c = panel_claim(&p);
        assert!(c.contains("flat: the output is 0.500 everywhere up to rounding"), "{c}");
        assert!(!c.contains("above 0.5 on"), "{c}");
        assert!(!is_flat(&[vec![0.5, 0.5 + 2e-9]]));
    }
}
