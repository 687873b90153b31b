#!/usr/bin/env bash
# Local image registry (Debian's docker-registry 2.8) on $TC_REGISTRY (default 127.0.0.1:5000), storage in
# $TC_CACHE/registry, config and pid file in $TC_CACHE/run. A loopback registry is trusted by the local
# engine without TLS; the e2e harness serves the same storage to the simulated hosts.
# No-op when something already answers /v2/ there.
set -euo pipefail
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

run=$TC_CACHE/run
storage=$TC_CACHE/registry
cfg=$run/registry.yml
pidfile=$run/registry.pid
log=$TC_LOGS/registry.log
mkdir -p "$run" "$storage"

answering() { curl -fsS -m 3 -o /dev/null "http://$TC_REGISTRY/v2/"; }
version() { docker-registry --version 2> /dev/null | awk '{print $NF}'; }

if answering; then
  owner="pid $(cat "$pidfile" 2> /dev/null || echo '?')"
  if ! { [ -s "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2> /dev/null; }; then
    owner="not started by this step: its storage may not be $storage"
  fi
  tc_status reused "docker-registry $(version) on $TC_REGISTRY ($owner)"
  exit 0
fi

command -v docker-registry > /dev/null || {
  echo "docker-registry is not installed: run the docker step first" >&2
  exit 1
}
cat > "$cfg" << YML
# Written by tools/toolchain/steps/65-registry.sh
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $storage
  delete:
    enabled: true
  cache:
    blobdescriptor: inmemory
http:
  addr: $TC_REGISTRY
YML

# A pid file from a registry that died is stale; one that is alive but not answering is wedged.
if [ -s "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2> /dev/null; then
  echo "registry pid $(cat "$pidfile") is alive but does not answer; stopping it"
  kill "$(cat "$pidfile")" || true
  sleep 2
fi
setsid docker-registry serve "$cfg" >> "$log" 2>&1 < /dev/null &
echo $! > "$pidfile"
for _ in $(seq 1 30); do
  answering && break
  sleep 0.5
done
if ! answering; then
  echo "docker-registry did not answer on $TC_REGISTRY; last lines of $log:" >&2
  tail -n 20 "$log" >&2 || true
  exit 1
fi
tc_status started "docker-registry $(version) on $TC_REGISTRY (pid $(cat "$pidfile"), storage $storage)"
