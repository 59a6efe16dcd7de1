//! What the hidden units of the surfaces' two-layer `xor` network learned:
//! `hidden_units.csv`, `hidden_units.svg` and the sentence that names them.
//!
//! Unit `j` outputs `h_j(x1, x2) = σ(x·W1[:, j])` with `x = (x1, x2, 1)`, and the
//! network `o = σ(Σ_j W2[j]·h_j)`. On the four training rows, thresholded at 0.5
//! (above: 1), each computes one of the 16 Boolean functions
//! (`perceptron::BooleanFunction`), or none when its surface is flat
//! ([`computes`]; `serve`'s page names the units by the same rule). The picture is a small multiple: each unit's
//! output and the network's over `[−0.5, 1.5]²`, on the fine grid of
//! `surfaces.svg` ([`FINE`]² points, [`fine_coordinate`]), drawn as its heat
//! maps are (orange = 0, white = 0.5, blue = 1, the same bands), each with its
//! 0.5 contour and the rows marked by their thresholded value (`plot.rs`).

mod plot;

use std::fmt::Write;

use anyhow::Result;
use ndarray::Array2;
use perceptron::{BooleanFunction, NOTEBOOK_INPUTS, Network};
use serde::Serialize;

use super::{FINE, fine_coordinate, is_flat};
use crate::sweep::numbers::fixed;
use crate::sweep::study::truth_tables::truth_table;
use crate::sweep::tables::to_csv;
pub use plot::plot;

/// One panel: a hidden unit, or the network's output.
#[derive(Clone, Debug)]
pub struct Unit {
    /// `Some(j)` for hidden unit `j`, `None` for the network's output.
    pub unit: Option<usize>,
    /// `W2[j]`, the unit's weight into the output (`None` for the output).
    pub weight: Option<f64>,
    /// `values[i][k]` at `(fine_coordinate(i), fine_coordinate(k))`.
    pub values: Vec<Vec<f64>>,
    /// The values on the notebook's rows, in their order.
    pub rows: [f64; 4],
    /// What the unit computes ([`computes`]): the function of its rows, or `None` when flat.
    pub function: Option<BooleanFunction>,
}

impl Unit {
    pub(super) fn name(&self) -> String {
        self.unit.map_or_else(|| "output o".to_owned(), |j| format!("unit {j}"))
    }
}

/// The Boolean function of four values on the notebook's rows: 1 where a value is above 0.5.
pub fn function_of(rows: [f64; 4]) -> BooleanFunction {
    let bits = rows.map(|v| if v > 0.5 { 1.0 } else { 0.0 });
    BooleanFunction::ALL.into_iter().find(|f| f.targets() == bits).expect("the 16 functions cover every 0/1 pattern")
}

/// What a unit computes, as the report and `serve`'s page name it: the
/// Boolean function of its values on the four rows, thresholded at 0.5
/// ([`function_of`]), or `None` ("none") when its surface `values` is flat
/// ([`is_flat`]): 0.5 up to rounding everywhere, where the threshold would
/// read rounding noise as a function.
pub fn computes(values: &[Vec<f64>], rows: [f64; 4]) -> Option<BooleanFunction> {
    if is_flat(values) { None } else { Some(function_of(rows)) }
}

/// The name of what a unit computes: the function's (`nor`, …) or `none`.
pub fn name_of(function: Option<BooleanFunction>) -> &'static str {
    function.map_or("none", BooleanFunction::name)
}

/// The truth table `f(00) f(01) f(10) f(11)` of what a unit computes, or `none`.
fn table_of(function: Option<BooleanFunction>) -> String {
    function.map_or_else(|| "none".to_owned(), truth_table)
}

/// Each hidden unit of a two-layer network, then its output, on the fine grid
/// of `surfaces.svg` and the rows (`None` for one layer).
pub fn units(net: &Network) -> Option<Vec<Unit>> {
    units_on(net, FINE, fine_coordinate)
}

