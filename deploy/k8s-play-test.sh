#!/usr/bin/env bash
# Play the Kubernetes manifests (deploy/k8s, overlays/example rendered by `kubectl kustomize`) with `podman kube
# play`, then score one transaction through the API pod and see the monitor pod count it. Cleans up after itself.
#
# What podman 4.3 cannot play is translated first, and only that (deploy/README.md, "Trying the manifests with
# podman"): the monitor's StatefulSet becomes a Deployment plus the PersistentVolumeClaim its volumeClaimTemplate
# would make; the PodDisruptionBudget, HorizontalPodAutoscaler, Services and Namespace are dropped; the probes are
# dropped (podman would run them with curl, which the images do not have) and this script checks the same endpoints
# instead; the container ports are dropped (podman publishes them, which a host network refuses). Both pods use the host network of a private network namespace this script makes, so they reach each
# other on 127.0.0.1 as the Service names would resolve in a cluster (podman has no Service DNS): SENTINEL_MONITOR
# becomes 127.0.0.1:8001 and the API runs one replica (three would share one port). Everything else — images,
# uid 10001, read-only root, dropped capabilities, ConfigMaps, the Secret, the emptyDir spool, the state PVC — is
# played as written. Nothing listens outside that namespace.
#
# Usage: deploy/k8s-play-test.sh [API_IMAGE] [MONITOR_IMAGE]   (root; podman with vfs storage, images from
#        deploy/build-images.sh; kubectl for kustomize). Env SENTINEL_CLI as for deploy/smoke-test.sh. About 2 s.
set -euo pipefail

API_IMAGE=${1:-localhost/sentinel-api:dev}
MONITOR_IMAGE=${2:-localhost/sentinel-monitor:dev}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TOOLS=$ROOT/.venv-tools
PODMAN=(podman --storage-driver vfs --runtime runc)
NAME=sentinel-play-$$
WORK=$(mktemp -d)
# Without systemd podman logs an error for every health timer it cannot add; they change nothing.
quiet_systemd() { "$@" 2> >(grep -v 'systemd connection' >&2); }

cleanup() {
    if [[ -f $WORK/play.yaml ]]; then
        quiet_systemd "${PODMAN[@]}" kube down "$WORK/play.yaml" > /dev/null 2>&1 || true
        "${PODMAN[@]}" volume rm -f state-sentinel-monitor-0 > /dev/null 2>&1 || true
        # kube play keeps each Secret as a podman secret and a volume of the same name.
        secret=$(cat "$WORK/secret-name" 2> /dev/null || true)
        "${PODMAN[@]}" secret rm "$secret" > /dev/null 2>&1 || true
        "${PODMAN[@]}" volume rm -f "$secret" > /dev/null 2>&1 || true
    fi
    ip netns del "$NAME" 2> /dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

step() { printf '\n== %s\n' "$*"; }
fail() {
    echo "FAIL: $*" >&2
    for c in sentinel-monitor-pod-0-sentinel-monitor sentinel-api-pod-0-sentinel-api; do
        echo "--- $c log (last 15 lines)" >&2
        "${PODMAN[@]}" logs --tail 15 "$c" >&2 2>&1 || true
    done
    exit 1
}
in_net() { nsenter --net="/run/netns/$NAME" -- "$@"; }
# Wait (at most $2 seconds) until GET $1 inside the namespace answers 2xx.
wait_http() {
    local deadline=$((SECONDS + $2))
    until in_net curl -fsS --max-time 1 -o /dev/null "$1" 2> /dev/null; do
        ((SECONDS < deadline)) || fail "no answer from $1 after $2 s"
        sleep 0.2
    done
}

CLI=${SENTINEL_CLI:-$ROOT/.build/release/sentinel}
[[ -x $CLI ]] || swift build --package-path "$ROOT" -c release --product sentinel
if [[ ! -x $TOOLS/bin/python ]] || ! "$TOOLS/bin/python" -c 'import yaml' 2> /dev/null; then
    python3 -m venv "$TOOLS"
    "$TOOLS/bin/pip" install -q --disable-pip-version-check pyyaml
fi

step "render overlays/example (kubectl kustomize) with fresh tokens"
cp -r "$ROOT/deploy/k8s" "$WORK/k8s"
for token in api-token monitor-token; do
    head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$WORK/k8s/overlays/example/$token"
done
kubectl kustomize "$WORK/k8s/overlays/example" > "$WORK/rendered.yaml"
grep -E '^kind:' "$WORK/rendered.yaml" | sort | uniq -c | sed 's/^/  /'

step "translate what podman cannot play"
API_IMAGE=$API_IMAGE MONITOR_IMAGE=$MONITOR_IMAGE "$TOOLS/bin/python" - "$WORK" << 'PY'
import os, sys, yaml
work = sys.argv[1]
out = []
for doc in yaml.safe_load_all(open(f"{work}/rendered.yaml")):
    kind, name = doc["kind"], doc["metadata"]["name"]
    doc["metadata"].pop("namespace", None)
    if kind in ("Namespace", "PodDisruptionBudget", "HorizontalPodAutoscaler", "Service"):
        print(f"  dropped {kind} {name}")
        continue
    if kind == "Secret":
        open(f"{work}/secret-name", "w").write(name)
    if kind == "ConfigMap" and name == "sentinel-api":
        doc["data"]["SENTINEL_MONITOR"] = "127.0.0.1:8001"
        print("  ConfigMap sentinel-api: SENTINEL_MONITOR=127.0.0.1:8001 (no Service DNS)")
    if kind == "StatefulSet":
        spec = doc["spec"]
        for template in spec.pop("volumeClaimTemplates", []):
            claim = f"{template['metadata']['name']}-{name}-0"
            out.append({"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": claim},
                        "spec": template["spec"]})
            spec["template"]["spec"]["volumes"].append(
                {"name": template["metadata"]["name"], "persistentVolumeClaim": {"claimName": claim}})
            print(f"  StatefulSet {name} → Deployment + PersistentVolumeClaim {claim}")
        spec.pop("serviceName", None)
        doc = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": doc["metadata"], "spec": spec}
        kind = "Deployment"
    if kind == "Deployment":
        if name == "sentinel-api":
            print(f"  Deployment {name}: replicas {doc['spec']['replicas']} → 1 (one network namespace)")
            doc["spec"]["replicas"] = 1
        for container in doc["spec"]["template"]["spec"]["containers"]:
            container["image"] = os.environ["API_IMAGE" if name == "sentinel-api" else "MONITOR_IMAGE"]
            container.pop("readinessProbe", None)
            container.pop("livenessProbe", None)
            container.pop("ports", None)  # podman maps them, which a host network refuses
    out.append(doc)
