//! Why study D's stuck two-layer runs are stuck, read from their final weights.
//!
//! The runs keep no two-layer weights ([`RunSummary`] is fixed-size), so the
//! first [`EXPLAINED`] stuck seeds of a model are trained again: the same seed,
//! data, iterations and rate give the same bits (`perceptron::train_batch`),
//! which [`plateaus`] checks against each run's recorded loss. For each run,
//! with `h = σ(X·W1)` (`[n, H]`) and `o = σ(h·W2)` (`[n]`):
//! - the rows *on the threshold*: `|o − 0.5| <` [`ON_THRESHOLD`];
//! - there: the largest hidden output `h`, the largest `|h·W2|` (the output's
//!   input, with no bias), the smallest output delta `|(y − o)·o·(1 − o)|`;
//! - the whole gradient `‖∂L/∂w‖` (every weight, `L = ½ Σ (y − o)²`).
//!
//! `∂L/∂W2 = −hᵀ·d2` and `∂L/∂W1 = −Xᵀ·((d2 ⊗ W2) ⊙ h ⊙ (1 − h))`, so on a row
//! where every `h` is near 0 the output delta reaches the weights multiplied by
//! `h` or `h·(1 − h)`, both at most `h`.

use std::fmt::Write;

use anyhow::{Result, ensure};
use ndarray::Array1;
use perceptron::{Architecture, Config, Dataset, Network, Schedule, sigmoid, train_batch};

use crate::sweep::numbers::shortest;
use crate::sweep::plan::Plan;
use crate::sweep::runs::RunSummary;

/// A row is on the threshold when its output is within this of 0.5.
pub const ON_THRESHOLD: f64 = 0.01;
/// Hidden outputs below this on the threshold rows count as "near 0".
pub const NEAR_ZERO: f64 = 0.01;
/// At most this many stuck seeds of a model are trained again and explained (one batch of lanes).
pub const EXPLAINED: usize = perceptron::LANES;

/// One stuck run, measured at its final weights.
#[derive(Clone, Debug, PartialEq)]
pub struct Plateau {
    pub seed: u32,
    /// The data set's rows with `|o − 0.5| <` [`ON_THRESHOLD`], ascending.
    pub rows: Vec<usize>,
    /// The smallest and largest output on those rows.
    pub outputs: (f64, f64),
    /// The largest hidden output on those rows, any unit.
    pub largest_hidden: f64,
    /// The largest `|h·W2|` on those rows.
    pub largest_sum: f64,
    /// The smallest `|y − o|` on those rows.
    pub smallest_error: f64,
    /// The smallest `|(y − o)·o·(1 − o)|` on those rows.
    pub smallest_delta: f64,
    /// `‖∂L/∂w‖` over every weight.
    pub gradient_norm: f64,
}

/// Measures one two-layer network on `data`.
///
/// # Panics
/// On a one-layer network (only two-layer runs get stuck this way).
pub fn measure(seed: u32, net: &Network, data: &Dataset) -> Plateau {
    let Network::TwoLayer { w1, w2, .. } = net else { panic!("a two-layer network") };
    let h = data.inputs().dot(w1).mapv(sigmoid);
    let sums: Array1<f64> = h.dot(w2);
    let o = sums.mapv(sigmoid);
    let y = data.targets();
    let rows: Vec<usize> = (0..o.len()).filter(|&i| (o[i] - 0.5).abs() < ON_THRESHOLD).collect();
    let fold =
        |f: &dyn Fn(usize) -> f64, start: f64, pick: fn(f64, f64) -> f64| rows.iter().map(|&i| f(i)).fold(start, pick);
    let gradient = net.loss_gradient(data);
    Plateau {
        seed,
        outputs: (fold(&|i| o[i], f64::INFINITY, f64::min), fold(&|i| o[i], f64::NEG_INFINITY, f64::max)),
        largest_hidden: fold(&|i| h.row(i).fold(0.0f64, |m, &v| m.max(v)), 0.0, f64::max),
        largest_sum: fold(&|i| sums[i].abs(), 0.0, f64::max),
        smallest_error: fold(&|i| (y[i] - o[i]).abs(), f64::INFINITY, f64::min),
        smallest_delta: fold(&|i| ((y[i] - o[i]) * o[i] * (1.0 - o[i])).abs(), f64::INFINITY, f64::min),
        gradient_norm: gradient.weights().map(|g| g * g).sum::<f64>().sqrt(),
        rows,
    }
}

