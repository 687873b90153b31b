# Source this to get the toolchain built by `npm run toolchain` on PATH:
#   source tools/toolchain/env.sh
# shellcheck source=lib.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"
