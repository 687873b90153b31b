/**
 * The ordering backend authenticates its clients: the dev topology (network.tls on, the official images'
 * mirrors) on 13 simulated hosts, probed from a 14th that runs nothing and holds no credentials
 * (scenarios/backend-security.ts), plus the cross-org test on the same network.
 */
import { Stack } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
    SimHosts,
    Timings,
    e2eConfig,
    e2eStack,
    ensureToolchain,
    hostsDown,
    hostsUp,
    runningNetwork,
    sh,
} from "./support/harness";
import {
    BackendSecurityContext,
    channelTopicHoldsNoProbe,
    kafkaListsChannelTopicsWithOrdererCertificate,
    kafkaRefusesClientsWithoutCertificate,
    kafkaRefusesPlaintextClients,
    zookeeperRefusesClientsWithoutCertificate,
} from "./scenarios/backend-security";

const timings = new Timings();
let sim: SimHosts;
let stack: Stack;
let ctx: BackendSecurityContext;

describe("the ordering backend on the dev topology, probed from a host without credentials", () => {
    beforeAll(async () => {
        timings.toolchain(await ensureToolchain());
        sim = await timings.time("hosts up", () => hostsUp(14));
        const config = e2eConfig(sim);
        stack = await e2eStack("e2e-backend", config);
        const net = runningNetwork(sim, stack, config);
        // The topology takes the first 13 hosts; the 14th runs nothing and is given nothing.
        const outsider = sim.hosts[net.spec.hosts.length]!;
        expect(net.spec.hosts.some((h) => h.address === outsider.address)).toBe(false);
        ctx = { net, outsider };
    });

    afterAll(async () => {
        console.log(`e2e backend-security timings: ${timings.line()}`);
        await hostsDown();
    });

    it("comes up with TLS on every link of the backend", async () => {
        const up = await timings.time("cold up", () => stack.up({ onOutput: (s) => process.stdout.write(s) }));
        expect(up.summary.result).toBe("succeeded");
    });

    it("refuses plaintext Kafka clients", async () => {
        const seen = await kafkaRefusesPlaintextClients(ctx);
        console.log(`plaintext kcat:\n  ${seen.join("\n  ")}`);
    });

    it("refuses Kafka clients without a certificate", async () => {
        const seen = await kafkaRefusesClientsWithoutCertificate(ctx);
        console.log(`kcat over TLS without a certificate:\n  ${seen.join("\n  ")}`);
    });

    it("lists the channel topics for an orderer's certificate, and none of the refused messages is there", async () => {
        const out = await kafkaListsChannelTopicsWithOrdererCertificate(ctx);
        console.log(`kcat -L with orderer0's certificate:\n${out}`);
        const n = await channelTopicHoldsNoProbe(ctx);
        console.log(`mychannel holds ${n} messages, none of them a probe`);
    });

    it("refuses ZooKeeper clients without a broker's certificate", async () => {
        const seen = await zookeeperRefusesClientsWithoutCertificate(ctx);
        console.log(`ZooKeeper probes:\n  ${seen.join("\n  ")}`);
    });

    it("passes the old runbook's cross-org test", async () => {
        const outputs = await stack.outputs();
        const script = (outputs.crossOrgTests!.value as Record<string, string>).mycc!;
        const out = await sh("bash", ["-c", script]);
        console.log(out);
        const values = out.split("\n").filter((l) => /^-?\d+$/.test(l.trim()));
        expect(values).toEqual(["10", "10", "-10", "40"]);
    });
});
