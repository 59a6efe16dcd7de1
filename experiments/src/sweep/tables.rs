//! The sweep's CSV files: one `#[derive(Serialize)]` row type per file (headers
//! come from the field names), built from the runs in a fixed order.

use perceptron::{Architecture, Trained};
use serde::Serialize;

use super::runs::{RunSummary, THRESHOLDS, is_correct};
use super::stats::Sorted;

/// `removed` rows joined by `+`, e.g. `1+2`; `none` for the empty set.
pub fn rows_label(rows: &[usize]) -> String {
    if rows.is_empty() { "none".to_owned() } else { rows.iter().map(ToString::to_string).collect::<Vec<_>>().join("+") }
}

/// Serialises rows to CSV bytes with a header row.
pub fn to_csv<T: Serialize>(rows: &[T]) -> anyhow::Result<Vec<u8>> {
    to_csv_iter(rows)
}

/// Serialises rows produced one at a time (never all held at once) to CSV bytes.
pub fn to_csv_iter<T: Serialize>(rows: impl IntoIterator<Item = T>) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for row in rows {
        w.serialize(row)?;
    }
    Ok(w.into_inner()?)
}

/// Like [`to_csv_iter`], but an empty table still gets its header row (taken
/// from `T::default()`), so a reader always finds the columns.
pub fn to_csv_with_header<'a, T: Serialize + Default + 'a>(
    rows: impl IntoIterator<Item = &'a T>,
) -> anyhow::Result<Vec<u8>> {
    let mut rows = rows.into_iter().peekable();
    if rows.peek().is_some() {
        return to_csv_iter(rows);
    }
    let example = to_csv(&[T::default()])?;
    let header_end = example.iter().position(|&b| b == b'\n').map_or(example.len(), |i| i + 1);
    Ok(example[..header_end].to_vec())
}

/// `weights.csv`: the notebook's run, one row per recorded iteration.
#[derive(Serialize)]
pub struct WeightRow {
    pub iteration: u64,
    pub w1: f64,
    pub w2: f64,
    pub w3: f64,
}

pub fn weight_rows(run: &Trained) -> Vec<WeightRow> {
    run.history
        .records
        .iter()
        .map(|r| WeightRow { iteration: r.iteration, w1: r.weights[0], w2: r.weights[1], w3: r.weights[2] })
        .collect()
}

/// `errors.csv`: the notebook's run, one row per recorded iteration and training row.
#[derive(Serialize)]
pub struct ErrorRow {
    pub model: String,
    pub iteration: u64,
    pub row: usize,
    pub target: f64,
    pub output: f64,
    pub error: f64,
}

/// `targets`: `y` of the rows the run trained on, in their order.
pub fn error_rows(run: &Trained, targets: &[f64]) -> Vec<ErrorRow> {
    let model = run.network.architecture().label();
    run.history
        .records
        .iter()
        .flat_map(|r| {
            (0..r.outputs.len()).map(|i| ErrorRow {
                model: model.clone(),
                iteration: r.iteration,
                row: i,
                target: targets[i],
                output: r.outputs[i],
                error: r.errors[i],
            })
        })
        .collect()
}

/// `seeds.csv`: the one-layer model on all rows, one row per seed.
#[derive(Serialize)]
pub struct SeedRow {
    pub seed: u32,
    pub w1_initial: f64,
    pub w2_initial: f64,
    pub w3_initial: f64,
    pub w1: f64,
    pub w2: f64,
    pub w3: f64,
    pub prediction: f64,
    pub correct: bool,
    pub rule_correct: usize,
    pub loss: f64,
    /// The step at which training stopped on a non-finite weight (empty: never).
    pub diverged_at: Option<u64>,
}

pub fn seed_rows(runs: &[&RunSummary]) -> Vec<SeedRow> {
    runs.iter()
        .map(|r| (r, r.weights()))
        .map(|(r, (initial, last))| SeedRow {
            seed: r.seed,
            w1_initial: initial[0],
            w2_initial: initial[1],
            w3_initial: initial[2],
            w1: last[0],
            w2: last[1],
            w3: last[2],
            prediction: r.prediction(),
            correct: is_correct(r.prediction(), 1.0),
            rule_correct: r.rule_correct(),
            loss: r.loss,
            diverged_at: r.diverged_at,
        })
        .collect()
}

