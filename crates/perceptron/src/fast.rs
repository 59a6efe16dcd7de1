//! The fast path: the same arithmetic as [`crate::Network`], bit for bit, on
//! fixed-size arrays with no allocation in the loop, and `L` independent runs
//! ("lanes", structure of arrays across seeds) interleaved in one loop.
//!
//! What bounds it: a step is a short dependent chain `dot → exp → update`. One
//! run waits on the exponential's latency; `L` interleaved runs give the CPU
//! `L` independent chains, so it is bounded by the exponential's throughput
//! instead. Lanes do not change any lane's arithmetic: each lane computes
//! exactly what a single run computes.
//!
//! Order of operations (matching [`crate::Network`], see its module doc):
//! - `X·w` and `X·W1` sum `x_k·w_k` for `k = 0, 1, 2` starting from `0.0`;
//! - `h·W2` sums as ndarray's `unrolled_dot` (eight partial sums for `H ≥ 8`);
//! - `Xᵀδ`, `hᵀd2`, `Xᵀd1` sum over rows `i = 0..n` starting from `0.0`;
//! - `δ = (y − o)·(o·(1 − o))`, `d1 = (d2·W2_j)·(h·(1 − h))`, `w + lr·g`.
//!
//! A step that would make a lane's weights non-finite is not applied: the lane
//! keeps its last finite weights (so repeating the step changes nothing) and
//! records the iteration at which it diverged, as [`crate::Network::step`] does.

use crate::{Architecture, Dataset, Network, sigmoid};

/// At most this many training rows (the notebook's table has 4).
const MAX_ROWS: usize = 4;

/// The data set as fixed-size arrays (`n` rows used).
#[derive(Clone, Copy, Debug)]
struct Rows<const N: usize> {
    x: [[f64; 3]; N],
    y: [f64; N],
}

impl<const N: usize> Rows<N> {
    fn new(data: &Dataset) -> Self {
        assert_eq!(data.len(), N);
        let (xs, ys) = (data.inputs(), data.targets());
        Self { x: std::array::from_fn(|i| std::array::from_fn(|k| xs[[i, k]])), y: std::array::from_fn(|i| ys[i]) }
    }
}

/// Sums `term(0..n)` in the order of ndarray's `unrolled_dot`: eight partial
/// sums over whole chunks of 8, combined as `(p0+p4), (p1+p5), (p2+p6), (p3+p7)`,
/// then the remaining terms one by one.
#[inline(always)]
fn ndarray_sum(n: usize, term: impl Fn(usize) -> f64) -> f64 {
    let mut p = [0.0f64; 8];
    let chunks = n / 8;
    for c in 0..chunks {
        for u in 0..8 {
            p[u] += term(8 * c + u);
        }
    }
    let mut sum = 0.0;
    sum += p[0] + p[4];
    sum += p[1] + p[5];
    sum += p[2] + p[6];
    sum += p[3] + p[7];
    for k in 8 * chunks..n {
        sum += term(k);
    }
    sum
}

/// `L` one-layer runs in lockstep: `w[k][lane]`.
#[derive(Clone, Debug)]
struct OneLayerLanes<const L: usize> {
    w: [[f64; L]; 3],
}

impl<const L: usize> OneLayerLanes<L> {
    #[inline(always)]
    fn step<const N: usize, const WATCH: bool>(
        &mut self,
        rows: &Rows<N>,
        lr: f64,
        iteration: u64,
        diverged: &mut [Option<u64>; L],
        max_error: &mut [f64; L],
    ) {
        let w = &self.w;
        let mut g = [[0.0f64; L]; 3];
        for i in 0..N {
            let x = rows.x[i];
            for l in 0..L {
                let z = 0.0 + x[0] * w[0][l] + x[1] * w[1][l] + x[2] * w[2][l];
                let o = sigmoid(z);
                let e = rows.y[i] - o;
                if WATCH {
                    max_error[l] = max_error[l].max(e.abs());
                }
                let d = e * (o * (1.0 - o));
                for k in 0..3 {
                    g[k][l] += x[k] * d;
                }
            }
        }
        for l in 0..L {
            let next: [f64; 3] = std::array::from_fn(|k| self.w[k][l] + lr * g[k][l]);
            if next.iter().all(|v| v.is_finite()) {
                for k in 0..3 {
                    self.w[k][l] = next[k];
                }
            } else if diverged[l].is_none() {
                diverged[l] = Some(iteration);
            }
        }
    }
}

/// `L` two-layer runs in lockstep: `w1[k·H + j][lane]`, `w2[j][lane]`, with scratch.
#[derive(Clone, Debug)]
struct TwoLayerLanes<const L: usize> {
    hidden: usize,
    w1: Vec<[f64; L]>,
    w2: Vec<[f64; L]>,
    h: Vec<[f64; L]>,
    d2: [[f64; L]; MAX_ROWS],
    g1: Vec<[f64; L]>,
    g2: Vec<[f64; L]>,
}

