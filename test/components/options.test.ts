/**
 * What the README promises, checked on the resource options Pulumi would receive (captured under mocks):
 * the plan's order reaches the real resources as dependencies and each tier waits for readiness, every ledger
 * volume is kept on destroy when protectVolumes is on, the crypto material is secret and never logged, each
 * host's delivery holds only the keys it may hold, and replacements happen delete-first.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { CryptoMaterial } from "../../components/material";
import { NetworkSpec, validateConfig } from "../../config";
import { buildPlan } from "../../plan";
import { delivered, forbiddenKeys, generatedTree, manifestCopies, missingFromTree } from "../support/crypto";
import { ResourceGraph, plannedContainers, stepResources } from "../support/graph";
import { Captured, buildNetwork, captured, isSecretValue, recorded } from "../support/mocks";
import { SECRET, clone, legacyRaw, rawStackConfig, withTestCredentials } from "../support/stacks";

process.env.HOME = fs.mkdtempSync(path.join(os.tmpdir(), "fk-home-"));

type Raw = Record<string, any>;

/**
 * The dev stack with bar.org5 on CouchDB, so the CouchDB container and its volume are covered too, and with the
 * channel membership steps on, so their edges are too.
 */
function devWithCouch(): Raw {
    const raw = clone(rawStackConfig("dev")) as Raw;
    raw.organizations[1].peers[1].stateDatabase = "couchdb";
    raw.network = { ...raw.network, manageChannelMembers: true };
    return raw;
}

const CONTAINER = "docker:index/container:Container";
const VOLUME = "docker:index/volume:Volume";

/** `volumes`: the stateful volumes the topology has, counted by hand. */
const CASES: Array<{ label: string; raw: () => Raw; dryRun: boolean; volumes: number }> = [
    // ZooKeeper data + datalog (6), Kafka logs (4), orderer ledgers (3), peer ledgers (3), CouchDB (1).
    { label: "dev + CouchDB, update", raw: devWithCouch, dryRun: false, volumes: 17 },
    { label: "dev + CouchDB, preview", raw: devWithCouch, dryRun: true, volumes: 17 },
    { label: "dev on the legacy lifecycle, update", raw: () => legacyRaw(), dryRun: false, volumes: 16 },
];

