#!/usr/bin/env bash
# Stages the peer binary and the CCaaS external builder (detect, build, release) made by the fabric step
# ($TC_CACHE/fabric-current, else $TC_CACHE/fabric-<tag>; bin/ and ccaas/bin/) into CONTEXT_DIR/bin and
# CONTEXT_DIR/ccaas_builder/bin.
# Exit 3 means "input not built yet" (70-images.sh reports it as missing).
set -euo pipefail
ctx=${1:?usage: prepare.sh CONTEXT_DIR}
: "${TC_CACHE:?run through tools/toolchain/run.sh}"
# shellcheck source=../../toolchain/lib.sh
. "${TC_REPO:?}/tools/toolchain/lib.sh"
fab=$(tc_fabric_dir "$ctx/image.env")
mkdir -p "$ctx/bin" "$ctx/ccaas_builder/bin"
for f in bin/peer ccaas/bin/detect ccaas/bin/build ccaas/bin/release; do
  [ -x "$fab/$f" ] || { echo "missing $fab/$f: run the fabric step" >&2; exit 3; }
done
cp "$fab/bin/peer" "$ctx/bin/"
cp "$fab/ccaas/bin/detect" "$fab/ccaas/bin/build" "$fab/ccaas/bin/release" "$ctx/ccaas_builder/bin/"
# The image tag is the contract's; say which Fabric is really inside.
echo "staged from $fab: $("$ctx/bin/peer" version 2> /dev/null | sed -n 's/^ *Version: //p' | head -n1)"
