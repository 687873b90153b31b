/** Stand-in executables that the step-script tests put on PATH in place of Fabric's tools. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** configtxlator proto_decode --input FILE --type common.Block: the stand-ins' block files are already JSON. */
export const FAKE_CONFIGTXLATOR = `#!/bin/sh
while [ $# -gt 0 ]; do case $1 in --input) cat "$2"; exit 0;; *) shift;; esac; done
exit 2
`;

/**
 * A scratch directory for a step-script test: `state/` for the stand-ins' state, and `bin/` with the given
 * stand-in `peer` and `configtxlator` (FAKE_CONFIGTXLATOR unless given), plus a `sleep` that returns at once (the
 * scripts wait between checks; here time is counted in checks, not seconds). Put `bin` first on PATH.
 */
export function standinDir(
    prefix: string,
    fakePeer: string,
    fakeConfigtxlator = FAKE_CONFIGTXLATOR,
): { dir: string; state: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    const state = path.join(dir, "state");
    fs.mkdirSync(state);
    fs.mkdirSync(path.join(dir, "bin"));
    fs.writeFileSync(path.join(dir, "bin/peer"), fakePeer, { mode: 0o755 });
    fs.writeFileSync(path.join(dir, "bin/configtxlator"), fakeConfigtxlator, { mode: 0o755 });
    fs.writeFileSync(path.join(dir, "bin/sleep"), "#!/bin/sh\nexit 0\n", { mode: 0o755 });
    return { dir, state };
}
