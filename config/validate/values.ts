/** Value grammars shared by several normalizers. */
import { MIB } from "../defaults";
import { show } from "../errors";
import { Collector, Path } from "./collector";

export const NAME_RE = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
export const DOMAIN_RE = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;
export const MSPID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
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
