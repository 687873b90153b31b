/**
 * Per-role container specs: environment exactly as ../shared/reference/fabric-kafka.md prescribes, ports,
 * named volumes, bind mounts from the host's workdir, and the `extra_hosts` each node needs to resolve the
 * nodes it talks to on other hosts. Nodes on the same host find each other through the host's Docker network.
 */
import { ChaincodeSpec, HostSpec, NetworkSpec, OrdererSpec, PeerSpec, ZookeeperSpec, BrokerSpec } from "../config/spec";
import { CLI, CONTAINER, WORKDIR, allPeers, hostByName, orgOf, peerResourceName } from "./layout";
import { ContainerSpec, ExtraHost, Healthcheck, PortMapping } from "./types";

/** The Docker network every container of the network joins on its host. */
export const NETWORK_NAME = "fabric-kafka";

const HEALTHCHECK: Healthcheck = {
    test: ["CMD", "/usr/local/bin/healthcheck"],
    interval: "5s",
    timeout: "5s",
    // Generous: a JVM on a small host, or an orderer waiting for its Kafka topic, takes a while.
    retries: 60,
    startPeriod: "10s",
};

function published(host: HostSpec, port: number): PortMapping {
    // A local host is the operator's own machine: publish on loopback only.
    return { internal: port, external: port, ip: host.kind === "local" ? "127.0.0.1" : "0.0.0.0" };
}

/**
 * `extra_hosts` entries for the names `node` must reach: only those placed on another host (same-host names
 * resolve through the Docker network), never the node's own name, sorted for stable diffs.
 */
export function extraHostsFor(
    spec: NetworkSpec,
    fromHost: string,
    names: ReadonlyArray<{ name: string; host: string }>,
): ExtraHost[] {
    const seen = new Map<string, string>();
    for (const n of names) {
        if (n.host === fromHost) continue;
        seen.set(n.name, hostByName(spec, n.host).address);
    }
    return [...seen.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([host, ip]) => ({ host, ip }));
}

const zkNames = (spec: NetworkSpec) => spec.ordering.zookeepers.map((z) => ({ name: z.name, host: z.host }));
const brokerNames = (spec: NetworkSpec) => spec.ordering.kafka.brokers.map((b) => ({ name: b.name, host: b.host }));
const ordererNames = (spec: NetworkSpec) => spec.orderers.map((o) => ({ name: o.fqdn, host: o.host }));

/** `ZOO_SERVERS` for one node: its own entry binds 0.0.0.0, because its host's address does not exist inside the container. */
export function zooServers(spec: NetworkSpec, self: ZookeeperSpec): string {
    return spec.ordering.zookeepers
        .map((z) => `server.${z.id}=${z.id === self.id ? "0.0.0.0" : z.name}:${z.quorumPort}:${z.electionPort}`)
        .join(" ");
}

export function zookeeperContainer(spec: NetworkSpec, z: ZookeeperSpec): ContainerSpec {
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
            ZOO_SERVERS: zooServers(spec, z),
            ZOO_TICK_TIME: "2000",
            ZOO_INIT_LIMIT: "5",
            ZOO_SYNC_LIMIT: "2",
        },
        command: null,
        ports: [z.clientPort, z.quorumPort, z.electionPort].map((p) => published(host, p)),
        volumes: [
            { volume: `${z.name}-data`, containerPath: CONTAINER.zookeeper.data, stateful: true },
            { volume: `${z.name}-datalog`, containerPath: CONTAINER.zookeeper.datalog, stateful: true },
        ],
        binds: [],
        extraHosts: extraHostsFor(
            spec,
            z.host,
            zkNames(spec).filter((n) => n.name !== z.name),
        ),
        aliases: [z.name],
        restart: "unless-stopped",
        healthcheck: HEALTHCHECK,
    };
}

/** `zookeeper1:2181,zookeeper2:2181,...`: what every broker connects to. */
export function zookeeperConnect(spec: NetworkSpec): string {
    return spec.ordering.zookeepers.map((z) => `${z.name}:${z.clientPort}`).join(",");
}

