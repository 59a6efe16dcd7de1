//! The two models as candle tensors, for a batch of `B` networks of one
//! architecture: the data, the weights as [`Var`]s, the forward pass, the loss
//! and one gradient-descent step.
//!
//! Shapes (`n` rows, `H` hidden units):
//! ```text
//! X: [B, n, 3]   y, m: [B, n, 1]
//! one layer:  w: [B, 3, 1]                  o = σ(X·w)                  [B, n, 1]
//! two layers: W1: [B, 3, H], W2: [B, H, 1]  h = σ(X·W1) [B, n, H], o = σ(h·W2)
//!   with the output bias, b2: [B, 1, 1]      o = σ(h·W2 + b2)  (b2 broadcast over the n rows)
//! L = ½ Σ (m ⊙ (y − o))²                    w ← w − lr · ∂L/∂w (every weight from the same backward pass)
//! ```
//! `·` is a batched matrix product written as a broadcast product summed over
//! the inner axis (see [`batched_dot`] for why not `matmul`), `σ` is
//! `candle_nn::ops::sigmoid` (forward `1/(1 + e^(−z))`, backward
//! `grad ⊙ (1 − o) ⊙ o`, candle-nn's), and `∂L/∂w` comes from `L.backward()`.
//! No derivative is written by hand in this crate.
//!
//! When every network trains on the same rows, `X` and `y` hold just those rows
//! and there is no mask. Otherwise `X` and `y` hold every row of the first data
//! set's full table (all data sets of a batch are subsets of one table, e.g. the
//! notebook's four rows or a `--data` file) and the mask `m` zeroes the error of
//! each network's removed rows, whose terms then add exact zeros to every sum.

use candle_core::{Device, Tensor, Var};
use perceptron::{Architecture, Dataset, Network};

use crate::Error;

/// The constant tensors of a batch and where each network's rows are.
pub(crate) struct Batch {
    architecture: Architecture,
    size: usize,
    /// `X: [B, n, 3]`.
    x: Tensor,
    /// `y: [B, n, 1]`.
    y: Tensor,
    /// `m: [B, n, 1]`, or `None` when every network uses all `n` rows.
    mask: Option<Tensor>,
    /// For each network, its rows' indices along the `n` axis.
    own_rows: Vec<Vec<usize>>,
}

/// The trainable weights of a batch: `[w]`, `[W1, W2]` or `[W1, W2, b2]`.
pub(crate) struct Weights {
    vars: Vec<Var>,
}

impl Batch {
    /// The tensors for `datasets.len()` networks, network `b` training on `datasets[b]`.
    ///
    /// # Errors
    /// The data sets are not all subsets of one table (same full table).
    pub(crate) fn new(architecture: Architecture, datasets: &[&Dataset]) -> Result<Self, Error> {
        let size = datasets.len();
        let Some(first) = datasets.first() else {
            return Err(candle_core::Error::Msg("a batch needs at least one network".into()).into());
        };
        if datasets.iter().any(|d| d.table() != first.table()) {
            return Err(candle_core::Error::Msg("the networks of a batch must share one data table".into()).into());
        }
        let full = first.table();
        let shared = datasets.windows(2).all(|w| w[0].rows() == w[1].rows());
        // The table rows the tensors hold, and each network's positions among them.
        let (table, own_rows): (Vec<usize>, Vec<Vec<usize>>) = if shared {
            (first.rows().to_vec(), vec![(0..first.len()).collect(); size])
        } else {
            ((0..full.len()).collect(), datasets.iter().map(|d| d.rows().to_vec()).collect())
        };
        let mask: Option<Vec<f64>> = (!shared).then(|| {
            own_rows.iter().flat_map(|rows| table.iter().map(|r| if rows.contains(r) { 1.0 } else { 0.0 })).collect()
        });
        let n = table.len();
        let device = &Device::Cpu;
        let x: Vec<f64> = (0..size).flat_map(|_| table.iter().flat_map(|&r| full[r].0)).collect();
        let y: Vec<f64> = (0..size).flat_map(|_| table.iter().map(|&r| full[r].1)).collect();
        Ok(Self {
            architecture,
            size,
            x: Tensor::from_vec(x, (size, n, 3), device)?,
            y: Tensor::from_vec(y, (size, n, 1), device)?,
            mask: mask.map(|m| Tensor::from_vec(m, (size, n, 1), device)).transpose()?,
            own_rows,
        })
    }

