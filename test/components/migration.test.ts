/** A Kafka stack changed to etcdraft, under mocks: the migration's resources, their hosts, and what stays. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { byType, installMocks, recorded, setStackConfig, valueOf } from "../support/mocks";
import { migrationRaw, withTestCredentials } from "../support/stacks";

process.env.HOME = fs.mkdtempSync(path.join(os.tmpdir(), "fk-home-"));

for (const dryRun of [false, true]) {
    describe(`a Kafka network migrating to Raft under mocks (${dryRun ? "preview" : "update"})`, () => {
        let migration: unknown;
        beforeAll(async () => {
            installMocks(dryRun);
            setStackConfig(withTestCredentials(migrationRaw("dev")), ["credentials"]);
            const { loadConfig } = await import("../../config/load");
            const { FabricNetwork } = await import("../../components/network");
            const net = new FabricNetwork("fabric", { config: loadConfig() });
            await valueOf(net.urn);
            migration = net.migration;
            await new Promise((r) => setTimeout(r, 200));
        });

        const commands = () => byType("command:remote:Command").filter((c) => /^migrate-/.test(c.name));
        const hostOf = (name: string) =>
            (commands().find((c) => c.name === name)!.inputs.connection as { value: { host: string } }).value.host;

        it("creates one command per migration step, on the host it acts on", () => {
            expect(commands()).toHaveLength(59);
            // orderer0's host runs the channel updates (admin CLI); the others act on their own containers.
            expect(hostOf("migrate-1-maintenance-system-channel")).toBe("198.51.100.10");
            expect(hostOf("migrate-2-backup-kafka2")).toBe("192.0.2.22");
            expect(hostOf("migrate-4-leader-orderer2")).toBe("198.51.100.12");
            expect(hostOf("migrate-5-reconnect-bar-org5")).toBe("203.0.113.13");
        });

        it("runs the admin CLI beside orderer0, and no ZooKeeper or Kafka container", () => {
            const containers = byType("docker:index/container:Container");
            const admin = containers.find((c) => c.inputs.name === "admin.example.com")!;
            expect(admin.provider).toContain("::orderer0-docker::");
            expect(admin.inputs.envs).toContain("CORE_PEER_LOCALMSPID=OrdererMSP");
            expect(containers.filter((c) => /^(zookeeper|kafka)\d$/.test(c.inputs.name as string))).toEqual([]);
            const o1 = containers.find((c) => c.inputs.name === "orderer1.example.com")!;
            expect(o1.inputs.envs).toContain("ORDERER_GENERAL_CLUSTER_ROOTCAS=[/var/hyperledger/orderer/tls/ca.crt]");
        });

        it("keeps the backend's volumes registered, under the same names and parents as before", () => {
            const vols = byType("docker:index/volume:Volume").map((v) => v.name);
            for (const v of ["zookeeper1-data-volume", "zookeeper1-datalog-volume", "kafka4-logs-volume"])
                expect(vols).toContain(v);
            expect(recorded.filter((r) => r.type === "fabric:ordering:KafkaCluster").map((r) => r.name)).toEqual([
                "kafka",
            ]);
        });

        it("lists the backup files and the steps in the migration output", () => {
            const out = migration as { mode: string; backups: { host: string; file: string }[]; steps: string[] };
            expect(out.mode).toBe("migrate");
            expect(out.backups).toHaveLength(13);
            expect(out.backups).toContainEqual({
                host: "kafka1",
                volume: "kafka1-logs",
                file: "/var/lib/fabric-kafka/backups/kafka-to-raft/kafka1-logs.tar.gz",
            });
            expect(out.steps[0]).toBe("migrate-1-maintenance-system-channel");
            expect(pulumi.Output.isInstance(out)).toBe(false);
        });
    });
}