/** `kafka1:9092`, ...: the bootstrap list in the genesis block, and what each broker advertises. */
export function brokerAddress(b: BrokerSpec): string {
    return `${b.name}:${b.port}`;
}

export function kafkaBrokerEnv(spec: NetworkSpec, b: BrokerSpec): Record<string, string> {
    const k = spec.ordering.kafka;
    return {
        KAFKA_BROKER_ID: String(b.id),
        KAFKA_ZOOKEEPER_CONNECT: zookeeperConnect(spec),
        KAFKA_ZOOKEEPER_SESSION_TIMEOUT_MS: String(k.zookeeperSessionTimeoutMs),
        KAFKA_LISTENERS: `PLAINTEXT://0.0.0.0:${b.port}`,
        // What orderers and the other brokers dial: must resolve everywhere to where the port is published.
        KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://${brokerAddress(b)}`,
        KAFKA_LOG_DIRS: CONTAINER.kafka.logs,
        KAFKA_DEFAULT_REPLICATION_FACTOR: String(k.replicationFactor),
        KAFKA_MIN_INSYNC_REPLICAS: String(k.minInsyncReplicas),
        KAFKA_UNCLEAN_LEADER_ELECTION_ENABLE: String(k.uncleanLeaderElection),
        KAFKA_LOG_RETENTION_MS: String(k.retentionMs),
        KAFKA_MESSAGE_MAX_BYTES: String(k.messageMaxBytes),
        KAFKA_REPLICA_FETCH_MAX_BYTES: String(k.replicaFetchMaxBytes),
        KAFKA_SOCKET_REQUEST_MAX_BYTES: String(k.socketRequestMaxBytes),
        KAFKA_HEAP_OPTS: k.heapOpts,
    };
}

export function kafkaContainer(spec: NetworkSpec, b: BrokerSpec): ContainerSpec {
    const host = hostByName(spec, b.host);
    return {
        name: b.name,
        resourceName: b.name,
        role: "kafka",
        host: b.host,
        image: "kafka",
        hostname: b.name,
        env: kafkaBrokerEnv(spec, b),
        command: null,
        ports: [published(host, b.port)],
        volumes: [{ volume: `${b.name}-logs`, containerPath: CONTAINER.kafka.logs, stateful: true }],
        binds: [],
        extraHosts: extraHostsFor(spec, b.host, [
            ...zkNames(spec),
            ...brokerNames(spec).filter((n) => n.name !== b.name),
        ]),
        aliases: [b.name],
        restart: "unless-stopped",
        healthcheck: HEALTHCHECK,
    };
}

export function ordererEnv(spec: NetworkSpec, o: OrdererSpec): Record<string, string> {
    const v14 = spec.fabricVersion === "1.4";
    const env: Record<string, string> = {
        FABRIC_LOGGING_SPEC: spec.logging,
        ORDERER_GENERAL_LISTENADDRESS: "0.0.0.0",
        ORDERER_GENERAL_LISTENPORT: String(o.port),
        ORDERER_GENERAL_LOCALMSPID: spec.ordererOrg.mspId,
        ORDERER_GENERAL_LOCALMSPDIR: CONTAINER.orderer.msp,
        // 2.x renamed the genesis settings; the 1.4 names are still accepted by 2.5 but with a warning.
        [v14 ? "ORDERER_GENERAL_GENESISMETHOD" : "ORDERER_GENERAL_BOOTSTRAPMETHOD"]: "file",
        [v14 ? "ORDERER_GENERAL_GENESISFILE" : "ORDERER_GENERAL_BOOTSTRAPFILE"]: CONTAINER.orderer.genesis,
        ORDERER_GENERAL_TLS_ENABLED: String(spec.tls),
        ORDERER_FILELEDGER_LOCATION: CONTAINER.orderer.ledger,
        ORDERER_KAFKA_VERSION: spec.ordering.kafka.protocolVersion,
        ORDERER_KAFKA_TOPIC_REPLICATIONFACTOR: String(spec.ordering.kafka.replicationFactor),
        ORDERER_KAFKA_VERBOSE: "false",
        ORDERER_OPERATIONS_LISTENADDRESS: `0.0.0.0:${o.operationsPort}`,
        ORDERER_METRICS_PROVIDER: "prometheus",
    };
    if (spec.tls) {
        env.ORDERER_GENERAL_TLS_PRIVATEKEY = `${CONTAINER.orderer.tls}/server.key`;
        env.ORDERER_GENERAL_TLS_CERTIFICATE = `${CONTAINER.orderer.tls}/server.crt`;
        env.ORDERER_GENERAL_TLS_ROOTCAS = `[${CONTAINER.orderer.tls}/ca.crt]`;
    }
    if (!v14) env.ORDERER_CHANNELPARTICIPATION_ENABLED = "false";
    return env;
}

