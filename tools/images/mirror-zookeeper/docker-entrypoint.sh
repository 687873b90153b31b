#!/bin/bash
# Entry point of the zookeeper:3.8.4 mirror, written for this project after the conventions the Docker official
# image documents and its entrypoint implements:
# - started as root with zkServer.sh: hand the data, datalog and log directories to the zookeeper user and run
#   again as that user (gosu);
# - /docker-entrypoint.d: executable *.envsh files are sourced and executable *.sh files run, in version order;
# - $ZOO_CONF_DIR/zoo.cfg is written only when it does not exist (a mounted one wins), from ZOO_DATA_DIR,
#   ZOO_DATA_LOG_DIR, ZOO_TICK_TIME, ZOO_INIT_LIMIT, ZOO_SYNC_LIMIT, ZOO_AUTOPURGE_*, ZOO_MAX_CLIENT_CNXNS,
#   ZOO_STANDALONE_ENABLED, ZOO_ADMINSERVER_ENABLED, then one line per word of ZOO_SERVERS (default
#   server.1=localhost:2888:3888;2181, so the client port comes from the server lines, not clientPort), the
#   four-letter-word whitelist when ZOO_4LW_COMMANDS_WHITELIST is set, and one line per word of ZOO_CFG_EXTRA;
# - $ZOO_DATA_DIR/myid is written from ZOO_MY_ID (default 1) only when it does not exist.
set -e

if [[ $1 == zkServer.sh && $(id -u) == 0 ]]; then
  chown -R zookeeper "$ZOO_DATA_DIR" "$ZOO_DATA_LOG_DIR" "$ZOO_LOG_DIR"
  exec gosu zookeeper "$0" "$@"
fi

hooks=$(find /docker-entrypoint.d/ -mindepth 1 -follow -type f 2> /dev/null | sort -V)
if [[ -n $hooks ]]; then
  echo "Loading shell scripts in /docker-entrypoint.d/"
  for f in $hooks; do
    if [[ ! -x $f ]]; then
      echo "Ignoring $f, not executable"
      continue
    fi
    case $f in
      *.envsh) echo "Sourcing $f"; . "$f" ;;
      *.sh) echo "Launching $f"; "$f" ;;
      *) echo "Ignoring $f" ;;
    esac
  done
else
  echo "No files found in /docker-entrypoint.d/"
fi

cfg=$ZOO_CONF_DIR/zoo.cfg
if [[ ! -f $cfg ]]; then
  {
    echo "dataDir=$ZOO_DATA_DIR"
    echo "dataLogDir=$ZOO_DATA_LOG_DIR"
    echo "tickTime=$ZOO_TICK_TIME"
    echo "initLimit=$ZOO_INIT_LIMIT"
    echo "syncLimit=$ZOO_SYNC_LIMIT"
    echo "autopurge.snapRetainCount=$ZOO_AUTOPURGE_SNAPRETAINCOUNT"
    echo "autopurge.purgeInterval=$ZOO_AUTOPURGE_PURGEINTERVAL"
    echo "maxClientCnxns=$ZOO_MAX_CLIENT_CNXNS"
    echo "standaloneEnabled=$ZOO_STANDALONE_ENABLED"
    echo "admin.enableServer=$ZOO_ADMINSERVER_ENABLED"
    for line in ${ZOO_SERVERS:-server.1=localhost:2888:3888;2181}; do echo "$line"; done
    [[ -z ${ZOO_4LW_COMMANDS_WHITELIST:-} ]] || echo "4lw.commands.whitelist=$ZOO_4LW_COMMANDS_WHITELIST"
    for line in ${ZOO_CFG_EXTRA:-}; do echo "$line"; done
  } >> "$cfg"
fi

[[ -f $ZOO_DATA_DIR/myid ]] || echo "${ZOO_MY_ID:-1}" > "$ZOO_DATA_DIR/myid"

exec "$@"
