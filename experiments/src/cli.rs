//! The command line: subcommands, their flags (each `///` comment is the
//! `--help` text), and value parsers that refuse bad input with one line naming
//! the accepted values.

use clap::{Args, Parser, Subcommand};
use perceptron::{ConfigError, MAX_HIDDEN, MAX_ITERATIONS};

/// Experiments with the simplest neural network: a sigmoid perceptron that learns
/// "output = first input" from four rows, as in the teaching notebook.
///
/// Initial weights come from a NumPy-compatible generator, so every run matches
/// NumPy's own run of the same configuration.
#[derive(Debug, Parser)]
#[command(name = "experiments", version, max_term_width = 100)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Train one model and print its weights and prediction, like the notebook.
    ///
    /// The initial weights are NumPy's after `np.random.seed(SEED)`; the arithmetic is
    /// the notebook's, so the numbers match NumPy's own run of the same configuration.
    Train(TrainArgs),
    /// Train a fixed set of configurations with the fast path and with the candle
    /// autograd twin, compare the weights along the runs, exit 1 if any differ by
    /// more than the tolerance.
    ///
    /// Threads: RAYON_NUM_THREADS (a whole number; unset or 0: one per core), at most
    /// 4 × the cores; the result does not depend on it.
    Check(CheckArgs),
    /// Run every study (seeds, removed rows, a second layer) in parallel and write
    /// CSVs, SVG plots, a report (README.md) and manifest.json into --out.
    Sweep(SweepArgs),
    /// Serve the lab in a browser: a local web page that trains a model on request
    /// and plays the run (decision surface, hidden units, network, loss, weights).
    // The rest of `serve --help`, with the API and the server's limits, is made
    // from their constants: `serve::long_about`.
    Serve(ServeArgs),
}

/// Flags of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The TCP port to listen on (0..=65535; 0 picks a free one, printed at start).
    #[arg(long, default_value_t = 8000, value_parser = parse_port, allow_negative_numbers = true)]
    pub port: u16,

    /// The address to listen on: an IP address (127.0.0.1, this machine only, unless
    /// you say otherwise, e.g. 0.0.0.0 for every interface).
    #[arg(long, default_value = "127.0.0.1", value_name = "IP", value_parser = parse_host)]
    pub host: std::net::IpAddr,
}

/// The command line, with `sweep --help` listing `studies` (one line each, as
/// `crate::sweep::studies_help` writes them; `main` passes them in, so that
/// this module needs nothing of the sweep's) and `serve --help` made from the
/// server's limits (`crate::serve::long_about`).
pub fn command(studies: &str) -> clap::Command {
    use clap::CommandFactory;
    Cli::command()
        .mut_subcommand("sweep", |sweep| sweep.long_about(sweep_long_about(studies)))
        .mut_subcommand("serve", |serve| serve.long_about(crate::serve::long_about()))
}

/// `sweep --help`'s text: what it does, every study with its files (from the
/// studies' own declarations), and what it guarantees.
fn sweep_long_about(studies: &str) -> String {
    format!(
        "Run every study (seeds, removed rows, a second layer) in parallel and write CSVs, SVG plots, a \
         report (README.md) and manifest.json into --out.\n\n\
         Studies:\n{}\n\n\
         The CSVs, SVGs and README.md are byte-identical for the same flags, whatever the thread count \
         (RAYON_NUM_THREADS: a whole number; unset or 0: one per core; at most 4 × the cores). Files are \
         written only after all training is done, each atomically; an OS lock on --out/.sweep.lock keeps \
         a second sweep out of the same folder (released when the holder exits, however it exits).",
        studies
    )
}

/// Flags of `sweep`.
#[derive(Debug, Args)]
pub struct SweepArgs {
    /// Seeds 0..N−1 of studies A–D (N in 1..=100000); study E has
    /// `--crosscheck-seeds`, and studies F and G always use seeds 0–7.
    #[arg(long, default_value_t = 100, value_name = "N", value_parser = parse_seed_count, allow_negative_numbers = true)]
    pub seeds: u32,

    /// Full-batch training steps of each run of studies A–D, the decision
    /// surfaces and the loss landscape (1..=100000000); study F trains
    /// min(N, 10000) steps, and study G ⌈K / rate⌉ with K = min(N, 20000).
    #[arg(long, default_value_t = 50_000, value_parser = parse_sweep_iterations, allow_negative_numbers = true)]
    pub iterations: u64,