export function ordererContainer(spec: NetworkSpec, o: OrdererSpec): ContainerSpec {
    const host = hostByName(spec, o.host);
    const dir = `${host.workdir}/${WORKDIR.orderer(o)}`;
    return {
        name: o.fqdn,
        resourceName: o.name,
        role: "orderer",
        host: o.host,
        image: "orderer",
        hostname: o.fqdn,
        env: ordererEnv(spec, o),
        command: null,
        ports: [published(host, o.port)],
        volumes: [{ volume: `${o.fqdn}-ledger`, containerPath: CONTAINER.orderer.ledger, stateful: true }],
        binds: [
            { hostPath: `${dir}/msp`, containerPath: CONTAINER.orderer.msp, readOnly: true },
            { hostPath: `${dir}/tls`, containerPath: CONTAINER.orderer.tls, readOnly: true },
            { hostPath: `${dir}/genesis.block`, containerPath: CONTAINER.orderer.genesis, readOnly: true },
        ],
        extraHosts: extraHostsFor(spec, o.host, [
            ...brokerNames(spec),
            ...ordererNames(spec).filter((n) => n.name !== o.fqdn),
        ]),
        aliases: [o.fqdn],
        restart: "unless-stopped",
        healthcheck: HEALTHCHECK,
    };
}

/** The peer address other nodes dial. */
export function peerAddress(p: PeerSpec): string {
    return `${p.fqdn}:${p.port}`;
}

/** Every anchor peer of every org: peers resolve them for cross-org gossip (the old runbook's defect 7). */
function anchorPeers(spec: NetworkSpec): PeerSpec[] {
    return allPeers(spec).filter((p) => p.anchor);
}

export function peerEnv(spec: NetworkSpec, p: PeerSpec): Record<string, string> {
    const org = orgOf(spec, p);
    const others = org.peers.filter((x) => x.name !== p.name);
    const env: Record<string, string> = {
        FABRIC_LOGGING_SPEC: spec.logging,
        CORE_PEER_ID: p.fqdn,
        CORE_PEER_ADDRESS: peerAddress(p),
        CORE_PEER_LISTENADDRESS: `0.0.0.0:${p.port}`,
        CORE_PEER_CHAINCODELISTENADDRESS: `0.0.0.0:${CONTAINER.peer.chaincodeListenPort}`,
        CORE_PEER_CHAINCODEADDRESS: `${p.fqdn}:${CONTAINER.peer.chaincodeListenPort}`,
        CORE_PEER_GOSSIP_BOOTSTRAP: (others.length > 0 ? others : [p]).map(peerAddress).join(" "),
        // Without an external endpoint other orgs never learn of this peer.
        CORE_PEER_GOSSIP_EXTERNALENDPOINT: peerAddress(p),
        // Every peer pulls blocks from the orderers itself: no leader election to lose.
        CORE_PEER_GOSSIP_USELEADERELECTION: "false",
        CORE_PEER_GOSSIP_ORGLEADER: "true",
        CORE_PEER_LOCALMSPID: p.mspId,
        CORE_PEER_MSPCONFIGPATH: CONTAINER.peer.msp,
        CORE_PEER_FILESYSTEMPATH: CONTAINER.peer.ledger,
        CORE_PEER_TLS_ENABLED: String(spec.tls),
        CORE_OPERATIONS_LISTENADDRESS: `0.0.0.0:${p.operationsPort}`,
        CORE_METRICS_PROVIDER: "prometheus",
        CORE_LEDGER_STATE_STATEDATABASE: p.stateDatabase === "couchdb" ? "CouchDB" : "goleveldb",
    };
    if (spec.tls) {
        env.CORE_PEER_TLS_CERT_FILE = `${CONTAINER.peer.tls}/server.crt`;
        env.CORE_PEER_TLS_KEY_FILE = `${CONTAINER.peer.tls}/server.key`;
        env.CORE_PEER_TLS_ROOTCERT_FILE = `${CONTAINER.peer.tls}/ca.crt`;
    }
    if (spec.fabricVersion === "2.5") {
        // No Docker socket: chaincode runs as a service (CCaaS) that the peer dials.
        env.CORE_VM_ENDPOINT = "";
        env.CORE_CHAINCODE_EXTERNALBUILDERS =
            "[{name: ccaas_builder, path: /opt/hyperledger/ccaas_builder, propagateEnvironment: [CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG]}]";
        env.CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG = JSON.stringify({ peername: p.fqdn });
    }
    if (p.stateDatabase === "couchdb") {
        env.CORE_LEDGER_STATE_COUCHDBCONFIG_COUCHDBADDRESS = `${couchdbName(p)}:${p.couchdbPort}`;
        // Username and password are secrets: the PeerNode component adds them from random.RandomPassword.
    }
    return env;
}

