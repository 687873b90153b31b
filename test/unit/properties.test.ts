/** Property tests: for any valid topology the plan keeps names and ports unique and the steps in order. */
import fc from "fast-check";
import * as yaml from "js-yaml";
import { describe, expect, it } from "vitest";
import { ConfigError, NetworkSpec, validateConfig } from "../../config";
import { ContainerSpec, RenderedFile, TIER, buildPlan, stepGraph, topologicalOrder } from "../../plan";
import { delivered, forbiddenKeys, generatedTree, isPrivateKey, missingFromTree } from "../support/crypto";
import { SECRET, testKey } from "../support/stacks";

const shape = fc.record({
    type: fc.constantFrom("kafka", "etcdraft"),
    hostCount: fc.integer({ min: 1, max: 8 }),
    zk: fc.constantFrom(1, 3, 5),
    brokers: fc.integer({ min: 3, max: 6 }),
    orderers: fc.constantFrom(1, 2, 3, 4, 5),
    orgs: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }),
    seed: fc.array(fc.nat(), { minLength: 40, maxLength: 40 }),
    lifecycle: fc.constantFrom("v2", "legacy"),
});
type Shape = typeof shape extends fc.Arbitrary<infer T> ? T : never;

/**
 * A raw config of this shape: roles spread over the hosts by `seed`, each port from `port()`, operations ports
 * from `ops()` (undefined: the default). Raft never gets 2 orderers (refused: no failure tolerated).
 */
function rawOf(
    { type, hostCount, zk, brokers, orderers: ordererCount, orgs, seed, lifecycle }: Shape,
    port: () => number,
    ops: () => number | undefined = () => undefined,
) {
    const orderers = type === "etcdraft" && ordererCount === 2 ? 3 : ordererCount;
    let n = 0;
    const pick = () => `h${(seed[n++ % seed.length]! % hostCount) + 1}`;
    const rf = Math.min(3, brokers - 1);
    return {
        hosts: Array.from({ length: hostCount }, (_, i) => ({ name: `h${i + 1}`, address: `192.0.2.${i + 1}` })),
        credentials: Object.fromEntries(
            Array.from({ length: hostCount }, (_, i) => [`h${i + 1}`, { privateKey: testKey(`h${i + 1}`) }]),
        ),
        ordering: {
            type,
            ...(type === "kafka"
                ? {
                      zookeeper: Array.from({ length: zk }, () => ({
                          host: pick(),
                          clientPort: port(),
                          quorumPort: port(),
                          electionPort: port(),
                      })),
                      kafka: {
                          brokers: Array.from({ length: brokers }, () => ({ host: pick(), port: port() })),
                          replicationFactor: rf,
                          minInsyncReplicas: Math.max(1, rf - 1),
                      },
                  }
                : {}),
            orderers: Array.from({ length: orderers }, (_, i) => ({
                name: `orderer${i}`,
                host: pick(),
                port: port(),
                operationsPort: ops(),
            })),
        },
        organizations: orgs.map((peers, i) => ({
            name: `Org${i + 1}`,
            mspId: `Org${i + 1}MSP`,
            domain: `org${i + 1}.example.com`,
            peers: Array.from({ length: peers }, (_, j) => ({
                name: `peer${j}`,
                host: pick(),
                port: port(),
                operationsPort: ops(),
            })),
        })),
        channels: [{ name: "mychannel", organizations: orgs.map((_, i) => `Org${i + 1}`) }],
        chaincodes: [
            {
                name: "mycc",
                channel: "mychannel",
                lifecycle,
                endorsementPolicy: `OR(${orgs.map((_, i) => `'Org${i + 1}MSP.member'`).join(",")})`,
                init: { function: "init", args: ["A", "10", "B", "20"] },
            },
        ],
    };
}

/** A random but valid raw config of either ordering type: roles spread over the hosts, each with its own ports. */
const topology = shape.map((sh) => {
    let port = 20000;
    return rawOf(sh, () => port++);
});

/**
 * Ports that are mostly distinct, but one in seven drawn from a small pool holding every default and the peer's
 * fixed chaincode port, so that two roles on one host, or two listeners in one container, often want the same
 * port: about half the configs collide somewhere.
 */
const POOL = [2181, 2888, 3888, 7050, 7051, 7052, 8443, 9092, 9443] as const;
const somePort = fc.oneof(
    { arbitrary: fc.integer({ min: 20000, max: 60000 }), weight: 6 },
    { arbitrary: fc.constantFrom(...POOL), weight: 1 },
);
const collidingTopology = fc
    .record({
        sh: shape,
        ports: fc.array(somePort, { minLength: 64, maxLength: 64 }),
        ops: fc.array(fc.option(somePort), { minLength: 16, maxLength: 16 }),
    })
    .map(({ sh, ports, ops }) => {
        let i = 0;
        let j = 0;
        return rawOf(
            sh,
            () => ports[i++ % ports.length]!,
            () => ops[j++ % ops.length] ?? undefined,
        );
    });

