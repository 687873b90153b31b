#!/usr/bin/env bash
# Brings the `local` stack up (or previews / destroys it) on this machine's Docker engine.
#   npm run local:up | npm run local:preview | npm run local:down
# First run: builds the toolchain and images from package registries (see docs/toolchain.md); later runs
# reuse the cache. State goes to a file backend in the cache; the stack's secrets passphrase is generated
# once and kept there (mode 0600) unless PULUMI_CONFIG_PASSPHRASE is set. The stack's settings are run from a
# copy in the cache (scripts/lib/workspace.ts), so the encryption salt Pulumi writes never lands in the clone.
set -euo pipefail
action=${1:-up}
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
[ -d node_modules ] || npm ci --no-audit --no-fund
bash tools/toolchain/run.sh
# shellcheck source=../tools/toolchain/env.sh
. tools/toolchain/env.sh
mkdir -p "$TC_CACHE/state"
export PULUMI_BACKEND_URL=${PULUMI_BACKEND_URL:-file://$TC_CACHE/state}
if [ -z "${PULUMI_CONFIG_PASSPHRASE:-}" ] && [ -z "${PULUMI_CONFIG_PASSPHRASE_FILE:-}" ]; then
  pass="$TC_CACHE/state/local.passphrase"
  [ -s "$pass" ] || (umask 077; head -c 32 /dev/urandom | base64 > "$pass")
  export PULUMI_CONFIG_PASSPHRASE_FILE=$pass
fi
npm run --silent build
# The Automation API runs the program inline with the real CLI and engine: the Node.js language-host plugin
# cannot be built from the registries reachable here (docs/toolchain.md). With a stock Pulumi install,
# `pulumi up --stack local` does the same.
case "$action" in
  up) node bin/scripts/deploy.js up --stack local ;;
  preview) node bin/scripts/deploy.js preview --stack local ;;
  down) node bin/scripts/deploy.js destroy --stack local ;;
  *) echo "usage: $0 up|preview|down" >&2; exit 2 ;;
esac