    /// Hidden sizes of the two-layer models compared with the one-layer perceptron,
    /// e.g. `1,2,4,8` (distinct, each in 1..=1024; given once, like every flag).
    #[arg(long, value_name = "H,…", value_delimiter = ',', default_value = "1,2,4,8", value_parser = parse_hidden, allow_negative_numbers = true, action = clap::ArgAction::Set)]
    pub hidden: Vec<usize>,

    /// Give every two-layer model of the studies that do not compare a bias
    /// b2 on its output unit, o = σ(h·W2 + b2) (study E's sample, G, the
    /// decision surfaces and hidden units; the report's formulas follow).
    /// Studies D and F train each two-layer size both ways whatever this flag,
    /// to compare them.
    #[arg(long)]
    pub output_bias: bool,

    /// Learning rate of every run (a positive finite number).
    #[arg(long, default_value_t = 1.0, value_name = "LR", value_parser = parse_learning_rate, allow_hyphen_values = true)]
    pub learning_rate: f64,

    /// The training data of studies A–E, as for `train --data`: one of the 16
    /// Boolean functions of (x1, x2) on the notebook's four rows (x1, the
    /// notebook's, is the default; e.g. and, or, xor, nand) or a CSV file ending
    /// in .csv (header `x1,x2,x3,y`, 1 to 16 rows, y in [0, 1]). Study C removes
    /// every non-empty proper subset of rows for up to 4 rows, each single row only
    /// for more.
    #[arg(long, default_value = "x1", value_name = "NAME|FILE.csv", value_parser = crate::data::parse_data)]
    pub data: crate::data::DataSource,

    /// Study E (candle cross-check): how many seeds (0..K−1) of every model to train
    /// again with candle's autograd and compare (0..=100000; 0 skips the study).
    #[arg(long, default_value_t = 8, value_name = "K", value_parser = parse_crosscheck_seeds, allow_negative_numbers = true)]
    pub crosscheck_seeds: u32,

    /// Study E: how many of the first iterations to cross-check (1..=100000000;
    /// candle is far slower per step than the fast path: README, Performance).
    #[arg(long, default_value_t = 2000, value_parser = parse_sweep_iterations, allow_negative_numbers = true)]
    pub crosscheck_iterations: u64,

    /// Folder for the CSVs, plots, README.md and manifest.json (created if missing;
    /// files are replaced atomically, other files are left alone).
    #[arg(long, default_value = "results", value_name = "DIR")]
    pub out: std::path::PathBuf,
}

/// Flags of `train`.
#[derive(Debug, Args)]
pub struct TrainArgs {
    #[command(flatten)]
    pub run: crate::request::RunArgs,

    /// Print one JSON object on stdout instead of text: `layers` (the final weight
    /// matrices, inputs × outputs), `prediction`, `initial_layers`, `outputs`, …
    #[arg(long)]
    pub json: bool,

    /// Print the run as a self-contained NumPy script in the notebook's style
    /// instead of training: run with NumPy alone (`python3 notebook.py`), it trains
    /// the same configuration and prints the final `layers`, `outputs` and
    /// `prediction` as `--json` does, every digit.
    #[arg(long, conflicts_with = "json")]
    pub numpy: bool,
}

/// Flags of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Full-batch training steps of every case (0..=100000000; the notebook's 50000).
    #[arg(long, default_value_t = 50_000, value_parser = parse_iterations, allow_negative_numbers = true)]
    pub iterations: u64,

    /// Largest accepted |Δw| between the two implementations at any compared
    /// iteration (a finite number ≥ 0 without a minus sign; 0 asks for bit-for-bit
    /// agreement). Measured over the 19 cases (5 with the output bias) at 50000
    /// steps: 0 (bit for bit) except for H=8, where the sum h·W2 is ordered
    /// differently and |Δw| reaches 2.7e-15.
    #[arg(long, default_value = "1e-9", value_name = "T", value_parser = parse_tolerance, allow_hyphen_values = true)]
    pub tolerance: f64,

    /// Print one JSON object on stdout instead of the table: `max_abs_diff`,
    /// `cases` (the number of configurations), `passed`, and per-case `results`.
    #[arg(long)]
    pub json: bool,
}

/// Removed row indices, checked against the data set.
#[derive(Clone, Debug, PartialEq)]
pub struct Rows(pub Vec<usize>);

/// One input row for prediction.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Input(pub [f64; 3]);

