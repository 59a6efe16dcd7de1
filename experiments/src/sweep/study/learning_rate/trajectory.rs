//! One run of study G read from its whole trajectory, every step: `losses[t] =
//! L(w_t) = ½ Σ (y − o(w_t))²` for `t = 0..=N` (the weights each step starts
//! from, then the final ones).
//!
//! - *rose*: the first step `t → t + 1` with `L_{t+1} > L_t·(1 + RISE)` (a rise
//!   larger than rounding), from `L_t`, and the highest `L` after it (`peak`, at
//!   `peak_at`): the overshoot of a step too long for the slope it was taken on;
//! - *flat from*: the first `t` from which every `L_s` (`s ≥ t`) is within
//!   `FLAT` (relative) of `L_N`;
//! - *stuck*: the longest stretch of steps over which `L` stays within `FLAT`
//!   (relative, `max ≤ (1 + FLAT)·min`) and above `HIGH`: a plateau, left
//!   (`left`) when `L` ends more than a factor 2 below it (`STUCK_FOR` says how
//!   long a stretch must be to count).

use super::{FLAT, RISE};

/// A loss at least this high is far from learned (a learned run of the
/// notebook's rows ends near 1e-4; the plateaus sit at ¼, ½ and 1).
pub const HIGH: f64 = 0.1;
/// A stretch is a plateau when it lasts at least this share of the run's steps.
pub const STUCK_FOR: f64 = 0.25;

/// What the trajectory shows (see the module doc).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Trajectory {
    /// The first rising step `t` (`L_{t+1} > L_t·(1 + RISE)`) and `L_t`.
    pub rose: Option<(u64, f64)>,
    /// The highest loss after the first rise, and the first iteration at which it is reached.
    pub peak: Option<(u64, f64)>,
    /// How many steps raised `L` by more than rounding.
    pub rising_steps: u64,
    pub flat_from: u64,
    /// The longest stretch `[from, to]` with `L` within `FLAT` and above [`HIGH`],
    /// its lowest loss, if it lasts at least `STUCK_FOR × N` steps.
    pub stuck: Option<Stretch>,
}

/// A stretch of iterations `from..=to` over which `L` stays within `FLAT` of `level` (its lowest).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stretch {
    pub from: u64,
    pub to: u64,
    pub level: f64,
}

impl Trajectory {
    /// Reads `losses` (`L_0..=L_N`, at least one value).
    ///
    /// # Panics
    /// `losses` is empty.
    pub fn read(losses: &[f64]) -> Self {
        let last = *losses.last().expect("at least L_0");
        let n = losses.len() as u64 - 1;
        let rises = |w: &[f64]| w[1] > w[0] * (1.0 + RISE);
        let first = losses.windows(2).position(rises);
        let rose = first.map(|t| (t as u64, losses[t]));
        let peak = first.map(|t| {
            let (k, &l) = losses[t + 1..]
                .iter()
                .enumerate()
                .fold((0, &f64::NEG_INFINITY), |best, (k, l)| if *l > *best.1 { (k, l) } else { best });
            ((t + 1 + k) as u64, l)
        });
        let rising_steps = losses.windows(2).filter(|w| rises(w)).count() as u64;
        let far = |l: f64| (l - last).abs() > FLAT * last;
        let flat_from = losses.iter().rposition(|&l| far(l)).map_or(0, |t| t as u64 + 1);
        let stuck = longest_flat(losses).filter(|s| (s.to - s.from) as f64 >= STUCK_FOR * n as f64);
        Trajectory { rose, peak, rising_steps, flat_from, stuck }
    }
}

/// The longest stretch over which `L ≥ HIGH` and `max L ≤ (1 + FLAT)·min L`
/// (the first on a tie), by two pointers and monotone queues of the window's
/// minimum and maximum: `O(N)`.
fn longest_flat(losses: &[f64]) -> Option<Stretch> {
    use std::collections::VecDeque;
    let (mut lows, mut highs): (VecDeque<usize>, VecDeque<usize>) = (VecDeque::new(), VecDeque::new());
    let mut best: Option<(usize, usize)> = None;
    let mut start = 0;
    for (t, &l) in losses.iter().enumerate() {
        if l < HIGH {
            lows.clear();
            highs.clear();
            start = t + 1;
            continue;
        }
        while lows.back().is_some_and(|&k| losses[k] >= l) {
            lows.pop_back();
        }
        lows.push_back(t);
        while highs.back().is_some_and(|&k| losses[k] <= l) {
            highs.pop_back();
        }
        highs.push_back(t);
        while losses[highs[0]] > (1.0 + FLAT) * losses[lows[0]] {
            start += 1;
            if lows[0] < start {
                lows.pop_front();
            }
            if highs[0] < start {
                highs.pop_front();
            }
        }
        if best.is_none_or(|(a, b)| t - start > b - a) {
            best = Some((start, t));
        }
    }
    best.map(|(from, to)| Stretch {
        from: from as u64,
        to: to as u64,
        level: losses[from..=to].iter().copied().fold(f64::INFINITY, f64::min),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rise_its_peak_and_where_it_is_flat() {
        // 0.6 → 1.0 at step 0 (rises), stays near 1, then falls to 0.01 and stays.
        let l = [0.6, 1.0, 0.999, 0.998, 0.5, 0.01, 0.01005, 0.01];
        let t = Trajectory::read(&l);
        assert_eq!(t.rose, Some((0, 0.6)));
        assert_eq!(t.peak, Some((1, 1.0)));
        // 0.01005 is a rise of 0.5 %, far above rounding: two rising steps.
        assert_eq!(t.rising_steps, 2);
        // Every L from t = 5 on is within 1 % of L_7 = 0.01 (0.01005 is 0.5 % above).
        assert_eq!(t.flat_from, 5);
        // 1.0, 0.999, 0.998 at t = 1..=3: within 1 %, above 0.1, 2 steps of 7 (≥ 25 %).
        assert_eq!(t.stuck, Some(Stretch { from: 1, to: 3, level: 0.998 }));
    }

    #[test]
    fn a_falling_run_never_rose_and_is_flat_only_at_the_end() {
        let l: Vec<f64> = (0..100).map(|t| 0.6 / f64::from(t + 1)).collect();
        let t = Trajectory::read(&l);
        assert_eq!((t.rose, t.peak, t.rising_steps), (None, None, 0));
        // 0.6/(t+1) within 1 % of 0.006: t + 1 ≤ 100/1.01·… → t + 1 ≥ 99.0099, so t ≥ 99.
        assert_eq!(t.flat_from, 99);
        assert_eq!(t.stuck, None);
        assert_eq!(Trajectory::read(&[0.3]).flat_from, 0);
    }
}
