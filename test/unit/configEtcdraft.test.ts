/** Validation of `ordering.type: etcdraft`: defaults, and every rule with its pinned message. */
import { describe, expect, it } from "vitest";
import { MIB, validateConfig } from "../../config";
import { SECRET, clone, issuesOf, raftRaw, raftSpec, withTestCredentials } from "../support/stacks";

type Raw = Record<string, any>;
const NS = "fabric-kafka:";
const base = (): Raw => clone(withTestCredentials(raftRaw("dev")));

describe("an etcdraft network", () => {
    it("validates the dev topology without ZooKeeper and Kafka, with Fabric's Raft defaults", () => {
        const spec = raftSpec("dev");
        expect(spec.hosts.map((h) => h.name)).toEqual([
            "orderer0",
            "orderer1",
            "orderer2",
            "peer0-org1",
            "foo27-org5",
            "bar-org5",
        ]);
        expect(spec.ordering).toEqual({
            type: "etcdraft",
            options: {
                tickInterval: "500ms",
                electionTick: 10,
                heartbeatTick: 1,
                maxInflightBlocks: 5,
                snapshotIntervalSize: 16 * MIB,
            },
            migration: null,
        });
        expect(spec.warnings).toEqual([]);
    });

    it("takes the options given, sizes in Fabric's units", () => {
        const raw = base();
        raw.ordering.etcdraft = { tickInterval: "1s", electionTick: 20, snapshotIntervalSize: "32 MB" };
        const o = validateConfig(raw, SECRET).ordering;
        expect(o.type === "etcdraft" && o.options).toEqual({
            tickInterval: "1s",
            electionTick: 20,
            heartbeatTick: 1,
            maxInflightBlocks: 5,
            snapshotIntervalSize: 32 * MIB,
        });
    });

    it("warns on a single consenter and on an even count, without failing", () => {
        const one = base();
        one.ordering.orderers = one.ordering.orderers.slice(0, 1);
        expect(validateConfig(one, SECRET).warnings).toContain(
            "ordering.orderers has 1 orderer: a single Raft consenter tolerates no failure (3 or more recommended)",
        );
        const four = base();
        four.hosts.push({ ...four.hosts[0], name: "orderer3", address: "192.0.2.99" });
        four.credentials.orderer3 = { privateKey: "k" };
        four.ordering.orderers.push({ name: "orderer3", host: "orderer3" });
        expect(validateConfig(four, SECRET).warnings).toContain(
            "ordering.orderers has 4 orderers: an even number of Raft consenters tolerates 1 failure, no more than 3 would",
        );
    });
});

