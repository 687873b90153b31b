#!/usr/bin/env bash
# Stages the Fabric CLI binaries the fabric step builds and Fabric's sampleconfig (tc_stage_fabric) into
# CONTEXT_DIR. The official image also has discover and ledgerutil, which the fabric step does not build.
# Exit 3: an input is not built yet.
set -euo pipefail
ctx=${1:?usage: prepare.sh CONTEXT_DIR}
: "${TC_CACHE:?run through tools/toolchain/run.sh}"
# shellcheck source=../../toolchain/lib.sh
. "${TC_REPO:?}/tools/toolchain/lib.sh"
tc_stage_fabric "$ctx" peer configtxgen configtxlator cryptogen osnadmin
