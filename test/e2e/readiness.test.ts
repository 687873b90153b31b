/**
 * Readiness under a failure, with the real engine: the ordering tiers of the local topology (3 ZooKeeper, 4 Kafka,
 * 3 orderers, all on one simulated host, reached over ssh) with a 60 s readiness timeout. A broker stopped during
 * the cold `up` fails it, naming the broker; once the broker runs again, the next `up` checks it again and only
 * then starts the orderers (scenarios/readiness.ts). Then `destroy`.
 */
import { Stack } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Host } from "../../components/host";
import { ChannelArtifacts, CryptoMaterial, Delivery } from "../../components/material";
import { OrdererSet, OrderingNodes } from "../../components/ordering";
import { StepRegistry } from "../../components/registry";
import { loadConfig } from "../../config/load";
import { buildPlan, orderingNodes, orderingPlan, stepId } from "../../plan";
import { rawStackConfig } from "../support/stacks";
import { SimHosts, Timings, e2eConfig, e2eStack, ensureToolchain, hostsDown, hostsUp, onHost } from "./support/harness";
import { ReadinessContext, coldUpFailsOnStoppedBroker, nextUpRechecksBeforeOrderers } from "./scenarios/readiness";

const timings = new Timings();
const TIMEOUT = 60;
let sim: SimHosts;
let stack: Stack;
let ctx: ReadinessContext;

/** The program up to the orderers: material, the consensus's own nodes, the orderers; no peers. */
function orderingTiers(): Promise<Record<string, unknown>> {
    const { spec, credentials } = loadConfig();
    const plan = buildPlan(spec);
    const steps = new StepRegistry(plan.steps);
    const used = new Set([...orderingNodes(spec).map((n) => n.container.host), ...spec.orderers.map((o) => o.host)]);
    const hosts = new Map<string, Host>();
    for (const h of spec.hosts.filter((x) => used.has(x.name))) {
        hosts.set(h.name, new Host(h.name, { spec: h, network: spec, credential: credentials[h.name]! }));
    }
    const crypto = new CryptoMaterial("crypto", { spec, plan });
    steps.record(stepId.crypto(), crypto);
    const artifacts = new ChannelArtifacts("artifacts", { spec, plan, crypto });
    steps.record(stepId.artifacts(), artifacts);
    for (const h of new Set(spec.orderers.map((o) => o.host))) {
        steps.record(
            stepId.deliver(h),
            new Delivery(`${h}-files`, { spec, plan, host: hosts.get(h)!, crypto, artifacts }),
        );
    }
    for (const group of orderingPlan(spec).nodeGroups) new OrderingNodes(group.name, { spec, hosts, steps, group });
    const orderers = new OrdererSet("orderers", { spec, hosts, steps });
    return Promise.resolve({ ordererEndpoints: orderers.endpoints });
}

describe("readiness on the ordering tiers of the local topology on a simulated host", () => {
    beforeAll(async () => {
        timings.toolchain(await ensureToolchain());
        sim = await timings.time("hosts up", () => hostsUp(1));
        const config = e2eConfig(sim, rawStackConfig("local"));
        (config.plain.network as Record<string, unknown>).readyTimeoutSeconds = TIMEOUT;
        stack = await e2eStack("e2e-readiness", config, orderingTiers);
        const host = (config.plain.hosts as Array<{ name: string }>)[0]!.name;
        ctx = {
            stack,
            docker: (_host, args) => onHost(sim.hosts[0]!, ["docker", ...args]),
            broker: { name: "kafka2", host },
            orderers: ["orderer0", "orderer1", "orderer2"].map((o) => ({
                resource: `${o}-container`,
                name: `${o}.example.com`,
                host,
            })),
            timeoutSeconds: TIMEOUT,
        };
    });

    afterAll(async () => {
        console.log(`e2e readiness timings: ${timings.line()}`);
        await hostsDown();
    });

    it("fails the cold up naming a broker that was stopped behind the program's back", async () => {
        const { error } = await timings.time("failed cold up", () => coldUpFailsOnStoppedBroker(ctx));
        console.log(
            `cold up failed with: ${error
                .split("\n")
                .filter((l) => /kafka2/.test(l))
                .join(" | ")}`,
        );
    });

    it("checks the broker again on the next up, and only then starts the orderers", async () => {
        const { readySeconds } = await timings.time("second up", () => nextUpRechecksBeforeOrderers(ctx));
        timings.set("kafka2 readiness step", readySeconds);
    });

    it("changes nothing on a third up, then destroys", async () => {
        const up = await timings.time("no-op up", () => stack.up());
        expect(Object.keys(up.summary.resourceChanges ?? {})).toEqual(["same"]);
        await timings.time("destroy", () => stack.destroy());
        expect((await onHost(sim.hosts[0]!, ["docker", "ps", "-aq"])).trim()).toBe("");
    });
});
