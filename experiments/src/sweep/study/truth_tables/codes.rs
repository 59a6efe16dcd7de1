//! Why study F's two-layer failures that are not stuck near 0.5 end where they
//! do, read from their final weights: the hidden code of a row is
//! `h(x) = σ(x·W1)` (`[H]`), and the output `o = σ(h·W2)` depends on the row only
//! through it. Rows whose codes are nearly equal (largest `|Δh|` over the units
//! below [`SAME_CODE`], grouped transitively) get nearly the same output, and
//! one output for several rows makes `½ Σ (y − o)²` over them smallest at their
//! average target; a row of the group whose target is far from that average
//! keeps a large error.

use std::fmt::Write;

use perceptron::{Architecture, BooleanFunction, NOTEBOOK_INPUTS, Network, sigmoid};

use super::compute::Run;
use crate::sweep::numbers::fixed;

/// Two rows share a code when no hidden unit differs by this much between them.
pub const SAME_CODE: f64 = 0.01;

/// The hidden codes `h(x)` of the notebook's four rows, in their order (two-layer runs only).
pub fn codes(net: &Network) -> Option<Vec<Vec<f64>>> {
    let Network::TwoLayer { w1, .. } = net else { return None };
    Some(
        NOTEBOOK_INPUTS
            .iter()
            .map(|x| (0..w1.ncols()).map(|j| sigmoid((0..3).fold(0.0, |s, i| s + x[i] * w1[[i, j]]))).collect())
            .collect(),
    )
}

/// `max_j |a_j − b_j|`.
fn distance(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).fold(0.0f64, |m, (x, y)| m.max((x - y).abs()))
}

/// The groups of two or more rows whose codes are within [`SAME_CODE`] of one
/// another (linked pairwise), ascending, each with the largest `|Δh|` inside it.
pub fn shared(codes: &[Vec<f64>]) -> Vec<(Vec<usize>, f64)> {
    let n = codes.len();
    let mut group: Vec<usize> = (0..n).collect();
    for a in 0..n {
        for b in a + 1..n {
            if distance(&codes[a], &codes[b]) < SAME_CODE {
                let (from, to) = (group[b], group[a]);
                group.iter_mut().filter(|g| **g == from).for_each(|g| *g = to);
            }
        }
    }
    let mut out = Vec::new();
    for g in 0..n {
        let rows: Vec<usize> = (0..n).filter(|&r| group[r] == g).collect();
        if rows.len() >= 2 {
            let spread = rows
                .iter()
                .flat_map(|&a| rows.iter().map(move |&b| (a, b)))
                .fold(0.0f64, |m, (a, b)| m.max(distance(&codes[a], &codes[b])));
            out.push((rows, spread));
        }
    }
    out
}

/// `(x1, x2)` of a notebook row.
fn row_name(r: usize) -> String {
    format!("({}, {})", NOTEBOOK_INPUTS[r][0], NOTEBOOK_INPUTS[r][1])
}