/**
 * The listeners of a container, one entry each, from the environment that configures them: `0.0.0.0:<port>`
 * addresses, ZooKeeper's client port and its own quorum/election entry, the orderer's listen port.
 */
function listeners(c: ContainerSpec, rendered: readonly RenderedFile[]): number[] {
    const out: number[] = [];
    for (const [k, v] of Object.entries(c.env)) {
        if (k === "ORDERER_GENERAL_LISTENPORT") out.push(Number(v));
        else if (k === "ZOO_SERVERS") {
            // Its own entry: quorum and election ports, and the client listener after the `;` (0.0.0.0 or loopback).
            const own = / server\.\d+=0\.0\.0\.0:(\d+):(\d+)(?:;[\d.]+:(\d+))?/.exec(` ${v}`);
            if (own) out.push(...[own[1], own[2], own[3]].filter((p) => p !== undefined).map(Number));
        } else if (k === "ZOO_CFG_EXTRA") {
            for (const m of v.matchAll(/\bsecureClientPort=(\d+)/g)) out.push(Number(m[1]));
        } else for (const m of v.matchAll(/0\.0\.0\.0:(\d+)/g)) out.push(Number(m[1]));
    }
    // A broker's listeners are in the server.properties the delivery puts beside it.
    const props = rendered.find((r) => r.to.endsWith(`/${c.name}/config/server.properties`));
    for (const m of props?.content.matchAll(/^listeners=.*?:(\d+)$/gm) ?? []) out.push(Number(m[1]));
    return out;
}

const specOf = (raw: unknown): NetworkSpec => validateConfig(raw, SECRET);

