#!/usr/bin/env bash
# Docker engine and host packages from Debian's archive (docker.io 20.10, API 1.41), plus the tools the later
# steps need: docker-registry (local registry), debootstrap (base rootfs), jq, a JRE and Maven (Kafka jars).
# Idempotent: installs only what is missing and starts dockerd only when `docker info` does not answer.
set -euo pipefail
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

# openssh-server, iproute2 and util-linux are for the simulated hosts of the end-to-end tests (test/e2e/hosts);
# kcat is the Kafka client the e2e tests probe the brokers with from a host that holds no credentials.
# busybox is for the unit tests that run the readiness checks with BusyBox's applets (what Alpine-based images
# and some hosts have); .ci/run runs this step before `npm test` for them.
pkgs=(docker.io docker-registry debootstrap jq openjdk-17-jre-headless maven curl openssh-server openssh-client iproute2 util-linux kcat busybox)
status=reused

# apt-get with retries: another engineer (or CI step) may hold the dpkg or lists lock.
apt_retry() {
  local i
  for i in $(seq 1 30); do
    if DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=120 "$@"; then return 0; fi
    echo "apt-get $* failed (attempt $i); retrying in 10s" >&2
    sleep 10
  done
  return 1
}

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2> /dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  apt_retry update
  apt_retry install -y --no-install-recommends "${missing[@]}"
  status=built
  # Where services may start on install, the package's own registry (storage /var/lib/docker-registry)
  # would hold port 5000: stop it, the registry step runs ours on $TC_REGISTRY.
  if [[ " ${missing[*]} " == *" docker-registry "* ]]; then
    if command -v systemctl > /dev/null && systemctl is-active --quiet docker-registry 2> /dev/null; then
      systemctl disable --now docker-registry || true
    elif [ -x /etc/init.d/docker-registry ]; then
      /etc/init.d/docker-registry stop > /dev/null 2>&1 || true
    fi
  fi
fi

# The engine. `docker` may be a newer CLI earlier on PATH; it negotiates the API down to the daemon's.
if ! docker info > /dev/null 2>&1; then
  echo "starting dockerd (log: $TC_LOGS/dockerd.log)"
  # A pid file left by a dead daemon is harmless (dockerd checks the pid), but a live one means it is
  # still starting or stopping: give it a moment before starting a second one.
  if [ -s /var/run/docker.pid ] && kill -0 "$(cat /var/run/docker.pid)" 2> /dev/null; then
    echo "dockerd pid $(cat /var/run/docker.pid) is alive but not answering yet; waiting"
  else
    setsid dockerd >> "$TC_LOGS/dockerd.log" 2>&1 < /dev/null &
    [ "$status" = built ] || status=started
  fi
  for _ in $(seq 1 90); do
    docker info > /dev/null 2>&1 && break
    sleep 1
  done
  if ! docker info > /dev/null 2>&1; then
    echo "dockerd did not answer within 90s; last lines of its log:" >&2
    tail -n 40 "$TC_LOGS/dockerd.log" >&2 || true
    exit 1
  fi
fi

server=$(docker version -f '{{.Server.Version}} (API {{.Server.APIVersion}})')
tc_status "$status" "docker $server; $(java -version 2>&1 | head -n1 | cut -d'"' -f2) jre; $(mvn -v 2> /dev/null | head -n1 | sed 's/\x1b\[[0-9;]*m//g' | awk '{print "maven", $3}')"
