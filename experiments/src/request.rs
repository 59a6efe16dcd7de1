//! One run request, however it arrives: `train`'s flags (clap fills
//! [`RunArgs`]) or `/api/train`'s query string and JSON body (serde reads each
//! field into a [`Given`]; [`FIELDS`] parses it with the flag's own parser into
//! the same [`RunArgs`]); then one check for both, [`RunArgs::checked`]: the
//! core's `Config::check_on` on the data set.
//!
//! As ripgrep's `LowArgs` → `HiArgs`: [`RunArgs`] is plain data as given, each
//! value checked alone by its parser (its syntax and range); nothing across
//! fields is checked before [`RunArgs::config`] and [`RunArgs::checked`] derive
//! the core's `Config` and `ValidConfig` from it.
//!
//! A field the API refuses is refused with the command line's own line, byte
//! for byte: `invalid value 'V' for '--flag <NAME>': REASON (see --help)`, the
//! flag shown as clap shows it (taken from [`RunArgs`]'s clap definition), the
//! value as [`crate::error::cut`] shows it (as clap's errors show it,
//! `cli::clap_outcome`). The server's own bounds per request are the constants
//! of [`limits`]: `serve --help`, `/api/limits` and the refusals are made from
//! them.
//!
//! Adding a field: a field of [`RunArgs`] (its flag, `--help` text and
//! parser), one entry of [`FIELDS`] (its name in the API), and its use in
//! [`RunArgs::config`].

use std::sync::OnceLock;

use clap::{Args, FromArgMatches};
use perceptron::{Architecture, Config, ConfigError, Dataset, MAX_ROWS, ValidConfig};
use serde::Deserialize;
use serde_json::Value;

use crate::cli::{
    Input, Rows, parse_hidden, parse_iterations, parse_learning_rate, parse_predict, parse_rows, parse_seed,
};
use crate::data::DataSource;
use crate::error::{UsageError, cut};

/// The flags that define one training run (`train`'s, flattened into
/// `TrainArgs`), and the fields of `/api/train` ([`FIELDS`]).
#[derive(Clone, Debug, Args)]
pub struct RunArgs {
    /// Seed for the initial weights, as NumPy's `np.random.seed(SEED)` (0..=4294967295).
    #[arg(long, default_value_t = 1, value_parser = parse_seed, allow_negative_numbers = true)]
    pub seed: u32,

    /// Full-batch training steps (0..=100000000).
    #[arg(long, default_value_t = 50_000, value_parser = parse_iterations, allow_negative_numbers = true)]
    pub iterations: u64,

    /// Train the two-layer network 3→H→1 with H hidden units (1..=1024); without it,
    /// the notebook's one-layer perceptron 3→1.
    #[arg(long, value_name = "H", value_parser = parse_hidden, allow_negative_numbers = true)]
    pub hidden: Option<usize>,

    /// Give the output unit of the two-layer network a bias b2, `o = σ(h·W2 + b2)`
    /// (needs --hidden; one layer already has one, its constant input x3). The
    /// initial b2 is NumPy's next draw after W2, `np.random.uniform(-1, 1, (1, 1))`.
    #[arg(long)]
    pub output_bias: bool,

    /// The training data: one of the 16 Boolean functions of (x1, x2) on the
    /// notebook's four rows (0,0), (1,1), (1,0), (0,1) with x3 = 1 — false, and,
    /// x1-and-not-x2, x1, not-x1-and-x2, x2, xor, or, nor, xnor, not-x2, x1-or-not-x2,
    /// not-x1, not-x1-or-x2, nand, true (x1, "output = first input", is the notebook's)
    /// — or a CSV file ending in .csv: the header `x1,x2,x3,y`, then 1 to 16 rows of
    /// finite numbers with y in [0, 1] (spaces around values ignored).
    #[arg(long, default_value = "x1", value_name = "NAME|FILE.csv", value_parser = crate::data::parse_data)]
    pub data: DataSource,

    /// Leave these 0-based rows of the --data set out, e.g. `1,2` (distinct indices
    /// into its rows, 0..=3 for the four rows of a function; at least one must stay).
    #[arg(long, value_name = "I,J,…", value_parser = parse_rows, allow_hyphen_values = true)]
    pub remove_rows: Option<Rows>,

