#!/usr/bin/env bash
# The main job, A/B: `experiments sweep` built from REV (A) and from the
# working tree (B), both in release, run alternately (A, B, A, B, …) so that
# the machine's load falls on both alike, on the default sweep and on
# `--seeds 1000`; then the peak memory of `--seeds 100000 --iterations 1`.
# Prints each case's wall-clock seconds, CPU seconds (user + system, all
# threads: less disturbed than the wall clock when other work shares the
# machine) and peak RSS (min, median, max), and the ratio of B's median to A's
# (below 1: B is faster or smaller).
#
# Usage: scripts/ab_sweep.sh REV [RUNS]      (RUNS per side and case, default 5)
#   REV: any commit (a tag, a SHA, HEAD~3). Its build is cached in
#   target/ab_sweep/<sha>, so a second A/B against the same REV builds only B.
# Env: AB_CASES="default seeds1000 memory" (the cases to run; all by default),
#      AB_PROFILE=release|dev (release by default; dev is what
#      `cargo run -p experiments -- sweep` builds, each side with its own
#      Cargo.toml's dev profile), AB_JOBS (cargo's -j for the builds).
# Needs: git, cargo, GNU time (/usr/bin/time, Debian's `time` package).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

usage() { echo "usage: scripts/ab_sweep.sh REV [RUNS]  (REV: a commit; RUNS: a positive whole number, default 5)" >&2; exit 2; }
[ $# -ge 1 ] && [ $# -le 2 ] || usage
runs=${2:-5}
[[ $runs =~ ^[1-9][0-9]*$ ]] || usage
sha=$(git rev-parse --verify --quiet "$1^{commit}") || { echo "error: '$1' is not a commit of this repository" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "error: /usr/bin/time (GNU time) is missing: apt-get install -y time" >&2; exit 2; }
cases=${AB_CASES:-default seeds1000 memory}
jobs=()
[ -n "${AB_JOBS:-}" ] && jobs=(-j "$AB_JOBS")
profile=${AB_PROFILE:-release}
case $profile in
  release) flag=(--release); dir=release;;
  dev) flag=(); dir=debug;;
  *) echo "error: AB_PROFILE='$profile': accepted: release, dev" >&2; exit 2;;
esac

# A: REV's tree, exported (no worktree left behind), built once per commit.
a_dir="$root/target/ab_sweep/$sha"
a_bin="$a_dir/target/$dir/experiments"
if [ ! -x "$a_bin" ]; then
  echo "building A = ${sha:0:12} ($profile) in target/ab_sweep/${sha:0:12}…" >&2
  rm -rf "$a_dir/src" && mkdir -p "$a_dir/src"
  git archive "$sha" | tar -x -C "$a_dir/src"
  CARGO_TARGET_DIR="$a_dir/target" cargo build -q "${flag[@]}" --locked "${jobs[@]}" \
    --manifest-path "$a_dir/src/Cargo.toml" -p experiments
fi
# B: the working tree, as it is now.
echo "building B = the working tree ($profile)…" >&2
cargo build -q "${flag[@]}" --locked "${jobs[@]}" -p experiments
b_bin="${CARGO_TARGET_DIR:-$root/target}/$dir/experiments"
dirty=""; git diff --quiet HEAD -- . || dirty=" + uncommitted changes"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# One timed run: prints "wall-seconds kilobytes user-seconds system-seconds".
timed() {
  local bin=$1; shift
  rm -rf "$scratch/out"
  /usr/bin/time -f '%e %M %U %S' -o "$scratch/time" "$bin" sweep "$@" --out "$scratch/out" >/dev/null 2>"$scratch/stderr" \
    || { echo "error: $bin sweep $* failed:" >&2; cat "$scratch/stderr" >&2; exit 1; }
  cat "$scratch/time"
}

# min median max of the numbers on stdin (the lower median for an even count).
stats() { sort -g | awk '{v[NR]=$1} END {printf "%s %s %s", v[1], v[int((NR+1)/2)], v[NR]}'; }

echo "A = ${sha:0:12} ($(git log -1 --format=%s "$sha" | cut -c1-60)…)"
echo "B = working tree at $(git rev-parse --short HEAD)$dirty"
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $profile builds, $runs runs per side, alternated"
printf '%-36s %-8s %24s %24s %7s\n' "case" "measure" "A min / median / max" "B min / median / max" "B/A"
for case in $cases; do
  case $case in
    default) args=(); n=$runs; label="sweep (default)";;
    seeds1000) args=(--seeds 1000); n=$runs; label="sweep --seeds 1000";;
    memory) args=(--seeds 100000 --iterations 1); n=$(( runs < 3 ? runs : 3 )); label="sweep --seeds 100000 --iterations 1";;
    *) echo "error: unknown case '$case' in AB_CASES (accepted: default seeds1000 memory)" >&2; exit 2;;
  esac
  : > "$scratch/a"; : > "$scratch/b"
  for ((i = 0; i < n; i++)); do
    timed "$a_bin" "${args[@]}" >> "$scratch/a"; echo >> "$scratch/a"
    timed "$b_bin" "${args[@]}" >> "$scratch/b"; echo >> "$scratch/b"
  done
  for col in 1 3 2; do
    measure=$(case $col in 1) echo "wall s";; 3) echo "cpu s";; 2) echo "peak MB";; esac)
    pick='NF {print (c==1 ? $1 : c==2 ? $2/1000 : $3+$4)}'
    a=$(awk -v c=$col "$pick" "$scratch/a" | stats)
    b=$(awk -v c=$col "$pick" "$scratch/b" | stats)
    ratio=$(awk -v a="$(echo "$a" | cut -d' ' -f2)" -v b="$(echo "$b" | cut -d' ' -f2)" 'BEGIN {printf "%.3f", b/a}')
    printf '%-36s %-8s %24s %24s %7s\n' "$label" "$measure" "$(echo "$a" | tr ' ' '/')" "$(echo "$b" | tr ' ' '/')" "$ratio"
  done
done
