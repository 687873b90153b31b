/**
 * Runs the program through the Pulumi Automation API as an inline program: the real Pulumi CLI and engine,
 * without the Node.js language-host plugin (which cannot be built from the package registries reachable
 * here; see docs/toolchain.md). Reads the same Pulumi.yaml / Pulumi.<stack>.yaml as `pulumi up`.
 *
 *   node bin/scripts/deploy.js up|preview|destroy|refresh|outputs --stack local
 */
import * as path from "node:path";
import { LocalWorkspace, PulumiCommand } from "@pulumi/pulumi/automation";
import { program } from "./program";

const ROOT = path.resolve(__dirname, "../..");

async function main(): Promise<void> {
    const [action = "up", ...rest] = process.argv.slice(2);
    const i = rest.indexOf("--stack");
    const stackName = i >= 0 ? rest[i + 1] : process.env.PULUMI_STACK;
    if (!stackName) throw new Error("usage: deploy.js up|preview|destroy|refresh|outputs --stack NAME");
    const cache = process.env.TC_CACHE;
    const pulumiCommand = cache ? await PulumiCommand.get({ root: cache, skipVersionCheck: true }) : undefined;
    const stack = await LocalWorkspace.createOrSelectStack(
        { stackName, projectName: "fabric-kafka", program },
        { workDir: ROOT, ...(pulumiCommand ? { pulumiCommand } : {}) },
    );
    const onOutput = (s: string) => process.stdout.write(s);
    switch (action) {
        case "up": {
            const r = await stack.up({ onOutput, color: "always" });
            console.log(`resource changes: ${JSON.stringify(r.summary.resourceChanges)}`);
            break;
        }
        case "preview": {
            const r = await stack.preview({ onOutput, color: "always", diff: process.argv.includes("--diff") });
            console.log(`change summary: ${JSON.stringify(r.changeSummary)}`);
            break;
        }
        case "destroy":
            await stack.destroy({ onOutput, color: "always" });
            break;
        case "refresh":
            await stack.refresh({ onOutput, color: "always" });
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
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
});
