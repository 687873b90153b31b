/**
 * The normalized network description that every other layer consumes.
 *
 * A `NetworkSpec` is what remains of the stack configuration once it has been validated and every default has
 * been resolved: plain, frozen data with no Pulumi types in it, so that the plan layer can be pure and the
 * tests can build one without a Pulumi engine. Credentials are deliberately absent: the spec only says which
 * kind of credential a host uses; the secret values travel separately as Pulumi secrets.
 */

export type FabricVersion = "2.5" | "1.4";
export type HostKind = "ssh" | "local";
export type CredentialKind = "privateKey" | "password" | "none";
export type ChaincodeLifecycle = "v2" | "legacy";
export type StateDatabase = "goleveldb" | "couchdb";
export type ToolsMode = "docker" | "path";
export type ImageKey = "zookeeper" | "kafka" | "orderer" | "peer" | "tools" | "chaincode" | "couchdb";
export const IMAGE_KEYS: readonly ImageKey[] = [
    "zookeeper",
    "kafka",
    "orderer",
    "peer",
    "tools",
    "chaincode",
    "couchdb",
];

export interface HostSpec {
    readonly name: string;
    /** IPv4 address or DNS name the other hosts (and the operator) use to reach this host. */
    readonly address: string;
    readonly kind: HostKind;
    readonly sshPort: number;
    readonly user: string;
    readonly credential: CredentialKind;
    /** Directory on the host that receives this host's crypto material and channel artifacts. */
    readonly workdir: string;
}

export interface ZookeeperSpec {
    /** 1-based server id (`ZOO_MY_ID`, `server.N`). */
    readonly id: number;
    /** Container name and the name every other node uses for it, e.g. `zookeeper1`. */
    readonly name: string;
    readonly host: string;
    readonly clientPort: number;
    readonly quorumPort: number;
    readonly electionPort: number;
}

export interface BrokerSpec {
    /** `broker.id`, pinned so a restart keeps the broker's identity. */
    readonly id: number;
    readonly name: string;
    readonly host: string;
    readonly port: number;
    /**
     * The host the broker ran on before a move: its log volume is carried from there to `host` (broker
     * stopped) before it starts on `host`, so it resumes from its own logs instead of starting empty.
     */
    readonly movedFrom?: string;
}

export interface KafkaSettings {
    readonly brokers: readonly BrokerSpec[];
    readonly replicationFactor: number;
    readonly minInsyncReplicas: number;
    readonly uncleanLeaderElection: boolean;
    readonly retentionMs: number;
    readonly messageMaxBytes: number;
    readonly replicaFetchMaxBytes: number;
    readonly socketRequestMaxBytes: number;
    readonly zookeeperSessionTimeoutMs: number;
    readonly heapOpts: string;
    /** `Orderer.Kafka.Version` / `ORDERER_KAFKA_VERSION`: the protocol the orderers speak. */
    readonly protocolVersion: string;
}

/** The Kafka/ZooKeeper backend of a Kafka-ordered network. */
export interface KafkaBackendSpec {
    readonly zookeepers: readonly ZookeeperSpec[];
    readonly kafka: KafkaSettings;
}

export interface KafkaOrderingSpec extends KafkaBackendSpec {
    readonly type: "kafka";
}

/** `EtcdRaft.Options` of the channel config; defaults in config/defaults.ts (those of Fabric's configtx.yaml). */
export interface RaftOptions {
    /** Duration of one Raft tick, e.g. `500ms`. */
    readonly tickInterval: string;
    /** Ticks without a heartbeat before a follower starts an election; greater than heartbeatTick. */
    readonly electionTick: number;
    /** Ticks between the leader's heartbeats. */
    readonly heartbeatTick: number;
    /** Blocks in flight to a follower before the leader waits for acknowledgements. */
    readonly maxInflightBlocks: number;
    /** Bytes of blocks between two snapshots. */
    readonly snapshotIntervalSize: number;
}

/**
 * A running Kafka network becoming a Raft network (Fabric's five-phase Kafka → Raft migration), present while
 * the config still holds the Kafka sections under `ordering.type: etcdraft`.
 */
export interface KafkaMigrationSpec {
    /** The backend being left: its data is backed up, its containers removed once Raft runs. */
    readonly from: KafkaBackendSpec;
    /** Restore the backup and return to Kafka (only while the channels are still in maintenance). */
    readonly abort: boolean;
    /** Delete the ZooKeeper and Kafka volumes after the migration instead of keeping them. */
    readonly removeBackendVolumes: boolean;
}

