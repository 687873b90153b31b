/**
 * Ordering: what every variant shares (the orderers, the batch settings), then the variant's own normalizer,
 * chosen by `ordering.type`. Adding a consenter adds a file and one entry in VARIANTS.
 */
import { DEFAULTS, MIB } from "../defaults";
import { show } from "../errors";
import { RawConfig } from "../schema";
import { BatchSpec, OrdererOrgSpec, OrdererSpec, OrderingSpec, OrderingType } from "../spec";
import { Collector, ContainerPorts, Context } from "./collector";
import { normalizeEtcdraft } from "./etcdraft";
import { checkMovedFrom, normalizeKafka } from "./kafka";
import { checkHostname } from "./orgs";
import { NAME_RE, UINT32_MAX, parseDurationMs, sizeAt } from "./values";

/**
 * The largest block: the orderer's Kafka producer refuses messages above 100 MiB - 1 KiB (sarama's request
 * limit), and peers and orderers refuse gRPC messages above 100 MiB; a block needs ~1 MiB of headroom besides.
 */
export const MAX_BLOCK_BYTES = 99 * MIB;

export type RawOrdering = RawConfig["ordering"];
export type RawVariant<T extends OrderingType> = Extract<RawOrdering, { type: T }>;
export type SpecVariant<T extends OrderingType> = Extract<OrderingSpec, { type: T }>;
/** A variant's normalizer: its raw section → its spec, reporting to the shared collector. */
export type VariantNormalizer<T extends OrderingType> = (
    raw: RawVariant<T>,
    ctx: Context,
    batch: BatchSpec,
    network: { readonly tls: boolean },
) => SpecVariant<T>;

const VARIANTS: { readonly [T in OrderingType]: VariantNormalizer<T> } = {
    kafka: normalizeKafka,
    etcdraft: normalizeEtcdraft,
};

export interface NormalizedOrdering {
    readonly ordering: OrderingSpec;
    readonly orderers: OrdererSpec[];
    readonly batch: BatchSpec;
}

export function normalizeOrdering(cfg: RawConfig, ctx: Context, ordererOrg: OrdererOrgSpec): NormalizedOrdering {
    const batch = normalizeBatch(cfg.ordering, ctx.c);
    // The variant's own nodes claim their ports before the orderers do, so a collision names the orderer.
    const network = { tls: cfg.network?.tls ?? DEFAULTS.tls };
    const ordering = normalizeVariant(cfg.ordering, ctx, batch, network);
    const orderers = normalizeOrderers(cfg.ordering, ctx, ordererOrg);
    return { ordering, orderers, batch };
}

// Generic over the type so TypeScript pairs each raw variant with its own normalizer (a correlated union).
function normalizeVariant<T extends OrderingType>(
    raw: RawVariant<T> & { type: T },
    ctx: Context,
    batch: BatchSpec,
    network: { readonly tls: boolean },
) {
    return VARIANTS[raw.type](raw, ctx, batch, network);
}

/** The hosts the variant's own nodes (not the orderers) run on. */
export function backendHosts(ordering: OrderingSpec): string[] {
    switch (ordering.type) {
        case "kafka":
            return [...ordering.zookeepers.map((z) => z.host), ...ordering.kafka.brokers.map((b) => b.host)];
        case "etcdraft": {
            // A migrating network still runs (or keeps the data of) its Kafka backend on these hosts.
            const from = ordering.migration?.from;
            return from ? [...from.zookeepers.map((z) => z.host), ...from.kafka.brokers.map((b) => b.host)] : [];
        }
    }
}

function normalizeBatch(ord: RawOrdering, c: Collector): BatchSpec {
    const batchIn = ord.batchSize ?? {};
    const absoluteMaxBytes = sizeAt(
        c,
        ["ordering", "batchSize", "absoluteMaxBytes"],
        batchIn.absoluteMaxBytes,
        DEFAULTS.batch.absoluteMaxBytes,
    );
    const preferredMaxBytes = sizeAt(
        c,
        ["ordering", "batchSize", "preferredMaxBytes"],
        batchIn.preferredMaxBytes,
        DEFAULTS.batch.preferredMaxBytes,
    );
    if (absoluteMaxBytes > MAX_BLOCK_BYTES) {
        c.err(
            ["ordering", "batchSize", "absoluteMaxBytes"],
            `(${absoluteMaxBytes} bytes) is above ${MAX_BLOCK_BYTES} (99 MB); allowed: at most 99 MB, because orderers and peers refuse messages above 100 MiB and a block needs 1 MiB of headroom`,
        );
    }
    if (preferredMaxBytes > absoluteMaxBytes) {
        c.err(
            ["ordering", "batchSize", "preferredMaxBytes"],
            `(${preferredMaxBytes} bytes) must not exceed absoluteMaxBytes (${absoluteMaxBytes} bytes)`,
        );
    }
    const timeout = ord.batchTimeout ?? DEFAULTS.batch.timeout;
    const timeoutMs = parseDurationMs(timeout);
    if (timeoutMs === undefined) {
        c.err(
            ["ordering", "batchTimeout"],
            `found ${show(timeout)}; allowed: a duration such as "2s", "500ms" or "1m"`,
        );
    } else if (timeoutMs === 0) {
        c.err(
            ["ordering", "batchTimeout"],
            `found ${show(timeout)}; allowed: a positive duration such as "2s" (Fabric refuses a zero batch timeout)`,
        );
    }
    const maxMessageCount = batchIn.maxMessageCount ?? DEFAULTS.batch.maxMessageCount;
    if (maxMessageCount > UINT32_MAX) {
        c.err(
            ["ordering", "batchSize", "maxMessageCount"],
            `found ${maxMessageCount}; allowed: 1..${UINT32_MAX} (a 32-bit field in the channel configuration)`,
        );
    }
    return {
        timeout,
        maxMessageCount,
        absoluteMaxBytes,
        preferredMaxBytes,
    };
}

function normalizeOrderers(ord: RawOrdering, ctx: Context, ordererOrg: OrdererOrgSpec): OrdererSpec[] {
    const { c } = ctx;
    if (ord.orderers.length === 0) c.err(["ordering", "orderers"], "needs at least 1 orderer, found 0");
    const names = new Set<string>();
    return ord.orderers.map((o, i) => {
        const path = ["ordering", "orderers", i] as const;
        ctx.hosts.check([...path, "host"], o.host);
        if (!NAME_RE.test(o.name))
            c.err([...path, "name"], `found ${show(o.name)}; allowed: lower-case letters, digits and '-'`);
        if (names.has(o.name)) c.err([...path, "name"], `duplicate orderer name ${show(o.name)}`);
        names.add(o.name);
        const spec: OrdererSpec = {
            name: o.name,
            fqdn: `${o.name}.${ordererOrg.domain}`,
            host: o.host,
            port: o.port ?? DEFAULTS.orderer.port,
            operationsPort: o.operationsPort ?? DEFAULTS.orderer.operationsPort,
            ...(o.movedFrom !== undefined ? { movedFrom: o.movedFrom } : {}),
        };
        checkMovedFrom(ctx, [...path, "movedFrom"], o.movedFrom, o.host, o.name);
        checkHostname(c, [...path, "name"], spec.fqdn, "orderer container's");
        ctx.ports.claim(o.host, spec.port, [...path, "port"], spec.fqdn);
        const inside = new ContainerPorts(c, spec.fqdn);
        inside.claim(spec.port, [...path, "port"], "listen port");
        inside.claim(spec.operationsPort, [...path, "operationsPort"], "operations port");
        return spec;
    });
}
