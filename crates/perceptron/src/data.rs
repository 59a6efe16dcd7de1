//! Training data: any table of rows `(x1, x2, x3) → y`, the notebook's own
//! table, and the 16 Boolean functions of `(x1, x2)` on the notebook's rows.
//!
//! A [`Dataset`] holds `X: [n, 3]` and `y: [n]` with `n` in `1..=MAX_ROWS`
//! (16), finite inputs and targets in `[0, 1]` (the sigmoid's range); the third
//! column is usually the constant bias input 1, but any finite value is kept as
//! given. Rows can be removed by 0-based index; the rows that remain keep their
//! order and remember their index in the full table.
//!
//! The notebook's table, rule "output = first input" ([`BooleanFunction::X1`]):
//!
//! | row | x1 | x2 | bias | y |
//! |-----|----|----|------|---|
//! | 0   | 0  | 0  | 1    | 0 |
//! | 1   | 1  | 1  | 1    | 1 |
//! | 2   | 1  | 0  | 1    | 1 |
//! | 3   | 0  | 1  | 1    | 0 |
//!
//! Its four rows hold every combination of `x1` and `x2`, so each of the 16
//! Boolean functions `f(x1, x2)` is a target vector on the same rows:
//! [`BooleanFunction::targets`] is `[f(0,0), f(1,1), f(1,0), f(0,1)]`.

use ndarray::{Array1, Array2};

use crate::ConfigError;

/// The notebook's `get_training_inputs()`.
pub const NOTEBOOK_INPUTS: [[f64; 3]; 4] = [[0.0, 0.0, 1.0], [1.0, 1.0, 1.0], [1.0, 0.0, 1.0], [0.0, 1.0, 1.0]];

/// The notebook's new input, `[1, 0, 0]` (note: bias input 0).
pub const NOTEBOOK_NEW_INPUT: [f64; 3] = [1.0, 0.0, 0.0];

/// The most rows a [`Dataset`] may have.
pub const MAX_ROWS: usize = 16;

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

/// The rule the notebook's data encodes: the output is the first input.
pub fn rule_target(input: &[f64; 3]) -> f64 {
    input[0]
}

/// One of the 16 Boolean functions `f(x1, x2)`.
///
/// Numbered by their truth table: bit 3 is `f(0,0)`, bit 2 `f(0,1)`, bit 1
/// `f(1,0)`, bit 0 `f(1,1)`, so [`BooleanFunction::ALL`] runs from `false`
/// (0000) through `and` (0001), `x1` (0011), `xor` (0110), `or` (0111), `nor`
/// (1000), `xnor` (1001), `nand` (1110) to `true` (1111).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BooleanFunction {
    /// Always 0.
    False,
    /// `x1 ∧ x2`.
    And,
    /// `x1 ∧ ¬x2`.
    X1AndNotX2,
    /// `x1`: the notebook's rule.
    X1,
    /// `¬x1 ∧ x2`.
    NotX1AndX2,
    /// `x2`.
    X2,
    /// `x1 ⊕ x2`.
    Xor,
    /// `x1 ∨ x2`.
    Or,
    /// `¬(x1 ∨ x2)`.
    Nor,
    /// `¬(x1 ⊕ x2)`.
    Xnor,
    /// `¬x2`.
    NotX2,
    /// `x1 ∨ ¬x2`.
    X1OrNotX2,
    /// `¬x1`.
    NotX1,
    /// `¬x1 ∨ x2`.
    NotX1OrX2,
    /// `¬(x1 ∧ x2)`.
    Nand,
    /// Always 1.
    True,
}

impl BooleanFunction {
    /// All 16, in truth-table order (see the type's doc).
    pub const ALL: [BooleanFunction; 16] = {
        use BooleanFunction::*;
        [False, And, X1AndNotX2, X1, NotX1AndX2, X2, Xor, Or, Nor, Xnor, NotX2, X1OrNotX2, NotX1, NotX1OrX2, Nand, True]
    };

