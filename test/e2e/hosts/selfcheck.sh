#!/usr/bin/env bash
# Check a running harness (up.sh with at least 3 hosts) end to end, from the root namespace:
#   - a tiny busybox image (Debian's busybox-static, `docker import`ed on h1) pushed to 192.0.2.1:5000 from h1
#     and pulled on h2 and h3 (the registry works and the hosts trust it);
#   - a container runs on h1;
#   - a container on h2 publishing port 8080 is reachable from a container on h3 via 192.0.2.12, and from the
#     root namespace;
#   - a container on h3 cannot reach anything outside the machine (its DNS server, the internet), and h3
#     has no route there.
# Leaves its containers running (down.sh removes them); pushes fk-selftest/busybox:1 into the registry's
# storage, so point up.sh at a scratch --registry-storage when the shared one should stay untouched.
# Prints '<n> passed, <m> failed' last; exit status 0 when all passed.
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"
fk_require_root
[ -r "$FK_STATE/hosts.json" ] || fk_die "no harness up (run up.sh 3 first)"
[ -x /usr/bin/busybox ] || fk_die "needs /usr/bin/busybox (apt-get install busybox-static)"
export PATH="$FK_STATE/bin:$PATH"
unset DOCKER_HOST DOCKER_CONTEXT
H1=ssh://root@$(fk_host_ip 1) H2=ssh://root@$(fk_host_ip 2) H3=ssh://root@$(fk_host_ip 3)
IMG=$FK_REGISTRY/fk-selftest/busybox:1
pass=0 fail=0
check() { # check NAME CMD...: run CMD, count and print the result
    local name=$1 out; shift
    if out=$("$@" 2>&1); then pass=$((pass + 1)); echo "ok   $name"; else fail=$((fail + 1)); echo "FAIL $name"; fi
    [ -n "$out" ] && printf '%s\n' "$out" | tail -n 4 | sed 's/^/     | /'
    return 0
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/rootfs/bin" "$work/rootfs/www" "$work/rootfs/tmp"
cp /usr/bin/busybox "$work/rootfs/bin/busybox"
for a in sh echo cat sleep nc httpd hostname ip printf; do ln -s busybox "$work/rootfs/bin/$a"; done
echo "hello from h2" > "$work/rootfs/www/index.html"
tar -C "$work/rootfs" -cf "$work/bb.tar" .

check "engines answer through ssh with their own data-root" sh -c "
    for i in 1 2 3; do r=\$(docker -H ssh://root@$FK_PREFIX.\$((10 + i)) info --format '{{.DockerRootDir}}') || exit 1
        echo \"h\$i: \$r\"; [ \"\$r\" = $FK_DATA/h\$i ] || exit 1; done"
check "import busybox on h1" docker -H "$H1" import -c 'CMD ["/bin/sh"]' - "$IMG" < "$work/bb.tar"
check "push from h1 to $FK_REGISTRY" docker -H "$H1" push "$IMG"
check "pull on h2" docker -H "$H2" pull "$IMG"
check "pull on h3" docker -H "$H3" pull "$IMG"
check "run a container on h1" docker -H "$H1" run --rm "$IMG" sh -c 'echo "hello from $(hostname) on h1"'
docker -H "$H2" rm -f fk-selftest-web > /dev/null 2>&1
check "h2: container publishing 8080" docker -H "$H2" run -d --name fk-selftest-web -p 8080:80 "$IMG" \
    httpd -f -p 80 -h /www
http_from_h3() {
    local t out
    for t in 1 2 3 4 5; do
        out=$(docker -H "$H3" run --rm "$IMG" sh -c \
            "printf 'GET / HTTP/1.0\r\n\r\n' | nc -w 5 $(fk_host_ip 2) 8080") && [[ $out == *"hello from h2"* ]] \
            && { printf '%s\n' "$out" | tail -n 1; return 0; }
        sleep 1
    done
    printf '%s\n' "$out"; return 1
}
check "h3 container -> $(fk_host_ip 2):8080 (h2's published port)" http_from_h3
check "root namespace -> $(fk_host_ip 2):8080" curl -fsS -m 5 "http://$(fk_host_ip 2):8080/"
dns=$(awk '/^nameserver/ {print $2; exit}' /etc/resolv.conf)
isolated() {
    docker -H "$H3" run --rm "$IMG" sh -c "
        bad=0
        for a in ${dns:-} 1.1.1.1 8.8.8.8; do
            if printf 'GET / HTTP/1.0\r\n\r\n' | nc -w 3 \$a 80 > /dev/null 2>&1 \
               || echo | nc -w 3 \$a 53 > /dev/null 2>&1; then echo \"\$a: reachable\"; bad=1
            else echo \"\$a: unreachable\"; fi
        done
        exit \$bad"
}
check "h3 container cannot reach the machine's DNS server or the internet" isolated
check "h3 has no route out of 192.0.2.0/24" sh -c "! $HERE/exec.sh 3 ip route get 1.1.1.1"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
