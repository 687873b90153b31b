#!/bin/bash
# kafka-server-start.sh [server.properties]: the broker in the foreground (the image's CMD).
# Heap default: -Xmx512M -Xms256M (KAFKA_HEAP_OPTS overrides).
set -euo pipefail
: "${KAFKA_HEAP_OPTS:=-Xmx512M -Xms256M}"
export KAFKA_HEAP_OPTS
exec "$(dirname "$0")/kafka-run-class.sh" kafka.Kafka "${1:-${KAFKA_HOME:-/opt/kafka}/config/server.properties}"
