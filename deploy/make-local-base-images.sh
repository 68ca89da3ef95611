#!/usr/bin/env bash
# Build the two base images the Dockerfiles need, locally, for a machine with no image registry.
#
# Only for the air-gapped development machine: CI on GitHub pulls the official swift:6.3-bookworm and
# debian:bookworm-slim images instead. This script makes
#   localhost/debian:bookworm-slim   a debootstrap --variant=minbase Debian 12 root file system
#   localhost/swift:6.3-bookworm     that root file system + the packages the official swift:bookworm image has
#                                    + the Swift toolchain found at $SWIFT_TOOLCHAIN (default /opt/swift) on PATH
#
# Usage: deploy/make-local-base-images.sh            (run as root; needs debootstrap, podman)
# Env:   DEBIAN_MIRROR (default: the first deb.debian.org-style URI apt uses here), SWIFT_TOOLCHAIN, WORK_DIR.
set -euo pipefail

SWIFT_TOOLCHAIN=${SWIFT_TOOLCHAIN:-/opt/swift}
WORK_DIR=${WORK_DIR:-/var/tmp/sentinel-base-images}
MIRROR=${DEBIAN_MIRROR:-}
if [[ -z $MIRROR ]]; then
    # The mirror apt uses on this machine (deb822 or one-line sources), so debootstrap reaches the same host.
    MIRROR=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null | grep -E '^(URIs:|deb )' \
        | grep -oE 'https?://[^ ]+/debian/?( |$)' | head -n1 | tr -d ' ' || true)
    MIRROR=${MIRROR:-http://deb.debian.org/debian}
fi
PODMAN=(podman --storage-driver vfs)

# What the official swift:bookworm image installs (its Dockerfile), so builds behave the same.
SWIFT_PACKAGES=binutils,gcc,libc6-dev,libcurl4-openssl-dev,libedit2,libgcc-12-dev,libpython3-dev,libsqlite3-0,\
libstdc++-12-dev,libxml2-dev,libncurses-dev,libz3-dev,pkg-config,tzdata,zlib1g-dev,git,unzip,ca-certificates

[[ -x $SWIFT_TOOLCHAIN/usr/bin/swift ]] || { echo "no Swift toolchain at $SWIFT_TOOLCHAIN" >&2; exit 1; }
mkdir -p "$WORK_DIR"
slim=$WORK_DIR/bookworm-slim
swift=$WORK_DIR/bookworm-swift

strip_rootfs() {
    # Like the official images: apt keeps no package caches (their /etc/apt/apt.conf.d/docker-clean), and the
    # slim variant drops man pages, docs (bar copyrights) and translations, now and for later installs.
    local clean='"rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"'
    printf 'DPkg::Post-Invoke { %s; };\nAPT::Update::Post-Invoke { %s; };\nDir::Cache::pkgcache "";\nDir::Cache::srcpkgcache "";\n' \
        "$clean" "$clean" > "$1"/etc/apt/apt.conf.d/docker-clean
    printf '%s\n' 'path-exclude /usr/share/doc/*' 'path-include /usr/share/doc/*/copyright' \
        'path-exclude /usr/share/man/*' 'path-exclude /usr/share/info/*' 'path-exclude /usr/share/locale/*' \
        > "$1"/etc/dpkg/dpkg.cfg.d/docker-slim
    rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin "$1"/var/cache/apt/archives/*.deb \
        "$1"/usr/share/man/* "$1"/usr/share/info/* "$1"/usr/share/locale/*
    find "$1"/usr/share/doc -type f ! -name copyright -delete
    # apt inside the image must reach the same mirror.
    printf 'deb %s bookworm main\ndeb %s bookworm-updates main\n' "$MIRROR" "$MIRROR" > "$1"/etc/apt/sources.list
}

# The two root file systems are independent: bootstrap them side by side.
pids=()
if [[ ! -e $slim/etc/debian_version ]]; then
    debootstrap --variant=minbase bookworm "$slim" "$MIRROR" > "$WORK_DIR/slim.log" 2>&1 &
    pids+=($!)
fi
if [[ ! -e $swift/etc/debian_version ]]; then
    debootstrap --variant=minbase --include="$SWIFT_PACKAGES" bookworm "$swift" "$MIRROR" \
        > "$WORK_DIR/swift.log" 2>&1 &
    pids+=($!)
fi
for pid in "${pids[@]}"; do
    wait "$pid" || { tail -n 20 "$WORK_DIR"/*.log >&2; exit 1; }
done
strip_rootfs "$slim"
strip_rootfs "$swift"

tar -C "$slim" -c . | "${PODMAN[@]}" import \
    --change 'CMD ["bash"]' \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    - localhost/debian:bookworm-slim

mkdir -p "$swift/opt"
rm -rf "$swift/opt/swift"
cp -a "$SWIFT_TOOLCHAIN" "$swift/opt/swift"
tar -C "$swift" -c . | "${PODMAN[@]}" import \
    --change 'CMD ["bash"]' \
    --change 'ENV PATH=/opt/swift/usr/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    - localhost/swift:6.3-bookworm
rm -rf "$swift/opt/swift"

"${PODMAN[@]}" images --filter reference='localhost/*'
