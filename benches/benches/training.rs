//! Training speed of the fast path ([`perceptron::fast`]) and of the readable
//! reference ([`Network::step`]), for the one-layer model and the two-layer
//! model with `H = 1, 2, 4, 8`, on the notebook's four rows, seed 1, `lr = 1`.
//!
//! Groups, and how to read their figures:
//! - `step`: criterion's time *is* nanoseconds per step (the two-layer models
//!   also with the output bias, `two-layer H=4 with bias`, with the probe's
//!   exponential only). `fast` is one run
//!   ([`Lanes<1>`]), `lanes8` is [`LANES`] runs interleaved (time per step of all
//!   eight; the throughput line counts run-steps, so ns per step per run is
//!   `1000 / (Melem/s)`), `reference` is [`Network::step`]. `fast` and `lanes8`
//!   use the exponential the start-up probe chose ([`exp::implementation`],
//!   `inline-fma` on glibc with AVX2 + FMA, whose eight-lane batches run in
//!   the AVX-512 entry point where the CPU has it); `*_avx2` are the same in
//!   the AVX2 + FMA entry point only, and `fast_libm` and `lanes8_libm` with
//!   libm's `exp`, measured in the same run for the ratios. Each sample starts
//!   again from the seed's initial weights and takes as many steps as criterion
//!   asks for, in one call, so per-call set-up is amortised.
//! - `run_50000`: whole runs of the notebook's length: [`train`] (one run),
//!   [`train_batch`] (eight seeds, [`LANES`] at a time) and [`train_reference`].
//!   Time is per run; ns/step is that over 50000 (over 400000 run-steps for
//!   `train_batch`); the throughput line counts run-steps.
//!
//! - `sweep`: the kernels `experiments sweep` spends its time in: eight lanes
//!   ([`LANES`] seeds) with every step's largest error watched, on the rows,
//!   models and learning rates of its studies (A/B/D: the notebook's four rows,
//!   every model; C: one layer with rows removed, 1 to 3 rows left; F: a truth
//!   table (xor) with H = 4, also with the output bias; G: a large rate, 50,
//!   with H = 8). Time per step of
//!   all eight; ns per run-step is `1000 / (Melem/s)`.
//!
//! `cargo bench --manifest-path benches/Cargo.toml --bench training -- step/fast`
//! runs one group's subset; the whole bench takes about three minutes.
//!
//! Samples are timed by wall clock. On a machine shared with other jobs, set
//! `BENCH_CLOCK=cpu` to time them by this thread's time on a CPU instead (Linux
//! `/proc/thread-self/schedstat`), which time-sharing with other processes does
//! not inflate (cache and hypervisor effects remain); with nothing else
//! running, the two measure the same thing.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use perceptron::exp::{self, Implementation};
use perceptron::fast::Lanes;
use perceptron::{
    Architecture, BooleanFunction, Config, Dataset, LANES, Network, Schedule, train, train_batch, train_reference,
};

/// The notebook's `np.random.seed(1)`.
const SEED: u32 = 1;
/// The notebook's `NITER`.
const STEPS: u64 = 50_000;
/// The notebook's rule: `w += deltaw`.
const LR: f64 = 1.0;

const MODELS: [Architecture; 5] = [
    Architecture::OneLayer,
    Architecture::two_layer(1),
    Architecture::two_layer(2),
    Architecture::two_layer(4),
    Architecture::two_layer(8),
];

/// The two-layer models with the output bias, timed with the probe's
/// exponential beside the same models without it (`step`).
const BIASED: [Architecture; 4] = [
    Architecture::two_layer(1).with_output_bias(true),
    Architecture::two_layer(2).with_output_bias(true),
    Architecture::two_layer(4).with_output_bias(true),
    Architecture::two_layer(8).with_output_bias(true),
];

/// Seeds `SEED..SEED + n`, one network per lane.
fn seeds(n: usize) -> Vec<u32> {
    (SEED..).take(n).collect()
}

