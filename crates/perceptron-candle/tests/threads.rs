//! The candle twin starts no thread: its candle ops all run on the calling
//! thread (no `matmul`, element-wise tensors below 65536 elements), so a caller's
//! rayon pool decides all parallelism. Linux only: threads are counted in
//! `/proc/self/status`. This file holds one test, so no other test's threads
//! come and go in this process while it counts.

#[cfg(target_os = "linux")]
#[test]
fn training_starts_no_thread() {
    use perceptron::{Architecture, Dataset, Network};

    fn threads() -> usize {
        let status = std::fs::read_to_string("/proc/self/status").unwrap();
        status.lines().find_map(|l| l.strip_prefix("Threads:")).unwrap().trim().parse().unwrap()
    }

    let before = threads();
    // 100 networks with H = 64 on 4 rows: in one batch X ⊙ W1 would have
    // 100·4·3·64 = 76800 elements, above candle's 65536 threshold; and one
    // network with H = MAX_HIDDEN = 1024 trains alone at 4·3·1024 = 12288.
    let architecture = Architecture::two_layer(64);
    let inits: Vec<Network> = (0..100).map(|s| Network::init(architecture, s)).collect();
    let largest = Architecture::two_layer(perceptron::MAX_HIDDEN);
    let runs =
        perceptron_candle::train_candle(largest, &Dataset::notebook(), 1.0, 2, &[Network::init(largest, 1)], &[2])
            .unwrap();
    assert_eq!(runs.len(), 1);
    let runs = perceptron_candle::train_candle(architecture, &Dataset::notebook(), 1.0, 3, &inits, &[3]).unwrap();
    assert_eq!(runs.len(), 100);
    let gradient = perceptron_candle::loss_gradient(&inits[0], &Dataset::notebook()).unwrap();
    assert_eq!(gradient.architecture(), architecture);
    assert_eq!(threads(), before, "candle started threads");
}
