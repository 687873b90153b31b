#!/usr/bin/env bash
# Hyperledger Fabric 2.5.16 tools, compiled from the Go module proxy (static: CGO_ENABLED=0):
#   $TC_CACHE/fabric-2.5.16/bin/{peer,orderer,cryptogen,configtxgen,configtxlator,osnadmin}  (linked into $TC_BIN)
#   $TC_CACHE/fabric-2.5.16/ccaas/bin/{detect,build,release}                                  (CCaaS external builder)
# github.com/hyperledger/fabric has no /v2 suffix, so its v2.x tags are not module versions: the release is
# pinned by the pseudo-version of tag v2.5.16's commit. Its go.mod has no replace directives, so
# `go install pkg@version` builds it as is, every module checked against the checksum database.
# Pins and state: docs/toolchain.md.
set -euo pipefail
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

FABRIC_VERSION=2.5.16
FABRIC_COMMIT=f871cf92a026 # tag v2.5.16, 2026-06-17 22:16:05 UTC
FABRIC_MODULE=github.com/hyperledger/fabric@v1.4.0-rc1.0.20260617221605-$FABRIC_COMMIT
CCAAS_MODULE=github.com/hyperledger/fabric/ccaas_builder@v0.0.0-20260617221605-$FABRIC_COMMIT
TOOLS=(peer orderer cryptogen configtxgen configtxlator osnadmin)
BUILDERS=(detect build release)

command -v go > /dev/null || export PATH=/usr/local/go/bin:$PATH
export CGO_ENABLED=0 GOFLAGS=-buildvcs=false

out=$TC_CACHE/fabric-$FABRIC_VERSION
key=$(tc_key "${BASH_SOURCE[0]}")
stamp=$TC_STAMPS/fabric-$key
ld="-s -w -X github.com/hyperledger/fabric/common/metadata.Version=$FABRIC_VERSION"
ld+=" -X github.com/hyperledger/fabric/common/metadata.CommitSHA=$FABRIC_COMMIT"

link() { # put the tools on the toolchain PATH
  local t
  for t in "${TOOLS[@]}"; do ln -sfn "$out/bin/$t" "$TC_BIN/$t"; done
}
complete() {
  local t
  for t in "${TOOLS[@]}"; do [ -x "$out/bin/$t" ] || return 1; done
  for t in "${BUILDERS[@]}"; do [ -x "$out/ccaas/bin/$t" ] || return 1; done
  "$out/bin/peer" version 2> /dev/null | grep -q "Version: $FABRIC_VERSION\$"
}

if [ -f "$stamp" ] && complete; then
  link
  echo "fabric $FABRIC_VERSION: reused $out (key $key)"
  tc_status reused "fabric $FABRIC_VERSION (${TOOLS[*]}; ccaas_builder)"
  exit 0
fi

# Cheap check first: name a refused module in seconds instead of failing inside `go install`.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bad=()
for m in "$FABRIC_MODULE" "$CCAAS_MODULE"; do
  if ! (cd "$tmp" && GOFLAGS=-mod=mod go mod download -json "$m") > "$tmp/out" 2>&1; then
    bad+=("  $m: $(jq -r '.Error // empty' "$tmp/out" 2> /dev/null | sed -n -e '1s/^.*: //p' -e 's/^[[:space:]]*server response: //p' | paste -sd ' ')")
  fi
done
if [ ${#bad[@]} -gt 0 ]; then
  printf '%s\n' "fabric $FABRIC_VERSION cannot be built: the Go module proxy refuses" "${bad[@]}" \
    "See docs/toolchain.md (Open problems)." >&2
  exit 1
fi

t0=$(date +%s)
rm -rf "$out.partial"
mkdir -p "$out.partial/bin" "$out.partial/ccaas/bin"
pkgs=()
for t in "${TOOLS[@]}"; do pkgs+=("github.com/hyperledger/fabric/cmd/$t@${FABRIC_MODULE#*@}"); done
echo "go install (fabric $FABRIC_VERSION): ${TOOLS[*]}"
(cd "$tmp" && GOBIN="$out.partial/bin" go install -v -trimpath -ldflags "$ld" "${pkgs[@]}")
pkgs=()
for t in "${BUILDERS[@]}"; do pkgs+=("github.com/hyperledger/fabric/ccaas_builder/cmd/$t@${CCAAS_MODULE#*@}"); done
echo "go install (ccaas_builder): ${BUILDERS[*]}"
(cd "$tmp" && GOBIN="$out.partial/ccaas/bin" go install -v -trimpath -ldflags "-s -w" "${pkgs[@]}")
rm -rf "$out"
mv "$out.partial" "$out"
if ! complete; then
  echo "the built peer does not report Version: $FABRIC_VERSION:" >&2
  "$out/bin/peer" version >&2 || true
  exit 1
fi
link
rm -f "$TC_STAMPS"/fabric-*
touch "$stamp"
echo "fabric $FABRIC_VERSION built in $(($(date +%s) - t0))s"
tc_status built "fabric $FABRIC_VERSION (${TOOLS[*]}; ccaas_builder)"