const BAD: Array<{ name: string; mutate: (r: Raw) => void; path: string; message: string }> = [
    {
        name: "TLS off",
        mutate: (r) => (r.network.tls = false),
        path: `${NS}network.tls`,
        message:
            'is false, but ordering.type "etcdraft" needs TLS: Raft orderers authenticate each other by their TLS certificates; allowed: true (the default)',
    },
    {
        name: "two consenters",
        mutate: (r) => r.ordering.orderers.pop(),
        path: `${NS}ordering.orderers`,
        message:
            'has 2 orderers; with "etcdraft" both must be up to order anything, so no failure is tolerated; allowed: 1 (no fault tolerance, for development) or 3 or more (3 tolerates one failure)',
    },
    {
        name: "zero tick interval",
        mutate: (r) => (r.ordering.etcdraft = { tickInterval: "0ms" }),
        path: `${NS}ordering.etcdraft.tickInterval`,
        message: 'found "0ms"; allowed: a positive duration such as "500ms" or "1s"',
    },
    {
        name: "tick interval without a unit",
        mutate: (r) => (r.ordering.etcdraft = { tickInterval: "500" }),
        path: `${NS}ordering.etcdraft.tickInterval`,
        message: 'found "500"; allowed: a positive duration such as "500ms" or "1s"',
    },
    {
        name: "election tick not above the heartbeat tick",
        mutate: (r) => (r.ordering.etcdraft = { electionTick: 2, heartbeatTick: 2 }),
        path: `${NS}ordering.etcdraft.electionTick`,
        message:
            "(2) must be greater than heartbeatTick (2), or followers start elections between two heartbeats; allowed: 3 or more (default 10)",
    },
    {
        name: "zero heartbeat tick",
        mutate: (r) => (r.ordering.etcdraft = { heartbeatTick: 0 }),
        path: `${NS}ordering.etcdraft.heartbeatTick`,
        message: "found 0; allowed: an integer of at least 1",
    },
    {
        name: "zero in-flight blocks",
        mutate: (r) => (r.ordering.etcdraft = { maxInflightBlocks: 0 }),
        path: `${NS}ordering.etcdraft.maxInflightBlocks`,
        message: "found 0; allowed: an integer of at least 1",
    },
    {
        name: "unreadable snapshot interval",
        mutate: (r) => (r.ordering.etcdraft = { snapshotIntervalSize: "lots" }),
        path: `${NS}ordering.etcdraft.snapshotIntervalSize`,
        message: 'found "lots"; allowed: a size such as "10 MB", "512 KB" or a number of bytes',
    },
    {
        name: "snapshot interval beyond 32 bits",
        mutate: (r) => (r.ordering.etcdraft = { snapshotIntervalSize: "4 GB" }),
        path: `${NS}ordering.etcdraft.snapshotIntervalSize`,
        message: "(4294967296 bytes) is too large; allowed: up to 4294967295 bytes (just under 4 GB)",
    },
    {
        name: "misspelt Raft option",
        mutate: (r) => (r.ordering.etcdraft = { electionTicks: 10 }),
        path: `${NS}ordering.etcdraft`,
        message:
            'unknown key "electionTicks"; allowed: tickInterval, electionTick, heartbeatTick, maxInflightBlocks, snapshotIntervalSize',
    },
    {
        name: "a Kafka section without its ZooKeeper section under etcdraft",
        mutate: (r) => (r.ordering.kafka = { brokers: [] }),
        path: `${NS}ordering.zookeeper`,
        message:
            'is missing: a Kafka network migrating to "etcdraft" keeps both its ordering.zookeeper and ordering.kafka sections (the backend being left); allowed: both, or neither for a new Raft network',
    },
    {
        name: "a migration section without a Kafka network",
        mutate: (r) => (r.ordering.migration = { abort: true }),
        path: `${NS}ordering.migration`,
        message:
            'is set, but there is no Kafka network to migrate: keep the ordering.zookeeper and ordering.kafka sections of the Kafka network while it migrates to "etcdraft"; allowed: no migration section on a new Raft network',
    },
    {
        name: "a misspelt migration setting",
        mutate: (r) => (r.ordering.migration = { rollback: true }),
        path: `${NS}ordering.migration`,
        message: 'unknown key "rollback"; allowed: abort, removeBackendVolumes',
    },
];

describe("bad etcdraft configuration", () => {
    it.each(BAD.map((c) => [c.name, c] as const))("%s", (_name, c) => {
        const raw = base();
        c.mutate(raw);
        const issues = issuesOf(raw);
        const hit = issues.find((i) => i.path === c.path);
        expect(hit, `no issue at ${c.path}; got ${JSON.stringify(issues, null, 1)}`).toBeDefined();
        expect(hit!.message).toBe(c.message);
    });

    it("names the Kafka keys allowed under type kafka, not etcdraft's", () => {
        const raw = base();
        raw.ordering.type = "kafka";
        raw.ordering.zookeeper = [];
        raw.ordering.kafka = { brokers: [], bogus: 1 };
        const hit = issuesOf(raw).find((i) => i.path === `${NS}ordering.kafka`);
        expect(hit?.message).toMatch(/^unknown key "bogus"; allowed: brokers, replicationFactor/);
    });
});
