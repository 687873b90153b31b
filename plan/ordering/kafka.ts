/**
 * Kafka consensus: a ZooKeeper ensemble and a Kafka cluster beside the orderers. Everything Kafka-specific
 * lives here: the `Kafka.Brokers` list of the genesis block, the orderer's Kafka settings, the ZooKeeper and
 * Kafka container specs and their step edges (ZooKeeper → Kafka → orderers), and, with `network.tls`, the
 * backend's own identities and TLS settings (../shared/reference/ordering-security.md).
 *
 * The containers follow the official images' conventions: the Docker official `zookeeper` image is configured
 * through its entrypoint's ZOO_* variables; the `apache/kafka` image's own command renders a KRaft
 * configuration, so a ZooKeeper-mode broker runs the distribution's start script with a server.properties this
 * module renders and the delivery puts on the broker's host.
 *
 * With TLS, every link of the backend authenticates both ends with certificates from the network's own crypto
 * material: orderer → broker (the orderer's TLS certificate, Fabric's Kafka.TLS), broker → broker, broker →
 * ZooKeeper, and ZooKeeper ↔ ZooKeeper (quorum and election). Two CAs of their own identify the ZooKeeper
 * servers and the brokers, so each listener trusts exactly who may connect to it: ZooKeeper's client port the
 * brokers, its quorum ports the other ZooKeeper servers, a broker the other brokers and the orderers. No port
 * takes a plaintext connection from another host; ZooKeeper keeps a plaintext client port on the container's
 * loopback for checks run inside it.
 */
import { createHash } from "node:crypto";
import {
    BrokerSpec,
    KafkaBackendSpec,
    KafkaOrderingSpec,
    NetworkSpec,
    OrdererSpec,
    ZookeeperSpec,
} from "../../config/spec";
import { extraHostsFor, published } from "../containers";
import { CONTAINER, GENERATED, WORKDIR } from "../layout";
import { VOLUME, brokerAddress, hostByName, stepId, zookeeperAddress } from "../names";
import { ContainerSpec, FileCopy, PortMapping, RenderedFile } from "../types";
import { kafkaReadiness, zookeeperReadiness } from "../readiness";
import type { Contact, OrderingNodeGroup, OrderingPlan } from "./index";

const zkContacts = (k: KafkaBackendSpec): Contact[] => k.zookeepers.map((z) => ({ name: z.name, host: z.host }));
const brokerContacts = (k: KafkaBackendSpec): Contact[] => k.kafka.brokers.map((b) => ({ name: b.name, host: b.host }));

// ---- the backend's identities (with TLS): one CA for the ZooKeeper servers, one for the brokers

/** The two cryptogen organisations of the backend, below the orderer org's domain. */
export const backendDomain = {
    zookeeper: (spec: NetworkSpec) => `zookeeper.ordering.${spec.ordererOrg.domain}`,
    kafka: (spec: NetworkSpec) => `kafka.ordering.${spec.ordererOrg.domain}`,
} as const;

/** Where cryptogen puts a backend node's TLS pair and its org's TLS CA certificate. */
const backendMaterial = (domain: string, node: string) => {
    const org = `crypto-config/ordererOrganizations/${domain}`;
    const tls = `${org}/orderers/${node}.${domain}/tls`;
    return { key: `${tls}/server.key`, cert: `${tls}/server.crt`, ca: `${org}/tlsca/tlsca.${domain}-cert.pem` };
};

/**
 * The node's own key and certificate as one PEM key store (PKCS#8 key first, as cryptogen writes it, then the
 * certificate): the form both ZooKeeper (`ssl.keyStore.type=PEM`) and Kafka (`ssl.keystore.type=PEM`) read.
 */
const NODE_PEM = "node.pem";

/** File names in a ZooKeeper server's TLS directory. */
const ZK_TLS = { node: NODE_PEM, quorumCa: "quorum-ca.pem", clientCa: "client-ca.pem" } as const;
/** File names in a broker's secrets directory. */
const KAFKA_TLS = { node: NODE_PEM, clientCa: "client-ca.pem", zookeeperCa: "zookeeper-ca.pem" } as const;
/** The broker's configuration file, in its configuration directory. */
const SERVER_PROPERTIES = "server.properties";

