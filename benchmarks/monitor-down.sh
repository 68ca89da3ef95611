#!/usr/bin/env bash
# Scoring latency while the monitor is down (issue 13: "p99 within 2× of normal"). One sentinel-api (release build,
# the default GBDT model trained here from the committed sample) reports to one sentinel-monitor with a state
# directory. `sentinel bench` runs four phases back to back on the same API process:
#   up        the monitor receiving (the baseline),
#   down      the monitor SIGKILLed: the reporter retries and spools every event to disk,
#   draining  the monitor restarted on its state: the reporter sends the spool while new events arrive,
#   up again  after the monitor has counted everything scored so far.
# Each phase at 8 connections batch 1, then 8 connections batch 100. Prints p50/p99/p999 per phase, the ratio of each
# phase's p99 to the first phase's, and the accounting after each of the last two phases: transactions scored by the
# API (its Stats) must equal those counted by the monitor (its /metrics) plus those the API's reporter dropped and
# reported (a spool at its bound, 1 GiB by default, drops new events: at batch 100 the down phase can fill it).
#
#   benchmarks/monitor-down.sh              # 5 s per phase after 1 s warm-up
#   DURATION=10 benchmarks/monitor-down.sh
#
# Needs: the Swift toolchain and curl. Loopback only; ports API_PORT, MONITOR_PORT, MONITOR_HTTP_PORT (defaults
# 18420–18422) must be free.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-5}
WARMUP=${WARMUP:-1}
API_PORT=${API_PORT:-18420}
MONITOR_PORT=${MONITOR_PORT:-18421}
MONITOR_HTTP_PORT=${MONITOR_HTTP_PORT:-18422}
SCRATCH=${SCRATCH:-benchmarks/.build}
DATA=${DATA:-data/creditcard-sample.csv.gz}
OUT="$SCRATCH/monitor-down"
rm -rf "$OUT"
mkdir -p "$OUT"

source benchmarks/services.sh

start_monitor() {
    "$BIN/sentinel-monitor" --host 127.0.0.1 --port "$MONITOR_PORT" --http-port "$MONITOR_HTTP_PORT" \
        --state-dir "$OUT/state" >>"$OUT/monitor.log" 2>&1 &
    monitor_pid=$!
    pids+=("$monitor_pid")
    wait_healthy --monitor "127.0.0.1:$MONITOR_PORT"
}
start_monitor
"$BIN/sentinel-api" --model "$OUT/model.sentinel" --port "$API_PORT" --http-port 0 \
    --monitor "127.0.0.1:$MONITOR_PORT" --spool-dir "$OUT/spool" >"$OUT/api.log" 2>&1 &
pids+=($!)
wait_healthy --api "127.0.0.1:$API_PORT"

declare -A R
phases=()
bench() {  # phase batch
    local result
    result=$("$BIN/sentinel" bench --api "127.0.0.1:$API_PORT" --data "$DATA" --connections 8 --batch "$2" \
        --duration "$DURATION" --warmup "$WARMUP" --json)
    echo "$1 b$2 $result" >>"$OUT/bench.jsonl"
    R[$1,$2,tps]=$(json_get transactions_per_second "$result")
    R[$1,$2,p50]=$(json_get p50_us "$result")
    R[$1,$2,p99]=$(json_get p99_us "$result")
    R[$1,$2,p999]=$(json_get p999_us "$result")
    R[$1,$2,err]=$(json_get errors "$result")
}
phase() {  # name
    phases+=("$1")
    bench "$1" 1
    bench "$1" 100
}
spool_bytes() { du -sb "$OUT/spool" | cut -f1; }
# Waits up to 60 s until the monitor has counted every transaction the API scored, less those the API reports
# dropping (a full spool drops new events and counts them); sets scored, dropped and counted.
wait_counted() {
    local stats
    stats=$("$BIN/sentinel" stats --api "127.0.0.1:$API_PORT" --json)
    scored=$(json_get transactions "$stats")
    dropped=$(json_get dropped "$stats")
    for _ in $(seq 600); do
        counted=$(curl -s --max-time 2 "http://127.0.0.1:$MONITOR_HTTP_PORT/metrics" \
            | sed -n 's/^sentinel_monitor_events_total \([0-9]*\)$/\1/p')
        [[ -n "$counted" ]] && (( counted + dropped == scored )) && return 0
        sleep 0.1
    done
}

phase up
kill -KILL "$monitor_pid"
wait "$monitor_pid" 2>/dev/null || true
phase down
spooled_while_down=$(spool_bytes)
start_monitor
phase draining
wait_counted  # the spool sent and counted
phase "up again"
wait_counted
echo "# $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); ${DURATION}s per run after ${WARMUP}s warm-up, 8 connections"
printf "%-9s | %9s %7s %7s %8s %4s %6s | %9s %7s %7s %8s %4s %6s\n" phase "tx/s b1" p50us p99us p999us err ratio \
    "tx/s b100" p50us p99us p999us err ratio
for p in "${phases[@]}"; do
    r1=$(awk -v a="${R[$p,1,p99]}" -v b="${R[up,1,p99]}" 'BEGIN { printf "%.2f", a / b }')
    r100=$(awk -v a="${R[$p,100,p99]}" -v b="${R[up,100,p99]}" 'BEGIN { printf "%.2f", a / b }')
    printf "%-9s | %9.0f %7.1f %7.1f %8.1f %4s %6s | %9.0f %7.1f %7.1f %8.1f %4s %6s\n" "$p" \
        "${R[$p,1,tps]}" "${R[$p,1,p50]}" "${R[$p,1,p99]}" "${R[$p,1,p999]}" "${R[$p,1,err]}" "$r1" \
        "${R[$p,100,tps]}" "${R[$p,100,p50]}" "${R[$p,100,p99]}" "${R[$p,100,p999]}" "${R[$p,100,err]}" "$r100"
done
echo "# ratio: the phase's p99 over the 'up' phase's p99 at the same batch size; latencies in µs (client-side)"
echo "# spool after the down phase: $spooled_while_down bytes"
echo "# transactions scored by the API: $scored; counted by the monitor: ${counted:-unknown}; dropped by the API's reporter (spool full, counted and reported): $dropped"
[[ -n "$counted" ]] && (( counted + dropped == scored )) || { echo "the monitor's count plus the reported drops is not the API's count" >&2; exit 1; }
