/**
 * Property values as they cross the provider protocol (google.protobuf.Struct), and the plain values the
 * resource implementations work with.
 *
 * On the wire a secret is an object {SIG_KEY: SECRET_SIG, value: ...}, an unknown (preview only) is the string
 * UNKNOWN, and a resource reference is {SIG_KEY: RESOURCE_SIG, urn, id?}. Implementations see plain values:
 * secrets unwrapped (their top-level key remembered in `secret`), unknowns kept as the UNKNOWN sentinel so they
 * can be recognised, resource references replaced by their id (or URN).
 */
import { Struct } from "google-protobuf/google/protobuf/struct_pb";

export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
export const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
export const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
export const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export type Value = null | boolean | number | string | Value[] | { [key: string]: Value };
export type Obj = { [key: string]: Value };

/** A property map: plain values plus which top-level keys were (or must become) secret. */
export interface Props {
    readonly v: Obj;
    readonly secret: Set<string>;
}

export function emptyProps(): Props {
    return { v: {}, secret: new Set() };
}

function isObj(x: unknown): x is Obj {
    return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** Unwraps secrets and resource references; reports whether a secret was found anywhere inside. */
function unwrap(x: unknown): [Value, boolean] {
    if (x === undefined || x === null) return [null, false];
    if (typeof x === "boolean" || typeof x === "number" || typeof x === "string") return [x, false];
    if (Array.isArray(x)) {
        let secret = false;
        const out: Value[] = [];
        for (const e of x) {
            const [u, s] = unwrap(e);
            secret ||= s;
            out.push(u);
        }
        return [out, secret];
    }
    if (isObj(x)) {
        const sig = x[SIG_KEY];
        if (sig === SECRET_SIG) {
            const [u] = unwrap(x["value"]);
            return [u, true];
        }
        if (sig === RESOURCE_SIG) {
            const id = x["id"];
            if (typeof id === "string") return [id === "" ? UNKNOWN : id, false];
            return [typeof x["urn"] === "string" ? x["urn"] : null, false];
        }
        if (sig === ASSET_SIG || sig === ARCHIVE_SIG) {
            throw new Error("assets and archives are not supported by this provider");
        }
        let secret = false;
        const out: Obj = {};
        for (const [k, e] of Object.entries(x)) {
            const [u, s] = unwrap(e);
            secret ||= s;
            out[k] = u;
        }
        return [out, secret];
    }
    throw new Error(`unexpected property value of type ${typeof x}`);
}

/** Decodes a request's Struct (absent: empty). Null values are dropped: absent and null mean the same here. */
export function decode(s: Struct | undefined): Props {
    const props = emptyProps();
    if (!s) return props;
    for (const [k, raw] of Object.entries(s.toJavaScript())) {
        const [u, secret] = unwrap(raw);
        if (u === null) continue;
        props.v[k] = u;
        if (secret) props.secret.add(k);
    }
    return props;
}

/** Encodes outputs, wrapping each secret top-level key. Null values are left out. */
export function encode(p: Props): Struct {
    const out: Record<string, Value> = {};
    for (const [k, v] of Object.entries(p.v)) {
        if (v === null || v === undefined) continue;
        out[k] = p.secret.has(k) ? { [SIG_KEY]: SECRET_SIG, value: v } : v;
    }
    return Struct.fromJavaScript(out);
}

export function containsUnknown(x: Value | undefined): boolean {
    if (x === UNKNOWN) return true;
    if (Array.isArray(x)) return x.some(containsUnknown);
    if (isObj(x)) return Object.values(x).some(containsUnknown);
    return false;
}

/** Structural equality; absent, null and (for objects) null-valued keys are treated alike. */
export function deepEqual(a: Value | undefined, b: Value | undefined): boolean {
    if (a === undefined) a = null;
    if (b === undefined) b = null;
    if (a === b) return true;
    if (Array.isArray(a) || Array.isArray(b)) {
        if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
        return a.every((e, i) => deepEqual(e, b[i]));
    }
    if (isObj(a) && isObj(b)) {
        const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
        for (const k of keys) if (!deepEqual(a[k], b[k])) return false;
        return true;
    }
    return false;
}

// --- typed accessors, used by the resource implementations on already-checked inputs ---

export function str(o: Obj, k: string): string | undefined {
    const v = o[k];
    if (v === undefined || v === null) return undefined;
    if (typeof v === "string") return v;
    if (typeof v === "number" || typeof v === "boolean") return String(v);
    throw new Error(`property "${k}" must be a string`);
}

export function num(o: Obj, k: string): number | undefined {
    const v = o[k];
    if (v === undefined || v === null) return undefined;
    if (typeof v === "number") return v;
    if (typeof v === "string" && v.trim() !== "" && !Number.isNaN(Number(v))) return Number(v);
    throw new Error(`property "${k}" must be a number`);
}

export function bool(o: Obj, k: string): boolean | undefined {
    const v = o[k];
    if (v === undefined || v === null) return undefined;
    if (typeof v === "boolean") return v;
    if (v === "true" || v === "false") return v === "true";
    throw new Error(`property "${k}" must be a boolean`);
}

export function strList(o: Obj, k: string): string[] {
    const v = o[k];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) throw new Error(`property "${k}" must be a list of strings`);
    return v.map((e, i) => {
        if (typeof e === "string") return e;
        if (typeof e === "number" || typeof e === "boolean") return String(e);
        throw new Error(`property "${k}[${i}]" must be a string`);
    });
}

export function obj(o: Obj, k: string): Obj | undefined {
    const v = o[k];
    if (v === undefined || v === null) return undefined;
    if (!isObj(v)) throw new Error(`property "${k}" must be an object`);
    return v;
}

/** A map of strings (e.g. environment, logOpts). */
export function strMap(o: Obj, k: string): Record<string, string> {
    const m = obj(o, k);
    const out: Record<string, string> = {};
    if (!m) return out;
    for (const key of Object.keys(m)) {
        const s = str(m, key);
        if (s !== undefined) out[key] = s;
    }
    return out;
}

export { isObj };
