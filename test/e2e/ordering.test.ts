/**
 * The ZooKeeper and Kafka tiers of the dev topology on the simulated hosts of the dev topology, with the real Pulumi CLI and
 * engine: ZooKeeper forms a quorum (one leader, two followers), 4 brokers register, a second `up` changes
 * nothing, `destroy` removes every container and keeps the protected volumes.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Host } from "../../components/host";
import { OrderingNodes } from "../../components/ordering";
import { StepRegistry } from "../../components/registry";
import { validateConfig } from "../../config";
import { buildPlan, orderingPlan } from "../../plan";
import { ROOT } from "../support/stacks";
import { EventLog } from "./scenarios/evidence";
import {
    CACHE,
    SimHost,
    Timings,
    SimHosts,
    e2eConfig,
    ensureToolchain,
    hostsDown,
    hostsUp,
    onHost,
    registeredBrokers,
    zookeeperMode,
} from "./support/harness";

const timings = new Timings();

let sim: SimHosts;
let stack: Stack;

function orderingProgram(s: SimHosts) {
    return () => {
        const { plain, credentials } = e2eConfig(s);
        const spec = validateConfig({ ...plain, credentials }, { credentials: true, registryAuth: true });
        const plan = buildPlan(spec);
        const groups = orderingPlan(spec).nodeGroups;
        const used = new Set(groups.flatMap((g) => g.nodes.map((n) => n.container.host)));
        const hosts = new Map<string, Host>();
        for (const h of spec.hosts.filter((x) => used.has(x.name))) {
            const c = credentials[h.name]!;
            hosts.set(
                h.name,
                new Host(h.name, { spec: h, network: spec, credential: { privateKey: pulumi.secret(c.privateKey) } }),
            );
        }
        const steps = new StepRegistry(plan.steps);
        const out: Record<string, unknown> = {};
        for (const group of groups)
            out[group.name] = new OrderingNodes(group.name, { spec, hosts, steps, group }).outputs;
        return Promise.resolve(out);
    };
}

const zkHost = (i: number) => sim.hosts[i]!;
const brokerHost = (i: number) => sim.hosts[3 + i]!;

describe("ordering tiers on simulated hosts", () => {
    beforeAll(async () => {
        const tc = await ensureToolchain();
        timings.toolchain(tc);
        sim = await timings.time("hosts up", () => hostsUp(13));
        const pulumiCommand = await PulumiCommand.get({ root: CACHE, skipVersionCheck: true });
        stack = await LocalWorkspace.createOrSelectStack(
            { stackName: "e2e-ordering", projectName: "fabric-kafka", program: orderingProgram(sim) },
            {
                workDir: path.join(ROOT, "test/e2e"),
                pulumiCommand,
                envVars: {
                    PULUMI_BACKEND_URL: `file://${CACHE}/e2e-state`,
                    PULUMI_CONFIG_PASSPHRASE: "e2e-only-passphrase",
                    PULUMI_HOME: path.join(CACHE, "pulumi-home"),
                    PULUMI_SKIP_UPDATE_CHECK: "true",
                    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
                },
            },
        );
        // A crashed earlier run may have left state for hosts that no longer exist.
        await stack.cancel().catch(() => undefined);
        await stack.workspace.removeStack("e2e-ordering", { force: true }).catch(() => undefined);
        stack = await LocalWorkspace.createOrSelectStack(
            { stackName: "e2e-ordering", projectName: "fabric-kafka", program: orderingProgram(sim) },
            { workDir: path.join(ROOT, "test/e2e"), pulumiCommand, envVars: stack.workspace.envVars },
        );
    });

    afterAll(async () => {
        console.log(`e2e ordering timings: ${timings.line()}`);
        await hostsDown();
    });

    it("brings up ZooKeeper in quorum and registers 4 brokers", async () => {
        const log = new EventLog();
        const up = await timings.time("cold up", () =>
            stack.up({ onOutput: (s) => process.stdout.write(s), onEvent: log.onEvent }),
        );
        expect(up.summary.result).toBe("succeeded");
        // Every broker was created only after every ZooKeeper node was ready (the engine's own events).
        for (let b = 1; b <= 4; b++)
            for (let z = 1; z <= 3; z++) {
                const start = log.one("pre", `kafka${b}-container`);
                const ready = log.one("outputs", `zookeeper${z}-ready`);
                expect(ready.sequence, `kafka${b} after zookeeper${z}`).toBeLessThan(start.sequence);
            }
        const modes: Array<string | undefined> = [];
        for (const i of [0, 1, 2]) modes.push(await zookeeperMode(zkHost(i), `zookeeper${i + 1}`));
        console.log(`ZooKeeper modes: ${modes.join(", ")}`);
        expect([...modes].sort()).toEqual(["follower", "follower", "leader"]);
        const ids = await registeredBrokers(zkHost(0), "zookeeper1");
        console.log(`brokers registered in ZooKeeper: ${ids?.join(", ")}`);
        expect(ids).toEqual(["1", "2", "3", "4"]);
        // Every node's readiness step (plan/readiness) passed: the up waited for each of them.
        for (const n of ["zookeeper1", "zookeeper2", "zookeeper3", "kafka1", "kafka2", "kafka3", "kafka4"]) {
            expect(log.one("outputs", `${n}-ready`).op, `${n}-ready`).toBe("create");
        }
    });

    it("changes nothing on a second up", async () => {
        const up = await timings.time("no-op up", () => stack.up());
        const changes = up.summary.resourceChanges ?? {};
        console.log(`second up: ${JSON.stringify(changes)}`);
        expect(Object.keys(changes)).toEqual(["same"]);
    });

    it("destroys every container and keeps every ZooKeeper and Kafka volume", async () => {
        await timings.time("destroy", () => stack.destroy());
        for (let i = 0; i < 7; i++) {
            expect((await onHost(sim.hosts[i]!, ["docker", "ps", "-aq"])).trim()).toBe("");
        }
        const volumes = async (h: SimHost) => (await onHost(h, ["docker", "volume", "ls", "-q"])).split("\n");
        for (let i = 0; i < 3; i++)
            expect(await volumes(zkHost(i))).toEqual(
                expect.arrayContaining([`zookeeper${i + 1}-data`, `zookeeper${i + 1}-datalog`]),
            );
        for (let i = 0; i < 4; i++) expect(await volumes(brokerHost(i))).toContain(`kafka${i + 1}-logs`);
    });
});
