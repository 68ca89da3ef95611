#!/usr/bin/env bash
# Soak: mixed traffic at a steady rate through two sentinel-api replicas into one sentinel-monitor (with a state
# directory), the monitor SIGKILLed and restarted every RESTART_EVERY seconds. Every 10 s it prints each process's RSS
# and open descriptors, the replicas' spool bytes, and the counts; at the end it checks that every transaction the
# replicas scored is counted by the monitor, with nothing missing. Not part of CI.
#
#   benchmarks/soak.sh                          # 10 minutes, 2,000 tx/s, a monitor restart every 60 s
#   DURATION=120 RESTART_EVERY=30 benchmarks/soak.sh
#
# Loopback only; ports 18410–18415 must be free. Uses the release binaries of benchmarks/.build (built here).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-600}
RATE=${RATE:-1000}              # transactions per second per replica (replay --rate), batches of 50
RESTART_EVERY=${RESTART_EVERY:-60}
SCRATCH=${SCRATCH:-benchmarks/.build}
DATA=${DATA:-data/creditcard-sample.csv.gz}
OUT="$SCRATCH/soak"
rm -rf "$OUT"
mkdir -p "$OUT"

source benchmarks/services.sh
metric() {  # PORT NAME → the sum of the series of NAME on that /metrics (0 when absent)
    curl -s "http://127.0.0.1:$1/metrics" | awk -v name="$2" '$1 == name || index($1, name "{") == 1 { s += $2 } END { printf "%d", s }'
}

start_monitor() {
    "$BIN/sentinel-monitor" --port 18410 --http-port 18411 --state-dir "$OUT/state" --window 10s \
        >>"$OUT/monitor.log" 2>&1 &
    monitor_pid=$!
    pids+=("$monitor_pid")
    wait_healthy --monitor 127.0.0.1:18410
}
start_monitor
api_pids=()
for index in 0 1; do
    "$BIN/sentinel-api" --model "$OUT/model.sentinel" --port $((18412 + 2 * index)) \
        --http-port $((18413 + 2 * index)) --monitor 127.0.0.1:18410 --spool-dir "$OUT/spool-$index" \
        >"$OUT/api-$index.log" 2>&1 &
    api_pids+=($!)
    pids+=($!)
    wait_healthy --api "127.0.0.1:$((18412 + 2 * index))"
done
# Two replay loops, one per replica, for the whole run.
loop_pids=()
for index in 0 1; do
    (
        end=$((SECONDS + DURATION))
        while ((SECONDS < end)); do
            "$BIN/sentinel" replay --api "127.0.0.1:$((18412 + 2 * index))" --data "$DATA" --rate "$RATE" \
                >/dev/null 2>&1 || true
        done
    ) &
    loop_pids+=($!)
    pids+=($!)
done

printf '%6s %12s %12s %10s %10s %12s %12s %10s\n' "t (s)" "scored" "counted" "missing" "spool B" \
    "RSS mon/api" "fds mon/api" "restarts"
restarts=0
start=$SECONDS
next_restart=$((start + RESTART_EVERY))
while ((SECONDS - start < DURATION)); do
    sleep 10
    if ((SECONDS >= next_restart)); then
        kill -KILL "$monitor_pid" 2>/dev/null || true
        wait "$monitor_pid" 2>/dev/null || true
        start_monitor
        restarts=$((restarts + 1))
        next_restart=$((SECONDS + RESTART_EVERY))
    fi
    scored=$(($(metric 18413 sentinel_api_transactions_scored_total) + $(metric 18415 sentinel_api_transactions_scored_total)))
    spool=$(($(metric 18413 sentinel_api_spool_bytes) + $(metric 18415 sentinel_api_spool_bytes)))
    printf '%6d %12d %12d %10d %10d %12s %12s %10d\n' $((SECONDS - start)) "$scored" \
        "$(metric 18411 sentinel_monitor_events_total)" "$(metric 18411 sentinel_monitor_events_missing)" "$spool" \
        "$(rss_mib "$monitor_pid")/$(rss_mib "${api_pids[0]}")" "$(fds "$monitor_pid")/$(fds "${api_pids[0]}")" \
        "$restarts"
done

# Stop the traffic, let the replicas deliver, then compare.
for pid in "${loop_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
pkill -f "$BIN/sentinel replay" 2>/dev/null || true
scored=0
for _ in $(seq 300); do
    scored=$(($(metric 18413 sentinel_api_transactions_scored_total) + $(metric 18415 sentinel_api_transactions_scored_total)))
    counted=$(metric 18411 sentinel_monitor_events_total)
    ((counted >= scored)) && break
    sleep 0.1
done
counted=$(metric 18411 sentinel_monitor_events_total)
missing=$(metric 18411 sentinel_monitor_events_missing)
echo "scored $scored, counted $counted, missing $missing, monitor restarts $restarts, load $(cut -d' ' -f1-3 /proc/loadavg)"
kill "$monitor_pid" 2>/dev/null || true
if ((counted != scored || missing != 0)); then
    echo "FAIL: the monitor's count differs from what was scored" >&2
    exit 1
fi
echo "ok: nothing lost, nothing counted twice"
