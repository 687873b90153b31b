/**
 * Drives the real toolchain from tests: the simulated hosts (test/e2e/hosts), the e2e stack generated from
 * the dev topology, and the real Pulumi CLI through the Automation API on a file:// backend.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import { program } from "../../../scripts/program";
import { DEFAULTS, NetworkSpec, placeholderPrivateKey, validateConfig } from "../../../config";
import { ROOT, clone, rawStackConfig } from "../../support/stacks";

export const CACHE =
    process.env.FABRIC_KAFKA_CACHE ??
    path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "fabric-kafka-pulumi");
const HOSTS_DIR = path.join(ROOT, "test/e2e/hosts");

export interface SimHost {
    readonly name: string;
    readonly address: string;
    readonly sshPort: number;
    readonly user: string;
    readonly keyFile: string;
}
export interface SimHosts {
    readonly registry: string;
    readonly knownHosts: string;
    readonly hosts: readonly SimHost[];
}

/**
 * Runs a command and resolves with its stdout. Always asynchronous: a synchronous child process blocks the
 * test worker's event loop, and vitest fails the run when the worker cannot answer its RPC for 60 seconds.
 */
export function sh(
    cmd: string,
    args: string[],
    opts: { timeoutMs?: number; input?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<string> {
    return new Promise((resolve, reject) => {
        const child = execFile(
            cmd,
            args,
            {
                encoding: "utf8",
                timeout: opts.timeoutMs ?? 10 * 60 * 1000,
                env: opts.env ?? process.env,
                maxBuffer: 64 * 1024 * 1024,
            },
            (err, stdout, stderr) => {
                if (err) {
                    const detail = `${stdout}\n${stderr}`.trim().split("\n").slice(-40).join("\n");
                    reject(new Error(`${cmd} ${args.join(" ")} failed: ${err.message}\n${detail}`));
                } else resolve(stdout);
            },
        );
        child.stdin?.end(opts.input ?? "");
    });
}

/** Builds or reuses the toolchain (CLI, plugins, images); returns seconds taken and whether all was cached. */
export async function ensureToolchain(): Promise<{ seconds: number; cached: boolean }> {
    const t0 = Date.now();
    const out = await sh("bash", [path.join(ROOT, "tools/toolchain/run.sh")], { timeoutMs: 90 * 60 * 1000 });
    // The table after "STEP STATUS ..." has one row per step; cached means no step had to build anything.
    const rows = (out.split(/^STEP\s+STATUS.*$/m)[1] ?? "").split("\n").filter((l) => /^\S+\s+\S+\s+\d+s/.test(l));
    const cached = rows.length > 0 && rows.every((l) => /^\S+\s+(reused|started|skipped)\s/.test(l));
    return { seconds: (Date.now() - t0) / 1000, cached };
}

/** Where the e2e stacks put the simulated hosts' workdirs (they share this machine's filesystem). */
const WORKDIRS = "/var/lib/fk-e2e";

export async function hostsUp(n: number): Promise<SimHosts> {
    // Fresh hosts get fresh workdirs: files an earlier (killed) run left there belong to other crypto material.
    fs.rmSync(WORKDIRS, { recursive: true, force: true });
    const out = await sh("bash", [path.join(HOSTS_DIR, "up.sh"), String(n), "--fresh"], {
        timeoutMs: 15 * 60 * 1000,
    });
    return JSON.parse(out) as SimHosts;
}

export async function hostsDown(): Promise<void> {
    await sh("bash", [path.join(HOSTS_DIR, "down.sh")], { timeoutMs: 10 * 60 * 1000 });
}

/**
 * Runs a command in a simulated host's namespace and resolves with its exit code and output, failing or not: for
 * probes whose refusal is the expected result. A command still running after `timeoutMs` is killed (code null).
 */
export function probeOnHost(
    host: SimHost,
    args: string[],
    timeoutMs = 60_000,
): Promise<{ code: number | null; output: string }> {
    return new Promise((resolve) => {
        execFile(
            "bash",
            [path.join(HOSTS_DIR, "exec.sh"), host.name.replace(/^h/, ""), ...args],
            { encoding: "utf8", timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
            (err, stdout, stderr) => {
                const code = err ? (typeof err.code === "number" ? err.code : null) : 0;
                resolve({ code, output: `${stdout}${stderr}` });
            },
        ).stdin?.end();
    });
}

/** Runs a command in a simulated host's namespace, with DOCKER_HOST set to that host's engine. */
export function onHost(host: SimHost, args: string[], timeoutMs = 120_000): Promise<string> {
    return sh("bash", [path.join(HOSTS_DIR, "exec.sh"), host.name.replace(/^h/, ""), ...args], { timeoutMs });
}

/**
 * A container's log on a simulated host, stdout and stderr together: the official Fabric images log to stderr
 * (ours logged to stdout), and `onHost` keeps only stdout.
 */
export function dockerLogs(host: SimHost, container: string, timeoutMs = 120_000): Promise<string> {
    return onHost(host, ["sh", "-c", 'docker logs "$1" 2>&1', "docker-logs", container], timeoutMs);
}

/**
 * Runs a readiness check of the plan (plan/readiness: a function body that prints its evidence and returns
 * non-zero while not ready) on a simulated host once, and returns what it printed, or undefined if not ready.
 * The official images have no Docker HEALTHCHECK, so this is the only notion of ready that holds for them.
 */
export async function readyOnHost(host: SimHost, check: string): Promise<string | undefined> {
    const { ready, answer } = await checkOnHost(host, check);
    return ready ? answer : undefined;
}

/** Runs a readiness check once, like readyOnHost, and keeps its answer when it is not ready too. */
export async function checkOnHost(host: SimHost, check: string): Promise<{ ready: boolean; answer: string }> {
    let out: string;
    try {
        out = await onHost(host, ["sh", "-c", `f() {\n${check}\n}\nf 2>&1; echo "exit status $?"`]);
    } catch (e) {
        // The host itself did not answer (a fault scenario may have stopped it).
        return { ready: false, answer: (e instanceof Error ? e.message : String(e)).split("\n").slice(-3).join("\n") };
    }
    const lines = out.trim().split("\n");
    const status = lines.pop() ?? "";
    return { ready: status === "exit status 0", answer: lines.join("\n").trim() };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `f` every `everyMs` until it returns a value (not undefined), or fails after `boundMs` with `what`. */
export async function waitFor<T>(
    what: string | (() => string),
    boundMs: number,
    f: () => Promise<T | undefined> | T | undefined,
    everyMs = 500,
): Promise<T> {
    const end = Date.now() + boundMs;
    for (;;) {
        const v = await f();
        if (v !== undefined) return v;
        if (Date.now() > end)
            throw new Error(`${typeof what === "string" ? what : what()}: not within ${boundMs / 1000} s`);
        await sleep(everyMs);
    }
}

export interface E2eConfig {
    plain: Record<string, unknown>;
    credentials: Record<string, { privateKey: string }>;
}

/** The `hosts[]` entry that points a topology host `name` at simulated host `s`, with its own workdir. */
export function simHostEntry(name: string, s: SimHost) {
    return { name, address: s.address, sshPort: s.sshPort, user: s.user, workdir: `${WORKDIRS}/${name}` };
}

/**
 * An e2e stack's config: a topology (by default the dev stack's 13 hosts) with each of its hosts mapped, in
 * order, onto a simulated host, a separate workdir per host (they share this machine's filesystem), the key
 * of this run as a secret, pinned host keys, and images from the hosts' registry.
 */
export function e2eConfig(sim: SimHosts, source: Record<string, unknown> = rawStackConfig("dev")): E2eConfig {
    const raw = clone(source) as Record<string, any>;
    const credentials: Record<string, { privateKey: string }> = {};
    raw.hosts = (raw.hosts as Array<{ name: string }>).map((h, i) => {
        const s = sim.hosts[i];
        if (!s)
            throw new Error(
                `the topology needs ${(raw.hosts as unknown[]).length} hosts, the harness has ${sim.hosts.length}`,
            );
        credentials[h.name] = { privateKey: fs.readFileSync(s.keyFile, "utf8") };
        return simHostEntry(h.name, s);
    });
    // The default (official) images, from the hosts' registry: the only difference to a user's stack.
    raw.images = { registry: sim.registry };
    raw.ssh = { knownHostsFile: sim.knownHosts, strictHostKeyChecking: "yes" };
    // The hosts pull from 192.0.2.1:5000, which this namespace cannot reach: run cryptogen/configtxgen from PATH.
    raw.tools = { mode: "path" };
    raw.network = { ...raw.network, protectVolumes: true };
    // Kafka only: a Raft topology has no brokers.
    if (raw.ordering.kafka) raw.ordering.kafka.heapOpts = "-Xmx384M -Xms384M";
    return { plain: raw, credentials };
}

/**
 * The environment of the e2e stacks' backend: also what a command run as a child process (identity, bench)
 * needs to open the same stack.
 */
export function e2eEnvVars(): Record<string, string> {
    const state = path.join(CACHE, "e2e-state");
    fs.mkdirSync(state, { recursive: true });
    return {
        PULUMI_BACKEND_URL: `file://${state}`,
        PULUMI_CONFIG_PASSPHRASE: "e2e-only-passphrase",
        PULUMI_HOME: path.join(CACHE, "pulumi-home"),
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        PATH: `${path.join(CACHE, "bin")}:${process.env.PATH ?? ""}`,
    };
}

/**
 * The checkpoint of stack `name` as the backend stores it. Not `stack.exportStack()`: the Automation API runs
 * `pulumi stack export --show-secrets`, which prints every secret decrypted.
 */
export function storedState(name: string): string {
    const stacks = path.join(CACHE, "e2e-state", ".pulumi", "stacks");
    const candidates = [path.join(stacks, "fabric-kafka", `${name}.json`), path.join(stacks, `${name}.json`)];
    const file = candidates.find((f) => fs.existsSync(f));
    if (!file) throw new Error(`no stored state for stack ${name}: looked for ${candidates.join(", ")}`);
    return fs.readFileSync(file, "utf8");
}

/** An e2e stack with `config`; by default it runs the whole program, or `prog` (a part of it) when given. */
export async function e2eStack(
    name: string,
    config: E2eConfig,
    prog: () => Promise<Record<string, unknown>> = program,
): Promise<Stack> {
    const pulumiCommand = await PulumiCommand.get({ root: CACHE, skipVersionCheck: true });
    const envVars = e2eEnvVars();
    // Inline program: the real CLI and engine, no language-host plugin (see docs/toolchain.md).
    const args = { stackName: name, projectName: "fabric-kafka", program: prog };
    let stack = await LocalWorkspace.createOrSelectStack(args, { workDir: ROOT, pulumiCommand, envVars });
    // The hosts are new on every run: state left by an earlier (crashed) run describes containers that are gone,
    // and a run that was killed mid-update leaves its lock behind.
    await stack.cancel().catch(() => undefined);
    await stack.workspace.removeStack(name, { force: true });
    stack = await LocalWorkspace.createOrSelectStack(args, { workDir: ROOT, pulumiCommand, envVars });
    const { plain, credentials } = config;
    const ns = DEFAULTS.namespace;
    const cfg: Record<string, { value: string; secret?: boolean }> = {};
    for (const [k, v] of Object.entries(plain)) cfg[`${ns}:${k}`] = { value: JSON.stringify(v) };
    await stack.setAllConfig(cfg);
    // Credentials as secrets, the way an operator sets them (pulumi config set --secret --path ...).
    for (const [host, c] of Object.entries(credentials)) {
        await stack.setConfig(`credentials.${host}.privateKey`, { value: c.privateKey, secret: true }, true);
    }
    return stack;
}

/**
 * The mode ZooKeeper reports for itself (leader, follower, standalone) through the `srvr` four-letter word,
 * asked inside its container on its plaintext port (`zookeeperPlaintextPort`: with TLS a loopback-only listener)
 * with the image's own nc. An answer without a mode (seen right after a run of other checks) is logged and asked
 * again, up to 10 times, 2 s apart; undefined if no answer ever carried a mode.
 */
export async function zookeeperMode(host: SimHost, container: string, port: number): Promise<string | undefined> {
    for (let attempt = 1; attempt <= 10; attempt++) {
        const srvr = await onHost(host, [
            "docker",
            "exec",
            container,
            "sh",
            "-c",
            `echo srvr | nc -q 2 -w 5 127.0.0.1 ${port}`,
        ]).catch((e: Error) => e.message);
        const mode = /^Mode: (\w+)$/m.exec(srvr)?.[1];
        if (mode) return mode;
        console.log(`${container}: srvr answer without a mode (attempt ${attempt}): ${JSON.stringify(srvr)}`);
        await new Promise((r) => setTimeout(r, 2000));
    }
    return undefined;
}

/**
 * The broker ids registered in ZooKeeper (ephemeral nodes under /brokers/ids), asked of ZooKeeper itself with the
 * image's zkCli.sh on its plaintext port.
 */
export async function registeredBrokers(host: SimHost, container: string, port: number): Promise<string[] | undefined> {
    const ls = await onHost(host, [
        "docker",
        "exec",
        container,
        "sh",
        "-c",
        `zkCli.sh -server 127.0.0.1:${port} ls /brokers/ids 2>/dev/null`,
    ]);
    return /^\[([\d, ]*)\]$/m.exec(ls)?.[1]?.split(", ").sort();
}

/** Timings of an e2e run, in the order they were taken, printed as one line: "label Ns, label Ns, ...". */
export class Timings {
    private readonly entries: Array<[string, number]> = [];

    set(label: string, seconds: number): void {
        this.entries.push([label, seconds]);
    }

    toolchain(tc: { seconds: number; cached: boolean }): void {
        this.set(`toolchain (${tc.cached ? "cached" : "built"})`, tc.seconds);
    }

    async time<T>(label: string, f: () => Promise<T>): Promise<T> {
        const t0 = Date.now();
        try {
            return await f();
        } finally {
            this.set(label, (Date.now() - t0) / 1000);
        }
    }

    line(): string {
        return this.entries.map(([k, v]) => `${k} ${v.toFixed(0)}s`).join(", ");
    }
}

/**
 * Stops (gracefully, as a docker service stop) or starts a simulated host's engine, or takes the host off the
 * network and puts it back; see hosts/host.sh.
 */
export async function hostEngine(host: SimHost, action: "stop" | "start" | "disconnect" | "connect"): Promise<void> {
    await sh("bash", [path.join(HOSTS_DIR, "host.sh"), action, host.name], { timeoutMs: 3 * 60 * 1000 });
}

/**
 * A network brought up on the simulated hosts, as the e2e phases receive it: the hosts, the stack, its config,
 * its validated spec, and the look-ups from the topology's host names to simulated hosts and workdirs. A phase
 * that edits the stack (a peer added, a broker moved) edits `config.plain` too; `spec` and the look-ups follow.
 */
export interface RunningNetwork {
    readonly sim: SimHosts;
    readonly stack: Stack;
    readonly config: E2eConfig;
    /** The validated spec of `config` as it is now. */
    readonly spec: NetworkSpec;
    /** The simulated host that plays the topology's host `name`. */
    host(name: string): SimHost;
    /** Where the program put host `name`'s files (the hosts share this machine's filesystem). */
    workdir(name: string): string;
}

export function runningNetwork(sim: SimHosts, stack: Stack, config: E2eConfig): RunningNetwork {
    const hosts = () => config.plain.hosts as Array<{ name: string; address: string; workdir: string }>;
    const entry = (name: string) => {
        const h = hosts().find((x) => x.name === name);
        if (!h)
            throw new Error(
                `no host ${name} in the topology (${hosts()
                    .map((x) => x.name)
                    .join(", ")})`,
            );
        return h;
    };
    return {
        sim,
        stack,
        config,
        get spec() {
            const credentials = Object.fromEntries(
                hosts().map((h) => [h.name, { privateKey: placeholderPrivateKey() }]),
            );
            return validateConfig({ ...config.plain, credentials }, { credentials: true, registryAuth: true });
        },
        host: (name) => {
            const address = entry(name).address;
            const s = sim.hosts.find((x) => x.address === address);
            if (!s) throw new Error(`host ${name} (${address}) is none of the simulated hosts`);
            return s;
        },
        workdir: (name) => entry(name).workdir,
    };
}
