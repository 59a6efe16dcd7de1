//! Study G's runs: every (model, rate) batch of seeds trained on the fast path,
//! each run classified from its own trajectory (see `super`'s doc), and each
//! (model, rate) cell's counts and nearest-rank statistics.

use perceptron::{Architecture, Config, Dataset, Network, Schedule, train_batch};
use rayon::prelude::*;
use serde::Serialize;

use super::{FLAT, GRADIENT, HIDDEN, MAX_PRODUCT, RATES, RISE, SAMPLES, SEEDS, TAIL, THRESHOLD};
use crate::sweep::Plan;
use crate::sweep::stats::Sorted;

/// How a run ended (see the module doc of `super`), in the order the rule tests them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    Settled,
    Diverged,
    Oscillating,
    Plateau,
    Descending,
}

impl Serialize for Outcome {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl Outcome {
    /// Every outcome, in the rule's order.
    pub const ALL: [Outcome; 5] =
        [Outcome::Settled, Outcome::Diverged, Outcome::Oscillating, Outcome::Plateau, Outcome::Descending];

    /// How `learning_rate.csv` and the report name it.
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Settled => "settled",
            Outcome::Diverged => "diverged",
            Outcome::Oscillating => "oscillating",
            Outcome::Plateau => "plateau",
            Outcome::Descending => "descending",
        }
    }
}

/// One run of the study (its model, rate and iterations are its [`Cell`]'s);
/// serialised, its columns of `learning_rate.csv` after its cell's.
#[derive(Clone, Debug, Serialize)]
pub struct Run {
    pub seed: u32,
    pub settled_at: Option<u64>,
    /// `½ Σ (y − o)²` with the final weights.
    pub final_loss: f64,
    /// The loss after half the run's iterations (`⌊N / 2⌋`).
    pub half_loss: f64,
    /// `(L_half − L_N) / L_N`: how much the loss fell over the second half, relative.
    pub second_half_drop: f64,
    /// The largest rise `(L_{k+1} − L_k) / L_k` between consecutive samples of the second half (0 if none).
    pub largest_rise: f64,
    /// `‖∂L/∂w‖₂` at the final weights.
    pub gradient_norm: f64,
    /// The first sampled iteration from which every sampled loss is within
    /// `FLAT` (relative) of the final loss.
    pub flat_from: u64,
    /// The final outputs on the rows (0,0), (1,1), (1,0), (0,1).
    pub o_00: f64,
    pub o_11: f64,
    pub o_10: f64,
    pub o_01: f64,
    pub outcome: Outcome,
}

impl Run {
    /// The final outputs, in the notebook's row order.
    pub fn outputs(&self) -> [f64; 4] {
        [self.o_00, self.o_11, self.o_10, self.o_01]
    }
}

/// The runs of one model at one rate; serialised, its columns of
/// `learning_rate_summary.csv` after the model, rate and iterations (see `super`).
#[derive(Clone, Debug, Serialize)]
pub struct Cell {
    #[serde(skip)]
    pub model: Architecture,
    #[serde(skip)]
    pub rate: f64,
    /// The iterations each run trained for.
    #[serde(skip)]
    pub iterations: u64,
    pub runs: usize,
    pub settled: usize,
    pub descending: usize,
    pub plateau: usize,
    pub oscillating: usize,
    pub diverged: usize,
    /// Nearest-rank statistics of the iterations to settle, a run that did not
    /// settle counted as ∞ (`None`: ∞, "not within the run's iterations").
    #[serde(rename = "fastest_seed_settles_at")]
    pub settle_min: Option<u64>,
    #[serde(rename = "lower_quartile_settles_at")]
    pub settle_q1: Option<u64>,
    #[serde(rename = "lower_median_settles_at")]
    pub median_settle: Option<u64>,
    #[serde(rename = "upper_quartile_settles_at")]
    pub settle_q3: Option<u64>,
    #[serde(rename = "slowest_seed_settles_at")]
    pub settle_max: Option<u64>,
    /// The lower median of the final losses.
    pub lower_median_final_loss: f64,
    /// Its runs, in seed order.
    #[serde(skip)]
    pub per_seed: Vec<Run>,
}

impl Cell {
    /// How many of its runs ended as `o`.
    pub fn count(&self, o: Outcome) -> usize {
        self.per_seed.iter().filter(|r| r.outcome == o).count()
    }

