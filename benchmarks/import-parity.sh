#!/bin/sh
# Parity and throughput of `sentinel model import` on the Handbook test week (Docs/Evaluation.md): XGBoost, LightGBM and a
# scikit-learn random forest (exported through skl2onnx) trained in Python with their defaults on 2018-07-25..07-31,
# imported with the training week as reference, then
#  - the largest difference between Sentinel's probabilities and the library's predict_proba on every test-week row
#    (and, for the forest, onnxruntime's on the ONNX file),
#  - AP, ROC AUC and CP@100 from `sentinel evaluate` beside the same metrics computed in Python,
#  - batch scoring rows/s on one core: Sentinel (import-benchmark) and the library's predict_proba, same rows, same run.
# Usage: benchmarks/import-parity.sh   (needs ../shared/data or SENTINEL_SHARED_DIR; skips, saying so, without it)
# Creates benchmarks/.venv-import (ignored by git) when missing.
set -eu
cd "$(dirname "$0")/.."
DATA=${SENTINEL_SHARED_DIR:-../shared}/data/handbook-sim-transformed-dev.csv.gz
if [ ! -f "$DATA" ]; then
    echo "import-parity.sh: skipped: $DATA not found (set SENTINEL_SHARED_DIR)"
    exit 0
fi
if [ ! -x benchmarks/.venv-import/bin/python ]; then
    python3 -m venv benchmarks/.venv-import
fi
if ! benchmarks/.venv-import/bin/python -c "import xgboost, lightgbm, sklearn, skl2onnx, onnxruntime, pandas" \
    2>/dev/null; then
    benchmarks/.venv-import/bin/pip install --quiet xgboost lightgbm scikit-learn skl2onnx onnx onnxruntime pandas
fi
export OMP_WAIT_POLICY=PASSIVE
swift build -c release --product sentinel >/dev/null
swift build -c release --package-path benchmarks --product import-benchmark >/dev/null
bin=$(swift build -c release --show-bin-path)/sentinel
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "== machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), commit $(git rev-parse --short HEAD)"
benchmarks/.venv-import/bin/python benchmarks/import_parity.py train "$DATA" "$work"
# The ONNX graph takes one tensor without input names: its columns are training.py's FEATURES, in order.
features=$(cd benchmarks && .venv-import/bin/python -c "from training import FEATURES; print(','.join(FEATURES))")
for name in xgboost lightgbm forest; do
    file=$work/$name.json
    names=""
    [ "$name" = lightgbm ] && file=$work/$name.txt
    [ "$name" = forest ] && file=$work/$name.onnx && names="--features $features"
    # shellcheck disable=SC2086 # $names is empty or one option and its value, without spaces
    "$bin" model import "$file" --reference "$DATA" --from 2018-07-25 --to 2018-07-31 $names \
        --out "$work/$name.sentinel" >"$work/$name.import.log" 2>&1 || { cat "$work/$name.import.log"; exit 1; }
    grep "^imported" "$work/$name.import.log"
    benchmarks/.build/release/import-benchmark --model "$work/$name.sentinel" --data "$DATA" \
        --from 2018-08-08 --to 2018-08-14 --scores "$work/$name.sentinel.tsv"
    "$bin" evaluate --model "$work/$name.sentinel" --data "$DATA" --from 2018-08-08 --to 2018-08-14 --json \
        >"$work/$name.evaluate.json"
    benchmarks/.venv-import/bin/python benchmarks/import_parity.py compare "$DATA" "$work" "$name" \
        "$work/$name.sentinel.tsv" "$work/$name.evaluate.json"
done
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)"