export function couchdbName(p: PeerSpec): string {
    return `couchdb.${p.fqdn}`;
}

/** Names a peer (and its CLI) must resolve: orderers, its org's peers, every other org's anchor peers. */
function peerContacts(spec: NetworkSpec, p: PeerSpec) {
    const org = orgOf(spec, p);
    return [
        ...ordererNames(spec),
        ...org.peers.filter((x) => x.name !== p.name).map((x) => ({ name: x.fqdn, host: x.host })),
        ...anchorPeers(spec)
            .filter((x) => x.org !== p.org)
            .map((x) => ({ name: x.fqdn, host: x.host })),
    ];
}

export function peerContainer(spec: NetworkSpec, p: PeerSpec): ContainerSpec {
    const host = hostByName(spec, p.host);
    const dir = `${host.workdir}/${WORKDIR.peerNode(p)}`;
    return {
        name: p.fqdn,
        resourceName: peerResourceName(spec, p),
        role: "peer",
        host: p.host,
        image: "peer",
        hostname: p.fqdn,
        env: peerEnv(spec, p),
        command: null,
        ports: [published(host, p.port)],
        volumes: [{ volume: `${p.fqdn}-ledger`, containerPath: CONTAINER.peer.ledger, stateful: true }],
        binds: [
            { hostPath: `${dir}/msp`, containerPath: CONTAINER.peer.msp, readOnly: true },
            { hostPath: `${dir}/tls`, containerPath: CONTAINER.peer.tls, readOnly: true },
        ],
        extraHosts: extraHostsFor(spec, p.host, peerContacts(spec, p)),
        aliases: [p.fqdn],
        restart: "unless-stopped",
        healthcheck: HEALTHCHECK,
    };
}

export function cliName(p: PeerSpec): string {
    return `cli.${p.fqdn}`;
}

/**
 * The tools container that runs the `peer` CLI for this peer's steps, as its org's admin. Everything it
 * needs (admin MSP, CA certificates, artifacts, fetched blocks, packages) is in the host's workdir, bind
 * mounted: a restart or re-creation loses nothing (the old runbook's problem P1).
 */
