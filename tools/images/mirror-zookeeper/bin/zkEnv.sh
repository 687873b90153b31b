#!/usr/bin/env bash
# Sourced by this mirror's zkServer.sh and zkCli.sh (the distribution's own scripts are not on Maven Central;
# these implement the part of them the image uses). Sets ZOOBINDIR, ZOOKEEPER_PREFIX, ZOOCFGDIR (default
# ../conf), ZOO_LOG_DIR (default ../logs), JAVA and CLASSPATH (the configuration directory first, so
# logback.xml is found there, then lib/*).
ZOOBINDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ZOOKEEPER_PREFIX=$(cd "$ZOOBINDIR/.." && pwd)
ZOOCFGDIR=${ZOOCFGDIR:-$ZOOKEEPER_PREFIX/conf}
ZOO_LOG_DIR=${ZOO_LOG_DIR:-$ZOOKEEPER_PREFIX/logs}
if [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java ]]; then JAVA=$JAVA_HOME/bin/java; else JAVA=java; fi
CLASSPATH="$ZOOCFGDIR:$ZOOKEEPER_PREFIX/lib/*${CLASSPATH:+:$CLASSPATH}"
