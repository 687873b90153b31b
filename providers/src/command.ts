/**
 * Stand-in for the `command` provider plugin (npm @pulumi/command 1.2.1): command:local:Command,
 * command:remote:Command (through the OpenSSH client) and the command:local:run function.
 */
import { randomBytes } from "node:crypto";
import { RunResult, run, tail } from "./exec";
import { CheckFailure, OpContext, Provider, ResourceType, diffInputs, outputs, serve } from "./server";
import { SshTarget, runSsh, writeSecretFile } from "./ssh";
import { Obj, Props, UNKNOWN, bool, num, obj, str, strList, strMap } from "./values";

type Logging = "stdout" | "stderr" | "stdoutAndStderr" | "none";
type Step = "create" | "update" | "delete";

const LOCAL_KEYS = [
    "create",
    "update",
    "delete",
    "stdin",
    "environment",
    "interpreter",
    "dir",
    "triggers",
    "logging",
    "addPreviousOutputInEnv",
];
const REMOTE_KEYS = [
    "connection",
    "create",
    "update",
    "delete",
    "stdin",
    "environment",
    "triggers",
    "logging",
    "addPreviousOutputInEnv",
];

function logging(i: Obj): Logging {
    const l = str(i, "logging") ?? "stdoutAndStderr";
    if (!["stdout", "stderr", "stdoutAndStderr", "none"].includes(l))
        throw new Error(`invalid logging ${JSON.stringify(l)}`);
    return l as Logging;
}

/** Drops the one trailing newline most commands end with, as the upstream provider does. */
function trimNewline(s: string): string {
    return s.endsWith("\n") ? s.slice(0, -1) : s;
}

function checkKeys(news: Props, supported: readonly string[], type: string): CheckFailure[] {
    const f: CheckFailure[] = [];
    for (const k of Object.keys(news.v)) {
        if (!supported.includes(k))
            f.push({ property: k, reason: `${type}.${k} is not supported by this stand-in command provider` });
    }
    const l = news.v["logging"];
    if (typeof l === "string" && l !== UNKNOWN && !["stdout", "stderr", "stdoutAndStderr", "none"].includes(l)) {
        f.push({ property: "logging", reason: `logging must be one of stdout, stderr, stdoutAndStderr, none` });
    }
    return f;
}

