#!/usr/bin/env bash
# Stages the orderer binary and Fabric's sampleconfig (tc_stage_fabric) into CONTEXT_DIR.
# Exit 3: an input is not built yet.
set -euo pipefail
ctx=${1:?usage: prepare.sh CONTEXT_DIR}
: "${TC_CACHE:?run through tools/toolchain/run.sh}"
# shellcheck source=../../toolchain/lib.sh
. "${TC_REPO:?}/tools/toolchain/lib.sh"
tc_stage_fabric "$ctx" orderer
