#!/usr/bin/env bash
# Run deploy/compose.yaml for real with podman-compose, score one transaction through the API and see the monitor
# count it; scrape both with Prometheus and evaluate deploy/prometheus/rules.yml on what they expose; then take it
# all down (volumes too).
#
# compose.yaml runs as written — images, read-only root, no capabilities, volumes, HEALTHCHECKs, depends_on
# service_healthy — with one override: both services use the host network of a private network namespace this
# script makes (so nothing is published on the machine and no bridge network is needed), where the API finds the
# monitor at 127.0.0.1:8001 instead of by its service name. Podman runs HEALTHCHECKs from systemd timers, which this
# machine lacks, so a loop here runs `podman healthcheck run` every second in their place. The prometheus profile's
# image cannot be pulled here, so Debian's prometheus binary stands in for it, with prometheus.yml's targets and
# intervals changed to 127.0.0.1 and 1 s.
#
# Usage: deploy/compose-test.sh [API_IMAGE] [MONITOR_IMAGE]   (root; podman with vfs storage, images from
#        deploy/build-images.sh; podman-compose from .venv-tools/). Env SENTINEL_CLI as for deploy/smoke-test.sh.
set -euo pipefail

API_IMAGE=${1:-localhost/sentinel-api:dev}
MONITOR_IMAGE=${2:-localhost/sentinel-monitor:dev}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TOOLS=$ROOT/.venv-tools
PODMAN=(podman --storage-driver vfs --runtime runc)
NAME=sentinel-compose-$$
WORK=$(mktemp -d)
HEALTH_LOOP=
PROMETHEUS=

CLI=${SENTINEL_CLI:-$ROOT/.build/release/sentinel}
[[ -x $CLI ]] || swift build --package-path "$ROOT" -c release --product sentinel
[[ -x $TOOLS/bin/podman-compose ]] || {
    python3 -m venv "$TOOLS"
    "$TOOLS/bin/pip" install -q --disable-pip-version-check podman-compose==1.6.0
}

