#!/bin/bash
# A small stand-in for ZooKeeper's bin/zkServer.sh (the distribution scripts are not on Maven Central):
#   zkServer.sh start-foreground [CFG]   run the server in the foreground (the image's CMD)
#   zkServer.sh status                   print "Mode: ..." from the srvr four-letter word
#   zkServer.sh version                  print the ZooKeeper version of the jars
# JVM settings: ZK_SERVER_HEAP (MB, -Xmx), SERVER_JVMFLAGS and JVMFLAGS, as in the upstream scripts.
set -euo pipefail
home=/opt/zookeeper
cp="$home/libs/*:$home/conf"
cfg=${2:-${ZOO_CONF_DIR:-/conf}/zoo.cfg}

case ${1:-} in
  start-foreground)
    # shellcheck disable=SC2086
    exec java -Xmx${ZK_SERVER_HEAP:-256}m ${SERVER_JVMFLAGS:-} ${JVMFLAGS:-} \
      -Dzookeeper.log.dir="$home/logs" -Dlogback.configurationFile="$home/conf/logback.xml" \
      -Dzookeeper.admin.enableServer=false \
      -cp "$cp" org.apache.zookeeper.server.quorum.QuorumPeerMain "$cfg"
    ;;
  status)
    port=$(sed -n 's/^clientPort=//p' "$cfg" 2> /dev/null | tail -n1)
    out=$(echo srvr | nc -q 1 -w 3 127.0.0.1 "${port:-${ZOO_PORT:-2181}}" 2> /dev/null || true)
    mode=$(printf '%s\n' "$out" | sed -n 's/^Mode: //p')
    if [ -n "$mode" ]; then echo "Mode: $mode"; else echo "${out:-Error contacting service. It is probably not running.}" | head -n1; exit 1; fi
    ;;
  version)
    exec java -cp "$cp" org.apache.zookeeper.version.VersionInfoMain
    ;;
  *)
    echo "usage: zkServer.sh start-foreground [CFG] | status | version" >&2
    exit 64
    ;;
esac