/// [`units`] on the `n`×`n` grid `(at(i), at(k))` (`serve` uses the report's
/// coarse grid, `surfaces::GRID` points of `surfaces::coordinate`): the
/// core's own forward pass (`Network::hidden_layer`, `Network::forward`).
pub fn units_on(net: &Network, n: usize, at: fn(usize) -> f64) -> Option<Vec<Unit>> {
    let Network::TwoLayer { w2, .. } = net else { return None };
    let plane = super::plane_rows(n, at);
    let rows = Array2::from_shape_fn((4, 3), |(r, c)| NOTEBOOK_INPUTS[r][c]);
    let (h_plane, h_rows) = (net.hidden_layer(&plane)?, net.hidden_layer(&rows)?);
    let (o_plane, o_rows) = (net.forward(&plane), net.forward(&rows));
    let panel = |unit: Option<usize>, weight: Option<f64>, at: &dyn Fn(usize) -> f64, row: &dyn Fn(usize) -> f64| {
        let rows = [0, 1, 2, 3].map(row);
        let values: Vec<Vec<f64>> = (0..n).map(|i| (0..n).map(|k| at(i * n + k)).collect()).collect();
        Unit { unit, weight, function: computes(&values, rows), values, rows }
    };
    let mut out: Vec<Unit> =
        (0..w2.len()).map(|j| panel(Some(j), Some(w2[j]), &|p| h_plane[[p, j]], &|r| h_rows[[r, j]])).collect();
    out.push(panel(None, None, &|p| o_plane[p], &|r| o_rows[r]));
    Some(out)
}

/// A row of `hidden_units.csv`: one unit (or the output) on one training row.
#[derive(Serialize)]
struct UnitRow {
    /// `0`…`H−1`, or `output`.
    unit: String,
    x1: f64,
    x2: f64,
    x3: f64,
    /// `h_j` (or `o`) on the row.
    value: f64,
    above_half: bool,
    /// The function the unit computes on the four rows, and its truth table `f(00) f(01) f(10) f(11)`.
    function: &'static str,
    truth_table: String,
    /// `W2[j]` (empty for the output).
    w2: Option<f64>,
}

/// `hidden_units.csv`.
pub fn csv(units: &[Unit]) -> Result<Vec<u8>> {
    let rows: Vec<UnitRow> = units
        .iter()
        .flat_map(|u| {
            NOTEBOOK_INPUTS.iter().zip(u.rows).map(move |(x, value)| UnitRow {
                unit: u.unit.map_or_else(|| "output".to_owned(), |j| j.to_string()),
                x1: x[0],
                x2: x[1],
                x3: x[2],
                value,
                above_half: value > 0.5,
                function: name_of(u.function),
                truth_table: table_of(u.function),
                w2: u.weight,
            })
        })
        .collect();
    to_csv(&rows)
}

/// The report's paragraph on the units of the network `label` trained on `target`.
pub fn sentence(units: &[Unit], label: &str, target: BooleanFunction) -> String {
    let hidden: Vec<&Unit> = units.iter().filter(|u| u.unit.is_some()).collect();
    let Some(output) = units.iter().find(|u| u.unit.is_none()) else { return String::new() };
    let named: Vec<String> = hidden
        .iter()
        .map(|u| {
            format!(
                "unit {} computes {} (truth table {}, weight into the output W2[{}] = {})",
                u.unit.unwrap_or(0),
                name_of(u.function),
                table_of(u.function),
                u.unit.unwrap_or(0),
                fixed(u.weight.unwrap_or(f64::NAN), 2)
            )
        })
        .collect();
    let separable = hidden.iter().filter(|u| u.function.is_some_and(BooleanFunction::is_linearly_separable)).count();
    let mut s = format!(
        "**What the hidden units learned.** `hidden_units.svg` draws, over the same plane, each hidden unit's output \
         h_j = σ(x·W1[:, j]) of the {label} network on `{target}` above, beside the network's output o (their values \
         on the four rows are in `hidden_units.csv`). On the four rows, with each value thresholded at 0.5, {}. ",
        join(&named)
    );
    if separable == hidden.len() {
        let _ = write!(
            s,
            "Every one is linearly separable, as a single sigmoid unit's function must be: its 0.5 contour is a straight line. "
        );
    } else {
        let _ = write!(s, "{separable} of the {} are linearly separable. ", hidden.len());
    }
    // W2·h on each row: the output's input, whose sign decides o's side of 0.5.
    let sums: Vec<String> =
        (0..4).map(|r| fixed(hidden.iter().map(|u| u.weight.unwrap_or(0.0) * u.rows[r]).sum::<f64>(), 2)).collect();
    let names: Vec<String> = NOTEBOOK_INPUTS.iter().map(|x| format!("({}, {})", x[0], x[1])).collect();
    let _ = write!(
        s,
        "The output adds them: W2·h on {} is {}, so o = σ(W2·h) computes {} ({})",
        join(&names),
        join(&sums),
        name_of(output.function),
        table_of(output.function)
    );
    if output.function == Some(target) && separable == hidden.len() && !target.is_linearly_separable() {
        let _ = write!(s, ": `{target}`, which no single unit can compute, built from separable pieces.");
    } else {
        s.push('.');
    }
    s.push_str("\n\n![hidden units](hidden_units.svg)\n\n*To see:* every unit's 0.5 line is straight; only the output's bends.\n");
    s
}

