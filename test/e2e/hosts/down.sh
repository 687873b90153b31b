#!/usr/bin/env bash
# Tear down everything up.sh made: sshds, dockerds (and their containerd, shims and containers), the registry,
# the namespaces with their veths and bridge, our authorized_keys line and the state dir /run/fk-hosts.
# --purge also removes the hosts' docker data-roots and logs (/var/lib/fk-hosts).
#
# Works after a crashed or partial run (finds what is left from pid files, namespaces, cgroups and our paths in
# process command lines), and is idempotent: running it with nothing up does nothing and exits 0.
# Exit status: 0 when nothing of ours is left, 1 otherwise (what is left is listed on stderr).
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

usage() { echo "usage: $0 [--purge]" >&2; exit 2; }
purge=0
for a in "$@"; do
    case $a in
        --purge) purge=1 ;;
        -h|--help) usage ;;
        *) usage ;;
    esac
done
fk_require_root
fk_lock

STOP_TIMEOUT=${FK_HOSTS_STOP_TIMEOUT:-90}

# Never kill ourselves or whoever called us (e.g. up.sh, or a shell started by exec.sh).
declare -A SPARE=()
p=$$
while [ -n "$p" ] && [ "$p" -gt 1 ]; do
    SPARE[$p]=1
    p=$(awk '/^PPid:/ {print $2}' "/proc/$p/status" 2>/dev/null)
done

# --- what is there ---------------------------------------------------------------------------------------
host_indices() {
    {
        for f in /run/netns/fk-h*; do [ -e "$f" ] && echo "${f##*/fk-h}"; done
        for f in "$FK_STATE"/h*; do [ -d "$f" ] && echo "${f##*/h}"; done
        for f in /sys/fs/cgroup/*/fk-h*; do [ -d "$f" ] && echo "${f##*/fk-h}"; done
    } 2>/dev/null | grep -E '^[0-9]+$' | sort -nu
}
HOSTS=$(host_indices | tr '\n' ' ')

# our_pid PID: is PID one of ours (its command line names our state dir)?
our_pid() {
    local cmd
    cmd=$(tr '\0' ' ' < "/proc/$1/cmdline" 2>/dev/null) || return 1
    [[ $cmd == *"$FK_STATE/"* ]]
}

# pid_from FILE: the pid in FILE if it is alive and ours.
pid_from() {
    local pid
    [ -r "$1" ] || return 1
    pid=$(tr -dc '0-9' < "$1")
    [ -n "$pid" ] && fk_alive "$pid" && our_pid "$pid" && echo "$pid"
}

# Every process that is ours: pid files, everything inside our namespaces, our cgroups, and daemons whose
# command line names our state dir (which finds them even when a namespace or pid file is already gone).
all_our_pids() {
    local ns f p exe
    {
        for ns in /run/netns/fk-h* /run/netns/"$FK_GW_NS"; do
            [ -e "$ns" ] && ip netns pids "${ns##*/}" 2>/dev/null
        done
        for f in $(find /sys/fs/cgroup -maxdepth 6 -path '*/fk-h*' -name cgroup.procs 2>/dev/null); do
            cat "$f" 2>/dev/null
        done
        for p in /proc/[0-9]*; do
            p=${p#/proc/}
            exe=$(readlink "/proc/$p/exe" 2>/dev/null) || continue
            case ${exe##*/} in
                dockerd|containerd|containerd-shim*|docker-proxy|sshd|docker-registry|runc|ssh) ;;
                *) continue ;;
            esac
            our_pid "$p" && echo "$p"
        done
    } | sort -nu | while read -r p; do [ -z "${SPARE[$p]:-}" ] && fk_alive "$p" && echo "$p"; done
}

wait_gone() { # wait_gone SECONDS PID...: wait until all PIDs have exited; fails on timeout
    local t=$1; shift
    local end=$((SECONDS + t)) p left
    while :; do
        left=""
        for p in "$@"; do fk_alive "$p" && left="$left $p"; done
        [ -z "$left" ] && return 0
        [ "$SECONDS" -ge "$end" ] && { echo "$left"; return 1; }
        sleep 0.2
    done
}

# --- 1. graceful stop: sshd first (no new sessions), then the registry and the dockerds -----------------
if [ -n "$HOSTS" ]; then fk_log "stopping hosts: $HOSTS"; fi
for i in $HOSTS; do
    pid=$(pid_from "$FK_STATE/h$i/sshd.pid") && kill -TERM "$pid" 2>/dev/null
done
pid=$(pid_from "$FK_STATE/registry.pid") && kill -TERM "$pid" 2>/dev/null

DOCKERDS=()
for i in $HOSTS; do
    if pid=$(pid_from "$FK_STATE/h$i/docker.pid"); then
        kill -TERM "$pid" 2>/dev/null && DOCKERDS+=("$pid")
    fi
