/** The dev topology ordered by Raft, under mocks: orderers with cluster settings, and no ZooKeeper or Kafka. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { byType, installMocks, recorded, setStackConfig, valueOf } from "../support/mocks";
import { raftRaw, withTestCredentials } from "../support/stacks";

process.env.HOME = fs.mkdtempSync(path.join(os.tmpdir(), "fk-home-"));

for (const dryRun of [false, true]) {
    describe(`an etcdraft network under mocks (${dryRun ? "preview" : "update"})`, () => {
        beforeAll(async () => {
            installMocks(dryRun);
            setStackConfig(withTestCredentials(raftRaw("dev")), ["credentials"]);
            const { loadConfig } = await import("../../config/load");
            const { FabricNetwork } = await import("../../components/network");
            await valueOf(new FabricNetwork("fabric", { config: loadConfig() }).urn);
            await new Promise((r) => setTimeout(r, 200));
        });

        it("creates orderers, peers, CLIs and chaincode servers on 6 hosts, and nothing for ZooKeeper or Kafka", () => {
            expect(byType("pulumi:providers:docker")).toHaveLength(6);
            const names = byType("docker:index/container:Container").map((c) => c.inputs.name as string);
            expect(names.filter((n) => /zookeeper|kafka\d/.test(n))).toEqual([]);
            expect(names.filter((n) => n.startsWith("orderer"))).toEqual([
                "orderer0.example.com",
                "orderer1.example.com",
                "orderer2.example.com",
            ]);
            expect(names).toHaveLength(12);
            expect(recorded.filter((r) => /ZookeeperEnsemble|KafkaCluster/.test(r.type))).toEqual([]);
        });

        it("gives every orderer its cluster TLS settings and its ledger volume", () => {
            for (const o of byType("docker:index/container:Container").filter((c) =>
                (c.inputs.name as string).startsWith("orderer"),
            )) {
                expect(o.inputs.envs).toEqual(
                    expect.arrayContaining([
                        "ORDERER_GENERAL_CLUSTER_CLIENTCERTIFICATE=/var/hyperledger/orderer/tls/server.crt",
                        "ORDERER_GENERAL_CLUSTER_CLIENTPRIVATEKEY=/var/hyperledger/orderer/tls/server.key",
                        "ORDERER_GENERAL_CLUSTER_ROOTCAS=[/var/hyperledger/orderer/tls/ca.crt]",
                    ]),
                );
                expect((o.inputs.envs as string[]).some((e) => e.startsWith("ORDERER_KAFKA_"))).toBe(false);
                expect(o.inputs.volumes[0]).toEqual({
                    volumeName: `${o.inputs.name}-ledger`,
                    containerPath: "/var/hyperledger/production/orderer",
                });
            }
        });

        it("hands configtxgen a Raft configtx.yaml", () => {
            const cfg = byType("command:local:Command").find((c) => c.name === "artifacts-configtxgen")!;
            expect(cfg.inputs.environment.CONFIGTX).toContain("OrdererType: etcdraft");
            expect(cfg.inputs.create).toMatch(/-profile .?RaftOrdererGenesis.? -channelID .?system-channel/);
        });
    });
}