// ---- ZooKeeper

/**
 * The port of ZooKeeper's plaintext client listener on the container's loopback when TLS is on (the readiness
 * check's `srvr` and the operator's `zkCli.sh` inside the container use it): the first port below the client
 * port that the node uses for nothing else. Never published, never bound beyond 127.0.0.1.
 */
export function zookeeperLoopbackPort(z: ZookeeperSpec): number {
    const taken = new Set([z.clientPort, z.quorumPort, z.electionPort]);
    let p = z.clientPort - 1;
    while (taken.has(p) || p < 1024) p = p <= 1024 ? 65535 : p - 1;
    return p;
}

/** The port on which a check inside the container reaches ZooKeeper in plaintext (`srvr`, `zkCli.sh`). */
export function zookeeperPlaintextPort(spec: NetworkSpec, z: ZookeeperSpec): number {
    return spec.tls ? zookeeperLoopbackPort(z) : z.clientPort;
}

/**
 * `ZOO_SERVERS` for one node, in the official image's form `server.N=host:quorum:election[;client]`. Its own
 * entry binds 0.0.0.0 (its host's address does not exist inside the container) and carries its plaintext client
 * listener: on the loopback with TLS, else on every address.
 */
export function zooServers(spec: NetworkSpec, k: KafkaBackendSpec, self: ZookeeperSpec): string {
    return k.zookeepers
        .map((z) => {
            if (z.id !== self.id) return `server.${z.id}=${z.name}:${z.quorumPort}:${z.electionPort}`;
            const client = spec.tls ? `127.0.0.1:${zookeeperLoopbackPort(z)}` : `0.0.0.0:${z.clientPort}`;
            return `server.${z.id}=0.0.0.0:${z.quorumPort}:${z.electionPort};${client}`;
        })
        .join(" ");
}

/**
 * zoo.cfg lines for TLS (the entrypoint appends the words of `ZOO_CFG_EXTRA`): clients only on the secure port
 * through Netty, with a certificate from the brokers' CA; quorum and election over TLS between holders of the
 * ZooKeeper CA. Quorum host names are not verified: a learner's address, as the leader sees it, is its host's
 * (or, on one host, its container's), which no certificate names; the CA alone admits a server.
 */
export function zookeeperTlsConfig(z: ZookeeperSpec): string[] {
    const dir = CONTAINER.zookeeper.tls;
    return [
        `secureClientPort=${z.clientPort}`,
        "serverCnxnFactory=org.apache.zookeeper.server.NettyServerCnxnFactory",
        "ssl.clientAuth=need",
        `ssl.keyStore.location=${dir}/${ZK_TLS.node}`,
        "ssl.keyStore.type=PEM",
        `ssl.trustStore.location=${dir}/${ZK_TLS.clientCa}`,
        "ssl.trustStore.type=PEM",
        "sslQuorum=true",
        "ssl.quorum.clientAuth=need",
        `ssl.quorum.keyStore.location=${dir}/${ZK_TLS.node}`,
        "ssl.quorum.keyStore.type=PEM",
        `ssl.quorum.trustStore.location=${dir}/${ZK_TLS.quorumCa}`,
        "ssl.quorum.trustStore.type=PEM",
        "ssl.quorum.hostnameVerification=false",
    ];
}

/** `zookeeper1:2181,zookeeper2:2181,...`: what every broker connects to. */
export function zookeeperConnect(k: KafkaBackendSpec): string {
    return k.zookeepers.map(zookeeperAddress).join(",");
}

/** A port mapping on the node's host, for a port that a node on another host dials. */
const publish = (spec: NetworkSpec, host: string, port: number): PortMapping => published(hostByName(spec, host), port);

/** Whether a node on `host` is dialed by one of `from` placed on another host. */
const dialedFromElsewhere = (host: string, from: readonly { host: string }[]) => from.some((n) => n.host !== host);

