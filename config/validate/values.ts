/** Value grammars shared by several normalizers. */
import { MIB } from "../defaults";
import { show } from "../errors";
import { Collector, Path } from "./collector";

export const NAME_RE = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
export const DOMAIN_RE = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;
// An MSP id is the configuration key of a peer org and is read back out of signature policies ('<msp>.member'),
// whose parser takes [A-Za-z0-9.-] only; it must not start like an option either.
export const MSPID_RE = /^[A-Za-z0-9][A-Za-z0-9.-]{0,248}$/;
// Fabric's channel name rule: lower case, starts with a letter, at most 249 characters.
export const CHANNEL_RE = /^[a-z][a-z0-9.-]{0,248}$/;
export const CHAINCODE_RE = /^[A-Za-z0-9]+([-_][A-Za-z0-9]+)*$/;
export const TAG_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
export const DURATION_RE = /^\d+(ms|s|m)$/;

/** Parses "10 MB", "512 KB", "98MB" or a number of bytes. Fabric reads these units as binary. */
export function parseSize(value: string | number): number | undefined {
    if (typeof value === "number") return value;
    const m = /^\s*(\d+)\s*(B|KB|MB|GB)?\s*$/i.exec(value);
    if (!m) return undefined;
    const unit = (m[2] ?? "B").toUpperCase();
    const mult = unit === "GB" ? 1024 * MIB : unit === "MB" ? MIB : unit === "KB" ? 1024 : 1;
    return Number(m[1]) * mult;
}

/** A size at `path`, or `dflt` when unset; an unreadable size is reported and replaced by `dflt`. */
export function sizeAt(c: Collector, path: Path, v: string | number | undefined, dflt: number): number {
    if (v === undefined) return dflt;
    const n = parseSize(v);
    if (n === undefined || n <= 0) {
        c.err(path, `found ${show(v)}; allowed: a size such as "10 MB", "512 KB" or a number of bytes`);
        return dflt;
    }
    return n;
}

