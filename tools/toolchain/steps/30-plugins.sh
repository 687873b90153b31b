#!/usr/bin/env bash
# Pulumi resource providers, compiled from the Go module proxy and installed into PULUMI_HOME's plugin cache
# at exactly the versions the npm packages declare (node_modules/@pulumi/<name>/package.json "pulumi.version"):
#   command 1.2.1, random 4.21.1
# (docker 5.0.0 is built by 33-docker-plugin.sh from what pulumi-docker bridges, since its own module is refused.)
# Each provider has its own wrapper module tools/toolchain/go/<name>/ (go.mod, go.sum, our main.go or tools.go),
# so each builds against the pulumi sdk it was released with. Files that upstream generates at build time
# (schema-embed.json, bridge-metadata.json) are written into a staging copy of the wrapper module in
# $TC_CACHE/plugins/, never into the clone. Binaries: $TC_CACHE/plugins/<name>-<version>-<key>/.
# Needs the pulumi CLI from 20-pulumi.sh. Pins and state: docs/toolchain.md.
set -euo pipefail
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

command -v go > /dev/null || export PATH=/usr/local/go/bin:$PATH
export CGO_ENABLED=0 GOFLAGS="-mod=readonly -buildvcs=false"

# name|version|main package|version variable set by -X
PLUGINS=(
  "command|1.2.1|github.com/pulumi/pulumi-command/provider/cmd/pulumi-resource-command|github.com/pulumi/pulumi-command/provider/pkg/version.Version=v1.2.1"
  "random|4.21.1|.|github.com/pulumi/pulumi-random/provider/v4/pkg/version.Version=4.21.1"
)
step_file=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")
out=$TC_CACHE/plugins
mkdir -p "$out"

tc_require_pulumi

# modules_of DIR: the module versions a wrapper needs directly (replacements instead of what they replace).
modules_of() {
  (cd "$1" && go mod edit -json) | jq -r '
    (.Replace // []) as $rep
    | ([(.Require // [])[] | select(.Indirect | not) | .Path as $p
        | select(all($rep[]; .Old.Path != $p)) | "\(.Path)@\(.Version)"]
       + [$rep[] | select(.New.Version != null) | "\(.New.Path)@\(.New.Version)"])
    | .[]'
}

# refused DIR: print each module version of DIR that the proxy does not serve, with its error.
refused() {
  local m tmp
  tmp=$(mktemp -d)
  for m in $(modules_of "$1"); do
    if ! (cd "$tmp" && GOFLAGS=-mod=mod go mod download -json "$m") > "$tmp/out" 2>&1; then
      echo "  $m: $(jq -r '.Error // empty' "$tmp/out" 2> /dev/null | sed -n -e '1s/^.*: //p' -e 's/^[[:space:]]*server response: //p' | paste -sd ' ')"
    fi
  done
  rm -rf "$tmp"
}

# generate NAME DIR: write the files upstream generates at build time into the staging module DIR.
generate() {
  local d
  case $1 in
    random)
      d=$(cd "$2" && go list -m -f '{{.Dir}}' github.com/pulumi/pulumi-random/provider/v4)
      jq -c --arg v "$3" '.version = $v' "$d/cmd/pulumi-resource-random/schema.json" > "$2/schema-embed.json"
      cp "$d/cmd/pulumi-resource-random/bridge-metadata.json" "$2/bridge-metadata.json"
      ;;
  esac
}

status=reused
details=()
blocked=()
for spec in "${PLUGINS[@]}"; do
  IFS='|' read -r name version pkg xflag <<< "$spec"
  src=$TC_REPO/tools/toolchain/go/$name
  want=$(tc_npm_plugin_version "$name")
  if [ -n "$want" ] && [ "$want" != "$version" ]; then
    echo "@pulumi/$name in node_modules declares plugin $want, but this step pins $version" >&2
    exit 1
  fi
  mapfile -t files < <(cd "$src" && find . -type f | LC_ALL=C sort)
  key=$(cd "$src" && tc_key "$step_file" "${files[@]}")
  dir=$out/$name-$version-$key
  bin=$dir/pulumi-resource-$name
  stamp=$TC_STAMPS/plugin-$name-$version-$key
  if [ -f "$stamp" ] && [ -x "$bin" ] && tc_plugin_listed "$name" "$version"; then
    echo "$name $version: reused $bin"
    details+=("$name $version")
    continue
  fi

  # Cheap check first, so a refused module is named in seconds instead of failing deep inside a build.
  bad=$(refused "$src")
  if [ -n "$bad" ] || [ ! -s "$src/go.sum" ]; then
    echo "$name $version: cannot be built from the module proxy"
    [ -n "$bad" ] && printf '%s\n' "  refused by the proxy:" "$bad"
    [ -s "$src/go.sum" ] || echo "  tools/toolchain/go/$name/go.sum is missing (go mod tidy needs the modules above)"
    blocked+=("$name")
    continue
  fi

  status=built
  t0=$(date +%s)
  stage=$dir.src
  rm -rf "$stage" "$dir"
  mkdir -p "$dir"
  cp -R "$src" "$stage"
  echo "$name $version: downloading modules"
  (cd "$stage" && go mod download)
  generate "$name" "$stage" "$version"
  echo "$name $version: go build $pkg"
  (cd "$stage" && go build -v -trimpath -ldflags "-s -w -X $xflag" -o "$bin" "$pkg")
  echo "$name $version: pulumi plugin install resource $name $version --file $bin"
  pulumi plugin install resource "$name" "$version" --file "$bin"
  tc_plugin_listed "$name" "$version" || {
    echo "pulumi plugin ls does not list $name $version after installing it" >&2
    exit 1
  }
  # Keep only this key's build of the plugin.
  for old in "$out/$name-$version"-*; do
    [ "$old" = "$dir" ] || [ "$old" = "$stage" ] || rm -rf "$old"
  done
  rm -rf "$stage"
  rm -f "$TC_STAMPS/plugin-$name-$version"-*
  touch "$stamp"
  echo "$name $version: built in $(($(date +%s) - t0))s"
  details+=("$name $version")
done

if [ ${#blocked[@]} -gt 0 ]; then
  # The stand-in providers of step 35 (providers/) take their place at the same versions.
  echo "not built: ${blocked[*]} (the Go module proxy does not serve their pinned modules; docs/toolchain.md)"
  details+=("upstream ${blocked[*]}: refused by the proxy")
  status=skipped
fi
summary=$(printf '%s, ' "${details[@]}")
tc_status "$status" "${summary%, }"
