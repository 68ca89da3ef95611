#!/usr/bin/env bash
# The scoring API benchmark (issue 4): `sentinel bench` at 1, 8 and 64 connections (batch 1) and at batch 100,
# against (a) sentinel-api (release build, a model trained here from the committed sample, with a sentinel-monitor
# attached and receiving) and (b) the seed's stack: FastAPI + uvicorn + scikit-learn serving the same kind of model
# as JSON over HTTP (benchmarks/baseline/app.py), loaded with wrk (same connection counts, closed loop: wrk keeps one
# request outstanding per connection). Prints one table with the ratios, the RSS of each server after the load and
# the time from process start to SERVING.
#
#   benchmarks/api.sh                              # 3 s per run after 1 s warm-up, GBDT model (the default `sentinel train` makes)
#   DURATION=5 ALGORITHM=logistic benchmarks/api.sh
#   SKIP_BASELINE=1 benchmarks/api.sh              # sentinel only
#   DURABILITY=1 benchmarks/api.sh                 # also runs sentinel-api with --event-durability sync (fresh spool)
#                                                  # and prints its figures and ratios against the default (async) run
#   IMPORT=xgboost benchmarks/api.sh               # an XGBoost (or IMPORT=lightgbm: LightGBM) model trained in Python
#                                                  # with the library's defaults (baseline/import_model.py), served by
#                                                  # sentinel-api through `sentinel model import` and by the baseline
#                                                  # from the same file with the library's predict_proba
#
# Needs: the Swift toolchain; `wrk` (apt-get install wrk; installed here when missing and running as root);
# python3 with venv + pip (PyPI) for benchmarks/.venv (fastapi, uvicorn, scikit-learn, numpy, and with IMPORT= pandas
# and the library; created or completed when missing).
# Loopback only; ports API_PORT, MONITOR_PORT, BASELINE_PORT, API_HTTP_PORT (defaults 18400–18402, 18404) must be free.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-3}
WARMUP=${WARMUP:-1}
ALGORITHM=${ALGORITHM:-gbdt}
IMPORT=${IMPORT:-}
CONNECTIONS=${CONNECTIONS:-"1 8 64"}
BATCH=${BATCH:-100}
BATCH_CONNECTIONS=${BATCH_CONNECTIONS:-8}
LOOPS=${LOOPS:-1}
API_PORT=${API_PORT:-18400}
API_HTTP_PORT=${API_HTTP_PORT:-18404}  # the API's /metrics port
MONITOR_PORT=${MONITOR_PORT:-18401}
BASELINE_PORT=${BASELINE_PORT:-18402}
SCRATCH=${SCRATCH:-benchmarks/.build}
MONITOR_BIN=${MONITOR_BIN:-}        # default: this package's sentinel-monitor (release)
MONITOR_ARGS=${MONITOR_ARGS:-}      # extra monitor flags, e.g. "--http-port 18403 --state-dir /tmp/m"
MONITOR_HTTP_PORT=${MONITOR_HTTP_PORT:-}  # where the monitor serves /metrics, if it does
DATA=${DATA:-data/creditcard-sample.csv.gz}
VENV=benchmarks/.venv
OUT="$SCRATCH/api-bench"
rm -rf "$OUT"
mkdir -p "$OUT"

BIN="$SCRATCH/release"
source benchmarks/helpers.sh
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
wrk_get() { sed -n "s/.*$1=\([-0-9.]*\).*/\1/p" <<<"$2" | head -1; }

# --- build, model ---------------------------------------------------------------------------------------------------
# The root package's executables, built through the benchmarks package: one release build for all benchmarks.
for product in sentinel sentinel-api sentinel-monitor; do
    swift build -c release --package-path benchmarks --scratch-path "$SCRATCH" --product "$product" >&2
