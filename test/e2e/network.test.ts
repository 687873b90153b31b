/**
 * The old runbook's 13-host network on simulated hosts, with the real Pulumi CLI and engine, checked from the
 * outside: every step of the plan started after the steps it waits for (engine events), ZooKeeper quorum,
 * brokers registered, orderers healthy on their channel topics, every peer joined, the cross-org
 * query/invoke/query flow, a no-op second `up`, a targeted preview, restarts after which every peer still
 * answers with the ledger's state, and a `destroy` that leaves no container and keeps every stateful volume.
 */
import { Stack } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULTS, NetworkSpec, validateConfig } from "../../config";
import { ordererContainer } from "../../plan";
import { SECRET } from "../support/stacks";
import { EventLog, checkProtectedVolumesKept, checkStepOrder } from "./scenarios/evidence";
import {
    SimHost,
    Timings,
    SimHosts,
    e2eConfig,
    e2eStack,
    ensureToolchain,
    hostsDown,
    hostsUp,
    onHost,
    registeredBrokers,
    sh,
    zookeeperMode,
} from "./support/harness";

const timings = new Timings();

/** Every peer of the dev topology: [dev host, container name]. */
const PEERS = [
    ["peer0-org1", "peer0.org1.example.com"],
    ["foo27-org5", "foo27.org5.example.com"],
    ["bar-org5", "bar.org5.example.com"],
] as const;

let sim: SimHosts;
let stack: Stack;
let spec: NetworkSpec;
/** Dev host name → simulated host, in the order e2eConfig maps them. */
const host = (name: string): SimHost => {
    const i = (e2eConfig(sim).plain.hosts as Array<{ name: string }>).findIndex((h) => h.name === name);
    return sim.hosts[i]!;
};
const dockerOn = (h: string, ...args: string[]) => onHost(host(h), ["docker", ...args]);
const inCli = (h: string, peer: string, script: string) => dockerOn(h, "exec", `cli.${peer}`, "sh", "-c", script);