export function zookeeperContainer(spec: NetworkSpec, k: KafkaBackendSpec, z: ZookeeperSpec): ContainerSpec {
    const dir = `${hostByName(spec, z.host).workdir}/${WORKDIR.backendNode(z.name)}`;
    const others = k.zookeepers.filter((x) => x.id !== z.id);
    const env: Record<string, string> = {
        ZOO_MY_ID: String(z.id),
        ZOO_SERVERS: zooServers(spec, k, z),
        ZOO_TICK_TIME: "2000",
        ZOO_INIT_LIMIT: "5",
        ZOO_SYNC_LIMIT: "2",
        // `srvr` (the readiness check) is the only four-letter word needed; the HTTP AdminServer is not.
        ZOO_4LW_COMMANDS_WHITELIST: "srvr",
        ZOO_ADMINSERVER_ENABLED: "false",
    };
    if (spec.tls) env.ZOO_CFG_EXTRA = zookeeperTlsConfig(z).join(" ");
    return {
        name: z.name,
        resourceName: z.name,
        role: "zookeeper",
        host: z.host,
        image: "zookeeper",
        hostname: z.name,
        env,
        command: null,
        // Only the ports a node on another host dials: the client port for brokers, quorum and election for the
        // other servers. Nodes on the same host meet on the host's Docker network.
        ports: [
            ...(dialedFromElsewhere(z.host, k.kafka.brokers) ? [publish(spec, z.host, z.clientPort)] : []),
            ...(dialedFromElsewhere(z.host, others)
                ? [publish(spec, z.host, z.quorumPort), publish(spec, z.host, z.electionPort)]
                : []),
        ],
        volumes: [
            { volume: VOLUME.zookeeperData(z), containerPath: CONTAINER.zookeeper.data, stateful: true },
            { volume: VOLUME.zookeeperDatalog(z), containerPath: CONTAINER.zookeeper.datalog, stateful: true },
        ],
        binds: spec.tls ? [{ hostPath: `${dir}/tls`, containerPath: CONTAINER.zookeeper.tls, readOnly: true }] : [],
        extraHosts: extraHostsFor(
            spec,
            z.host,
            zkContacts(k).filter((n) => n.name !== z.name),
        ),
        aliases: [z.name],
        restart: "unless-stopped",
        readiness: zookeeperReadiness(spec, z.name, zookeeperPlaintextPort(spec, z)),
    };
}

// ---- Kafka

/**
 * The broker's server.properties (ZooKeeper mode). With TLS: one SSL listener that requires a client
 * certificate (other brokers, orderers), SSL between brokers, and TLS with the broker's certificate to
 * ZooKeeper through ZooKeeper's Netty client. Key and trust stores are PEM files (Kafka ≥ 2.7, ZooKeeper ≥ 3.5).
 * The protocol stays open to the orderer's client (sarama 1.20, Kafka protocol ≤ 2.1): nothing here raises the
 * oldest version a Kafka 3.9 broker accepts.
 */
