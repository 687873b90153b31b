#!/usr/bin/env bash
# Kafka broker and ZooKeeper server jars from Maven Central (tools/toolchain/java/pom.xml), into
#   $TC_CACHE/java/kafka-<ver>/libs       kafka_2.13 + slf4j-reload4j + reload4j (runtime scope)
#   $TC_CACHE/java/zookeeper-<ver>/libs   org.apache.zookeeper:zookeeper (runtime scope, logback)
# and $TC_CACHE/java/versions.env (KAFKA_VERSION, ZOOKEEPER_VERSION), read by the image folders' prepare.sh.
# The Maven repository lives in $TC_CACHE/java/m2, outside the clone.
set -euo pipefail
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

KAFKA_VERSION=3.9.1
KAFKA_FALLBACK=3.9.0
ZOOKEEPER_VERSION=3.8.4

pom=$TC_REPO/tools/toolchain/java/pom.xml
key=$(tc_key "$0" "$pom")
out=$TC_CACHE/java
stamp=$TC_STAMPS/java-$key
mkdir -p "$out"
mvn_() { mvn -B -ntp -f "$pom" -Dmaven.repo.local="$out/m2" "$@"; }

if [ -f "$stamp" ] && [ -f "$out/versions.env" ]; then
  # shellcheck disable=SC1091
  . "$out/versions.env"
  if [ -s "$out/kafka-$KAFKA_VERSION/libs/kafka_2.13-$KAFKA_VERSION.jar" ] &&
    [ -s "$out/zookeeper-$ZOOKEEPER_VERSION/libs/zookeeper-$ZOOKEEPER_VERSION.jar" ]; then
    tc_status reused "kafka $KAFKA_VERSION (scala 2.13), zookeeper $ZOOKEEPER_VERSION"
    exit 0
  fi
fi

note=""
if ! mvn_ -q dependency:get -Dartifact="org.apache.kafka:kafka_2.13:$KAFKA_VERSION" -Dtransitive=false; then
  echo "kafka_2.13:$KAFKA_VERSION is not on Maven Central; falling back to $KAFKA_FALLBACK" >&2
  KAFKA_VERSION=$KAFKA_FALLBACK
  note=" (fallback: 3.9.1 not found)"
fi

# copy DIR PROFILE ARGS... : resolve a profile's runtime jars into DIR/libs (replacing an old partial copy).
copy() {
  local d=$1 profile=$2; shift 2
  rm -rf "$d.partial"
  mvn_ -P "$profile" "$@" dependency:copy-dependencies -Dlibs.dir="$d.partial/libs"
  rm -rf "$d"
  mv "$d.partial" "$d"
}
copy "$out/kafka-$KAFKA_VERSION" kafka -Dkafka.version="$KAFKA_VERSION"
copy "$out/zookeeper-$ZOOKEEPER_VERSION" zookeeper -Dzookeeper.version="$ZOOKEEPER_VERSION"

# The broker must carry the same ZooKeeper client as the ensemble runs.
zk_in_kafka=$(cd "$out/kafka-$KAFKA_VERSION/libs" && ls zookeeper-[0-9]*.jar | sed 's/zookeeper-\(.*\)\.jar/\1/')
[ "$zk_in_kafka" = "$ZOOKEEPER_VERSION" ] ||
  echo "warning: kafka $KAFKA_VERSION resolves zookeeper $zk_in_kafka, not $ZOOKEEPER_VERSION" >&2

printf 'KAFKA_VERSION=%s\nZOOKEEPER_VERSION=%s\n' "$KAFKA_VERSION" "$ZOOKEEPER_VERSION" > "$out/versions.env"
rm -f "$TC_STAMPS"/java-*
touch "$stamp"
tc_status built "kafka $KAFKA_VERSION (scala 2.13)$note, zookeeper $ZOOKEEPER_VERSION; $(ls "$out/kafka-$KAFKA_VERSION/libs" | wc -l)+$(ls "$out/zookeeper-$ZOOKEEPER_VERSION/libs" | wc -l) jars"
