#!/usr/bin/env bash
# Hyperledger Fabric 2.5.0 tools, compiled from the Go module proxy (static: CGO_ENABLED=0):
#   $TC_CACHE/fabric-2.5.0/bin/{peer,orderer,cryptogen,configtxgen,configtxlator,osnadmin}  (linked into $TC_BIN)
#   $TC_CACHE/fabric-2.5.0/ccaas/bin/{detect,build,release}  (our CCaaS external builder, POSIX sh)
#   $TC_CACHE/fabric-current  (one line: the directory above, for the steps and images that stage from it)
# Fabric 2.5.16 (and every Fabric 2.x newer than 2.5.0) is refused by the module proxy; the pin is the
# main-branch commit of 2023-04-01 (FABRIC_VER 2.5.0, v2.5.0 release notes, the last commit the proxy holds
# before the Kafka consenter was removed). github.com/hyperledger/fabric has no /v2 suffix, so the commit is
# pinned by pseudo-version in the wrapper module tools/toolchain/go/fabric (go.mod, go.sum, tools.go).
# Fabric's ccaas_builder is a nested module the proxy does not serve: tools/images/ccaas-builder/bin is our
# own implementation of the same contract. Pins, probe and state: docs/toolchain.md ("Fabric binaries").
set -euo pipefail
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

FABRIC_VERSION=2.5.0
FABRIC_COMMIT=bd8e24856939 # main, 2023-04-01 16:43:17 UTC, right after "Release commit for v2.5.0"
FABRIC_PSEUDO=v1.4.0-rc1.0.20230401164317-$FABRIC_COMMIT
TOOLS=(peer orderer cryptogen configtxgen configtxlator osnadmin)
BUILDERS=(detect build release)

wrapper=$TC_REPO/tools/toolchain/go/fabric
builder_src=$TC_REPO/tools/images/ccaas-builder/bin
command -v go > /dev/null || export PATH=/usr/local/go/bin:$PATH
export CGO_ENABLED=0 GOFLAGS="-buildvcs=false -mod=readonly"

out=$TC_CACHE/fabric-$FABRIC_VERSION
# The builder scripts are not part of the key: they are re-installed (and self-tested) on every run, in
# milliseconds, so changing one never recompiles Fabric.
key=$(tc_key "${BASH_SOURCE[0]}" "$wrapper"/go.mod "$wrapper"/go.sum "$wrapper"/tools.go)
stamp=$TC_STAMPS/fabric-$key
ld="-s -w -X github.com/hyperledger/fabric/common/metadata.Version=$FABRIC_VERSION"
ld+=" -X github.com/hyperledger/fabric/common/metadata.CommitSHA=$FABRIC_COMMIT"

