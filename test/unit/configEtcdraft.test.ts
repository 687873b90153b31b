/** Validation of `ordering.type: etcdraft`: defaults, and every rule with its pinned message. */
import { describe, expect, it } from "vitest";
import { MIB, validateConfig } from "../../config";
import {
    SECRET,
    clone,
    issuesOf,
    migrationRaw,
    migrationSpec,
    raftRaw,
    raftSpec,
    testKey,
    withTestCredentials,
} from "../support/stacks";

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
        four.credentials.orderer3 = { privateKey: testKey("orderer3") };
        four.ordering.orderers.push({ name: "orderer3", host: "orderer3" });
        expect(validateConfig(four, SECRET).warnings).toContain(
            "ordering.orderers has 4 orderers: an even number of Raft consenters tolerates 1 failure, no more than 3 would",
        );
    });
});

describe("an etcdraft network migrating from Kafka", () => {
    it("keeps the Kafka sections as the backend, keeping its volumes unless told", () => {
        const mig = (m?: { abort?: boolean; removeBackendVolumes?: boolean }) => {
            const o = migrationSpec(m).ordering;
            return o.type === "etcdraft" ? o.migration : undefined;
        };
        expect(mig()).toMatchObject({ abort: false, removeBackendVolumes: false });
        expect(mig()?.from.kafka.brokers.map((b) => b.name)).toEqual(["kafka1", "kafka2", "kafka3", "kafka4"]);
        expect(mig({ removeBackendVolumes: true })).toMatchObject({ abort: false, removeBackendVolumes: true });
        expect(mig({ abort: true })).toMatchObject({ abort: true, removeBackendVolumes: false });
    });

    it("names the one backend section that is missing", () => {
        for (const missing of ["zookeeper", "kafka"]) {
            const raw = clone(withTestCredentials(migrationRaw("dev"))) as Raw;
            delete raw.ordering[missing];
            const hit = issuesOf(raw).find((i) => i.path.startsWith(`${NS}ordering.`));
            expect(hit, missing).toEqual({
                path: `${NS}ordering.${missing}`,
                message:
                    'is missing: a Kafka network migrating to "etcdraft" keeps both its ordering.zookeeper and ordering.kafka sections (the backend being left); allowed: both, or neither for a new Raft network',
            });
        }
    });
});

describe("etcdraft options at their edges", () => {
    it("warns on six orderers in the plural", () => {
        const raw = base();
        for (const n of [3, 4, 5]) {
            raw.hosts.push({ ...raw.hosts[0], name: `orderer${n}`, address: `192.0.2.${90 + n}` });
            raw.credentials[`orderer${n}`] = { privateKey: testKey(`orderer${n}`) };
            raw.ordering.orderers.push({ name: `orderer${n}`, host: `orderer${n}` });
        }
        expect(validateConfig(raw, SECRET).warnings).toEqual([
            "ordering.orderers has 6 orderers: an even number of Raft consenters tolerates 2 failures, no more than 5 would",
        ]);
    });

    it("refuses a tick of zero however many zeros, and takes a snapshot size of exactly the limit", () => {
        for (const tick of ["0ms", "00s", "000m"]) {
            const raw = base();
            raw.ordering.etcdraft = { tickInterval: tick };
            expect(issuesOf(raw), tick).toEqual([
                {
                    path: `${NS}ordering.etcdraft.tickInterval`,
                    message: `found "${tick}"; allowed: a positive duration such as "500ms" or "1s"`,
                },
            ]);
        }
        const raw = base();
        raw.ordering.etcdraft = { snapshotIntervalSize: 4 * 1024 * MIB - 1 };
        expect(issuesOf(raw)).toEqual([]);
    });
});

// The rules' pinned messages are in badConfigs.ts (the cases on the "raft" base), with every other rule's.
describe("bad etcdraft configuration", () => {
    it("names the Kafka keys allowed under type kafka, not etcdraft's", () => {
        const raw = base();
        raw.ordering.type = "kafka";
        raw.ordering.zookeeper = [];
        raw.ordering.kafka = { brokers: [], bogus: 1 };
        const hit = issuesOf(raw).find((i) => i.path === `${NS}ordering.kafka.bogus`);
        expect(hit?.message).toMatch(/^unknown key "bogus"; allowed: brokers, replicationFactor/);
    });
});
