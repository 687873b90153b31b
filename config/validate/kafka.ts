/** The `kafka` ordering variant: the ZooKeeper ensemble, the brokers and the Kafka settings Fabric relies on. */
import { DEFAULTS } from "../defaults";
import { BatchSpec, BrokerSpec, KafkaOrderingSpec, OrdererSpec, OrderingSpec, ZookeeperSpec } from "../spec";
import { Collector, Context, Path } from "./collector";
import type { RawVariant } from "./ordering";
import { show } from "../errors";
import { INT32_MAX, HEAP_OPTS_ALLOWED, compareVersions, heapOptsProblem, sizeAt } from "./values";

// ZooKeeper grants sessions between 2 and 20 ticks and silently clamps any other request.
const ZK_MIN_SESSION_MS = 2 * DEFAULTS.zookeeper.tickTimeMs;
const ZK_MAX_SESSION_MS = 20 * DEFAULTS.zookeeper.tickTimeMs;
// Fabric's orderer maps any version from 0.8.2 up onto its Kafka client's protocol levels; below that it refuses.
const MIN_KAFKA_VERSION = "0.8.2";

export function normalizeKafka(ord: RawVariant<"kafka">, ctx: Context, batch: BatchSpec): KafkaOrderingSpec {
    const { c } = ctx;

    // ---- ZooKeeper
    const zkCount = ord.zookeeper.length;
    // 0 is even: an empty ensemble is reported here too (and never with "1 node").
    if (zkCount % 2 === 0) {
        c.err(
            ["ordering", "zookeeper"],
            `has ${zkCount} nodes; allowed: an odd number (3, 5 or 7) so the ensemble keeps a majority`,
        );
    } else if (zkCount === 1) {
        c.warn("ordering.zookeeper has 1 node: the ensemble is a single point of failure (3, 5 or 7 recommended)");
    } else if (zkCount > 7) {
        c.warn(`ordering.zookeeper has ${zkCount} nodes: more than 7 adds latency without benefit`);
    }
    const zookeepers: ZookeeperSpec[] = ord.zookeeper.map((z, i) => {
        const path = ["ordering", "zookeeper", i] as const;
        ctx.hosts.check([...path, "host"], z.host);
        const spec: ZookeeperSpec = {
            id: i + 1,
            name: `zookeeper${i + 1}`,
            host: z.host,
            clientPort: z.clientPort ?? DEFAULTS.zookeeper.clientPort,
            quorumPort: z.quorumPort ?? DEFAULTS.zookeeper.quorumPort,
            electionPort: z.electionPort ?? DEFAULTS.zookeeper.electionPort,
        };
        ctx.ports.claim(z.host, spec.clientPort, [...path, "clientPort"], `${spec.name} client port`);
        ctx.ports.claim(z.host, spec.quorumPort, [...path, "quorumPort"], `${spec.name} quorum port`);
        ctx.ports.claim(z.host, spec.electionPort, [...path, "electionPort"], `${spec.name} election port`);
        return spec;
    });

    // ---- Kafka
    const k = ord.kafka;
    const brokers: BrokerSpec[] = k.brokers.map((b, i) => {
        const path = ["ordering", "kafka", "brokers", i] as const;
        ctx.hosts.check([...path, "host"], b.host);
        const spec: BrokerSpec = {
            id: i + 1,
            name: `kafka${i + 1}`,
            host: b.host,
            port: b.port ?? DEFAULTS.kafka.port,
            ...(b.movedFrom !== undefined ? { movedFrom: b.movedFrom } : {}),
        };
        checkMovedFrom(ctx, [...path, "movedFrom"], b.movedFrom, b.host, spec.name);
        ctx.ports.claim(b.host, spec.port, [...path, "port"], `${spec.name}`);
        return spec;
    });
    const rf = k.replicationFactor ?? DEFAULTS.kafka.replicationFactor;
    const isr = k.minInsyncReplicas ?? DEFAULTS.kafka.minInsyncReplicas;
    if (rf >= brokers.length) {
        c.err(
            ["ordering", "kafka", "replicationFactor"],
            `(${rf}) must be less than the broker count (${brokers.length}), so that channel creation survives one broker down; allowed: 1..${Math.max(1, brokers.length - 1)}`,
        );
    }
    if (isr >= rf) {
        c.err(
            ["ordering", "kafka", "minInsyncReplicas"],
            `(${isr}) must be less than the replication factor (${rf}); allowed: 1..${Math.max(1, rf - 1)}`,
        );
    }
    if (brokers.length > 0 && brokers.length < DEFAULTS.kafka.recommendedBrokers) {
        c.warn(
            `ordering.kafka.brokers has ${brokers.length} brokers: Fabric recommends at least 4 so one broker can fail while channels stay writable`,
        );
    }
    if (rf < 3 || isr < 2) {
        c.warn(`ordering.kafka replicationFactor ${rf} / minInsyncReplicas ${isr}: the recommended minimum is 3 / 2`);
    }
    if (k.uncleanLeaderElection === true) {
        c.warn(
            "ordering.kafka.uncleanLeaderElection is on: a broker outside the ISR may become leader and rewrite the chain",
        );
    }
    const retentionMs = k.retentionMs ?? DEFAULTS.kafka.retentionMs;
    if (retentionMs !== -1) {
        c.err(
            ["ordering", "kafka", "retentionMs"],
            `found ${retentionMs}; allowed: -1 (orderers never prune Kafka logs; any retention would delete blocks)`,
        );
    }

    // ---- the Kafka message limits that must stay above the block size
    const messageMaxBytes = sizeAt(
        c,
        ["ordering", "kafka", "messageMaxBytes"],
        k.messageMaxBytes,
        batch.absoluteMaxBytes + DEFAULTS.kafka.headroomBytes,
    );
    const replicaFetchMaxBytes = sizeAt(
        c,
        ["ordering", "kafka", "replicaFetchMaxBytes"],
        k.replicaFetchMaxBytes,
        messageMaxBytes,
    );
    const socketRequestMaxBytes = sizeAt(
        c,
        ["ordering", "kafka", "socketRequestMaxBytes"],
        k.socketRequestMaxBytes,
        DEFAULTS.kafka.socketRequestMaxBytes,
    );
    const minFetch = batch.absoluteMaxBytes + DEFAULTS.kafka.headroomBytes;
    if (replicaFetchMaxBytes < minFetch) {
        c.err(
            ["ordering", "kafka", "replicaFetchMaxBytes"],
            `(${replicaFetchMaxBytes}) must be at least batchSize.absoluteMaxBytes + 1 MiB (${minFetch}) or blocks cannot replicate`,
        );
    }
    if (messageMaxBytes < minFetch) {
        c.err(
            ["ordering", "kafka", "messageMaxBytes"],
            `(${messageMaxBytes}) must be above batchSize.absoluteMaxBytes (${batch.absoluteMaxBytes}) by at least 1 MiB for record headers; allowed: ${minFetch} or more`,
        );
    }
    if (replicaFetchMaxBytes > messageMaxBytes) {
        c.err(
            ["ordering", "kafka", "replicaFetchMaxBytes"],
            `(${replicaFetchMaxBytes}) must not exceed messageMaxBytes (${messageMaxBytes})`,
        );
    }
    for (const [key, value] of [
        ["messageMaxBytes", messageMaxBytes],
        ["replicaFetchMaxBytes", replicaFetchMaxBytes],
        ["socketRequestMaxBytes", socketRequestMaxBytes],
    ] as const) {
        if (value > INT32_MAX) {
            c.err(
                ["ordering", "kafka", key],
                `(${value}) is above ${INT32_MAX}; allowed: at most ${INT32_MAX} bytes (Kafka reads it as a 32-bit int)`,
            );
        }
    }
    if (messageMaxBytes >= socketRequestMaxBytes) {
        c.err(
            ["ordering", "kafka", "messageMaxBytes"],
            `(${messageMaxBytes}) must be less than socketRequestMaxBytes (${socketRequestMaxBytes})`,
        );
    }

    const zookeeperSessionTimeoutMs = k.zookeeperSessionTimeoutMs ?? DEFAULTS.kafka.zookeeperSessionTimeoutMs;
    if (zookeeperSessionTimeoutMs < ZK_MIN_SESSION_MS || zookeeperSessionTimeoutMs > ZK_MAX_SESSION_MS) {
        c.err(
            ["ordering", "kafka", "zookeeperSessionTimeoutMs"],
            `found ${zookeeperSessionTimeoutMs}; allowed: ${ZK_MIN_SESSION_MS}..${ZK_MAX_SESSION_MS} (ZooKeeper grants 2 to 20 ticks of ${DEFAULTS.zookeeper.tickTimeMs} ms and silently clamps anything else)`,
        );
    }
    const heapOpts = k.heapOpts ?? DEFAULTS.kafka.heapOpts;
    const heapProblem = heapOptsProblem(heapOpts);
    if (heapProblem) {
        c.err(
            ["ordering", "kafka", "heapOpts"],
            `found ${show(heapOpts)}: ${heapProblem}; allowed: ${HEAP_OPTS_ALLOWED}`,
        );
    }
    const protocolVersion = k.protocolVersion ?? DEFAULTS.kafka.protocolVersion;
    if (!/^\d{1,4}(\.\d{1,4}){2,3}$/.test(protocolVersion) || compareVersions(protocolVersion, MIN_KAFKA_VERSION) < 0) {
        c.err(
            ["ordering", "kafka", "protocolVersion"],
            `found ${show(protocolVersion)}; allowed: a Kafka version of 3 or 4 numbers from ${MIN_KAFKA_VERSION} up, e.g. "1.0.0" (what Fabric's orderer accepts as Kafka.Version)`,
        );
    }

    return {
        type: "kafka",
        zookeepers,
        kafka: {
            brokers,
            replicationFactor: rf,
            minInsyncReplicas: isr,
            uncleanLeaderElection: k.uncleanLeaderElection ?? DEFAULTS.kafka.uncleanLeaderElection,
            retentionMs,
            messageMaxBytes,
            replicaFetchMaxBytes,
            socketRequestMaxBytes,
            zookeeperSessionTimeoutMs,
            heapOpts,
            protocolVersion,
        },
    };
}

