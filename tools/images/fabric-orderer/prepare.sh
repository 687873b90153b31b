#!/usr/bin/env bash
# Stages the orderer binary built by the fabric step ($TC_CACHE/fabric-current, else
# $TC_CACHE/fabric-<tag>) into CONTEXT_DIR/bin.
# Exit 3 means "input not built yet" (70-images.sh reports it as missing).
set -euo pipefail
ctx=${1:?usage: prepare.sh CONTEXT_DIR}
: "${TC_CACHE:?run through tools/toolchain/run.sh}"
# shellcheck source=../../toolchain/lib.sh
. "${TC_REPO:?}/tools/toolchain/lib.sh"
fab=$(tc_fabric_dir "$ctx/image.env")
mkdir -p "$ctx/bin"
[ -x "$fab/bin/orderer" ] || { echo "missing $fab/bin/orderer: run the fabric step" >&2; exit 3; }
cp "$fab/bin/orderer" "$ctx/bin/"
# The image tag is the contract's; say which Fabric is really inside.
echo "staged from $fab: $("$ctx/bin/orderer" version 2> /dev/null | sed -n 's/^ *Version: //p' | head -n1)"
