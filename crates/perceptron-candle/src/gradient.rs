//! Candle's autograd gradient `∂L/∂w` of `L = ½ Σ (y − o)²` for one network, in
//! the network's own shapes (`w: [3]`, or `W1: [3, H]`, `W2: [H]` and `b2`), to test
//! the hand-derived `Network::loss_gradient` against.

use perceptron::{Dataset, Network};

use crate::Error;
use crate::model::Batch;

/// `∂L/∂w` from candle's `backward()` (a batch of one, `X: [1, n, 3]`).
///
/// ```
/// use perceptron::{Architecture, Dataset, Network};
/// let net = Network::init(Architecture::two_layer(2), 1);
/// let g = perceptron_candle::loss_gradient(&net, &Dataset::notebook()).unwrap();
/// assert_eq!(g.architecture(), net.architecture());
/// ```
///
/// # Errors
/// [`Error::Candle`] if candle fails.
pub fn loss_gradient(net: &Network, data: &Dataset) -> Result<Network, Error> {
    let batch = Batch::new(net.architecture(), &[data])?;
    let weights = batch.weights(&[net])?;
    let grads = batch.gradients(&weights)?;
    Ok(batch.networks(&grads)?.remove(0))
}
