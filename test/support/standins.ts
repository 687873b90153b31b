/** Stand-in executables that the step-script tests put on PATH in place of Fabric's tools. */

/** configtxlator proto_decode --input FILE --type common.Block: the stand-ins' block files are already JSON. */
export const FAKE_CONFIGTXLATOR = `#!/bin/sh
while [ $# -gt 0 ]; do case $1 in --input) cat "$2"; exit 0;; *) shift;; esac; done
exit 2
`;