/** `movedFrom` of a node (a broker, an orderer): a declared host, other than the node's own. */
export function checkMovedFrom(
    ctx: Context,
    path: Path,
    movedFrom: string | undefined,
    host: string,
    node: string,
): void {
    if (movedFrom === undefined) return;
    ctx.hosts.check(path, movedFrom);
    if (movedFrom === host)
        ctx.c.err(
            path,
            `is the node's own host ${show(host)}; allowed: the host ${node} ran on before its move, another than "host"`,
        );
}

/**
 * A move (`movedFrom` of a broker or an orderer) is a change to a running network: during a migration to
 * etcdraft the nodes are being stopped and restarted by the migration's phases, and a move is refused. (Both
 * ends' SSH logins use private keys, as every ssh host's must: the carry streams the data between them from the
 * operator's machine.)
 */
export function checkMoves(ordering: OrderingSpec, orderers: readonly OrdererSpec[], c: Collector): void {
    if (ordering.type === "kafka" || !ordering.migration) return;
    const refuse = (path: Path, name: string) =>
        c.err(
            path,
            `moves ${name} while the ordering migrates to etcdraft; allowed: moves on a network that is not migrating (finish the move, remove movedFrom, then migrate)`,
        );
    ordering.migration.from.kafka.brokers.forEach((b, i) => {
        if (b.movedFrom !== undefined && b.movedFrom !== b.host)
            refuse(["ordering", "kafka", "brokers", i, "movedFrom"], b.name);
    });
    orderers.forEach((o, i) => {
        if (o.movedFrom !== undefined && o.movedFrom !== o.host)
            refuse(["ordering", "orderers", i, "movedFrom"], o.name);
    });
}