done
venv() {  # the baseline's venv, with extra packages when asked
    if [[ ! -x "$VENV/bin/uvicorn" ]]; then
        python3 -m venv "$VENV"
        "$VENV/bin/pip" install --quiet fastapi uvicorn scikit-learn numpy >&2
    fi
    if (($#)) && ! "$VENV/bin/python" -c "import $(IFS=,; echo "$*")" 2>/dev/null; then
        "$VENV/bin/pip" install --quiet "$@" >&2
    fi
}
if [[ -n "$IMPORT" ]]; then
    case "$IMPORT" in xgboost) source_file="$OUT/source.json" ;; lightgbm) source_file="$OUT/source.txt" ;;
        *) echo "IMPORT must be xgboost or lightgbm, got '$IMPORT'" >&2; exit 64 ;; esac
    venv pandas "$IMPORT"
    ALGORITHM="$IMPORT ($("$VENV/bin/python" benchmarks/baseline/import_model.py "$IMPORT" "$DATA" "$source_file"))"
    source_file=$(realpath "$source_file")  # the baseline runs in benchmarks/baseline
    "$BIN/sentinel" model import "$source_file" --reference "$DATA" --out "$OUT/model.sentinel" >"$OUT/train.log" 2>&1 \
        || { cat "$OUT/train.log" >&2; exit 1; }
else
    "$BIN/sentinel" train --data "$DATA" --algorithm "$ALGORITHM" --out "$OUT/model.sentinel" >"$OUT/train.log" 2>&1 \
        || { cat "$OUT/train.log" >&2; exit 1; }
fi

# --- (a) sentinel-api with a monitor attached ------------------------------------------------------------------------
MONITOR_BIN=${MONITOR_BIN:-$BIN/sentinel-monitor}
# shellcheck disable=SC2086
"$MONITOR_BIN" --host 127.0.0.1 --port "$MONITOR_PORT" $MONITOR_ARGS >"$OUT/monitor.log" 2>&1 &
pids+=($!)
wait_healthy --monitor "127.0.0.1:$MONITOR_PORT"

declare -A S
run_sentinel() {  # name connections batch
    local result
    result=$("$BIN/sentinel" bench --api "127.0.0.1:$API_PORT" --data "$DATA" --connections "$2" --batch "$3" \
        --duration "$DURATION" --warmup "$WARMUP" --loops "$LOOPS" --json) || true
    echo "$result" >>"$OUT/sentinel.jsonl"
    S[$1,rps]=$(json_get requests_per_second "$result")
    S[$1,tps]=$(json_get transactions_per_second "$result")
    S[$1,p50]=$(json_get p50_us "$result")
    S[$1,p99]=$(json_get p99_us "$result")
    S[$1,p999]=$(json_get p999_us "$result")
    S[$1,err]=$(json_get errors "$result")
}
cases=()
for c in $CONNECTIONS; do cases+=("c$c"); done
cases+=("b$BATCH")
start_api() {  # log-name extra-flags… → api_pid, api_ready_ms
    local log=$1
    shift
    local start
    start=$(now_ms)
    "$BIN/sentinel-api" --model "$OUT/model.sentinel" --port "$API_PORT" --http-port "$API_HTTP_PORT" \
        --monitor "127.0.0.1:$MONITOR_PORT" "$@" >"$OUT/$log" 2>&1 &
    api_pid=$!
    pids+=("$api_pid")
    wait_healthy --api "127.0.0.1:$API_PORT"
    api_ready_ms=$(( $(now_ms) - start ))
}
run_cases() {  # key-prefix
    for c in $CONNECTIONS; do run_sentinel "$1c$c" "$c" 1; done
    run_sentinel "$1b$BATCH" "$BATCH_CONNECTIONS" "$BATCH"
}
start_api api.log --spool-dir "$OUT/spool"
run_cases ""
api_rss=$(rss_mib "$api_pid")
# What the monitor received: its /metrics (when it serves them), and the API's own delivery counts, which it logs
# when stopped (SIGTERM → graceful shutdown flushes the event queue).
monitor_note=""
if [[ -n "$MONITOR_HTTP_PORT" ]]; then
    monitor_note=$(curl -s --max-time 2 "http://127.0.0.1:$MONITOR_HTTP_PORT/metrics" 2>/dev/null \
        | grep -i -E '^sentinel_monitor_(events|ingest)[a-z_]*(total)?(\{[^}]*\})? ' | head -4 || true)
fi
kill -TERM "$api_pid"
wait "$api_pid" 2>/dev/null || true
delivery=$(grep -m 1 '"reporter stopped"' "$OUT/api.log" | grep -o -E '"(sent|acknowledged|spooled|dropped)":[0-9]+' | tr '\n' ' ' || true)

