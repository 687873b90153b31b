#!/usr/bin/env bash
# The docker resource plugin (pulumi-resource-docker 5.0.0, the version @pulumi/docker asks the engine for),
# built from the real Terraform docker provider through Pulumi's Terraform bridge:
#   github.com/kreuzwerker/terraform-provider-docker  v0.0.0-20260916201441-96d331c98ff4  (about v4.6.0)
#   github.com/pulumi/pulumi-terraform-bridge/v3      v3.120.0
# pulumi-docker's own provider module is refused by the Go module proxy; these are served. The wrapper module
# tools/toolchain/go/docker (go.mod, go.sum, main.go with our mapping, shim/) pins every module; the build runs
# with -mod=readonly, so it can only use what go.sum names.
# Output: $TC_CACHE/plugins/docker-<version>-<key>/pulumi-resource-docker, installed into PULUMI_HOME with
# `pulumi plugin install resource docker <version> --file …`. Needs the pulumi CLI from 20-pulumi.sh.
# About 10 CPU-minutes cold (2 cores) plus the module download; docs/toolchain.md has the figures.
set -euo pipefail
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

NAME=docker
wrapper=$TC_REPO/tools/toolchain/go/docker
step_file=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")
command -v go > /dev/null || export PATH=/usr/local/go/bin:$PATH
export CGO_ENABLED=0 GOFLAGS="-mod=readonly -buildvcs=false"
tc_require_pulumi

# The version lives in one place, our main.go; the SDK in node_modules must ask for the same one.
version=$(sed -n 's/^const version = "\([^"]*\)"$/\1/p' "$wrapper/main.go")
[ -n "$version" ] || {
  echo "no 'const version = \"…\"' in $wrapper/main.go" >&2
  exit 1
}
want=$(tc_npm_plugin_version "$NAME")
if [ "$want" != "$version" ]; then
  echo "@pulumi/$NAME in node_modules declares plugin ${want:-<none>}, but $wrapper/main.go builds $version" >&2
  exit 1
fi
upstream=$(cd "$wrapper" && go mod edit -json |
  jq -r '.Replace[] | select(.Old.Path == "github.com/terraform-providers/terraform-provider-docker") | "\(.New.Path) \(.New.Version)"')
bridge=$(cd "$wrapper" && go mod edit -json |
  jq -r '.Require[] | select(.Path == "github.com/pulumi/pulumi-terraform-bridge/v3") | .Version')
detail="$NAME $version (from ${upstream% *} ${upstream#* }, bridge $bridge)"

mapfile -t files < <(cd "$wrapper" && find . -type f | LC_ALL=C sort)
key=$(cd "$wrapper" && tc_key "$step_file" "${files[@]}")
out=$TC_CACHE/plugins
dir=$out/$NAME-$version-$key
bin=$dir/pulumi-resource-$NAME
# Named like 30-plugins.sh's stamps: an older 35-providers.sh takes it to mean "upstream plugin, leave it".
stamp=$TC_STAMPS/plugin-$NAME-$version-$key
installed=$PULUMI_HOME/plugins/resource-$NAME-v$version/pulumi-resource-$NAME

# works BIN: the binary answers as this plugin, and maps the four resources this program uses to the SDK's tokens.
works() {
  [ -x "$1" ] && [ "$("$1" -version 2> /dev/null)" = "$version" ] &&
    "$1" -get-provider-info 2> /dev/null | jq -e '
      .name == "docker"
      and .resources.docker_container.tok == "docker:index/container:Container"
      and .resources.docker_image.tok == "docker:index/remoteImage:RemoteImage"
      and .resources.docker_network.tok == "docker:index/network:Network"
      and .resources.docker_volume.tok == "docker:index/volume:Volume"' > /dev/null
}

install_plugin() {
  echo "pulumi plugin install resource $NAME $version --file $bin"
  pulumi plugin install resource "$NAME" "$version" --file "$bin" --reinstall
  tc_plugin_listed "$NAME" "$version" && cmp -s "$bin" "$installed" || {
    echo "pulumi plugin ls does not list $NAME $version built from $bin after installing it" >&2
    exit 1
  }
}

if [ -f "$stamp" ] && works "$bin"; then
  if cmp -s "$bin" "$installed" && tc_plugin_listed "$NAME" "$version"; then
    echo "$NAME $version: reused $bin"
    tc_status reused "$detail"
  else
    # Built, but PULUMI_HOME holds something else (e.g. the old TypeScript stand-in): install ours again.
    install_plugin
    tc_status installed "$detail"
  fi
  exit 0
fi

t0=$(date +%s)
rm -rf "$dir"
mkdir -p "$dir"
echo "$NAME $version: go mod download (wrapper $wrapper)"
(cd "$wrapper" && go mod download)
t1=$(date +%s)
echo "$NAME $version: modules in $((t1 - t0))s; go build"
(cd "$wrapper" && go build -v -trimpath -ldflags "-s -w" -o "$bin" .)
t2=$(date +%s)
echo "$NAME $version: compiled in $((t2 - t1))s"
works "$bin" || {
  echo "$bin does not answer -version $version, or its -get-provider-info lacks the expected tokens" >&2
  exit 1
}
install_plugin
# Keep only this key's build.
for old in "$out/$NAME-$version"-*; do
  [ "$old" = "$dir" ] || rm -rf "$old"
done
rm -f "$TC_STAMPS/plugin-$NAME-$version"-*
touch "$stamp"
echo "$NAME $version: built in $(($(date +%s) - t0))s (modules $((t1 - t0))s, compile $((t2 - t1))s)"
tc_status built "$detail"
