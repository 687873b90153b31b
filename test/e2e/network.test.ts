/**
 * The old runbook's 13-host network on simulated hosts, with the real Pulumi CLI and engine, through one life:
 * one cold `up` shared by every phase (a cold up is the expensive part of CI).
 *
 * 1. Checked from the outside: every step of the plan started after the steps it waits for (engine events),
 *    ZooKeeper quorum, brokers registered, orderers ready on their channel topics, every peer joined, the
 *    cross-org query/invoke/query flow, a no-op second `up`, a targeted preview, restarts after which every
 *    peer still answers with the ledger's state.
 *    The ordering backend (scenarios/backend-security.ts), probed from a 14th host that runs nothing and holds
 *    no credentials: Kafka refuses plaintext clients and clients without a certificate, an orderer's
 *    certificate lists the channel topics, ZooKeeper refuses clients without a broker's certificate.
 * 2. Day 2 and faults (scenarios/faults.ts, day2.ts): joins that waited for the ledger, certificate expiry,
 *    continuous gateway traffic while a broker's, a ZooKeeper node's and an orderer's hosts go away, a peer
 *    added to a channel of 200 blocks, an up refused while a host is unreachable, expiry warnings.
 * 3. Kafka → Raft (scenarios/migration.ts): traffic recorded, the migration previewed, interrupted, aborted
 *    back to Kafka, migrated again with an interrupted and resumed `up`, checked, and a no-op `up`.
 * 4. A `destroy` that leaves no container and keeps every stateful volume.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { EngineEvent, Stack } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULTS, NetworkSpec, validateConfig } from "../../config";
import { buildPlan, ordererContainer } from "../../plan";
import {
    BackendSecurityContext,
    channelTopicHoldsNoProbe,
    kafkaListsChannelTopicsWithOrdererCertificate,
    kafkaRefusesClientsWithoutCertificate,
    kafkaRefusesPlaintextClients,
    zookeeperRefusesClientsWithoutCertificate,
} from "./scenarios/backend-security";
import { UP_PARALLEL, eventRecorder, saveGraph, writeTimeline } from "../../scripts/lib/record";
import { addPeer, growChannel, moveBroker, upWhileHostUnreachable } from "./scenarios/day2";
import { EventLog, checkProtectedVolumesKept, checkStepOrder } from "./scenarios/evidence";
import { faultScenario, peerLedger } from "./scenarios/faults";
import { zookeeperPlaintextPort } from "../../plan/ordering/kafka";
import { CONTAINER, WORKDIR } from "../../plan/layout";
import { SECRET, kafkaOf } from "../support/stacks";
import {
    MigrationContext,
    abortMigration,
    checkMigrated,
    interruptedMigration,
    noopAfterMigration,
    previewMigration,
    recordTraffic,
    resumedMigration,
} from "./scenarios/migration";
import {
    RunningNetwork,
    SimHost,
    Timings,
    SimHosts,
    e2eConfig,
    e2eStack,
    ensureToolchain,
    hostsDown,
    hostsUp,
    dockerLogs,
    onHost,
    checkOnHost,
    storedState,
    registeredBrokers,
    runningNetwork,
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
let net: RunningNetwork;
let migration: MigrationContext | undefined;
/** What the cold `up` printed (the engine's output), kept for the check that no private key is in it. */
let upOutput = "";
/** The backend probes' context: the network, and the 14th host, which is not part of it. */
const bctx = (): BackendSecurityContext => {
    const outsider = sim.hosts[net.spec.hosts.length]!;
    expect(net.spec.hosts.some((h) => h.address === outsider.address)).toBe(false);
    return { net, outsider };
};
/** The migration phases' context: one object, since they record what they saw in it for the later phases. */
const mctx = (): MigrationContext =>
    (migration ??= { stack, sim, config: net.config, host: (name) => host(name), timings });