/// What samples are timed with (see the module doc).
#[derive(Clone, Copy, Debug)]
enum Clock {
    Wall,
    Cpu,
}

impl Clock {
    fn from_env() -> Self {
        match std::env::var("BENCH_CLOCK").as_deref() {
            Ok("cpu") => Clock::Cpu,
            Ok("wall") | Err(_) => Clock::Wall,
            Ok(other) => panic!("BENCH_CLOCK={other}: expected `wall` or `cpu`"),
        }
    }

    /// How long `f` took.
    fn time<R>(self, f: impl FnOnce() -> R) -> Duration {
        match self {
            Clock::Wall => {
                let start = Instant::now();
                black_box(f());
                start.elapsed()
            }
            Clock::Cpu => {
                let start = thread_cpu_time();
                black_box(f());
                thread_cpu_time() - start
            }
        }
    }
}

/// This thread's time on a CPU so far: the first field of `/proc/thread-self/schedstat`, in ns.
fn thread_cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").expect("BENCH_CLOCK=cpu needs Linux schedstat");
    Duration::from_nanos(stat.split_whitespace().next().and_then(|ns| ns.parse().ok()).expect("schedstat: ns on CPU"))
}

fn quick(group: &mut BenchmarkGroup<'_, WallTime>) {
    group.warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(2)).sample_size(20);
}

/// ns per step of [`LANES`] interleaved runs, each sample from the initial weights.
fn bench_lanes(
    group: &mut BenchmarkGroup<'_, WallTime>,
    clock: Clock,
    id: BenchmarkId,
    architecture: Architecture,
    exp: Implementation,
) {
    let data = Dataset::notebook();
    let initial: Vec<Network> = seeds(LANES).into_iter().map(|s| Network::init(architecture, s)).collect();
    group.throughput(Throughput::Elements(LANES as u64));
    group.bench_function(id, |b| {
        b.iter_custom(|iters| {
            let mut lanes = Lanes::<LANES>::new(&initial);
            clock.time(|| lanes.run_with(exp, black_box(&data), black_box(LR), iters))
        })
    });
}

fn step(c: &mut Criterion) {
    let clock = Clock::from_env();
    let mut group = c.benchmark_group("step");
    quick(&mut group);
    let data = Dataset::notebook();
    for architecture in MODELS.into_iter().chain(BIASED) {
        let label = architecture.label();
        let initial = Network::init(architecture, SEED);
        let every_exp =
            [("", exp::chosen()), ("_avx2", Implementation::InlineFmaAvx2), ("_libm", Implementation::Libm)];
        let exps = if architecture.output_bias() { &every_exp[..1] } else { &every_exp[..] };
        for &(suffix, exp) in exps {
            group.throughput(Throughput::Elements(1));
            group.bench_function(BenchmarkId::new(format!("fast{suffix}"), &label), |b| {
                b.iter_custom(|iters| {
                    let mut lanes = Lanes::<1>::new(std::slice::from_ref(&initial));
                    clock.time(|| lanes.run_with(exp, black_box(&data), black_box(LR), iters))
                })
            });
            let id = BenchmarkId::new(format!("lanes{LANES}{suffix}"), &label);
            bench_lanes(&mut group, clock, id, architecture, exp);
        }
        group.throughput(Throughput::Elements(1));
        group.bench_function(BenchmarkId::new("reference", &label), |b| {
            b.iter_custom(|iters| {
                let mut network = initial.clone();
                clock.time(|| {
                    for _ in 0..iters {
                        black_box(network.step(black_box(&data), black_box(LR)));
                    }
                })
            })
        });
    }
    group.finish();
}

