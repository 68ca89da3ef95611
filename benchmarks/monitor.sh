#!/usr/bin/env bash
# Monitor benchmarks (issue 5): events applied per second in-process and end to end over loopback from 1 and 4
# producers into a real sentinel-monitor (release, durable state dir); the drift report time for 30 features ×
# 20 bins; and `sentinel drift` against Evidently's data-drift report on the same rows and columns.
#
# Usage: benchmarks/monitor.sh [EVENTS]       (EVENTS: events per run, default 1000000)
#   SCRATCH_PATH   build directory (default benchmarks/.build)
#   SKIP_EVIDENTLY=1   leave out the Evidently comparison (it needs benchmarks/.venv-evidently, see below)
#   SENTINEL_SHARED_DIR   where data/ lives (default ../shared)
#
# Evidently gets a venv of its own, made here when missing (the other benchmarks' venv has pandas 3):
#   python3 -m venv benchmarks/.venv-evidently && benchmarks/.venv-evidently/bin/pip install evidently==0.7.23 'pandas<3'
# (Evidently 0.7.23 does not import with pandas 3; measured with pandas 2.3.3, numpy 2.4.6, scipy 1.17.1).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
scratch="${SCRATCH_PATH:-benchmarks/.build}"
events="${1:-1000000}"
shared="${SENTINEL_SHARED_DIR:-$root/../shared}"
work=$(mktemp -d "${TMPDIR:-/tmp}/sentinel-monitor-bench.XXXXXX")
monitor_pid=""
cleanup() {
    if [[ -n "$monitor_pid" ]]; then kill -TERM "$monitor_pid" 2>/dev/null || true; wait "$monitor_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

# The benchmarks package builds the root package's executables too, into the same build directory.
for product in sentinel sentinel-monitor monitor-bench; do
    swift build -c release --package-path benchmarks --scratch-path "$scratch" --product "$product" \
        -Xswiftc -warnings-as-errors >&2
done
bin="$scratch/release"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
results="$work/results.txt"

# 1 and 3: in-process ingestion and the drift report.
"$bin/monitor-bench" inprocess "$events" | tee -a "$results"

# 2: end to end over loopback into a real sentinel-monitor with a durable state dir.
mkdir -p "$work/state"
"$bin/sentinel-monitor" --host 127.0.0.1 --port 0 --http-port 0 --state-dir "$work/state" >"$work/monitor.log" 2>&1 &
monitor_pid=$!
address=""
for _ in $(seq 1 200); do
    address=$(sed -n 's/^listening on \(.*\)$/\1/p' "$work/monitor.log" | head -1)
    [[ -n "$address" ]] && break
    kill -0 "$monitor_pid" 2>/dev/null || { cat "$work/monitor.log" >&2; echo "sentinel-monitor exited" >&2; exit 1; }
    sleep 0.1
done
[[ -n "$address" ]] || { cat "$work/monitor.log" >&2; echo "sentinel-monitor did not start" >&2; exit 1; }
for producers in 1 4; do
    per_producer=$((events / producers))
    start_cpu=$(awk '{print $14 + $15}' "/proc/$monitor_pid/stat")
    "$bin/monitor-bench" produce "$address" "$producers" "$per_producer" 500 4 | tee "$work/e2e.txt"
    end_cpu=$(awk '{print $14 + $15}' "/proc/$monitor_pid/stat")
    ticks=$(getconf CLK_TCK)
    echo "$(cat "$work/e2e.txt") monitor_cpu_seconds=$(awk -v a="$start_cpu" -v b="$end_cpu" -v t="$ticks" 'BEGIN{printf "%.2f", (b-a)/t}')" >>"$results"
done
state_bytes=$(du -sb "$work/state" | cut -f1)
kill -TERM "$monitor_pid"
wait "$monitor_pid" || true
monitor_pid=""
echo "state dir after $((2 * events)) events: $((state_bytes / 1048576)) MiB"

# 4: sentinel drift against Evidently, same files, same columns.
best_of() {  # best_of N command...: best wall seconds of N runs
    local n=$1 best="" t
    shift
    for _ in $(seq 1 "$n"); do
        local start end
        start=$(date +%s.%N)
        "$@" >/dev/null
        end=$(date +%s.%N)
        t=$(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.3f", b-a}')
        if [[ -z "$best" ]] || awk -v t="$t" -v b="$best" 'BEGIN{exit !(t<b)}'; then best=$t; fi
    done
    echo "$best"
}
split_file() {  # split_file GZ PREFIX: first 80 % of the rows → PREFIX-reference.csv, the rest → PREFIX-current.csv
    local rows cut
    gzip -dc "$1" >"$2-all.csv"
    rows=$(($(wc -l <"$2-all.csv") - 1))
    cut=$((rows * 8 / 10))
    head -n $((cut + 1)) "$2-all.csv" >"$2-reference.csv"
    { head -n 1 "$2-all.csv"; tail -n +$((cut + 2)) "$2-all.csv"; } >"$2-current.csv"
    rm "$2-all.csv"
}
comparisons=()
if [[ "${SKIP_EVIDENTLY:-0}" != 1 && -d "$shared/data" ]]; then
    handbook_inputs="TX_AMOUNT,TX_DURING_WEEKEND,TX_DURING_NIGHT,CUSTOMER_ID_NB_TX_1DAY_WINDOW"
    handbook_inputs+=",CUSTOMER_ID_AVG_AMOUNT_1DAY_WINDOW,CUSTOMER_ID_NB_TX_7DAY_WINDOW"
    handbook_inputs+=",CUSTOMER_ID_AVG_AMOUNT_7DAY_WINDOW,CUSTOMER_ID_NB_TX_30DAY_WINDOW"
    handbook_inputs+=",CUSTOMER_ID_AVG_AMOUNT_30DAY_WINDOW,TERMINAL_ID_NB_TX_1DAY_WINDOW,TERMINAL_ID_RISK_1DAY_WINDOW"
    handbook_inputs+=",TERMINAL_ID_NB_TX_7DAY_WINDOW,TERMINAL_ID_RISK_7DAY_WINDOW,TERMINAL_ID_NB_TX_30DAY_WINDOW"
    handbook_inputs+=",TERMINAL_ID_RISK_30DAY_WINDOW"
    split_file "$shared/data/creditcard-time-amount-class-dev.csv.gz" "$work/ulb"
    split_file "$shared/data/handbook-sim-transformed-dev.csv.gz" "$work/handbook"
    # The drifted case: the same current rows with Amount × 1.5 (header Time,Amount,Class).
    cp "$work/ulb-reference.csv" "$work/ulb-x1.5-reference.csv"
    awk -F, -v OFS=, -v CONVFMT=%.17g 'NR == 1 { print; next } { $2 = $2 * 1.5; print }' "$work/ulb-current.csv" >"$work/ulb-x1.5-current.csv"
    for case in "ulb:Amount" "ulb-x1.5:Amount" "handbook:$handbook_inputs"; do
        name=${case%%:*}
        columns=${case#*:}
        ref="$work/$name-reference.csv"
        cur="$work/$name-current.csv"
        ours=$(best_of 3 "$bin/sentinel" drift --reference "$ref" --current "$cur" --columns "$columns" --json)
        ours_drifted=$("$bin/sentinel" drift --reference "$ref" --current "$cur" --columns "$columns" --json |
            grep -c '"status" : "\(warn\|alert\)"' || true)
        venv=benchmarks/.venv-evidently
        if [[ ! -x $venv/bin/python ]] || ! $venv/bin/python -c 'import evidently, pandas' 2>/dev/null; then
            python3 -m venv "$venv" && $venv/bin/pip install -q evidently==0.7.23 'pandas<3' >&2 || true
        fi
        if $venv/bin/python -c 'import evidently, pandas' 2>/dev/null; then
            theirs=$($venv/bin/python benchmarks/drift-evidently.py "$ref" "$cur" "$columns" 1)
            echo "$theirs" | sed "s/^/$name: /"
            total=$(echo "$theirs" | sed -n 's/.*total_seconds=\([0-9.]*\).*/\1/p')
            report=$(echo "$theirs" | sed -n 's/.*report_seconds=\([0-9.]*\).*/\1/p')
            drifted=$(echo "$theirs" | sed -n 's/.*drifted=\([0-9?]*\).*/\1/p')
        else
            total="n/a" report="n/a" drifted="n/a"
        fi
        rows_ref=$(($(wc -l <"$ref") - 1))
        rows_cur=$(($(wc -l <"$cur") - 1))
        ncols=$(echo "$columns" | tr ',' '\n' | wc -l)
        comparisons+=("$name $rows_ref $rows_cur $ncols $ours $total $report $ours_drifted $drifted")
    done
fi

# The table.
echo
echo "| measure | result | target | ratio to target |"
echo "| --- | --- | --- | --- |"
awk '
    function field(name,   i, kv) { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == name) return kv[2] } return "" }
    field("kind") == "inprocess-state" {
        printf "| events applied in-process (MonitorState.ingest, 30 features × 20 bins, batches of 500) | %.0f events/s wall, %.0f per CPU-second | 1,000,000 events/s | %.2f× |\n", field("rate"), field("cpu_rate"), field("rate") / 1e6
    }
    field("kind") == "inprocess-decode" {
        printf "| events decoded and applied in-process (%s EventBatch, then MonitorState.ingest) | %.0f events/s wall, %.3f µs CPU per event | — | — |\n", field("path") == "view" ? "read in place:" : "copied out:", field("rate"), field("cpu_us_per_event")
    }
    field("kind") == "inprocess-durable" {
        printf "| events applied in-process through MonitorService with a durable state dir (8 callers) | %.0f events/s | — | — |\n", field("rate")
    }
    field("kind") == "report" {
        printf "| drift report, 30 features × 20 bins + score (DriftWindows.currentReport) | %.1f µs | < 1 ms | %.0f× faster |\n", field("report_us"), 1000 / field("report_us")
        printf "| whole Snapshot answer (MonitorState.snapshot) | %.1f µs | — | — |\n", field("snapshot_us")
    }
    field("kind") == "e2e" {
        printf "| end to end over loopback, %d producer(s), batches of 500, 4 in flight each | %.0f events/s (monitor CPU %.1f s, producers %.1f s, for %d events) | 300,000 events/s | %.2f× |\n", field("producers"), field("rate"), field("monitor_cpu_seconds"), field("producer_cpu_seconds"), field("events"), field("rate") / 3e5
    }
' "$results"
if ((${#comparisons[@]})); then
    echo
    echo "| data | reference × current rows | columns | sentinel drift (load + report, s) | Evidently (pandas load + report, s) | Evidently report only (s) | ratio | drifted columns: ours / Evidently |"
    echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
    for line in "${comparisons[@]}"; do
        read -r name rows_ref rows_cur ncols ours total report ours_drifted drifted <<<"$line"
        ratio=$(awk -v a="$total" -v b="$ours" 'BEGIN{ if (a + 0 > 0) printf "%.0f× faster", a / b; else print "n/a" }')
        echo "| $name | $rows_ref × $rows_cur | $ncols | $ours | $total | $report | $ratio | $ours_drifted / $drifted |"
    done
fi
