/**
 * Readiness under mocks: every container the plan gives a readiness contract gets a step on its own host that
 * polls it, re-run for a new container, and everything that waited for that container now waits for the step
 * (options recorded through the mocks' transformation, test/support/mocks.ts).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { NetworkSpec, validateConfig } from "../../config";
import { ContainerSpec, allPeers, buildPlan, couchdbContainer, readinessScript } from "../../plan";
import { ResourceGraph } from "../support/graph";
import { buildNetwork, byType, captured } from "../support/mocks";
import { SECRET, clone, rawStackConfig, withTestCredentials } from "../support/stacks";

process.env.HOME = fs.mkdtempSync(path.join(os.tmpdir(), "fk-home-"));

const CONTAINER = "docker:index/container:Container";

for (const dryRun of [false, true]) {
    describe(`readiness steps under mocks (${dryRun ? "preview" : "update"})`, () => {
        let spec: NetworkSpec;
        let planned: ContainerSpec[];
        let g: ResourceGraph;

        beforeAll(async () => {
            // bar.org5 on CouchDB, so the CouchDB → peer edge is covered too.
            const raw = clone(rawStackConfig("dev")) as {
                organizations: Array<{ peers: Array<Record<string, unknown>> }>;
            };
            raw.organizations[1]!.peers[1]!.stateDatabase = "couchdb";
            const withCreds = withTestCredentials(raw);
            spec = validateConfig(withCreds, SECRET);
            const plan = buildPlan(spec);
            planned = [
                ...[...plan.containers.values()].flat(),
                ...plan.chaincodeContainers,
                ...allPeers(spec)
                    .filter((p) => p.stateDatabase === "couchdb")
                    .map((p) => couchdbContainer(spec, p)),
            ];
            await buildNetwork(withCreds, dryRun);
            g = await ResourceGraph.build(captured);
        });

        /** What `name` names in its dependsOn (not its data dependencies). */
        const depsOf = (name: string): string[] => g.explicitDeps(g.get(name)).map((c) => c.name);
        const command = (name: string) =>
            [...byType("command:remote:Command"), ...byType("command:local:Command")].find((r) => r.name === name);

        it("gives every container with a readiness contract a step on its own host that polls it", () => {
            const withContract = planned.filter((c) => c.readiness);
            // 3 ZooKeeper, 4 Kafka, 3 orderers, 3 peers, 1 CouchDB, 3 chaincode servers; the CLIs have none.
            expect(withContract).toHaveLength(17);
            expect(planned.filter((c) => !c.readiness).map((c) => c.role)).toEqual(["cli", "cli", "cli"]);
            for (const c of withContract) {
                const step = command(`${c.resourceName}-ready`);
                expect(step, `${c.resourceName}-ready`).toBeDefined();
                expect(step!.inputs.create).toBe(readinessScript(c.name, c.host, c.readiness!));
                const address = spec.hosts.find((h) => h.name === c.host)!.address;
                expect(step!.inputs.connection.value.host, c.name).toBe(address);
                // A replaced container has a new id: the step runs again.
                if (!dryRun) expect(step!.inputs.triggers).toEqual([`${c.resourceName}-container-id`]);
                expect(depsOf(`${c.resourceName}-ready`)).toEqual([`${c.resourceName}-container`]);
            }
        });

        it("asks Docker for no health check and no wait, and runs nothing baked into an image", () => {
            for (const c of byType(CONTAINER)) {
                expect(c.inputs.healthcheck, c.name).toBeUndefined();
                expect(c.inputs.wait, c.name).toBeUndefined();
            }
            expect(JSON.stringify([...byType("command:remote:Command"), ...byType(CONTAINER)])).not.toContain(
                "/usr/local/bin/healthcheck",
            );
        });

        it("makes nothing but its own readiness step wait for a container that has one", () => {
            const hasStep = new Set(planned.filter((c) => c.readiness).map((c) => `${c.resourceName}-container`));
            const offenders = g.all.flatMap((s) =>
                [...g.deps(s)]
                    .map((d) => d.name)
                    .filter((d) => hasStep.has(d) && s.name !== d.replace(/-container$/, "-ready"))
                    .map((d) => `${s.name} → ${d}`),
            );
            expect(offenders).toEqual([]);
        });

        it("starts each tier after the readiness steps of the one before", () => {
            const ready = (re: RegExp) =>
                g.all
                    .map((s) => s.name)
                    .filter((n) => re.test(n))
                    .sort();
            const zk = ready(/^zookeeper\d-ready$/);
            const kafka = ready(/^kafka\d-ready$/);
            const orderers = ready(/^orderer\d-ready$/);
            expect(zk).toHaveLength(3);
            expect(kafka).toHaveLength(4);
            expect(orderers).toHaveLength(3);
            // ZooKeeper quorum → every broker; every broker → every orderer; every orderer → every peer and the channel.
            for (const k of ["kafka1", "kafka4"]) expect(depsOf(`${k}-container`)).toEqual(expect.arrayContaining(zk));
            for (const o of ["orderer0", "orderer2"])
                expect(depsOf(`${o}-container`)).toEqual(expect.arrayContaining(kafka));
            for (const p of ["peer0-org1", "foo27-org5"])
                expect(depsOf(`${p}-container`)).toEqual(expect.arrayContaining(orderers));
            expect(depsOf("mychannel-create")).toEqual(expect.arrayContaining(orderers));
            // The CouchDB peer starts once its database answers; a CLI needs only its host's files (channel
            // creation talks to the orderers), and a peer's join waits for that peer's readiness.
            expect(depsOf("bar-org5-container")).toContain("bar-org5-couchdb-ready");
            expect(depsOf("bar-org5-cli-container")).toEqual(["bar-org5-files"]);
            expect(depsOf("mychannel-join-bar-org5")).toContain("bar-org5-ready");
            // Init waits until every peer can reach its chaincode server.
            expect(depsOf("mycc-init")).toEqual(
                expect.arrayContaining(["mycc-peer0-org1-ready", "mycc-foo27-org5-ready", "mycc-bar-org5-ready"]),
            );
        });
    });
}
