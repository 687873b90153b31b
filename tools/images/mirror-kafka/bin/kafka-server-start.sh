#!/usr/bin/env bash
# kafka-server-start.sh server.properties [--override property=value]...: the broker in the foreground, with the
# defaults of Kafka's distribution script: KAFKA_LOG4J_OPTS config/log4j.properties, KAFKA_HEAP_OPTS
# -Xmx1G -Xms1G, a GC log. Written for this project (the distribution's scripts are not on Maven Central).
set -euo pipefail
if [ $# -lt 1 ]; then
  echo "USAGE: $0 server.properties [--override property=value]*" >&2
  exit 1
fi
base_dir=$(cd "$(dirname "$0")/.." && pwd)
export KAFKA_LOG4J_OPTS=${KAFKA_LOG4J_OPTS:--Dlog4j.configuration=file:$base_dir/config/log4j.properties}
export KAFKA_HEAP_OPTS=${KAFKA_HEAP_OPTS:--Xmx1G -Xms1G}
exec "$base_dir/bin/kafka-run-class.sh" -name kafkaServer -loggc kafka.Kafka "$@"