yaml.safe_dump_all(out, open(f"{work}/play.yaml", "w"), sort_keys=False)
PY

step "podman kube play (host network of namespace $NAME)"
ip netns add "$NAME"
ip -n "$NAME" link set lo up
# Podman's default ulimits need CAP_SYS_RESOURCE, which this VM's root lacks (deploy/smoke-test.sh); kube play
# takes no --ulimit, so containers.conf lowers them.
printf '[containers]\ndefault_ulimits = ["nofile=4096:4096", "nproc=4096:4096"]\n' > "$WORK/containers.conf"
start=$SECONDS
CONTAINERS_CONF=$WORK/containers.conf quiet_systemd nsenter --net="/run/netns/$NAME" -- \
    "${PODMAN[@]}" kube play --network host "$WORK/play.yaml" > "$WORK/play.log" || { cat "$WORK/play.log"; fail "kube play"; }
"${PODMAN[@]}" pod ps --format '  {{.Name}}  {{.Status}}  containers: {{.NumberOfContainers}}' | grep sentinel-

step "pods ready (/readyz of both, as the readiness probes ask)"
wait_http http://127.0.0.1:8501/readyz 30
wait_http http://127.0.0.1:9100/readyz 30
echo "  both ready $((SECONDS - start)) s after kube play"
in_net curl -fsS --max-time 2 -o /dev/null http://127.0.0.1:8501/healthz || fail "monitor /healthz"
in_net curl -fsS --max-time 2 -o /dev/null http://127.0.0.1:9100/healthz || fail "api /healthz"

step "as the manifests say: uid 10001, read-only root, no capabilities"
for c in sentinel-api-pod-0-sentinel-api sentinel-monitor-pod-0-sentinel-monitor; do
    "${PODMAN[@]}" inspect -f "  $c: user {{.Config.User}}, read-only root {{.HostConfig.ReadonlyRootfs}}, \
capabilities {{.EffectiveCaps}}" "$c"
    [[ $("${PODMAN[@]}" inspect -f '{{.HostConfig.ReadonlyRootfs}}' "$c") == true ]] || fail "$c root is writable"
done

step "score one transaction through the API pod (with the token the pod mounted)"
# Read back what the pod sees: podman 4.3 writes a Secret's values into the volume as they stand in the YAML.
"${PODMAN[@]}" exec sentinel-api-pod-0-sentinel-api busybox cat /var/run/secrets/sentinel/api-token \
    > "$WORK/api-token"
{ zcat "$ROOT/data/creditcard-sample.csv.gz" || true; } | head -n 2 > "$WORK/one.csv" # zcat dies of SIGPIPE
in_net "$CLI" score --api 127.0.0.1:8000 --token-file "$WORK/api-token" --data "$WORK/one.csv" --json \
    || fail "score"
if in_net "$CLI" health --api 127.0.0.1:8000 > "$WORK/refused.txt" 2>&1; then fail "the API answered without a token"; fi
grep -q UNAUTHENTICATED "$WORK/refused.txt" || { cat "$WORK/refused.txt"; fail "refused, but not UNAUTHENTICATED"; }
echo "  without the token: $(head -n 1 "$WORK/refused.txt")"

step "the monitor pod counted it"
deadline=$((SECONDS + 20))
until in_net curl -fsS --max-time 2 http://127.0.0.1:8501/metrics > "$WORK/metrics.txt" \
    && awk '$1 == "sentinel_monitor_events_total" && $2 >= 1 {found = 1} END {exit !found}' "$WORK/metrics.txt"; do
    ((SECONDS < deadline)) || fail "the monitor did not count the event within 20 s"
    sleep 0.5
done
grep -E '^sentinel_monitor_(events_total|scored_total)' "$WORK/metrics.txt" | sed 's/^/  /'
in_net curl -fsS --max-time 2 http://127.0.0.1:8501/api/snapshot | grep -o '"events_total":[^,]*' | head -n 1 \
    | sed 's/^/  snapshot: /'

echo
echo "k8s play test passed"