/** Raft consensus: the orderers are the consenters, nothing else runs beside them. */
export interface EtcdRaftOrderingSpec {
    readonly type: "etcdraft";
    readonly options: RaftOptions;
    /** Set when this network was ordered by Kafka and is being (or has been) migrated; null for a new network. */
    readonly migration: KafkaMigrationSpec | null;
}

/**
 * How the orderers reach consensus, discriminated on `type`. Each variant has its own plan module
 * (plan/ordering/) that supplies its configtx Orderer section, orderer environment, extra nodes and step edges.
 */
export type OrderingSpec = KafkaOrderingSpec | EtcdRaftOrderingSpec;
export type OrderingType = OrderingSpec["type"];

export interface OrdererOrgSpec {
    readonly name: string;
    readonly mspId: string;
    readonly domain: string;
}

export interface OrdererSpec {
    readonly name: string;
    /** `<name>.<orderer org domain>`: the TLS host name and the address clients dial. */
    readonly fqdn: string;
    readonly host: string;
    readonly port: number;
    readonly operationsPort: number;
    /** The host the orderer ran on before a move: its ledger is carried from there (see BrokerSpec.movedFrom). */
    readonly movedFrom?: string;
}

export interface BatchSpec {
    readonly timeout: string;
    readonly maxMessageCount: number;
    readonly absoluteMaxBytes: number;
    readonly preferredMaxBytes: number;
}

export interface PeerSpec {
    readonly name: string;
    readonly fqdn: string;
    readonly org: string;
    readonly mspId: string;
    readonly host: string;
    readonly port: number;
    readonly operationsPort: number;
    readonly anchor: boolean;
    readonly stateDatabase: StateDatabase;
    readonly couchdbPort: number;
}

export interface OrgSpec {
    readonly name: string;
    readonly mspId: string;
    readonly domain: string;
    /** Extra users besides Admin that cryptogen creates (`User1`..`UserN`). */
    readonly users: number;
    readonly peers: readonly PeerSpec[];
}

export interface ChannelSpec {
    readonly name: string;
    /** Organisation names, in config order. */
    readonly organizations: readonly string[];
}

export interface ChaincodeSpec {
    readonly name: string;
    readonly version: string;
    readonly sequence: number;
    readonly language: "node";
    readonly lifecycle: ChaincodeLifecycle;
    readonly channel: string;
    readonly endorsementPolicy: string;
    /** The transaction called once after deployment, or null for none. */
    readonly init: { readonly function: string; readonly args: readonly string[] } | null;
    /** Port the chaincode server listens on inside its container (CCaaS). */
    readonly port: number;
    /** The query run on every `up` from a peer of each org, and the value it must return (or null: any). */
    readonly verify: {
        readonly function: string;
        readonly args: readonly string[];
        readonly expect: string | null;
    } | null;
}

export interface ImageSpec {
    /** Full reference as pulled, registry prefix included. */
    readonly ref: string;
}

export interface NetworkSpec {
    readonly fabricVersion: FabricVersion;
    readonly tls: boolean;
    readonly systemChannel: string;
    readonly consortium: string;
    readonly logging: string;
    readonly hosts: readonly HostSpec[];
    readonly ordering: OrderingSpec;
    readonly ordererOrg: OrdererOrgSpec;
    readonly orderers: readonly OrdererSpec[];
    readonly batch: BatchSpec;
    readonly organizations: readonly OrgSpec[];
    readonly channels: readonly ChannelSpec[];
    readonly chaincodes: readonly ChaincodeSpec[];
    readonly images: Readonly<Record<ImageKey, ImageSpec>>;
    readonly registry: { readonly prefix: string };
    readonly tools: { readonly mode: ToolsMode };
    /** How the Docker connection checks host keys; `knownHostsFile` null means ssh's default (~/.ssh/known_hosts). */
    readonly ssh: { readonly knownHostsFile: string | null; readonly strictHostKeyChecking: "yes" | "accept-new" };
    /** Volumes holding ledgers are protected from `pulumi destroy` unless this is false. */
    readonly protectVolumes: boolean;
    /**
     * A channel's member orgs follow the config on a running network: a channel configuration update adds or
     * removes org groups, signed by the members' admins on their own hosts (plan/members).
     */
    readonly manageChannelMembers: boolean;
    /** preview/up warn about every certificate that expires within this many days. */
    readonly certificateExpiryWarningDays: number;
    /** How long a node may take to become ready after its container started (plan/readiness). */
    readonly readyTimeoutSeconds: number;
    /** Non-fatal findings (e.g. fewer than 4 brokers), shown as Pulumi warnings. */
    readonly warnings: readonly string[];
}
