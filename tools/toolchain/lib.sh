# Shared settings for the toolchain steps. Sourced by run.sh, by every step and by env.sh.
# Everything slow lives in TC_CACHE, outside the clone, so a reused machine rebuilds nothing.
TC_REPO=${TC_REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
TC_CACHE=${FABRIC_KAFKA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/fabric-kafka-pulumi}
TC_BIN=$TC_CACHE/bin
TC_LOGS=$TC_CACHE/logs
TC_STAMPS=$TC_CACHE/stamps
export TC_REPO TC_CACHE TC_BIN TC_LOGS TC_STAMPS
export GOTOOLCHAIN=local
export GOMODCACHE=$TC_CACHE/go/mod GOCACHE=$TC_CACHE/go/build
export PULUMI_HOME=$TC_CACHE/pulumi-home
export PULUMI_SKIP_UPDATE_CHECK=true PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
# The local registry that serves the images built here (loopback: the local engine trusts it without TLS).
export TC_REGISTRY=${TC_REGISTRY:-127.0.0.1:5000}
case ":$PATH:" in *":$TC_BIN:"*) ;; *) export PATH="$TC_BIN:$PATH" ;; esac
mkdir -p "$TC_BIN" "$TC_LOGS" "$TC_STAMPS" "$GOMODCACHE" "$GOCACHE" "$PULUMI_HOME"

# tc_key FILE... : a short hash of the given files' contents, used to key a cache entry to its pins.
tc_key() { cat "$@" | sha256sum | cut -c1-12; }

# tc_status WORD DETAIL : what a step reports to run.sh (reused|built|started) and a version string.
tc_status() { [ -n "${TC_STATUS:-}" ] && printf '%s\t%s\n' "$1" "$2" > "$TC_STATUS"; echo "[$1] $2"; }
