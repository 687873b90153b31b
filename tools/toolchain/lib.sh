# Shared settings for the toolchain steps. Sourced by run.sh, by every step and by env.sh.
# Everything slow lives in TC_CACHE, outside the clone, so a reused machine rebuilds nothing.
TC_REPO=${TC_REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
TC_CACHE=${FABRIC_KAFKA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/fabric-kafka-pulumi}
TC_BIN=$TC_CACHE/bin
TC_LOGS=$TC_CACHE/logs
TC_STAMPS=$TC_CACHE/stamps
export TC_REPO TC_CACHE TC_BIN TC_LOGS TC_STAMPS
export GOTOOLCHAIN=local
export GOMODCACHE=$TC_CACHE/go/mod GOCACHE=$TC_CACHE/go/build
export PULUMI_HOME=$TC_CACHE/pulumi-home
export PULUMI_SKIP_UPDATE_CHECK=true PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
# The local registry that serves the images built here (loopback: the local engine trusts it without TLS).
export TC_REGISTRY=${TC_REGISTRY:-127.0.0.1:5000}
case ":$PATH:" in *":$TC_BIN:"*) ;; *) export PATH="$TC_BIN:$PATH" ;; esac
mkdir -p "$TC_BIN" "$TC_LOGS" "$TC_STAMPS" "$GOMODCACHE" "$GOCACHE" "$PULUMI_HOME"

# tc_key FILE... : a short hash of the given files' contents, used to key a cache entry to its pins.
tc_key() { cat "$@" | sha256sum | cut -c1-12; }

# Helpers of the plugin steps (30-plugins, 35-providers).
tc_require_pulumi() {
  command -v pulumi > /dev/null && return 0
  echo "pulumi is not on PATH: run the pulumi step first (npm run toolchain -- pulumi)" >&2
  exit 1
}
# tc_npm_plugin_version NAME: the plugin version @pulumi/NAME asks for. The plugin must match it, or the engine
# asks for a version that is not installed.
tc_npm_plugin_version() { jq -r '.pulumi.version // empty' "$TC_REPO/node_modules/@pulumi/$1/package.json" 2> /dev/null; }
# tc_plugin_listed NAME VERSION: is the resource plugin in PULUMI_HOME's cache?
tc_plugin_listed() {
  pulumi plugin ls --json 2> /dev/null |
    jq -e --arg n "$1" --arg v "$2" 'any(.[]; .kind == "resource" and .name == $n and .version == $v)' > /dev/null
}

# tc_fabric_dir IMAGE_ENV: where the fabric step put its binaries: the directory named in
# $TC_CACHE/fabric-current, else fabric-<the image's tag>. Used by the Fabric images' prepare.sh.
tc_fabric_dir() {
  local fab
  fab=$(cat "$TC_CACHE/fabric-current" 2> /dev/null || true)
  if [ -n "$fab" ] && [ -d "$fab/bin" ]; then echo "$fab"; else echo "$TC_CACHE/fabric-$(sed -n 's/^IMAGE=.*://p' "$1")"; fi
}

# tc_fabric_module: the Fabric module the fabric step builds from (its pin in go/fabric/go.mod), as unpacked in
# GOMODCACHE. Its sampleconfig/ (core.yaml, orderer.yaml, configtx.yaml, msp/) is what the official Fabric images
# put in FABRIC_CFG_PATH; the mirrors' prepare.sh copy it from there.
tc_fabric_module() {
  local v
  v=$(awk '$1 == "require" && $2 == "github.com/hyperledger/fabric" {print $3}' "$TC_REPO/tools/toolchain/go/fabric/go.mod")
  echo "$GOMODCACHE/github.com/hyperledger/fabric@$v"
}

# tc_stage_fabric CTX BIN... : stages the fabric step's binaries BIN... into CTX/bin and the Fabric module's
# sampleconfig into CTX/sampleconfig; returns 3 ("input not built yet") when either is missing. Used by the
# Fabric mirrors' prepare.sh.
tc_stage_fabric() {
  local ctx=$1 fab mod t
  shift
  fab=$(tc_fabric_dir "$ctx/image.env")
  mod=$(tc_fabric_module)
  [ -f "$mod/sampleconfig/core.yaml" ] || { echo "no Fabric module at $mod: run the fabric step" >&2; return 3; }
  mkdir -p "$ctx/bin"
  for t in "$@"; do
    [ -x "$fab/bin/$t" ] || { echo "missing $fab/bin/$t: run the fabric step" >&2; return 3; }
    cp "$fab/bin/$t" "$ctx/bin/"
  done
  # The module cache is read-only; the image's copy is ordinary root-owned files.
  cp -R "$mod/sampleconfig" "$ctx/sampleconfig"
  chmod -R u+w,a+rX "$ctx/sampleconfig"
  echo "staged from $fab and $mod: $("$ctx/bin/$1" version 2> /dev/null | sed -n 's/^ *Version: //p' | head -n1)"
}

# tc_stage_jars CTX LABEL LIBS MAIN_JAR VERSION: copies the jars the java step resolved (LIBS/*.jar) into
# CTX/libs, after checking that MAIN_JAR is there and that the image's tag (CTX/image.env) is VERSION.
# Used by the Kafka and ZooKeeper images' prepare.sh.
tc_stage_jars() {
  local ctx=$1 label=$2 libs=$3 main=$4 version=$5 want
  [ -s "$libs/$main" ] || { echo "no $label jars in $libs: run the java step" >&2; return 1; }
  want=$(sed -n 's/^IMAGE=.*://p' "$ctx/image.env")
  [ "$want" = "$version" ] || { echo "image tag $want differs from the resolved $label $version" >&2; return 1; }
  mkdir -p "$ctx/libs"
  cp "$libs"/*.jar "$ctx/libs/"
}

# tc_status WORD DETAIL : what a step reports to run.sh (reused|built|started) and a version string.
tc_status() { [ -n "${TC_STATUS:-}" ] && printf '%s\t%s\n' "$1" "$2" > "$TC_STATUS"; echo "[$1] $2"; }
