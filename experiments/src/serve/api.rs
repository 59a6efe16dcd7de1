//! `/api/train`: a request (a query string, or a JSON body with a table of
//! rows) read into the one run request, [`crate::request::ServeRequest`]
//! (each value parsed by its flag's own parser, then the core's check, as on
//! the command line), trained by [`crate::train::trained`], and answered with the `train --json` object
//! ([`crate::train::Report`]) plus `snapshots`: the state at `K` log-spaced
//! iterations, `0` and `N` included (all `N + 1` when fewer), each the exact
//! weights of a run stopped there, with what the page shows of that frame:
//! the loss, the largest error, the outputs on the training rows, the
//! prediction, and the report's rules on its surfaces (flat or not, what each
//! hidden unit computes; `sweep::study::surfaces::drawn`).
//!
//! Every refusal is one line, the command line's own message where the
//! command line has the parameter; the server adds only its bounds per request
//! ([`crate::request::limits`]) and its inputs (`rows`, `snapshots`, no file
//! names).

use perceptron::{Network, Schedule};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::request::{Given, ServeRequest};
use crate::sweep::study::surfaces;
use crate::train::{self, Report};

/// One state of the run.
#[derive(Serialize)]
struct Snapshot {
    /// Steps taken.
    iteration: u64,
    /// The weight matrices after `iteration` steps, as `layers`.
    layers: Vec<Vec<Vec<f64>>>,
    /// `½ Σ (y − o)²` on the training rows.
    loss: f64,
    /// `max |y − o|` on the training rows.
    largest_error: f64,
    /// The outputs on the training rows (the rows left out are not among
    /// them), as `outputs`: the page checks its own forward pass against them.
    outputs: Vec<f64>,
    /// The output for `predict` at this frame (the last is `prediction`).
    prediction: f64,
    /// The decision surface `o(x1, x2)`, `x3 = 1`, is flat by the report's
    /// rule (`surfaces::is_flat`): the page draws no 0.5 line on it.
    flat: bool,
    /// Each hidden unit (none for one layer): what it computes and whether its surface is flat.
    hidden: Vec<HiddenUnit>,
}

/// A hidden unit of one frame, as the report's `hidden_units.csv` names it.
#[derive(Serialize)]
struct HiddenUnit {
    /// The Boolean function the unit computes on the four rows `(0,0)`,
    /// `(1,1)`, `(1,0)`, `(0,1)` with `x3 = 1` (thresholded at 0.5), or
    /// `none` when its surface is flat (`surfaces::hidden::computes`).
    function: &'static str,
    /// Its own surface is flat (no 0.5 line).
    flat: bool,
}

/// The answer: the `train --json` object, then the snapshots.
#[derive(Serialize)]
struct Answer<'a> {
    #[serde(flatten)]
    report: Report<'a>,
    snapshots: Vec<Snapshot>,
}

/// The request of a query string `a=1&b=2` (percent-encoded, `+` a space).
///
/// # Errors
/// Text that is not percent-encoded UTF-8, an unknown parameter, or a value
/// refused ([`ServeRequest::new`]).
pub fn from_query(query: &str) -> Result<ServeRequest, String> {
    let mut fields = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let (key, value) = (decode(key)?, decode(value)?);
        if !crate::request::is_known(&key) {
            return Err(crate::request::unknown(&key, false));
        }
        fields.push((key, Given::Text(value)));
    }
    ServeRequest::new(fields, None)
}

/// The request of a JSON object body: the query's names with numbers,
/// strings, arrays (for `remove_rows`, `predict`) or `true`/`false` as values
/// (serde reads each as a [`Given`]; `null` is no value), and `rows`.
///
/// # Errors
/// A body that is not such an object, with what is accepted, or a value
/// refused ([`ServeRequest::new`]).
pub fn from_body(body: &[u8]) -> Result<ServeRequest, String> {
    let example = r#"expected a JSON object such as {"rows": [[0, 0, 1, 0], [1, 1, 1, 1]], "hidden": 2, "seed": 1}"#;
    let mut object: Map<String, Value> = match serde_json::from_slice(body) {
        Ok(Value::Object(object)) => object,
        Ok(_) => return Err(format!("the body is not a JSON object; {example}")),
        Err(e) => return Err(format!("the body is not valid JSON ({e}); {example}")),
    };
    let rows = object.remove("rows");
    if let Some(unknown) = object.keys().find(|k| !crate::request::is_known(k)) {
        return Err(crate::request::unknown(unknown, true));
    }
    let mut fields = Vec::new();
    for (key, value) in object {
        let given = Option::<Given>::deserialize(value).map_err(|e| format!("field '{key}': {e}"))?;
        fields.extend(given.map(|given| (key, given)));
    }
    ServeRequest::new(fields, rows.as_ref())
}

/// Percent-decoding of one query component.
fn decode(s: &str) -> Result<String, String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
                let byte = hex.and_then(|h| u8::from_str_radix(h, 16).ok());
                out.push(byte.ok_or("the query has a '%' not followed by two hex digits")?);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| "the query is not UTF-8 once percent-decoded".to_owned())
}

