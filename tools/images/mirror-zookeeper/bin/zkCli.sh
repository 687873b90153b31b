#!/usr/bin/env bash
# zkCli.sh of this mirror: ZooKeeper's command-line client (org.apache.zookeeper.ZooKeeperMain) with the
# image's jars, e.g. `zkCli.sh -server 127.0.0.1:2181 ls /`. CLIENT_JVMFLAGS and JVMFLAGS as in the distribution.
set -euo pipefail
# shellcheck source=zkEnv.sh
. "$(dirname "${BASH_SOURCE[0]}")/zkEnv.sh"
# shellcheck disable=SC2086
exec "$JAVA" "-Dzookeeper.log.dir=$ZOO_LOG_DIR" -cp "$CLASSPATH" ${CLIENT_JVMFLAGS:-} ${JVMFLAGS:-} \
  org.apache.zookeeper.ZooKeeperMain "$@"