publish() { # put the tools on the toolchain PATH and name the directory for the images step
  local t
  for t in "${TOOLS[@]}"; do ln -sfn "$out/bin/$t" "$TC_BIN/$t"; done
  printf '%s\n' "$out" > "$TC_CACHE/fabric-current.tmp"
  mv "$TC_CACHE/fabric-current.tmp" "$TC_CACHE/fabric-current"
}
complete() { # DIR: every tool is there and the peer reports the pinned version
  local t d=$1
  for t in "${TOOLS[@]}"; do [ -x "$d/bin/$t" ] || return 1; done
  "$d/bin/peer" version 2> /dev/null | grep -q "Version: $FABRIC_VERSION\$"
}
selftest_one() { # DIR METADATA SRC_REL: run the builder as the peer would, on a package with a template
  local d=$1 md=$2 rel=$3 s rc
  s=$(mktemp -d)
  mkdir -p "$s/src/$(dirname "$rel")" "$s/meta" "$s/bld" "$s/rel"
  printf '%s' "$md" > "$s/meta/metadata.json"
  printf '{"address":"cc.{{.peername}}:7052","dial_timeout":"10s","tls_required":false}' > "$s/src/$rel"
  "$d/ccaas/bin/detect" "$s/src" "$s/meta" &&
    env -i PATH=/usr/bin:/bin CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG='{"peername":"peer0.org1.example.com"}' \
      "$d/ccaas/bin/build" "$s/src" "$s/meta" "$s/bld" &&
    "$d/ccaas/bin/release" "$s/bld" "$s/rel" &&
    grep -q '"address":"cc.peer0.org1.example.com:7052"' "$s/rel/chaincode/server/connection.json"
  rc=$?
  rm -rf "$s"
  return $rc
}
selftest() { # DIR: a new-lifecycle ccaas package, a legacy one, and a package the builder must leave alone
  local d=$1 s rc
  selftest_one "$d" '{"type":"ccaas","label":"selftest_1"}' connection.json &&
    selftest_one "$d" '{"path":"/src/selftest","type":"NODE","label":"selftest"}' src/connection.json || return 1
  s=$(mktemp -d)
  mkdir -p "$s/src" "$s/meta"
  printf '{"type":"golang","label":"x"}' > "$s/meta/metadata.json"
  printf 'package main\n' > "$s/src/main.go"
  ! "$d/ccaas/bin/detect" "$s/src" "$s/meta"
  rc=$?
  rm -rf "$s"
  return $rc
}
install_builders() { # DIR: (re)install the builder scripts from the repository and self-test them
  local d=$1 t
  mkdir -p "$d/ccaas/bin"
  for t in "${BUILDERS[@]}"; do install -m 0755 "$builder_src/$t" "$d/ccaas/bin/$t"; done
  selftest "$d" || { echo "the ccaas builder failed its self-test" >&2; return 1; }
}

if [ -f "$stamp" ] && complete "$out"; then
  install_builders "$out"
  publish
  echo "fabric $FABRIC_VERSION: reused $out (key $key)"
  tc_status reused "fabric $FABRIC_VERSION (${TOOLS[*]}; ccaas builder)"
  exit 0
fi

grep -q "^require github.com/hyperledger/fabric $FABRIC_PSEUDO\$" "$wrapper/go.mod" || {
  echo "$wrapper/go.mod does not require github.com/hyperledger/fabric $FABRIC_PSEUDO" >&2
  exit 1
}

# Fetch every module of the build first, so that a refused one is named in seconds, not deep in the build.
t0=$(date +%s)
echo "go mod download (wrapper $wrapper)"
dl=$(cd "$wrapper" && { go mod download -json 2> /dev/null || true; })
bad=$(printf '%s' "$dl" | jq -r 'select(.Error) | "  \(.Path)@\(.Version): \(.Error | gsub("\\s+"; " "))"')
if [ -n "$bad" ]; then
  printf '%s\n' "fabric $FABRIC_VERSION cannot be built: the Go module proxy refuses" "$bad" \
    "See docs/toolchain.md (Fabric binaries)." >&2
  exit 1
fi
echo "modules ready in $(($(date +%s) - t0))s"

t1=$(date +%s)
rm -rf "$out.partial"
mkdir -p "$out.partial/bin" "$out.partial/ccaas/bin"
pkgs=()
for t in "${TOOLS[@]}"; do pkgs+=("github.com/hyperledger/fabric/cmd/$t"); done
echo "go build (fabric $FABRIC_VERSION, $FABRIC_PSEUDO): ${TOOLS[*]}"
(cd "$wrapper" && go build -v -trimpath -ldflags "$ld" -o "$out.partial/bin/" "${pkgs[@]}")
echo "compiled in $(($(date +%s) - t1))s"
if ! complete "$out.partial"; then
  echo "the built peer does not report Version: $FABRIC_VERSION:" >&2
  "$out.partial/bin/peer" version >&2 || true
  exit 1
fi
install_builders "$out.partial"
rm -rf "$out"
mv "$out.partial" "$out"
publish
rm -f "$TC_STAMPS"/fabric-*
touch "$stamp"
"$out/bin/peer" version
echo "fabric $FABRIC_VERSION built in $(($(date +%s) - t0))s"
tc_status built "fabric $FABRIC_VERSION (${TOOLS[*]}; ccaas builder)"