/// Trains the first [`EXPLAINED`] of `stuck` again (all rows of the plan's data,
/// its iterations and rate) and measures each.
///
/// # Errors
/// A retrained run's loss differs from the one the sweep recorded (it would not
/// be the same run).
pub fn plateaus(plan: &Plan, hidden: usize, stuck: &[&RunSummary]) -> Result<Vec<Plateau>> {
    let stuck = &stuck[..stuck.len().min(EXPLAINED)];
    let seeds: Vec<u32> = stuck.iter().map(|r| r.seed).collect();
    let architecture = Architecture::two_layer(hidden);
    let (iterations, learning_rate) = (plan.iterations, plan.learning_rate);
    let config = Config { architecture, iterations, learning_rate, removed_rows: Vec::new(), seed: 0 }
        .check_on(&plan.data)
        .map_err(|e| anyhow::anyhow!("study D, stuck runs: {e}"))?;
    let runs = train_batch(&config, &seeds, &Schedule::Off, &[]);
    let mut out = Vec::new();
    for (run, summary) in runs.iter().zip(stuck) {
        let loss = run.network.loss(&plan.data);
        ensure!(
            loss.to_bits() == summary.loss.to_bits(),
            "study D: seed {} of H = {hidden} trained again ends at loss {loss:e}, not the sweep's {:e}",
            summary.seed,
            summary.loss
        );
        out.push(measure(summary.seed, &run.network, &plan.data));
    }
    Ok(out)
}

/// `(1, 1, 1) and (1, 0, 1)`, with `(the rows with x1 = 1)` when they are
/// exactly the rows of `data` sharing that value of x1 (or of x2).
pub fn describe_rows(rows: &[usize], data: &Dataset) -> String {
    let table = data.table();
    let one = |i: usize| {
        let x = table[i].0;
        format!("({}, {}, {})", shortest(x[0]), shortest(x[1]), shortest(x[2]))
    };
    let names: Vec<String> = rows.iter().map(|&i| one(i)).collect();
    let mut s = match names.as_slice() {
        [] => "none".to_owned(),
        [only] => only.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    };
    if let Some(&first) = rows.first() {
        for k in 0..2 {
            let v = table[first].0[k];
            let sharing: Vec<usize> = (0..table.len()).filter(|&i| table[i].0[k] == v).collect();
            if sharing == rows && rows.len() < table.len() {
                let _ = write!(s, " (the rows with x{} = {})", k + 1, shortest(v));
                break;
            }
        }
    }
    s
}

/// `a–b` at `decimals`, or `a` when both read the same.
fn range((lo, hi): (f64, f64), decimals: usize) -> String {
    let (a, b) = (format!("{lo:.decimals$}"), format!("{hi:.decimals$}"));
    if a == b { a } else { format!("{a}–{b}") }
}

/// `, so a step at learning rate r moves them by at most r·‖g‖` (nothing when that overflows).
fn step(rate: f64, gradient: f64) -> String {
    let moved = rate * gradient;
    if moved.is_finite() {
        format!(", so a step at learning rate {} moves them by at most {}", shortest(rate), sci(moved))
    } else {
        String::new()
    }
}

fn sci(v: f64) -> String {
    format!("{v:.1e}")
}