for (const { label, raw, dryRun, volumes } of CASES) {
    describe(`resource options under mocks (${label})`, () => {
        let spec: NetworkSpec;
        let g: ResourceGraph;

        beforeAll(async () => {
            const withCreds = withTestCredentials(raw());
            spec = validateConfig(withCreds, SECRET);
            await buildNetwork(withCreds, dryRun);
            g = await ResourceGraph.build(captured);
        });

        it("turns every edge of the plan's step graph into a dependency of the real resources", () => {
            const steps = buildPlan(spec).steps;
            const missing: string[] = [];
            let edges = 0;
            for (const s of steps) {
                for (const a of s.after) {
                    const before = steps.find((x) => x.id === a)!;
                    for (const r of stepResources(spec, s))
                        for (const t of stepResources(spec, before)) {
                            edges++;
                            if (!g.reaches(g.get(r), g.get(t))) missing.push(`${r} does not wait for ${t}`);
                        }
                }
            }
            expect(missing).toEqual([]);
            expect(edges).toBeGreaterThan(50);
        });

        it("starts each ordering tier after the whole previous tier, and never one node of a tier after another", () => {
            const containers = (re: RegExp) => g.ofType(CONTAINER).filter((c) => re.test(c.name));
            const zk = containers(/^zookeeper\d+-container$/);
            const kafka = containers(/^kafka\d+-container$/);
            const orderers = containers(/^orderer\d+-container$/);
            expect([zk.length, kafka.length, orderers.length]).toEqual([3, 4, 3]);
            for (const k of kafka) for (const z of zk) expect(g.reaches(k, z), `${k.name} after ${z.name}`).toBe(true);
            for (const o of orderers)
                for (const k of kafka) expect(g.reaches(o, k), `${o.name} after ${k.name}`).toBe(true);
            // The ensemble starts together (a quorum needs a majority up), and so do the brokers.
            for (const tier of [zk, kafka])
                for (const x of tier)
                    for (const y of tier) expect(g.reaches(x, y), `${x.name} → ${y.name}`).toBe(false);
        });

        it("makes `up` wait for readiness of every node another resource waits for", () => {
            // A resource waits for a node's readiness step (plan/readiness), never for a container that has one:
            // besides each step's edge to its own container, only the CLI containers (no contract) are waited for.
            const own = (c: Captured) => c.name.replace(/-ready$/, "-container");
            const containersWaitedFor = new Set(
                g.all
                    .filter((c) => c.custom)
                    .flatMap((c) => [...g.deps(c)].filter((d) => d.type === CONTAINER && d.name !== own(c))),
            );
            expect([...containersWaitedFor].map((c) => c.name).filter((n) => !/-cli-container$/.test(n))).toEqual([]);
            const steps = [...new Set(g.all.filter((c) => c.custom).flatMap((c) => [...g.deps(c)]))].filter((d) =>
                /-ready$/.test(d.name),
            );
            expect(steps.map((c) => c.name)).toEqual(
                expect.arrayContaining(["zookeeper1-ready", "kafka4-ready", "orderer2-ready", "mycc-bar-org5-ready"]),
            );
            for (const s of steps) {
                expect(s.type, s.name).toMatch(/^command:(remote|local):Command$/);
                expect([...g.deps(s)].map((d) => d.name)).toContain(own(s));
                expect(String(s.props.create), s.name).toContain("ready_check");
            }
            for (const c of g.ofType(CONTAINER)) {
                expect(c.props.wait, `${c.name} wait`).toBeUndefined();
                expect(c.props.healthcheck, `${c.name} health check`).toBeUndefined();
            }
        });

        it("keeps every stateful volume on destroy (protectVolumes defaults to true), each on its container's host", () => {
            expect(spec.protectVolumes).toBe(true);
            const planned = plannedContainers(spec).flatMap((c) => c.volumes.map((v) => ({ c, v })));
            const vols = g.ofType(VOLUME);
            expect(vols.map((v) => v.props.name).sort()).toEqual(planned.map((p) => p.v.volume).sort());
            expect(planned.filter((p) => p.v.stateful)).toHaveLength(volumes);
            for (const { c, v } of planned) {
                const vol = vols.find((x) => x.props.name === v.volume)!;
                expect(vol.opts.retainOnDelete, `${v.volume} retainOnDelete`).toBe(v.stateful);
                expect(g.nameOf(vol.opts.provider!), `${v.volume} provider`).toBe(`${c.host}-docker`);
            }
        });

        it("keeps the crypto output secret in the state and out of the logs, and hands it on only as a secret", async () => {
            const cryptogen = g.get("crypto-cryptogen");
            expect(cryptogen.opts.additionalSecretOutputs).toContain("stdout");
            expect(cryptogen.props.logging).toBe("stderr");
            const crypto = g.get("crypto", "fabric:crypto:CryptoMaterial").resource as CryptoMaterial;
            expect(await (crypto.archive as unknown as { isSecret: Promise<boolean> }).isSecret).toBe(true);
            // Everything that reads the archive receives it as a secret input.
            const readers = recorded.filter(
                (r) =>
                    r.name === "artifacts-configtxgen" || r.name === "tls-ca-certs" || r.name.endsWith("-files-bundle"),
            );
            expect(readers.length).toBeGreaterThanOrEqual(3);
            for (const r of readers) expect(isSecretValue(r.inputs.stdin), `${r.name} stdin`).toBe(true);
        });

        it("keeps every step whose output holds keys secret and unlogged: bundles and copies", () => {
            const keyed = g.all.filter((c) => /-files-(bundle|copy)$/.test(c.name));
            expect(keyed).toHaveLength(2 * buildPlan(spec).files.size);
            for (const c of keyed) {
                expect(c.opts.additionalSecretOutputs, c.name).toContain("stdout");
                expect(c.props.logging, c.name).toBe("stderr");
            }
        });

        it("delivers to a host that runs only ZooKeeper or Kafka without waiting for configtxgen", () => {
            const artifacts = g.get("artifacts-configtxgen");
            const backendOnly = ["zookeeper1", "zookeeper2", "zookeeper3", "kafka1", "kafka2", "kafka3", "kafka4"];
            for (const h of backendOnly) {
                const copy = g.get(`${h}-files-copy`);
                expect(g.reaches(copy, g.get("crypto-cryptogen")), h).toBe(true);
                expect(g.reaches(copy, artifacts), h).toBe(false);
            }
            // An orderer's host still waits: its files include the genesis block.
            expect(g.reaches(g.get(`${spec.orderers[0]!.host}-files-copy`), artifacts)).toBe(true);
        });

        it("extends the crypto material in place, never replaces it", () => {
            const cryptogen = g.get("crypto-cryptogen");
            expect(cryptogen.props.triggers).toBeUndefined();
            expect(cryptogen.props.update).toBe(cryptogen.props.create);
            expect(cryptogen.props.create).toContain("cryptogen extend");
            // The command SDK replaces on a change of triggers, and there are none.
            expect(cryptogen.opts.replaceOnChanges ?? []).toEqual(["triggers[*]"]);
            expect(cryptogen.opts.deleteBeforeReplace).toBeFalsy();
        });

        it("delivers to each host exactly its planned files, and no private key it may not hold", () => {
            const plan = buildPlan(spec);
            const tree = generatedTree(spec);
            const bundles = g.all.filter((c) => c.name.endsWith("-files-bundle"));
            expect(bundles.map((b) => b.name.replace(/-files-bundle$/, "")).sort()).toEqual(
                [...plan.files.keys()].sort(),
            );
            for (const b of bundles) {
                const host = b.name.replace(/-files-bundle$/, "");
                const manifest = manifestCopies((b.props.environment as { MANIFEST: string }).MANIFEST);
                expect(missingFromTree(manifest, tree), host).toEqual([]);
                const got = delivered(manifest, tree);
                expect(
                    forbiddenKeys(
                        spec,
                        host,
                        got.map((f) => f.from),
                    ),
                    host,
                ).toEqual([]);
            }
        });

        it("puts every Docker resource on its own host's provider, never a default one", () => {
            const dockerResources = g.all.filter((c) => c.type.startsWith("docker:"));
            expect(dockerResources.length).toBeGreaterThan(0);
            for (const c of dockerResources) {
                expect(c.opts.provider, `${c.name} has an explicit provider`).toBeDefined();
                expect(g.nameOf(c.opts.provider!), c.name).toMatch(/-docker$/);
            }
            for (const c of plannedContainers(spec)) {
                const r = g.get(`${c.resourceName}-container`);
                expect(g.nameOf(r.opts.provider!), c.name).toBe(`${c.host}-docker`);
            }
        });

        it("replaces containers delete-first and deletes each CLI step with its CLI container", () => {
            for (const c of g.ofType(CONTAINER)) expect(c.opts.deleteBeforeReplace, c.name).toBe(true);
            const cliKinds = /^(channel-|anchor-|cc-(install|approve|commit|init|instantiate))/;
            const plan = buildPlan(spec);
            const cliSteps = plan.steps.filter((s) => cliKinds.test(s.kind));
            expect(cliSteps.length).toBeGreaterThan(5);
            for (const s of cliSteps) {
                const r = g.get(stepResources(spec, s)[0]!);
                expect(r.opts.deletedWith, r.name).toBeDefined();
                const cli = g.nameOf(r.opts.deletedWith!);
                expect(cli, r.name).toMatch(/-cli-container$/);
                // The CLI it execs into runs on the step's own host.
                const cliContainer = plannedContainers(spec).find((c) => `${c.resourceName}-container` === cli)!;
                expect(cliContainer.host, r.name).toBe(s.host);
            }
        });
    });
}