/// `convergence.csv`: one row per model and seed (all rows kept).
#[derive(Serialize)]
pub struct ConvergenceRow {
    pub model: String,
    pub hidden: usize,
    pub seed: u32,
    /// The iteration from which `max |y − o| < 0.05` holds to the end (empty: not at the end).
    pub iterations_to_0_05: Option<u64>,
    /// The iteration from which `max |y − o| < 0.01` holds to the end (empty: not at the end).
    pub iterations_to_0_01: Option<u64>,
    pub final_max_error: f64,
    pub final_loss: f64,
    pub prediction: f64,
    pub rule_correct: usize,
    /// The step at which training stopped on a non-finite weight (empty: never).
    pub diverged_at: Option<u64>,
}

pub fn convergence_rows(runs: &[&RunSummary]) -> Vec<ConvergenceRow> {
    const _: () = assert!(THRESHOLDS.len() == 2);
    runs.iter()
        .map(|r| ConvergenceRow {
            model: r.architecture.label(),
            hidden: hidden_of(r.architecture),
            seed: r.seed,
            iterations_to_0_05: r.settled_at[0],
            iterations_to_0_01: r.settled_at[1],
            final_max_error: r.final_max_error,
            final_loss: r.loss,
            prediction: r.prediction(),
            rule_correct: r.rule_correct(),
            diverged_at: r.diverged_at,
        })
        .collect()
}

/// `0` for the one-layer model, `H` otherwise.
pub fn hidden_of(architecture: Architecture) -> usize {
    architecture.hidden().unwrap_or(0)
}

/// `convergence_curves.csv`: quantiles over seeds of `max |y − o|` per model and iteration.
#[derive(Serialize, Clone)]
pub struct CurveRow {
    pub model: String,
    pub iteration: u64,
    pub p10: f64,
    pub median: f64,
    pub p90: f64,
}

/// The rows of one model from its runs' curves (`curves[run][k]` at `iterations[k]`).
pub fn curve_rows(model: &str, curves: &[Vec<f64>], iterations: &[u64]) -> Vec<CurveRow> {
    iterations
        .iter()
        .enumerate()
        .map(|(k, &t)| {
            let v = Sorted::floats(curves.iter().map(|c| c[k]));
            let at = |q| v.quantile_nearest_rank(q).unwrap_or(f64::NAN);
            let median = v.lower_median().unwrap_or(f64::NAN);
            CurveRow { model: model.to_owned(), iteration: t, p10: at(0.1), median, p90: at(0.9) }
        })
        .collect()
}

/// `convergence_summary.csv`: one row per model. (Field lists of the row types
/// resemble each other in shape; each is one file's columns.)
#[derive(Serialize, Clone)]
pub struct ConvergenceSummaryRow {
    pub model: String,
    pub runs: usize,
    /// Runs that reached `max |y − o| < 0.05` / `< 0.01`.
    pub reached_0_05: usize,
    pub reached_0_01: usize,
    /// Median over the runs that reached it (empty: none did).
    pub median_iterations_to_0_05: Option<u64>,
    pub median_iterations_to_0_01: Option<u64>,
    pub median_final_loss: f64,
    pub mean_rule_correct: f64,
    pub share_correct: f64,
    pub diverged: usize,
}

pub fn convergence_summary(model: &str, rows: &[&ConvergenceRow]) -> ConvergenceSummaryRow {
    let to05: Vec<u64> = rows.iter().filter_map(|r| r.iterations_to_0_05).collect();
    let to01: Vec<u64> = rows.iter().filter_map(|r| r.iterations_to_0_01).collect();
    let n = rows.len() as f64;
    ConvergenceSummaryRow {
        model: model.to_owned(),
        runs: rows.len(),
        reached_0_05: to05.len(),
        reached_0_01: to01.len(),
        median_iterations_to_0_05: Sorted::counts(to05).lower_median(),
        median_iterations_to_0_01: Sorted::counts(to01).lower_median(),
        median_final_loss: Sorted::floats(rows.iter().map(|r| r.final_loss)).lower_median().unwrap_or(f64::NAN),
        mean_rule_correct: rows.iter().map(|r| r.rule_correct as f64).sum::<f64>() / n,
        share_correct: rows.iter().filter(|r| is_correct(r.prediction, 1.0)).count() as f64 / n,
        diverged: rows.iter().filter(|r| r.diverged_at.is_some()).count(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        assert_eq!(rows_label(&[1, 2]), "1+2");
        assert_eq!(rows_label(&[]), "none");
    }

    #[derive(Serialize, Default)]
    struct Pair {
        a: u32,
        b_c: f64,
    }

    #[test]
    fn an_empty_table_keeps_its_header() {
        assert_eq!(to_csv_with_header::<Pair>([]).unwrap(), b"a,b_c\n");
        assert_eq!(to_csv_with_header(&[Pair { a: 1, b_c: 0.5 }]).unwrap(), b"a,b_c\n1,0.5\n");
    }
}