/// The one parser behind every whole-number flag: a number in `lo..=hi`, or a
/// message naming the range (clap puts the flag and the value in front of it).
pub(crate) fn parse_in_range<T>(s: &str, lo: T, hi: T, what: &str) -> Result<T, String>
where
    T: std::str::FromStr + PartialOrd + std::fmt::Display + Copy,
{
    match s.trim().parse::<T>() {
        Ok(n) if lo <= n && n <= hi => Ok(n),
        _ => Err(format!("expected {what} in {lo}..={hi}")),
    }
}

pub(crate) fn parse_seed(s: &str) -> Result<u32, String> {
    parse_in_range(s, 0, u32::MAX, "a whole number").map_err(|e| format!("{e} (NumPy's seed range)"))
}

pub(crate) fn parse_iterations(s: &str) -> Result<u64, String> {
    parse_in_range(s, 0, MAX_ITERATIONS, "a whole number")
}

fn parse_sweep_iterations(s: &str) -> Result<u64, String> {
    parse_in_range(s, 1, MAX_ITERATIONS, "a whole number")
}

pub(crate) fn parse_seed_count(s: &str) -> Result<u32, String> {
    parse_in_range(s, 1, MAX_SEEDS, "a number of seeds")
}

fn parse_crosscheck_seeds(s: &str) -> Result<u32, String> {
    parse_in_range(s, 0, MAX_SEEDS, "a number of seeds")
}

pub(crate) fn parse_hidden(s: &str) -> Result<usize, String> {
    parse_in_range(s, 1, MAX_HIDDEN, "a whole number of hidden units")
}

/// The largest `sweep --seeds` and `--crosscheck-seeds`.
const MAX_SEEDS: u32 = 100_000;

/// Distinct indices; whether they are rows of the data set is checked with it
/// ([`Config::check_on`](perceptron::Config::check_on)).
pub(crate) fn parse_rows(s: &str) -> Result<Rows, String> {
    let accepted =
        "expected distinct 0-based row indices separated by commas, e.g. 1,2 (0..=3 for a function's four rows)";
    let rows = s
        .split(',')
        .map(|r| r.trim().parse::<usize>().map_err(|_| accepted.to_owned()))
        .collect::<Result<Vec<_>, _>>()?;
    match rows.iter().enumerate().find(|&(i, r)| rows[..i].contains(r)) {
        Some((_, &row)) => Err(format!("{} ({accepted})", ConfigError::RepeatedRow { row })),
        None => Ok(Rows(rows)),
    }
}

fn parse_port(s: &str) -> Result<u16, String> {
    parse_in_range(s, 0, u16::MAX, "a port number").map_err(|e| format!("{e} (0 picks a free one)"))
}

fn parse_host(s: &str) -> Result<std::net::IpAddr, String> {
    s.trim().parse().map_err(|_| "expected an IP address, e.g. 127.0.0.1 or 0.0.0.0".to_owned())
}

pub(crate) fn parse_learning_rate(s: &str) -> Result<f64, String> {
    let accepted = "expected a positive finite number, e.g. 1 or 0.5";
    match s.trim().parse::<f64>() {
        Ok(lr) if perceptron::check_learning_rate(lr).is_ok() => Ok(lr),
        _ => Err(accepted.to_owned()),
    }
}

/// A tolerance is finite and not negative; `-0` is refused with the negatives
/// (it would print as `-0e0`), `0` asks for bit-for-bit agreement.
fn parse_tolerance(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(t) if t.is_finite() && t.is_sign_positive() => Ok(t),
        _ => Err("expected a finite number ≥ 0 without a minus sign, e.g. 1e-9 (0: bit for bit)".to_owned()),
    }
}

pub(crate) fn parse_predict(s: &str) -> Result<Input, String> {
    let accepted = "expected three finite numbers separated by commas, e.g. 1,0,0";
    let values = s
        .split(',')
        .map(|v| v.trim().parse::<f64>().ok().filter(|v| v.is_finite()))
        .collect::<Option<Vec<f64>>>()
        .ok_or_else(|| accepted.to_owned())?;
    <[f64; 3]>::try_from(values).map(Input).map_err(|v| format!("{accepted}, got {} values", v.len()))
}

/// What a clap error means for the user: `--help`/`--version` text for stdout,
/// or the one-line usage error (without `error: `) for stderr.
pub enum ClapOutcome {
    /// Print this on stdout, exit 0.
    Stdout(String),
    /// A usage error (exit 2).
    Usage(crate::error::UsageError),
}

