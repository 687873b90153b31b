#!/usr/bin/env bash
# Stages the Kafka broker jars resolved by the java step into CONTEXT_DIR/libs.
set -euo pipefail
ctx=${1:?usage: prepare.sh CONTEXT_DIR}
java=${TC_CACHE:?run through tools/toolchain/run.sh}/java
# shellcheck disable=SC1091
. "$java/versions.env"
libs=$java/kafka-$KAFKA_VERSION/libs
[ -s "$libs/kafka_2.13-$KAFKA_VERSION.jar" ] || { echo "no Kafka jars in $libs: run the java step" >&2; exit 1; }
want=$(sed -n 's/^IMAGE=.*://p' "$ctx/image.env")
[ "$want" = "$KAFKA_VERSION" ] || { echo "image tag $want differs from the resolved Kafka $KAFKA_VERSION" >&2; exit 1; }
mkdir -p "$ctx/libs"
cp "$libs"/*.jar "$ctx/libs/"
