//! The notebook's training set and the rule it encodes.
//!
//! Inputs `X: [4, 3]` (the third column is the constant bias input 1), targets
//! `y: [4]`, the rule being "output = first input":
//!
//! | row | x1 | x2 | bias | y |
//! |-----|----|----|------|---|
//! | 0   | 0  | 0  | 1    | 0 |
//! | 1   | 1  | 1  | 1    | 1 |
//! | 2   | 1  | 0  | 1    | 1 |
//! | 3   | 0  | 1  | 1    | 0 |
//!
//! A [`Dataset`] is this table with some rows removed (by 0-based index); it
//! always keeps at least one row, in the original order.

use ndarray::{Array1, Array2};

use crate::ConfigError;

/// The notebook's `get_training_inputs()`.
pub const NOTEBOOK_INPUTS: [[f64; 3]; 4] = [[0.0, 0.0, 1.0], [1.0, 1.0, 1.0], [1.0, 0.0, 1.0], [0.0, 1.0, 1.0]];

/// The notebook's `get_training_outputs()`.
pub const NOTEBOOK_TARGETS: [f64; 4] = [0.0, 1.0, 1.0, 0.0];

/// The notebook's new input, `[1, 0, 0]` (note: bias input 0).
pub const NOTEBOOK_NEW_INPUT: [f64; 3] = [1.0, 0.0, 0.0];

/// All 8 binary inputs `(x1, x2, x3)` in binary counting order, `x1` most significant.
pub const RULE_INPUTS: [[f64; 3]; 8] = [
    [0.0, 0.0, 0.0],
    [0.0, 0.0, 1.0],
    [0.0, 1.0, 0.0],
    [0.0, 1.0, 1.0],
    [1.0, 0.0, 0.0],
    [1.0, 0.0, 1.0],
    [1.0, 1.0, 0.0],
    [1.0, 1.0, 1.0],
];

/// The rule the data encodes: the output is the first input.
pub fn rule_target(input: &[f64; 3]) -> f64 {
    input[0]
}

/// The training rows in use: the notebook's table minus the removed rows.
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    inputs: Array2<f64>,
    targets: Array1<f64>,
    rows: Vec<usize>,
}

impl Dataset {
    /// All four rows of the notebook.
    pub fn notebook() -> Self {
        Self::keep(&[0, 1, 2, 3])
    }

    /// The notebook's table without the given 0-based rows (in any order).
    ///
    /// # Errors
    /// An index ≥ 4, an index given twice, or all four rows removed.
    ///
    /// ```
    /// let d = perceptron::Dataset::without_rows(&[1, 2]).unwrap();
    /// assert_eq!(d.rows(), &[0, 3]);
    /// assert!(perceptron::Dataset::without_rows(&[4]).is_err());
    /// ```
    pub fn without_rows(remove: &[usize]) -> Result<Self, ConfigError> {
        let total = NOTEBOOK_INPUTS.len();
        let mut removed = [false; 4];
        for &row in remove {
            if row >= total {
                return Err(ConfigError::RowOutOfRange { row, last: total - 1 });
            }
            if removed[row] {
                return Err(ConfigError::RepeatedRow { row });
            }
            removed[row] = true;
        }
        let kept: Vec<usize> = (0..total).filter(|&r| !removed[r]).collect();
        if kept.is_empty() {
            return Err(ConfigError::NoRowsLeft { rows: total });
        }
        Ok(Self::keep(&kept))
    }

    fn keep(rows: &[usize]) -> Self {
        let inputs = Array2::from_shape_fn((rows.len(), 3), |(i, j)| NOTEBOOK_INPUTS[rows[i]][j]);
        let targets = Array1::from_shape_fn(rows.len(), |i| NOTEBOOK_TARGETS[rows[i]]);
        Self { inputs, targets, rows: rows.to_vec() }
    }

    /// `X: [n, 3]`, the kept rows in their original order.
    pub fn inputs(&self) -> &Array2<f64> {
        &self.inputs
    }

    /// `y: [n]`.
    pub fn targets(&self) -> &Array1<f64> {
        &self.targets
    }

    /// The original 0-based indices of the kept rows, ascending.
    pub fn rows(&self) -> &[usize] {
        &self.rows
    }

    /// The original indices of the removed rows, ascending.
    pub fn removed_rows(&self) -> Vec<usize> {
        (0..NOTEBOOK_INPUTS.len()).filter(|r| !self.rows.contains(r)).collect()
    }

    /// Number of kept rows `n`, in `1..=4`.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Always false: a data set keeps at least one row.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(remove: &[usize], expected: Result<&[usize], ConfigError>) {
        let got = Dataset::without_rows(remove).map(|d| d.rows().to_vec());
        assert_eq!(got, expected.map(<[usize]>::to_vec), "removing {remove:?}");
    }

    #[test]
    fn removing_rows() {
        check(&[], Ok(&[0, 1, 2, 3]));
        check(&[2], Ok(&[0, 1, 3]));
        check(&[3, 0], Ok(&[1, 2]));
        check(&[0, 1, 2], Ok(&[3]));
        check(&[4], Err(ConfigError::RowOutOfRange { row: 4, last: 3 }));
        check(&[1, 1], Err(ConfigError::RepeatedRow { row: 1 }));
        check(&[0, 1, 2, 3], Err(ConfigError::NoRowsLeft { rows: 4 }));
    }

    #[test]
    fn kept_rows_keep_their_values() {
        let d = Dataset::without_rows(&[0, 3]).unwrap();
        assert_eq!(d.inputs(), &ndarray::array![[1.0, 1.0, 1.0], [1.0, 0.0, 1.0]]);
        assert_eq!(d.targets(), &ndarray::array![1.0, 1.0]);
        assert_eq!(d.removed_rows(), vec![0, 3]);
    }

    #[test]
    fn training_rows_follow_the_rule() {
        for (x, y) in NOTEBOOK_INPUTS.iter().zip(NOTEBOOK_TARGETS) {
            assert_eq!(rule_target(x), y);
        }
    }
}
