/**
 * The raw stack configuration as the operator writes it in `Pulumi.<stack>.yaml`: shapes only.
 * Objects are strict, so a misspelt key is reported instead of silently ignored. Rules that span several
 * fields (counts, references, ports per host) are in `validate/`, one normalizer per concern.
 */
import { z } from "zod";
import { IMAGE_KEYS } from "./spec";

const port = z.number().int().min(1).max(65535);
const count = z.number().int().min(0);
/** Sizes as Fabric writes them ("10 MB", binary units) or as a plain number of bytes. */
export const size = z.union([z.number().int().positive(), z.string()], {
    error: 'allowed: a size such as "10 MB", "512 KB" or a positive number of bytes',
});

export const hostSchema = z.strictObject({
    name: z.string(),
    address: z.string(),
    kind: z.enum(["ssh", "local"]).optional(),
    sshPort: port.optional(),
    user: z.string().min(1).optional(),
    workdir: z.string().optional(),
});

export const credentialSchema = z.strictObject({
    privateKey: z.string().optional(),
    password: z.string().optional(),
});

export const networkSchema = z.strictObject({
    fabricVersion: z.enum(["2.5", "1.4"]).optional(),
    tls: z.boolean().optional(),
    systemChannel: z.string().optional(),
    consortium: z.string().optional(),
    logging: z.string().optional(),
    protectVolumes: z.boolean().optional(),
    manageChannelMembers: z.boolean().optional(),
    certificateExpiryWarningDays: z.number().int().min(0).max(36500).optional(),
    readyTimeoutSeconds: z.number().int().min(10).max(3600).optional(),
    ordererOrg: z
        .strictObject({ name: z.string().optional(), mspId: z.string().optional(), domain: z.string().optional() })
        .optional(),
});

/** What every ordering type shares: the orderers and the batch settings. */
const orderingCommon = {
    orderers: z.array(
        z.strictObject({
            name: z.string(),
            host: z.string(),
            port: port.optional(),
            operationsPort: port.optional(),
            movedFrom: z.string().optional(),
        }),
    ),
    batchTimeout: z.string().optional(),
    batchSize: z
        .strictObject({
            maxMessageCount: z.number().int().positive().optional(),
            absoluteMaxBytes: size.optional(),
            preferredMaxBytes: size.optional(),
        })
        .optional(),
};

/** The ZooKeeper ensemble and the Kafka cluster of a Kafka-ordered network. */
const zookeeperSchema = z.array(
    z.strictObject({
        host: z.string(),
        clientPort: port.optional(),
        quorumPort: port.optional(),
        electionPort: port.optional(),
    }),
);
const kafkaSchema = z.strictObject({
    brokers: z.array(z.strictObject({ host: z.string(), port: port.optional(), movedFrom: z.string().optional() })),
    replicationFactor: z.number().int().min(1).optional(),
    minInsyncReplicas: z.number().int().min(1).optional(),
    uncleanLeaderElection: z.boolean().optional(),
    retentionMs: z.number().int().optional(),
    messageMaxBytes: size.optional(),
    replicaFetchMaxBytes: size.optional(),
    socketRequestMaxBytes: size.optional(),
    zookeeperSessionTimeoutMs: z.number().int().positive().optional(),
    heapOpts: z.string().optional(),
    protocolVersion: z.string().optional(),
});

export const kafkaOrderingSchema = z.strictObject({
    type: z.literal("kafka"),
    zookeeper: zookeeperSchema,
    kafka: kafkaSchema,
    ...orderingCommon,
});

/** Ranges are checked by the ordering normalizer, so each out-of-range value gets a message of its own. */
export const raftOptionsSchema = z.strictObject({
    tickInterval: z.string().optional(),
    electionTick: z.number().int().optional(),
    heartbeatTick: z.number().int().optional(),
    maxInflightBlocks: z.number().int().optional(),
    snapshotIntervalSize: size.optional(),
});

/** How a running Kafka network moves to Raft (ordering.type changed from kafka to etcdraft). */
export const migrationSchema = z.strictObject({
    abort: z.boolean().optional(),
    removeBackendVolumes: z.boolean().optional(),
});

export const etcdraftOrderingSchema = z.strictObject({
    type: z.literal("etcdraft"),
    etcdraft: raftOptionsSchema.optional(),
    ...orderingCommon,
    // A Kafka network migrating to Raft keeps its Kafka sections: the backend being left, whose data the
    // migration backs up on its hosts and whose containers it removes once Raft runs.
    zookeeper: zookeeperSchema.optional(),
    kafka: kafkaSchema.optional(),
    migration: migrationSchema.optional(),
});

export const orderingSchema = z.discriminatedUnion("type", [kafkaOrderingSchema, etcdraftOrderingSchema]);

export const organizationSchema = z.strictObject({
    name: z.string(),
    mspId: z.string(),
    domain: z.string(),
    users: count.optional(),
    peers: z.array(
        z.strictObject({
            name: z.string(),
            host: z.string(),
            port: port.optional(),
            operationsPort: port.optional(),
            stateDatabase: z.enum(["goleveldb", "couchdb"]).optional(),
        }),
    ),
    anchorPeers: z.array(z.string()).optional(),
});

export const channelSchema = z.strictObject({
    name: z.string(),
    // At least one: checked in validate/channels.ts, with what removing a channel's last org would mean.
    organizations: z.array(z.string()),
});

export const chaincodeSchema = z.strictObject({
    name: z.string(),
    channel: z.string(),
    version: z.string().optional(),
    sequence: z.number().int().positive().optional(),
    language: z.literal("node").optional(),
    lifecycle: z.enum(["v2", "legacy"]).optional(),
    endorsementPolicy: z.string(),
    init: z
        .strictObject({ function: z.string(), args: z.array(z.string()) })
        .nullable()
        .optional(),
    port: port.optional(),
    verify: z
        .strictObject({ function: z.string(), args: z.array(z.string()), expect: z.string().nullable().optional() })
        .nullable()
        .optional(),
});

const imageFields = Object.fromEntries(IMAGE_KEYS.map((k) => [k, z.string().optional()])) as Record<
    (typeof IMAGE_KEYS)[number],
    z.ZodOptional<z.ZodString>
>;
export const imagesSchema = z.strictObject({ registry: z.string().optional(), ...imageFields });

export const registryAuthSchema = z.strictObject({ username: z.string().min(1), password: z.string().min(1) });

export const sshSchema = z.strictObject({
    knownHostsFile: z.string().optional(),
    strictHostKeyChecking: z.enum(["yes", "accept-new"]).optional(),
});

export const toolsSchema = z.strictObject({ mode: z.enum(["docker", "path"]).optional() });

/** Every top-level key under the `fabric-kafka:` namespace, with its schema. */
export const rawConfigSchema = z.strictObject({
    network: networkSchema.optional(),
    hosts: z.array(hostSchema).min(1),
    credentials: z.record(z.string(), credentialSchema).optional(),
    /** The SSH key of every ssh host that has no entry of its own in `credentials`. */
    defaultCredential: credentialSchema.optional(),
    ordering: orderingSchema,
    organizations: z.array(organizationSchema).min(1),
    channels: z.array(channelSchema).optional(),
    chaincodes: z.array(chaincodeSchema).optional(),
    images: imagesSchema.optional(),
    registryAuth: registryAuthSchema.optional(),
    tools: toolsSchema.optional(),
    ssh: sshSchema.optional(),
});

export type RawConfig = z.infer<typeof rawConfigSchema>;
export const TOP_LEVEL_KEYS = Object.keys(rawConfigSchema.shape) as (keyof RawConfig)[];