describe("resource options under mocks (protectVolumes false)", () => {
    it("keeps no volume on destroy", async () => {
        const raw = devWithCouch();
        raw.network.protectVolumes = false;
        await buildNetwork(withTestCredentials(raw), false);
        const vols = captured.filter((c) => c.type === VOLUME);
        expect(vols).toHaveLength(17);
        for (const v of vols) expect(v.opts.retainOnDelete, String(v.props.name)).toBe(false);
        expect(vols.every((v) => !v.opts.protect)).toBe(true);
    });
});

describe("resource options under mocks (a private registry)", () => {
    it("hands the registry password to every host's Docker provider as a secret only", async () => {
        const raw = withTestCredentials(clone(rawStackConfig("dev")));
        raw.images = { registry: "registry.example.com:5000" };
        raw.registryAuth = { username: "deployer", password: "registry-password-for-test" };
        await buildNetwork(raw, false, ["credentials", "registryAuth"]);
        const providers = recorded.filter((r) => r.type === "pulumi:providers:docker");
        expect(providers).toHaveLength(13);
        for (const p of providers) {
            // The whole list travels as a secret, since it holds one (as JSON: provider inputs are strings).
            expect(isSecretValue(p.inputs.registryAuth), p.name).toBe(true);
            const auth = JSON.parse((p.inputs.registryAuth as { value: string }).value) as unknown;
            expect(auth, p.name).toEqual([
                { address: "registry.example.com:5000", username: "deployer", password: "registry-password-for-test" },
            ]);
        }
        const plain = JSON.stringify(recorded.map((r) => stripSecrets(r.inputs)));
        expect(plain).not.toContain("registry-password-for-test");
    });
});

/** Inputs with every secret replaced by a marker: what would be readable without the stack's key. */
function stripSecrets(v: unknown): unknown {
    if (isSecretValue(v)) return "[secret]";
    if (Array.isArray(v)) return v.map(stripSecrets);
    if (v && typeof v === "object")
        return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, stripSecrets(x)]));
    return v;
}