export function kafkaServerProperties(spec: NetworkSpec, k: KafkaBackendSpec, b: BrokerSpec): string {
    const s = k.kafka;
    const secrets = CONTAINER.kafka.secrets;
    const scheme = spec.tls ? "SSL" : "PLAINTEXT";
    const props: [string, string | number | boolean][] = [
        ["broker.id", b.id],
        ["listeners", `${scheme}://0.0.0.0:${b.port}`],
        // What orderers and the other brokers dial: must resolve everywhere to where the port is published.
        ["advertised.listeners", `${scheme}://${brokerAddress(b)}`],
        ["zookeeper.connect", zookeeperConnect(k)],
        ["zookeeper.session.timeout.ms", s.zookeeperSessionTimeoutMs],
        // The first connection includes a TLS handshake that a busy small host can take seconds to finish; the
        // broker gives up on ZooKeeper (and exits) after this long.
        ["zookeeper.connection.timeout.ms", Math.max(30_000, s.zookeeperSessionTimeoutMs)],
        ["log.dirs", CONTAINER.kafka.logs],
        ["default.replication.factor", s.replicationFactor],
        ["min.insync.replicas", s.minInsyncReplicas],
        ["unclean.leader.election.enable", s.uncleanLeaderElection],
        ["log.retention.ms", s.retentionMs],
        ["message.max.bytes", s.messageMaxBytes],
        ["replica.fetch.max.bytes", s.replicaFetchMaxBytes],
        ["socket.request.max.bytes", s.socketRequestMaxBytes],
    ];
    if (spec.tls) {
        props.push(
            ["security.inter.broker.protocol", "SSL"],
            ["ssl.client.auth", "required"],
            ["ssl.keystore.type", "PEM"],
            ["ssl.keystore.location", `${secrets}/${KAFKA_TLS.node}`],
            ["ssl.truststore.type", "PEM"],
            ["ssl.truststore.location", `${secrets}/${KAFKA_TLS.clientCa}`],
            ["zookeeper.ssl.client.enable", true],
            ["zookeeper.clientCnxnSocket", "org.apache.zookeeper.ClientCnxnSocketNetty"],
            ["zookeeper.ssl.keystore.type", "PEM"],
            ["zookeeper.ssl.keystore.location", `${secrets}/${KAFKA_TLS.node}`],
            ["zookeeper.ssl.truststore.type", "PEM"],
            ["zookeeper.ssl.truststore.location", `${secrets}/${KAFKA_TLS.zookeeperCa}`],
        );
    }
    return [
        `# Broker ${b.name} (id ${b.id}), rendered by the fabric-kafka program; the delivery rewrites it.`,
        ...props.map(([key, v]) => `${key}=${String(v)}`),
        "",
    ].join("\n");
}

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

/**
 * The broker JVM's settings beyond the heap: the defaults of Kafka's kafka-run-class.sh, and the image's
 * class-data-sharing archive, which the official image's own launch script adds and the program's start command
 * does not run. With the archive a broker maps the classes the image's build run loaded instead of loading and
 * verifying them from the jars: on two shared cores a broker's start took about half the CPU time. A JVM that
 * cannot use the file (absent, or written by another JVM build) starts without it.
 */
export const KAFKA_JVM_PERFORMANCE_OPTS = [
    "-server",
    "-XX:+UseG1GC",
    "-XX:MaxGCPauseMillis=20",
    "-XX:InitiatingHeapOccupancyPercent=35",
    "-XX:+ExplicitGCInvokesConcurrent",
    "-XX:MaxInlineLevel=15",
    "-Djava.awt.headless=true",
    `-XX:SharedArchiveFile=${CONTAINER.kafka.classArchive}`,
].join(" ");

export function kafkaContainer(spec: NetworkSpec, k: KafkaBackendSpec, b: BrokerSpec): ContainerSpec {
    const dir = `${hostByName(spec, b.host).workdir}/${WORKDIR.backendNode(b.name)}`;
    const others = k.kafka.brokers.filter((x) => x.id !== b.id);
    return {
        name: b.name,
        resourceName: b.name,
        role: "kafka",
        host: b.host,
        image: "kafka",
        hostname: b.name,
        // The JVM settings are read by the distribution's start script; everything else is in server.properties.
        env: { KAFKA_HEAP_OPTS: k.kafka.heapOpts, KAFKA_JVM_PERFORMANCE_OPTS },
        command: [CONTAINER.kafka.start, `${CONTAINER.kafka.config}/${SERVER_PROPERTIES}`],
        // Published only when an orderer or another broker is on another host.
        ports: dialedFromElsewhere(b.host, [...spec.orderers, ...others]) ? [publish(spec, b.host, b.port)] : [],
        volumes: [{ volume: VOLUME.kafkaLogs(b), containerPath: CONTAINER.kafka.logs, stateful: true }],
        binds: [
            { hostPath: `${dir}/config`, containerPath: CONTAINER.kafka.config, readOnly: true },
            ...(spec.tls ? [{ hostPath: `${dir}/tls`, containerPath: CONTAINER.kafka.secrets, readOnly: true }] : []),
        ],
        extraHosts: extraHostsFor(spec, b.host, [
            ...zkContacts(k),
            ...brokerContacts(k).filter((n) => n.name !== b.name),
        ]),
        aliases: [b.name],
        restart: "unless-stopped",
        readiness: kafkaReadiness(spec, b.name, b.port),
        // The broker reads server.properties once, at start: a new file must come with a new container.
        labels: { "fabric-kafka.server-properties-sha256": sha256(kafkaServerProperties(spec, k, b)) },
    };
}

