#!/usr/bin/env bash
# Local base images without any registry: a Debian bookworm minbase rootfs made by debootstrap on the host,
# cached as tarballs in $TC_CACHE/rootfs, then `docker import`ed:
#   fabrickafka/base:bookworm      bash, ca-certificates, curl, netcat-openbsd, procps, jq, tini
#   fabrickafka/base-jre:bookworm  the same plus openjdk-17-jre-headless
# Packages go into the chroot here, on the host; Dockerfiles never RUN apt-get.
set -euo pipefail
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

SUITE=bookworm
BASE_PKGS=bash,ca-certificates,curl,netcat-openbsd,procps,jq,tini
JRE_PKGS=openjdk-17-jre-headless
BASE_IMAGE=fabrickafka/base:$SUITE
JRE_IMAGE=fabrickafka/base-jre:$SUITE

key=$(tc_key "$0")
dir=$TC_CACHE/rootfs
mkdir -p "$dir/debs"

# The Debian mirror the machine's apt already uses (deb822 .sources or one-line lists), else the default.
debian_mirror() {
  local m
  m=$(cat /etc/apt/sources.list.d/*.sources 2> /dev/null |
    awk '/^URIs:/ {u=$2} /^Suites:/ && u ~ /\/debian\/?$/ {for (i=2;i<=NF;i++) if ($i=="'"$SUITE"'") {print u; exit}}')
  [ -n "$m" ] || m=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2> /dev/null |
    awk '$1=="deb" && $3=="'"$SUITE"'" && $2 ~ /\/debian\/?$/ {print $2; exit}')
  echo "${m:-http://deb.debian.org/debian}"
}

# make_rootfs TARBALL PACKAGES : debootstrap a minbase rootfs with PACKAGES and tar it (unless cached).
make_rootfs() {
  local tarball=$1 include=$2 tmp
  [ -s "$tarball" ] && { echo "cached: $tarball"; return 0; }
  tmp=$(mktemp -d "$dir/build.XXXXXX")
  building=$tmp
  echo "debootstrap $SUITE ($include) from $MIRROR"
  debootstrap --variant=minbase --cache-dir="$dir/debs" --include="$include" "$SUITE" "$tmp/rootfs" "$MIRROR"
  chroot "$tmp/rootfs" apt-get clean
  rm -rf "$tmp"/rootfs/var/lib/apt/lists/* "$tmp"/rootfs/var/log/*.log "$tmp"/rootfs/var/cache/debconf/*-old \
    "$tmp"/rootfs/usr/share/doc/* "$tmp"/rootfs/usr/share/man/* "$tmp"/rootfs/usr/share/info/*
  find "$tmp/rootfs/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name 'locale.alias' -exec rm -rf {} + 2> /dev/null || true
  tar --numeric-owner --xattrs -C "$tmp/rootfs" --exclude='./proc/*' --exclude='./sys/*' --exclude='./dev/*' \
    -cf "$tarball.partial" .
  mv "$tarball.partial" "$tarball"
  cleanup
}

# debootstrap mounts proc/sys in the target: make sure nothing stays mounted, even when it fails.
building=
cleanup() {
  [ -n "$building" ] || return 0
  local m
  for m in dev/pts dev proc sys; do umount -l "$building/rootfs/$m" 2> /dev/null || true; done
  # --one-file-system: never follow a mount that is still there into the host's tree.
  rm -rf --one-file-system "$building"
  building=
}
trap cleanup EXIT

# import TARBALL IMAGE : docker import unless IMAGE already carries this key.
import() {
  local tarball=$1 image=$2
  if [ "$(docker image inspect -f '{{index .Config.Labels "fabrickafka.key"}}' "$image" 2> /dev/null)" = "$key" ]; then
    echo "image $image is current"
    return 0
  fi
  status=built
  docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change "LABEL fabrickafka.key=$key" \
    --change "LABEL org.opencontainers.image.description=\"Debian $SUITE minbase (debootstrap)\"" \
    --change 'CMD ["/bin/bash"]' \
    "$tarball" "$image"
}

MIRROR=$(debian_mirror)
status=reused
base_tar=$dir/$SUITE-base-$key.tar
jre_tar=$dir/$SUITE-jre-$key.tar
[ -s "$base_tar" ] && [ -s "$jre_tar" ] || status=built
make_rootfs "$base_tar" "$BASE_PKGS"
make_rootfs "$jre_tar" "$BASE_PKGS,$JRE_PKGS"
# Old tarballs from earlier pins are dead weight.
find "$dir" -maxdepth 1 -name "$SUITE-*.tar" ! -name "*-$key.tar" -delete
import "$base_tar" "$BASE_IMAGE"
import "$jre_tar" "$JRE_IMAGE"

# Check the engine can run what it imported (and report what is inside).
java=$(docker run --rm --pull=never "$JRE_IMAGE" sh -c 'java -version 2>&1 | head -n1' | cut -d'"' -f2)
debver=$(docker run --rm --pull=never "$BASE_IMAGE" cat /etc/debian_version)
tc_status "$status" "debian $debver ($BASE_IMAGE, $JRE_IMAGE: openjdk $java)"