    /// Learning rate `lr` in `w += lr·Xᵀδ` (a positive finite number; the notebook's rule is 1).
    #[arg(long, default_value_t = 1.0, value_name = "LR", value_parser = parse_learning_rate, allow_hyphen_values = true)]
    pub learning_rate: f64,

    /// The new input to predict after training: three finite numbers `a,b,c`.
    #[arg(long, default_value = "1,0,0", value_name = "A,B,C", value_parser = parse_predict, allow_hyphen_values = true)]
    pub predict: Input,
}

/// `RunArgs`'s flags as clap defines them (for their defaults and their names
/// in messages).
fn flags() -> &'static clap::Command {
    static COMMAND: OnceLock<clap::Command> = OnceLock::new();
    COMMAND.get_or_init(|| {
        let mut command =
            RunArgs::augment_args(clap::Command::new("train").no_binary_name(true).disable_help_flag(true));
        // Built, as clap builds it before parsing: an argument shows itself only then.
        command.build();
        command
    })
}

impl Default for RunArgs {
    /// The flags' defaults (clap's, from the definition above): the notebook's run.
    fn default() -> Self {
        let matches = flags().clone().try_get_matches_from(std::iter::empty::<&str>());
        matches.and_then(|m| RunArgs::from_arg_matches(&m)).expect("the defaults of RunArgs parse (held by a test)")
    }
}

impl RunArgs {
    /// The core's configuration these fields describe: the architecture by
    /// the core's `Architecture::new` (a bias without hidden units is refused
    /// there), the rest checked by [`RunArgs::checked`].
    ///
    /// # Errors
    /// The core's [`ConfigError`].
    pub fn config(&self) -> Result<Config, ConfigError> {
        Ok(Config {
            seed: self.seed,
            iterations: self.iterations,
            learning_rate: self.learning_rate,
            architecture: Architecture::new(self.hidden, self.output_bias)?,
            removed_rows: self.remove_rows.clone().map(|r| r.0).unwrap_or_default(),
        })
    }

    /// The configuration checked on `data` by the core (the one check of
    /// `train` and of `/api/train`).
    ///
    /// # Errors
    /// A [`UsageError`] naming the problem, e.g. a removed row the data set
    /// lacks, or an output bias without hidden units.
    pub fn checked(&self, data: Dataset) -> Result<ValidConfig, UsageError> {
        self.config().and_then(|c| c.check_on(&data)).map_err(|e| match e {
            ConfigError::OutputBiasWithoutHidden => UsageError::new(OUTPUT_BIAS_WITHOUT_HIDDEN.to_owned()),
            e => UsageError::new(e.to_string()),
        })
    }
}

/// The core's [`ConfigError::OutputBiasWithoutHidden`] in the flags' words.
const OUTPUT_BIAS_WITHOUT_HIDDEN: &str =
    "--output-bias needs --hidden H: the one-layer model's bias is already its constant third input x3";

/// One field of `/api/train`: its name (the flag's, `_` for `-`), a
/// placeholder for `serve --help`, and how a [`Given`] value sets it.
pub struct Field {
    /// The name in a query or a JSON object, and the clap id of its flag.
    pub name: &'static str,
    /// What the value is, as `serve --help` shows the query.
    pub placeholder: &'static str,
    set: fn(&mut RunArgs, &Given) -> Result<(), String>,
}

/// The fields of a run, in the order `serve --help` and the refusals list them.
pub const FIELDS: [Field; 8] = [
    Field {
        name: "data",
        placeholder: "NAME",
        set: |run, v| parsed("data", v, crate::data::parse_data).map(|value| run.data = value),
    },
    Field {
        name: "hidden",
        placeholder: "H",
        set: |run, v| parsed("hidden", v, parse_hidden).map(|value| run.hidden = Some(value)),
    },
    Field { name: "seed", placeholder: "S", set: |run, v| parsed("seed", v, parse_seed).map(|value| run.seed = value) },
    Field {
        name: "iterations",
        placeholder: "N",
        set: |run, v| parsed("iterations", v, parse_iterations).map(|value| run.iterations = value),
    },
    Field {
        name: "learning_rate",
        placeholder: "R",
        set: |run, v| parsed("learning_rate", v, parse_learning_rate).map(|value| run.learning_rate = value),
    },
    Field {
        name: "remove_rows",
        placeholder: "I,J",
        set: |run, v| parsed("remove_rows", v, parse_rows).map(|value| run.remove_rows = Some(value)),
    },
    Field {
        name: "predict",
        placeholder: "A,B,C",
        set: |run, v| parsed("predict", v, parse_predict).map(|value| run.predict = value),
    },
    Field {
        name: "output_bias",
        placeholder: "true",
        set: |run, v| switch("output_bias", v).map(|on| run.output_bias = on),
    },
];

