#!/usr/bin/env bash
# Base images for the mirrors of the official images (tools/images/mirror-*): for each official image the
# program defaults to, a Debian bookworm minbase rootfs holding what that image's own base and its package
# installs put there, and nothing else, so that a check that needs a tool the official image lacks fails on
# the mirror too. Made by debootstrap on the host (Dockerfiles never RUN apt-get), cached as tarballs in
# $TC_CACHE/rootfs/mirror (not beside 50-rootfs's tarballs, which that step prunes by name), then `docker import`ed. What each stands in for (docs/toolchain.md, "Mirrors"):
#   fabrickafka/rootfs-fabric:bookworm        ubuntu:20.04 (hyperledger/fabric-peer and -orderer 2.5.0)
#   fabrickafka/rootfs-fabric-tools:bookworm  ubuntu:20.04 + bash curl jq tzdata (hyperledger/fabric-tools 2.5.0)
#   fabrickafka/rootfs-zookeeper:bookworm     eclipse-temurin:17-jre-jammy + zookeeper:3.8.4's packages
#   fabrickafka/rootfs-kafka:bookworm         eclipse-temurin:21-jre-alpine + apache/kafka:3.9.1's packages
#                                             (BusyBox applets, bash, procps; OpenJDK 17: bookworm has no 21;
#                                             nc is OpenBSD's: Debian's BusyBox nc lacks the -z of Alpine's)
# Each variant is keyed by its own recipe line, so changing one rebuilds only that one.
set -euo pipefail
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

SUITE=bookworm
dir=$TC_CACHE/rootfs/mirror
debs=$TC_CACHE/rootfs/debs
mkdir -p "$dir" "$debs"

# name | packages (--include) | post-install actions (space-separated words, see post())
VARIANTS=(
  "fabric|procps|"
  "fabric-tools|procps,bash,curl,jq,tzdata,ca-certificates|"
  "zookeeper|openjdk-17-jre-headless,curl,wget,fontconfig,ca-certificates,p11-kit,tzdata,locales,dirmngr,gosu,gnupg,netcat-openbsd|java-home locale"
  "kafka|openjdk-17-jre-headless,busybox,netcat-openbsd,bash,procps,gnupg,openssl,ca-certificates,p11-kit,tzdata,locales,fontconfig|java-home locale busybox-applets"
)

