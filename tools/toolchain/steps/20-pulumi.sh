#!/usr/bin/env bash
# Pulumi CLI and its Node.js language host, compiled from the Go module proxy into $TC_BIN:
#   $TC_BIN/pulumi                   github.com/pulumi/pulumi/pkg/v3/cmd/pulumi @ v3.248.0
#   $TC_BIN/pulumi-language-nodejs   github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3
# Both come from our wrapper module tools/toolchain/go/pulumi-cli, whose go.sum pins every module, so the
# build is the same on a fresh machine. The language host is a bundled plugin: the CLI looks for it next to
# its own executable. Pins and the state of the language host: docs/toolchain.md.
set -euo pipefail
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

PULUMI_VERSION=3.248.0
LANGHOST_MODULE=github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3
LANGHOST_VERSION=v3.0.0-20260624180030-dc7edd58bc13 # commit dc7edd58bc13 = tag pkg/v3.248.0 (no own tags)

command -v go > /dev/null || export PATH=/usr/local/go/bin:$PATH
export CGO_ENABLED=0 GOFLAGS="-mod=readonly -buildvcs=false"

mod=$TC_REPO/tools/toolchain/go/pulumi-cli
key=$(tc_key "${BASH_SOURCE[0]}" "$mod/go.mod" "$mod/go.sum" "$mod/tools.go")
stamp=$TC_STAMPS/pulumi-$key
ld="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION"
# The language host is built only once the wrapper module pins it (see the end of this file).
with_host=false
grep -q "^[[:space:]]*$LANGHOST_MODULE " "$mod/go.mod" && with_host=true

# build PKG OUT : compile one main package of the wrapper module, replacing OUT only on success.
build() {
  echo "go build $1 -> $2"
  (cd "$mod" && go build -v -trimpath -ldflags "$ld" -o "$2.tmp" "$1")
  mv -f "$2.tmp" "$2"
}
cli_ok() { [ -x "$TC_BIN/pulumi" ] && [ "$("$TC_BIN/pulumi" version 2> /dev/null)" = "v$PULUMI_VERSION" ]; }
host_ok() { [ -x "$TC_BIN/pulumi-language-nodejs" ]; }

status=reused
if [ -f "$stamp" ] && cli_ok && { ! $with_host || host_ok; }; then
  echo "pulumi v$PULUMI_VERSION: reused $TC_BIN/pulumi (key $key)"
else
  status=built
  echo "building pulumi v$PULUMI_VERSION with $(go version) from $mod"
  echo "GOMODCACHE=$GOMODCACHE GOCACHE=$GOCACHE"
  t0=$(date +%s)
  (cd "$mod" && go mod download)
  echo "modules downloaded and checked against go.sum in $(($(date +%s) - t0))s ($(grep -vc '/go.mod ' "$mod/go.sum") modules)"
  build github.com/pulumi/pulumi/pkg/v3/cmd/pulumi "$TC_BIN/pulumi"
  $with_host && build "$LANGHOST_MODULE" "$TC_BIN/pulumi-language-nodejs"
  if ! cli_ok; then
    echo "the built pulumi reports '$("$TC_BIN/pulumi" version 2>&1 || true)', not v$PULUMI_VERSION" >&2
    exit 1
  fi
  echo "built in $(($(date +%s) - t0))s: $("$TC_BIN/pulumi" version)"
  rm -f "$TC_STAMPS"/pulumi-*
  touch "$stamp"
fi

if ! $with_host; then
  # Not pinned: the proxy refused this pseudo-version when the wrapper module was written. Programs still run,
  # as Automation API inline programs (scripts/deploy.ts, the e2e tests), which need no language host; a plain
  # `pulumi up` does not. Say whether the module is served now, so the fix is obvious.
  probe=$(mktemp -d)
  if (cd "$probe" && GOFLAGS=-mod=mod go mod download -json "$LANGHOST_MODULE@$LANGHOST_VERSION") > "$probe/out" 2>&1; then
    why="it is served now: pin it with
  cd tools/toolchain/go/pulumi-cli && go get $LANGHOST_MODULE@$LANGHOST_VERSION && go mod tidy
add its import to tools.go, and run this step again."
  else
    why="the Go module proxy refuses it ($(jq -r '.Error // empty' "$probe/out" 2> /dev/null | sed -n -e '1s/^.*: //p' -e 's/^[[:space:]]*server response: //p' | paste -sd ' '))."
  fi
  rm -rf "$probe"
  cat << MSG
pulumi-language-nodejs is not built: $LANGHOST_MODULE@$LANGHOST_VERSION is not pinned because $why
Programs run through the Automation API (inline); see docs/toolchain.md.
MSG
  tc_status "$status" "pulumi v$PULUMI_VERSION (no language host: inline programs only)"
  exit 0
fi

tc_status "$status" "pulumi v$PULUMI_VERSION + pulumi-language-nodejs $LANGHOST_VERSION"
