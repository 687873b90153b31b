# Shared names and helpers for the simulated-hosts harness (up.sh, down.sh, exec.sh). Sourced, not run.
# See README.md beside this file for the layout.

FK_STATE=/run/fk-hosts                 # per-run state: keys, configs, sockets, pid files (0700)
FK_DATA=/var/lib/fk-hosts              # per-host docker data-roots (kept across runs unless --purge)
FK_LOGS=$FK_DATA/logs                  # daemon logs (kept after down.sh for post-mortems)
FK_LOCK=/run/fk-hosts.lock             # serialises up.sh / down.sh
FK_GW_NS=fk-gw                         # namespace holding the bridge, the gateway address and the registry
FK_BRIDGE=fkbr0
FK_PREFIX=192.0.2                      # host i is $FK_PREFIX.(10+i)
FK_GW_IP=$FK_PREFIX.1
FK_REGISTRY=$FK_GW_IP:5000
FK_KEY_MARK=fk-hosts-e2e               # comment of our authorized_keys line
FK_MAX_HOSTS=200

fk_log() { printf '[fk-hosts] %s\n' "$*" >&2; }
fk_die() { fk_log "error: $*"; exit 1; }

fk_require_root() { [ "$(id -u)" = 0 ] || fk_die "must run as root"; }

# fk_lock: take the harness lock (fd 9). up.sh exports FK_HOSTS_LOCK_HELD=1 before calling down.sh.
fk_lock() {
    [ "${FK_HOSTS_LOCK_HELD:-}" = 1 ] && return 0
    exec 9>"$FK_LOCK"
    flock -w 600 9 || fk_die "could not take $FK_LOCK"
    export FK_HOSTS_LOCK_HELD=1
}

fk_ns_path() { echo "/run/netns/$1"; }

# fk_ns_inode NAME: the inode identifying network namespace NAME, or nothing.
fk_ns_inode() { [ -e "/run/netns/$1" ] && stat -L -c %i "/run/netns/$1" 2>/dev/null; }

# fk_pid_in_ns PID NAME: is PID alive and in network namespace NAME?
fk_pid_in_ns() {
    local ino link
    ino=$(fk_ns_inode "$2") || return 1
    [ -n "$ino" ] || return 1
    link=$(readlink "/proc/$1/ns/net" 2>/dev/null) || return 1
    [ "$link" = "net:[$ino]" ]
}

fk_alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }

# fk_host_index ARG: accepts 3, h3, fk-h3, 192.0.2.13; prints 3.
fk_host_index() {
    local a=$1
    case $a in
        fk-h*) a=${a#fk-h} ;;
        h*) a=${a#h} ;;
        "$FK_PREFIX".*) a=${a#"$FK_PREFIX".}; [[ $a =~ ^[0-9]+$ ]] && a=$((a - 10)) ;;
    esac
    [[ $a =~ ^[0-9]+$ ]] && [ "$a" -ge 1 ] && [ "$a" -le "$FK_MAX_HOSTS" ] || return 1
    echo $((10#$a))
}

fk_host_ip() { echo "$FK_PREFIX.$((10 + $1))"; }
fk_host_sock() { echo "unix://$FK_STATE/h$1/docker.sock"; }

# fk_start_dockerd I: start host I's dockerd in its namespace, in the background ($! is its pid). The same
# flags on first start (up.sh) and on a restart (host.sh start), so a restarted engine finds its containers.
fk_start_dockerd() {
    local i=$1 hs=$FK_STATE/h$1
    nsenter --net="$(fk_ns_path "fk-h$i")" -- setsid dockerd \
        --config-file "$hs/daemon.json" \
        --data-root "$FK_DATA/h$i" --exec-root "$hs/exec" --pidfile "$hs/docker.pid" \
        -H "$(fk_host_sock "$i")" \
        --bip "172.30.$i.1/24" \
        --insecure-registry "$FK_REGISTRY" \
        --cgroup-parent "/fk-h$i" \
        < /dev/null >> "$FK_LOGS/h$i-dockerd.log" 2>&1 9>&- &
}
