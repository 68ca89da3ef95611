#!/usr/bin/env bash
# Build both service images with buildah (no Docker engine needed), as CI builds them with docker buildx.
#
# Usage: deploy/build-images.sh [TAG]     (root; default tag dev → localhost/sentinel-{api,monitor}:dev)
# Env:   SWIFT_IMAGE, RUNTIME_IMAGE  base images (default: the local ones deploy/make-local-base-images.sh
#        makes; set SWIFT_IMAGE=swift:6.3-bookworm RUNTIME_IMAGE=debian:bookworm-slim where a registry is reachable)
#        SERVICES  which images (default "api monitor")
set -euo pipefail

TAG=${1:-dev}
SWIFT_IMAGE=${SWIFT_IMAGE:-localhost/swift:6.3-bookworm}
RUNTIME_IMAGE=${RUNTIME_IMAGE:-localhost/debian:bookworm-slim}
SERVICES=${SERVICES:-api monitor}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
REVISION=$(git -C "$ROOT" rev-parse HEAD 2> /dev/null || echo unknown)

for service in $SERVICES; do
    echo "== building localhost/sentinel-$service:$TAG"
    # --format docker: the OCI image format has no HEALTHCHECK; --layers=false: no intermediate layer
    # commits (each is a full copy with the vfs driver); chroot isolation: no nested user namespaces needed.
    start=$SECONDS
    buildah --storage-driver vfs bud \
        --isolation chroot --format docker --layers=false --pull=never \
        --build-arg "SWIFT_IMAGE=$SWIFT_IMAGE" --build-arg "RUNTIME_IMAGE=$RUNTIME_IMAGE" --build-arg "REVISION=$REVISION" \
        --label "org.opencontainers.image.revision=$REVISION" \
        --label "org.opencontainers.image.created=$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
        -f "$ROOT/Dockerfile.$service" -t "localhost/sentinel-$service:$TAG" "$ROOT"
    echo "== built localhost/sentinel-$service:$TAG in $((SECONDS - start)) s"
done
# The build stages leave no named images; drop dangling ones so vfs copies do not pile up.
buildah --storage-driver vfs rmi --prune > /dev/null 2>&1 || true
podman --storage-driver vfs images --format '{{.Repository}}:{{.Tag}}  {{.Size}}' | grep -E 'sentinel-(api|monitor)'
