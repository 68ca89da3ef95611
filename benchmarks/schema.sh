#!/usr/bin/env bash
# Pack+unpack of a 30-feature Transaction through SentinelSchema's Swift mapping against raw protobuf-c calls on a
# C struct, in the same process, rounds alternating (benchmarks/SchemaBenchmark). Prints messages/s for each side
# per round and the median cost ratio (Swift time / raw time; the target is < 1.5), then batch figures
# (ScoreBatchRequest and EventBatch of 100) through the Swift mapping.
#
#   benchmarks/schema.sh                        # 7 rounds of 1,000,000 messages
#   ROUNDS=11 MESSAGES=2000000 benchmarks/schema.sh
#
# The machine is shared: run nothing else heavy meanwhile, and read the median, not a single round.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-7}
MESSAGES=${MESSAGES:-1000000}
FEATURES=${FEATURES:-30}
SCRATCH=${SCRATCH:-benchmarks/.build}

swift build -c release --package-path benchmarks --scratch-path "$SCRATCH" --product schema-benchmark >&2
echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(uname -srm), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $(swift --version 2>&1 | head -n 1); libprotobuf-c $(pkg-config --modversion libprotobuf-c 2>/dev/null || echo '?')"
"$SCRATCH/release/schema-benchmark" --rounds "$ROUNDS" --messages "$MESSAGES" --features "$FEATURES"
