#!/usr/bin/env bash
# Stages the ZooKeeper server jars the java step resolved from Maven Central into CONTEXT_DIR/libs (they become
# the distribution's lib/; the distribution tarball itself is not on Maven Central).
set -euo pipefail
ctx=${1:?usage: prepare.sh CONTEXT_DIR}
java=${TC_CACHE:?run through tools/toolchain/run.sh}/java
# shellcheck source=../../toolchain/lib.sh
. "${TC_REPO:?}/tools/toolchain/lib.sh"
# shellcheck disable=SC1091
. "$java/versions.env"
tc_stage_jars "$ctx" ZooKeeper "$java/zookeeper-$ZOOKEEPER_VERSION/libs" "zookeeper-$ZOOKEEPER_VERSION.jar" "$ZOOKEEPER_VERSION"
# Client TLS (secureClientPort, sslQuorum) runs on Netty: refuse to build an image that could not serve it.
for j in netty-handler netty-transport netty-codec netty-buffer netty-common netty-resolver; do
  ls "$ctx/libs/$j"-[0-9]*.jar > /dev/null 2>&1 || { echo "no $j jar among the ZooKeeper jars" >&2; exit 1; }
done
