#!/usr/bin/env bash
# Run both service images for real and exercise them end to end, then clean up.
#
#   monitor container  --network none (its own loopback only; nothing reaches or leaves the machine)
#   both               hardened as deploy/compose.yaml and deploy/k8s run them: read-only root file system, no
#                      capabilities, no-new-privileges, uid 10001
#   api container      --network container:<monitor>, so it reaches the monitor at 127.0.0.1:8001 and both
#                      listen on their default ports without clashing with anything on the host
# Host-side tools (sentinel, curl) run inside that network namespace via nsenter. Checks: each image under
# 100 MB, health of both, the API's /readyz and /metrics, score one transaction, replay the sample, the monitor's
# /metrics counts the replayed events, the images' HEALTHCHECKs pass, and podman stop (SIGTERM) ends both with exit
# code 0. Bounded: every wait has a limit.
#
# Usage: deploy/smoke-test.sh [API_IMAGE] [MONITOR_IMAGE]     (root; podman with vfs storage, as built by
#        deploy/build-images.sh). Env SENTINEL_CLI: a sentinel binary that runs on this host (default: the
#        checkout's release build, `swift build -c release --product sentinel`, built if missing; CI copies the
#        static one out of the Dockerfiles' `cli` target).
set -euo pipefail

API_IMAGE=${1:-localhost/sentinel-api:dev}
MONITOR_IMAGE=${2:-localhost/sentinel-monitor:dev}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SAMPLE=$ROOT/data/creditcard-sample.csv.gz
PODMAN=(podman --storage-driver vfs --runtime runc)
# Without systemd podman logs an error for every health timer it cannot add, start or remove; they change nothing.
quiet_systemd() { "$@" 2> >(grep -v 'systemd connection' >&2); }
NAME=sentinel-smoke-$$
# Podman's default ulimits (nofile 1048576, nproc) need CAP_SYS_RESOURCE to set, which this VM's root lacks
# (runc: "error setting rlimits ... operation not permitted"); lower limits can always be set. The timers
# podman makes for HEALTHCHECK intervals need systemd: disabled, `podman healthcheck run` checks instead.
read -ra RUN_OPTS <<< "${SMOKE_RUN_OPTS:---ulimit nofile=4096:4096 --ulimit nproc=4096:4096 --health-interval disable}"
HARDENED=(--read-only --tmpfs /tmp:size=16m --cap-drop ALL --security-opt no-new-privileges)
MAX_IMAGE_BYTES=100000000
WORK=$(mktemp -d)

