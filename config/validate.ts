/**
 * Raw stack configuration → validated, normalized `NetworkSpec`. Pure: no Pulumi, no I/O.
 *
 * Two passes: the schema (shapes, types, unknown keys), then the cross-field rules of
 * ../shared/reference/fabric-kafka.md. Every problem is collected and reported together in one ConfigError,
 * each with its config path, the value found and what is allowed.
 */
import { DEFAULTS, MIB } from "./defaults";
import { ConfigError, ConfigIssue, configPath, show } from "./errors";
import { fromZodIssues } from "./errors";
import { RawConfig, rawConfigSchema } from "./schema";
import {
    BrokerSpec,
    ChaincodeSpec,
    ChannelSpec,
    CredentialKind,
    HostSpec,
    IMAGE_KEYS,
    ImageKey,
    NetworkSpec,
    OrdererSpec,
    OrgSpec,
    PeerSpec,
    ZookeeperSpec,
} from "./spec";

/** Which secret-bearing top-level keys Pulumi holds as secrets (from `pulumi.runtime.isConfigSecret`). */
export interface SecretKeys {
    readonly credentials: boolean;
    readonly registryAuth: boolean;
}

const NAME_RE = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const DOMAIN_RE = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;
const MSPID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
// Fabric's channel name rule: lower case, starts with a letter, at most 249 characters.
const CHANNEL_RE = /^[a-z][a-z0-9.-]{0,248}$/;
const CHAINCODE_RE = /^[A-Za-z0-9]+([-_][A-Za-z0-9]+)*$/;
const TAG_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DURATION_RE = /^\d+(ms|s|m)$/;

/** Parses "10 MB", "512 KB", "98MB" or a number of bytes. Fabric reads these units as binary. */
export function parseSize(value: string | number): number | undefined {
    if (typeof value === "number") return value;
    const m = /^\s*(\d+)\s*(B|KB|MB|GB)?\s*$/i.exec(value);
    if (!m) return undefined;
    const unit = (m[2] ?? "B").toUpperCase();
    const mult = unit === "GB" ? 1024 * MIB : unit === "MB" ? MIB : unit === "KB" ? 1024 : 1;
    return Number(m[1]) * mult;
}