/** Dev host name → simulated host (the network's config as it is now: a moved broker's new host included). */
const host = (name: string): SimHost => net.host(name);
const dockerOn = (h: string, ...args: string[]) => onHost(host(h), ["docker", ...args]);
const inCli = (h: string, peer: string, script: string) => dockerOn(h, "exec", `cli.${peer}`, "sh", "-c", script);

describe("the dev topology on 13 simulated hosts, from cold up through faults and the Raft migration to destroy", () => {
    beforeAll(async () => {
        const tc = await ensureToolchain();
        timings.toolchain(tc);
        // The topology takes the first 13 hosts; the 14th runs nothing and holds no credentials: the outsider
        // that probes the ordering backend.
        sim = await hostsUp(14);
        const config = e2eConfig(sim);
        spec = validateConfig({ ...config.plain, credentials: config.credentials }, SECRET);
        stack = await e2eStack("e2e", config);
        net = runningNetwork(sim, stack, config);
    });

    afterAll(async () => {
        console.log(`e2e summary: ${timings.line()}`);
        await hostsDown();
    });

    it("comes up cold, each step only after the steps it waits for are done (engine events)", async () => {
        const log = new EventLog();
        // Recorded as `npm run timeline` records a deploy: every e2e run prints the cold up's critical path.
        const rec = eventRecorder("e2e", "up");
        upOutput = "";
        const up = await timings.time("cold up", () =>
            stack.up({
                // What the README tells dev-stack operators to run (and what deploy.js passes): the CLI's default
                // of 4 operations per CPU core queues a many-host network's per-host work behind image pulls.
                parallel: UP_PARALLEL,
                onOutput: (x) => {
                    upOutput += x;
                    process.stdout.write(x);
                },
                onEvent: (e) => {
                    log.onEvent(e);
                    rec.onEvent(e);
                },
            }),
        );
        expect(up.summary.result).toBe("succeeded");
        // Every edge of the step graph, on the events of this very update: ZooKeeper → Kafka → orderers (each
        // after its host's files) → peers → CLIs → channel → chaincode. A node is done when its readiness step
        // (plan/readiness) has passed, so "done" here means ready.
        const { edges, ready } = checkStepOrder(spec, log);
        console.log(`step order: ${edges} edges checked on ${log.events.length} engine events`);
        expect(edges).toBeGreaterThan(50);
        for (const [tier, seconds] of Object.entries(ready)) timings.set(`${tier} ready`, seconds);
        await saveGraph(stack, rec.file);
        const { report, svg } = writeTimeline(rec.file, "cold up of the dev topology on 13 simulated hosts");
        console.log(`${report}\npicture: ${svg}`);
    });

    it("keeps every private key out of the state, the engine's output and every container's log", async () => {
        // An orderer's Kafka client key: Fabric's orderer loads it as content, and its start-up dump of its
        // settings (held back by plan/orderer.ts's logging spec) would print it whole.
        const o = spec.orderers[0]!;
        const keyFile = `${spec.hosts.find((h) => h.name === o.host)!.workdir}/${WORKDIR.orderer(o)}/tls/server.key`;
        const key = await onHost(host(o.host), ["cat", keyFile]);
        const body = key.split("\n").find((l) => /^[A-Za-z0-9+/=]{40,}$/.test(l));
        expect(body, keyFile).toBeDefined();
        const leaks = (where: string, text: string) =>
            text.includes("PRIVATE KEY") || text.includes(body!) ? [where] : [];
        const found = [...leaks("state", storedState(stack.name)), ...leaks("cold up output", upOutput)];
        let containers = 0;
        for (const h of net.spec.hosts) {
            const names = (await onHost(host(h.name), ["docker", "ps", "-a", "--format", "{{.Names}}"]))
                .split("\n")
                .filter(Boolean);
            for (const c of names) {
                containers++;
                found.push(...leaks(`${h.name}/${c}`, await dockerLogs(host(h.name), c)));
            }
        }
        console.log(`private keys: none in the state, the up's output or ${containers} containers' logs`);
        // Every container the plan runs was read.
        const plan = buildPlan(spec);
        expect(containers).toBeGreaterThanOrEqual(
            [...plan.containers.values()].flat().length + plan.chaincodeContainers.length,
        );
        expect(found).toEqual([]);
    });

    it("has one ZooKeeper leader, two followers and 4 registered brokers", async () => {
        const modes: Array<string | undefined> = [];
        const zk = kafkaOf(spec).zookeepers;
        for (const z of zk) modes.push(await zookeeperMode(host(z.host), z.name, zookeeperPlaintextPort(spec, z)));
        expect([...modes].sort()).toEqual(["follower", "follower", "leader"]);
        expect(await registeredBrokers(host(zk[0]!.host), zk[0]!.name, zookeeperPlaintextPort(spec, zk[0]!))).toEqual([
            "1",
            "2",
            "3",
            "4",
        ]);
    });

    it("runs every broker with the image's class-data-sharing archive mapped", async () => {
        // The archive halves a broker's start-up CPU; a JVM that cannot use it starts silently without it, so only
        // the running process shows whether it took effect. The broker is the container's process 1 (exec chain).
        for (const b of kafkaOf(spec).kafka.brokers) {
            const maps = await onHost(host(b.host), ["docker", "exec", b.name, "cat", "/proc/1/maps"]);
            expect(maps, `${b.name} maps no ${CONTAINER.kafka.classArchive}`).toContain(CONTAINER.kafka.classArchive);
        }
    });

    it("has ready orderers consuming their channel topics", async () => {
        for (const i of [0, 1, 2]) {
            const name = `orderer${i}.example.com`;
            // The program's own readiness check (plan/readiness), asked again from the orderer's host.
            const check = ordererContainer(spec, spec.orderers[i]!).readiness!.check;
            expect(await checkOnHost(host(`orderer${i}`), check), name).toEqual({ ready: true, answer: "healthz 200" });
            const logs = await dockerLogs(host(`orderer${i}`), name);
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
        // The verification query ran at the end of the up, before anything changed A.
        expect(verification.mycc).toEqual({ Org1MSP: "10", Org5MSP: "10" });
        const script = (outputs.crossOrgTests!.value as Record<string, string>).mycc!;
        const out = await sh("bash", ["-c", script]);
        console.log(out);
        const values = out.split("\n").filter((l) => /^-?\d+$/.test(l.trim()));
        // query A (Org1), query A (Org5), then after invoke A B 20 from bar.org5: A and B from peer0.org1.
        expect(values).toEqual(["10", "10", "-10", "40"]);
        expect(out).toMatch(/invoke A B 20 on bar\.org5\.example\.com/);
    });

    // ---- The ordering backend, probed from the 14th host (scenarios/backend-security.ts).
    it("refuses plaintext Kafka clients", async () => {
        const seen = await kafkaRefusesPlaintextClients(bctx());
        console.log(`plaintext kcat:\n  ${seen.join("\n  ")}`);
    });

    it("refuses Kafka clients without a certificate", async () => {
        const seen = await kafkaRefusesClientsWithoutCertificate(bctx());
        console.log(`kcat over TLS without a certificate:\n  ${seen.join("\n  ")}`);
    });

    it("lists the channel topics for an orderer's certificate, and none of the refused messages is there", async () => {
        const out = await kafkaListsChannelTopicsWithOrdererCertificate(bctx());
        console.log(`kcat -L with orderer0's certificate:\n${out}`);
        const n = await channelTopicHoldsNoProbe(bctx());
        console.log(`mychannel holds ${n} messages, none of them a probe`);
    });

    it("refuses ZooKeeper clients without a broker's certificate", async () => {
        const seen = await zookeeperRefusesClientsWithoutCertificate(bctx());
        console.log(`ZooKeeper probes:\n  ${seen.join("\n  ")}`);
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

    // ---- Day 2 and faults on the same network (scenarios/day2.ts, scenarios/faults.ts).
    it("returned from every join step only once its peer's ledger had caught up", async () => {
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
        // A after the cross-org test's invoke A B 20 (the fault traffic writes keys of its own).
        expect(verification.mycc).toEqual({ Org1MSP: "-10", Org5MSP: "-10" });
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
        // With TLS (the dev stack's setting) the broker's host also receives its key and trust stores.
        expect(error).toContain("its steps: deliver:kafka4, kafka:kafka4");
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

    it("moves kafka4 to a spare host in one up under traffic, carrying its data and keeping every commit", async () => {
        // The 14th host: the outsider of the backend probes, now taken into the topology as "spare".
        const spare = sim.hosts[13]!;
        expect(net.spec.hosts.some((h) => h.address === spare.address)).toBe(false);
        const r = await timings.time("move kafka4", () => moveBroker(net, "kafka4", { name: "spare", sim: spare }));
        console.log(
            `move of kafka4: up ${r.upSeconds.toFixed(0)} s, partitions in sync ${r.inSyncSeconds.toFixed(0)} s after it ` +
                `(${JSON.stringify(r.partitions)}), figures ${JSON.stringify(r.figures)}, ledgers at ${r.height}`,
        );
        expect(r.up.summary.result).toBe("succeeded");
        // Its data was carried (broker stopped on the old host first), not re-replicated into an empty volume.
        expect(r.up.stdout).toContain("kafka4: stopping it on kafka4 (up to 120 s), then carrying its data to spare");
        expect(r.up.stdout).toContain(
            "kafka4: data carried from kafka4 to spare (kafka4-logs); the old volume stays on kafka4",
        );
        // Removing movedFrom afterwards forgets the carry step and touches nothing else.
        expect(r.settle.summary.resourceChanges).toEqual({ delete: 1, same: expect.any(Number) });
        // The broker itself is replaced on its new host; the containers that resolve its name are replaced with
        // the new address (the other brokers and the orderers); peers, CLIs and ZooKeeper are not touched.
        expect(r.planned.replace).toContain("kafka4-container");
        expect((r.planned.replace ?? []).filter((n) => !/^(kafka\d|orderer\d)-container$/.test(n))).toEqual([]);
        expect(r.registered).toEqual(["1", "2", "3", "4"]);
        expect(await onHost(spare, ["docker", "ps", "--format", "{{.Names}}"])).toMatch(/^kafka4$/m);
        expect((await dockerOn("kafka4", "ps", "-aq")).trim()).toBe("");
        // Its old log volume stays on the old host (protected volumes are never deleted by the program).
        expect(await dockerOn("kafka4", "volume", "ls", "-q")).toMatch(/^kafka4-logs$/m);
        // Its configuration and TLS stores left the old host with it (the hosts share this machine's filesystem).
        expect(fs.existsSync(path.join(net.workdir("kafka4"), "backend"))).toBe(false);
        expect(fs.readdirSync(path.join(net.workdir("spare"), "backend"))).toContain("kafka4");
        expect(r.figures[0]!.committed).toBeGreaterThan(0);
        expect(r.missing).toEqual({
            "peer0.org1.example.com": [],
            "peer1.org1.example.com": [],
            "foo27.org5.example.com": [],
            "bar.org5.example.com": [],
        });
    });

    // ---- Kafka → Raft on the same network (scenarios/migration.ts), then destroy.
    it("commits traffic on Kafka", () => recordTraffic(mctx()));
    it("previews the migration as steps per channel and host", () => previewMigration(mctx()));
    it("stops when its migration up is interrupted", () => interruptedMigration(mctx()));
    it("aborts back to a working Kafka network", () => abortMigration(mctx()));
    it("migrates, interrupted and resumed", () => resumedMigration(mctx()));
    it("runs Raft with the history intact and no Kafka left", () => checkMigrated(mctx()));
    it("changes nothing on a second up after the migration", () => noopAfterMigration(mctx()));

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