done
if [ ${#DOCKERDS[@]} -gt 0 ]; then
    fk_log "waiting for ${#DOCKERDS[@]} dockerd(s) to stop their containers and exit (up to ${STOP_TIMEOUT}s)"
    if ! left=$(wait_gone "$STOP_TIMEOUT" "${DOCKERDS[@]}"); then
        fk_log "dockerd(s) still running after ${STOP_TIMEOUT}s, killing:$left"
    fi
fi

# --- 2. kill whatever is left (crashed or partial runs, stray shims, containers, sessions) --------------
for round in 1 2 3; do
    left=$(all_our_pids | tr '\n' ' ')
    [ -z "${left// /}" ] && break
    [ "$round" = 1 ] && fk_log "killing leftover processes: $left"
    # shellcheck disable=SC2086
    kill -KILL $left 2>/dev/null
    # shellcheck disable=SC2086
    wait_gone 10 $left > /dev/null
done

# --- 3. mounts dockerd left behind (overlay, shm, netns bind mounts), deepest first ----------------------
our_mounts() {
    awk '{print $5}' /proc/self/mountinfo | while read -r m; do
        m=$(printf '%b' "$m")
        case $m in "$FK_STATE"|"$FK_STATE"/*|"$FK_DATA"|"$FK_DATA"/*) printf '%s %s\n' "${#m}" "$m" ;; esac
    done | sort -rn | cut -d' ' -f2-
}
for round in 1 2 3; do
    mounts=$(our_mounts)
    [ -z "$mounts" ] && break
    while IFS= read -r m; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null; done <<< "$mounts"
done

# --- 4. cgroups made for the hosts' containers (--cgroup-parent /fk-hN) --------------------------------
for d in /sys/fs/cgroup/*/fk-h* /sys/fs/cgroup/fk-h*; do
    [ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null
done

# --- 5. namespaces (their veths and the bridge go with them) ---------------------------------------------
for ns in /run/netns/fk-h* /run/netns/"$FK_GW_NS"; do
    [ -e "$ns" ] && { ip netns del "${ns##*/}" 2>/dev/null || fk_log "could not delete namespace ${ns##*/}"; }
done
# The root namespace's end of the link to fk-gw (it goes with fk-gw, unless that failed), and leftovers of a
# bridge built in the root namespace (the reference recipe's layout): only our names.
ip link show fkgw0 > /dev/null 2>&1 && ip link del fkgw0 2>/dev/null
ip link show "$FK_BRIDGE" > /dev/null 2>&1 && ip link del "$FK_BRIDGE" 2>/dev/null
for l in $(ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | sed 's/@.*//' | grep -E '^fkv-h[0-9]+$'); do
    ip link del "$l" 2>/dev/null
done
if command -v iptables > /dev/null; then
    while iptables -D FORWARD -i "$FK_BRIDGE" -o "$FK_BRIDGE" -j ACCEPT 2>/dev/null; do :; done
fi

# --- 6. our authorized_keys line --------------------------------------------------------------------------
home=$(getent passwd root | cut -d: -f6)
ak=${home:-/root}/.ssh/authorized_keys
if [ -f "$ak" ]; then
    line=$(cat "$FK_STATE/authorized_keys.line" 2>/dev/null || true)
    tmp=$(mktemp)
    awk -v line="$line" -v mark="$FK_KEY_MARK" '!(($0 == line && line != "") || $NF == mark)' "$ak" > "$tmp"
    if ! cmp -s "$tmp" "$ak"; then
        cat "$tmp" > "$ak"     # keeps the file's inode, owner and mode
        fk_log "removed our key from $ak"
    fi
    rm -f "$tmp"
    if [ -e "$FK_STATE/authorized_keys.created" ] && [ ! -s "$ak" ]; then rm -f "$ak"; fi
fi
[ -e "$FK_STATE/ssh_dir.created" ] && rmdir "${home:-/root}/.ssh" 2>/dev/null

# --- 7. state (and with --purge, data) -------------------------------------------------------------------
[ -e "$FK_STATE" ] && rm -rf --one-file-system "$FK_STATE" 2>/dev/null
if [ "$purge" = 1 ] && [ -e "$FK_DATA" ]; then
    rm -rf --one-file-system "$FK_DATA" 2>/dev/null
    fk_log "purged $FK_DATA"
fi

# --- 8. verify -------------------------------------------------------------------------------------------
problems=()
left=$(all_our_pids | tr '\n' ' ')
[ -n "${left// /}" ] && problems+=("processes still running: $left")
for ns in /run/netns/fk-h* /run/netns/"$FK_GW_NS"; do [ -e "$ns" ] && problems+=("namespace ${ns##*/}"); done
for l in fkgw0 "$FK_BRIDGE"; do ip link show "$l" > /dev/null 2>&1 && problems+=("link $l in the root namespace"); done
[ -n "$(our_mounts)" ] && problems+=("mounts: $(our_mounts | tr '\n' ' ')")
[ -e "$FK_STATE" ] && problems+=("$FK_STATE")
[ "$purge" = 1 ] && [ -e "$FK_DATA" ] && problems+=("$FK_DATA")
if [ ${#problems[@]} -gt 0 ]; then
    for p in "${problems[@]}"; do fk_log "left over: $p"; done
    exit 1
fi
[ -n "$HOSTS" ] && fk_log "down"
exit 0
