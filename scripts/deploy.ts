/**
 * Runs the program through the Pulumi Automation API as an inline program: the real Pulumi CLI and engine,
 * without the Node.js language-host plugin (which cannot be built from the package registries reachable
 * here; see docs/toolchain.md). Reads the same Pulumi.yaml / Pulumi.<stack>.yaml as `pulumi up` (the `local`
 * stack from its settings folder in the cache, see lib/workspace.ts).
 *
 * Every `up` and `destroy` records the engine's events and, after an `up`, the dependency graph from the state,
 * under <cache>/timelines/<stack>/ (`npm run timeline -- <stack>` reads the newest).
 *
 * Operations run with --parallel 64 unless `--parallel N` says otherwise: the CLI's default of 8 makes the
 * per-host work of a many-host network (providers, networks, image pulls, volumes) wait in one queue.
 *
 *   node bin/scripts/deploy.js up|preview|destroy|refresh|outputs --stack local [--parallel N]
 */
import { CommandError, LocalWorkspace } from "@pulumi/pulumi/automation";
import { program } from "./program";
import { openStack } from "./lib/workspace";
import { UP_PARALLEL, eventRecorder, saveGraph } from "./lib/record";

async function main(): Promise<void> {
    const [action = "up", ...rest] = process.argv.slice(2);
    const i = rest.indexOf("--stack");
    const stackName = i >= 0 ? rest[i + 1] : process.env.PULUMI_STACK;
    if (!stackName) throw new Error("usage: deploy.js up|preview|destroy|refresh|outputs --stack NAME");
    const p = rest.indexOf("--parallel");
    const parallel = p >= 0 ? Number(rest[p + 1]) : UP_PARALLEL;
    if (!Number.isInteger(parallel) || parallel < 1)
        throw new Error(`--parallel must be a whole number ≥ 1, got ${rest[p + 1]}`);
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
            const r = await stack.up({ onOutput, onError, color: "always", onEvent: rec.onEvent, parallel });
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
                parallel,
            });
            console.log(`change summary: ${JSON.stringify(r.changeSummary)}`);
            break;
        }
        case "destroy": {
            const rec = eventRecorder(stackName, "destroy");
            await stack.destroy({ onOutput, onError, color: "always", onEvent: rec.onEvent, parallel });
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
