/**
 * The old runbook's 13-host network on simulated hosts, with the real Pulumi CLI and engine, checked from the
 * outside: ZooKeeper quorum, brokers registered, orderers healthy on their channel topics, every peer joined,
 * the cross-org query/invoke/query flow, a no-op second `up`, a targeted preview, restarts that keep state,
 * and a `destroy` that leaves no container and keeps the protected volumes.
 */
import { EngineEvent, Stack } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULTS, validateConfig } from "../../config";
import { ordererContainer } from "../../plan";
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
        stack = await e2eStack("e2e", e2eConfig(sim));
    });

    afterAll(async () => {
        console.log(`e2e summary: ${timings.line()}`);
        await hostsDown();
    });

    it("comes up cold, tier by tier", async () => {
        const created = new Map<string, number>();
        const t0 = Date.now();
        const up = await timings.time("cold up", () =>
            stack.up({
                onOutput: (s) => process.stdout.write(s),
                onEvent: (e: EngineEvent) => {
                    const urn = e.resOutputsEvent?.metadata.urn;
                    // A node is ready when its readiness step (plan/readiness) is done.
                    if (urn?.endsWith("-ready")) created.set(urn.split("::").pop()!, Date.now());
                },
            }),
        );
        expect(up.summary.result).toBe("succeeded");
        const ready = (prefix: RegExp) =>
            (Math.max(...[...created.entries()].filter(([n]) => prefix.test(n)).map(([, t]) => t)) - t0) / 1000;
        timings.set("zookeeper ready", ready(/^zookeeper\d-ready$/));
        timings.set("kafka ready", ready(/^kafka\d-ready$/));
        timings.set("orderers ready", ready(/^orderer\d-ready$/));
        timings.set("peers ready", ready(/^(peer0-org1|foo27-org5|bar-org5)-ready$/));
    });

    it("has one ZooKeeper leader, two followers and 4 registered brokers", async () => {
        const modes: Array<string | undefined> = [];
        for (const i of [1, 2, 3]) modes.push(await zookeeperMode(host(`zookeeper${i}`), `zookeeper${i}`));
        expect([...modes].sort()).toEqual(["follower", "follower", "leader"]);
        expect(await registeredBrokers(host("zookeeper1"), "zookeeper1")).toEqual(["1", "2", "3", "4"]);
    });

    it("has ready orderers consuming their channel topics", async () => {
        const { plain, credentials } = e2eConfig(sim);
        const spec = validateConfig({ ...plain, credentials }, { credentials: true, registryAuth: true });
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

    it("keeps the channel and the chaincode state when every peer restarts", async () => {
        for (const [h, p] of PEERS) {
            await dockerOn(h, "restart", p);
        }
        const query = async (h: string, p: string) =>
            (
                await inCli(
                    h,
                    p,
                    `for i in $(seq 1 30); do peer chaincode query -C mychannel -n mycc -c '{"Args":["query","A"]}' && exit 0; sleep 2; done; exit 1`,
                )
            ).trim();
        expect(await query("peer0-org1", "peer0.org1.example.com")).toBe("-10");
        expect(await query("foo27-org5", "foo27.org5.example.com")).toBe("-10");
        expect(await inCli("bar-org5", "bar.org5.example.com", "peer channel list")).toMatch(/^mychannel$/m);
    });

    it("destroys every container and keeps the protected volumes", async () => {
        await timings.time("destroy", () => stack.destroy());
        for (const h of sim.hosts) expect((await onHost(h, ["docker", "ps", "-aq"])).trim()).toBe("");
        expect(await dockerOn("kafka1", "volume", "ls", "-q")).toMatch(/^kafka1-logs$/m);
        expect(await dockerOn("orderer0", "volume", "ls", "-q")).toMatch(/^orderer0\.example\.com-ledger$/m);
        expect(await dockerOn("peer0-org1", "volume", "ls", "-q")).toMatch(/^peer0\.org1\.example\.com-ledger$/m);
    });
});
