#!/bin/sh
# Write-ahead log benchmark: appends/s and fdatasync/s for ~1,000-event batches at several concurrency levels,
# recovery (replay) speed and an 8 MiB snapshot. Pass --dir DIR to measure another disk.
set -eu
cd "$(dirname "$0")/.."
swift build -c release --package-path benchmarks --product persistence-bench
exec benchmarks/.build/release/persistence-bench "$@"