cleanup() {
    "${PODMAN[@]}" rm -f -v -t 0 "$NAME-api" "$NAME-monitor" > /dev/null 2>&1 || true
    "${PODMAN[@]}" volume rm -f "$NAME-state" > /dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT

step() { printf '\n== %s\n' "$*"; }
fail() {
    echo "FAIL: $*" >&2
    for c in monitor api; do
        echo "--- $c log (last 20 lines)" >&2
        "${PODMAN[@]}" logs --tail 20 "$NAME-$c" >&2 2>&1 || true
    done
    exit 1
}
# Run a host command inside the monitor container's network namespace (shared by the API container).
in_net() { nsenter --net="/proc/$MONITOR_PID/ns/net" -- "$@"; }
# Wait (at most $3 seconds) until `sentinel health $1 $2` reports SERVING.
wait_healthy() {
    local deadline=$((SECONDS + $3))
    until in_net "$CLI" health "$1" "$2" --timeout 1 > /dev/null 2>&1; do
        ((SECONDS < deadline)) || fail "not healthy after $3 s: $1 $2"
        sleep 0.5
    done
}

CLI=${SENTINEL_CLI:-}
if [[ -z $CLI ]]; then
    CLI=$ROOT/.build/release/sentinel
    [[ -x $CLI ]] || swift build --package-path "$ROOT" -c release --product sentinel
fi

step "images (each under $((MAX_IMAGE_BYTES / 1000000)) MB)"
for image in "$API_IMAGE" "$MONITOR_IMAGE"; do
    size=$("${PODMAN[@]}" image inspect -f '{{.Size}}' "$image")
    echo "$image  $((size / 1000000)) MB"
    ((size < MAX_IMAGE_BYTES)) || fail "$image is $size bytes"
done

# Wait (at most $2 seconds) until container $1's own HEALTHCHECK passes; say how long after `podman run` began ($3,
# milliseconds since the epoch) — the start-to-healthy time in RESULTS.md.
wait_healthcheck() {
    local deadline=$((SECONDS + $2))
    until "${PODMAN[@]}" healthcheck run "$NAME-$1" > /dev/null 2>&1; do
        ((SECONDS < deadline)) || fail "$1: HEALTHCHECK not passing after $2 s"
        sleep 0.05
    done
    echo "$1 healthy (its HEALTHCHECK) $(($(date +%s%3N) - $3)) ms after podman run"
}

step "start the monitor (state on named volume $NAME-state)"
"${PODMAN[@]}" volume create "$NAME-state" > /dev/null
started=$(date +%s%3N)
quiet_systemd "${PODMAN[@]}" run "${RUN_OPTS[@]}" "${HARDENED[@]}" -d --name "$NAME-monitor" --network none -v "$NAME-state:/var/lib/sentinel" \
    -e SENTINEL_MONITOR_WINDOW=1s "$MONITOR_IMAGE" > /dev/null
MONITOR_PID=$("${PODMAN[@]}" inspect -f '{{.State.Pid}}' "$NAME-monitor")
wait_healthcheck monitor 30 "$started"
wait_healthy --monitor 127.0.0.1:8001 30
in_net "$CLI" health --monitor 127.0.0.1:8001

step "start the API, reporting to the monitor"
started=$(date +%s%3N)
quiet_systemd "${PODMAN[@]}" run "${RUN_OPTS[@]}" "${HARDENED[@]}" -d --name "$NAME-api" --network "container:$NAME-monitor" \
    -e SENTINEL_MONITOR=127.0.0.1:8001 "$API_IMAGE" > /dev/null
wait_healthcheck api 30 "$started"
wait_healthy --api 127.0.0.1:8000 30
in_net "$CLI" health --api 127.0.0.1:8000

step "the API's HTTP port: /readyz, /healthz, /metrics"
in_net curl -fsS --max-time 2 http://127.0.0.1:9100/readyz > /dev/null || fail "GET :9100/readyz"
in_net curl -fsS --max-time 2 http://127.0.0.1:9100/healthz > /dev/null || fail "GET :9100/healthz"
in_net curl -fsS --max-time 2 http://127.0.0.1:9100/metrics | grep -E '^sentinel_(api_serving|model_info)' \
    || fail "GET :9100/metrics has no sentinel_api_serving or sentinel_model_info"

step "score one transaction"
{ zcat "$SAMPLE" || true; } | head -n 2 > "$WORK/one.csv" # zcat dies of SIGPIPE
in_net "$CLI" score --api 127.0.0.1:8000 --data "$WORK/one.csv" --json || fail "score"

step "replay the sample"
rows=$(($(zcat "$SAMPLE" | wc -l) - 1))
in_net "$CLI" replay --api 127.0.0.1:8000 --data "$SAMPLE" --json | tee "$WORK/replay.json" || fail "replay"
grep -q "\"scored\":$rows\b\|\"scored\": *$rows\b" "$WORK/replay.json" || fail "replay did not score all $rows rows"

step "monitor /metrics (events from the API arrive; sentinel_* series)"
deadline=$((SECONDS + 30))
while :; do
    in_net curl -fsS --max-time 2 http://127.0.0.1:8501/metrics > "$WORK/metrics.txt" || fail "GET /metrics"
    # 1 (score) + the replay, once the API's reporter has delivered them all.
    events=$(awk '$1 ~ /^sentinel_monitor_events_total(\{|$)/ {s += $NF} END {printf "%d", s}' "$WORK/metrics.txt")
    ((events >= rows + 1)) && break
    ((SECONDS < deadline)) || { grep events_total "$WORK/metrics.txt" >&2; fail "monitor saw $events events, want $((rows + 1))"; }
    sleep 1
done
echo "events counted by the monitor: $events"
grep -c '^sentinel_' "$WORK/metrics.txt" | xargs echo "sentinel_* samples:"
grep -E '^sentinel_monitor_(events_total|duplicate_events_total|batches_total|producers|models|scored_total|flagged_total)' \
    "$WORK/metrics.txt" | head -n 12

step "HEALTHCHECK (the images' own command, run by podman)"
for c in monitor api; do
    "${PODMAN[@]}" healthcheck run "$NAME-$c" || fail "$c: HEALTHCHECK failed"
    echo "$c: healthy"
done

step "podman stop (SIGTERM) → exit 0"
quiet_systemd "${PODMAN[@]}" stop -t 20 "$NAME-api" > /dev/null
quiet_systemd "${PODMAN[@]}" stop -t 20 "$NAME-monitor" > /dev/null
for c in api monitor; do
    code=$("${PODMAN[@]}" inspect -f '{{.State.ExitCode}}' "$NAME-$c")
    echo "$c exit code: $code"
    [[ $code == 0 ]] || fail "$c exited with $code on SIGTERM"
done
"${PODMAN[@]}" logs --tail 3 "$NAME-monitor"

echo
echo "smoke test passed"
