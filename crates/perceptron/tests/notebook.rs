//! The notebook's printed numbers, reproduced from its own NumPy lines, and a few
//! two-layer runs checked against NumPy's own run of the same formulas.
//!
//! Reference values were produced with NumPy 2.4.6 (OpenBLAS 0.3.31) by the
//! notebook's code, printing `repr(float(v))` of each entry; the notebook itself
//! prints them rounded to 8 digits, which the tests also check.

use approx::assert_relative_eq;
use perceptron::{Architecture, Config, Dataset, NOTEBOOK_NEW_INPUT, Network, Schedule, train, train_reference};

/// The notebook's `np.random.seed(1); get_init_weights()`:
/// `np.random.uniform(-1.0, 1.0, size=(3, 1))`, printed as
/// `[[-0.16595599] [ 0.44064899] [-0.99977125]]`.
const INITIAL: [f64; 3] = [-0.165_955_990_594_852, 0.440_648_986_884_316_2, -0.999_771_250_365_310_2];

#[track_caller]
fn assert_close(got: &[f64], want: &[f64], epsilon: f64) {
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(want) {
        assert_relative_eq!(*g, *w, max_relative = epsilon, epsilon = epsilon);
    }
}

/// `format!("{:.8}")` as NumPy prints an (n, 1) float array.
fn printed(values: &[f64]) -> Vec<String> {
    values.iter().map(|v| format!("{v:.8}")).collect()
}

#[test]
fn initial_weights() {
    let w: Vec<f64> = Network::init(Architecture::OneLayer, 1).weights().collect();
    assert_eq!(w, INITIAL);
    assert_eq!(printed(&w), ["-0.16595599", "0.44064899", "-0.99977125"]);
}

#[test]
fn one_step_outputs() {
    // outputs = training_one_step(inputs_t, outputs_t, weights)  # sigmoid(np.dot(inputs, weights))
    // [repr(float(v)) for v in outputs.ravel()]; the notebook prints
    // [[0.2689864 ] [0.3262757 ] [0.23762817] [0.36375058]]
    let want = [0.268_986_398_654_958_5, 0.326_275_698_511_081_7, 0.237_628_173_717_844_12, 0.363_750_575_326_337_4];
    let net = Network::init(Architecture::OneLayer, 1);
    let got = net.forward(Dataset::notebook().inputs()).to_vec();
    assert_close(&got, &want, 1e-12);
    assert_eq!(printed(&got), ["0.26898640", "0.32627570", "0.23762817", "0.36375058"]);
}

#[test]
fn after_50000_steps() {
    // NITER = 50000; outputs, weights = train_nn(inputs_t, outputs_t, weights, NITER, errors)
    // `outputs` is the last forward pass inside the loop, before the 50000th update,
    // i.e. the record at iteration 49999; the notebook prints
    // [[0.0042779 ] [0.99650925] [0.99715469] [0.00348742]] and
    // weights [[11.30926129] [-0.20509237] [-5.45001623]].
    let outputs_49999 =
        [0.004_277_899_441_545_144, 0.996_509_252_665_220_8, 0.997_154_693_070_497_9, 0.003_487_423_689_989_530_3];
    let weights = [11.309_261_285_113_744, -0.205_092_372_366_621_6, -5.450_016_225_043_316];
    // print(sigmoid(np.sum(weights*input_new)))  with input_new = [1, 0, 0]
    let prediction = 0.999_987_741_286_208_3;

    let config = Config::default().check().unwrap();
    for run in [train(&config, &Schedule::Every(49_999)), train_reference(&config, &Schedule::Every(49_999))] {
        let record = &run.history.records[1];
        assert_eq!(record.iteration, 49_999);
        assert_close(&record.outputs, &outputs_49999, 1e-12);
        let w: Vec<f64> = run.network.weights().collect();
        assert_close(&w, &weights, 1e-12);
        assert_relative_eq!(run.network.predict(NOTEBOOK_NEW_INPUT), prediction, max_relative = 1e-12);
        assert_eq!(printed(&w), ["11.30926129", "-0.20509237", "-5.45001623"]);
        assert_eq!(run.diverged_at, None);
    }
}

#[test]
fn notebook_errors_curve_starts_at_the_one_step_error() {
    // errors_data[0] = training_outputs - outputs of the first forward pass
    let config = Config::default().check().unwrap();
    let run = train(&config, &Schedule::Every(1));
    assert_eq!(run.history.records.len(), 50_001);
    let e0 = &run.history.records[0].errors;
    assert_close(
        e0,
        &[
            -0.268_986_398_654_958_5,
            1.0 - 0.326_275_698_511_081_7,
            1.0 - 0.237_628_173_717_844_12,
            -0.363_750_575_326_337_4,
        ],
        1e-12,
    );
}

#[track_caller]
fn check_two_layer(config: Config, layers: &[f64], prediction: f64) {
    let run = train(&config.check().unwrap(), &Schedule::Off);
    let w: Vec<f64> = run.network.weights().collect();
    assert_close(&w, layers, 1e-9);
    assert_relative_eq!(run.network.predict(NOTEBOOK_NEW_INPUT), prediction, max_relative = 1e-9);
}

