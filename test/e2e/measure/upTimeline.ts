/**
 * Measures a cold `up` of a topology on the simulated hosts and prints its timeline (critical path, ratio,
 * SVG path). A benchmark script, not a test: it prints figures and asserts nothing about them.
 *
 *   flock /tmp/fk-e2e.lock npx vite-node test/e2e/measure/upTimeline.ts -- [--topology dev|local] [--parallel N]
 *       [--images-present] [--keep]
 *
 * dev: the 13-host dev topology on 13 simulated hosts; local: the local topology on one. The hosts start with
 * empty engines, so the measured `up` pulls every image; with --images-present a first `up` and `destroy` run
 * unmeasured before it, and the measured one finds the images on the hosts (they are kept on destroy), as every
 * cold `up` after the first one on the same engines does. The stack is destroyed and the hosts taken down
 * afterwards unless --keep.
 */
import { rawStackConfig } from "../../support/stacks";
import { e2eConfig, e2eStack, ensureToolchain, hostsDown, hostsUp, onHost } from "../support/harness";
import { eventRecorder, saveGraph, writeTimeline } from "../../../scripts/lib/record";

async function main(): Promise<void> {
    const args = process.argv.slice(2).filter((a) => a !== "--");
    const opt = (name: string, dflt: string) => {
        const i = args.indexOf(`--${name}`);
        return i >= 0 ? args[i + 1]! : dflt;
    };
    const topology = opt("topology", "dev");
    if (topology !== "dev" && topology !== "local") throw new Error(`--topology must be dev or local, got ${topology}`);
    const parallel = Number(opt("parallel", "64"));
    const keep = args.includes("--keep");
    const imagesPresent = args.includes("--images-present");
    const how = `parallel ${parallel}${imagesPresent ? ", images present" : ""}`;
    const source = rawStackConfig(topology);
    const hostCount = (source.hosts as unknown[]).length;
    const tc = await ensureToolchain();
    console.log(`toolchain ${tc.cached ? "cached" : "built"} in ${tc.seconds.toFixed(0)} s`);
    const t0 = Date.now();
    const sim = await hostsUp(hostCount);
    console.log(`${hostCount} simulated hosts up in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    const name = `e2e-measure-${topology}`;
    const stack = await e2eStack(name, e2eConfig(sim, source));
    try {
        if (imagesPresent) {
            const t = Date.now();
            await stack.up({ parallel });
            console.log(`first up (pulls the images): ${((Date.now() - t) / 1000).toFixed(1)} s`);
            await stack.destroy({ parallel });
            // Protected volumes outlive destroy (retainOnDelete): remove them, or the measured up finds old ledgers.
            await Promise.all(
                sim.hosts.map((h) =>
                    onHost(h, ["sh", "-c", 'v=$(docker volume ls -q); [ -z "$v" ] || docker volume rm $v']),
                ),
            );
            console.log(`first up and destroy: ${((Date.now() - t) / 1000).toFixed(0)} s`);
        }
        const rec = eventRecorder(name, "up");
        const t1 = Date.now();
        const up = await stack.up({ onEvent: rec.onEvent, parallel });
        console.log(
            `cold up (${topology}, ${how}): ${up.summary.result} in ${((Date.now() - t1) / 1000).toFixed(1)} s`,
        );
        await saveGraph(stack, rec.file);
        const { report, svg } = writeTimeline(
            rec.file,
            `cold up of the ${topology} topology on simulated hosts (${how})`,
        );
        console.log(report);
        console.log(`picture: ${svg}`);
    } finally {
        if (!keep) {
            await stack.destroy({ parallel }).catch((e: unknown) => console.log(`destroy: ${String(e)}`));
            await hostsDown();
        }
    }
}

main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
});
