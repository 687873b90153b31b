#!/bin/bash
# Runs the command (default `orderer`). For the orderer itself, its output also passes through a filter
# that copies the Kafka chain start lines of this run to /var/run/fabric-orderer/state.log (emptied at
# every start), which /usr/local/bin/healthcheck reads before it calls /healthz: Fabric's Kafka chain
# registers its health checker before its producer exists, and a /healthz call in that window makes the
# orderer dereference a nil producer and exit (orderer/consensus/kafka/chain.go, HealthCheck).
set -euo pipefail
run=/var/run/fabric-orderer
rm -rf "$run"
mkdir -p "$run"

if [ "${1:-}" = orderer ] && { [ $# -eq 1 ] || [ "${2:-}" = start ]; }; then
  : > "$run/state.log"
  # All output still reaches `docker logs` (as stdout); mawk -W interactive passes each line at once.
  exec > >(mawk -W interactive -v state="$run/state.log" '
    { print; fflush() }
    /Starting chain with last persisted offset|Start phase completed successfully|Beginning to serve requests/ {
      print >> state; fflush(state)
    }') 2>&1
  echo $$ > "$run/pid"
fi
exec "$@"
