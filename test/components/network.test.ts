import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { CryptoMaterial } from "../../components/material";
import { buildNetwork, byType, captured, isSecretValue, recorded } from "../support/mocks";
import { TEST_KEY_MARKER, rawStackConfig, withTestCredentials } from "../support/stacks";

const home = fs.mkdtempSync(path.join(os.tmpdir(), "fk-home-"));
process.env.HOME = home;

for (const dryRun of [false, true]) {
    describe(`the dev network under mocks (${dryRun ? "preview" : "update"})`, () => {
        beforeAll(async () => {
            await buildNetwork(withTestCredentials(rawStackConfig("dev")), dryRun);
        });

        it("creates one Docker provider and one network per host, over SSH", () => {
            const providers = byType("pulumi:providers:docker");
            expect(providers).toHaveLength(13);
            const zk1 = providers.find((p) => p.name === "zookeeper1-docker")!;
            expect(zk1.inputs.host).toBe("ssh://fabric@192.0.2.11:22");
            expect(byType("docker:index/network:Network")).toHaveLength(13);
        });

        it("puts each container on its own host's provider", () => {
            const containers = byType("docker:index/container:Container");
            // 3 ZooKeeper + 4 Kafka + 3 orderers + 3 peers + 3 CLIs + 3 chaincode servers
            expect(containers).toHaveLength(19);
            const expectHost = (name: string, host: string) => {
                const c = containers.find((x) => x.inputs.name === name)!;
                expect(c.provider, name).toContain(`::${host}-docker::`);
            };
            expectHost("zookeeper2", "zookeeper2");
            expectHost("kafka4", "kafka4");
            expectHost("orderer1.example.com", "orderer1");
            expectHost("foo27.org5.example.com", "foo27-org5");
            expectHost("cli.bar.org5.example.com", "bar-org5");
            expectHost("mycc.peer0.org1.example.com", "peer0-org1");
        });

        it("gives containers the plan's environment, ports, volumes and readiness steps", () => {
            const kafka2 = byType("docker:index/container:Container").find((c) => c.inputs.name === "kafka2")!;
            // The official image's command would start a KRaft node: the broker runs the distribution's start
            // script on the server.properties delivered to its host, and restarts when that file changes.
            expect(kafka2.inputs.command).toEqual([
                "/opt/kafka/bin/kafka-server-start.sh",
                "/mnt/shared/config/server.properties",
            ]);
            // Kafka's default JVM settings and the image's class-data-sharing archive, which the official image's
            // launch script (not run here) would add.
            expect(kafka2.inputs.envs).toEqual([
                "KAFKA_HEAP_OPTS=-Xmx512M -Xms512M",
                "KAFKA_JVM_PERFORMANCE_OPTS=-server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15 -Djava.awt.headless=true -XX:SharedArchiveFile=/opt/kafka/kafka.jsa",
            ]);
            expect(kafka2.inputs.labels).toEqual([
                { label: "fabric-kafka.server-properties-sha256", value: expect.stringMatching(/^[0-9a-f]{64}$/) },
            ]);
            expect(kafka2.inputs.ports).toEqual([{ internal: 9092, external: 9092, ip: "0.0.0.0" }]);
            expect(kafka2.inputs.volumes).toEqual([
                { volumeName: "kafka2-logs", containerPath: "/var/lib/kafka/data" },
                {
                    hostPath: "/var/lib/fabric-kafka/backend/kafka2/config",
                    containerPath: "/mnt/shared/config",
                    readOnly: true,
                },
                {
                    hostPath: "/var/lib/fabric-kafka/backend/kafka2/tls",
                    containerPath: "/etc/kafka/secrets",
                    readOnly: true,
                },
            ]);
            // Readiness is a step of its own on the broker's host, not Docker's health check with the provider's wait.
            expect(kafka2.inputs.wait).toBeUndefined();
            expect(kafka2.inputs.healthcheck).toBeUndefined();
            const ready = byType("command:remote:Command").find((r) => r.name === "kafka2-ready")!;
            expect(ready.inputs.connection.value.host).toBe("192.0.2.22");
            expect(ready.inputs.create).toContain("docker logs --since");
            // A new container (new id) is checked again; in preview the id is not known yet.
            expect(ready.inputs.triggers).toHaveLength(1);
            if (!dryRun) expect(ready.inputs.triggers).toEqual(["kafka2-container-id"]);
            expect(kafka2.inputs.restart).toBe("unless-stopped");
            expect(kafka2.inputs.hosts).toContainEqual({ host: "zookeeper1", ip: "192.0.2.11" });
        });

        it("keeps every ledger volume on destroy", () => {
            const vols = captured.filter((c) => c.type === "docker:index/volume:Volume");
            // ZooKeeper data + datalog (6), Kafka logs (4), orderer ledgers (3), peer ledgers (3)
            expect(vols).toHaveLength(16);
            for (const v of vols) expect(v.opts.retainOnDelete, String(v.props.name)).toBe(true);
        });

        it("runs the steps on the right hosts", () => {
            const remote = byType("command:remote:Command");
            const on = (name: string) => {
                const conn = remote.find((r) => r.name === name)!.inputs.connection;
                // The whole connection travels as a secret: it carries the private key.
                expect(isSecretValue(conn), `${name} connection is secret`).toBe(true);
                return conn.value.host;
            };
            expect(on("mychannel-create")).toBe("203.0.113.11");
            expect(on("mychannel-join-bar-org5")).toBe("203.0.113.13");
            expect(on("mychannel-anchors-Org5MSP")).toBe("203.0.113.12");
            expect(on("mycc-approve-Org1MSP")).toBe("203.0.113.11");
            expect(on("mycc-commit")).toBe("203.0.113.11");
            expect(on("orderer2-files-copy")).toBe("198.51.100.12");
            // With TLS every backend host receives its node's key and trust stores; brokers also their configuration.
            expect(
                remote
                    .filter((r) => r.name.endsWith("-files-copy"))
                    .map((r) => r.name)
                    .sort(),
            ).toEqual([
                "bar-org5-files-copy",
                "foo27-org5-files-copy",
                "kafka1-files-copy",
                "kafka2-files-copy",
                "kafka3-files-copy",
                "kafka4-files-copy",
                "orderer0-files-copy",
                "orderer1-files-copy",
                "orderer2-files-copy",
                "peer0-org1-files-copy",
                "zookeeper1-files-copy",
                "zookeeper2-files-copy",
                "zookeeper3-files-copy",
            ]);
        });

        it("runs no membership update while network.manageChannelMembers is off (the default)", () => {
            expect(byType("command:remote:Command").filter((r) => r.name.includes("-members-"))).toEqual([]);
        });

        it("makes the channel and chaincode commands check before they act", () => {
            const create = (n: string) =>
                byType("command:remote:Command").find((r) => r.name === n)!.inputs.create as string;
            expect(create("mychannel-create")).toContain("if peer channel fetch 0");
            expect(create("mychannel-join-foo27-org5")).toContain("peer channel list");
            expect(create("mychannel-anchors-Org1MSP")).toContain("jq -e");
            expect(create("mycc-install-peer0-org1")).toContain("queryinstalled");
            expect(create("mycc-approve-Org5MSP")).toContain("queryapproved");
            expect(create("mycc-commit")).toContain("querycommitted");
        });

        it("never passes a private key in plaintext", () => {
            const dump = JSON.stringify(recorded.map((r) => ({ ...r, inputs: stripSecrets(r.inputs) })));
            expect(dump).not.toContain(TEST_KEY_MARKER);
            const provider = byType("pulumi:providers:docker").find((p) => p.name === "kafka1-docker")!;
            const opts = JSON.stringify(provider.inputs.sshOpts ?? []);
            if (!dryRun) {
                const keyFile = path.join(home, ".fabric-kafka", "keys", "fabric-kafka-test", "kafka1.key");
                expect(opts).toContain(keyFile);
                expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
                expect(fs.statSync(path.dirname(keyFile)).mode & 0o777).toBe(0o700);
            }
        });

        it("marks the crypto output secret and keeps it out of the logs", async () => {
            const cryptogen = byType("command:local:Command").find((r) => r.name === "crypto-cryptogen")!;
            expect(cryptogen.inputs.logging).toBe("stderr");
            const opts = captured.find((c) => c.name === "crypto-cryptogen")!.opts;
            expect(opts.additionalSecretOutputs).toEqual(["stdout"]);
            const crypto = captured.find((c) => c.type === "fabric:crypto:CryptoMaterial")!.resource as CryptoMaterial;
            expect(await (crypto.archive as unknown as { isSecret: Promise<boolean> }).isSecret).toBe(true);
            expect(cryptogen.inputs.environment.CRYPTO_CONFIG).toContain("EnableNodeOUs: true");
            expect(cryptogen.inputs.triggers).toBeUndefined();
        });
    });
}

/** Secret values reach mocks wrapped in a marker object; a plaintext key would appear bare. */
function stripSecrets(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(stripSecrets);
    if (v && typeof v === "object") {
        const o = v as Record<string, unknown>;
        if (isSecretValue(o)) return "[secret]";
        return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, stripSecrets(x)]));
    }
    return v;
}