/// Names as a readable list: `a, b and c`.
fn list(names: &[String]) -> String {
    match names {
        [] => "none".to_owned(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// `k/n` in lowest terms (`0`, `1` for the ends).
fn fraction(k: usize, n: usize) -> String {
    let gcd = (1..=n).rev().find(|&d| k.is_multiple_of(d) && n.is_multiple_of(d)).unwrap_or(1);
    match (k, n) {
        (0, _) => "0".to_owned(),
        _ if k == n => "1".to_owned(),
        _ => format!("{}/{}", k / gcd, n / gcd),
    }
}

/// One explained kind of failure: a model, a function and the rows sharing a
/// code, with the seeds where it happened.
struct Kind {
    architecture: Architecture,
    function: BooleanFunction,
    rows: Vec<usize>,
    seeds: Vec<u32>,
    spread: f64,
    outputs: (f64, f64),
    errors: (f64, f64),
}

/// The lesson on the failed two-layer runs that are not stuck near 0.5, or
/// `None` when there are none.
pub fn claim(runs: &[Run]) -> Option<String> {
    let failed: Vec<&Run> =
        runs.iter().filter(|r| !r.learned && !r.stuck() && r.architecture.hidden().is_some_and(|h| h >= 2)).collect();
    if failed.is_empty() {
        return None;
    }
    let mut kinds: Vec<Kind> = Vec::new();
    let mut unexplained = Vec::new();
    for r in &failed {
        let groups = codes(&r.network).map(|c| shared(&c)).unwrap_or_default();
        // The group holding the row of the largest error explains it.
        let worst = (0..4).max_by(|&a, &b| {
            let e = |i: usize| (r.function.targets()[i] - r.outputs[i]).abs();
            e(a).total_cmp(&e(b))
        });
        let Some((rows, spread)) = groups.into_iter().find(|(rows, _)| worst.is_some_and(|w| rows.contains(&w))) else {
            unexplained.push(format!("{} {} seed {}", r.architecture.label(), r.function, r.seed));
            continue;
        };
        let outs = rows.iter().map(|&i| r.outputs[i]);
        let (lo, hi) = (outs.clone().fold(f64::INFINITY, f64::min), outs.fold(f64::NEG_INFINITY, f64::max));
        let same =
            kinds.iter_mut().find(|k| k.architecture == r.architecture && k.function == r.function && k.rows == rows);
        match same {
            Some(k) => {
                k.seeds.push(r.seed);
                k.spread = k.spread.max(spread);
                k.outputs = (k.outputs.0.min(lo), k.outputs.1.max(hi));
                k.errors = (k.errors.0.min(r.max_error), k.errors.1.max(r.max_error));
            }
            None => kinds.push(Kind {
                architecture: r.architecture,
                function: r.function,
                rows,
                seeds: vec![r.seed],
                spread,
                outputs: (lo, hi),
                errors: (r.max_error, r.max_error),
            }),
        }
    }
    let (lo, hi) =
        failed.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), r| (l.min(r.max_error), h.max(r.max_error)));
    let errors =
        if fixed(lo, 3) == fixed(hi, 3) { fixed(lo, 3) } else { format!("{}–{}", fixed(lo, 3), fixed(hi, 3)) };
    let mut s = format!(
        "Why the other failures (H ≥ 2) end at {errors}: the output depends on a row only through its hidden code \
         h(x) = σ(x·W1), so rows with nearly the same code get nearly the same output, and one output for several \
         rows makes ½ Σ (y − o)² over them smallest at their average target. At the final weights:"
    );
    for k in &kinds {
        let targets = k.function.targets();
        let ones = k.rows.iter().filter(|&&i| targets[i] >= 0.5).count();
        let mean = ones as f64 / k.rows.len() as f64;
        let far =
            k.rows.iter().copied().max_by(|&a, &b| (targets[a] - mean).abs().total_cmp(&(targets[b] - mean).abs()));
        let names = list(&k.rows.iter().map(|&i| row_name(i)).collect::<Vec<_>>());
        let word = if k.seeds.len() == 1 { "seed" } else { "seeds" };
        let seeds: Vec<String> = k.seeds.iter().map(ToString::to_string).collect();
        let _ = write!(
            s,
            "\n  - H = {}, {} {word} {}: the hidden layer maps {} to one code (largest |Δh| between them {:.1e}, below {SAME_CODE}); their outputs are {}–{} and their average target is {}",
            k.architecture.hidden().unwrap_or(0),
            k.function,
            seeds.join(", "),
            names,
            k.spread,
            fixed(k.outputs.0, 3),
            fixed(k.outputs.1, 3),
            fraction(ones, k.rows.len()),
        );
        if let Some(f) = far {
            let _ = write!(
                s,
                ", so {} (target {}) is left {} from it: the largest error, {}.",
                row_name(f),
                targets[f],
                fraction(((targets[f] - mean).abs() * k.rows.len() as f64).round() as usize, k.rows.len()),
                if fixed(k.errors.0, 3) == fixed(k.errors.1, 3) {
                    fixed(k.errors.0, 3)
                } else {
                    format!("{}–{}", fixed(k.errors.0, 3), fixed(k.errors.1, 3))
                }
            );
        }
    }
    if !unexplained.is_empty() {
        let _ = write!(
            s,
            "\n  - No rows share a code (within {SAME_CODE}) with the row of the largest error in {}.",
            unexplained.join("; ")
        );
    }
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sweep::study::truth_tables::compute::tests::run;

    #[test]
    fn rows_within_the_tolerance_are_grouped_transitively() {
        let codes = vec![vec![0.9, 0.1], vec![0.0, 1.0], vec![0.005, 0.996], vec![0.009, 0.99]];
        let groups = shared(&codes);
        assert_eq!(groups.len(), 1);
        assert_eq!(groups[0].0, vec![1, 2, 3]);
        // |0.009 − 0.0| and |0.99 − 1.0|: rows 1 and 3 differ by 0.01 at most.
        assert!((groups[0].1 - 0.01).abs() < 1e-12, "{}", groups[0].1);
        assert!(shared(&[vec![0.0], vec![0.5]]).is_empty());
    }

    #[test]
    fn fractions_in_lowest_terms() {
        assert_eq!(fraction(2, 3), "2/3");
        assert_eq!(fraction(2, 4), "1/2");
        assert_eq!(fraction(0, 3), "0");
        assert_eq!(fraction(3, 3), "1");
    }

    /// A hand-built H = 2 network that maps (1, 1), (1, 0) and (0, 1) to the
    /// same code, as xor seeds 5 and 6 of H = 2 do in the default sweep.
    #[test]
    fn a_shared_code_explains_the_error_of_two_thirds() {
        let h2 = Architecture::two_layer(2);
        // Unit 0: σ(20 − 30·x1 − 30·x2): on at (0, 0) only. Unit 1: σ(20): on everywhere, and σ(0.693) ≈ 2/3.
        let net = Network::from_weights(h2, &[-30.0, 0.0, -30.0, 0.0, 20.0, 20.0, -5.0, 0.693]);
        let c = codes(&net).expect("two layers");
        let groups = shared(&c);
        assert_eq!(groups.len(), 1);
        assert_eq!(groups[0].0, vec![1, 2, 3]);
        let o = perceptron::NOTEBOOK_INPUTS.map(|x| net.predict(x));
        let mut r = run(BooleanFunction::Xor, h2, 5, o);
        r.network = net;
        assert!(!r.learned && !r.stuck(), "{r:?}");
        let s = claim(&[r]).expect("one failure");
        assert!(s.starts_with("Why the other failures (H ≥ 2) end at 0.667:"), "{s}");
        let bullet = "\n  - H = 2, xor seed 5: the hidden layer maps (1, 1), (1, 0) and (0, 1) to one code";
        assert!(s.contains(bullet), "{s}");
        let rest = "average target is 2/3, so (1, 1) (target 0) is left 2/3 from it: the largest error, 0.667.";
        assert!(s.contains(rest), "{s}");
    }

    /// Study F's xor, H = 2, seed 5 (10000 steps, rate 1): one of the runs that end at 0.667.
    #[test]
    fn xor_seed_5_of_h_2_maps_three_rows_to_one_code() {
        let config = perceptron::Config {
            architecture: Architecture::two_layer(2),
            seed: 5,
            iterations: 10_000,
            ..perceptron::Config::default()
        }
        .check_on(&BooleanFunction::Xor.dataset())
        .expect("a valid config");
        let net = perceptron::train(&config, &perceptron::Schedule::Off).network;
        let groups = shared(&codes(&net).expect("two layers"));
        // NumPy on `train --data xor --hidden 2 --seed 5 --iterations 10000 --json`'s final W1:
        //   X = np.array([[0,0,1],[1,1,1],[1,0,1],[0,1,1.]]); h = 1/(1+np.exp(-(X@W1)))
        //   max(np.abs(h[a]-h[b]).max() for a in (1,2,3) for b in (1,2,3))  → 0.0007402853324746106
        //   np.abs(h[0]-h[1]).max()                                          → 0.6810030090176681
        assert_eq!(groups.len(), 1, "{groups:?}");
        assert_eq!(groups[0].0, vec![1, 2, 3]);
        assert!((groups[0].1 - 0.0007402853324746106).abs() < 1e-12, "{}", groups[0].1);
    }
}