# --- (a') the same with --event-durability sync ----------------------------------------------------------------------
if [[ "${DURABILITY:-0}" == 1 ]]; then
    start_api api-sync.log --spool-dir "$OUT/spool-sync" --event-durability sync
    run_cases sync-
    sync_rss=$(rss_mib "$api_pid")
    kill -TERM "$api_pid"
    wait "$api_pid" 2>/dev/null || true
    sync_delivery=$(grep -m 1 '"reporter stopped"' "$OUT/api-sync.log" \
        | grep -o -E '"(sent|acknowledged|spooled|dropped)":[0-9]+' | tr '\n' ' ' || true)
fi

# --- (b) the seed's stack --------------------------------------------------------------------------------------------
declare -A B
baseline_ready_ms="-"; baseline_rss="-"
if [[ "${SKIP_BASELINE:-0}" != 1 ]]; then
    if ! command -v wrk >/dev/null; then
        if [[ $(id -u) == 0 ]]; then apt-get install -y wrk >&2; else echo "wrk missing: apt-get install wrk" >&2; exit 1; fi
    fi
    venv
    "$VENV/bin/python" benchmarks/baseline/make_bodies.py "$DATA" "$OUT"
    start=$(now_ms)
    # The baseline serves the same kind of model: the same algorithm and, for GBDT, as many trees. One OpenMP thread
    # per prediction, as a serving deployment sets it: scikit-learn's default thread pool costs milliseconds per call.
    trees=$(sed -n 's/^trees *\([0-9]*\).*/\1/p' "$OUT/train.log" | head -1)
    # With IMPORT=, the same model file.
    (cd benchmarks/baseline && OMP_NUM_THREADS=1 SENTINEL_BASELINE_MODEL="${IMPORT:-$ALGORITHM}" \
        SENTINEL_BASELINE_TREES="${trees:-250}" SENTINEL_BASELINE_MODEL_FILE="${source_file:-}" \
        exec "../../$VENV/bin/uvicorn" app:app --host 127.0.0.1 --port "$BASELINE_PORT" \
        --workers 1 --log-level warning) >"$OUT/baseline.log" 2>&1 &
    baseline_pid=$!
    pids+=("$baseline_pid")
    for _ in $(seq 3000); do
        if curl -sf "http://127.0.0.1:$BASELINE_PORT/health" >/dev/null 2>&1; then break; fi
        sleep 0.01
    done
    baseline_ready_ms=$(( $(now_ms) - start ))
    run_wrk() {  # name connections path body
        local threads=$(( $2 < 2 ? 1 : 2 )) result
        WRK_BODY="$OUT/$4" wrk -t"$threads" -c"$2" -d"${WARMUP}s" -s benchmarks/baseline/wrk-post.lua \
            "http://127.0.0.1:$BASELINE_PORT$3" >/dev/null 2>&1 || true
        result=$(WRK_BODY="$OUT/$4" wrk -t"$threads" -c"$2" -d"${DURATION}s" --timeout 10s \
            -s benchmarks/baseline/wrk-post.lua "http://127.0.0.1:$BASELINE_PORT$3" 2>&1 | grep RESULT) || true
        echo "$1 $result" >>"$OUT/baseline.txt"
        B[$1,rps]=$(wrk_get rps "$result")
        B[$1,p50]=$(wrk_get p50_us "$result")
        B[$1,p99]=$(wrk_get p99_us "$result")
        B[$1,p999]=$(wrk_get p999_us "$result")
        B[$1,err]=$(wrk_get errors "$result")
    }
    for c in $CONNECTIONS; do
        run_wrk "c$c" "$c" /score score.json
        B[c$c,tps]=${B[c$c,rps]}
    done
    run_wrk "b$BATCH" "$BATCH_CONNECTIONS" /score_batch score_batch.json
    B[b$BATCH,tps]=$(awk -v r="${B[b$BATCH,rps]:-0}" 'BEGIN { printf "%.1f", r * 100 }')
    baseline_rss=$(rss_mib "$baseline_pid")
fi

case_label() {  # c8 → "8 conn", b100 → "b100x8c"
    case $1 in c*) echo "${1#c} conn" ;; b*) echo "b${1#b}x${BATCH_CONNECTIONS}c" ;; *) echo "$1" ;; esac
}

