//! `/api/train`: a request (a query string, or a JSON body with a table of
//! rows) turned into `train`'s own flags, checked by the same code as the
//! command line (clap's parsers, then [`crate::train::checked`]), trained by
//! [`crate::train::trained`], and answered with the `train --json` object
//! ([`crate::train::Report`]) plus `snapshots`: the state at `K` log-spaced
//! iterations, `0` and `N` included (all `N + 1` when fewer), each the exact
//! weights of a run stopped there, with what the page shows of that frame:
//! the loss, the largest error, the outputs on the training rows, the
//! prediction, and the report's rules on its surfaces (flat or not, what each
//! hidden unit computes; `sweep::study::surfaces::drawn`).
//!
//! Every refusal is one line, the command line's own message where the
//! command line has the parameter; the server adds only its bounds per request
//! ([`MAX_ITERATIONS`], [`MAX_HIDDEN`], [`MAX_SNAPSHOTS`]) and its inputs
//! (`rows`, `snapshots`, no file names).

use perceptron::{Dataset, MAX_ROWS, Network, Schedule};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::cli::{ClapOutcome, Cli, Command, TrainArgs};
use crate::sweep::study::surfaces;
use crate::train::{self, Report};

/// The most iterations one request trains (the command line takes 10⁸; the
/// server answers many requests, each in well under a second).
pub const MAX_ITERATIONS: u64 = 1_000_000;
/// The largest hidden layer one request trains (the page offers 1 to 8).
pub const MAX_HIDDEN: usize = 8;
/// The most snapshots one answer holds.
pub const MAX_SNAPSHOTS: usize = 1000;
/// Snapshots when the request does not say.
pub const DEFAULT_SNAPSHOTS: usize = 100;

/// `/api/limits`: the bounds the page checks its fields against before it
/// asks, so that it can say what is wrong in its own words: the server's
/// ([`MAX_ITERATIONS`], [`MAX_HIDDEN`], [`MAX_SNAPSHOTS`]), the largest seed
/// (NumPy's) and the most rows of a table.
pub fn limits() -> String {
    serde_json::json!({
        "max_iterations": MAX_ITERATIONS,
        "max_hidden": MAX_HIDDEN,
        "max_snapshots": MAX_SNAPSHOTS,
        "max_seed": u32::MAX,
        "max_rows": MAX_ROWS,
    })
    .to_string()
}

/// The request's parameters and the `train` flag each stands for (`snapshots`
/// is the server's own).
const PARAMETERS: [(&str, Option<&str>); 8] = [
    ("data", Some("--data")),
    ("hidden", Some("--hidden")),
    ("seed", Some("--seed")),
    ("iterations", Some("--iterations")),
    ("learning_rate", Some("--learning-rate")),
    ("remove_rows", Some("--remove-rows")),
    ("predict", Some("--predict")),
    ("snapshots", None),
];

/// A request to train: the parameters as text, as a command line would give
/// them, and a table of rows `[x1, x2, x3, y]` if the body had one.
#[derive(Debug, Default)]
pub struct Request {
    params: Vec<(String, String)>,
    rows: Option<Vec<[f64; 4]>>,
}

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

fn accepted_parameters() -> String {
    let names: Vec<&str> = PARAMETERS.iter().map(|(name, _)| *name).collect();
    names.join(", ")
}

/// The parameters of a query string `a=1&b=2` (percent-encoded, `+` a space).
///
/// # Errors
/// An unknown parameter, or text that is not percent-encoded UTF-8.
pub fn from_query(query: &str) -> Result<Request, String> {
    let mut params = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let (key, value) = (decode(key)?, decode(value)?);
        known(&key)?;
        params.push((key, value));
    }
    Ok(Request { params, rows: None })
}

/// The parameters of a JSON object body: the query's names with numbers,
/// strings or (for `remove_rows`, `predict`) arrays as values, and `rows`.
///
/// # Errors
/// A body that is not such an object, with what is accepted.
pub fn from_body(body: &[u8]) -> Result<Request, String> {
    let example = r#"expected a JSON object such as {"rows": [[0, 0, 1, 0], [1, 1, 1, 1]], "hidden": 2, "seed": 1}"#;
    let object: Map<String, Value> = match serde_json::from_slice(body) {
        Ok(Value::Object(object)) => object,
        Ok(_) => return Err(format!("the body is not a JSON object; {example}")),
        Err(e) => return Err(format!("the body is not valid JSON ({e}); {example}")),
    };
    let mut request = Request::default();
    for (key, value) in object {
        if key == "rows" {
            request.rows = Some(table(&value)?);
            continue;
        }
        known(&key).map_err(|e| format!("{e}, rows"))?;
        let text = |v: &Value| match v {
            Value::Number(n) => Some(n.to_string()),
            Value::String(s) => Some(s.clone()),
            _ => None,
        };
        let shown = match &value {
            Value::Null => continue,
            Value::Array(items) => items.iter().map(text).collect::<Option<Vec<_>>>().map(|v| v.join(",")),
            other => text(other),
        };
        let shown =
            shown.ok_or_else(|| format!("field '{key}': expected a number, a string or an array of numbers"))?;
        request.params.push((key, shown));
    }
    Ok(request)
}

/// `rows`: 1 to [`MAX_ROWS`] arrays of four numbers.
fn table(value: &Value) -> Result<Vec<[f64; 4]>, String> {
    let shape = format!("expected an array of 1 to {MAX_ROWS} rows [x1, x2, x3, y] of numbers, y in [0, 1]");
    let rows = value.as_array().ok_or_else(|| format!("rows: {shape}"))?;
    if rows.len() > MAX_ROWS {
        return Err(format!("rows: {} rows; {shape}", rows.len()));
    }
    rows.iter()
        .enumerate()
        .map(|(i, row)| {
            let numbers: Option<Vec<f64>> = row.as_array().and_then(|r| r.iter().map(Value::as_f64).collect());
            numbers.and_then(|n| <[f64; 4]>::try_from(n).ok()).ok_or_else(|| format!("rows[{i}]: {shape}"))
        })
        .collect()
}

