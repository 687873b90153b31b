#!/usr/bin/env bash
# Stages the Kafka broker jars the java step resolved from Maven Central into CONTEXT_DIR/libs (they become
# /opt/kafka/libs; the distribution tarball itself is not on Maven Central).
set -euo pipefail
ctx=${1:?usage: prepare.sh CONTEXT_DIR}
java=${TC_CACHE:?run through tools/toolchain/run.sh}/java
# shellcheck source=../../toolchain/lib.sh
. "${TC_REPO:?}/tools/toolchain/lib.sh"
# shellcheck disable=SC1091
. "$java/versions.env"
tc_stage_jars "$ctx" Kafka "$java/kafka-$KAFKA_VERSION/libs" "kafka_2.13-$KAFKA_VERSION.jar" "$KAFKA_VERSION"
# A broker that talks TLS to ZooKeeper does it through ZooKeeper's Netty client socket.
for j in netty-handler netty-transport netty-codec netty-buffer netty-common netty-resolver zookeeper; do
  ls "$ctx/libs/$j"-[0-9]*.jar > /dev/null 2>&1 || { echo "no $j jar among the Kafka jars" >&2; exit 1; }
done
