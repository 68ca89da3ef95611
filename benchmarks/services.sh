# Shared by the benchmark scripts that run the real services (soak.sh, monitor-down.sh): source it after setting
# SCRATCH (the benchmarks package's build directory), DATA and OUT. It builds the release products, trains a model
# into "$OUT/model.sentinel", and gives the helpers of helpers.sh.
# shellcheck shell=bash

BIN="$SCRATCH/release"
source benchmarks/helpers.sh

for product in sentinel sentinel-api sentinel-monitor; do
    swift build -c release --package-path benchmarks --scratch-path "$SCRATCH" --product "$product" >&2
done
"$BIN/sentinel" train --data "$DATA" --out "$OUT/model.sentinel" >"$OUT/train.log" 2>&1 \
    || { cat "$OUT/train.log" >&2; exit 1; }