/// Turns a clap error into [`ClapOutcome`]: help and version in full; anything
/// else as its first line with `(see --help)`, every value clap echoes from the
/// command line shown as [`crate::error::cut`] shows values (escaped, so that
/// the line stays whole and keeps the flag and the accepted values; cut at
/// [`crate::error::ECHO_CHARS`]), the flags' own names escaped but never cut.
pub fn clap_outcome(mut err: clap::Error) -> ClapOutcome {
    use crate::error::UsageError;
    use clap::error::ErrorKind;
    match err.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => ClapOutcome::Stdout(err.render().to_string()),
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand | ErrorKind::MissingSubcommand => {
            ClapOutcome::Usage(UsageError::new("a subcommand is required: train, check, sweep or serve (see --help)"))
        }
        _ => {
            show_values(&mut err);
            let rendered = err.render().to_string();
            let first = rendered.lines().next().unwrap_or("invalid command line").trim_end();
            let line = first.strip_prefix("error:").unwrap_or(first).trim_start();
            ClapOutcome::Usage(UsageError::new(format!("{line} (see --help)")))
        }
    }
}

/// Replaces the text in `err`'s context by what a message may show: the
/// user's values (the rejected value, an unknown subcommand or argument) as
/// [`crate::error::cut`] shows them, every other text (the flag as declared,
/// e.g. `--crosscheck-iterations <CROSSCHECK_ITERATIONS>`) escaped only.
/// Rendering the raw text would end the line at a newline and drop ESC, NUL
/// and the other control characters (clap strips them from its message).
fn show_values(err: &mut clap::Error) {
    use crate::error::{cut, escaped};
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let kind = err.kind();
    let users = |context: ContextKind| match context {
        ContextKind::InvalidValue | ContextKind::InvalidSubcommand | ContextKind::TrailingArg => true,
        ContextKind::InvalidArg => kind == ErrorKind::UnknownArgument,
        _ => false,
    };
    let shown: Vec<(ContextKind, ContextValue)> = err
        .context()
        .filter_map(|(context, value)| {
            let show = |s: &String| if users(context) { cut(s) } else { escaped(s) };
            match value {
                ContextValue::String(s) => Some((context, ContextValue::String(show(s)))),
                ContextValue::Strings(list) => Some((context, ContextValue::Strings(list.iter().map(show).collect()))),
                _ => None,
            }
        })
        .collect();
    for (context, value) in shown {
        err.insert(context, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parsers_accept_and_refuse() {
        assert_eq!(parse_rows("2, 0"), Ok(Rows(vec![2, 0])));
        // Row ranges depend on --data: checked with the data set, in `train`.
        assert_eq!(parse_rows("15"), Ok(Rows(vec![15])));
        assert!(parse_rows("1,1").unwrap_err().contains("more than once"));
        assert!(parse_rows("").is_err());
        assert_eq!(parse_predict("-1, 0.5,2"), Ok(Input([-1.0, 0.5, 2.0])));
        assert!(parse_predict("1,0").unwrap_err().contains("got 2 values"));
        assert!(parse_predict("1,0,inf").is_err());
        assert!(parse_predict("1,0,nan").is_err());
        assert!(parse_learning_rate("0").is_err());
        assert!(parse_learning_rate("-1").is_err());
        assert!(parse_learning_rate("NaN").is_err());
        assert_eq!(parse_learning_rate("1e6"), Ok(1e6));
        assert!(parse_hidden("0").is_err());
        assert!(parse_hidden("1025").unwrap_err().contains("1..=1024"));
        assert!(parse_seed("4294967296").is_err());
        assert!(parse_iterations("100000001").is_err());
        assert_eq!(parse_tolerance("1e-9"), Ok(1e-9));
        assert_eq!(parse_tolerance("0"), Ok(0.0));
        assert!(parse_tolerance("-1e-9").is_err());
        assert!(parse_tolerance("inf").is_err());
        assert!(parse_tolerance("NaN").is_err());
        assert!(parse_tolerance("-0").is_err());
        assert_eq!(crate::error::cut(&"x".repeat(41)), format!("{}…", "x".repeat(40)));
        assert_eq!(parse_in_range("7", 1_u64, 7, "n"), Ok(7));
        assert_eq!(parse_in_range("8", 1_u64, 7, "n"), Err("expected n in 1..=7".to_owned()));
    }
}
