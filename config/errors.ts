import { z } from "zod";
import { DEFAULTS } from "./defaults";
import { closest, didYouMean } from "./suggest";

/** One problem in the stack configuration: where it is, and a message that says the value and what is allowed. */
export interface ConfigIssue {
    readonly path: string;
    readonly message: string;
}

/** Thrown before any resource is created; lists every problem found, not just the first. */
export class ConfigError extends Error {
    constructor(readonly issues: readonly ConfigIssue[]) {
        super(
            `The stack configuration has ${issues.length} problem${issues.length === 1 ? "" : "s"}; nothing was deployed.\n` +
                issues.map((i) => `  - ${i.path}: ${i.message}`).join("\n"),
        );
        this.name = "ConfigError";
    }
}

/** `hosts[3].address` from ["hosts", 3, "address"], prefixed with the config namespace. */
export function configPath(path: readonly PropertyKey[]): string {
    let out = `${DEFAULTS.namespace}:`;
    path.forEach((seg, i) => {
        if (typeof seg === "number") out += `[${seg}]`;
        else out += i === 0 ? String(seg) : `.${String(seg)}`;
    });
    return out;
}

/** A short rendering of a found value for messages: strings quoted, objects abbreviated. */
export function show(value: unknown): string {
    if (value === undefined) return "nothing";
    if (typeof value === "string") return JSON.stringify(value);
    if (typeof value === "number" || typeof value === "boolean" || value === null) return String(value);
    if (Array.isArray(value)) return `a list of ${value.length}`;
    return "an object";
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
    let cur: unknown = root;
    for (const seg of path) {
        if (cur === null || typeof cur !== "object") return undefined;
        cur = (cur as Record<PropertyKey, unknown>)[seg];
    }
    return cur;
}

/**
 * The keys an object schema allows at `path`, found by walking the schema, for "unknown key" messages. A
 * discriminated union (e.g. `ordering`, on `type`) is resolved to the option the raw value names.
 */
function allowedKeys(schema: z.ZodType, raw: unknown, path: readonly PropertyKey[]): string[] {
    const unwrap = (s: z.ZodType, at: readonly PropertyKey[]): z.ZodType => {
        let x = s;
        for (;;) {
            if (x instanceof z.ZodOptional || x instanceof z.ZodNullable) x = x.unwrap() as z.ZodType;
            else if (x instanceof z.ZodDiscriminatedUnion) {
                const key = x._zod.def.discriminator;
                const value = (valueAt(raw, at) as Record<string, unknown> | undefined)?.[key];
                const options = x.options as z.ZodType[];
                const match = options.find(
                    (o) =>
                        o instanceof z.ZodObject &&
                        (o.shape as Record<string, z.ZodType>)[key]?.safeParse(value).success,
                );
                if (!match) return x;
                x = match;
            } else return x;
        }
    };
    let cur: z.ZodType | undefined = schema;
    for (let i = 0; i < path.length; i++) {
        if (!cur) return [];
        const s = unwrap(cur, path.slice(0, i));
        const seg = path[i]!;
        if (s instanceof z.ZodArray) cur = s.element as z.ZodType;
        else if (s instanceof z.ZodObject) cur = (s.shape as Record<string, z.ZodType>)[String(seg)];
        else if (s instanceof z.ZodRecord) cur = s.valueType as z.ZodType;
        else return [];
    }
    const s = cur ? unwrap(cur, path) : undefined;
    return s instanceof z.ZodObject ? Object.keys(s.shape) : [];
}

/**
 * A copy of `raw` with each unknown key renamed to the allowed key it is closest to (when that key is not set
 * already) or removed: what the operator most likely meant, so that the rest of the configuration can still be
 * checked in the same run.
 */
export function repairUnknownKeys(schema: z.ZodType, raw: unknown, issues: readonly z.core.$ZodIssue[]): unknown {
    const copy = JSON.parse(JSON.stringify(raw ?? {})) as unknown;
    for (const issue of issues) {
        if (issue.code !== "unrecognized_keys") continue;
        const obj = valueAt(copy, issue.path) as Record<string, unknown> | undefined;
        if (!obj || typeof obj !== "object") continue;
        const allowed = allowedKeys(schema, raw, issue.path);
        for (const key of issue.keys) {
            const near = closest(key, allowed);
            if (near !== undefined && obj[near] === undefined) obj[near] = obj[key];
            delete obj[key];
        }
    }
    return copy;
}

/**
 * Turns zod's issues into messages that name the value found and what is allowed. An unknown key is reported at
 * its own path with the closest allowed key; a required key that a misspelt sibling was probably meant to be is
 * not reported again as missing.
 */
export function fromZodIssues(schema: z.ZodType, raw: unknown, issues: readonly z.core.$ZodIssue[]): ConfigIssue[] {
    const out: ConfigIssue[] = [];
    const meant = new Set<string>();
    for (const issue of issues) {
        if (issue.code !== "unrecognized_keys") continue;
        const allowed = allowedKeys(schema, raw, issue.path);
        for (const key of issue.keys) {
            const near = closest(key, allowed);
            if (near !== undefined) meant.add(configPath([...issue.path, near]));
            const where = issue.path.length === 0 ? ` in the ${DEFAULTS.namespace} namespace` : "";
            out.push({
                path: configPath([...issue.path, key]),
                message: `unknown key ${JSON.stringify(key)}${where};${near !== undefined ? ` did you mean ${JSON.stringify(near)}?` : ""} allowed: ${allowed.join(", ")}`,
            });
        }
    }
    for (const issue of issues) {
        if (issue.code === "unrecognized_keys") continue;
        const found = valueAt(raw, issue.path);
        const path = configPath(issue.path);
        let message: string;
        switch (issue.code) {
            case "invalid_type":
                if (found === undefined && meant.has(path)) continue;
                message =
                    found === undefined
                        ? `is required (expected ${issue.expected})`
                        : `expected ${issue.expected}, found ${show(found)}`;
                break;
            case "invalid_value": {
                const values = issue.values.map((v) => String(v));
                const hint = typeof found === "string" ? didYouMean(found, values) : "";
                message = `found ${show(found)};${hint} allowed: ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
                break;
            }
            case "invalid_union":
                // A discriminated union whose discriminator matches no option (e.g. an unknown ordering.type).
                if ("options" in issue && Array.isArray(issue.options)) {
                    const options = (issue.options as unknown[]).map((v) => String(v));
                    const allowed = (issue.options as unknown[]).map((v) => JSON.stringify(v)).join(", ");
                    const hint = typeof found === "string" ? didYouMean(found, options) : "";
                    message =
                        found === undefined
                            ? `is required; allowed: ${allowed}`
                            : `found ${show(found)};${hint} allowed: ${allowed}`;
                } else message = `found ${show(found)}; ${issue.message}`;
                break;
            case "too_small":
                message = Array.isArray(found)
                    ? `needs at least ${String(issue.minimum)} entr${issue.minimum === 1 ? "y" : "ies"}, found ${found.length}`
                    : `found ${show(found)}; allowed: ${issue.inclusive ? "at least" : "more than"} ${String(issue.minimum)}`;
                break;
            case "too_big":
                message = `found ${show(found)}; allowed: ${issue.inclusive ? "at most" : "less than"} ${String(issue.maximum)}`;
                break;
            default:
                message = `${issue.message} (found ${show(found)})`;
        }
        out.push({ path, message });
    }
    return out;
}
