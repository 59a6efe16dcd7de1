//! A NumPy-compatible random generator: MT19937 seeded and sampled exactly as
//! NumPy's legacy `np.random.seed(s); np.random.uniform(low, high, size)`.
//!
//! Method (NumPy's `numpy/random/src/mt19937` and `legacy`):
//! - seeding: `key[0] = s`, `key[i] = 1812433253·(key[i−1] ⊕ (key[i−1] ≫ 30)) + i`
//!   (Matsumoto–Nishimura `init_genrand`), then the state is regenerated on first use;
//! - a double in [0, 1) from two 32-bit outputs `a`, `b`:
//!   `((a ≫ 5)·2²⁶ + (b ≫ 6)) / 2⁵³` (NumPy's `random_sample`);
//! - `uniform(low, high)` is `low + (high − low)·r`.
//!
//! [`NumpyRng`] implements [`rand::RngCore`], so it plugs into ndarray-rand:
//! `Array2::random_using((3, 1), NumpyUniform::new(-1.0, 1.0), &mut rng)` draws
//! the same numbers, in the same row-major order, as NumPy's `uniform(-1, 1, (3, 1))`.

use ndarray_rand::rand::RngCore;
use ndarray_rand::rand_distr::Distribution;

const N: usize = 624;
const M: usize = 397;
const MATRIX_A: u32 = 0x9908_b0df;
const UPPER_MASK: u32 = 0x8000_0000;
const LOWER_MASK: u32 = 0x7fff_ffff;

/// MT19937 with NumPy's legacy integer seeding (`np.random.seed(s)`, `s` in `0..=2³²−1`).
#[derive(Clone)]
pub struct NumpyRng {
    state: Box<[u32; N]>,
    pos: usize,
}

impl NumpyRng {
    /// The generator NumPy has after `np.random.seed(seed)`.
    pub fn new(seed: u32) -> Self {
        let mut state = Box::new([0u32; N]);
        state[0] = seed;
        for i in 1..N {
            let prev = state[i - 1];
            state[i] = 1_812_433_253u32.wrapping_mul(prev ^ (prev >> 30)).wrapping_add(i as u32);
        }
        Self { state, pos: N }
    }

    fn generate(&mut self) {
        let mt = &mut self.state;
        let twist = |upper: u32, lower: u32, far: u32| {
            let y = (upper & UPPER_MASK) | (lower & LOWER_MASK);
            far ^ (y >> 1) ^ if y & 1 == 1 { MATRIX_A } else { 0 }
        };
        for k in 0..N - M {
            mt[k] = twist(mt[k], mt[k + 1], mt[k + M]);
        }
        for k in N - M..N - 1 {
            mt[k] = twist(mt[k], mt[k + 1], mt[k + M - N]);
        }
        mt[N - 1] = twist(mt[N - 1], mt[0], mt[M - 1]);
        self.pos = 0;
    }

    fn genrand_u32(&mut self) -> u32 {
        if self.pos == N {
            self.generate();
        }
        let mut y = self.state[self.pos];
        self.pos += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^ (y >> 18)
    }
}

impl std::fmt::Debug for NumpyRng {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NumpyRng").field("pos", &self.pos).finish_non_exhaustive()
    }
}

impl RngCore for NumpyRng {
    fn next_u32(&mut self) -> u32 {
        self.genrand_u32()
    }

    /// Two 32-bit outputs, the first in the high half (NumPy's `mt19937_next64`).
    fn next_u64(&mut self) -> u64 {
        let hi = u64::from(self.genrand_u32());
        (hi << 32) | u64::from(self.genrand_u32())
    }

    fn fill_bytes(&mut self, dest: &mut [u8]) {
        for chunk in dest.chunks_mut(4) {
            let bytes = self.genrand_u32().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
    }
}

/// NumPy's `random_sample` double from two consecutive 32-bit outputs.
fn double_from(a: u32, b: u32) -> f64 {
    let a = f64::from(a >> 5);
    let b = f64::from(b >> 6);
    (a * 67_108_864.0 + b) / 9_007_199_254_740_992.0
}

/// The uniform distribution on [low, high) sampled as NumPy's legacy `uniform`
/// (two 32-bit draws per sample). With a [`NumpyRng`] it reproduces NumPy draw for draw.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NumpyUniform {
    low: f64,
    range: f64,
}

impl NumpyUniform {
    /// The distribution NumPy samples for `uniform(low, high)`.
    pub fn new(low: f64, high: f64) -> Self {
        Self { low, range: high - low }
    }
}

impl Distribution<f64> for NumpyUniform {
    fn sample<R: ndarray_rand::rand::Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        let a = rng.next_u32();
        let b = rng.next_u32();
        self.low + self.range * double_from(a, b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(seed: u32, expected: &[f64]) {
        let mut rng = NumpyRng::new(seed);
        let uniform = NumpyUniform::new(-1.0, 1.0);
        for (i, &want) in expected.iter().enumerate() {
            let got = uniform.sample(&mut rng);
            assert_eq!(got, want, "seed {seed}, draw {i}");
        }
    }

    #[test]
    fn matches_numpy_uniform() {
        // NumPy 2.4.6; the constants below quote the line that produced each.
        check(0, &NUMPY_SEED_0);
        check(1, &NUMPY_SEED_1);
        check(42, &NUMPY_SEED_42);
        check(u32::MAX, &NUMPY_SEED_MAX);
    }

    #[test]
    fn raw_outputs_match_reference_mt19937() {
        // The first outputs of MT19937 after init_genrand(5489), from the
        // reference mt19937ar.c and C++'s std::mt19937 (whose default seed is 5489):
        // std::mt19937 g; g() == 3499211612, and the 10000th output is 4123659995.
        let mut rng = NumpyRng::new(5489);
        assert_eq!(rng.next_u32(), 3_499_211_612);
        for _ in 1..9999 {
            rng.next_u32();
        }
        assert_eq!(rng.next_u32(), 4_123_659_995);
    }

    #[test]
    fn works_through_ndarray_rand() {
        use ndarray::Array2;
        use ndarray_rand::RandomExt;
        let mut rng = NumpyRng::new(1);
        let w = Array2::random_using((3, 1), NumpyUniform::new(-1.0, 1.0), &mut rng);
        let flat: Vec<f64> = w.iter().copied().collect();
        assert_eq!(flat, NUMPY_SEED_1[..3]);
    }

    // >>> np.random.seed(0); np.random.uniform(-1.0, 1.0, 4)
    const NUMPY_SEED_0: [f64; 4] = [0.0976270078546495, 0.43037873274483895, 0.20552675214328775, 0.08976636599379373];
    // >>> np.random.seed(1); np.random.uniform(-1.0, 1.0, 4)
    const NUMPY_SEED_1: [f64; 4] = [-0.165955990594852, 0.4406489868843162, -0.9997712503653102, -0.39533485473632046];
    // >>> np.random.seed(42); np.random.uniform(-1.0, 1.0, 4)
    const NUMPY_SEED_42: [f64; 4] = [-0.250919762305275, 0.9014286128198323, 0.4639878836228102, 0.1973169683940732];
    // >>> np.random.seed(4294967295); np.random.uniform(-1.0, 1.0, 4)
    const NUMPY_SEED_MAX: [f64; 4] = [-0.8047359420119724, 0.8247656906052436, 0.5780706037032799, 0.5600071962269355];
}
