//! Data sets other than the notebook's: the 16 Boolean functions, tables of up
//! to 16 rows, and NumPy's own runs on them (`scripts/numpy_reference.py`).
//!
//! Reference values were produced with NumPy 2.4.6 (OpenBLAS 0.3.31) by
//! `scripts/numpy_reference.py` (the notebook's loop on the chosen data), printing
//! `repr(float(v))`; one-layer runs are compared bit for bit where they agree bit
//! for bit (each test says), two-layer runs to 1e-9 relative (OpenBLAS sums `h·W2`
//! and `hᵀd2` with fused multiply-adds; see the README).

use approx::assert_relative_eq;
use perceptron::{
    Architecture, BooleanFunction, Config, DataError, Dataset, MAX_ROWS, Schedule, ValidConfig, train, train_batch,
    train_reference,
};

/// The six-row table of the agreement test below, as written to `table6.csv`:
/// `x1,x2,x3,y` / `0,0,1,0.25` / `1,1,1,1` / `0.5,-1.5,1,0.75` / `-2,0.5,1,0` /
/// `1,0,1,0.5` / `0,1,1,0.1`.
fn table6() -> Dataset {
    let rows = vec![
        ([0.0, 0.0, 1.0], 0.25),
        ([1.0, 1.0, 1.0], 1.0),
        ([0.5, -1.5, 1.0], 0.75),
        ([-2.0, 0.5, 1.0], 0.0),
        ([1.0, 0.0, 1.0], 0.5),
        ([0.0, 1.0, 1.0], 0.1),
    ];
    Dataset::new("table6.csv", rows).unwrap()
}

fn weights(config: &ValidConfig) -> Vec<f64> {
    let fast = train(config, &Schedule::Off);
    let reference = train_reference(config, &Schedule::Off);
    assert_eq!(fast.network, reference.network, "fast path and reference differ");
    fast.network.weights().collect()
}

#[test]
fn one_layer_xor_ends_at_numpys_fixed_point() {
    // python3 scripts/numpy_reference.py --data xor   (seed 1, 50000 iterations, --exp libm)
    // i.e. the notebook's loop with y = [[0], [0], [1], [1]]:
    //   outputs = sigmoid(np.dot(x, w)); errors = y - outputs
    //   deltaw = np.dot(x.T, errors * sigmoid_prime(outputs)); w += deltaw
    // -> layers [[2.0816681711721685e-16], [2.220446049250313e-16], [-3.0531133177191805e-16]],
    //    outputs [0.5, 0.5, 0.5, 0.5], prediction 0.5000000000000001
    // One layer cannot separate xor: the weights walk to 0 and every output to 0.5.
    // There the weights are rounding noise, so they show any difference in `exp`:
    // NumPy's own AVX-512 `np.exp` (`--exp numpy` on an AVX-512 CPU) ends at
    // [2.3592239273284576e-16, 2.220446049250313e-16, -3.3306690738754696e-16];
    // with the C library's exp (as this crate) NumPy agrees bit for bit (issue 12).
    let xor = BooleanFunction::Xor.dataset();
    let config = Config::default().check_on(&xor).unwrap();
    let numpy = [2.0816681711721685e-16, 2.220446049250313e-16, -3.0531133177191805e-16];
    assert_eq!(weights(&config), numpy);
    let run = train(&config, &Schedule::Off);
    assert_eq!(run.network.forward(config.dataset().inputs()).to_vec(), [0.5; 4]);
    assert_eq!(run.network.predict([1.0, 0.0, 0.0]), 0.5000000000000001);
}

#[test]
fn two_layer_xor_agrees_with_numpy() {
    // python3 scripts/numpy_reference.py --data xor --hidden 2 --seed 2 --iterations 5000
    //   h = sigmoid(np.dot(x, w1)); o = sigmoid(np.dot(h, w2)); d2 = (y - o) * sigmoid_prime(o)
    //   d1 = np.dot(d2, w2.T) * sigmoid_prime(h); w2 += np.dot(h.T, d2); w1 += np.dot(x.T, d1)
    // -> layers [[-8.490761471259901, -6.073898115853473], [8.497324644020447, 6.006143791060976],
    //            [1.3815904197206432, -3.173514480071132]], [[-5.460654842731493], [10.079164273474484]]
    //    outputs [0.01871603822473778, 0.018150347570257085, 0.4991275777472998, 0.9830188890076594]
    // (row 2, (1,0) → 1, is still at 0.499 after 5000 steps.)
    let xor = BooleanFunction::Xor.dataset();
    let config = Config { seed: 2, iterations: 5000, architecture: Architecture::two_layer(2), ..Config::default() };
    let config = config.check_on(&xor).unwrap();
    let want = [
        -8.490761471259901,
        -6.073898115853473,
        8.497324644020447,
        6.006143791060976,
        1.3815904197206432,
        -3.173514480071132,
        -5.460654842731493,
        10.079164273474484,
    ];
    for (got, want) in weights(&config).iter().zip(want) {
        assert_relative_eq!(*got, want, max_relative = 1e-9);
    }
    let outputs = train(&config, &Schedule::Off).network.forward(config.dataset().inputs());
    let want = [0.01871603822473778, 0.018150347570257085, 0.4991275777472998, 0.9830188890076594];
    for (got, want) in outputs.iter().zip(want) {
        assert_relative_eq!(*got, want, max_relative = 1e-9);
    }
}

