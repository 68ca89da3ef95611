#!/bin/sh
# How high can CP@100 go on Docs/Evaluation.md's test week (2018-08-08 .. 08-14) with the protocol's 15 inputs?
# Trains Sentinel's GBDT with default parameters on the protocol's week, on all of July (a valid model: every day
# before the test week) and on a "wide" set seven times larger than the week (every labelled day except the test and
# delay weeks, days after the test week included: a ceiling estimate, not a valid model), evaluates all three on
# exactly the same test rows (`evaluate --known-from 2018-07-25`), and prints them beside LightGBM on the same sets,
# with and without derived inputs, and two scenario oracles
# (benchmarks/cp_ceiling.py). Usage: benchmarks/cp-ceiling.sh
# Needs ../shared/data/handbook-sim-transformed-dev.csv.gz (or SENTINEL_SHARED_DIR) and python3; creates
# benchmarks/.venv with lightgbm, scikit-learn and pandas when missing. Takes about 3 minutes on 2 cores.
set -eu
cd "$(dirname "$0")/.."
DATA=${SENTINEL_SHARED_DIR:-../shared}/data/handbook-sim-transformed-dev.csv.gz
[ -f "$DATA" ] || { echo "cp-ceiling.sh: $DATA not found" >&2; exit 1; }
# The root package's CLI, built through the benchmarks package (one release build directory for all benchmarks).
swift build -c release --package-path benchmarks --product sentinel
SENTINEL=benchmarks/.build/release/sentinel
if [ ! -x benchmarks/.venv/bin/python ]; then
    python3 -m venv benchmarks/.venv
fi
if ! benchmarks/.venv/bin/python -c "import lightgbm, sklearn, pandas" 2>/dev/null; then
    benchmarks/.venv/bin/pip install --quiet lightgbm scikit-learn pandas
fi
export OMP_WAIT_POLICY=PASSIVE
OUT=benchmarks/results/cp-ceiling
mkdir -p "$OUT"
echo "== machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
benchmarks/.venv/bin/python benchmarks/cp_ceiling.py prepare --data "$DATA" --out "$OUT/wide.csv.gz"
echo "== Sentinel GBDT, default parameters"
"$SENTINEL" train --data "$DATA" --from 2018-07-25 --to 2018-07-31 --out "$OUT/week.sentinel" 2>/dev/null |
    grep -E '^(rows|trees|written)' || true
"$SENTINEL" train --data "$DATA" --from 2018-07-01 --to 2018-07-31 --out "$OUT/july.sentinel" 2>/dev/null |
    grep -E '^(rows|trees|written)' || true
"$SENTINEL" train --data "$OUT/wide.csv.gz" --out "$OUT/wide.sentinel" 2>/dev/null |
    grep -E '^(rows|trees|written)' || true
for model in week july wide; do
    "$SENTINEL" evaluate --model "$OUT/$model.sentinel" --data "$DATA" --from 2018-08-08 --to 2018-08-14 \
        --known-from 2018-07-25 --json >"$OUT/$model.json"
done
echo "== LightGBM and oracles"
benchmarks/.venv/bin/python benchmarks/cp_ceiling.py report --data "$DATA" \
    --sentinel "Sentinel GBDT defaults, week=$OUT/week.json" \
    --sentinel "Sentinel GBDT defaults, all of July=$OUT/july.json" \
    --sentinel "Sentinel GBDT defaults, wide (48 days)=$OUT/wide.json"