# --- report ----------------------------------------------------------------------------------------------------------
echo "# $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); ${DURATION}s per run after ${WARMUP}s warm-up"
echo "# model: $ALGORITHM on $DATA ($(sed -n 's/^model *\([0-9a-f]*\) written.*/\1/p' "$OUT/train.log" | head -1)); monitor $MONITOR_BIN at 127.0.0.1:$MONITOR_PORT; bench client loops=$LOOPS"
printf "%-8s | %10s %11s %7s %7s %8s %4s | %9s %9s %8s %8s %8s %4s | %8s\n" \
    case "req/s" "tx/s" p50us p99us p999us err "req/s" "tx/s" p50us p99us p999us err "tx ratio"
for k in "${cases[@]}"; do
    label=$(case_label "$k")
    ratio=$(awk -v s="${S[$k,tps]:-0}" -v b="${B[$k,tps]:-0}" 'BEGIN { if (b > 0) printf "%.0fx", s / b; else print "-" }')
    printf "%-8s | %10.0f %11.0f %7.1f %7.1f %8.1f %4s | %9.0f %9.0f %8.0f %8.0f %8.0f %4s | %8s\n" "$label" \
        "${S[$k,rps]:-0}" "${S[$k,tps]:-0}" "${S[$k,p50]:-0}" "${S[$k,p99]:-0}" "${S[$k,p999]:-0}" "${S[$k,err]:--}" \
        "${B[$k,rps]:-0}" "${B[$k,tps]:-0}" "${B[$k,p50]:-0}" "${B[$k,p99]:-0}" "${B[$k,p999]:-0}" "${B[$k,err]:--}" "$ratio"
done
echo "# left: sentinel-api (sentinel bench); right: FastAPI+uvicorn+${IMPORT:-scikit-learn} (wrk); latencies in µs"
echo "# start → SERVING: sentinel-api ${api_ready_ms} ms, baseline ${baseline_ready_ms} ms (polled every ~10 ms)"
echo "# RSS after the load: sentinel-api ${api_rss} MiB, baseline ${baseline_rss} MiB"
echo "# events from sentinel-api to the monitor (API's count at shutdown): ${delivery:-not logged}"
if [[ -n "$monitor_note" ]]; then echo "# monitor /metrics: $(tr '\n' ' ' <<<"$monitor_note")"; fi
if [[ "${DURABILITY:-0}" == 1 ]]; then
    echo "# --event-durability sync against the default (async) above: sync figures, then sync/async ratios"
    printf "%-8s | %10s %11s %7s %7s %8s %4s | %8s %8s %8s\n" case "req/s" "tx/s" p50us p99us p999us err "tx/s" p50 p99
    for k in "${cases[@]}"; do
        label=$(case_label "$k")
        ratio() { awk -v s="${S[sync-$k,$1]:-0}" -v a="${S[$k,$1]:-0}" 'BEGIN { if (a > 0) printf "%.2fx", s / a; else print "-" }'; }
        printf "%-8s | %10.0f %11.0f %7.1f %7.1f %8.1f %4s | %8s %8s %8s\n" "$label" \
            "${S[sync-$k,rps]:-0}" "${S[sync-$k,tps]:-0}" "${S[sync-$k,p50]:-0}" "${S[sync-$k,p99]:-0}" \
            "${S[sync-$k,p999]:-0}" "${S[sync-$k,err]:--}" "$(ratio tps)" "$(ratio p50)" "$(ratio p99)"
    done
    echo "# RSS after the load: ${sync_rss} MiB; events to the monitor (API's count at shutdown): ${sync_delivery:-not logged}"
fi
one=c1; many=c64
check() { awk -v v="$1" -v t="$2" -v op="$3" 'BEGIN { ok = (op == ">=" ? v >= t : v <= t); exit !ok }' && echo "met" || echo "NOT met"; }
echo "# targets: 1 conn ≥ 25,000 req/s: $(check "${S[$one,rps]:-0}" 25000 ">=") (${S[$one,rps]:-?}); " \
    "p99 ≤ 100 µs: $(check "${S[$one,p99]:-999999}" 100 "<=") (${S[$one,p99]:-?}); " \
    "64 conn ≥ 80,000 req/s: $(check "${S[$many,rps]:-0}" 80000 ">=") (${S[$many,rps]:-?}); " \
    "batch ≥ 1 M tx/s: $(check "${S[b$BATCH,tps]:-0}" 1000000 ">=") (${S[b$BATCH,tps]:-?})"