compose() {
    CONTAINERS_CONF=$WORK/containers.conf SENTINEL_API_IMAGE=$API_IMAGE SENTINEL_MONITOR_IMAGE=$MONITOR_IMAGE \
        SENTINEL_MONITOR_WINDOW=1s nsenter --net="/run/netns/$NAME" -- \
        "$TOOLS/bin/podman-compose" -p "$NAME" -f "$ROOT/deploy/compose.yaml" -f "$WORK/override.yaml" \
        --podman-args "--storage-driver vfs --runtime runc" "$@" \
        2> >(grep -v -e 'systemd connection' -e 'Port mappings have been discarded' >&2)
}
cleanup() {
    if [[ -n $HEALTH_LOOP ]]; then kill "$HEALTH_LOOP" 2> /dev/null || true; fi
    if [[ -n $PROMETHEUS ]]; then kill "$PROMETHEUS" 2> /dev/null || true; wait "$PROMETHEUS" 2> /dev/null || true; fi
    if [[ -f $WORK/override.yaml ]]; then compose down -v -t 20 > /dev/null 2>&1 || true; fi
    ip netns del "$NAME" 2> /dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

step() { printf '\n== %s\n' "$*"; }
fail() {
    echo "FAIL: $*" >&2
    for c in monitor api; do
        echo "--- $c log (last 15 lines)" >&2
        "${PODMAN[@]}" logs --tail 15 "${NAME}_${c}_1" >&2 2>&1 || true
    done
    exit 1
}
in_net() { nsenter --net="/run/netns/$NAME" -- "$@"; }

ip netns add "$NAME"
ip -n "$NAME" link set lo up
# Podman's default ulimits need CAP_SYS_RESOURCE, which this VM's root lacks (deploy/smoke-test.sh).
printf '[containers]\ndefault_ulimits = ["nofile=4096:4096", "nproc=4096:4096"]\n' > "$WORK/containers.conf"
cat > "$WORK/override.yaml" << 'YAML'
services:
  monitor:
    network_mode: host
  api:
    network_mode: host
    environment:
      SENTINEL_MONITOR: 127.0.0.1:8001
YAML

step "podman-compose config"
compose config > "$WORK/config.yaml"
echo "  valid ($(wc -l < "$WORK/config.yaml") lines)"

# The HEALTHCHECK timers podman would run under systemd. A host-network container has no network namespace of its
# own: its checks run in whichever one podman runs in, so podman runs in the test's.
(
    while sleep 1; do
        for c in monitor api; do
            in_net "${PODMAN[@]}" healthcheck run "${NAME}_${c}_1" > /dev/null 2>&1 || true
        done
    done
) &
HEALTH_LOOP=$!

step "podman-compose up -d (the API starts once the monitor is healthy)"
start=$SECONDS
compose up -d > "$WORK/up.log" 2>&1 || { cat "$WORK/up.log"; fail "up"; }
deadline=$((SECONDS + 60))
until in_net "${PODMAN[@]}" healthcheck run "${NAME}_api_1" > /dev/null 2>&1; do
    ((SECONDS < deadline)) || fail "the API is not healthy after 60 s"
    sleep 0.5
done
echo "  both healthy $((SECONDS - start)) s after up"
compose ps --format '{{.Names}}  {{.Status}}' 2> /dev/null | sed 's/^/  /' || true

step "score one transaction; the monitor counts it"
{ zcat "$ROOT/data/creditcard-sample.csv.gz" || true; } | head -n 2 > "$WORK/one.csv" # zcat dies of SIGPIPE
in_net "$CLI" score --api 127.0.0.1:8000 --data "$WORK/one.csv" --json || fail "score"
deadline=$((SECONDS + 20))
until in_net curl -fsS --max-time 2 http://127.0.0.1:8501/metrics > "$WORK/metrics.txt" \
    && awk '$1 == "sentinel_monitor_events_total" && $2 >= 1 {found = 1} END {exit !found}' "$WORK/metrics.txt"; do
    ((SECONDS < deadline)) || fail "the monitor did not count the event within 20 s"
    sleep 0.5
done
grep -E '^sentinel_monitor_events_total' "$WORK/metrics.txt" | sed 's/^/  /'
in_net curl -fsS --max-time 2 http://127.0.0.1:9100/metrics | grep -E '^sentinel_api_transactions_scored_total' \
    | sed 's/^/  /' || fail "the API's /metrics has no sentinel_api_transactions_scored_total"

step "Prometheus scrapes both; every rule evaluates"
mkdir "$WORK/prometheus"
cp "$ROOT/deploy/prometheus/rules.yml" "$WORK/prometheus/"
sed -e 's/"api:9100"/"127.0.0.1:9100"/' -e 's/"monitor:8501"/"127.0.0.1:8501"/' -e 's/_interval: 15s/_interval: 1s/' \
    "$ROOT/deploy/prometheus/prometheus.yml" > "$WORK/prometheus/prometheus.yml"
# nsenter itself (not the in_net function, a subshell) so that $! is prometheus's own pid: nsenter execs it.
nsenter --net="/run/netns/$NAME" -- prometheus --config.file="$WORK/prometheus/prometheus.yml" \
    --storage.tsdb.path="$WORK/prometheus/data" --web.listen-address=127.0.0.1:9090 > "$WORK/prometheus.log" 2>&1 &
PROMETHEUS=$!
# query PROMQL: the result vector as "labels value" lines (python3 reads the JSON).
query() {
    in_net curl -fsS --max-time 2 --data-urlencode "query=$1" http://127.0.0.1:9090/api/v1/query 2> /dev/null \
        | python3 -c 'import json, sys
for r in json.load(sys.stdin)["data"]["result"]:
    print({k: v for k, v in r["metric"].items() if k != "__name__"}, r["value"][1])'
}
deadline=$((SECONDS + 30))
until [[ $(query 'sum(up{job=~"sentinel-api|sentinel-monitor"})' 2> /dev/null) == *" 2" ]]; do
    ((SECONDS < deadline)) || { tail -5 "$WORK/prometheus.log"; fail "Prometheus does not see both targets up"; }
    sleep 0.5
done
query 'up' | sed 's/^/  up /'
query 'sum by (job) (scrape_samples_scraped)' | sed 's/^/  samples /'
query 'sentinel_api_transactions_scored_total' | sed 's/^/  /'
query 'sentinel_monitor_events_total' | sed 's/^/  /'
# Two evaluation rounds after both targets are up, then every rule's health must be "ok" (no evaluation error).
sleep 2.5
in_net curl -fsS --max-time 2 http://127.0.0.1:9090/api/v1/rules | python3 -c 'import json, sys
rules = [r for g in json.load(sys.stdin)["data"]["groups"] for r in g["rules"]]
bad = [(r["name"], r.get("lastError")) for r in rules if r["health"] != "ok"]
firing = sorted(r["name"] for r in rules if r.get("state") == "firing")
print(f"  {len(rules)} rules evaluated, {len(bad)} with errors; firing: {firing or None}")
sys.exit(1 if bad or not rules else 0)' || fail "rules with evaluation errors"

step "podman-compose down -v"
compose down -v -t 20 > /dev/null 2>&1
rm -f "$WORK/override.yaml"
echo
echo "compose test passed"