/** True for a dotted-quad IPv4 address with every part in 0..255. */
function isIpv4(value: string): boolean {
    const parts = value.split(".");
    return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

function isAddress(value: string): boolean {
    // Anything made only of digits and dots is meant as an IPv4 address and must be a valid one.
    if (/^[\d.]+$/.test(value)) return isIpv4(value);
    return DOMAIN_RE.test(value.toLowerCase());
}

function setSecretCommand(path: string): string {
    return `pulumi config set --secret --path '${path}' -- "$(cat ~/.ssh/id_ed25519)"`;
}

/** Validates the raw configuration and resolves every default; throws ConfigError listing every problem. */
export function validateConfig(raw: unknown, secrets: SecretKeys): NetworkSpec {
    const issues: ConfigIssue[] = [];
    const warnings: string[] = [];
    const rawObj = (raw ?? {}) as Record<string, unknown>;

    // Secretness is checked before shapes: a plaintext key must be reported even if it is also malformed.
    if (rawObj.credentials !== undefined && !secrets.credentials) {
        issues.push({
            path: configPath(["credentials"]),
            message:
                "holds host credentials in plaintext; store each one as a secret and remove the plaintext value, e.g. " +
                setSecretCommand(`credentials.${firstKey(rawObj.credentials) ?? "<host>"}.privateKey`),
        });
    }
    if (rawObj.registryAuth !== undefined && !secrets.registryAuth) {
        issues.push({
            path: configPath(["registryAuth"]),
            message:
                "holds the registry password in plaintext; set it as a secret: pulumi config set --secret --path 'registryAuth.password' <password>",
        });
    }

    const parsed = rawConfigSchema.safeParse(raw);
    if (!parsed.success) {
        issues.push(...fromZodIssues(rawConfigSchema, raw, parsed.error.issues));
        throw new ConfigError(issues);
    }
    const spec = normalize(parsed.data, issues, warnings);
    if (issues.length > 0) throw new ConfigError(issues);
    return deepFreeze(spec);
}

function firstKey(value: unknown): string | undefined {
    return value && typeof value === "object" ? Object.keys(value)[0] : undefined;
}

function normalize(cfg: RawConfig, issues: ConfigIssue[], warnings: string[]): NetworkSpec {
    const err = (path: readonly PropertyKey[], message: string) => issues.push({ path: configPath(path), message });
    const net = cfg.network ?? {};
    const fabricVersion = net.fabricVersion ?? DEFAULTS.fabricVersion;

    // ---- hosts and credentials
    const hosts: HostSpec[] = [];
    const hostIndex = new Map<string, number>();
    const addressIndex = new Map<string, number>();
    cfg.hosts.forEach((h, i) => {
        if (!NAME_RE.test(h.name)) {
            err(
                ["hosts", i, "name"],
                `found ${show(h.name)}; allowed: lower-case letters, digits and '-', 1-63 characters`,
            );
        }
        const prev = hostIndex.get(h.name);
        if (prev !== undefined)
            err(["hosts", i, "name"], `duplicate host name ${show(h.name)}, already used by hosts[${prev}]`);
        else hostIndex.set(h.name, i);
        const kind = h.kind ?? DEFAULTS.host.kind;
        if (!isAddress(h.address)) {
            err(
                ["hosts", i, "address"],
                `found ${show(h.address)}; allowed: an IPv4 address (e.g. 192.0.2.11) or a DNS name`,
            );
        } else if (kind === "ssh") {
            // Local hosts all share the operator's engine, so only remote hosts need distinct addresses.
            const prevA = addressIndex.get(h.address);
            if (prevA !== undefined) {
                err(
                    ["hosts", i, "address"],
                    `duplicate address ${show(h.address)}, already used by hosts[${prevA}] (${cfg.hosts[prevA]!.name}); two roles on one machine share one host entry`,
                );
            } else addressIndex.set(h.address, i);
        }
        const cred = cfg.credentials?.[h.name];
        let credential: CredentialKind = "none";
        if (kind === "ssh") {
            if (!cred || (!cred.privateKey && !cred.password)) {
                err(
                    ["credentials", h.name],
                    `host ${show(h.name)} (hosts[${i}]) has no credential; set its SSH private key as a secret: ${setSecretCommand(`credentials.${h.name}.privateKey`)}`,
                );
            } else if (cred.privateKey && cred.password) {
                err(
                    ["credentials", h.name],
                    "has both privateKey and password; allowed: exactly one (a private key is preferred)",
                );
            } else if (!cred.privateKey) {
                // Docker's ssh:// transport runs the ssh client non-interactively: it cannot answer a password prompt.
                err(
                    ["credentials", h.name],
                    `is a password; the Docker connection to host ${show(h.name)} needs key authentication. Install a public key on the host and set the private key instead: ${setSecretCommand(`credentials.${h.name}.privateKey`)}`,
                );
            } else credential = "privateKey";
        }
        const workdir = h.workdir ?? DEFAULTS.host.workdir;
        if (!workdir.startsWith("/")) err(["hosts", i, "workdir"], `found ${show(workdir)}; allowed: an absolute path`);
        hosts.push({
            name: h.name,
            address: h.address,
            kind,
            sshPort: h.sshPort ?? DEFAULTS.host.sshPort,
            user: h.user ?? DEFAULTS.host.user,
            credential,
            workdir,
        });
    });
    const locals = hosts.filter((h) => h.kind === "local");
    if (locals.length > 1) {
        // Two "local" hosts would be the same engine under two names: containers and networks would collide.
        err(
            ["hosts", cfg.hosts.findIndex((h) => h.name === locals[1]!.name), "kind"],
            `${show(locals[1]!.name)} is a second local host (the first is ${show(locals[0]!.name)}); allowed: one local host, with every local role on it`,
        );
    }
    for (const name of Object.keys(cfg.credentials ?? {})) {
        if (!hostIndex.has(name))
            err(["credentials", name], `names no host; allowed: ${[...hostIndex.keys()].join(", ")}`);
    }
    const checkHost = (path: readonly PropertyKey[], name: string) => {
        if (!hostIndex.has(name)) err(path, `unknown host ${show(name)}; allowed: ${[...hostIndex.keys()].join(", ")}`);
    };

    // Published ports per host, to report two roles needing the same port on one machine.
    const portOwners = new Map<string, { path: string; role: string }>();
    const claimPort = (host: string, port: number, path: readonly PropertyKey[], role: string) => {
        const key = `${host}:${port}`;
        const owner = portOwners.get(key);
        if (owner) {
            err(
                path,
                `port ${port} on host ${show(host)} is already used by ${owner.role} (${owner.path}); give one of them another port`,
            );
        } else portOwners.set(key, { path: configPath(path), role });
    };

    // ---- ZooKeeper
    const ord = cfg.ordering;
    const zkCount = ord.zookeeper.length;
    if (zkCount === 0 || zkCount % 2 === 0) {
        err(
            ["ordering", "zookeeper"],
            `has ${zkCount} node${zkCount === 1 ? "" : "s"}; allowed: an odd number (3, 5 or 7) so the ensemble keeps a majority`,
        );
    } else if (zkCount === 1) {
        warnings.push(
            "ordering.zookeeper has 1 node: the ensemble is a single point of failure (3, 5 or 7 recommended)",
        );
    } else if (zkCount > 7) {
        warnings.push(`ordering.zookeeper has ${zkCount} nodes: more than 7 adds latency without benefit`);
    }
    const zookeepers: ZookeeperSpec[] = ord.zookeeper.map((z, i) => {
        const path = ["ordering", "zookeeper", i] as const;
        checkHost([...path, "host"], z.host);
        const spec: ZookeeperSpec = {
            id: i + 1,
            name: `zookeeper${i + 1}`,
            host: z.host,
            clientPort: z.clientPort ?? DEFAULTS.zookeeper.clientPort,
            quorumPort: z.quorumPort ?? DEFAULTS.zookeeper.quorumPort,
            electionPort: z.electionPort ?? DEFAULTS.zookeeper.electionPort,
        };
        claimPort(z.host, spec.clientPort, [...path, "clientPort"], `${spec.name} client port`);
        claimPort(z.host, spec.quorumPort, [...path, "quorumPort"], `${spec.name} quorum port`);
        claimPort(z.host, spec.electionPort, [...path, "electionPort"], `${spec.name} election port`);
        return spec;
    });

    // ---- Kafka
    const k = ord.kafka;
    const brokers: BrokerSpec[] = k.brokers.map((b, i) => {
        const path = ["ordering", "kafka", "brokers", i] as const;
        checkHost([...path, "host"], b.host);
        const spec = { id: i + 1, name: `kafka${i + 1}`, host: b.host, port: b.port ?? DEFAULTS.kafka.port };
        claimPort(b.host, spec.port, [...path, "port"], `${spec.name}`);
        return spec;
    });
    const rf = k.replicationFactor ?? DEFAULTS.kafka.replicationFactor;
    const isr = k.minInsyncReplicas ?? DEFAULTS.kafka.minInsyncReplicas;
    if (rf >= brokers.length) {
        err(
            ["ordering", "kafka", "replicationFactor"],
            `(${rf}) must be less than the broker count (${brokers.length}), so that channel creation survives one broker down; allowed: 1..${Math.max(1, brokers.length - 1)}`,
        );
    }
    if (isr >= rf) {
        err(
            ["ordering", "kafka", "minInsyncReplicas"],
            `(${isr}) must be less than the replication factor (${rf}); allowed: 1..${Math.max(1, rf - 1)}`,
        );
    }
    if (brokers.length > 0 && brokers.length < DEFAULTS.kafka.recommendedBrokers) {
        warnings.push(
            `ordering.kafka.brokers has ${brokers.length} brokers: Fabric recommends at least 4 so one broker can fail while channels stay writable`,
        );
    }
    if (rf < 3 || isr < 2) {
        warnings.push(
            `ordering.kafka replicationFactor ${rf} / minInsyncReplicas ${isr}: the recommended minimum is 3 / 2`,
        );
    }
    if (k.uncleanLeaderElection === true) {
        warnings.push(
            "ordering.kafka.uncleanLeaderElection is on: a broker outside the ISR may become leader and rewrite the chain",
        );
    }
    const retentionMs = k.retentionMs ?? DEFAULTS.kafka.retentionMs;
    if (retentionMs !== -1) {
        err(
            ["ordering", "kafka", "retentionMs"],
            `found ${retentionMs}; allowed: -1 (orderers never prune Kafka logs; any retention would delete blocks)`,
        );
    }

    // ---- batch size and the Kafka message limits that must stay above it
    const batchIn = ord.batchSize ?? {};
    const sizeOf = (path: readonly PropertyKey[], v: string | number | undefined, dflt: number): number => {
        if (v === undefined) return dflt;
        const n = parseSize(v);
        if (n === undefined || n <= 0) {
            err(path, `found ${show(v)}; allowed: a size such as "10 MB", "512 KB" or a number of bytes`);
            return dflt;
        }
        return n;
    };
    const absoluteMaxBytes = sizeOf(
        ["ordering", "batchSize", "absoluteMaxBytes"],
        batchIn.absoluteMaxBytes,
        DEFAULTS.batch.absoluteMaxBytes,
    );
    const preferredMaxBytes = sizeOf(
        ["ordering", "batchSize", "preferredMaxBytes"],
        batchIn.preferredMaxBytes,
        DEFAULTS.batch.preferredMaxBytes,
    );
    const messageMaxBytes = sizeOf(
        ["ordering", "kafka", "messageMaxBytes"],
        k.messageMaxBytes,
        absoluteMaxBytes + DEFAULTS.kafka.headroomBytes,
    );
    const replicaFetchMaxBytes = sizeOf(
        ["ordering", "kafka", "replicaFetchMaxBytes"],
        k.replicaFetchMaxBytes,
        messageMaxBytes,
    );
    const socketRequestMaxBytes = sizeOf(
        ["ordering", "kafka", "socketRequestMaxBytes"],
        k.socketRequestMaxBytes,
        DEFAULTS.kafka.socketRequestMaxBytes,
    );
    if (preferredMaxBytes > absoluteMaxBytes) {
        err(
            ["ordering", "batchSize", "preferredMaxBytes"],
            `(${preferredMaxBytes} bytes) must not exceed absoluteMaxBytes (${absoluteMaxBytes} bytes)`,
        );
    }
    const minFetch = absoluteMaxBytes + DEFAULTS.kafka.headroomBytes;
    if (replicaFetchMaxBytes < minFetch) {
        err(
            ["ordering", "kafka", "replicaFetchMaxBytes"],
            `(${replicaFetchMaxBytes}) must be at least batchSize.absoluteMaxBytes + 1 MiB (${minFetch}) or blocks cannot replicate`,
        );
    }
    if (messageMaxBytes < minFetch) {
        err(
            ["ordering", "kafka", "messageMaxBytes"],
            `(${messageMaxBytes}) must be above batchSize.absoluteMaxBytes (${absoluteMaxBytes}) by at least 1 MiB for record headers; allowed: ${minFetch} or more`,
        );
    }
    if (replicaFetchMaxBytes > messageMaxBytes) {
        err(
            ["ordering", "kafka", "replicaFetchMaxBytes"],
            `(${replicaFetchMaxBytes}) must not exceed messageMaxBytes (${messageMaxBytes})`,
        );
    }
    if (messageMaxBytes >= socketRequestMaxBytes) {
        err(
            ["ordering", "kafka", "messageMaxBytes"],
            `(${messageMaxBytes}) must be less than socketRequestMaxBytes (${socketRequestMaxBytes})`,
        );
    }
    const batchTimeout = ord.batchTimeout ?? DEFAULTS.batch.timeout;
    if (!DURATION_RE.test(batchTimeout)) {
        err(
            ["ordering", "batchTimeout"],
            `found ${show(batchTimeout)}; allowed: a duration such as "2s", "500ms" or "1m"`,
        );
    }

    // ---- orderers
    const oo = net.ordererOrg ?? {};
    const ordererOrg = {
        name: oo.name ?? DEFAULTS.ordererOrg.name,
        mspId: oo.mspId ?? DEFAULTS.ordererOrg.mspId,
        domain: oo.domain ?? DEFAULTS.ordererOrg.domain,
    };
    if (!DOMAIN_RE.test(ordererOrg.domain)) {
        err(
            ["network", "ordererOrg", "domain"],
            `found ${show(ordererOrg.domain)}; allowed: a lower-case DNS domain such as example.com`,
        );
    }
    if (ord.orderers.length === 0) err(["ordering", "orderers"], "needs at least 1 orderer, found 0");
    const ordererNames = new Set<string>();
    const orderers: OrdererSpec[] = ord.orderers.map((o, i) => {
        const path = ["ordering", "orderers", i] as const;
        checkHost([...path, "host"], o.host);
        if (!NAME_RE.test(o.name))
            err([...path, "name"], `found ${show(o.name)}; allowed: lower-case letters, digits and '-'`);
        if (ordererNames.has(o.name)) err([...path, "name"], `duplicate orderer name ${show(o.name)}`);
        ordererNames.add(o.name);
        const spec: OrdererSpec = {
            name: o.name,
            fqdn: `${o.name}.${ordererOrg.domain}`,
            host: o.host,
            port: o.port ?? DEFAULTS.orderer.port,
            operationsPort: o.operationsPort ?? DEFAULTS.orderer.operationsPort,
        };
        claimPort(o.host, spec.port, [...path, "port"], spec.fqdn);
        return spec;
    });

    // ---- organisations and peers
    const mspIds = new Map<string, string>([[ordererOrg.mspId, configPath(["network", "ordererOrg", "mspId"])]]);
    const orgNames = new Set<string>();
    const domains = new Map<string, string>([[ordererOrg.domain, configPath(["network", "ordererOrg", "domain"])]]);
    const organizations: OrgSpec[] = cfg.organizations.map((o, i) => {
        const path = ["organizations", i] as const;
        if (!MSPID_RE.test(o.mspId))
            err([...path, "mspId"], `found ${show(o.mspId)}; allowed: letters, digits, '.', '_' and '-'`);
        const prevMsp = mspIds.get(o.mspId);
        if (prevMsp) err([...path, "mspId"], `duplicate MSP id ${show(o.mspId)}, already used by ${prevMsp}`);
        mspIds.set(o.mspId, configPath([...path, "mspId"]));
        if (orgNames.has(o.name)) err([...path, "name"], `duplicate organisation name ${show(o.name)}`);
        orgNames.add(o.name);
        if (!DOMAIN_RE.test(o.domain))
            err(
                [...path, "domain"],
                `found ${show(o.domain)}; allowed: a lower-case DNS domain such as org1.example.com`,
            );
        const prevDom = domains.get(o.domain);
        if (prevDom) err([...path, "domain"], `duplicate domain ${show(o.domain)}, already used by ${prevDom}`);
        domains.set(o.domain, configPath([...path, "domain"]));
        if (o.peers.length === 0) err([...path, "peers"], "needs at least 1 peer, found 0");
        const peerNames = new Set(o.peers.map((p) => p.name));
        const anchors = o.anchorPeers ?? (o.peers[0] ? [o.peers[0].name] : []);
        anchors.forEach((a, j) => {
            if (!peerNames.has(a))
                err([...path, "anchorPeers", j], `unknown peer ${show(a)}; allowed: ${[...peerNames].join(", ")}`);
        });
        const seen = new Set<string>();
        const peers: PeerSpec[] = o.peers.map((p, j) => {
            const ppath = [...path, "peers", j] as const;
            checkHost([...ppath, "host"], p.host);
            if (!NAME_RE.test(p.name))
                err([...ppath, "name"], `found ${show(p.name)}; allowed: lower-case letters, digits and '-'`);
            if (seen.has(p.name))
                err([...ppath, "name"], `duplicate peer name ${show(p.name)} in organisation ${o.name}`);
            seen.add(p.name);
            const spec: PeerSpec = {
                name: p.name,
                fqdn: `${p.name}.${o.domain}`,
                org: o.name,
                mspId: o.mspId,
                host: p.host,
                port: p.port ?? DEFAULTS.peer.port,
                operationsPort: p.operationsPort ?? DEFAULTS.peer.operationsPort,
                anchor: anchors.includes(p.name),
                stateDatabase: p.stateDatabase ?? DEFAULTS.peer.stateDatabase,
                couchdbPort: DEFAULTS.peer.couchdbPort,
            };
            claimPort(p.host, spec.port, [...ppath, "port"], spec.fqdn);
            return spec;
        });
        return { name: o.name, mspId: o.mspId, domain: o.domain, users: o.users ?? DEFAULTS.org.users, peers };
    });
    const orgByName = new Map(organizations.map((o) => [o.name, o]));

    // ---- channels
    const systemChannel = net.systemChannel ?? DEFAULTS.systemChannel;
    if (!CHANNEL_RE.test(systemChannel))
        err(
            ["network", "systemChannel"],
            `found ${show(systemChannel)}; allowed: lower-case letters, digits, '.' and '-', starting with a letter`,
        );
    const channelNames = new Set<string>();
    const channels: ChannelSpec[] = (cfg.channels ?? []).map((c, i) => {
        const path = ["channels", i] as const;
        if (!CHANNEL_RE.test(c.name))
            err(
                [...path, "name"],
                `found ${show(c.name)}; allowed: lower-case letters, digits, '.' and '-', starting with a letter`,
            );
        if (c.name === systemChannel)
            err(
                [...path, "name"],
                `${show(c.name)} is the system channel's name (network.systemChannel); allowed: any other name`,
            );
        if (channelNames.has(c.name)) err([...path, "name"], `duplicate channel ${show(c.name)}`);
        channelNames.add(c.name);
        c.organizations.forEach((o, j) => {
            if (!orgByName.has(o))
                err(
                    [...path, "organizations", j],
                    `unknown organisation ${show(o)}; allowed: ${[...orgByName.keys()].join(", ")}`,
                );
        });
        return { name: c.name, organizations: c.organizations };
    });

    // ---- chaincodes
    const lifecyclesByChannel = new Map<string, Set<string>>();
    const chaincodes: ChaincodeSpec[] = (cfg.chaincodes ?? []).map((c, i) => {
        const path = ["chaincodes", i] as const;
        if (!CHAINCODE_RE.test(c.name))
            err(
                [...path, "name"],
                `found ${show(c.name)}; allowed: letters and digits, separated by single '-' or '_'`,
            );
        const channel = channels.find((ch) => ch.name === c.channel);
        if (!channel)
            err(
                [...path, "channel"],
                `unknown channel ${show(c.channel)}; allowed: ${[...channelNames].join(", ") || "(no channels configured)"}`,
            );
        const lifecycle = c.lifecycle ?? (fabricVersion === "1.4" ? "legacy" : DEFAULTS.chaincode.lifecycle);
        if (lifecycle === "v2" && fabricVersion === "1.4") {
            err([...path, "lifecycle"], `"v2" needs Fabric 2.x, but network.fabricVersion is "1.4"; allowed: "legacy"`);
        } else if (fabricVersion === "1.4") {
            // Chaincode runs as a service through the peer's external builder, which Fabric 1.4 does not have:
            // a 1.4 peer would build and start chaincode through a Docker socket, which we never give it.
            err(
                [...path, "lifecycle"],
                `chaincode on Fabric 1.4 needs the peer to build it through a Docker socket, which this program never mounts; allowed: network.fabricVersion "2.5" with lifecycle "legacy" (a V1_4_2 channel) or "v2"`,
            );
        }
        if (lifecycle === "legacy" && c.sequence !== undefined) {
            err(
                [...path, "sequence"],
                `found ${c.sequence}, but the "legacy" lifecycle has no sequence: a new version alone upgrades it; allowed: no sequence (or lifecycle "v2")`,
            );
        }
        const set = lifecyclesByChannel.get(c.channel) ?? new Set<string>();
        set.add(lifecycle);
        lifecyclesByChannel.set(c.channel, set);
        checkPolicy([...path, "endorsementPolicy"], c.endorsementPolicy, channel, orgByName, err);
        return {
            name: c.name,
            version: c.version ?? DEFAULTS.chaincode.version,
            sequence: c.sequence ?? DEFAULTS.chaincode.sequence,
            language: "node",
            lifecycle,
            channel: c.channel,
            endorsementPolicy: c.endorsementPolicy,
            init: c.init ?? null,
            port: c.port ?? DEFAULTS.chaincode.port,
            verify: c.verify
                ? { function: c.verify.function, args: c.verify.args, expect: c.verify.expect ?? null }
                : null,
        };
    });
    for (const [ch, set] of lifecyclesByChannel) {
        if (set.size > 1)
            err(
                ["chaincodes"],
                `channel ${show(ch)} mixes "v2" and "legacy" lifecycles; allowed: one lifecycle per channel (it sets the channel's Application capability)`,
            );
    }

    // ---- images
    const imgIn = cfg.images ?? {};
    const prefix = (imgIn.registry ?? "").replace(/\/+$/, "");
    const images = {} as Record<ImageKey, { ref: string }>;
    for (const key of IMAGE_KEYS) {
        const ref = imgIn[key] ?? DEFAULTS.images[key];
        const tagSep = ref.lastIndexOf(":");
        const tag = tagSep > ref.lastIndexOf("/") ? ref.slice(tagSep + 1) : "";
        if (!tag || tag === "latest" || !TAG_RE.test(tag)) {
            err(
                ["images", key],
                `found ${show(ref)}; allowed: a reference with a pinned tag, e.g. ${DEFAULTS.images[key]} (untagged or "latest" floats)`,
            );
        }
        images[key] = { ref: prefix ? `${prefix}/${ref}` : ref };
    }

    // ---- hosts left without a role are probably a typo elsewhere
    const used = new Set([
        ...zookeepers.map((z) => z.host),
        ...brokers.map((b) => b.host),
        ...orderers.map((o) => o.host),
        ...organizations.flatMap((o) => o.peers.map((p) => p.host)),
    ]);
    hosts.filter((h) => !used.has(h.name)).forEach((h) => warnings.push(`host ${h.name} runs no role`));

    return {
        fabricVersion,
        tls: net.tls ?? DEFAULTS.tls,
        systemChannel,
        consortium: net.consortium ?? DEFAULTS.consortium,
        logging: net.logging ?? DEFAULTS.logging,
        hosts,
        ordering: {
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
                zookeeperSessionTimeoutMs: k.zookeeperSessionTimeoutMs ?? DEFAULTS.kafka.zookeeperSessionTimeoutMs,
                heapOpts: k.heapOpts ?? DEFAULTS.kafka.heapOpts,
                protocolVersion: k.protocolVersion ?? DEFAULTS.kafka.protocolVersion,
            },
        },
        ordererOrg,
        orderers,
        batch: {
            timeout: batchTimeout,
            maxMessageCount: batchIn.maxMessageCount ?? DEFAULTS.batch.maxMessageCount,
            absoluteMaxBytes,
            preferredMaxBytes,
        },
        organizations,
        channels,
        chaincodes,
        images,
        registry: { prefix, authenticated: cfg.registryAuth !== undefined },
        tools: { mode: cfg.tools?.mode ?? DEFAULTS.tools.mode },
        ssh: {
            knownHostsFile: cfg.ssh?.knownHostsFile ?? null,
            strictHostKeyChecking: cfg.ssh?.strictHostKeyChecking ?? DEFAULTS.ssh.strictHostKeyChecking,
        },
        protectVolumes: net.protectVolumes ?? DEFAULTS.protectVolumes,
        warnings,
    };
}