    /// Every seed settled.
    pub fn all_settled(&self) -> bool {
        self.settled == self.runs && self.runs > 0
    }
}

/// Everything study G found.
#[derive(Clone, Debug)]
pub struct Findings {
    pub models: Vec<Architecture>,
    /// `rate × iterations` of every run (before rounding up): `min(--iterations, MAX_PRODUCT)`.
    pub product: u64,
    /// Model-major, rates ascending.
    pub cells: Vec<Cell>,
}

impl Findings {
    /// How many runs the study trained.
    pub fn run_count(&self) -> usize {
        self.cells.iter().map(|c| c.per_seed.len()).sum()
    }

    /// How many runs ended as `o`.
    pub fn count(&self, o: Outcome) -> usize {
        self.cells.iter().map(|c| c.count(o)).sum()
    }
}

/// Trains every (model, rate) batch in parallel (collected in job order).
pub fn findings(plan: &Plan) -> Findings {
    let mut models = vec![Architecture::OneLayer];
    models.extend(HIDDEN.map(|hidden| Architecture::TwoLayer { hidden }));
    let jobs: Vec<(Architecture, f64)> = models.iter().flat_map(|&m| RATES.map(|r| (m, r))).collect();
    let data = Dataset::notebook();
    let seeds: Vec<u32> = (0..SEEDS).collect();
    let product = product(plan);
    // The longest jobs first (H = 8 at rate 0.1 trains 200 000 steps, at rate
    // 100 only 200), so that none is left to run alone at the end of the
    // sweep; the cells then go back to job order.
    let cost = |&(model, rate): &(Architecture, f64)| horizon(product, rate) * (model.hidden().unwrap_or(0) as u64 + 1);
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    order.sort_by_key(|&j| std::cmp::Reverse(cost(&jobs[j])));
    let mut cells: Vec<(usize, Cell)> = order
        .par_iter()
        .map(|&j| {
            let (model, rate) = jobs[j];
            let iterations = horizon(product, rate);
            (j, cell(model, rate, iterations, train_cell(model, rate, iterations, &data, &seeds)))
        })
        .collect();
    cells.sort_by_key(|&(j, _)| j);
    Findings { models, product, cells: cells.into_iter().map(|(_, c)| c).collect() }
}

/// `rate × iterations` of every run: `min(--iterations, MAX_PRODUCT)`.
pub fn product(plan: &Plan) -> u64 {
    plan.iterations.min(MAX_PRODUCT)
}

/// The iterations of a run at `rate`: `⌈product / rate⌉`.
pub fn horizon(product: u64, rate: f64) -> u64 {
    (product as f64 / rate).ceil() as u64
}

/// The iterations recorded in a run of `n`: [`SAMPLES`] log-spaced, `⌊n / 2⌋`,
/// and the last [`TAIL`] steps.
pub fn sampled(n: u64) -> Vec<u64> {
    let mut at = Schedule::LogSpaced { points: SAMPLES }.iterations(n);
    at.push(n / 2);
    at.extend(n.saturating_sub(TAIL)..=n);
    Schedule::At(at).iterations(n)
}

fn train_cell(model: Architecture, rate: f64, iterations: u64, data: &Dataset, seeds: &[u32]) -> Vec<Run> {
    let schedule = Schedule::At(sampled(iterations));
    let config = Config { architecture: model, iterations, learning_rate: rate, removed_rows: Vec::new(), seed: 0 }
        .check_on(data)
        .expect("the rates are positive and the iterations finite");
    let trained = train_batch(&config, seeds, &schedule, &[THRESHOLD]);
    trained
        .into_iter()
        .zip(seeds)
        .map(|(t, &seed)| {
            let losses: Vec<(u64, f64)> = t
                .history
                .records
                .iter()
                .map(|r| (r.iteration, 0.5 * r.errors.iter().map(|e| e * e).sum::<f64>()))
                .collect();
            run(seed, &t.network, data, iterations, &losses, t.settled_at[0], t.diverged_at)
        })
        .collect()
}