/// A field's value as a request gives it, read by serde: text (a query's
/// value; a JSON string or number, as its JSON text; an array of them joined
/// by commas, as a flag's value holds a list), on or off (JSON `true`,
/// `false`), or anything else (refused by the field, naming what it takes).
#[derive(Clone, Debug, PartialEq)]
pub enum Given {
    /// A value as a command line would hold it.
    Text(String),
    /// JSON `true` or `false`.
    Switch(bool),
    /// An object, or an array holding something other than numbers and strings.
    Other,
}

impl<'de> Deserialize<'de> for Given {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = |v: &Value| match v {
            Value::Number(n) => Some(n.to_string()),
            Value::String(s) => Some(s.clone()),
            _ => None,
        };
        Ok(match Value::deserialize(deserializer)? {
            Value::Bool(b) => Given::Switch(b),
            Value::Array(items) => {
                items.iter().map(text).collect::<Option<Vec<_>>>().map_or(Given::Other, |v| Given::Text(v.join(",")))
            }
            other => text(&other).map_or(Given::Other, Given::Text),
        })
    }
}

/// A text field's value parsed by its flag's parser; refused with the
/// command line's line for the same value.
fn parsed<T>(name: &str, given: &Given, parse: fn(&str) -> Result<T, String>) -> Result<T, String> {
    let Given::Text(text) = given else {
        return Err(format!("field '{name}': expected a number, a string or an array of numbers"));
    };
    parse(text).map_err(|reason| format!("invalid value '{}' for '{}': {reason} (see --help)", cut(text), flag(name)))
}

/// An on/off field: on as `true` (a query's `output_bias=true`, JSON `true`
/// or `"true"`; the command line's flag given), off as `false` (or not given).
fn switch(name: &str, given: &Given) -> Result<bool, String> {
    match given {
        Given::Switch(on) => Ok(*on),
        Given::Text(text) if text == "true" => Ok(true),
        Given::Text(text) if text == "false" => Ok(false),
        Given::Text(text) => Err(format!(
            "invalid value '{}' for '{name}': expected true or false (as {} is given or not)",
            cut(text),
            flag(name)
        )),
        Given::Other => Err(format!("field '{name}': expected true or false (as {} is given or not)", flag(name))),
    }
}

/// The flag of field `name` as clap's messages show it, e.g. `--seed <SEED>`.
fn flag(name: &str) -> String {
    let arg = flags().get_arguments().find(|a| a.get_id() == name);
    arg.map_or_else(|| name.to_owned(), ToString::to_string)
}

/// The server's bounds on one request, beyond the command line's: `serve
/// --help`, `/api/limits` and the refusals are made from these.
pub mod limits {
    use perceptron::MAX_ROWS;

    /// The most iterations one request trains (the command line takes 10⁸; the
    /// server answers many requests, each in well under a second).
    pub const MAX_ITERATIONS: u64 = 1_000_000;
    /// The largest hidden layer one request trains (the page offers 1 to 8).
    pub const MAX_HIDDEN: usize = 8;
    /// The fewest snapshots one answer holds (the first and the last state).
    pub const MIN_SNAPSHOTS: usize = 2;
    /// The most snapshots one answer holds.
    pub const MAX_SNAPSHOTS: usize = 1000;
    /// Snapshots when the request does not say.
    pub const DEFAULT_SNAPSHOTS: usize = 100;

    /// `/api/limits`: the bounds the page checks its fields against before it
    /// asks, so that it can say what is wrong in its own words: the server's
    /// (above), the largest seed (NumPy's), the most rows of a table, the
    /// range of a target, and the names a query takes (a link's other names
    /// are refused by the page before it asks).
    pub fn json() -> String {
        serde_json::json!({
            "max_iterations": MAX_ITERATIONS,
            "max_hidden": MAX_HIDDEN,
            "min_snapshots": MIN_SNAPSHOTS,
            "max_snapshots": MAX_SNAPSHOTS,
            "default_snapshots": DEFAULT_SNAPSHOTS,
            "max_seed": u32::MAX,
            "max_rows": MAX_ROWS,
            "target_range": [0.0, 1.0],
            "fields": super::FIELDS.iter().map(|f| f.name).chain([super::SNAPSHOTS]).collect::<Vec<_>>(),
        })
        .to_string()
    }

