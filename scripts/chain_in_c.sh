#!/usr/bin/env bash
# The one-layer fast path's step as plain C, for the README's Performance section
# ("One run is latency-bound"): the same IEEE operations in the same order as
# `fast::OneLayer::step` with `exp::main_path` (z from 0.0, the exponential's
# FMAs, 1/(1 + e), δ, Xᵀδ from 0.0, w + lr·g), scalar, on the notebook's rows,
# seed 1's initial weights. Prints ns per step and the final weights, which must
# equal `experiments train --json`'s "layers" bit for bit at 50000 steps (the
# table is read from crates/perceptron/src/exp/table.rs).
# Usage: scripts/chain_in_c.sh [steps]   (needs gcc; default 5000000 steps)
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${1:-5000000}
[[ $steps =~ ^[1-9][0-9]{0,11}$ ]] || { echo "chain_in_c.sh: steps must be a positive whole number (at most 12 digits), got '$steps'" >&2; exit 2; }
command -v gcc >/dev/null || { echo "chain_in_c.sh: needs gcc on PATH" >&2; exit 2; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
grep -E '^\s+\[0x' crates/perceptron/src/exp/table.rs | sed 's/\[/{/;s/\]/}/;s/0x\([0-9a-f]*\)/0x\1ULL/g' > "$dir/table.inc"
[ "$(wc -l < "$dir/table.inc")" -eq 128 ] || { echo "chain_in_c.sh: expected 128 table rows in table.rs" >&2; exit 1; }
cat > "$dir/chain.c" <<'C'
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
static const uint64_t TABLE[128][2] = {
#include "table.inc"
};
static double fb(uint64_t u) { double d; memcpy(&d, &u, 8); return d; }
static uint64_t bf(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }
/* exp's main path (crates/perceptron/src/exp/mod.rs); the notebook's z stay in it. */
static inline double exp_main(double x) {
  double kd = fma(x, fb(0x40671547652b82feULL), fb(0x4338000000000000ULL));
  uint64_t ki = bf(kd);
  kd -= fb(0x4338000000000000ULL);
  double r = fma(kd, fb(0xbd0cf79abc9e3b3aULL), fma(kd, fb(0xbf762e42fefa0000ULL), x));
  double tail = fb(TABLE[ki & 127][0]), scale = fb(TABLE[ki & 127][1] + (ki << 45));
  double r2 = r * r;
  double low = fma(fma(r, fb(0x3fc555555555543cULL), fb(0x3fdffffffffffdbdULL)), r2, tail + r);
  double p = fma(r2 * r2, fma(r, fb(0x3f81111167a4d017ULL), fb(0x3fa55555cf172b91ULL)), low);
  return fma(scale, p, scale);
}
int main(int argc, char **argv) {
  long steps = argc > 1 ? atol(argv[1]) : 5000000;
  /* volatile: the compiler must not fold the inputs 0 and 1 or the rate 1. */
  volatile double xv[4][3] = {{0, 0, 1}, {1, 1, 1}, {1, 0, 1}, {0, 1, 1}}, yv[4] = {0, 1, 1, 0}, lrv = 1.0;
  double x[4][3], y[4], lr = lrv;
  for (int i = 0; i < 4; i++) { y[i] = yv[i]; for (int k = 0; k < 3; k++) x[i][k] = xv[i][k]; }
  double w[3] = {-0.165955990594852, 0.4406489868843162, -0.9997712503653102}; /* seed 1 */
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (long s = 0; s < steps; s++) {
    double d[4];
    for (int i = 0; i < 4; i++) {
      double z = 0.0 + x[i][0] * w[0] + x[i][1] * w[1] + x[i][2] * w[2];
      double o = 1.0 / (1.0 + exp_main(-z));
      d[i] = (y[i] - o) * (o * (1.0 - o));
    }
    for (int k = 0; k < 3; k++) {
      double g = 0.0 + x[0][k] * d[0] + x[1][k] * d[1] + x[2][k] * d[2] + x[3][k] * d[3];
      w[k] = w[k] + lr * g;
    }
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double ns = ((t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec)) / steps;
  printf("%ld steps: %.2f ns/step; weights %.17g %.17g %.17g\n", steps, ns, w[0], w[1], w[2]);
  return 0;
}
C
gcc -O2 -mavx2 -mfma -ffp-contract=off -o "$dir/chain" "$dir/chain.c" -lm
"$dir/chain" "$steps"