# The Debian mirror the machine's apt already uses (deb822 .sources or one-line lists), else the default.
debian_mirror() {
  local m
  m=$(cat /etc/apt/sources.list.d/*.sources 2> /dev/null |
    awk '/^URIs:/ {u=$2} /^Suites:/ && u ~ /\/debian\/?$/ {for (i=2;i<=NF;i++) if ($i=="'"$SUITE"'") {print u; exit}}')
  [ -n "$m" ] || m=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2> /dev/null |
    awk '$1=="deb" && $3=="'"$SUITE"'" && $2 ~ /\/debian\/?$/ {print $2; exit}')
  echo "${m:-http://deb.debian.org/debian}"
}

# debootstrap mounts proc/sys in the target: make sure nothing stays mounted, even when it fails.
building=
cleanup() {
  [ -n "$building" ] || return 0
  local m
  for m in dev/pts dev proc sys; do umount -l "$building/rootfs/$m" 2> /dev/null || true; done
  rm -rf --one-file-system "$building"
  building=
}
trap cleanup EXIT

# post ROOT ACTION: what the stood-in base image does after its packages, done in the chroot.
post() {
  local root=$1
  case $2 in
    java-home)
      # The Temurin images keep the JRE in /opt/java/openjdk (JAVA_HOME) with its bin/ first on PATH.
      local jvm
      jvm=$(cd "$root" && ls -d usr/lib/jvm/java-17-openjdk-* | head -n1)
      mkdir -p "$root/opt/java"
      ln -sfn "/$jvm" "$root/opt/java/openjdk"
      ;;
    locale)
      # The Temurin images run with LANG=en_US.UTF-8, which needs the locale generated.
      echo 'en_US.UTF-8 UTF-8' > "$root/etc/locale.gen"
      chroot "$root" locale-gen > /dev/null
      ;;
    busybox-applets)
      # Alpine's userland is BusyBox: every applet is a command (nc, wget, ...). --install never replaces an
      # existing file, so Debian's own tools stay where both exist.
      chroot "$root" /bin/busybox --install -s
      ;;
    *)
      echo "unknown post-install action $2" >&2
      return 1
      ;;
  esac
}

# make_rootfs TARBALL PACKAGES ACTIONS : debootstrap a minbase rootfs with PACKAGES and tar it (unless cached).
make_rootfs() {
  local tarball=$1 include=$2 actions=$3 tmp a
  [ -s "$tarball" ] && { echo "cached: $tarball"; return 0; }
  tmp=$(mktemp -d "$dir/build.XXXXXX")
  building=$tmp
  echo "debootstrap $SUITE ($include) from $MIRROR"
  debootstrap --variant=minbase --cache-dir="$debs" --include="$include" "$SUITE" "$tmp/rootfs" "$MIRROR"
  for a in $actions; do post "$tmp/rootfs" "$a"; done
  chroot "$tmp/rootfs" apt-get clean
  rm -rf "$tmp"/rootfs/var/lib/apt/lists/* "$tmp"/rootfs/var/log/*.log "$tmp"/rootfs/var/cache/debconf/*-old \
    "$tmp"/rootfs/usr/share/doc/* "$tmp"/rootfs/usr/share/man/* "$tmp"/rootfs/usr/share/info/*
  tar --numeric-owner --xattrs -C "$tmp/rootfs" --exclude='./proc/*' --exclude='./sys/*' --exclude='./dev/*' \
    -cf "$tarball.partial" .
  mv "$tarball.partial" "$tarball"
  cleanup
}

current() { [ "$(docker image inspect -f '{{index .Config.Labels "fabrickafka.key"}}' "$1" 2> /dev/null)" = "$2" ]; }

# import TARBALL IMAGE KEY CHANGES... : docker import of TARBALL as IMAGE, labelled with KEY.
import() {
  local tarball=$1 image=$2 key=$3
  shift 3
  status=built
  local args=() c
  for c in "$@"; do args+=(--change "$c"); done
  docker import "${args[@]}" --change "LABEL fabrickafka.key=$key" \
    --change "LABEL org.opencontainers.image.description=\"Debian $SUITE minbase (debootstrap), base of a mirror\"" \
    "$tarball" "$image"
}

MIRROR=$(debian_mirror)
status=reused
report=()
keep=()
for v in "${VARIANTS[@]}"; do
  IFS='|' read -r name include actions <<< "$v"
  key=$( { printf '%s\n' "$SUITE" "$v"; sed -n '/^post()/,/^}/p' "$0"; } | sha256sum | cut -c1-12)
  tarball=$dir/$SUITE-$name-$key.tar
  image=fabrickafka/rootfs-$name:$SUITE
  keep+=("$(basename "$tarball")")
  report+=("rootfs-$name")
  # The tarball only serves to (re)import the image: an image with this key needs neither.
  if current "$image" "$key"; then
    echo "image $image is current"
    continue
  fi
  make_rootfs "$tarball" "$include" "$actions"
  changes=('ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' 'CMD ["/bin/bash"]')
  if [[ " $actions " == *" java-home "* ]]; then
    changes=('ENV JAVA_HOME=/opt/java/openjdk'
      'ENV PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
      "ENV LANG=en_US.UTF-8 LANGUAGE=en_US:en LC_ALL=en_US.UTF-8" 'CMD ["/bin/bash"]')
  fi
  import "$tarball" "$image" "$key" "${changes[@]}"
done
# Tarballs of earlier recipes of these variants are dead weight.
for f in "$dir"/*.tar; do
  [ -e "$f" ] || continue
  [[ " ${keep[*]} " == *" $(basename "$f") "* ]] || rm -f "$f"
done

# Check that the engine runs what it imported, and say what is inside.
java=$(docker run --rm --pull=never fabrickafka/rootfs-kafka:$SUITE sh -c 'java -version 2>&1 | head -n1' | cut -d'"' -f2)
tc_status "$status" "debian $(docker run --rm --pull=never fabrickafka/rootfs-fabric:$SUITE cat /etc/debian_version): ${report[*]} (openjdk $java)"