    /// The bounds as `serve --help` states them.
    pub fn help() -> String {
        format!(
            "iterations ≤ {MAX_ITERATIONS}, hidden ≤ {MAX_HIDDEN}, snapshots in {MIN_SNAPSHOTS}..={MAX_SNAPSHOTS} (default {DEFAULT_SNAPSHOTS})"
        )
    }
}

/// The server's own fields, besides [`FIELDS`].
const SNAPSHOTS: &str = "snapshots";
/// A table of the request's own (JSON only).
const ROWS: &str = "rows";

/// The accepted names of a query (and, `rows` added, of a JSON object).
pub fn accepted_names() -> String {
    let names: Vec<&str> = FIELDS.iter().map(|f| f.name).chain([SNAPSHOTS]).collect();
    names.join(", ")
}

/// `GET /api/train?…` as `serve --help` shows it: broken after a `&` where a
/// line would pass 70 characters (clap breaks lines at spaces only).
pub fn query_help() -> String {
    let pairs = FIELDS.iter().map(|f| format!("{}={}", f.name, f.placeholder)).chain(["snapshots=K".to_owned()]);
    let mut text = String::from("/api/train?");
    let mut line = text.len();
    for (i, pair) in pairs.enumerate() {
        if i > 0 {
            text.push('&');
            line += 1;
            if line + pair.len() > 70 {
                text.push('\n');
                line = 0;
            }
        }
        line += pair.len();
        text.push_str(&pair);
    }
    text
}

/// `/api/train`'s request: the run, where its data comes from, and the
/// server's `snapshots`.
#[derive(Debug)]
pub struct ServeRequest {
    /// The run, as `train`'s flags would give it.
    pub run: RunArgs,
    /// The request named `data` (a JSON body may give `rows` instead).
    data_named: bool,
    /// The request's own table: rows `[x1, x2, x3, y]`.
    rows: Option<Vec<[f64; 4]>>,
    /// How many states of the run to answer with.
    pub snapshots: usize,
}

impl ServeRequest {
    /// The request of `fields` (name and value, in the request's order) and,
    /// from a JSON body, its `rows`.
    ///
    /// # Errors
    /// One line: an unknown name, a value refused by its field (the command
    /// line's message), a field given twice, or a bound of the server's.
    pub fn new(fields: Vec<(String, Given)>, rows: Option<&Value>) -> Result<ServeRequest, String> {
        let mut run = RunArgs::default();
        let mut seen: Vec<&str> = Vec::new();
        let mut snapshots = None;
        for (name, value) in &fields {
            let field = FIELDS.iter().find(|f| f.name == name);
            if seen.contains(&name.as_str()) {
                return Err(match field {
                    Some(f) => format!("the argument '{}' cannot be used multiple times (see --help)", flag(f.name)),
                    None => format!("the argument '{}' cannot be used multiple times", cut(name)),
                });
            }
            seen.push(name);
            match field {
                Some(field) => (field.set)(&mut run, value)?,
                None if name == SNAPSHOTS => snapshots = Some(snapshot_count(value)?),
                None => return Err(unknown(name, rows.is_some())),
            }
        }
        if run.iterations > limits::MAX_ITERATIONS {
            return Err(format!(
                "invalid value '{}' for 'iterations': the server trains at most {} iterations per request (the command line: {})",
                run.iterations,
                limits::MAX_ITERATIONS,
                perceptron::MAX_ITERATIONS
            ));
        }
        if let Some(hidden) = run.hidden.filter(|&h| h > limits::MAX_HIDDEN) {
            return Err(format!(
                "invalid value '{hidden}' for 'hidden': the server trains at most {} hidden units (the command line: {})",
                limits::MAX_HIDDEN,
                perceptron::MAX_HIDDEN
            ));
        }
        let rows = rows.map(table).transpose()?;
        let data_named = seen.contains(&"data");
        Ok(ServeRequest { run, data_named, rows, snapshots: snapshots.unwrap_or(limits::DEFAULT_SNAPSHOTS) })
    }