impl<const L: usize> TwoLayerLanes<L> {
    fn new(hidden: usize) -> Self {
        let zeros = |len| vec![[0.0; L]; len];
        Self {
            hidden,
            w1: zeros(3 * hidden),
            w2: zeros(hidden),
            h: zeros(MAX_ROWS * hidden),
            d2: [[0.0; L]; MAX_ROWS],
            g1: zeros(3 * hidden),
            g2: zeros(hidden),
        }
    }

    #[inline(always)]
    fn step<const N: usize, const WATCH: bool>(
        &mut self,
        rows: &Rows<N>,
        lr: f64,
        iteration: u64,
        diverged: &mut [Option<u64>; L],
        max_error: &mut [f64; L],
    ) {
        let hn = self.hidden;
        let (w1, w2, h) = (&self.w1, &self.w2, &mut self.h);
        // Forward: h = σ(X·W1), o = σ(h·W2), d2 = (y − o)·(o·(1 − o)).
        for i in 0..N {
            let x = rows.x[i];
            for j in 0..hn {
                for l in 0..L {
                    let z = 0.0 + x[0] * w1[j][l] + x[1] * w1[hn + j][l] + x[2] * w1[2 * hn + j][l];
                    h[i * hn + j][l] = sigmoid(z);
                }
            }
            for l in 0..L {
                let z = ndarray_sum(hn, |j| h[i * hn + j][l] * w2[j][l]);
                let o = sigmoid(z);
                let e = rows.y[i] - o;
                if WATCH {
                    max_error[l] = max_error[l].max(e.abs());
                }
                self.d2[i][l] = e * (o * (1.0 - o));
            }
        }
        // Backward: g2 = hᵀd2, g1 = Xᵀd1 with d1 = (d2·W2_j)·(h·(1 − h)).
        for j in 0..hn {
            let mut g2 = [0.0f64; L];
            let mut g1 = [[0.0f64; L]; 3];
            for i in 0..N {
                let x = rows.x[i];
                for l in 0..L {
                    let hij = h[i * hn + j][l];
                    let d2 = self.d2[i][l];
                    g2[l] += hij * d2;
                    let d1 = (d2 * w2[j][l]) * (hij * (1.0 - hij));
                    for k in 0..3 {
                        g1[k][l] += x[k] * d1;
                    }
                }
            }
            self.g2[j] = g2;
            for k in 0..3 {
                self.g1[k * hn + j] = g1[k];
            }
        }
        // Update, lane by lane, only where every weight stays finite.
        let (w1, w2) = (&mut self.w1, &mut self.w2);
        for l in 0..L {
            let finite = (0..hn).all(|j| (w2[j][l] + lr * self.g2[j][l]).is_finite())
                && (0..3 * hn).all(|m| (w1[m][l] + lr * self.g1[m][l]).is_finite());
            if finite {
                for j in 0..hn {
                    w2[j][l] += lr * self.g2[j][l];
                }
                for m in 0..3 * hn {
                    w1[m][l] += lr * self.g1[m][l];
                }
            } else if diverged[l].is_none() {
                diverged[l] = Some(iteration);
            }
        }
    }
}

#[derive(Clone, Debug)]
enum Kind<const L: usize> {
    One(OneLayerLanes<L>),
    Two(TwoLayerLanes<L>),
}

/// `L` networks of one architecture trained in lockstep on one data set.
///
/// Lane `l` follows exactly the path [`Network::step`] takes from the same
/// weights. Unused lanes (fewer than `L` networks) train copies of lane 0.
#[derive(Clone, Debug)]
pub struct Lanes<const L: usize> {
    kind: Kind<L>,
    used: usize,
    iteration: u64,
    diverged: [Option<u64>; L],
    watch: Watch<L>,
}

/// Settling times: per threshold `θ` and lane, the last iteration `t` whose
/// weights `w_t` had `max_i |y_i − o_i| ≥ θ` (seen in the forward pass of step `t + 1`).
#[derive(Clone, Debug, Default)]
struct Watch<const L: usize> {
    thresholds: Vec<f64>,
    last_above: Vec<[Option<u64>; L]>,
}

impl<const L: usize> Lanes<L> {
    /// Loads up to `L` networks, all of the same architecture.
    ///
    /// # Panics
    /// If `nets` is empty, longer than `L`, or mixes architectures.
    pub fn new(nets: &[Network]) -> Self {
        assert!(!nets.is_empty() && nets.len() <= L, "1..={L} networks, got {}", nets.len());
        let architecture = nets[0].architecture();
        assert!(nets.iter().all(|n| n.architecture() == architecture), "one architecture per batch");
        let lane = |l: usize| &nets[l.min(nets.len() - 1)];
        let kind = match architecture {
            Architecture::OneLayer => {
                let mut lanes = OneLayerLanes { w: [[0.0; L]; 3] };
                for l in 0..L {
                    for (k, v) in lane(l).weights().enumerate() {
                        lanes.w[k][l] = v;
                    }
                }
                Kind::One(lanes)
            }
            Architecture::TwoLayer { hidden } => {
                let mut lanes = TwoLayerLanes::new(hidden);
                for l in 0..L {
                    for (m, v) in lane(l).weights().enumerate() {
                        if m < 3 * hidden {
                            lanes.w1[m][l] = v;
                        } else {
                            lanes.w2[m - 3 * hidden][l] = v;
                        }
                    }
                }
                Kind::Two(lanes)
            }
        };
        Self {
            kind,
            used: nets.len(),
            iteration: 0,
            diverged: [None; L],
            watch: Watch { thresholds: Vec::new(), last_above: Vec::new() },
        }
    }

