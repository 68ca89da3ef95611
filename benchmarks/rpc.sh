#!/usr/bin/env bash
# RPC round trips per second over loopback, closed loop, 150-byte frames, at 1, 8 and 64 connections, against
# (a) the Sentinel server (rpc-benchmark serve, echo handler on the event loop) and (b) a minimal C epoll server
# speaking the same frames (benchmarks/rpc-echo-server.c), with the same C load generator (benchmarks/rpc-load.c).
# Prints requests/s, p50/p99 latency and the Swift/C ratio, per round; the median ratio is what to compare.
#
#   benchmarks/rpc.sh                 # 3 rounds of 3 s
#   ROUNDS=5 SECONDS_PER_RUN=5 LOOPS=2 ASYNC=1 benchmarks/rpc.sh
#   BUSY_POLL_US=100 benchmarks/rpc.sh   # the Swift server's loops busy-poll 100 µs before blocking (default 0:
#                                        # off); the C server and the C load generator stay blocking
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-3}
LOOPS=${LOOPS:-$(nproc)}
CONNECTIONS=${CONNECTIONS:-"1 8 64"}
SCRATCH=${SCRATCH:-benchmarks/.build}
OUT="$SCRATCH/rpc-bench"
mkdir -p "$OUT"

swift build -c release --package-path benchmarks --scratch-path "$SCRATCH" --product rpc-benchmark >&2
cc -O2 -o "$OUT/rpc-echo-server" benchmarks/rpc-echo-server.c
cc -O2 -o "$OUT/rpc-load" benchmarks/rpc-load.c
BUSY_POLL_US=${BUSY_POLL_US:-0}
SWIFT_SERVER=("$SCRATCH/release/rpc-benchmark" serve --loops "$LOOPS" --busy-poll-us "$BUSY_POLL_US")
if [[ "${ASYNC:-0}" == 1 ]]; then SWIFT_SERVER+=(--async); fi

server_pid=""
cleanup() { if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi; }
trap cleanup EXIT

# Starts a server command, sets server_pid and port.
start_server() {
    local log="$OUT/server.log"
    "$@" >"$log" 2>&1 &
    server_pid=$!
    for _ in $(seq 200); do
        if grep -q "listening on" "$log"; then break; fi
        sleep 0.05
    done
    port=$(sed -n 's/.*listening on [0-9.]*:\([0-9]*\).*/\1/p' "$log" | head -1)
    [[ -n "$port" ]] || { echo "server did not start: $(cat "$log")" >&2; exit 1; }
}

measure() {  # server command... → prints the load result
    start_server "$@"
    "$OUT/rpc-load" "$port" "$connections" "$SECONDS_PER_RUN"
    kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
}

echo "# $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); loops=$LOOPS async=${ASYNC:-0} busy_poll_us=$BUSY_POLL_US"
echo "# ${SECONDS_PER_RUN}s per run after 1s warm-up; 150-byte frames; one request in flight per connection"
printf "%-5s %-6s %10s %8s %8s   %10s %8s %8s   %6s\n" round conns swift_rps p50_us p99_us c_rps p50_us p99_us ratio
for round in $(seq "$ROUNDS"); do
    for connections in $CONNECTIONS; do
        swift=$(measure "${SWIFT_SERVER[@]}")
        c=$(measure "$OUT/rpc-echo-server" 0)
        get() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$2"; }
        sr=$(get rps "$swift"); cr=$(get rps "$c")
        ratio=$(awk -v s="$sr" -v c="$cr" 'BEGIN { printf "%.2f", (c > 0 ? s / c : 0) }')
        printf "%-5s %-6s %10s %8s %8s   %10s %8s %8s   %6s\n" "$round" "$connections" \
            "$sr" "$(get p50_us "$swift")" "$(get p99_us "$swift")" "$cr" "$(get p50_us "$c")" "$(get p99_us "$c")" "$ratio"
        if [[ "$(get errors "$swift")" != 0 || "$(get errors "$c")" != 0 ]]; then echo "errors in responses!" >&2; exit 1; fi
    done
done
