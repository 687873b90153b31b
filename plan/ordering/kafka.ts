/**
 * Kafka consensus: a ZooKeeper ensemble and a Kafka cluster beside the orderers. Everything Kafka-specific
 * lives here: the `Kafka.Brokers` list of the genesis block, the orderer's Kafka settings, the ZooKeeper and
 * Kafka container specs (environment as ../shared/reference/fabric-kafka.md prescribes) and their step edges
 * (ZooKeeper → Kafka → orderers).
 */
import { DEFAULTS } from "../../config/defaults";
import { BrokerSpec, KafkaBackendSpec, KafkaOrderingSpec, NetworkSpec, ZookeeperSpec } from "../../config/spec";
import { extraHostsFor, published } from "../containers";
import { CONTAINER } from "../layout";
import { VOLUME, brokerAddress, hostByName, stepId, zookeeperAddress } from "../names";
import { kafkaReadiness, zookeeperReadiness } from "../readiness";
import { ContainerSpec } from "../types";
import type { Contact, OrderingNodeGroup, OrderingPlan } from "./index";

const zkContacts = (k: KafkaBackendSpec): Contact[] => k.zookeepers.map((z) => ({ name: z.name, host: z.host }));
const brokerContacts = (k: KafkaBackendSpec): Contact[] => k.kafka.brokers.map((b) => ({ name: b.name, host: b.host }));

/** `ZOO_SERVERS` for one node: its own entry binds 0.0.0.0, because its host's address does not exist inside the container. */
export function zooServers(k: KafkaBackendSpec, self: ZookeeperSpec): string {
    return k.zookeepers
        .map((z) => `server.${z.id}=${z.id === self.id ? "0.0.0.0" : z.name}:${z.quorumPort}:${z.electionPort}`)
        .join(" ");
}

/** `zookeeper1:2181,zookeeper2:2181,...`: what every broker connects to. */
export function zookeeperConnect(k: KafkaBackendSpec): string {
    return k.zookeepers.map(zookeeperAddress).join(",");
}

export function zookeeperContainer(spec: NetworkSpec, k: KafkaBackendSpec, z: ZookeeperSpec): ContainerSpec {
    const host = hostByName(spec, z.host);
    return {
        name: z.name,
        resourceName: z.name,
        role: "zookeeper",
        host: z.host,
        image: "zookeeper",
        hostname: z.name,
        env: {
            ZOO_MY_ID: String(z.id),
            ZOO_PORT: String(z.clientPort),
            ZOO_SERVERS: zooServers(k, z),
            ZOO_TICK_TIME: String(DEFAULTS.zookeeper.tickTimeMs),
            ZOO_INIT_LIMIT: "5",
            ZOO_SYNC_LIMIT: "2",
        },
        command: null,
        ports: [z.clientPort, z.quorumPort, z.electionPort].map((p) => published(host, p)),
        volumes: [
            { volume: VOLUME.zookeeperData(z), containerPath: CONTAINER.zookeeper.data, stateful: true },
            { volume: VOLUME.zookeeperDatalog(z), containerPath: CONTAINER.zookeeper.datalog, stateful: true },
        ],
        binds: [],
        extraHosts: extraHostsFor(
            spec,
            z.host,
            zkContacts(k).filter((n) => n.name !== z.name),
        ),
        aliases: [z.name],
        restart: "unless-stopped",
        readiness: zookeeperReadiness(spec, z.name, z.clientPort),
    };
}

export function kafkaBrokerEnv(k: KafkaBackendSpec, b: BrokerSpec): Record<string, string> {
    const s = k.kafka;
    return {
        KAFKA_BROKER_ID: String(b.id),
        KAFKA_ZOOKEEPER_CONNECT: zookeeperConnect(k),
        KAFKA_ZOOKEEPER_SESSION_TIMEOUT_MS: String(s.zookeeperSessionTimeoutMs),
        KAFKA_LISTENERS: `PLAINTEXT://0.0.0.0:${b.port}`,
        // What orderers and the other brokers dial: must resolve everywhere to where the port is published.
        KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://${brokerAddress(b)}`,
        KAFKA_LOG_DIRS: CONTAINER.kafka.logs,
        KAFKA_DEFAULT_REPLICATION_FACTOR: String(s.replicationFactor),
        KAFKA_MIN_INSYNC_REPLICAS: String(s.minInsyncReplicas),
        KAFKA_UNCLEAN_LEADER_ELECTION_ENABLE: String(s.uncleanLeaderElection),
        KAFKA_LOG_RETENTION_MS: String(s.retentionMs),
        KAFKA_MESSAGE_MAX_BYTES: String(s.messageMaxBytes),
        KAFKA_REPLICA_FETCH_MAX_BYTES: String(s.replicaFetchMaxBytes),
        KAFKA_SOCKET_REQUEST_MAX_BYTES: String(s.socketRequestMaxBytes),
        KAFKA_HEAP_OPTS: s.heapOpts,
    };
}

