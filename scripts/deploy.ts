/**
 * Runs the program through the Pulumi Automation API as an inline program: the real Pulumi CLI and engine,
 * without the Node.js language-host plugin (which cannot be built from the package registries reachable
 * here; see docs/toolchain.md). Reads the same Pulumi.yaml / Pulumi.<stack>.yaml as `pulumi up` (the `local`
 * stack from its settings folder in the cache, see lib/workspace.ts).
 *
 * Every `up` and `destroy` records the engine's events and, after an `up`, the dependency graph from the state,
 * under <cache>/timelines/<stack>/ (`npm run timeline -- <stack>` reads the newest).
 *
 *   node bin/scripts/deploy.js up|preview|destroy|refresh|outputs --stack local
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { CommandError, EngineEvent, LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { program } from "./program";
import { cacheDir, openStack } from "./lib/workspace";
import { graphFromState, recordedEvent } from "./lib/timeline";

/** Writes one JSON line per engine event, stamped with the time it arrived (the engine's own is in seconds). */
function eventRecorder(stackName: string, action: string): { file: string; onEvent: (e: EngineEvent) => void } {
    const dir = path.join(cacheDir(), "timelines", stackName);
    fs.mkdirSync(dir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    const file = path.join(dir, `${stamp}-${action}.events.jsonl`);
    const fd = fs.openSync(file, "w", 0o600);
    return {
        file,
        onEvent: (e) => {
            const r = recordedEvent(e, Date.now());
            if (r) fs.writeSync(fd, `${JSON.stringify(r)}\n`);
        },
    };
}

/** The dependency graph of the resources now in the state, next to the events of the run that made them. */
async function saveGraph(stack: Stack, eventsFile: string): Promise<void> {
    const state = await stack.exportStack();
    const graph = graphFromState(state.deployment as unknown);
    fs.writeFileSync(eventsFile.replace(/\.events\.jsonl$/, ".graph.json"), JSON.stringify(graph));
}

async function main(): Promise<void> {
    const [action = "up", ...rest] = process.argv.slice(2);
    const i = rest.indexOf("--stack");
    const stackName = i >= 0 ? rest[i + 1] : process.env.PULUMI_STACK;
    if (!stackName) throw new Error("usage: deploy.js up|preview|destroy|refresh|outputs --stack NAME");
    const stack = await openStack(stackName, { program, create: true });
    // The inline program reads the stack's settings file (per-value secretness of credentials) from its
    // working directory, as it would under `pulumi up`: the workspace's folder.
    process.chdir((stack.workspace as LocalWorkspace).workDir);
    const onOutput = (s: string) => process.stdout.write(s);
    const onError = (s: string) => process.stderr.write(s);
    switch (action) {
        case "up": {
            const rec = eventRecorder(stackName, "up");
            const t0 = Date.now();
            const r = await stack.up({ onOutput, onError, color: "always", onEvent: rec.onEvent });
            console.log(`resource changes: ${JSON.stringify(r.summary.resourceChanges)}`);
            console.log(`up took ${((Date.now() - t0) / 1000).toFixed(1)} s; events: ${rec.file}`);
            await saveGraph(stack, rec.file);
            break;
        }
        case "preview": {
            const r = await stack.preview({
                onOutput,
                onError,
                color: "always",
                diff: process.argv.includes("--diff"),
            });
            console.log(`change summary: ${JSON.stringify(r.changeSummary)}`);
            break;
        }
        case "destroy": {
            const rec = eventRecorder(stackName, "destroy");
            await stack.destroy({ onOutput, onError, color: "always", onEvent: rec.onEvent });
            break;
        }
        case "refresh":
            await stack.refresh({ onOutput, onError, color: "always" });
            break;
        case "outputs":
            for (const [k, v] of Object.entries(await stack.outputs())) {
                console.log(`${k}: ${v.secret ? "[secret]" : JSON.stringify(v.value)}`);
            }
            break;
        default:
            throw new Error(`unknown action ${action}`);
    }
}

main().catch((e: unknown) => {
    // The CLI's own output (the program's errors included) was already streamed above: repeating the
    // CommandError's message would print every diagnostic a second time.
    if (e instanceof CommandError) console.error(`pulumi ${process.argv[2] ?? "up"} failed: see the diagnostics above`);
    else console.error(e instanceof Error ? e.message : e);
    process.exit(1);
});