/** Checks an endorsement policy's syntax and that every MSP it names is a member of the channel. */
function checkPolicy(
    path: readonly PropertyKey[],
    policy: string,
    channel: ChannelSpec | undefined,
    orgs: Map<string, OrgSpec>,
    err: (path: readonly PropertyKey[], message: string) => void,
): void {
    let depth = 0;
    for (const ch of policy) {
        if (ch === "(") depth++;
        if (ch === ")" && --depth < 0) break;
    }
    if (!/^\s*(OR|AND|OutOf)\s*\(.*\)\s*$/.test(policy) || depth !== 0) {
        err(path, `found ${show(policy)}; allowed: a signature policy such as OR('Org1MSP.member','Org5MSP.member')`);
        return;
    }
    const allowed = (channel?.organizations ?? []).map((o) => orgs.get(o)?.mspId).filter((m): m is string => !!m);
    for (const m of policy.matchAll(/'([^'.]+)\.([a-z]+)'/g)) {
        const [, msp, role] = m;
        if (!allowed.includes(msp!)) {
            err(
                path,
                `names unknown MSP ${show(msp)}; allowed: ${allowed.join(", ") || "(the channel has no known organisations)"}`,
            );
        }
        if (!["member", "peer", "admin", "client", "orderer"].includes(role!)) {
            err(path, `names unknown role ${show(role)} for ${msp}; allowed: member, peer, admin, client, orderer`);
        }
    }
}

function deepFreeze<T>(value: T): T {
    if (value && typeof value === "object") {
        Object.freeze(value);
        for (const v of Object.values(value)) if (v && typeof v === "object" && !Object.isFrozen(v)) deepFreeze(v);
    }
    return value;
}
