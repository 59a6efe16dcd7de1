//! Text formatting shared by the subcommands: matrices printed as NumPy prints
//! them (`[[-0.16595599] [ 0.44064899] …]`, 8 decimals, aligned), and data
//! printed so that every value reads back to the same number ([`exact_matrix`]).

use ndarray::Array2;

/// A matrix in NumPy's layout with `decimals` digits after the point.
pub fn matrix(m: &Array2<f64>, decimals: usize) -> String {
    let cells: Vec<String> = m.iter().map(|v| format!("{v:.decimals$}")).collect();
    aligned(&cells, m.ncols())
}

/// `cells` (row-major, `cols` to a row) right-aligned in NumPy's brackets.
fn aligned(cells: &[String], cols: usize) -> String {
    let width = cells.iter().map(String::len).max().unwrap_or(0);
    let rows: Vec<String> = cells
        .chunks(cols.max(1))
        .map(|row| format!("[{}]", row.iter().map(|c| format!("{c:>width$}")).collect::<Vec<_>>().join(" ")))
        .collect();
    format!("[{}]", rows.join("\n "))
}

/// A matrix of data, every cell reading back to its value: whole numbers as
/// NumPy prints an integer array (`[[0 0 1] …]`, the notebook's look) when
/// every value is one (below 2^53 in size, and no `−0`), else each value in its
/// shortest round-trip form (`0.25`, `-1.5`, `1e300`, `-0.0`, as `--json` writes it).
pub fn exact_matrix(m: &Array2<f64>) -> String {
    let whole =
        m.iter().all(|v| v.fract() == 0.0 && v.abs() < 9_007_199_254_740_992.0 && !(*v == 0.0 && v.is_sign_negative()));
    if whole {
        return matrix(m, 0);
    }
    let cells: Vec<String> = m.iter().map(|v| format!("{v:?}")).collect();
    aligned(&cells, m.ncols())
}

#[cfg(test)]
mod tests {
    #[test]
    fn numpy_like_layout() {
        let m = ndarray::array![[-0.16595599], [0.44064899]];
        assert_eq!(super::matrix(&m, 8), "[[-0.16595599]\n [ 0.44064899]]");
    }

    #[test]
    fn data_reads_back_exactly() {
        // The notebook's integer look where every value is whole.
        let notebook = ndarray::array![[0.0, 0.0, 1.0], [1.0, 1.0, 1.0]];
        assert_eq!(super::exact_matrix(&notebook), "[[0 0 1]\n [1 1 1]]");
        let m = ndarray::array![[0.0, 0.0, 1.0], [0.5, -1.5, 1e300], [-0.0, 1e-7, 2.0]];
        let text = super::exact_matrix(&m);
        assert_eq!(text, "[[  0.0   0.0   1.0]\n [  0.5  -1.5 1e300]\n [ -0.0  1e-7   2.0]]");
        let back: Vec<f64> =
            text.split(|c: char| "[] \n".contains(c)).filter(|s| !s.is_empty()).map(|s| s.parse().unwrap()).collect();
        assert!(back.iter().zip(&m).all(|(a, b)| a.to_bits() == b.to_bits()), "{text}");
    }
}
