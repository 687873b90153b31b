/**
 * The dev topology on 13 simulated hosts under faults (scenarios/faults.ts), plus what a live network shows
 * about itself on the way: each join step waited for its peer's ledger, and the certificates' expiry dates
 * (output, and warnings in preview when the window covers them).
 */
import { EngineEvent, Stack } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULTS } from "../../config";
import { addPeer, growChannel, upWhileHostUnreachable } from "./scenarios/day2";
import { faultScenario, peerLedger } from "./scenarios/faults";
import {
    RunningNetwork,
    Timings,
    e2eConfig,
    e2eStack,
    ensureToolchain,
    hostsDown,
    hostsUp,
    runningNetwork,
} from "./support/harness";

const timings = new Timings();
let net: RunningNetwork;
let stack: Stack;

describe("the dev topology under faults, with continuous traffic from the Fabric Gateway client", () => {
    beforeAll(async () => {
        timings.toolchain(await ensureToolchain());
        const sim = await hostsUp(13);
        const config = e2eConfig(sim);
        stack = await e2eStack("e2e-faults", config);
        net = runningNetwork(sim, stack, config);
    });

    afterAll(async () => {
        console.log(`e2e faults summary: ${timings.line()}`);
        await hostsDown();
    });

    it("comes up; every join step returned only once its peer's ledger had caught up", async () => {
        const up = await timings.time("cold up", () => stack.up({ onOutput: (s) => process.stdout.write(s) }));
        expect(up.summary.result).toBe("succeeded");
        const state = (await stack.exportStack()).deployment as {
            resources: Array<{ type: string; urn: string; outputs?: { stdout?: string } }>;
        };
        const joins = state.resources.filter((r) => r.type === "command:remote:Command" && /-join-/.test(r.urn));
        expect(joins).toHaveLength(3);
        for (const j of joins) {
            console.log(j.outputs?.stdout);
            expect(j.outputs?.stdout).toMatch(
                /on channel mychannel: ledger caught up \(height \d+, channel height \d+/,
            );
        }
    });

    it("outputs every certificate's expiry date, and nothing of a key", async () => {
        const outputs = await stack.outputs();
        const certs = outputs.certificateExpiry!.value as Record<string, { subject: string; notAfter: string }>;
        const entries = Object.entries(certs);
        console.log(`${entries.length} certificates; first: ${JSON.stringify(entries[0])}`);
        expect(entries.length).toBeGreaterThan(20);
        expect(outputs.certificateExpiry!.secret).toBe(false);
        // cryptogen signs for 10 years.
        for (const [, c] of entries) expect(Date.parse(c.notAfter) - Date.now()).toBeGreaterThan(9 * 365 * 86_400_000);
        expect(entries.map(([, c]) => c.subject).join("\n")).toMatch(/CN=peer0\.org1\.example\.com/);
        expect(JSON.stringify(certs)).not.toMatch(/PRIVATE|BEGIN/);
    });

    it("keeps every committed transaction through a broker, a ZooKeeper node and an orderer going away", async () => {
        const r = await timings.time("faults", () => faultScenario(net));
        console.log(
            `faults: ${r.sent} sent, ${r.committed} acknowledged as committed, ledger height ${r.height}; figures ${JSON.stringify(r.figures)}`,
        );
        expect(r.figures.map((f) => f.fault.split(" ")[0])).toEqual(["broker", "zookeeper", "orderer", "restore"]);
        for (const f of r.figures) {
            expect(f.sent).toBeGreaterThan(0);
            expect(f.committed).toBeGreaterThan(0);
        }
        expect(r.missing).toEqual({
            "peer0.org1.example.com": [],
            "foo27.org5.example.com": [],
            "bar.org5.example.com": [],
        });
    });

    it("adds a peer to Org1 on a channel of at least 200 blocks in one up, its join waiting for the ledger", async () => {
        const height = await timings.time("grow channel", () => growChannel(net, 200));
        expect(height).toBeGreaterThanOrEqual(200);
        const { up, joinOutput } = await timings.time("add peer up", () =>
            addPeer(net, { org: "Org1", name: "peer1", host: "peer0-org1", port: 8051, operationsPort: 9444 }),
        );
        console.log(`join of peer1.org1: ${joinOutput}`);
        expect(up.summary.result).toBe("succeeded");
        const caught = /ledger caught up \(height (\d+), channel height (\d+)/.exec(joinOutput);
        expect(Number(caught?.[2])).toBeGreaterThanOrEqual(height);
        // The verification query runs on each org's last peer: the new one for Org1.
        const verification = (await stack.outputs()).verification!.value as Record<string, Record<string, string>>;
        expect(verification.mycc).toEqual({ Org1MSP: "10", Org5MSP: "10" });
        const p1 = { ...net.spec.organizations[0]!.peers[0]!, name: "peer1", fqdn: "peer1.org1.example.com" };
        const p0 = net.spec.organizations[0]!.peers[0]!;
        expect((await peerLedger(net, p1, "mychannel")).height).toBe((await peerLedger(net, p0, "mychannel")).height);
    });

    it("refuses an up while kafka4 is unreachable, naming the host and its steps; converges once it is back", async () => {
        const { error, again } = await timings.time("unreachable host", () => upWhileHostUnreachable(net, "kafka4"));
        const kafka4 = net.host("kafka4");
        console.log(
            error
                .split("\n")
                .filter((l) => /cannot reach|host kafka4|its steps|bring the host/.test(l))
                .join("\n"),
        );
        expect(error).toContain("cannot reach 1 of the network's hosts over SSH, so nothing was changed on any host:");
        expect(error).toContain(`host kafka4 (hosts[6], root@${kafka4.address}:22):`);
        expect(error).toContain("its steps: kafka:kafka4");
        console.log(`up after kafka4 is back: ${JSON.stringify(again.summary.resourceChanges)}`);
        expect(again.summary.result).toBe("succeeded");
        expect(again.summary.resourceChanges).toEqual({ same: again.summary.resourceChanges?.same });
    });

    it("warns in preview about certificates within network.certificateExpiryWarningDays", async () => {
        const ns = DEFAULTS.namespace;
        const network = net.config.plain.network as Record<string, unknown>;
        await stack.setConfig(`${ns}:network`, {
            value: JSON.stringify({ ...network, certificateExpiryWarningDays: 4000 }),
        });
        const warnings: string[] = [];
        try {
            await timings.time("preview", () =>
                stack.preview({
                    onEvent: (e: EngineEvent) => {
                        const d = e.diagnosticEvent;
                        if (d?.severity === "warning") warnings.push(d.message);
                    },
                }),
            );
        } finally {
            await stack.setConfig(`${ns}:network`, { value: JSON.stringify(network) });
        }
        const expiring = warnings.filter((w) => /^certificate .* expires on /.test(w.trim()));
        console.log(`${expiring.length} expiry warnings; first: ${expiring[0]}`);
        expect(expiring.length).toBeGreaterThan(20);
        expect(expiring[0]).toMatch(/within 4000 days \(network\.certificateExpiryWarningDays\)/);
    });
});
