#!/bin/sh
# GBDT benchmark: Sentinel's trainer (release build) against LightGBM and XGBoost (tree_method=hist) on the
# Handbook data, same trees, depth and threads, then batch scoring throughput of a 100-tree depth-6 model.
# Usage: benchmarks/training.sh [TREES [DEPTH [THREADS]]]   (defaults 300 6 2)
# Needs ../shared/data/handbook-sim-transformed-dev.csv.gz (or SENTINEL_SHARED_DIR) and python3 for the
# comparison; creates benchmarks/.venv with lightgbm, xgboost, scikit-learn and pandas when missing.
set -eu
cd "$(dirname "$0")/.."
TREES=${1:-300}
DEPTH=${2:-6}
THREADS=${3:-2}
DATA=${SENTINEL_SHARED_DIR:-../shared}/data/handbook-sim-transformed-dev.csv.gz
[ -f "$DATA" ] || { echo "training.sh: $DATA not found" >&2; exit 1; }
swift build -c release --package-path benchmarks --product training-benchmark
swift build -c release --package-path benchmarks --product scoring-benchmark
if [ ! -x benchmarks/.venv/bin/python ]; then
    python3 -m venv benchmarks/.venv
fi
if ! benchmarks/.venv/bin/python -c "import lightgbm, xgboost, sklearn, pandas" 2>/dev/null; then
    benchmarks/.venv/bin/pip install --quiet lightgbm xgboost scikit-learn pandas
fi
# OpenMP threads (LightGBM, XGBoost) spin while waiting by default; on a shared, loaded machine that made LightGBM
# 25x slower than its CPU time suggests, so they sleep instead.
export OMP_WAIT_POLICY=PASSIVE
mkdir -p benchmarks/results
echo "== machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== Sentinel GBDT"
benchmarks/.build/release/training-benchmark --data "$DATA" --trees "$TREES" --depth "$DEPTH" --threads "$THREADS" \
    --tsv benchmarks/results/training-swift.tsv
echo "== LightGBM, XGBoost (hist)"
benchmarks/.venv/bin/python benchmarks/training.py --data "$DATA" --trees "$TREES" --depth "$DEPTH" \
    --threads "$THREADS" --swift-tsv benchmarks/results/training-swift.tsv
echo "== batch scoring, one core"
benchmarks/.build/release/scoring-benchmark --data "$DATA"
