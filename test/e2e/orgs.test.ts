/**
 * An organisation added to a running Kafka-ordered network and removed again (scenarios/orgs.ts), on a small
 * topology so it can run on its own: one simulated host with 1 ZooKeeper node, 3 brokers (replication factor 2,
 * min in-sync 1),
 * 1 orderer, Org1's peer0 and Org5's bar; a second simulated host, unused until Org6's peer0 lands on it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawStackConfig } from "../support/stacks";
import { NewOrg, ORG6, addOrg, channelMembers, invokeEndorsedBy, moveOrderer, removeOrg } from "./scenarios/orgs";
import {
    RunningNetwork,
    Timings,
    e2eConfig,
    e2eStack,
    ensureToolchain,
    hostsDown,
    hostsUp,
    onHost,
    runningNetwork,
} from "./support/harness";

const timings = new Timings();
let net: RunningNetwork;
let org6: NewOrg;
const READER = { host: "local", peer: "peer0.org1.example.com" };

/** The local stack cut down to one node of each ordering role, one peer per org. */
function smallRaw(): Record<string, unknown> {
    const raw = JSON.parse(JSON.stringify(rawStackConfig("local"))) as Record<string, any>;
    raw.ordering.zookeeper = raw.ordering.zookeeper.slice(0, 1);
    // The smallest backend validation accepts: in-sync replicas below the replication factor, below the brokers.
    raw.ordering.kafka.brokers = raw.ordering.kafka.brokers.slice(0, 3);
    raw.ordering.kafka.replicationFactor = 2;
    raw.ordering.kafka.minInsyncReplicas = 1;
    raw.ordering.orderers = raw.ordering.orderers.slice(0, 1);
    // On from the cold up, so the steps' first run (nothing to change on a fresh channel) is covered too.
    raw.network = { ...raw.network, manageChannelMembers: true };
    const org5 = raw.organizations.find((o: { name: string }) => o.name === "Org5");
    org5.peers = org5.peers.filter((p: { name: string }) => p.name === "bar");
    return raw;
}

describe("an organisation added to mychannel and removed again, on 2 simulated hosts", () => {
    beforeAll(async () => {
        timings.toolchain(await ensureToolchain());
        const sim = await timings.time("hosts up", () => hostsUp(2));
        const config = e2eConfig(sim, smallRaw());
        net = runningNetwork(sim, await e2eStack("e2e-orgs", config), config);
        org6 = ORG6(sim.hosts[1]!);
    });

    afterAll(async () => {
        console.log(`e2e orgs timings: ${timings.line()}`);
        await hostsDown();
    });

    it("comes up cold with Org1 and Org5 in mychannel", async () => {
        const up = await timings.time("cold up", () => net.stack.up({ onOutput: (s) => process.stdout.write(s) }));
        expect(up.summary.result).toBe("succeeded");
        expect(await channelMembers(net.host("local"), READER.peer, "mychannel")).toEqual(["Org1MSP", "Org5MSP"]);
    });

    it("adds Org6 by editing the stack: update signed by Org5 in its CLI, submitted by Org1, Org6 joins and approves", async () => {
        const r = await timings.time("add Org6", () => addOrg(net, org6));
        console.log(`add Org6: ${JSON.stringify(r.up.summary.resourceChanges)} in ${r.seconds.toFixed(0)} s`);
        for (const l of r.log) console.log(`  ${l}`);
        console.log(r.committed);
        expect(r.up.summary.result).toBe("succeeded");
        expect(r.members).toEqual(["Org1MSP", "Org5MSP", "Org6MSP"]);
        expect(r.log.join("\n")).toContain(
            "update prepared: add Org6MSP, remove nothing; MAJORITY Admins of 2 members",
        );
        expect(r.log.join("\n")).toContain("Org5MSP on mychannel: signed by the org's admin");
        expect(r.log.join("\n")).toContain("Org6MSP on mychannel: not a member before the change");
        expect(r.committed).toMatch(/Sequence: 2,/);
        expect(r.committed).toContain("Org6MSP: true");
    });

    it("has Org6's peer endorse an invoke alone", async () => {
        const r = await invokeEndorsedBy(net, org6, READER);
        console.log(`invoke endorsed by peer0.org6 only: A ${r.before} -> ${r.after}\n${r.invoke}`);
        expect(r.invoke).toMatch(/committed with status \(VALID\)/);
        expect(Number(r.after)).toBe(Number(r.before) - 1);
    });

    it("changes nothing on a second up", async () => {
        const up = await timings.time("no-op up", () => net.stack.up());
        expect(Object.keys(up.summary.resourceChanges ?? {})).toEqual(["same"]);
    });

    it("removes Org6 again: out of the channel config, its containers gone, its ledger volume kept", async () => {
        const r = await timings.time("remove Org6", () => removeOrg(net, org6, READER));
        console.log(`remove Org6: ${JSON.stringify(r.up.summary.resourceChanges)} in ${r.seconds.toFixed(0)} s`);
        for (const l of r.log) console.log(`  ${l}`);
        console.log(`mychannel members after removal: ${JSON.stringify(r.members)}; spare host volumes: ${r.volumes}`);
        expect(r.up.summary.result).toBe("succeeded");
        expect(r.members).toEqual(["Org1MSP", "Org5MSP"]);
        expect(r.log.join("\n")).toContain("add nothing, remove Org6MSP; MAJORITY Admins of 3 members");
        expect(r.containers).toBe("");
        expect(r.volumes.split("\n")).toContain("peer0.org6.example.com-ledger");
        const again = await timings.time("no-op up after removal", () => net.stack.up());
        expect(Object.keys(again.summary.resourceChanges ?? {})).toEqual(["same"]);
    });

    it("moves orderer0 to the second host in one up, carrying its ledger, and orders through it there", async () => {
        const r = await timings.time("move orderer0", () =>
            moveOrderer(net, "orderer0", { name: "spare", sim: org6.sim }, READER),
        );
        console.log(
            `move of orderer0: ${JSON.stringify(r.up.summary.resourceChanges)} in ${r.seconds.toFixed(0)} s; ` +
                `mychannel height ${r.before} -> ${r.after}\n${r.invoke}`,
        );
        expect(r.up.summary.result).toBe("succeeded");
        expect(r.up.stdout).toContain(
            "orderer0.example.com: stopping it on local (up to 120 s), then carrying its data to spare",
        );
        expect(r.up.stdout).toContain("orderer0.example.com: data carried from local to spare");
        expect([r.running, r.leftOnOld]).toEqual([true, false]);
        expect(r.after).toBeGreaterThanOrEqual(r.before);
        expect(r.invoke).toMatch(/committed with status \(VALID\)/);
        // Removing movedFrom afterwards forgets the carry step and touches nothing else.
        expect(r.settle.summary.resourceChanges).toEqual({ delete: 1, same: expect.any(Number) });
    });

    it("destroys every container", async () => {
        await timings.time("destroy", () => net.stack.destroy());
        for (const h of ["local", "spare"])
            expect((await onHost(net.host(h), ["docker", "ps", "-aq"])).trim()).toBe("");
    });
});