#[test]
fn six_row_table_with_a_removed_row_agrees_with_numpy_bit_for_bit() {
    // python3 scripts/numpy_reference.py --data table6.csv --seed 7 --iterations 3000 \
    //     --remove-rows 2 --learning-rate 0.5 --predict 0.5,0.5,1
    // (x, y = table[keep, :3], table[keep, 3:]; the one-layer loop with w += 0.5 * deltaw)
    // -> layers [[4.541673393255763], [2.599949826481991], [-4.485077467223551]]
    //    outputs [0.01115028321614687, 0.934413290090259, 4.697622453823933e-06,
    //             0.5141452060018551, 0.13180101155988475], prediction 0.2861277046540572
    let config = Config { seed: 7, iterations: 3000, learning_rate: 0.5, removed_rows: vec![2], ..Config::default() };
    let config = config.check_on(&table6()).unwrap();
    assert_eq!(config.dataset().rows(), &[0, 1, 3, 4, 5]);
    assert_eq!(weights(&config), [4.541673393255763, 2.599949826481991, -4.485077467223551]);
    let run = train(&config, &Schedule::Off);
    let outputs = run.network.forward(config.dataset().inputs()).to_vec();
    assert_eq!(
        outputs,
        [0.01115028321614687, 0.934413290090259, 4.697622453823933e-06, 0.5141452060018551, 0.13180101155988475]
    );
    assert_eq!(run.network.predict([0.5, 0.5, 1.0]), 0.2861277046540572);
}

/// Every architecture the fast path stores differently: one layer, H = 1, 2, 4, 8
/// (fixed-size storage) and 3 (`Vec` storage).
const ARCHITECTURES: [Architecture; 6] = [
    Architecture::OneLayer,
    Architecture::two_layer(1),
    Architecture::two_layer(2),
    Architecture::two_layer(3),
    Architecture::two_layer(4),
    Architecture::two_layer(8),
];

/// Fast path (one run, and 3 seeds in lanes) and the ndarray reference, 700 steps
/// on `n` rows made by `input(i)`: the configurations whose weights differ, and
/// the largest relative difference.
fn fast_against_reference(n: usize, input: impl Fn(usize) -> [f64; 3]) -> (Vec<String>, f64) {
    let rows = (0..n).map(|i| (input(i), (i % 2) as f64)).collect();
    let data = Dataset::new(format!("{n} rows"), rows).unwrap();
    let (mut differ, mut largest) = (Vec::new(), 0.0f64);
    for architecture in ARCHITECTURES {
        let config =
            |seed| Config { seed, iterations: 700, architecture, ..Config::default() }.check_on(&data).unwrap();
        let seeds = [0, 1, 2];
        let batch = train_batch(&config(0), &seeds, &Schedule::Off, &[]);
        for (run, seed) in batch.iter().zip(seeds) {
            let single = train(&config(seed), &Schedule::Off);
            let reference = train_reference(&config(seed), &Schedule::Off);
            for fast in [&run.network, &single.network] {
                if *fast != reference.network {
                    differ.push(format!("{n} rows, {}, seed {seed}", architecture.label()));
                }
                for (a, b) in fast.weights().zip(reference.network.weights()) {
                    largest = largest.max((a - b).abs() / a.abs().max(b.abs()));
                }
            }
        }
    }
    (differ, largest)
}

#[test]
fn fast_path_matches_the_reference_bit_for_bit_up_to_sixteen_rows() {
    // Inputs in {−1, 0, 0.5, 1, 2}: every product x·w is exact, so a fused
    // multiply-add rounds as a multiply then an add (see the next test).
    let dyadic = [-1.0, 0.0, 0.5, 1.0, 2.0];
    for n in 1..=MAX_ROWS {
        let (differ, _) = fast_against_reference(n, |i| [dyadic[i % 5], dyadic[(i / 5 + 2 * i) % 5], 1.0]);
        assert!(differ.is_empty(), "fast path differs from the reference: {differ:?}");
    }
}

#[test]
fn fast_path_matches_the_reference_bit_for_bit_where_products_round() {
    // With inputs whose products x·w round (here x1 = i/4 − 1 + 0.1 and
    // x2 = 0.1·i), the reference's two-layer products `X·W1` and `Xᵀd1` go
    // through ndarray's matrix product (the matrixmultiply crate), whose kernel
    // uses fused multiply-adds when the CPU has them, and the fast path fuses
    // them where it does; the one-layer model and `h·W2`, `hᵀd2` are
    // matrix–vector products, a multiply then an add in both.
    let (differ, largest) = fast_against_reference(9, |i| [i as f64 / 4.0 - 1.0 + 0.1, 0.1 * i as f64, 1.0]);
    assert!(differ.is_empty(), "fast path differs from the reference by up to {largest:e} relative: {differ:?}");
}