/// `a, b and c`.
fn join(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use perceptron::{Architecture, Config, Schedule};

    #[test]
    fn functions_are_read_at_the_threshold() {
        // Rows (0,0), (1,1), (1,0), (0,1).
        assert_eq!(function_of([0.9, 0.1, 0.1, 0.1]), BooleanFunction::Nor);
        assert_eq!(function_of([0.1, 0.9, 0.9, 0.1]), BooleanFunction::X1);
        assert_eq!(function_of([0.5, 0.5, 0.5, 0.5]), BooleanFunction::False);
    }

    /// The surfaces' network: two layers H = 4 on xor, seed 1, 50000 steps at rate 1.
    #[test]
    fn xor_is_built_from_four_separable_units() {
        let config = Config { architecture: Architecture::two_layer(4), ..Config::default() }
            .check_on(&BooleanFunction::Xor.dataset())
            .expect("a valid config");
        let net = perceptron::train(&config, &Schedule::Off).network;
        let units = units(&net).expect("two layers");
        // NumPy on `train --data xor --hidden 4 --seed 1 --json`'s final W1:
        //   X = np.array([[0,0,1],[1,1,1],[1,0,1],[0,1,1.]]); h = 1/(1+np.exp(-(X@W1)))
        //   h → [[7.184605e-01 1.182149e-01 9.254472e-01 9.969420e-01]
        //        [9.510455e-01 2.506321e-02 3.177275e-05 1.169797e-01]
        //        [9.958833e-01 8.933544e-01 2.255760e-02 8.343733e-01]
        //        [1.700787e-01 4.112541e-04 1.680330e-02 8.955420e-01]]
        //   (h > 0.5).T → unit 0: 1, 1, 1, 0 on (0,0), (1,1), (1,0), (0,1): f(00) f(01) f(10) f(11) = 1011
        //   (x1-or-not-x2); unit 1: 0010 (x1-and-not-x2); unit 2: 1000 (nor); unit 3: 1110 (nand)
        let functions: Vec<&str> = units.iter().map(|u| name_of(u.function)).collect();
        assert_eq!(functions, ["x1-or-not-x2", "x1-and-not-x2", "nor", "nand", "xor"]);
        assert!((units[0].rows[0] - 7.184605e-01).abs() < 1e-6, "{:?}", units[0].rows);
        assert!((units[2].rows[1] - 3.177275e-05).abs() < 1e-10, "{:?}", units[2].rows);
        // The output panel agrees with the network's own forward pass.
        for (r, x) in NOTEBOOK_INPUTS.iter().enumerate() {
            assert_eq!(units[4].rows[r], net.predict(*x));
        }
        let s = sentence(&units, "two-layer H=4", BooleanFunction::Xor);
        assert!(s.contains("unit 2 computes nor (truth table 1000, weight into the output W2[2] = -10.25)"), "{s}");
        assert!(s.contains("built from separable pieces."), "{s}");
    }
}