fn known(key: &str) -> Result<(), String> {
    if PARAMETERS.iter().any(|(name, _)| *name == key) {
        Ok(())
    } else {
        Err(format!("unknown parameter '{}'; expected {}", crate::error::cut(key), accepted_parameters()))
    }
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
/// One line: the command line's message for a bad flag value, or the
/// server's for its own bounds and inputs.
pub fn answer(request: &Request) -> Result<String, String> {
    let mut argv = vec!["experiments".to_owned(), "train".to_owned(), "--json".to_owned()];
    let mut snapshots = None;
    for (key, value) in &request.params {
        match PARAMETERS.iter().find(|(name, _)| name == key) {
            Some((_, Some(flag))) => argv.push(format!("{flag}={value}")),
            _ if snapshots.is_some() => return Err("the argument 'snapshots' cannot be used multiple times".into()),
            _ => snapshots = Some(value.as_str()),
        }
    }
    let args = train_args(&argv)?;
    let model = &args.model;
    if model.iterations > MAX_ITERATIONS {
        return Err(format!(
            "invalid value '{}' for 'iterations': the server trains at most {MAX_ITERATIONS} iterations per request (the command line: {})",
            model.iterations,
            perceptron::MAX_ITERATIONS
        ));
    }
    if let Some(hidden) = model.hidden.filter(|&h| h > MAX_HIDDEN) {
        return Err(format!(
            "invalid value '{hidden}' for 'hidden': the server trains at most {MAX_HIDDEN} hidden units (the command line: {})",
            perceptron::MAX_HIDDEN
        ));
    }
    let snapshots = snapshot_count(snapshots)?;
    let data = dataset(request, model)?;
    let config = train::checked(model, data).map_err(|e| e.0)?;
    let schedule = Schedule::At(log_spaced(snapshots, model.iterations));
    let input = model.predict.0;
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

/// `train`'s flags parsed by the command line's own parser.
fn train_args(argv: &[String]) -> Result<TrainArgs, String> {
    use clap::Parser;
    match Cli::try_parse_from(argv) {
        Ok(Cli { command: Command::Train(args) }) => Ok(args),
        Ok(_) => Err("not a training request".to_owned()),
        Err(err) => match crate::cli::clap_outcome(err) {
            ClapOutcome::Usage(usage) => Err(usage.0),
            ClapOutcome::Stdout(_) => Err(format!("expected the parameters {}", accepted_parameters())),
        },
    }
}

fn snapshot_count(value: Option<&str>) -> Result<usize, String> {
    let Some(value) = value else { return Ok(DEFAULT_SNAPSHOTS) };
    match value.trim().parse::<usize>() {
        Ok(k) if (2..=MAX_SNAPSHOTS).contains(&k) => Ok(k),
        _ => Err(format!(
            "invalid value '{}' for 'snapshots': expected a whole number in 2..={MAX_SNAPSHOTS} (how many states of the run to return, 0 and the last included)",
            crate::error::cut(value)
        )),
    }
}

/// The request's table, or the named function; never a file of the server's.
fn dataset(request: &Request, model: &crate::cli::ModelArgs) -> Result<Dataset, String> {
    let named = request.params.iter().any(|(k, _)| k == "data");
    match (&request.rows, &model.data) {
        (Some(_), _) if named => Err("give either data (a function's name) or rows (a table), not both".to_owned()),
        (Some(rows), _) => {
            let rows = rows.iter().map(|r| ([r[0], r[1], r[2]], r[3])).collect();
            Dataset::new("table", rows).map_err(|e| format!("rows: {e}"))
        }
        (None, crate::data::DataSource::File(_)) => Err(format!(
            "invalid value for 'data': the server reads no files; {} (or POST a table as rows)",
            crate::data::accepted().replace(" or a file ending in .csv", "")
        )),
        (None, source) => source.load().map_err(|e| e.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use perceptron::BooleanFunction;

    /// `serve --help` states the bounds that these constants set.
    #[test]
    fn help_states_the_bounds() {
        let mut command = crate::cli::command("");
        let help = command.find_subcommand_mut("serve").unwrap().render_long_help().to_string();
        let bounds = [
            format!("iterations ≤ {MAX_ITERATIONS}"),
            format!("hidden ≤ {MAX_HIDDEN}"),
            format!("snapshots in 2..={MAX_SNAPSHOTS} (default {DEFAULT_SNAPSHOTS})"),
            format!("body ≤ {} KiB", super::super::MAX_BODY / 1024),
        ];
        for bound in bounds {
            assert!(help.replace('\n', " ").contains(&bound), "{bound} not in {help}");
        }
    }

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
            let model = crate::cli::ModelArgs { iterations: t, ..train_args(&request_argv(&request)).unwrap().model };
            let config = train::checked(&model, BooleanFunction::Xor.dataset()).unwrap();
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

    /// The request's parameters as `train` arguments (for the test above).
    fn request_argv(request: &Request) -> Vec<String> {
        let mut argv = vec!["experiments".to_owned(), "train".to_owned()];
        for (key, value) in &request.params {
            if let Some((_, Some(flag))) = PARAMETERS.iter().find(|(name, _)| name == key) {
                argv.push(format!("{flag}={value}"));
            }
        }
        argv
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
