//! The cost of a candle training step against the batch size `B`: one step
//! trains `B` networks (`X: [B, n, 3]`, `W1: [B, 3, H]`, …), so the time per
//! network and step is the figure to compare. 100 steps per iteration on the
//! notebook's four rows, seeds `0..B`. Lists longer than a batch are split at
//! `MAX_BATCH_ELEMENTS` (4096 tensor elements: B = 341 for one layer, 42 for
//! H = 8), so B = 1024 measures consecutive capped batches.
//!
//! `cargo bench --manifest-path benches/Cargo.toml --bench batch`

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use perceptron::{Architecture, Dataset, Network};

const STEPS: u64 = 100;

fn steps(c: &mut Criterion) {
    let data = Dataset::notebook();
    for architecture in [Architecture::OneLayer, Architecture::two_layer(8)] {
        let mut group = c.benchmark_group(format!("candle {}", architecture.label()));
        group.sample_size(10);
        for b in [1usize, 16, 42, 341, 1024] {
            let inits: Vec<Network> = (0..b as u32).map(|s| Network::init(architecture, s)).collect();
            // Elements = network-steps, so criterion reports network-steps per second.
            group.throughput(Throughput::Elements(b as u64 * STEPS));
            group.bench_with_input(BenchmarkId::from_parameter(b), &inits, |bench, inits| {
                bench.iter(|| perceptron_candle::train_candle(architecture, &data, 1.0, STEPS, inits, &[]).unwrap());
            });
        }
        group.finish();
    }
}

criterion_group!(benches, steps);
criterion_main!(benches);