/// One run's measures and outcome from its final network and sampled losses
/// `(iteration, loss)` (ascending, the last at `n`).
fn run(
    seed: u32,
    network: &Network,
    data: &Dataset,
    n: u64,
    losses: &[(u64, f64)],
    settled_at: Option<u64>,
    diverged_at: Option<u64>,
) -> Run {
    let final_loss = network.loss(data);
    let half_loss = losses.iter().find(|p| p.0 == n / 2).map_or(final_loss, |p| p.1);
    let second: Vec<f64> = losses.iter().filter(|p| p.0 >= n / 2).map(|p| p.1).collect();
    let largest_rise = second.windows(2).map(|w| (w[1] - w[0]) / w[0]).fold(0.0, f64::max);
    let gradient_norm = network.loss_gradient(data).weights().map(|g| g * g).sum::<f64>().sqrt();
    let o = network.forward(data.inputs());
    let second_half_drop = (half_loss - final_loss) / final_loss;
    let far = |l: f64| (l - final_loss).abs() > FLAT * final_loss;
    let flat_from = losses.iter().rposition(|p| far(p.1)).map_or(0, |k| losses.get(k + 1).map_or(n, |p| p.0));
    let outcome = outcome(settled_at, diverged_at, largest_rise, second_half_drop, gradient_norm);
    Run {
        seed,
        settled_at,
        final_loss,
        half_loss,
        second_half_drop,
        largest_rise,
        gradient_norm,
        flat_from,
        o_00: o[0],
        o_11: o[1],
        o_10: o[2],
        o_01: o[3],
        outcome,
    }
}

/// The outcome rule of the module doc of `super`, tested in this order.
pub fn outcome(
    settled_at: Option<u64>,
    diverged_at: Option<u64>,
    largest_rise: f64,
    second_half_drop: f64,
    gradient_norm: f64,
) -> Outcome {
    if settled_at.is_some() {
        Outcome::Settled
    } else if diverged_at.is_some() {
        Outcome::Diverged
    } else if largest_rise > RISE {
        Outcome::Oscillating
    } else if second_half_drop < FLAT && gradient_norm < GRADIENT {
        Outcome::Plateau
    } else {
        Outcome::Descending
    }
}

/// The cell of `runs`, all of `model` at `rate` for `iterations`: their counts and statistics.
fn cell(model: Architecture, rate: f64, iterations: u64, runs: Vec<Run>) -> Cell {
    let count = |o: Outcome| runs.iter().filter(|r| r.outcome == o).count();
    // A run that did not settle sorts last (∞).
    let settle = Sorted::counts(runs.iter().map(|r| r.settled_at.unwrap_or(u64::MAX)));
    let at = |q: f64| settle.quantile_nearest_rank(q).filter(|&t| t != u64::MAX);
    let losses = Sorted::floats(runs.iter().map(|r| r.final_loss));
    Cell {
        model,
        rate,
        iterations,
        runs: runs.len(),
        settled: count(Outcome::Settled),
        descending: count(Outcome::Descending),
        plateau: count(Outcome::Plateau),
        oscillating: count(Outcome::Oscillating),
        diverged: count(Outcome::Diverged),
        settle_min: at(0.0),
        settle_q1: at(0.25),
        median_settle: settle.lower_median().filter(|&t| t != u64::MAX),
        settle_q3: at(0.75),
        settle_max: at(1.0),
        lower_median_final_loss: losses.lower_median().unwrap_or(f64::NAN),
        per_seed: runs,
    }
}

/// The cells of `model`, rates ascending.
pub fn model_cells(findings: &Findings, model: Architecture) -> Vec<&Cell> {
    findings.cells.iter().filter(|c| c.model == model).collect()
}