    /// The request's table, or the named function; never a file of the server's.
    ///
    /// # Errors
    /// Both `data` and `rows`, a file name, or rows that are not a data set.
    pub fn dataset(&self) -> Result<Dataset, String> {
        match (&self.rows, &self.run.data) {
            (Some(_), _) if self.data_named => {
                Err("give either data (a function's name) or rows (a table), not both".to_owned())
            }
            (Some(rows), _) => {
                let rows = rows.iter().map(|r| ([r[0], r[1], r[2]], r[3])).collect();
                Dataset::new("table", rows).map_err(|e| format!("rows: {e}"))
            }
            (None, DataSource::File(_)) => Err(format!(
                "invalid value for 'data': the server reads no files; {} (or POST a table as rows)",
                crate::data::accepted().replace(" or a file ending in .csv", "")
            )),
            (None, source) => source.load().map_err(|e| e.0),
        }
    }

    /// The run checked on its data set ([`RunArgs::checked`]).
    ///
    /// # Errors
    /// As [`ServeRequest::dataset`] and [`RunArgs::checked`].
    pub fn checked(&self) -> Result<ValidConfig, String> {
        self.run.checked(self.dataset()?).map_err(|e| e.0)
    }
}

/// An unknown name, with the accepted ones (`rows` too for a JSON body).
pub fn unknown(name: &str, json: bool) -> String {
    let rows = if json { format!(", {ROWS}") } else { String::new() };
    format!("unknown parameter '{}'; expected {}{rows}", cut(name), accepted_names())
}