/// Trains as `request` says and returns the JSON answer.
///
/// # Errors
/// One line: the data set or the configuration refused by the core's check
/// (the command line's message), or a prediction that would overflow.
pub fn answer(request: &ServeRequest) -> Result<String, String> {
    let config = request.checked()?;
    let schedule = Schedule::At(log_spaced(request.snapshots, request.run.iterations));
    let input = request.run.predict.0;
    let run = train::trained(&config, input, &schedule).map_err(|e| {
        let causes: Vec<String> = e.chain().map(ToString::to_string).collect();
        causes.join(": ")
    })?;
    let architecture = config.config().architecture;
    let snapshots = run
        .history
        .records
        .iter()
        .map(|r| {
            let network = Network::from_weights(architecture, &r.weights);
            let drawn = surfaces::drawn(&network);
            Snapshot {
                iteration: r.iteration,
                layers: train::rows(&network),
                loss: network.loss(config.dataset()),
                largest_error: r.errors.iter().fold(0.0, |m: f64, e| m.max(e.abs())),
                outputs: network.forward(config.dataset().inputs()).to_vec(),
                prediction: network.predict(input),
                flat: drawn.flat,
                hidden: drawn
                    .hidden
                    .into_iter()
                    .map(|(function, flat)| HiddenUnit { function: surfaces::hidden::name_of(function), flat })
                    .collect(),
            }
        })
        .collect();
    let answer = Answer { report: train::report(&config, &run, input), snapshots };
    serde_json::to_string(&answer).map_err(|e| format!("cannot write the answer as JSON: {e}"))
}

/// The request as a self-contained NumPy script in the notebook's style
/// (`train --numpy`'s text for the same flags, `crate::notebook::render`):
/// run with NumPy alone, it trains the same configuration and prints the
/// final `layers`, `outputs` and `prediction` (`snapshots` plays no part).
///
/// # Errors
/// One line, as [`answer`] refuses the same request.
pub fn notebook(request: &ServeRequest) -> Result<String, String> {
    let config = request.checked()?;
    Ok(crate::notebook::render(&config, request.run.predict.0))
}

/// `min(k, n + 1)` distinct iterations in `0..=n`, `0` and `n` included
/// (`k ≥ 2`): `0`, then `t_i ≈ n^(i/(k−2))` for `i = 0..k−1`, each moved to
/// the nearest free iteration, so that the early, crowded ones stay distinct.
fn log_spaced(k: usize, n: u64) -> Vec<u64> {
    if n < k as u64 {
        return (0..=n).collect();
    }
    if k == 2 {
        return vec![0, n];
    }
    let (k, ln_n) = (k as u64, (n as f64).ln());
    let mut ts = vec![0];
    for i in 0..k - 1 {
        let ideal = (ln_n * i as f64 / (k - 2) as f64).exp().round() as u64;
        let (lo, hi) = (ts[ts.len() - 1] + 1, n - (k - 2 - i));
        ts.push(ideal.clamp(lo, hi));
    }
    ts
}

#[cfg(test)]
mod tests {
    use super::*;
    use perceptron::BooleanFunction;

    /// Each snapshot's outputs and prediction are those of the run stopped
    /// there (`train --iterations t`), bit for bit; its verdicts are the
    /// report's rules on its weights (`surfaces::drawn`).
    #[test]
    fn snapshots_carry_their_own_outputs_prediction_and_verdicts() {
        let request = from_query("data=xor&hidden=2&seed=3&iterations=300&predict=1,0,1&snapshots=6").unwrap();
        let answer: Value = serde_json::from_str(&answer(&request).unwrap()).unwrap();
        let snapshots = answer["snapshots"].as_array().unwrap();
        assert_eq!(snapshots.len(), 6);
        for s in snapshots {
            let t = s["iteration"].as_u64().unwrap();
            let run = crate::request::RunArgs { iterations: t, ..request.run.clone() };
            let config = run.checked(BooleanFunction::Xor.dataset()).unwrap();
            let run = train::trained(&config, [1.0, 0.0, 1.0], &Schedule::Off).unwrap();
            let outputs: Vec<f64> = run.network.forward(config.dataset().inputs()).to_vec();
            let shown: Vec<f64> = s["outputs"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
            assert_eq!(
                shown.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
                outputs.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
                "at {t}"
            );
            assert_eq!(
                s["prediction"].as_f64().unwrap().to_bits(),
                run.network.predict([1.0, 0.0, 1.0]).to_bits(),
                "at {t}"
            );
            let drawn = surfaces::drawn(&run.network);
            assert_eq!(s["flat"], drawn.flat);
            let names: Vec<&str> = drawn.hidden.iter().map(|h| surfaces::hidden::name_of(h.0)).collect();
            assert_eq!(
                s["hidden"].as_array().unwrap().iter().map(|h| h["function"].as_str().unwrap()).collect::<Vec<_>>(),
                names
            );
        }
        // The last snapshot is the answer's own run.
        let end = &snapshots[5];
        assert_eq!((&end["outputs"], &end["prediction"]), (&answer["outputs"], &answer["prediction"]));
    }

    #[test]
    fn snapshots_are_distinct_and_log_spaced() {
        assert_eq!(log_spaced(2, 300), [0, 300]);
        assert_eq!(log_spaced(5, 3), [0, 1, 2, 3]);
        assert_eq!(log_spaced(4, 3), [0, 1, 2, 3]);
        assert_eq!(log_spaced(3, 0), [0]);
        // 10^(i/3) for i = 0..=3: 1, 10, 100, 1000.
        assert_eq!(log_spaced(5, 1000), [0, 1, 10, 100, 1000]);
        // 50000^(i/4) rounded: 1, 15, 224, 3344, 50000.
        assert_eq!(log_spaced(6, 50_000), [0, 1, 15, 224, 3344, 50_000]);
        // Crowded early points moved up by one: 1, 1, 2, 3, … become 1, 2, 3, 4, ….
        let ts = log_spaced(200, 50_000);
        assert_eq!(ts.len(), 200);
        assert!(ts.windows(2).all(|w| w[0] < w[1]) && ts[199] == 50_000, "{ts:?}");
        let ts = log_spaced(1000, 1_000_000);
        assert!(ts.len() == 1000 && ts.windows(2).all(|w| w[0] < w[1]) && ts[999] == 1_000_000);
    }
}
