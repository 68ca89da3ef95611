# Helpers shared by the benchmark scripts that run the real services (api.sh, and through services.sh soak.sh and
# monitor-down.sh): source it after setting BIN (the release products' directory; wait_healthy uses its `sentinel`).
# Every process whose pid is added to `pids` is stopped on exit.
# shellcheck shell=bash

pids=()
stop_services() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop_services EXIT

wait_healthy() {  # --api|--monitor HOST:PORT → waits up to 20 s for SERVING
    for _ in $(seq 2000); do
        if "$BIN/sentinel" health "$1" "$2" --timeout 0.2 >/dev/null 2>&1; then return 0; fi
        sleep 0.01
    done
    echo "no SERVING from $2" >&2
    return 1
}
json_get() { sed -n "s/.*\"$1\":\([-0-9.e+]*\).*/\1/p" <<<"$2" | head -1; }  # KEY JSON → the first number under KEY
rss_mib() { awk '/VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo "-"; }
fds() { ls "/proc/$1/fd" 2>/dev/null | wc -l; }
