//! Text formatting shared by the subcommands: matrices printed as NumPy prints
//! them (`[[-0.16595599] [ 0.44064899] …]`, 8 decimals, aligned).

use ndarray::Array2;

/// A matrix in NumPy's layout with `decimals` digits after the point.
pub fn matrix(m: &Array2<f64>, decimals: usize) -> String {
    let cells: Vec<String> = m.iter().map(|v| format!("{v:.decimals$}")).collect();
    let width = cells.iter().map(String::len).max().unwrap_or(0);
    let cols = m.ncols();
    let rows: Vec<String> = cells
        .chunks(cols.max(1))
        .map(|row| format!("[{}]", row.iter().map(|c| format!("{c:>width$}")).collect::<Vec<_>>().join(" ")))
        .collect();
    format!("[{}]", rows.join("\n "))
}

#[cfg(test)]
mod tests {
    #[test]
    fn numpy_like_layout() {
        let m = ndarray::array![[-0.16595599], [0.44064899]];
        assert_eq!(super::matrix(&m, 8), "[[-0.16595599]\n [ 0.44064899]]");
    }
}
