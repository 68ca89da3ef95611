#!/usr/bin/env bash
# Drift and metrics micro-benchmarks: events applied per second in-process, the full drift report time for
# 30 features × 20 bins, window close, exact KS on a reservoir, latency-histogram record rate, offline report.
# Usage: benchmarks/drift.sh [ROWS]   (ROWS: current rows of the offline report, default 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
scratch="${SCRATCH_PATH:-benchmarks/.build}"
swift build -c release --package-path benchmarks --scratch-path "$scratch" --product drift-bench \
    -Xswiftc -warnings-as-errors >&2
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(uname -m)"
"$scratch/release/drift-bench" "$@"