// ---- files each host receives for the backend

function backendFiles(spec: NetworkSpec, k: KafkaBackendSpec, host: string): FileCopy[] {
    const out: FileCopy[] = [];
    if (!spec.tls) return out;
    const zkDomain = backendDomain.zookeeper(spec);
    const kafkaDomain = backendDomain.kafka(spec);
    const zkCa = backendMaterial(zkDomain, "").ca;
    const kafkaCa = backendMaterial(kafkaDomain, "").ca;
    const file = (to: string, from: string | string[]): FileCopy => ({ from, to, containerReadable: true });
    for (const z of k.zookeepers.filter((x) => x.host === host)) {
        const m = backendMaterial(zkDomain, z.name);
        const tls = `${WORKDIR.backendNode(z.name)}/tls`;
        out.push(
            file(`${tls}/${ZK_TLS.node}`, [m.key, m.cert]),
            file(`${tls}/${ZK_TLS.quorumCa}`, zkCa),
            file(`${tls}/${ZK_TLS.clientCa}`, kafkaCa),
        );
    }
    for (const b of k.kafka.brokers.filter((x) => x.host === host)) {
        const m = backendMaterial(kafkaDomain, b.name);
        const tls = `${WORKDIR.backendNode(b.name)}/tls`;
        out.push(
            file(`${tls}/${KAFKA_TLS.node}`, [m.key, m.cert]),
            // Who may connect to a broker: the other brokers and the orderers.
            file(`${tls}/${KAFKA_TLS.clientCa}`, [kafkaCa, GENERATED.ordererTlsCa(spec)]),
            file(`${tls}/${KAFKA_TLS.zookeeperCa}`, zkCa),
        );
    }
    for (const o of spec.orderers.filter((x) => x.host === host)) {
        // The orderer runs as root in its image: no need to open the file to other users.
        out.push({ from: kafkaCa, to: `${WORKDIR.orderer(o)}/kafka/ca.pem` });
    }
    return out;
}

function backendRendered(spec: NetworkSpec, k: KafkaBackendSpec, host: string): RenderedFile[] {
    return k.kafka.brokers
        .filter((b) => b.host === host)
        .map((b) => ({
            to: `${WORKDIR.backendNode(b.name)}/config/${SERVER_PROPERTIES}`,
            content: kafkaServerProperties(spec, k, b),
            containerReadable: true,
        }));
}

/** The OrdererOrgs entries of the backend's two CAs and their nodes (TLS only; no NodeOUs: not Fabric MSPs). */
function backendCryptoOrgs(spec: NetworkSpec, k: KafkaBackendSpec): Record<string, unknown>[] {
    if (!spec.tls) return [];
    return [
        {
            Name: "ZooKeeper",
            Domain: backendDomain.zookeeper(spec),
            Specs: k.zookeepers.map((z) => ({ Hostname: z.name })),
        },
        { Name: "Kafka", Domain: backendDomain.kafka(spec), Specs: k.kafka.brokers.map((b) => ({ Hostname: b.name })) },
    ];
}

/** `Kafka.Retry.ShortInterval` of the orderers (Fabric's default: 5s). */
export const ORDERER_KAFKA_RETRY_SHORT_INTERVAL = "1s";

