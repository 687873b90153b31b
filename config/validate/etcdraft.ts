/**
 * The `etcdraft` ordering variant: the orderers themselves are the Raft consenters. Checks what Raft needs
 * (TLS: consenters know each other by their TLS certificates; a consenter count that survives a failure) and
 * the ranges of the Raft options, each with its own message.
 */
import { DEFAULTS } from "../defaults";
import { show } from "../errors";
import { BatchSpec, EtcdRaftOrderingSpec, KafkaMigrationSpec, RaftOptions } from "../spec";
import { Collector, Context, Path } from "./collector";
import { normalizeKafka } from "./kafka";
import type { RawVariant } from "./ordering";
import { DURATION_RE, sizeAt } from "./values";

/** etcd/raft counts sizes in a uint32. */
const MAX_SNAPSHOT_BYTES = 2 ** 32 - 1;

export function normalizeEtcdraft(
    ord: RawVariant<"etcdraft">,
    ctx: Context,
    batch: BatchSpec,
    net: { readonly tls: boolean },
): EtcdRaftOrderingSpec {
    const { c } = ctx;
    if (!net.tls) {
        c.err(
            ["network", "tls"],
            'is false, but ordering.type "etcdraft" needs TLS: Raft orderers authenticate each other by their TLS certificates; allowed: true (the default)',
        );
    }
    checkConsenterCount(ord.orderers.length, c);
    return { type: "etcdraft", options: raftOptions(ord.etcdraft ?? {}, c), migration: migration(ord, ctx, batch) };
}

/**
 * The Kafka sections under `etcdraft` describe the backend a running Kafka network leaves: both are needed
 * (the backup covers both), and they are validated as they were under `kafka`. `migration` only means
 * something with them.
 */
function migration(ord: RawVariant<"etcdraft">, ctx: Context, batch: BatchSpec): KafkaMigrationSpec | null {
    const { c } = ctx;
    if (ord.zookeeper === undefined && ord.kafka === undefined) {
        if (ord.migration !== undefined) {
            c.err(
                ["ordering", "migration"],
                'is set, but there is no Kafka network to migrate: keep the ordering.zookeeper and ordering.kafka sections of the Kafka network while it migrates to "etcdraft"; allowed: no migration section on a new Raft network',
            );
        }
        return null;
    }
    if (ord.zookeeper === undefined || ord.kafka === undefined) {
        const missing = ord.zookeeper === undefined ? "zookeeper" : "kafka";
        c.err(
            ["ordering", missing],
            `is missing: a Kafka network migrating to "etcdraft" keeps both its ordering.zookeeper and ordering.kafka sections (the backend being left); allowed: both, or neither for a new Raft network`,
        );
        return null;
    }
    const backend = normalizeKafka({ ...ord, type: "kafka", zookeeper: ord.zookeeper, kafka: ord.kafka }, ctx, batch);
    return {
        from: { zookeepers: backend.zookeepers, kafka: backend.kafka },
        abort: ord.migration?.abort ?? false,
        removeBackendVolumes: ord.migration?.removeBackendVolumes ?? false,
    };
}

/**
 * Raft needs a majority of consenters. One consenter is accepted (a development network) with a warning; two
 * are refused: losing either stops ordering, so they are less available than one. An even count is accepted
 * with a warning: it tolerates no more failures than one consenter fewer.
 */
function checkConsenterCount(n: number, c: Collector): void {
    const tolerated = Math.floor((n - 1) / 2);
    if (n === 2) {
        c.err(
            ["ordering", "orderers"],
            `has 2 orderers; with "etcdraft" both must be up to order anything, so no failure is tolerated; allowed: 1 (no fault tolerance, for development) or 3 or more (3 tolerates one failure)`,
        );
    } else if (n === 1) {
        c.warn(
            `ordering.orderers has 1 orderer: a single Raft consenter tolerates no failure (${DEFAULTS.etcdraft.recommendedConsenters} or more recommended)`,
        );
    } else if (n > 2 && n % 2 === 0) {
        c.warn(
            `ordering.orderers has ${n} orderers: an even number of Raft consenters tolerates ${tolerated} failure${tolerated === 1 ? "" : "s"}, no more than ${n - 1} would`,
        );
    }
}

function raftOptions(raw: NonNullable<RawVariant<"etcdraft">["etcdraft"]>, c: Collector): RaftOptions {
    const d = DEFAULTS.etcdraft;
    const at = (key: string): Path => ["ordering", "etcdraft", key];
    const tickInterval = raw.tickInterval ?? d.tickInterval;
    if (!DURATION_RE.test(tickInterval) || /^0+(ms|s|m)$/.test(tickInterval)) {
        c.err(at("tickInterval"), `found ${show(tickInterval)}; allowed: a positive duration such as "500ms" or "1s"`);
    }
    const atLeast = (key: string, v: number, min: number) => {
        if (v < min) c.err(at(key), `found ${v}; allowed: an integer of at least ${min}`);
    };
    const heartbeatTick = raw.heartbeatTick ?? d.heartbeatTick;
    atLeast("heartbeatTick", heartbeatTick, 1);
    const electionTick = raw.electionTick ?? d.electionTick;
    if (electionTick <= heartbeatTick) {
        c.err(
            at("electionTick"),
            `(${electionTick}) must be greater than heartbeatTick (${heartbeatTick}), or followers start elections between two heartbeats; allowed: ${heartbeatTick + 1} or more (default ${d.electionTick})`,
        );
    }
    const maxInflightBlocks = raw.maxInflightBlocks ?? d.maxInflightBlocks;
    atLeast("maxInflightBlocks", maxInflightBlocks, 1);
    const snapshotIntervalSize = sizeAt(
        c,
        at("snapshotIntervalSize"),
        raw.snapshotIntervalSize,
        d.snapshotIntervalSize,
    );
    if (snapshotIntervalSize > MAX_SNAPSHOT_BYTES) {
        c.err(
            at("snapshotIntervalSize"),
            `(${snapshotIntervalSize} bytes) is too large; allowed: up to ${MAX_SNAPSHOT_BYTES} bytes (just under 4 GB)`,
        );
    }
    return { tickInterval, electionTick, heartbeatTick, maxInflightBlocks, snapshotIntervalSize };
}