#[test]
fn functions_have_their_truth_tables() {
    // Rows (x1, x2) = (0,0), (1,1), (1,0), (0,1); written out by hand from each name.
    #[track_caller]
    fn check(name: &str, want: [f64; 4]) {
        let f = BooleanFunction::from_name(name).unwrap();
        assert_eq!((f.name(), f.targets()), (name, want));
        assert_eq!(f.dataset().targets().to_vec(), want);
    }
    check("false", [0.0, 0.0, 0.0, 0.0]);
    check("and", [0.0, 1.0, 0.0, 0.0]);
    check("x1-and-not-x2", [0.0, 0.0, 1.0, 0.0]);
    check("x1", [0.0, 1.0, 1.0, 0.0]);
    check("not-x1-and-x2", [0.0, 0.0, 0.0, 1.0]);
    check("x2", [0.0, 1.0, 0.0, 1.0]);
    check("xor", [0.0, 0.0, 1.0, 1.0]);
    check("or", [0.0, 1.0, 1.0, 1.0]);
    check("nor", [1.0, 0.0, 0.0, 0.0]);
    check("xnor", [1.0, 1.0, 0.0, 0.0]);
    check("not-x2", [1.0, 0.0, 1.0, 0.0]);
    check("x1-or-not-x2", [1.0, 1.0, 1.0, 0.0]);
    check("not-x1", [1.0, 0.0, 0.0, 1.0]);
    check("not-x1-or-x2", [1.0, 1.0, 0.0, 1.0]);
    check("nand", [1.0, 0.0, 1.0, 1.0]);
    check("true", [1.0, 1.0, 1.0, 1.0]);
    let mut tables: Vec<[u64; 4]> = BooleanFunction::ALL.iter().map(|f| f.targets().map(|y| y as u64)).collect();
    tables.sort_unstable();
    tables.dedup();
    assert_eq!(tables.len(), 16, "ALL holds 16 different functions, in order");
    assert_eq!(Dataset::notebook(), BooleanFunction::X1.dataset());
}

#[test]
fn linear_separability_matches_a_search_for_a_separating_line() {
    // f is linearly separable iff some a·x1 + b·x2 + c is > 0 on its 1s and < 0 on
    // its 0s; for two binary inputs integer a, b, c in -3..=3 suffice
    // (e.g. and: 2·x1 + 2·x2 − 3).
    let separates = |f: BooleanFunction, a: f64, b: f64, c: f64| {
        perceptron::NOTEBOOK_INPUTS.iter().zip(f.targets()).all(|(x, y)| (a * x[0] + b * x[1] + c > 0.0) == (y == 1.0))
    };
    let grid = || (-3..=3).map(f64::from);
    for f in BooleanFunction::ALL {
        let found = grid().any(|a| grid().any(|b| grid().any(|c| separates(f, a, b, c))));
        assert_eq!(f.is_linearly_separable(), found, "{f}");
    }
    let inseparable: Vec<&str> =
        BooleanFunction::ALL.iter().filter(|f| !f.is_linearly_separable()).map(|f| f.name()).collect();
    assert_eq!(inseparable, ["xor", "xnor"]);
}

#[test]
fn tables_are_validated() {
    let row = |y: f64| ([0.0, 1.0, 1.0], y);
    assert_eq!(Dataset::new("t", vec![]), Err(DataError::Empty));
    assert_eq!(Dataset::new("t", vec![row(0.0); 17]), Err(DataError::TooManyRows { got: 17, max: 16 }));
    assert_eq!(Dataset::new("t", vec![row(0.0); 16]).map(|d| d.len()), Ok(16));
    assert_eq!(Dataset::new("t", vec![row(0.0), row(1.5)]), Err(DataError::Target { row: 1, value: 1.5 }));
    assert_eq!(Dataset::new("t", vec![row(-0.0), row(1.0)]).map(|d| d.len()), Ok(2));
    assert!(matches!(Dataset::new("t", vec![row(f64::NAN)]), Err(DataError::Target { row: 0, .. })));
    let inf = Dataset::new("t", vec![row(0.0), ([0.0, f64::INFINITY, 1.0], 0.0)]);
    assert_eq!(inf, Err(DataError::NotFinite { row: 1, column: 1, value: f64::INFINITY }));
    assert_eq!(inf.unwrap_err().to_string(), "row 1, x2: expected a finite number, got inf");
}

#[test]
fn removing_rows_of_a_larger_table() {
    let d = table6().remove_rows(&[5, 0]).unwrap();
    assert_eq!((d.rows(), d.removed_rows(), d.name()), (&[1, 2, 3, 4][..], vec![0, 5], "table6.csv"));
    assert_eq!(d.targets().to_vec(), [1.0, 0.75, 0.0, 0.5]);
    assert_eq!(d.table().len(), 6);
    let err = table6().remove_rows(&[6]).unwrap_err();
    assert_eq!(err.to_string(), "cannot remove row 6: the data set has rows 0..=5");
    // Removal starts from the full table each time.
    assert_eq!(d.remove_rows(&[1]).unwrap().rows(), &[0, 2, 3, 4, 5]);
}
