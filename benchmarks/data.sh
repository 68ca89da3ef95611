#!/bin/sh
# Loading benchmark: SentinelData (release build) against pandas.read_csv on the same file.
# Usage: benchmarks/data.sh [FILE...]   (default: ../shared/data/handbook-sim-transformed-dev.csv.gz)
# Needs python3 for the pandas side; creates benchmarks/.venv with pandas when missing.
set -eu
cd "$(dirname "$0")/.."
swift build -c release --package-path benchmarks --product data-benchmark
echo "== SentinelData, read-ahead thread on (default)"
benchmarks/.build/release/data-benchmark "$@"
echo "== SentinelData, one thread (SENTINEL_DATA_PREFETCH=0)"
SENTINEL_DATA_PREFETCH=0 benchmarks/.build/release/data-benchmark "$@"
if [ ! -x benchmarks/.venv/bin/python ]; then
    python3 -m venv benchmarks/.venv
fi
if ! benchmarks/.venv/bin/python -c "import pandas" 2>/dev/null; then
    benchmarks/.venv/bin/pip install --quiet pandas
fi
echo "== pandas"
benchmarks/.venv/bin/python benchmarks/data_pandas.py "$@"
