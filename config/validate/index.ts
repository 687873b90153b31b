/**
 * Raw stack configuration → validated, normalized `NetworkSpec`. Pure: no Pulumi, no I/O.
 *
 * Two passes: the schema (shapes, types, unknown keys), then one normalizer per concern (hosts and credentials,
 * organisations, ordering, channels, chaincodes, images, tools) over a shared issue collector, following the
 * rules of ../shared/reference/fabric-kafka.md. Every problem is collected and reported together in one
 * ConfigError, each with its config path, the value found and what is allowed.
 */
import { DEFAULTS } from "../defaults";
import { ConfigError, fromZodIssues, repairUnknownKeys } from "../errors";
import { rawConfigSchema } from "../schema";
import { nearMissNamespaces } from "../stackFile";
import { NetworkSpec } from "../spec";
import { normalizeChaincodes } from "./chaincodes";
import { normalizeChannels, normalizeSystemChannel } from "./channels";
import { Collector, PortBook } from "./collector";
import { SecretKeys, checkSecrecy, normalizeHosts, warnIdleHosts } from "./hosts";
import { normalizeImages } from "./images";
import { normalizeNetworkSettings } from "./network";
import { backendHosts, normalizeOrdering } from "./ordering";
import { checkMoves } from "./kafka";
import { normalizeOrdererOrg, normalizeOrganizations } from "./orgs";
import { normalizeTools } from "./tools";

export { SecretKeys, placeholderPrivateKey } from "./hosts";

/** What the program knows besides the namespace's values. */
export interface ValidationContext {
    /** Full config keys of other namespaces (`pulumi:...`, `docker:...`), checked for a misspelt namespace. */
    readonly foreignKeys?: readonly string[];
}
export { parseSize } from "./values";

/** Validates the raw configuration and resolves every default; throws ConfigError listing every problem. */
export function validateConfig(raw: unknown, secrets: SecretKeys, context: ValidationContext = {}): NetworkSpec {
    const c = new Collector();
    for (const key of nearMissNamespaces(context.foreignKeys ?? [])) {
        c.issues.push({
            path: key,
            message: `is outside the ${DEFAULTS.namespace} namespace, so this program never reads it; did you mean ${DEFAULTS.namespace}:${key.slice(key.indexOf(":") + 1)}?`,
        });
    }
    checkSecrecy((raw ?? {}) as Record<string, unknown>, secrets, c);

    let parsed = rawConfigSchema.safeParse(raw);
    if (!parsed.success) {
        c.issues.push(...fromZodIssues(rawConfigSchema, raw, parsed.error.issues));
        // A misspelt key is reported above; the rest is still checked, as if the key were spelt as suggested (or
        // absent), so that one typo does not hide every other problem until the next run.
        const repaired = repairUnknownKeys(rawConfigSchema, raw, parsed.error.issues);
        parsed = rawConfigSchema.safeParse(repaired);
        if (!parsed.success) throw new ConfigError(c.issues);
    }
    const cfg = parsed.data;
    const net = cfg.network ?? {};
    const fabricVersion = net.fabricVersion ?? DEFAULTS.fabricVersion;

    const { hosts, refs } = normalizeHosts(cfg, c);
    const ctx = { c, hosts: refs, ports: new PortBook(c) };
    const ordererOrg = normalizeOrdererOrg(cfg, c);
    const { ordering, orderers, batch } = normalizeOrdering(cfg, ctx, ordererOrg);
    checkMoves(ordering, orderers, c);
    const organizations = normalizeOrganizations(cfg, ctx, ordererOrg);
    const systemChannel = normalizeSystemChannel(cfg, c);
    const channels = normalizeChannels(cfg, c, systemChannel, organizations);
    const chaincodes = normalizeChaincodes(cfg, c, fabricVersion, channels, organizations);
    const { images, registry } = normalizeImages(cfg, c);
    const { logging, consortium } = normalizeNetworkSettings(cfg, c);
    const { tools, ssh } = normalizeTools(cfg, c);
    warnIdleHosts(
        hosts,
        [
            ...backendHosts(ordering),
            // A moved node's old host is where its data is carried from until movedFrom is removed.
            ...(ordering.type === "kafka" ? ordering.kafka.brokers.flatMap((b) => b.movedFrom ?? []) : []),
            ...orderers.flatMap((o) => o.movedFrom ?? []),
            ...orderers.map((o) => o.host),
            ...organizations.flatMap((o) => o.peers.map((p) => p.host)),
        ],
        c,
    );
    if (c.issues.length > 0) throw new ConfigError(c.issues);

    return deepFreeze({
        fabricVersion,
        tls: net.tls ?? DEFAULTS.tls,
        systemChannel,
        consortium,
        logging,
        hosts,
        ordering,
        ordererOrg,
        orderers,
        batch,
        organizations,
        channels,
        chaincodes,
        images,
        registry,
        tools,
        ssh,
        protectVolumes: net.protectVolumes ?? DEFAULTS.protectVolumes,
        manageChannelMembers: net.manageChannelMembers ?? DEFAULTS.manageChannelMembers,
        certificateExpiryWarningDays: net.certificateExpiryWarningDays ?? DEFAULTS.certificateExpiryWarningDays,
        readyTimeoutSeconds: net.readyTimeoutSeconds ?? DEFAULTS.readyTimeoutSeconds,
        warnings: c.warnings,
    });
}

function deepFreeze<T>(value: T): T {
    if (value && typeof value === "object") {
        Object.freeze(value);
        for (const v of Object.values(value)) if (v && typeof v === "object" && !Object.isFrozen(v)) deepFreeze(v);
    }
    return value;
}
