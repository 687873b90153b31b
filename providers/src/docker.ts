/**
 * Stand-in for the `docker` provider plugin (npm @pulumi/docker 5.0.0): Network, Volume, RemoteImage and
 * Container, driven through the docker CLI. A local engine is reached with DOCKER_HOST; an `ssh://` host runs
 * the docker CLI of the remote machine over `ssh` (with the provider's `sshOpts`).
 */
import * as path from "node:path";
import { RunResult, Semaphore, run, shq, sleep, tail } from "./exec";
import {
    CheckFailure,
    Created,
    InitError,
    OpContext,
    Provider,
    ResourceType,
    diffInputs,
    outputs,
    serve,
} from "./server";
import { SshTarget, privateTmpDir, runSsh } from "./ssh";
import {
    Obj,
    Props,
    UNKNOWN,
    Value,
    bool,
    containsUnknown,
    isObj,
    num,
    obj,
    objList,
    str,
    strList,
    strMap,
} from "./values";

// ---------------------------------------------------------------------------------------------------------------
// Provider configuration and the docker CLI.

interface RegistryAuth {
    readonly address: string;
    readonly username?: string;
    readonly password?: string;
}

/** A config value that the SDK sends JSON-encoded (lists and objects) or, from older state, as is. */
function jsonConfig(v: Value | undefined): Value | undefined {
    if (typeof v !== "string") return v ?? undefined;
    if (v === "") return undefined;
    try {
        return JSON.parse(v) as Value;
    } catch {
        return v;
    }
}

export class Docker {
    private readonly ssh?: SshTarget;
    private readonly limit = new Semaphore(8);

    constructor(
        readonly host: string | undefined,
        sshOpts: string[],
        readonly registryAuth: RegistryAuth[],
    ) {
        if (host?.startsWith("ssh://")) {
            const u = new URL(host);
            this.ssh = {
                host: u.hostname.replace(/^\[(.*)\]$/, "$1"),
                port: u.port ? Number(u.port) : undefined,
                user: u.username ? decodeURIComponent(u.username) : undefined,
                options: [
                    ...sshOpts,
                    "-o",
                    "BatchMode=yes",
                    // Many docker calls run in parallel: share one connection per host.
                    "-o",
                    "ControlMaster=auto",
                    "-o",
                    `ControlPath=${path.join(privateTmpDir(), "%C")}`,
                    "-o",
                    "ControlPersist=15s",
                    "-o",
                    "ServerAliveInterval=15",
                ],
            };
        }
    }

    get overSsh(): boolean {
        return this.ssh !== undefined;
    }

    describe(): string {
        return this.host ?? "the default docker engine";
    }

    /** Runs argv on the docker host's side: locally with DOCKER_HOST, or through ssh. */
    async exec(argv: string[], opts: { stdin?: string; timeoutMs?: number } = {}): Promise<RunResult> {
        return this.limit.use(async () => {
            if (this.ssh) return runSsh(this.ssh, argv.map(shq).join(" "), opts);
            const env = { ...process.env };
            if (this.host) env["DOCKER_HOST"] = this.host;
            return run(argv[0]!, argv.slice(1), { ...opts, env });
        });
    }

    /** `docker ARGS`, failing with its stderr. */
    async docker(args: string[], opts: { stdin?: string; timeoutMs?: number } = {}): Promise<string> {
        const r = await this.exec(["docker", ...args], opts);
        if (r.code !== 0) throw new Error(dockerError(args, r, this));
        return r.stdout;
    }

    /** `docker ARGS`, returning undefined when the object does not exist (also how every delete tolerates "gone"). */
    async maybe(args: string[]): Promise<string | undefined> {
        const r = await this.exec(["docker", ...args]);
        if (r.code === 0) return r.stdout;
        if (/no such|not found/i.test(r.stderr)) return undefined;
        throw new Error(dockerError(args, r, this));
    }

    async inspect(kind: "container" | "network" | "volume" | "image", ref: string): Promise<Obj | undefined> {
        const out = await this.maybe([kind, "inspect", ref]);
        if (out === undefined) return undefined;
        const parsed = JSON.parse(out) as Value;
        const first = Array.isArray(parsed) ? parsed[0] : undefined;
        return isObj(first) ? first : undefined;
    }