describe("plan properties", () => {
    it("the genesis profile orders with the configured type; Raft names every orderer as a consenter", () => {
        fc.assert(
            fc.property(topology, (raw) => {
                const spec = specOf(raw);
                const doc = yaml.load(buildPlan(spec).configtxYaml) as any;
                const orderer = Object.values(doc.Profiles as Record<string, any>).find((p) => p.Orderer)!.Orderer;
                expect(orderer.OrdererType).toBe(raw.ordering.type);
                if (raw.ordering.type === "etcdraft") {
                    expect(orderer.EtcdRaft.Consenters.map((c: any) => `${c.Host}:${c.Port}`)).toEqual(
                        spec.orderers.map((o) => `${o.fqdn}:${o.port}`),
                    );
                } else expect(orderer.Kafka.Brokers).toHaveLength(raw.ordering.kafka!.brokers.length);
            }),
        );
    });

    it("container names are unique per host and across the network", () => {
        fc.assert(
            fc.property(topology, (raw) => {
                const plan = buildPlan(specOf(raw));
                const all = [...plan.containers.values()].flat().concat(plan.chaincodeContainers);
                expect(new Set(all.map((c) => c.name)).size).toBe(all.length);
                expect(new Set(all.map((c) => c.resourceName)).size).toBe(all.length);
            }),
        );
    });

    it("ports: a config whose ports collide on a host or inside a container is rejected, naming the port; an accepted one has none", () => {
        let accepted = 0;
        let rejected = 0;
        fc.assert(
            fc.property(collidingTopology, (raw) => {
                let spec: NetworkSpec;
                try {
                    spec = specOf(raw);
                } catch (e) {
                    if (!(e instanceof ConfigError)) throw e;
                    rejected++;
                    // Only ports vary here, so every problem found must be a port problem.
                    for (const i of e.issues) expect(i.message, i.path).toMatch(/\bport \d+ /);
                    return;
                }
                accepted++;
                const plan = buildPlan(spec);
                for (const [host, containers] of plan.containers) {
                    const published = containers.flatMap((c) => c.ports.map((p) => p.external));
                    expect(new Set(published).size, `published ports on ${host}: ${published.join(", ")}`).toBe(
                        published.length,
                    );
                    for (const c of containers) {
                        const ls = listeners(c, plan.rendered.get(host) ?? []);
                        expect(new Set(ls).size, `listeners of ${c.name}: ${ls.join(", ")}`).toBe(ls.length);
                        for (const p of c.ports) expect(ls, `${c.name} publishes ${p.internal}`).toContain(p.internal);
                    }
                }
            }),
        );
        // The generator really produces both kinds.
        expect(rejected).toBeGreaterThan(0);
        expect(accepted).toBeGreaterThan(0);
    });

    it("least privilege: every host receives exactly the keys it may hold, and each node's host gets that node's keys", () => {
        fc.assert(
            fc.property(topology, (raw) => {
                const spec = specOf(raw);
                const plan = buildPlan(spec);
                const tree = generatedTree(spec);
                for (const h of spec.hosts) {
                    const files = plan.files.get(h.name) ?? [];
                    expect(missingFromTree(files, tree), h.name).toEqual([]);
                    const got = delivered(files, tree).map((f) => f.from);
                    expect(forbiddenKeys(spec, h.name, got), h.name).toEqual([]);
                    const nodes = [...spec.orderers, ...spec.organizations.flatMap((o) => o.peers)];
                    for (const n of nodes.filter((x) => x.host === h.name))
                        expect(
                            got.filter((f) => isPrivateKey(f) && f.includes(`/${n.fqdn}/`)),
                            n.fqdn,
                        ).toHaveLength(2);
                }
            }),
        );
    });

    it("volume names are unique per host", () => {
        fc.assert(
            fc.property(topology, (raw) => {
                for (const [, containers] of buildPlan(specOf(raw)).containers) {
                    const vols = containers.flatMap((c) => c.volumes.map((v) => v.volume));
                    expect(new Set(vols).size).toBe(vols.length);
                }
            }),
        );
    });

    it("the step graph is acyclic and ordered ZooKeeper → Kafka → orderers → peers → channel → chaincode", () => {
        fc.assert(
            fc.property(topology, (raw) => {
                const spec = specOf(raw);
                const steps = stepGraph(spec);
                const order = topologicalOrder(steps);
                expect(order).toHaveLength(steps.length);
                const byId = new Map(steps.map((s) => [s.id, s]));
                const ancestors = new Map<string, Set<string>>();
                for (const s of order) {
                    const set = new Set<string>();
                    for (const a of s.after) {
                        // No edge ever points back to a later tier.
                        expect(TIER[byId.get(a)!.kind]).toBeLessThanOrEqual(TIER[s.kind]);
                        set.add(a);
                        ancestors.get(a)!.forEach((x) => set.add(x));
                    }
                    ancestors.set(s.id, set);
                }
                const ofKind = (k: string) => steps.filter((s) => s.kind === k).map((s) => s.id);
                const requireAll = (kind: string, before: string) => {
                    for (const id of ofKind(kind))
                        for (const b of ofKind(before)) expect(ancestors.get(id)!.has(b)).toBe(true);
                };
                requireAll("kafka", "zookeeper");
                requireAll("orderer", "kafka");
                requireAll("peer", "orderer");
                requireAll("channel-create", "orderer");
                requireAll("cc-commit", "channel-create");
                requireAll("cc-init", "cc-commit");
                // Legacy: instantiate (which runs Init) after every install, every server and every anchor update.
                requireAll("cc-instantiate", "cc-install");
                requireAll("cc-instantiate", "cc-server");
                requireAll("cc-instantiate", "anchor-update");
                // Init (or instantiate) runs, and the verification after it queries, only once every member peer
                // has joined and caught up: the join step is what waits for the ledger.
                requireAll("cc-init", "channel-join");
                // Init (or instantiate) only once every member peer installed the chaincode and every server runs.
                requireAll("cc-init", "cc-install");
                requireAll("cc-init", "cc-server");
                // When `up` ends every org's anchor peers are set: init (or instantiate) waits for every update.
                requireAll("cc-init", "anchor-update");
                requireAll("cc-instantiate", "channel-join");
                // The configured lifecycle's steps, and none of the other's.
                const kinds = new Set(steps.map((s) => s.kind));
                const legacy = raw.chaincodes[0]!.lifecycle === "legacy";
                expect(kinds.has("cc-instantiate")).toBe(legacy);
                for (const k of ["cc-approve", "cc-commit", "cc-init"] as const) expect(kinds.has(k)).toBe(!legacy);
                // The configured consensus's nodes, and none of the other's: Raft orderers wait for their files only.
                const kafka = raw.ordering.type === "kafka";
                expect(kinds.has("zookeeper")).toBe(kafka);
                expect(kinds.has("kafka")).toBe(kafka);
                if (!kafka) {
                    for (const s of steps.filter((x) => x.kind === "orderer"))
                        expect(s.after).toEqual([`deliver:${s.host}`]);
                }
                // Every peer joins after the channel exists.
                for (const id of ofKind("channel-join"))
                    expect(ancestors.get(id)!.has("channel-create:mychannel")).toBe(true);
                // A peer joins once it runs (its CLI no longer waits for it).
                for (const s of steps.filter((x) => x.kind === "channel-join"))
                    expect(
                        s.after.filter((a) => byId.get(a)!.kind === "peer" && byId.get(a)!.host === s.host),
                    ).toHaveLength(1);
                // A peer installs once it runs, without waiting for the channel; an org approves only once every
                // peer of its org has joined and installed.
                for (const s of steps.filter((x) => x.kind === "cc-install")) {
                    const peer = s.id.split(":")[2]!;
                    expect(s.after).toEqual([`peer:${peer}`, `cli:${peer}`]);
                }
                for (const s of steps.filter((x) => x.kind === "cc-approve")) {
                    const org = spec.organizations.find((o) => o.name === s.id.split(":")[2])!;
                    for (const p of org.peers) {
                        expect(ancestors.get(s.id)!.has(`channel-join:mychannel:${p.fqdn}`)).toBe(true);
                        expect(ancestors.get(s.id)!.has(`cc-install:mycc:${p.fqdn}`)).toBe(true);
                    }
                }
            }),
        );
    });
});
