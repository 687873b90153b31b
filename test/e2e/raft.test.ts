/**
 * A fresh Raft-ordered network (ordering.type etcdraft) on the dev topology without its ZooKeeper and Kafka
 * hosts: 6 simulated hosts (3 orderers, 3 peers), the real Pulumi CLI and engine, the whole existing flow.
 */
import { afterAll, beforeAll, describe, it } from "vitest";
import { validateConfig } from "../../config";
import { SECRET, raftRaw } from "../support/stacks";
import {
    RaftContext,
    coldUp,
    crossOrg,
    destroy,
    noKafkaBackend,
    noopUp,
    peersJoined,
    raftLeaders,
} from "./scenarios/raft";
import { SimHosts, Timings, e2eConfig, e2eStack, ensureToolchain, hostsDown, hostsUp } from "./support/harness";

const timings = new Timings();
let ctx: RaftContext;

describe("a fresh etcdraft network on 6 simulated hosts", () => {
    beforeAll(async () => {
        timings.toolchain(await ensureToolchain());
        const sim: SimHosts = await timings.time("hosts up", () => hostsUp(6));
        const config = e2eConfig(sim, raftRaw("dev"));
        const names = (config.plain.hosts as Array<{ name: string }>).map((h) => h.name);
        ctx = {
            stack: await e2eStack("e2e-raft", config),
            spec: validateConfig({ ...config.plain, credentials: config.credentials }, SECRET),
            sim,
            host: (name) => sim.hosts[names.indexOf(name)]!,
            orderers: [0, 1, 2].map((i) => [`orderer${i}`, `orderer${i}.example.com`] as const),
            peers: [
                ["peer0-org1", "peer0.org1.example.com"],
                ["foo27-org5", "foo27.org5.example.com"],
                ["bar-org5", "bar.org5.example.com"],
            ],
            channels: ["mychannel"],
            systemChannel: "system-channel",
            timings,
        };
    });

    afterAll(async () => {
        console.log(`e2e raft summary: ${timings.line()}`);
        await hostsDown();
    });

    it("comes up cold", () => coldUp(ctx));
    it("has a Raft leader on every channel, seen by every orderer", () => raftLeaders(ctx));
    it("runs no ZooKeeper or Kafka", () => noKafkaBackend(ctx));
    it("has every peer joined to mychannel", () => peersJoined(ctx));
    it("passes verification and the old runbook's cross-org test", () => crossOrg(ctx));
    it("changes nothing on a second up", () => noopUp(ctx));
    it("destroys every container", () => destroy(ctx));
});
