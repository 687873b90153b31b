#!/usr/bin/env bash
# Stand-in resource provider plugins, written by us in TypeScript (providers/src), for the upstream plugins that
# the Go module proxy will not serve (see 30-plugins.sh):
#   command 1.2.1, random 4.21.1   (the versions node_modules/@pulumi/<name> asks the engine for)
# The docker plugin is not among them: 33-docker-plugin.sh builds it from the upstream Terraform provider.
# They implement exactly the resources and functions this program uses, with the SDKs' type tokens and
# property names; what they cover is listed in providers/README.md.
# Compiled with the repository's TypeScript into $TC_CACHE/providers/<key>/, one self-contained folder per
# plugin (launcher pulumi-resource-<name> + compiled JS), installed into PULUMI_HOME with
# `pulumi plugin install resource <name> <version> --file <folder>`. The launcher runs the repository's Node.js
# with its node_modules (resolved when this step runs) on NODE_PATH.
# A plugin that 30-plugins.sh built from the real sources is left alone.
set -euo pipefail
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

PLUGINS=("command|1.2.1" "random|4.21.1")
step_file=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")
src=$TC_REPO/providers
out_root=$TC_CACHE/providers

command -v node > /dev/null || {
  echo "node is not on PATH" >&2
  exit 1
}
tc_require_pulumi
nm=$(cd "$TC_REPO/node_modules" 2> /dev/null && pwd -P) || {
  echo "$TC_REPO/node_modules is missing: run npm ci first" >&2
  exit 1
}
node_bin=$(command -v node)
tsc=$nm/typescript/bin/tsc
[ -f "$tsc" ] || {
  echo "typescript is not installed in $nm" >&2
  exit 1
}

installed_dir() { echo "$PULUMI_HOME/plugins/resource-$1-v$2"; }

# The key covers this step, the sources, and what the launchers bake in or load at run time.
mapfile -t files < <(cd "$src" && find src tsconfig.json -type f | LC_ALL=C sort)
pins=$(mktemp)
trap 'rm -f "$pins"' EXIT
{
  echo "node_modules=$nm node=$node_bin $(node --version)"
  for p in @grpc/grpc-js @pulumi/pulumi google-protobuf typescript @pulumi/command @pulumi/random; do
    echo "$p $(jq -r .version "$nm/$p/package.json")"
  done
} > "$pins"
key=$(cd "$src" && tc_key "$step_file" "${files[@]}" "$pins")
out=$out_root/$key
stamp=$TC_STAMPS/providers-$key

# Which plugins are ours to install: not those 30-plugins.sh built from the upstream sources.
todo=()
details=()
for spec in "${PLUGINS[@]}"; do
  IFS='|' read -r name version <<< "$spec"
  want=$(tc_npm_plugin_version "$name")
  if [ "$want" != "$version" ]; then
    echo "@pulumi/$name in node_modules declares plugin ${want:-<none>}, but this step provides $version" >&2
    exit 1
  fi
  if compgen -G "$TC_STAMPS/plugin-$name-$version-*" > /dev/null && tc_plugin_listed "$name" "$version" &&
    [ ! -f "$(installed_dir "$name" "$version")/STANDIN" ]; then
    echo "$name $version: the upstream plugin is installed (30-plugins.sh); not replacing it"
    details+=("$name $version (upstream)")
    continue
  fi
  todo+=("$name|$version")
done

current() { # NAME VERSION: is this key's stand-in the installed plugin?
  [ "$(cat "$(installed_dir "$1" "$2")/STANDIN" 2> /dev/null)" = "$key" ] && tc_plugin_listed "$1" "$2"
}

status=reused
all_current=true
for spec in "${todo[@]}"; do
  IFS='|' read -r name version <<< "$spec"
  current "$name" "$version" || all_current=false
done

if [ -f "$stamp" ] && [ -d "$out" ] && $all_current; then
  echo "stand-in providers: reused $out (key $key)"
else
  status=built
  t0=$(date +%s)
  rm -rf "$out.tmp"
  mkdir -p "$out.tmp"
  echo "tsc -p providers/tsconfig.json -> $out/js"
  node "$tsc" -p "$src/tsconfig.json" --outDir "$out.tmp/js"
  for spec in "${todo[@]}"; do
    IFS='|' read -r name version <<< "$spec"
    dir=$out.tmp/$name
    mkdir -p "$dir"
    cp -R "$out.tmp/js" "$dir/js"
    echo "$key" > "$dir/STANDIN"
    cat > "$dir/pulumi-resource-$name" << LAUNCHER
#!/bin/sh
# Stand-in pulumi-resource-$name $version (fabric-kafka-pulumi providers/, key $key): Node.js, not upstream.
here=\$(cd "\$(dirname "\$0")" && pwd)
node='$node_bin'
[ -x "\$node" ] || node=node
# The plugin puts the caller's NODE_PATH back before it runs anything.
STANDIN_NODE_PATH=\${NODE_PATH-}
NODE_PATH='$nm'\${NODE_PATH:+:\$NODE_PATH}
export STANDIN_NODE_PATH NODE_PATH
exec "\$node" "\$here/js/$name.js" "\$@"
LAUNCHER
    chmod 755 "$dir/pulumi-resource-$name"
  done
  rm -rf "$out"
  mv "$out.tmp" "$out"
  for spec in "${todo[@]}"; do
    IFS='|' read -r name version <<< "$spec"
    echo "$name $version: pulumi plugin install resource $name $version --file $out/$name"
    pulumi plugin install resource "$name" "$version" --file "$out/$name" --reinstall
    current "$name" "$version" || {
      echo "pulumi plugin ls does not list the stand-in $name $version after installing it" >&2
      exit 1
    }
  done
  # Keep only this key's build.
  for old in "$out_root"/*; do
    [ "$old" = "$out" ] || rm -rf "$old"
  done
  rm -f "$TC_STAMPS"/providers-*
  touch "$stamp"
  echo "stand-in providers built in $(($(date +%s) - t0))s"
fi

pulumi plugin ls
for spec in "${todo[@]}"; do
  IFS='|' read -r name version <<< "$spec"
  details+=("$name $version")
done
summary=$(printf '%s, ' "${details[@]}")
tc_status "$status" "stand-in ${summary%, } (key $key)"