    /// The networks' weights as candle variables.
    ///
    /// # Panics
    /// If the number of networks is not the batch size, or one has another
    /// architecture (the callers check both).
    pub(crate) fn weights(&self, nets: &[&Network]) -> Result<Weights, Error> {
        assert_eq!(nets.len(), self.size, "one network per batch member");
        assert!(nets.iter().all(|n| n.architecture() == self.architecture), "one architecture per batch");
        let flat: Vec<f64> = nets.iter().flat_map(|n| n.weights()).collect();
        let b = self.size;
        let device = &Device::Cpu;
        let vars = match self.architecture {
            Architecture::OneLayer => vec![Var::from_vec(flat, (b, 3, 1), device)?],
            Architecture::TwoLayer { hidden, output_bias } => {
                // Each network's weights in `Network::weights` order: W1, W2, then b2 if any.
                let per = self.architecture.weight_count();
                let part = |range: std::ops::Range<usize>| -> Vec<f64> {
                    flat.chunks(per).flat_map(|w| w[range.clone()].iter().copied()).collect()
                };
                let mut vars = vec![
                    Var::from_vec(part(0..3 * hidden), (b, 3, hidden), device)?,
                    Var::from_vec(part(3 * hidden..4 * hidden), (b, hidden, 1), device)?,
                ];
                if output_bias {
                    vars.push(Var::from_vec(part(4 * hidden..4 * hidden + 1), (b, 1, 1), device)?);
                }
                vars
            }
        };
        Ok(Weights { vars })
    }

    /// `o: [B, n, 1]`.
    pub(crate) fn forward(&self, weights: &Weights) -> Result<Tensor, Error> {
        let sigmoid = candle_nn::ops::sigmoid;
        let o = match weights.vars.as_slice() {
            [w] => sigmoid(&batched_dot(&self.x, w.as_tensor())?)?,
            [w1, w2] => {
                let h = sigmoid(&batched_dot(&self.x, w1.as_tensor())?)?;
                sigmoid(&batched_dot(&h, w2.as_tensor())?)?
            }
            [w1, w2, b2] => {
                let h = sigmoid(&batched_dot(&self.x, w1.as_tensor())?)?;
                sigmoid(&batched_dot(&h, w2.as_tensor())?.broadcast_add(b2.as_tensor())?)?
            }
            _ => unreachable!("one or two layers, the second with or without a bias"),
        };
        Ok(o)
    }

    /// `L = ½ Σ (m ⊙ (y − o))²`, a scalar, summed over rows and networks.
    pub(crate) fn loss(&self, o: &Tensor) -> Result<Tensor, Error> {
        let mut e = self.y.sub(o)?;
        if let Some(m) = &self.mask {
            e = e.mul(m)?;
        }
        Ok(e.sqr()?.sum_all()?.affine(0.5, 0.0)?)
    }

    /// `∂L/∂w` for every weight tensor, in the order of [`Weights`].
    pub(crate) fn gradients(&self, weights: &Weights) -> Result<Vec<Tensor>, Error> {
        let grads = self.loss(&self.forward(weights)?)?.backward()?;
        weights
            .vars
            .iter()
            .map(|v| {
                grads.get(v).cloned().ok_or_else(|| candle_core::Error::Msg("no gradient for a weight".into()).into())
            })
            .collect()
    }

    /// One step `w ← w − lr · ∂L/∂w`, all gradients taken before any weight changes.
    pub(crate) fn step(&self, weights: &Weights, lr: f64) -> Result<(), Error> {
        let grads = self.gradients(weights)?;
        for (v, g) in weights.vars.iter().zip(&grads) {
            v.set(&v.as_tensor().sub(&g.affine(lr, 0.0)?)?)?;
        }
        Ok(())
    }

