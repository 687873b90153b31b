#!/bin/bash
# Entry point with the conventions of hyperledger/fabric-zookeeper 0.4.x:
# - $ZOO_CONF_DIR/zoo.cfg is written from ZOO_* only if it does not exist (a mounted or earlier one wins);
# - $ZOO_DATA_DIR/myid is written from ZOO_MY_ID (default 1) only if it does not exist;
# - as root, the data directories are chowned and the command runs as $ZOO_USER.
# Additions for ZooKeeper 3.5+: a four-letter-word whitelist (srvr/ruok for the health check), the admin
# HTTP server off, quorumListenOnAllIPs (so a server.N name that resolves to a host address still binds),
# and ZOO_CFG_EXTRA (space-separated key=value words appended to zoo.cfg).
set -euo pipefail

if [ "$(id -u)" = 0 ]; then
  mkdir -p "$ZOO_CONF_DIR" "$ZOO_DATA_DIR" "$ZOO_DATA_LOG_DIR"
  chown -R "$ZOO_USER:$ZOO_USER" "$ZOO_DATA_DIR" "$ZOO_DATA_LOG_DIR"
  chown "$ZOO_USER:$ZOO_USER" "$ZOO_CONF_DIR" 2> /dev/null || true
fi

cfg=$ZOO_CONF_DIR/zoo.cfg
if [ ! -f "$cfg" ]; then
  {
    echo "clientPort=$ZOO_PORT"
    echo "dataDir=$ZOO_DATA_DIR"
    echo "dataLogDir=$ZOO_DATA_LOG_DIR"
    echo "tickTime=$ZOO_TICK_TIME"
    echo "initLimit=$ZOO_INIT_LIMIT"
    echo "syncLimit=$ZOO_SYNC_LIMIT"
    echo "maxClientCnxns=$ZOO_MAX_CLIENT_CNXNS"
    echo "autopurge.snapRetainCount=$ZOO_AUTOPURGE_SNAPRETAINCOUNT"
    echo "autopurge.purgeInterval=$ZOO_AUTOPURGE_PURGEINTERVAL"
    echo "4lw.commands.whitelist=$ZOO_4LW_COMMANDS_WHITELIST"
    echo "admin.enableServer=false"
    echo "quorumListenOnAllIPs=$ZOO_QUORUM_LISTEN_ON_ALL_IPS"
    for word in ${ZOO_CFG_EXTRA:-}; do echo "$word"; done
    for server in ${ZOO_SERVERS:-}; do echo "$server"; done
  } > "$cfg.tmp"
  mv "$cfg.tmp" "$cfg"
  [ "$(id -u)" = 0 ] && chown "$ZOO_USER:$ZOO_USER" "$cfg" 2> /dev/null || true
fi

myid=$ZOO_DATA_DIR/myid
if [ ! -f "$myid" ]; then
  echo "${ZOO_MY_ID:-1}" > "$myid"
  [ "$(id -u)" = 0 ] && chown "$ZOO_USER:$ZOO_USER" "$myid"
fi

if [ "$(id -u)" = 0 ]; then
  export HOME=$ZOO_DATA_DIR USER=$ZOO_USER
  exec setpriv --reuid="$ZOO_USER" --regid="$ZOO_USER" --init-groups -- "$@"
fi
exec "$@"
