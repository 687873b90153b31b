/**
 * The only place that reads Pulumi config. Collects every key of the `fabric-kafka:` namespace (so a misspelt
 * top-level key is an error, not ignored), validates it (throwing before any resource exists) and returns the
 * frozen spec plus the secrets, which never enter the spec: each credential is wrapped with `pulumi.secret` as
 * soon as it is read.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as yaml from "js-yaml";
import { DEFAULTS } from "./defaults";
import { ConfigError } from "./errors";
import { RawConfig } from "./schema";
import { NetworkSpec } from "./spec";
import { namespaceValues, stackFileSecrecy } from "./stackFile";
import { validateConfig } from "./validate";

export interface HostCredential {
    readonly privateKey?: pulumi.Output<string>;
    readonly password?: pulumi.Output<string>;
}

export interface LoadedConfig {
    readonly spec: NetworkSpec;
    /** Per host name; only hosts of kind "ssh" have one (their own, or the default credential). */
    readonly credentials: Readonly<Record<string, HostCredential>>;
    readonly registryAuth?: { readonly username: pulumi.Output<string>; readonly password: pulumi.Output<string> };
}

export interface LoadOptions {
    /**
     * The parsed stack file (`Pulumi.<stack>.yaml`), to tell per value which credentials are secret. When
     * omitted it is read from beside the nearest Pulumi.yaml above the working directory; null: none.
     */
    readonly stackFile?: unknown;
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

/** The stack file of the running stack, found beside the project's Pulumi.yaml (honouring stackConfigDir). */
function readStackFile(): unknown {
    let dir = process.cwd();
    while (!fs.existsSync(path.join(dir, "Pulumi.yaml"))) {
        const up = path.dirname(dir);
        if (up === dir) return null;
        dir = up;
    }
    const project = yaml.load(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")) as {
        name?: string;
        stackConfigDir?: string;
    } | null;
    // Another project's file says nothing about this stack.
    if (project?.name !== DEFAULTS.namespace) return null;
    const file = path.join(dir, project.stackConfigDir ?? ".", `Pulumi.${pulumi.getStack()}.yaml`);
    return fs.existsSync(file) ? yaml.load(fs.readFileSync(file, "utf8")) : null;
}

/**
 * The list of problems goes to the engine once, as one error diagnostic; what is thrown is a short RunError
 * (printed without a stack trace). The engine reports a thrown error twice when the program runs inline
 * (Automation API: once as an unhandled rejection, once as the run's result), so the list is never thrown.
 */
function reportConfigError(e: ConfigError): Error {
    void pulumi.log.error(e.message);
    const n = e.issues.length;
    return Object.assign(
        new pulumi.RunError(
            `nothing was deployed: the stack configuration has ${n} problem${n === 1 ? "" : "s"}, listed above`,
        ),
        { issues: e.issues },
    );
}

export function loadConfig(opts: LoadOptions = {}): LoadedConfig {
    const { raw, foreignKeys } = namespaceValues(pulumi.runtime.allConfig());
    const isSecret = (key: string) => isConfigSecret(`${DEFAULTS.namespace}:${key}`);
    let spec: NetworkSpec;
    try {
        spec = validateConfig(
            raw,
            {
                credentials: isSecret("credentials"),
                registryAuth: isSecret("registryAuth"),
                defaultCredential: isSecret("defaultCredential"),
                isSecretPath: stackFileSecrecy(opts.stackFile !== undefined ? opts.stackFile : readStackFile()),
            },
            { foreignKeys },
        );
    } catch (e) {
        if (e instanceof ConfigError) throw reportConfigError(e);
        throw e;
    }
    for (const w of spec.warnings) void pulumi.log.warn(w);

    const cfg = raw as Pick<RawConfig, "credentials" | "defaultCredential" | "registryAuth">;
    const credentials: Record<string, HostCredential> = {};
    for (const host of spec.hosts) {
        if (host.kind !== "ssh" || host.credential !== "privateKey") continue;
        const key = cfg.credentials?.[host.name]?.privateKey ?? cfg.defaultCredential?.privateKey;
        if (key) credentials[host.name] = { privateKey: pulumi.secret(key) };
    }
    const ra = cfg.registryAuth;
    return {
        spec,
        credentials,
        ...(ra ? { registryAuth: { username: pulumi.output(ra.username), password: pulumi.secret(ra.password) } } : {}),
    };
}
