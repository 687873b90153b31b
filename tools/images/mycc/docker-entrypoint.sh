#!/bin/bash
# Starts the mycc chaincode server: the same command as `npm start` in chaincode/mycc
# (fabric-chaincode-node server --chaincode-address=... --chaincode-id=...), without npm in the image.
# Extra arguments are passed on to fabric-chaincode-node (e.g. --chaincode-tls-cert-file=...).
set -uo pipefail

addr=${CHAINCODE_SERVER_ADDRESS:-0.0.0.0:9999}
if [ -z "${CHAINCODE_ID:-}" ]; then
  echo "mycc: CHAINCODE_ID is not set; set it to the chaincode package ID (e.g. mycc_1.0:<hash> from" \
    "'peer lifecycle chaincode calculatepackageid')" >&2
  exit 64
fi
case $addr in
  *:[0-9]*) ;;
  *) echo "mycc: CHAINCODE_SERVER_ADDRESS must be host:port, got '$addr'" >&2; exit 64 ;;
esac

node /opt/mycc/node_modules/fabric-shim/cli.js server --module-path=/opt/mycc \
  --chaincode-address="$addr" --chaincode-id="$CHAINCODE_ID" "$@" &
pid=$!
# bash as PID 1 forwards the stop signal, so `docker stop` ends the server at once instead of after
# the kill timeout (node as PID 1 ignores SIGTERM unless it installs a handler).
trap 'kill -TERM "$pid" 2>/dev/null' TERM INT

# The shim logs nothing at info level when it binds; say so once the port accepts connections.
for ((i = 0; i < 150; i++)); do
  kill -0 "$pid" 2>/dev/null || break
  if /usr/local/bin/healthcheck 2>/dev/null; then
    echo "mycc: chaincode server listening on $addr (chaincode id $CHAINCODE_ID)"
    break
  fi
  sleep 0.2
done

wait "$pid"
status=$?
# `wait` returns early when a trapped signal arrives: wait for the server itself to exit.
while kill -0 "$pid" 2>/dev/null; do
  wait "$pid"
  status=$?
done
exit "$status"
