/**
 * The only place that reads Pulumi config. Collects every top-level key of the `fabric-kafka:` namespace,
 * validates it (throwing before any resource exists) and returns the frozen spec plus the secrets, which
 * never enter the spec: each credential is wrapped with `pulumi.secret` as soon as it is read.
 */
import * as pulumi from "@pulumi/pulumi";
import { DEFAULTS } from "./defaults";
import { TOP_LEVEL_KEYS } from "./schema";
import { NetworkSpec } from "./spec";
import { validateConfig } from "./validate";

export interface HostCredential {
    readonly privateKey?: pulumi.Output<string>;
    readonly password?: pulumi.Output<string>;
}

export interface LoadedConfig {
    readonly spec: NetworkSpec;
    /** Per host name; only hosts of kind "ssh" have one. */
    readonly credentials: Readonly<Record<string, HostCredential>>;
    readonly registryAuth?: { readonly username: pulumi.Output<string>; readonly password: pulumi.Output<string> };
}

/**
 * Whether Pulumi holds a config key as a secret. The SDK exports `isConfigSecret` from its runtime module but
 * leaves it out of the type declarations; it reads the same secret-key list the engine passes to the program.
 */
function isConfigSecret(fullKey: string): boolean {
    const runtime = pulumi.runtime as unknown as { isConfigSecret?: (k: string) => boolean };
    if (typeof runtime.isConfigSecret !== "function") {
        throw new Error("@pulumi/pulumi no longer provides runtime.isConfigSecret; cannot tell secret config apart");
    }
    return runtime.isConfigSecret(fullKey);
}

export function loadConfig(): LoadedConfig {
    const cfg = new pulumi.Config(DEFAULTS.namespace);
    const raw: Record<string, unknown> = {};
    for (const key of TOP_LEVEL_KEYS) {
        const value = cfg.getObject<unknown>(key);
        if (value !== undefined) raw[key] = value;
    }
    const isSecret = (key: string) => isConfigSecret(`${DEFAULTS.namespace}:${key}`);
    const spec = validateConfig(raw, { credentials: isSecret("credentials"), registryAuth: isSecret("registryAuth") });
    for (const w of spec.warnings) void pulumi.log.warn(w);

    const rawCreds = (raw.credentials ?? {}) as Record<string, { privateKey?: string; password?: string }>;
    const credentials: Record<string, HostCredential> = {};
    for (const host of spec.hosts) {
        const c = rawCreds[host.name];
        if (host.kind !== "ssh" || !c) continue;
        credentials[host.name] = {
            ...(c.privateKey ? { privateKey: pulumi.secret(c.privateKey) } : {}),
            ...(c.password ? { password: pulumi.secret(c.password) } : {}),
        };
    }
    const ra = raw.registryAuth as { username: string; password: string } | undefined;
    return {
        spec,
        credentials,
        ...(ra ? { registryAuth: { username: pulumi.output(ra.username), password: pulumi.secret(ra.password) } } : {}),
    };
}
