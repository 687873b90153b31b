/**
 * The Kafka/ZooKeeper backend with network.tls: identities of its own, TLS settings on every link in the
 * official images' conventions, ports published only where another host dials them; and the same network with
 * TLS off keeps none of it.
 */
import * as yaml from "js-yaml";
import { beforeEach, describe, expect, it } from "vitest";
import { NetworkSpec } from "../../config";
import { buildPlan, ordererContainer } from "../../plan";
import {
    kafkaContainer,
    kafkaServerProperties,
    zookeeperContainer,
    zookeeperLoopbackPort,
    zookeeperPlaintextPort,
} from "../../plan/ordering/kafka";
import { kafkaOf, migrationSpec, raftSpec, stackSpec } from "../support/stacks";
import { ZOOKEEPER_TLS_SETTINGS } from "../support/zookeeperTls";

let dev: NetworkSpec;
let local: NetworkSpec;
let plain: NetworkSpec;
beforeEach(() => {
    dev = stackSpec("dev");
    local = stackSpec("local");
    plain = { ...stackSpec("dev"), tls: false };
});

const props = (text: string) =>
    Object.fromEntries(
        text
            .split("\n")
            .filter((l) => l && !l.startsWith("#"))
            .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
    );

describe("ZooKeeper with TLS", () => {
    it("takes clients only on the secure port, with a broker's certificate, and runs its quorum over TLS", () => {
        const z = kafkaOf(dev).zookeepers[0]!;
        const c = zookeeperContainer(dev, kafkaOf(dev), z);
        expect(c.image).toBe("zookeeper");
        expect(c.env.ZOO_CFG_EXTRA!.split(" ")).toEqual(ZOOKEEPER_TLS_SETTINGS);
        // The plaintext listener of its own server line is on the container's loopback only.
        expect(c.env.ZOO_SERVERS).toContain("server.1=0.0.0.0:2888:3888;127.0.0.1:2180");
        expect(c.env).toMatchObject({ ZOO_ADMINSERVER_ENABLED: "false", ZOO_4LW_COMMANDS_WHITELIST: "srvr" });
        expect(c.binds).toEqual([
            { hostPath: "/var/lib/fabric-kafka/backend/zookeeper1/tls", containerPath: "/conf/tls", readOnly: true },
        ]);
        expect(zookeeperPlaintextPort(dev, z)).toBe(2180);
        expect(zookeeperPlaintextPort(plain, z)).toBe(2181);
    });

    it("keeps the loopback port clear of the node's other ports", () => {
        const z = kafkaOf(dev).zookeepers[0]!;
        expect(zookeeperLoopbackPort({ ...z, quorumPort: 2180, electionPort: 2179 })).toBe(2178);
        expect(zookeeperLoopbackPort({ ...z, clientPort: 1025, quorumPort: 1024 })).toBe(65535);
    });
});

describe("Kafka with TLS", () => {
    it("listens on SSL only, requires a client certificate, and reaches ZooKeeper over TLS", () => {
        const k = kafkaOf(dev);
        expect(props(kafkaServerProperties(dev, k, k.kafka.brokers[0]!))).toMatchObject({
            listeners: "SSL://0.0.0.0:9092",
            "advertised.listeners": "SSL://kafka1:9092",
            "security.inter.broker.protocol": "SSL",
            "ssl.client.auth": "required",
            "ssl.keystore.type": "PEM",
            "ssl.keystore.location": "/etc/kafka/secrets/node.pem",
            "ssl.truststore.type": "PEM",
            "ssl.truststore.location": "/etc/kafka/secrets/client-ca.pem",
            "zookeeper.ssl.client.enable": "true",
            "zookeeper.clientCnxnSocket": "org.apache.zookeeper.ClientCnxnSocketNetty",
            "zookeeper.ssl.keystore.location": "/etc/kafka/secrets/node.pem",
            "zookeeper.ssl.truststore.location": "/etc/kafka/secrets/zookeeper-ca.pem",
        });
        const plainProps = props(kafkaServerProperties(plain, k, k.kafka.brokers[0]!));
        expect(plainProps.listeners).toBe("PLAINTEXT://0.0.0.0:9092");
        expect(Object.keys(plainProps).filter((key) => key.includes("ssl"))).toEqual([]);
    });

    it("runs the distribution's start script on the delivered file, and is replaced when that file changes", () => {
        const k = kafkaOf(dev);
        const c = kafkaContainer(dev, k, k.kafka.brokers[0]!);
        expect(c.command).toEqual(["/opt/kafka/bin/kafka-server-start.sh", "/mnt/shared/config/server.properties"]);
        expect(c.binds.map((b) => [b.containerPath, b.readOnly])).toEqual([
            ["/mnt/shared/config", true],
            ["/etc/kafka/secrets", true],
        ]);
        const other = kafkaContainer({ ...dev, tls: false }, k, k.kafka.brokers[0]!);
        expect(other.labels!["fabric-kafka.server-properties-sha256"]).not.toBe(
            c.labels!["fabric-kafka.server-properties-sha256"],
        );
        expect(buildPlan(dev).rendered.get("kafka1")).toEqual([
            {
                to: "backend/kafka1/config/server.properties",
                content: kafkaServerProperties(dev, k, k.kafka.brokers[0]!),
                containerReadable: true,
            },
        ]);
    });
});