export function cliContainer(spec: NetworkSpec, p: PeerSpec): ContainerSpec {
    const host = hostByName(spec, p.host);
    const org = orgOf(spec, p);
    const env: Record<string, string> = {
        FABRIC_LOGGING_SPEC: "WARNING",
        CORE_PEER_ADDRESS: peerAddress(p),
        CORE_PEER_LOCALMSPID: p.mspId,
        CORE_PEER_MSPCONFIGPATH: CLI.adminMsp,
        CORE_PEER_TLS_ENABLED: String(spec.tls),
    };
    if (spec.tls) env.CORE_PEER_TLS_ROOTCERT_FILE = CLI.tlsCa(org.domain);
    return {
        name: cliName(p),
        resourceName: `${peerResourceName(spec, p)}-cli`,
        role: "cli",
        host: p.host,
        image: "tools",
        hostname: cliName(p),
        env,
        command: ["sleep", "infinity"],
        ports: [],
        volumes: [],
        binds: [{ hostPath: `${host.workdir}/${WORKDIR.cli(p)}`, containerPath: CONTAINER.cli.work, readOnly: false }],
        extraHosts: extraHostsFor(spec, p.host, [
            ...ordererNames(spec),
            ...allPeers(spec).map((x) => ({ name: x.fqdn, host: x.host })),
        ]),
        aliases: [cliName(p)],
        restart: "unless-stopped",
        healthcheck: null,
    };
}

/** Name (and DNS alias on the peer's host) of the chaincode server a peer dials. */
export function chaincodeServerName(cc: ChaincodeSpec, p: PeerSpec): string {
    return `${cc.name}.${p.fqdn}`;
}

/** The chaincode-as-a-service container beside one peer; CHAINCODE_ID is the package id (see plan/chaincode). */
export function chaincodeContainer(
    spec: NetworkSpec,
    cc: ChaincodeSpec,
    p: PeerSpec,
    packageId: string,
): ContainerSpec {
    return {
        name: chaincodeServerName(cc, p),
        resourceName: `${cc.name}-${peerResourceName(spec, p)}`,
        role: "chaincode",
        host: p.host,
        image: "chaincode",
        hostname: chaincodeServerName(cc, p),
        env: { CHAINCODE_SERVER_ADDRESS: `0.0.0.0:${cc.port}`, CHAINCODE_ID: packageId },
        command: null,
        ports: [],
        volumes: [],
        binds: [],
        extraHosts: [],
        aliases: [chaincodeServerName(cc, p)],
        restart: "unless-stopped",
        healthcheck: null,
    };
}

/** Every long-running container of the network, grouped by host, in tier order. */
export function containersByHost(spec: NetworkSpec): Map<string, ContainerSpec[]> {
    const all = [
        ...spec.ordering.zookeepers.map((z) => zookeeperContainer(spec, z)),
        ...spec.ordering.kafka.brokers.map((b) => kafkaContainer(spec, b)),
        ...spec.orderers.map((o) => ordererContainer(spec, o)),
        ...allPeers(spec).flatMap((p) => [peerContainer(spec, p), cliContainer(spec, p)]),
    ];
    const out = new Map<string, ContainerSpec[]>(spec.hosts.map((h) => [h.name, []]));
    for (const c of all) out.get(c.host)!.push(c);
    return out;
}

/** The peer's CouchDB, on the peer's host and network only (5984 is never published). */
export function couchdbContainer(spec: NetworkSpec, p: PeerSpec): ContainerSpec {
    return {
        name: couchdbName(p),
        resourceName: `${peerResourceName(spec, p)}-couchdb`,
        role: "couchdb",
        host: p.host,
        image: "couchdb",
        hostname: couchdbName(p),
        // COUCHDB_USER / COUCHDB_PASSWORD come from random.RandomPassword in the PeerNode component.
        env: {},
        command: null,
        ports: [],
        volumes: [{ volume: `${couchdbName(p)}-data`, containerPath: CONTAINER.couchdb.data, stateful: true }],
        binds: [],
        extraHosts: [],
        aliases: [couchdbName(p)],
        restart: "unless-stopped",
        // Ready = answers an authenticated admin request. Works with the official couchdb:3 image (curl
        // is there; _all_dbs is admin-only) and with the toolchain's stand-in; the peer starts after it.
        healthcheck: {
            ...HEALTHCHECK,
            test: [
                "CMD-SHELL",
                `curl -fsS -o /dev/null -u "$COUCHDB_USER:$COUCHDB_PASSWORD" http://127.0.0.1:${p.couchdbPort}/_all_dbs`,
            ],
        },
    };
}
