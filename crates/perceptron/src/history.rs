//! Recording a run: weights, outputs and errors at chosen iterations.
//!
//! A [`Schedule`] fixes, before training starts, the iterations `t ∈ 0..=N` at
//! which a [`Record`] is taken (`t` = number of steps taken so far, `t = 0` the
//! initial weights). Training runs uninterrupted between two recorded
//! iterations, so [`Schedule::Off`] costs nothing in the loop, and the memory of
//! a [`History`] is bounded by the schedule's length, known up front.
//!
//! Record `t` holds `w_t`, `o_t = forward(X, w_t)` and `e_t = y − o_t`. The
//! notebook's `errors_data[ii]` is `e_ii` for `ii ∈ 0..N` (its loop stores the
//! error of the forward pass before the `ii`-th update).

/// At which iterations to record.
#[derive(Clone, Debug, PartialEq)]
pub enum Schedule {
    /// Never: no record, no cost.
    Off,
    /// Only the initial (`t = 0`) and final (`t = N`) states.
    Ends,
    /// `t = 0, k, 2k, …` and `N` (`k ≥ 1`).
    Every(u64),
    /// `t = 0` and about `points` iterations log-spaced over `1..=N`, `N` included.
    LogSpaced {
        /// How many log-spaced points (at most; rounding merges some).
        points: usize,
    },
    /// The union of `points` evenly spaced and `points` log-spaced iterations:
    /// smooth on a linear and on a logarithmic iteration axis alike.
    Plot {
        /// Points of each kind (at most `2·points + 2` records).
        points: usize,
    },
    /// Exactly these iterations (any order, repeats allowed), those past `N`
    /// dropped: e.g. the union of two schedules' [`Schedule::iterations`], so
    /// that one run records both.
    At(Vec<u64>),
}

impl Schedule {
    /// The sorted, distinct iterations in `0..=total` this schedule records.
    ///
    /// ```
    /// use perceptron::Schedule;
    /// assert_eq!(Schedule::Every(4).iterations(10), vec![0, 4, 8, 10]);
    /// assert_eq!(Schedule::LogSpaced { points: 4 }.iterations(1000), vec![0, 1, 10, 100, 1000]);
    /// assert!(Schedule::Off.iterations(10).is_empty());
    /// assert_eq!(Schedule::At(vec![12, 5, 0, 5]).iterations(10), vec![0, 5]);
    /// ```
    pub fn iterations(&self, total: u64) -> Vec<u64> {
        let mut ts: Vec<u64> = match *self {
            Schedule::Off => return Vec::new(),
            Schedule::Ends => vec![0, total],
            Schedule::Every(k) => (0..=total).step_by(k.max(1) as usize).chain([total]).collect(),
            Schedule::LogSpaced { points } => {
                let ln_total = (total.max(1) as f64).ln();
                let last = points.saturating_sub(1).max(1) as f64;
                std::iter::once(0)
                    .chain((0..points).map(|p| (ln_total * p as f64 / last).exp().round() as u64))
                    .chain([total])
                    .map(|t| t.min(total))
                    .collect()
            }
            Schedule::Plot { points } => {
                let linear = (0..=points as u64).map(|p| total * p / points.max(1) as u64);
                linear.chain(Schedule::LogSpaced { points }.iterations(total)).collect()
            }
            Schedule::At(ref ts) => ts.iter().copied().filter(|&t| t <= total).collect(),
        };
        ts.sort_unstable();
        ts.dedup();
        ts
    }
}

/// The state of a run after `iteration` steps.
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    /// Steps taken so far.
    pub iteration: u64,
    /// All weights, in [`crate::Network::weights`] order.
    pub weights: Vec<f64>,
    /// `o_t` on the training rows.
    pub outputs: Vec<f64>,
    /// `y − o_t` on the training rows.
    pub errors: Vec<f64>,
}

/// The records of one run, in iteration order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct History {
    /// One per scheduled iteration (fewer if the run diverged early).
    pub records: Vec<Record>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(schedule: Schedule, total: u64, expected: &[u64]) {
        assert_eq!(schedule.iterations(total), expected, "{schedule:?} over {total}");
    }

    #[test]
    fn schedules() {
        check(Schedule::Off, 5, &[]);
        check(Schedule::Ends, 5, &[0, 5]);
        check(Schedule::Ends, 0, &[0]);
        check(Schedule::Every(1), 3, &[0, 1, 2, 3]);
        check(Schedule::Every(2), 5, &[0, 2, 4, 5]);
        check(Schedule::Every(0), 2, &[0, 1, 2]);
        check(Schedule::LogSpaced { points: 3 }, 100, &[0, 1, 10, 100]);
        check(Schedule::LogSpaced { points: 50 }, 3, &[0, 1, 2, 3]);
        check(Schedule::LogSpaced { points: 5 }, 0, &[0]);
        check(Schedule::Plot { points: 2 }, 100, &[0, 1, 50, 100]);
        check(Schedule::Plot { points: 4 }, 8, &[0, 1, 2, 4, 6, 8]);
        check(Schedule::At(vec![]), 5, &[]);
        check(Schedule::At(vec![5, 0, 3, 3]), 5, &[0, 3, 5]);
        check(Schedule::At(vec![2, 6, 9]), 5, &[2]);
    }

    #[test]
    fn log_spaced_is_bounded() {
        let ts = Schedule::LogSpaced { points: 200 }.iterations(100_000_000);
        assert!(ts.len() <= 202);
        assert_eq!(ts.last(), Some(&100_000_000));
    }
}
