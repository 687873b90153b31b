#!/bin/bash
# Entry point with the conventions of hyperledger/fabric-kafka 0.4.x, for Kafka 3.x:
# - defaults KAFKA_BROKER_ID=-1 (automatic) and KAFKA_LOG_RETENTION_MS=-1 (never prune);
# - KAFKA_ADVERTISED_HOST_NAME_COMMAND / KAFKA_ADVERTISED_PORT_COMMAND are evaluated into
#   KAFKA_ADVERTISED_HOST_NAME / KAFKA_ADVERTISED_PORT;
# - settings Kafka 3.0 removed are translated: KAFKA_HOST_NAME/KAFKA_PORT into listeners and
#   KAFKA_ADVERTISED_HOST_NAME/KAFKA_ADVERTISED_PORT into advertised.listeners (unless those are set);
# - every other KAFKA_X_Y=v becomes x.y=v in server.properties (an existing or commented key is replaced,
#   else appended), except KAFKA_HOME, KAFKA_EXE, KAFKA_VERSION, KAFKA_DOWNLOAD_SHA1,
#   KAFKA_SERVER_PROPERTIES, *_COMMAND and the JVM variables (KAFKA_HEAP_OPTS, KAFKA_OPTS,
#   KAFKA_JVM_PERFORMANCE_OPTS, KAFKA_LOG4J_OPTS, KAFKA_JMX_OPTS, KAFKA_GC_LOG_OPTS, KAFKA_DEBUG), which
#   kafka-run-class.sh applies to the java command line instead.
# server.properties is regenerated from server.properties.in at every start, so a restart with other
# variables does not keep stale keys. /opt/kafka/run (read by the health check) is emptied first.
set -euo pipefail
home=${KAFKA_HOME:-/opt/kafka}
props=$home/config/server.properties
run=$home/run

rm -rf "$run"
mkdir -p "$run"

export KAFKA_BROKER_ID=${KAFKA_BROKER_ID:--1}
export KAFKA_LOG_RETENTION_MS=${KAFKA_LOG_RETENTION_MS:--1}
if [ -n "${KAFKA_ADVERTISED_HOST_NAME_COMMAND:-}" ]; then
  KAFKA_ADVERTISED_HOST_NAME=$(eval "$KAFKA_ADVERTISED_HOST_NAME_COMMAND")
fi
if [ -n "${KAFKA_ADVERTISED_PORT_COMMAND:-}" ]; then
  KAFKA_ADVERTISED_PORT=$(eval "$KAFKA_ADVERTISED_PORT_COMMAND")
fi

cp "$props.in" "$props.tmp"

# set_prop KEY VALUE: replace the first "KEY=" or "#KEY=" line (dropping later ones), else append.
set_prop() {
  K=$1 V=$2 awk '
    BEGIN { k = ENVIRON["K"]; v = ENVIRON["V"] }
    { l = $0; sub(/^#[ \t]*/, "", l); i = index(l, "=")
      if (i > 0 && substr(l, 1, i - 1) == k) { if (!done) print k "=" v; done = 1; next }
      print }
    END { if (!done) print k "=" v }' "$props.tmp" > "$props.tmp2"
  mv "$props.tmp2" "$props.tmp"
}
get_prop() { sed -n "s/^$1=//p" "$props.tmp" | tail -n1; }

if [ -z "${KAFKA_LISTENERS:-}" ] && [ -n "${KAFKA_PORT:-}${KAFKA_HOST_NAME:-}" ]; then
  KAFKA_LISTENERS="PLAINTEXT://${KAFKA_HOST_NAME:-0.0.0.0}:${KAFKA_PORT:-9092}"
fi
for name in $(compgen -e | grep '^KAFKA_' || true); do
  case $name in
    KAFKA_HOME | KAFKA_EXE | KAFKA_VERSION | KAFKA_DOWNLOAD_SHA1 | KAFKA_SERVER_PROPERTIES | *_COMMAND) continue ;;
    KAFKA_HEAP_OPTS | KAFKA_OPTS | KAFKA_JVM_PERFORMANCE_OPTS | KAFKA_LOG4J_OPTS | KAFKA_JMX_OPTS | KAFKA_GC_LOG_OPTS | KAFKA_DEBUG) continue ;;
    KAFKA_PORT | KAFKA_HOST_NAME | KAFKA_ADVERTISED_HOST_NAME | KAFKA_ADVERTISED_PORT) continue ;;
  esac
  key=$(echo "${name#KAFKA_}" | tr '[:upper:]_' '[:lower:].')
  set_prop "$key" "${!name}"
done
[ -n "${KAFKA_LISTENERS:-}" ] && set_prop listeners "$KAFKA_LISTENERS"
if [ -z "${KAFKA_ADVERTISED_LISTENERS:-}" ] && [ -n "${KAFKA_ADVERTISED_HOST_NAME:-}" ]; then
  port=${KAFKA_ADVERTISED_PORT:-}
  if [ -z "$port" ]; then
    port=$(get_prop listeners | tr ',' '\n' | sed -n 's#^PLAINTEXT://.*:\([0-9]*\)$#\1#p' | head -n1)
  fi
  set_prop advertised.listeners "PLAINTEXT://$KAFKA_ADVERTISED_HOST_NAME:${port:-9092}"
fi
mv "$props.tmp" "$props"

# The pid the health check watches: the exec below keeps it.
echo $$ > "$run/pid"
exec "$@"
