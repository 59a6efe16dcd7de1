#!/usr/bin/env bash
# Reproduces README "Performance" (fast path rows) in one run: NumPy's notebook
# loop (scripts/numpy_baseline.py, if python3 has numpy; PYTHON=... to choose),
# then the `step` group of the training bench with every exponential (the
# probe's choice, AVX2-only, libm), and prints criterion's medians as a table:
# ns per step (fast, one run) and ns per run-step (lanes8, time ÷ 8), with the
# ratio to NumPy. Usage: scripts/bench_table.sh [extra criterion args]
set -euo pipefail
cd "$(dirname "$0")/.."
py=${PYTHON:-python3}
numpy_one=""; numpy_h4=""
if "$py" -c 'import numpy' 2>/dev/null; then
  out=$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$py" scripts/numpy_baseline.py)
  numpy_one=$(printf '%s\n' "$out" | awk '$1=="one-layer" && /median/ {for (i=1;i<=NF;i++) if ($i=="median") print $(i+1); exit}')
  numpy_h4=$(printf '%s\n' "$out" | awk '$1=="two-layer" && /median/ {for (i=1;i<=NF;i++) if ($i=="median") print $(i+1); exit}')
  printf 'NumPy (numpy_baseline.py, median ns/step): one-layer %s, two-layer H=4 %s\n\n' "$numpy_one" "$numpy_h4"
fi
cargo bench -q --manifest-path benches/Cargo.toml --bench training -- 'step/(fast|lanes8)' --warm-up-time 1 --measurement-time 3 "$@" >/dev/null
median() { "$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["median"]["point_estimate"])' "${CARGO_TARGET_DIR:-benches/target}/criterion/step/$1/new/estimates.json"; }
printf '| model | fast (probe) | fast avx2 | fast libm | lanes8 (probe), per run | lanes8 avx2, per run | lanes8 libm, per run | NumPy |\n|---|---:|---:|---:|---:|---:|---:|---:|\n'
for m in one-layer "two-layer H=1" "two-layer H=2" "two-layer H=4" "two-layer H=8"; do
  [ -d "${CARGO_TARGET_DIR:-benches/target}/criterion/step/fast/$m" ] || continue
  np=""; [ "$m" = one-layer ] && np=$numpy_one; [ "$m" = "two-layer H=4" ] && np=$numpy_h4
  "$py" - "$m" "${np:-nan}" "$(median "fast/$m")" "$(median "fast_avx2/$m")" "$(median "fast_libm/$m")" \
    "$(median "lanes8/$m")" "$(median "lanes8_avx2/$m")" "$(median "lanes8_libm/$m")" <<'PY'
import math, sys
m, np = sys.argv[1], float(sys.argv[2])
f, fa, fl, l, la, ll = map(float, sys.argv[3:])
def cell(ns):
    return f"{ns:.1f}" + ("" if math.isnan(np) else f" ({np / ns:.0f}x)")
print(f"| {m} | {cell(f)} | {cell(fa)} | {cell(fl)} | {cell(l / 8)} | {cell(la / 8)} | {cell(ll / 8)} | {'' if math.isnan(np) else f'{np:.0f}'} |")
PY
done