/// The cell of `model` at `rate`.
pub fn find_cell(findings: &Findings, model: Architecture, rate: f64) -> Option<&Cell> {
    findings.cells.iter().find(|c| c.model == model && c.rate == rate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_follow_the_rule() {
        // Settled first, whatever else; then diverged; then a rise; then flat and still.
        assert_eq!(outcome(Some(5), Some(9), 1.0, 0.0, 0.0), Outcome::Settled);
        assert_eq!(outcome(None, Some(9), 0.0, 0.0, 0.0), Outcome::Diverged);
        assert_eq!(outcome(None, None, RISE * 2.0, 0.0, 0.0), Outcome::Oscillating);
        assert_eq!(outcome(None, None, RISE, FLAT / 2.0, GRADIENT / 2.0), Outcome::Plateau);
        assert_eq!(outcome(None, None, 0.0, FLAT, GRADIENT / 2.0), Outcome::Descending);
        assert_eq!(outcome(None, None, 0.0, FLAT / 2.0, GRADIENT), Outcome::Descending);
    }

    #[test]
    fn samples_hold_the_half_and_the_tail() {
        let s = sampled(1000);
        assert!(s.contains(&500) && s.contains(&0) && s.contains(&1000));
        assert!((1000 - TAIL..=1000).all(|t| s.contains(&t)));
        assert!(s.windows(2).all(|w| w[0] < w[1]));
    }

    /// The fast path's measures and outcomes against a plain loop of
    /// `Network::step`, measured here, on two cells with plateaus, and the
    /// settled_at and plateaus NumPy finds for them:
    /// ```python
    /// # scripts/, PYTHONPATH=.; numpy_studies.py's g_samples, g_gradient_norm, g_outcome
    /// x, y = load_data("x1")
    /// for hidden, rate in ((None, 100.0), (2, 20.0)):
    ///     steps = int(np.ceil(20000 / rate))
    ///     for seed in range(8):
    ///         w = Watch(y, 0.01, g_samples(steps))
    ///         out = run(seed, steps, hidden, (), rate, (1, 0, 0), "x1", observe=w)
    ///         g = g_gradient_norm(out["layers"], x, y, "libm")
    ///         print(hidden, rate, seed, w.settled_at(), g_outcome(w.settled_at(), False, w.losses, steps, g))
    /// # None 100.0: 4 settled, None plateau, 30, None plateau, 51, 7, None plateau, 2
    /// #    (final outputs of seed 1: [1, 1, 1, 1]; seeds 4, 6: [0, 0, 0, 0])
    /// # 2 20.0: 203, 185, None plateau ([0.0054 0.4999 0.4999 0.0052]), 160, 184, 184, 203, 191
    /// ```
    #[test]
    fn cells_match_a_plain_loop_and_numpy() {
        let data = Dataset::notebook();
        let seeds: Vec<u32> = (0..8).collect();
        let numpy: [(Architecture, f64, [Option<u64>; 8]); 2] = [
            (Architecture::OneLayer, 100.0, [Some(4), None, Some(30), Some(51), None, Some(7), None, Some(2)]),
            (
                Architecture::TwoLayer { hidden: 2 },
                20.0,
                [203, 185, 0, 160, 184, 184, 203, 191].map(|t| (t > 0).then_some(t)),
            ),
        ];
        for (model, rate, expected) in numpy {
            let n = horizon(20_000, rate);
            let runs = train_cell(model, rate, n, &data, &seeds);
            let samples = sampled(n);
            for (r, &seed) in runs.iter().zip(&seeds) {
                let mut net = Network::init(model, seed);
                let (mut losses, mut last_above) = (Vec::new(), None);
                for t in 0..=n {
                    let e = data.targets() - &net.forward(data.inputs());
                    if e.iter().fold(0.0f64, |m, v| m.max(v.abs())) >= THRESHOLD {
                        last_above = Some(t);
                    }
                    if samples.contains(&t) {
                        losses.push((t, 0.5 * e.iter().map(|v| v * v).sum::<f64>()));
                    }
                    if t < n {
                        assert!(net.step(&data, rate), "{model:?} seed {seed} stays finite");
                    }
                }
                let settled_at = match last_above {
                    None => Some(0),
                    Some(t) if t < n => Some(t + 1),
                    Some(_) => None,
                };
                let loss_at = |t: u64| losses.iter().find(|p| p.0 == t).expect("sampled").1;
                let second: Vec<f64> = losses.iter().filter(|p| p.0 >= n / 2).map(|p| p.1).collect();
                let rise = second.windows(2).map(|w| (w[1] - w[0]) / w[0]).fold(0.0, f64::max);
                let drop = (loss_at(n / 2) - loss_at(n)) / loss_at(n);
                let gradient = net.loss_gradient(&data).weights().map(|g| g * g).sum::<f64>().sqrt();
                let what = format!("{model:?} rate {rate} seed {seed}");
                assert_eq!(r.settled_at, settled_at, "{what}");
                assert_eq!(r.settled_at, expected[seed as usize], "{what} (NumPy)");
                assert_eq!(r.outcome, outcome(settled_at, None, rise, drop, gradient), "{what}");
                let plateau = expected[seed as usize].is_none();
                assert_eq!(r.outcome == Outcome::Plateau, plateau, "{what} (NumPy)");
                assert_eq!(r.final_loss, net.loss(&data), "{what}");
                assert_eq!(r.gradient_norm, gradient, "{what}");
            }
        }
    }
}
