#!/usr/bin/env bash
# Issue 23's acceptance for signals: N trials each of SIGINT and SIGTERM at a
# random time during a default sweep into one folder. After each, the folder
# must hold one whole set (every file as its manifest.json hashes it), no
# temporary and no lock file; the next sweep must succeed.
# Usage: scripts/signal_trials.sh [N=100] [BINARY=target/debug/experiments]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100}; bin=${2:-target/debug/experiments}
out=$(mktemp -d)
"$bin" sweep --out "$out" 2>/dev/null
check() {
  python3 - "$out" <<'PY' || { echo "trial $1: the folder is not one whole set"; exit 1; }
import hashlib, json, os, sys
d = sys.argv[1]
m = json.load(open(os.path.join(d, "manifest.json")))
for f in m["files"]:
    h = hashlib.sha256(open(os.path.join(d, f["name"]), "rb").read()).hexdigest()
    assert h == f["sha256"], f["name"]
extra = [n for n in os.listdir(d) if n.startswith(".")]
assert not extra, extra
PY
}
codes=""
for trial in $(seq "$n"); do
  for sig in INT TERM; do
    "$bin" sweep --out "$out" 2>/dev/null & pid=$!
    sleep "$(python3 -c 'import random; print(round(random.uniform(0, 2.5), 3))')"
    kill -s "$sig" "$pid" 2>/dev/null || true
    code=0; wait "$pid" || code=$?
    codes="$codes $sig:$code"
    check "$trial $sig"
  done
done
"$bin" sweep --out "$out" 2>/dev/null && check final
echo "$((2 * n)) trials, every one left a whole set, no temporary and no lock; exit codes:" \
  "$(echo "$codes" | tr ' ' '\n' | sort | uniq -c | tr '\n' ' ')"
rm -rf "$out"
