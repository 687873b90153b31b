#!/usr/bin/env bash
# Stop or start one simulated host's Docker engine, as a host whose docker service is stopped and started
# again: `stop` ends its dockerd gracefully (dockerd stops every container first, as on a shutdown) and waits
# until it is gone; `start` runs it again with the flags up.sh gave it and waits until it answers. Containers
# with a restart policy come back with the engine. The host's address and sshd stay up throughout.
#
#   host.sh stop HOST [TIMEOUT_S]     HOST: 3 | h3 | fk-h3 | 192.0.2.13; TIMEOUT_S default 90
#   host.sh start HOST [TIMEOUT_S]
#   host.sh status HOST               prints "running" or "stopped"
#   host.sh disconnect HOST           takes the host off the bridge (its link down): unreachable, engine still up
#   host.sh connect HOST              puts it back
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

usage() { sed -n '7,11p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
[ $# -ge 2 ] || usage
action=$1
i=$(fk_host_index "$2") || fk_die "unknown host '$2' (use 1, h1, fk-h1 or $FK_PREFIX.11)"
timeout=${3:-90}
fk_require_root
hs=$FK_STATE/h$i
[ -d "$hs" ] && [ -e "/run/netns/fk-h$i" ] || fk_die "host h$i is not up (run up.sh first)"

running_pid() { # the pid of h$i's dockerd, if it is running
    local pid
    pid=$(tr -dc '0-9' < "$hs/docker.pid" 2> /dev/null) || return 1
    [ -n "$pid" ] && fk_alive "$pid" && tr '\0' ' ' < "/proc/$pid/cmdline" 2> /dev/null | grep -q -- "$hs/docker.pid" \
        && echo "$pid"
}
answers() { DOCKER_HOST=$(fk_host_sock "$i") timeout 10 docker info --format '{{.DockerRootDir}}' > /dev/null 2>&1; }

case $action in
    status)
        if running_pid > /dev/null; then echo running; else echo stopped; fi ;;
    stop)
        pid=$(running_pid) || { fk_log "h$i: engine already stopped"; exit 0; }
        kill -TERM "$pid"
        end=$((SECONDS + timeout))
        while fk_alive "$pid"; do
            [ "$SECONDS" -lt "$end" ] || fk_die "h$i: dockerd (pid $pid) still running after ${timeout}s"
            sleep 0.2
        done
        fk_log "h$i: engine stopped" ;;
    start)
        if running_pid > /dev/null; then fk_log "h$i: engine already running"; exit 0; fi
        fk_start_dockerd "$i"
        pid=$!
        end=$((SECONDS + timeout))
        until answers; do
            fk_alive "$pid" || fk_die "h$i: dockerd exited (see $FK_LOGS/h$i-dockerd.log)"
            [ "$SECONDS" -lt "$end" ] || fk_die "h$i: engine did not answer within ${timeout}s"
            sleep 0.5
        done
        fk_log "h$i: engine started" ;;
    disconnect | connect)
        state=$([ "$action" = disconnect ] && echo down || echo up)
        ip -n "$FK_GW_NS" link set "fkv-h$i" "$state"
        fk_log "h$i: link $state" ;;
    *) usage ;;
esac
