#!/usr/bin/env bash
# Run a command inside a simulated host's network namespace, with DOCKER_HOST set to that host's engine.
#
#   exec.sh HOST [CMD...]     HOST: 3 | h3 | fk-h3 | 192.0.2.13   (no CMD: an interactive shell)
#   exec.sh gw   [CMD...]     the gateway namespace fk-gw (bridge fkbr0, 192.0.2.1, the registry)
#
# PATH starts with /run/fk-hosts/bin, whose `ssh` uses this run's key and known_hosts, so e.g.
# `exec.sh 1 docker -H ssh://root@192.0.2.12 ps` works as is. (From the root namespace the hosts are
# reachable too: `PATH=/run/fk-hosts/bin:$PATH docker -H ssh://root@192.0.2.12 ps`.)
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

[ $# -ge 1 ] || { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
target=$1; shift
fk_require_root
[ $# -gt 0 ] || set -- "${SHELL:-/bin/bash}"

case $target in
    gw|fk-gw|0|"$FK_GW_IP")
        ns=$FK_GW_NS
        envs=()
        ;;
    *)
        i=$(fk_host_index "$target") || fk_die "unknown host '$target' (use 1, h1, fk-h1 or $FK_PREFIX.11)"
        ns=fk-h$i
        envs=("DOCKER_HOST=$(fk_host_sock "$i")")
        ;;
esac
[ -e "/run/netns/$ns" ] || fk_die "namespace $ns does not exist (is up.sh done?)"
# nsenter --net only (not `ip netns exec`, which remounts /sys in a new mount namespace and breaks dockerd)
exec nsenter --net="/run/netns/$ns" -- env ${envs[@]+"${envs[@]}"} PATH="$FK_STATE/bin:$PATH" "$@"
