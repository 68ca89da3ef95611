#!/usr/bin/env bash
# Check the deployment files without running anything: Prometheus config and rules (promtool check + the rules'
# unit tests), the Grafana dashboard and rules against Docs/Metrics.md, the Kubernetes manifests (base and the
# rendered example overlay) against the Kubernetes schemas, compose.yaml against the Compose spec, the CI workflow
# against GitHub's schema, the JSON Schemas in Docs/schemas/ against their metaschema, and both Dockerfiles with
# hadolint. A few seconds; one line per check unless one fails.
#
# Usage: deploy/check.sh        (needs promtool and python3 with venv; pip tools go to .venv-tools/, ignored by git)
set -euo pipefail
cd "$(dirname "$0")/.."

TOOLS=.venv-tools
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
failed=0

# check NAME COMMAND...: run quietly; print "ok NAME", or the command's output and "FAIL NAME".
check() {
    local name=$1
    shift
    if "$@" > "$WORK/out" 2>&1; then
        echo "ok   $name"
    else
        cat "$WORK/out"
        echo "FAIL $name"
        failed=1
    fi
}

if [[ ! -x $TOOLS/bin/kubernetes-validate || ! -x $TOOLS/bin/check-jsonschema || ! -x $TOOLS/bin/hadolint ]]; then
    python3 -m venv "$TOOLS"
    "$TOOLS/bin/pip" install -q --disable-pip-version-check -r deploy/check-requirements.txt
fi

# Debian's promtool is built without Kubernetes service discovery; there the Kubernetes config is checked with its
# discovery block swapped for a file_sd one (the relabelling, the part that can be wrong, is checked all the same).
check_kubernetes_config() {
    if ! promtool check config deploy/prometheus/prometheus-kubernetes.yml 2> "$WORK/err"; then
        grep -q 'field kubernetes_sd_configs not found' "$WORK/err" || { cat "$WORK/err" >&2; return 1; }
        cp deploy/prometheus/rules.yml "$WORK/"
        sed -e 's/kubernetes_sd_configs:/file_sd_configs:/' -e 's/- role: pod/- files: [pods.json]/' \
            deploy/prometheus/prometheus-kubernetes.yml > "$WORK/prometheus-kubernetes.yml"
        promtool check config "$WORK/prometheus-kubernetes.yml"
    fi
}

# Render base and the example overlay (kustomize as kubectl embeds it) with throwaway tokens, then validate every
# resource. Without kubectl, each manifest file is validated on its own (the overlay's patches are not applied).
check_manifests() {
    local validate=("$TOOLS/bin/kubernetes-validate" --strict --quiet)
    if command -v kubectl > /dev/null; then
        cp -r deploy/k8s "$WORK/k8s"
        for token in api-token monitor-token; do
            head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$WORK/k8s/overlays/example/$token"
        done
        kubectl kustomize "$WORK/k8s/base" > "$WORK/base.yaml"
        kubectl kustomize "$WORK/k8s/overlays/example" > "$WORK/example.yaml"
        "${validate[@]}" "$WORK/base.yaml" "$WORK/example.yaml"
    else
        find deploy/k8s -name '*.yaml' ! -name kustomization.yaml -print0 | xargs -0 "${validate[@]}"
    fi
}

# Both Dockerfiles carry the same shared stages, so either build reuses the other's cached compile.
check_shared_stages() {
    local range='/^# ---- shared stages/,/^# ---- end of the shared stages/p'
    diff <(sed -n "$range" Dockerfile.api) <(sed -n "$range" Dockerfile.monitor)
    [[ -n $(sed -n "$range" Dockerfile.api) ]]
}

check "promtool check config (compose)" promtool check config deploy/prometheus/prometheus.yml
check "promtool check config (kubernetes)" check_kubernetes_config
check "promtool check rules" promtool check rules deploy/prometheus/rules.yml
check "promtool test rules" promtool test rules deploy/prometheus/rules.test.yml
check "dashboard and rules name documented series" python3 deploy/check-observability.py
check "kubernetes-validate (base, overlays/example)" check_manifests
check "compose.yaml against the Compose spec" "$TOOLS/bin/check-jsonschema" --builtin-schema vendor.compose-spec \
    deploy/compose.yaml
check "ci.yml against the GitHub workflow schema" "$TOOLS/bin/check-jsonschema" \
    --builtin-schema vendor.github-workflows .github/workflows/ci.yml
check "Docs/schemas/*.schema.json against the JSON Schema metaschema" "$TOOLS/bin/check-jsonschema" \
    --check-metaschema Docs/schemas/*.schema.json
check "hadolint Dockerfile.api Dockerfile.monitor" "$TOOLS/bin/hadolint" Dockerfile.api Dockerfile.monitor
check "Dockerfiles share their build stages" check_shared_stages
exit "$failed"
