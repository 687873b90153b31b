#!/usr/bin/env bash
# Stages the ZooKeeper server jars resolved by the java step into CONTEXT_DIR/libs.
set -euo pipefail
ctx=${1:?usage: prepare.sh CONTEXT_DIR}
java=${TC_CACHE:?run through tools/toolchain/run.sh}/java
# shellcheck disable=SC1091
. "$java/versions.env"
libs=$java/zookeeper-$ZOOKEEPER_VERSION/libs
[ -s "$libs/zookeeper-$ZOOKEEPER_VERSION.jar" ] || { echo "no ZooKeeper jars in $libs: run the java step" >&2; exit 1; }
want=$(sed -n 's/^IMAGE=.*://p' "$ctx/image.env")
[ "$want" = "$ZOOKEEPER_VERSION" ] || { echo "image tag $want differs from the resolved ZooKeeper $ZOOKEEPER_VERSION" >&2; exit 1; }
mkdir -p "$ctx/libs"
cp "$libs"/*.jar "$ctx/libs/"
