/**
 * The ZooKeeper and Kafka containers as the plan gives them to the Docker provider: environment, command, ports,
 * volumes, bind mounts and names, with TLS and without, and where nodes share a host.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { KafkaBackendSpec, NetworkSpec, validateConfig } from "../../config";
import { ordererContainer, orderingPlan } from "../../plan";
import { kafkaContainer, zookeeperContainer, zookeeperLoopbackPort } from "../../plan/ordering/kafka";
import { SECRET, clone, kafkaOf, rawStackConfig, stackSpec, withTestCredentials } from "../support/stacks";
import { ZOOKEEPER_TLS_SETTINGS } from "../support/zookeeperTls";

type Raw = Record<string, any>;
const devRaw = (): Raw => clone(withTestCredentials(rawStackConfig("dev")));
const ip = (n: number) => `192.0.2.${n}`;

let dev: NetworkSpec;
let k: KafkaBackendSpec;
beforeEach(() => {
    dev = stackSpec("dev");
    k = kafkaOf(dev);
});

const ZK_TLS = ZOOKEEPER_TLS_SETTINGS.join(" ");

describe("a ZooKeeper server", () => {
    it("runs with Fabric's recommended timing, only srvr, TLS on both links, and its state on two kept volumes", () => {
        const { readiness, ...z } = zookeeperContainer(dev, k, k.zookeepers[0]!);
        expect(readiness).not.toBeNull();
        expect(z).toEqual({
            name: "zookeeper1",
            resourceName: "zookeeper1",
            role: "zookeeper",
            host: "zookeeper1",
            image: "zookeeper",
            hostname: "zookeeper1",
            env: {
                ZOO_MY_ID: "1",
                ZOO_SERVERS:
                    "server.1=0.0.0.0:2888:3888;127.0.0.1:2180 server.2=zookeeper2:2888:3888 server.3=zookeeper3:2888:3888",
                ZOO_TICK_TIME: "2000",
                ZOO_INIT_LIMIT: "5",
                ZOO_SYNC_LIMIT: "2",
                ZOO_4LW_COMMANDS_WHITELIST: "srvr",
                ZOO_ADMINSERVER_ENABLED: "false",
                ZOO_CFG_EXTRA: ZK_TLS,
            },
            command: null,
            ports: [2181, 2888, 3888].map((p) => ({ internal: p, external: p, ip: "0.0.0.0" })),
            volumes: [
                { volume: "zookeeper1-data", containerPath: "/data", stateful: true },
                { volume: "zookeeper1-datalog", containerPath: "/datalog", stateful: true },
            ],
            binds: [
                {
                    hostPath: "/var/lib/fabric-kafka/backend/zookeeper1/tls",
                    containerPath: "/conf/tls",
                    readOnly: true,
                },
            ],
            // The other servers by name; itself it reaches on its own network.
            extraHosts: [
                { host: "zookeeper2", ip: ip(12) },
                { host: "zookeeper3", ip: ip(13) },
            ],
            aliases: ["zookeeper1"],
            restart: "unless-stopped",
        });
    });

    it("has no TLS settings and no TLS folder without TLS", () => {
        const raw = devRaw();
        raw.network.tls = false;
        const spec = validateConfig(raw, SECRET);
        const z = zookeeperContainer(spec, kafkaOf(spec), kafkaOf(spec).zookeepers[0]!);
        expect(z.env).not.toHaveProperty("ZOO_CFG_EXTRA");
        expect(z.binds).toEqual([]);
        const b = kafkaContainer(spec, kafkaOf(spec), kafkaOf(spec).kafka.brokers[0]!);
        expect(b.binds).toEqual([
            {
                hostPath: "/var/lib/fabric-kafka/backend/kafka1/config",
                containerPath: "/mnt/shared/config",
                readOnly: true,
            },
        ]);
    });

    it("publishes its quorum ports when one other server is on another host, though another shares its own", () => {
        const raw = devRaw();
        Object.assign(raw.ordering.zookeeper[1], {
            host: "zookeeper1",
            clientPort: 2281,
            quorumPort: 2988,
            electionPort: 3988,
        });
        const spec = validateConfig(raw, SECRET);
        const ports = (i: number) =>
            zookeeperContainer(spec, kafkaOf(spec), kafkaOf(spec).zookeepers[i]!).ports.map((p) => p.internal);
        expect(ports(0)).toEqual([2181, 2888, 3888]);
        expect(ports(1)).toEqual([2281, 2988, 3988]);
    });

    it("keeps its loopback client port at 1024 or above, clear of its other ports", () => {
        const z = (clientPort: number, quorumPort = 2888, electionPort = 3888) =>
            zookeeperLoopbackPort({ ...k.zookeepers[0]!, clientPort, quorumPort, electionPort });
        expect(z(2181)).toBe(2180);
        expect(z(1025)).toBe(1024);
        expect(z(1025, 1024)).toBe(65535);
        expect(z(1025, 1024, 65535)).toBe(65534);
        expect(z(500)).toBe(65535);
        expect(z(2181, 2180, 2179)).toBe(2178);
    });
});

describe("a Kafka broker", () => {
    it("runs the distribution's start script on its delivered properties, with its log on a kept volume", () => {
        const { readiness, labels, ...b } = kafkaContainer(dev, k, k.kafka.brokers[0]!);
        expect(readiness).not.toBeNull();
        expect(Object.keys(labels!)).toEqual(["fabric-kafka.server-properties-sha256"]);
        expect(b).toEqual({
            name: "kafka1",
            resourceName: "kafka1",
            role: "kafka",
            host: "kafka1",
            image: "kafka",
            hostname: "kafka1",
            env: {
                KAFKA_HEAP_OPTS: "-Xmx512M -Xms512M",
                KAFKA_JVM_PERFORMANCE_OPTS:
                    "-server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15 -Djava.awt.headless=true -XX:SharedArchiveFile=/opt/kafka/kafka.jsa",
            },
            command: ["/opt/kafka/bin/kafka-server-start.sh", "/mnt/shared/config/server.properties"],
            ports: [{ internal: 9092, external: 9092, ip: "0.0.0.0" }],
            volumes: [{ volume: "kafka1-logs", containerPath: "/var/lib/kafka/data", stateful: true }],
            binds: [
                {
                    hostPath: "/var/lib/fabric-kafka/backend/kafka1/config",
                    containerPath: "/mnt/shared/config",
                    readOnly: true,
                },
                {
                    hostPath: "/var/lib/fabric-kafka/backend/kafka1/tls",
                    containerPath: "/etc/kafka/secrets",
                    readOnly: true,
                },
            ],
            // The other brokers and every ZooKeeper server, by name.
            extraHosts: [
                { host: "kafka2", ip: ip(22) },
                { host: "kafka3", ip: ip(23) },
                { host: "kafka4", ip: ip(24) },
                { host: "zookeeper1", ip: ip(11) },
                { host: "zookeeper2", ip: ip(12) },
                { host: "zookeeper3", ip: ip(13) },
            ],
            aliases: ["kafka1"],
            restart: "unless-stopped",
        });
    });

    it("is listed by address as the Kafka cluster's bootstrap servers", () => {
        expect(orderingPlan(dev).nodeGroups[1]!.outputs).toEqual({
            bootstrapServers: ["kafka1:9092", "kafka2:9092", "kafka3:9092", "kafka4:9092"],
        });
    });
});

describe("the orderer as a Kafka client", () => {
    it("gets the protocol version, the replication factor, quiet Sarama logs and the 1 s retry", () => {
        const env = ordererContainer(dev, dev.orderers[0]!).env;
        expect(Object.fromEntries(Object.entries(env).filter(([n]) => n.startsWith("ORDERER_KAFKA_")))).toEqual({
            ORDERER_KAFKA_VERSION: k.kafka.protocolVersion,
            ORDERER_KAFKA_TOPIC_REPLICATIONFACTOR: "3",
            ORDERER_KAFKA_VERBOSE: "false",
            ORDERER_KAFKA_RETRY_SHORTINTERVAL: "1s",
            ORDERER_KAFKA_TLS_ENABLED: "true",
            ORDERER_KAFKA_TLS_PRIVATEKEY_FILE: expect.stringMatching(/server\.key$/),
            ORDERER_KAFKA_TLS_CERTIFICATE_FILE: expect.stringMatching(/server\.crt$/),
            ORDERER_KAFKA_TLS_ROOTCAS_FILE: expect.stringMatching(/kafka\/ca\.pem$/),
        });
    });
});
