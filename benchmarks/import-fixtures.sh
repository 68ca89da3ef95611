#!/bin/sh
# Regenerates the fixtures of `sentinel model import` (Tests/Fixtures/Import): small XGBoost, LightGBM and
# scikit-learn (ONNX) models trained on data/creditcard-sample.csv.gz, and their predictions. The tests read the
# committed files and need no Python; run this only to change them.
# Creates benchmarks/.venv-import (ignored by git) with the libraries when missing.
set -eu
cd "$(dirname "$0")/.."
if [ ! -x benchmarks/.venv-import/bin/python ]; then
    python3 -m venv benchmarks/.venv-import
fi
if ! benchmarks/.venv-import/bin/python -c "import xgboost, lightgbm, sklearn, skl2onnx, onnx, onnxruntime, pandas" \
    2>/dev/null; then
    benchmarks/.venv-import/bin/pip install --quiet xgboost lightgbm scikit-learn skl2onnx onnx onnxruntime pandas
fi
benchmarks/.venv-import/bin/python benchmarks/import-fixtures.py Tests/Fixtures/Import
