#!/usr/bin/env bash
# Reproduces README "Performance" (fast path rows): runs the `step` group of the
# training bench (both exponentials in the same run) and prints criterion's
# medians as a table: ns per step (fast, one run) and ns per run-step (lanes8,
# time ÷ 8), with the libm/inline ratio. Usage: scripts/bench_table.sh [extra criterion args]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench -q -p perceptron --bench training -- 'step/(fast|lanes8)' --warm-up-time 1 --measurement-time 3 "$@" >/dev/null
median() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["median"]["point_estimate"])' "target/criterion/step/$1/new/estimates.json"; }
printf '| model | fast inline | fast libm | libm/inline | lanes8 inline (per run) | lanes8 libm (per run) | libm/inline |\n|---|---:|---:|---:|---:|---:|---:|\n'
for m in one-layer "two-layer H=1" "two-layer H=2" "two-layer H=4" "two-layer H=8"; do
  [ -d "target/criterion/step/fast/$m" ] || continue
  f=$(median "fast/$m"); fl=$(median "fast_libm/$m"); l=$(median "lanes8/$m"); ll=$(median "lanes8_libm/$m")
  python3 -c "import sys; f,fl,l,ll=map(float,sys.argv[2:]); print(f'| {sys.argv[1]} | {f:.1f} | {fl:.1f} | {fl/f:.2f}x | {l/8:.1f} | {ll/8:.1f} | {ll/l:.2f}x |')" "$m" "$f" "$fl" "$l" "$ll"
done