    /// Its name on the command line: `false`, `and`, `x1-and-not-x2`, `x1`,
    /// `not-x1-and-x2`, `x2`, `xor`, `or`, `nor`, `xnor`, `not-x2`,
    /// `x1-or-not-x2`, `not-x1`, `not-x1-or-x2`, `nand`, `true`.
    pub fn name(self) -> &'static str {
        use BooleanFunction::*;
        match self {
            False => "false",
            And => "and",
            X1AndNotX2 => "x1-and-not-x2",
            X1 => "x1",
            NotX1AndX2 => "not-x1-and-x2",
            X2 => "x2",
            Xor => "xor",
            Or => "or",
            Nor => "nor",
            Xnor => "xnor",
            NotX2 => "not-x2",
            X1OrNotX2 => "x1-or-not-x2",
            NotX1 => "not-x1",
            NotX1OrX2 => "not-x1-or-x2",
            Nand => "nand",
            True => "true",
        }
    }

    /// The function with this [`name`](Self::name) (exact, lower case).
    ///
    /// ```
    /// use perceptron::BooleanFunction;
    /// assert_eq!(BooleanFunction::from_name("xor"), Some(BooleanFunction::Xor));
    /// assert_eq!(BooleanFunction::from_name("XOR"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.name() == name)
    }

    /// `f(x1, x2)`.
    pub fn eval(self, x1: bool, x2: bool) -> bool {
        let bit = 3 - (2 * usize::from(x1) + usize::from(x2));
        (self as usize >> bit) & 1 == 1
    }

    /// The targets on the notebook's rows, in their order:
    /// `[f(0,0), f(1,1), f(1,0), f(0,1)]`.
    pub fn targets(self) -> [f64; 4] {
        NOTEBOOK_INPUTS.map(|x| if self.eval(x[0] != 0.0, x[1] != 0.0) { 1.0 } else { 0.0 })
    }

    /// Whether one line `a·x1 + b·x2 + c = 0` separates its 1s from its 0s, so
    /// that the one-layer perceptron can learn it: all but `xor` and `xnor`.
    pub fn is_linearly_separable(self) -> bool {
        !matches!(self, BooleanFunction::Xor | BooleanFunction::Xnor)
    }

    /// The notebook's four rows with this function's targets, named by [`name`](Self::name).
    pub fn dataset(self) -> Dataset {
        let rows = NOTEBOOK_INPUTS.iter().zip(self.targets()).map(|(&x, y)| (x, y)).collect();
        Dataset::new(self.name(), rows).expect("four binary rows with 0/1 targets are a valid data set")
    }
}

impl std::fmt::Display for BooleanFunction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a table is not a valid [`Dataset`]. `row` is 0-based; `column` is 0 for
/// `x1`, 1 for `x2`, 2 for `x3` and 3 for the target `y`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DataError {
    /// No rows at all.
    #[error("a data set needs at least one row, got none")]
    Empty,
    /// More than [`MAX_ROWS`] rows.
    #[error("a data set has at most {max} rows, got {got}")]
    TooManyRows {
        /// How many rows were given.
        got: usize,
        /// [`MAX_ROWS`].
        max: usize,
    },
    /// An input that is NaN or infinite.
    #[error("row {row}, {}: expected a finite number, got {value}", COLUMNS[*.column])]
    NotFinite {
        /// 0-based row.
        row: usize,
        /// 0..=2.
        column: usize,
        /// The value given.
        value: f64,
    },
    /// A target outside `[0, 1]` (NaN included).
    #[error("row {row}, y: expected a target in [0, 1], got {value}")]
    Target {
        /// 0-based row.
        row: usize,
        /// The value given.
        value: f64,
    },
}

/// The column names of a data table, in order: `x1, x2, x3, y`.
pub const COLUMNS: [&str; 4] = ["x1", "x2", "x3", "y"];

/// Training rows `(x1, x2, x3) → y`: a full table and the rows of it in use.
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    name: String,
    table: Vec<([f64; 3], f64)>,
    inputs: Array2<f64>,
    targets: Array1<f64>,
    rows: Vec<usize>,
}

