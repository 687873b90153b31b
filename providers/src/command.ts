/**
 * Stand-in for the `command` provider plugin (npm @pulumi/command 1.2.1): command:local:Command,
 * command:remote:Command (through the OpenSSH client) and the command:local:run function.
 */
import { randomBytes } from "node:crypto";
import { RunResult, run, shq, tail } from "./exec";
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
/** Inputs whose secrecy the outputs inherit: they decide what runs and what it reads. */
const SOURCE_KEYS = ["create", "update", "stdin", "environment", "interpreter", "dir"];

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

/** The environment a step gets: its `environment`, plus the previous run's output for update and delete. */
function stepEnv(i: Obj, prev: Previous | undefined): Record<string, string> {
    const env = strMap(i, "environment");
    if (prev && bool(i, "addPreviousOutputInEnv") !== false) {
        env["PULUMI_COMMAND_STDOUT"] = prev.stdout;
        env["PULUMI_COMMAND_STDERR"] = prev.stderr;
    }
    return env;
}

function failure(step: Step, r: RunResult, log: Logging, where: string): Error {
    const why = r.timedOut ? "timed out" : r.signal ? `was killed by ${r.signal}` : `failed with exit code ${r.code}`;
    const showErr = log === "stderr" || log === "stdoutAndStderr";
    const detail = showErr ? tail(r.stderr, 40).trim() : "(stderr not shown: logging is " + log + ")";
    return new Error(`${step} command ${where}${why}${detail ? `:\n${detail}` : ""}`);
}

function lineLoggers(ctx: OpContext, log: Logging): { onStdout?: (l: string) => void; onStderr?: (l: string) => void } {
    const emit = (l: string) => ctx.status(l.length > 1000 ? `${l.slice(0, 1000)}...` : l);
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
    const env = stepEnv(i, prev);
    const r = await run(argv[0]!, [...argv.slice(1), cmd], {
        env: { ...process.env, ...env },
        ...(dir ? { cwd: dir } : {}),
        ...(stdin !== undefined ? { stdin } : {}),
        ...lineLoggers(ctx, log),
    }).catch((e: Error) => {
        throw new Error(`${step} command: ${e.message}${tooBig(cmd, env)}`);
    });
    if (r.code !== 0) throw failure(step, r, log, "");
    return { stdout: trimNewline(r.stdout), stderr: trimNewline(r.stderr) };
}

// ---------------------------------------------------------------------------------------------------------------
// Remote execution over ssh.

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
    const cleanups: (() => void)[] = [];
    try {
        const options = [
            "-o",
            "BatchMode=yes",
            "-o",
            "LogLevel=ERROR",
            "-o",
            `ConnectTimeout=${num(c, "perDialTimeout") ?? 15}`,
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
            ...(agent ? { env: { SSH_AUTH_SOCK: agent } } : {}),
        };
        const env = stepEnv(i, prev);
        const exports = Object.entries(env).map(([k, v]) => {
            if (!ENV_NAME.test(k)) throw new Error(`environment variable name ${JSON.stringify(k)} is not valid`);
            return `export ${k}=${shq(v)}`;
        });
        const remote = exports.length ? `${exports.join("\n")}\n${cmd}` : cmd;
        const log = logging(i);
        const stdin = str(i, "stdin");
        const r = await runSsh(target, remote, {
            ...(stdin !== undefined ? { stdin } : {}),
            ...lineLoggers(ctx, log),
        }).catch((e: Error) => {
            // The environment travels inside the remote command line, which is one argument of ssh.
            throw new Error(`${step} command: ${e.message}${tooBig(remote, {})}`);
        });
        if (
            r.code === 255 &&
            /Permission denied|Host key verification failed|Could not resolve|connect to host/.test(r.stderr)
        ) {
            throw new Error(`ssh ${user}@${host}:${port}: ${tail(r.stderr, 5).trim()}`);
        }
        if (r.code !== 0) throw failure(step, r, log, `on ${host} `);
        return { stdout: trimNewline(r.stdout), stderr: trimNewline(r.stderr) };
    } finally {
        for (const f of cleanups) f();
    }
}

// ---------------------------------------------------------------------------------------------------------------
// The Command resource, for both flavours.

type Runner = (ctx: OpContext, step: Step, i: Obj, cmd: string, prev?: Previous) => Promise<Previous>;

function commandOutputs(inputs: Props, res: Previous | undefined): Props {
    const secret = SOURCE_KEYS.some((k) => inputs.secret.has(k));
    return outputs(
        inputs,
        res ? { stdout: res.stdout, stderr: res.stderr } : { stdout: UNKNOWN, stderr: UNKNOWN },
        secret ? ["stdout", "stderr"] : [],
    );
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
    const secret = [...args.secret].length > 0;
    return outputs(args, { stdout: res.stdout, stderr: res.stderr }, secret ? ["stdout", "stderr"] : []);
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