#[test]
fn two_layer_matches_numpy() {
    // python3 scripts/numpy_reference.py --seed 1 --iterations 50000 --hidden 4
    // h = sigmoid(np.dot(x, w1)); o = sigmoid(np.dot(h, w2)); d2 = (y - o) * sigmoid_prime(o)
    // d1 = np.dot(d2, w2.T) * sigmoid_prime(h); w2 += lr * np.dot(h.T, d2); w1 += lr * np.dot(x.T, d1)
    check_two_layer(
        Config { architecture: Architecture::two_layer(4), ..Config::default() },
        &[
            -2.720389761385514,
            4.587684430983606,
            -4.814857408044826,
            0.33207082430297286,
            -0.3219774560978529,
            -0.42622711690053633,
            0.04499327849463221,
            -0.19569211493634575,
            0.8706459372561914,
            -1.6211265483867838,
            1.9753445807201082,
            0.47334324921008575,
            -3.062160776956905,
            6.714637248188958,
            -6.310960042312147,
            0.7486254798451213,
        ],
        0.9989341846571447,
    );
    // python3 scripts/numpy_reference.py --seed 7 --iterations 3000 --hidden 8 --remove-rows 2 --learning-rate 0.5
    check_two_layer(
        Config {
            seed: 7,
            iterations: 3000,
            learning_rate: 0.5,
            architecture: Architecture::two_layer(8),
            removed_rows: vec![2],
        },
        &[
            -0.7782513828431465,
            -1.293929012848142,
            -0.9011685735332098,
            2.897713420360375,
            2.8020395582283326,
            -1.673643718794959,
            -1.7119330697122603,
            -2.8628672014214676,
            -0.44797276495112176,
            -0.3521825625708841,
            0.04699873628337547,
            0.6334784278539609,
            -0.3348589450258988,
            -1.0441683768871861,
            -0.333028541403418,
            0.5326141883947597,
            -0.7139111238645699,
            0.25640582692844116,
            0.7549475502276379,
            -1.6621752822358644,
            -0.6774420543842588,
            1.21164013229306,
            0.40016430416818455,
            0.5450981529424999,
            -0.4697167835056316,
            -1.6323375906464703,
            -0.7731302025377483,
            3.682180315312714,
            3.164720490041416,
            -2.1336169274814347,
            -2.2526951812172835,
            -2.9902587732598267,
        ],
        0.9926671436029106,
    );
    // python3 scripts/numpy_reference.py --seed 3 --iterations 2000 --hidden 1
    check_two_layer(
        Config { seed: 3, iterations: 2000, architecture: Architecture::two_layer(1), ..Config::default() },
        &[8.270781745301905, -0.49752505600375685, -6.662646021280512, 4.966455353213488],
        0.9930716755198836,
    );
}

/// The NumPy lines of the two-layer model with the output bias, as
/// `scripts/numpy_reference.py --output-bias` runs them (`x`, `y`: the data
/// set's rows; `sigmoid` with the C library's `exp`, `math.exp`):
/// ```text
/// np.random.seed(s); w1 = np.random.uniform(-1.0, 1.0, size=(3, H))
/// w2 = np.random.uniform(-1.0, 1.0, size=(H, 1)); b2 = np.random.uniform(-1.0, 1.0, size=(1, 1))
/// for t in range(50000):
///     h = sigmoid(np.dot(x, w1)); o = sigmoid(np.dot(h, w2) + b2)
///     d2 = (y - o) * sigmoid_prime(o); d1 = np.dot(d2, w2.T) * sigmoid_prime(h)
///     w2 += lr * np.dot(h.T, d2); b2 += lr * np.sum(d2); w1 += lr * np.dot(x.T, d1)
/// prediction = sigmoid(np.dot(sigmoid(np.dot(new, w1)), w2) + b2)[0, 0]   # new = [[1, 0, 0]]
/// ```
/// printed as `repr(float(v))` of W1 (row-major), W2, b2 and the prediction.
fn biased_run(data: &Dataset, seed: u32, hidden: usize) -> (Vec<f64>, f64) {
    let architecture = Architecture::two_layer(hidden).with_output_bias(true);
    let config = Config { seed, architecture, ..Config::default() }.check_on(data).unwrap();
    let run = train(&config, &Schedule::Off);
    assert_eq!(run.diverged_at, None);
    (run.network.weights().collect(), run.network.predict(NOTEBOOK_NEW_INPUT))
}

#[test]
fn output_bias_matches_numpy() {
    // python3 scripts/numpy_reference.py --hidden 1 --output-bias --seed 1
    // (the notebook's rows): bit for bit, as the H = 1 run without the bias above
    // (seed 3) is. Without the bias this seed ends at prediction
    // 0.49999297822687905 (numpy_reference.py --hidden 1 --seed 1, also bit for
    // bit); with it, at 0.9967789207730291.
    let (w, prediction) = biased_run(&Dataset::notebook(), 1, 1);
    assert_eq!(w, [-7.267256020276315, 0.2596735373348726, 3.0819430348155064, -11.945867032138377, 5.743145228086477]);
    assert_eq!(prediction, 0.9967789207730291);

    // python3 scripts/numpy_reference.py --data xor --hidden 2 --output-bias --seed 2
    // Within 1e-9 relative, as the two-layer runs above: OpenBLAS fuses and orders
    // the sums of np.dot(h, w2) and np.dot(h.T, d2) its own way (measured: 5 of
    // the 9 weights differ, by at most 1.8e-15; the prediction is identical).
    let (w, prediction) = biased_run(&perceptron::BooleanFunction::Xor.dataset(), 2, 2);
    assert_close(
        &w,
        &[
            -6.606668686875285,
            -6.864355013628973,
            6.8088224875408345,
            6.737006106462943,
            3.3103494455518154,
            -3.6062932100804788,
            -11.615183463018532,
            11.89357267990257,
            5.583688332489735,
        ],
        1e-9,
    );
    assert_relative_eq!(prediction, 0.9962431921434834, max_relative = 1e-9);
}