export function kafkaContainer(spec: NetworkSpec, k: KafkaBackendSpec, b: BrokerSpec): ContainerSpec {
    const host = hostByName(spec, b.host);
    return {
        name: b.name,
        resourceName: b.name,
        role: "kafka",
        host: b.host,
        image: "kafka",
        hostname: b.name,
        env: kafkaBrokerEnv(k, b),
        command: null,
        ports: [published(host, b.port)],
        volumes: [{ volume: VOLUME.kafkaLogs(b), containerPath: CONTAINER.kafka.logs, stateful: true }],
        binds: [],
        extraHosts: extraHostsFor(spec, b.host, [
            ...zkContacts(k),
            ...brokerContacts(k).filter((n) => n.name !== b.name),
        ]),
        aliases: [b.name],
        restart: "unless-stopped",
        readiness: kafkaReadiness(spec, b.name, b.port),
    };
}

/**
 * The ZooKeeper ensemble and the Kafka cluster as two groups. `zookeeperAfter`: steps the ensemble waits for
 * (an abort of a migration first checks it may bring Kafka back). A retired backend (a network that migrated
 * to Raft) keeps only its volumes.
 */
export function kafkaNodeGroups(
    spec: NetworkSpec,
    k: KafkaBackendSpec,
    opts: { readonly zookeeperAfter?: readonly string[]; readonly retired?: boolean } = {},
): OrderingNodeGroup[] {
    const zk = k.zookeepers.map((z) => stepId.zookeeper(z.name));
    const retired = opts.retired ?? false;
    return [
        {
            // No edges between ZooKeeper nodes: they start together, and each is healthy only once in quorum.
            name: "zookeeper",
            component: "ZookeeperEnsemble",
            nodes: k.zookeepers.map((z) => ({
                container: zookeeperContainer(spec, k, z),
                step: {
                    id: stepId.zookeeper(z.name),
                    kind: "zookeeper",
                    host: z.host,
                    after: [...(opts.zookeeperAfter ?? [])],
                },
            })),
            outputs: { connectString: zookeeperConnect(k) },
            retired,
        },
        {
            // Every broker waits for the whole ensemble (quorum first); each broker is its own resource, so a
            // change to one broker's settings replaces that broker only.
            name: "kafka",
            component: "KafkaCluster",
            nodes: k.kafka.brokers.map((b) => ({
                container: kafkaContainer(spec, k, b),
                step: { id: stepId.kafka(b.name), kind: "kafka", host: b.host, after: zk },
            })),
            outputs: { bootstrapServers: k.kafka.brokers.map(brokerAddress) },
            retired,
        },
    ];
}

export function kafkaOrdering(
    spec: NetworkSpec,
    k: KafkaOrderingSpec,
    opts: { readonly zookeeperAfter?: readonly string[] } = {},
): OrderingPlan {
    return {
        type: "kafka",
        genesisProfile: "KafkaOrdererGenesis",
        configtx: { OrdererType: "kafka", Kafka: { Brokers: k.kafka.brokers.map(brokerAddress) } },
        ordererEnv: () => ({
            ORDERER_KAFKA_VERSION: k.kafka.protocolVersion,
            ORDERER_KAFKA_TOPIC_REPLICATIONFACTOR: String(k.kafka.replicationFactor),
            ORDERER_KAFKA_VERBOSE: "false",
        }),
        // Brokers advertise their own names in metadata: every orderer must resolve every broker.
        ordererContacts: () => brokerContacts(k),
        nodeGroups: kafkaNodeGroups(spec, k, opts),
        // Orderers need every broker on first start (they create their channel topics through the controller).
        ordererAfter: k.kafka.brokers.map((b) => stepId.kafka(b.name)),
        files: () => [],
        migration: null,
    };
}
