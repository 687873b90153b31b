#!/usr/bin/env bash
# Stages the Fabric CLI binaries built by the fabric step ($TC_CACHE/fabric-current, else
# $TC_CACHE/fabric-<tag>) into CONTEXT_DIR/bin, and the peer image's core.yaml (one source for both images)
# into CONTEXT_DIR.
# Exit 3 means "input not built yet" (70-images.sh reports it as missing).
set -euo pipefail
ctx=${1:?usage: prepare.sh CONTEXT_DIR}
: "${TC_CACHE:?run through tools/toolchain/run.sh}"
# shellcheck source=../../toolchain/lib.sh
. "${TC_REPO:?}/tools/toolchain/lib.sh"
fab=$(tc_fabric_dir "$ctx/image.env")
mkdir -p "$ctx/bin"
for t in peer configtxgen configtxlator cryptogen osnadmin; do
  [ -x "$fab/bin/$t" ] || { echo "missing $fab/bin/$t: run the fabric step" >&2; exit 3; }
  cp "$fab/bin/$t" "$ctx/bin/"
done
cp "${TC_REPO:?}/tools/images/fabric-peer/core.yaml" "$ctx/core.yaml"
# The image tag is the contract's; say which Fabric is really inside.
echo "staged from $fab: $("$ctx/bin/peer" version 2> /dev/null | sed -n 's/^ *Version: //p' | head -n1)"
