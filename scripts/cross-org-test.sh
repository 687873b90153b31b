#!/usr/bin/env bash
# The old runbook's cross-org test in one line: npm run cross-org-test -- <stack> [chaincode]
# Runs the script the stack exports (query A from each org, invoke A B 20 from the last org, query A and B).
set -euo pipefail
stack=${1:?usage: npm run cross-org-test -- <stack> [chaincode]}
cc=${2:-mycc}
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
# shellcheck source=../tools/toolchain/lib.sh
. tools/toolchain/lib.sh
# Prefer the toolchain's CLI: under `npm run`, node_modules/.bin/pulumi (the npm launcher) comes first on PATH.
pulumi=pulumi
[ -x "$TC_BIN/pulumi" ] && pulumi=$TC_BIN/pulumi
if [ "$stack" = local ]; then
  [ -n "${PULUMI_BACKEND_URL:-}" ] || export PULUMI_BACKEND_URL=file://$TC_CACHE/state
  [ -n "${PULUMI_CONFIG_PASSPHRASE:-}${PULUMI_CONFIG_PASSPHRASE_FILE:-}" ] ||
    export PULUMI_CONFIG_PASSPHRASE_FILE=$TC_CACHE/state/local.passphrase
  # The local stack's settings (with this machine's encryption salt) live in the cache, not in the clone.
  [ -d "$TC_CACHE/stacks/fabric-kafka" ] && cd "$TC_CACHE/stacks/fabric-kafka"
fi
script=$("$pulumi" stack output --stack "$stack" crossOrgTests --json | jq -r --arg cc "$cc" '.[$cc] // empty')
[ -n "$script" ] || { echo "stack $stack exports no cross-org test for chaincode $cc" >&2; exit 1; }
bash -c "$script"
