/** The Kafka → Raft migration as a plan: config, phases and their order, scripts, the abort path, properties. */
import fc from "fast-check";
import * as yaml from "js-yaml";
import { beforeEach, describe, expect, it } from "vitest";
import { EtcdRaftOrderingSpec, NetworkSpec, validateConfig } from "../../config";
import {
    MigrationPlan,
    OrderingPlan,
    TIER,
    buildPlan,
    orderingPlan,
    readinessScript,
    stepGraph,
    topologicalOrder,
} from "../../plan";
import { kafkaContainer, zookeeperContainer, zookeeperPlaintextPort } from "../../plan/ordering/kafka";
import { SECRET, migrationRaw, migrationSpec, rawStackConfig, testKey, withTestCredentials } from "../support/stacks";

// Built in beforeEach, not at load time: code run while the file loads is attributed to no test, so the mutation
// run would not know these tests reach it.
let spec: NetworkSpec;
let plan: OrderingPlan;
let m: MigrationPlan;
let names: string[];
beforeEach(() => {
    spec = migrationSpec();
    plan = orderingPlan(spec);
    m = plan.migration!;
    names = m.steps.map((s) => s.resourceName);
});

/** Every step id that `id` waits for, directly or not. */
function ancestorsOf(steps: ReturnType<typeof stepGraph>) {
    const byId = new Map(steps.map((s) => [s.id, s]));
    const memo = new Map<string, Set<string>>();
    const of = (id: string): Set<string> => {
        let set = memo.get(id);
        if (set) return set;
        set = new Set<string>();
        for (const a of byId.get(id)!.after) {
            set.add(a);
            of(a).forEach((x) => set.add(x));
        }
        memo.set(id, set);
        return set;
    };
    return of;
}

