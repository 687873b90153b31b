#!/usr/bin/env bash
# Stages the ZooKeeper server jars resolved by the java step into CONTEXT_DIR/libs.
set -euo pipefail
ctx=${1:?usage: prepare.sh CONTEXT_DIR}
java=${TC_CACHE:?run through tools/toolchain/run.sh}/java
# shellcheck source=../../toolchain/lib.sh
. "${TC_REPO:?}/tools/toolchain/lib.sh"
# shellcheck disable=SC1091
. "$java/versions.env"
tc_stage_jars "$ctx" ZooKeeper "$java/zookeeper-$ZOOKEEPER_VERSION/libs" "zookeeper-$ZOOKEEPER_VERSION.jar" "$ZOOKEEPER_VERSION"
