/**
 * Applications on a deployed network, with the real engine: the local topology on one simulated host (an ssh
 * host, so the profiles must reach it through its address), then the identity command's folders used by the
 * stock gateway client and by fabric-network, and a short benchmark sweep (scenarios/apps.ts).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Stack } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawStackConfig } from "../support/stacks";
import {
    SimHosts,
    Timings,
    e2eConfig,
    e2eEnvVars,
    e2eStack,
    ensureToolchain,
    hostsDown,
    hostsUp,
} from "./support/harness";
import {
    AppsContext,
    benchSweep,
    buildScripts,
    fabricNetworkUsesFolder,
    gatewayEvaluatesAndSubmits,
    writeIdentityFolders,
} from "./scenarios/apps";

const timings = new Timings();
const STACK = "e2e-apps";
let sim: SimHosts;
let stack: Stack;
let ctx: AppsContext;
let folders: { org1: string; org5: string };

describe("applications on the local topology on a simulated host", () => {
    beforeAll(async () => {
        timings.toolchain(await ensureToolchain());
        sim = await timings.time("hosts up", () => hostsUp(1));
        const raw = rawStackConfig("local") as { organizations: Array<Record<string, unknown>> };
        raw.organizations[1]!.users = 2;
        stack = await e2eStack(STACK, e2eConfig(sim, raw));
        await timings.time("build scripts", buildScripts);
        ctx = {
            stackName: STACK,
            env: e2eEnvVars(),
            scratch: fs.mkdtempSync(path.join(os.tmpdir(), "fk-apps-")),
            peerAddress: sim.hosts[0]!.address,
        };
    });

    afterAll(async () => {
        console.log(`e2e apps timings: ${timings.line()}`);
        if (ctx) fs.rmSync(ctx.scratch, { recursive: true, force: true });
        await stack?.destroy().catch((e: unknown) => console.log(`destroy: ${String(e)}`));
        await hostsDown();
    });

    it("deploys", async () => {
        const up = await timings.time("cold up", () => stack.up({ onOutput: (s) => process.stdout.write(s) }));
        expect(up.summary.result).toBe("succeeded");
        expect((await stack.outputs()).identities!.secret).toBe(true);
    });

    it("writes each org's folder with the identity command", async () => {
        folders = await timings.time("identity folders", () => writeIdentityFolders(ctx));
    });

    it("evaluates and submits with the stock gateway client from those folders", async () => {
        await timings.time("gateway client", () => gatewayEvaluatesAndSubmits(folders));
    });

    it("evaluates and submits with fabric-network from the same folder", async () => {
        await timings.time("fabric-network", () => fabricNetworkUsesFolder(folders.org1));
    });

    it("runs a short benchmark sweep without a failure", async () => {
        await timings.time("bench", () => benchSweep(ctx));
    });
});