fn run_50000(c: &mut Criterion) {
    let clock = Clock::from_env();
    let mut group = c.benchmark_group("run_50000");
    group.sampling_mode(SamplingMode::Flat).warm_up_time(Duration::from_millis(500)).sample_size(10);
    for architecture in MODELS {
        let label = architecture.label();
        let config = Config { seed: SEED, iterations: STEPS, learning_rate: LR, architecture, removed_rows: vec![] };
        let config = config.check().expect("the notebook's configuration is valid");
        group.measurement_time(Duration::from_secs(2)).throughput(Throughput::Elements(STEPS));
        group.bench_with_input(BenchmarkId::new("train", &label), &config, |b, config| {
            b.iter_custom(|iters| {
                clock.time(|| {
                    for _ in 0..iters {
                        black_box(train(black_box(config), &Schedule::Off));
                    }
                })
            })
        });
        let seeds = seeds(LANES);
        group.throughput(Throughput::Elements(STEPS * LANES as u64));
        // `train_batch`, and the sweep's inner loop: the same with every step's
        // largest error watched against its two thresholds (`experiments/src/sweep/runs.rs`).
        for (name, thresholds) in [("train_batch", &[][..]), ("sweep_inner", &[0.05, 0.01][..])] {
            group.bench_with_input(BenchmarkId::new(format!("{name}{LANES}"), &label), &seeds, |b, seeds| {
                b.iter_custom(|iters| {
                    clock.time(|| {
                        for _ in 0..iters {
                            black_box(train_batch(black_box(&config), black_box(seeds), &Schedule::Off, thresholds));
                        }
                    })
                })
            });
        }
        // 0.05 to 0.15 s a run: ten samples of one run each.
        group.measurement_time(Duration::from_millis(1500)).throughput(Throughput::Elements(STEPS));
        group.bench_with_input(BenchmarkId::new("reference", &label), &config, |b, config| {
            b.iter_custom(|iters| {
                clock.time(|| {
                    for _ in 0..iters {
                        black_box(train_reference(black_box(config), &Schedule::Off));
                    }
                })
            })
        });
    }
    group.finish();
}

/// The sweep's thresholds (`experiments/src/sweep/runs.rs`, `THRESHOLDS`).
const SWEEP_THRESHOLDS: [f64; 2] = [0.05, 0.01];

/// ns per step of eight watched lanes on each study's rows (see the module doc).
fn sweep(c: &mut Criterion) {
    let clock = Clock::from_env();
    let mut group = c.benchmark_group("sweep");
    quick(&mut group);
    let without = |rows: &[usize]| Dataset::without_rows(rows).expect("rows of the notebook");
    let xor = BooleanFunction::ALL.into_iter().find(|f| f.name() == "xor").expect("xor").dataset();
    let one = Architecture::OneLayer;
    let two = Architecture::two_layer;
    let mut cases: Vec<(String, Architecture, Dataset, f64)> =
        MODELS.iter().map(|&a| (format!("A-B-D {}", a.label()), a, Dataset::notebook(), LR)).collect();
    cases.extend([
        ("C one-layer 3 rows".to_owned(), one, without(&[3]), LR),
        ("C one-layer 2 rows".to_owned(), one, without(&[2, 3]), LR),
        ("C one-layer 1 row".to_owned(), one, without(&[1, 2, 3]), LR),
        ("F xor H=4".to_owned(), two(4), xor.clone(), LR),
        ("F xor H=4 with bias".to_owned(), two(4).with_output_bias(true), xor, LR),
        ("G H=8 rate 50".to_owned(), two(8), Dataset::notebook(), 50.0),
    ]);
    group.throughput(Throughput::Elements(LANES as u64));
    for (label, architecture, data, lr) in cases {
        let initial: Vec<Network> = (0..LANES as u32).map(|s| Network::init(architecture, s)).collect();
        group.bench_function(BenchmarkId::new("lanes8_watched", &label), |b| {
            b.iter_custom(|iters| {
                let mut lanes = Lanes::<LANES>::new(&initial);
                lanes.watch_errors(&SWEEP_THRESHOLDS);
                clock.time(|| lanes.run(black_box(&data), black_box(lr), iters))
            })
        });
    }
    group.finish();
}

criterion_group!(benches, step, run_50000, sweep);
criterion_main!(benches);
