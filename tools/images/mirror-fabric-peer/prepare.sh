#!/usr/bin/env bash
# Stages the peer binary, Fabric's sampleconfig (tc_stage_fabric) and the CCaaS external builder the fabric step
# installed ($TC_CACHE/fabric-current/ccaas/bin) into CONTEXT_DIR. Exit 3: an input is not built yet.
set -euo pipefail
ctx=${1:?usage: prepare.sh CONTEXT_DIR}
: "${TC_CACHE:?run through tools/toolchain/run.sh}"
# shellcheck source=../../toolchain/lib.sh
. "${TC_REPO:?}/tools/toolchain/lib.sh"
tc_stage_fabric "$ctx" peer
fab=$(tc_fabric_dir "$ctx/image.env")
mkdir -p "$ctx/ccaas_builder/bin"
for f in detect build release; do
  [ -x "$fab/ccaas/bin/$f" ] || { echo "missing $fab/ccaas/bin/$f: run the fabric step" >&2; exit 3; }
  cp "$fab/ccaas/bin/$f" "$ctx/ccaas_builder/bin/"
done