interface Previous {
    readonly stdout: string;
    readonly stderr: string;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The previous run's output for update and delete, as upstream passes it: each variable only when that output
 * is not empty, and not at all with addPreviousOutputInEnv=false.
 */
function previousEnv(i: Obj, prev: Previous | undefined): Record<string, string> {
    const env: Record<string, string> = {};
    if (!prev || bool(i, "addPreviousOutputInEnv") === false) return env;
    if (prev.stdout !== "") env["PULUMI_COMMAND_STDOUT"] = prev.stdout;
    if (prev.stderr !== "") env["PULUMI_COMMAND_STDERR"] = prev.stderr;
    return env;
}

/**
 * Upstream's failure message: the exit status, the whole command, and everything it printed (stdout and stderr
 * interleaved), whatever `logging` says. `logging` only decides what is streamed while the command runs.
 */
function failure(exit: string, cmd: string, combined: string): Error {
    return new Error(`${exit}: running ${JSON.stringify(cmd)}:\n${combined}`);
}

/** How Go's os/exec describes a finished process (upstream's local runner). */
function localExit(r: RunResult): string {
    return r.signal ? `signal: ${signalName(r.signal)}` : `exit status ${r.code}`;
}

/** How golang.org/x/crypto/ssh describes a finished remote command (upstream's remote runner). */
function remoteExit(r: RunResult): string {
    return r.signal ? `ssh was killed by ${r.signal}` : `Process exited with status ${r.code}`;
}

function signalName(s: NodeJS.Signals): string {
    const names: Record<string, string> = { SIGKILL: "killed", SIGTERM: "terminated", SIGINT: "interrupt" };
    return names[s] ?? s;
}

function lineLoggers(
    ctx: OpContext,
    log: Logging,
    skip: (line: string) => boolean = () => false,
): { onStdout?: (l: string) => void; onStderr?: (l: string) => void } {
    const emit = (l: string) => {
        if (!skip(l)) ctx.status(l.length > 1000 ? `${l.slice(0, 1000)}...` : l);
    };
    return {
        ...(log === "stdout" || log === "stdoutAndStderr" ? { onStdout: emit } : {}),
        ...(log === "stderr" || log === "stdoutAndStderr" ? { onStderr: emit } : {}),
    };
}

/** Names the values above Linux's per-string limit of 128 KiB (arguments and environment variables). */
function tooBig(cmd: string, env: Record<string, string>): string {
    const big = Object.entries({ "the command": cmd, ...env })
        .filter(([k, v]) => Buffer.byteLength(k) + Buffer.byteLength(v) + 2 > 128 * 1024)
        .map(([k, v]) => `${k} (${Buffer.byteLength(v)} bytes)`);
    return big.length ? `; too long: ${big.join(", ")}` : "";
}

// ---------------------------------------------------------------------------------------------------------------
// Local execution.

async function runLocal(ctx: OpContext, step: Step, i: Obj, cmd: string, prev?: Previous): Promise<Previous> {
    const interpreter = strList(i, "interpreter");
    const argv = interpreter.length ? interpreter : ["/bin/sh", "-c"];
    const log = logging(i);
    const stdin = str(i, "stdin");
    const dir = str(i, "dir");
    const env = { ...strMap(i, "environment"), ...previousEnv(i, prev) };
    const r = await run(argv[0]!, [...argv.slice(1), cmd], {
        env: { ...process.env, ...env },
        ...(dir ? { cwd: dir } : {}),
        // Upstream passes stdin only when it is not empty.
        ...(stdin ? { stdin } : {}),
        ...lineLoggers(ctx, log),
    }).catch((e: Error) => {
        throw new Error(`${step} command: ${e.message}${tooBig(cmd, env)}`);
    });
    if (r.code !== 0) throw failure(localExit(r), cmd, r.combined);
    return { stdout: trimNewline(r.stdout), stderr: trimNewline(r.stderr) };
}

// ---------------------------------------------------------------------------------------------------------------
// Remote execution over ssh.

/**
 * Upstream hands each variable to the server with an ssh "env" request (Go's session.Setenv), which sshd only
 * honours for names its AcceptEnv allows: a refused `environment` entry fails the step before the command runs,
 * a refused PULUMI_COMMAND_* only warns. OpenSSH sends the variables named by SendEnv (from its own process
 * environment, so no value is on a command line) but does not report a refusal, so a short POSIX-shell prologue
 * checks on the remote side that each one arrived, and reports a missing one on stderr with this marker.
 */
const REFUSED = "pulumi-standin-setenv-refused:";

function envPrologue(required: readonly string[], optional: readonly string[]): string {
    const lines = [
        ...required.map((k) => `[ "\${${k}+set}" = set ] || { echo '${REFUSED}${k}' >&2; exit 255; }`),
        ...optional.map((k) => `[ "\${${k}+set}" = set ] || echo '${REFUSED}${k}' >&2`),
    ];
    return lines.length ? `${lines.join("\n")}\n` : "";
}

function refusedNames(stderr: string): string[] {
    return stderr
        .split("\n")
        .filter((l) => l.startsWith(REFUSED))
        .map((l) => l.slice(REFUSED.length).trim());
}

function withoutMarkers(s: string): string {
    return s
        .split("\n")
        .filter((l) => !l.startsWith(REFUSED))
        .join("\n");
}

async function runRemote(ctx: OpContext, step: Step, i: Obj, cmd: string, prev?: Previous): Promise<Previous> {
    const c = obj(i, "connection");
    if (!c) throw new Error("connection is required");
    const host = str(c, "host");
    if (!host) throw new Error("connection.host is required");
    const port = num(c, "port") ?? 22;
    const user = str(c, "user") ?? "root";
    const privateKey = str(c, "privateKey");
    const agent = str(c, "agentSocketPath");
    if (obj(c, "proxy")) throw new Error("connection.proxy is not supported by this stand-in command provider");
    if (str(c, "privateKeyPassword")) {
        throw new Error(
            "connection.privateKeyPassword is not supported by this stand-in command provider (ssh runs in batch mode)",
        );
    }
    if (!privateKey && !agent && str(c, "password")) {
        throw new Error(
            "connection.password is not supported by this stand-in command provider: it runs the OpenSSH client in batch " +
                "mode, which cannot type a password. Give connection.privateKey instead.",
        );
    }
    const environment = strMap(i, "environment");
    const previous = previousEnv(i, prev);
    for (const k of [...Object.keys(environment), ...Object.keys(previous)]) {
        if (!ENV_NAME.test(k)) throw new Error(`environment variable name ${JSON.stringify(k)} is not valid`);
    }
    const env = { ...environment, ...previous };
    const cleanups: (() => void)[] = [];
    try {
        const options = [
            // Upstream's Go ssh client reads no ssh_config (no Host aliases, ProxyJump, IdentityFile, SendEnv).
            "-F",
            "/dev/null",
            "-o",
            "BatchMode=yes",
            "-o",
            "LogLevel=ERROR",
            "-o",
            `ConnectTimeout=${num(c, "perDialTimeout") ?? 15}`,
            ...Object.keys(env).flatMap((k) => ["-o", `SendEnv=${k}`]),
        ];
        if (privateKey) {
            const [file, rm] = writeSecretFile("id", privateKey);
            cleanups.push(rm);
            options.push("-i", file, "-o", "IdentitiesOnly=yes");
        }
        const hostKey = str(c, "hostKey");
        if (hostKey) {
            const [file, rm] = writeSecretFile(
                "known_hosts",
                `${port === 22 ? host : `[${host}]:${port}`} ${hostKey.trim()}`,
            );
            cleanups.push(rm);
            options.push("-o", "StrictHostKeyChecking=yes", "-o", `UserKnownHostsFile=${file}`);
        } else {
            // Like the upstream provider without hostKey: the host key is not verified.
            options.push("-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null");
        }
        const target: SshTarget = {
            host,
            port,
            user,
            options,
            attempts: num(c, "dialErrorLimit") ?? 10,
            env: { ...env, ...(agent ? { SSH_AUTH_SOCK: agent } : {}) },
        };
        const remote = envPrologue(Object.keys(environment), Object.keys(previous)) + cmd;
        const log = logging(i);
        const stdin = str(i, "stdin");
        const r = await runSsh(target, remote, {
            ...(stdin ? { stdin } : {}),
            ...lineLoggers(ctx, log, (l) => l.startsWith(REFUSED)),
        }).catch((e: Error) => {
            throw new Error(`${step} command: ${e.message}${tooBig(remote, env)}`);
        });
        if (
            r.code === 255 &&
            /Permission denied|Host key verification failed|Could not resolve|connect to host/.test(r.stderr)
        ) {
            throw new Error(`ssh ${user}@${host}:${port}: ${tail(r.stderr, 5).trim()}`);
        }
        const refused = refusedNames(r.stderr);
        const missing = refused.find((k) => k in environment);
        if (r.code === 255 && missing !== undefined) {
            throw new Error(
                `could not set environment variable ${JSON.stringify(missing)}: ssh: setenv failed ` +
                    `(the ssh server on ${host} does not accept it: its sshd_config needs AcceptEnv ${missing})`,
            );
        }
        for (const k of refused) {
            ctx.warn(
                `${k} was not passed to the command on ${host}: its sshd does not accept it (AcceptEnv). ` +
                    "The command runs without it.",
            );
        }
        if (r.code !== 0) throw failure(remoteExit(r), cmd, withoutMarkers(r.combined));
        return { stdout: trimNewline(r.stdout), stderr: trimNewline(withoutMarkers(r.stderr)) };
    } finally {
        for (const f of cleanups) f();
    }
}

// ---------------------------------------------------------------------------------------------------------------
// The Command resource, for both flavours.

type Runner = (ctx: OpContext, step: Step, i: Obj, cmd: string, prev?: Previous) => Promise<Previous>;

/**
 * Inputs keep their own secrecy in the outputs; stdout and stderr are never made secret here, whatever the
 * inputs: as upstream, a program that wants them secret says so with additionalSecretOutputs.
 */
function commandOutputs(inputs: Props, res: Previous | undefined): Props {
    return outputs(inputs, res ? { stdout: res.stdout, stderr: res.stderr } : { stdout: UNKNOWN, stderr: UNKNOWN });
}

function previous(state: Props): Previous {
    return { stdout: str(state.v, "stdout") ?? "", stderr: str(state.v, "stderr") ?? "" };
}

function commandType(runner: Runner, keys: readonly string[], type: string): ResourceType {
    return {
        check: (news) => checkKeys(news, keys, type),

        diff: (olds, news, _oldState, ignore) => diffInputs(olds, news, ignore, (k) => k === "triggers"),

        async create(ctx, inputs, preview) {
            if (preview) return { id: "", outs: commandOutputs(inputs, undefined) };
            const cmd = str(inputs.v, "create");
            const res = cmd !== undefined ? await runner(ctx, "create", inputs.v, cmd) : { stdout: "", stderr: "" };
            return { id: randomId(), outs: commandOutputs(inputs, res) };
        },

        // Nothing to look at: the state is what the last run produced.
        read: (_ctx, _id, state, inputs) => Promise.resolve({ state, inputs }),

        async update(ctx, _id, oldState, _oldInputs, news, preview) {
            if (preview) return commandOutputs(news, undefined);
            const cmd = str(news.v, "update") ?? str(news.v, "create");
            const res =
                cmd !== undefined
                    ? await runner(ctx, "update", news.v, cmd, previous(oldState))
                    : { stdout: "", stderr: "" };
            return commandOutputs(news, res);
        },

        async delete(ctx, _id, state) {
            const cmd = str(state.v, "delete");
            if (cmd !== undefined) await runner(ctx, "delete", state.v, cmd, previous(state));
        },
    };
}

function randomId(): string {
    return randomBytes(8).toString("hex");
}

// ---------------------------------------------------------------------------------------------------------------
// command:local:run

async function localRun(ctx: OpContext, args: Props): Promise<Props> {
    for (const k of ["assetPaths", "archivePaths"]) {
        if (args.v[k] !== undefined)
            throw new Error(`command:local:run: ${k} is not supported by this stand-in command provider`);
    }
    const cmd = str(args.v, "command");
    if (cmd === undefined) throw new Error("command:local:run: command is required");
    const res = await runLocal(ctx, "create", args.v, cmd);
    // Plain values: the SDK marks an invoke's result secret when any argument was.
    return outputs(args, { stdout: res.stdout, stderr: res.stderr });
}

export const commandProvider: Provider = {
    name: "command",
    version: "1.2.1",
    configure: () => undefined,
    resources: {
        "command:local:Command": commandType(runLocal, LOCAL_KEYS, "local.Command"),
        "command:remote:Command": commandType(runRemote, REMOTE_KEYS, "remote.Command"),
    },
    invokes: { "command:local:run": localRun },
};

if (require.main === module) serve(commandProvider);
