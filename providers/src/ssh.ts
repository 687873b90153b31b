/** Running a command on another machine with the OpenSSH client (`ssh`), for the command plugin's remote.Command. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { RunOptions, RunResult, run, sleep } from "./exec";

export interface SshTarget {
    readonly host: string;
    readonly port?: number;
    readonly user?: string;
    /** ssh options placed before ours (the first value given for an option wins in OpenSSH). */
    readonly options: readonly string[];
    /** Environment for the ssh process itself (e.g. SSH_AUTH_SOCK). */
    readonly env?: NodeJS.ProcessEnv;
    /** Connection attempts before giving up (connection-level failures only). */
    readonly attempts?: number;
}

/** Failures that happen before the remote command starts, so retrying cannot run it twice. */
const CONNECT_ERRORS = [
    /ssh: connect to host .* port \d+:/,
    /Connection refused/,
    /Connection timed out/,
    /Operation timed out/,
    /No route to host/,
    /Connection reset by/,
    /kex_exchange_identification/,
    /banner exchange/,
    /Connection closed by .* port \d+/,
    /mux_client_request_session: session request failed/,
    /ControlSocket .* already exists/,
];

function isConnectFailure(r: RunResult): boolean {
    return r.code === 255 && r.stdout === "" && CONNECT_ERRORS.some((re) => re.test(r.stderr));
}

/** The ssh argument list for `remoteCommand` (one string, run by the remote user's shell). */
export function sshArgs(t: SshTarget, remoteCommand: string): string[] {
    const dest = t.user ? `${t.user}@${t.host}` : t.host;
    return [...t.options, ...(t.port ? ["-p", String(t.port)] : []), "--", dest, remoteCommand];
}

export async function runSsh(t: SshTarget, remoteCommand: string, opts: RunOptions = {}): Promise<RunResult> {
    const attempts = Math.max(1, t.attempts ?? 5);
    let last: RunResult | undefined;
    for (let i = 1; i <= attempts; i++) {
        // Output callbacks only see the attempt that actually ran the command.
        const r = await run("ssh", sshArgs(t, remoteCommand), { ...opts, env: { ...process.env, ...t.env } });
        if (!isConnectFailure(r)) return r;
        last = r;
        if (i < attempts) await sleep(Math.min(1000 * 2 ** (i - 1), 10000));
    }
    return last!;
}

/**
 * The owner-only directory for key files, shared by the plugin processes of this user (the engine kills plugins
 * without notice: nothing may rely on cleanup at exit). Key files live in their own subdirectory only while a
 * command runs.
 */
let privateDir: string | undefined;
function privateTmpDir(): string {
    if (privateDir) return privateDir;
    const uid = process.getuid?.() ?? 0;
    const dir = path.join(os.tmpdir(), `pulumi-standin-ssh-${uid}`);
    try {
        fs.mkdirSync(dir, { mode: 0o700 });
    } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    const st = fs.lstatSync(dir);
    if (!st.isDirectory() || st.uid !== uid || (st.mode & 0o077) !== 0) {
        throw new Error(`${dir} must be a directory owned by uid ${uid} with mode 0700`);
    }
    privateDir = dir;
    return dir;
}

/** Writes `content` to a new owner-only file; the returned function removes it. */
export function writeSecretFile(name: string, content: string): [string, () => void] {
    const dir = fs.mkdtempSync(path.join(privateTmpDir(), `${name}-`));
    const file = path.join(dir, name);
    fs.writeFileSync(file, content.endsWith("\n") ? content : `${content}\n`, { mode: 0o600 });
    return [file, () => fs.rmSync(dir, { recursive: true, force: true })];
}