    /** The registry credentials that apply to an image reference, if any. */
    authFor(image: string): { server: string; username: string; password: string } | undefined {
        const registry = imageRegistry(image);
        for (const a of this.registryAuth) {
            const addr = a.address.replace(/^[a-z]+:\/\//, "").replace(/\/+$/, "");
            const server = addr.split("/")[0]!;
            if ((image.startsWith(`${addr}/`) || server === registry) && a.username && a.password) {
                return { server, username: a.username, password: a.password };
            }
        }
        return undefined;
    }
}

/** The "Id" of an inspect result. */
function idOf(info: Obj): string {
    const id = info["Id"];
    if (typeof id !== "string" || !id) throw new Error("docker inspect returned no Id");
    return id;
}

function dockerError(args: string[], r: RunResult, d: Docker): string {
    const what = `docker ${args.slice(0, 2).join(" ")}`;
    const why = r.timedOut ? "timed out" : r.signal ? `killed by ${r.signal}` : `exit code ${r.code}`;
    let hint = "";
    if (d.overSsh && r.code === 255 && /Permission denied|Host key verification failed/.test(r.stderr)) {
        hint =
            '\n(ssh runs in batch mode: the host needs key authentication, e.g. sshOpts ["-i", KEYFILE], and a ' +
            "known or unchecked host key)";
    }
    return `${what} on ${d.describe()} failed (${why}): ${tail(r.stderr || r.stdout, 20).trim()}${hint}`;
}

/** The registry host of an image reference ("docker.io" when it names none). */
function imageRegistry(image: string): string {
    const first = image.split("/")[0]!;
    if (image.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost")) return first;
    return "docker.io";
}

let docker: Docker | undefined;

function client(): Docker {
    if (!docker) docker = new Docker(undefined, [], []);
    return docker;
}

function configure(config: Obj): void {
    const host = typeof config["host"] === "string" && config["host"] ? config["host"] : process.env["DOCKER_HOST"];
    const sshOpts = jsonConfig(config["sshOpts"]);
    const auth = jsonConfig(config["registryAuth"]);
    const registryAuth: RegistryAuth[] = [];
    if (Array.isArray(auth)) {
        for (const a of auth) {
            if (!isObj(a) || typeof a["address"] !== "string") continue;
            registryAuth.push({ address: a["address"], username: str(a, "username"), password: str(a, "password") });
        }
    }
    docker = new Docker(
        host || undefined,
        Array.isArray(sshOpts) ? sshOpts.map((o) => (typeof o === "string" ? o : JSON.stringify(o))) : [],
        registryAuth,
    );
}

// ---------------------------------------------------------------------------------------------------------------
// Check helpers.

function unsupported(news: Props, supported: readonly string[], type: string): CheckFailure[] {
    return Object.keys(news.v)
        .filter((k) => !supported.includes(k))
        .map((k) => ({ property: k, reason: `${type}.${k} is not supported by this stand-in docker provider` }));
}

function required(news: Props, keys: readonly string[]): CheckFailure[] {
    return keys
        .filter((k) => news.v[k] === undefined)
        .map((k) => ({ property: k, reason: `missing required property ${k}` }));
}

function known(v: Value | undefined): boolean {
    return v !== undefined && !containsUnknown(v);
}

// ---------------------------------------------------------------------------------------------------------------
// docker:index/network:Network

const NETWORK_KEYS = [
    "name",
    "driver",
    "internal",
    "attachable",
    "ipv6",
    "labels",
    "options",
    "ipamConfigs",
    "ipamDriver",
    "checkDuplicate",
];

function labelArgs(list: Obj[]): string[] {
    return list.flatMap((l) => ["--label", `${str(l, "label") ?? ""}=${str(l, "value") ?? ""}`]);
}

const network: ResourceType = {
    check: (news) => [...unsupported(news, NETWORK_KEYS, "Network"), ...required(news, ["name"])],

    diff(olds, news, oldState, ignore) {
        const d = diffInputs(olds, news, ignore, () => true);
        // Same name: the old network must go first, or creating the "new" one would adopt the old one.
        return { ...d, deleteBeforeReplace: news.v["name"] === oldState.v["name"] };
    },

    async create(ctx, inputs, preview): Promise<Created> {
        const i = inputs.v;
        if (preview)
            return {
                id: "",
                outs: outputs(inputs, {
                    driver: i["driver"] ?? UNKNOWN,
                    scope: UNKNOWN,
                    internal: i["internal"] ?? UNKNOWN,
                }),
            };
        const d = client();
        const name = str(i, "name")!;
        let info = await d.inspect("network", name);
        if (info) {
            ctx.info(`network ${name} already exists on ${d.describe()}: adopting it`);
        } else {
            const args = ["network", "create"];
            const driver = str(i, "driver");
            if (driver) args.push("--driver", driver);
            if (bool(i, "internal")) args.push("--internal");
            if (bool(i, "attachable")) args.push("--attachable");
            if (bool(i, "ipv6")) args.push("--ipv6");
            const ipamDriver = str(i, "ipamDriver");
            if (ipamDriver) args.push("--ipam-driver", ipamDriver);
            for (const c of objList(i, "ipamConfigs")) {
                const subnet = str(c, "subnet");
                if (subnet) args.push("--subnet", subnet);
                const gw = str(c, "gateway");
                if (gw) args.push("--gateway", gw);
                const range = str(c, "ipRange");
                if (range) args.push("--ip-range", range);
            }
            for (const [k, v] of Object.entries(strMap(i, "options"))) args.push("--opt", `${k}=${v}`);
            args.push(...labelArgs(objList(i, "labels")), name);
            try {
                await d.docker(args);
            } catch (e) {
                // Another stack (or a parallel run) may have created it meanwhile.
                if (!/already exists/i.test((e as Error).message)) throw e;
            }
            info = await d.inspect("network", name);
            if (!info) throw new Error(`network ${name} was created but cannot be inspected on ${d.describe()}`);
        }
        return { id: idOf(info), outs: networkOutputs(inputs, info) };
    },

    async read(_ctx, id, state, inputs) {
        const info = await client().inspect("network", id);
        if (!info) return undefined;
        return { state: networkOutputs(state, info), inputs };
    },

    update(_ctx, _id, oldState, _oldInputs, news) {
        // Only reached for keys that do not force a replacement: there are none, so keep what we know.
        return Promise.resolve(
            outputs(news, { driver: oldState.v["driver"] ?? null, scope: oldState.v["scope"] ?? null }),
        );
    },

    async delete(ctx, id) {
        if ((await client().maybe(["network", "rm", id])) === undefined) ctx.info(`network ${id} was already gone`);
    },
};

function networkOutputs(inputs: Props, info: Obj): Props {
    return outputs(inputs, {
        name: (info["Name"] as string) ?? inputs.v["name"] ?? null,
        driver: (info["Driver"] as string) ?? null,
        scope: (info["Scope"] as string) ?? null,
        internal: typeof info["Internal"] === "boolean" ? info["Internal"] : null,
    });
}

// ---------------------------------------------------------------------------------------------------------------
// docker:index/volume:Volume

const VOLUME_KEYS = ["name", "driver", "driverOpts", "labels"];

const volume: ResourceType = {
    check: (news) => [...unsupported(news, VOLUME_KEYS, "Volume"), ...required(news, ["name"])],

    diff(olds, news, oldState, ignore) {
        const d = diffInputs(olds, news, ignore, () => true);
        // Same name: `docker volume create` would return the old volume, which the delete would then remove.
        return { ...d, deleteBeforeReplace: news.v["name"] === oldState.v["name"] };
    },

    async create(_ctx, inputs, preview): Promise<Created> {
        const i = inputs.v;
        if (preview) return { id: "", outs: outputs(inputs, { driver: i["driver"] ?? UNKNOWN, mountpoint: UNKNOWN }) };
        const d = client();
        const name = str(i, "name")!;
        const args = ["volume", "create"];
        const driver = str(i, "driver");
        if (driver) args.push("--driver", driver);
        for (const [k, v] of Object.entries(strMap(i, "driverOpts"))) args.push("--opt", `${k}=${v}`);
        args.push(...labelArgs(objList(i, "labels")), name);
        await d.docker(args);
        const info = await d.inspect("volume", name);
        if (!info) throw new Error(`volume ${name} was created but cannot be inspected on ${d.describe()}`);
        return { id: name, outs: volumeOutputs(inputs, info) };
    },

    async read(_ctx, id, state, inputs) {
        const info = await client().inspect("volume", id);
        if (!info) return undefined;
        return { state: volumeOutputs(state, info), inputs };
    },

    update(_ctx, _id, oldState, _oldInputs, news) {
        return Promise.resolve(
            outputs(news, { driver: oldState.v["driver"] ?? null, mountpoint: oldState.v["mountpoint"] ?? null }),
        );
    },

    async delete(ctx, id) {
        if ((await client().maybe(["volume", "rm", id])) === undefined) ctx.info(`volume ${id} was already gone`);
    },
};

function volumeOutputs(inputs: Props, info: Obj): Props {
    return outputs(inputs, {
        name: (info["Name"] as string) ?? inputs.v["name"] ?? null,
        driver: (info["Driver"] as string) ?? null,
        mountpoint: (info["Mountpoint"] as string) ?? null,
    });
}

// ---------------------------------------------------------------------------------------------------------------
// docker:index/remoteImage:RemoteImage

const IMAGE_KEYS = ["name", "keepLocally", "forceRemove", "platform", "pullTriggers", "triggers"];
const IMAGE_UPDATABLE = ["keepLocally", "forceRemove"];

function repoDigest(name: string, info: Obj): string {
    const digests = Array.isArray(info["RepoDigests"]) ? info["RepoDigests"].map(String) : [];
    const repo = name.replace(/@.*$/, "").replace(/:[^:/]+$/, "");
    return digests.find((d) => d.startsWith(`${repo}@`)) ?? digests[0] ?? "";
}

export async function pull(ctx: OpContext, d: Docker, name: string, platform: string | undefined): Promise<void> {
    const pullArgs = ["pull", ...(platform ? ["--platform", platform] : []), name];
    const auth = d.authFor(name);
    ctx.status(`pulling ${name} on ${d.describe()}`);
    if (!auth) {
        await d.docker(pullArgs);
        return;
    }
    // Log in with a throw-away client configuration, so no credentials stay behind on the host.
    const script = [
        "set -e",
        "d=$(mktemp -d)",
        `trap 'rm -rf "$d"' EXIT`,
        'export DOCKER_CONFIG="$d"',
        `docker login --username ${shq(auth.username)} --password-stdin ${shq(auth.server)} >/dev/null`,
        ["docker", ...pullArgs].map(shq).join(" "),
    ].join("\n");
    const r = await d.exec(["sh", "-c", script], { stdin: auth.password });
    if (r.code !== 0) throw new Error(dockerError(["login+pull", name], r, d));
}

const remoteImage: ResourceType = {
    check: (news) => [...unsupported(news, IMAGE_KEYS, "RemoteImage"), ...required(news, ["name"])],

    diff: (olds, news, _oldState, ignore) => diffInputs(olds, news, ignore, (k) => !IMAGE_UPDATABLE.includes(k)),

    async create(ctx, inputs, preview): Promise<Created> {
        if (preview) return { id: "", outs: outputs(inputs, { imageId: UNKNOWN, repoDigest: UNKNOWN }) };
        const d = client();
        const name = str(inputs.v, "name")!;
        let info = await d.inspect("image", name);
        if (!info) {
            await pull(ctx, d, name, str(inputs.v, "platform"));
            info = await d.inspect("image", name);
            if (!info) throw new Error(`image ${name} was pulled but cannot be inspected on ${d.describe()}`);
        }
        const imageId = idOf(info);
        const outs = outputs(inputs, { imageId, repoDigest: repoDigest(name, info) });
        if (inputs.secret.has("name")) outs.secret.add("imageId").add("repoDigest");
        return { id: `${imageId}${name}`, outs };
    },

    async read(_ctx, _id, state, inputs) {
        const name = str(state.v, "name");
        if (!name) return undefined;
        const info = await client().inspect("image", name);
        if (!info) return undefined;
        const outs = outputs(state, { imageId: idOf(info), repoDigest: repoDigest(name, info) });
        return { state: outs, inputs };
    },

    update(_ctx, _id, oldState, _oldInputs, news) {
        const outs = outputs(news, {
            imageId: oldState.v["imageId"] ?? null,
            repoDigest: oldState.v["repoDigest"] ?? null,
        });
        for (const k of ["imageId", "repoDigest"]) if (oldState.secret.has(k)) outs.secret.add(k);
        return Promise.resolve(outs);
    },

    async delete(ctx, _id, state) {
        if (bool(state.v, "keepLocally")) return;
        const d = client();
        const ref = str(state.v, "imageId") ?? str(state.v, "name");
        if (!ref) return;
        const r = await d.exec(["docker", "image", "rm", ...(bool(state.v, "forceRemove") ? ["--force"] : []), ref]);
        if (r.code !== 0 && !/no such|not found/i.test(r.stderr)) {
            // Typically still used by a container of another stack: leave it, it is only a cache.
            ctx.warn(`image ${str(state.v, "name") ?? ref} was left on ${d.describe()}: ${tail(r.stderr, 3).trim()}`);
        }
    },
};

// ---------------------------------------------------------------------------------------------------------------
// docker:index/container:Container

const CONTAINER_KEYS = [
    "name",
    "image",
    "hostname",
    "domainname",
    "envs",
    "command",
    "entrypoints",
    "restart",
    "maxRetryCount",
    "mustRun",
    "start",
    "ports",
    "publishAllPorts",
    "volumes",
    "hosts",
    "networksAdvanced",
    "networkMode",
    "healthcheck",
    "wait",
    "waitTimeout",
    "logDriver",
    "logOpts",
    "labels",
    "user",
    "workingDir",
    "privileged",
    "readOnly",
    "init",
    "capabilities",
    "dns",
    "dnsOpts",
    "dnsSearches",
    "tmpfs",
    "sysctls",
    "ulimits",
    "groupAdds",
    "securityOpts",
    "memory",
    "memorySwap",
    "shmSize",
    "cpuShares",
    "cpus",
    "stopSignal",
    "stopTimeout",
    "tty",
    "stdinOpen",
    "removeVolumes",
    "destroyGraceSeconds",
    "rm",
    "attach",
    "logs",
];
/** Inputs that do not change the container itself: a change is an update, not a replacement. */
const CONTAINER_UPDATABLE = ["wait", "waitTimeout", "mustRun", "removeVolumes", "destroyGraceSeconds"];

function containerCheck(news: Props): CheckFailure[] {
    const f = [...unsupported(news, CONTAINER_KEYS, "Container"), ...required(news, ["name", "image"])];
    for (const k of ["rm", "attach", "logs"]) {
        if (news.v[k] === true)
            f.push({ property: k, reason: `Container.${k}=true is not supported by this stand-in docker provider` });
    }
    const hc = news.v["healthcheck"];
    if (isObj(hc) && known(hc["tests"])) {
        const tests = Array.isArray(hc["tests"]) ? hc["tests"] : [];
        const kind = tests[0];
        if (typeof kind !== "string" || !["CMD", "CMD-SHELL", "NONE"].includes(kind)) {
            f.push({
                property: "healthcheck.tests",
                reason: 'healthcheck.tests must start with "CMD", "CMD-SHELL" or "NONE"',
            });
        }
    }
    return f;
}

/** The docker CLI's flags for a container, and the env-file content that carries its environment. */
function createArgs(i: Obj): { args: string[]; envFile?: string } {
    const args = ["create", "--name", str(i, "name")!];
    const opt = (flag: string, v: string | number | undefined) => {
        if (v !== undefined && v !== "") args.push(flag, String(v));
    };
    const flag = (f: string, v: boolean | undefined) => {
        if (v) args.push(f);
    };
    opt("--hostname", str(i, "hostname"));
    opt("--domainname", str(i, "domainname"));
    // The environment goes through stdin, not the command line (where `ps` on the host would show it).
    const envs = strList(i, "envs");
    let envFile: string | undefined;
    const fileSafe = envs.every((e) => /^[^\s#=][^=]*=/.test(e) && !/[\r\n]/.test(e));
    if (envs.length && fileSafe) {
        envFile = `${envs.join("\n")}\n`;
        args.push("--env-file", "/dev/stdin");
    } else {
        for (const e of envs) args.push("--env", e);
    }
    const restart = str(i, "restart");
    const retries = num(i, "maxRetryCount");
    if (restart) opt("--restart", restart === "on-failure" && retries ? `on-failure:${retries}` : restart);
    for (const p of objList(i, "ports")) {
        const ip = str(p, "ip") ?? "0.0.0.0";
        const ext = num(p, "external");
        const proto = str(p, "protocol") ?? "tcp";
        args.push("--publish", `${ip.includes(":") ? `[${ip}]` : ip}:${ext ?? ""}:${num(p, "internal")}/${proto}`);
    }
    flag("--publish-all", bool(i, "publishAllPorts"));
    for (const v of objList(i, "volumes")) {
        const from = str(v, "fromContainer");
        if (from) {
            args.push("--volumes-from", from);
            continue;
        }
        const source = str(v, "volumeName") ?? str(v, "hostPath");
        const target = str(v, "containerPath");
        if (!target) throw new Error("volumes[].containerPath is required");
        const mode = [bool(v, "readOnly") ? "ro" : "", str(v, "selinuxRelabel") ?? ""].filter(Boolean).join(",");
        args.push("--volume", `${source ? `${source}:` : ""}${target}${mode ? `:${mode}` : ""}`);
    }
    for (const h of objList(i, "hosts")) args.push("--add-host", `${str(h, "host")}:${str(h, "ip")}`);
    const nets = objList(i, "networksAdvanced");
    const first = nets[0];
    if (first) {
        args.push("--network", str(first, "name")!);
        for (const a of strList(first, "aliases")) args.push("--network-alias", a);
        opt("--ip", str(first, "ipv4Address"));
        opt("--ip6", str(first, "ipv6Address"));
    } else {
        opt("--network", str(i, "networkMode"));
    }
    const hc = obj(i, "healthcheck");
    if (hc) {
        const tests = strList(hc, "tests");
        if (tests[0] === "NONE") {
            args.push("--no-healthcheck");
        } else if (tests.length > 1) {
            // The CLI only takes the shell form: the exec form's words are quoted for /bin/sh.
            args.push(
                "--health-cmd",
                tests[0] === "CMD-SHELL" ? tests.slice(1).join(" ") : tests.slice(1).map(shq).join(" "),
            );
        }
        opt("--health-interval", str(hc, "interval"));
        opt("--health-timeout", str(hc, "timeout"));
        opt("--health-retries", num(hc, "retries"));
        opt("--health-start-period", str(hc, "startPeriod"));
        opt("--health-start-interval", str(hc, "startInterval"));
    }
    opt("--log-driver", str(i, "logDriver"));
    for (const [k, v] of Object.entries(strMap(i, "logOpts"))) args.push("--log-opt", `${k}=${v}`);
    args.push(...labelArgs(objList(i, "labels")));
    opt("--user", str(i, "user"));
    opt("--workdir", str(i, "workingDir"));
    flag("--privileged", bool(i, "privileged"));
    flag("--read-only", bool(i, "readOnly"));
    flag("--init", bool(i, "init"));
    flag("--tty", bool(i, "tty"));
    flag("--interactive", bool(i, "stdinOpen"));
    const caps = obj(i, "capabilities");
    if (caps) {
        for (const c of strList(caps, "adds")) args.push("--cap-add", c);
        for (const c of strList(caps, "drops")) args.push("--cap-drop", c);
    }
    for (const s of strList(i, "dns")) args.push("--dns", s);
    for (const s of strList(i, "dnsOpts")) args.push("--dns-option", s);
    for (const s of strList(i, "dnsSearches")) args.push("--dns-search", s);
    for (const [k, v] of Object.entries(strMap(i, "tmpfs"))) args.push("--tmpfs", v ? `${k}:${v}` : k);
    for (const [k, v] of Object.entries(strMap(i, "sysctls"))) args.push("--sysctl", `${k}=${v}`);
    for (const u of objList(i, "ulimits"))
        args.push("--ulimit", `${str(u, "name")}=${num(u, "soft")}:${num(u, "hard")}`);
    for (const g of strList(i, "groupAdds")) args.push("--group-add", g);
    for (const s of strList(i, "securityOpts")) args.push("--security-opt", s);
    const mb = (k: string) => {
        const n = num(i, k);
        return n ? `${n}m` : undefined;
    };
    opt("--memory", mb("memory"));
    opt("--memory-swap", num(i, "memorySwap") === -1 ? "-1" : mb("memorySwap"));
    opt("--shm-size", mb("shmSize"));
    opt("--cpu-shares", num(i, "cpuShares"));
    opt("--cpus", str(i, "cpus"));
    opt("--stop-signal", str(i, "stopSignal"));
    opt("--stop-timeout", num(i, "stopTimeout"));
    const entry = strList(i, "entrypoints");
    if (entry.length) args.push("--entrypoint", entry[0]!);
    args.push(str(i, "image")!, ...entry.slice(1), ...strList(i, "command"));
    return { args, ...(envFile !== undefined ? { envFile } : {}) };
}

interface HealthLog {
    ExitCode?: number;
    Output?: string;
    End?: string;
}
interface ContainerState {
    Status?: string;
    Running?: boolean;
    Restarting?: boolean;
    ExitCode?: number;
    Health?: { Status?: string; Log?: HealthLog[] };
}

async function containerState(d: Docker, id: string): Promise<ContainerState | undefined> {
    const info = await d.inspect("container", id);
    return info ? (info["State"] as ContainerState) : undefined;
}

async function failureReport(d: Docker, id: string, st: ContainerState | undefined): Promise<string> {
    const parts: string[] = [];
    const health = st?.Health?.Log ?? [];
    if (health.length) {
        parts.push(
            "last health checks:",
            ...health
                .slice(-3)
                .map((h) => `  exit ${h.ExitCode}: ${(h.Output ?? "").trim().split("\n").slice(-5).join("\n    ")}`),
        );
    }
    const logs = await d.exec(["docker", "logs", "--tail", "30", id]);
    const text = `${logs.stdout}${logs.stderr}`.trim();
    parts.push(text ? `last container logs:\n${text}` : "the container wrote no logs");
    return parts.join("\n");
}

/** Waits until the container is healthy (wait=true) or at least running (mustRun); throws with a report. */
async function awaitReady(ctx: OpContext, d: Docker, id: string, i: Obj): Promise<void> {
    const name = str(i, "name") ?? id;
    const wait = bool(i, "wait") === true;
    const mustRun = bool(i, "mustRun") !== false;
    if (!wait && !mustRun) return;
    const timeoutS = wait ? (num(i, "waitTimeout") ?? 60) : 5;
    const started = Date.now();
    let st: ContainerState | undefined;
    let lastStatus = 0;
    for (;;) {
        st = await containerState(d, id);
        if (!st) throw new Error(`container ${name} disappeared while starting`);
        const health = st.Health?.Status;
        if (!wait) {
            // mustRun only: running a moment after the start is enough.
            if (st.Running && Date.now() - started >= 1000) return;
        } else if (health === "healthy" || (health === undefined && st.Running)) {
            return;
        }
        const elapsed = Math.round((Date.now() - started) / 1000);
        let why: string | undefined;
        if (health === "unhealthy") why = "is unhealthy";
        else if (!st.Running && !st.Restarting && st.Status !== "created") why = `exited with code ${st.ExitCode}`;
        else if (elapsed >= timeoutS)
            why = `did not become ${wait ? "healthy" : "running"} within ${timeoutS}s (status: ${health ?? st.Status})`;
        if (why) throw new Error(`container ${name} ${why}\n${await failureReport(d, id, st)}`);
        if (Date.now() - lastStatus > 10000) {
            lastStatus = Date.now();
            ctx.status(`waiting for container ${name} to become ${wait ? "healthy" : "running"} (${elapsed}s)`);
        }
        await sleep(1000);
    }
}

function networkData(info: Obj): Value[] {
    const nets = (info["NetworkSettings"] as Obj | undefined)?.["Networks"];
    if (!isObj(nets)) return [];
    return Object.entries(nets).map(([networkName, n]) => {
        const o = isObj(n) ? n : {};
        return {
            networkName,
            ipAddress: (o["IPAddress"] as string) ?? "",
            ipPrefixLength: (o["IPPrefixLen"] as number) ?? 0,
            gateway: (o["Gateway"] as string) ?? "",
            macAddress: (o["MacAddress"] as string) ?? "",
        };
    });
}

function containerOutputs(inputs: Props, info: Obj | undefined): Props {
    const out = outputs(inputs, info ? { networkDatas: networkData(info) } : { networkDatas: UNKNOWN });
    return out;
}

async function startContainer(ctx: OpContext, inputs: Props): Promise<Created> {
    const d = client();
    const i = inputs.v;
    const name = str(i, "name")!;
    const { args, envFile } = createArgs(i);
    let id: string;
    if (envFile === undefined) {
        id = (await d.docker(args)).trim();
    } else {
        // Through `cat |`: docker opens /dev/stdin, which fails on the socket Node (or sshd) gives a child.
        const r = await d.exec(["sh", "-c", 'cat | "$@"', "sh", "docker", ...args], { stdin: envFile });
        if (r.code !== 0) throw new Error(dockerError(args, r, d));
        id = r.stdout.trim();
    }
    try {
        for (const n of objList(i, "networksAdvanced").slice(1)) {
            const c = ["network", "connect", ...strList(n, "aliases").flatMap((a) => ["--alias", a])];
            const ip = str(n, "ipv4Address");
            if (ip) c.push("--ip", ip);
            await d.docker([...c, str(n, "name")!, id]);
        }
        if (bool(i, "start") !== false) await d.docker(["start", id]);
    } catch (e) {
        await d.exec(["docker", "rm", "--force", id]);
        throw e;
    }
    if (bool(i, "start") !== false) {
        try {
            await awaitReady(ctx, d, id, i);
        } catch (e) {
            // The container exists: the engine records it with the error, and the next `up` retries (update).
            throw new InitError((e as Error).message, id, containerOutputs(inputs, await d.inspect("container", id)));
        }
    }
    ctx.status(`container ${name} is ${bool(i, "wait") ? "healthy" : "started"}`);
    return { id, outs: containerOutputs(inputs, await d.inspect("container", id)) };
}

const container: ResourceType = {
    check: containerCheck,

    diff: (olds, news, _oldState, ignore) => diffInputs(olds, news, ignore, (k) => !CONTAINER_UPDATABLE.includes(k)),

    async create(ctx, inputs, preview) {
        if (preview) return { id: "", outs: containerOutputs(inputs, undefined) };
        return startContainer(ctx, inputs);
    },

    async read(_ctx, id, state, inputs) {
        const info = await client().inspect("container", id);
        if (!info) return undefined;
        return { state: containerOutputs(state, info), inputs };
    },

    /**
     * Only non-replacing inputs changed, or the last `up` left the container not ready (init error): make sure
     * it is running and, with wait, healthy; a container that is not gets one restart.
     */
    async update(ctx, id, _oldState, _oldInputs, news, preview) {
        if (preview) return containerOutputs(news, undefined);
        const d = client();
        const i = news.v;
        const st = await containerState(d, id);
        const name = str(i, "name") ?? id;
        if (!st)
            throw new Error(`container ${name} (${id}) no longer exists on ${d.describe()}: run \`pulumi refresh\``);
        const ready = bool(i, "wait")
            ? st.Health?.Status === "healthy" || (!st.Health && st.Running)
            : st.Running || bool(i, "mustRun") === false;
        if (!ready && bool(i, "start") !== false) {
            ctx.info(`container ${name} is ${st.Health?.Status ?? st.Status}: restarting it`);
            await d.docker(["restart", id]);
            try {
                await awaitReady(ctx, d, id, i);
            } catch (e) {
                throw new InitError((e as Error).message, id, containerOutputs(news, await d.inspect("container", id)));
            }
        }
        return containerOutputs(news, await d.inspect("container", id));
    },

    async delete(ctx, id, state) {
        const d = client();
        const grace = num(state.v, "destroyGraceSeconds");
        if (grace) await d.exec(["docker", "stop", "--time", String(grace), id]);
        const rmArgs = ["rm", "--force", ...(bool(state.v, "removeVolumes") === false ? [] : ["--volumes"]), id];
        if ((await d.maybe(rmArgs)) === undefined) ctx.info(`container ${str(state.v, "name") ?? id} was already gone`);
    },
};

// ---------------------------------------------------------------------------------------------------------------

export const dockerProvider: Provider = {
    name: "docker",
    version: "5.0.0",
    configure,
    resources: {
        "docker:index/network:Network": network,
        "docker:index/volume:Volume": volume,
        "docker:index/remoteImage:RemoteImage": remoteImage,
        "docker:index/container:Container": container,
    },
};

if (require.main === module) serve(dockerProvider);
