//! Training speed of the fast path ([`perceptron::fast`]) and of the readable
//! reference ([`Network::step`]), for the one-layer model and the two-layer
//! model with `H = 1, 2, 4, 8`, on the notebook's four rows, seed 1, `lr = 1`.
//!
//! Groups, and how to read their figures:
//! - `step`: criterion's time *is* nanoseconds per step. `fast` is one run
//!   ([`Lanes<1>`]), `lanes8` is [`LANES`] runs interleaved (time per step of all
//!   eight; the throughput line counts run-steps, so ns per step per run is
//!   `1000 / (Melem/s)`), `reference` is [`Network::step`]. Each sample starts
//!   again from the seed's initial weights and takes as many steps as criterion
//!   asks for, in one call, so per-call set-up is amortised.
//! - `lanes`: the same as `step/lanes8` for 4, 8 and 16 lanes (one-layer and H=4),
//!   to choose [`LANES`].
//! - `run_50000`: whole runs of the notebook's length: [`train`] (one run),
//!   [`train_batch`] (eight seeds, [`LANES`] at a time) and [`train_reference`].
//!   Time is per run; ns/step is that over 50000 (over 400000 run-steps for
//!   `train_batch`); the throughput line counts run-steps.
//!
//! `cargo bench -p perceptron --bench training -- step/fast` runs one group's
//! subset; a full `cargo bench -p perceptron` takes about three minutes.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use perceptron::fast::Lanes;
use perceptron::{Architecture, Config, Dataset, LANES, Network, Schedule, train, train_batch, train_reference};

/// The notebook's `np.random.seed(1)`.
const SEED: u32 = 1;
/// The notebook's `NITER`.
const STEPS: u64 = 50_000;
/// The notebook's rule: `w += deltaw`.
const LR: f64 = 1.0;

const MODELS: [Architecture; 5] = [
    Architecture::OneLayer,
    Architecture::TwoLayer { hidden: 1 },
    Architecture::TwoLayer { hidden: 2 },
    Architecture::TwoLayer { hidden: 4 },
    Architecture::TwoLayer { hidden: 8 },
];

/// Seeds `SEED..SEED + n`, one network per lane.
fn seeds(n: usize) -> Vec<u32> {
    (SEED..).take(n).collect()
}

fn quick(group: &mut BenchmarkGroup<'_, WallTime>) {
    group.warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(2)).sample_size(20);
}

/// ns per step of `L` interleaved runs, each sample from the initial weights.
fn bench_lanes<const L: usize>(group: &mut BenchmarkGroup<'_, WallTime>, id: BenchmarkId, architecture: Architecture) {
    let data = Dataset::notebook();
    let initial: Vec<Network> = seeds(L).into_iter().map(|s| Network::init(architecture, s)).collect();
    group.throughput(Throughput::Elements(L as u64));
    group.bench_function(id, |b| {
        b.iter_custom(|iters| {
            let mut lanes = Lanes::<L>::new(&initial);
            let start = Instant::now();
            lanes.run(black_box(&data), black_box(LR), iters);
            let elapsed = start.elapsed();
            black_box(lanes.network(0));
            elapsed
        })
    });
}

fn step(c: &mut Criterion) {
    let mut group = c.benchmark_group("step");
    quick(&mut group);
    let data = Dataset::notebook();
    for architecture in MODELS {
        let label = architecture.label();
        let initial = Network::init(architecture, SEED);
        group.throughput(Throughput::Elements(1));
        group.bench_function(BenchmarkId::new("fast", &label), |b| {
            b.iter_custom(|iters| {
                let mut lanes = Lanes::<1>::new(std::slice::from_ref(&initial));
                let start = Instant::now();
                lanes.run(black_box(&data), black_box(LR), iters);
                let elapsed = start.elapsed();
                black_box(lanes.network(0));
                elapsed
            })
        });
        bench_lanes::<LANES>(&mut group, BenchmarkId::new(format!("lanes{LANES}"), &label), architecture);
        group.throughput(Throughput::Elements(1));
        group.bench_function(BenchmarkId::new("reference", &label), |b| {
            b.iter_custom(|iters| {
                let mut network = initial.clone();
                let start = Instant::now();
                for _ in 0..iters {
                    black_box(network.step(black_box(&data), black_box(LR)));
                }
                start.elapsed()
            })
        });
    }
    group.finish();
}

fn lanes(c: &mut Criterion) {
    let mut group = c.benchmark_group("lanes");
    quick(&mut group);
    for architecture in [Architecture::OneLayer, Architecture::TwoLayer { hidden: 4 }] {
        let label = architecture.label();
        bench_lanes::<4>(&mut group, BenchmarkId::new("4", &label), architecture);
        bench_lanes::<8>(&mut group, BenchmarkId::new("8", &label), architecture);
        bench_lanes::<16>(&mut group, BenchmarkId::new("16", &label), architecture);
    }
    group.finish();
}

fn run_50000(c: &mut Criterion) {
    let mut group = c.benchmark_group("run_50000");
    group.sampling_mode(SamplingMode::Flat).warm_up_time(Duration::from_millis(500)).sample_size(10);
    let data = Dataset::notebook();
    for architecture in MODELS {
        let label = architecture.label();
        let config = Config { seed: SEED, iterations: STEPS, learning_rate: LR, architecture, removed_rows: vec![] };
        let config = config.check().expect("the notebook's configuration is valid");
        group.measurement_time(Duration::from_secs(2)).throughput(Throughput::Elements(STEPS));
        group.bench_with_input(BenchmarkId::new("train", &label), &config, |b, config| {
            b.iter(|| train(black_box(config), &Schedule::Off))
        });
        let seeds = seeds(LANES);
        group.throughput(Throughput::Elements(STEPS * LANES as u64));
        group.bench_with_input(BenchmarkId::new(format!("train_batch{LANES}"), &label), &seeds, |b, seeds| {
            b.iter(|| train_batch(architecture, black_box(&data), LR, STEPS, black_box(seeds), &Schedule::Off))
        });
        // About 0.1 s a run: ten samples of one run each.
        group.measurement_time(Duration::from_secs(1)).throughput(Throughput::Elements(STEPS));
        group.bench_with_input(BenchmarkId::new("reference", &label), &config, |b, config| {
            b.iter(|| train_reference(black_box(config), &Schedule::Off))
        });
    }
    group.finish();
}

criterion_group!(benches, step, lanes, run_50000);
criterion_main!(benches);