/// Study D's lesson for one model's stuck runs: a table of the measurements,
/// then what they show.
pub fn explain(s: &mut String, plan: &Plan, hidden: usize, stuck: usize, found: &[Plateau]) {
    let data = &plan.data;
    if found.is_empty() {
        return;
    }
    let which =
        if stuck > found.len() { format!("the first {} of these runs", found.len()) } else { "these runs".to_owned() };
    let _ = writeln!(
        s,
        "At the final weights of {which} (trained again; `h` the hidden outputs, `o = σ(h·W2)`), the rows whose output is within {ON_THRESHOLD} of 0.5:\n"
    );
    let _ = writeln!(
        s,
        "| seed | rows with \\|o − 0.5\\| < {ON_THRESHOLD} | o there | largest h there | largest \\|h·W2\\| there | smallest \\|(y − o)·o·(1 − o)\\| there | ‖∂L/∂w‖ |"
    );
    let _ = writeln!(s, "|---:|---|---|---:|---:|---:|---:|");
    for p in found {
        let none = p.rows.is_empty();
        let cell = |v: String| if none { "–".to_owned() } else { v };
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {} |",
            p.seed,
            describe_rows(&p.rows, data),
            cell(range(p.outputs, 5)),
            cell(sci(p.largest_hidden)),
            cell(sci(p.largest_sum)),
            cell(format!("{:.4}", p.smallest_delta)),
            sci(p.gradient_norm)
        );
    }
    let _ = writeln!(s);
    let plateau: Vec<&Plateau> = found.iter().filter(|p| !p.rows.is_empty() && p.largest_hidden < NEAR_ZERO).collect();
    if !plateau.is_empty() {
        let max = |f: fn(&Plateau) -> f64| plateau.iter().map(|p| f(p)).fold(0.0f64, f64::max);
        let delta = plateau.iter().map(|p| p.smallest_delta).fold(f64::INFINITY, f64::min);
        let same_rows = plateau.iter().all(|p| p.rows == plateau[0].rows);
        let rows = if same_rows { describe_rows(&plateau[0].rows, data) } else { "the rows in the table".to_owned() };
        let count = if plateau.len() == found.len() {
            "In every one of them".to_owned()
        } else {
            format!("In {} of them", plateau.len())
        };
        let _ = writeln!(
            s,
            "**Why two-layer H = {hidden} runs get stuck.** {count}, every hidden unit is at most {} on {rows}. The output unit has no bias input (the same missing bias that stops H = 1), so there `o = σ(h·W2)` with `|h·W2|` at most {}: `o ≈ σ(0) = 0.5`, and the error `|y − o|` there is at least {:.4}. That error is not what vanishes: the output delta `(y − o)·o·(1 − o)` there is still at least {:.4}. It reaches `W2` multiplied by `h` and `W1` multiplied by `h·(1 − h)`, both at most {} on these rows, so the whole gradient `‖∂L/∂w‖` is at most {}: the hidden units are saturated at 0 on these rows and the loss is flat around the weights{}.\n",
            sci(max(|p| p.largest_hidden)),
            sci(max(|p| p.largest_sum)),
            plateau.iter().map(|p| p.smallest_error).fold(f64::INFINITY, f64::min),
            delta,
            sci(max(|p| p.largest_hidden)),
            sci(max(|p| p.gradient_norm)),
            step(plan.learning_rate, max(|p| p.gradient_norm)),
        );
    }
    let seeds = |pick: &dyn Fn(&Plateau) -> bool| {
        let listed: Vec<String> = found.iter().filter(|p| pick(p)).map(|p| p.seed.to_string()).collect();
        match listed.len() {
            0 => String::new(),
            1 => format!("Seed {}", listed[0]),
            _ => format!("Seeds {}", listed.join(", ")),
        }
    };
    let off = seeds(&|p| p.rows.is_empty());
    if !off.is_empty() {
        let _ = writeln!(s, "{off}: no row within {ON_THRESHOLD} of 0.5, so not this plateau (see their numbers).\n");
    }
    let warm = seeds(&|p| !p.rows.is_empty() && p.largest_hidden >= NEAR_ZERO);
    if !warm.is_empty() {
        let _ = writeln!(
            s,
            "{warm}: rows within {ON_THRESHOLD} of 0.5, but a hidden output of {NEAR_ZERO} or more there (see their numbers).\n"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_named_and_recognised_by_a_shared_input() {
        let data = Dataset::notebook();
        // The notebook's rows: (0, 0, 1), (1, 1, 1), (1, 0, 1), (0, 1, 1).
        assert_eq!(describe_rows(&[1, 2], &data), "(1, 1, 1) and (1, 0, 1) (the rows with x1 = 1)");
        assert_eq!(describe_rows(&[1, 3], &data), "(1, 1, 1) and (0, 1, 1) (the rows with x2 = 1)");
        assert_eq!(describe_rows(&[0, 1], &data), "(0, 0, 1) and (1, 1, 1)");
        assert_eq!(describe_rows(&[], &data), "none");
    }

    /// A hand-built network whose two hidden units are off on the rows with x1 = 1.
    #[test]
    fn measure_reads_the_rows_on_the_threshold() {
        // W1 columns: −20·x1 + 2 for both units; W2 = (−3, −3).
        let net = Network::from_weights(Architecture::two_layer(2), &[-20.0, -20.0, 0.0, 0.0, 2.0, 2.0, -3.0, -3.0]);
        let p = measure(7, &net, &Dataset::notebook());
        assert_eq!(p.rows, vec![1, 2]);
        // h = σ(−18) on rows 1, 2; o = σ(−6·σ(−18)); x1 = 0 rows: o = σ(−6·σ(2)) ≈ 0.0047.
        let h = sigmoid(-18.0);
        assert!((p.largest_hidden - h).abs() < 1e-20, "{}", p.largest_hidden);
        assert!((p.largest_sum - 6.0 * h).abs() < 1e-20);
        let o = sigmoid(-6.0 * h);
        assert_eq!(p.outputs, (o, o));
        assert!((p.smallest_error - (1.0 - o)).abs() < 1e-15);
        assert!((p.smallest_delta - (1.0 - o) * o * (1.0 - o)).abs() < 1e-15);
        assert!(p.gradient_norm > 0.0 && p.gradient_norm.is_finite());
    }

    /// The default sweep's stuck seed 2 of H = 2 (the notebook's rule, 50000 steps, rate 1).
    #[test]
    fn seed_2_of_h_2_sits_on_the_plateau() {
        let config = Config { architecture: Architecture::two_layer(2), seed: 2, ..Config::default() }
            .check()
            .expect("a valid config");
        let net = perceptron::train(&config, &Schedule::Off).network;
        let p = measure(2, &net, &Dataset::notebook());
        // NumPy on `train --hidden 2 --seed 2 --json`'s final `layers` (W1, W2):
        //   X = np.array([[0,0,1],[1,1,1],[1,0,1],[0,1,1.]]); y = np.array([[0,1,1,0.]]).T
        //   h = sig(X@W1); o = sig(h@W2); d2 = (y-o)*o*(1-o); d1 = (d2@W2.T)*h*(1-h)
        //   h[1:3].max()                  → 3.115478223701709e-05
        //   np.abs(h@W2)[1:3].max()       → 0.00015748194908293448
        //   np.sqrt(((X.T@d1)**2).sum() + ((h.T@d2)**2).sum())   → 3.215107221156202e-05
        //   o.ravel()                     → [0.00336179, 0.49996448, 0.49996063, 0.0032910]
        assert_eq!(p.rows, vec![1, 2]);
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * b.abs();
        assert!(close(p.largest_hidden, 3.115478223701709e-05), "{}", p.largest_hidden);
        assert!(close(p.largest_sum, 0.00015748194908293448), "{}", p.largest_sum);
        assert!(close(p.gradient_norm, 3.215107221156202e-05), "{}", p.gradient_norm);
    }

    /// The lesson is written only for the runs whose numbers show it; the others are named.
    #[test]
    fn explain_separates_the_plateau_from_other_stuck_runs() {
        let on = Plateau {
            seed: 2,
            rows: vec![1, 2],
            outputs: (0.49996, 0.49996),
            largest_hidden: 3.1e-5,
            largest_sum: 1.6e-4,
            smallest_error: 0.50004,
            smallest_delta: 0.125,
            gradient_norm: 3.2e-5,
        };
        let off = Plateau { seed: 8, rows: vec![], gradient_norm: 6.5e-3, ..on.clone() };
        let mut s = String::new();
        explain(&mut s, &Plan::for_tests(100), 2, 3, &[on, off]);
        assert!(s.starts_with("At the final weights of the first 2 of these runs"), "{s}");
        assert!(s.contains("| 8 | none | – | – | – | – | 6.5e-3 |"), "{s}");
        assert!(
            s.contains(
                "In 1 of them, every hidden unit is at most 3.1e-5 on (1, 1, 1) and (1, 0, 1) (the rows with x1 = 1)."
            ),
            "{s}"
        );
        assert!(s.contains("a step at learning rate 1 moves them by at most 3.2e-5."), "{s}");
        assert!(s.contains("Seed 8: no row within 0.01 of 0.5, so not this plateau"), "{s}");
        let mut none = String::new();
        explain(&mut none, &Plan::for_tests(100), 2, 0, &[]);
        assert!(none.is_empty());
    }
}