/** The orderer's Kafka client settings: with TLS, its own TLS pair as client certificate, the brokers' CA. */
function ordererKafkaEnv(spec: NetworkSpec, k: KafkaBackendSpec): Record<string, string> {
    const env: Record<string, string> = {
        ORDERER_KAFKA_VERSION: k.kafka.protocolVersion,
        ORDERER_KAFKA_TOPIC_REPLICATIONFACTOR: String(k.kafka.replicationFactor),
        ORDERER_KAFKA_VERBOSE: "false",
        // How soon a chain's start (topic, producer, CONNECT message, consumers) is tried again after a failed
        // attempt, for the first Kafka.Retry.ShortTotal (10 min); then every LongInterval (5 min). Fabric's 5 s
        // default costs a fresh channel 5 s whenever its first attempt meets a partition whose leader is still
        // being elected (the cold up's orderers took 3 s or 8 s to be ready, nothing in between).
        ORDERER_KAFKA_RETRY_SHORTINTERVAL: ORDERER_KAFKA_RETRY_SHORT_INTERVAL,
    };
    if (spec.tls) {
        // orderer.yaml leaves Kafka.TLS.PrivateKey/Certificate/RootCAs empty, so the `_FILE` forms apply: the orderer
        // reads the files (RootCAs: every certificate in the file). With TLS on, the orderer insists on all three.
        env.ORDERER_KAFKA_TLS_ENABLED = "true";
        env.ORDERER_KAFKA_TLS_PRIVATEKEY_FILE = `${CONTAINER.orderer.tls}/server.key`;
        env.ORDERER_KAFKA_TLS_CERTIFICATE_FILE = `${CONTAINER.orderer.tls}/server.crt`;
        env.ORDERER_KAFKA_TLS_ROOTCAS_FILE = `${CONTAINER.orderer.kafkaTrust}/ca.pem`;
    }
    return env;
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
            // No edges between ZooKeeper nodes: they start together, and each is ready only once in quorum.
            name: "zookeeper",
            component: "ZookeeperEnsemble",
            nodes: k.zookeepers.map((z) => ({
                container: zookeeperContainer(spec, k, z),
                step: {
                    id: stepId.zookeeper(z.name),
                    kind: "zookeeper",
                    host: z.host,
                    // With TLS its key and trust stores must be on the host first.
                    after: [...(opts.zookeeperAfter ?? []), ...(spec.tls ? [stepId.deliver(z.host)] : [])],
                },
            })),
            outputs: { connectString: zookeeperConnect(k) },
            retired,
        },
        {
            // Every broker waits for the whole ensemble (quorum first) and for its own files (server.properties);
            // each broker is its own resource, so a change to one broker's settings replaces that broker only.
            name: "kafka",
            component: "KafkaCluster",
            nodes: k.kafka.brokers.map((b) => ({
                container: kafkaContainer(spec, k, b),
                step: { id: stepId.kafka(b.name), kind: "kafka", host: b.host, after: [...zk, stepId.deliver(b.host)] },
                // Kafka writes meta.properties (its broker id) into log.dirs at its first start.
                ...(b.movedFrom && b.movedFrom !== b.host && !retired
                    ? { carry: { from: b.movedFrom, marker: "meta.properties" } }
                    : {}),
            })),
            outputs: { bootstrapServers: k.kafka.brokers.map(brokerAddress) },
            retired,
        },
    ];
}

/**
 * What the backend adds to a plan besides its nodes: its identities in the crypto material, the files its hosts
 * and the orderers' hosts receive, and the orderers' mounts. A network migrating to Raft keeps them, so the
 * backend's nodes keep their files while the migration still restarts them.
 */
export function kafkaBackendParts(spec: NetworkSpec, k: KafkaBackendSpec) {
    return {
        ordererBinds: (_o: OrdererSpec, dir: string) =>
            spec.tls ? [{ hostPath: `${dir}/kafka`, containerPath: CONTAINER.orderer.kafkaTrust, readOnly: true }] : [],
        cryptoOrgs: backendCryptoOrgs(spec, k),
        files: (host: string) => backendFiles(spec, k, host),
        rendered: (host: string) => backendRendered(spec, k, host),
    };
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
        ordererEnv: () => ordererKafkaEnv(spec, k),
        // Brokers advertise their own names in metadata: every orderer must resolve every broker.
        ordererContacts: () => brokerContacts(k),
        ...kafkaBackendParts(spec, k),
        nodeGroups: kafkaNodeGroups(spec, k, opts),
        // Orderers need every broker on first start (they create their channel topics through the controller).
        ordererAfter: k.kafka.brokers.map((b) => stepId.kafka(b.name)),
        migration: null,
    };
}