describe("the dev topology on 13 simulated hosts", () => {
    beforeAll(async () => {
        const tc = await ensureToolchain();
        timings.toolchain(tc);
        sim = await hostsUp(13);
        const config = e2eConfig(sim);
        spec = validateConfig({ ...config.plain, credentials: config.credentials }, SECRET);
        stack = await e2eStack("e2e", config);
    });

    afterAll(async () => {
        console.log(`e2e summary: ${timings.line()}`);
        await hostsDown();
    });

    it("comes up cold, each step only after the steps it waits for are done (engine events)", async () => {
        const log = new EventLog();
        const up = await timings.time("cold up", () =>
            stack.up({ onOutput: (x) => process.stdout.write(x), onEvent: log.onEvent }),
        );
        expect(up.summary.result).toBe("succeeded");
        // Every edge of the step graph, on the events of this very update: ZooKeeper → Kafka → orderers (each
        // after its host's files) → peers → CLIs → channel → chaincode. A node is done when its readiness step
        // (plan/readiness) has passed, so "done" here means ready.
        const { edges, ready } = checkStepOrder(spec, log);
        console.log(`step order: ${edges} edges checked on ${log.events.length} engine events`);
        expect(edges).toBeGreaterThan(50);
        for (const [tier, seconds] of Object.entries(ready)) timings.set(`${tier} ready`, seconds);
    });

    it("has one ZooKeeper leader, two followers and 4 registered brokers", async () => {
        const modes: Array<string | undefined> = [];
        for (const i of [1, 2, 3]) modes.push(await zookeeperMode(host(`zookeeper${i}`), `zookeeper${i}`));
        expect([...modes].sort()).toEqual(["follower", "follower", "leader"]);
        expect(await registeredBrokers(host("zookeeper1"), "zookeeper1")).toEqual(["1", "2", "3", "4"]);
    });

    it("has ready orderers consuming their channel topics", async () => {
        for (const i of [0, 1, 2]) {
            const name = `orderer${i}.example.com`;
            // The program's own readiness check (plan/readiness), asked again from the orderer's host.
            const check = ordererContainer(spec, spec.orderers[i]!).readiness!.check;
            expect((await onHost(host(`orderer${i}`), ["sh", "-c", `f() {\n${check}\n}\nf`])).trim()).toBe(
                "healthz 200",
            );
            const logs = await dockerOn(`orderer${i}`, "logs", name);
            expect(logs).toMatch(/\[channel: system-channel\] Start phase completed successfully/);
            expect(logs).toMatch(/\[channel: mychannel\] Start phase completed successfully/);
        }
    });

    it("has every peer joined to mychannel", async () => {
        for (const [h, p] of PEERS) {
            expect(await inCli(h, p, "peer channel list")).toMatch(/^mychannel$/m);
        }
    });

    it("passes the old runbook's cross-org test", async () => {
        const outputs = await stack.outputs();
        const verification = outputs.verification!.value as Record<string, Record<string, string>>;
        expect(verification.mycc).toEqual({ Org1MSP: "10", Org5MSP: "10" });
        const script = (outputs.crossOrgTests!.value as Record<string, string>).mycc!;
        const out = await sh("bash", ["-c", script]);
        console.log(out);
        const values = out.split("\n").filter((l) => /^-?\d+$/.test(l.trim()));
        // query A (Org1), query A (Org5), then after invoke A B 20 from bar.org5: A and B from peer0.org1.
        expect(values).toEqual(["10", "10", "-10", "40"]);
        expect(out).toMatch(/invoke A B 20 on bar\.org5\.example\.com/);
    });

    it("changes nothing on a second up", async () => {
        const up = await timings.time("no-op up", () => stack.up());
        expect(up.summary.resourceChanges).toEqual({ same: up.summary.resourceChanges?.same });
    });

    it("previews a change to one peer as a change to that peer only", async () => {
        const ns = DEFAULTS.namespace;
        const orgs = e2eConfig(sim).plain.organizations as Array<{ peers: Array<Record<string, unknown>> }>;
        orgs[1]!.peers[1]!.operationsPort = 9444;
        await stack.setConfig(`${ns}:organizations`, { value: JSON.stringify(orgs) });
        const changed: string[] = [];
        try {
            await stack.preview({
                onEvent: (e) => {
                    const m = e.resourcePreEvent?.metadata;
                    if (m && m.op !== "same" && m.op !== "read") changed.push(`${m.op} ${m.urn.split("::").pop()}`);
                },
            });
        } finally {
            await stack.setConfig(`${ns}:organizations`, { value: JSON.stringify(e2eConfig(sim).plain.organizations) });
        }
        console.log(`preview after changing bar's operationsPort: ${changed.join(", ")}`);
        expect(changed.length).toBeGreaterThan(0);
        for (const c of changed) expect(c).toMatch(/bar[-.]org5/);
    });

    it("keeps the channel and the chaincode state on every peer when every peer restarts", async () => {
        for (const [h, p] of PEERS) {
            await dockerOn(h, "restart", p);
        }
        for (const [h, p] of PEERS) {
            expect(await inCli(h, p, "peer channel list"), p).toMatch(/^mychannel$/m);
            const a = await inCli(
                h,
                p,
                `for i in $(seq 1 30); do peer chaincode query -C mychannel -n mycc -c '{"Args":["query","A"]}' && exit 0; sleep 2; done; exit 1`,
            );
            // After the cross-org test's invoke A B 20.
            expect(a.trim(), p).toBe("-10");
        }
    });

    it("destroys every container and keeps every stateful volume on its host", async () => {
        await timings.time("destroy", () => stack.destroy());
        for (const h of sim.hosts) expect((await onHost(h, ["docker", "ps", "-aq"])).trim()).toBe("");
        const kept = await checkProtectedVolumesKept(spec, async (h) =>
            (await dockerOn(h, "volume", "ls", "-q")).split("\n").filter(Boolean),
        );
        // ZooKeeper data + datalog (6), Kafka logs (4), orderer ledgers (3), peer ledgers (3).
        expect(kept).toBe(16);
    });
});