describe("the orderer as a Kafka client", () => {
    it("presents its own TLS certificate and trusts the brokers' CA", () => {
        const c = ordererContainer(dev, dev.orderers[0]!);
        expect(c.env).toMatchObject({
            ORDERER_KAFKA_TLS_ENABLED: "true",
            ORDERER_KAFKA_TLS_PRIVATEKEY_FILE: "/var/hyperledger/orderer/tls/server.key",
            ORDERER_KAFKA_TLS_CERTIFICATE_FILE: "/var/hyperledger/orderer/tls/server.crt",
            ORDERER_KAFKA_TLS_ROOTCAS_FILE: "/var/hyperledger/orderer/kafka/ca.pem",
        });
        expect(c.binds).toContainEqual({
            hostPath: "/var/lib/fabric-kafka/orderers/orderer0.example.com/kafka",
            containerPath: "/var/hyperledger/orderer/kafka",
            readOnly: true,
        });
        const p = ordererContainer(plain, plain.orderers[0]!);
        expect(Object.keys(p.env).filter((key) => key.startsWith("ORDERER_KAFKA_TLS"))).toEqual([]);
    });

    it("tries a chain's start again after 1 s, not Fabric's 5 s, with and without TLS", () => {
        for (const s of [dev, plain])
            expect(ordererContainer(s, s.orderers[0]!).env.ORDERER_KAFKA_RETRY_SHORTINTERVAL).toBe("1s");
    });

    it("never logs its settings' dump, which holds its private key, whatever level the config gives that logger", () => {
        const level = (env: Record<string, string>) => env.FABRIC_LOGGING_SPEC;
        expect(level(ordererContainer(dev, dev.orderers[0]!).env)).toBe("INFO:orderer.common.server=WARNING");
        // The config's own spec comes first, so the last word on orderer.common.server is always WARNING.
        const loud = { ...dev, logging: "orderer.common.server=debug:info" };
        expect(level(ordererContainer(loud, loud.orderers[0]!).env)).toBe(
            "orderer.common.server=debug:info:orderer.common.server=WARNING",
        );
        for (const s of [plain, raftSpec(), migrationSpec()])
            expect(level(ordererContainer(s, s.orderers[0]!).env)).toMatch(/:orderer\.common\.server=WARNING$/);
    });
});

describe("the backend's identities", () => {
    it("are two CAs of their own in crypto-config, only with TLS, and are no identity of the network", () => {
        const doc = yaml.load(buildPlan(dev).cryptoConfigYaml) as {
            OrdererOrgs: Array<{ Name: string; Domain: string; EnableNodeOUs?: boolean; Specs: unknown[] }>;
        };
        expect(doc.OrdererOrgs.map((o) => [o.Domain, o.EnableNodeOUs ?? false, o.Specs])).toEqual([
            ["example.com", true, [{ Hostname: "orderer0" }, { Hostname: "orderer1" }, { Hostname: "orderer2" }]],
            [
                "zookeeper.ordering.example.com",
                false,
                [{ Hostname: "zookeeper1" }, { Hostname: "zookeeper2" }, { Hostname: "zookeeper3" }],
            ],
            [
                "kafka.ordering.example.com",
                false,
                [{ Hostname: "kafka1" }, { Hostname: "kafka2" }, { Hostname: "kafka3" }, { Hostname: "kafka4" }],
            ],
        ]);
        // Dropping them (TLS off, fewer brokers) must never read as losing an identity the network trusts.
        expect(buildPlan(dev).identities).toBe(buildPlan(plain).identities);
        expect((yaml.load(buildPlan(plain).cryptoConfigYaml) as { OrdererOrgs: unknown[] }).OrdererOrgs).toHaveLength(
            1,
        );
        expect(buildPlan(plain).files.has("zookeeper1")).toBe(false);
    });
});

describe("published ports", () => {
    it("only where a node on another host dials them", () => {
        const k = kafkaOf(dev);
        const ports = (c: { ports: readonly { external: number; ip: string }[] }) =>
            c.ports.map((p) => `${p.ip}:${p.external}`);
        // dev: every node on its own host: ZooKeeper's client port (brokers), quorum and election (the others).
        expect(ports(zookeeperContainer(dev, k, k.zookeepers[0]!))).toEqual([
            "0.0.0.0:2181",
            "0.0.0.0:2888",
            "0.0.0.0:3888",
        ]);
        expect(ports(kafkaContainer(dev, k, k.kafka.brokers[0]!))).toEqual(["0.0.0.0:9092"]);
        // local: one host, so no backend port is published at all.
        const l = kafkaOf(local);
        for (const z of l.zookeepers) expect(ports(zookeeperContainer(local, l, z))).toEqual([]);
        for (const b of l.kafka.brokers) expect(ports(kafkaContainer(local, l, b))).toEqual([]);
    });
});