    /// From now on, watch the largest training error `max_i |y_i − o_i|` of every
    /// step against each threshold, for [`Lanes::settled_at`]. Costs a few
    /// comparisons per step; without it, none.
    pub fn watch_errors(&mut self, thresholds: &[f64]) {
        self.watch = Watch { thresholds: thresholds.to_vec(), last_above: vec![[None; L]; thresholds.len()] };
    }

    /// The first iteration `s` such that every `w_t`, `s ≤ t ≤` now, has
    /// `max |y − o| < thresholds[k]` on `data` (`Some(0)`: always below; `None`:
    /// not below now). Exact: every step since [`Lanes::watch_errors`] was watched.
    pub fn settled_at(&self, l: usize, k: usize, data: &Dataset) -> Option<u64> {
        let theta = self.watch.thresholds[k];
        let now = self.network(l).forward(data.inputs());
        let max_error = (data.targets() - &now).iter().fold(0.0f64, |m, e| m.max(e.abs()));
        if max_error >= theta {
            return None;
        }
        Some(self.watch.last_above[k][l].map_or(0, |t| t + 1))
    }

    /// Takes `steps` full-batch steps with learning rate `lr` on `data`.
    pub fn run(&mut self, data: &Dataset, lr: f64, steps: u64) {
        let watch = !self.watch.thresholds.is_empty();
        match (data.len(), watch) {
            (1, false) => self.run_rows::<1, false>(&Rows::new(data), lr, steps),
            (2, false) => self.run_rows::<2, false>(&Rows::new(data), lr, steps),
            (3, false) => self.run_rows::<3, false>(&Rows::new(data), lr, steps),
            (4, false) => self.run_rows::<4, false>(&Rows::new(data), lr, steps),
            (1, true) => self.run_rows::<1, true>(&Rows::new(data), lr, steps),
            (2, true) => self.run_rows::<2, true>(&Rows::new(data), lr, steps),
            (3, true) => self.run_rows::<3, true>(&Rows::new(data), lr, steps),
            (4, true) => self.run_rows::<4, true>(&Rows::new(data), lr, steps),
            (n, _) => unreachable!("a data set has 1..=4 rows, got {n}"),
        }
    }

    fn run_rows<const N: usize, const WATCH: bool>(&mut self, rows: &Rows<N>, lr: f64, steps: u64) {
        let (kind, diverged, watch) = (&mut self.kind, &mut self.diverged, &mut self.watch);
        let start = self.iteration;
        for t in start + 1..=start + steps {
            let mut max_error = [0.0f64; L];
            match kind {
                Kind::One(lanes) => lanes.step::<N, WATCH>(rows, lr, t, diverged, &mut max_error),
                Kind::Two(lanes) => lanes.step::<N, WATCH>(rows, lr, t, diverged, &mut max_error),
            }
            if WATCH {
                for (theta, last) in watch.thresholds.iter().zip(&mut watch.last_above) {
                    for l in 0..L {
                        if max_error[l] >= *theta {
                            last[l] = Some(t - 1);
                        }
                    }
                }
            }
        }
        self.iteration = start + steps;
    }

    /// Steps taken so far.
    pub fn iteration(&self) -> u64 {
        self.iteration
    }

    /// How many lanes hold a caller's network.
    pub fn used(&self) -> usize {
        self.used
    }

    /// The step at which lane `l` diverged (its weights stopped there), if it did.
    pub fn diverged_at(&self, l: usize) -> Option<u64> {
        self.diverged[l]
    }

    /// True once every used lane has diverged: more steps would change nothing.
    pub fn all_diverged(&self) -> bool {
        self.diverged[..self.used].iter().all(Option::is_some)
    }

    /// The current weights of lane `l`.
    pub fn network(&self, l: usize) -> Network {
        match &self.kind {
            Kind::One(lanes) => {
                Network::from_weights(Architecture::OneLayer, &[lanes.w[0][l], lanes.w[1][l], lanes.w[2][l]])
            }
            Kind::Two(lanes) => {
                let flat: Vec<f64> = lanes.w1.iter().chain(&lanes.w2).map(|v| v[l]).collect();
                Network::from_weights(Architecture::TwoLayer { hidden: lanes.hidden }, &flat)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ndarray_sum_matches_ndarray_dot() {
        for n in [1, 3, 7, 8, 9, 16, 23] {
            let a = ndarray::Array1::from_shape_fn(n, |i| 0.1 + (i as f64).sin());
            let b = ndarray::Array1::from_shape_fn(n, |i| 1.0 / (1.0 + i as f64) - 0.3);
            assert_eq!(ndarray_sum(n, |i| a[i] * b[i]).to_bits(), a.dot(&b).to_bits(), "n = {n}");
        }
    }
}
