#!/usr/bin/env bash
# Bring up N simulated hosts: network namespaces fk-h1..fk-hN on bridge fkbr0, each with its own dockerd and
# sshd, plus a registry on 192.0.2.1:5000. Prints a JSON description of the hosts on stdout (also written to
# /run/fk-hosts/hosts.json); progress goes to stderr. See README.md beside this file.
#
#   up.sh N [--registry-storage DIR] [--fresh]
#
#   --registry-storage DIR  the registry's storage (default: the loopback registry's,
#                           ${FABRIC_KAFKA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/fabric-kafka-pulumi}/registry)
#   --fresh                 start from empty docker data-roots (runs down.sh --purge first)
#
# Environment: FK_HOSTS_UP_TIMEOUT (s, default 180) for all hosts to answer;
#              FK_HOSTS_KEEP_ON_FAILURE=1 leaves a failed run up for inspection instead of tearing it down.
set -Eeuo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

usage() { sed -n '6,15p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
N=""
REG_STORAGE=${FABRIC_KAFKA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/fabric-kafka-pulumi}/registry
fresh=0
while [ $# -gt 0 ]; do
    case $1 in
        --registry-storage) [ $# -ge 2 ] || usage; REG_STORAGE=$2; shift 2 ;;
        --registry-storage=*) REG_STORAGE=${1#*=}; shift ;;
        --fresh) fresh=1; shift ;;
        -h|--help) usage ;;
        *) [ -z "$N" ] && [[ $1 =~ ^[0-9]+$ ]] || usage; N=$((10#$1)); shift ;;
    esac
done
[ -n "$N" ] || usage
[ "$N" -ge 1 ] && [ "$N" -le "$FK_MAX_HOSTS" ] || fk_die "N must be 1..$FK_MAX_HOSTS"
fk_require_root
for c in dockerd docker containerd runc /usr/sbin/sshd ssh ssh-keygen docker-registry nsenter setsid ip curl flock; do
    command -v "$c" > /dev/null || fk_die "missing $c (apt-get install docker.io openssh-server docker-registry curl)"
done
UP_TIMEOUT=${FK_HOSTS_UP_TIMEOUT:-180}
mkdir -p "$REG_STORAGE"
REG_STORAGE=$(cd "$REG_STORAGE" && pwd)

fk_lock

# --- leftovers of an earlier run --------------------------------------------------------------------------
if [ "$fresh" = 1 ]; then
    "$HERE/down.sh" --purge >&2 || fk_die "down.sh --purge could not clean up"
elif compgen -G "/run/netns/fk-h*" > /dev/null || [ -e "/run/netns/$FK_GW_NS" ] || [ -e "$FK_STATE" ] \
     || ip link show "$FK_BRIDGE" > /dev/null 2>&1 || ip link show fkgw0 > /dev/null 2>&1; then
    fk_log "found leftovers of an earlier run; running down.sh"
    "$HERE/down.sh" >&2 || fk_die "down.sh could not clean up"
fi

T0=$SECONDS
WAITERS=()
failed() {
    local rc=$? line=$1
    trap - ERR; trap "" INT TERM   # finish the cleanup even if signalled again
    fk_log "failed (line $line, status $rc)"
    [ ${#WAITERS[@]} -eq 0 ] || kill "${WAITERS[@]}" 2> /dev/null   # no `wait` here: a nested wait in a trap kills bash
    local f errs
    for f in "$FK_LOGS/registry.log" $(for i in $(seq 1 "$N"); do echo "$FK_LOGS/h$i-dockerd.log $FK_LOGS/h$i-sshd.log"; done); do
        [ -s "$f" ] || continue
        errs=$(grep -iE 'level=(error|fatal)|fatal|error:|bind|denied' "$f" | tail -n 5) || continue
        fk_log "--- $f:"; printf '%s\n' "$errs" >&2
    done
    if [ "${FK_HOSTS_KEEP_ON_FAILURE:-}" = 1 ]; then
        fk_log "left up for inspection (FK_HOSTS_KEEP_ON_FAILURE=1); clean up with $HERE/down.sh"
    else
        "$HERE/down.sh" >&2 || true
    fi
    exit 1
}
trap 'failed $LINENO' ERR INT TERM

# --- state dir, keys, ssh client configuration ------------------------------------------------------------
install -d -m 0700 "$FK_STATE" "$FK_STATE/bin"
install -d -m 0755 "$FK_DATA" "$FK_LOGS" /run/sshd
ssh-keygen -q -t ed25519 -N '' -C "$FK_KEY_MARK" -f "$FK_STATE/id_ed25519"
ssh-keygen -q -t ed25519 -N '' -C "fk-hosts-hostkey" -f "$FK_STATE/ssh_host_ed25519_key"

addrs=$(for i in $(seq 1 "$N"); do fk_host_ip "$i"; done | paste -sd, -)
echo "$addrs $(cut -d' ' -f1,2 "$FK_STATE/ssh_host_ed25519_key.pub")" > "$FK_STATE/known_hosts"
cat > "$FK_STATE/ssh_config" <<EOF
# ssh client settings for the simulated hosts (made by up.sh for this run)
Host $FK_PREFIX.*
    User root
    Port 22
    IdentityFile $FK_STATE/id_ed25519
    IdentitiesOnly yes
    UserKnownHostsFile $FK_STATE/known_hosts
    GlobalKnownHostsFile /dev/null
    StrictHostKeyChecking yes
    BatchMode yes
    LogLevel ERROR
    ConnectTimeout 10
    ServerAliveInterval 15
EOF
# `ssh` wrapper for clients that cannot be given ssh options, such as `docker -H ssh://`: with
# $FK_STATE/bin first on PATH they use this run's key and known_hosts.
cat > "$FK_STATE/bin/ssh" <<EOF
#!/bin/sh
exec $(command -v ssh) -F $FK_STATE/ssh_config "\$@"
EOF
chmod 0755 "$FK_STATE/bin/ssh"

# authorize the key for root, next to whatever is already there
home=$(getent passwd root | cut -d: -f6); home=${home:-/root}
[ -d "$home/.ssh" ] || { install -d -m 0700 "$home/.ssh"; touch "$FK_STATE/ssh_dir.created"; }
ak=$home/.ssh/authorized_keys
if [ ! -e "$ak" ]; then install -m 0600 /dev/null "$ak"; touch "$FK_STATE/authorized_keys.created"; fi
line="from=\"$FK_PREFIX.0/24\" $(cat "$FK_STATE/id_ed25519.pub")"
printf '%s\n' "$line" > "$FK_STATE/authorized_keys.line"
if [ -s "$ak" ] && [ -n "$(tail -c1 "$ak")" ]; then echo >> "$ak"; fi
printf '%s\n' "$line" >> "$ak"

# --- network ---------------------------------------------------------------------------------------------
# The bridge and the gateway address 192.0.2.1 live in their own namespace fk-gw, not in the root namespace:
# on these machines the root namespace's uplink is itself in 192.0.2.0/24 (eth0 192.0.2.2, default route via
# 192.0.2.1), so 192.0.2.1/24 on a root-namespace bridge would shadow the real gateway. The root namespace
# (where the e2e client runs) reaches the hosts through a veth pair fkgw0 (root) <-> fkup0 (fk-gw) with one
# /32 route per host, using its own 192.0.2.x address as source (or 192.0.2.254 on fkgw0 when it has none).
# Static neighbour entries on every hop; fk-gw routes only between the bridge and fkup0. Nothing has a
# default route: no packet can leave the namespaces, the bridge, the fkgw0 link and loopback.
GW=$(fk_ns_path "$FK_GW_NS")
MAC_BR=02:66:6b:00:00:01 MAC_UP=02:66:6b:00:00:02 MAC_ROOT=02:66:6b:00:00:03
CLIENT_IP=$(ip -4 -o addr show | awk '{print $4}' | grep "^$FK_PREFIX\." | head -n 1 | cut -d/ -f1 || true)
client_added=0
[ -n "$CLIENT_IP" ] || { CLIENT_IP=$FK_PREFIX.254; client_added=1; }
c=${CLIENT_IP##*.}
if [ "$CLIENT_IP" = "$FK_GW_IP" ] || { [ "$c" -ge 11 ] && [ "$c" -le $((10 + N)) ]; }; then
    fk_log "the root namespace has $CLIENT_IP, which the harness needs for the gateway or a host"; false
fi
ip netns add "$FK_GW_NS"
ip -n "$FK_GW_NS" link set lo up
ip -n "$FK_GW_NS" link add "$FK_BRIDGE" address "$MAC_BR" type bridge
ip -n "$FK_GW_NS" addr add "$FK_GW_IP/24" dev "$FK_BRIDGE"
ip -n "$FK_GW_NS" link set "$FK_BRIDGE" up
for i in $(seq 1 "$N"); do
    ns=fk-h$i
    ip netns add "$ns"
    ip -n "$FK_GW_NS" link add "fkv-h$i" type veth peer name eth0 netns "$ns"
    ip -n "$FK_GW_NS" link set "fkv-h$i" master "$FK_BRIDGE" up
    ip -n "$ns" addr add "$(fk_host_ip "$i")/24" dev eth0
    ip -n "$ns" link set lo up
    ip -n "$ns" link set eth0 up
    ip -n "$ns" neigh replace "$CLIENT_IP" lladdr "$MAC_BR" dev eth0 nud permanent
done
ip link add fkgw0 address "$MAC_ROOT" type veth peer name fkup0 address "$MAC_UP" netns "$FK_GW_NS"
[ "$client_added" = 0 ] || ip addr add "$CLIENT_IP/32" dev fkgw0
ip link set fkgw0 up
ip -n "$FK_GW_NS" link set fkup0 up
nsenter --net="$GW" -- sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward'
ip -n "$FK_GW_NS" route add "$CLIENT_IP/32" dev fkup0
ip -n "$FK_GW_NS" neigh replace "$CLIENT_IP" lladdr "$MAC_ROOT" dev fkup0 nud permanent
for i in $(seq 1 "$N"); do
    ip route replace "$(fk_host_ip "$i")/32" dev fkgw0 src "$CLIENT_IP"
    ip neigh replace "$(fk_host_ip "$i")" lladdr "$MAC_UP" dev fkgw0 nud permanent
done

# --- registry on the gateway address --------------------------------------------------------------------
cat > "$FK_STATE/registry.yml" <<EOF
version: 0.1
log:
  level: info
storage:
  filesystem:
    rootdirectory: "$REG_STORAGE"
  delete:
    enabled: false
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: $FK_REGISTRY
EOF
: > "$FK_LOGS/registry.log"
nsenter --net="$GW" -- setsid sh -c "echo \$\$ > $FK_STATE/registry.pid; exec docker-registry serve $FK_STATE/registry.yml" \
    < /dev/null >> "$FK_LOGS/registry.log" 2>&1 9>&- &

# --- per host: dockerd and sshd --------------------------------------------------------------------------
declare -A DPID=()
for i in $(seq 1 "$N"); do
    ns=fk-h$i; ip=$(fk_host_ip "$i"); hs=$FK_STATE/h$i
    install -d -m 0700 "$hs"
    install -d -m 0710 "$FK_DATA/h$i"
    # own config file, so a machine-wide /etc/docker/daemon.json cannot clash with the flags below
    echo '{ "log-opts": { "max-size": "20m", "max-file": "3" } }' > "$hs/daemon.json"
    : > "$FK_LOGS/h$i-dockerd.log"
    fk_start_dockerd "$i"
    DPID[$i]=$!

    cat > "$hs/sshd_config" <<EOF
# sshd of simulated host h$i (made by up.sh for this run)
ListenAddress $ip:22
HostKey $FK_STATE/ssh_host_ed25519_key
PidFile $hs/sshd.pid
AllowUsers root
PermitRootLogin prohibit-password
AuthenticationMethods publickey
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
AuthorizedKeysFile .ssh/authorized_keys
StrictModes yes
UseDNS no
X11Forwarding no
PrintMotd no
PrintLastLog no
MaxStartups 200
MaxSessions 200
ClientAliveInterval 30
SetEnv DOCKER_HOST=$(fk_host_sock "$i")
Subsystem sftp internal-sftp
EOF
    /usr/sbin/sshd -t -f "$hs/sshd_config"
    : > "$FK_LOGS/h$i-sshd.log"
    nsenter --net="$(fk_ns_path "$ns")" -- /usr/sbin/sshd -f "$hs/sshd_config" -E "$FK_LOGS/h$i-sshd.log" \
        < /dev/null > /dev/null 2>&1 9>&-
done
fk_log "started $N host(s) in $((SECONDS - T0))s; waiting for their engines through ssh"

# --- wait: registry, then every host's `docker info` through ssh -----------------------------------------
DEADLINE=$((SECONDS + UP_TIMEOUT))
until nsenter --net="$GW" -- curl -fsS -m 2 -o /dev/null "http://$FK_REGISTRY/v2/" 2> /dev/null; do
    [ "$SECONDS" -lt "$DEADLINE" ] || { fk_log "registry on $FK_REGISTRY did not answer"; false; }
    sleep 0.5
done

wait_host() { # in a subshell: 0 when host $1's engine answers through ssh with its own data-root
    local i=$1 ip root
    ip=$(fk_host_ip "$i")
    until root=$(env PATH="$FK_STATE/bin:$PATH" DOCKER_HOST= DOCKER_CONTEXT= timeout 20 docker -H "ssh://root@$ip" info --format '{{.DockerRootDir}}' 2> /dev/null) \
          && [ "$root" = "$FK_DATA/h$i" ]; do
        if ! fk_alive "${DPID[$i]}"; then fk_log "h$i: dockerd exited (see $FK_LOGS/h$i-dockerd.log)"; return 1; fi
        if [ "$SECONDS" -ge "$DEADLINE" ]; then fk_log "h$i: no answer through ssh://root@$ip"; return 1; fi
        sleep 1
    done
}
for i in $(seq 1 "$N"); do ( trap - ERR; wait_host "$i" ) & WAITERS+=($!); done
ok=1
for p in "${WAITERS[@]}"; do wait "$p" || ok=0; done
[ "$ok" = 1 ]

# --- description -----------------------------------------------------------------------------------------
{
    printf '{\n'
    printf '  "bridge": "%s",\n  "gateway": "%s",\n  "gatewayNetns": "%s",\n  "clientAddress": "%s",\n' \
        "$FK_BRIDGE" "$FK_GW_IP" "$GW" "$CLIENT_IP"
    printf '  "registry": "%s",\n  "registryStorage": "%s",\n' "$FK_REGISTRY" "$REG_STORAGE"
    printf '  "sshConfig": "%s",\n  "knownHosts": "%s",\n  "sshWrapperDir": "%s",\n' \
        "$FK_STATE/ssh_config" "$FK_STATE/known_hosts" "$FK_STATE/bin"
    printf '  "hosts": [\n'
    for i in $(seq 1 "$N"); do
        ip=$(fk_host_ip "$i")
        printf '    { "name": "h%s", "address": "%s", "sshPort": 22, "user": "root", "keyFile": "%s", ' \
            "$i" "$ip" "$FK_STATE/id_ed25519"
        printf '"dockerHost": "ssh://root@%s", "dockerSocket": "%s", "netns": "%s" }%s\n' \
            "$ip" "$(fk_host_sock "$i")" "$(fk_ns_path "fk-h$i")" "$([ "$i" -lt "$N" ] && echo ,)"
    done
    printf '  ]\n}\n'
} > "$FK_STATE/hosts.json"
trap - ERR
fk_log "$N host(s) up in $((SECONDS - T0))s"
cat "$FK_STATE/hosts.json"
