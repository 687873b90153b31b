#!/usr/bin/env bash
# zkServer.sh of this mirror (ZooKeeper's distribution scripts are not on Maven Central; written for this
# project after the distribution's behaviour, for the commands the image uses):
#   zkServer.sh start-foreground [CFG]   the server in the foreground (the image's CMD)
#   zkServer.sh status [CFG]             "Mode: ..." as the server answers srvr on its plaintext client port
#   zkServer.sh print-cmd [CFG]          the command start-foreground runs
#   zkServer.sh version                  the version of the jars
# CFG is a file name in ZOOCFGDIR or a path (default zoo.cfg). JVM settings as in the distribution:
# ZK_SERVER_HEAP (MB, default 1000), SERVER_JVMFLAGS, JVMFLAGS.
set -euo pipefail
# shellcheck source=zkEnv.sh
. "$(dirname "${BASH_SOURCE[0]}")/zkEnv.sh"

cfg=${2:-zoo.cfg}
[[ $cfg == */* ]] || cfg=$ZOOCFGDIR/$cfg
heap="-Xmx${ZK_SERVER_HEAP:-1000}m"

server_cmd() {
  # shellcheck disable=SC2206
  cmd=("$JAVA" "-Dzookeeper.log.dir=$ZOO_LOG_DIR" "-Dzookeeper.log.file=zookeeper-${USER:-$(id -un)}-server-$(hostname).log"
    -XX:+HeapDumpOnOutOfMemoryError "-XX:OnOutOfMemoryError=kill -9 %p" -cp "$CLASSPATH"
    $heap ${SERVER_JVMFLAGS:-} ${JVMFLAGS:-} org.apache.zookeeper.server.quorum.QuorumPeerMain "$cfg")
}

# The plaintext client endpoint of this server: clientPortAddress/clientPort, else the client part of its own
# server.N line (id from myid).
client_endpoint() {
  local port addr id line
  port=$(sed -n 's/^clientPort=//p' "$cfg" | tail -n1)
  addr=$(sed -n 's/^clientPortAddress=//p' "$cfg" | tail -n1)
  if [[ -z $port ]]; then
    id=$(cat "$(sed -n 's/^dataDir=//p' "$cfg" | tail -n1)/myid" 2> /dev/null || true)
    line=$(sed -n "s/^server\\.$id=.*;//p" "$cfg" | tail -n1)
    port=${line##*:}
    [[ $line == *:* ]] && addr=${line%:*}
  fi
  [[ -n $port ]] || return 1
  case ${addr:-0.0.0.0} in 0.0.0.0 | '') addr=127.0.0.1 ;; esac
  echo "$addr $port"
}

case ${1:-} in
  start-foreground)
    server_cmd
    exec "${cmd[@]}"
    ;;
  print-cmd)
    server_cmd
    printf '%q ' "${cmd[@]}"
    echo
    ;;
  status)
    ep=$(client_endpoint) || { echo "Client port not found in $cfg. Terminating." >&2; exit 1; }
    # shellcheck disable=SC2086
    out=$("$JAVA" -cp "$CLASSPATH" ${CLIENT_JVMFLAGS:-} org.apache.zookeeper.client.FourLetterWordMain $ep srvr 2> /dev/null) || true
    mode=$(printf '%s\n' "$out" | sed -n 's/^Mode: //p')
    if [[ -n $mode ]]; then echo "Mode: $mode"; else echo "Error contacting service. It is probably not running." >&2; exit 1; fi
    ;;
  version)
    exec "$JAVA" -cp "$CLASSPATH" org.apache.zookeeper.version.VersionInfoMain
    ;;
  *)
    echo "Usage: $0 {start-foreground|status|print-cmd|version} [CFG]" >&2
    exit 1
    ;;
esac