describe("a Kafka stack changed to ordering.type etcdraft", () => {
    it("validates with the Kafka sections as the backend being left", () => {
        expect(spec.ordering.type).toBe("etcdraft");
        const mig = spec.ordering.type === "etcdraft" ? spec.ordering.migration : null;
        expect(mig?.from.zookeepers.map((z) => z.name)).toEqual(["zookeeper1", "zookeeper2", "zookeeper3"]);
        expect(mig?.from.kafka.brokers).toHaveLength(4);
        expect(mig?.abort).toBe(false);
        expect(mig?.removeBackendVolumes).toBe(false);
        // The ZooKeeper and Kafka hosts still have a role: they hold the backend's data.
        expect(spec.warnings).toEqual([]);
    });

    it("still validates the backend's sections, at their usual paths", () => {
        const raw = withTestCredentials(rawStackConfig("dev")) as any;
        raw.ordering.type = "etcdraft";
        raw.ordering.kafka.replicationFactor = 4;
        expect(() => validateConfig(raw, SECRET)).toThrow(
            "fabric-kafka:ordering.kafka.replicationFactor: (4) must be less than the broker count (4)",
        );
    });

    it("renders a Raft configtx.yaml (its genesis block carries the consenter metadata the switch uses)", () => {
        const doc = yaml.load(buildPlan(spec).configtxYaml) as any;
        expect(doc.Profiles.RaftOrdererGenesis.Orderer.OrdererType).toBe("etcdraft");
        expect(doc.Profiles.RaftOrdererGenesis.Orderer.EtcdRaft.Consenters).toHaveLength(3);
    });

    it("lists the steps per channel and per host, phase by phase, system channel first", () => {
        expect(names).toEqual([
            "migrate-1-maintenance-system-channel",
            "migrate-1-maintenance-mychannel",
            "migrate-2-stop-orderer0",
            "migrate-2-stop-orderer1",
            "migrate-2-stop-orderer2",
            "migrate-2-stop-kafka1",
            "migrate-2-stop-kafka2",
            "migrate-2-stop-kafka3",
            "migrate-2-stop-kafka4",
            "migrate-2-stop-zookeeper1",
            "migrate-2-stop-zookeeper2",
            "migrate-2-stop-zookeeper3",
            "migrate-2-backup-orderer0",
            "migrate-2-backup-orderer1",
            "migrate-2-backup-orderer2",
            "migrate-2-backup-kafka1",
            "migrate-2-backup-kafka2",
            "migrate-2-backup-kafka3",
            "migrate-2-backup-kafka4",
            "migrate-2-backup-zookeeper1",
            "migrate-2-backup-zookeeper2",
            "migrate-2-backup-zookeeper3",
            "migrate-2-start-zookeeper1",
            "migrate-2-start-zookeeper2",
            "migrate-2-start-zookeeper3",
            "migrate-2-start-kafka1",
            "migrate-2-start-kafka2",
            "migrate-2-start-kafka3",
            "migrate-2-start-kafka4",
            "migrate-2-start-orderer0",
            "migrate-2-start-orderer1",
            "migrate-2-start-orderer2",
            "migrate-3-switch-system-channel",
            "migrate-3-switch-mychannel",
            "migrate-4-stop-orderer0",
            "migrate-4-stop-orderer1",
            "migrate-4-stop-orderer2",
            "migrate-4-stop-kafka1",
            "migrate-4-stop-kafka2",
            "migrate-4-stop-kafka3",
            "migrate-4-stop-kafka4",
            "migrate-4-stop-zookeeper1",
            "migrate-4-stop-zookeeper2",
            "migrate-4-stop-zookeeper3",
            "migrate-4-leader-orderer0",
            "migrate-4-leader-orderer1",
            "migrate-4-leader-orderer2",
            "migrate-5-normal-system-channel",
            "migrate-5-normal-mychannel",
            "migrate-5-reconnect-peer0-org1",
            "migrate-5-reconnect-foo27-org5",
            "migrate-5-reconnect-bar-org5",
            "migrate-5-remove-kafka1",
            "migrate-5-remove-kafka2",
            "migrate-5-remove-kafka3",
            "migrate-5-remove-kafka4",
            "migrate-5-remove-zookeeper1",
            "migrate-5-remove-zookeeper2",
            "migrate-5-remove-zookeeper3",
        ]);
    });

    it("runs each step on the host of what it acts on; channel updates in the admin CLI beside orderer0", () => {
        const hostOf = (n: string) => m.steps.find((s) => s.resourceName === n)!.host;
        expect(hostOf("migrate-1-maintenance-system-channel")).toBe("orderer0");
        expect(hostOf("migrate-2-stop-kafka3")).toBe("kafka3");
        expect(hostOf("migrate-2-backup-zookeeper2")).toBe("zookeeper2");
        expect(hostOf("migrate-4-leader-orderer2")).toBe("orderer2");
        expect(hostOf("migrate-5-reconnect-bar-org5")).toBe("bar-org5");
        expect(m.admin.container).toMatchObject({ name: "admin.example.com", host: "orderer0", image: "tools" });
        for (const s of m.steps.filter((x) => /maintenance|switch|normal/.test(x.kind)))
            expect(s.script).toMatch(/^# .*\ndocker exec 'admin\.example\.com' sh -c /);
    });

    it("puts every step of a phase after the whole previous phase, and the orderers' replacement inside phase 4", () => {
        const steps = stepGraph(spec);
        topologicalOrder(steps);
        const anc = ancestorsOf(steps);
        const ids = (re: RegExp) => m.steps.filter((s) => re.test(s.resourceName)).map((s) => s.id);
        const before = (later: string[], earlier: string[]) => {
            for (const l of later) for (const e of earlier) expect(anc(l).has(e), `${l} after ${e}`).toBe(true);
        };
        const orderers = spec.orderers.map((o) => `orderer:${o.fqdn}`);
        before(ids(/^migrate-2-stop-orderer/), ids(/^migrate-1-/));
        before(ids(/^migrate-2-stop-kafka/), ids(/^migrate-2-stop-orderer/));
        before(ids(/^migrate-2-stop-zookeeper/), ids(/^migrate-2-stop-kafka/));
        before(ids(/^migrate-2-backup/), ids(/^migrate-2-stop/));
        before(ids(/^migrate-2-start-zookeeper/), ids(/^migrate-2-backup/));
        before(ids(/^migrate-2-start-kafka/), ids(/^migrate-2-start-zookeeper/));
        before(ids(/^migrate-2-start-orderer/), ids(/^migrate-2-start-kafka/));
        before(ids(/^migrate-3-/), ids(/^migrate-2-start-orderer/));
        before([ids(/^migrate-3-switch-mychannel/)[0]!], ids(/^migrate-3-switch-system-channel/));
        before(ids(/^migrate-4-stop/), ids(/^migrate-3-/));
        before(orderers, ids(/^migrate-4-stop/));
        before(ids(/^migrate-4-leader/), orderers);
        before(ids(/^migrate-5-normal/), ids(/^migrate-4-leader/));
        before([ids(/^migrate-5-normal-mychannel/)[0]!], ids(/^migrate-5-normal-system-channel/));
        before(ids(/^migrate-5-(reconnect|remove)/), ids(/^migrate-5-normal/));
    });

    it("never changes the state and the type in one update", () => {
        const script = (n: string) => m.steps.find((s) => s.resourceName === n)!.script;
        // Maintenance and normal mode set .state alone; the switch sets type and metadata and keeps maintenance.
        expect(script("migrate-1-maintenance-mychannel")).toContain(
            `.channel_group.groups.Orderer.values.ConsensusType.value.state = "STATE_MAINTENANCE"`,
        );
        expect(script("migrate-1-maintenance-mychannel")).not.toContain('type: "etcdraft"');
        expect(script("migrate-3-switch-mychannel")).toContain(
            `.channel_group.groups.Orderer.values.ConsensusType.value = {type: "etcdraft", metadata: $meta, state: "STATE_MAINTENANCE"}`,
        );
        expect(script("migrate-5-normal-mychannel")).toContain(
            `.channel_group.groups.Orderer.values.ConsensusType.value.state = "STATE_NORMAL"`,
        );
        // Each reads the channel first and acts only from the state it expects: a re-run continues, never repeats.
        for (const n of ["migrate-1-maintenance-mychannel", "migrate-3-switch-mychannel", "migrate-5-normal-mychannel"])
            expect(script(n).indexOf("ctype")).toBeLessThan(script(n).indexOf("retry update"));
    });

    it("backs up every orderer ledger and every Kafka and ZooKeeper volume on its own host, by name", () => {
        expect(m.backups.map((b) => `${b.host}:${b.volume}`)).toEqual([
            "orderer0:orderer0.example.com-ledger",
            "orderer1:orderer1.example.com-ledger",
            "orderer2:orderer2.example.com-ledger",
            "kafka1:kafka1-logs",
            "kafka2:kafka2-logs",
            "kafka3:kafka3-logs",
            "kafka4:kafka4-logs",
            "zookeeper1:zookeeper1-data",
            "zookeeper1:zookeeper1-datalog",
            "zookeeper2:zookeeper2-data",
            "zookeeper2:zookeeper2-datalog",
            "zookeeper3:zookeeper3-data",
            "zookeeper3:zookeeper3-datalog",
        ]);
        expect(m.backups[0]!.file).toBe(
            "/var/lib/fabric-kafka/backups/kafka-to-raft/orderer0.example.com-ledger.tar.gz",
        );
        const backup = m.steps.find((s) => s.resourceName === "migrate-2-backup-zookeeper1")!.script;
        expect(backup).toContain("refusing to back up zookeeper1-data while it changes");
        expect(backup).toContain("'zookeeper1-datalog:/v:ro'");
    });

    it("gives the orderer admin's identity only to the admin CLI's host", () => {
        const files = buildPlan(spec).files;
        const admin = (h: string) => (files.get(h) ?? []).filter((f) => f.to.startsWith("migration/"));
        expect(admin("orderer0").map((f) => f.to)).toEqual([
            "migration/admin/msp",
            "migration/tlsca.pem",
            "migration/raft-genesis.block",
        ]);
        for (const h of ["orderer1", "orderer2", "peer0-org1", "bar-org5"]) expect(admin(h)).toEqual([]);
    });

    it("restarts the orderers as Raft consenters and keeps the backend's volumes but not its containers", () => {
        const p = buildPlan(spec);
        const all = [...p.containers.values()].flat();
        expect(all.filter((c) => c.role === "zookeeper" || c.role === "kafka")).toEqual([]);
        const o0 = all.find((c) => c.name === "orderer0.example.com")!;
        expect(o0.env.ORDERER_GENERAL_CLUSTER_CLIENTCERTIFICATE).toBe("/var/hyperledger/orderer/tls/server.crt");
        expect(Object.keys(o0.env).some((k) => k.startsWith("ORDERER_KAFKA_"))).toBe(false);
        expect(plan.nodeGroups.map((g) => [g.name, g.retired])).toEqual([
            ["zookeeper", true],
            ["kafka", true],
        ]);
        expect(stepGraph(spec).some((s) => s.kind === "zookeeper" || s.kind === "kafka")).toBe(false);
    });

    it("waits after each start for the same check as the node's own readiness step (TLS: the loopback port)", () => {
        const ord = spec.ordering as EtcdRaftOrderingSpec;
        const from = ord.migration!.from;
        expect(spec.tls).toBe(true);
        for (const z of from.zookeepers) {
            const r = zookeeperContainer(spec, from, z).readiness!;
            expect(r.check).toContain(String(zookeeperPlaintextPort(spec, z)));
            expect(r.check).not.toContain(String(z.clientPort));
            expect(m.steps.find((s) => s.resourceName === `migrate-2-start-${z.name}`)!.script).toContain(
                readinessScript(z.name, z.host, r),
            );
        }
        for (const b of from.kafka.brokers) {
            const r = kafkaContainer(spec, from, b).readiness!;
            expect(m.steps.find((s) => s.resourceName === `migrate-2-start-${b.name}`)!.script).toContain(
                readinessScript(b.name, b.host, r),
            );
        }
    });

    it("removes the backend's volumes only when asked", () => {
        const keep = m.steps.find((s) => s.resourceName === "migrate-5-remove-kafka1")!.script;
        expect(keep).toContain("volumes kept: kafka1-logs");
        expect(keep).not.toContain("docker volume rm");
        const drop = orderingPlan(migrationSpec({ removeBackendVolumes: true })).migration!.steps.find(
            (s) => s.resourceName === "migrate-5-remove-kafka1",
        )!.script;
        expect(drop).toContain("docker volume rm 'kafka1-logs'");
    });
});

describe("migration.abort", () => {
    let abortSpec: NetworkSpec;
    let ap: OrderingPlan;
    let am: MigrationPlan;
    beforeEach(() => {
        abortSpec = migrationSpec({ abort: true });
        ap = orderingPlan(abortSpec);
        am = ap.migration!;
    });

    it("returns to Kafka: the Kafka plan again, plus the steps that restore the backup", () => {
        expect(ap.configtx.OrdererType).toBe("kafka");
        expect(ap.nodeGroups.every((g) => !g.retired)).toBe(true);
        expect(am.mode).toBe("abort");
        expect(am.steps.map((s) => s.resourceName)).toEqual([
            "abort-0-check",
            "abort-2-stop-orderer0",
            "abort-2-stop-orderer1",
            "abort-2-stop-orderer2",
            "abort-2-stop-kafka1",
            "abort-2-stop-kafka2",
            "abort-2-stop-kafka3",
            "abort-2-stop-kafka4",
            "abort-2-stop-zookeeper1",
            "abort-2-stop-zookeeper2",
            "abort-2-stop-zookeeper3",
            "abort-2-restore-orderer0",
            "abort-2-restore-orderer1",
            "abort-2-restore-orderer2",
            "abort-2-restore-kafka1",
            "abort-2-restore-kafka2",
            "abort-2-restore-kafka3",
            "abort-2-restore-kafka4",
            "abort-2-restore-zookeeper1",
            "abort-2-restore-zookeeper2",
            "abort-2-restore-zookeeper3",
            "abort-2-start-zookeeper1",
            "abort-2-start-zookeeper2",
            "abort-2-start-zookeeper3",
            "abort-2-start-kafka1",
            "abort-2-start-kafka2",
            "abort-2-start-kafka3",
            "abort-2-start-kafka4",
            "abort-2-resume-orderer0",
            "abort-2-resume-orderer1",
            "abort-2-resume-orderer2",
            "abort-5-normal-system-channel",
            "abort-5-normal-mychannel",
            "abort-5-reconnect-peer0-org1",
            "abort-5-reconnect-foo27-org5",
            "abort-5-reconnect-bar-org5",
        ]);
    });

    it("refuses once the migration has left maintenance, before anything is stopped or recreated", () => {
        const check = am.steps.find((s) => s.resourceName === "abort-0-check")!;
        expect(check.script).toContain("abort is only possible while the channels are in maintenance");
        const steps = stepGraph(abortSpec);
        const anc = ancestorsOf(steps);
        for (const s of steps.filter(
            (x) => /^(zookeeper|kafka|orderer)$/.test(x.kind) || x.id.startsWith("migrate:abort-2"),
        ))
            expect(anc(s.id).has(check.id), s.id).toBe(true);
    });

    it("restores only from a backup that exists, into a stopped node", () => {
        const restore = am.steps.find((s) => s.resourceName === "abort-2-restore-kafka2")!.script;
        expect(restore).toContain(
            "no backup of kafka2-logs at /var/lib/fabric-kafka/backups/kafka-to-raft/kafka2-logs.tar.gz",
        );
        expect(restore).toContain("refusing to restore kafka2-logs under it");
        expect(restore.indexOf("find /v -mindepth 1 -delete")).toBeLessThan(restore.indexOf("tar -C /v -xzf"));
    });
});

describe("migration properties", () => {
    const topology = fc.record({
        brokers: fc.integer({ min: 3, max: 5 }),
        zk: fc.constantFrom(1, 3),
        orderers: fc.constantFrom(1, 3, 4),
        channels: fc.integer({ min: 1, max: 3 }),
        abort: fc.boolean(),
        hostCount: fc.integer({ min: 1, max: 6 }),
    });

    it("the step graph stays acyclic and tier-ordered, every phase after the previous, for any topology", () => {
        fc.assert(
            fc.property(topology, ({ brokers, zk, orderers, channels, abort, hostCount }) => {
                let port = 20000;
                const h = (i: number) => `h${(i % hostCount) + 1}`;
                const raw = {
                    hosts: Array.from({ length: hostCount }, (_, i) => ({
                        name: `h${i + 1}`,
                        address: `192.0.2.${i + 1}`,
                    })),
                    credentials: Object.fromEntries(
                        Array.from({ length: hostCount }, (_, i) => [
                            `h${i + 1}`,
                            { privateKey: testKey(`h${i + 1}`) },
                        ]),
                    ),
                    ordering: {
                        type: "etcdraft",
                        zookeeper: Array.from({ length: zk }, (_, i) => ({
                            host: h(i),
                            clientPort: port++,
                            quorumPort: port++,
                            electionPort: port++,
                        })),
                        kafka: {
                            brokers: Array.from({ length: brokers }, (_, i) => ({ host: h(i + 1), port: port++ })),
                            replicationFactor: 2,
                            minInsyncReplicas: 1,
                        },
                        orderers: Array.from({ length: orderers }, (_, i) => ({
                            name: `orderer${i}`,
                            host: h(i + 2),
                            port: port++,
                        })),
                        migration: { abort },
                    },
                    organizations: [
                        {
                            name: "Org1",
                            mspId: "Org1MSP",
                            domain: "org1.example.com",
                            peers: [{ name: "peer0", host: h(3), port: port++ }],
                        },
                    ],
                    channels: Array.from({ length: channels }, (_, i) => ({ name: `ch${i}`, organizations: ["Org1"] })),
                };
                const s = validateConfig(raw, SECRET);
                const steps = stepGraph(s);
                const order = topologicalOrder(steps);
                expect(order).toHaveLength(steps.length);
                const byId = new Map(steps.map((x) => [x.id, x]));
                for (const x of steps)
                    for (const a of x.after) expect(TIER[byId.get(a)!.kind]).toBeLessThanOrEqual(TIER[x.kind]);
                const anc = ancestorsOf(steps);
                const kinds = abort
                    ? [
                          "migrate-check",
                          "migrate-stop",
                          "migrate-restore",
                          "migrate-restart",
                          "migrate-resume",
                          "migrate-normal",
                          "migrate-reconnect",
                      ]
                    : [
                          "migrate-maintenance",
                          "migrate-stop",
                          "migrate-backup",
                          "migrate-restart",
                          "migrate-switch",
                          "migrate-halt",
                          "migrate-leader",
                          "migrate-normal",
                          "migrate-reconnect",
                      ];
                for (let i = 1; i < kinds.length; i++) {
                    for (const later of steps.filter((x) => x.kind === kinds[i]))
                        for (const earlier of steps.filter((x) => x.kind === kinds[i - 1]))
                            expect(anc(later.id).has(earlier.id), `${later.id} after ${earlier.id}`).toBe(true);
                }
                // Per channel, the system channel's update comes first.
                for (const k of ["migrate-maintenance", "migrate-switch", "migrate-normal"]) {
                    const sys = steps.find((x) => x.kind === k && x.id.endsWith("-system-channel"));
                    for (const x of steps.filter((y) => y.kind === k && y !== sys))
                        expect(anc(x.id).has(sys!.id)).toBe(true);
                }
                // Names are unique (they are Pulumi resource names), and one backup file per volume.
                const mp = orderingPlan(s).migration!;
                expect(new Set(mp.steps.map((x) => x.resourceName)).size).toBe(mp.steps.length);
                expect(new Set(mp.backups.map((b) => `${b.host}:${b.file}`)).size).toBe(mp.backups.length);
                expect(mp.backups).toHaveLength(orderers + brokers + 2 * zk);
            }),
            { numRuns: 60 },
        );
    });
});

describe("the local stack (every role on one host)", () => {
    let local: NetworkSpec;
    let lm: MigrationPlan;
    beforeEach(() => {
        local = validateConfig(withTestCredentials(migrationRaw("local")), SECRET);
        lm = orderingPlan(local).migration!;
    });

    it("runs every step on the one host, and backs up all 13 volumes there under distinct names", () => {
        expect(new Set(lm.steps.map((s) => s.host))).toEqual(new Set(["local"]));
        expect(lm.steps.filter((s) => s.kind === "migrate-backup").map((s) => s.resourceName)).toEqual([
            "migrate-2-backup-local",
        ]);
        expect(new Set(lm.backups.map((b) => b.file)).size).toBe(13);
        expect(lm.backups.every((b) => b.file.startsWith("/tmp/fabric-kafka-local/backups/kafka-to-raft/"))).toBe(true);
        topologicalOrder(stepGraph(local));
    });
});

describe("what each step says, and the admin CLI", () => {
    let abortPlan: MigrationPlan;
    beforeEach(() => {
        abortPlan = orderingPlan(migrationSpec({ abort: true })).migration!;
    });
    const described = (p: MigrationPlan, name: string) => {
        const s = p.steps.find((x) => x.resourceName === name)!;
        // The description heads the script, so the preview's diff shows it too.
        expect(s.script.split("\n")[0], name).toBe(`# ${s.description}`);
        return s.description;
    };

    it("says what each migration step does, on which node, channel or host", () => {
        const cases: [string, string][] = [
            [
                "migrate-1-maintenance-system-channel",
                "system-channel: STATE_MAINTENANCE (system channel first), checked on every orderer",
            ],
            ["migrate-1-maintenance-mychannel", "mychannel: STATE_MAINTENANCE, checked on every orderer"],
            ["migrate-2-stop-orderer0", "stop orderer orderer0.example.com"],
            ["migrate-2-stop-kafka1", "stop Kafka broker kafka1 (after a 30 s flush)"],
            ["migrate-2-stop-zookeeper1", "stop ZooKeeper zookeeper1"],
            [
                "migrate-2-backup-zookeeper1",
                "backup zookeeper1-data, zookeeper1-datalog on host zookeeper1 (/var/lib/fabric-kafka/backups/kafka-to-raft)",
            ],
            ["migrate-2-start-zookeeper1", "restart ZooKeeper zookeeper1"],
            ["migrate-2-start-kafka1", "restart Kafka broker kafka1"],
            ["migrate-2-start-orderer0", "restart orderer orderer0.example.com (Kafka, in maintenance)"],
            [
                "migrate-3-switch-mychannel",
                "mychannel: consensus type etcdraft with the consenter metadata, still in maintenance",
            ],
            ["migrate-4-stop-kafka1", "stop Kafka broker kafka1"],
            [
                "migrate-4-leader-orderer1",
                "orderer orderer1.example.com restarted with the cluster configuration: a Raft leader on system-channel, mychannel",
            ],
            [
                "migrate-5-normal-system-channel",
                "system-channel: STATE_NORMAL (system channel first), checked on every orderer",
            ],
            ["migrate-5-normal-mychannel", "mychannel: STATE_NORMAL"],
            [
                "migrate-5-reconnect-peer0-org1",
                "restart peer peer0.org1.example.com so it delivers from the Raft orderers at once",
            ],
            ["migrate-5-remove-kafka1", "remove kafka1 (volumes kept)"],
        ];
        for (const [name, description] of cases) expect(described(m, name), name).toBe(description);
        const drop = orderingPlan(migrationSpec({ removeBackendVolumes: true })).migration!;
        expect(described(drop, "migrate-5-remove-zookeeper2")).toBe("remove zookeeper2 (volumes deleted)");
    });

    it("says what each abort step does", () => {
        const cases: [string, string][] = [
            ["abort-0-check", "check that the system channel is still in maintenance (else abort is refused)"],
            ["abort-2-stop-kafka1", "stop Kafka broker kafka1 (after a 30 s flush)"],
            [
                "abort-2-restore-kafka1",
                "restore kafka1-logs on host kafka1 (/var/lib/fabric-kafka/backups/kafka-to-raft)",
            ],
            ["abort-2-start-zookeeper1", "start ZooKeeper zookeeper1"],
            ["abort-2-start-kafka1", "start Kafka broker kafka1"],
            ["abort-2-resume-orderer0", "start orderer orderer0.example.com on Kafka, in maintenance"],
            ["abort-5-normal-mychannel", "mychannel: back to STATE_NORMAL on Kafka"],
            ["abort-5-reconnect-bar-org5", "restart peer bar.org5.example.com so it delivers from the orderers again"],
        ];
        for (const [name, description] of cases) expect(described(abortPlan, name), name).toBe(description);
    });

    it("starts from the admin CLI: maintenance (or the abort's check) waits for it, and it waits for its files", () => {
        expect(m.admin.step).toEqual({
            id: "migrate:admin",
            kind: "migrate-admin",
            host: "orderer0",
            after: ["deliver:orderer0"],
        });
        const after = (p: MigrationPlan, name: string) => p.steps.find((s) => s.resourceName === name)!.after;
        expect(after(m, "migrate-1-maintenance-system-channel")).toEqual(["migrate:admin"]);
        expect(after(abortPlan, "abort-0-check")).toEqual(["migrate:admin"]);
        expect(abortPlan.backendAfter).toEqual(["migrate:abort-0-check"]);
        expect(m.backendAfter).toEqual([]);
    });

    it("ends with the peers reconnected and, when migrating, the backend removed", () => {
        const ids = (p: MigrationPlan, re: RegExp) => p.steps.filter((s) => re.test(s.resourceName)).map((s) => s.id);
        expect(m.finalSteps).toEqual([...ids(m, /^migrate-5-reconnect-/), ...ids(m, /^migrate-5-remove-/)]);
        expect(m.finalSteps).toHaveLength(3 + 4 + 3);
        expect(abortPlan.finalSteps).toEqual(ids(abortPlan, /^abort-5-reconnect-/));
        expect(abortPlan.finalSteps).toHaveLength(3);
    });

    it("runs the admin CLI from the tools image with the orderer admin's identity, its work folder bound", () => {
        expect(m.admin.container).toEqual({
            name: "admin.example.com",
            resourceName: "orderer-admin",
            role: "cli",
            host: "orderer0",
            image: "tools",
            hostname: "admin.example.com",
            env: {
                FABRIC_LOGGING_SPEC: "WARNING",
                CORE_PEER_LOCALMSPID: "OrdererMSP",
                CORE_PEER_MSPCONFIGPATH: "/work/admin/msp",
                CORE_PEER_TLS_ENABLED: "true",
                CORE_PEER_TLS_ROOTCERT_FILE: "/work/tlsca.pem",
            },
            command: ["sleep", "infinity"],
            ports: [],
            volumes: [],
            binds: [{ hostPath: "/var/lib/fabric-kafka/migration", containerPath: "/work", readOnly: false }],
            extraHosts: expect.arrayContaining([expect.objectContaining({ host: "orderer1.example.com" })]),
            aliases: ["admin.example.com"],
            restart: "unless-stopped",
            readiness: null,
        });
    });

    it("gives the admin CLI the Raft genesis block only when migrating", () => {
        expect(abortPlan.files("orderer0").map((f) => f.to)).toEqual(["migration/admin/msp", "migration/tlsca.pem"]);
        expect(m.files("orderer0").map((f) => f.to)).toEqual([
            "migration/admin/msp",
            "migration/tlsca.pem",
            "migration/raft-genesis.block",
        ]);
        expect(m.files("orderer1")).toEqual([]);
    });
});
