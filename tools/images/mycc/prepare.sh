#!/bin/bash
# Stages the build context of the mycc chaincode image (fabrickafka/mycc:1.1) into CONTEXT_DIR:
#   node                  the host's Node binary (`command -v node`, Node 20+)
#   app/                  chaincode/mycc: package.json, package-lock.json, dist/ (npm ci && npm run build)
#                         and production node_modules (npm ci --omit=dev in this staging copy)
#   Dockerfile, docker-entrypoint.sh, healthcheck   from this directory
# The image is then built with `docker build` in CONTEXT_DIR; nothing is downloaded during the build.
#
# Usage: prepare.sh CONTEXT_DIR
# tools/toolchain/steps/70-images.sh copies this folder to a temporary CONTEXT_DIR and runs the copy there,
# so the repository is found through TC_REPO (set by tools/toolchain/lib.sh), else relative to this file.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=${TC_REPO:-$(cd "$here/../../.." && pwd)}
src=$repo/chaincode/mycc
ctx=${1:-}

die() { echo "mycc/prepare.sh: $*" >&2; exit 1; }

[ -n "$ctx" ] || die "usage: prepare.sh CONTEXT_DIR (the docker build context to fill)"
[ -f "$src/package-lock.json" ] || die "no chaincode at $src (package-lock.json missing; is TC_REPO right?)"
command -v npm >/dev/null || die "npm is not on PATH"
mkdir -p "$ctx"
ctx=$(cd "$ctx" && pwd)
case $ctx/ in "$src"/*) die "CONTEXT_DIR must be outside the chaincode source $src, got $ctx" ;; esac

# --- Node binary --------------------------------------------------------------------------------
node_path=$(command -v node) || die "node is not on PATH"
node_bin=$(readlink -f "$node_path")
node_version=$("$node_bin" --version) || die "$node_bin --version failed"
[[ $node_version =~ ^v([0-9]+)\. ]] || die "$node_bin --version printed '$node_version', not a Node version"
if [ "${BASH_REMATCH[1]}" -lt 20 ]; then
  die "node $node_version at $node_bin: the chaincode needs Node 20 or newer"
fi
# The image is a Debian bookworm minbase: only glibc, libstdc++ and libgcc are there. A distribution
# build of Node (Debian's nodejs links libnode, libuv, ICU, OpenSSL, ...) would not start in it.
# (A static binary makes ldd fail: nothing to check then.)
if command -v ldd >/dev/null && deps=$(ldd "$node_bin" 2>/dev/null); then
  extra=$(echo "$deps" | awk '{print $1}' |
    grep -Ev '^(linux-vdso\.so|/lib6?4?/ld-linux|ld-linux|lib(c|m|dl|rt|pthread|stdc\+\+|gcc_s)\.so)' || true)
  if [ -n "$extra" ]; then
    die "node at $node_bin needs libraries the base image lacks: $(echo "$extra" | tr "\n" " ")- use a self-contained Node build (nodejs.org or NodeSource)."
  fi
fi
rm -f "$ctx/node"
cp "$node_bin" "$ctx/node"
chmod 755 "$ctx/node"

# --- Compiled chaincode ---------------------------------------------------------------------------
# Full install (dev dependencies included: tsc) and build in the source tree.
(cd "$src" && npm ci --no-audit --no-fund && npm run build)
[ -f "$src/dist/index.js" ] || die "the build produced no $src/dist/index.js"

# --- Staging copy with production node_modules ----------------------------------------------------
rm -rf "$ctx/app"
mkdir -p "$ctx/app"
cp "$src/package.json" "$src/package-lock.json" "$ctx/app/"
cp -R "$src/dist" "$ctx/app/dist"
# --ignore-scripts: no runtime dependency needs an install script (the only one, protobufjs's
# postinstall, checks its optional CLI), and a build step should not run registry code.
(cd "$ctx/app" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund)
[ -f "$ctx/app/node_modules/fabric-shim/cli.js" ] || die "fabric-shim is missing from the production node_modules"
addons=$(find "$ctx/app/node_modules" -name '*.node' -type f | head -5)
[ -z "$addons" ] || die "native add-ons in node_modules would not match the image: $addons"
chmod -R a+rX "$ctx/app"

# --- Dockerfile and scripts (already there when CONTEXT_DIR is a copy of this folder) ----------------
if [ "$ctx" != "$here" ]; then
  cp "$here/Dockerfile" "$here/image.env" "$ctx/"
  install -m 755 "$here/docker-entrypoint.sh" "$here/healthcheck" "$ctx/"
fi

echo "mycc/prepare.sh: staged $ctx (node $node_version, $(du -sh "$ctx/app/node_modules" | cut -f1) node_modules)"
