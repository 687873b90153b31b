/**
 * Pure helpers over what Pulumi hands the program: the namespace's raw values from the flat config map, and
 * per-value secretness read from the stack file's `secure:` markers. The engine marks a whole top-level key
 * secret as soon as one value in it is, so only the file can tell a plaintext key set among secret ones.
 */
import { DEFAULTS } from "./defaults";
import { editDistance } from "./suggest";

/** The `fabric-kafka:*` values (JSON objects parsed), and the full keys of every other namespace. */
export function namespaceValues(all: Readonly<Record<string, string>>): {
    raw: Record<string, unknown>;
    foreignKeys: string[];
} {
    const prefix = `${DEFAULTS.namespace}:`;
    const raw: Record<string, unknown> = {};
    const foreignKeys: string[] = [];
    for (const [key, value] of Object.entries(all)) {
        if (!key.startsWith(prefix)) {
            foreignKeys.push(key);
            continue;
        }
        try {
            raw[key.slice(prefix.length)] = JSON.parse(value);
        } catch {
            // A plain string value: Pulumi passes those unquoted.
            raw[key.slice(prefix.length)] = value;
        }
    }
    return { raw, foreignKeys };
}

/** Keys whose namespace looks like a misspelling of the program's (`fabric-kafak:hosts`): their values are lost. */
export function nearMissNamespaces(foreignKeys: readonly string[]): string[] {
    return foreignKeys.filter((k) => {
        const ns = k.slice(0, Math.max(0, k.indexOf(":")));
        return ns !== DEFAULTS.namespace && editDistance(ns.toLowerCase(), DEFAULTS.namespace) <= 3;
    });
}

type Node = unknown;

function isSecure(node: Node): boolean {
    return (
        !!node &&
        typeof node === "object" &&
        !Array.isArray(node) &&
        Object.keys(node).length === 1 &&
        typeof (node as Record<string, unknown>).secure === "string"
    );
}

/**
 * `isSecretPath(["credentials", "kafka1", "privateKey"])`: true when the stack file stores that value (or a
 * key above it) encrypted, false when it stores it in plaintext, undefined when the file does not hold it
 * (the value came from elsewhere, e.g. an environment, and only the engine's per-key flag is known).
 */
export function stackFileSecrecy(doc: unknown): (path: readonly string[]) => boolean | undefined {
    const config = (doc as { config?: Record<string, Node> } | null | undefined)?.config ?? {};
    return (path) => {
        if (path.length === 0) return undefined;
        let node: Node = config[`${DEFAULTS.namespace}:${path[0]}`];
        if (node === undefined) return undefined;
        for (const seg of path.slice(1)) {
            if (isSecure(node)) return true;
            if (!node || typeof node !== "object") return undefined;
            node = (node as Record<string, Node>)[seg];
            if (node === undefined) return undefined;
        }
        if (isSecure(node)) return true;
        return typeof node === "string" || typeof node === "number" || typeof node === "boolean" ? false : undefined;
    };
}
