/**
 * Opens a stack of this project through the Automation API the same way for every script (deploy, identity,
 * bench, timeline): the toolchain's Pulumi CLI when it is built, and for the `local` stack its file backend,
 * its generated passphrase and its settings kept outside the clone.
 *
 * Why outside: with the passphrase secrets provider Pulumi writes the stack's `encryptionsalt` into
 * `Pulumi.<stack>.yaml` the first time it opens the stack. The salt belongs to this machine's passphrase, so
 * the committed `Pulumi.local.yaml` must not receive it. The local stack therefore runs from a settings folder
 * in the cache: a copy of `Pulumi.yaml` and of the committed `Pulumi.local.yaml` (refreshed on every run),
 * plus the salt Pulumi wrote there.
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { LocalWorkspace, PulumiCommand, PulumiFn, Stack } from "@pulumi/pulumi/automation";

/** The clone: the nearest folder above this file with Pulumi.yaml (the source runs from scripts/lib, the build from bin/scripts/lib). */
function findRoot(): string {
    for (let dir = __dirname; ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, "Pulumi.yaml"))) return dir;
        if (path.dirname(dir) === dir) throw new Error(`no Pulumi.yaml above ${__dirname}`);
    }
}

export const ROOT = findRoot();
const PROJECT = "fabric-kafka";

/** The toolchain cache, as tools/toolchain/lib.sh computes it. */
export function cacheDir(): string {
    return (
        process.env.TC_CACHE ??
        process.env.FABRIC_KAFKA_CACHE ??
        path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "fabric-kafka-pulumi")
    );
}

/** Stacks whose settings live in the cache rather than in the clone. */
export const OUT_OF_TREE_STACKS: ReadonlySet<string> = new Set(["local"]);

/** Where the `local` stack's settings live: `<cache>/stacks/fabric-kafka`. */
export function settingsDir(cache = cacheDir()): string {
    return path.join(cache, "stacks", PROJECT);
}

/**
 * Refreshes the out-of-tree settings of `stack` from the clone, keeping the salt Pulumi wrote there; returns
 * the folder. A salt already in the committed file (an older clone) is kept as it is.
 */
export function prepareSettings(stack: string, cache = cacheDir()): string {
    const dir = settingsDir(cache);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    const file = `Pulumi.${stack}.yaml`;
    const committed = fs.readFileSync(path.join(ROOT, file), "utf8");
    const target = path.join(dir, file);
    const saltOf = (text: string) => (yaml.load(text) as { encryptionsalt?: string } | null)?.encryptionsalt;
    const salt = fs.existsSync(target) ? saltOf(fs.readFileSync(target, "utf8")) : undefined;
    const keep = salt && !saltOf(committed) ? `${committed.replace(/\n*$/, "\n")}encryptionsalt: ${salt}\n` : committed;
    fs.writeFileSync(target, keep);
    return dir;
}

/** Environment defaults of a stack: the `local` stack's file backend and passphrase file in the cache. */
export function stackEnv(stack: string, cache = cacheDir(), createPassphrase = false): Record<string, string> {
    const env: Record<string, string> = {};
    const home = path.join(cache, "pulumi-home");
    if (!process.env.PULUMI_HOME && fs.existsSync(home)) env.PULUMI_HOME = home;
    if (stack !== "local") return env;
    const state = path.join(cache, "state");
    if (!process.env.PULUMI_BACKEND_URL) env.PULUMI_BACKEND_URL = `file://${state}`;
    if (!process.env.PULUMI_CONFIG_PASSPHRASE && !process.env.PULUMI_CONFIG_PASSPHRASE_FILE) {
        const pass = path.join(state, "local.passphrase");
        if (createPassphrase && !fs.existsSync(pass)) {
            fs.mkdirSync(state, { recursive: true, mode: 0o700 });
            fs.writeFileSync(pass, `${randomBytes(32).toString("base64")}\n`, { mode: 0o600 });
        }
        env.PULUMI_CONFIG_PASSPHRASE_FILE = pass;
    }
    return env;
}

export interface OpenOptions {
    /** The inline program (deploy runs it); scripts that only read outputs need none. */
    readonly program?: PulumiFn;
    /** Create the stack (and the local passphrase) when missing; otherwise it must exist. */
    readonly create?: boolean;
}

/** The stack, opened on the same CLI, backend, passphrase and settings folder as `npm run local:up` uses. */
export async function openStack(stackName: string, opts: OpenOptions = {}): Promise<Stack> {
    const cache = cacheDir();
    const cli = path.join(cache, "bin", "pulumi");
    const pulumiCommand = fs.existsSync(cli)
        ? await PulumiCommand.get({ root: cache, skipVersionCheck: true })
        : undefined;
    const workDir = OUT_OF_TREE_STACKS.has(stackName) ? prepareSettings(stackName, cache) : ROOT;
    const envVars = stackEnv(stackName, cache, opts.create ?? false);
    const program: PulumiFn = opts.program ?? (() => Promise.resolve({}));
    const args = { stackName, projectName: PROJECT, program };
    const ws = { workDir, envVars, ...(pulumiCommand ? { pulumiCommand } : {}) };
    return opts.create ? LocalWorkspace.createOrSelectStack(args, ws) : LocalWorkspace.selectStack(args, ws);
}

/** The stack's outputs as plain values (secrets decrypted: the caller decides what to print). */
export async function stackOutputs(stackName: string): Promise<Record<string, unknown>> {
    const stack = await openStack(stackName);
    return Object.fromEntries(Object.entries(await stack.outputs()).map(([k, v]) => [k, v.value as unknown]));
}