/** True for a dotted-quad IPv4 address with every part in 0..255. */
function isIpv4(value: string): boolean {
    const parts = value.split(".");
    return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

export function isAddress(value: string): boolean {
    // Anything made only of digits and dots is meant as an IPv4 address and must be a valid one.
    if (/^[\d.]+$/.test(value)) return isIpv4(value);
    return DOMAIN_RE.test(value.toLowerCase());
}

export function setSecretCommand(path: string): string {
    return `pulumi config set --secret --path '${path}' -- "$(cat ~/.ssh/id_ed25519)"`;
}

/** Kafka reads its sizes and timeouts as Java ints. */
export const INT32_MAX = 2 ** 31 - 1;
/** Fabric's protobuf fields for batch limits are uint32. */
export const UINT32_MAX = 2 ** 32 - 1;

/**
 * Fabric's rule for keys in a channel configuration (configtx validator: `[a-zA-Z0-9.-]+`, at most 249
 * characters, never `.` or `..`): organisation names, MSP ids (the group key of a peer org), the consortium.
 */
export const CONFIG_ID_RE = /^[A-Za-z0-9][A-Za-z0-9.-]{0,248}$/;
export const CONFIG_ID_ALLOWED =
    "letters, digits, '.' and '-' (Fabric's channel-configuration key rule), starting with a letter or digit, at most 249 characters";

/** Linux limits a host name (a container's `hostname`) to 64 bytes. */
export const HOSTNAME_MAX = 64;

/** Fabric's chaincode version characters (`^[A-Za-z0-9_.+-]+$`), bounded. */
export const CC_VERSION_RE = /^[A-Za-z0-9][A-Za-z0-9_.+-]{0,63}$/;
/** A chaincode function name as the contract API spells them (`Contract:fn`, `org.hyperledger.fabric:GetMetadata`). */
export const CC_FUNCTION_RE = /^[A-Za-z_][A-Za-z0-9_.:-]{0,127}$/;

/** A duration in milliseconds from "500ms", "2s" or "1m", or undefined when it is not one. */
export function parseDurationMs(value: string): number | undefined {
    const m = /^(\d+)(ms|s|m)$/.exec(value);
    if (!m) return undefined;
    return Number(m[1]) * (m[2] === "ms" ? 1 : m[2] === "s" ? 1000 : 60_000);
}

// ---- Docker image references (distribution/reference grammar)

const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const REGISTRY = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?`;
const PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*";
const TAG = "[\\w][\\w.-]{0,127}";
const DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
const IMAGE_RE = new RegExp(
    `^(?<name>(?:${REGISTRY}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::(?<tag>${TAG}))?(?:@(?<digest>${DIGEST}))?$`,
);
/** A registry prefix: a registry host (with port) and optional repository path components. */
export const REGISTRY_PREFIX_RE = new RegExp(`^${REGISTRY}(?:/${PATH_COMPONENT})*$`);

/** An image reference split by Docker's grammar, or undefined when Docker would refuse it. */
export function parseImageRef(ref: string): { name: string; tag?: string; digest?: string } | undefined {
    if (ref.length > 512) return undefined;
    const m = IMAGE_RE.exec(ref);
    if (!m?.groups || m.groups.name!.length > 255) return undefined;
    // Docker reads the first component as a registry only if it has a '.' or ':' or is localhost; otherwise it
    // is part of the (lower-case) repository name.
    const first = m.groups.name!.split("/")[0]!;
    const isRegistry = m.groups.name!.includes("/") && (/[.:]/.test(first) || first === "localhost");
    if (!isRegistry && !new RegExp(`^${PATH_COMPONENT}$`).test(first)) return undefined;
    return {
        name: m.groups.name!,
        ...(m.groups.tag ? { tag: m.groups.tag } : {}),
        ...(m.groups.digest ? { digest: m.groups.digest } : {}),
    };
}

// ---- Fabric logging spec (FABRIC_LOGGING_SPEC): `[<logger>[,<logger>...]=]<level>[:...]`

const LOG_LEVELS = ["debug", "info", "warn", "warning", "error", "dpanic", "panic", "fatal"];
const LOGGER_RE = /^[A-Za-z0-9_#-]+(\.[A-Za-z0-9_#-]+)*\.?$/;

export function loggingSpecProblem(spec: string): string | undefined {
    const terms = spec.split(":");
    let defaults = 0;
    for (const term of terms) {
        const eq = term.split("=");
        if (eq.length > 2) return `term ${JSON.stringify(term)} has more than one '='`;
        const level = eq[eq.length - 1]!;
        if (!LOG_LEVELS.includes(level.toLowerCase())) return `unknown level ${JSON.stringify(level)}`;
        if (eq.length === 1) {
            defaults++;
            continue;
        }
        for (const logger of eq[0]!.split(",")) {
            if (!LOGGER_RE.test(logger)) return `logger name ${JSON.stringify(logger)} is not one`;
        }
    }
    return defaults > 1 ? "more than one default level" : undefined;
}
export const LOGGING_ALLOWED = `a Fabric logging spec: a level (${LOG_LEVELS.join(", ")}), optionally with per-logger levels, e.g. "INFO" or "gossip,msp=warning:info"`;

// ---- JVM options for KAFKA_HEAP_OPTS

const JVM_SIZE = "[0-9]+[kKmMgG]?";
const JVM_OPTION_RE = new RegExp(
    `^-(?:Xm[sx]${JVM_SIZE}|Xss${JVM_SIZE}|XX:[+-][A-Za-z][A-Za-z0-9]*|XX:[A-Za-z][A-Za-z0-9]*=[A-Za-z0-9._:/-]+|D[A-Za-z0-9._-]+=[A-Za-z0-9._:/,-]*)$`,
);

/** Bytes of a JVM size such as "512M". */
export function jvmBytes(size: string): number {
    const m = /^([0-9]+)([kKmMgG]?)$/.exec(size)!;
    const unit = m[2]!.toLowerCase();
    return Number(m[1]) * (unit === "g" ? 1024 ** 3 : unit === "m" ? 1024 ** 2 : unit === "k" ? 1024 : 1);
}

export function heapOptsProblem(opts: string): string | undefined {
    const words = opts.split(" ");
    if (words.some((w) => w === "")) return "options must be separated by single spaces";
    const bad = words.find((w) => !JVM_OPTION_RE.test(w));
    if (bad !== undefined) return `${JSON.stringify(bad)} is not a JVM option this program passes on`;
    const xmx = words.filter((w) => w.startsWith("-Xmx")).pop();
    const xms = words.filter((w) => w.startsWith("-Xms")).pop();
    if (xmx && xms && jvmBytes(xms.slice(4)) > jvmBytes(xmx.slice(4))) {
        return `the initial heap ${xms} is larger than the maximum ${xmx}, which the JVM refuses`;
    }
    if (xmx && jvmBytes(xmx.slice(4)) < 64 * MIB) return `${xmx} is below 64 MiB, too small for a broker to start`;
    return undefined;
}
export const HEAP_OPTS_ALLOWED =
    'JVM options separated by single spaces: -Xmx<size>, -Xms<size>, -Xss<size>, -XX:+Flag, -XX:-Flag, -XX:Name=value, -Dname=value, e.g. "-Xmx512M -Xms512M"';

// ---- Kafka protocol version (Orderer.Kafka.Version)

/** Dotted numbers compared part by part. */
export function compareVersions(a: string, b: string): number {
    const pa = a.split(".").map(Number);
    const pb = b.split(".").map(Number);
    for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
        const d = (pa[i] ?? 0) - (pb[i] ?? 0);
        if (d !== 0) return d;
    }
    return 0;
}