    /// Tensors laid out as the weights (e.g. their gradients), back as networks.
    pub(crate) fn networks(&self, tensors: &[Tensor]) -> Result<Vec<Network>, Error> {
        let flat: Vec<Vec<f64>> =
            tensors.iter().map(|t| t.flatten_all()?.to_vec1::<f64>()).collect::<Result<_, _>>()?;
        let per: Vec<usize> = flat.iter().map(|f| f.len() / self.size).collect();
        Ok((0..self.size)
            .map(|b| {
                let w: Vec<f64> =
                    flat.iter().zip(&per).flat_map(|(f, &k)| f[b * k..(b + 1) * k].iter().copied()).collect();
                Network::from_weights(self.architecture, &w)
            })
            .collect())
    }

    /// The current weights as networks.
    pub(crate) fn current(&self, weights: &Weights) -> Result<Vec<Network>, Error> {
        let tensors: Vec<Tensor> = weights.vars.iter().map(|v| v.as_tensor().clone()).collect();
        self.networks(&tensors)
    }

    /// Each network's outputs on its own rows, from `o: [B, n, 1]`.
    pub(crate) fn outputs(&self, o: &Tensor) -> Result<Vec<Vec<f64>>, Error> {
        let o = o.flatten_all()?.to_vec1::<f64>()?;
        let n = o.len() / self.size.max(1);
        Ok(self.own_rows.iter().enumerate().map(|(b, rows)| rows.iter().map(|&i| o[b * n + i]).collect()).collect())
    }
}

/// The batched matrix product `a·b`, `a: [B, n, k]`, `b: [B, k, m]` → `[B, n, m]`:
/// the broadcast product `a[.., i, k, ·] ⊙ b[.., ·, k, j]`, `[B, n, k, m]`, summed
/// over `k`. Candle sums in index order from `0.0`, as the core crate does.
///
/// Why not `Tensor::matmul`: candle 0.9's CPU matmul asks
/// `candle_core::utils::get_num_threads()` on every call, which (unless
/// `RAYON_NUM_THREADS` is set) counts physical cores by parsing `/proc/cpuinfo`
/// on Linux, which costs more than the rest of a training step (README,
/// "Cross-check with candle").
pub(crate) fn batched_dot(a: &Tensor, b: &Tensor) -> candle_core::Result<Tensor> {
    a.unsqueeze(3)?.broadcast_mul(&b.unsqueeze(1)?)?.sum(2)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `batched_dot` against candle's own `matmul`: values and autograd
    /// gradients. `matmul` goes through `gemm`, whose kernels may sum in another
    /// order or fuse multiply-adds, so the comparison allows a few ulps.
    #[test]
    fn batched_dot_is_matmul() {
        let device = &Device::Cpu;
        let values = |len: usize, k: f64| (0..len).map(|i| ((i as f64 + 1.0) * k).sin()).collect::<Vec<f64>>();
        for (b, n, k, m) in [(1, 4, 3, 1), (3, 4, 3, 8), (2, 3, 8, 1), (2, 1, 5, 2)] {
            let a = Var::from_vec(values(b * n * k, 0.7), (b, n, k), device).unwrap();
            let w = Var::from_vec(values(b * k * m, 1.3), (b, k, m), device).unwrap();
            let ours = batched_dot(&a, &w).unwrap();
            let theirs = a.matmul(&w).unwrap();
            let flat = |t: &Tensor| t.flatten_all().unwrap().to_vec1::<f64>().unwrap();
            let close = |x: &[f64], y: &[f64], what: &str| {
                assert_eq!(x.len(), y.len());
                for (p, q) in x.iter().zip(y) {
                    assert!(
                        (p - q).abs() <= 1e-15 * (1.0 + p.abs()),
                        "{what} [{b}, {n}, {k}]·[{b}, {k}, {m}]: {p} vs {q}"
                    );
                }
            };
            close(&flat(&ours), &flat(&theirs), "values");
            // L = Σ (a·w)², so ∂L/∂a and ∂L/∂w both go through the product's backward.
            let grads = |t: &Tensor| t.sqr().unwrap().sum_all().unwrap().backward().unwrap();
            let (g1, g2) = (grads(&ours), grads(&theirs));
            for v in [&a, &w] {
                close(&flat(g1.get(v).unwrap()), &flat(g2.get(v).unwrap()), "gradients");
            }
        }
    }
}