/// Whether `name` is a field of the request (`rows` is, in a JSON body).
pub fn is_known(name: &str) -> bool {
    name == SNAPSHOTS || FIELDS.iter().any(|f| f.name == name)
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

fn snapshot_count(given: &Given) -> Result<usize, String> {
    let Given::Text(value) = given else {
        return Err(format!("field '{SNAPSHOTS}': expected a number, a string or an array of numbers"));
    };
    match value.trim().parse::<usize>() {
        Ok(k) if (limits::MIN_SNAPSHOTS..=limits::MAX_SNAPSHOTS).contains(&k) => Ok(k),
        _ => Err(format!(
            "invalid value '{}' for '{SNAPSHOTS}': expected a whole number in {}..={} (how many states of the run to return, 0 and the last included)",
            cut(value),
            limits::MIN_SNAPSHOTS,
            limits::MAX_SNAPSHOTS
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{ClapOutcome, Cli, Command};
    use clap::Parser;

    /// `train`'s flags as clap parses them, or clap's one line.
    fn cli(args: &[&str]) -> Result<RunArgs, String> {
        let argv = [&["experiments", "train"], args].concat();
        match Cli::try_parse_from(argv) {
            Ok(Cli { command: Command::Train(train) }) => Ok(train.run),
            Ok(_) => panic!("not train"),
            Err(e) => match crate::cli::clap_outcome(e) {
                ClapOutcome::Usage(u) => Err(u.0),
                ClapOutcome::Stdout(s) => panic!("{s}"),
            },
        }
    }

    fn api(pairs: &[(&str, &str)]) -> Result<ServeRequest, String> {
        ServeRequest::new(pairs.iter().map(|(k, v)| (k.to_string(), Given::Text(v.to_string()))).collect(), None)
    }

    /// Every field: the API's refusal of a bad value is clap's line for the
    /// same value given to the flag, byte for byte; a good value sets the same
    /// field as the flag does.
    #[test]
    fn the_api_refuses_and_accepts_as_the_command_line() {
        let cases: [(&str, &[&str], &str); 7] = [
            ("data", &["XOR", "x\nerror", "", "a.txt"], "xor"),
            ("hidden", &["0", "two", "1025", ""], "3"),
            ("seed", &["-1", "4294967296", "1\u{1b}[31m", &"\n".repeat(100)], "7"),
            ("iterations", &["1e3", "-0x", "100000001"], "20"),
            ("learning_rate", &["0", "nan", "-1", "inf"], "0.5"),
            ("remove_rows", &["1,1", "", ",", "a"], "0,2"),
            ("predict", &["1,2", "1,0,inf", "—"], "0.5,-1,2"),
        ];
        for (name, bad, good) in cases {
            let flag = format!("--{}", name.replace('_', "-"));
            for value in bad {
                let line = cli(&[&format!("{flag}={value}")]).unwrap_err();
                assert_eq!(api(&[(name, value)]).unwrap_err(), line, "{name}={value:?}");
            }
            let from_cli = cli(&[&format!("{flag}={good}")]).unwrap();
            let from_api = api(&[(name, good)]).unwrap().run;
            assert_eq!(format!("{from_cli:?}"), format!("{from_api:?}"), "{name}={good}");
            // Given twice: clap's line too.
            let twice = cli(&[&format!("{flag}={good}"), &format!("{flag}={good}")]).unwrap_err();
            assert_eq!(api(&[(name, good), (name, good)]).unwrap_err(), twice);
        }
        // The on/off field: `true` is the flag given, `false` the flag left out.
        let on = api(&[("hidden", "2"), ("output_bias", "true")]).unwrap().run;
        assert_eq!(format!("{on:?}"), format!("{:?}", cli(&["--hidden=2", "--output-bias"]).unwrap()));
        let off = api(&[("output_bias", "false")]).unwrap().run;
        assert_eq!(format!("{off:?}"), format!("{:?}", cli(&[]).unwrap()));
        for bad in ["yes", "1", "", "TRUE"] {
            assert_eq!(
                api(&[("output_bias", bad)]).unwrap_err(),
                format!(
                    "invalid value '{bad}' for 'output_bias': expected true or false (as --output-bias is given or not)"
                )
            );
        }
        let twice = cli(&["--output-bias", "--output-bias"]).unwrap_err();
        assert_eq!(api(&[("output_bias", "true"), ("output_bias", "true")]).unwrap_err(), twice);
        // A bias without hidden units: the core's refusal, naming the flags, the same line both ways.
        let cli_line = cli(&["--output-bias"]).unwrap().checked(perceptron::Dataset::notebook()).unwrap_err().0;
        let api_line = api(&[("output_bias", "true")]).unwrap().checked().unwrap_err();
        let expected = OUTPUT_BIAS_WITHOUT_HIDDEN.to_owned();
        assert!(expected.starts_with("--output-bias needs --hidden"), "{expected}");
        assert_eq!((api_line.as_str(), cli_line.as_str()), (expected.as_str(), expected.as_str()));
        // No field: clap's defaults.
        assert_eq!(format!("{:?}", cli(&[]).unwrap()), format!("{:?}", RunArgs::default()));
    }

    /// serde reads JSON values as text, on/off, or other.
    #[test]
    fn given_values_from_json() {
        let given = |json: &str| serde_json::from_str::<Given>(json).unwrap();
        assert_eq!(given("1"), Given::Text("1".into()));
        assert_eq!(given("2.5e-3"), Given::Text("0.0025".into()));
        assert_eq!(given("\"x1\""), Given::Text("x1".into()));
        assert_eq!(given("[1, \"2\", 3]"), Given::Text("1,2,3".into()));
        assert_eq!(given("true"), Given::Switch(true));
        assert_eq!(given("[[1]]"), Given::Other);
        assert_eq!(given("{}"), Given::Other);
    }

    /// Every field named in [`FIELDS`] is a flag of [`RunArgs`] (its id), and
    /// every flag of [`RunArgs`] is a field.
    #[test]
    fn fields_are_the_flags() {
        let mut ids: Vec<&str> = flags().get_arguments().map(|a| a.get_id().as_str()).collect();
        let mut names: Vec<&str> = FIELDS.iter().map(|f| f.name).collect();
        ids.sort_unstable();
        names.sort_unstable();
        assert_eq!(ids, names);
    }

    #[test]
    fn the_server_bounds() {
        let too_many = format!("{}", limits::MAX_ITERATIONS + 1);
        assert!(
            api(&[("iterations", &too_many)]).unwrap_err().contains("the server trains at most 1000000 iterations")
        );
        assert!(api(&[("hidden", "9")]).unwrap_err().contains("at most 8 hidden units (the command line: 1024)"));
        assert_eq!(api(&[("snapshots", "2")]).unwrap().snapshots, 2);
        assert_eq!(api(&[]).unwrap().snapshots, limits::DEFAULT_SNAPSHOTS);
        assert!(api(&[("snapshots", "1001")]).unwrap_err().contains("expected a whole number in 2..=1000"));
        assert_eq!(
            api(&[("snapshots", "5"), ("snapshots", "6")]).unwrap_err(),
            "the argument 'snapshots' cannot be used multiple times"
        );
    }
}
