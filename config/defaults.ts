/**
 * Every default the program applies, in one place. The README's config table is written from this file;
 * change both together. Values and their reasons: ../shared/reference/fabric-kafka.md.
 */

export const MIB = 1024 * 1024;

export const DEFAULTS = {
    /** The Pulumi config namespace (the project name in Pulumi.yaml). */
    namespace: "fabric-kafka",
    fabricVersion: "2.5",
    tls: true,
    systemChannel: "system-channel",
    consortium: "SampleConsortium",
    logging: "INFO",
    protectVolumes: true,
    /**
     * Run the channel configuration update that adds or removes member orgs of a running channel (plan/members).
     * Off until its end-to-end test has run on the shared network; then it becomes the default.
     */
    manageChannelMembers: false,
    /** Warn in preview/up when a certificate of the crypto material expires within this many days. */
    certificateExpiryWarningDays: 30,
    /**
     * How long `up` waits for a node to become ready after its container started (plan/readiness) before it
     * fails naming the node. Generous: a JVM on a small host, or an orderer creating its Kafka topics.
     */
    readyTimeoutSeconds: 300,
    ordererOrg: { name: "OrdererOrg", mspId: "OrdererMSP", domain: "example.com" },
    host: { sshPort: 22, user: "root", workdir: "/var/lib/fabric-kafka", kind: "ssh" },
    // tickTimeMs is ZOO_TICK_TIME: session timeouts are granted between 2 and 20 ticks.
    zookeeper: { clientPort: 2181, quorumPort: 2888, electionPort: 3888, tickTimeMs: 2000 },
    kafka: {
        port: 9092,
        // Fabric's Kafka guide: K >= 4 brokers, N = 3 replicas, M = 2 in-sync replicas.
        recommendedBrokers: 4,
        replicationFactor: 3,
        minInsyncReplicas: 2,
        uncleanLeaderElection: false,
        // Orderers never prune: time-based retention would delete blocks.
        retentionMs: -1,
        // Headroom above AbsoluteMaxBytes for record headers.
        headroomBytes: MIB,
        // Kafka's default; the orderer's producer limit is also near 100 MiB.
        socketRequestMaxBytes: 100 * MIB,
        zookeeperSessionTimeoutMs: 6000,
        heapOpts: "-Xmx512M -Xms512M",
        protocolVersion: "1.0.0",
    },
    orderer: { port: 7050, operationsPort: 8443 },
    /** Fabric 2.5's configtx.yaml defaults for `EtcdRaft.Options` (../shared/reference/kafka-raft-migration.md). */
    etcdraft: {
        tickInterval: "500ms",
        electionTick: 10,
        heartbeatTick: 1,
        maxInflightBlocks: 5,
        snapshotIntervalSize: 16 * MIB,
        // Consenters needed so that one may fail and a majority remains.
        recommendedConsenters: 3,
    },
    batch: { timeout: "2s", maxMessageCount: 10, absoluteMaxBytes: 10 * MIB, preferredMaxBytes: 512 * 1024 },
    peer: { port: 7051, operationsPort: 9443, stateDatabase: "goleveldb", couchdbPort: 5984 },
    org: { users: 1 },
    chaincode: {
        version: "1.0",
        sequence: 1,
        language: "node",
        lifecycle: "v2",
        port: 9999,
    },
    tools: { mode: "docker" },
    // Trust on first use unless the operator pins host keys with a known_hosts file and "yes".
    ssh: { strictHostKeyChecking: "accept-new" },
    /**
     * The official images, at the versions the project tests (its toolchain builds mirrors of them; a stack on the
     * mirrors sets only `images.registry`). ZooKeeper and Kafka are configured through these images' own conventions
     * (ZOO_ variables; a server.properties the program delivers), Fabric through ORDERER_ and CORE_ variables over
     * the images' sample configuration.
     */
    images: {
        zookeeper: "zookeeper:3.8.4",
        kafka: "apache/kafka:3.9.1",
        orderer: "hyperledger/fabric-orderer:2.5.0",
        peer: "hyperledger/fabric-peer:2.5.0",
        tools: "hyperledger/fabric-tools:2.5.0",
        chaincode: "fabrickafka/mycc:1.1",
        couchdb: "couchdb:3.4.2",
    },
} as const;