impl Dataset {
    /// A data set called `name` (e.g. `xor` or a file name) with every row in use.
    ///
    /// # Errors
    /// No rows, more than [`MAX_ROWS`], an input that is not finite, or a
    /// target outside `[0, 1]`; the first bad value found, row by row.
    ///
    /// ```
    /// use perceptron::{Dataset, DataError};
    /// let d = Dataset::new("half", vec![([0.0, 0.0, 1.0], 0.5)]).unwrap();
    /// assert_eq!((d.name(), d.len()), ("half", 1));
    /// assert_eq!(Dataset::new("bad", vec![([0.0, 0.0, 1.0], 2.0)]), Err(DataError::Target { row: 0, value: 2.0 }));
    /// ```
    pub fn new(name: impl Into<String>, table: Vec<([f64; 3], f64)>) -> Result<Self, DataError> {
        if table.is_empty() {
            return Err(DataError::Empty);
        }
        if table.len() > MAX_ROWS {
            return Err(DataError::TooManyRows { got: table.len(), max: MAX_ROWS });
        }
        for (row, (x, y)) in table.iter().enumerate() {
            if let Some(column) = x.iter().position(|v| !v.is_finite()) {
                return Err(DataError::NotFinite { row, column, value: x[column] });
            }
            if !(0.0..=1.0).contains(y) {
                return Err(DataError::Target { row, value: *y });
            }
        }
        let all: Vec<usize> = (0..table.len()).collect();
        Ok(Self::keep(name.into(), table, &all))
    }

    /// The notebook's four rows, all in use (the function [`BooleanFunction::X1`]).
    pub fn notebook() -> Self {
        BooleanFunction::X1.dataset()
    }

    /// The notebook's table without the given 0-based rows: shorthand for
    /// `Dataset::notebook().remove_rows(remove)`.
    ///
    /// # Errors
    /// As [`Dataset::remove_rows`].
    ///
    /// ```
    /// let d = perceptron::Dataset::without_rows(&[1, 2]).unwrap();
    /// assert_eq!(d.rows(), &[0, 3]);
    /// assert!(perceptron::Dataset::without_rows(&[4]).is_err());
    /// ```
    pub fn without_rows(remove: &[usize]) -> Result<Self, ConfigError> {
        Self::notebook().remove_rows(remove)
    }

    /// This data set's full table without the given 0-based rows (in any
    /// order); rows removed before are back unless listed again.
    ///
    /// # Errors
    /// An index past the table's last row, an index given twice, or every row removed.
    pub fn remove_rows(&self, remove: &[usize]) -> Result<Self, ConfigError> {
        let total = self.table.len();
        let mut removed = vec![false; total];
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
        Ok(Self::keep(self.name.clone(), self.table.clone(), &kept))
    }

    fn keep(name: String, table: Vec<([f64; 3], f64)>, rows: &[usize]) -> Self {
        let inputs = Array2::from_shape_fn((rows.len(), 3), |(i, j)| table[rows[i]].0[j]);
        let targets = Array1::from_shape_fn(rows.len(), |i| table[rows[i]].1);
        Self { name, table, inputs, targets, rows: rows.to_vec() }
    }

    /// The data set's name: a function's name (`x1`, `xor`, …) or what the caller gave.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Every row of the full table, removed or not: `((x1, x2, x3), y)`.
    pub fn table(&self) -> &[([f64; 3], f64)] {
        &self.table
    }

    /// `X: [n, 3]`, the kept rows in their original order.
    pub fn inputs(&self) -> &Array2<f64> {
        &self.inputs
    }

    /// `y: [n]`.
    pub fn targets(&self) -> &Array1<f64> {
        &self.targets
    }

    /// The 0-based indices of the kept rows in the full table, ascending.
    pub fn rows(&self) -> &[usize] {
        &self.rows
    }

    /// The indices of the removed rows, ascending.
    pub fn removed_rows(&self) -> Vec<usize> {
        (0..self.table.len()).filter(|r| !self.rows.contains(r)).collect()
    }

    /// Number of kept rows `n`, in `1..=MAX_ROWS`.
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

    /// The notebook's `get_training_outputs()`: `np.array([0, 1, 1, 0]).reshape(4, 1)`.
    const NOTEBOOK_TARGETS: [f64; 4] = [0.0, 1.0, 1.0, 0.0];

    #[test]
    fn training_rows_follow_the_rule() {
        for (x, y) in NOTEBOOK_INPUTS.iter().zip(NOTEBOOK_TARGETS) {
            assert_eq!(rule_target(x), y);
        }
        assert_eq!(BooleanFunction::X1.targets(), NOTEBOOK_TARGETS);
    }
}
