#!/usr/bin/env bash
# kafka-run-class.sh [-name NAME] [-loggc] CLASS [ARGS...]: a class from /opt/kafka/libs on the JVM, with the
# environment conventions of Kafka's distribution script (which is not on Maven Central; this one is written for
# this project): KAFKA_HEAP_OPTS (default -Xmx256M), KAFKA_JVM_PERFORMANCE_OPTS (G1 defaults), KAFKA_GC_LOG_OPTS
# (with -loggc: GC log in LOG_DIR), KAFKA_JMX_OPTS with JMX_PORT, KAFKA_LOG4J_OPTS (default
# config/tools-log4j.properties), KAFKA_OPTS, LOG_DIR (default /opt/kafka/logs), JAVA_HOME.
set -euo pipefail
base_dir=$(cd "$(dirname "$0")/.." && pwd)
name= gc=
while [ $# -gt 0 ]; do
  case $1 in
    -name) name=$2; shift 2 ;;
    -loggc) gc=1; shift ;;
    -daemon) echo "kafka-run-class.sh: -daemon is not supported in this image; run in the foreground" >&2; exit 64 ;;
    *) break ;;
  esac
done
[ $# -ge 1 ] || { echo "USAGE: $0 [-name servicename] [-loggc] classname [opts]" >&2; exit 1; }
LOG_DIR=${LOG_DIR:-$base_dir/logs}
mkdir -p "$LOG_DIR"
if [ -n "${JAVA_HOME:-}" ]; then JAVA=$JAVA_HOME/bin/java; else JAVA=java; fi
: "${KAFKA_HEAP_OPTS:=-Xmx256M}"
: "${KAFKA_JVM_PERFORMANCE_OPTS:=-server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15 -Djava.awt.headless=true}"
: "${KAFKA_LOG4J_OPTS:=-Dlog4j.configuration=file:$base_dir/config/tools-log4j.properties}"
if [ -n "$gc" ] && [ -z "${KAFKA_GC_LOG_OPTS:-}" ]; then
  KAFKA_GC_LOG_OPTS="-Xlog:gc*:file=$LOG_DIR/${name:-kafka}-gc.log:time,tags:filecount=10,filesize=100M"
fi
if [ -n "${JMX_PORT:-}" ]; then
  : "${KAFKA_JMX_OPTS:=-Dcom.sun.management.jmxremote -Dcom.sun.management.jmxremote.authenticate=false -Dcom.sun.management.jmxremote.ssl=false}"
  KAFKA_JMX_OPTS="$KAFKA_JMX_OPTS -Dcom.sun.management.jmxremote.port=$JMX_PORT"
fi
# shellcheck disable=SC2086
exec "$JAVA" $KAFKA_HEAP_OPTS $KAFKA_JVM_PERFORMANCE_OPTS ${KAFKA_GC_LOG_OPTS:-} ${KAFKA_JMX_OPTS:-} \
  "-Dkafka.logs.dir=$LOG_DIR" $KAFKA_LOG4J_OPTS -cp "$base_dir/libs/*" ${KAFKA_OPTS:-} "$@"
