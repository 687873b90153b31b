#!/usr/bin/env bash
# Builds (or reuses from the cache) everything the end-to-end tests need, from package registries only.
# Each steps/NN-name.sh is self-contained: it checks its own cache stamp, keyed by its pinned versions,
# and reports reused|built|started through tc_status. This driver times each step and prints a table.
# Usage: npm run toolchain [-- STEP...]   (STEP = name without number, e.g. `pulumi`; default: all)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

wanted=("$@")
rows=()
total_start=$(date +%s)
for step in "$here"/steps/[0-9]*.sh; do
  base=$(basename "$step" .sh); name=${base#*-}
  if [ ${#wanted[@]} -gt 0 ] && [[ ! " ${wanted[*]} " == *" $name "* ]]; then continue; fi
  log="$TC_LOGS/$name.log"
  export TC_STATUS="$TC_LOGS/$name.status"
  rm -f "$TC_STATUS"
  echo "==> $name (log: $log)"
  start=$(date +%s)
  if ! bash "$step" > "$log" 2>&1; then
    echo "toolchain step '$name' failed after $(( $(date +%s) - start ))s; last lines of $log:" >&2
    tail -n 30 "$log" >&2
    exit 1
  fi
  secs=$(( $(date +%s) - start ))
  status=$(cut -f1 "$TC_STATUS" 2>/dev/null || echo "done")
  detail=$(cut -f2- "$TC_STATUS" 2>/dev/null || echo "")
  echo "    $status in ${secs}s: $detail"
  rows+=("$(printf '%-14s %-8s %6ss  %s' "$name" "$status" "$secs" "$detail")")
done
echo
printf '%-14s %-8s %7s  %s\n' STEP STATUS TIME VERSION
for r in "${rows[@]}"; do echo "$r"; done
echo "total: $(( $(date +%s) - total_start ))s   cache: $TC_CACHE"
