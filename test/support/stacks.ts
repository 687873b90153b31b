/** Reads the committed stack files, so the tests exercise exactly what operators deploy. */
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import {
    ConfigError,
    ConfigIssue,
    DEFAULTS,
    KafkaOrderingSpec,
    NetworkSpec,
    SecretKeys,
    validateConfig,
} from "../../config";

export const ROOT = path.resolve(__dirname, "../..");

/** The `fabric-kafka:*` keys of Pulumi.<stack>.yaml, without the namespace. */
export function rawStackConfig(stack: string): Record<string, unknown> {
    const doc = yaml.load(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as {
        config: Record<string, unknown>;
    };
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(doc.config)) {
        const prefix = `${DEFAULTS.namespace}:`;
        if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
    }
    return out;
}

/**
 * A fake unencrypted OpenSSH private key for `host`: the shape validation checks (PEM armour, the
 * openssh-key-v1 header, cipher "none"), then a marker instead of key material.
 */
export function testKey(host: string): string {
    const magic = Buffer.from("openssh-key-v1\0", "latin1");
    const len = Buffer.alloc(4);
    len.writeUInt32BE(4);
    const body = Buffer.concat([magic, len, Buffer.from(`none${TEST_KEY_TEXT}${host}`, "latin1")]).toString("base64");
    return `-----BEGIN OPENSSH PRIVATE KEY-----\n${body}\n-----END OPENSSH PRIVATE KEY-----\n`;
}
const TEST_KEY_TEXT = "test-key-for-";
/** The start every test key's body shares: finding it in state or logs means a key leaked. */
export const TEST_KEY_MARKER = testKeyPrefix();
function testKeyPrefix(): string {
    const a = Buffer.from(`openssh-key-v1\0\0\0\0\x04none${TEST_KEY_TEXT}`, "latin1").toString("base64");
    return a.slice(0, Math.floor(a.length / 4) * 4 - 4);
}

/** A fake key per ssh host, as an operator would have set with `pulumi config set --secret`. */
export function withTestCredentials(raw: Record<string, unknown>): Record<string, unknown> {
    const hosts = raw.hosts as Array<{ name: string; kind?: string }>;
    const credentials = Object.fromEntries(
        hosts.filter((h) => (h.kind ?? "ssh") === "ssh").map((h) => [h.name, { privateKey: testKey(h.name) }]),
    );
    return { ...raw, credentials };
}

export const SECRET = { credentials: true, registryAuth: true, defaultCredential: true } as const;

export function stackSpec(stack: "dev" | "local"): NetworkSpec {
    return validateConfig(withTestCredentials(rawStackConfig(stack)), SECRET);
}

/** A deep, mutable copy for tests that break one thing. */
export function clone<T>(v: T): T {
    return JSON.parse(JSON.stringify(v)) as T;
}

/** The dev topology with its chaincode on the legacy lifecycle (peer chaincode install/instantiate). */
export function legacyRaw(stack: "dev" | "local" = "dev"): Record<string, unknown> {
    const raw = clone(rawStackConfig(stack)) as { chaincodes: Array<Record<string, unknown>> };
    raw.chaincodes[0]!.lifecycle = "legacy";
    return raw;
}

export function legacySpec(): NetworkSpec {
    return validateConfig(withTestCredentials(legacyRaw()), SECRET);
}

/** The spec's Kafka ordering, for tests of Kafka-only plan functions; fails on another type. */
export function kafkaOf(spec: NetworkSpec): KafkaOrderingSpec {
    if (spec.ordering.type !== "kafka") throw new Error(`expected kafka ordering, found ${spec.ordering.type}`);
    return spec.ordering;
}

/**
 * A stack's topology ordered by Raft instead: `ordering.type: etcdraft`, no ZooKeeper or Kafka sections, and
 * the hosts that ran only those removed (on dev: 6 hosts, 3 orderers and 3 peers).
 */
export function raftRaw(stack: "dev" | "local" = "dev"): Record<string, unknown> {
    const raw = clone(rawStackConfig(stack)) as Record<string, any>;
    const ord = raw.ordering as Record<string, any>;
    const backend = new Set<string>([
        ...(ord.zookeeper as Array<{ host: string }>).map((z) => z.host),
        ...(ord.kafka.brokers as Array<{ host: string }>).map((b) => b.host),
    ]);
    const used = new Set<string>([
        ...(ord.orderers as Array<{ host: string }>).map((o) => o.host),
        ...(raw.organizations as Array<{ peers: Array<{ host: string }> }>).flatMap((o) => o.peers.map((p) => p.host)),
    ]);
    raw.hosts = (raw.hosts as Array<{ name: string }>).filter((h) => used.has(h.name) || !backend.has(h.name));
    const rest = { ...ord };
    delete rest.zookeeper;
    delete rest.kafka;
    raw.ordering = { ...rest, type: "etcdraft" };
    return raw;
}

export function raftSpec(stack: "dev" | "local" = "dev"): NetworkSpec {
    return validateConfig(withTestCredentials(raftRaw(stack)), SECRET);
}

/** The problems validation reports for a raw config (none when it is valid); any other error is rethrown. */
export function issuesOf(raw: unknown, secrets: SecretKeys = SECRET): readonly ConfigIssue[] {
    try {
        validateConfig(raw, secrets);
    } catch (e) {
        if (e instanceof ConfigError) return e.issues;
        throw e;
    }
    return [];
}

/**
 * A Kafka stack's config changed to migrate to Raft: `ordering.type: etcdraft`, the Kafka sections kept as the
 * backend being left, and the given migration settings.
 */
export function migrationRaw(
    stack: "dev" | "local" = "dev",
    migration?: { abort?: boolean; removeBackendVolumes?: boolean },
): Record<string, unknown> {
    const raw = clone(rawStackConfig(stack)) as Record<string, any>;
    raw.ordering = { ...raw.ordering, type: "etcdraft", ...(migration ? { migration } : {}) };
    return raw;
}

export function migrationSpec(migration?: { abort?: boolean; removeBackendVolumes?: boolean }): NetworkSpec {
    return validateConfig(withTestCredentials(migrationRaw("dev", migration)), SECRET);
}

/**
 * A raw config with one more organisation `name` (MSP `<name>MSP`, domain `<lower name>.example.com`) whose one
 * peer `peer0` runs on host `host` (added to the hosts when `address` is given), listed in `channel`'s
 * organizations after the others.
 */
export function withOrgRaw(
    source: Record<string, unknown>,
    org: { name: string; host: string; address?: string; channel?: string; port?: number; operationsPort?: number },
): Record<string, unknown> {
    const raw = clone(source) as Record<string, any>;
    if (org.address) raw.hosts.push({ name: org.host, address: org.address, user: "fabric" });
    raw.organizations.push({
        name: org.name,
        mspId: `${org.name}MSP`,
        domain: `${org.name.toLowerCase()}.example.com`,
        peers: [
            {
                name: "peer0",
                host: org.host,
                ...(org.port ? { port: org.port } : {}),
                ...(org.operationsPort ? { operationsPort: org.operationsPort } : {}),
            },
        ],
    });
    const ch = (raw.channels as Array<{ name: string; organizations: string[] }>).find(
        (c) => c.name === (org.channel ?? "mychannel"),
    )!;
    ch.organizations.push(org.name);
    return raw;
}
