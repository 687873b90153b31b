#!/usr/bin/env bash
# The entry point of the Eclipse Temurin base images, mirrored: with USE_SYSTEM_CA_CERTS set, certificates in
# /certificates join the system trust store (and, through Debian's hook, Java's) before the command runs;
# otherwise it only runs the command. Written for this project.
set -e
if [ -n "${USE_SYSTEM_CA_CERTS:-}" ]; then
  if [ -d /certificates ] && [ -n "$(ls -A /certificates)" ]; then
    cp -a /certificates/* /usr/local/share/ca-certificates/
  fi
  update-ca-certificates
fi
exec "$@"
