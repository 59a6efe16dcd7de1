//! Study G's runs: every (model, rate) batch of seeds trained on the fast path,
//! each run classified from its own trajectory (see `super`'s doc), and each
//! (model, rate) cell's counts and nearest-rank statistics.

use perceptron::fast::Lanes;
use perceptron::{Architecture, Dataset, LANES, Network};
use rayon::prelude::*;
use serde::Serialize;

use super::trajectory::Trajectory;
use super::{GRADIENT, HIDDEN, MAX_PRODUCT, NEAR, RATES, SEEDS, THRESHOLD};
use crate::sweep::plan::Plan;
use crate::sweep::stats::Sorted;

/// How a run ended (see the module doc of `super`), in the order the rule tests them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    Settled,
    Diverged,
    Plateau,
    Descending,
}

impl Serialize for Outcome {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl Outcome {
    /// How `learning_rate.csv` and the report name it.
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Settled => "settled",
            Outcome::Diverged => "diverged",
            Outcome::Plateau => "plateau",
            Outcome::Descending => "descending",
        }
    }
}

/// One run of the study (its model, rate and iterations are its [`Cell`]'s);
/// serialised, its columns of `learning_rate.csv` after its cell's. The
/// trajectory's measures are every step's (see `trajectory.rs`).
#[derive(Clone, Debug, Serialize)]
pub struct Run {
    pub seed: u32,
    pub settled_at: Option<u64>,
    /// `½ Σ (y − o)²` with the final weights.
    pub final_loss: f64,
    /// `‖∂L/∂w‖₂` at the final weights.
    pub gradient_norm: f64,
    /// The first step `t` whose update raised the loss (`L_{t+1} > L_t·(1 + RISE)`), and `L_t`.
    pub rose_at: Option<u64>,
    pub loss_before_rise: Option<f64>,
    /// The highest loss after that rise, and the first iteration with it.
    pub peak_loss: Option<f64>,
    pub peak_at: Option<u64>,
    /// How many steps raised the loss.
    pub rising_steps: u64,
    /// The first iteration from which every loss is within `FLAT` (relative) of the final loss.
    pub flat_from: u64,
    /// The longest stretch with the loss within `FLAT` and above `HIGH`, if
    /// it lasts a quarter of the run (`trajectory.rs`): its first and last
    /// iteration and its lowest loss.
    pub stuck_from: Option<u64>,
    pub stuck_to: Option<u64>,
    pub stuck_loss: Option<f64>,
    /// The final outputs on the rows (0,0), (1,1), (1,0), (0,1).
    pub o_00: f64,
    pub o_11: f64,
    pub o_10: f64,
    pub o_01: f64,
    /// Two layers: the largest hidden output on the rows whose output is within `NEAR` of ½.
    pub largest_hidden_at_half: Option<f64>,
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
    /// Runs whose loss rose at some step.
    pub rose: usize,
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
    models.extend(HIDDEN.map(Architecture::two_layer));
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

fn train_cell(model: Architecture, rate: f64, iterations: u64, data: &Dataset, seeds: &[u32]) -> Vec<Run> {
    let mut runs = Vec::with_capacity(seeds.len());
    for chunk in seeds.chunks(LANES) {
        let initial: Vec<Network> = chunk.iter().map(|&s| Network::init(model, s)).collect();
        let mut lanes = Lanes::<LANES>::new(&initial);
        lanes.watch_errors(&[THRESHOLD]);
        let losses = every_loss(&mut lanes, data, rate, iterations);
        for (l, &seed) in chunk.iter().enumerate() {
            let mut trajectory: Vec<f64> = losses.iter().map(|step| step[l]).collect();
            let network = lanes.network(l);
            trajectory.push(network.loss(data));
            let settled_at = lanes.settled_at(l, 0, data);
            runs.push(run(seed, &network, data, iterations, &trajectory, settled_at, lanes.diverged_at(l)));
        }
    }
    runs
}

/// Trains `lanes` for `steps` steps and returns, per step `t`, each lane's
/// `L(w_t)` (the weights step `t + 1` starts from; the final weights' loss is
/// not included), computed in the kernel's own forward pass.
fn every_loss(lanes: &mut Lanes<LANES>, data: &Dataset, rate: f64, steps: u64) -> Vec<[f64; LANES]> {
    lanes.record_losses();
    lanes.run(data, rate, steps);
    lanes.take_losses()
}

/// One run's measures and outcome from its final network and its every loss
/// `losses[t] = L(w_t)`, `t = 0..=n`.
fn run(
    seed: u32,
    network: &Network,
    data: &Dataset,
    n: u64,
    losses: &[f64],
    settled_at: Option<u64>,
    diverged_at: Option<u64>,
) -> Run {
    let final_loss = network.loss(data);
    let t = Trajectory::read(losses);
    let gradient_norm = network.loss_gradient(data).weights().map(|g| g * g).sum::<f64>().sqrt();
    let o = network.forward(data.inputs());
    let outcome = outcome(settled_at, diverged_at, t.flat_from, n, gradient_norm);
    Run {
        seed,
        settled_at,
        final_loss,
        gradient_norm,
        rose_at: t.rose.map(|r| r.0),
        loss_before_rise: t.rose.map(|r| r.1),
        peak_loss: t.peak.map(|p| p.1),
        peak_at: t.peak.map(|p| p.0),
        rising_steps: t.rising_steps,
        flat_from: t.flat_from,
        stuck_from: t.stuck.map(|s| s.from),
        stuck_to: t.stuck.map(|s| s.to),
        stuck_loss: t.stuck.map(|s| s.level),
        o_00: o[0],
        o_11: o[1],
        o_10: o[2],
        o_01: o[3],
        largest_hidden_at_half: largest_hidden_at_half(network, data),
        outcome,
    }
}

/// Two layers: the largest hidden output `h = σ(X·W1)` on the rows whose
/// output is within [`NEAR`] of ½ (`None`: one layer, or no such row).
fn largest_hidden_at_half(network: &Network, data: &Dataset) -> Option<f64> {
    let h = network.hidden_layer(data.inputs())?;
    let o = network.forward(data.inputs());
    let rows: Vec<usize> = (0..o.len()).filter(|&i| (o[i] - 0.5).abs() < NEAR).collect();
    (!rows.is_empty()).then(|| rows.iter().flat_map(|&i| h.row(i).to_vec()).fold(0.0, f64::max))
}

/// The outcome rule of the module doc of `super`, tested in this order: settled,
/// diverged, a plateau (flat from `⌊n/2⌋` on, every step, with a gradient
/// below [`GRADIENT`]), else descending.
pub fn outcome(
    settled_at: Option<u64>,
    diverged_at: Option<u64>,
    flat_from: u64,
    n: u64,
    gradient_norm: f64,
) -> Outcome {
    if settled_at.is_some() {
        Outcome::Settled
    } else if diverged_at.is_some() {
        Outcome::Diverged
    } else if flat_from <= n / 2 && gradient_norm < GRADIENT {
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
        rose: runs.iter().filter(|r| r.rose_at.is_some()).count(),
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
        // Settled first, whatever else; then diverged; then flat over the second half and still.
        assert_eq!(outcome(Some(5), Some(9), 100, 100, 1.0), Outcome::Settled);
        assert_eq!(outcome(None, Some(9), 0, 100, 0.0), Outcome::Diverged);
        assert_eq!(outcome(None, None, 50, 100, GRADIENT / 2.0), Outcome::Plateau);
        assert_eq!(outcome(None, None, 51, 100, GRADIENT / 2.0), Outcome::Descending);
        assert_eq!(outcome(None, None, 0, 100, GRADIENT), Outcome::Descending);
    }

    /// The fast path's measures and outcomes against a plain loop of
    /// `Network::step` that computes `L(w_t)` at every step, on two cells with
    /// plateaus, and the settled_at and plateaus NumPy finds for them:
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
            (Architecture::two_layer(2), 20.0, [203, 185, 0, 160, 184, 184, 203, 191].map(|t| (t > 0).then_some(t))),
        ];
        for (model, rate, expected) in numpy {
            let n = horizon(20_000, rate);
            let runs = train_cell(model, rate, n, &data, &seeds);
            for (r, &seed) in runs.iter().zip(&seeds) {
                let mut net = Network::init(model, seed);
                let (mut losses, mut last_above) = (Vec::new(), None);
                for t in 0..=n {
                    let e = data.targets() - &net.forward(data.inputs());
                    if e.iter().fold(0.0f64, |m, v| m.max(v.abs())) >= THRESHOLD {
                        last_above = Some(t);
                    }
                    losses.push(net.loss(&data));
                    if t < n {
                        assert!(net.step(&data, rate), "{model:?} seed {seed} stays finite");
                    }
                }
                let settled_at = match last_above {
                    None => Some(0),
                    Some(t) if t < n => Some(t + 1),
                    Some(_) => None,
                };
                let plain = Trajectory::read(&losses);
                let gradient = net.loss_gradient(&data).weights().map(|g| g * g).sum::<f64>().sqrt();
                let what = format!("{model:?} rate {rate} seed {seed}");
                assert_eq!(r.settled_at, settled_at, "{what}");
                assert_eq!(r.settled_at, expected[seed as usize], "{what} (NumPy)");
                assert_eq!(r.outcome, outcome(settled_at, None, plain.flat_from, n, gradient), "{what}");
                let plateau = expected[seed as usize].is_none();
                assert_eq!(r.outcome == Outcome::Plateau, plateau, "{what} (NumPy)");
                assert_eq!(r.final_loss, net.loss(&data), "{what}");
                assert_eq!(r.gradient_norm, gradient, "{what}");
                assert_eq!(
                    (r.rose_at, r.loss_before_rise),
                    (plain.rose.map(|x| x.0), plain.rose.map(|x| x.1)),
                    "{what}"
                );
                assert_eq!((r.peak_at, r.peak_loss), (plain.peak.map(|x| x.0), plain.peak.map(|x| x.1)), "{what}");
                assert_eq!((r.rising_steps, r.flat_from), (plain.rising_steps, plain.flat_from), "{what}");
                assert_eq!(r.stuck_from, plain.stuck.map(|x| x.from), "{what}");
            }
        }
        // Issue 30's example: one layer at rate 100, seed 1, jumps from the
        // notebook's initial loss, L(w_0) = 0.6199 (study A's table), to L ≈ 1
        // on its first step, and stays there.
        let one = train_cell(Architecture::OneLayer, 100.0, 200, &data, &[1]);
        assert_eq!(one[0].rose_at, Some(0));
        assert!((one[0].loss_before_rise.unwrap() - 0.6199).abs() < 5e-5, "{:?}", one[0]);
        assert!(one[0].peak_at == Some(1) && one[0].peak_loss.unwrap() > 0.9999, "{:?}", one[0]);
    }
}
